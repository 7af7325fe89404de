//! The report outputs under stress, through the binary: SARIF and JUnit in bounded memory
//! however many findings, findings flushed on SIGTERM, excerpts from a FIFO, long values
//! echoed cut with their length; at scale, the human format caps the repeats of a rule
//! (`--max-per-rule`) and `--statistics` writes one line per rule.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How long any child may run before the test gives up on it.
const PATIENCE: Duration = Duration::from_secs(20);

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ocpp-validate"))
}

/// A file in the temporary directory, unique to this test process and `name`.
fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "ocpp-validate-outputs-{}-{name}",
        std::process::id()
    ))
}

/// Starts `check --ocpp 1.6 INPUT` (human format) with standard output piped.
fn check_human(input: &Path) -> Child {
    Command::new(binary())
        .args(["check", "--ocpp", "1.6"])
        .arg(input)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs")
}

/// Waits for `child` until [`PATIENCE`] has passed, then kills it.
fn wait(child: &mut Child) -> Option<ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            return Some(status);
        }
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// Reads all of a child's standard output on a thread, so that it never blocks on a full pipe.
fn drain(child: &mut Child) -> thread::JoinHandle<Vec<u8>> {
    let mut stdout = child.stdout.take().expect("stdout is piped");
    thread::spawn(move || {
        let mut all = Vec::new();
        let _ = stdout.read_to_end(&mut all);
        all
    })
}

/// The peak resident memory (VmHWM, in KiB) a child reached, sampled from /proc until it
/// exits, and its standard output.
fn peak_memory(args: &[&str]) -> (u64, Vec<u8>) {
    let mut child = Command::new(binary())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let output = drain(&mut child);
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let start = Instant::now();
    while child.try_wait().expect("waitable").is_none() {
        if let Ok(text) = std::fs::read_to_string(&status) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
            peak = peak.max(hwm.unwrap_or(0));
        }
        assert!(start.elapsed() < PATIENCE, "the child ran too long");
        thread::sleep(Duration::from_millis(2));
    }
    (peak, output.join().expect("the reader thread ends"))
}

#[test]
fn sarif_and_junit_reports_take_memory_bounded_whatever_the_number_of_findings() {
    // The library test `render_memory` feeds 200,000 findings to the renderers themselves;
    // through the (debug) binary fewer keep the test short.
    // What each finding writes: its rule id in SARIF, its severity in a JUnit listing line.
    for (format, findings, mark) in [
        ("sarif", 50_000, "\"frame-wrong-arity\""),
        ("junit", 100_000, "): error: "),
    ] {
        let input = temp(&format!("many-{format}.txt"));
        // Each line is one error (a CALL of two elements), with no state kept for it.
        std::fs::write(&input, "[2,\"1\"]\n".repeat(findings)).expect("temp dir is writable");
        let path = input.to_str().expect("a UTF-8 path");
        let args = [
            "check", "--ocpp", "1.6", "--jobs", "1", "--format", format, path,
        ];
        let (peak_kib, output) = peak_memory(&args);
        let _ = std::fs::remove_file(&input);
        let text = String::from_utf8(output).expect("UTF-8");
        assert!(text.matches(mark).count() >= findings, "{format}");
        assert!(peak_kib < 40 * 1024, "{format}: peak RSS {peak_kib} KiB");
    }
}

