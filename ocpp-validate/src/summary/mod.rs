//! `ocpp-validate summary`: what a trace tells about each charge point — when it was last
//! heard from, its boots (vendor, model, firmware), its charging sessions (connector, id tag,
//! start, stop, duration, energy), the last status of each connector, and an availability
//! verdict from those statuses and the errors of its last hour.
//!
//! The trace is checked as `check` checks it (schema, correlation and semantic rules) to count
//! the errors; the facts come from the semantic tracker ([`Fact`]).

mod table;

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, BufRead};

use ocpp_types::primitives::{DateTime, Decimal};
use ocpp_types::OcppVersion;
use serde::Serialize;

use crate::finding::Severity;
use crate::semantic::{self, Fact, Tracker};
use crate::session::Session;
use crate::trace::{FrameSource, RecordReader};

pub use table::table;

/// How far back "the last hour" reaches, in milliseconds.
const HOUR_MS: i64 = 3_600_000;

/// The summary of one trace.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// One entry per charge point, by id (records that name none come first, id absent).
    pub charge_points: Vec<ChargePoint>,
}

/// What the trace tells about one charge point.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargePoint {
    /// Its id, when the records name it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The capture time of its most recent message of any kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_message: Option<DateTime>,
    /// Messages to or from it.
    pub messages: usize,
    /// The availability verdict.
    pub availability: Availability,
    /// Errors in the hour before its last message: findings of severity error and
    /// StatusNotifications with an error code.
    pub errors_last_hour: usize,
    /// Its BootNotifications, in order.
    pub boots: Vec<Boot>,
    /// Its charging sessions, by start.
    pub sessions: Vec<ChargingSession>,
    /// The last status of each connector.
    pub connectors: Vec<ConnectorStatus>,
}

/// The availability verdict of a charge point.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Availability {
    /// No StatusNotification in the trace.
    #[default]
    Unknown,
    /// Every connector's last status is usable and the last hour had no errors.
    Available,
    /// Usable, but some connector is unavailable or the last hour had errors.
    Degraded,
    /// Connector 0 or every connector is Unavailable.
    Unavailable,
    /// Some connector's last status is Faulted.
    Faulted,
}

/// One BootNotification.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Boot {
    /// Its capture time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime>,
    /// The vendor it names.
    pub vendor: String,
    /// The model it names.
    pub model: String,
    /// The firmware version it names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firmware: Option<String>,
    /// The CSMS's answer (`Accepted`, `Pending`, `Rejected`), when answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// One charging session.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargingSession {
    /// The transaction id.
    pub transaction_id: String,
    /// The connector (`1`, or `evse/connector` in 2.0.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector: Option<String>,
    /// The id tag or token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_tag: Option<String>,
    /// When it started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTime>,
    /// When it stopped; absent for a session open at the end of the trace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop: Option<DateTime>,
    /// Stop minus start, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<i64>,
    /// Energy delivered, in Wh.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "energy_as_number"
    )]
    pub energy_wh: Option<Decimal>,
}

/// The last status a connector reported.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorStatus {
    /// The connector.
    pub connector: String,
    /// Its status.
    pub status: String,
    /// The error code sent with it, when not `NoError` (1.6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// When it was reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime>,
}

/// What is gathered for one charge point while reading.
#[derive(Default)]
struct Gathering {
    point: ChargePoint,
    /// The connection, while it has calls open.
    session: Option<Session>,
    /// When the most recent message was captured, in milliseconds.
    latest: Option<i64>,
    /// Capture times of the errors of the last hour, oldest first.
    errors: VecDeque<i64>,
    connectors: BTreeMap<String, ConnectorStatus>,
}

impl Gathering {
    fn error_at(&mut self, millis: Option<i64>) {
        if let Some(millis) = millis {
            self.errors.push_back(millis);
        }
        self.forget_old_errors();
    }

    fn forget_old_errors(&mut self) {
        if let Some(latest) = self.latest {
            while self.errors.front().is_some_and(|&t| t < latest - HOUR_MS) {
                self.errors.pop_front();
            }
        }
    }
}

