//! Every tolerant rule: it fires on its fixture's deviant frame, stays silent on the valid
//! one, and turns into an error under a policy that denies it.

use std::path::Path;

use ocpp_model::OcppVersion;
use ocpp_validate::tolerant::{decode_frame, report, DecodedFrame, Policy, RuleId, Verdict};

struct Fixture {
    version: OcppVersion,
    answers: Option<String>,
    deviant: String,
    valid: String,
}

fn fixture(rule: RuleId) -> Fixture {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tolerant")
        .join(format!("{}.txt", rule.id()));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("every rule needs a fixture: {}: {e}", path.display()));
    let field = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name))
            .map(str::to_owned)
    };
    Fixture {
        version: OcppVersion::parse(&field("version: ").expect("version")).expect("known version"),
        answers: field("answers: "),
        deviant: field("deviant: ").expect("deviant"),
        valid: field("valid: ").expect("valid"),
    }
}

fn decode(fixture: &Fixture, text: &str, policy: &Policy) -> DecodedFrame {
    let answers = fixture.answers.clone();
    decode_frame(fixture.version, text, policy, &move |_| answers.clone())
}

#[test]
fn each_rule_fires_on_its_deviation() {
    for &rule in RuleId::ALL {
        let fixture = fixture(rule);
        let decoded = decode(&fixture, &fixture.deviant, &Policy::all(Verdict::Warn));
        assert!(
            decoded.repairs.iter().any(|d| d.rule == rule),
            "{}: no deviation in {:?}",
            rule.id(),
            decoded.repairs
        );
        let kept_verbatim = rule == RuleId::EnumKeptVerbatim;
        assert_eq!(
            decoded.accepted(),
            !kept_verbatim,
            "{}: {decoded:?}",
            rule.id()
        );
        let denied = decode(
            &fixture,
            &fixture.deviant,
            &Policy::default().with(rule, Verdict::Deny),
        );
        assert!(!denied.accepted(), "{}: denied but accepted", rule.id());
        assert!(
            denied
                .repairs
                .iter()
                .any(|d| d.rule == rule && d.verdict == Verdict::Deny),
            "{}: deny not reported",
            rule.id()
        );
        let silent = decode(
            &fixture,
            &fixture.deviant,
            &Policy::default().with(rule, Verdict::Allow),
        );
        assert!(
            silent.repairs.iter().all(|d| d.rule != rule),
            "{}: allowed but reported",
            rule.id()
        );
        let snapshot = format!(
            "{}\n-- warn --\n{}-- {} denied --\n{}",
            fixture.deviant.escape_debug(),
            report(&decoded.repairs),
            rule.id(),
            report(&denied.repairs)
        );
        insta::assert_snapshot!(rule.id().replace('.', "_"), snapshot);
    }
}

#[test]
fn each_rule_is_silent_on_valid_input() {
    for &rule in RuleId::ALL {
        let fixture = fixture(rule);
        let decoded = decode(&fixture, &fixture.valid, &Policy::all(Verdict::Deny));
        assert_eq!(decoded.repairs, [], "{}: fired on valid input", rule.id());
        assert!(
            decoded.accepted(),
            "{}: valid fixture rejected: {decoded:?}",
            rule.id()
        );
    }
}

#[test]
fn the_kept_verbatim_value_stays_in_the_payload() {
    let fixture = fixture(RuleId::EnumKeptVerbatim);
    let decoded = decode(&fixture, &fixture.deviant, &Policy::default());
    assert_eq!(
        decoded.kept,
        [
            "/meterValue/0/sampledValue/0/unit",
            "/meterValue/0/sampledValue/1/measurand"
        ]
    );
    let Ok(ocpp_validate::AnyFrame::V16(frame)) = &decoded.frame else {
        panic!("frame expected: {decoded:?}");
    };
    let text = frame.to_string();
    assert!(
        text.contains(r#""unit":"Hz""#) && text.contains("Request.Energy"),
        "{text}"
    );
}

#[test]
fn unknown_members_are_kept_in_the_payload_and_left_out_of_the_message() {
    let fixture = fixture(RuleId::UnknownMember);
    let decoded = decode(&fixture, &fixture.deviant, &Policy::default());
    assert!(matches!(decoded.message, Some(Ok(_))), "{decoded:?}");
    assert_eq!(decoded.kept, ["/connectorId"]);
    let Ok(ocpp_validate::AnyFrame::V16(frame)) = &decoded.frame else {
        panic!("frame expected");
    };
    assert!(frame.to_string().contains(r#""connectorId":1"#));
}

#[test]
fn a_snake_case_name_beside_its_camel_case_form_is_not_merged_into_it() {
    let text = r#"[2,"1","Authorize",{"id_tag":"A","idTag":"B"}]"#;
    let decoded = decode_frame(OcppVersion::V16, text, &Policy::default(), &|_| None);
    let rules: Vec<_> = decoded.repairs.iter().map(|d| d.rule.id()).collect();
    assert_eq!(rules, ["any.unknown-member"]);
    let Ok(ocpp_validate::AnyFrame::V16(frame)) = &decoded.frame else {
        panic!("frame expected");
    };
    assert_eq!(frame.to_string(), text, "both values are kept");
}

#[test]
fn an_object_with_an_empty_required_array_is_dropped_only_where_its_holder_stays_valid() {
    let accepted = |version, text: &str, answers: Option<&str>| {
        let answers = answers.map(str::to_owned);
        let decoded = decode_frame(version, text, &Policy::default(), &move |_| answers.clone());
        let rules: Vec<_> = decoded
            .repairs
            .iter()
            .map(|d| (d.rule.id(), d.pointer.clone()))
            .collect();
        (decoded.accepted(), rules)
    };
    // The only MeterValue: dropping it would leave `meterValue` below its minItems.
    let only = r#"[2,"1","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2026-11-29T10:00:00Z","sampledValue":[]}]}]"#;
    assert_eq!(accepted(OcppVersion::V16, only, None), (false, vec![]));
    // 2.0.1 GetCompositeScheduleResponse: the optional schedule is dropped from its parent
    // (1.6 sets no minItems on chargingSchedulePeriod: empty is valid there).
    let composite = r#"[3,"g1",{"status":"Accepted","schedule":{"evseId":1,"duration":60,"scheduleStart":"2026-11-29T10:00:00Z","chargingRateUnit":"W","chargingSchedulePeriod":[]}}]"#;
    assert_eq!(
        accepted(OcppVersion::V201, composite, Some("GetCompositeSchedule")),
        (
            true,
            vec![("any.empty-required-array", "/schedule".to_owned())]
        )
    );
    let composite_16 = r#"[3,"g1",{"status":"Accepted","connectorId":1,"chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[]}}]"#;
    assert_eq!(
        accepted(OcppVersion::V16, composite_16, Some("GetCompositeSchedule")),
        (true, vec![])
    );
    // 2.0.1: a second schedule without periods is dropped from the list of schedules.
    let schedule = |id: u32, periods: &str| {
        format!(r#"{{"id":{id},"chargingRateUnit":"W","chargingSchedulePeriod":[{periods}]}}"#)
    };
    let profile = format!(
        r#"[2,"1","SetChargingProfile",{{"evseId":1,"chargingProfile":{{"id":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":[{},{}]}}}}]"#,
        schedule(1, r#"{"startPeriod":0,"limit":11000}"#),
        schedule(2, "")
    );
    assert_eq!(
        accepted(OcppVersion::V201, &profile, None),
        (
            true,
            vec![(
                "any.empty-required-array",
                "/chargingProfile/chargingSchedule/1".to_owned()
            )]
        )
    );
}
