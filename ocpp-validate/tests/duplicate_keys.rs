//! A member name repeated in one object is the finding `frame-duplicate-key` on every path
//! (raw frames on the fast and the full path, log lines, data-lake rows as JSON Lines and
//! CSV, Open OCPP Trace records, tolerant mode, `check_frame`), and the same texts with
//! unique names pass.

use std::io::Cursor;

use ocpp_model::OcppVersion;
use ocpp_validate::check::{check_reader, CheckOptions};
use ocpp_validate::tolerant::Policy;
use ocpp_validate::{check_frame, Finding};

/// The idTag is 29 characters, over 1.6's limit of 20; a later `"ok"` must not hide it.
const LONG: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

fn findings(input: &str, version: OcppVersion, tolerant: bool) -> Vec<Finding> {
    let options = CheckOptions::default()
        .with_version(Some(version))
        .with_tolerant(tolerant.then(Policy::default));
    let mut found = Vec::new();
    check_reader(Cursor::new(input.as_bytes()), options, &mut |f| {
        found.push(f)
    })
    .expect("in-memory input");
    found
}

/// The duplicate-key findings: (record, message, error code).
fn duplicates(input: &str, version: OcppVersion, tolerant: bool) -> Vec<(usize, String, String)> {
    findings(input, version, tolerant)
        .into_iter()
        .filter(|f| f.rule == "frame-duplicate-key")
        .map(|f| {
            let code = f
                .error_code
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default();
            (f.at.record, f.message, code)
        })
        .collect()
}

/// The rules of the errors found (unanswered calls are warnings and do not count).
fn errors(input: &str, version: OcppVersion) -> Vec<&'static str> {
    findings(input, version, false)
        .into_iter()
        .filter(|f| f.severity == ocpp_validate::Severity::Error)
        .map(|f| f.rule)
        .collect()
}

