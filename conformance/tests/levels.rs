//! The negative frame tests grade answers by the specification's words: a code in the
//! case's accepted set is no deviation, a missing answer the text does not require is a
//! warning, a code outside the set or a `-1` for a readable id is one error.

mod common;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ocpp_conformance::report::{CaseReport, Status};
use ocpp_conformance::runner::{run_case, Level, RunConfig, Trigger};
use ocpp_conformance::scenario::Step;
use ocpp_conformance::suites;
use ocpp_conformance::transport::Target;
use ocpp_model::OcppVersion;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

/// How a test CSMS answers the malformed frame whose text contains a marker.
#[derive(Clone, Copy)]
enum Answer {
    /// A CALLERROR with this code and the frame's id.
    Code(&'static str),
    /// A CALLERROR with this code and message id `-1`.
    MinusOne(&'static str),
    /// Nothing: the frame is dropped.
    Drop,
}

/// A CSMS that answers every malformed frame as the reference CSMS does, except those whose
/// text contains one of `answers`' markers.
async fn negative_csms(version: OcppVersion, answers: Vec<(&'static str, Answer)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/ocpp", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let Some(mut ws) = common::accept_selecting(stream, version.subprotocol()).await else {
            return;
        };
        while let Some(Ok(Message::Text(text))) = ws.next().await {
            let text = text.as_str();
            let chosen = answers.iter().find(|(marker, _)| text.contains(marker));
            let id = text.split('"').nth(1).unwrap_or("-1");
            let reply = match chosen.map(|(_, answer)| *answer) {
                Some(Answer::Code(code)) => Some((id.to_owned(), code.to_owned())),
                Some(Answer::MinusOne(code)) => Some(("-1".to_owned(), code.to_owned())),
                Some(Answer::Drop) => None,
                None => reference_code(version, text),
            };
            if let Some((id, code)) = reply {
                let frame = serde_json::json!([4, id, code, "", {}]).to_string();
                if ws.send(Message::text(frame)).await.is_err() {
                    return;
                }
            }
        }
    });
    url
}

/// The reply id and code the reference CSMS would answer `text` with, if any.
fn reference_code(version: OcppVersion, text: &str) -> Option<(String, String)> {
    use ocpp_validate::{check_frame, validate_payload, FrameParts, PayloadKind};
    let frame = match check_frame(version, text) {
        Err(issue) => return Some((issue.reply_id, issue.error_code?.as_str().to_owned())),
        Ok(frame) => frame,
    };
    let FrameParts::Call {
        message_id,
        action,
        payload,
    } = FrameParts::from(frame)
    else {
        return None;
    };
    let payload = serde_json::Value::Object(payload);
    let code = match validate_payload(version, &action, PayloadKind::Request, &payload) {
        Err(_) => "NotImplemented".to_owned(),
        Ok(violations) => violations.first()?.error_code.as_str().to_owned(),
    };
    Some((message_id, code))
}

/// Runs the version's negative frame case against a [`negative_csms`].
async fn negative_case(
    version: OcppVersion,
    answers: Vec<(&'static str, Answer)>,
    strict: bool,
) -> CaseReport {
    let (files, id) = match version {
        OcppVersion::V16 => (suites::V16, "1.6-OCPPJ_NEGATIVE"),
        _ => (suites::V201, "OCPPJ_NEGATIVE"),
    };
    let mut scenario = suites::load(files)
        .unwrap()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap();
    // Dropped frames are waited for briefly, so that the test stays short.
    for step in &mut scenario.steps {
        if let Step::SendRaw { timeout_ms, .. } = step {
            *timeout_ms = 300;
        }
    }
    let mut config = RunConfig::new(
        Target::new(negative_csms(version, answers).await),
        "SIM-001",
    );
    config.trigger = Trigger::None;
    config.strict = strict;
    tokio::time::timeout(Duration::from_secs(20), run_case(&config, &scenario))
        .await
        .expect("the case ran past 20 s")
}

fn graded(report: &CaseReport) -> Vec<(usize, &str, Level)> {
    report
        .deviations
        .iter()
        .map(|d| (d.step, d.rule.as_str(), d.level))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn codes_in_the_1_6_accepted_sets_are_no_deviation() {
    let answers = vec![
        ("chargePointVendor", Answer::Code("ProtocolError")),
        ("\"Heartbeat\", []", Answer::Code("TypeConstraintViolation")),
    ];
    let report = negative_case(OcppVersion::V16, answers, false).await;
    assert_eq!(graded(&report), [], "{report:?}");
    assert_eq!(report.status, Status::Pass);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_1_6_csms_that_answers_no_malformed_frame_gets_warnings_that_fail_only_strict_runs() {
    let answers = vec![("[2", Answer::Drop)];
    let report = negative_case(OcppVersion::V16, answers.clone(), false).await;
    let warnings: Vec<_> = (1..=5)
        .map(|step| (step, "no-callerror", Level::Warning))
        .collect();
    assert_eq!(graded(&report), warnings, "{report:?}");
    assert_eq!(report.status, Status::Pass);
    let strict = negative_case(OcppVersion::V16, answers, true).await;
    assert_eq!(strict.status, Status::Fail);
}

#[tokio::test(flavor = "multi_thread")]
async fn codes_in_the_2_0_1_accepted_sets_are_no_deviation() {
    let answers = vec![
        ("{\"reason\"", Answer::Code("ProtocolError")),
        (
            "\"Heartbeat\", {\"unexpected\"",
            Answer::Code("FormatViolation"),
        ),
        ("[7", Answer::Code("MessageTypeNotSupported")),
        ("\"Heartbeat\", {", Answer::MinusOne("RpcFrameworkError")),
    ];
    let report = negative_case(OcppVersion::V201, answers, false).await;
    assert_eq!(graded(&report), [], "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_2_0_1_message_with_an_undefined_member_is_a_warning() {
    let answers = vec![("unexpected", Answer::Drop)];
    let report = negative_case(OcppVersion::V201, answers, false).await;
    assert_eq!(
        graded(&report),
        [(6, "no-callerror", Level::Warning)],
        "{report:?}"
    );
    assert_eq!(report.status, Status::Pass);
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_outside_the_2_0_1_sets_are_one_error_each() {
    let answers = vec![
        ("NoSuchAction", Answer::Code("NotSupported")),
        ("[7", Answer::Drop),
        (
            "{\"reason\"",
            Answer::MinusOne("OccurrenceConstraintViolation"),
        ),
        ("\"Heartbeat\"]", Answer::Code("FormationViolation")),
    ];
    let report = negative_case(OcppVersion::V201, answers, false).await;
    assert_eq!(
        graded(&report),
        [
            (2, "wrong-error-code", Level::Error),
            (3, "no-callerror", Level::Error),
            (4, "wrong-error-code", Level::Error),
            (5, "callerror-id", Level::Error),
        ],
        "{report:?}"
    );
    assert_eq!(report.status, Status::Fail);
}
