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
        "/../ocpp-validate/examples/traces/clean.jsonl"
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
