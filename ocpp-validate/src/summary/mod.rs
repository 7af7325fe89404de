//! `ocpp-validate summary`: what a trace tells about each charge point — when it was last
//! heard from, its boots (vendor, model, firmware), its charging sessions (connector, id tag,
//! start, stop, duration, energy), the last status of each connector, and an availability
//! verdict from those statuses and the errors of its last hour.
//!
//! The trace goes through the record pipeline `check` uses ([`crate::check::run_reader`]):
//! the same reading, decoding (strict or tolerant), correlation and semantic rules, so the
//! errors counted are `check`'s and the facts ([`crate::semantic::Fact`]) are learnt from the
//! frames as decoded.

mod connectors;
mod csv;
mod gather;
mod session;
mod table;

use std::collections::BTreeMap;

use ocpp_model::primitives::{DateTime, Decimal};
use serde::Serialize;

use crate::values;

pub use crate::semantic::Sample;
pub use crate::values::precise;
pub use connectors::MAX_TIMELINE;
pub use csv::{connectors_csv, sessions_csv};
pub use gather::{summarize, Summarizer, DEFAULT_JUMP_THRESHOLD};
pub use table::table;

/// The summary of one trace.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Summary {
    /// One entry per charge point, by id (records that name none come first, id absent).
    pub charge_points: Vec<ChargePoint>,
}

/// What the trace tells about one charge point.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ChargePoint {
    /// Its id, when the records name it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The capture time of its most recent message of any kind.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::time"
    )]
    pub last_message: Option<DateTime>,
    /// Messages to or from it.
    pub messages: usize,
    /// The availability verdict.
    pub availability: Availability,
    /// Errors in the hour before its last message: findings of severity error and
    /// StatusNotifications with an error code; absent when no record of it has a capture
    /// time, so that the hour cannot be told.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors_last_hour: Option<usize>,
    /// Errors over everything read, with or without capture times.
    pub errors: usize,
    /// Those errors by kind (a rule id, or a status error code with its vendor code), most
    /// frequent first.
    pub recent_errors: Vec<ErrorCount>,
    /// Energy of its sessions, in Wh (those whose energy is known).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub total_energy_wh: Option<Decimal>,
    /// The mean duration of its completed sessions, in seconds.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub average_session_seconds: Option<Decimal>,
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
#[non_exhaustive]
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
#[non_exhaustive]
pub struct Boot {
    /// Its capture time.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::time"
    )]
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
#[non_exhaustive]
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
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::time"
    )]
    pub start: Option<DateTime>,
    /// When it stopped; absent for a session open at the end of the trace.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::time"
    )]
    pub stop: Option<DateTime>,
    /// Stop minus start, in seconds (fractions kept).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub duration_seconds: Option<Decimal>,
    /// Energy delivered, in Wh.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub energy_wh: Option<Decimal>,
    /// Time spent not charging: the spans between consecutive samples that both have a
    /// total `Power.Active.Import` of 0, in seconds.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub idle_seconds: Option<Decimal>,
    /// The highest total `Power.Active.Import` sampled, in W.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub peak_power_w: Option<Decimal>,
    /// Energy over duration, in W (else the mean of the power samples).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::number"
    )]
    pub average_power_w: Option<Decimal>,
    /// Why it stopped, when the station said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_reason: Option<String>,
    /// Its meter values over time (the charging profile).
    pub samples: Vec<Sample>,
    /// The samples where a quantity changed by more than the jump threshold.
    pub jumps: Vec<Jump>,
}

/// A sample where a quantity changed by more than the jump threshold from the previous one.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Jump {
    /// When, as the sample says.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::time"
    )]
    pub at: Option<DateTime>,
    /// Which quantity: `powerW`, `currentA`, `voltageV`, `temperature` or `socPercent`.
    pub quantity: &'static str,
    /// The previous sample's value.
    #[serde(serialize_with = "values::number")]
    pub from: Option<Decimal>,
    /// This sample's value.
    #[serde(serialize_with = "values::number")]
    pub to: Option<Decimal>,
}

/// How often one kind of error occurred in the last hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorCount {
    /// A rule id, or a status error code (`GroundFailure`, with `/` and the vendor code
    /// when one was sent).
    pub kind: String,
    /// How often.
    pub count: usize,
}

/// The last status a connector reported.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConnectorStatus {
    /// The connector.
    pub connector: String,
    /// Its status.
    pub status: String,
    /// The error code sent with it, when not `NoError` (1.6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// When it was reported.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::time"
    )]
    pub at: Option<DateTime>,
    /// The vendor error code sent with it (1.6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_error_code: Option<String>,
    /// Seconds spent in each status, from each report to the next (the last until the charge
    /// point's last message).
    #[serde(serialize_with = "values::number_map")]
    pub time_in_status: BTreeMap<String, Decimal>,
    /// The status reports, oldest first (at most the last [`MAX_TIMELINE`]).
    pub timeline: Vec<StatusChange>,
}

/// One status report of a connector.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StatusChange {
    /// The status.
    pub status: String,
    /// When it was reported.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::time"
    )]
    pub at: Option<DateTime>,
    /// The error code sent with it, when not `NoError`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

/// The verdict from the connectors' last statuses and the errors of the last hour (of the
/// whole trace when the hour cannot be told).
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

impl Summary {
    /// The summary as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
