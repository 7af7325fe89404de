//! Semantic rules: what a schema cannot see, followed across the messages of each charge
//! point — transactions, meter registers, measurands and units, connector status transitions,
//! boot before transactions, heartbeat cadence, CSMS response latency and message ids reused
//! while in flight.
//!
//! [`Engine::observe`] takes the records of a trace in order and gives the findings of each;
//! [`Engine::finish`] gives those only the end of the trace reveals. State is kept per charge
//! point and bounded by what is open (calls in flight, open transactions, connectors); a
//! charge point left with nothing open and no boot or heartbeat interval seen is forgotten
//! after each record (the capture time of its last message goes with it). Rules
//! that compare times use the capture timestamps of the records and stay silent without them.
//! Frames are read only as far as the rules need (the `decode` module), member by member: a
//! payload that fails its schema still gives the rules the members that can be read, and a
//! finding drawn from such a payload says so in its message.

mod boot;
mod decode;
mod in_flight;
mod meter_values;
mod profile;
mod rules;
mod status;
mod transactions;
mod units;

use std::collections::HashMap;
use std::time::Duration;

use ocpp_model::primitives::{DateTime, Decimal};
use ocpp_model::OcppVersion;

use crate::finding::{Category, Finding, Position, Severity};
use crate::tape::Tape;
use crate::trace::FrameSource;
use ocpp_model::Sender;

pub use profile::{Sample, MAX_SAMPLES};
pub use rules::{Rule, RULES};

pub(crate) use decode::{reads, Act};
use decode::{Kind, Request};

/// Settings of the semantic rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// A CSMS answer slower than this is reported (`semantic-response-latency`).
    pub latency_threshold: Duration,
}

impl Config {
    /// These settings with `threshold` as the slowest CSMS answer not reported.
    pub fn with_latency_threshold(self, threshold: Duration) -> Self {
        Self {
            latency_threshold: threshold,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            latency_threshold: Duration::from_secs(10),
        }
    }
}

/// Something learnt about a charge point, kept for `ocpp-validate summary`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fact {
    /// A BootNotification was sent.
    Boot {
        /// The charge point.
        charge_point: Option<String>,
        /// The capture time of the record.
        at: Option<DateTime>,
        /// The vendor it names.
        vendor: String,
        /// The model it names.
        model: String,
        /// The firmware version it names, if any.
        firmware: Option<String>,
    },
    /// The CSMS answered a BootNotification.
    BootAnswered {
        /// The charge point.
        charge_point: Option<String>,
        /// `Accepted`, `Pending` or `Rejected`.
        status: String,
    },
    /// A connector reported a status.
    Status {
        /// The charge point.
        charge_point: Option<String>,
        /// The connector: `3` (1.6) or `evse/connector` (2.0.1).
        connector: String,
        /// The status sent.
        status: String,
        /// The 1.6 error code, when it is not `NoError`.
        error_code: Option<String>,
        /// The 1.6 vendor error code, when one is sent.
        vendor_error_code: Option<String>,
        /// The capture time of the record.
        at: Option<DateTime>,
    },
    /// A transaction ended, or was still open at the end of the trace.
    Session(SessionFact),
}

impl Fact {
    /// The charge point the fact is about and, for a session, its transaction: the order in
    /// which the facts of the end of a trace are given out.
    pub(crate) fn order_key(&self) -> (Option<&str>, &str) {
        match self {
            Self::Boot { charge_point, .. }
            | Self::BootAnswered { charge_point, .. }
            | Self::Status { charge_point, .. } => (charge_point.as_deref(), ""),
            Self::Session(session) => (
                session.charge_point.as_deref(),
                session.transaction_id.as_str(),
            ),
        }
    }
}

/// One charging session as the trace shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionFact {
    /// The charge point.
    pub charge_point: Option<String>,
    /// The transaction id (1.6: given by the CSMS; 2.0.1: given by the station).
    pub transaction_id: String,
    /// The connector, when the messages name it.
    pub connector: Option<String>,
    /// The id tag or token that started it, when named.
    pub id_tag: Option<String>,
    /// When it started, as the station reported it.
    pub start: Option<DateTime>,
    /// When it stopped; `None` for a session still open at the end of the trace.
    pub stop: Option<DateTime>,
    /// Energy delivered in Wh: meter stop minus meter start (1.6), else the rise of the active
    /// import register over the transaction's samples.
    pub energy_wh: Option<Decimal>,
    /// Why it stopped (1.6 `reason`, 2.0.1 `stoppedReason`), when said.
    pub stop_reason: Option<String>,
    /// Its meter values over time, at most [`MAX_SAMPLES`].
    pub samples: Vec<Sample>,
}

