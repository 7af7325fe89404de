//! Gathering a summary from the events of the record pipeline, over one or more inputs.

use std::collections::{BTreeMap, VecDeque};
use std::io::BufRead;

use ocpp_model::primitives::Decimal;

use crate::check::{self, run_reader, CheckOptions, Event, Heard, ReadError};
use crate::finding::{Finding, Position, Severity};
use crate::semantic::Fact;

use super::connectors::ConnectorHistory;
use super::session::analyse;
use super::{verdict, Boot, ChargePoint, ConnectorStatus, ErrorCount, Summary};

/// How far back "the last hour" reaches, in milliseconds.
const HOUR_MS: i64 = 3_600_000;

/// The jump threshold unless told otherwise: a change of more than 10 % (as a fraction).
pub const DEFAULT_JUMP_THRESHOLD: Decimal = Decimal::from_parts(1, 0, 0, false, 1);

/// What is gathered for one charge point while reading.
#[derive(Default)]
struct Gathering {
    point: ChargePoint,
    /// When the most recent message was captured, in milliseconds.
    latest: Option<i64>,
    /// Capture times and kinds of the errors of the last hour, oldest first.
    errors: VecDeque<(i64, String)>,
    /// Errors over everything read, timed or not.
    all_errors: usize,
    connectors: BTreeMap<String, ConnectorHistory>,
}

impl Gathering {
    fn error_at(&mut self, millis: Option<i64>, kind: impl FnOnce() -> String) {
        self.all_errors += 1;
        if let Some(millis) = millis {
            self.errors.push_back((millis, kind()));
        }
        self.forget_old_errors();
    }

    fn forget_old_errors(&mut self) {
        if let Some(latest) = self.latest {
            while self
                .errors
                .front()
                .is_some_and(|&(t, _)| t < latest - HOUR_MS)
            {
                self.errors.pop_front();
            }
        }
    }

    /// The errors of the last hour by kind, most frequent first.
    fn recent_errors(&self) -> Vec<ErrorCount> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, kind) in &self.errors {
            *counts.entry(kind).or_default() += 1;
        }
        let mut counts: Vec<ErrorCount> = counts
            .into_iter()
            .map(|(kind, count)| ErrorCount {
                kind: kind.to_owned(),
                count,
            })
            .collect();
        counts.sort_by_key(|c| std::cmp::Reverse(c.count));
        counts
    }
}

/// The record whose findings and facts are coming in: where it is, its charge point and
/// its capture time in milliseconds.
struct CurrentRecord {
    at: Position,
    charge_point: Option<String>,
    millis: Option<i64>,
}

/// Gathers the summary of one or more inputs: what each charge point's records tell, over
/// every input read.
pub struct Summarizer {
    points: BTreeMap<Option<String>, Gathering>,
    current: Option<CurrentRecord>,
    /// A change of more than this fraction of the previous value is a jump.
    jump_threshold: Decimal,
}

impl Default for Summarizer {
    fn default() -> Self {
        Self {
            points: BTreeMap::new(),
            current: None,
            jump_threshold: DEFAULT_JUMP_THRESHOLD,
        }
    }
}

impl Summarizer {
    /// A summarizer that has read nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts a change of more than `fraction` of the previous value (0.1 for 10 %) as a
    /// jump in the charging profiles.
    pub fn with_jump_threshold(mut self, fraction: Decimal) -> Self {
        self.jump_threshold = fraction;
        self
    }

    /// Reads one input through the record pipeline with these options (their `facts` is
    /// turned on); gives `check`'s counts of it. When reading fails, what was read before
    /// is kept.
    pub fn read<R: BufRead>(
        &mut self,
        input: R,
        options: &CheckOptions,
    ) -> Result<check::Counts, ReadError> {
        let options = CheckOptions {
            facts: true,
            ..options.clone()
        };
        let result = run_reader(input, options, &mut |event| self.take(event));
        self.end_input();
        result
    }

    /// Forgets the record being read, at the end of an input.
    pub(crate) fn end_input(&mut self) {
        self.current = None;
    }

    /// Takes one event of the pipeline (of a run with `facts` on).
    pub(crate) fn take(&mut self, event: Event) {
        match event {
            Event::Record(heard) => self.heard(heard),
            Event::Finding(finding) => self.found(&finding),
            Event::Fact(fact) => self.learn(fact),
            Event::Paired(_) | Event::Frame(_) => {}
        }
    }

