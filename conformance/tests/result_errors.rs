//! The checks of an `expect_call` step's CALLRESULTERROR (OCPP 2.1), each against a small
//! test CSMS over a real socket that answers the station's schema-failing CALLRESULT in its
//! own way: with the right code, a code the case does not accept, a CALLERROR, or nothing.

mod common;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ocpp_conformance::report::{CaseReport, Status};
use ocpp_conformance::runner::{run_case, RunConfig, Trigger};
use ocpp_conformance::scenario::Scenario;
use ocpp_conformance::transport::Target;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

/// How long the test CSMS waits for the station's next frame.
const WAIT: Duration = Duration::from_secs(10);

/// A 2.1 case whose CALLRESULT to a Reset fails its schema.
const CASE: &str = r#"format = 1
id = "T"
name = "t"
version = "2.1"

[[step]]
kind = "expect_call"
action = "Reset"
respond = { status = "NotAStatus" }
result_error.accept = [{ code = "PropertyConstraintViolation", reason = "§4.3" }]
result_error.timeout_ms = 1000
"#;

/// A 2.1 CSMS that sends one Reset and answers the station's CALLRESULT with `answer`, given
/// the CALLRESULT's id (nothing when it gives `None`).
async fn csms(answer: fn(&str) -> Option<Value>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/ocpp", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let Some(mut ws) = common::accept_selecting(stream, "ocpp2.1").await else {
            return;
        };
        let reset = json!([2, "csms-1", "Reset", {"type": "OnIdle"}]).to_string();
        if ws.send(Message::text(reset)).await.is_err() {
            return;
        }
        while let Ok(Some(Ok(message))) = tokio::time::timeout(WAIT, ws.next()).await {
            let frame: Value =
                serde_json::from_str(message.to_text().unwrap_or("")).unwrap_or_default();
            if frame[0] == 3 {
                if let Some(reply) = answer(frame[1].as_str().unwrap_or_default()) {
                    let _ = ws.send(Message::text(reply.to_string())).await;
                }
            }
        }
    });
    url
}

async fn run(answer: fn(&str) -> Option<Value>, strict: bool) -> CaseReport {
    let url = csms(answer).await;
    let mut config = RunConfig::new(Target::new(url), "SIM-001");
    config.trigger = Trigger::Command("true".to_owned());
    config.strict = strict;
    let scenario = Scenario::parse("t.toml", CASE).unwrap();
    tokio::time::timeout(Duration::from_secs(20), run_case(&config, &scenario))
        .await
        .expect("the case ran past 20 s")
}

fn rules(report: &CaseReport) -> Vec<&str> {
    report.deviations.iter().map(|d| d.rule.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_accepted_code_with_the_results_id_passes() {
    let report = run(
        |id| Some(json!([5, id, "PropertyConstraintViolation", "", {}])),
        true,
    )
    .await;
    assert_eq!(report.status, Status::Pass, "{report:?}");
    assert!(report.deviations.is_empty(), "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_the_case_does_not_accept_fails() {
    let report = run(|id| Some(json!([5, id, "GenericError", "", {}])), false).await;
    assert_eq!(report.status, Status::Fail, "{report:?}");
    assert_eq!(rules(&report), ["wrong-error-code"], "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_callerror_instead_fails() {
    let report = run(
        |id| Some(json!([4, id, "PropertyConstraintViolation", "", {}])),
        false,
    )
    .await;
    assert_eq!(report.status, Status::Fail, "{report:?}");
    assert!(
        rules(&report).contains(&"expected-callresulterror"),
        "{report:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_callresulterror_is_an_error_by_default() {
    let report = run(|_| None, false).await;
    assert_eq!(report.status, Status::Fail, "{report:?}");
    assert_eq!(rules(&report), ["no-callresulterror"], "{report:?}");
}
