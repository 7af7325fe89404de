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

/// A scratch directory for one test, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("ocpp-conv-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// Writes `text` to `name` (its directories created) and returns the path as text.
    fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    fn path(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A one-step 1.6 case `id` that sends `action`.
fn case(id: &str, action: &str) -> String {
    format!(
        "format = 1\nid = \"{id}\"\nname = \"{id}\"\nversion = \"1.6\"\n\
         [[step]]\nkind = \"call\"\naction = \"{action}\"\n"
    )
}

#[test]
fn a_toml_mistake_is_printed_once_with_file_line_and_column() {
    let scratch = Scratch::new("toml");
    let bad = scratch.file(
        "bad.toml",
        "format = 1\nid = \"X\"\nname = \"x\"\nversion = \"1.6\"\n[[step]]\nkind = \"dance\"\n",
    );
    let (code, stderr) = failing(&["run", "--scenario", &bad]);
    assert_eq!(code, Some(2));
    assert_eq!(stderr.matches("unknown variant").count(), 1, "{stderr}");
    insta::assert_snapshot!(stderr.replace(&bad, "bad.toml"));
    let config = scratch.file("env.toml", "format = 1\n[tokens\n");
    let (code, stderr) = failing(&["run", "--config", &config]);
    assert_eq!(code, Some(2));
    assert_eq!(stderr.matches("TOML parse error").count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: {config}: ")),
        "{stderr}"
    );
}

/// The case ids of a JSON report, in order.
fn case_ids(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            case["id"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn scenario_takes_directories_recursively_and_several_files() {
    let scratch = Scratch::new("dirs");
    scratch.file("suite/b.toml", &case("B", "Heartbeat"));
    scratch.file("suite/sub/c.toml", &case("C", "Heartbeat"));
    scratch.file("suite/a.toml", &case("A", "Heartbeat"));
    scratch.file("suite/notes.txt", "not a scenario");
    scratch.file("suite/.hidden/h.toml", &case("H", "Heartbeat"));
    std::os::unix::fs::symlink(scratch.0.join("suite"), scratch.0.join("suite/sub/loop")).unwrap();
    let single = scratch.file("single.toml", &case("S", "Heartbeat"));
    let suite = format!("{}/suite", scratch.path());
    let output = cli()
        .args(["run", "--format", "json", "--scenario", &single, &suite])
        .args(["--scenario", &single])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(case_ids(&output.stdout), ["S", "A", "B", "C", "S"]);
    std::fs::create_dir_all(scratch.0.join("empty")).unwrap();
    let empty = format!("{}/empty", scratch.path());
    let (code, stderr) = failing(&["run", "--scenario", &empty]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        format!("error: {empty}: no *.toml scenario file in this directory\n")
    );
}

#[test]
fn an_action_the_version_does_not_define_is_refused_when_loaded() {
    let scratch = Scratch::new("actions");
    let typo = scratch.file("typo.toml", &case("T", "Hartbeat"));
    let (code, stderr) = failing(&["run", "--scenario", &typo]);
    assert_eq!(code, Some(2));
    insta::assert_snapshot!(stderr.replace(&typo, "typo.toml"));
    let other = scratch.file("other.toml", &case("O", "TransactionEvent"));
    let (_, stderr) = failing(&["run", "--scenario", &other]);
    assert!(
        stderr
            .ends_with("unknown action \"TransactionEvent\" for OCPP 1.6 (an OCPP 2.0.1 action)\n"),
        "{stderr}"
    );
    let nothing_near = scratch.file("far.toml", &case("F", "Xyzzy"));
    let (_, stderr) = failing(&["load", "--scenario", &nothing_near]);
    assert!(
        stderr.ends_with("unknown action \"Xyzzy\" for OCPP 1.6\n"),
        "{stderr}"
    );
    let good = scratch.file("good.toml", &case("G", "Heartbeat"));
    let output = cli().args(["run", "--scenario", &good]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

#[test]
fn every_help_ends_with_its_exit_status() {
    for command in ["", "run", "replay", "load", "serve", "schema"] {
        let mut args: Vec<&str> = command.split_whitespace().collect();
        args.push("--help");
        let output = cli().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(0));
        let help = String::from_utf8_lossy(&output.stdout).into_owned();
        let (_, status) = help
            .rsplit_once("\nExit status:\n")
            .unwrap_or_else(|| panic!("{args:?}: no Exit status paragraph:\n{help}"));
        assert!(status.trim_start().starts_with("0 "), "{args:?}: {status}");
        insta::assert_snapshot!(format!("help-{command}"), help);
    }
}

#[test]
fn a_closed_pipe_ends_the_run_quietly_with_exit_0() {
    use std::io::BufRead;
    for format in ["human", "json"] {
        let mut child =
            std::process::Command::new(assert_cmd::cargo::cargo_bin("ocpp-conformance"))
                .args(["run", "--format", format])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader is gone (as `| head -1` leaves it) while cases still run.
        let output = child.wait_with_output().unwrap();
        assert!(!first.is_empty());
        assert_eq!(output.status.code(), Some(0), "{format}: {output:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{format}");
    }
}
