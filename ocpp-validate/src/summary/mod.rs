//! `ocpp-validate summary`: what a trace tells about each charge point — when it was last
//! heard from, its boots (vendor, model, firmware), its charging sessions (connector, id tag,
//! start, stop, duration, energy), the last status of each connector, and an availability
//! verdict from those statuses and the errors of its last hour.
//!
//! The trace goes through the record pipeline `check` uses ([`crate::check::run_reader`]):
//! the same reading, decoding (strict or tolerant), correlation and semantic rules, so the
//! errors counted are `check`'s and the facts ([`crate::semantic::Fact`]) are learnt from the
//! frames as decoded.

mod gather;
mod table;
mod time;

use ocpp_types::primitives::{DateTime, Decimal};
use serde::Serialize;

pub use gather::{summarize, Summarizer};
pub use table::table;
pub use time::precise;

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
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "time::serialize"
    )]
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
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "time::serialize"
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
        serialize_with = "time::serialize"
    )]
    pub start: Option<DateTime>,
    /// When it stopped; absent for a session open at the end of the trace.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "time::serialize"
    )]
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
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "time::serialize"
    )]
    pub at: Option<DateTime>,
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
