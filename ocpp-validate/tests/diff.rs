//! `diff` over a realistic trace and its mutations: every threshold fires on the change it
//! is about, and none fires when a trace is compared with itself.

use std::collections::BTreeSet;
use std::io::Cursor;

use ocpp_validate::check::CheckOptions;
use ocpp_validate::diff::{Diff, FailOn, Profile, Profiler};
use serde_json::{json, Value};

const CLEAN: &str = include_str!("../examples/traces/clean.jsonl");

/// The clean example session, then 20 Heartbeats five minutes apart and one Authorize whose
/// idTag is too long (so that the trace has a finding to count).
fn base() -> Vec<Value> {
    let mut lines: Vec<Value> = CLEAN
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect();
    for n in 0..20 {
        let minutes = 5 * (n + 1);
        let (hour, minute) = (9 + (2 + minutes) / 60, (2 + minutes) % 60);
        let at = format!("2024-05-01T{hour:02}:{minute:02}:00");
        let id = format!("hb-{n}");
        lines.push(call(&format!("{at}.000Z"), &id, "Heartbeat", json!({})));
        lines.push(result(
            &format!("{at}.200Z"),
            &id,
            json!({"currentTime": format!("{at}Z")}),
        ));
    }
    lines.extend(invalid_authorize("bad-0", "10:50:00"));
    lines
}

fn call(at: &str, id: &str, action: &str, payload: Value) -> Value {
    json!({"schemaVersion": "1.0", "timestamp": at, "ocppVersion": "1.6", "chargePointId": "CP-1",
        "direction": "cp-to-csms", "messageType": "CALL", "messageId": id, "action": action,
        "payload": payload})
}

fn result(at: &str, id: &str, payload: Value) -> Value {
    json!({"schemaVersion": "1.0", "timestamp": at, "ocppVersion": "1.6", "chargePointId": "CP-1",
        "direction": "csms-to-cp", "messageType": "CALLRESULT", "messageId": id, "payload": payload})
}

fn invalid_authorize(id: &str, time: &str) -> [Value; 2] {
    let at = format!("2024-05-01T{time}");
    [
        call(
            &format!("{at}.000Z"),
            id,
            "Authorize",
            json!({"idTag": "A-TAG-THAT-IS-FAR-TOO-LONG"}),
        ),
        result(
            &format!("{at}.200Z"),
            id,
            json!({"idTagInfo": {"status": "Invalid"}}),
        ),
    ]
}

fn profile(lines: &[Value]) -> Profile {
    let text: String = lines.iter().map(|line| format!("{line}\n")).collect();
    let mut profiler = Profiler::new();
    profiler
        .read(Cursor::new(text), &CheckOptions::default())
        .expect("readable");
    profiler.finish()
}

/// Every threshold, with 50 % for those that take a percentage.
fn every_threshold() -> FailOn {
    [
        "new-action",
        "vanished-action",
        "new-member",
        "vanished-member",
        "new-enum-value",
        "new-error-code",
        "new-rule",
        "rate=50",
        "findings=50%",
        "latency=50",
    ]
    .into_iter()
    .try_fold(FailOn::default(), FailOn::with)
    .expect("known thresholds")
}

/// The thresholds `after` crosses against the base: their names, and what each says.
fn crossed(after: &[Value]) -> (BTreeSet<String>, Vec<String>) {
    let diff = Diff::new(&profile(&base()), &profile(after)).judged(&every_threshold());
    let names = (diff.crossed.iter())
        .map(|c| c.split([':', ' ']).next().unwrap_or_default().to_owned())
        .collect();
    (names, diff.crossed)
}

fn edited(edit: impl FnOnce(&mut Vec<Value>)) -> Vec<Value> {
    let mut lines = base();
    edit(&mut lines);
    lines
}

/// The line of the CALL with this message id.
fn call_with_id<'a>(lines: &'a mut [Value], id: &str) -> &'a mut Value {
    lines
        .iter_mut()
        .find(|l| l["messageId"] == id && l["messageType"] == "CALL")
        .expect("the call is there")
}

