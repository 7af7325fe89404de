//! Interop with a real CSMS: the small CSMS in `interop/csms.py`, built on the PyPI `ocpp`
//! and `websockets` packages, is started on a loopback port and both suites are run
//! against it, its trigger API (the trigger URL convention) making it send the CSMS-initiated
//! CALLs. Its real deviations, with their levels, are the expected report.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

/// Kills the Python CSMS when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
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

/// A free loopback port.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
}

/// Starts the Python CSMS; its WebSocket port and its trigger API port.
fn start_server() -> (Server, u16, u16) {
    let (port, api_port) = (free_port(), free_port());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/interop/csms.py");
    let mut child = Command::new("python3")
        .args([script, &port.to_string(), &api_port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready", "the Python CSMS did not start");
    (Server(child), port, api_port)
}

#[test]
fn both_suites_against_the_python_ocpp_csms() {
    if let Err(why) = python_ready() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "interop needs Python in CI: {why}"
        );
        println!("SKIPPED: {why}");
        return;
    }
    let (_server, port, api_port) = start_server();
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["run", "--format", "json", "--target"])
        .arg(format!("ws://127.0.0.1:{port}/ocpp"))
        .arg("--trigger-url")
        .arg(format!("http://127.0.0.1:{api_port}"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Only the Pending/Rejected cases (which need --boot-by-identity) are skipped.
    let skipped: Vec<&str> = stdout.lines().filter(|l| l.contains("\"skip\"")).collect();
    assert_eq!(skipped.len(), 4, "{stdout}");
    assert!(
        skipped.iter().all(|l| l.contains("--boot-by-identity")),
        "{stdout}"
    );
    assert_eq!(output.status.code(), Some(1), "deviations are expected");
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}
