//! A frozen CSMS still gets a verdict per case, and reports stream: a run that is killed
//! keeps the verdicts it had written.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite;

/// Kills a child process when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A scratch directory removed at the end.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("ocpp-frozen-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// Writes a 1.6 case of one Heartbeat that waits `timeout_ms` for its answer.
fn heartbeat_case(dir: &Path, id: &str, timeout_ms: u64) -> PathBuf {
    let path = dir.join(format!("{id}.toml"));
    let text = format!(
        "format = 1\nid = \"{id}\"\nname = \"heartbeat\"\nversion = \"1.6\"\n\n[[step]]\n\
         kind = \"call\"\naction = \"Heartbeat\"\nexpect.timeout_ms = {timeout_ms}\n"
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// A CSMS that completes the 1.6 handshake and then never reads again.
fn frozen_csms() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("ws://{}/ocpp", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            #[allow(clippy::result_large_err)]
            let callback =
                |_: &tungstenite::handshake::server::Request,
                 mut response: tungstenite::handshake::server::Response| {
                    let protocol = tungstenite::http::HeaderValue::from_static("ocpp1.6");
                    response
                        .headers_mut()
                        .insert("Sec-WebSocket-Protocol", protocol);
                    Ok(response)
                };
            if let Ok(ws) = tungstenite::accept_hdr(stream, callback) {
                held.push(ws);
            }
        }
    });
    url
}

/// The stdout lines of `child`, delivered as they come.
fn lines_of(child: &mut Child) -> mpsc::Receiver<String> {
    let (sender, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                return;
            }
        }
    });
    lines
}

#[test]
fn a_killed_run_keeps_the_verdicts_it_had_written() {
    let dir = scratch("killed");
    let quick = heartbeat_case(&dir.0, "QUICK", 500);
    let slow = heartbeat_case(&dir.0, "SLOW", 15_000);
    let mut child = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["run", "--format", "json", "--target", &frozen_csms()])
        .arg("--scenario")
        .arg(&quick)
        .arg("--scenario")
        .arg(&slow)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = lines_of(&mut child);
    let child = Killed(child);
    let first = lines
        .recv_timeout(Duration::from_secs(10))
        .expect("no verdict written while the second case runs");
    drop(child);
    let case: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(case["id"], "QUICK");
    assert_eq!(case["status"], "fail");
    assert_eq!(case["deviations"][0]["rule"], "no-answer", "{case}");
}

#[test]
fn a_stopped_csms_process_gets_a_verdict_for_each_case() {
    let dir = scratch("stopped");
    let mut serve = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = lines_of(&mut serve);
    let pid = serve.id().to_string();
    let _serve = Killed(serve);
    let line = lines.recv_timeout(Duration::from_secs(10)).unwrap();
    let url = line.rsplit(' ').next().unwrap().to_owned();
    let stopped = Command::new("kill").args(["-STOP", &pid]).status().unwrap();
    assert!(stopped.success());
    let output = assert_cmd::Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["run", "--format", "json", "--connect-timeout", "1s"])
        .args(["--target", &url])
        .arg("--scenario")
        .arg(heartbeat_case(&dir.0, "ONE", 500))
        .arg("--scenario")
        .arg(heartbeat_case(&dir.0, "TWO", 500))
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let _ = Command::new("kill").args(["-CONT", &pid]).status();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let verdicts: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(verdicts.len(), 2, "{stdout}");
    for verdict in &verdicts {
        assert_eq!(verdict["status"], "fail", "{verdict}");
        assert_eq!(
            verdict["deviations"][0]["rule"], "connect-timeout",
            "{verdict}"
        );
    }
    assert_eq!(output.status.code(), Some(1), "{stdout}");
}

#[test]
fn the_junit_file_is_written_whole_beside_the_streamed_report() {
    let dir = scratch("junit");
    let path = dir.0.join("report.xml");
    let output = assert_cmd::Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["run", "--suite", "v16", "--format", "json", "--junit"])
        .arg(&path)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let xml = std::fs::read_to_string(&path).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.ends_with("</testsuite>\n"), "{xml}");
    let left: Vec<_> = std::fs::read_dir(&dir.0).unwrap().flatten().collect();
    assert_eq!(left.len(), 1, "a temporary file was left: {left:?}");
}
