//! Load mode against the embedded reference CSMS over real sockets: counts in the report,
//! CALLERRORs, deviations, timeouts and latency under a slow CSMS, failed connections, and
//! the `load` command's JSON report.

use std::time::Duration;

use assert_cmd::Command;
use ocpp_conformance::csms::{Csms, Fault, SLOW_MS};
use ocpp_conformance::load::{self, DropReason, IdentityPattern, LoadConfig, LoadReport, Workload};
use ocpp_conformance::scenario::Scenario;
use ocpp_conformance::transport::Target;
use ocpp_model::OcppVersion;
use serde_json::{json, Value};

/// Stations in the small fleets.
const FLEET: u64 = 50;

/// A fleet whose interval is longer than the run, so each station plays exactly one round.
fn config(url: String, stations: u64, workload: Workload) -> LoadConfig {
    let mut config = LoadConfig::new(
        Target::new(url),
        stations,
        IdentityPattern::parse("T-{n:03}").unwrap(),
        workload,
    );
    config.ramp = 10_000.0;
    config.duration = Duration::from_secs(4);
    config.timeout = Duration::from_secs(10);
    config.embedded_csms = true;
    config
}

fn one_round(version: OcppVersion) -> Workload {
    Workload::heartbeat(version, Duration::from_secs(3600))
}

async fn run_against(faults: Vec<Fault>, change: impl FnOnce(&mut LoadConfig)) -> LoadReport {
    let csms = Csms::start("127.0.0.1:0", faults).await.unwrap();
    let mut config = config(csms.url(), FLEET, one_round(OcppVersion::V16));
    change(&mut config);
    load::run(config).await
}

fn assert_clean_round(report: &LoadReport) {
    assert_eq!(report.connections.attempted, FLEET);
    assert_eq!(report.connections.established, FLEET);
    assert_eq!(report.connections.failed, 0);
    assert_eq!(report.connections.dropped, 0);
    assert_eq!(report.connections.peak_concurrent, FLEET);
    assert_eq!(report.calls, 3 * FLEET);
    assert_eq!(report.responses, 3 * FLEET);
    assert_eq!(report.timeouts, 0);
    assert!(report.call_errors.is_empty(), "{:?}", report.call_errors);
    assert!(report.deviations.is_empty(), "{:?}", report.deviations);
    for action in ["BootNotification", "Heartbeat", "MeterValues"] {
        let counts = &report.actions[action];
        assert_eq!((counts.calls, counts.results), (FLEET, FLEET), "{action}");
    }
    assert_eq!(
        report.histogram.iter().map(|b| b.count).sum::<u64>(),
        3 * FLEET
    );
    assert!(report.latency.max_ms > 0.0);
    assert_eq!(report.exit_code(), 0);
}

#[tokio::test]
async fn fifty_stations_of_each_version_are_counted_exactly() {
    assert_clean_round(&run_against(Vec::new(), |_| {}).await);
    let v201 = run_against(Vec::new(), |c| c.workload = one_round(OcppVersion::V201)).await;
    assert_clean_round(&v201);
    assert_eq!(v201.ocpp, "2.0.1");
    let v21 = run_against(Vec::new(), |c| c.workload = one_round(OcppVersion::V21)).await;
    assert_clean_round(&v21);
    assert_eq!(v21.ocpp, "2.1");
}

