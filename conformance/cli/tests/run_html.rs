//! `ocpp-conformance run --format html`: the run's page holds the verdicts the JSON report
//! gives, and headless Chromium draws every case, its deviations and its frames with the
//! failing steps marked (the browser check of `ocpp-validate/cli/tests/browser/`, which
//! skips outside CI when Chromium or its npm packages are missing; under CI it fails).

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::{json, Value};

/// Runs the 2.0.1 suite against the embedded CSMS with `fault`, in `format`.
fn run(format: &str, fault: &str) -> (Option<i32>, String) {
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args([
            "run", "--suite", "v201", "--format", format, "--fault", fault,
        ])
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// The JSON data inside a page.
fn page_data(html: &str) -> Value {
    let start = html.find(r#"id="report-data">"#).unwrap() + r#"id="report-data">"#.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ocpp-validate/cli/tests/browser")
}

#[test]
fn a_failing_run_as_html_in_chromium() {
    let (code, html) = run("html", "schema-invalid-response");
    assert_eq!(code, Some(1));
    let data = page_data(&html);
    assert_eq!(data["kind"], "run");
    // The page's verdicts are the JSON report's.
    let (_, lines) = run("json", "schema-invalid-response");
    let verdicts: Vec<Value> = (lines.lines())
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|case| case.get("status").is_some())
        .map(|case| {
            json!([
                case["id"],
                case["status"],
                case["deviations"].as_array().unwrap().len()
            ])
        })
        .collect();
    let cases = data["cases"].as_array().unwrap();
    let shown: Vec<Value> = (cases.iter())
        .map(|case| {
            json!([
                case["id"],
                case["status"],
                case["deviations"].as_array().unwrap().len()
            ])
        })
        .collect();
    assert_eq!(shown, verdicts);
    assert!(cases
        .iter()
        .all(|c| !c["exchange"].as_array().unwrap().is_empty()));

    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if !Path::new(&chromium).exists()
        || !browser_dir().join("node_modules/playwright-core").exists()
    {
        let why = format!(
            "browser check skipped: needs {chromium} and `npm ci --prefix ocpp-validate/cli/tests/browser`"
        );
        assert!(std::env::var_os("CI").is_none(), "{why}");
        eprintln!("{why}");
        return;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("run-schema-invalid-response.html");
    std::fs::write(&page, &html).unwrap();
    let mut child = Process::new("node")
        .current_dir(browser_dir())
        .arg("check.mjs")
        .arg(&page)
        .arg(dir.join("run-schema-invalid-response.png"))
        .arg("run")
        .env("CHROMIUM", &chromium)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the browser check did not finish in 120 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(found["consoleErrors"], json!([]), "{found}");
    assert_eq!(found["pageErrors"], json!([]), "{found}");
    assert_eq!(found["requests"], json!([]), "{found}");
    let failed = cases.iter().filter(|c| c["status"] == "fail").count();
    assert!(failed > 0);
    let deviations: usize = (cases.iter())
        .map(|c| c["deviations"].as_array().unwrap().len())
        .sum();
    let frames: usize = (cases.iter())
        .map(|c| c["exchange"].as_array().unwrap().len())
        .sum();
    // Frames of a step with an error-level deviation are marked failing.
    let failing: usize = cases
        .iter()
        .map(|c| {
            let steps: Vec<&Value> = (c["deviations"].as_array().unwrap().iter())
                .filter(|d| d["level"] == "error")
                .map(|d| &d["step"])
                .collect();
            (c["exchange"].as_array().unwrap().iter())
                .filter(|f| steps.contains(&&f["step"]))
                .count()
        })
        .sum();
    assert_eq!(found["cases"], cases.len(), "{found}");
    assert_eq!(found["failedCases"], failed, "{found}");
    assert_eq!(found["deviationRows"], deviations, "{found}");
    assert_eq!(found["sequenceMessages"], frames, "{found}");
    assert_eq!(found["failingStepMessages"], failing, "{found}");
    assert!(failing > 0);
}

#[test]
fn a_passing_run_marks_no_step() {
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["run", "--suite", "v16", "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let data = page_data(&String::from_utf8(output.stdout).unwrap());
    let cases = data["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    assert!(cases
        .iter()
        .all(|c| c["status"] == "pass" && c["deviations"] == json!([])));
    // Every frame is attributed to a step and a side.
    for case in cases {
        for frame in case["exchange"].as_array().unwrap() {
            assert!(
                frame["from"] == "station" || frame["from"] == "csms",
                "{frame}"
            );
            assert!(frame["step"].as_u64().unwrap() <= 64, "{frame}");
        }
    }
}
