//! `ocpp-validate check`: reads an input record by record, checks every frame, pairs
//! responses with calls per charge point, and hands each finding to a sink as it is found,
//! so memory does not grow with the size of the input.

use std::collections::HashMap;
use std::io::{self, BufRead};

use ocpp_types::OcppVersion;
use serde::Serialize;
use serde_json::Value;

use crate::finding::{Category, Finding, Severity};
use crate::payload::{validate_payload, PayloadKind};
use crate::session::Session;
use crate::trace::{
    decompressed, Columns, Decoder, Format, FrameSource, LineReader, Record, DEFAULT_MAX_LINE,
};

/// How to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The version of records that do not name theirs; `None` guesses it from the input.
    pub version: Option<OcppVersion>,
    /// The longest line read, in bytes.
    pub max_line: usize,
    /// The input format; `None` detects it from the first line.
    pub input: Option<Format>,
    /// The column names of data-lake exports.
    pub columns: Columns,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            version: None,
            max_line: DEFAULT_MAX_LINE,
            input: None,
            columns: Columns::default(),
        }
    }
}

/// Counts over one or more inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Records read.
    pub records: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
}

impl Summary {
    /// Adds another input's counts.
    pub fn add(&mut self, other: Summary) {
        self.records += other.records;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    fn count(&mut self, finding: &Finding) {
        match finding.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }
}

/// How many records may wait while the version is guessed.
const GUESS_WINDOW: usize = 256;
/// How many calls one charge point may have open before the oldest are reported unanswered.
const MAX_OPEN_CALLS: usize = 65_536;

/// Checks one input (decompressed if gzip), giving each finding to `sink` in the order found.
pub fn check_reader<R: BufRead>(
    input: R,
    options: CheckOptions,
    sink: &mut dyn FnMut(Finding),
) -> io::Result<Summary> {
    let mut reader = LineReader::new(decompressed(input)?, options.max_line);
    let mut decoder = Decoder::new(options.input, options.columns.clone());
    let mut state = State {
        options,
        guessed: None,
        waiting: Vec::new(),
        unnamed: Session::new(),
        sessions: HashMap::new(),
        summary: Summary::default(),
    };
    while let Some(line) = reader.next_line()? {
        if let Some(record) = decoder.decode(line) {
            state.summary.records += 1;
            state.accept(record, sink);
        }
    }
    state.finish(sink);
    Ok(state.summary)
}

struct State {
    options: CheckOptions,
    guessed: Option<OcppVersion>,
    waiting: Vec<Record<'static>>,
    /// The connection of records that name no charge point (all raw frames).
    unnamed: Session,
    /// One connection per named charge point.
    sessions: HashMap<String, Session>,
    summary: Summary,
}

impl State {
    fn accept(&mut self, record: Record<'_>, sink: &mut dyn FnMut(Finding)) {
        let known = self.options.version.is_some() || self.guessed.is_some();
        if known || (self.waiting.is_empty() && record.version.is_some()) {
            return self.check(record, sink);
        }
        // Records wait, in order, until the version of those that do not name one is known:
        // from a record that names it, or from a CALL valid in only one version.
        self.guessed = record.version.or_else(|| match &record.frame {
            Ok(source) => guess_version(source),
            Err(_) => None,
        });
        self.waiting.push(record.into_owned());
        if self.guessed.is_some() || self.waiting.len() >= GUESS_WINDOW {
            self.flush(sink);
        }
    }

    /// Checks the records that waited for the version, assuming 1.6 if none could be told.
    fn flush(&mut self, sink: &mut dyn FnMut(Finding)) {
        if self.guessed.is_none() {
            self.guessed = Some(OcppVersion::V16);
            let readable = self
                .waiting
                .iter()
                .filter(|r| r.frame.is_ok() && r.version.is_none());
            if let Some(first) = readable.clone().next() {
                let finding = Finding {
                    at: first.at(),
                    rule: "version-assumed",
                    severity: Severity::Warning,
                    category: Category::Framing,
                    pointer: String::new(),
                    message: format!(
                        "the first {} records do not tell the OCPP version; assuming 1.6 (pass --ocpp)",
                        readable.count()
                    ),
                    value: None,
                    error_code: None,
                };
                self.emit(finding, sink);
            }
        }
        for record in std::mem::take(&mut self.waiting) {
            self.check(record, sink);
        }
    }

    fn check(&mut self, record: Record<'_>, sink: &mut dyn FnMut(Finding)) {
        let version = record
            .version
            .or(self.options.version)
            .or(self.guessed)
            .unwrap_or(OcppVersion::V16);
        let at = record.at();
        for note in record.notes {
            let finding = Finding {
                at,
                rule: note.rule,
                severity: Severity::Info,
                category: Category::Framing,
                pointer: String::new(),
                message: note.message,
                value: None,
                error_code: None,
            };
            self.emit(finding, sink);
        }
        let findings = match record.frame {
            Err(issue) => vec![Finding {
                at,
                rule: issue.rule,
                severity: Severity::Error,
                category: Category::Framing,
                pointer: String::new(),
                message: issue.message,
                value: None,
                error_code: None,
            }],
            Ok(source) => {
                let session = match record.charge_point {
                    Some(id) => self.sessions.entry(id).or_default(),
                    None => &mut self.unnamed,
                };
                let mut findings = match source {
                    FrameSource::Text(text) => {
                        session.check_text(at, version, record.origin, &text)
                    }
                    FrameSource::Value(value) => {
                        session.check_value(at, version, record.origin, value)
                    }
                };
                if session.open_calls() > MAX_OPEN_CALLS {
                    findings.extend(session.evict_oldest());
                }
                findings
            }
        };
        for finding in findings {
            self.emit(finding, sink);
        }
    }

    fn finish(&mut self, sink: &mut dyn FnMut(Finding)) {
        if !self.waiting.is_empty() {
            self.flush(sink);
        }
        let mut unanswered: Vec<Finding> = self
            .sessions
            .values_mut()
            .chain(std::iter::once(&mut self.unnamed))
            .flat_map(Session::finish)
            .collect();
        unanswered.sort_by_key(|f| f.at.record);
        for finding in unanswered {
            self.emit(finding, sink);
        }
    }

    fn emit(&mut self, finding: Finding, sink: &mut dyn FnMut(Finding)) {
        self.summary.count(&finding);
        sink(finding);
    }
}

/// The version a frame can only belong to: a CALL whose payload is valid in exactly one
/// version (a 1.6 BootNotification has `chargePointVendor`, a 2.0.1 one `chargingStation`).
fn guess_version(source: &FrameSource<'_>) -> Option<OcppVersion> {
    let parsed;
    let frame = match source {
        FrameSource::Value(value) => value,
        FrameSource::Text(text) => {
            parsed = serde_json::from_str::<Value>(text).ok()?;
            &parsed
        }
    };
    if frame.get(0).and_then(Value::as_u64) != Some(2) {
        return None;
    }
    let action = frame.get(2)?.as_str()?;
    let payload = frame.get(3)?;
    let valid = |version| {
        validate_payload(version, action, PayloadKind::Request, payload)
            .is_ok_and(|violations| violations.is_empty())
    };
    match (valid(OcppVersion::V16), valid(OcppVersion::V201)) {
        (true, false) => Some(OcppVersion::V16),
        (false, true) => Some(OcppVersion::V201),
        _ => None,
    }
}
