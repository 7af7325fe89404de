//! What `ocpp-validate report` shows, gathered from the record pipeline in one pass: the
//! summary of each charge point (connector status timelines, sessions with their meter
//! samples and jumps), the messages of each charge point for its sequence diagram, the
//! findings, and the counts per rule. [`crate::render::html`] writes it as one page.
//!
//! Everything is bounded so that the page of a trace of millions of records stays light: the
//! limits are the constants of this module (the message log's among them), each stated in
//! the report where something was left out.

mod log;

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

use serde::Serialize;

use crate::check::{self, run_reader, CheckOptions, Event, FrameRead, Heard, ReadError};
use crate::finding::{cut, Finding, Position, Severity};
use crate::summary::{ChargePoint, Summarizer};
use crate::Pairing;
use ocpp_model::{Initiator, Sender};

pub use log::{Arrow, Message, CONTEXT_MESSAGES, HEAD_MESSAGES};

/// The most messages the report keeps, over every charge point.
pub const MAX_MESSAGES: usize = 50_000;

/// The most findings the report lists (every finding is counted per rule).
pub const MAX_FINDINGS: usize = 10_000;

/// The most characters of a frame shown in the sequence diagram.
pub const MAX_PREVIEW: usize = 160;

/// The most meter samples drawn per session; longer sessions are thinned evenly.
pub const MAX_SESSION_POINTS: usize = 400;

/// The most meter samples drawn over the whole report; sessions past it are listed without
/// their chart.
pub const MAX_SAMPLES: usize = 100_000;

/// The most status reports drawn over the whole report; connectors past it show only their
/// last status.
pub const MAX_STATUS_REPORTS: usize = 100_000;

/// Everything the HTML report shows.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Report {
    /// The inputs' names, in the order read.
    pub inputs: Vec<String>,
    /// Records and findings by severity, over every input.
    pub counts: check::Counts,
    /// Findings per rule, most frequent first.
    pub rules: Vec<RuleCount>,
    /// One entry per charge point, by id (records that name none first).
    pub charge_points: Vec<PointReport>,
    /// The findings listed, in reading order (at most [`MAX_FINDINGS`]).
    pub findings: Vec<ListedFinding>,
    /// Findings counted but not listed.
    pub findings_left_out: usize,
    /// The limits applied.
    pub limits: Limits,
}

/// How often one rule fired.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct RuleCount {
    /// The rule id.
    pub rule: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// How often.
    pub count: usize,
}

/// One finding, with the input and charge point it belongs to.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListedFinding {
    /// The input (an index into the report's inputs).
    pub input: usize,
    /// The charge point of its record, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charge_point: Option<String>,
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
}

/// One charge point: its summary and its messages.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PointReport {
    /// What `ocpp-validate summary` tells of it (samples thinned, timelines within the
    /// report's budget).
    #[serde(flatten)]
    pub summary: ChargePoint,
    /// Its messages kept for the sequence diagram, in reading order.
    pub log: Vec<Message>,
    /// Its messages left out after the last one kept.
    pub log_left_out: usize,
    /// Meter samples not drawn (thinned or past the budget).
    pub samples_left_out: usize,
    /// Status reports not drawn (past the budget).
    pub status_reports_left_out: usize,
}

/// The limits a report applies, stated in the page.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Limits {
    /// [`MAX_MESSAGES`].
    pub messages: usize,
    /// [`HEAD_MESSAGES`].
    pub head_messages: usize,
    /// [`CONTEXT_MESSAGES`].
    pub context_messages: usize,
    /// [`MAX_FINDINGS`].
    pub findings: usize,
    /// [`MAX_SESSION_POINTS`].
    pub session_points: usize,
    /// [`MAX_SAMPLES`].
    pub samples: usize,
    /// [`MAX_STATUS_REPORTS`].
    pub status_reports: usize,
}

const LIMITS: Limits = Limits {
    messages: MAX_MESSAGES,
    head_messages: HEAD_MESSAGES,
    context_messages: CONTEXT_MESSAGES,
    findings: MAX_FINDINGS,
    session_points: MAX_SESSION_POINTS,
    samples: MAX_SAMPLES,
    status_reports: MAX_STATUS_REPORTS,
};

/// The record being read: its message, until the next record.
struct Pending {
    charge_point: Option<String>,
    message: Message,
    flagged: bool,
}

