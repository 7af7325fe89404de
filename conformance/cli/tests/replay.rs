//! `replay` against the reference CSMS over loopback: rewrites are applied and answers that
//! differ in structure from the recorded ones are deviations.

use assert_cmd::Command;
use ocpp_conformance::csms::{Csms, Fault};

const TRACE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/session-16.jsonl"
);

fn replay(csms: &Csms, extra: &[&str]) -> (Option<i32>, String) {
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["replay", "--trace", TRACE, "--target", &csms.url()])
        .args(extra)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_recorded_session_replays_with_one_enum_difference() {
    let csms = Csms::start("127.0.0.1:0", Vec::new()).await.unwrap();
    // The trace recorded INVALID-1 as accepted; the reference CSMS refuses it.
    let (code, text) = replay(&csms, &[]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(text);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_action_filter_and_an_id_tag_mapping_leave_no_difference() {
    let csms = Csms::start("127.0.0.1:0", Vec::new()).await.unwrap();
    let (code, text) = replay(
        &csms,
        &["--action", "Authorize", "--id-tag", "INVALID-1=GOOD-1"],
    );
    assert_eq!(code, Some(0), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_schema_invalid_csms_differs_from_the_recording() {
    let csms = Csms::start("127.0.0.1:0", vec![Fault::SchemaInvalidResponse])
        .await
        .unwrap();
    let (code, text) = replay(&csms, &["--format", "json", "--action", "BootNotification"]);
    assert_eq!(code, Some(1));
    assert!(
        text.contains("/notInTheSchema: present but not recorded"),
        "{text}"
    );
    assert!(text.contains("schema-additional-property"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_shipped_clean_trace_replays_cleanly_unless_strict() {
    let clean = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../ocpp-validate/examples/traces/clean.jsonl"
    );
    let csms = Csms::start("127.0.0.1:0", Vec::new()).await.unwrap();
    let run = |extra: &[&str]| {
        Command::cargo_bin("ocpp-conformance")
            .unwrap()
            .args(["replay", "--trace", clean, "--target", &csms.url()])
            .args(extra)
            .output()
            .unwrap()
    };
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    // The reference CSMS leaves out StopTransaction's optional idTagInfo, which was recorded.
    let output = run(&["--strict-replay"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

const TWO_STATIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/two-stations.jsonl"
);

/// The charge point and version of every record of a capture file.
fn captured(path: &std::path::Path) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                record["chargePointId"].as_str().unwrap().to_owned(),
                record["ocppVersion"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_charge_point_of_a_trace_gets_its_own_connection_and_version() {
    let csms = Csms::start("127.0.0.1:0", Vec::new()).await.unwrap();
    let capture = std::env::temp_dir().join(format!("two-stations-{}.jsonl", std::process::id()));
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["replay", "--trace", TWO_STATIONS, "--target", &csms.url()])
        .arg("--capture")
        .arg(&capture)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
    let mut stations = captured(&capture);
    stations.dedup();
    assert_eq!(
        stations,
        [
            ("CP-16".to_owned(), "1.6".to_owned()),
            ("CP-201".to_owned(), "2.0.1".to_owned())
        ]
    );
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["replay", "--trace", TWO_STATIONS, "--target", &csms.url()])
        .args(["--charge-point", "CP-201", "--capture"])
        .arg(&capture)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let captured = captured(&capture);
    let _ = std::fs::remove_file(&capture);
    assert_eq!(captured.len(), 6);
    assert!(captured
        .iter()
        .all(|(cp, v)| cp == "CP-201" && v == "2.0.1"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_charge_point_the_trace_does_not_name_is_refused() {
    let csms = Csms::start("127.0.0.1:0", Vec::new()).await.unwrap();
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["replay", "--trace", TWO_STATIONS, "--target", &csms.url()])
        .args(["--charge-point", "CP-9"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "error: replaying {TWO_STATIONS}: --charge-point CP-9: the trace has no records of \
             this charge point; it has CP-16, CP-201\n"
        )
    );
}

#[test]
fn load_plays_one_charge_point_of_a_multi_station_trace() {
    let load = |extra: &[&str]| {
        Command::cargo_bin("ocpp-conformance")
            .unwrap()
            .args(["load", "--trace", TWO_STATIONS, "--stations", "2"])
            .args(["--duration", "2s", "--ramp", "1000", "--format", "json"])
            .args(extra)
            .output()
            .unwrap()
    };
    let output = load(&[]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr).replace(TWO_STATIONS, "TRACE"));
    let output = load(&["--charge-point", "CP-201"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["ocpp"], "2.0.1");
    assert_eq!(report["connections"]["established"], 2);
    assert!(
        report["actions"].get("StatusNotification").is_some(),
        "{report}"
    );
}

/// A 2.1 trace with a SEND: the SEND is replayed as a SEND and nothing answers it; a CSMS
/// that answers it (its twin) gets the orphan answer reported.
#[tokio::test(flavor = "multi_thread")]
async fn a_2_1_trace_with_a_send_replays_cleanly_and_an_answered_send_is_reported() {
    let trace = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/session-21.jsonl"
    );
    let replay = |csms: &Csms| {
        let output = Command::cargo_bin("ocpp-conformance")
            .unwrap()
            .args(["replay", "--format", "json", "--trace", trace, "--target"])
            .arg(csms.url())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        (output.status.code(), text)
    };
    let clean = Csms::start("127.0.0.1:0", Vec::new()).await.unwrap();
    let (code, text) = replay(&clean);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("OCPP 2.1"), "{text}");
    let answering = Csms::start("127.0.0.1:0", vec![Fault::AnswerSend])
        .await
        .unwrap();
    let (code, text) = replay(&answering);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("correlation-orphan-response"), "{text}");
    // The SEND went out as cs-2; the answer to it is seen while the next CALL waits.
    assert!(
        text.contains("CALLERROR \\\"cs-2\\\" answers no open CALL"),
        "{text}"
    );
}
