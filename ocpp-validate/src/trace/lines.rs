//! Line reading with a length limit, skipping blank lines. Lines are lent out of the reader's
//! own buffer, so reading copies nothing per line; a line longer than the limit is skipped
//! without being stored, so memory stays bounded by the limit.

use std::io::{self, Read};

/// The default longest line read: 16 MiB.
pub const DEFAULT_MAX_LINE: usize = 16 * 1024 * 1024;

/// The buffer's first size; it grows toward the limit only for longer lines.
const INITIAL_BUFFER: usize = 256 * 1024;

/// One non-blank line, borrowed from the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Line<'a> {
    /// 1-based line number.
    pub number: usize,
    /// The text without its line ending; `None` when the line was longer than `limit` (it
    /// was skipped, not stored) or not UTF-8 (then `invalid_utf8` is set).
    pub text: Option<&'a str>,
    /// Whether the line was not UTF-8.
    pub invalid_utf8: bool,
    /// The limit in force.
    pub limit: usize,
}

impl<'a> Line<'a> {
    /// Line `number`, read in full as `text` under the line limit `limit`.
    pub fn new(number: usize, text: &'a str, limit: usize) -> Self {
        Self {
            number,
            text: Some(text),
            invalid_utf8: false,
            limit,
        }
    }
}

/// Reads non-blank lines, none longer than a limit.
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    limit: usize,
    number: usize,
    buffer: Vec<u8>,
    /// The unread bytes are `buffer[start..end]`.
    start: usize,
    end: usize,
    eof: bool,
    /// Inside a line found too long: its rest is dropped up to the next newline.
    skipping: bool,
}

impl<R: Read> LineReader<R> {
    /// Reads from `inner`, keeping at most `limit` bytes of any line.
    pub fn new(inner: R, limit: usize) -> Self {
        Self {
            inner,
            limit,
            number: 0,
            buffer: vec![0; INITIAL_BUFFER.min(limit.saturating_add(1)).max(1)],
            start: 0,
            end: 0,
            eof: false,
            skipping: false,
        }
    }

    /// The number of the last line read, blank lines counted (0 before the first).
    pub fn line_number(&self) -> usize {
        self.number
    }

    /// The next non-blank line, or `None` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        // Decided on indices, so that the buffer is borrowed only for the line returned.
        let (from, to) = loop {
            let window = &self.buffer[self.start..self.end];
            let (length, consumed) = match memchr::memchr(b'\n', window) {
                Some(position) => (position, position + 1),
                None if self.eof && (self.skipping || !window.is_empty()) => {
                    (window.len(), window.len())
                }
                None if self.eof => return Ok(None),
                None => {
                    self.refill()?;
                    continue;
                }
            };
            let from = self.start;
            self.start += consumed;
            self.number += 1;
            if std::mem::take(&mut self.skipping) {
                return Ok(Some(self.too_long()));
            }
            let bytes = &self.buffer[from..from + length];
            let to = from + bytes.strip_suffix(b"\r").unwrap_or(bytes).len();
            if to - from > self.limit {
                return Ok(Some(self.too_long()));
            }
            if !self.buffer[from..to].iter().all(u8::is_ascii_whitespace) {
                break (from, to);
            }
        };
        let (number, limit) = (self.number, self.limit);
        Ok(Some(
            match simdutf8::basic::from_utf8(&self.buffer[from..to]) {
                Ok(text) => Line {
                    number,
                    text: Some(text),
                    invalid_utf8: false,
                    limit,
                },
                Err(_) => Line {
                    number,
                    text: None,
                    invalid_utf8: true,
                    limit,
                },
            },
        ))
    }

    /// Makes room and reads more, or drops the start of a line already too long.
    fn refill(&mut self) -> io::Result<()> {
        let pending = self.end - self.start;
        if pending > self.limit + 1 {
            // Too long: forget what was read of it and skip to its end.
            self.skipping = true;
            self.start = self.end;
        }
        let pending = self.end - self.start;
        self.buffer.copy_within(self.start..self.end, 0);
        self.start = 0;
        self.end = pending;
        if self.end == self.buffer.len() {
            let grown = (self.buffer.len() * 2)
                .min(self.limit.saturating_add(2))
                .max(self.end + 1);
            self.buffer.resize(grown, 0);
        }
        let read = loop {
            match self.inner.read(&mut self.buffer[self.end..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        if read == 0 {
            self.eof = true;
        }
        self.end += read;
        Ok(())
    }

    /// The current line, reported as too long.
    fn too_long(&self) -> Line<'static> {
        Line {
            number: self.number,
            text: None,
            invalid_utf8: false,
            limit: self.limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], limit: usize) -> Vec<(usize, Option<String>, bool)> {
        let mut reader = LineReader::new(input, limit);
        let mut out = Vec::new();
        while let Some(line) = reader.next_line().expect("in-memory read") {
            out.push((line.number, line.text.map(str::to_owned), line.invalid_utf8));
        }
        out
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let read = lines(b"a\n\n  \r\nb\r\nc", 10);
        assert_eq!(
            read,
            [
                (1, Some("a".into()), false),
                (4, Some("b".into()), false),
                (5, Some("c".into()), false)
            ]
        );
    }

    #[test]
    fn long_lines_are_skipped_without_being_stored() {
        let read = lines(b"0123456789ABC\nok\n0123456789\n", 10);
        assert_eq!(
            read,
            [
                (1, None, false),
                (2, Some("ok".into()), false),
                (3, Some("0123456789".into()), false)
            ]
        );
    }

    #[test]
    fn a_line_ending_is_not_counted_toward_the_limit() {
        assert_eq!(
            lines(b"0123456789\r\nx", 10)[0].1.as_deref(),
            Some("0123456789")
        );
    }

    #[test]
    fn lines_longer_than_the_buffer_are_skipped_and_the_rest_read() {
        let mut input = vec![b'x'; 3 * INITIAL_BUFFER];
        input.extend_from_slice(b"\nok\n");
        let read = lines(&input, 1000);
        assert_eq!(read, [(1, None, false), (2, Some("ok".into()), false)]);
        let read = lines(&input, 4 * INITIAL_BUFFER);
        assert_eq!(
            read[0].1.as_ref().map(String::len),
            Some(3 * INITIAL_BUFFER)
        );
    }

    #[test]
    fn invalid_utf8_is_flagged() {
        let read = lines(b"\xff\xfe\nok", 10);
        assert_eq!(read, [(1, None, true), (2, Some("ok".into()), false)]);
    }
}