/// Gathers a report over one or more inputs.
pub struct Reporter {
    summarizer: Summarizer,
    inputs: Vec<String>,
    counts: check::Counts,
    rules: HashMap<&'static str, (Severity, usize)>,
    logs: BTreeMap<Option<String>, log::Log>,
    budget: usize,
    pending: Option<Pending>,
    findings: Vec<ListedFinding>,
    findings_left_out: usize,
    /// Where each kept message is, by input and record, for findings of the end of an input.
    kept: HashMap<(usize, usize), (Option<String>, usize)>,
}

impl Default for Reporter {
    fn default() -> Self {
        Self {
            summarizer: Summarizer::new(),
            inputs: Vec::new(),
            counts: check::Counts::default(),
            rules: HashMap::new(),
            logs: BTreeMap::new(),
            budget: MAX_MESSAGES,
            pending: None,
            findings: Vec::new(),
            findings_left_out: 0,
            kept: HashMap::new(),
        }
    }
}

impl Reporter {
    /// A reporter that has read nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The summary's settings (the jump threshold) for this report.
    pub fn with_summarizer(self, summarizer: Summarizer) -> Self {
        Self { summarizer, ..self }
    }

    /// Reads one input named `name` through the record pipeline with these options (facts,
    /// pairings and frames turned on). When reading fails, what was read before is kept.
    pub fn read<R: BufRead>(
        &mut self,
        name: &str,
        input: R,
        options: &CheckOptions,
    ) -> Result<check::Counts, ReadError> {
        let index = self.inputs.len();
        self.inputs.push(name.to_owned());
        let options = CheckOptions {
            facts: true,
            pairings: true,
            frames: true,
            ..options.clone()
        };
        let result = run_reader(input, options, &mut |event| self.take(index, event));
        self.commit();
        self.summarizer.end_input();
        if let Ok(counts) = &result {
            self.counts.add(*counts);
        }
        result
    }

    fn take(&mut self, input: usize, event: Event) {
        match &event {
            Event::Record(heard) => self.heard(input, heard),
            Event::Paired(pairing) => self.paired(pairing),
            Event::Frame(frame) => self.frame(frame),
            Event::Finding(finding) => self.found(input, finding),
            Event::Fact(_) => {}
        }
        if !matches!(event, Event::Frame(_) | Event::Paired(_)) {
            self.summarizer.take(event);
        }
    }

    fn heard(&mut self, input: usize, heard: &Heard) {
        self.commit();
        self.pending = Some(Pending {
            charge_point: heard.charge_point.clone(),
            flagged: false,
            message: Message {
                left_out_before: 0,
                input,
                record: heard.at.record,
                line: heard.at.line,
                at: heard.timestamp,
                arrow: Arrow::default(),
                findings: Vec::new(),
                rules: Vec::new(),
                answers: None,
                origin: heard.origin,
            },
        });
    }

    /// The pending message, when it is the record at `at`.
    fn pending_at(&mut self, at: Position) -> Option<&mut Message> {
        let message = &mut self.pending.as_mut()?.message;
        (message.record == at.record && message.line == at.line).then_some(message)
    }

    fn paired(&mut self, pairing: &Pairing) {
        if let Some(message) = self.pending_at(pairing.at) {
            message.arrow.kind = Some(pairing.message_type.name());
            message.arrow.id = Some(pairing.message_id.clone());
            message.arrow.action.clone_from(&pairing.action);
            message.answers = pairing.answers.map(|call| call.record);
        }
    }

    fn frame(&mut self, read: &FrameRead) {
        let Some(message) = self.pending_at(read.at) else {
            return;
        };
        message.arrow.text = cut(&read.frame.to_string(), MAX_PREVIEW).into_owned();
        if matches!(message.arrow.kind, Some("CALLERROR" | "CALLRESULTERROR")) {
            message.arrow.error_code = read
                .frame
                .get(2)
                .and_then(|c| c.as_str())
                .map(str::to_owned);
        }
        if message.origin.is_none() && matches!(message.arrow.kind, Some("CALL" | "SEND")) {
            let info = (message.arrow.action.as_deref()).and_then(|name| read.version.action(name));
            message.origin = info.and_then(|info| match info.initiator {
                Initiator::ChargingStation => Some(Sender::ChargingStation),
                Initiator::Csms => Some(Sender::Csms),
                _ => None,
            });
        }
    }

