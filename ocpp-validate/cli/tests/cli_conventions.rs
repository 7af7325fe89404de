//! The conventions every command follows: colour and NO_COLOR, `--quiet`, `--output`, a
//! closed pipe, completions and man pages, exit statuses in `--help`, directories as inputs,
//! the hint when standard input is a terminal, `--profile` implying `--tolerant`, and
//! `rules --format json`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// The library's directory: fixtures are named relative to it.
fn library() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).to_owned()
}

/// A trace with errors.
const PROBLEMS: &str = "tests/fixtures/problems-1.6.txt";
/// A trace without any.
const CLEAN: &str = "tests/fixtures/clean-1.6.txt";
/// A trace with deviations the tolerant decoder forgives.
const TOLERANT: &str = "tests/fixtures/tolerant/session-1.6.log";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run_with(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::cargo_bin("ocpp-validate").expect("the binary is built");
    command
        .current_dir(library())
        .args(args)
        .env_remove("NO_COLOR")
        .timeout(Duration::from_secs(60));
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("the binary runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8"),
    }
}

fn run(args: &[&str]) -> Run {
    run_with(args, &[])
}

const ESCAPE: &str = "\x1b[";

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("ocpp-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        Self(dir)
    }

    fn file(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("directories");
        std::fs::write(&path, text).expect("write");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `command` (a shell command line) on a pseudo-terminal with `script`, feeding it
/// `input`; gives what the terminal showed. `None` where `script` is missing (outside CI).
fn on_terminal(command: &str, env: &[(&str, &str)], input: &[u8]) -> Option<String> {
    let mut script = Process::new("script");
    script
        .args(["-qec", command, "/dev/null"])
        .current_dir(library())
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (key, value) in env {
        script.env(key, value);
    }
    let Ok(mut child) = script.spawn() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "util-linux `script` is needed in CI"
        );
        eprintln!("SKIPPED: util-linux `script` is not installed");
        return None;
    };
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        // Give the program time to start and print its hint before the input arrives.
        std::thread::sleep(Duration::from_millis(500));
        stdin.write_all(input).expect("write to the terminal");
    }
    let mut shown = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut shown)
        .expect("read the terminal");
    child.wait().expect("script ends");
    Some(shown)
}

fn binary() -> String {
    assert_cmd::cargo::cargo_bin("ocpp-validate")
        .to_str()
        .expect("UTF-8 path")
        .to_owned()
}

#[test]
fn colour_follows_color_and_no_color() {
    let plain = run(&["check", PROBLEMS]);
    assert_eq!(plain.code, Some(1));
    assert!(
        !plain.stdout.contains(ESCAPE),
        "a pipe is not coloured: {}",
        plain.stdout
    );
    let always = run_with(
        &["--color", "always", "check", PROBLEMS],
        &[("NO_COLOR", "1")],
    );
    assert!(
        always.stdout.contains(ESCAPE),
        "--color always wins over NO_COLOR"
    );
    let never = run(&["check", "--color", "never", PROBLEMS]);
    assert!(!never.stdout.contains(ESCAPE));
    let command = format!("{} check {PROBLEMS}", binary());
    let Some(terminal) = on_terminal(&command, &[], b"") else {
        return;
    };
    assert!(
        terminal.contains(ESCAPE),
        "a terminal is coloured: {terminal}"
    );
    let no_color = on_terminal(&command, &[("NO_COLOR", "1")], b"").expect("script ran before");
    assert!(
        !no_color.contains(ESCAPE),
        "NO_COLOR turns colour off on a terminal: {no_color}"
    );
    assert!(no_color.contains("error["), "{no_color}");
}

#[test]
fn quiet_leaves_the_findings_only() {
    let loud = run(&["check", PROBLEMS]);
    let quiet = run(&["check", "--quiet", PROBLEMS]);
    assert_eq!(quiet.code, loud.code);
    assert!(loud.stdout.contains("\nchecked "), "{}", loud.stdout);
    assert!(!quiet.stdout.contains("checked "), "{}", quiet.stdout);
    assert!(quiet.stdout.contains("error["), "{}", quiet.stdout);
    let (loud_lines, quiet_lines) = (loud.stdout.lines().count(), quiet.stdout.lines().count());
    assert_eq!(quiet_lines + 1, loud_lines, "only the closing line goes");
}

