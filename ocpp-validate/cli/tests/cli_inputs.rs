//! Command-line tests of the trace inputs of `ocpp-validate check`: log lines, data-lake JSON
//! Lines and CSV, gzip, `--input` and `--columns`, run on `examples/traces`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use flate2::{write::GzEncoder, Compression};
use ocpp_validate::trace::{Columns, Decoder, InputFormat, LineReader};
use ocpp_validate::Sender;

/// The directory the binary runs in, so that reports name traces by relative paths.
fn traces() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("examples")
        .join("traces")
}

/// Runs `ocpp-validate check ARGS` in the traces directory: exit code and standard output.
fn check(args: &[&str], stdin: Option<Vec<u8>>) -> (Option<i32>, String) {
    let mut command = Command::cargo_bin("ocpp-validate").expect("the binary is built");
    command.current_dir(traces()).arg("check").args(args);
    if let Some(input) = stdin {
        command.write_stdin(input);
    }
    let output = command.output().expect("the binary runs");
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    (output.status.code(), stdout)
}

fn trace(name: &str) -> Vec<u8> {
    std::fs::read(traces().join(name)).expect("the trace exists")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).expect("in memory");
    encoder.finish().expect("in memory")
}

#[test]
fn log_lines_are_detected_and_correlated_per_charge_point() {
    let (code, stdout) = check(&["csms.log"], None);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("log_human", stdout);
}

#[test]
fn lake_jsonl_is_detected_with_snake_case_bodies_converted() {
    let (code, stdout) = check(&["--format", "json", "lake.jsonl"], None);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("lake_jsonl_json", stdout);
}

#[test]
fn lake_csv_is_detected_with_renamed_columns() {
    let (code, stdout) = check(&["--columns", "timestamp=written_at", "lake.csv"], None);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("lake_csv_human", stdout);
}

#[test]
fn gzip_on_stdin_reads_as_the_plain_file() {
    let (plain_code, plain) = check(&["--format", "json", "-"], Some(trace("csms.log")));
    let (code, packed) = check(&["--format", "json"], Some(gzip(&trace("csms.log"))));
    assert_eq!((code, packed), (plain_code, plain));
}

