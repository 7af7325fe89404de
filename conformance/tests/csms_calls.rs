//! CSMS-initiated CALLs against small test CSMSs over real sockets: CALLs no step waits for
//! are answered at once (a CSMS that reads the configuration after boot, and waits for the
//! answer, still gets to the case's CALL), and `expect_call` matchers check the CALL the
//! CSMS sent (reset type, transaction id).

mod common;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ocpp_conformance::report::{AnsweredBy, CaseReport, Status};
use ocpp_conformance::runner::{run_case, RunConfig, Trigger};
use ocpp_conformance::scenario::Scenario;
use ocpp_conformance::suites;
use ocpp_conformance::transport::Target;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

/// How long the test CSMS waits for the station's answer to one of its CALLs.
const ANSWER_WAIT: Duration = Duration::from_secs(10);

/// A CSMS that answers the station's CALLs (BootNotification Accepted, StartTransaction with
/// transaction 42, anything else `{}`) and, once it has answered `after`, sends `script` one
/// CALL at a time, each only once the station has answered the one before (OCPP-J 1.6
/// §4.1.1): the case's CALL comes only if the earlier ones were answered.
async fn scripted_csms(
    protocol: &'static str,
    after: &'static str,
    script: Vec<(&'static str, Value)>,
) -> String {
    let script = script
        .into_iter()
        .enumerate()
        .map(|(n, (action, payload))| ((n == 0).then_some(after), action, payload))
        .collect();
    scripted_csms_with(protocol, script).await
}

/// Like [`scripted_csms`], each CALL sent once the one before was answered and, when it names
/// a station action, once the CSMS has answered a CALL of that action too.
async fn scripted_csms_with(
    protocol: &'static str,
    script: Vec<(Option<&'static str>, &'static str, Value)>,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/ocpp", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let Some(mut ws) = common::accept_selecting(stream, protocol).await else {
            return;
        };
        let mut script = script.into_iter().enumerate().peekable();
        let mut awaiting: Option<String> = None;
        let mut answered: Vec<String> = Vec::new();
        loop {
            let Ok(Some(Ok(message))) = tokio::time::timeout(ANSWER_WAIT, ws.next()).await else {
                return;
            };
            let Ok(frame) = serde_json::from_str::<Value>(message.to_text().unwrap_or("")) else {
                continue;
            };
            let id = frame[1].as_str().unwrap_or_default().to_owned();
            let mut next = false;
            match frame[0].as_u64() {
                Some(2) => {
                    let action = frame[2].as_str().unwrap_or_default();
                    let answer = match action {
                        "BootNotification" => json!({"status": "Accepted",
                            "currentTime": "2026-01-01T00:00:00Z", "interval": 300}),
                        "StartTransaction" => {
                            json!({"transactionId": 42, "idTagInfo": {"status": "Accepted"}})
                        }
                        "TransactionEvent" => json!({"idTokenInfo": {"status": "Accepted"}}),
                        "Heartbeat" => json!({"currentTime": "2026-01-01T00:00:00Z"}),
                        _ => json!({}),
                    };
                    let reply = json!([3, id, answer]).to_string();
                    if ws.send(Message::text(reply)).await.is_err() {
                        return;
                    }
                    answered.push(action.to_owned());
                    next = awaiting.is_none();
                }
                Some(3 | 4) if awaiting.as_deref() == Some(id.as_str()) => {
                    awaiting = None;
                    next = true;
                }
                _ => {}
            }
            let due = script.peek().is_some_and(|(_, (after, ..))| {
                after.is_none_or(|a| answered.iter().any(|done| done == a))
            });
            if next && due {
                if let Some((n, (_, action, payload))) = script.next() {
                    let call_id = format!("csms-{n}");
                    let call = json!([2, call_id, action, payload]).to_string();
                    if ws.send(Message::text(call)).await.is_err() {
                        return;
                    }
                    awaiting = Some(call_id);
                }
            }
        }
    });
    url
}

