//! `ocpp-validate report`: one self-contained HTML page, checked as a user sees it — opened
//! in headless Chromium (Debian's `chromium`, driven by playwright-core from
//! `tests/browser/`), with no console errors, no request leaving the file, and what the
//! report's data holds drawn in the DOM; a screenshot of each page is kept under
//! `target/tmp/report-screenshots/`.
//!
//! Outside CI the browser tests skip with a message when Chromium or the npm packages
//! (`npm ci --prefix ocpp-validate/cli/tests/browser`) are missing; under CI they fail.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use ocpp_validate::check::CheckOptions;
use ocpp_validate::report::{report, Report};
use serde_json::{json, Value};

fn traces() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("examples")
        .join("traces")
}

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Writes the report of `input` to `page`; gives the exit code and standard error.
fn write_report(inputs: &[&Path], page: &Path) -> (Option<i32>, String) {
    let output = Command::cargo_bin("ocpp-validate")
        .unwrap()
        .arg("report")
        .args(inputs)
        .arg("-o")
        .arg(page)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The JSON data inside a page.
fn page_data(html: &str) -> Value {
    let start = html.find(r#"id="report-data">"#).unwrap() + r#"id="report-data">"#.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn the_page_is_self_contained_and_carries_the_report_data() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let (code, stderr) = write_report(&[&traces().join("depot.jsonl")], &page);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    let html = std::fs::read_to_string(&page).unwrap();
    for external in ["<link", " src=", " href=", "@import"] {
        assert!(!html.contains(external), "the page refers to {external}");
    }
    // The only url() references are to the page's own SVG definitions.
    for (at, _) in html.match_indices("url(") {
        assert!(html[at..].starts_with("url(#"), "{}", &html[at..at + 40]);
    }
    let data = page_data(&html);
    assert_eq!(data["kind"], "trace");
    assert_eq!(data["counts"]["records"], 72);
    assert_eq!(data["chargePoints"].as_array().unwrap().len(), 3);
}

#[test]
fn an_unreadable_input_is_named_and_the_others_are_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let missing = dir.path().join("missing.jsonl");
    let (code, stderr) = write_report(&[&traces().join("depot.jsonl"), &missing], &page);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("missing.jsonl"), "{stderr}");
    let data = page_data(&std::fs::read_to_string(&page).unwrap());
    assert_eq!(data["counts"]["records"], 72);
}

/// What the browser check found on a page, or `None` when the browser is not installed
/// outside CI.
fn open_in_chromium(page: &Path, name: &str, rule: &str) -> Option<Value> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    let packages = browser_dir().join("node_modules/playwright-core");
    if !Path::new(&chromium).exists() || !packages.exists() {
        let why = format!(
            "browser check skipped: needs {chromium} (Debian's chromium) and \
             `npm ci --prefix ocpp-validate/cli/tests/browser`"
        );
        assert!(std::env::var_os("CI").is_none(), "{why}");
        eprintln!("{why}");
        return None;
    }
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let mut child = Process::new("node")
        .current_dir(browser_dir())
        .arg("check.mjs")
        .arg(page)
        .arg(shots.join(format!("{name}.png")))
        .arg("trace")
        .arg(rule)
        .env("CHROMIUM", &chromium)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("the browser check of {name} did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_str(stdout.trim()).unwrap())
}

/// Checks that the page shows what the report's data holds: the first charge point's
/// timeline bands, sessions and jumps, the first window of its messages, the findings rows,
/// and that picking a finding of `rule` shows its charge point and message.
fn assert_drawn(found: &Value, report: &Report, rule: &str) {
    assert_eq!(found["consoleErrors"], json!([]), "{found}");
    assert_eq!(found["pageErrors"], json!([]), "{found}");
    assert_eq!(found["requests"], json!([]), "{found}");
    let data = serde_json::to_value(report).unwrap();
    let first = &data["chargePoints"][0];
    let bands: usize = (first["connectors"].as_array().unwrap().iter())
        .map(|c| {
            c["timeline"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["at"].is_string())
                .count()
        })
        .sum();
    let sessions = first["sessions"].as_array().unwrap();
    let jumps: usize = (sessions.iter())
        .map(|s| {
            s["jumps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|j| j["at"].is_string())
                .count()
        })
        .sum();
    let log = first["log"].as_array().unwrap().len();
    assert_eq!(found["chargePoints"], report.charge_points.len(), "{found}");
    assert_eq!(found["bands"], bands, "{found}");
    assert_eq!(found["sessions"], sessions.len(), "{found}");
    assert_eq!(found["sessionRows"], sessions.len(), "{found}");
    assert_eq!(found["jumps"], jumps, "{found}");
    assert_eq!(found["sequenceMessages"], log.min(40), "{found}");
    assert_eq!(
        found["findingsRows"],
        report.findings.len().min(200),
        "{found}"
    );
    assert_eq!(found["ruleRows"], report.rules.len(), "{found}");
    if bands > 0 {
        let status = first["connectors"][0]["timeline"][0]["status"]
            .as_str()
            .unwrap();
        assert!(
            found["tooltip"].as_str().unwrap().starts_with(status),
            "{found}"
        );
    }
    let of_rule: Vec<_> = (report.findings.iter())
        .filter(|f| f.finding.rule == rule)
        .collect();
    assert_eq!(found["filteredRows"], of_rule.len().min(200), "{found}");
    let picked = of_rule[0];
    assert_eq!(found["picked"]["line"], picked.finding.at.line.to_string());
    assert_eq!(
        found["pickedPointShown"],
        picked.charge_point.clone().unwrap_or_default(),
        "{found}"
    );
    assert_eq!(found["pickedShown"], 1, "{found}");
}

#[test]
fn the_depot_report_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("depot.html");
    let input = traces().join("depot.jsonl");
    assert_eq!(write_report(&[&input], &page).0, Some(0));
    let Some(found) = open_in_chromium(&page, "depot", "semantic-meter-decreasing") else {
        return;
    };
    let text = std::fs::read_to_string(&input).unwrap();
    let report = report("depot", Cursor::new(text), &CheckOptions::default()).unwrap();
    assert_drawn(&found, &report, "semantic-meter-decreasing");
}

