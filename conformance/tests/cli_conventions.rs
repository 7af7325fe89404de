//! The command line's conventions through the binary: target URLs are checked before anything
//! runs, an unreachable CSMS is one error, a listener that cannot bind names its address,
//! scenario files are read once each (directories too) and checked when loaded, every help
//! states its exit codes, and a closed pipe ends a run quietly.

use assert_cmd::Command;

fn cli() -> Command {
    Command::cargo_bin("ocpp-conformance").unwrap()
}

/// The exit code and stderr of `args`.
fn failing(args: &[&str]) -> (Option<i32>, String) {
    let output = cli().args(args).output().unwrap();
    assert!(output.stdout.is_empty(), "{output:?}");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_target_without_a_ws_scheme_is_a_usage_error_in_every_command() {
    let commands: [&[&str]; 3] = [
        &["run"],
        &["replay", "--trace", "never-read.jsonl"],
        &["load", "--stations", "1"],
    ];
    for command in commands {
        for target in ["localhost:9000", "http://localhost:9000", "ws://"] {
            let mut args = command.to_vec();
            args.extend(["--target", target]);
            let (code, stderr) = failing(&args);
            assert_eq!(code, Some(2), "{args:?}: {stderr}");
            assert!(stderr.contains("invalid value"), "{args:?}: {stderr}");
        }
    }
    let (_, stderr) = failing(&["run", "--target", "localhost:9000"]);
    insta::assert_snapshot!(stderr);
    let (_, stderr) = failing(&["replay", "--trace", "t.jsonl", "--target", "http://h/ocpp"]);
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_ws_or_wss_target_is_accepted() {
    // Port 1 on loopback refuses: the command gets past argument parsing to the probe.
    for target in ["ws://127.0.0.1:1/ocpp", "WSS://127.0.0.1:1"] {
        let (code, stderr) = failing(&["run", "--target", target, "--suite", "v16"]);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.starts_with("error: cannot connect to "), "{stderr}");
    }
}

#[test]
fn an_unreachable_target_is_one_connection_error_before_any_case() {
    let (code, stderr) = failing(&["run", "--target", "ws://127.0.0.1:1/ocpp"]);
    assert_eq!(code, Some(2));
    insta::assert_snapshot!(stderr);
    let trace = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/session-16.jsonl"
    );
    let (code, stderr) = failing(&["replay", "--trace", trace, "--target", "ws://127.0.0.1:1"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        "error: cannot connect to ws://127.0.0.1:1: Connection refused (os error 111)\n"
    );
}

#[test]
fn a_reachable_target_passes_the_probe() {
    let csms = ServeChild::start(&["--bind", "127.0.0.1:0"]);
    let output = cli()
        .args(["run", "--suite", "v16", "--target", &csms.url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
}

/// A `serve` child, killed when dropped.
struct ServeChild {
    child: std::process::Child,
    url: String,
}

impl ServeChild {
    /// Starts `serve` with `args` and reads the URL it prints first.
    fn start(args: &[&str]) -> Self {
        use std::io::BufRead;
        let mut child =
            std::process::Command::new(assert_cmd::cargo::cargo_bin("ocpp-conformance"))
                .arg("serve")
                .args(args)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim().rsplit(' ').next().unwrap().to_owned();
        assert!(url.starts_with("ws://127.0.0.1:"), "{line}");
        Self { child, url }
    }
}

impl Drop for ServeChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn an_address_in_use_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let (code, stderr) = failing(&["serve", "--bind", &address]);
    assert_eq!(code, Some(2));
    insta::assert_snapshot!(stderr.replace(&address, "ADDRESS"));
    let output = cli()
        .args(["serve", "--bind", "127.0.0.1:0", "--trigger-api", &address])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!("error: cannot listen on {address}: Address already in use (os error 98)\n")
    );
}
