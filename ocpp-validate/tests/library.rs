//! The validator library: violation kinds and their CALLERROR codes in each version, frame
//! checks, and the correlation of responses with calls.

use ocpp_model::OcppVersion;
use ocpp_validate::{
    check_frame, schema_accepts, validate_payload, Correlator, PayloadKind, Position, Sender,
    ViolationKind,
};
use serde_json::{json, Value};

fn violations(
    version: OcppVersion,
    action: &str,
    payload: Value,
) -> Vec<(String, &'static str, String)> {
    validate_payload(version, action, PayloadKind::Request, &payload)
        .expect("known action")
        .into_iter()
        .map(|v| (v.pointer, v.kind.rule(), v.error_code.to_string()))
        .collect()
}

fn one(pointer: &str, rule: &'static str, code: &str) -> Vec<(String, &'static str, String)> {
    vec![(pointer.to_owned(), rule, code.to_owned())]
}

#[test]
fn valid_payloads_have_no_violations() {
    let boot = json!({"chargePointVendor": "V", "chargePointModel": "M"});
    assert!(violations(OcppVersion::V16, "BootNotification", boot).is_empty());
    let boot = json!({"reason": "PowerUp", "chargingStation": {"model": "M", "vendorName": "V"}});
    assert!(violations(OcppVersion::V201, "BootNotification", boot).is_empty());
}

#[test]
fn each_violation_kind_gets_the_code_of_its_version() {
    let v16 = OcppVersion::V16;
    let v201 = OcppVersion::V201;
    let token = |t: Value| json!({"idToken": {"idToken": t, "type": "Central"}});
    // Missing member: occurrence, in each version's spelling.
    assert_eq!(
        violations(v16, "Authorize", json!({})),
        one("", "schema-required", "OccurenceConstraintViolation")
    );
    assert_eq!(
        violations(v201, "Authorize", json!({})),
        one("", "schema-required", "OccurrenceConstraintViolation")
    );
    // Unknown member: PDU structure.
    assert_eq!(
        violations(v16, "Authorize", json!({"idTag": "A", "x": 1})),
        one("/x", "schema-additional-property", "FormationViolation")
    );
    assert_eq!(
        violations(
            v201,
            "Authorize",
            json!({"idToken": {"idToken": "A", "type": "Central", "x": 1}})
        ),
        one("/idToken/x", "schema-additional-property", "ProtocolError")
    );
    // Wrong type, null included.
    assert_eq!(
        violations(v16, "Authorize", json!({"idTag": 5})),
        one("/idTag", "schema-type", "TypeConstraintViolation")
    );
    assert_eq!(
        violations(v201, "Authorize", token(Value::Null)),
        one("/idToken/idToken", "schema-type", "TypeConstraintViolation")
    );
    // Invalid values: property constraint.
    assert_eq!(
        violations(v16, "Authorize", json!({"idTag": "x".repeat(21)})),
        one("/idTag", "schema-max-length", "PropertyConstraintViolation")
    );
    assert_eq!(
        violations(
            v16,
            "ChangeAvailability",
            json!({"connectorId": 1, "type": "operative"})
        ),
        one("/type", "schema-enum", "PropertyConstraintViolation")
    );
    assert_eq!(
        violations(
            v16,
            "StartTransaction",
            json!({"connectorId": 1, "idTag": "A", "meterStart": 0, "timestamp": "yesterday"})
        ),
        one("/timestamp", "schema-format", "PropertyConstraintViolation")
    );
    // Item counts: occurrence.
    assert_eq!(
        violations(
            v16,
            "MeterValues",
            json!({"connectorId": 1, "meterValue": []})
        ),
        one(
            "/meterValue",
            "schema-min-items",
            "OccurenceConstraintViolation"
        )
    );
    // A value the schema allows but the types cannot hold: reported, with the generic code.
    assert_eq!(
        violations(
            v16,
            "StartTransaction",
            json!({"connectorId": 1, "idTag": "A", "meterStart": 18446744073709551616_u128, "timestamp": "2024-05-01T10:00:00Z"})
        ),
        one("/meterStart", "value-unrepresentable", "GenericError")
    );
}