    fn heard(&mut self, heard: Heard) {
        let Heard {
            at,
            charge_point,
            timestamp,
            ..
        } = heard;
        let millis = timestamp.map(|t| t.as_chrono().timestamp_millis());
        let gathering = self.points.entry(charge_point.clone()).or_default();
        gathering.point.messages += 1;
        if let (Some(t), Some(millis)) = (timestamp, millis) {
            if gathering.latest.is_none_or(|latest| millis >= latest) {
                gathering.latest = Some(millis);
                gathering.point.last_message = Some(t);
            }
        }
        self.current = Some(CurrentRecord {
            at,
            charge_point,
            millis,
        });
    }

    /// An error counts at the time of its record; findings of the end of the input (never
    /// errors) and of records without a frame are not counted.
    fn found(&mut self, finding: &Finding) {
        if finding.severity != Severity::Error {
            return;
        }
        let Some(current) = self.current.as_ref().filter(|c| c.at == finding.at) else {
            return;
        };
        let millis = current.millis;
        if let Some(gathering) = self.points.get_mut(&current.charge_point) {
            gathering.error_at(millis, || finding.rule.to_owned());
        }
    }

    fn learn(&mut self, fact: Fact) {
        let charge_point = match &fact {
            Fact::Boot { charge_point, .. }
            | Fact::BootAnswered { charge_point, .. }
            | Fact::Status { charge_point, .. } => charge_point.clone(),
            Fact::Session(session) => session.charge_point.clone(),
        };
        let millis = self.current.as_ref().and_then(|c| c.millis);
        let gathering = self.points.entry(charge_point).or_default();
        match fact {
            Fact::Boot {
                at,
                vendor,
                model,
                firmware,
                ..
            } => gathering.point.boots.push(Boot {
                at,
                vendor,
                model,
                firmware,
                status: None,
            }),
            Fact::BootAnswered { status, .. } => {
                if let Some(boot) = gathering.point.boots.last_mut() {
                    boot.status = Some(status);
                }
            }
            Fact::Status {
                connector,
                status,
                error_code,
                vendor_error_code,
                at,
                ..
            } => {
                if let Some(code) = &error_code {
                    gathering.error_at(millis, || match &vendor_error_code {
                        Some(vendor) => format!("{code}/{vendor}"),
                        None => code.clone(),
                    });
                }
                let report = ConnectorStatus {
                    connector: connector.clone(),
                    status,
                    error_code,
                    at,
                    vendor_error_code,
                    time_in_status: BTreeMap::new(),
                    timeline: Vec::new(),
                };
                match gathering.connectors.get_mut(&connector) {
                    Some(known) => known.report(report),
                    None => {
                        gathering
                            .connectors
                            .insert(connector, ConnectorHistory::new(report));
                    }
                }
            }
            Fact::Session(fact) => {
                let session = analyse(fact, self.jump_threshold);
                gathering.point.sessions.push(session);
            }
        }
    }

    /// The summary of everything read.
    pub fn finish(self) -> Summary {
        let charge_points = self
            .points
            .into_iter()
            .map(|(id, mut gathering)| {
                gathering.forget_old_errors();
                let recent_errors = gathering.recent_errors();
                let mut point = gathering.point;
                point.id = id;
                // Without a capture time the last hour cannot be told.
                point.errors_last_hour = gathering.latest.map(|_| gathering.errors.len());
                point.errors = gathering.all_errors;
                point.recent_errors = recent_errors;
                let end = point.last_message;
                point.connectors = gathering
                    .connectors
                    .into_values()
                    .map(|c| c.finish(end.as_ref()))
                    .collect();
                let errors = point.errors_last_hour.unwrap_or(point.errors);
                point.availability = verdict(&point.connectors, errors);
                point
                    .sessions
                    .sort_by_key(|s| s.start.map(|t| t.as_chrono().timestamp_nanos_opt()));
                let energies = point.sessions.iter().filter_map(|s| s.energy_wh);
                point.total_energy_wh = energies.reduce(|sum, e| sum.checked_add(e).unwrap_or(sum));
                let durations: Vec<Decimal> = point
                    .sessions
                    .iter()
                    .filter_map(|s| s.duration_seconds)
                    .collect();
                point.average_session_seconds = durations
                    .iter()
                    .try_fold(Decimal::ZERO, |sum, d| sum.checked_add(*d))
                    .and_then(|sum| sum.checked_div(Decimal::from(durations.len())))
                    .map(|d| d.round_dp(6).normalize());
                point
            })
            .collect();
        Summary { charge_points }
    }
}

/// Reads one input into its summary, with `check`'s options.
pub fn summarize<R: BufRead>(input: R, options: &CheckOptions) -> Result<Summary, ReadError> {
    let mut summarizer = Summarizer::new();
    summarizer.read(input, options)?;
    Ok(summarizer.finish())
}
