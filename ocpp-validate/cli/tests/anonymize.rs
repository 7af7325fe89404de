//! `ocpp-validate anonymize`: the example depot trace with a fixed salt, the table of what was
//! replaced, Open OCPP Trace output that checks as the original, and the exit statuses.

use std::path::{Path, PathBuf};

mod common;

fn traces() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("examples")
        .join("traces")
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    common::ocpp_validate(&traces(), args)
}

#[test]
fn the_depot_trace_with_a_fixed_salt() {
    let (code, stdout, stderr) = run(&["anonymize", "--salt", "example", "depot.jsonl"]);
    assert_eq!(code, Some(0), "{stderr}");
    insta::assert_snapshot!("anonymize_depot_replaced", stderr);
    insta::assert_snapshot!("anonymize_depot", stdout);
    assert!(
        !stdout.contains("\"CP-1\"") && !stdout.contains("TAG-1"),
        "{stdout}"
    );
}

#[test]
fn without_a_salt_one_is_drawn_and_printed() {
    let (code, _, stderr) = run(&["anonymize", "clean.jsonl"]);
    assert_eq!(code, Some(0));
    let salt = stderr
        .lines()
        .find_map(|l| l.strip_prefix("ocpp-validate: salt "))
        .and_then(|rest| rest.split(' ').next())
        .expect("the salt is printed");
    assert_eq!(salt.len(), 32, "{stderr}");
    let (_, again, _) = run(&["anonymize", "--salt", salt, "clean.jsonl"]);
    let (_, first, _) = run(&["anonymize", "--salt", salt, "clean.jsonl"]);
    assert_eq!(again, first);
}

#[test]
fn open_trace_output_checks_as_the_original() {
    let dir = tempfile::tempdir().expect("a directory");
    let out = dir.path().join("anonymized.jsonl");
    let out = out.to_str().expect("UTF-8");
    let (code, _, stderr) = run(&[
        "anonymize",
        "--salt",
        "s",
        "--to",
        "open-trace",
        "-o",
        out,
        "csms.log",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let statuses = |file: &str| {
        let (code, stdout, _) = run(&["check", "--format", "json", file]);
        let rules: Vec<String> = stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["rule"].as_str().map(str::to_owned))
            .collect();
        (code, rules)
    };
    assert_eq!(statuses(out), statuses("csms.log"));
}

#[test]
fn unreadable_lines_exit_1_and_bad_options_exit_2() {
    let dir = tempfile::tempdir().expect("a directory");
    let broken = dir.path().join("broken.txt");
    std::fs::write(
        &broken,
        "[2,\"1\",\"Heartbeat\",{}]\n[2,\"2\",\"Authorize\",{\"idTag\":\"SECRET\"\n",
    )
    .expect("written");
    let (code, stdout, stderr) =
        run(&["anonymize", "--salt", "s", broken.to_str().expect("UTF-8")]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("1 lines could not be read and are left out"),
        "{stderr}"
    );
    assert!(!stdout.contains("SECRET"));
    let (code, _, stderr) = run(&["anonymize", "--keep", "status", "clean.jsonl"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("\"status\" is not a member anonymize replaces"),
        "{stderr}"
    );
}

#[test]
fn a_lake_export_keeps_its_columns_with_the_identities_replaced() {
    let export = common::lake_fixtures().join("old_export.csv");
    let (code, stdout, _) = run(&["anonymize", "--salt", "s", export.to_str().expect("UTF-8")]);
    assert_eq!(code, Some(0));
    let original = std::fs::read_to_string(&export).expect("readable");
    assert_eq!(
        stdout.lines().next(),
        original.lines().next(),
        "the header is kept"
    );
    assert_eq!(stdout.lines().count(), original.lines().count());
    assert!(
        !stdout.contains("cp-1,") && !stdout.contains("cp-2,"),
        "{stdout}"
    );
}
