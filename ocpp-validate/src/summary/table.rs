//! The summary as tables for people.

use std::fmt::Write;

use ocpp_model::primitives::Decimal;

use super::{Availability, ChargePoint, Summary};

/// The summary as text: a header line per charge point, then its boots, sessions and
/// connectors as aligned tables.
pub fn table(summary: &Summary) -> String {
    let mut out = String::new();
    for (n, point) in summary.charge_points.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        charge_point(&mut out, point);
    }
    if summary.charge_points.is_empty() {
        out.push_str("no messages\n");
    }
    out
}

fn charge_point(out: &mut String, point: &ChargePoint) {
    let name = point.id.as_deref().unwrap_or("(no charge point id)");
    let availability = match point.availability {
        Availability::Unknown => "unknown",
        Availability::Available => "available",
        Availability::Degraded => "degraded",
        Availability::Unavailable => "unavailable",
        Availability::Faulted => "faulted",
    };
    let last = point
        .last_message
        .map_or_else(|| "unknown".to_owned(), |t| super::precise(&t));
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let errors = match point.errors_last_hour {
        Some(recent) => format!(
            "{recent} error{} in the last hour, {} in all",
            plural(recent),
            point.errors
        ),
        None => format!(
            "{} error{} in all (no capture times: the last hour cannot be told)",
            point.errors,
            plural(point.errors)
        ),
    };
    let _ = writeln!(
        out,
        "{name}: {availability}, {errors}; {} messages, last at {last}",
        point.messages,
    );
    if !point.sessions.is_empty() {
        let energy = point.total_energy_wh.map_or_else(
            || "unknown energy".to_owned(),
            |e| format!("{} Wh", e.normalize()),
        );
        let average = point
            .average_session_seconds
            .map_or_else(|| "-".to_owned(), duration);
        let _ = writeln!(
            out,
            "  {} session{}, {energy}, average duration {average}",
            point.sessions.len(),
            if point.sessions.len() == 1 { "" } else { "s" },
        );
    }
    let text = |value: Option<String>| value.unwrap_or_else(|| "-".to_owned());
    let boots: Vec<Vec<String>> = point
        .boots
        .iter()
        .map(|boot| {
            vec![
                text(boot.at.map(|t| super::precise(&t))),
                boot.vendor.clone(),
                boot.model.clone(),
                text(boot.firmware.clone()),
                text(boot.status.clone()),
            ]
        })
        .collect();
    section(
        out,
        "boots",
        &["at", "vendor", "model", "firmware", "answer"],
        &boots,
    );
    let sessions: Vec<Vec<String>> = point
        .sessions
        .iter()
        .map(|s| {
            vec![
                s.transaction_id.clone(),
                text(s.connector.clone()),
                text(s.id_tag.clone()),
                text(s.start.map(|t| super::precise(&t))),
                s.stop
                    .map_or_else(|| "(open)".to_owned(), |t| super::precise(&t)),
                text(s.duration_seconds.map(duration)),
                text(s.energy_wh.map(|e| format!("{} Wh", e.normalize()))),
                text(s.idle_seconds.map(duration)),
                text(s.peak_power_w.map(|p| format!("{} W", p.normalize()))),
                text(s.average_power_w.map(|p| format!("{} W", p.normalize()))),
                text(s.stop_reason.clone()),
                s.jumps.len().to_string(),
            ]
        })
        .collect();
    section(
        out,
        "sessions",
        &[
            "transaction",
            "connector",
            "id tag",
            "start",
            "stop",
            "duration",
            "energy",
            "idle",
            "peak",
            "average",
            "reason",
            "jumps",
        ],
        &sessions,
    );
    let connectors: Vec<Vec<String>> = point
        .connectors
        .iter()
        .map(|c| {
            vec![
                c.connector.clone(),
                c.status.clone(),
                text(c.error_code.clone()),
                text(c.at.map(|t| super::precise(&t))),
                c.time_in_status
                    .iter()
                    .map(|(status, seconds)| format!("{status} {}", duration(*seconds)))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    section(
        out,
        "connectors",
        &["connector", "status", "error", "since", "time in status"],
        &connectors,
    );
    if !point.recent_errors.is_empty() {
        let kinds: Vec<String> = point
            .recent_errors
            .iter()
            .map(|e| format!("{} ×{}", e.kind, e.count))
            .collect();
        let _ = writeln!(out, "  errors in the last hour: {}", kinds.join(", "));
    }
}

/// A titled table with aligned columns; nothing when there are no rows.
fn section(out: &mut String, title: &str, header: &[&str], rows: &[Vec<String>]) {
    if rows.is_empty() {
        return;
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let _ = writeln!(out, "  {title}:");
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        let _ = writeln!(out, "    {}", cells.join("  ").trim_end());
    }
}

/// Seconds as `1h02m05s`, `44m55s` or `12s` (fractions of a second left out).
fn duration(seconds: Decimal) -> String {
    let seconds = i64::try_from(seconds.trunc()).unwrap_or(i64::MAX);
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s:02}s"),
        _ => format!("{h}h{m:02}m{s:02}s"),
    }
}