/// A record as the semantic rules see it, besides its frame.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Seen<'a> {
    /// Where it is.
    pub at: Position,
    /// Its charge point, if named.
    pub charge_point: Option<&'a str>,
    /// Its capture time, if known.
    pub timestamp: Option<&'a DateTime>,
    /// Who sent it, if known.
    pub origin: Option<Sender>,
    /// The version it is read in.
    pub version: OcppVersion,
    /// Whether its message id pairs it with its answer; a CALL that is not paired is
    /// expected to have no answer in the trace (a data-lake export without message ids).
    pub paired: bool,
}

impl<'a> Seen<'a> {
    /// A record at `at`, read in `version`, paired by its message id, nothing else known.
    pub fn new(at: Position, version: OcppVersion) -> Self {
        Self {
            at,
            charge_point: None,
            timestamp: None,
            origin: None,
            version,
            paired: true,
        }
    }
}

/// Follows the semantic rules across a trace, per charge point.
#[derive(Debug, Default)]
pub struct Engine {
    config: Config,
    stations: HashMap<String, Station>,
    /// The station of records that name no charge point.
    unnamed: Station,
    /// Facts learnt, when asked to keep them.
    facts: Option<Vec<Fact>>,
}

/// All the state kept for one charge point.
#[derive(Debug, Default)]
struct Station {
    calls: in_flight::InFlight,
    boot: boot::Boot,
    transactions: transactions::Transactions,
    statuses: status::Statuses,
}

/// The record being observed.
#[derive(Clone, Copy)]
struct Cx<'a> {
    at: Position,
    /// Capture time in microseconds since the epoch.
    micros: Option<i64>,
    time: Option<&'a DateTime>,
    origin: Option<Sender>,
    version: OcppVersion,
    charge_point: Option<&'a str>,
    /// Whether the record's answer can be told by its message id.
    paired: bool,
    /// Whether the record's payload fails its schema (its members are read one by one).
    fails_schema: bool,
}

/// What a finding drawn from a payload that fails its schema adds to its message.
const FAILS_SCHEMA: &str = " (read from a payload that fails its schema)";

/// Where rules put what they find.
struct Out<'a> {
    findings: Vec<Finding>,
    facts: Option<&'a mut Vec<Fact>>,
}

impl Out<'_> {
    /// Whether facts are kept (and so what only they read is worth gathering).
    fn keeps_facts(&self) -> bool {
        self.facts.is_some()
    }

    fn fact(&mut self, fact: impl FnOnce() -> Fact) {
        if let Some(facts) = self.facts.as_deref_mut() {
            facts.push(fact());
        }
    }
}

impl Engine {
    /// A tracker with these settings.
    pub fn new(config: Config) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// Also keeps the [`Fact`]s learnt, for [`Engine::take_facts`].
    pub fn keeping_facts(mut self) -> Self {
        self.facts = Some(Vec::new());
        self
    }

    /// The facts learnt since the last call.
    pub fn take_facts(&mut self) -> Vec<Fact> {
        self.facts.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Follows one record; gives what the rules find in it.
    pub fn observe(&mut self, seen: Seen<'_>, frame: &FrameSource<'_>) -> Vec<Finding> {
        self.observe_checked(seen, frame, None, false)
    }

    /// Follows one record whose frame was validated: `fails_schema` says whether its payload
    /// failed, and the findings drawn from it then say so. `recorded` is what the validator
    /// recorded of the frame's text while checking it, read instead of the text where it
    /// holds what the rules need.
    pub(crate) fn observe_checked(
        &mut self,
        seen: Seen<'_>,
        frame: &FrameSource<'_>,
        recorded: Option<&Tape>,
        fails_schema: bool,
    ) -> Vec<Finding> {
        let Seen {
            at,
            charge_point,
            timestamp,
            origin,
            version,
            paired,
        } = seen;
        let station = match charge_point {
            Some(id) => match self.stations.get_mut(id) {
                Some(station) => station,
                None => self.stations.entry(id.to_owned()).or_default(),
            },
            None => &mut self.unnamed,
        };
        let calls = &station.calls;
        let lookup = |id: &str| calls.action_of(id, origin);
        let cx = Cx {
            at,
            micros: timestamp.map(|t| t.as_chrono().timestamp_micros()),
            time: timestamp,
            origin,
            version,
            charge_point,
            paired,
            fails_schema,
        };
        let mut out = Out {
            findings: Vec::new(),
            facts: self.facts.as_mut(),
        };
        let message = match (frame, recorded) {
            (FrameSource::Text(text), Some(tape)) => {
                decode::decode_recorded(text, tape, version, &lookup)
                    .or_else(|| decode::decode(frame, version, &lookup))
            }
            _ => decode::decode(frame, version, &lookup),
        };
        if let Some(message) = message {
            station.follow(cx, message, &self.config, &mut out);
        }
        if let Some(id) = charge_point.filter(|_| station.is_idle()) {
            self.stations.remove(id);
        }
        if fails_schema {
            for finding in &mut out.findings {
                finding.message.push_str(FAILS_SCHEMA);
            }
        }
        out.findings
    }

    /// Forgets what is kept for a charge point; says whether anything was.
    pub(crate) fn forget(&mut self, charge_point: &str) -> bool {
        self.stations.remove(charge_point).is_some()
    }

    /// How many charge points have state kept.
    #[cfg(test)]
    pub(crate) fn stations_kept(&self) -> usize {
        self.stations.len()
    }

    /// What only the end of the trace reveals: transactions never stopped.
    pub fn finish(&mut self) -> Vec<Finding> {
        let mut out = Out {
            findings: Vec::new(),
            facts: self.facts.as_mut(),
        };
        let mut stations: Vec<(&String, &mut Station)> = self.stations.iter_mut().collect();
        stations.sort_by(|a, b| a.0.cmp(b.0));
        self.unnamed.transactions.finish(None, &mut out);
        for (name, station) in stations {
            station.transactions.finish(Some(name), &mut out);
        }
        out.findings.sort_by_key(|f| f.at.record);
        out.findings
    }
}

impl Station {
    /// Whether nothing is kept that a rule could still read: a new station would do as well.
    fn is_idle(&self) -> bool {
        self.calls.is_empty()
            && self.boot.is_idle()
            && self.transactions.is_empty()
            && self.statuses.is_empty()
    }