#[test]
fn sigterm_flushes_the_findings_so_far_and_exits_143() {
    let input = temp("big.txt");
    let mut text = String::from("[2,\"1\"]\n");
    let heartbeat =
        "[2,\"h\",\"Heartbeat\",{}]\n[3,\"h\",{\"currentTime\":\"2024-05-01T10:00:00Z\"}]\n";
    text.push_str(&heartbeat.repeat(500_000));
    std::fs::write(&input, text).expect("temp dir is writable");
    let mut child = check_human(&input);
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let (sender, first_bytes) = mpsc::channel();
    let reader = thread::spawn(move || {
        let mut all = Vec::new();
        let mut chunk = [0; 4096];
        while let Ok(n @ 1..) = stdout.read(&mut chunk) {
            all.extend_from_slice(&chunk[..n]);
            let _ = sender.send(());
        }
        all
    });
    // The first finding arrives while the check goes on (or not at all, before the fix).
    let _ = first_bytes.recv_timeout(Duration::from_secs(10));
    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(killed.expect("kill runs").success());
    let status = wait(&mut child).expect("the binary exits after SIGTERM");
    let output = String::from_utf8(reader.join().expect("reader ends")).expect("UTF-8");
    let _ = std::fs::remove_file(input);
    assert!(
        output.contains("error[frame-wrong-arity]"),
        "the first finding is written: {output:?}"
    );
    assert_eq!(status.code(), Some(143), "{status:?}");
}

#[test]
fn a_fifo_input_gets_its_excerpts_without_being_read_twice() {
    let fifo = temp("input.fifo");
    let _ = std::fs::remove_file(&fifo);
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.expect("mkfifo runs").success());
    let mut child = check_human(&fifo);
    let output = drain(&mut child);
    let writer = {
        let fifo = fifo.clone();
        thread::spawn(move || {
            // Opening blocks until the binary opens the FIFO for reading.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(&fifo)
                .expect("the FIFO opens");
            let frame = r#"[2,"1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charged"}]"#;
            file.write_all(format!("{frame}\n").as_bytes())
                .expect("the FIFO takes the frame");
        })
    };
    let status = wait(&mut child);
    writer.join().expect("the writer ends");
    let _ = std::fs::remove_file(&fifo);
    assert!(status.is_some(), "the check of a FIFO finishes");
    let text = String::from_utf8(output.join().expect("reader ends")).expect("UTF-8");
    assert!(text.contains("error[schema-enum]"), "{text}");
    assert!(
        text.contains(r#"   | [2,"1","StatusNotification""#),
        "{text}"
    );
    assert!(text.contains("^^^^^^^^^"), "{text}");
}

#[test]
fn a_1_mib_value_is_echoed_cut_with_its_length_in_every_format() {
    let input = temp("long-value.txt");
    let long = "A".repeat(1024 * 1024);
    std::fs::write(
        &input,
        format!("[2,\"1\",\"Authorize\",{{\"idTag\":\"{long}\"}}]\n"),
    )
    .expect("temp dir is writable");
    for format in ["human", "json", "sarif", "junit"] {
        let output = Command::new(binary())
            .args(["check", "--ocpp", "1.6", "--format", format])
            .arg(&input)
            .output()
            .expect("the binary runs");
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        assert!(text.contains("schema-max-length"), "{format}: {text}");
        assert!(text.contains("(1048576 characters)"), "{format}: {text}");
        assert!(text.len() < 16 * 1024, "{format}: {} bytes", text.len());
    }
    let _ = std::fs::remove_file(input);
}

#[test]
fn excerpts_decode_one_line_per_finding_however_many_name_the_same_record() {
    use ocpp_model::OcppVersion;
    use ocpp_validate::check::{check_reader, CheckOptions};
    use ocpp_validate::render::excerpt::Excerpts;

    let frame =
        r#"[2,"1","StatusNotification",{"connectorId":1,"errorCode":"Bad","status":"Charged"}]"#;
    let lines = 1_000;
    let input = format!("{frame}\n").repeat(lines);
    let options = CheckOptions::default()
        .with_version(Some(OcppVersion::V16))
        .with_semantic(None);
    let mut excerpts = Excerpts::new(None, Default::default(), options.max_line);
    let tee = excerpts.tee(input.as_bytes());
    let mut shown = 0;
    let mut findings = 0;
    check_reader(std::io::BufReader::new(tee), options, &mut |finding| {
        if finding.pointer.is_empty() {
            return;
        }
        findings += 1;
        // Every finding asks for its own record, and then for the first one again.
        shown += usize::from(excerpts.frame(finding.at.line).is_some());
        shown += usize::from(excerpts.frame(1).is_some());
    })
    .expect("in-memory input");
    assert_eq!(findings, 2 * lines);
    assert_eq!(shown, 2 * findings);
    assert_eq!(excerpts.bytes_decoded(), 2 * findings * frame.len());
}

