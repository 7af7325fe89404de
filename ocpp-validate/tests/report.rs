//! What the HTML report gathers: the messages kept around findings and how the rest are
//! counted, the limits on messages, findings and samples, who sent each frame of a raw trace,
//! and the data of the example depot trace (a snapshot).

use std::io::Cursor;

use ocpp_validate::check::CheckOptions;
use ocpp_validate::report::{
    report, Report, Reporter, CONTEXT_MESSAGES, HEAD_MESSAGES, MAX_FINDINGS, MAX_MESSAGES,
    MAX_SESSION_POINTS,
};
use serde_json::{json, Value};

/// One Open OCPP Trace record of charge point `cp`, `second` seconds into the trace.
fn record(cp: &str, second: usize, from_station: bool, frame: &Value) -> String {
    let (kind, id) = (frame[0].as_u64().unwrap(), frame[1].as_str().unwrap());
    let message_type = ["", "", "CALL", "CALLRESULT", "CALLERROR"][kind as usize];
    let mut record = json!({
        "schemaVersion": "1.0",
        "timestamp": format!("2024-05-01T{:02}:{:02}:{:02}Z", second / 3600, second / 60 % 60, second % 60),
        "ocppVersion": "1.6",
        "chargePointId": cp,
        "direction": if from_station { "cp-to-csms" } else { "csms-to-cp" },
        "messageType": message_type,
        "messageId": id,
    });
    match kind {
        2 => {
            record["action"] = frame[2].clone();
            record["payload"] = frame[3].clone();
        }
        _ => record["payload"] = frame[2].clone(),
    }
    record.to_string() + "\n"
}

/// A heartbeat and its answer, or a StatusNotification with an unknown error code (a
/// `schema-enum` error) and its answer.
fn exchange(cp: &str, n: usize, bad: bool) -> String {
    let id = format!("m{n}");
    let call = match bad {
        true => {
            json!([2, id, "StatusNotification", {"connectorId": 1, "errorCode": "Bogus", "status": "Available"}])
        }
        false => json!([2, id, "Heartbeat", {}]),
    };
    let result = match bad {
        true => json!([3, id, {}]),
        false => json!([3, id, {"currentTime": "2024-05-01T00:00:00Z"}]),
    };
    record(cp, n, true, &call) + &record(cp, n, false, &result)
}

fn read(text: &str) -> Report {
    report(
        "trace",
        Cursor::new(text.to_owned()),
        &CheckOptions::default(),
    )
    .unwrap()
}

#[test]
fn a_finding_keeps_the_messages_around_it_and_the_rest_are_counted_where_left_out() {
    let bad = 400;
    let trace: String = (0..600).map(|n| exchange("CP-1", n, n == bad)).collect();
    let report = read(&trace);
    let point = &report.charge_points[0];
    let log = &point.log;
    assert_eq!(log.len(), HEAD_MESSAGES + 2 * CONTEXT_MESSAGES + 1);
    let flagged = 2 * bad;
    let first_context = &log[HEAD_MESSAGES];
    assert_eq!(first_context.record, flagged - CONTEXT_MESSAGES);
    assert_eq!(
        first_context.left_out_before,
        flagged - CONTEXT_MESSAGES - HEAD_MESSAGES
    );
    let marked = &log[HEAD_MESSAGES + CONTEXT_MESSAGES];
    assert_eq!(marked.record, flagged);
    assert!(marked.rules.contains(&"schema-enum"), "{:?}", marked.rules);
    assert_eq!(marked.findings, vec![0]);
    assert_eq!(report.findings[0].finding.at.record, flagged);
    assert_eq!(point.log_left_out, 1200 - flagged - CONTEXT_MESSAGES - 1);
    let left_out: usize = log.iter().map(|m| m.left_out_before).sum::<usize>() + point.log_left_out;
    assert_eq!(log.len() + left_out, 1200);
    // Nothing around a clean stretch is kept past the first messages.
    let clean: String = (0..600).map(|n| exchange("CP-1", n, false)).collect();
    let clean = read(&clean);
    assert_eq!(clean.charge_points[0].log.len(), HEAD_MESSAGES);
    assert_eq!(clean.charge_points[0].log_left_out, 1200 - HEAD_MESSAGES);
}

#[test]
fn the_message_budget_bounds_a_report_of_many_charge_points() {
    let points = MAX_MESSAGES / HEAD_MESSAGES + 20;
    let mut trace = String::new();
    for cp in 0..points {
        for n in 0..HEAD_MESSAGES / 2 {
            trace += &exchange(&format!("CP-{cp:04}"), n, false);
        }
    }
    let report = read(&trace);
    let kept: usize = report.charge_points.iter().map(|p| p.log.len()).sum();
    assert_eq!(kept, MAX_MESSAGES);
    let counted: usize = (report.charge_points.iter())
        .map(|p| {
            p.log.len() + p.log_left_out + p.log.iter().map(|m| m.left_out_before).sum::<usize>()
        })
        .sum();
    assert_eq!(counted, points * HEAD_MESSAGES);
}

