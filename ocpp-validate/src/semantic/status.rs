//! Connector status transitions (StatusNotification), per charge point and connector.
//!
//! * `semantic-status-transition`: a change of status the state table of 1.6 §4.9 does not
//!   allow (for example Available → Finishing). For 2.0.1 the table is derived from the 1.6
//!   one: `Occupied` stands for Preparing, Charging, SuspendedEV, SuspendedEVSE and Finishing,
//!   and a change is allowed when the 1.6 table allows it for one of the states it stands for
//!   (so Occupied → Reserved and Unavailable → Reserved are not allowed).
//! * `semantic-status-connector-zero`: a 1.6 status for connector 0 (the charge point as a
//!   whole) other than Available, Unavailable or Faulted (1.6 §4.9, under the table).
//!
//! A repeated status is not a change.

use std::collections::HashMap;

use ocpp_model::OcppVersion;
use serde_json::Value;

use super::decode::{Connector, Status};
use super::{finding, Cx, Fact, Out};
use crate::finding::{Position, Severity};

/// The 1.6 connector states, in the order of the state table's rows and columns.
const STATES_16: [&str; 9] = [
    "Available",
    "Preparing",
    "Charging",
    "SuspendedEV",
    "SuspendedEVSE",
    "Finishing",
    "Reserved",
    "Unavailable",
    "Faulted",
];

/// For each 1.6 state (row), the states (columns, numbered from 1) it may change to: the
/// cells of the table in 1.6 §4.9 that name a transition (A2, A3, …).
const TABLE_16: [&str; 9] = [
    "2345789",  // A Available
    "134569",   // B Preparing
    "145689",   // C Charging
    "135689",   // D SuspendedEV
    "134689",   // E SuspendedEVSE
    "1289",     // F Finishing
    "1289",     // G Reserved
    "123459",   // H Unavailable
    "12345678", // I Faulted
];

/// The 1.6 states each 2.0.1 connector status stands for.
const STATES_201: [(&str, &[&str]); 5] = [
    ("Available", &["Available"]),
    (
        "Occupied",
        &[
            "Preparing",
            "Charging",
            "SuspendedEV",
            "SuspendedEVSE",
            "Finishing",
        ],
    ),
    ("Reserved", &["Reserved"]),
    ("Unavailable", &["Unavailable"]),
    ("Faulted", &["Faulted"]),
];

/// How many connectors one station may report before new ones are no longer followed.
const MAX_CONNECTORS: usize = 1024;

fn allowed_16(from: &str, to: &str) -> Option<bool> {
    let row = STATES_16.iter().position(|s| *s == from)?;
    let column = STATES_16.iter().position(|s| *s == to)? + 1;
    let digit = char::from_digit(u32::try_from(column).ok()?, 10)?;
    Some(TABLE_16[row].contains(digit))
}

fn allowed_201(from: &str, to: &str) -> Option<bool> {
    let stands_for = |status: &str| {
        STATES_201
            .iter()
            .find(|(name, _)| *name == status)
            .map(|(_, states)| *states)
    };
    let (from, to) = (stands_for(from)?, stands_for(to)?);
    Some(from.iter().any(|a| {
        to.iter()
            .any(|b| a != b && allowed_16(a, b).unwrap_or(false))
    }))
}

/// The last status of each connector of one station.
#[derive(Debug, Default)]
pub(super) struct Statuses {
    last: HashMap<Connector, (String, Position)>,
}

impl Statuses {
    /// Whether no connector reported a status.
    pub(super) fn is_empty(&self) -> bool {
        self.last.is_empty()
    }

    pub(super) fn observe(&mut self, cx: Cx<'_>, status: &Status<'_>, out: &mut Out<'_>) {
        let connector = status.connector;
        let now = &*status.status;
        out.fact(|| Fact::Status {
            charge_point: cx.charge_point.map(str::to_owned),
            connector: connector.to_string(),
            status: now.to_owned(),
            error_code: status
                .error_code
                .as_deref()
                .filter(|code| *code != "NoError")
                .map(str::to_owned),
            vendor_error_code: status
                .vendor_error_code
                .as_deref()
                .filter(|code| !code.is_empty())
                .map(str::to_owned),
            at: cx.time.copied(),
        });
        let v16 = cx.version == OcppVersion::V16;
        let pointer = if v16 { "/status" } else { "/connectorStatus" };
        if v16 && connector.id == 0 && !["Available", "Unavailable", "Faulted"].contains(&now) {
            out.findings.push(finding(
                cx.at,
                "semantic-status-connector-zero",
                Severity::Error,
                pointer.to_owned(),
                format!("connector 0 (the whole charge point) reported {now}; only Available, Unavailable or Faulted apply to it"),
                Some(Value::from(now)),
            ));
        }
        if let Some((before, at)) = self.last.get(&connector) {
            let allowed = if v16 {
                allowed_16(before, now)
            } else {
                allowed_201(before, now)
            };
            if before != now && allowed == Some(false) {
                let table = if v16 {
                    "the 1.6 state table (§4.9)"
                } else {
                    "the 2.0.1 counterpart of the 1.6 state table"
                };
                out.findings.push(finding(
                    cx.at,
                    "semantic-status-transition",
                    Severity::Error,
                    pointer.to_owned(),
                    format!(
                        "connector {connector} went from {before} (record {}) to {now}, which {table} does not allow",
                        at.record
                    ),
                    Some(Value::from(now)),
                ));
            }
        }
        if self.last.len() < MAX_CONNECTORS || self.last.contains_key(&connector) {
            self.last.insert(connector, (now.to_owned(), cx.at));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{allowed_16, allowed_201};

    #[test]
    fn the_1_6_table_reads_as_printed() {
        assert_eq!(allowed_16("Available", "Preparing"), Some(true));
        assert_eq!(allowed_16("Available", "Finishing"), Some(false));
        assert_eq!(allowed_16("Finishing", "Preparing"), Some(true));
        assert_eq!(allowed_16("Finishing", "Charging"), Some(false));
        assert_eq!(allowed_16("Faulted", "Unavailable"), Some(true));
        assert_eq!(allowed_16("Unavailable", "Reserved"), Some(false));
        assert_eq!(allowed_16("Charging", "Plugged"), None);
    }

    #[test]
    fn the_2_0_1_table_follows_from_the_1_6_one() {
        assert_eq!(allowed_201("Available", "Occupied"), Some(true));
        assert_eq!(allowed_201("Occupied", "Available"), Some(true));
        assert_eq!(allowed_201("Reserved", "Occupied"), Some(true));
        assert_eq!(allowed_201("Occupied", "Reserved"), Some(false));
        assert_eq!(allowed_201("Unavailable", "Reserved"), Some(false));
        assert_eq!(allowed_201("Faulted", "Reserved"), Some(true));
    }
}