/// Reads a trace into its summary. `version` is the version of records that name none
/// (1.6 when absent).
pub fn summarize<R: BufRead>(
    input: R,
    version: Option<OcppVersion>,
    max_line: usize,
    config: semantic::Config,
) -> io::Result<Summary> {
    let mut tracker = Tracker::new(config).keeping_facts();
    let mut points: BTreeMap<Option<String>, Gathering> = BTreeMap::new();
    let mut reader = RecordReader::new(input, max_line)?;
    while let Some(record) = reader.next_record()? {
        let Ok(source) = record.frame else { continue };
        let at = crate::Position {
            record: record.index,
            line: record.line,
        };
        let version = record.version.or(version).unwrap_or(OcppVersion::V16);
        let cp = record.charge_point;
        let time = record.timestamp.as_ref();
        let millis = time.map(|t| t.as_chrono().timestamp_millis());
        let findings = tracker.observe(at, cp.as_deref(), time, record.origin, version, &source);
        let gathering = points.entry(cp).or_default();
        gathering.point.messages += 1;
        if let (Some(t), Some(millis)) = (time, millis) {
            if gathering.latest.is_none_or(|latest| millis >= latest) {
                gathering.latest = Some(millis);
                gathering.point.last_message = Some(*t);
            }
        }
        let session = gathering.session.get_or_insert_with(Session::new);
        let checked = match source {
            FrameSource::Text(text) => session.check_text(at, version, record.origin, &text),
            FrameSource::Value(value) => session.check_value(at, version, record.origin, value),
        };
        if session.open_calls() == 0 {
            gathering.session = None;
        }
        for finding in checked.iter().chain(&findings) {
            if finding.severity == Severity::Error {
                gathering.error_at(millis);
            }
        }
        for fact in tracker.take_facts() {
            learn(&mut points, fact, millis);
        }
    }
    tracker.finish();
    for fact in tracker.take_facts() {
        learn(&mut points, fact, None);
    }
    let charge_points = points
        .into_iter()
        .map(|(id, mut gathering)| {
            gathering.forget_old_errors();
            let mut point = gathering.point;
            point.id = id;
            point.errors_last_hour = gathering.errors.len();
            point.connectors = gathering.connectors.into_values().collect();
            point.availability = verdict(&point.connectors, point.errors_last_hour);
            point
                .sessions
                .sort_by_key(|s| s.start.map(|t| t.as_chrono().timestamp_millis()));
            point
        })
        .collect();
    Ok(Summary { charge_points })
}

fn learn(points: &mut BTreeMap<Option<String>, Gathering>, fact: Fact, millis: Option<i64>) {
    let (charge_point, fact) = match fact {
        Fact::Boot {
            ref charge_point, ..
        }
        | Fact::BootAnswered {
            ref charge_point, ..
        }
        | Fact::Status {
            ref charge_point, ..
        } => (charge_point.clone(), fact),
        Fact::Session(ref session) => (session.charge_point.clone(), fact),
    };
    let gathering = points.entry(charge_point).or_default();
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
            at,
            ..
        } => {
            if error_code.is_some() {
                gathering.error_at(millis);
            }
            gathering.connectors.insert(
                connector.clone(),
                ConnectorStatus {
                    connector,
                    status,
                    error_code,
                    at,
                },
            );
        }
        Fact::Session(session) => {
            let duration_seconds = match (&session.start, &session.stop) {
                (Some(start), Some(stop)) => {
                    Some((*stop.as_chrono() - *start.as_chrono()).num_seconds())
                }
                _ => None,
            };
            gathering.point.sessions.push(ChargingSession {
                transaction_id: session.transaction_id,
                connector: session.connector,
                id_tag: session.id_tag,
                start: session.start,
                stop: session.stop,
                duration_seconds,
                energy_wh: session.energy_wh,
            });
        }
    }
}

/// The verdict from the connectors' last statuses and the errors of the last hour.
fn verdict(connectors: &[ConnectorStatus], errors: usize) -> Availability {
    if connectors.is_empty() {
        return Availability::Unknown;
    }
    if connectors.iter().any(|c| c.status == "Faulted") {
        return Availability::Faulted;
    }
    let unavailable = |c: &ConnectorStatus| c.status == "Unavailable";
    let outlets: Vec<&ConnectorStatus> = connectors.iter().filter(|c| c.connector != "0").collect();
    let whole = connectors
        .iter()
        .any(|c| c.connector == "0" && unavailable(c));
    if whole || (!outlets.is_empty() && outlets.iter().all(|c| unavailable(c))) {
        return Availability::Unavailable;
    }
    if errors > 0 || outlets.iter().any(|c| unavailable(c)) {
        return Availability::Degraded;
    }
    Availability::Available
}

/// Writes an energy as a JSON number with its exact digits.
fn energy_as_number<S: serde::Serializer>(
    energy: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let number = energy.and_then(|e| e.normalize().to_string().parse::<serde_json::Number>().ok());
    number.serialize(serializer)
}

impl Summary {
    /// The summary as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
