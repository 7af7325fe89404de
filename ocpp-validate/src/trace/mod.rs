//! Reading captured traffic: the input formats, detected per input.
//!
//! * One raw OCPP-J frame per line (`[2,"1","Heartbeat",{}]`); the direction is unknown.
//! * Open OCPP Trace v1.x JSON Lines: one object per line with `schemaVersion`, `timestamp`,
//!   `ocppVersion`, `chargePointId`, `direction` (`cp-to-csms` / `csms-to-cp`), `messageType`
//!   (`CALL`, `CALLRESULT`, `CALLERROR`), `messageId`, `action`, `payload`, `error` and `raw`
//!   (the frame as sent, preferred when present). Unknown members are ignored.
//!
//! * Log lines holding a frame after a prefix (see [`log`](self#log-lines)); lines without
//!   a frame are not records.
//! * Data-lake rows as JSON Lines or CSV, with configurable column names ([`Columns`]).
//!
//! Gzip inputs are decompressed transparently ([`decompressed`]). Blank lines are not records. Lines are read with a length limit, so one huge line costs at
//! most that much memory and is reported, not loaded.

#[cfg(feature = "parquet")]
pub mod arrow;
mod compression;
mod lake;
mod lines;
mod log;
mod open_trace;
#[cfg(feature = "parquet")]
pub mod parquet;
mod writer;

use std::borrow::Cow;
use std::collections::HashMap;

use ocpp_model::primitives::DateTime;
use ocpp_model::OcppVersion;
use serde_json::{Map, Value};

use ocpp_model::Sender;

pub use compression::decompressed;
pub(crate) use lake::split_csv;
pub use lake::{Columns, ColumnsError};
pub use lines::{Line, LineReader, DEFAULT_MAX_LINE};
pub(crate) use log::{
    charge_point as log_charge_point, frame_end as log_frame_end, frame_start as log_frame_start,
};
pub use writer::{Capture, OpenTraceWriter, WriteError, OPEN_TRACE_VERSION};

/// Whether `path` names a Parquet input: a `.parquet` file, or a directory that is a Delta
/// table (it holds `_delta_log/`) or holds a `.parquet` file (a dataset, Hive partitions
/// included) where the Parquet reader looks: names starting with `.` or `_` skipped,
/// symbolic links to directories not followed, at most 32 levels deep; see
/// `parquet::ParquetRows` (the `parquet` feature). Any other directory is not a Parquet input.
pub fn is_parquet(path: &std::path::Path) -> bool {
    if path.is_dir() {
        path.join("_delta_log").is_dir() || holds_parquet(path, 0)
    } else {
        path.extension().is_some_and(|e| e == "parquet")
    }
}

/// How deep the Parquet reader, and [`is_parquet`], look into a directory.
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub(crate) const MAX_DATASET_DEPTH: usize = 32;

/// Whether a `.parquet` file lies under `dir` (unreadable directories hold none).
fn holds_parquet(dir: &std::path::Path, depth: usize) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    depth <= MAX_DATASET_DEPTH
        && entries.flatten().any(|entry| {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with(['.', '_']) {
                return false;
            }
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => holds_parquet(&path, depth + 1),
                Ok(_) => path.extension().is_some_and(|e| e == "parquet"),
                Err(_) => false,
            }
        })
}

/// The format of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputFormat {
    /// One raw OCPP-J frame per line.
    RawFrames,
    /// Open OCPP Trace v1.x JSON Lines.
    OpenOcppTrace,
    /// Log lines with a frame after a prefix.
    Log,
    /// Data-lake rows as JSON Lines.
    LakeJsonl,
    /// Data-lake rows as CSV with a header line.
    Csv,
}

