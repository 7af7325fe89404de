//! The command line: `run` against the embedded CSMS, reports, exit codes, and the
//! committed scenario schema.

use assert_cmd::Command;

fn cli() -> Command {
    Command::cargo_bin("ocpp-conformance").unwrap()
}

#[test]
fn run_without_target_passes_both_suites_cleanly() {
    let output = cli().arg("run").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn json_report_has_one_object_per_case() {
    let output = cli()
        .args(["run", "--suite", "v16", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn a_fault_gives_exit_code_1_and_a_junit_failure() {
    let output = cli()
        .args([
            "run",
            "--suite",
            "v201",
            "--format",
            "junit",
            "--fault",
            "wrong-error-code-spelling",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn an_unreachable_target_gives_exit_code_2_and_trigger_cases_are_skipped() {
    let output = cli()
        .args([
            "run",
            "--suite",
            "v16",
            "--target",
            "ws://127.0.0.1:9/ocpp",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stdout);
    let skipped = text
        .lines()
        .filter(|l| l.contains("\"status\":\"skip\""))
        .count();
    assert_eq!(skipped, 9, "{text}");
}

#[test]
fn the_committed_scenario_schema_is_current() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenario.schema.json"))
            .unwrap();
    assert_eq!(
        committed,
        ocpp_conformance::scenario::json_schema(),
        "regenerate with: cargo run -p ocpp-conformance -- schema > conformance/scenario.schema.json"
    );
}

/// Kills the served CSMS when the test ends.
struct Served(std::process::Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_then_run_against_it_over_loopback() {
    use std::io::BufRead;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ocpp-conformance"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let served = Served(child);
    let url = line.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(url.starts_with("ws://127.0.0.1:"), "{line}");
    let output = cli()
        .args([
            "run",
            "--suite",
            "v201",
            "--target",
            &url,
            "--boot-by-identity",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    drop(served);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    let count = |status: &str| {
        let needle = format!("\"status\":\"{status}\"");
        text.lines().filter(|l| l.contains(&needle)).count()
    };
    assert_eq!((count("pass"), count("skip")), (7, 7), "{text}");
}