/// Runs the built-in case `id` of `files` against `url`, with a trigger that does nothing
/// (the test CSMS acts on its own).
async fn run(url: String, files: &[(&str, &str)], id: &str) -> CaseReport {
    let scenario: Scenario = suites::load(files)
        .unwrap()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap();
    let mut config = RunConfig::new(Target::new(url), "SIM-001");
    config.trigger = Trigger::Command("true".to_owned());
    let bound = Duration::from_secs(20);
    tokio::time::timeout(bound, run_case(&config, &scenario))
        .await
        .expect("the case ran past 20 s")
}

/// Runs the built-in 1.6 case `id` against a [`scripted_csms`].
async fn v16(after: &'static str, script: Vec<(&'static str, Value)>, id: &str) -> CaseReport {
    let url = scripted_csms("ocpp1.6", after, script).await;
    run(url, suites::V16, id).await
}

/// Runs the built-in 2.0.1 case `id` against a [`scripted_csms`].
async fn v201(after: &'static str, script: Vec<(&'static str, Value)>, id: &str) -> CaseReport {
    let url = scripted_csms("ocpp2.0.1", after, script).await;
    run(url, suites::V201, id).await
}

fn rules(report: &CaseReport) -> Vec<&str> {
    report.deviations.iter().map(|d| d.rule.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_1_6_csms_reading_the_configuration_after_boot_still_sends_the_case_call() {
    let script = vec![
        ("GetConfiguration", json!({})),
        ("Reset", json!({"type": "Soft"})),
    ];
    let report = v16("BootNotification", script, "1.6-TC_B_20_CSMS").await;
    assert_eq!(report.status, Status::Pass, "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_2_0_1_csms_asking_for_a_base_report_after_boot_still_sends_the_case_call() {
    let script = vec![
        (
            "GetBaseReport",
            json!({"requestId": 1, "reportBase": "FullInventory"}),
        ),
        ("Reset", json!({"type": "OnIdle"})),
    ];
    let report = v201("BootNotification", script, "TC_B_20_CSMS").await;
    assert_eq!(report.status, Status::Pass, "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_csms_sending_only_the_case_call_passes() {
    let script = vec![("Reset", json!({"type": "Soft"}))];
    let report = v16("BootNotification", script, "1.6-TC_B_20_CSMS").await;
    assert_eq!(report.status, Status::Pass, "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hard_reset_for_the_soft_reset_case_fails() {
    let script = vec![("Reset", json!({"type": "Hard"}))];
    let report = v16("BootNotification", script, "1.6-TC_B_20_CSMS").await;
    assert_eq!(report.status, Status::Fail, "{report:?}");
    assert_eq!(rules(&report), ["match"], "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn remote_stop_of_the_transaction_the_case_opened_passes() {
    let script = vec![("RemoteStopTransaction", json!({"transactionId": 42}))];
    let report = v16("StartTransaction", script, "1.6-TC_E_21_CSMS").await;
    assert_eq!(report.status, Status::Pass, "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn remote_stop_of_another_transaction_fails() {
    let script = vec![("RemoteStopTransaction", json!({"transactionId": 7}))];
    let report = v16("StartTransaction", script, "1.6-TC_E_21_CSMS").await;
    assert_eq!(report.status, Status::Fail, "{report:?}");
    assert_eq!(rules(&report), ["match"], "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_report_lists_each_unsolicited_call_and_who_answered_it() {
    let script = vec![
        ("GetConfiguration", json!({})),
        (
            "GetLog",
            json!({"logType": "DiagnosticsLog", "requestId": 1, "log": {"remoteLocation": "ftp://x"}}),
        ),
        ("Reset", json!({"type": "Soft"})),
    ];
    let report = v16("BootNotification", script, "1.6-TC_B_20_CSMS").await;
    assert_eq!(report.status, Status::Pass, "{report:?}");
    let listed: Vec<(&str, AnsweredBy)> = report
        .unsolicited
        .iter()
        .map(|c| (c.action.as_str(), c.answered_by))
        .collect();
    assert_eq!(
        listed,
        [
            ("GetConfiguration", AnsweredBy::Reference),
            ("GetLog", AnsweredBy::CallError),
        ],
        "{report:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_configured_answer_wins_over_the_reference_default() {
    let script = vec![
        ("GetConfiguration", json!({})),
        ("Reset", json!({"type": "Soft"})),
    ];
    let url = scripted_csms("ocpp1.6", "BootNotification", script).await;
    let scenario = suites::load(suites::V16)
        .unwrap()
        .into_iter()
        .find(|s| s.id == "1.6-TC_B_20_CSMS")
        .unwrap();
    let mut config = RunConfig::new(Target::new(url), "SIM-001");
    config.trigger = Trigger::Command("true".to_owned());
    config.env.answers = [(
        "GetConfiguration".to_owned(),
        json!({"configurationKey": []}),
    )]
    .into();

    let report = tokio::time::timeout(Duration::from_secs(20), run_case(&config, &scenario))
        .await
        .unwrap();
    assert_eq!(report.status, Status::Pass, "{report:?}");
    assert_eq!(report.unsolicited[0].answered_by, AnsweredBy::Config);
}

/// A CALL of the expected action that came before the case's trigger is not the one the
/// step takes; one that came after it, answered by default while another step ran, is.
#[tokio::test(flavor = "multi_thread")]
async fn an_expect_call_step_takes_the_first_call_after_the_trigger() {
    let text = r#"format = 1
id = "T"
name = "t"
version = "1.6"

[[step]]
kind = "call"
action = "BootNotification"
payload = { chargePointVendor = "ocpp-rs", chargePointModel = "SimStation" }

[[step]]
kind = "wait"
ms = 300

[[step]]
kind = "trigger"
action = "Reset"
payload = { type = "Soft" }

[[step]]
kind = "call"
action = "Heartbeat"

[[step]]
kind = "wait"
ms = 300

[[step]]
kind = "expect_call"
action = "Reset"
match."/type" = { eq = "Soft" }
respond = { status = "Accepted" }
"#;
    // The first Reset comes before the trigger step; the second after the Heartbeat, while
    // the station waits in step 5.
    let script = vec![
        (Some("BootNotification"), "Reset", json!({"type": "Hard"})),
        (Some("Heartbeat"), "Reset", json!({"type": "Soft"})),
    ];
    let url = scripted_csms_with("ocpp1.6", script).await;
    let mut config = RunConfig::new(Target::new(url), "SIM-001");
    config.trigger = Trigger::Command("sleep 0.3".to_owned());
    let scenario = Scenario::parse("t.toml", text).unwrap();
    let report = tokio::time::timeout(Duration::from_secs(20), run_case(&config, &scenario))
        .await
        .unwrap();
    assert_eq!(report.status, Status::Pass, "{report:?}");
    let taken: Vec<(usize, Option<usize>)> = report
        .unsolicited
        .iter()
        .map(|c| (c.step, c.taken_by_step))
        .collect();
    assert_eq!(taken, [(2, None), (5, Some(6))], "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manual_case_passes_when_the_csms_sends_the_call() {
    use ocpp_conformance::runner::Operator;
    let url = scripted_csms(
        "ocpp1.6",
        "BootNotification",
        vec![("Reset", json!({"type": "Soft"}))],
    )
    .await;
    let scenario = suites::load(suites::V16)
        .unwrap()
        .into_iter()
        .find(|s| s.id == "1.6-TC_B_20_CSMS")
        .unwrap();
    // The operator never presses Enter.
    let (_enter, enters) = tokio::sync::mpsc::unbounded_channel();
    let mut config = RunConfig::new(Target::new(url), "SIM-001");
    config.trigger = Trigger::Manual(Operator::from_channel(enters));
    config.trigger_timeout = Duration::from_secs(10);
    let report = tokio::time::timeout(Duration::from_secs(20), run_case(&config, &scenario))
        .await
        .unwrap();
    assert_eq!(report.status, Status::Pass, "{report:?}");
}