#[test]
fn a_trace_compared_with_itself_crosses_nothing() {
    assert_eq!(crossed(&base()), (BTreeSet::new(), Vec::new()));
    let diff = Diff::new(&profile(&base()), &profile(&base()));
    assert!(diff.members.is_empty() && diff.enum_values.is_empty());
    assert!(diff
        .actions
        .rows
        .iter()
        .all(|row| row.change_percent == Some(0.0)));
    assert_eq!(diff.actions.unit, "per hour");
}

#[test]
fn each_threshold_fires_on_its_change() {
    let cases: Vec<(&str, Vec<Value>, &[&str])> = vec![
        (
            "a DataTransfer is sent",
            edited(|lines| {
                lines.push(call(
                    "2024-05-01T10:51:00.000Z",
                    "dt",
                    "DataTransfer",
                    json!({"vendorId": "V"}),
                ));
                lines.push(result(
                    "2024-05-01T10:51:00.200Z",
                    "dt",
                    json!({"status": "Accepted"}),
                ));
            }),
            &["new-action"],
        ),
        (
            "Authorize is no longer sent",
            edited(|lines| {
                lines.retain(|l| !["5", "bad-0"].contains(&l["messageId"].as_str().unwrap_or("")))
            }),
            &["vanished-action", "rate"],
        ),
        (
            "BootNotification gains meterSerialNumber",
            edited(|lines| call_with_id(lines, "1")["payload"]["meterSerialNumber"] = json!("M-1")),
            &["new-member"],
        ),
        (
            "BootNotification loses firmwareVersion",
            edited(|lines| {
                call_with_id(lines, "1")["payload"]
                    .as_object_mut()
                    .unwrap()
                    .remove("firmwareVersion");
            }),
            &["vanished-member"],
        ),
        (
            "a status carries an error code never seen",
            edited(|lines| call_with_id(lines, "13")["payload"]["errorCode"] = json!("OtherError")),
            &["new-enum-value"],
        ),
        (
            "a Heartbeat is refused with a CALLERROR",
            edited(|lines| {
                let answer = lines
                    .iter_mut()
                    .find(|l| l["messageId"] == "hb-3" && l["messageType"] == "CALLRESULT")
                    .unwrap();
                answer["messageType"] = json!("CALLERROR");
                answer["error"] = json!({"errorCode": "InternalError", "errorDescription": "", "errorDetails": {}});
                answer.as_object_mut().unwrap().remove("payload");
            }),
            &["new-error-code"],
        ),
        (
            "a StopTransaction names an unknown transaction",
            edited(|lines| call_with_id(lines, "11")["payload"]["transactionId"] = json!(999)),
            &["new-rule"],
        ),
        (
            "Heartbeats come twice as often",
            edited(|lines| {
                for n in 0..20 {
                    let id = format!("hb2-{n}");
                    let at = format!("2024-05-01T09:{:02}:30", 7 + 2 * n);
                    lines.push(call(&format!("{at}.000Z"), &id, "Heartbeat", json!({})));
                    lines.push(result(
                        &format!("{at}.200Z"),
                        &id,
                        json!({"currentTime": format!("{at}Z")}),
                    ));
                }
                lines.sort_by(|a, b| a["timestamp"].as_str().cmp(&b["timestamp"].as_str()));
            }),
            // Heartbeats faster than the interval the CSMS set are a finding too.
            &["rate", "new-rule"],
        ),
        (
            "three more Authorize with a too long idTag",
            edited(|lines| {
                for (n, time) in ["10:52:00", "10:53:00", "10:54:00"].into_iter().enumerate() {
                    lines.extend(invalid_authorize(&format!("bad-{}", n + 1), time));
                }
            }),
            // They are Authorize requests too.
            &["findings", "rate"],
        ),
        (
            "the CSMS answers Heartbeats in 2.2 s instead of 0.2 s",
            edited(|lines| {
                for line in lines.iter_mut().filter(|l| {
                    l["messageId"]
                        .as_str()
                        .is_some_and(|id| id.starts_with("hb-"))
                        && l["messageType"] == "CALLRESULT"
                }) {
                    let at = line["timestamp"]
                        .as_str()
                        .unwrap()
                        .replace(":00.200Z", ":02.200Z");
                    line["timestamp"] = json!(at);
                }
            }),
            &["latency"],
        ),
    ];
    for (what, after, expected) in cases {
        let expected: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
        let (names, said) = crossed(&after);
        assert_eq!(names, expected, "{what}: {said:?}");
    }
}

