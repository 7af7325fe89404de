//! Reading captured traffic: the input formats, detected per input.
//!
//! * One raw OCPP-J frame per line (`[2,"1","Heartbeat",{}]`); the direction is unknown.
//! * Open OCPP Trace v1.x JSON Lines: one object per line with `schemaVersion`, `timestamp`,
//!   `ocppVersion`, `chargePointId`, `direction` (`cp-to-csms` / `csms-to-cp`), `messageType`
//!   (`CALL`, `CALLRESULT`, `CALLERROR`), `messageId`, `action`, `payload`, `error` and `raw`
//!   (the frame as sent, preferred when present). Unknown members are ignored.
//!
//! Blank lines are not records. Lines are read with a length limit, so one huge line costs at
//! most that much memory and is reported, not loaded.

mod lines;
mod open_trace;

use ocpp_types::primitives::DateTime;
use ocpp_types::OcppVersion;
use serde_json::Value;

use crate::session::Origin;

pub use lines::{Line, LineReader, DEFAULT_MAX_LINE};

/// The format of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One raw OCPP-J frame per line.
    RawFrames,
    /// Open OCPP Trace v1.x JSON Lines.
    OpenOcppTrace,
}

impl Format {
    /// Decides from the first record: a JSON object is an Open OCPP Trace record, anything
    /// else is taken as a raw frame.
    pub fn detect(first_record: &str) -> Self {
        if first_record.trim_start().starts_with('{') {
            Self::OpenOcppTrace
        } else {
            Self::RawFrames
        }
    }
}

/// One record of an input, read into a frame; its text may be borrowed from the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'a> {
    /// 0-based index among the input's records.
    pub index: usize,
    /// 1-based line number.
    pub line: usize,
    /// The version the record names, if it names one.
    pub version: Option<OcppVersion>,
    /// Who sent it, if known.
    pub origin: Option<Origin>,
    /// The charge point, if known.
    pub charge_point: Option<String>,
    /// When the record was captured, if the input says (RFC 3339).
    pub timestamp: Option<DateTime>,
    /// The frame, or why the record holds none.
    pub frame: Result<FrameSource<'a>, RecordIssue>,
}

/// A record's frame: as text (checked on the fast path) or already parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameSource<'a> {
    /// The frame as sent.
    Text(std::borrow::Cow<'a, str>),
    /// A frame built from a record's members.
    Value(Value),
}

impl Record<'_> {
    /// The record with its text copied, to keep it past the reader's next line.
    pub fn into_owned(self) -> Record<'static> {
        Record {
            index: self.index,
            line: self.line,
            version: self.version,
            origin: self.origin,
            charge_point: self.charge_point,
            timestamp: self.timestamp,
            frame: self.frame.map(|source| match source {
                FrameSource::Text(text) => {
                    FrameSource::Text(std::borrow::Cow::Owned(text.into_owned()))
                }
                FrameSource::Value(value) => FrameSource::Value(value),
            }),
        }
    }

    /// Where the record is.
    pub fn at(&self) -> crate::Position {
        crate::Position {
            record: self.index,
            line: self.line,
        }
    }
}

/// A record that could not be read into a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordIssue {
    /// Stable rule id.
    pub rule: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Reads an input record by record, its format told by the first line that could be read (an
/// unreadable line reads the same, as its issue, in either format).
pub struct RecordReader<R> {
    lines: LineReader<R>,
    format: Option<Format>,
    index: usize,
}

impl<R: std::io::Read> RecordReader<R> {
    /// Reads `input` with lines of at most `max_line` bytes.
    pub fn new(input: R, max_line: usize) -> Self {
        Self {
            lines: LineReader::new(input, max_line),
            format: None,
            index: 0,
        }
    }

    /// The next record, borrowing its text from the reader; `None` at the end.
    pub fn next_record(&mut self) -> std::io::Result<Option<Record<'_>>> {
        let Some(line) = self.lines.next_line()? else {
            return Ok(None);
        };
        if self.format.is_none() {
            self.format = line.text.map(Format::detect);
        }
        let record = read_record(self.format.unwrap_or(Format::RawFrames), self.index, line);
        self.index += 1;
        Ok(Some(record))
    }
}

/// Reads one line of the given format into a record.
pub fn read_record(format: Format, index: usize, line: Line<'_>) -> Record<'_> {
    let frame = match line.text {
        Some(text) => Ok(FrameSource::Text(std::borrow::Cow::Borrowed(text))),
        None if line.invalid_utf8 => Err(RecordIssue {
            rule: "record-not-utf8",
            message: "line is not UTF-8 text".to_owned(),
        }),
        None => Err(RecordIssue {
            rule: "record-too-long",
            message: format!(
                "line longer than the limit of {} bytes; not read",
                line.limit
            ),
        }),
    };
    let record = Record {
        index,
        line: line.number,
        version: None,
        origin: None,
        charge_point: None,
        timestamp: None,
        frame,
    };
    match (format, line.text) {
        (Format::OpenOcppTrace, Some(text)) => open_trace::read(record, text),
        _ => record,
    }
}

/// Reads a version as records and users write it: `1.6`, `ocpp1.6`, `2.0.1`, `ocpp2.0.1`.
pub fn parse_version(text: &str) -> Option<OcppVersion> {
    match text.trim().to_ascii_lowercase().trim_start_matches("ocpp") {
        "1.6" | "1.6j" | "1.6-j" => Some(OcppVersion::V16),
        "2.0.1" | "201" => Some(OcppVersion::V201),
        _ => None,
    }
}
