//! `ocpp-validate convert --to open-trace`: every record written validates against the
//! vendored Open OCPP Trace schema (draft 2020-12, formats checked), `raw` is the frame text
//! as read, and the written trace has the consumer view of its input. Also the 1.1 members
//! read: `schemaVersion` as declared, `transport: "soap"` not checked, `connectorId` and
//! `meta` carried.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn crate_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Runs the binary on `args` with `stdin`: standard output, standard error, exit code.
fn run(args: &[&str], stdin: &str) -> (String, String, i32) {
    let output = Command::cargo_bin("ocpp-validate")
        .expect("binary")
        .current_dir(crate_dir())
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("runs");
    (
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap_or(-1),
    )
}

/// The vendored schema, compiled as draft 2020-12 with format assertions on.
fn schema() -> jsonschema::Validator {
    let path = crate_dir().join("schemas/open-ocpp-trace/trace-v1.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("vendored")).expect("JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid schema")
}

/// The consumer view of a trace given on standard input.
fn view(trace: &str) -> Value {
    let (out, err, code) = run(&["check", "--format", "consumer-view", "-"], trace);
    assert!(code == 0 || code == 1, "{err}");
    serde_json::from_str(&out).expect("one view")
}

/// Converts `input` (a path under the crate) and checks every record against the schema.
fn converted(args: &[&str]) -> String {
    let mut all = vec!["convert", "--to", "open-trace"];
    all.extend_from_slice(args);
    let (out, err, code) = run(&all, "");
    assert_eq!(code, 0, "{err}");
    let schema = schema();
    for (n, line) in out.lines().enumerate() {
        let record: Value = serde_json::from_str(line).expect("JSON line");
        let errors: Vec<String> = schema.iter_errors(&record).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "record {n}: {errors:?}\n{line}");
        assert_eq!(record["schemaVersion"], "1.1");
    }
    out
}

#[test]
fn open_trace_converts_to_1_1_with_the_same_consumer_view() {
    let input = "examples/traces/depot.jsonl";
    let out = converted(&[input]);
    let original = std::fs::read_to_string(crate_dir().join(input)).expect("fixture");
    let mut before = view(&original);
    let mut after = view(&out);
    assert_eq!(before["schemaVersion"], "1.0", "as the input declares");
    assert_eq!(after["schemaVersion"], "1.1");
    before["schemaVersion"] = Value::Null;
    after["schemaVersion"] = Value::Null;
    assert_eq!(before, after);
}

#[test]
fn a_log_keeps_each_frame_verbatim_as_raw() {
    let out = converted(&["examples/traces/csms.log"]);
    let log = std::fs::read_to_string(crate_dir().join("examples/traces/csms.log")).expect("log");
    let first: Value = serde_json::from_str(out.lines().next().expect("a record")).expect("JSON");
    let raw = first["raw"].as_str().expect("raw kept");
    assert!(log.contains(&format!("received: {raw}\n")), "{raw}");
    assert_eq!(first["direction"], "cp-to-csms");
    assert_eq!(first["chargePointId"], "CP-001");
    assert_eq!(first["timestamp"], "2026-03-02T08:00:01.250Z");
    let mut before = view(&log);
    let mut after = view(&out);
    before["schemaVersion"] = Value::Null;
    after["schemaVersion"] = Value::Null;
    assert_eq!(before, after);
}

