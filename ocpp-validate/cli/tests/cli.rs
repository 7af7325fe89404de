//! Command-line tests of `ocpp-validate check`: exit codes, both output formats, input
//! detection, OCPP version handling, correlation and line limits, run on `tests/fixtures`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{json, Value};

/// The directory the binary runs in, so that reports name fixtures by relative paths.
fn fixtures() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("tests")
        .join("fixtures")
}

/// What one run of the binary gave.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut command = Command::cargo_bin("ocpp-validate").expect("the binary is built");
    command.current_dir(dir).arg("check").args(args);
    if let Some(input) = stdin {
        command.write_stdin(input.to_vec());
    }
    let output = command.output().expect("the binary runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `ocpp-validate check ARGS` in the fixtures directory.
fn check(args: &[&str]) -> Run {
    run_in(&fixtures(), args, None)
}

/// Runs `ocpp-validate check ARGS` with `input` on standard input.
fn check_stdin(args: &[&str], input: &[u8]) -> Run {
    run_in(&fixtures(), args, Some(input))
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(name)).expect("the fixture exists")
}

/// A `--format json` report: the finding objects, then the summary object.
struct Report {
    findings: Vec<Value>,
    summary: Value,
}

fn report(stdout: &str) -> Report {
    let mut lines: Vec<Value> = stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line: {line}: {e}"))
        })
        .collect();
    let last = lines.pop().expect("a summary line");
    let summary = last
        .get("summary")
        .cloned()
        .unwrap_or_else(|| panic!("the last line is not the summary: {last}"));
    for finding in &lines {
        assert!(finding.get("summary").is_none(), "summary before the end");
        for member in ["record", "line", "rule", "severity", "category", "pointer"] {
            assert!(finding.get(member).is_some(), "{member} missing: {finding}");
        }
    }
    Report {
        findings: lines,
        summary,
    }
}

/// (line, rule, pointer, errorCode) of a finding.
type Tuple<'a> = (u64, &'a str, &'a str, Option<&'a str>);

fn tuple(finding: &Value) -> Tuple<'_> {
    (
        finding["line"].as_u64().expect("line is a number"),
        finding["rule"].as_str().expect("rule is a string"),
        finding["pointer"].as_str().expect("pointer is a string"),
        finding.get("errorCode").map(|c| c.as_str().expect("code")),
    )
}

fn tuples(findings: &[Value]) -> Vec<Tuple<'_>> {
    findings.iter().map(tuple).collect()
}

fn rules(findings: &[Value]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f["rule"].as_str().expect("rule is a string"))
        .collect()
}

fn summary(files: u64, records: u64, errors: u64, warnings: u64) -> Value {
    json!({"files": files, "records": records, "errors": errors, "warnings": warnings, "infos": 0})
}

/// A clean 1.6 session, every CALL answered, blank line included.
#[test]
fn clean_1_6_trace_passes() {
    let human = check(&["clean-1.6.txt"]);
    assert_eq!(human.stderr, "");
    assert_eq!(
        human.stdout,
        "checked 12 records in 1 input: 0 errors, 0 warnings\n"
    );
    assert_eq!(human.code, Some(0));

    let json = check(&["--format", "json", "clean-1.6.txt"]);
    assert_eq!(
        json.stdout,
        "{\"summary\":{\"files\":1,\"records\":12,\"errors\":0,\"warnings\":0,\"infos\":0}}\n"
    );
    assert_eq!(json.code, Some(0));
}

