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
