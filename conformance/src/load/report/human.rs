//! The load report for people: summary, per-action table and a latency histogram.

use std::fmt::Write;

use super::LoadReport;

/// Width of the longest histogram bar, in characters.
const BAR: u64 = 40;

/// The report as text.
pub fn human(report: &LoadReport) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_report(&mut out, report);
    out
}

fn write_report(out: &mut String, r: &LoadReport) -> std::fmt::Result {
    let c = &r.connections;
    writeln!(
        out,
        "load: {} stations, OCPP {}, against {}, {:.1} s",
        r.stations, r.ocpp, r.target, r.elapsed_s
    )?;
    writeln!(
        out,
        "connections: {} attempted, {} established, {} failed, {} dropped, peak {} concurrent, {} not started",
        c.attempted, c.established, c.failed, c.dropped, c.peak_concurrent, c.not_started
    )?;
    if !c.drops.is_empty() {
        let reasons: Vec<String> = c
            .drops
            .iter()
            .map(|(reason, count)| format!("{count} {}", reason.name()))
            .collect();
        writeln!(out, "  dropped: {}", reasons.join(", "))?;
    }
    if let Some(failure) = &c.first_failure {
        writeln!(out, "  first failure: {failure}")?;
    }
    writeln!(
        out,
        "messages: {} CALLs, {} responses, {} timeouts ({} answered late), {:.1} messages/s",
        r.calls, r.responses, r.timeouts, r.late_responses, r.messages_per_s
    )?;
    for (title, counts) in [
        ("CALLERRORs", &r.call_errors),
        ("deviations", &r.deviations),
    ] {
        if counts.is_empty() {
            writeln!(out, "{title}: none")?;
        } else {
            writeln!(out, "{title}:")?;
            for (name, count) in counts {
                writeln!(out, "  {name:<32} {count:>8}")?;
            }
        }
    }
    writeln!(
        out,
        "\n{:<24} {:>8} {:>8} {:>7} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "action", "calls", "results", "errors", "timeouts", "p50 ms", "p90 ms", "p99 ms", "max ms"
    )?;
    let rows = r.actions.iter().map(|(name, a)| {
        (
            name.as_str(),
            a.calls,
            a.results,
            a.errors,
            a.timeouts,
            a.latency,
        )
    });
    let total = (
        "all",
        r.calls,
        r.actions.values().map(|a| a.results).sum(),
        r.actions.values().map(|a| a.errors).sum(),
        r.timeouts,
        r.latency,
    );
    for (name, calls, results, errors, timeouts, l) in rows.chain([total]) {
        writeln!(
            out,
            "{name:<24} {calls:>8} {results:>8} {errors:>7} {timeouts:>8} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
            l.p50_ms, l.p90_ms, l.p99_ms, l.max_ms
        )?;
    }
    if !r.histogram.is_empty() {
        writeln!(out, "\nround-trip latency:")?;
        let most = r
            .histogram
            .iter()
            .map(|b| b.count)
            .max()
            .unwrap_or(1)
            .max(1);
        for bin in &r.histogram {
            let bar = "#".repeat(((bin.count * BAR).div_ceil(most)) as usize);
            let line = format!("  <= {:>6} ms {:>9}  {bar}", bin.le_ms, bin.count);
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    let cost = &r.client;
    writeln!(
        out,
        "\nclient{}: {:.2} s CPU ({:.1} % of one core), peak RSS {:.1} MiB, {:.1} KiB per station",
        if cost.includes_csms {
            " (with the embedded CSMS)"
        } else {
            ""
        },
        cost.cpu_s,
        cost.cpu_percent,
        cost.peak_rss_bytes as f64 / f64::from(1 << 20),
        cost.rss_per_station_bytes as f64 / 1024.0,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn renders_the_sample() {
        insta::assert_snapshot!(super::human(&super::super::sample::report()));
    }
}
