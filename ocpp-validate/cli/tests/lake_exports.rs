//! Real data-lake exports: rows without message type or id, columns under their common
//! names, detection by header or keys, and times kept to the microsecond.

mod common;

use std::io::Cursor;

use common::{lake_fixtures, ocpp_validate};
use ocpp_validate::check::{check_reader, CheckOptions};
use ocpp_validate::tolerant::Policy;
use ocpp_validate::Finding;

fn check(text: &str, options: CheckOptions) -> Vec<Finding> {
    let mut found = Vec::new();
    check_reader(Cursor::new(text.to_owned()), options, &mut |f| {
        found.push(f)
    })
    .expect("in memory");
    found
}

fn tolerant() -> CheckOptions {
    CheckOptions::default().with_tolerant(Some(Policy::default()))
}

#[test]
fn an_export_without_message_ids_or_types_is_read_as_the_stations_calls() {
    // charge_point_id, write_timestamp, action, body: every row a request of the station.
    let text = std::fs::read_to_string(lake_fixtures().join("old_export.csv")).expect("fixture");
    let found = check(&text, tolerant());
    let rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
    assert_eq!(
        rules.iter().filter(|r| **r == "lake-no-message-id").count(),
        1,
        "said once per input: {rules:?}"
    );
    for rule in [
        "frame-not-json",
        "record-message-type",
        "correlation-unanswered-call",
        "semantic-not-booted",
        "semantic-stop-without-start",
        "semantic-transaction-unknown",
        "semantic-transaction-never-stopped",
    ] {
        assert!(!rules.contains(&rule), "{rule} in {rules:?}");
    }
    let (code, stdout, stderr) = ocpp_validate(
        &lake_fixtures(),
        &["summary", "--tolerant", "old_export.csv"],
    );
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    insta::assert_snapshot!("lake_old_export_summary", stdout);
}

#[test]
fn common_column_names_are_read_without_columns() {
    let body = r#"{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}"#;
    for (time, station, payload) in [
        ("write_timestamp", "charge_point_id", "body"),
        ("created_at", "chargePointId", "payload"),
        ("received_at", "station_id", "message"),
        ("event_time", "identity", "body"),
        ("ts", "cp_id", "payload"),
        ("timestamp", "cp_id", "body"),
    ] {
        let line = format!(
            r#"{{"message_id":"1","message_type":2,"action":"BootNotification","{station}":"CP-9","{time}":"2024-01-02T03:04:05.123456Z","{payload}":"{body}"}}"#
        );
        let csv = format!(
            "message_id,message_type,action,{station},{time},{payload}\n1,2,BootNotification,CP-9,2024-01-02T03:04:05.123456Z,\"{}\"\n",
            body.replace(r#"\""#, r#""""#)
        );
        for input in [line + "\n", csv] {
            let options = CheckOptions::default().with_facts(true);
            let mut heard = Vec::new();
            ocpp_validate::check::run_reader(Cursor::new(input.clone()), options, &mut |e| {
                heard.push(e)
            })
            .expect("in memory");
            let record = heard.iter().find_map(|e| match e {
                ocpp_validate::check::Event::Record(r) => Some(r),
                _ => None,
            });
            let record = record.unwrap_or_else(|| panic!("no record in {heard:?} of {input}"));
            assert_eq!(record.charge_point.as_deref(), Some("CP-9"), "{input}");
            let time = record
                .timestamp
                .as_ref()
                .map(ocpp_validate::summary::precise);
            assert_eq!(
                time.as_deref(),
                Some("2024-01-02T03:04:05.123456Z"),
                "{input}"
            );
            let findings: Vec<&str> = heard
                .iter()
                .filter_map(|e| match e {
                    ocpp_validate::check::Event::Finding(f)
                        if f.rule != "correlation-unanswered-call" =>
                    {
                        Some(f.rule)
                    }
                    _ => None,
                })
                .collect();
            assert!(findings.is_empty(), "{findings:?} in {input}");
        }
    }
}

#[test]
fn a_row_without_message_type_is_a_call_of_its_sender_or_an_answer() {
    // Ids present: the answers are paired with the calls, so nothing is left unanswered.
    let rows = [
        r#"{"message_id":"b","charge_point_id":"CP-1","direction":"cp-to-csms","action":"BootNotification","body":{"chargePointVendor":"V","chargePointModel":"M"}}"#,
        r#"{"message_id":"b","charge_point_id":"CP-1","direction":"csms-to-cp","action":"BootNotification","body":{"status":"Accepted","currentTime":"2024-01-01T00:00:00Z","interval":60}}"#,
        r#"{"message_id":"r","charge_point_id":"CP-1","direction":"csms-to-cp","action":"RemoteStartTransaction","body":{"idTag":"T"}}"#,
        r#"{"message_id":"r","charge_point_id":"CP-1","direction":"cp-to-csms","action":"RemoteStartTransaction","body":{"status":"Accepted"}}"#,
        // No direction: the action's initiator sends the CALL.
        r#"{"message_id":"h","charge_point_id":"CP-1","action":"Heartbeat","body":{}}"#,
        r#"{"message_id":"h","charge_point_id":"CP-1","message_type":3,"direction":"csms-to-cp","body":{"currentTime":"2024-01-01T00:00:01Z"}}"#,
    ];
    let found = check(&(rows.join("\n") + "\n"), CheckOptions::default());
    assert!(found.is_empty(), "{found:?}");
    // An answer sent the wrong way is a CALLRESULT that answers nothing.
    let wrong = r#"{"message_id":"x","charge_point_id":"CP-1","direction":"csms-to-cp","action":"Heartbeat","body":{}}"#;
    let v16 = CheckOptions::default().with_version(Some(ocpp_model::OcppVersion::V16));
    let rules: Vec<&str> = check(&(wrong.to_owned() + "\n"), v16)
        .iter()
        .map(|f| f.rule)
        .collect();
    assert_eq!(rules, ["correlation-orphan-response"]);
}

#[test]
fn findings_measure_times_to_the_microsecond() {
    // The CSMS answers 10.000004 s after the call: over the 10 s threshold, by 4 µs.
    let rows = [
        r#"{"message_id":"h","message_type":2,"charge_point_id":"CP-1","direction":"cp-to-csms","action":"Heartbeat","write_timestamp":"2024-01-01T00:00:00.000001Z","body":{}}"#,
        r#"{"message_id":"h","message_type":3,"charge_point_id":"CP-1","direction":"csms-to-cp","write_timestamp":"2024-01-01T00:00:10.000005Z","body":{"currentTime":"2024-01-01T00:00:10Z"}}"#,
    ];
    let v16 = CheckOptions::default().with_version(Some(ocpp_model::OcppVersion::V16));
    let found = check(&(rows.join("\n") + "\n"), v16);
    let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        ["the CSMS answered the CALL of record 0 after 10.000004 s, over the 10 s threshold"]
    );
}
