//! Interop with real CSMSs built on third-party libraries, each started on loopback ports and
//! run against with the built-in suites of the versions it speaks, its trigger API (the trigger URL convention) making it send
//! the CSMS-initiated CALLs:
//!
//! * `interop/csms.py`, on the PyPI `ocpp` and `websockets` packages (1.6, 2.0.1 and 2.1);
//! * `interop/ocpp-rpc/csms.js`, on the npm package `ocpp-rpc` in strict mode (every CALL and
//!   answer checked against the official schemas by the library itself; 1.6 and 2.0.1, the
//!   versions its CSMS offers).
//!
//! Their real deviations, with their levels, are the expected reports. The Python CSMS is
//! also run against through `ocpp-conformance proxy`, which must change no verdict and
//! capture every frame.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use child::{free_port, KillOnDrop};

mod child;

/// Passes when the CSMS's prerequisites are missing outside CI; fails in CI.
fn skip_unless_ready(ready: Result<(), String>) -> bool {
    match ready {
        Ok(()) => false,
        Err(why) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "interop needs its CSMS in CI: {why}"
            );
            println!("SKIPPED: {why}");
            true
        }
    }
}

fn python_ready() -> Result<(), String> {
    let status = Command::new("python3")
        .args(["-c", "import ocpp, websockets"])
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("python3: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(
            "python3 packages ocpp and websockets are missing (pip install ocpp==2.1.0 websockets)"
                .to_owned(),
        )
    }
}

/// The ocpp-rpc CSMS's folder.
const RPC_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../interop/ocpp-rpc");

fn node_ready() -> Result<(), String> {
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("node: {e}"))?;
    if !node.success() {
        return Err("node does not run".to_owned());
    }
    if Path::new(RPC_DIR).join("node_modules/ocpp-rpc").is_dir() {
        Ok(())
    } else {
        Err(format!(
            "ocpp-rpc is not installed (npm ci --prefix {RPC_DIR})"
        ))
    }
}

/// Starts a CSMS that prints `ready` once it listens.
fn start(command: &mut Command) -> KillOnDrop {
    let (server, line) = child::start(command);
    assert_eq!(line.trim(), "ready", "the CSMS did not start");
    server
}

/// The `suites` (`--suite` values) against a CSMS on `port` with its trigger API at `api`.
fn run_against(port: u16, api: u16, suites: &[&str]) -> Output {
    run_command(port, api, suites).output().unwrap()
}

/// The `run` command of [`run_against`], to add options to.
fn run_command(port: u16, api: u16, suites: &[&str]) -> Command {
    let mut command = Command::cargo_bin("ocpp-conformance").unwrap();
    command
        .arg("run")
        .args(suites.iter().flat_map(|suite| ["--suite", suite]))
        .args(["--format", "json", "--target"])
        .arg(format!("ws://127.0.0.1:{port}/ocpp"))
        .arg("--trigger-url")
        .arg(format!("http://127.0.0.1:{api}"));
    command
}

/// Only the Pending/Rejected cases (which need `--boot-by-identity`), two per version, are
/// skipped, and the run found deviations.
fn assert_only_identity_cases_skipped(output: &Output, versions: usize) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let skipped: Vec<&str> = stdout.lines().filter(|l| l.contains("\"skip\"")).collect();
    assert_eq!(skipped.len(), 2 * versions, "{stdout}");
    assert!(
        skipped.iter().all(|l| l.contains("--boot-by-identity")),
        "{stdout}"
    );
    assert_eq!(output.status.code(), Some(1), "deviations are expected");
    stdout
}