#[test]
fn findings_past_the_limit_are_counted_per_rule_but_not_listed() {
    let trace: String = (0..MAX_FINDINGS + 50)
        .map(|n| exchange("CP-1", n, true))
        .collect();
    let report = read(&trace);
    assert_eq!(report.findings.len(), MAX_FINDINGS);
    let counted: usize = report.rules.iter().map(|r| r.count).sum();
    assert_eq!(counted, report.findings.len() + report.findings_left_out);
    let enum_count = report
        .rules
        .iter()
        .find(|r| r.rule == "schema-enum")
        .unwrap();
    assert_eq!(enum_count.count, MAX_FINDINGS + 50);
    assert_eq!(
        report.counts.errors + report.counts.warnings + report.counts.infos,
        counted
    );
}

#[test]
fn frames_of_a_raw_trace_are_placed_by_their_action_and_pairing() {
    let trace = [
        r#"[2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]"#,
        r#"[3,"1",{"status":"Accepted","currentTime":"2024-05-01T00:00:00Z","interval":60}]"#,
        r#"[2,"r1","RemoteStartTransaction",{"idTag":"T1"}]"#,
        r#"[3,"r1",{"status":"Accepted"}]"#,
        r#"[2,"d1","DataTransfer",{"vendorId":"v"}]"#,
        r#"[4,"d1","NotImplemented","",{}]"#,
    ]
    .join("\n");
    let report = read(&trace);
    let log = &report.charge_points[0].log;
    let from: Vec<Option<&str>> = log.iter().map(|m| m.arrow.from).collect();
    // DataTransfer may come from either side, so neither it nor its answer is placed.
    assert_eq!(
        from,
        [
            Some("station"),
            Some("csms"),
            Some("csms"),
            Some("station"),
            None,
            None
        ]
    );
    assert_eq!(log[1].answers, Some(0));
    assert_eq!(log[5].arrow.kind, Some("CALLERROR"));
    assert_eq!(log[5].arrow.error_code.as_deref(), Some("NotImplemented"));
    assert_eq!(
        log[2].arrow.action.as_deref(),
        Some("RemoteStartTransaction")
    );
}

#[test]
fn long_sessions_are_thinned_to_the_chart_limit_keeping_their_last_sample() {
    let samples = 1000;
    let mut trace = record(
        "CP-1",
        0,
        true,
        &json!([2, "s", "StartTransaction", {"connectorId": 1, "idTag": "T", "meterStart": 0, "timestamp": "2024-05-01T00:00:00Z"}]),
    );
    trace += &record(
        "CP-1",
        0,
        false,
        &json!([3, "s", {"transactionId": 7, "idTagInfo": {"status": "Accepted"}}]),
    );
    for n in 1..=samples {
        let stamp = format!(
            "2024-05-01T{:02}:{:02}:{:02}Z",
            n / 3600,
            n / 60 % 60,
            n % 60
        );
        let value = json!([{"timestamp": stamp, "sampledValue": [{"value": (n * 10).to_string(), "measurand": "Energy.Active.Import.Register", "unit": "Wh"}]}]);
        trace += &record(
            "CP-1",
            n,
            true,
            &json!([2, format!("v{n}"), "MeterValues", {"connectorId": 1, "transactionId": 7, "meterValue": value}]),
        );
        trace += &record("CP-1", n, false, &json!([3, format!("v{n}"), {}]));
    }
    let report = read(&trace);
    let point = &report.charge_points[0];
    let session = &point.summary.sessions[0];
    assert_eq!(session.samples.len(), MAX_SESSION_POINTS);
    assert_eq!(point.samples_left_out, samples - MAX_SESSION_POINTS);
    let last = session.samples.last().unwrap();
    assert_eq!(
        last.energy_wh.map(|e| e.to_string()),
        Some((samples * 10).to_string())
    );
}

#[test]
fn findings_of_the_end_of_an_input_mark_their_kept_message() {
    // A CALL never answered is reported at the end of the input, on the CALL's record.
    let trace = record("CP-1", 0, true, &json!([2, "x", "Heartbeat", {}]));
    let mut reporter = Reporter::new();
    reporter
        .read("trace", Cursor::new(trace), &CheckOptions::default())
        .unwrap();
    let report = reporter.finish();
    let log = &report.charge_points[0].log;
    assert!(!log[0].rules.is_empty(), "{log:?}");
    assert_eq!(report.findings[0].charge_point.as_deref(), Some("CP-1"));
}

#[test]
fn the_depot_trace_report_data() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/traces/depot.jsonl");
    let text = std::fs::read_to_string(path).unwrap();
    let report = read(&text);
    insta::assert_snapshot!(
        "report_depot_data",
        serde_json::to_string_pretty(&report).unwrap()
    );
}