#[test]
fn members_of_a_payload_without_properties_are_undefined_members() {
    // 1.6's Heartbeat request (and its empty responses) have `"properties": {}` with
    // `"additionalProperties": false`: each member is one the schema does not define, at its
    // own pointer, with the code for the PDU structure, as in 2.0.1.
    let v16 = OcppVersion::V16;
    let mut both = one("/x", "schema-additional-property", "FormationViolation");
    both.extend(one(
        "/y",
        "schema-additional-property",
        "FormationViolation",
    ));
    assert_eq!(
        violations(v16, "Heartbeat", json!({"x": 1, "y": [2]})),
        both
    );
    let response = validate_payload(
        v16,
        "StatusNotification",
        PayloadKind::Response,
        &json!({"z": null}),
    )
    .expect("known action");
    assert_eq!(response.len(), 1);
    assert_eq!(response[0].pointer, "/z");
    assert_eq!(response[0].kind.rule(), "schema-additional-property");
    assert!(violations(v16, "Heartbeat", json!({})).is_empty());
}

#[test]
fn every_violation_is_listed_in_document_order() {
    let payload =
        json!({"chargePointVendor": 1, "chargePointModel": "x".repeat(30), "extra": true});
    let found = validate_payload(
        OcppVersion::V16,
        "BootNotification",
        PayloadKind::Request,
        &payload,
    )
    .unwrap();
    let kinds: Vec<_> = found
        .iter()
        .map(|v| (v.pointer.as_str(), &v.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "/chargePointVendor",
                &ViolationKind::Type {
                    expected: "string".into()
                }
            ),
            ("/chargePointModel", &ViolationKind::MaxLength { limit: 20 }),
            (
                "/extra",
                &ViolationKind::AdditionalProperty {
                    member: "extra".into()
                }
            ),
        ]
    );
    assert!(found
        .iter()
        .all(|v| !v.schema_path.is_empty() && !v.message.is_empty()));
}

#[test]
fn typed_and_schema_verdicts_agree() {
    let cases = [
        json!({"idTag": "A"}),
        json!({"idTag": ""}),
        json!({"idTag": null}),
        json!({"idTag": "é".repeat(20)}),
        json!({"idTag": "é".repeat(21)}),
        json!(["A"]),
    ];
    for payload in cases {
        let valid = validate_payload(
            OcppVersion::V16,
            "Authorize",
            PayloadKind::Request,
            &payload,
        )
        .unwrap()
        .is_empty();
        assert_eq!(
            schema_accepts(
                OcppVersion::V16,
                "Authorize",
                PayloadKind::Request,
                &payload
            ),
            Ok(valid),
            "{payload}"
        );
    }
    assert!(validate_payload(
        OcppVersion::V16,
        "NoSuchAction",
        PayloadKind::Request,
        &json!({})
    )
    .is_err());
}