impl InputFormat {
    /// Decides from the first line: a JSON object with the lake columns is a lake row, any
    /// other object an Open OCPP Trace record; a line starting with `[` a raw frame; a CSV
    /// header with the lake columns a CSV export; text holding a frame or words a log.
    pub fn detect(first_line: &str, columns: &Columns) -> Self {
        let text = first_line.trim_start();
        if text.starts_with('{') {
            match serde_json::from_str::<Map<String, Value>>(text) {
                // Open OCPP Trace records name their schema and message type.
                Ok(row) if row.contains_key("schemaVersion") || row.contains_key("messageType") => {
                    Self::OpenOcppTrace
                }
                Ok(row) if columns.fit(row.keys().map(String::as_str)) => Self::LakeJsonl,
                _ => Self::OpenOcppTrace,
            }
        } else if text.starts_with('[') {
            Self::RawFrames
        } else if lake::csv_header(text)
            .is_some_and(|header| columns.fit(header.keys().map(String::as_str)))
        {
            Self::Csv
        } else if log::frame_start(text).is_some() || text.contains(char::is_whitespace) {
            Self::Log
        } else {
            Self::RawFrames
        }
    }
}

/// Turns an input's lines into records: detects the format (unless given), keeps a CSV
/// header, and numbers the records.
#[derive(Debug, Clone)]
pub struct Decoder {
    format: Option<InputFormat>,
    columns: Columns,
    csv_header: Option<HashMap<String, usize>>,
    lake: lake::LakeInput,
    next_index: usize,
}

impl Decoder {
    /// A decoder for the given format, or detecting it from the first readable line.
    pub fn new(format: Option<InputFormat>, columns: Columns) -> Self {
        Self {
            format,
            columns,
            csv_header: None,
            lake: lake::LakeInput::default(),
            next_index: 0,
        }
    }

    /// The format, once given or detected.
    pub fn format(&self) -> Option<InputFormat> {
        self.format
    }

    /// The record a line holds, or `None` for a line that is no record (a CSV header, a log
    /// line without a frame).
    pub fn decode<'a>(&mut self, line: Line<'a>) -> Option<Record<'a>> {
        // An unreadable line reads the same (as its issue) in every format, so the format is
        // told by the first line that could be read.
        if self.format.is_none() {
            self.format = line
                .text
                .map(|text| InputFormat::detect(text, &self.columns));
        }
        let format = self.format.unwrap_or(InputFormat::RawFrames);
        if let (InputFormat::Csv, None, Some(text)) = (format, &self.csv_header, line.text) {
            self.csv_header = lake::csv_header(text);
            return None;
        }
        let base = self.base(line);
        let record = match (format, line.text) {
            (_, None) | (InputFormat::RawFrames, _) => base,
            (InputFormat::OpenOcppTrace, Some(text)) => open_trace::read(base, text),
            (InputFormat::Log, Some(text)) => log::read(base, text)?,
            (InputFormat::LakeJsonl, Some(text)) => {
                lake::read_jsonl(base, text, &self.columns, &mut self.lake)
            }
            (InputFormat::Csv, Some(text)) => match &self.csv_header {
                Some(header) => lake::read_csv(base, text, header, &self.columns, &mut self.lake),
                None => base,
            },
        };
        self.next_index += 1;
        Some(record)
    }

    /// Reads a log line only as far as numbering and routing it need, leaving the rest to
    /// [`LaterLine::complete`], which may run on another thread; `None` when the line holds
    /// no frame. Gives the line back when the input is not a log that has been detected
    /// already, or the line is unreadable: [`decode`](Self::decode) it instead.
    pub(crate) fn decode_later<'a>(
        &mut self,
        line: Line<'a>,
    ) -> Result<Option<LaterLine<'a>>, Line<'a>> {
        let (Some(InputFormat::Log), Some(text)) = (self.format, line.text) else {
            return Err(line);
        };
        let Some((start, charge_point)) = log::locate(text) else {
            return Ok(None);
        };
        let later = LaterLine {
            index: self.next_index,
            number: line.number,
            text,
            start,
            charge_point,
        };
        self.next_index += 1;
        Ok(Some(later))
    }

    /// A record of the line with nothing read from it yet.
    fn base<'a>(&self, line: Line<'a>) -> Record<'a> {
        let frame = match line.text {
            Some(text) => Ok(FrameSource::Text(Cow::Borrowed(text))),
            None if line.invalid_utf8 => Err(RecordIssue {
                rule: "record-not-utf8",
                message: "line is not UTF-8 text".to_owned(),
            }),
            None => Err(RecordIssue {
                rule: "record-too-long",
                message: format!(
                    "line longer than the limit of {} bytes (--max-line-bytes); not read",
                    line.limit
                ),
            }),
        };
        Record::unread(self.next_index, line.number, frame)
    }
}

