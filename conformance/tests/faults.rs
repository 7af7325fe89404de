//! Each fault of the reference CSMS makes the matching runner check fire over a real
//! loopback socket, and the clean CSMS passes every built-in case.

use std::sync::Arc;

use ocpp_conformance::csms::{Csms, Fault};
use ocpp_conformance::report::{CaseReport, Status};
use ocpp_conformance::runner::{run_case, RunConfig};
use ocpp_conformance::scenario::Scenario;
use ocpp_conformance::suites;

async fn run(faults: Vec<Fault>, files: &[(&str, &str)], ids: &[&str]) -> Vec<CaseReport> {
    let csms = Arc::new(Csms::start("127.0.0.1:0", faults).await.unwrap());
    let config = RunConfig::reference(csms, "SIM-001");
    let scenarios: Vec<Scenario> = suites::load(files)
        .unwrap()
        .into_iter()
        .filter(|s| ids.is_empty() || ids.contains(&s.id.as_str()))
        .collect();
    let mut reports = Vec::new();
    for scenario in &scenarios {
        reports.push(run_case(&config, scenario).await);
    }
    reports
}

fn rules(reports: &[CaseReport]) -> Vec<String> {
    reports
        .iter()
        .flat_map(|r| r.deviations.iter().map(|d| d.rule.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clean_reference_csms_passes_every_suite() {
    for files in [suites::V16, suites::V201, suites::V21] {
        let reports = run(Vec::new(), files, &[]).await;
        assert_eq!(reports.len(), files.len());
        for report in &reports {
            assert_eq!(report.status, Status::Pass, "{report:?}");
        }
    }
}

/// Runs the 2.0.1 cold boot and negative-frame cases and the 1.6 charging session against a
/// CSMS with `fault`, and returns the rules that fired.
async fn fired(fault: Fault) -> Vec<String> {
    let mut reports = run(
        vec![fault],
        suites::V201,
        &["TC_B_01_CSMS", "OCPPJ_NEGATIVE"],
    )
    .await;
    reports.extend(run(vec![fault], suites::V16, &["1.6-TC_E_03_CSMS"]).await);
    assert!(
        reports.iter().any(|r| r.status == Status::Fail),
        "{reports:?}"
    );
    rules(&reports)
}

macro_rules! fault_test {
    ($name:ident, $fault:expr, $rule:expr) => {
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            let rules = fired($fault).await;
            assert!(
                rules.iter().any(|r| r == $rule),
                "{} not in {rules:?}",
                $rule
            );
        }
    };
}

fault_test!(
    wrong_error_code_spelling,
    Fault::WrongErrorCodeSpelling,
    "wrong-error-code"
);
fault_test!(
    no_answer_to_malformed,
    Fault::NoAnswerToMalformed,
    "no-callerror"
);
fault_test!(
    schema_invalid_response,
    Fault::SchemaInvalidResponse,
    "schema-additional-property"
);
fault_test!(
    wrong_message_id,
    Fault::WrongMessageId,
    "correlation-orphan-response"
);
fault_test!(slow_response, Fault::SlowResponse, "no-answer");
fault_test!(wrong_subprotocol, Fault::WrongSubprotocol, "subprotocol");

/// A handshake completed without a subprotocol is the refusal OCPP-J prescribes for a version
/// the CSMS does not offer (OCPP-J 1.6 §3.2, 2.0.1 Part 4 §3.2): every case is skipped.
#[tokio::test(flavor = "multi_thread")]
async fn no_subprotocol_is_the_prescribed_refusal_and_skips_the_cases() {
    let reports = run(vec![Fault::NoSubprotocol], suites::V201, &["TC_B_01_CSMS"]).await;
    assert_eq!(reports[0].status, Status::Skip, "{reports:?}");
    let reason = reports[0].reason.as_deref().unwrap_or_default();
    assert!(reason.contains("does not offer ocpp2.0.1"), "{reason}");
}
fault_test!(
    unsolicited_call_result,
    Fault::UnsolicitedCallResult,
    "correlation-orphan-response"
);
fault_test!(garbage_bytes, Fault::GarbageBytes, "frame-not-json");
fault_test!(binary_frames, Fault::BinaryFrames, "binary-frame");
fault_test!(huge_frame, Fault::HugeFrame, "frame-too-large");
fault_test!(never_answer, Fault::NeverAnswer, "no-answer");
fault_test!(
    close_mid_scenario,
    Fault::CloseMidScenario,
    "connection-closed"
);
fault_test!(
    answer_twice,
    Fault::AnswerTwice,
    "correlation-orphan-response"
);
fault_test!(flood_garbage, Fault::FloodGarbage, "too-many-deviations");
fault_test!(flood_calls, Fault::FloodCalls, "too-many-calls");

/// Every 2.1 case passes against the clean reference CSMS without a single deviation, and
/// fails against its twin, the reference CSMS with one fault, at the step where that fault
/// shows (the CALLRESULTERROR case under `--strict`: a dropped CALLRESULT is a warning).
#[tokio::test(flavor = "multi_thread")]
async fn every_2_1_case_passes_cleanly_and_fails_against_its_twin() {
    let twins: &[(&str, Fault, &str, usize)] = &[
        (
            "2.1-OCPPJ_CALLRESULTERROR",
            Fault::NoResultError,
            "no-callresulterror",
            3,
        ),
        (
            "2.1-OCPPJ_NEGATIVE",
            Fault::NoAnswerToMalformed,
            "no-callerror",
            1,
        ),
        ("2.1-OCPPJ_SEND", Fault::AnswerSend, "answered-send", 2),
        (
            "2.1-TC_B_01_CSMS",
            Fault::SchemaInvalidResponse,
            "schema-additional-property",
            1,
        ),
        ("2.1-TC_B_02_CSMS", Fault::AcceptEverything, "match", 1),
        ("2.1-TC_B_06_CSMS", Fault::EmptyCallPayload, "match", 3),
        ("2.1-TC_B_09_CSMS", Fault::EmptyCallPayload, "match", 3),
        ("2.1-TC_B_20_CSMS", Fault::EmptyCallPayload, "match", 3),
        ("2.1-TC_B_30_CSMS", Fault::AcceptEverything, "match", 1),
        ("2.1-TC_C_02_CSMS", Fault::AcceptEverything, "match", 2),
        (
            "2.1-TC_E_03_CSMS",
            Fault::CloseMidScenario,
            "connection-closed",
            2,
        ),
        ("2.1-TC_E_21_CSMS", Fault::EmptyCallPayload, "match", 4),
        ("2.1-TC_F_01_CSMS", Fault::EmptyCallPayload, "match", 3),
        ("2.1-TC_F_11_CSMS", Fault::EmptyCallPayload, "match", 3),
        ("2.1-TC_G_03_CSMS", Fault::EmptyCallPayload, "match", 3),
        ("2.1-TC_P_02_CSMS", Fault::AcceptEverything, "match", 2),
    ];
    for scenario in suites::load(suites::V21).unwrap() {
        let twinned = twins.iter().any(|twin| twin.0 == scenario.id);
        assert!(twinned, "{} has no twin", scenario.id);
    }
    for report in run(Vec::new(), suites::V21, &[]).await {
        assert!(report.deviations.is_empty(), "{report:?}");
    }
    for &(id, fault, rule, step) in twins {
        let csms = Arc::new(Csms::start("127.0.0.1:0", vec![fault]).await.unwrap());
        let mut config = RunConfig::reference(csms, "SIM-001");
        config.strict = true;
        let scenario = suites::load(suites::V21)
            .unwrap()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap();
        let report = run_case(&config, &scenario).await;
        assert_eq!(report.status, Status::Fail, "{report:?}");
        // The fault shows at its step, and nothing went wrong before it.
        let found = report
            .deviations
            .iter()
            .any(|d| (d.rule.as_str(), d.step) == (rule, step));
        assert!(found, "{rule} at step {step}: {report:?}");
        assert!(
            report.deviations.iter().all(|d| d.step >= step),
            "{report:?}"
        );
    }
}
