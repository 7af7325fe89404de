//! The test-environment file: its values reach the cases (`${config.…}`), `[identities]`
//! enables the Pending/Rejected cases, and the report states the configuration used.

use assert_cmd::Command;

/// A scratch directory removed at the end.
struct Scratch(std::path::PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const ENV: &str = r#"format = 1
[tokens]
valid = { id = "TAG-0042", type = "ISO14443" }
invalid = { id = "INVALID-0042", type = "ISO14443" }
[identities]
default = "CP-7"
pending = "CP-8-PENDING"
rejected = "CP-9-REJECTED"
[auth]
basic = "${identity}:secret"
"#;

/// A case echoing the valid token through the reference CSMS's DataTransfer.
const ECHO: &str = r#"format = 1
id = "ECHO"
name = "the configured token is sent"
version = "1.6"

[[step]]
kind = "call"
action = "DataTransfer"
payload = { vendorId = "org.ocpp-rs", data = "${config.tokens.valid.id}" }
expect.match."/data" = { eq = "TAG-0042" }
"#;

/// The files in a directory of the test's own (tests run at once in one process).
fn files(test: &str) -> (Scratch, std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("ocpp-config-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let env = dir.join("env.toml");
    let echo = dir.join("echo.toml");
    std::fs::write(&env, ENV).unwrap();
    std::fs::write(&echo, ECHO).unwrap();
    (Scratch(dir), env, echo)
}

#[test]
fn configured_values_reach_the_case_and_the_report_states_them() {
    let (_dir, env, echo) = files("configured_values_reach_the_case_and_the_report_states_them");
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["run", "--format", "json", "--config"])
        .arg(&env)
        .arg("--scenario")
        .arg(&echo)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["configuration"]["identities"]["default"], "CP-7");
    assert_eq!(
        lines[0]["configuration"]["tokens"]["valid"]["id"],
        "TAG-0042"
    );
    assert!(lines[0]["configuration"].get("auth").is_none(), "{stdout}");
    // The file's snake_case keys are stated in the project's camelCase.
    assert!(
        lines[0]["configuration"]["tokens"]["groupId"].is_string(),
        "{stdout}"
    );
    assert!(
        lines[0]["configuration"]["station"]["connectorsPerEvse"].is_u64(),
        "{stdout}"
    );
    assert_eq!(lines[1]["status"], "pass", "{stdout}");
}

#[test]
fn both_suites_pass_with_a_configured_environment() {
    let (_dir, env, _) = files("both_suites_pass_with_a_configured_environment");
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["run", "--config"])
        .arg(&env)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with("configuration: "), "{stdout}");
    assert!(
        stdout.contains("identities CP-7, pending CP-8-PENDING"),
        "{stdout}"
    );
    assert!(stdout.contains("0 failed, 0 skipped"), "{stdout}");
}

#[test]
fn a_bad_config_file_is_a_usage_error_naming_its_line() {
    let (dir, _, _) = files("a_bad_config_file_is_a_usage_error_naming_its_line");
    let bad = dir.0.join("bad.toml");
    std::fs::write(&bad, "format = 1\n[tokens]\nvalid = 3\n").unwrap();
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["run", "--config"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 3"), "{stderr}");
}
