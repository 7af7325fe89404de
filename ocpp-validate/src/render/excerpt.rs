//! The offending frame under a human finding, its pointed-at value underlined:
//!
//! ```text
//!    |
//!    | [2,"7","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Finishing"}]
//!    |                                                                    ^^^^^^^^^^^
//! ```
//!
//! The frame is written back compactly (members in the order sent), so the marks line up
//! whatever spacing the input had; a string longer than [`MAX_ECHO`](crate::MAX_ECHO) characters is cut (its
//! length stated), and a long frame is cut to a window around the value.
//! [`Excerpts`] finds the frames again in the lines it saw go by, never reading an input twice.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::finding::cut_value;
use crate::trace::{Columns, Decoder, FrameSource, InputFormat, Line, Record};

/// The widest frame shown, in characters.
const WIDTH: usize = 100;

/// The frame with the value at `pointer` (into the payload) underlined; `None` when the
/// frame has no payload or the pointer leads nowhere.
pub fn excerpt(frame: &Value, pointer: &str, color: bool) -> Option<String> {
    let payload = match frame.get(0)?.as_u64()? {
        2 => 3,
        3 => 2,
        _ => return None,
    };
    let mut path = vec![payload.to_string()];
    if !pointer.is_empty() {
        path.extend(
            pointer
                .split('/')
                .skip(1)
                .map(|s| s.replace("~1", "/").replace("~0", "~")),
        );
    }
    let mut text = String::new();
    let mut span = None;
    write(frame, &path, &mut Vec::new(), &mut text, &mut span);
    let (start, end) = span?;
    let chars: Vec<char> = text.chars().collect();
    let (start, end) = (text[..start].chars().count(), text[..end].chars().count());
    let (from, to) = window(chars.len(), start, end);
    let mut shown: String = chars[from..to].iter().collect();
    let mut offset = start - from;
    if from > 0 {
        shown.insert(0, '…');
        offset += 1;
    }
    if to < chars.len() {
        shown.push('…');
    }
    let marks = "^".repeat(end.min(to).saturating_sub(start).max(1));
    let (paint, reset) = if color {
        ("\x1b[1;31m", "\x1b[0m")
    } else {
        ("", "")
    };
    Some(format!(
        "   |\n   | {shown}\n   | {}{paint}{marks}{reset}\n",
        " ".repeat(offset)
    ))
}

/// The part of a line of `len` characters to show so that `start..end` is in view.
fn window(len: usize, start: usize, end: usize) -> (usize, usize) {
    if len <= WIDTH {
        return (0, len);
    }
    let from = start.saturating_sub(WIDTH / 3).min(len - WIDTH);
    let to = (from + WIDTH).max(end.min(len)).min(len);
    (from, to)
}

/// Writes `value` compactly, noting the byte span of the value at `target`.
fn write(
    value: &Value,
    target: &[String],
    at: &mut Vec<String>,
    out: &mut String,
    span: &mut Option<(usize, usize)>,
) {
    let start = out.len();
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                at.push(i.to_string());
                write(item, target, at, out, span);
                at.pop();
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, member)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(key.as_str()).to_string());
                out.push(':');
                at.push(key.clone());
                write(member, target, at, out, span);
                at.pop();
            }
            out.push('}');
        }
        scalar => out.push_str(&cut_value(scalar).to_string()),
    }
    if at.as_slice() == target {
        *span = Some((start, out.len()));
    }
}

/// The most lines kept for excerpts.
const KEPT_LINES: usize = 65_536;
/// The most bytes of lines kept for excerpts.
const KEPT_BYTES: usize = 16 * 1024 * 1024;
/// The longest line kept for an excerpt, in bytes; a longer one gets none.
pub const MAX_EXCERPT_LINE: usize = 2 * 1024 * 1024;

/// Finds the frames of an input again, by line number, for excerpts: the input is never read
/// twice (it may be a pipe or a FIFO); instead [`tee`](Self::tee) notes the most recent lines
/// as the check reads them (at most 65,536 lines and 16 MiB, none over
/// [`MAX_EXCERPT_LINE`]).
#[derive(Debug)]
pub struct Excerpts {
    recent: Arc<Mutex<Recent>>,
    /// Bytes of lines decoded to find frames, for tests of the work done per finding.
    decoded: usize,
}

/// The lines noted so far.
#[derive(Debug)]
struct Recent {
    /// Decodes one line: it has seen the input's first readable line (format, CSV header).
    decoder: Decoder,
    /// Whether the first readable line was seen.
    primed: bool,
    /// The check's line limit: longer lines are not records.
    max_line: usize,
    /// The latest lines with their 1-based numbers, oldest first.
    lines: VecDeque<(usize, String)>,
    bytes: usize,
    /// The line being read and its number.
    partial: Vec<u8>,
    number: usize,
    /// The line being read is too long to keep.
    skipping: bool,
}

