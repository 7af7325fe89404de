//! OCPP 2.1 in the validator: its frames, what is answered, and the pairing of SEND and
//! CALLRESULTERROR.

use ocpp_model::OcppVersion;
use ocpp_validate::{check_frame, Correlator, Finding, Position, Sender};

const V21: OcppVersion = OcppVersion::V21;

fn at(record: usize) -> Position {
    Position::new(record, record + 1)
}

fn rules(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule).collect()
}

fn codes(findings: &[Finding]) -> Vec<Option<String>> {
    findings
        .iter()
        .map(|f| f.error_code.map(|c| c.to_string()))
        .collect()
}

const SEND: &str = r#"[6,"s1","NotifyPeriodicEventStream",{"id":1,"pending":0,"basetime":"2024-08-27T12:30:40Z","data":[{"t":0,"v":"230.4"}]}]"#;

#[test]
fn frames_of_2_1_say_what_to_answer() {
    let answer = |text: &str| {
        let issue = check_frame(V21, text).expect_err(text);
        (issue.rule, issue.error_code.map(|c| c.to_string()))
    };
    // Part 4 §4.4: a message type outside the table is ignored, not answered.
    assert_eq!(answer(r#"[7,"7",{}]"#), ("message-type-id-unknown", None));
    // §4.2.3: a CALLRESULT that breaks the rules is answered (with a CALLRESULTERROR).
    assert_eq!(
        answer(r#"[3,"7",null]"#),
        ("payload-not-an-object", Some("FormatViolation".to_owned()))
    );
    // §4.2.4: a SEND is never answered, however broken; nor is an error answer.
    assert_eq!(answer(r#"[6,"7","Heartbeat",null]"#).1, None);
    assert_eq!(answer(r#"[5,"7","NoSuchCode","",{}]"#).1, None);
    assert!(check_frame(V21, SEND).is_ok());
    assert!(check_frame(OcppVersion::V201, SEND).is_err());
}

#[test]
fn a_send_is_checked_opens_nothing_and_is_never_answered() {
    let mut correlator = Correlator::new();
    let findings = correlator.check_text(at(0), V21, Some(Sender::ChargingStation), SEND);
    assert_eq!(rules(&findings), Vec::<&str>::new());
    assert_eq!(correlator.open_calls(), 0);

    let broken = SEND
        .replace(r#""pending":0"#, r#""pending":"none""#)
        .replace(r#""s1""#, r#""s2""#);
    let findings = correlator.check_text(at(1), V21, Some(Sender::ChargingStation), &broken);
    assert_eq!(rules(&findings), ["schema-type"]);
    assert_eq!(
        codes(&findings),
        [None],
        "a SEND's violations are not answered"
    );

    let from_csms = correlator.check_text(at(2), V21, Some(Sender::Csms), SEND);
    assert_eq!(rules(&from_csms), ["action-wrong-direction"]);
    assert_eq!(codes(&from_csms), [None]);
    assert_eq!(correlator.finish(), []);
}

#[test]
fn each_message_type_carries_its_own_actions() {
    let mut correlator = Correlator::new();
    let as_call = SEND.replacen("[6,", "[2,", 1);
    let findings = correlator.check_text(at(0), V21, Some(Sender::ChargingStation), &as_call);
    assert_eq!(rules(&findings), ["action-sent-as-call"]);
    let heartbeat = correlator.check_text(
        at(1),
        V21,
        Some(Sender::ChargingStation),
        r#"[6,"h1","Heartbeat",{}]"#,
    );
    assert_eq!(rules(&heartbeat), ["action-sent-as-send"]);
    let fine = correlator.check_text(
        at(2),
        V21,
        Some(Sender::ChargingStation),
        r#"[2,"h2","Heartbeat",{}]"#,
    );
    assert_eq!(rules(&fine), Vec::<&str>::new());
}

#[test]
fn a_callresulterror_answers_a_callresult_sent_the_other_way() {
    let mut correlator = Correlator::new().keeping_pairings();
    let station = Some(Sender::ChargingStation);
    let csms = Some(Sender::Csms);
    correlator.check_text(at(0), V21, station, r#"[2,"b1","Heartbeat",{}]"#);
    correlator.check_text(
        at(1),
        V21,
        csms,
        r#"[3,"b1",{"currentTime":"2024-05-01T10:00:00Z"}]"#,
    );
    let answer = r#"[5,"b1","FormatViolation","currentTime unreadable",{}]"#;
    // The CSMS cannot answer its own CALLRESULT.
    let own = correlator.check_text(at(2), V21, csms, answer);
    assert_eq!(rules(&own), ["correlation-orphan-response"]);
    assert!(
        own[0].message.contains("CALLRESULTERROR"),
        "{}",
        own[0].message
    );
    let findings = correlator.check_text(at(3), V21, station, answer);
    assert_eq!(rules(&findings), Vec::<&str>::new());
    let pairing = correlator.take_pairing().expect("a pairing");
    assert_eq!(pairing.answers, Some(at(1)));
    assert_eq!(pairing.action.as_deref(), Some("Heartbeat"));
    // Answered once: a second one is an orphan.
    let again = correlator.check_text(at(4), V21, station, answer);
    assert_eq!(rules(&again), ["correlation-orphan-response"]);
}

#[test]
fn a_callresult_violation_is_answered_in_2_1_only() {
    let result = r#"[3,"h1",{"currentTime":"yesterday"}]"#;
    let violations = |version| {
        let mut correlator = Correlator::new();
        correlator.check_text(
            at(0),
            version,
            Some(Sender::ChargingStation),
            r#"[2,"h1","Heartbeat",{}]"#,
        );
        codes(&correlator.check_text(at(1), version, Some(Sender::Csms), result))
    };
    assert_eq!(
        violations(V21),
        [Some("PropertyConstraintViolation".to_owned())]
    );
    assert_eq!(violations(OcppVersion::V201), [None]);
}

#[test]
fn the_callresults_kept_for_an_answer_are_bounded() {
    let mut correlator = Correlator::new();
    let (station, csms) = (Some(Sender::ChargingStation), Some(Sender::Csms));
    for i in 0..5_000 {
        correlator.check_text(
            at(2 * i),
            V21,
            station,
            &format!(r#"[2,"c{i}","Heartbeat",{{}}]"#),
        );
        correlator.check_text(
            at(2 * i + 1),
            V21,
            csms,
            &format!(r#"[3,"c{i}",{{"currentTime":"2024-05-01T10:00:00Z"}}]"#),
        );
    }
    let answer = |i: usize| format!(r#"[5,"c{i}","GenericError","",{{}}]"#);
    // The oldest are given up (1024 are kept); the newest can still be answered.
    let oldest = correlator.check_text(at(10_000), V21, station, &answer(0));
    assert_eq!(rules(&oldest), ["correlation-orphan-response"]);
    let newest = correlator.check_text(at(10_001), V21, station, &answer(4_999));
    assert_eq!(rules(&newest), Vec::<&str>::new());
    let edge = correlator.check_text(at(10_002), V21, station, &answer(5_000 - 1_024));
    assert_eq!(rules(&edge), Vec::<&str>::new());
    let past = correlator.check_text(at(10_003), V21, station, &answer(5_000 - 1_025));
    assert_eq!(rules(&past), ["correlation-orphan-response"]);
}

/// Part 4 §4.1.4: each CALL and SEND of one side has a message id of its own.
#[test]
fn a_message_id_used_again_by_the_same_side_is_reported() {
    let station = Some(Sender::ChargingStation);
    let csms = Some(Sender::Csms);
    let heartbeat = |id: &str| format!(r#"[2,"{id}","Heartbeat",{{}}]"#);
    let answer = |id: &str| format!(r#"[3,"{id}",{{"currentTime":"2025-03-01T10:00:00Z"}}]"#);
    let send = SEND.replace(r#""s1""#, r#""h1""#);
    let mut correlator = Correlator::new();
    let mut check = |record: usize, origin, text: &str| {
        let findings = correlator.check_text(at(record), V21, origin, text);
        (rules(&findings), codes(&findings))
    };
    let quiet = (Vec::<&str>::new(), Vec::new());
    let reused = |code: Option<&str>| {
        (
            vec!["correlation-message-id-reused"],
            vec![code.map(str::to_owned)],
        )
    };
    assert_eq!(check(0, station, &heartbeat("h1")), quiet);
    // The other side may use the same id, for a CALL or a SEND.
    assert_eq!(
        check(
            1,
            csms,
            r#"[2,"h1","GetVariables",{"getVariableData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}]"#
        ),
        quiet
    );
    // A CALL of the same action while the first is unanswered is its retry (it MAY repeat
    // the id); another action, or a SEND, with that id is a reuse.
    assert_eq!(check(2, station, &heartbeat("h1")), quiet);
    assert_eq!(
        check(
            3,
            station,
            r#"[2,"h1","StatusNotification",{"timestamp":"2025-03-01T10:00:00Z","connectorStatus":"Available","evseId":1,"connectorId":1}]"#
        ),
        reused(Some("RpcFrameworkError"))
    );
    assert_eq!(
        check(4, station, &send),
        reused(None),
        "a SEND is not answered"
    );
    // Once answered, the id stays used.
    assert_eq!(check(5, station, &heartbeat("h3")), quiet);
    assert_eq!(check(6, csms, &answer("h3")), quiet);
    assert_eq!(
        check(7, station, &heartbeat("h3")),
        reused(Some("RpcFrameworkError"))
    );
    // A SEND's id is used too; distinct ids are quiet.
    assert_eq!(
        check(9, station, &SEND.replace(r#""s1""#, r#""s9""#)),
        quiet
    );
    assert_eq!(
        check(10, station, &heartbeat("s9")),
        reused(Some("RpcFrameworkError"))
    );
    assert_eq!(check(11, station, &heartbeat("h2")), quiet);
    // Raw frames name no side: either side may count from the same start.
    assert_eq!(check(12, None, &heartbeat("r1")), quiet);
    assert_eq!(check(13, None, &heartbeat("r1")), quiet);
}

#[test]
fn the_message_ids_kept_are_bounded_and_1_6_and_2_0_1_are_not_checked() {
    let station = Some(Sender::ChargingStation);
    let send = |i: usize| SEND.replace(r#""s1""#, &format!(r#""s{i}""#));
    let mut correlator = Correlator::new();
    for i in 0..=1_024 {
        assert_eq!(correlator.check_text(at(i), V21, station, &send(i)), []);
    }
    // 1,024 ids are kept: the first is forgotten, the second is not.
    assert_eq!(correlator.check_text(at(2_000), V21, station, &send(0)), []);
    assert_eq!(
        rules(&correlator.check_text(at(2_001), V21, station, &send(2))),
        ["correlation-message-id-reused"]
    );
    for version in [OcppVersion::V16, OcppVersion::V201] {
        let mut correlator = Correlator::new();
        let call = r#"[2,"h1","Heartbeat",{}]"#;
        assert_eq!(correlator.check_text(at(0), version, station, call), []);
        assert_eq!(correlator.check_text(at(1), version, station, call), []);
    }
}