/// A long 1.6 session: statuses, 300 meter samples with one power jump up and back, and a
/// bad StatusNotification in the middle, so that the sequence has gaps and pages.
fn long_trace() -> String {
    let mut lines = Vec::new();
    let mut push = |second: usize, station: bool, frame: Value| {
        let mut record = json!({
            "schemaVersion": "1.0",
            "timestamp": format!("2024-05-01T{:02}:{:02}:{:02}Z", second / 3600, second / 60 % 60, second % 60),
            "ocppVersion": "1.6", "chargePointId": "CP-LONG",
            "direction": if station { "cp-to-csms" } else { "csms-to-cp" },
            "messageId": frame[1].clone(),
        });
        if frame[0] == 2 {
            record["messageType"] = json!("CALL");
            record["action"] = frame[2].clone();
            record["payload"] = frame[3].clone();
        } else {
            record["messageType"] = json!("CALLRESULT");
            record["payload"] = frame[2].clone();
        }
        lines.push(record.to_string());
    };
    let status = |id: &str, status: &str, code: &str| json!([2, id, "StatusNotification", {"connectorId": 1, "errorCode": code, "status": status}]);
    push(0, true, status("a", "Available", "NoError"));
    push(0, false, json!([3, "a", {}]));
    push(5, true, status("b", "Preparing", "NoError"));
    push(5, false, json!([3, "b", {}]));
    push(
        10,
        true,
        json!([2, "s", "StartTransaction", {"connectorId": 1, "idTag": "T", "meterStart": 0, "timestamp": "2024-05-01T00:00:10Z"}]),
    );
    push(
        10,
        false,
        json!([3, "s", {"transactionId": 7, "idTagInfo": {"status": "Accepted"}}]),
    );
    push(11, true, status("c", "Charging", "NoError"));
    push(11, false, json!([3, "c", {}]));
    for n in 1..=300 {
        let second = 10 + n * 10;
        let power = if n == 150 { 11000 } else { 7000 };
        let stamp = format!(
            "2024-05-01T{:02}:{:02}:{:02}Z",
            second / 3600,
            second / 60 % 60,
            second % 60
        );
        let value = json!([{"timestamp": stamp, "sampledValue": [
            {"value": (n * 20).to_string(), "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
            {"value": power.to_string(), "measurand": "Power.Active.Import", "unit": "W"}]}]);
        push(
            second,
            true,
            json!([2, format!("v{n}"), "MeterValues", {"connectorId": 1, "transactionId": 7, "meterValue": value}]),
        );
        push(second, false, json!([3, format!("v{n}"), {}]));
        if n == 200 {
            push(second + 1, true, status("bad", "Charging", "Bogus"));
            push(second + 1, false, json!([3, "bad", {}]));
        }
    }
    push(
        3100,
        true,
        json!([2, "e", "StopTransaction", {"transactionId": 7, "meterStop": 6000, "timestamp": "2024-05-01T00:51:40Z"}]),
    );
    push(3100, false, json!([3, "e", {}]));
    push(3101, true, status("f", "Finishing", "NoError"));
    push(3101, false, json!([3, "f", {}]));
    lines.join("\n") + "\n"
}

#[test]
fn a_long_session_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("long.jsonl");
    std::fs::write(&input, long_trace()).unwrap();
    let page = dir.path().join("long.html");
    assert_eq!(write_report(&[&input], &page).0, Some(0));
    let text = std::fs::read_to_string(&input).unwrap();
    let report = report("long", Cursor::new(text), &CheckOptions::default()).unwrap();
    let session = &report.charge_points[0].summary.sessions[0];
    assert_eq!(session.jumps.len(), 2, "the power jump up and back");
    assert!(report.charge_points[0].log_left_out > 0);
    let Some(found) = open_in_chromium(&page, "long-session", "schema-enum") else {
        return;
    };
    assert_drawn(&found, &report, "schema-enum");
    assert_eq!(found["powerLines"], 1, "{found}");
    assert_eq!(found["pagedSequence"], true, "{found}");
}
