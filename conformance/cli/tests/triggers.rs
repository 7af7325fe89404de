//! Triggers run concurrently with the connection and have a timeout: a trigger command and a
//! trigger URL that return only once the station has answered, a hung and a failing
//! trigger, and the reference CSMS's `serve --trigger-api` rehearsed end to end.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use ocpp_conformance::csms::Csms;
use ocpp_conformance::report::{CaseReport, Status};
use ocpp_conformance::runner::{run_case, RunConfig, Trigger};
use ocpp_conformance::scenario::{Requirement, Scenario};
use ocpp_conformance::suites;
use ocpp_conformance::transport::Target;

/// The cases of both suites that need a trigger.
fn trigger_cases() -> Vec<Scenario> {
    let mut all = suites::load(suites::V16).unwrap();
    all.extend(suites::load(suites::V201).unwrap());
    all.retain(|s| s.requires.contains(&Requirement::Trigger));
    all
}

fn case(files: &[(&str, &str)], id: &str) -> Scenario {
    suites::load(files)
        .unwrap()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap()
}

async fn run_all(config: &RunConfig, scenarios: &[Scenario]) -> Vec<CaseReport> {
    let mut reports = Vec::new();
    for scenario in scenarios {
        let bound = Duration::from_secs(20);
        let report = tokio::time::timeout(bound, run_case(config, scenario))
            .await
            .expect("a case ran past 20 s");
        reports.push(report);
    }
    reports
}

fn config(csms: &Csms, trigger: Trigger) -> RunConfig {
    let mut config = RunConfig::new(Target::new(csms.url()), "SIM-001");
    config.trigger = trigger;
    config.trigger_timeout = Duration::from_secs(10);
    config
}

fn assert_all_pass(reports: &[CaseReport]) {
    assert!(!reports.is_empty());
    for report in reports {
        assert_eq!(report.status, Status::Pass, "{report:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trigger_url_that_returns_after_the_station_answered_passes_every_case() {
    let csms = Csms::start("127.0.0.1:0", Vec::new()).await.unwrap();
    let api = csms.serve_trigger_api("127.0.0.1:0").await.unwrap();
    let config = config(&csms, Trigger::Url(api.url()));
    assert_all_pass(&run_all(&config, &trigger_cases()).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trigger_command_that_returns_after_the_station_answered_passes_every_case() {
    let csms = Csms::start("127.0.0.1:0", Vec::new()).await.unwrap();
    let api = csms.serve_trigger_api("127.0.0.1:0").await.unwrap();
    let command = format!(
        "curl -sS -f -m 10 -X POST --data \"$OCPP_PAYLOAD\" \
         \"{}/api/octt/$OCPP_VERSION/$OCPP_IDENTITY/call/$OCPP_ACTION\"",
        api.url()
    );
    let config = config(&csms, Trigger::Command(command));
    assert_all_pass(&run_all(&config, &trigger_cases()).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hung_trigger_times_out_as_a_deviation_and_the_run_goes_on() {
    let csms = Csms::start("127.0.0.1:0", Vec::new()).await.unwrap();
    let mut config = config(&csms, Trigger::Command("sleep 30".to_owned()));
    config.trigger_timeout = Duration::from_secs(1);
    let scenarios = [
        case(suites::V16, "1.6-TC_B_20_CSMS"),
        case(suites::V16, "1.6-TC_B_01_CSMS"),
    ];
    let reports = run_all(&config, &scenarios).await;
    assert_eq!(reports[0].status, Status::Fail);
    let deviation = &reports[0].deviations[0];
    assert_eq!(deviation.rule, "trigger", "{:?}", reports[0]);
    assert!(
        deviation.message.contains("still running after 1 s"),
        "{deviation:?}"
    );
    assert_eq!(reports[1].status, Status::Pass, "{:?}", reports[1]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_trigger_names_its_exit_status_or_http_status_and_its_output() {
    let csms = Csms::start("127.0.0.1:0", Vec::new()).await.unwrap();
    let api = csms.serve_trigger_api("127.0.0.1:0").await.unwrap();
    let scenario = [case(suites::V201, "TC_B_20_CSMS")];
    let failing = [
        (
            Trigger::Command("echo no such station; exit 3".to_owned()),
            "exited with exit status: 3; output: no such station",
        ),
        (
            Trigger::Url(format!("{}/elsewhere", api.url())),
            "HTTP 404; output: {\"error\"",
        ),
    ];
    for (trigger, expected) in failing {
        let reports = run_all(&config(&csms, trigger), &scenario).await;
        let rules: Vec<(&str, &str)> = reports[0]
            .deviations
            .iter()
            .map(|d| (d.rule.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(rules.len(), 1, "{rules:?}");
        assert_eq!(rules[0].0, "trigger");
        assert!(rules[0].1.contains(expected), "{rules:?}");
    }
}

/// Kills the served CSMS when the test ends, however it ends.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_with_a_trigger_api_rehearses_a_run_with_trigger_url() {
    let mut child = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--trigger-api",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let _served = Served(child);
    let mut last_word = || {
        let line = lines.next().unwrap().unwrap();
        line.rsplit(' ').next().unwrap().to_owned()
    };
    let (target, api) = (last_word(), last_word());
    assert!(api.starts_with("http://"), "{api}");
    let output = assert_cmd::Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .args(["run", "--boot-by-identity", "--format", "json"])
        .args(["--target", &target, "--trigger-url", &api])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("\"skip\""), "{stdout}");
}

/// A case an operator drives: the CSMS's CALL ends the wait (here a CSMS acting on its own),
/// and Enter skips a case whose CALL does not come.
#[tokio::test(flavor = "multi_thread")]
async fn a_manual_trigger_waits_for_the_call_and_enter_skips_the_case() {
    use ocpp_conformance::runner::Operator;
    let csms = Csms::start("127.0.0.1:0", Vec::new()).await.unwrap();
    let (enter, enters) = tokio::sync::mpsc::unbounded_channel();
    let config = config(&csms, Trigger::Manual(Operator::from_channel(enters)));
    // Nobody makes the reference CSMS send the Reset: the operator presses Enter.
    let scenario = [case(suites::V16, "1.6-TC_B_20_CSMS")];
    let pressing = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        enter.send(()).unwrap();
        enter
    });
    let reports = run_all(&config, &scenario).await;
    assert_eq!(reports[0].status, Status::Skip, "{:?}", reports[0]);
    assert_eq!(
        reports[0].reason.as_deref(),
        Some("skipped by the operator")
    );
    drop(pressing.await.unwrap());
}