/// Runs the binary in the crate directory: standard output then standard error, and the
/// exit code.
fn run(args: &[&str]) -> (String, i32) {
    let output = Command::new(binary())
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .args(args)
        .output()
        .expect("the binary runs");
    let text =
        String::from_utf8(output.stdout).expect("UTF-8") + &String::from_utf8_lossy(&output.stderr);
    (text, output.status.code().unwrap_or(-1))
}

/// A trace of `n` StatusNotifications with a bad status (one `schema-enum` each) and `n`
/// Authorizes with an idTag too long (one `schema-max-length` each), written to a
/// file named for `test`.
fn trace(test: &str, n: usize) -> PathBuf {
    let path = temp(&format!("scale-{test}.txt"));
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "[2,\"s{i}\",\"StatusNotification\",{{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Charged\"}}]\n"
        ));
        text.push_str(&format!(
            "[2,\"a{i}\",\"Authorize\",{{\"idTag\":\"TAG-THAT-IS-MUCH-TOO-LONG-{i}\"}}]\n"
        ));
    }
    std::fs::write(&path, text).expect("temp dir is writable");
    path
}

/// The output with the temporary path replaced by `TRACE`.
fn redacted(text: &str, path: &Path) -> String {
    text.replace(path.to_str().expect("UTF-8 path"), "TRACE")
}

#[test]
fn the_human_format_shows_the_first_findings_of_each_rule_and_counts_the_rest() {
    let path = trace("capped", 30);
    let file = path.to_str().expect("UTF-8 path");
    let (text, status) = run(&[
        "check",
        "--ocpp",
        "1.6",
        "--no-semantic",
        "--max-per-rule",
        "2",
        file,
    ]);
    assert_eq!(status, 1);
    insta::assert_snapshot!("capped_human", redacted(&text, &path));
    let (all, _) = run(&[
        "check",
        "--ocpp",
        "1.6",
        "--no-semantic",
        "--max-per-rule",
        "0",
        file,
    ]);
    assert_eq!(all.matches("error[schema-enum]:").count(), 30);
    assert!(!all.contains("more error["), "{all}");
    let (default, _) = run(&["check", "--ocpp", "1.6", "--no-semantic", file]);
    assert_eq!(default.matches("error[schema-enum]:").count(), 20);
    assert!(
        default.contains("… and 10 more error[schema-enum]"),
        "{default}"
    );
    let (json, _) = run(&[
        "check",
        "--ocpp",
        "1.6",
        "--no-semantic",
        "--format",
        "json",
        file,
    ]);
    assert_eq!(
        json.matches("\"rule\":\"schema-enum\"").count(),
        30,
        "JSON stays complete"
    );
    let _ = std::fs::remove_file(path);
}

#[test]
fn statistics_write_one_line_per_rule_in_human_and_json() {
    let path = trace("statistics", 1_500);
    let file = path.to_str().expect("UTF-8 path");
    let (human, status) = run(&["check", "--ocpp", "1.6", "--statistics", file]);
    assert_eq!(status, 1);
    insta::assert_snapshot!("statistics_human", redacted(&human, &path));
    let (json, _) = run(&[
        "check",
        "--ocpp",
        "1.6",
        "--statistics",
        "--format",
        "json",
        file,
    ]);
    insta::assert_snapshot!("statistics_json", redacted(&json, &path));
    let (text, status) = run(&["check", "--statistics", "--format", "sarif", file]);
    assert_eq!(status, 2);
    assert!(
        text.contains("--statistics is written in the human or the json format only"),
        "{text}"
    );
    let _ = std::fs::remove_file(path);
}