impl Excerpts {
    /// Excerpts for an input of `format` (detected when `None`) and `columns`, read with the
    /// check's line limit.
    pub fn new(format: Option<InputFormat>, columns: Columns, max_line: usize) -> Self {
        let recent = Recent {
            decoder: Decoder::new(format, columns),
            primed: false,
            max_line,
            lines: VecDeque::new(),
            bytes: 0,
            partial: Vec::new(),
            number: 1,
            skipping: false,
        };
        Self {
            recent: Arc::new(Mutex::new(recent)),
            decoded: 0,
        }
    }

    /// `input` (decompressed already), noting each line as it is read.
    pub fn tee<R: Read>(&self, input: R) -> Tee<R> {
        Tee {
            input,
            recent: Arc::clone(&self.recent),
        }
    }

    /// The frame of the record on line `number` (1-based), parsed; `None` when that line is
    /// no longer (or never was) kept, or holds no frame.
    pub fn frame(&mut self, number: usize) -> Option<Value> {
        let recent = self.recent.lock().ok()?;
        let at = recent
            .lines
            .binary_search_by_key(&number, |(n, _)| *n)
            .ok()?;
        let text = &recent.lines[at].1;
        self.decoded += text.len();
        let line = Line {
            number,
            text: Some(text),
            invalid_utf8: false,
            limit: recent.max_line,
        };
        let record: Record<'_> = recent.decoder.clone().decode(line)?;
        match record.frame.ok()? {
            FrameSource::Text(text) => serde_json::from_str(&text).ok(),
            FrameSource::Value(value) => Some(value),
        }
    }

    /// Bytes of kept lines decoded so far to find frames: one line per excerpt, never the
    /// input again.
    pub fn bytes_decoded(&self) -> usize {
        self.decoded
    }
}

impl Recent {
    /// Notes bytes read from the input.
    fn note(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let (part, ended) = match memchr::memchr(b'\n', bytes) {
                Some(end) => (&bytes[..end], Some(end + 1)),
                None => (bytes, None),
            };
            if !self.skipping {
                if self.partial.len() + part.len() > MAX_EXCERPT_LINE {
                    self.skipping = true;
                    self.partial = Vec::new();
                } else {
                    self.partial.extend_from_slice(part);
                }
            }
            match ended {
                Some(consumed) => {
                    self.end_line();
                    bytes = &bytes[consumed..];
                }
                None => return,
            }
        }
    }

    /// Keeps the line just read (when it is readable), forgetting the oldest beyond the bounds.
    fn end_line(&mut self) {
        let number = self.number;
        self.number += 1;
        let mut bytes = std::mem::take(&mut self.partial);
        if std::mem::take(&mut self.skipping) {
            return;
        }
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        if bytes.len() > self.max_line || bytes.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let Ok(text) = String::from_utf8(bytes) else {
            return;
        };
        if !self.primed {
            self.primed = true;
            let first = Line {
                number,
                text: Some(&text),
                invalid_utf8: false,
                limit: self.max_line,
            };
            self.decoder.decode(first);
        }
        self.bytes += text.len();
        self.lines.push_back((number, text));
        while self.lines.len() > KEPT_LINES || self.bytes > KEPT_BYTES {
            let Some((_, old)) = self.lines.pop_front() else {
                break;
            };
            self.bytes -= old.len();
        }
    }
}

/// An input that notes each line read for [`Excerpts`].
#[derive(Debug)]
pub struct Tee<R> {
    input: R,
    recent: Arc<Mutex<Recent>>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.input.read(buf)?;
        if let Ok(mut recent) = self.recent.lock() {
            if n == 0 {
                if !recent.partial.is_empty() || recent.skipping {
                    recent.end_line();
                }
            } else {
                recent.note(&buf[..n]);
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::excerpt;

    #[test]
    fn marks_the_value_counting_characters_and_reading_escaped_pointers() {
        let frame = json!([2, "1", "DataTransfer", {"vendorId": "Ünïcode", "data": {"a/b": 7}}]);
        let shown = excerpt(&frame, "/data/a~1b", false).expect("the pointer leads somewhere");
        // The 7 is the 59th character: "Ünïcode" counts 7 characters, not 9 bytes.
        let expected = format!(
            "   |\n   | {}\n   | {}^\n",
            r#"[2,"1","DataTransfer",{"vendorId":"Ünïcode","data":{"a/b":7}}]"#,
            " ".repeat(58)
        );
        assert_eq!(shown, expected);
    }

    #[test]
    fn the_payload_root_of_a_result_and_pointers_leading_nowhere() {
        let result = json!([3, "1", {}]);
        assert_eq!(
            excerpt(&result, "", false).as_deref(),
            Some("   |\n   | [3,\"1\",{}]\n   |        ^^\n")
        );
        assert_eq!(excerpt(&result, "/missing", false), None);
        assert_eq!(excerpt(&json!([4, "1", "x", "", {}]), "", false), None);
    }
}
