//! Session analytics in `summary`: per session duration, energy, idle time, peak and
//! average power, stop reason and charging profile; per charge point totals, time in each
//! connector status and the errors of the last hour; as tables, JSON and CSV.

mod common;

use common::{lake_fixtures, ocpp_validate};

fn summary(args: &[&str]) -> String {
    let args: Vec<&str> = std::iter::once("summary")
        .chain(args.iter().copied())
        .collect();
    let (code, stdout, stderr) = ocpp_validate(&lake_fixtures(), &args);
    assert_eq!((code, stderr.as_str()), (Some(0), ""), "{args:?}");
    stdout
}

#[test]
fn a_session_with_meter_values_as_a_table() {
    // Microsecond times, snake_case bodies, 1.6 power, current, voltage and SoC samples.
    insta::assert_snapshot!(
        "analytics_microseconds_human",
        summary(&["microseconds.jsonl"])
    );
}

#[test]
fn a_session_with_meter_values_as_json() {
    let text = summary(&["--format", "json", "microseconds.jsonl"]);
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let session = &json["chargePoints"][0]["sessions"][0];
    assert_eq!(session["durationSeconds"], serde_json::json!(415.530865));
    assert_eq!(session["energyWh"], serde_json::json!(390));
    assert_eq!(session["idleSeconds"], serde_json::json!(120));
    assert_eq!(session["peakPowerW"], serde_json::json!(7400));
    assert_eq!(session["stopReason"], "EVDisconnected");
    assert_eq!(session["samples"].as_array().map(Vec::len), Some(6));
    insta::assert_snapshot!("analytics_microseconds_json", text);
}

#[test]
fn the_jump_threshold_decides_which_changes_are_jumps() {
    let jumps = |threshold: &str| {
        let text = summary(&[
            "--format",
            "json",
            "--jump-threshold",
            threshold,
            "microseconds.jsonl",
        ]);
        let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        json["chargePoints"][0]["sessions"][0]["jumps"]
            .as_array()
            .map_or(0, Vec::len)
    };
    // Power 7400 → 3000 → 0 and current 32 → 14 → 0 (59 % and 100 %); SoC 41 → 43 (5 %).
    assert_eq!(jumps("10%"), 4);
    assert_eq!(jumps("60"), 2);
    assert_eq!(jumps("4%"), 5);
    let (code, _, stderr) = ocpp_validate(
        &lake_fixtures(),
        &["summary", "--jump-threshold", "2000%", "microseconds.jsonl"],
    );
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--jump-threshold"), "{stderr}");
}

#[test]
fn csv_tables_of_sessions_and_connectors() {
    let sessions = summary(&["--format", "csv", "microseconds.jsonl"]);
    assert_eq!(
        summary(&["--format", "csv", "--sessions", "microseconds.jsonl"]),
        sessions
    );
    insta::assert_snapshot!("analytics_sessions_csv", sessions);
    insta::assert_snapshot!(
        "analytics_connectors_csv",
        summary(&["--format", "csv", "--connectors", "microseconds.jsonl"])
    );
    let (code, _, stderr) = ocpp_validate(
        &lake_fixtures(),
        &["summary", "--connectors", "microseconds.jsonl"],
    );
    assert_eq!(code, Some(2), "{stderr}");
}

#[test]
fn the_repaired_lake_export_as_json() {
    insta::assert_snapshot!(
        "analytics_nulls_snake_json",
        summary(&["--tolerant", "--format", "json", "nulls_snake.jsonl"])
    );
}

/// An Open OCPP Trace of `points` charge points with `sessions` 1.6 sessions each, answered.
fn depot(points: usize, sessions: usize) -> String {
    let mut out = String::new();
    let mut line = |cp: usize, second: usize, direction: &str, raw: String| {
        let time = format!(
            "2024-05-01T{:02}:{:02}:{:02}.{:06}Z",
            second / 3600,
            second / 60 % 60,
            second % 60,
            cp * 1000 + 7
        );
        let record = serde_json::json!({
            "schemaVersion": "1.0", "timestamp": time, "ocppVersion": "1.6",
            "chargePointId": format!("CP-{cp:02}"), "direction": direction, "raw": raw,
        });
        out.push_str(&(record.to_string() + "\n"));
    };
    for n in 0..sessions {
        for cp in 0..points {
            let t = n * 300 + cp;
            let tx = n * 100 + cp;
            let at = |s: usize| {
                format!(
                    "2024-05-01T{:02}:{:02}:{:02}Z",
                    s / 3600,
                    s / 60 % 60,
                    s % 60
                )
            };
            line(
                cp,
                t,
                "cp-to-csms",
                format!(
                    r#"[2,"s{n}","StartTransaction",{{"connectorId":1,"idTag":"TAG-{cp}","meterStart":{},"timestamp":"{}"}}]"#,
                    n * 1000,
                    at(t)
                ),
            );
            line(
                cp,
                t,
                "csms-to-cp",
                format!(
                    r#"[3,"s{n}",{{"transactionId":{tx},"idTagInfo":{{"status":"Accepted"}}}}]"#
                ),
            );
            line(
                cp,
                t + 200,
                "cp-to-csms",
                format!(
                    r#"[2,"e{n}","StopTransaction",{{"transactionId":{tx},"meterStop":{},"timestamp":"{}","reason":"Local"}}]"#,
                    n * 1000 + 700 + cp,
                    at(t + 200)
                ),
            );
            line(cp, t + 200, "csms-to-cp", format!(r#"[3,"e{n}",{{}}]"#));
        }
    }
    out
}

#[test]
fn tables_stay_aligned_at_ten_charge_points_and_a_hundred_sessions_each() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("depot.jsonl"), depot(10, 100)).expect("written");
    let (code, text, stderr) = ocpp_validate(dir.path(), &["summary", "depot.jsonl"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    let blocks: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(blocks.len(), 10);
    for block in blocks {
        let rows: Vec<&str> = block
            .lines()
            .skip_while(|l| *l != "  sessions:")
            .skip(1)
            .take_while(|l| l.starts_with("    "))
            .collect();
        assert_eq!(rows.len(), 101, "a header and a line per session");
        // Every row starts each column where the header does.
        let header = rows[0];
        for column in ["start", "stop", "duration", "energy", "reason"] {
            let at = header.find(&format!("  {column}")).expect("column") + 2;
            for row in &rows[1..] {
                assert!(
                    row.len() > at && row.as_bytes()[at - 1] == b' ' && row.as_bytes()[at] != b' ',
                    "{column} not aligned in {row:?} under {header:?}"
                );
            }
        }
        assert!(
            block.lines().all(|l| l.chars().count() <= 200),
            "lines fit 200 columns"
        );
    }
}