#[test]
fn every_suite_against_the_python_ocpp_csms() {
    if skip_unless_ready(python_ready()) {
        return;
    }
    let (port, api) = (free_port(), free_port());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../interop/csms.py");
    let _server =
        start(Command::new("python3").args([script, &port.to_string(), &api.to_string()]));
    let stdout = assert_only_identity_cases_skipped(&run_against(port, api, &["all"]), 3);
    // What the library does with 2.1's new message types, found by running: a SEND is not
    // answered (the case passes); a CALLRESULT that fails its schema gets no CALLRESULTERROR,
    // the library raises FormatViolation to its own caller instead (here the trigger API,
    // whose HTTP 502 stops the case at its trigger).
    let case = |id: &str| {
        let needle = format!("\"id\":\"{id}\"");
        stdout
            .lines()
            .find(|l| l.contains(&needle))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(case("2.1-OCPPJ_SEND").contains("\"pass\""), "{stdout}");
    let result_error = case("2.1-OCPPJ_CALLRESULTERROR");
    assert!(result_error.contains("\"fail\""), "{stdout}");
    assert!(result_error.contains("HTTP 502"), "{result_error}");
    // The trigger API's port and the library's message id change from run to run.
    let port = regex::Regex::new(r"127\.0\.0\.1:\d+").unwrap();
    let uuid = regex::Regex::new(r"unique_id=[0-9a-f-]+").unwrap();
    let stdout = port.replace_all(&stdout, "127.0.0.1:PORT");
    let stdout = uuid.replace_all(&stdout, "unique_id=ID");
    insta::assert_snapshot!(stdout);
}

#[test]
fn both_suites_against_the_ocpp_rpc_csms_in_strict_mode() {
    if skip_unless_ready(node_ready()) {
        return;
    }
    // One port serves both the WebSocket endpoint and the trigger API.
    let port = free_port();
    let script = Path::new(RPC_DIR).join("csms.js");
    let _server = start(Command::new("node").arg(script).arg(port.to_string()));
    let suites = ["v16", "v201"];
    let stdout = assert_only_identity_cases_skipped(&run_against(port, port, &suites), 2);
    insta::assert_snapshot!(stdout);
}

/// Each case's id, verdict and the rules of its deviations, from a JSON report.
fn verdicts(output: &Output) -> Vec<(String, String, Vec<String>)> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let text = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_owned();
    stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("a JSON report line"))
        .map(|case| {
            let rules = case["deviations"].as_array().map_or_else(Vec::new, |d| {
                d.iter().map(|deviation| text(&deviation["rule"])).collect()
            });
            (text(&case["id"]), text(&case["status"]), rules)
        })
        .collect()
}

/// The raw frames of a capture in one direction, in order.
fn captured(path: &Path, direction: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("the capture");
    text.lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("a capture record"))
        .filter(|record| record["direction"] == direction)
        .map(|record| record["raw"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_proxy_in_front_of_the_python_ocpp_csms_changes_no_verdict_and_captures_every_frame() {
    if skip_unless_ready(python_ready()) {
        return;
    }
    let (port, api, listen) = (free_port(), free_port(), free_port());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../interop/csms.py");
    let _server =
        start(Command::new("python3").args([script, &port.to_string(), &api.to_string()]));
    let dir = tempfile::tempdir().unwrap();
    let suites = ["v16", "v201"];
    let direct = run_against(port, api, &suites);
    let (_proxy, line) = child::start(
        Command::cargo_bin("ocpp-conformance")
            .unwrap()
            .args(["proxy", "--listen", &format!("127.0.0.1:{listen}")])
            .arg("--upstream")
            .arg(format!("ws://127.0.0.1:{port}/ocpp"))
            .arg("--capture")
            .arg(dir.path().join("proxy.jsonl")),
    );
    assert!(line.starts_with("proxy listening on ws://"), "{line}");
    // The station's own capture of the run through the proxy, frame for frame.
    let proxied = run_command(listen, api, &suites)
        .arg("--capture")
        .arg(dir.path().join("station.jsonl"))
        .output()
        .unwrap();
    let direct_verdicts = verdicts(&direct);
    assert!(direct_verdicts.len() > 20, "{direct_verdicts:?}");
    assert_eq!(verdicts(&proxied), direct_verdicts);
    // The proxy writes each record as it forwards the frame: by the end of the run all are in.
    for direction in ["cp-to-csms", "csms-to-cp"] {
        let station = captured(&dir.path().join("station.jsonl"), direction);
        assert!(
            station.len() > direct_verdicts.len(),
            "{direction}: {station:?}"
        );
        assert_eq!(
            captured(&dir.path().join("proxy.jsonl"), direction),
            station,
            "{direction}"
        );
    }
}