#[test]
fn the_load_command_speaks_2_1_to_the_embedded_csms() {
    let output = load_cli()
        .args(["--ocpp", "2.1", "--stations", "5", "--duration", "2s"])
        .args(["--interval", "3600s", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["ocpp"], "2.1");
    assert_eq!(report["connections"]["established"], 5);
    assert_eq!(
        (&report["calls"], &report["responses"]),
        (&json!(15), &json!(15))
    );
    assert_eq!(report["deviations"], json!({}), "{report}");
}

#[tokio::test]
async fn schema_invalid_answers_are_counted_as_deviations_by_rule() {
    let report = run_against(vec![Fault::SchemaInvalidResponse], |_| {}).await;
    assert_eq!(report.responses, 3 * FLEET);
    // Every answer carries the extra member, a member its schema does not define (also
    // where the schema has no properties at all, as 1.6's StatusNotification answer).
    assert_eq!(report.deviations.values().sum::<u64>(), 3 * FLEET);
    assert_eq!(
        report.deviations.get("schema-additional-property"),
        Some(&(3 * FLEET)),
        "{:?}",
        report.deviations
    );
    assert_eq!(report.exit_code(), 1);
}

#[tokio::test]
async fn call_errors_are_counted_by_code_and_scenario_captures_are_per_station() {
    let text = r#"
format = 1
id = "LOAD-TX"
name = "a transaction, then a bad call"
version = "1.6"
[[step]]
kind = "call"
action = "StartTransaction"
payload = { connectorId = 1, idTag = "${idTag}", meterStart = 0, timestamp = "${now}" }
expect.capture = { tx = "/transactionId" }
[[step]]
kind = "call"
action = "StopTransaction"
payload = { transactionId = "${tx}", meterStop = 10, timestamp = "${now}" }
[[step]]
kind = "call"
action = "MeterValues"
payload = { connectorId = 1 }
[[step]]
kind = "wait"
ms = 3600000
"#;
    let scenario = Scenario::parse("tx.toml", text).unwrap();
    let workload = Workload::from_scenario(&scenario).unwrap();
    let report = run_against(Vec::new(), |c| c.workload = workload).await;
    assert_eq!(report.calls, 3 * FLEET);
    assert_eq!(report.actions["StopTransaction"].results, FLEET);
    assert_eq!(report.actions["MeterValues"].errors, FLEET);
    assert_eq!(
        report.call_errors.get("OccurenceConstraintViolation"),
        Some(&FLEET),
        "{:?}",
        report.call_errors
    );
    assert!(report.deviations.is_empty(), "{:?}", report.deviations);
}

#[test]
fn scenario_steps_load_mode_cannot_play_are_refused() {
    let text = "format = 1\nid = \"X\"\nname = \"x\"\nversion = \"2.0.1\"\n\
                [[step]]\nkind = \"reconnect\"\n";
    let scenario = Scenario::parse("x.toml", text).unwrap();
    let error = Workload::from_scenario(&scenario).unwrap_err();
    assert_eq!(
        error.to_string(),
        "scenario X: step 1 is a reconnect step; load mode plays only call and wait steps"
    );
}

#[tokio::test]
async fn a_slow_csms_shows_in_latency_and_in_timeouts() {
    let patient = run_against(vec![Fault::SlowResponse], |c| {
        c.stations = 10;
        c.duration = Duration::from_secs(1);
    });
    let hasty = run_against(vec![Fault::SlowResponse], |c| {
        c.stations = 10;
        c.duration = Duration::from_secs(1);
        c.timeout = Duration::from_millis(300);
    });
    let (patient, hasty) = tokio::join!(patient, hasty);
    // Patient stations wait out the delay: one answered boot each, all slower than it.
    let boot = &patient.actions["BootNotification"];
    assert_eq!((boot.calls, boot.results, boot.timeouts), (10, 10, 0));
    assert!(boot.latency.p50_ms >= SLOW_MS as f64, "{:?}", boot.latency);
    assert_eq!(patient.timeouts, 0);
    // Hasty stations give up on every CALL they send before the run ends.
    assert!(hasty.timeouts >= 10, "{}", hasty.timeouts);
    assert_eq!(hasty.timeouts, hasty.calls);
    assert_eq!(hasty.responses, 0);
    assert_eq!(hasty.actions["BootNotification"].timeouts, 10);
    assert_eq!(hasty.exit_code(), 1);
}

#[tokio::test]
async fn dropped_connections_are_counted_by_reason() {
    let huge = run_against(vec![Fault::HugeFrame], |c| c.stations = 3).await;
    assert_eq!(huge.connections.dropped, 3);
    let reasons = &huge.connections.drops;
    assert_eq!(
        reasons.get(&DropReason::FrameTooLarge),
        Some(&3),
        "{reasons:?}"
    );
    let closed = run_against(vec![Fault::CloseMidScenario], |c| c.stations = 3).await;
    assert_eq!(closed.connections.dropped, 3);
    let reasons = &closed.connections.drops;
    assert_eq!(
        reasons.get(&DropReason::ClosedByPeer),
        Some(&3),
        "{reasons:?}"
    );
}

#[tokio::test]
async fn unreachable_csms_counts_failed_connections() {
    let url = {
        let csms = Csms::start("127.0.0.1:0", Vec::new()).await.unwrap();
        csms.url()
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let report = load::run(config(url, 5, one_round(OcppVersion::V16))).await;
    assert_eq!(report.connections.attempted, 5);
    assert_eq!(report.connections.failed, 5);
    assert_eq!(report.connections.established, 0);
    assert_eq!(report.calls, 0);
    assert!(report.connections.first_failure.is_some());
    assert_eq!(report.exit_code(), 1);
}

/// The `load` command, ramping fast enough that small fleets start at once.
fn load_cli() -> Command {
    let mut command = Command::cargo_bin("ocpp-conformance").unwrap();
    command.args(["load", "--ramp", "5000"]);
    command
}

#[test]
fn identities_follow_the_pattern_from_the_first_number() {
    let output = load_cli()
        .args(["--target", "ws://127.0.0.1:1/ocpp", "--stations", "1"])
        .args([
            "--first",
            "1001",
            "--identity",
            "SHARD-{n:06}",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["connections"]["failed"], 1);
    let failure = report["connections"]["firstFailure"].as_str().unwrap();
    assert!(failure.contains("/ocpp/SHARD-001001:"), "{failure}");
}

#[test]
fn the_load_command_reports_json_counts() {
    let output = load_cli()
        .args([
            "--stations",
            "20",
            "--first",
            "1001",
            "--identity",
            "SHARD-{n}",
            "--duration",
            "3s",
            "--interval",
            "3600s",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["connections"]["established"], 20);
    assert_eq!(report["calls"], 60);
    assert_eq!(report["responses"], 60);
    assert_eq!(report["client"]["includesCsms"], true);
    assert!(report["client"]["peakRssBytes"].as_u64().unwrap() > 0);
    assert_eq!(snake_case_keys(&report, ""), Vec::<String>::new());
}

/// The keys of `value` with an underscore or an upper-case first letter, as JSON pointers;
/// the maps keyed by data (action names, error codes, rule ids, drop reasons) are not
/// searched.
fn snake_case_keys(value: &Value, at: &str) -> Vec<String> {
    let Value::Object(map) = value else {
        return match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .flat_map(|(i, item)| snake_case_keys(item, &format!("{at}/{i}")))
                .collect(),
            _ => Vec::new(),
        };
    };
    let mut found = Vec::new();
    for (key, child) in map {
        let pointer = format!("{at}/{key}");
        if key.contains('_') || key.starts_with(|c: char| c.is_ascii_uppercase()) {
            found.push(pointer.clone());
        }
        if !["actions", "callErrors", "deviations", "drops"].contains(&key.as_str()) {
            found.extend(snake_case_keys(child, &pointer));
        } else if key == "actions" {
            for (action, stats) in child.as_object().into_iter().flatten() {
                found.extend(snake_case_keys(stats, &format!("{pointer}/{action}")));
            }
        }
    }
    found
}

#[test]
fn bad_arguments_are_refused_with_a_reason() {
    let output = load_cli()
        .args(["--identity", "CP", "--stations", "1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("needs {n}"), "{stderr}");
}

#[test]
fn the_human_report_lays_out_counts_table_and_cost() {
    let output = load_cli()
        .args(["--stations", "10"])
        .args(["--duration", "3s", "--interval", "3600s"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    // Timings, sizes, the port and the histogram's bins differ from run to run, and so does
    // the width of a timing: the padding before it goes with it.
    let url = regex::Regex::new(r"ws://127\.0\.0\.1:\d+").unwrap();
    let float = regex::Regex::new(r"OCPP 1\.6|( *)\d+\.\d+").unwrap();
    let stable: String = text
        .lines()
        .filter(|line| !line.starts_with("  <= "))
        .map(|line| format!("{line}\n"))
        .collect();
    let stable = url.replace_all(&stable, "ws://CSMS");
    let stable = float.replace_all(&stable, |found: &regex::Captures<'_>| match &found[0] {
        version @ "OCPP 1.6" => version.to_owned(),
        _ if found[1].is_empty() => "F".to_owned(),
        _ => " F".to_owned(),
    });
    insta::assert_snapshot!(stable);
}

#[test]
fn a_trace_is_replayed_by_every_station() {
    let dir = std::env::temp_dir().join(format!("ocpp-load-trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let trace = dir.join("session.jsonl");
    std::fs::write(
        &trace,
        r#"[2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
[3,"1",{"status":"Accepted","currentTime":"2026-01-01T00:00:00Z","interval":300}]
[2,"2","StartTransaction",{"connectorId":1,"idTag":"ABC","meterStart":0,"timestamp":"2026-01-01T00:00:01Z"}]
[3,"2",{"transactionId":77,"idTagInfo":{"status":"Accepted"}}]
[2,"3","MeterValues",{"connectorId":1,"transactionId":77,"meterValue":[{"timestamp":"2026-01-01T00:00:02Z","sampledValue":[{"value":"10"}]}]}]
[2,"4","StopTransaction",{"transactionId":77,"idTag":"ABC","meterStop":5,"timestamp":"2026-01-01T00:00:03Z"}]
"#,
    )
    .unwrap();
    let output = load_cli()
        .args(["--stations", "20", "--format", "json"])
        .args(["--duration", "3s", "--interval", "3600s", "--trace"])
        .arg(&trace)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["calls"], 80);
    assert_eq!(report["responses"], 80);
    for action in [
        "BootNotification",
        "StartTransaction",
        "MeterValues",
        "StopTransaction",
    ] {
        assert_eq!(report["actions"][action]["results"], 20, "{action}");
    }
    assert_eq!(report["callErrors"], serde_json::json!({}));
}

#[test]
fn connection_options_reach_the_transport() {
    let output = load_cli()
        .args(["--basic", "no-colon", "--stations", "1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--basic must be user:password"));
    let output = load_cli()
        .args(["--target", "wss://127.0.0.1:1/ocpp", "--stations", "1"])
        .args(["--basic", "user:secret", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let failure = report["connections"]["firstFailure"].as_str().unwrap();
    assert_eq!(failure, "TLS setup: wss needs --ca FILE");
}