#[test]
fn unknown_thresholds_are_refused_with_the_list() {
    for item in [
        "new-actions",
        "rate",
        "rate=fast",
        "latency=-5",
        "new-action=3",
    ] {
        let error = FailOn::default().with(item).expect_err(item).to_string();
        assert!(error.contains("new-enum-value"), "{error}");
    }
}

#[test]
fn traces_without_capture_times_are_compared_per_1000_records() {
    let raw = |lines: &[Value]| -> Profile {
        let text: String = lines
            .iter()
            .map(|l| match l["messageType"].as_str() {
                Some("CALL") => {
                    format!("[2,{},{},{}]\n", l["messageId"], l["action"], l["payload"])
                }
                _ => format!("[3,{},{}]\n", l["messageId"], l["payload"]),
            })
            .collect();
        let mut profiler = Profiler::new();
        profiler
            .read(Cursor::new(text), &CheckOptions::default())
            .expect("readable");
        profiler.finish()
    };
    let lines = base();
    let diff = Diff::new(&raw(&lines), &raw(&lines));
    assert_eq!(diff.actions.unit, "per 1000 records");
    assert_eq!(diff.before.hours, None);
    assert!(diff.latency.iter().all(|l| l.before.is_none()));
    let heartbeats = diff
        .actions
        .rows
        .iter()
        .find(|r| r.name == "Heartbeat")
        .expect("row");
    // 22 Heartbeats among 72 records, rounded to two decimals.
    assert_eq!((heartbeats.before, heartbeats.before_rate), (22, 305.56));
}

#[test]
fn memory_stays_bounded_by_the_limits() {
    use ocpp_validate::diff::{MAX_ACTIONS, MAX_MEMBERS};
    let read = |text: String| {
        let mut profiler = Profiler::new();
        let options = CheckOptions::default().with_version(Some(ocpp_model::OcppVersion::V16));
        profiler
            .read(Cursor::new(text), &options)
            .expect("readable");
        profiler.finish()
    };
    let mut text = String::new();
    for n in 0..MAX_ACTIONS + 76 {
        text.push_str(&format!("[2,\"{n}\",\"Vendor{n}\",{{}}]\n"));
    }
    let members: Vec<String> = (0..MAX_MEMBERS + 10)
        .map(|n| format!("\"m{n}\":1"))
        .collect();
    let wide = format!("{text}[2,\"x\",\"Vendor0\",{{{}}}]\n", members.join(","));
    let diff = Diff::new(&read(text), &read(wide));
    assert_eq!(diff.actions.rows.len(), MAX_ACTIONS);
    assert_eq!(diff.before.frames_past_action_limit, 76);
    assert_eq!(diff.members.len(), 1);
    assert_eq!(diff.members[0].appeared.len(), MAX_MEMBERS);
    let sent = diff
        .actions
        .rows
        .iter()
        .find(|r| r.name == "Vendor0")
        .expect("row");
    assert_eq!((sent.before, sent.after), (1, 2));
}

#[test]
fn hostile_inputs_are_profiled_without_panicking() {
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/check");
    let mut read = 0;
    for entry in std::fs::read_dir(&seeds).expect("the check seeds") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("readable");
        let mut profiler = Profiler::new();
        let _ = profiler.read(Cursor::new(bytes), &CheckOptions::default());
        let profile = profiler.finish();
        let _ = Diff::new(&profile, &Profile::default()).judged(&every_threshold());
        read += 1;
    }
    let deep = format!(
        "[2,\"1\",\"DataTransfer\",{}{}]\n",
        "{\"a\":[".repeat(5000),
        "]}".repeat(5000)
    );
    let mut profiler = Profiler::new();
    let _ = profiler.read(Cursor::new(deep), &CheckOptions::default());
    assert!(read > 0);
}