/// One of each kind of problem in a 1.6 raw trace.
#[test]
fn problems_in_1_6_trace_are_reported() {
    let human = check(&["--ocpp", "1.6", "problems-1.6.txt"]);
    assert_eq!(human.code, Some(1));
    assert_eq!(human.stderr, "");
    assert!(human
        .stdout
        .ends_with("checked 18 records in 1 input: 12 errors, 2 warnings\n"));
    insta::assert_snapshot!("problems_1_6_human", human.stdout);

    let json = check(&["--ocpp", "1.6", "--format", "json", "problems-1.6.txt"]);
    assert_eq!(json.code, Some(1));
    insta::assert_snapshot!("problems_1_6_json", json.stdout);
    let report = report(&json.stdout);
    assert_eq!(report.summary, summary(1, 18, 12, 2));
    let formation = Some("FormationViolation");
    let property = Some("PropertyConstraintViolation");
    let occurence = Some("OccurenceConstraintViolation");
    assert_eq!(
        tuples(&report.findings),
        [
            (1, "schema-required", "", occurence),
            (3, "frame-not-json", "", formation),
            (4, "frame-wrong-arity", "", formation),
            (5, "message-id-too-long", "", formation),
            (6, "payload-not-an-object", "", formation),
            (7, "action-unknown", "", Some("NotImplemented")),
            (10, "schema-max-length", "/idTag", property),
            (
                12,
                "schema-type",
                "/connectorId",
                Some("TypeConstraintViolation")
            ),
            (12, "schema-enum", "/status", property),
            (14, "schema-format", "/timestamp", property),
            (14, "schema-additional-property", "/vendorNote", formation),
            (16, "schema-min-items", "/meterValue", occurence),
            (18, "correlation-orphan-response", "", None),
            (19, "correlation-unanswered-call", "", None),
        ]
    );
    // Records are 0-based and skip the blank line 9; lines are 1-based.
    let first_after_blank = &report.findings[6];
    assert_eq!(first_after_blank["record"], json!(8));
    assert_eq!(first_after_blank["line"], json!(10));
    assert_eq!(first_after_blank["value"], json!("04A2B3C4D5E6F7A8B9C0D1"));
    assert_eq!(first_after_blank["severity"], json!("error"));
    assert_eq!(first_after_blank["category"], json!("schema"));
    // The offending value is given where there is one, and not for a missing member.
    assert_eq!(report.findings[11]["value"], json!([]));
    assert!(report.findings[0].get("value").is_none());
    for correlation in &report.findings[12..] {
        assert_eq!(correlation["severity"], json!("warning"));
        assert_eq!(correlation["category"], json!("correlation"));
    }
}