#[test]
fn lake_rows_convert_without_raw_and_keep_microseconds() {
    let dir = std::env::temp_dir().join(format!("ocpp-convert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let lake = dir.join("lake.jsonl");
    std::fs::write(
        &lake,
        concat!(
            r#"{"message_id":"1","message_type":2,"charge_point_id":"CP1","action":"Heartbeat","body":{},"timestamp":"2026-11-29T10:00:00.123456Z"}"#,
            "\n",
            r#"{"message_id":"1","message_type":3,"charge_point_id":"CP1","body":{"current_time":"2026-11-29T10:00:00Z"},"timestamp":"2026-11-29T10:00:00.2Z"}"#,
            "\n",
        ),
    )
    .expect("written");
    let out = converted(&["--ocpp", "1.6", lake.to_str().expect("UTF-8")]);
    let records: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["timestamp"], "2026-11-29T10:00:00.123456Z");
    assert_eq!(
        records[0]["direction"], "cp-to-csms",
        "Heartbeat is the station's"
    );
    assert_eq!(
        records[1]["direction"], "csms-to-cp",
        "the answer goes the other way"
    );
    assert_eq!(records[1]["payload"]["currentTime"], "2026-11-29T10:00:00Z");
    assert_eq!(records[0]["ocppVersion"], "1.6");
    assert!(
        records.iter().all(|r| r.get("raw").is_none()),
        "no frame text in a lake row"
    );
    std::fs::remove_dir_all(dir).expect("clean up");
}

#[test]
fn records_without_a_capture_time_are_refused_by_name() {
    let (out, err, code) = run(
        &["convert", "--to", "open-trace"],
        "[2,\"1\",\"Heartbeat\",{}]\n",
    );
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert!(
        err.contains("<stdin>:1 (record 0) not converted: no capture time"),
        "{err}"
    );
}

const V11: &str = concat!(
    r#"{"schemaVersion":"1.1","timestamp":"2026-11-29T10:00:00Z","transport":"json","ocppVersion":"1.6","chargePointId":"CP1","connectorId":2,"direction":"cp-to-csms","messageType":"CALL","messageId":"s1","action":"StatusNotification","payload":{"connectorId":2,"errorCode":"NoError","status":"Available"},"meta":{"capturedBy":"proxy-3"}}"#,
    "\n",
    r#"{"schemaVersion":"1.1","timestamp":"2026-11-29T10:00:01Z","transport":"soap","ocppVersion":"1.6","chargePointId":"CP1","direction":"cp-to-csms","messageType":"CALL","messageId":"h1","action":"Heartbeat","raw":"<soap:Envelope/>"}"#,
    "\n",
    r#"{"schemaVersion":"1.1","timestamp":"2026-11-29T10:00:02Z","transport":"soap","ocppVersion":"1.6","chargePointId":"CP1","direction":"csms-to-cp","messageType":"CALLRESULT","messageId":"h1"}"#,
    "\n",
);

#[test]
fn version_1_1_records_declare_their_version_and_soap_is_not_checked() {
    let view = view(V11);
    assert_eq!(view["schemaVersion"], "1.1");
    assert_eq!(view["counts"]["records"], 3);
    assert_eq!(
        view["records"][2]["correlatesWith"], 1,
        "SOAP records are paired too"
    );
    assert_eq!(view["unansweredCalls"], serde_json::json!([0]));
    let (out, err, code) = run(&["check", "--format", "json", "-"], V11);
    assert_eq!(code, 0, "not checkable is no error: {out}{err}");
    assert_eq!(
        out.matches(r#""rule":"record-not-checkable","severity":"warning""#)
            .count(),
        2,
        "{out}"
    );
}

#[test]
fn connector_id_and_meta_are_carried_through_convert() {
    let (out, err, code) = run(&["convert", "--to", "open-trace", "-"], V11);
    assert_eq!(
        code, 1,
        "the SOAP records hold no JSON frame to write: {err}"
    );
    assert!(
        err.contains("not converted: not an OCPP-J message: a SOAP record"),
        "{err}"
    );
    let first: Value = serde_json::from_str(out.lines().next().expect("one record")).expect("JSON");
    assert_eq!(first["connectorId"], 2);
    assert_eq!(first["meta"], serde_json::json!({"capturedBy": "proxy-3"}));
    assert!(schema().is_valid(&first));
}

#[test]
fn the_writer_is_a_library_api() {
    use ocpp_model::primitives::DateTime;
    use ocpp_validate::trace::{Capture, FrameSource, OpenTraceWriter, WriteError};

    let time = DateTime::parse("2026-11-29T10:00:00.5+02:00").expect("a time");
    let mut writer = OpenTraceWriter::new(Vec::new());
    let call = FrameSource::Text(r#"[2,"7","DataTransfer",{"vendorId":"V"}]"#.into());
    let capture = |frame| {
        let mut capture = Capture::new(&time, frame);
        capture.charge_point = Some("CP1");
        capture
    };
    // Either side sends DataTransfer: without a direction it is refused.
    assert!(matches!(
        writer.write(&capture(&call)),
        Err(WriteError::NoDirection)
    ));
    let error = FrameSource::Value(serde_json::json!([4, "7", "NotImplemented", "", {}]));
    let mut given = capture(&error);
    given.origin = Some(ocpp_validate::Sender::Csms);
    writer.write(&given).expect("written");
    assert_eq!(writer.written(), 1);
    let text = String::from_utf8(writer.into_inner().expect("flushed")).expect("UTF-8");
    let record: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(record["timestamp"], "2026-11-29T10:00:00.500+02:00");
    assert_eq!(
        record["error"],
        serde_json::json!({"code": "NotImplemented", "description": "", "details": {}})
    );
    assert!(schema().is_valid(&record));
}
