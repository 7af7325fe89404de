//! `ocpp-validate check`: reads an input record by record, checks every frame, pairs
//! responses with calls per charge point, and hands each finding to a sink as it is found,
//! so memory does not grow with the size of the input.

use std::collections::HashMap;
use std::io::{self, BufRead};

use ocpp_types::OcppVersion;
use serde::Serialize;
use serde_json::Value;

use crate::finding::{Category, Finding, Position, Severity};
use crate::payload::{validate_payload, PayloadKind};
use crate::semantic::{self, Tracker};
use crate::session::{Origin, Session};
use crate::tolerant::{self, Layer, Policy, Verdict};
use crate::trace::{FrameSource, Record, RecordReader};

/// How to check.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// The version of records that do not name theirs; `None` guesses it from the input.
    pub version: Option<OcppVersion>,
    /// The longest line read, in bytes.
    pub max_line: usize,
    /// The semantic rules' settings; `None` turns them off.
    pub semantic: Option<semantic::Config>,
    /// Decode tolerantly under this policy (`--tolerant`); `None` checks strictly.
    pub tolerant: Option<Policy>,
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

/// Checks one input, giving each finding to `sink` in the order found.
pub fn check_reader<R: BufRead>(
    input: R,
    options: CheckOptions,
    sink: &mut dyn FnMut(Finding),
) -> io::Result<Summary> {
    let mut state = State {
        options,
        guessed: None,
        waiting: Vec::new(),
        unnamed: Session::new(),
        sessions: HashMap::new(),
        semantic: options.semantic.map(Tracker::new),
        summary: Summary::default(),
    };
    let mut reader = RecordReader::new(input, options.max_line);
    while let Some(record) = reader.next_record()? {
        state.summary.records += 1;
        state.accept(record, sink);
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
    /// The semantic rules, when on.
    semantic: Option<Tracker>,
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
                let semantic = self.semantic.as_mut().map(|tracker| {
                    let cp = record.charge_point.as_deref();
                    let time = record.timestamp.as_ref();
                    tracker.observe(at, cp, time, record.origin, version, &source)
                });
                let session = match record.charge_point {
                    Some(id) => self.sessions.entry(id).or_default(),
                    None => &mut self.unnamed,
                };
                let tolerated = self.options.tolerant.and_then(|policy| {
                    tolerant_check(session, &policy, at, version, record.origin, &source)
                });
                let mut findings = match (tolerated, source) {
                    (Some(findings), _) => findings,
                    (None, FrameSource::Text(text)) => {
                        session.check_text(at, version, record.origin, &text)
                    }
                    (None, FrameSource::Value(value)) => {
                        session.check_value(at, version, record.origin, value)
                    }
                };
                if session.open_calls() > MAX_OPEN_CALLS {
                    findings.extend(session.evict_oldest());
                }
                findings.extend(semantic.into_iter().flatten());
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
            .chain(
                self.semantic
                    .as_mut()
                    .map(Tracker::finish)
                    .into_iter()
                    .flatten(),
            )
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

/// The findings of a record that deviates from the schema in ways the tolerant rules know,
/// or `None` when it does not (then the strict checks run as usual). A frame the rules
/// repaired is checked and paired in its repaired form; one they could not repair (or were
/// told to refuse) is checked as received. Each deviation is a finding of its own.
fn tolerant_check(
    session: &mut Session,
    policy: &Policy,
    at: Position,
    version: OcppVersion,
    origin: Option<Origin>,
    source: &FrameSource<'_>,
) -> Option<Vec<Finding>> {
    let text = match source {
        FrameSource::Text(text) => std::borrow::Cow::Borrowed(&**text),
        FrameSource::Value(value) => std::borrow::Cow::Owned(value.to_string()),
    };
    let decoded = tolerant::decode_frame(version, &text, policy, &|id| {
        session.action_of(id, origin).map(str::to_owned)
    });
    if !decoded.changed && decoded.deviations.is_empty() {
        return None;
    }
    let denied = decoded
        .deviations
        .iter()
        .any(|d| d.verdict == Verdict::Deny);
    let mut findings = match &decoded.frame {
        Ok(frame) if !denied => {
            let repaired = match frame {
                crate::AnyFrame::V16(frame) => frame.to_value(),
                crate::AnyFrame::V201(frame) => frame.to_value(),
            };
            let mut findings = session.check_value(at, version, origin, repaired);
            // Values kept verbatim were reported as deviations already.
            findings
                .retain(|f| !(f.category == Category::Schema && decoded.kept.contains(&f.pointer)));
            findings
        }
        _ => match source {
            FrameSource::Text(text) => session.check_text(at, version, origin, text),
            FrameSource::Value(value) => session.check_value(at, version, origin, value.clone()),
        },
    };
    findings.extend(decoded.deviations.into_iter().map(|deviation| {
        let rule = deviation.rule.rule();
        let after = match (&deviation.normalized, deviation.verdict) {
            (_, Verdict::Deny) => "refused by the policy".to_owned(),
            (Some(after), _) => after.to_string(),
            (None, _) => "(absent)".to_owned(),
        };
        let (pointer, place) = match rule.layer {
            Layer::Frame => (String::new(), format!(" (frame {})", deviation.pointer)),
            Layer::Payload => (deviation.pointer, String::new()),
        };
        Finding {
            at,
            rule: rule.id,
            severity: match deviation.verdict {
                Verdict::Deny => Severity::Error,
                _ => Severity::Warning,
            },
            category: Category::Tolerant,
            pointer,
            message: format!("{}{place}: {} → {after}", rule.forgives, deviation.original),
            value: Some(deviation.original),
            error_code: None,
        }
    }));
    Some(findings)
}