/// Open OCPP Trace JSON Lines with two charge points, per-record versions, a CALLERROR,
/// a `raw` record, an unknown messageType, orphans and a CALL sent the wrong way.
#[test]
fn open_ocpp_trace_is_checked_per_charge_point() {
    let run = check(&["--format", "json", "open-trace.jsonl"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("open_trace_json", run.stdout);
    let report = report(&run.stdout);
    assert_eq!(report.summary, summary(1, 19, 3, 5));
    assert_eq!(
        tuples(&report.findings),
        [
            // CP-A sends RemoteStartTransaction, which only the central system sends.
            (8, "action-wrong-direction", "", Some("NotSupported")),
            // The CP-B record is checked as 2.0.1 (its own ocppVersion): IdTokenEnumType.
            (
                12,
                "schema-enum",
                "/idToken/type",
                Some("PropertyConstraintViolation")
            ),
            // CP-B answers "4", which only CP-A has open: no cross-match.
            (15, "correlation-orphan-response", "", None),
            // CP-A answers its own "4" in the direction of the call: not an answer.
            (16, "correlation-orphan-response", "", None),
            (18, "record-message-type", "", None),
            (19, "correlation-orphan-response", "", None),
            // CP-B's heartbeats come 7 s apart; its BootNotification set 300 s.
            (20, "semantic-heartbeat-cadence", "", None),
            // CP-B's "3" is open although CP-A's "3" was answered.
            (20, "correlation-unanswered-call", "", None),
        ]
    );
    // Message id "1" is open on both charge points at once (lines 2 and 3): each answer
    // (lines 4 and 5) is validated against its own charge point's call and version.
    // Line 17 is CP-A's answer to "4" in the right direction.
    for quiet in [1, 2, 4, 5, 6, 7, 9, 10, 11, 13, 14, 17] {
        assert!(
            report.findings.iter().all(|f| f["line"] != json!(quiet)),
            "unexpected finding on line {quiet}"
        );
    }
    let wrong_way = &report.findings[0];
    assert_eq!(wrong_way["category"], json!("framing"));
    assert_eq!(wrong_way["severity"], json!("error"));

    // A record's ocppVersion wins over --ocpp.
    for version in ["1.6", "2.0.1"] {
        let forced = check(&["--ocpp", version, "--format", "json", "open-trace.jsonl"]);
        assert_eq!(forced.stdout, run.stdout, "--ocpp {version}");
    }
}

/// A CALLRESULT is validated against the response schema of its CALL's action.
#[test]
fn callresult_is_validated_against_the_matched_calls_response() {
    let run = check(&[
        "--ocpp",
        "1.6",
        "--format",
        "json",
        "response-schema-1.6.txt",
    ]);
    assert_eq!(run.code, Some(1));
    let report = report(&run.stdout);
    assert_eq!(report.summary, summary(1, 4, 3, 0));
    let after_authorize: Vec<_> = tuples(&report.findings)
        .into_iter()
        .filter(|t| t.0 == 2)
        .collect();
    assert_eq!(
        after_authorize,
        // A response is never answered with a CALLERROR, so no code.
        [(2, "schema-enum", "/idTagInfo/status", None)]
    );
    let mut after_heartbeat: Vec<_> = tuples(&report.findings)
        .into_iter()
        .filter(|t| t.0 == 4)
        .collect();
    after_heartbeat.sort_unstable();
    assert_eq!(
        after_heartbeat,
        [
            (4, "schema-additional-property", "/idTagInfo", None),
            (4, "schema-required", "", None)
        ]
    );
    let human = check(&["--ocpp", "1.6", "response-schema-1.6.txt"]);
    assert_eq!(human.code, Some(1));
    insta::assert_snapshot!("response_schema_human", human.stdout);
}

/// Standard input when no file is given.
#[test]
fn stdin_is_read_when_no_file_is_given() {
    let input = fixture("problems-1.6.txt");
    let from_file = check(&["--ocpp", "1.6", "--format", "json", "problems-1.6.txt"]);
    let from_stdin = check_stdin(&["--ocpp", "1.6", "--format", "json"], &input);
    assert_eq!(from_stdin.code, Some(1));
    assert!(!from_stdin.stdout.contains("\"file\""));
    assert_eq!(from_stdin.stdout, from_file.stdout);

    let human_file = check(&["--ocpp", "1.6", "problems-1.6.txt"]);
    let human_stdin = check_stdin(&["--ocpp", "1.6"], &input);
    assert_eq!(human_stdin.code, Some(1));
    assert!(human_stdin.stdout.contains("  --> <stdin>:1 (record 0)\n"));
    // Standard input is not read twice, so its findings come without the frame excerpts.
    let without_excerpts: String = human_file
        .stdout
        .lines()
        .filter(|line| !line.starts_with("   |"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_ne!(without_excerpts, human_file.stdout);
    assert_eq!(
        human_stdin.stdout,
        without_excerpts.replace("problems-1.6.txt", "<stdin>")
    );

    let clean = check_stdin(&[], &fixture("clean-1.6.txt"));
    assert_eq!(clean.code, Some(0));
    assert_eq!(
        clean.stdout,
        "checked 12 records in 1 input: 0 errors, 0 warnings\n"
    );
}

/// Several files, each detected on its own; `file` names each finding's input.
#[test]
fn several_files_name_their_findings_and_are_counted() {
    let files = [
        "response-schema-1.6.txt",
        "open-trace.jsonl",
        "clean-1.6.txt",
    ];
    let mut args = vec!["--format", "json"];
    args.extend(files);
    let run = check(&args);
    assert_eq!(run.code, Some(1));
    let report = report(&run.stdout);
    assert_eq!(report.summary, summary(3, 4 + 19 + 12, 3 + 3, 5));
    let named: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f["file"].as_str().expect("file is named"))
        .collect();
    let mut expected = vec!["response-schema-1.6.txt"; 3];
    expected.extend(["open-trace.jsonl"; 8]);
    assert_eq!(named, expected);
    // Apart from `file`, each finding is what the file alone gives.
    let alone = report_of(&["--format", "json", "open-trace.jsonl"]);
    let mut without_file = report.findings[3..].to_vec();
    for finding in &mut without_file {
        finding
            .as_object_mut()
            .expect("object")
            .shift_remove("file");
    }
    assert_eq!(without_file, alone.findings);

    let human = check(&files);
    assert_eq!(human.code, Some(1));
    assert!(human
        .stdout
        .contains("  --> open-trace.jsonl:8 (record 6)\n"));
    assert!(human
        .stdout
        .contains("  --> response-schema-1.6.txt:2 (record 1)\n"));
    assert!(human
        .stdout
        .ends_with("\nchecked 35 records in 3 inputs: 6 errors, 5 warnings\n"));

    let clean = check(&["clean-1.6.txt", "heartbeats-only.txt"]);
    assert_eq!(clean.code, Some(0));
    assert!(clean
        .stdout
        .ends_with("checked 16 records in 2 inputs: 0 errors, 1 warning\n"));
}

fn report_of(args: &[&str]) -> Report {
    report(&check(args).stdout)
}

/// `--ocpp 2.0.1` on raw 2.0.1 frames gives 2.0.1 rules and codes.
#[test]
fn ocpp_2_0_1_raw_frames() {
    let run = check(&["--ocpp", "2.0.1", "raw-2.0.1.txt"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("raw_2_0_1_human", run.stdout);
    let report = report_of(&["--ocpp", "2.0.1", "--format", "json", "raw-2.0.1.txt"]);
    assert_eq!(report.summary, summary(1, 11, 4, 0));
    assert_eq!(
        tuples(&report.findings),
        [
            (
                7,
                "schema-max-length",
                "/idToken/idToken",
                Some("PropertyConstraintViolation")
            ),
            (
                7,
                "schema-additional-property",
                "/pin",
                Some("ProtocolError")
            ),
            (
                9,
                "schema-required",
                "/chargingStation",
                Some("OccurrenceConstraintViolation")
            ),
            (11, "frame-wrong-arity", "", Some("RpcFrameworkError")),
        ]
    );
}

/// An unknown `--ocpp` value is a usage error.
#[test]
fn unknown_ocpp_version_is_a_usage_error() {
    let run = check(&["--ocpp", "9", "clean-1.6.txt"]);
    assert_eq!(run.code, Some(2));
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("--ocpp") && run.stderr.contains("unknown OCPP version \"9\""),
        "stderr: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("1.6, 2.0.1 or 2.1"),
        "stderr: {}",
        run.stderr
    );
}

/// A missing input is an I/O error naming the file; the other inputs are still checked.
#[test]
fn missing_file_is_an_io_error() {
    let run = check(&["no-such-trace.txt"]);
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stdout,
        "checked 0 records in 1 input: 0 errors, 0 warnings\n"
    );
    assert!(
        run.stderr.contains("cannot read no-such-trace.txt"),
        "stderr: {}",
        run.stderr
    );
    let both = check(&["--format", "json", "no-such-trace.txt", "clean-1.6.txt"]);
    assert_eq!(
        both.code,
        Some(2),
        "exit 2 although the readable input is clean"
    );
    let last = both.stdout.lines().last().unwrap_or_default();
    let summary: serde_json::Value = serde_json::from_str(last).expect("summary line");
    assert_eq!(summary["summary"]["files"], 2);
    assert!(
        summary["summary"]["records"].as_u64().unwrap_or(0) > 0,
        "clean-1.6.txt was read"
    );
}

/// 2.0.1 frames are recognised without `--ocpp`, records before the deciding CALL
/// included; an explicit `--ocpp` wins over the guess.
#[test]
fn version_is_guessed_from_the_first_decisive_call() {
    let guessed = check(&["raw-2.0.1.txt"]);
    let explicit = check(&["--ocpp", "2.0.1", "raw-2.0.1.txt"]);
    assert_eq!(guessed.code, Some(1));
    assert_eq!(guessed.stdout, explicit.stdout);
    assert!(guessed
        .stdout
        .contains("answer with CALLERROR OccurrenceConstraintViolation\n"));
    assert!(!guessed.stdout.contains("version-assumed"));

    let as_1_6 = report_of(&["--ocpp", "1.6", "--format", "json", "raw-2.0.1.txt"]);
    let boot = findings_on(&as_1_6, 3);
    assert!(
        boot.iter()
            .any(|f| f["message"] == json!("\"chargePointVendor\" is a required property")),
        "{boot:?}"
    );
}

fn findings_on(report: &Report, line: u64) -> Vec<&Value> {
    report
        .findings
        .iter()
        .filter(|f| f["line"] == json!(line))
        .collect()
}

/// Input that never tells the version is checked as 1.6, with a warning.
#[test]
fn undecidable_input_assumes_1_6_with_a_warning() {
    let run = check(&["heartbeats-only.txt"]);
    assert_eq!(run.code, Some(0));
    assert_eq!(
        run.stdout,
        "warning[version-assumed]: the first 4 records do not tell the OCPP version; \
         assuming 1.6 (pass --ocpp)\n  \
         --> heartbeats-only.txt:1 (record 0)\n\
         checked 4 records in 1 input: 0 errors, 1 warning\n"
    );
    let report = report_of(&["--format", "json", "heartbeats-only.txt"]);
    assert_eq!(tuples(&report.findings), [(1, "version-assumed", "", None)]);
    assert_eq!(report.findings[0]["severity"], json!("warning"));
    assert_eq!(report.summary, summary(1, 4, 0, 1));
    for version in ["1.6", "2.0.1"] {
        let told = check(&["--ocpp", version, "heartbeats-only.txt"]);
        assert_eq!(told.code, Some(0));
        assert_eq!(
            told.stdout,
            "checked 4 records in 1 input: 0 errors, 0 warnings\n"
        );
    }
}

/// The guess looks at the first 256 records and no further.
#[test]
fn version_guess_looks_at_the_first_256_records() {
    let input = |heartbeats: usize| {
        let mut text: String = (0..heartbeats)
            .map(|i| format!("[2,\"hb-{i}\",\"Heartbeat\",{{}}]\n"))
            .collect();
        text.push_str(
            r#"[2,"boot-1","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"Wallbox S","vendorName":"Volta"}}]"#,
        );
        text.push('\n');
        text
    };
    // The 256th record decides: 2.0.1, and the BootNotification is valid.
    let decided = report(&check_stdin(&["--format", "json"], input(255).as_bytes()).stdout);
    assert_eq!(decided.summary["errors"], json!(0));
    assert!(!rules(&decided.findings).contains(&"version-assumed"));
    // The 257th is too late: 1.6 is assumed, and the 2.0.1 BootNotification is wrong in it.
    let assumed = report(&check_stdin(&["--format", "json"], input(256).as_bytes()).stdout);
    assert_eq!(
        tuple(&assumed.findings[0]),
        (1, "version-assumed", "", None)
    );
    assert_eq!(
        assumed.findings[0]["message"],
        json!("the first 256 records do not tell the OCPP version; assuming 1.6 (pass --ocpp)")
    );
    assert!(findings_on(&assumed, 257)
        .iter()
        .any(|f| f["rule"] == json!("schema-required")));
}

/// Lines over `--max-line-bytes` are reported and skipped; the limit itself is allowed.
#[test]
fn long_lines_are_reported_and_skipped() {
    let run = check(&[
        "--max-line-bytes",
        "64",
        "--format",
        "json",
        "long-line-1.6.txt",
    ]);
    assert_eq!(run.code, Some(1));
    let report = report(&run.stdout);
    assert_eq!(report.summary, summary(1, 8, 3, 0));
    assert_eq!(
        tuples(&report.findings),
        [
            (3, "record-too-long", "", None),
            // Line 4 has exactly 64 bytes and is read; line 6 has 65.
            (6, "record-too-long", "", None),
            (
                7,
                "schema-max-length",
                "/idTag",
                Some("PropertyConstraintViolation")
            ),
        ]
    );
    assert_eq!(report.findings[0]["record"], json!(2));
    assert_eq!(
        report.findings[0]["message"],
        json!("line longer than the limit of 64 bytes (--max-line-bytes); not read")
    );

    let unlimited = report_of(&["--format", "json", "long-line-1.6.txt"]);
    assert!(!rules(&unlimited.findings).contains(&"record-too-long"));
    assert_eq!(unlimited.summary["records"], json!(8));
}

/// A line that is not UTF-8 is reported and skipped; the next lines are checked.
#[test]
fn invalid_utf8_lines_are_reported_and_skipped() {
    let dir = std::env::temp_dir().join(format!("ocpp-validate-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let bytes: &[u8] = b"[2,\"hb-1\",\"Heartbeat\",{}]\n\
        [2,\"auth-1\",\"Authorize\",{\"idTag\":\"CAF\xc9-0001\"}]\n\
        [3,\"hb-1\",{\"currentTime\":\"2024-05-01T08:00:00Z\"}]\n\
        [2,\"auth-2\",\"Authorize\",{\"idTag\":\"04A2B3C4D5E6F7A8B9C0D1\"}]\n\
        [3,\"auth-2\",{\"idTagInfo\":{\"status\":\"Accepted\"}}]\n";
    std::fs::write(dir.join("not-utf8.txt"), bytes).expect("the fixture is written");
    let json = run_in(
        &dir,
        &["--ocpp", "1.6", "--format", "json", "not-utf8.txt"],
        None,
    );
    let human = run_in(&dir, &["--ocpp", "1.6", "not-utf8.txt"], None);
    let _ = std::fs::remove_dir_all(&dir);

    assert_eq!(json.code, Some(1));
    let report = report(&json.stdout);
    assert_eq!(report.summary, summary(1, 5, 2, 0));
    assert_eq!(
        tuples(&report.findings),
        [
            (2, "record-not-utf8", "", None),
            (
                4,
                "schema-max-length",
                "/idTag",
                Some("PropertyConstraintViolation")
            ),
        ]
    );
    assert!(human.stdout.starts_with(
        "error[record-not-utf8]: line is not UTF-8 text\n  --> not-utf8.txt:2 (record 1)\n"
    ));
}

/// A rule and two inputs that differ only in what the rule is about.
struct Pair {
    rule: &'static str,
    args: &'static [&'static str],
    bad: &'static [&'static [u8]],
    good: &'static [&'static [u8]],
}

const V16: &[&str] = &["--ocpp", "1.6"];
const HB_CALL: &[u8] = br#"[2,"hb-1","Heartbeat",{}]"#;
const HB_RESULT: &[u8] = br#"[3,"hb-1",{"currentTime":"2024-05-01T08:00:00Z"}]"#;
const AUTH_CALL: &[u8] = br#"[2,"auth-1","Authorize",{"idTag":"04A2B3C4D5E6F7"}]"#;
const AUTH_RESULT: &[u8] = br#"[3,"auth-1",{"idTagInfo":{"status":"Accepted"}}]"#;

const PAIRS: &[Pair] = &[
    Pair {
        rule: "frame-not-json",
        args: V16,
        bad: &[br#"[2,"hb-1","Heartbeat",{}"#, HB_RESULT],
        good: &[HB_CALL, HB_RESULT],
    },
    Pair {
        rule: "frame-wrong-arity",
        args: V16,
        bad: &[br#"[2,"hb-1","Heartbeat"]"#, HB_RESULT],
        good: &[HB_CALL, HB_RESULT],
    },
    Pair {
        rule: "message-id-too-long",
        args: V16,
        bad: &[
            br#"[2,"0123456789abcdef0123456789abcdef01234","Heartbeat",{}]"#,
            br#"[3,"0123456789abcdef0123456789abcdef01234",{"currentTime":"2024-05-01T08:00:00Z"}]"#,
        ],
        good: &[
            br#"[2,"0123456789abcdef0123456789abcdef0123","Heartbeat",{}]"#,
            br#"[3,"0123456789abcdef0123456789abcdef0123",{"currentTime":"2024-05-01T08:00:00Z"}]"#,
        ],
    },
    Pair {
        rule: "payload-not-an-object",
        args: V16,
        bad: &[br#"[2,"hb-1","Heartbeat",[]]"#, HB_RESULT],
        good: &[HB_CALL, HB_RESULT],
    },
    Pair {
        rule: "action-unknown",
        args: V16,
        bad: &[
            br#"[2,"fw-1","FlashFirmware",{"location":"ftp://fw.example.com/v2.bin","retrieveDate":"2024-05-02T03:00:00Z"}]"#,
            br#"[3,"fw-1",{}]"#,
        ],
        good: &[
            br#"[2,"fw-1","UpdateFirmware",{"location":"ftp://fw.example.com/v2.bin","retrieveDate":"2024-05-02T03:00:00Z"}]"#,
            br#"[3,"fw-1",{}]"#,
        ],
    },
    Pair {
        rule: "action-wrong-direction",
        args: &[],
        bad: &[
            br#"{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","ocppVersion":"1.6","chargePointId":"CP-A","direction":"cp-to-csms","messageType":"CALL","messageId":"1","action":"RemoteStartTransaction","payload":{"idTag":"04A2B3C4D5E6F7"}}"#,
            br#"{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","ocppVersion":"1.6","chargePointId":"CP-A","direction":"csms-to-cp","messageType":"CALLRESULT","messageId":"1","payload":{"status":"Accepted"}}"#,
        ],
        good: &[
            br#"{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","ocppVersion":"1.6","chargePointId":"CP-A","direction":"csms-to-cp","messageType":"CALL","messageId":"1","action":"RemoteStartTransaction","payload":{"idTag":"04A2B3C4D5E6F7"}}"#,
            br#"{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","ocppVersion":"1.6","chargePointId":"CP-A","direction":"cp-to-csms","messageType":"CALLRESULT","messageId":"1","payload":{"status":"Accepted"}}"#,
        ],
    },
    Pair {
        rule: "record-message-type",
        args: &[],
        bad: &[
            br#"{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","ocppVersion":"1.6","chargePointId":"CP-A","direction":"cp-to-csms","messageType":"NOTIFY","messageId":"1","action":"Heartbeat","payload":{}}"#,
            br#"{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","ocppVersion":"1.6","chargePointId":"CP-A","direction":"csms-to-cp","messageType":"CALLRESULT","messageId":"1","payload":{"currentTime":"2024-05-01T08:00:00Z"}}"#,
        ],
        good: &[
            br#"{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","ocppVersion":"1.6","chargePointId":"CP-A","direction":"cp-to-csms","messageType":"CALL","messageId":"1","action":"Heartbeat","payload":{}}"#,
            br#"{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","ocppVersion":"1.6","chargePointId":"CP-A","direction":"csms-to-cp","messageType":"CALLRESULT","messageId":"1","payload":{"currentTime":"2024-05-01T08:00:00Z"}}"#,
        ],
    },
    Pair {
        rule: "schema-required",
        args: V16,
        bad: &[br#"[2,"auth-1","Authorize",{}]"#, AUTH_RESULT],
        good: &[AUTH_CALL, AUTH_RESULT],
    },
    Pair {
        rule: "schema-additional-property",
        args: V16,
        bad: &[
            br#"[2,"auth-1","Authorize",{"idTag":"04A2B3C4D5E6F7","vendorNote":"x"}]"#,
            AUTH_RESULT,
        ],
        good: &[AUTH_CALL, AUTH_RESULT],
    },
    Pair {
        rule: "schema-type",
        args: V16,
        bad: &[br#"[2,"auth-1","Authorize",{"idTag":4711}]"#, AUTH_RESULT],
        good: &[br#"[2,"auth-1","Authorize",{"idTag":"4711"}]"#, AUTH_RESULT],
    },
    Pair {
        rule: "schema-max-length",
        args: V16,
        bad: &[
            br#"[2,"auth-1","Authorize",{"idTag":"04A2B3C4D5E6F7A8B9C0D"}]"#,
            AUTH_RESULT,
        ],
        good: &[
            br#"[2,"auth-1","Authorize",{"idTag":"04A2B3C4D5E6F7A8B9C0"}]"#,
            AUTH_RESULT,
        ],
    },
    Pair {
        rule: "schema-enum",
        args: V16,
        bad: &[
            AUTH_CALL,
            br#"[3,"auth-1",{"idTagInfo":{"status":"Charged"}}]"#,
        ],
        good: &[AUTH_CALL, AUTH_RESULT],
    },
    Pair {
        rule: "schema-min-items",
        args: V16,
        bad: &[
            br#"[2,"mv-1","MeterValues",{"connectorId":1,"meterValue":[]}]"#,
            br#"[3,"mv-1",{}]"#,
        ],
        good: &[
            br#"[2,"mv-1","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2024-05-01T08:21:00Z","sampledValue":[{"value":"15250"}]}]}]"#,
            br#"[3,"mv-1",{}]"#,
        ],
    },
    Pair {
        rule: "schema-format",
        args: V16,
        bad: &[
            HB_CALL,
            br#"[3,"hb-1",{"currentTime":"2024-05-01T08:00:00"}]"#,
        ],
        good: &[HB_CALL, HB_RESULT],
    },
    Pair {
        rule: "correlation-orphan-response",
        args: V16,
        bad: &[HB_RESULT],
        good: &[HB_CALL, HB_RESULT],
    },
    Pair {
        rule: "correlation-unanswered-call",
        args: V16,
        bad: &[HB_CALL],
        good: &[HB_CALL, HB_RESULT],
    },
    Pair {
        rule: "version-assumed",
        args: &[],
        bad: &[HB_CALL, HB_RESULT],
        good: &[
            br#"[2,"boot-1","BootNotification",{"chargePointVendor":"Acme","chargePointModel":"FastCharge 50"}]"#,
            br#"[3,"boot-1",{"status":"Accepted","currentTime":"2024-05-01T08:00:00Z","interval":300}]"#,
            HB_CALL,
            HB_RESULT,
        ],
    },
    Pair {
        rule: "record-too-long",
        args: &["--ocpp", "1.6", "--max-line-bytes", "64"],
        bad: &[
            br#"[2,"auth-000000001","Authorize",{"idTag":"04A2B3C4D5E6F7A8B9C0"}]"#,
            br#"[3,"auth-000000001",{"idTagInfo":{"status":"Accepted"}}]"#,
        ],
        good: &[
            br#"[2,"auth-00000001","Authorize",{"idTag":"04A2B3C4D5E6F7A8B9C0"}]"#,
            br#"[3,"auth-00000001",{"idTagInfo":{"status":"Accepted"}}]"#,
        ],
    },
    Pair {
        rule: "record-not-utf8",
        args: V16,
        // The same idTag in Latin-1, then in UTF-8.
        bad: &[
            b"[2,\"auth-1\",\"Authorize\",{\"idTag\":\"CAF\xc9-0001\"}]",
            AUTH_RESULT,
        ],
        good: &[
            b"[2,\"auth-1\",\"Authorize\",{\"idTag\":\"CAF\xc3\x89-0001\"}]",
            AUTH_RESULT,
        ],
    },
];

/// For every rule the tests make fire, the corrected input gives no finding at all.
#[test]
fn each_rule_has_a_quiet_counterpart() {
    let mut failures = Vec::new();
    for pair in PAIRS {
        let args = [pair.args, &["--format", "json"]].concat();
        let mut bad = pair.bad.join(&b'\n');
        bad.push(b'\n');
        let mut good = pair.good.join(&b'\n');
        good.push(b'\n');
        let bad_run = check_stdin(&args, &bad);
        if !rules(&report(&bad_run.stdout).findings).contains(&pair.rule) {
            failures.push(format!("{}: not reported:\n{}", pair.rule, bad_run.stdout));
        }
        let good_run = check_stdin(&args, &good);
        let good_report = report(&good_run.stdout);
        if good_run.code != Some(0)
            || !good_report.findings.is_empty()
            || good_report.summary["errors"] != json!(0)
            || good_report.summary["warnings"] != json!(0)
        {
            failures.push(format!(
                "{}: the counterpart is not quiet:\n{}",
                pair.rule, good_run.stdout
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every rule fired by the fixture-based tests above has a pair in `PAIRS`.
#[test]
fn every_rule_fired_by_the_fixtures_has_a_pair() {
    let mut fired: Vec<String> = Vec::new();
    for args in [
        &["--ocpp", "1.6", "--format", "json", "problems-1.6.txt"][..],
        &["--format", "json", "open-trace.jsonl"],
        &["--format", "json", "response-schema-1.6.txt"],
        &["--format", "json", "raw-2.0.1.txt"],
        &["--format", "json", "heartbeats-only.txt"],
        &[
            "--max-line-bytes",
            "64",
            "--format",
            "json",
            "long-line-1.6.txt",
        ],
    ] {
        let report = report_of(args);
        fired.extend(rules(&report.findings).into_iter().map(str::to_owned));
    }
    fired.push("record-not-utf8".to_owned());
    fired.sort_unstable();
    fired.dedup();
    let paired: Vec<&str> = PAIRS.iter().map(|p| p.rule).collect();
    // The semantic rules have their pairs in `tests/semantic.rs`.
    let missing: Vec<&String> = fired
        .iter()
        .filter(|r| !paired.contains(&r.as_str()) && !r.starts_with("semantic-"))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a quiet pair: {missing:?}"
    );
    assert!(fired.len() >= 19, "{fired:?}");
}

/// Input detection looks at the first non-blank line: one that starts with `{` makes the input
/// an Open OCPP Trace, even when that line is too long to be read.
#[test]
fn open_trace_whose_first_line_is_too_long_is_still_a_trace() {
    let first = format!(
        r#"{{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","ocppVersion":"1.6","chargePointId":"CP-A","direction":"cp-to-csms","messageType":"CALL","messageId":"1","action":"DataTransfer","payload":{{"vendorId":"com.acme","data":"{}"}}}}"#,
        "x".repeat(300)
    );
    let input = format!(
        "{first}\n{}\n{}\n",
        r#"{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","ocppVersion":"1.6","chargePointId":"CP-A","direction":"cp-to-csms","messageType":"CALL","messageId":"2","action":"Heartbeat","payload":{}}"#,
        r#"{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","ocppVersion":"1.6","chargePointId":"CP-A","direction":"csms-to-cp","messageType":"CALLRESULT","messageId":"2","payload":{"currentTime":"2024-05-01T08:00:00Z"}}"#,
    );
    let run = check_stdin(
        &["--max-line-bytes", "256", "--format", "json"],
        input.as_bytes(),
    );
    let report = report(&run.stdout);
    assert!(
        findings_on(&report, 1)
            .iter()
            .any(|f| f["rule"] == json!("record-too-long")),
        "{}",
        run.stdout
    );
    assert!(
        report.findings.iter().all(|f| f["line"] == json!(1)),
        "lines 2 and 3 are valid trace records:\n{}",
        run.stdout
    );
}

/// Records that do not name their version wait for it to be told; a later record that names
/// its version must not overtake them, or a response is checked before its CALL.
#[test]
fn open_trace_records_without_version_are_correlated_in_order() {
    let input = concat!(
        r#"{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","chargePointId":"CP-A","direction":"cp-to-csms","messageType":"CALL","messageId":"1","action":"Heartbeat","payload":{}}"#,
        "\n",
        r#"{"schemaVersion":"1.0","timestamp":"2024-05-01T08:00:00Z","ocppVersion":"1.6","chargePointId":"CP-A","direction":"csms-to-cp","messageType":"CALLRESULT","messageId":"1","payload":{"currentTime":"2024-05-01T08:00:00Z"}}"#,
        "\n",
    );
    let run = check_stdin(&["--format", "json"], input.as_bytes());
    let report = report(&run.stdout);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f["category"] != json!("correlation")),
        "the CALLRESULT on line 2 answers the CALL on line 1:\n{}",
        run.stdout
    );
}

#[test]
fn an_empty_input_is_a_warning_and_junit_says_nothing_was_checked() {
    for empty in [&b""[..], b"\n\n  \n"] {
        let run = check_stdin(&["--format", "json"], empty);
        assert_eq!(run.code, Some(0), "a warning only");
        let report = report(&run.stdout);
        assert_eq!(rules(&report.findings), ["input-empty"]);
        assert_eq!(report.summary["warnings"], json!(1));
        let junit = check_stdin(&["--format", "junit"], empty);
        assert!(
            junit.stdout.contains(r#"failures="0" skipped="13">"#),
            "{}",
            junit.stdout
        );
        assert!(junit
            .stdout
            .contains(r#"<skipped message="no records were checked"/>"#));
        let human = check_stdin(&[], empty);
        assert!(
            human.stdout.starts_with(
                "warning[input-empty]: no record was read from the input (it is empty, blank or holds \
                 no frame): nothing was checked\n  --> <stdin>\n"
            ),
            "{}",
            human.stdout
        );
    }
    let clean = check(&["--format", "json", "clean-1.6.txt"]);
    assert!(!rules(&report(&clean.stdout).findings).contains(&"input-empty"));
    let junit = check(&["--format", "junit", "clean-1.6.txt"]);
    assert!(junit.stdout.contains(r#"skipped="0""#), "{}", junit.stdout);
    assert!(!junit.stdout.contains("<skipped"), "{}", junit.stdout);
}
