//! `ocpp-validate diff`: the human and JSON comparison of the example session before and
//! after a firmware update, and the exit statuses.

use std::path::{Path, PathBuf};

mod common;

fn traces() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("examples")
        .join("traces")
}

/// `ocpp-validate diff ARGS…` in the example traces' directory.
fn diff(args: &[&str]) -> (Option<i32>, String, String) {
    let args: Vec<&str> = ["diff"].iter().chain(args).copied().collect();
    common::ocpp_validate(&traces(), &args)
}

const UPDATE: [&str; 2] = ["clean.jsonl", "clean-after-update.jsonl"];

#[test]
fn human_comparison_of_a_firmware_update() {
    let (code, stdout, stderr) = diff(&UPDATE);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    insta::assert_snapshot!("diff_update_human", stdout);
}

#[test]
fn json_comparison_with_a_threshold_crossed_exits_1() {
    let (code, stdout, stderr) = diff(&[
        UPDATE[0],
        UPDATE[1],
        "--format",
        "json",
        "--fail-on",
        "new-member,new-enum-value",
    ]);
    assert_eq!((code, stderr.as_str()), (Some(1), ""));
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(json["crossed"].as_array().map(Vec::len), Some(2), "{json}");
    insta::assert_snapshot!("diff_update_json", stdout);
}

#[test]
fn thresholds_the_comparison_does_not_cross_exit_0() {
    let (code, stdout, _) = diff(&[
        UPDATE[0],
        UPDATE[1],
        "--fail-on",
        "new-action",
        "--fail-on",
        "new-rule,rate=50",
    ]);
    assert_eq!(code, Some(0));
    assert!(!stdout.contains("Thresholds crossed"), "{stdout}");
    let every = "new-action,vanished-action,new-member,vanished-member,new-enum-value,\
                 new-error-code,new-rule,rate=1,findings=1,latency=1";
    let (code, stdout, _) = diff(&["depot.jsonl", "depot.jsonl", "--fail-on", every]);
    assert_eq!(code, Some(0), "{stdout}");
    let export = common::lake_fixtures().join("old_export.csv");
    let export = export.to_str().expect("UTF-8 path");
    let (code, stdout, _) = diff(&[export, export, "--fail-on", every]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("9 records"), "{stdout}");
}

#[test]
fn usage_and_read_errors_exit_2() {
    let (code, _, stderr) = diff(&[UPDATE[0], UPDATE[1], "--fail-on", "latency"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("\"latency\" is not a threshold"),
        "{stderr}"
    );
    let (code, stdout, stderr) = diff(&[UPDATE[0], "no-such-trace.jsonl"]);
    assert_eq!((code, stdout.as_str()), (Some(2), ""));
    assert!(
        stderr.contains("cannot read no-such-trace.jsonl"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nothing of no-such-trace.jsonl could be read"),
        "{stderr}"
    );
    let (code, _, stderr) = diff(&["-", "-"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("only one of the two"), "{stderr}");
}

#[test]
fn a_lake_export_without_times_and_a_trace_are_compared_per_1000_records() {
    let (code, stdout, _) = diff(&["lake.csv", "depot.jsonl", "--format", "json"]);
    assert_eq!(code, Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(json["actions"]["unit"], "per 1000 records");
    assert!(json["before"].get("hours").is_none());
}

#[test]
fn the_comparison_is_the_same_with_any_number_of_jobs() {
    let run = |jobs: &str| {
        diff(&[
            "--jobs",
            jobs,
            "--format",
            "json",
            "clean.jsonl",
            "depot.jsonl",
        ])
    };
    let one = run("1");
    assert_eq!(one.0, Some(0));
    assert_eq!(run("4"), one);
}