#[test]
fn frame_issues_say_what_to_answer() {
    let answer = |version, text: &str| {
        let issue = check_frame(version, text).expect_err(text);
        (
            issue.rule,
            issue.error_code.map(|c| c.to_string()),
            issue.reply_id,
        )
    };
    let v16 = OcppVersion::V16;
    let v201 = OcppVersion::V201;
    let code = |c: &str| Some(c.to_owned());
    assert_eq!(
        answer(v16, "[2,\"1\",\"Heartbeat\""),
        ("frame-not-json", code("FormationViolation"), "-1".into())
    );
    assert_eq!(
        answer(v201, "{}"),
        ("frame-not-an-array", code("RpcFrameworkError"), "-1".into())
    );
    assert_eq!(
        answer(v201, r#"[2,"7","Heartbeat"]"#),
        ("frame-wrong-arity", code("RpcFrameworkError"), "7".into())
    );
    assert_eq!(
        answer(v16, r#"[2,"7","Heartbeat"]"#),
        ("frame-wrong-arity", code("FormationViolation"), "7".into())
    );
    assert_eq!(
        answer(v201, r#"[2,"7","Heartbeat",null]"#).1,
        code("FormatViolation")
    );
    assert_eq!(
        answer(v201, r#"[7,"7",{}]"#).1,
        code("MessageTypeNotSupported")
    );
    assert_eq!(
        answer(v16, r#"[7,"7",{}]"#).1,
        None,
        "1.6 ignores unknown message types"
    );
    assert_eq!(
        answer(v201, r#"[3,"7",null]"#).1,
        None,
        "a response is never answered"
    );
    assert!(check_frame(v16, r#"[2,"7","Heartbeat",{}]"#).is_ok());
}

fn rules(findings: &[ocpp_validate::Finding]) -> Vec<(usize, &'static str)> {
    findings.iter().map(|f| (f.at.record, f.rule)).collect()
}

fn at(record: usize) -> Position {
    Position::new(record, record + 1)
}

#[test]
fn responses_are_paired_with_calls_and_validated_against_their_action() {
    let v16 = OcppVersion::V16;
    let mut correlator = Correlator::new();
    let cp = Some(Sender::ChargingStation);
    let csms = Some(Sender::Csms);
    assert!(correlator
        .check_text(at(0), v16, cp, r#"[2,"1","Authorize",{"idTag":"A"}]"#)
        .is_empty());
    // Same id from the same side does not answer it.
    let orphan = correlator.check_text(
        at(1),
        v16,
        cp,
        r#"[3,"1",{"idTagInfo":{"status":"Accepted"}}]"#,
    );
    assert_eq!(rules(&orphan), [(1, "correlation-orphan-response")]);
    // The CSMS's answer is validated as an AuthorizeResponse.
    let bad = correlator.check_text(
        at(2),
        v16,
        csms,
        r#"[3,"1",{"idTagInfo":{"status":"Charged"}}]"#,
    );
    assert_eq!(rules(&bad), [(2, "schema-enum")]);
    assert_eq!(bad[0].pointer, "/idTagInfo/status");
    // Answered: a second answer is an orphan.
    let again = correlator.check_text(
        at(3),
        v16,
        csms,
        r#"[3,"1",{"idTagInfo":{"status":"Accepted"}}]"#,
    );
    assert_eq!(rules(&again), [(3, "correlation-orphan-response")]);
    // A CALLERROR answers too; what stays open is reported at the end.
    assert!(correlator
        .check_text(at(4), v16, cp, r#"[2,"2","Heartbeat",{}]"#)
        .is_empty());
    assert!(correlator
        .check_text(at(5), v16, cp, r#"[2,"3","Heartbeat",{}]"#)
        .is_empty());
    assert!(correlator
        .check_text(at(6), v16, csms, r#"[4,"2","InternalError","",{}]"#)
        .is_empty());
    assert_eq!(
        rules(&correlator.finish()),
        [(5, "correlation-unanswered-call")]
    );
}

#[test]
fn the_most_recent_open_call_is_answered_and_unknown_directions_match() {
    let v16 = OcppVersion::V16;
    let mut correlator = Correlator::new();
    correlator.check_text(at(0), v16, None, r#"[2,"1","Heartbeat",{}]"#);
    correlator.check_text(at(1), v16, None, r#"[2,"1","Authorize",{"idTag":"A"}]"#);
    // Validated as the Authorize response (the most recent), so a Heartbeat answer is wrong here.
    let findings = correlator.check_text(
        at(2),
        v16,
        None,
        r#"[3,"1",{"currentTime":"2024-05-01T10:00:00Z"}]"#,
    );
    assert!(
        findings.iter().any(|f| f.rule == "schema-required"),
        "{findings:?}"
    );
    assert_eq!(
        rules(&correlator.finish()),
        [(0, "correlation-unanswered-call")]
    );
}

#[test]
fn actions_are_checked_against_the_version_and_direction() {
    let mut correlator = Correlator::new();
    let unknown = correlator.check_text(
        at(0),
        OcppVersion::V16,
        None,
        r#"[2,"1","TransactionEvent",{}]"#,
    );
    assert_eq!(rules(&unknown), [(0, "action-unknown")]);
    assert_eq!(
        unknown[0].error_code.map(|c| c.to_string()).as_deref(),
        Some("NotImplemented")
    );
    let wrong_way = correlator.check_text(
        at(1),
        OcppVersion::V16,
        Some(Sender::ChargingStation),
        r#"[2,"2","RemoteStartTransaction",{"idTag":"A"}]"#,
    );
    assert_eq!(rules(&wrong_way), [(1, "action-wrong-direction")]);
    assert_eq!(
        wrong_way[0].error_code.map(|c| c.to_string()).as_deref(),
        Some("NotSupported")
    );
    let right_way = correlator.check_text(
        at(2),
        OcppVersion::V16,
        Some(Sender::Csms),
        r#"[2,"3","RemoteStartTransaction",{"idTag":"A"}]"#,
    );
    assert!(right_way.is_empty());
    let either = correlator.check_text(
        at(3),
        OcppVersion::V16,
        Some(Sender::Csms),
        r#"[2,"4","DataTransfer",{"vendorId":"V"}]"#,
    );
    assert!(either.is_empty());
}

#[test]
fn open_trace_records_carry_their_timestamp() {
    use ocpp_validate::trace::{Columns, Decoder, InputFormat, Line};
    let read = |text: &str| {
        let line = Line::new(1, text, 1 << 20);
        Decoder::new(Some(InputFormat::OpenOcppTrace), Columns::default())
            .decode(line)
            .and_then(|record| record.timestamp)
    };
    let stamped =
        read(r#"{"timestamp":"2026-01-02T03:04:05.678+01:00","raw":"[2,\"1\",\"Heartbeat\",{}]"}"#);
    assert_eq!(
        stamped.map(|t| t.to_string()).as_deref(),
        Some("2026-01-02T03:04:05.678+01:00")
    );
    assert_eq!(
        read(r#"{"timestamp":"yesterday","raw":"[3,\"1\",{}]"}"#),
        None
    );
    assert_eq!(read(r#"{"raw":"[3,\"1\",{}]"}"#), None);
}

#[test]
fn an_unknown_error_code_names_the_version_the_other_spelling_and_tolerant() {
    let message = |version, text: &str| check_frame(version, text).expect_err(text).message;
    assert_eq!(
        message(OcppVersion::V16, r#"[4,"1","FormatViolation","bad",{}]"#),
        "error code \"FormatViolation\" at index 2 is not an OCPP 1.6 error code: \
         \"FormatViolation\" is an OCPP 2.0.1 code, OCPP 1.6's counterpart is \
         \"FormationViolation\" (--tolerant accepts it: frame.error-code-other-version)"
    );
    assert_eq!(
        message(
            OcppVersion::V201,
            r#"[4,"1","OccurenceConstraintViolation","bad",{}]"#
        ),
        "error code \"OccurenceConstraintViolation\" at index 2 is not an OCPP 2.0.1 error \
         code: \"OccurenceConstraintViolation\" is an OCPP 1.6 code, OCPP 2.0.1's counterpart \
         is \"OccurrenceConstraintViolation\" (--tolerant accepts it: \
         frame.error-code-other-version)"
    );
    let unknown = message(OcppVersion::V201, r#"[4,"1","Oops","bad",{}]"#);
    assert!(
        unknown.starts_with(
            "error code \"Oops\" at index 2 is not an OCPP 2.0.1 error code: OCPP 2.0.1 knows \
             FormatViolation, GenericError,"
        ),
        "{unknown}"
    );
    assert!(
        !unknown.contains("--tolerant"),
        "no other version spells it"
    );
    assert!(check_frame(OcppVersion::V201, r#"[4,"1","FormatViolation","bad",{}]"#).is_ok());
}