#[test]
fn output_writes_the_report_to_a_file() {
    let scratch = Scratch::new("output");
    let report = scratch.0.join("report.json");
    let to_file = run(&[
        "check",
        "--format",
        "json",
        "--output",
        report.to_str().expect("UTF-8"),
        PROBLEMS,
    ]);
    assert_eq!(to_file.code, Some(1));
    assert_eq!(to_file.stdout, "");
    let to_stdout = run(&["check", "--format", "json", PROBLEMS]);
    assert_eq!(
        std::fs::read_to_string(&report).expect("the report"),
        to_stdout.stdout
    );
    let summary = scratch.0.join("summary.csv");
    let to_file = run(&[
        "summary",
        "--format",
        "csv",
        "-o",
        summary.to_str().expect("UTF-8"),
        CLEAN,
    ]);
    assert_eq!((to_file.code, to_file.stdout.as_str()), (Some(0), ""));
    let to_stdout = run(&["summary", "--format", "csv", CLEAN]);
    assert_eq!(
        std::fs::read_to_string(&summary).expect("the summary"),
        to_stdout.stdout
    );
    let unwritable = run(&["check", "-o", "/no/such/dir/report.txt", CLEAN]);
    assert_eq!(unwritable.code, Some(2));
    assert!(
        unwritable
            .stderr
            .contains("cannot create /no/such/dir/report.txt"),
        "{}",
        unwritable.stderr
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    let scratch = Scratch::new("pipe");
    let frames = scratch.file(
        "many.txt",
        &"[2,\"1\",\"Heartbeat\",{\"x\":1}]\n".repeat(50_000),
    );
    let recorded = std::fs::read_to_string(library().join("examples/traces/clean.jsonl"))
        .expect("the example trace");
    let records = scratch.file("many.jsonl", &recorded.repeat(2_000));
    for (args, trace) in [
        (["check", "--max-per-rule", "0"].as_slice(), &frames),
        (["convert", "--to", "open-trace"].as_slice(), &records),
    ] {
        let mut child = Process::new(binary())
            .args(args)
            .args(["--ocpp", "1.6"])
            .arg(trace)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut first = [0u8; 64];
        child
            .stdout
            .as_mut()
            .expect("stdout")
            .read_exact(&mut first)
            .expect("some output");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("the binary ends");
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    }
}

#[test]
fn completions_and_man_pages_come_from_the_arguments() {
    let bash = run(&["completions", "bash"]);
    assert_eq!(bash.code, Some(0));
    assert!(bash.stdout.contains("ocpp-validate"), "{}", bash.stdout);
    assert!(bash.stdout.contains("--max-line-bytes"), "options complete");
    let fish = run(&["completions", "fish"]);
    assert!(fish.stdout.contains("complete -c ocpp-validate"));
    assert_eq!(run(&["completions", "tcsh"]).code, Some(2));
    let man = run(&["man"]);
    assert_eq!(man.code, Some(0));
    assert!(man.stdout.contains(".TH ocpp-validate 1"), "{}", man.stdout);
    let scratch = Scratch::new("man");
    let written = run(&["man", "--dir", scratch.0.to_str().expect("UTF-8")]);
    assert_eq!(written.code, Some(0), "{}", written.stderr);
    for page in [
        "ocpp-validate.1",
        "ocpp-validate-check.1",
        "ocpp-validate-summary.1",
    ] {
        let text = std::fs::read_to_string(scratch.0.join(page)).expect(page);
        assert!(text.starts_with(".ie"), "{page} is roff");
    }
}

#[test]
fn every_help_states_the_exit_statuses() {
    let top = run(&["--help"]);
    insta::assert_snapshot!("exit_statuses_of_help", top.stdout);
    for command in ["check", "summary", "rules", "convert", "completions", "man"] {
        for flag in ["-h", "--help"] {
            let help = run(&[command, flag]);
            assert_eq!(help.code, Some(0));
            assert!(
                help.stdout.contains("Exit status: 0"),
                "{command} {flag}: {}",
                help.stdout
            );
        }
    }
}

#[test]
fn rules_as_json_hold_the_registry() {
    let json = run(&["rules", "--format", "json"]);
    assert_eq!(json.code, Some(0));
    let rules: Vec<Value> = serde_json::from_str(&json.stdout).expect("a JSON array");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    let registry: Vec<&str> = ocpp_validate::tolerant::RULES
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, registry);
    for rule in &rules {
        let keys: Vec<&String> = rule.as_object().expect("an object").keys().collect();
        assert_eq!(keys, ["id", "forgives", "appliesTo", "layer", "default"]);
    }
    assert_eq!(run(&["rules", "--format", "yaml"]).code, Some(2));
}

