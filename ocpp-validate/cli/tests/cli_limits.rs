//! Command-line numbers out of range are usage errors (exit 2, a message naming the option),
//! never a panic.

use assert_cmd::Command;

/// Runs `ocpp-validate ARGS` on an empty standard input: its exit code and standard error.
fn run(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::cargo_bin("ocpp-validate")
        .expect("the binary is built")
        .args(args)
        .write_stdin(Vec::new())
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    (output.status.code(), stderr)
}

#[test]
fn every_numeric_option_out_of_range_is_a_usage_error() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["check", "--latency-threshold", "1e20"],
            "--latency-threshold",
        ),
        (&["check", "--latency-threshold=-1"], "--latency-threshold"),
        (
            &["check", "--latency-threshold", "NaN"],
            "--latency-threshold",
        ),
        (
            &["summary", "--latency-threshold", "1e20"],
            "--latency-threshold",
        ),
        (&["check", "--max-line-bytes", "0"], "--max-line-bytes"),
        (
            &["check", "--max-line-bytes", "99999999999999999999"],
            "--max-line-bytes",
        ),
        (
            &["check", "--max-line-bytes", "8589934592"],
            "--max-line-bytes",
        ),
        (&["summary", "--max-line-bytes", "0"], "--max-line-bytes"),
        (&["check", "--jobs", "0"], "--jobs"),
        (&["check", "--jobs", "65536"], "--jobs"),
        (&["check", "--jobs", "1025"], "--jobs"),
    ];
    for (args, option) in cases {
        let (code, stderr) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(option), "{args:?} names {option}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn the_limits_themselves_are_accepted() {
    for args in [
        &["check", "--latency-threshold", "31536000"][..],
        &["check", "--latency-threshold", "0"],
        &["check", "--max-line-bytes", "1"],
        &["check", "--max-line-bytes", "1073741824"],
        &["check", "--jobs", "1024"],
        &["summary", "--latency-threshold", "31536000"],
    ] {
        let (code, stderr) = run(args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
    }
}