#[test]
fn input_overrides_detection() {
    // Read as raw frames, no log line is a frame.
    let (code, stdout) = check(&["--input", "raw", "--format", "json", "csms.log"], None);
    assert_eq!(code, Some(1));
    let last = stdout.lines().last().expect("a summary line");
    assert!(last.contains(r#""records":15,"errors":15"#), "{last}");
    // A clean log read as a log: nothing found.
    let clean = b"boot ok\n10:00 cp=CP-1 received [2,\"1\",\"Heartbeat\",{}]\n10:00 cp=CP-1 sent [3,\"1\",{\"currentTime\":\"2026-01-01T00:00:00Z\"}]\n";
    let (code, stdout) = check(&["--input", "log"], Some(clean.to_vec()));
    assert_eq!(code, Some(0), "{stdout}");
}

#[test]
fn bad_columns_are_a_usage_error() {
    let mut command = Command::cargo_bin("ocpp-validate").expect("the binary is built");
    let output = command
        .args(["check", "--columns", "bdy=payload", "-"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(stderr.contains("unknown field \"bdy\""), "{stderr}");
}

/// Each record's charge point, origin and timestamp, as a decoder reads them.
fn decoded(format: Option<InputFormat>, columns: Columns, input: &[u8]) -> Vec<String> {
    let mut reader = LineReader::new(input, 1 << 20);
    let mut decoder = Decoder::new(format, columns);
    let mut out = Vec::new();
    while let Some(line) = reader.next_line().expect("in memory") {
        if let Some(record) = decoder.decode(line) {
            out.push(format!(
                "{} {:?} {:?} {}",
                record.index,
                record.charge_point,
                record.origin,
                record.timestamp.map(|t| t.to_string()).unwrap_or_default()
            ));
        }
    }
    out
}

#[test]
fn every_reader_fills_charge_point_and_timestamp() {
    let log = decoded(None, Columns::default(), &trace("csms.log"));
    assert_eq!(log.len(), 14);
    assert_eq!(
        log[0],
        format!(
            "0 Some(\"CP-001\") {:?} 2026-03-02T08:00:01.250Z",
            Some(Sender::ChargingStation)
        )
    );
    let jsonl = decoded(None, Columns::default(), &trace("lake.jsonl"));
    assert_eq!(
        jsonl[2],
        format!(
            "2 Some(\"CP-001\") {:?} 2026-03-02T08:00:01.262Z",
            Some(Sender::Csms)
        )
    );
    let columns = Columns::with_overrides("timestamp=written_at").expect("valid");
    let csv = decoded(Some(InputFormat::Csv), columns, &trace("lake.csv"));
    assert_eq!(csv[1], "1 Some(\"CP-002\") None 2026-03-02T08:00:02.010Z");
    let unnamed = decoded(
        Some(InputFormat::Csv),
        Columns::default(),
        &trace("lake.csv"),
    );
    assert_eq!(unnamed[1], "1 Some(\"CP-002\") None ");
}

#[test]
fn the_output_does_not_depend_on_the_number_of_jobs() {
    for name in ["csms.log", "lake.jsonl", "lake.csv"] {
        let (one_code, one) = check(&["--jobs", "1", name], None);
        let (two_code, two) = check(&["--jobs", "2", name], None);
        assert_eq!((one_code, one), (two_code, two), "{name}");
    }
}

#[test]
fn jobs_keep_the_order_of_findings_on_a_long_interleaved_trace() {
    use ocpp_validate::check::{check_reader, CheckOptions};
    // More records than may be outstanding at once, so findings are given out while reading.
    let mut trace = String::new();
    for i in 0..40_000 {
        let cp = i % 7;
        let call = match i % 5 {
            0 => r#""Heartbeat",{"extra":1}"#,
            1 => r#""StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Bogus"}"#,
            _ => r#""Heartbeat",{}"#,
        };
        trace.push_str(&format!("t cp=CP{cp} received [2,\"{i}\",{call}]\n"));
        if i % 3 != 0 {
            trace.push_str(&format!(
                "t cp=CP{cp} sent [3,\"{i}\",{{\"currentTime\":\"2026-01-01T00:00:00Z\"}}]\n"
            ));
        }
    }
    let findings = |jobs| {
        let options = CheckOptions::default().with_jobs(jobs);
        let mut out = Vec::new();
        let summary =
            check_reader(trace.as_bytes(), options, &mut |f| out.push(f)).expect("in memory");
        (summary, out)
    };
    let (one_summary, one) = findings(1);
    assert!(one.len() > 30_000, "{}", one.len());
    let (three_summary, three) = findings(3);
    assert_eq!(one_summary, three_summary);
    assert!(one == three, "the findings differ with 3 jobs");
}

#[test]
fn a_gzip_file_reads_as_the_plain_file() {
    let packed = std::env::temp_dir().join(format!("ocpp-validate-{}.csv.gz", std::process::id()));
    std::fs::write(&packed, gzip(&trace("lake.csv"))).expect("temp dir is writable");
    let packed_name = packed.to_str().expect("UTF-8 temp path");
    let args = ["--columns", "timestamp=written_at", "--format", "json"];
    let (code, from_gzip) = check(&[&args[..], &[packed_name]].concat(), None);
    let (plain_code, plain) = check(&[&args[..], &["lake.csv"]].concat(), None);
    std::fs::remove_file(&packed).expect("written above");
    assert_eq!((code, from_gzip), (plain_code, plain));
}

#[test]
fn a_corrupt_gzip_member_keeps_the_findings_read_before_it() {
    // Ten frames with an error each in an intact first member, then a member that breaks off.
    let frames: String = (0..10)
        .map(|i| format!("[2,\"{i}\",\"Heartbeat\",{{\"extra\":1}}]\n"))
        .collect();
    let mut input = gzip(frames.as_bytes());
    input.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0x12, 0x34, 0x56]);
    let dir = std::env::temp_dir().join(format!("ocpp-validate-cut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    std::fs::write(dir.join("cut.gz"), &input).expect("temp dir is writable");
    for jobs in ["1", "2"] {
        let output = Command::cargo_bin("ocpp-validate")
            .expect("the binary is built")
            .current_dir(&dir)
            .args(["check", "--format", "json", "--jobs", jobs, "cut.gz"])
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .expect("the binary runs");
        let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
        let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
        assert_eq!(output.status.code(), Some(2), "--jobs {jobs}: {stderr}");
        let lines: Vec<&str> = stdout.lines().collect();
        let errors = lines.iter().filter(|l| l.contains(r#""severity":"error""#));
        assert_eq!(errors.count(), 10, "--jobs {jobs}: {stdout}");
        let unanswered = lines
            .iter()
            .filter(|l| l.contains("correlation-unanswered-call"));
        assert_eq!(unanswered.count(), 10, "--jobs {jobs}: {stdout}");
        assert_eq!(
            lines.last().copied(),
            Some(r#"{"summary":{"files":1,"records":10,"errors":10,"warnings":11,"infos":0}}"#),
            "--jobs {jobs}"
        );
        assert!(
            stderr.contains("cannot read cut.gz: line 11:"),
            "--jobs {jobs}: {stderr}"
        );
    }
    std::fs::remove_dir_all(&dir).expect("made above");
}

/// A change made to a trace record.
type Change = Box<dyn FnOnce(&mut serde_json::Map<String, serde_json::Value>)>;

/// One Open OCPP Trace record of a 1.6 Heartbeat CALL, with `change` applied to it.
fn trace_record(change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) -> String {
    let mut record = serde_json::json!({
        "schemaVersion": "1.1",
        "timestamp": "2024-05-01T08:00:00Z",
        "ocppVersion": "1.6",
        "transport": "json",
        "chargePointId": "CP-1",
        "direction": "cp-to-csms",
        "messageType": "CALL",
        "messageId": "h1",
        "action": "Heartbeat",
        "payload": {},
        "raw": "[2,\"h1\",\"Heartbeat\",{}]",
    });
    change(record.as_object_mut().expect("an object"));
    record.to_string()
}

#[test]
fn open_trace_record_members_are_checked_against_the_format() {
    use ocpp_validate::check::{check_reader, CheckOptions};
    let faults = |line: String| {
        let mut found = Vec::new();
        check_reader(
            std::io::Cursor::new(line + "\n"),
            CheckOptions::default(),
            &mut |f| {
                if f.rule.starts_with("record-") {
                    found.push((f.rule, f.severity, f.message));
                }
            },
        )
        .expect("in memory");
        found
    };
    assert_eq!(faults(trace_record(|_| {})), [], "a good record is quiet");
    let warning = ocpp_validate::Severity::Warning;
    let cases: [(&str, Change, &str); 7] = [
        ("record-timestamp", Box::new(|r| { r.insert("timestamp".into(), "yesterday".into()); }),
         "timestamp \"yesterday\" is not an RFC 3339 date-time; the record has no capture time"),
        ("record-timestamp", Box::new(|r| { r.remove("timestamp"); }),
         "no timestamp: Open OCPP Trace requires the capture time of every record"),
        ("record-direction", Box::new(|r| { r.remove("direction"); }),
         "no direction: Open OCPP Trace requires cp-to-csms or csms-to-cp; the sender is told from the frame"),
        ("record-direction", Box::new(|r| { r.insert("direction".into(), "upstream".into()); }),
         "direction \"upstream\" is neither cp-to-csms nor csms-to-cp; the sender is told from the frame"),
        ("record-ocpp-version", Box::new(|r| { r.insert("ocppVersion".into(), "1.7".into()); }),
         "ocppVersion \"1.7\" is not a version this tool checks (1.6, 2.0.1); the record is read as if it named none"),
        ("record-raw-mismatch", Box::new(|r| { r.insert("payload".into(), serde_json::json!({"x": 1})); }),
         "raw and payload disagree; the frame is checked as raw has it"),
        ("record-raw-mismatch", Box::new(|r| { r.insert("messageId".into(), "other".into()); }),
         "raw and messageId disagree; the frame is checked as raw has it"),
    ];
    for (rule, change, message) in cases {
        assert_eq!(
            faults(trace_record(change)),
            [(rule, warning, message.to_owned())],
            "{rule}"
        );
    }
}
