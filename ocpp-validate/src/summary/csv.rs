//! The summary's tables as CSV (RFC 4180: a header line, fields quoted when they hold a
//! comma, a quote or a line break), one row per session or per connector, so that the
//! result loads straight back into a data lake.

use std::fmt::Display;

use ocpp_model::primitives::Decimal;

use super::{ChargePoint, Summary};
use crate::values::precise;

/// The statuses the connector table has a column of seconds for (1.6 §4.9 and 2.0.1
/// `ConnectorStatusEnumType`); time in any other status is in `secondsOther`.
const STATUSES: [&str; 10] = [
    "Available",
    "Preparing",
    "Charging",
    "SuspendedEVSE",
    "SuspendedEV",
    "Finishing",
    "Reserved",
    "Unavailable",
    "Faulted",
    "Occupied",
];

/// A CSV field: quoted when it must be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn cell<T: Display>(value: Option<T>) -> String {
    value.map(|v| field(&v.to_string())).unwrap_or_default()
}

fn number(value: Option<Decimal>) -> String {
    cell(value.map(|v| v.normalize()))
}

fn line(out: &mut String, cells: &[String]) {
    out.push_str(&cells.join(","));
    out.push('\n');
}

fn charge_point_id(point: &ChargePoint) -> String {
    cell(point.id.as_deref())
}

/// One row per session, after a header.
pub fn sessions_csv(summary: &Summary) -> String {
    let mut out = String::from(
        "chargePointId,transactionId,connector,idTag,start,stop,durationSeconds,energyWh,idleSeconds,peakPowerW,averagePowerW,stopReason,samples,jumps\n",
    );
    for point in &summary.charge_points {
        for s in &point.sessions {
            line(
                &mut out,
                &[
                    charge_point_id(point),
                    field(&s.transaction_id),
                    cell(s.connector.as_deref()),
                    cell(s.id_tag.as_deref()),
                    cell(s.start.as_ref().map(precise)),
                    cell(s.stop.as_ref().map(precise)),
                    number(s.duration_seconds),
                    number(s.energy_wh),
                    number(s.idle_seconds),
                    number(s.peak_power_w),
                    number(s.average_power_w),
                    cell(s.stop_reason.as_deref()),
                    s.samples.len().to_string(),
                    s.jumps.len().to_string(),
                ],
            );
        }
    }
    out
}

/// One row per connector, after a header: its last status and the seconds spent in each.
pub fn connectors_csv(summary: &Summary) -> String {
    let mut out =
        String::from("chargePointId,connector,status,errorCode,vendorErrorCode,since,reports");
    for status in STATUSES {
        out.push_str(&format!(",seconds{status}"));
    }
    out.push_str(",secondsOther\n");
    for point in &summary.charge_points {
        for c in &point.connectors {
            let mut cells = vec![
                charge_point_id(point),
                field(&c.connector),
                field(&c.status),
                cell(c.error_code.as_deref()),
                cell(c.vendor_error_code.as_deref()),
                cell(c.at.as_ref().map(precise)),
                c.timeline.len().to_string(),
            ];
            cells.extend(
                STATUSES
                    .iter()
                    .map(|s| number(c.time_in_status.get(*s).copied())),
            );
            let other = c
                .time_in_status
                .iter()
                .filter(|(status, _)| !STATUSES.contains(&status.as_str()))
                .map(|(_, seconds)| *seconds)
                .reduce(|sum, s| sum.checked_add(s).unwrap_or(sum));
            cells.push(number(other));
            line(&mut out, &cells);
        }
    }
    out
}
