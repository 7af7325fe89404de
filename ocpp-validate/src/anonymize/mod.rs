//! `ocpp-validate anonymize`: traces made shareable. Every personal or secret value — id
//! tags and tokens, string transaction ids, serial numbers, ICCID and IMSI, charge point
//! identities (in records, lake columns and log prefixes), what identifies a customer,
//! passwords and keys (`AuthorizationKey`, `BasicAuthPassword`, APN and VPN credentials),
//! credentials and query values in URLs — is replaced by a deterministic, salted pseudonym of
//! the same shape (see `pseudonym.rs`), certificates and signing requests by a marker; free
//! text (`info`, `vendorErrorCode`, DataTransfer `data`, …) on request. Which members these
//! are is in `fields.rs`.
//!
//! The output has the input's format, line for line: raw frames, Open OCPP Trace, log lines
//! (prefix and suffix kept, the identity in the prefix replaced), data-lake JSON Lines and
//! CSV (header kept); blank lines go. Lines are re-serialized (member order and numbers as they were; the
//! spacing compact). A line that cannot be read — not UTF-8, longer than the line limit, or
//! not parseable in its format — could hold anything and is left out, counted.

#[cfg(feature = "parquet")]
mod dataset;
mod fields;
#[cfg(feature = "parquet")]
mod parquet;
mod pseudonym;
mod url;

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

use serde_json::{Map, Value};

use crate::trace::{self, Columns, InputFormat, LineReader};
use fields::{Kind, Replacer};
use pseudonym::Pseudonyms;

/// What anonymizing one input did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// Lines written.
    pub written: usize,
    /// Lines left out because they could not be read.
    pub left_out: usize,
}

/// Replaces personal and secret values; the same salt gives the same pseudonyms.
#[derive(Debug)]
pub struct Anonymizer {
    replacer: Replacer,
    columns: Columns,
    max_line: usize,
}

/// `--keep` or `--drop` named a member the anonymizer cannot keep: one that is not replaced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a member anonymize replaces; it replaces {known}", known = known())]
pub struct UnknownMember(String);

fn known() -> String {
    fields::known_members().collect::<Vec<_>>().join(", ")
}

impl Anonymizer {
    /// An anonymizer drawing its pseudonyms from `salt`.
    pub fn new(salt: &[u8]) -> Self {
        Self {
            replacer: Replacer {
                pseudonyms: Pseudonyms::new(salt),
                keep: Default::default(),
                drop: Default::default(),
                counts: BTreeMap::new(),
            },
            columns: Columns::default(),
            max_line: trace::DEFAULT_MAX_LINE,
        }
    }

    /// Keeps the values of a member that would be replaced (`--keep`), by name.
    pub fn keeping(mut self, member: &str) -> Result<Self, UnknownMember> {
        if fields::kind_of(member).is_none() {
            return Err(UnknownMember(member.to_owned()));
        }
        self.replacer.keep.insert(fields::normalized(member));
        Ok(self)
    }

    /// Replaces the values of a member that is kept by default (`--drop`): free text, or any
    /// other member by name (its strings, wherever it is).
    pub fn dropping(mut self, member: &str) -> Self {
        self.replacer.drop.insert(fields::normalized(member));
        self
    }

    /// Reads data-lake rows with these column names.
    pub fn with_columns(self, columns: Columns) -> Self {
        Self { columns, ..self }
    }

    /// Reads lines of at most `max_line` bytes.
    pub fn with_max_line(self, max_line: usize) -> Self {
        Self { max_line, ..self }
    }

    /// Values replaced so far, by member name (the record member or lake column for
    /// identities), never the values themselves.
    pub fn replaced(&self) -> &BTreeMap<String, usize> {
        &self.replacer.counts
    }

    /// Anonymizes one input of `format` (`None` detects it from the first line) into `out`,
    /// line by line.
    pub fn anonymize<R: BufRead, W: Write>(
        &mut self,
        input: R,
        format: Option<InputFormat>,
        out: &mut W,
    ) -> io::Result<Outcome> {
        let mut lines = LineReader::new(trace::decompressed(input)?, self.max_line);
        let mut input = Input { format, csv: None };
        let mut outcome = Outcome::default();
        while let Some(line) = lines.next_line()? {
            let Some(text) = line.text else {
                outcome.left_out += 1;
                continue;
            };
            let format = *input
                .format
                .get_or_insert_with(|| InputFormat::detect(text, &self.columns));
            let written = match format {
                InputFormat::RawFrames => self.frame_text(text),
                InputFormat::OpenOcppTrace => self.open_trace(text),
                InputFormat::Log => self.log(text),
                InputFormat::LakeJsonl => self.lake_row(text),
                InputFormat::Csv => self.csv(&mut input, text),
            };
            match written {
                Some(text) => {
                    out.write_all(text.as_bytes())?;
                    out.write_all(b"\n")?;
                    outcome.written += 1;
                }
                None => outcome.left_out += 1,
            }
        }
        out.flush()?;
        Ok(outcome)
    }