fn authorize(payload: &str) -> String {
    format!(r#"[2,"1","Authorize",{payload}]"#)
}

#[test]
fn raw_frames_report_a_repeated_name_with_the_pointer_and_the_version_s_code() {
    let doubled = authorize(&format!(r#"{{"idTag":"{LONG}","idTag":"ok"}}"#)) + "\n";
    assert_eq!(
        duplicates(&doubled, OcppVersion::V16, false),
        [(
            0,
            r#"member "idTag" appears twice in the object at /3"#.to_owned(),
            "FormationViolation".to_owned()
        )]
    );
    let nested =
        r#"[2,"1","Authorize",{"idToken":{"idToken":"a","type":"Central","type":"ISO14443"}}]"#;
    assert_eq!(
        duplicates(&format!("{nested}\n"), OcppVersion::V201, false),
        [(
            0,
            r#"member "type" appears twice in the object at /3/idToken"#.to_owned(),
            "FormatViolation".to_owned()
        )]
    );
    let unique = authorize(r#"{"idTag":"ok"}"#) + "\n";
    assert_eq!(errors(&unique, OcppVersion::V16), [""; 0]);
}

#[test]
fn untyped_members_custom_data_and_orphan_results_are_read_for_repeated_names_too() {
    let cases = [
        r#"[2,"1","DataTransfer",{"vendorId":"V","data":{"a":1,"a":2}}]"#,
        r#"[2,"1","Heartbeat",{"customData":{"vendorId":"V","vendorId":"W"}}]"#,
        r#"[2,"1","Heartbeat",{"customData":{"vendorId":"V","x":[{"k":1,"k":1}]}}]"#,
        r#"[3,"nobody-asked",{"currentTime":"2024-01-01T00:00:00Z","currentTime":"x"}]"#,
    ];
    for frame in cases {
        let found = duplicates(&format!("{frame}\n"), OcppVersion::V201, false);
        assert_eq!(found.len(), 1, "{frame}: {found:?}");
    }
    // A CALLRESULT is not answered, so it has no CALLERROR code.
    let result = duplicates(&format!("{}\n", cases[3]), OcppVersion::V201, false);
    assert_eq!(result[0].2, "");
    let unique = r#"[2,"1","DataTransfer",{"vendorId":"V","data":{"a":1,"b":{"a":2}}}]"#;
    assert_eq!(errors(&format!("{unique}\n"), OcppVersion::V201), [""; 0]);
}

#[test]
fn log_lines_lake_rows_and_trace_records_report_repeated_names() {
    let log = format!(
        "2026-03-02 08:00:01.250 INFO [cp=CP-1] received: {}\n",
        authorize(&format!(r#"{{"idTag":"{LONG}","idTag":"ok"}}"#))
    );
    let jsonl = format!(
        r#"{{"message_id":"1","message_type":2,"charge_point_id":"CP-1","action":"Authorize","body":{{"idTag":"{LONG}","idTag":"ok"}},"timestamp":"2026-03-02T08:00:01Z"}}"#
    ) + "\n";
    let csv = format!(
        "timestamp,charge_point_id,message_id,message_type,action,body\n\
         2026-03-02T08:00:01Z,CP-1,1,2,Authorize,\"{{\"\"idTag\"\":\"\"{LONG}\"\",\"\"idTag\"\":\"\"ok\"\"}}\"\n"
    );
    let trace = format!(
        r#"{{"schemaVersion":"1.0","ocppVersion":"1.6","chargePointId":"CP-1","direction":"cp-to-csms","messageType":"CALL","messageId":"1","action":"Authorize","payload":{{"idTag":"{LONG}","idTag":"ok"}}}}"#
    ) + "\n";
    let raw_in_trace = concat!(
        r#"{"schemaVersion":"1.0","ocppVersion":"1.6","chargePointId":"CP-1","direction":"cp-to-csms","raw":"[2,\"1\",\"Authorize\",{\"idTag\":\"x\",\"idTag\":\"ok\"}]"}"#,
        "\n"
    )
    .to_owned();
    for (name, input) in [
        ("log", &log),
        ("lake jsonl", &jsonl),
        ("csv", &csv),
        ("open trace", &trace),
        ("raw member", &raw_in_trace),
    ] {
        let found = duplicates(input, OcppVersion::V16, false);
        assert_eq!(found.len(), 1, "{name}: {found:?}");
        assert!(found[0].1.contains(r#""idTag""#), "{name}: {found:?}");
        let unique = input
            .replace(r#","idTag":"ok""#, "")
            .replace(r#",""idTag"":""ok"""#, "");
        let unique = unique.replace(r#",\"idTag\":\"ok\""#, "");
        assert_eq!(duplicates(&unique, OcppVersion::V16, false), [], "{name}");
    }
}

#[test]
fn tolerant_mode_forgives_no_repeated_name() {
    let doubled = authorize(r#"{"idTag":"x","idTag":"ok"}"#);
    let with_noise = format!("\u{feff}{}\n", authorize(r#"{"idTag":"x","idTag":"ok"}"#));
    for input in [format!("{doubled}\n"), with_noise] {
        let found = duplicates(&input, OcppVersion::V16, true);
        assert_eq!(found.len(), 1, "{input:?}: {found:?}");
    }
    let unique = authorize(r#"{"idTag":"ok"}"#) + "\n";
    assert_eq!(duplicates(&unique, OcppVersion::V16, true), []);
}

#[test]
fn check_frame_refuses_a_repeated_name_with_the_code_to_answer() {
    let doubled = authorize(&format!(r#"{{"idTag":"{LONG}","idTag":"ok"}}"#));
    for (version, code) in [
        (OcppVersion::V16, "FormationViolation"),
        (OcppVersion::V201, "FormatViolation"),
    ] {
        let issue = check_frame(version, &doubled).expect_err("a repeated name is refused");
        assert_eq!(issue.rule, "frame-duplicate-key");
        assert_eq!(issue.error_code.map(|c| c.as_str()), Some(code));
        assert_eq!(issue.reply_id, "1");
        assert!(issue.message.contains(r#""idTag""#) && issue.message.contains("/3"));
    }
    assert!(check_frame(OcppVersion::V16, &authorize(r#"{"idTag":"ok"}"#)).is_ok());
}