/// A log line read only as far as numbering and routing it need: the record's place, the
/// line, where its frame starts and the charge point.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LaterLine<'a> {
    /// 0-based index among the input's records.
    pub(crate) index: usize,
    /// 1-based line number.
    pub(crate) number: usize,
    /// The whole line.
    pub(crate) text: &'a str,
    /// Where the frame starts in `text`.
    pub(crate) start: usize,
    /// The charge point the prefix names.
    pub(crate) charge_point: Option<&'a str>,
}

impl<'a> LaterLine<'a> {
    /// Where the record is.
    pub(crate) fn at(&self) -> crate::Position {
        crate::Position {
            record: self.index,
            line: self.number,
        }
    }

    /// The record, read as [`Decoder::decode`] reads it.
    pub(crate) fn complete(self) -> Record<'a> {
        let frame = Ok(FrameSource::Text(Cow::Borrowed(self.text)));
        let base = Record {
            charge_point: self.charge_point.map(str::to_owned),
            ..Record::unread(self.index, self.number, frame)
        };
        log::complete(base, self.text, self.start)
    }
}

/// One record of an input, read into a frame; its text may be borrowed from the reader.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Record<'a> {
    /// 0-based index among the input's records.
    pub index: usize,
    /// 1-based line number.
    pub line: usize,
    /// The version the record names, if it names one.
    pub version: Option<OcppVersion>,
    /// Who sent it, if known.
    pub origin: Option<Sender>,
    /// The charge point, if known.
    pub charge_point: Option<String>,
    /// When the record was captured, if the input says (RFC 3339).
    pub timestamp: Option<DateTime>,
    /// What the reader did to the record that a user should know (reported as info).
    pub notes: Vec<RecordIssue>,
    /// What an Open OCPP Trace record says besides its frame (`None` for other formats).
    pub open_trace: Option<Box<OpenTraceFields>>,
    /// The frame, or why the record holds none.
    pub frame: Result<FrameSource<'a>, RecordIssue>,
    /// Whether the record's message id pairs responses with calls: false for a data-lake
    /// row that has no message id (its id is made up, see [`Columns`]).
    pub paired: bool,
}

/// The members of an Open OCPP Trace record that are kept besides its frame.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct OpenTraceFields {
    /// The `schemaVersion` the record declares.
    pub schema_version: Option<String>,
    /// The connector the record concerns (`connectorId`).
    pub connector_id: Option<u64>,
    /// The extensions it carries (`meta`).
    pub meta: Option<Map<String, Value>>,
    /// For a record that is not checked (`transport` `soap`), the frame its members describe,
    /// so that the consumer view still lists and pairs it.
    pub unchecked: Option<Value>,
    /// What the record's own members get wrong against the Open OCPP Trace record rules
    /// (`record-timestamp`, `record-direction`, `record-ocpp-version`,
    /// `record-raw-mismatch`), reported as warnings; the frame is still checked.
    pub faults: Vec<RecordIssue>,
}

/// A record's frame: as text (checked on the fast path) or already parsed.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::exhaustive_enums,
    reason = "a frame is either the text sent or a value built from a record"
)]
pub enum FrameSource<'a> {
    /// The frame as sent.
    Text(std::borrow::Cow<'a, str>),
    /// A frame built from a record's members.
    Value(Value),
}

impl<'a> Record<'a> {
    /// A record at `index`, line `line`, with `frame` and nothing else read yet.
    fn unread(index: usize, line: usize, frame: Result<FrameSource<'a>, RecordIssue>) -> Self {
        Record {
            index,
            line,
            version: None,
            origin: None,
            charge_point: None,
            timestamp: None,
            notes: Vec::new(),
            open_trace: None,
            frame,
            paired: true,
        }
    }

