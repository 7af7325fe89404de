//! The command line: `run` against the embedded CSMS, reports, exit codes, the committed
//! scenario schema, and `serve` over loopback (also after running out of descriptors).

use assert_cmd::Command;

fn cli() -> Command {
    Command::cargo_bin("ocpp-conformance").unwrap()
}

#[test]
fn run_without_target_passes_every_suite_cleanly() {
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
fn the_committed_scenario_schema_is_current() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scenario.schema.json"
    ))
    .unwrap();
    assert_eq!(
        committed,
        ocpp_conformance::scenario::json_schema(),
        "regenerate with: cargo run -p ocpp-conformance -- schema > conformance/scenario.schema.json"
    );
}

#[test]
fn the_committed_config_schema_matches_the_code() {
    assert_eq!(
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../config.schema.json"))
            .unwrap(),
        ocpp_conformance::config::json_schema(),
        "regenerate with: cargo run -p ocpp-conformance -- schema --config > conformance/config.schema.json"
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

impl Served {
    /// Starts `command` (which runs `serve`) and reads the URL it prints first.
    fn start(command: &mut std::process::Command) -> (Self, String) {
        use std::io::BufRead;
        let mut child = command
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim().rsplit(' ').next().unwrap().to_owned();
        assert!(url.starts_with("ws://127.0.0.1:"), "{line}");
        (Self(child), url)
    }
}

#[test]
fn serve_then_run_against_it_over_loopback() {
    let (served, url) = Served::start(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("ocpp-conformance")).args([
            "serve",
            "--bind",
            "127.0.0.1:0",
        ]),
    );
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

#[test]
fn serve_accepts_again_once_it_has_descriptors_again() {
    use std::io::BufRead;
    use std::time::Duration;
    let bound = Duration::from_secs(10);
    // A limit of 32 open files: the runtime and the listener take about a dozen.
    let (mut served, url) = Served::start(
        std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -n 32 && exec \"$0\" serve --bind 127.0.0.1:0")
            .arg(assert_cmd::cargo::cargo_bin("ocpp-conformance"))
            .stderr(std::process::Stdio::piped()),
    );
    let stderr = served.0.stderr.take().unwrap();
    let addr = url
        .trim_start_matches("ws://")
        .trim_end_matches("/ocpp")
        .to_owned();
    // More silent connections than the CSMS has descriptors for: accept() fails.
    let silent: Vec<_> = (0..40)
        .map(|_| std::net::TcpStream::connect(&addr).unwrap())
        .collect();
    let (sender, logged) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let found = std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .find(|line| line.contains("accept failed"));
        let _ = sender.send(found);
    });
    let logged = logged
        .recv_timeout(bound)
        .expect("no accept error was logged");
    assert!(logged.is_some_and(|line| line.contains("retrying")));
    drop(silent);
    let target = ocpp_conformance::transport::Target::new(url);
    let connect =
        ocpp_conformance::transport::connect(&target, "AFTER-1", ocpp_model::OcppVersion::V16);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let connected = runtime
        .block_on(async { tokio::time::timeout(bound, connect).await })
        .expect("no connection within 10 s");
    drop(served);
    assert!(connected.is_ok(), "{:?}", connected.err());
}