    fn identity(&mut self, member: &str, value: &str) -> String {
        self.replacer.replace(member, Kind::Identity, value)
    }

    /// A frame's payload (or a CALLERROR's details) anonymized.
    fn frame(&mut self, frame: &mut Value) {
        let payload = match frame.get(0).and_then(Value::as_u64) {
            Some(2 | 6) => 3,
            Some(3) => 2,
            Some(4 | 5) => 4,
            _ => return,
        };
        if let Some(payload) = frame.get_mut(payload) {
            self.replacer.payload(payload);
        }
    }

    fn frame_text(&mut self, text: &str) -> Option<String> {
        let mut frame: Value = serde_json::from_str(text).ok()?;
        self.frame(&mut frame);
        Some(frame.to_string())
    }

    fn open_trace(&mut self, text: &str) -> Option<String> {
        let mut record: Map<String, Value> = serde_json::from_str(text).ok()?;
        if let Some(Value::String(id)) = record.get_mut("chargePointId") {
            *id = self.identity("chargePointId", id);
        }
        if let Some(payload) = record.get_mut("payload") {
            self.replacer.payload(payload);
        }
        if let Some(details) = record
            .get_mut("error")
            .and_then(|e| e.get_mut("errorDetails"))
        {
            self.replacer.payload(details);
        }
        if let Some(Value::String(raw)) = record.get_mut("raw") {
            *raw = self.frame_text(raw)?;
        }
        Some(Value::Object(record).to_string())
    }

    /// A log line: the identity its prefix names replaced wherever the prefix has it, its
    /// frame anonymized; a line without a frame keeps its text but for the identity.
    fn log(&mut self, text: &str) -> Option<String> {
        let start = trace::log_frame_start(text);
        let (prefix, rest) = text.split_at(start.unwrap_or(text.len()));
        let prefix = match trace::log_charge_point(prefix) {
            Some(id) => prefix.replace(id, &self.identity("identity", id)),
            None => prefix.to_owned(),
        };
        let Some(start) = start else {
            return Some(prefix);
        };
        let end = trace::log_frame_end(text, start);
        let (frame, suffix) = rest.split_at(end - start);
        Some(format!("{prefix}{}{suffix}", self.frame_text(frame)?))
    }

    fn lake_row(&mut self, text: &str) -> Option<String> {
        let mut row: Map<String, Value> = serde_json::from_str(text).ok()?;
        let (identity, body) = (
            self.columns.charge_point_id.clone(),
            self.columns.body.clone(),
        );
        if let Some(Value::String(id)) = row.get_mut(&identity) {
            *id = self.identity(&identity, id);
        }
        match row.get_mut(&body) {
            Some(Value::String(text)) => *text = self.body_text(text),
            Some(payload) => self.replacer.payload(payload),
            None => {}
        }
        Some(Value::Object(row).to_string())
    }

    /// A lake body given as text: JSON, anonymized and written back as text; a body that is
    /// not JSON (which `check` reports) is replaced by a pseudonym of its shape, so it stays
    /// what it was without telling what it said.
    fn body_text(&mut self, text: &str) -> String {
        match serde_json::from_str::<Value>(text) {
            Ok(mut payload) => {
                self.replacer.payload(&mut payload);
                payload.to_string()
            }
            Err(_) => self
                .replacer
                .replace(&self.columns.body.clone(), Kind::FreeText, text),
        }
    }

    fn csv(&mut self, input: &mut Input, text: &str) -> Option<String> {
        let mut cells = trace::split_csv(text).ok()?;
        let Some((identity, body)) = input.csv else {
            let position = |name: &str| cells.iter().position(|cell| cell.trim() == name);
            input.csv = Some((
                position(&self.columns.charge_point_id),
                position(&self.columns.body),
            ));
            return Some(text.to_owned());
        };
        if let Some(cell) = identity.and_then(|i| cells.get_mut(i)) {
            let column = self.columns.charge_point_id.clone();
            *cell = self.identity(&column, cell);
        }
        if let Some(cell) = body.and_then(|i| cells.get_mut(i)) {
            if !cell.is_empty() {
                *cell = self.body_text(cell);
            }
        }
        Some(
            cells
                .iter()
                .map(|cell| csv_cell(cell))
                .collect::<Vec<_>>()
                .join(","),
        )
    }
}

/// What is known of the input being read.
struct Input {
    format: Option<InputFormat>,
    /// A CSV input's charge point and body columns, once its header is read.
    csv: Option<(Option<usize>, Option<usize>)>,
}

/// A CSV field, quoted when it must be.
fn csv_cell(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}