#[test]
fn a_profile_implies_tolerant() {
    let with_flag = run(&[
        "check",
        "--ocpp",
        "1.6",
        "--tolerant",
        "--profile",
        "python-export",
        TOLERANT,
    ]);
    let without = run(&[
        "check",
        "--ocpp",
        "1.6",
        "--profile",
        "python-export",
        TOLERANT,
    ]);
    assert_eq!(without.code, with_flag.code);
    assert_eq!(without.stdout, with_flag.stdout);
    assert!(
        without.stdout.contains("warning[any."),
        "{}",
        without.stdout
    );
}

#[test]
fn a_directory_stands_for_the_files_under_it() {
    let scratch = Scratch::new("dir");
    let clean = std::fs::read_to_string(library().join(CLEAN)).expect("fixture");
    let problems = std::fs::read_to_string(library().join(PROBLEMS)).expect("fixture");
    scratch.file("logs/b.txt", &clean);
    scratch.file("logs/a/deep.txt", &problems);
    scratch.file("logs/.hidden.txt", "not a trace");
    scratch.file("logs/.git/HEAD", "not a trace");
    let logs = scratch.0.join("logs");
    let both = run(&["check", "--ocpp", "1.6", logs.to_str().expect("UTF-8")]);
    assert_eq!(both.code, Some(1), "{}", both.stderr);
    let named = run(&[
        "check",
        "--ocpp",
        "1.6",
        logs.join("a/deep.txt").to_str().expect("UTF-8"),
        logs.join("b.txt").to_str().expect("UTF-8"),
    ]);
    assert_eq!(
        both.stdout, named.stdout,
        "the same as naming them, in path order"
    );
    assert!(both.stdout.contains("in 2 inputs"), "{}", both.stdout);
    let mut deep = scratch.0.join("deep");
    for level in 0..33 {
        deep.push(format!("d{level}"));
    }
    scratch.file(
        deep.join("trace.txt")
            .strip_prefix(&scratch.0)
            .expect("inside")
            .to_str()
            .expect("UTF-8"),
        &clean,
    );
    let too_deep = run(&["check", scratch.0.join("deep").to_str().expect("UTF-8")]);
    assert_eq!(too_deep.code, Some(2));
    assert!(
        too_deep
            .stderr
            .contains("nested more than 32 directories deep"),
        "{}",
        too_deep.stderr
    );
    let empty = scratch.0.join("empty");
    std::fs::create_dir_all(empty.join("nested")).expect("directories");
    let nothing = run(&["check", empty.to_str().expect("UTF-8")]);
    assert_eq!(nothing.code, Some(2));
    assert!(
        nothing
            .stderr
            .contains("empty: a directory with no files to read"),
        "{}",
        nothing.stderr
    );
}

#[test]
fn standard_input_from_a_terminal_gets_a_hint() {
    let piped = run(&["check", "--ocpp", "1.6"]);
    assert_eq!(
        piped.stderr, "",
        "no hint when standard input is no terminal"
    );
    let command = format!("{} check --ocpp 1.6", binary());
    // Ctrl-D twice: the first ends the line typed, the second the input.
    let Some(shown) = on_terminal(&command, &[], b"[2,\"1\",\"Heartbeat\",{}]\n\x04\x04") else {
        return;
    };
    assert!(
        shown.contains("reading a trace from the terminal; end it with Ctrl-D"),
        "{shown}"
    );
    assert!(shown.contains("checked 1 record"), "{shown}");
    let quiet = format!("{} check --quiet --ocpp 1.6", binary());
    let shown = on_terminal(&quiet, &[], b"\x04").expect("script ran before");
    assert!(!shown.contains("reading a trace"), "{shown}");
}
