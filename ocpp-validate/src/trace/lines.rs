//! Line reading with a length limit, skipping blank lines.

use std::io::{self, BufRead};

/// The default longest line read: 16 MiB.
pub const DEFAULT_MAX_LINE: usize = 16 * 1024 * 1024;

/// One non-blank line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// The text without its line ending; `None` when the line was longer than `limit` (it
    /// was skipped, not stored) or not UTF-8 (then `invalid_utf8` is set).
    pub text: Option<String>,
    /// Whether the line was not UTF-8.
    pub invalid_utf8: bool,
    /// The limit in force.
    pub limit: usize,
}

/// Reads non-blank lines, none longer than a limit.
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    limit: usize,
    number: usize,
    buffer: Vec<u8>,
}

impl<R: BufRead> LineReader<R> {
    /// Reads from `inner`, storing at most `limit` bytes of any line.
    pub fn new(inner: R, limit: usize) -> Self {
        Self {
            inner,
            limit,
            number: 0,
            buffer: Vec::new(),
        }
    }

    /// The next non-blank line, or `None` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        loop {
            self.buffer.clear();
            let mut too_long = false;
            let mut any = false;
            loop {
                let available = self.inner.fill_buf()?;
                if available.is_empty() {
                    break;
                }
                any = true;
                let (chunk, done) = match memchr::memchr(b'\n', available) {
                    // The line ending, `\r` included, does not count toward the limit.
                    Some(end) => (
                        available[..end]
                            .strip_suffix(b"\r")
                            .unwrap_or(&available[..end]),
                        Some(end + 1),
                    ),
                    None => (available, None),
                };
                if !too_long {
                    if self.buffer.len() + chunk.len() > self.limit {
                        too_long = true;
                        self.buffer.clear();
                    } else {
                        self.buffer.extend_from_slice(chunk);
                    }
                }
                let consumed = done.unwrap_or(chunk.len());
                self.inner.consume(consumed);
                if done.is_some() {
                    break;
                }
            }
            if !any {
                return Ok(None);
            }
            self.number += 1;
            if too_long {
                return Ok(Some(self.line(None, false)));
            }
            if self.buffer.last() == Some(&b'\r') {
                // A `\r` at the very end of the input, with no `\n` after it.
                self.buffer.pop();
            }
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Ok(Some(
                match String::from_utf8(std::mem::take(&mut self.buffer)) {
                    Ok(text) => self.line(Some(text), false),
                    Err(_) => self.line(None, true),
                },
            ));
        }
    }

    fn line(&self, text: Option<String>, invalid_utf8: bool) -> Line {
        Line {
            number: self.number,
            text,
            invalid_utf8,
            limit: self.limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], limit: usize) -> Vec<Line> {
        let mut reader = LineReader::new(input, limit);
        let mut out = Vec::new();
        while let Some(line) = reader.next_line().expect("in-memory read") {
            out.push(line);
        }
        out
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let read = lines(b"a\n\n  \r\nb\r\nc", 10);
        let numbers: Vec<_> = read.iter().map(|l| (l.number, l.text.clone())).collect();
        assert_eq!(
            numbers,
            [
                (1, Some("a".into())),
                (4, Some("b".into())),
                (5, Some("c".into()))
            ]
        );
    }

    #[test]
    fn long_lines_are_skipped_without_being_stored() {
        let read = lines(b"0123456789ABC\nok\n", 10);
        assert_eq!(read[0].text, None);
        assert!(!read[0].invalid_utf8);
        assert_eq!(read[1].text.as_deref(), Some("ok"));
    }

    #[test]
    fn invalid_utf8_is_flagged() {
        let read = lines(b"\xff\xfe\nok", 10);
        assert!(read[0].invalid_utf8);
        assert_eq!(read[1].text.as_deref(), Some("ok"));
    }
}
