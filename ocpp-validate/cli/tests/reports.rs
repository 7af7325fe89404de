//! Command-line tests of the report formats (`--format junit|sarif|consumer-view`, and the
//! semantic findings in `human` and `json`), run on the example traces shipped under
//! `examples/traces/`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The directory the binary runs in, so that reports name example traces by relative paths.
fn traces() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("examples")
        .join("traces")
}

/// Runs `ocpp-validate ARGS` in `examples/traces`; gives the exit code and standard output.
fn run(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::cargo_bin("ocpp-validate")
        .expect("the binary is built")
        .current_dir(traces())
        .args(args)
        .output()
        .expect("the binary runs");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    (output.status.code(), stdout)
}

#[test]
fn human_report_of_the_depot_trace() {
    let (code, stdout) = run(&["check", "depot.jsonl"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("depot_human", stdout);
}

#[test]
fn json_report_names_the_semantic_category() {
    let (code, stdout) = run(&["check", "--format", "json", "depot.jsonl"]);
    assert_eq!(code, Some(1));
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let semantic = lines.iter().filter(|l| l["category"] == "semantic").count();
    assert_eq!(semantic, 9, "{stdout}");
    insta::assert_snapshot!("depot_json", stdout);
}

#[test]
fn semantic_rules_can_be_turned_off_and_tuned() {
    let (code, stdout) = run(&["check", "--no-semantic", "depot.jsonl"]);
    assert_eq!(code, Some(1));
    assert!(!stdout.contains("semantic-"), "{stdout}");
    assert!(
        stdout.ends_with("checked 72 records in 1 input: 1 error, 0 warnings\n"),
        "{stdout}"
    );
    let (_, stdout) = run(&[
        "check",
        "--format",
        "json",
        "--latency-threshold",
        "15",
        "depot.jsonl",
    ]);
    assert!(!stdout.contains("semantic-response-latency"), "{stdout}");
    let (_, stdout) = run(&[
        "check",
        "--format",
        "json",
        "--latency-threshold",
        "12",
        "depot.jsonl",
    ]);
    assert!(stdout.contains("semantic-response-latency"), "{stdout}");
}

#[test]
fn junit_report_has_a_test_case_per_rule() {
    let (code, stdout) = run(&["check", "--format", "junit", "depot.jsonl"]);
    assert_eq!(code, Some(1));
    assert!(stdout.starts_with("<?xml"));
    insta::assert_snapshot!("depot_junit", stdout);
}

#[test]
fn junit_report_of_a_clean_trace_has_no_failures() {
    let (code, stdout) = run(&["check", "--format", "junit", "clean.jsonl"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains(r#"tests="13" failures="0""#), "{stdout}");
    assert!(!stdout.contains("<failure"), "{stdout}");
}

#[test]
fn sarif_report_lists_rules_and_locates_results() {
    let (code, stdout) = run(&["check", "--format", "sarif", "depot.jsonl"]);
    assert_eq!(code, Some(1));
    let log: Value = serde_json::from_str(&stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "depot.jsonl");
        assert!(location["region"]["startLine"].as_u64().expect("line") >= 1);
    }
    // The tool's version changes with every release; the snapshot keeps the place of it.
    let version = format!(r#""version": "{}""#, env!("CARGO_PKG_VERSION"));
    assert!(
        stdout.contains(&version),
        "the driver names the crate version"
    );
    let stdout = stdout.replace(&version, r#""version": "[version]""#);
    insta::assert_snapshot!("depot_sarif", stdout);
}

#[test]
fn consumer_view_of_the_depot_trace() {
    let (code, stdout) = run(&["check", "--format", "consumer-view", "depot.jsonl"]);
    assert_eq!(code, Some(0));
    let view: Value = serde_json::from_str(&stdout).expect("one JSON object");
    let keys: Vec<&String> = view.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "schemaVersion",
            "counts",
            "records",
            "unansweredCalls",
            "orphanResponses"
        ]
    );
    insta::assert_snapshot!("depot_consumer_view", stdout);
}

/// Correlation in the consumer view: `action` and `correlatesWith` on answered responses only,
/// orphans and unanswered calls listed by index, unreadable records counted but not listed.
#[test]
fn consumer_view_absence_rules() {
    let input = concat!(
        "[2,\"1\",\"Heartbeat\",{}]\n",
        "[3,\"1\",{\"currentTime\":\"2024-05-01T08:00:00Z\"}]\n",
        "[3,\"9\",{}]\n",
        "not a frame\n",
        "[4,\"2\",\"NotImplemented\",\"\",{}]\n",
        "[2,\"3\",\"Authorize\",{\"idTag\":\"T\"}]\n",
    );
    let output = Command::cargo_bin("ocpp-validate")
        .expect("the binary is built")
        .args(["check", "--format", "consumer-view"])
        .write_stdin(input)
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(
        stdout.trim_end(),
        concat!(
            r#"{"schemaVersion":"1.1","counts":{"records":6,"calls":2,"callResults":2,"callErrors":1},"records":["#,
            r#"{"index":0,"messageType":"CALL","messageId":"1","action":"Heartbeat"},"#,
            r#"{"index":1,"messageType":"CALLRESULT","messageId":"1","action":"Heartbeat","correlatesWith":0},"#,
            r#"{"index":2,"messageType":"CALLRESULT","messageId":"9"},"#,
            r#"{"index":4,"messageType":"CALLERROR","messageId":"2"},"#,
            r#"{"index":5,"messageType":"CALL","messageId":"3","action":"Authorize"}],"#,
            r#""unansweredCalls":[5],"orphanResponses":[2,4]}"#
        )
    );
}
