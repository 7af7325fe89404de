//! `ocpp-validate summary`: the human table and JSON of the example depot trace, the
//! availability verdicts and the one-hour window of errors.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use ocpp_validate::check::CheckOptions;
use ocpp_validate::summary::{summarize, Availability, Summary};

fn traces() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("examples")
        .join("traces")
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::cargo_bin("ocpp-validate")
        .expect("the binary is built")
        .current_dir(traces())
        .arg("summary")
        .args(args)
        .output()
        .expect("the binary runs");
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

#[test]
fn human_summary_of_the_depot_trace() {
    let (code, stdout, stderr) = run(&["depot.jsonl"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    insta::assert_snapshot!("summary_depot_human", stdout);
}

#[test]
fn json_summary_of_the_depot_trace() {
    let (code, stdout, _) = run(&["--format", "json", "depot.jsonl"]);
    assert_eq!(code, Some(0));
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let verdicts: Vec<&str> = summary["chargePoints"]
        .as_array()
        .expect("charge points")
        .iter()
        .map(|cp| cp["availability"].as_str().expect("verdict"))
        .collect();
    assert_eq!(verdicts, ["available", "faulted", "degraded"]);
    insta::assert_snapshot!("summary_depot_json", stdout);
}

#[test]
fn an_unreadable_file_exits_2() {
    let (code, stdout, stderr) = run(&["no-such-trace.jsonl"]);
    assert_eq!((code, stdout.as_str()), (Some(2), ""));
    assert!(
        stderr.contains("cannot read no-such-trace.jsonl"),
        "{stderr}"
    );
}

/// A 1.6 record of `CP-1` at `hh:mm:ss` after 08:00 with this raw frame.
fn record(minutes: u32, seconds: u32, direction: &str, frame: &str) -> String {
    serde_json::json!({
        "schemaVersion": "1.0",
        "timestamp": format!("2024-05-01T{:02}:{:02}:{seconds:02}Z", 8 + minutes / 60, minutes % 60),
        "ocppVersion": "1.6",
        "chargePointId": "CP-1",
        "direction": direction,
        "raw": frame,
    })
    .to_string()
}

fn status(minutes: u32, id: &str, connector: u32, status: &str, error: &str) -> String {
    let call = format!(
        r#"[2,"{id}","StatusNotification",{{"connectorId":{connector},"errorCode":"{error}","status":"{status}"}}]"#
    );
    [
        record(minutes, 0, "cp-to-csms", &call),
        record(minutes, 1, "csms-to-cp", &format!(r#"[3,"{id}",{{}}]"#)),
    ]
    .join("\n")
}

fn summary_of(lines: &[String]) -> Summary {
    let text = lines.join("\n") + "\n";
    summarize(Cursor::new(text), &CheckOptions::default()).expect("in memory")
}

#[test]
fn verdicts_follow_the_last_statuses() {
    let verdict = |lines: &[String]| summary_of(lines).charge_points[0].availability;
    assert_eq!(
        verdict(&[status(0, "1", 1, "Available", "NoError")]),
        Availability::Available
    );
    assert_eq!(
        verdict(&[
            status(0, "1", 1, "Faulted", "NoError"),
            status(1, "2", 2, "Available", "NoError")
        ]),
        Availability::Faulted
    );
    assert_eq!(
        verdict(&[
            status(0, "1", 0, "Unavailable", "NoError"),
            status(1, "2", 1, "Available", "NoError")
        ]),
        Availability::Unavailable
    );
    assert_eq!(
        verdict(&[
            status(0, "1", 1, "Unavailable", "NoError"),
            status(1, "2", 2, "Available", "NoError")
        ]),
        Availability::Degraded
    );
    let heartbeat = [
        record(0, 0, "cp-to-csms", r#"[2,"h","Heartbeat",{}]"#),
        record(
            0,
            1,
            "csms-to-cp",
            r#"[3,"h",{"currentTime":"2024-05-01T08:00:01Z"}]"#,
        ),
    ];
    assert_eq!(verdict(&heartbeat), Availability::Unknown);
}

#[test]
fn only_errors_of_the_last_hour_count() {
    // An error code at 08:00, then an available connector at 09:30: the error is too old.
    let old = [
        status(0, "1", 1, "Available", "HighTemperature"),
        status(90, "2", 1, "Available", "NoError"),
    ];
    let point = &summary_of(&old).charge_points[0];
    assert_eq!(
        (point.errors_last_hour, point.availability),
        (Some(0), Availability::Available)
    );
    // The same at 08:45: within the hour before 09:30.
    let recent = [
        status(45, "1", 1, "Available", "HighTemperature"),
        status(90, "2", 1, "Available", "NoError"),
    ];
    let point = &summary_of(&recent).charge_points[0];
    assert_eq!(
        (point.errors_last_hour, point.availability),
        (Some(1), Availability::Degraded)
    );
}

/// Raw 1.6 frames, without capture times: a boot, an error (a StatusNotification whose
/// status is not one of the enumeration), then a transaction whose StartTransaction fails its
/// schema (meterStart "x"), a sample and the stop.
const UNTIMED: &str = r#"[2,"b","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
[3,"b",{"status":"Accepted","currentTime":"2024-05-01T08:00:00Z","interval":300}]
[2,"n","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charged"}]
[3,"n",{}]
[2,"s1","StartTransaction",{"connectorId":1,"idTag":"TAG","meterStart":"x","timestamp":"2024-05-01T08:00:00Z"}]
[3,"s1",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]
[2,"m1","MeterValues",{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2024-05-01T08:30:00Z","sampledValue":[{"value":"1500","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}]
[3,"m1",{}]
[2,"st","StopTransaction",{"transactionId":7,"meterStop":9000,"timestamp":"2024-05-01T09:00:00Z"}]
[3,"st",{}]
"#;

#[test]
fn without_capture_times_errors_count_over_the_trace() {
    let summary = summarize(Cursor::new(UNTIMED), &CheckOptions::default()).expect("in memory");
    let point = &summary.charge_points[0];
    assert_eq!(point.errors_last_hour, None, "the hour cannot be told");
    assert_eq!(point.errors, 2, "the status and the StartTransaction");
    assert_eq!(
        point.availability,
        Availability::Degraded,
        "errors, the hour unknown"
    );
    let checked = Command::cargo_bin("ocpp-validate")
        .expect("the binary is built")
        .args(["check", "--format", "json"])
        .write_stdin(UNTIMED)
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8(checked.stdout).expect("UTF-8");
    let last: serde_json::Value =
        serde_json::from_str(stdout.lines().last().expect("a summary line")).expect("JSON");
    assert_eq!(last["summary"]["errors"], 2, "check counts the same errors");
    let json = summary.to_json();
    assert!(!json.contains("errorsLastHour"), "{json}");
    assert!(json.contains(r#""errors": 2"#), "{json}");
    let text = ocpp_validate::summary::table(&summary);
    assert!(
        text.starts_with(
            "(no charge point id): degraded, 2 errors in all (no capture times: the last hour \
             cannot be told);"
        ),
        "{text}"
    );
}

#[test]
fn a_session_without_its_meter_start_or_its_start_has_unknown_energy() {
    // The StartTransaction fails its schema (meterStart "x"): the transaction is read, its
    // energy is not.
    let summary = summarize(Cursor::new(UNTIMED), &CheckOptions::default()).expect("in memory");
    let session = &summary.charge_points[0].sessions[0];
    assert_eq!(session.transaction_id, "7");
    assert_eq!(session.energy_wh, None, "no meterStart, no energy");
    let text = ocpp_validate::summary::table(&summary);
    assert!(text.contains("1 session, unknown energy"), "{text}");
    assert!(!text.contains("0 Wh"), "{text}");
    // A transaction first named by MeterValues and never stopped: its two samples are not
    // the session's energy.
    let halfway = r#"[2,"m1","MeterValues",{"connectorId":1,"transactionId":9,"meterValue":[{"timestamp":"2024-05-01T08:30:00Z","sampledValue":[{"value":"1000","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}]
[3,"m1",{}]
[2,"m2","MeterValues",{"connectorId":1,"transactionId":9,"meterValue":[{"timestamp":"2024-05-01T08:40:00Z","sampledValue":[{"value":"2000","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}]
[3,"m2",{}]
"#;
    let options = CheckOptions::default().with_version(Some(ocpp_model::OcppVersion::V16));
    let summary = summarize(Cursor::new(halfway), &options).expect("in memory");
    let session = &summary.charge_points[0].sessions[0];
    assert_eq!(session.transaction_id, "9");
    assert_eq!(session.energy_wh, None, "met halfway");
}

#[test]
fn summary_tells_the_version_as_check_does() {
    let fixtures = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("tests")
        .join("fixtures");
    let output = Command::cargo_bin("ocpp-validate")
        .expect("the binary is built")
        .current_dir(&fixtures)
        .args(["summary", "--format", "json", "raw-2.0.1.txt"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(0));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let boot = &summary["chargePoints"][0]["boots"][0];
    assert_eq!(
        (boot["vendor"].as_str(), boot["model"].as_str()),
        (Some("Volta"), Some("Wallbox S")),
        "a 2.0.1 boot read without --ocpp: {summary}"
    );
}