    fn found(&mut self, input: usize, finding: &Finding) {
        let entry = self
            .rules
            .entry(finding.rule)
            .or_insert((finding.severity, 0));
        entry.1 += 1;
        let listed = (self.findings.len() < MAX_FINDINGS).then_some(self.findings.len());
        let charge_point = match self.pending.as_mut() {
            Some(pending) if pending.message.record == finding.at.record => {
                pending.flagged = true;
                pending.message.rules.push(finding.rule);
                pending.message.findings.extend(listed);
                pending.charge_point.clone()
            }
            _ => self.mark_kept(input, finding, listed),
        };
        match listed {
            Some(_) => self.findings.push(ListedFinding {
                input,
                charge_point,
                finding: finding.clone(),
            }),
            None => self.findings_left_out += 1,
        }
    }

    /// Marks a kept message with a finding that came after it (at the end of its input);
    /// gives the message's charge point.
    fn mark_kept(
        &mut self,
        input: usize,
        finding: &Finding,
        listed: Option<usize>,
    ) -> Option<String> {
        let (charge_point, index) = self.kept.get(&(input, finding.at.record))?.clone();
        let message = self.logs.get_mut(&charge_point)?.kept.get_mut(index)?;
        message.rules.push(finding.rule);
        message.findings.extend(listed);
        charge_point
    }

    /// Adds the pending message to its charge point's log.
    fn commit(&mut self) {
        let Some(Pending {
            charge_point,
            message,
            flagged,
        }) = self.pending.take()
        else {
            return;
        };
        let key = (message.input, message.record);
        let log = self.logs.entry(charge_point.clone()).or_default();
        let before = log.kept.len();
        log.push(message, flagged, &mut self.budget);
        if log.kept.len() > before {
            let index = log.kept.len() - 1;
            if log.kept[index].input == key.0 && log.kept[index].record == key.1 {
                self.kept.insert(key, (charge_point, index));
            }
        }
    }

    /// The report of everything read.
    pub fn finish(mut self) -> Report {
        self.commit();
        let summary = self.summarizer.finish();
        let (mut samples, mut reports) = (MAX_SAMPLES, MAX_STATUS_REPORTS);
        let charge_points = summary
            .charge_points
            .into_iter()
            .map(|mut point| {
                let log = self.logs.remove(&point.id).unwrap_or_default();
                let samples_left_out = thin_samples(&mut point, &mut samples);
                let status_reports_left_out = trim_timelines(&mut point, &mut reports);
                PointReport {
                    log_left_out: log.left_out_at_end(),
                    log: log.kept,
                    summary: point,
                    samples_left_out,
                    status_reports_left_out,
                }
            })
            .collect();
        let mut rules: Vec<RuleCount> = (self.rules.into_iter())
            .map(|(rule, (severity, count))| RuleCount {
                rule,
                severity,
                count,
            })
            .collect();
        rules.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
        Report {
            inputs: self.inputs,
            counts: self.counts,
            rules,
            charge_points,
            findings: self.findings,
            findings_left_out: self.findings_left_out,
            limits: LIMITS,
        }
    }
}

/// Thins each session's samples to [`MAX_SESSION_POINTS`], evenly and keeping the last,
/// within what is left of the report's sample budget; gives how many were left out.
fn thin_samples(point: &mut ChargePoint, budget: &mut usize) -> usize {
    let mut left_out = 0;
    for session in &mut point.sessions {
        let total = session.samples.len();
        let room = total.min(MAX_SESSION_POINTS).min(*budget);
        if room < total {
            let samples = std::mem::take(&mut session.samples);
            session.samples = (0..room)
                .filter_map(|i| {
                    // Evenly spread over the session, the last sample last.
                    let at = if room == 1 {
                        total - 1
                    } else {
                        i * (total - 1) / (room - 1)
                    };
                    samples.get(at).cloned()
                })
                .collect();
        }
        *budget -= session.samples.len();
        left_out += total - session.samples.len();
    }
    left_out
}

/// Cuts each connector's status timeline to what is left of the report's budget (at least
/// its last report, which its current status shows anyway); gives how many were cut.
fn trim_timelines(point: &mut ChargePoint, budget: &mut usize) -> usize {
    let mut left_out = 0;
    for connector in &mut point.connectors {
        let total = connector.timeline.len();
        let room = total.min((*budget).max(1));
        connector.timeline.drain(..total - room);
        *budget = budget.saturating_sub(room);
        left_out += total - room;
    }
    left_out
}

/// Reads one input into its report, with `check`'s options.
pub fn report<R: BufRead>(
    name: &str,
    input: R,
    options: &CheckOptions,
) -> Result<Report, ReadError> {
    let mut reporter = Reporter::new();
    reporter.read(name, input, options)?;
    Ok(reporter.finish())
}
