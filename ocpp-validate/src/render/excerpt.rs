//! The offending frame under a human finding, its pointed-at value underlined:
//!
//! ```text
//!    |
//!    | [2,"7","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Finishing"}]
//!    |                                                                    ^^^^^^^^^^^
//! ```
//!
//! The frame is written back compactly (members in the order sent), so the marks line up
//! whatever spacing the input had; a long frame is cut to a window around the value.
//! [`Excerpts`] finds the frames again by re-reading an input file.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::trace::{FrameSource, Record, RecordReader};

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
        scalar => out.push_str(&scalar.to_string()),
    }
    if at.as_slice() == target {
        *span = Some((start, out.len()));
    }
}

/// Finds the frames of an input file again, by record index, for excerpts.
pub struct Excerpts {
    path: PathBuf,
    max_line: usize,
    reader: Option<RecordReader<'static>>,
    /// The index of the next record the reader gives.
    next: usize,
}

impl Excerpts {
    /// Re-reads `path` (with the check's line limit) as findings ask for frames.
    pub fn new(path: &Path, max_line: usize) -> Self {
        Self {
            path: path.to_owned(),
            max_line,
            reader: None,
            next: 0,
        }
    }

    /// The frame of record `index`, parsed; `None` when it cannot be read.
    pub fn frame(&mut self, index: usize) -> Option<Value> {
        if self.reader.is_none() || index < self.next {
            let file = File::open(&self.path).ok()?;
            self.reader = RecordReader::new(BufReader::new(file), self.max_line).ok();
            self.next = 0;
        }
        let reader = self.reader.as_mut()?;
        loop {
            let record: Record<'static> = reader.next_record().ok().flatten()?;
            self.next += 1;
            if record.index == index {
                return match record.frame.ok()? {
                    FrameSource::Text(text) => serde_json::from_str(&text).ok(),
                    FrameSource::Value(value) => Some(value),
                };
            }
        }
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
