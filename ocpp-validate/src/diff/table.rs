//! The human rendering of a [`Diff`]: aligned tables, one section per kind of change,
//! sections with nothing to show left out.

use std::fmt::Write as _;

use super::compare::{Change, Diff, Side, Table};

/// The comparison as text for people; `before` and `after` name the two traces.
pub fn table(diff: &Diff, before: &str, after: &str) -> String {
    let mut out = String::new();
    side(&mut out, "before", before, &diff.before);
    side(&mut out, "after", after, &diff.after);
    counts(&mut out, "Message types", &diff.message_types, false);
    counts(&mut out, "Actions (CALLs and SENDs)", &diff.actions, false);
    listed(&mut out, "New actions", &diff.new_actions);
    listed(&mut out, "Vanished actions", &diff.vanished_actions);
    if !diff.members.is_empty() {
        out.push_str("\nMembers\n");
        for change in &diff.members {
            for (sign, paths) in [('+', &change.appeared), ('-', &change.vanished)] {
                for path in paths {
                    let _ = writeln!(out, "  {sign} {} {}: {path}", change.action, change.payload);
                }
            }
        }
    }
    if !diff.enum_values.is_empty() {
        out.push_str("\nEnumerated values\n");
        for change in &diff.enum_values {
            for (sign, values) in [('+', &change.appeared), ('-', &change.vanished)] {
                for value in values {
                    let (action, payload, member) =
                        (&change.action, change.payload, &change.member);
                    let _ = writeln!(out, "  {sign} {action} {payload} {member}: {value}");
                }
            }
        }
    }
    counts(&mut out, "Error codes", &diff.error_codes, true);
    counts(&mut out, "Findings per rule", &diff.rules, true);
    if !diff.latency.is_empty() {
        out.push_str("\nAnswer latency, ms (p50 / p95 / p99, answers timed)\n");
        let width = diff
            .latency
            .iter()
            .map(|l| l.action.len())
            .max()
            .unwrap_or(0);
        for change in &diff.latency {
            let show = |p: Option<super::Percentiles>| {
                p.map_or_else(
                    || "—".to_owned(),
                    |p| format!("{} / {} / {} ({})", p.p50, p.p95, p.p99, p.count),
                )
            };
            let moved = change
                .p95_change_percent
                .map_or_else(String::new, |c| format!("  p95 {c:+}%"));
            let _ = writeln!(
                out,
                "  {:<width$}  {} → {}{moved}",
                change.action,
                show(change.before),
                show(change.after)
            );
        }
    }
    if !diff.crossed.is_empty() {
        out.push_str("\nThresholds crossed\n");
        for crossed in &diff.crossed {
            let _ = writeln!(out, "  {crossed}");
        }
    }
    out
}

fn side(out: &mut String, label: &str, name: &str, side: &Side) {
    let hours = side
        .hours
        .map_or_else(|| "no capture times".to_owned(), |h| format!("{h} h"));
    let _ = writeln!(
        out,
        "{label:<6} {name}: {} records, {hours}, {} findings",
        side.records, side.findings
    );
}

/// A table of counts; with `changed_only`, the rows whose count is the same are left out.
fn counts(out: &mut String, title: &str, table: &Table, changed_only: bool) {
    let rows: Vec<&Change> = (table.rows.iter())
        .filter(|row| !changed_only || row.before != row.after)
        .collect();
    if rows.is_empty() {
        return;
    }
    let width = rows
        .iter()
        .map(|row| row.name.len())
        .max()
        .unwrap_or(0)
        .max(4);
    let _ = writeln!(
        out,
        "\n{title}\n  {:<width$}  {:>8}  {:>8}  {:>12}  {:>12}  change",
        "", "before", "after", "before rate", "after rate"
    );
    for row in rows {
        let change = row
            .change_percent
            .map_or_else(|| "new".to_owned(), |c| format!("{c:+}%"));
        let change = if row.after == 0 && row.before > 0 {
            "gone".to_owned()
        } else {
            change
        };
        let _ = writeln!(
            out,
            "  {:<width$}  {:>8}  {:>8}  {:>12}  {:>12}  {change}",
            row.name, row.before, row.after, row.before_rate, row.after_rate
        );
    }
    let _ = writeln!(out, "  (rates {})", table.unit);
}

fn listed(out: &mut String, title: &str, items: &[String]) {
    if !items.is_empty() {
        let _ = writeln!(out, "\n{title}\n  {}", items.join(", "));
    }
}
