//! The version step of the pipeline: each record's OCPP version is its own, the one given,
//! or one guessed from the first records, which wait in order until it is known.

use ocpp_model::{OcppVersion, PayloadKind};
use serde_json::Value;

use crate::finding::{Category, Finding, Severity};
use crate::payload::validate_payload;
use crate::trace::{FrameSource, LaterLine, Record};

/// How many records may wait while the version is guessed.
const GUESS_WINDOW: usize = 256;
/// How many bytes of input lines may wait while the version is guessed (a single longer
/// line still waits alone).
pub(super) const MAX_WAITING_BYTES: usize = 64 * 1024 * 1024;

/// What the version step hands on, in input order.
pub(super) enum Step<'a> {
    /// A record with the version it is checked against and the length of its line.
    Record(Record<'a>, OcppVersion, usize),
    /// A log line read as far as routing needs, with the version it is checked against.
    Later(LaterLine<'a>, OcppVersion),
    /// A finding about the input as a whole, reported at this point of the order.
    Finding(Finding),
}

/// Settles each record's version: the record's own, the one given, or one guessed from the
/// first records (which wait, in order, until it is known).
pub(super) struct Versions {
    given: Option<OcppVersion>,
    guessed: Option<OcppVersion>,
    /// The records waiting, with the lengths of their lines.
    waiting: Vec<(Record<'static>, usize)>,
    /// The length of the lines waiting.
    waiting_bytes: usize,
}

impl Versions {
    pub(super) fn new(given: Option<OcppVersion>) -> Self {
        Self {
            given,
            guessed: None,
            waiting: Vec::new(),
            waiting_bytes: 0,
        }
    }

    /// Takes a record whose line was `bytes` long.
    pub(super) fn accept(
        &mut self,
        record: Record<'_>,
        bytes: usize,
        step: &mut impl FnMut(Step<'_>),
    ) {
        let known = self.given.is_some() || self.guessed.is_some();
        if known || (self.waiting.is_empty() && record.version.is_some()) {
            let version = self.version_of(&record);
            return step(Step::Record(record, version, bytes));
        }
        if !self.waiting.is_empty() && self.waiting_bytes + bytes > MAX_WAITING_BYTES {
            // As many bytes waited as may: the records waiting go on as if the window of
            // records were full, and this one after them.
            self.flush(step);
            let version = self.version_of(&record);
            return step(Step::Record(record, version, bytes));
        }
        // Records wait, in order, until the version of those that do not name one is known:
        // from a record that names it, or from a CALL valid in only one version.
        self.guessed = record.version.or_else(|| match &record.frame {
            Ok(source) => guess_version(source),
            Err(_) => None,
        });
        self.waiting.push((record.into_owned(), bytes));
        self.waiting_bytes += bytes;
        crate::probes::held(self.waiting_bytes);
        if self.guessed.is_some() || self.waiting.len() >= GUESS_WINDOW {
            self.flush(step);
        }
    }

    /// The version of records that name none, once nothing waits for it.
    pub(super) fn settled(&self) -> Option<OcppVersion> {
        if self.waiting.is_empty() {
            self.given.or(self.guessed)
        } else {
            None
        }
    }

    fn version_of(&self, record: &Record<'_>) -> OcppVersion {
        record
            .version
            .or(self.given)
            .or(self.guessed)
            .unwrap_or(OcppVersion::V16)
    }

    /// Hands on the records that waited for the version, assuming 1.6 if none could be told.
    fn flush(&mut self, step: &mut impl FnMut(Step<'_>)) {
        if self.guessed.is_none() {
            self.guessed = Some(OcppVersion::V16);
            let readable = self
                .waiting
                .iter()
                .map(|(record, _)| record)
                .filter(|r| r.frame.is_ok() && r.version.is_none());
            if let Some(first) = readable.clone().next() {
                step(Step::Finding(Finding {
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
                }));
            }
        }
        self.waiting_bytes = 0;
        for (record, bytes) in std::mem::take(&mut self.waiting) {
            let version = self.version_of(&record);
            step(Step::Record(record, version, bytes));
        }
    }

    pub(super) fn finish(&mut self, step: &mut impl FnMut(Step<'_>)) {
        if !self.waiting.is_empty() {
            self.flush(step);
        }
    }
}

/// The version a frame can only belong to: a CALL whose payload is valid in exactly one
/// version (a 1.6 BootNotification has `chargePointVendor`, a 2.0.1 one `chargingStation`),
/// or in 2.0.1 and 2.1 alone, taken as 2.0.1.
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
    let valid_in: Vec<OcppVersion> = OcppVersion::ALL
        .iter()
        .copied()
        .filter(|&version| valid(version))
        .collect();
    match valid_in.as_slice() {
        [version] => Some(*version),
        // OCPP 2.1 accepts most 2.0.1 requests: such a record is taken as 2.0.1, and a 2.1
        // trace is told by its subprotocol, its records' `ocppVersion`, `--ocpp 2.1`, or a
        // request that 2.1 alone accepts.
        [OcppVersion::V201, OcppVersion::V21] => Some(OcppVersion::V201),
        _ => None,
    }
}
