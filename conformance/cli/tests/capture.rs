//! `--capture FILE`: a run against the embedded reference CSMS writes every frame both ways as
//! Open OCPP Trace 1.1, which `ocpp-validate` reads back as such and finds clean; `serve
//! --capture` does the same from the CSMS's side and keeps every record when it is killed; a
//! capture file that cannot be created is a usage error before anything runs.

use std::io::Cursor;

use assert_cmd::Command;
use ocpp_validate::check::{check_reader, CheckOptions};
use ocpp_validate::trace::InputFormat;
use serde_json::Value;

mod child;

/// A scratch directory removed at the end.
struct Scratch(std::path::PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(test: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("ocpp-capture-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// The boot, status and heartbeat case of the 1.6 suite.
const CASE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../suites/v16/TC_B_01_CSMS.toml"
);

#[test]
fn a_run_captures_both_directions_as_open_ocpp_trace() {
    let dir = scratch("run");
    let capture = dir.0.join("run.jsonl");
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["run", "--scenario", CASE, "--capture"])
        .arg(&capture)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_clean_capture(&std::fs::read_to_string(&capture).unwrap());
}

#[test]
fn serve_captures_its_connections_and_keeps_them_when_killed() {
    let dir = scratch("serve");
    let capture = dir.0.join("serve.jsonl");
    let port = child::free_port();
    let (mut serve, line) = child::start(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("ocpp-conformance"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--capture"])
            .arg(&capture),
    );
    assert!(line.contains("listening"), "{line}");
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["run", "--scenario", CASE, "--target"])
        .arg(format!("ws://127.0.0.1:{port}/ocpp"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    serve.0.kill().unwrap();
    serve.0.wait().unwrap();
    assert_clean_capture(&std::fs::read_to_string(&capture).unwrap());
}

/// The case's six frames, in order, as Open OCPP Trace 1.1 records that `ocpp-validate`
/// reads as such and finds nothing wrong with.
fn assert_clean_capture(text: &str) {
    let records: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    // Three CALLs of the station and the CSMS's three answers, in the order they passed.
    let seen: Vec<(&str, &str, Option<&str>)> = records
        .iter()
        .map(|r| {
            (
                r["direction"].as_str().unwrap(),
                r["messageType"].as_str().unwrap(),
                r["action"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("cp-to-csms", "CALL", Some("BootNotification")),
            ("csms-to-cp", "CALLRESULT", None),
            ("cp-to-csms", "CALL", Some("StatusNotification")),
            ("csms-to-cp", "CALLRESULT", None),
            ("cp-to-csms", "CALL", Some("Heartbeat")),
            ("csms-to-cp", "CALLRESULT", None),
        ],
        "{text}"
    );
    for record in &records {
        assert_eq!(record["schemaVersion"], "1.1");
        assert_eq!(record["ocppVersion"], "1.6");
        assert_eq!(record["chargePointId"], "SIM-001");
        assert!(record["raw"].is_string(), "{record}");
    }
    let options = CheckOptions::default().with_input(Some(InputFormat::OpenOcppTrace));
    let mut findings = Vec::new();
    let summary = check_reader(Cursor::new(text), options, &mut |f| findings.push(f)).unwrap();
    assert_eq!(summary.records, 6);
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn a_capture_file_that_cannot_be_created_stops_the_run_first() {
    let dir = scratch("unwritable");
    let capture = dir.0.join("no-such-folder").join("run.jsonl");
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["run", "--capture"])
        .arg(&capture)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no-such-folder"), "{stderr}");
}