    /// The record with its text copied, to keep it past the reader's next line.
    pub fn into_owned(self) -> Record<'static> {
        Record {
            index: self.index,
            line: self.line,
            version: self.version,
            origin: self.origin,
            charge_point: self.charge_point,
            timestamp: self.timestamp,
            notes: self.notes,
            paired: self.paired,
            open_trace: self.open_trace,
            frame: self.frame.map(|source| match source {
                FrameSource::Text(text) => FrameSource::Text(Cow::Owned(text.into_owned())),
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
#[non_exhaustive]
pub struct RecordIssue {
    /// Stable rule id.
    pub rule: &'static str,
    /// What is wrong.
    pub message: String,
}

/// The rule of a record that holds a message this tool cannot check (an OCPP-S SOAP record).
pub const NOT_CHECKABLE: &str = "record-not-checkable";

impl RecordIssue {
    /// How bad the issue is: a record that cannot be checked is a warning (nothing is known
    /// to be wrong with it), any other issue an error.
    pub fn severity(&self) -> crate::Severity {
        if self.rule == NOT_CHECKABLE {
            crate::Severity::Warning
        } else {
            crate::Severity::Error
        }
    }
}

/// The issue of a record whose JSON `text` repeats a member name in one object (the last
/// value would silently win); `what` says what the text is.
fn duplicate_key(text: &str, what: &str) -> Option<RecordIssue> {
    ocpp_model::framing::duplicate_key(text.as_bytes()).map(|duplicate| RecordIssue {
        rule: "frame-duplicate-key",
        message: format!("{duplicate} of the {what}"),
    })
}

/// Reads an input record by record (decompressed, format detected, as `check` does without
/// `--input`).
pub struct RecordReader<'a> {
    lines: LineReader<Box<dyn std::io::BufRead + 'a>>,
    decoder: Decoder,
}

impl<'a> RecordReader<'a> {
    /// Reads `input` with lines of at most `max_line` bytes; fails when a gzip input cannot be
    /// opened.
    pub fn new<R: std::io::BufRead + 'a>(input: R, max_line: usize) -> std::io::Result<Self> {
        Self::with_format(input, max_line, None, Columns::default())
    }

    /// Reads `input` as `new` does, in `format` (detected when `None`) with `columns`.
    pub fn with_format<R: std::io::BufRead + 'a>(
        input: R,
        max_line: usize,
        format: Option<InputFormat>,
        columns: Columns,
    ) -> std::io::Result<Self> {
        Ok(Self {
            lines: LineReader::new(decompressed(input)?, max_line),
            decoder: Decoder::new(format, columns),
        })
    }

    /// The next record (its text copied: these readers are not on the hot path); `None` at
    /// the end. Lines that hold no record (a CSV header, a log line without a frame) are
    /// skipped.
    pub fn next_record(&mut self) -> std::io::Result<Option<Record<'static>>> {
        while let Some(line) = self.lines.next_line()? {
            if let Some(record) = self.decoder.decode(line) {
                return Ok(Some(record.into_owned()));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_line_read_later_reads_as_one_read_at_once() {
        let lines = [
            r#"2024-05-01 10:00:00.120 INFO [cp=CP-1] received: [2,"1","Heartbeat",{}] (12 bytes)"#,
            r#"2024-05-01T10:00:01Z chargeBoxId: CB7 CSMS -> CP [3,"1",{"currentTime":"x"}]"#,
            r#"station=S-9 sent [4,"2","NotImplemented","",{}]"#,
            "server started on port 9000 [main]",
            r#"no charge point [2,"3","Heartbeat",{}"#,
        ];
        let columns = Columns::default();
        let mut at_once = Decoder::new(Some(InputFormat::Log), columns.clone());
        let mut later = Decoder::new(Some(InputFormat::Log), columns);
        for (number, text) in lines.into_iter().enumerate() {
            let line = Line {
                number: number + 1,
                text: Some(text),
                invalid_utf8: false,
                limit: DEFAULT_MAX_LINE,
            };
            let expected = at_once.decode(line);
            let got = later
                .decode_later(line)
                .expect("a readable log line")
                .map(LaterLine::complete);
            assert_eq!(got, expected, "{text}");
        }
        let unreadable = Line {
            number: 9,
            text: None,
            invalid_utf8: true,
            limit: DEFAULT_MAX_LINE,
        };
        assert!(
            later.decode_later(unreadable).is_err(),
            "given back to be decoded"
        );
    }
}