    /// Follows a message of this station.
    fn follow(
        &mut self,
        cx: Cx<'_>,
        message: decode::Message<'_>,
        config: &Config,
        out: &mut Out<'_>,
    ) {
        if cx.origin == Some(Sender::ChargingStation) && !matches!(message.kind, Kind::Call(_)) {
            self.boot.heard(cx);
        }
        match message.kind {
            Kind::Call(request) => self.call(cx, &message.id, &request, out),
            Kind::Result(response) => {
                let call = self.calls.answer(cx, &message.id, config, out);
                if let (Some(call), Some(response)) = (call, response) {
                    self.result(cx, call, response, out);
                }
            }
            Kind::Error => {
                self.calls.answer(cx, &message.id, config, out);
            }
        }
    }

    fn call(&mut self, cx: Cx<'_>, id: &str, request: &Request<'_>, out: &mut Out<'_>) {
        if cx.origin != Some(Sender::Csms) {
            self.boot.station_call(cx, request, out);
        }
        // A call not paired by id has no answer to wait for.
        if cx.paired {
            self.calls.call(cx, id, request, out);
        }
        match request {
            Request::StartTransaction(start) => {
                self.transactions.start_16(cx, start, out);
                if !cx.paired {
                    self.transactions
                        .start_unpaired_16(in_flight::PendingStart::of(cx, start));
                }
            }
            Request::StopTransaction(stop) => self.transactions.stop_16(cx, stop, out),
            Request::MeterValues(values) => {
                units::check(cx, "/meterValue", &values.meter_value, out);
                if let Some(id) = values.transaction_id {
                    let of = (id, values.connector_id);
                    self.transactions
                        .meter_values_16(cx, of, &values.meter_value, out);
                }
            }
            Request::TransactionEvent(event) => self.transactions.event_201(cx, event, out),
            Request::Status(status) => self.statuses.observe(cx, status, out),
            Request::Boot(_) | Request::Heartbeat | Request::Configure(..) | Request::Other => {}
        }
    }

    fn result(
        &mut self,
        cx: Cx<'_>,
        call: in_flight::Answered,
        response: decode::Response,
        out: &mut Out<'_>,
    ) {
        match response {
            decode::Response::Boot { status, interval } => {
                self.boot.answered(cx, &status, interval, out);
            }
            decode::Response::Configured { accepted } => {
                if let (true, Some(interval)) = (accepted, call.heartbeat_interval) {
                    self.boot.heartbeat_interval = Some(interval);
                }
            }
            decode::Response::StartTransaction { transaction_id } => {
                if let Some(start) = call.start {
                    self.transactions.started_16(transaction_id, start);
                }
            }
        }
    }
}

/// A semantic finding about the record being observed.
fn finding(
    at: Position,
    rule: &'static str,
    severity: Severity,
    pointer: String,
    message: String,
    value: Option<serde_json::Value>,
) -> Finding {
    Finding {
        at,
        rule,
        severity,
        category: Category::Semantic,
        pointer,
        message,
        value,
        error_code: None,
    }
}
