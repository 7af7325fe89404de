//! `ocpp-validate check` on OCPP 2.1 traffic: `--ocpp 2.1`, a record's `ocppVersion`, SEND
//! and CALLRESULTERROR frames.

use assert_cmd::Command;
use serde_json::Value;

/// The JSON findings of `check ARGS` on `input` (standard input), as (line, rule, code).
fn findings(args: &[&str], input: &str) -> Vec<(u64, String, Option<String>)> {
    let output = Command::cargo_bin("ocpp-validate")
        .expect("the binary is built")
        .arg("check")
        .args(args)
        .args(["--format", "json", "-"])
        .write_stdin(input.to_owned())
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|value| value.get("rule").is_some())
        .map(|value| {
            (
                value["line"].as_u64().unwrap_or_default(),
                value["rule"].as_str().unwrap_or_default().to_owned(),
                value["errorCode"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

const TRACE: &str = r#"[2,"b1","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"Wallbox S","vendorName":"Volta"}}]
[3,"b1",{"currentTime":"2025-03-01T10:00:00Z","interval":300,"status":"Accepted"}]
[6,"s1","NotifyPeriodicEventStream",{"id":1,"pending":"none","basetime":"2025-03-01T10:00:05Z","data":[{"t":0,"v":"230.4"}]}]
[5,"b1","FormatViolation","interval unreadable",{}]
[5,"zz","GenericError","",{}]
"#;

#[test]
fn a_2_1_trace_is_checked_as_2_1() {
    assert_eq!(
        findings(&["--ocpp", "2.1"], TRACE),
        [
            // A SEND's violation is reported, never answered.
            (3, "schema-type".to_owned(), None),
            // The first CALLRESULTERROR answers the CALLRESULT, the second nothing.
            (5, "correlation-orphan-response".to_owned(), None),
        ]
    );
}

#[test]
fn as_2_0_1_the_new_message_types_are_unknown() {
    let rules: Vec<(u64, String)> = findings(&["--ocpp", "2.0.1"], TRACE)
        .into_iter()
        .map(|(line, rule, _)| (line, rule))
        .collect();
    assert_eq!(
        rules,
        [
            (3, "message-type-id-unknown".to_owned()),
            (4, "message-type-id-unknown".to_owned()),
            (5, "message-type-id-unknown".to_owned()),
        ]
    );
}

#[test]
fn a_record_naming_2_1_is_checked_as_2_1() {
    // 40 characters: a 2.1 idToken (at most 255), not a 2.0.1 one (at most 36).
    let record = |version: &str| {
        format!(
            r#"{{"schemaVersion":"1.0","timestamp":"2025-03-01T10:00:00.000Z","ocppVersion":"{version}","chargePointId":"CP-1","direction":"cp-to-csms","messageType":"CALL","messageId":"a1","action":"Authorize","payload":{{"idToken":{{"idToken":"{}","type":"Central"}}}}}}
"#,
            "7".repeat(40)
        )
    };
    let rules = |version| -> Vec<String> {
        findings(&[], &record(version))
            .into_iter()
            .map(|(_, rule, _)| rule)
            .filter(|rule| rule != "correlation-unanswered-call")
            .collect()
    };
    assert_eq!(rules("2.1"), Vec::<String>::new());
    assert_eq!(rules("2.0.1"), ["schema-max-length"]);
}

/// An Open OCPP Trace record of charge point `cp` carrying `raw`, sent the way `direction` says.
fn record(cp: &str, direction: &str, raw: &str) -> String {
    let raw = serde_json::to_string(raw).expect("a string");
    format!(
        r#"{{"schemaVersion":"1.0","timestamp":"2025-03-01T10:00:00.000Z","ocppVersion":"2.1","chargePointId":"{cp}","direction":"{direction}","raw":{raw}}}"#
    )
}

#[test]
fn each_charge_point_keeps_its_own_callresults_and_message_ids() {
    let heartbeat = r#"[2,"h1","Heartbeat",{}]"#;
    let result = r#"[3,"h1",{"currentTime":"2025-03-01T10:00:00Z"}]"#;
    let error = r#"[5,"h1","GenericError","",{}]"#;
    let trace = [
        record("CP-1", "cp-to-csms", heartbeat),
        record("CP-1", "csms-to-cp", result),
        // CP-2 answers a CALLRESULT it never got, and may use CP-1's id.
        record("CP-2", "cp-to-csms", error),
        record("CP-2", "cp-to-csms", heartbeat),
        // CP-1's CALLRESULT is still there to answer, and its id still used.
        record("CP-1", "cp-to-csms", error),
        record("CP-1", "cp-to-csms", heartbeat),
    ]
    .join("\n");
    let found: Vec<(u64, String)> = findings(&[], &trace)
        .into_iter()
        .map(|(line, rule, _)| (line, rule))
        .filter(|(_, rule)| rule != "correlation-unanswered-call")
        .collect();
    assert_eq!(
        found,
        [
            (3, "correlation-orphan-response".to_owned()),
            (6, "correlation-message-id-reused".to_owned()),
        ]
    );
}
