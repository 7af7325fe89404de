//! A CSMS that accepts TCP connections and then says nothing (over `ws://`, or `wss://` with
//! a TLS handshake that never answers): `run`, `replay` and `load` give up after the connect
//! timeout (and `load` at the end of its run), with the case
//! failed as `connect-timeout` and the load connection counted as failed.

use std::net::SocketAddr;
use std::time::Duration;

use ocpp_conformance::load::{self, IdentityPattern, LoadConfig, Workload};
use ocpp_conformance::replay::{replay, Rewrites, Trace};
use ocpp_conformance::report::{CaseReport, Status};
use ocpp_conformance::runner::{run_case, RunConfig};
use ocpp_conformance::suites;
use ocpp_conformance::transport::Target;
use ocpp_model::OcppVersion;

/// The longest any of these tests may wait for its answer.
const BOUND: Duration = Duration::from_secs(15);

/// A listener that accepts TCP connections and never says a word (nor closes them).
async fn silent_listener() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    addr
}

fn target(addr: SocketAddr, connect_timeout: Duration) -> Target {
    let mut target = Target::new(format!("ws://{addr}/ocpp"));
    target.connect_timeout = connect_timeout;
    target
}

fn assert_connect_timeout(report: &CaseReport) {
    assert_eq!(report.status, Status::Fail, "{report:?}");
    assert!(!report.unreachable, "{report:?}");
    assert_eq!(report.deviations.len(), 1, "{report:?}");
    assert_eq!(report.deviations[0].rule, "connect-timeout");
    assert_eq!(report.deviations[0].step, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_csms_fails_a_case_and_a_replay_with_connect_timeout() {
    let addr = silent_listener().await;
    let config = RunConfig::new(target(addr, Duration::from_millis(300)), "SIM-001");
    let scenario = suites::load(suites::V16).unwrap().remove(0);
    let report = tokio::time::timeout(BOUND, run_case(&config, &scenario))
        .await
        .expect("run_case outlasted its bound");
    assert_connect_timeout(&report);
    let (trace, rewrites) = (Trace::default(), Rewrites::default());
    let replayed = replay(&config, &trace, &rewrites);
    let report = tokio::time::timeout(BOUND, replayed)
        .await
        .expect("replay outlasted its bound");
    assert_connect_timeout(&report);
}

fn fleet(target: Target, duration: Duration) -> LoadConfig {
    let mut config = LoadConfig::new(
        target,
        3,
        IdentityPattern::parse("T-{n}").unwrap(),
        Workload::heartbeat(OcppVersion::V16, Duration::from_secs(3600)),
    );
    config.ramp = 10_000.0;
    config.duration = duration;
    config.timeout = Duration::from_secs(1);
    config
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tls_handshake_that_never_answers_is_a_connect_timeout() {
    let dir = std::env::temp_dir().join(format!("ocpp-connect-timeout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let ca = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();
    let addr = silent_listener().await;
    let mut target = Target::new(format!("wss://{addr}/ocpp"));
    target.ca_file = Some(ca_file);
    target.connect_timeout = Duration::from_millis(300);
    let config = RunConfig::new(target, "SIM-001");
    let scenario = suites::load(suites::V201).unwrap().remove(0);
    let report = tokio::time::timeout(BOUND, run_case(&config, &scenario))
        .await
        .expect("connecting over wss outlasted its bound");
    let _ = std::fs::remove_dir_all(&dir);
    assert_connect_timeout(&report);
}

#[tokio::test(flavor = "multi_thread")]
async fn load_counts_connections_to_a_silent_csms_as_failed() {
    let addr = silent_listener().await;
    let config = fleet(
        target(addr, Duration::from_millis(300)),
        Duration::from_secs(5),
    );
    let report = tokio::time::timeout(BOUND, load::run(config))
        .await
        .expect("the load run outlasted its bound");
    assert_eq!(report.connections.attempted, 3);
    assert_eq!(report.connections.failed, 3);
    let failure = report.connections.first_failure.unwrap_or_default();
    assert!(
        failure.starts_with("no connection within 300ms"),
        "{failure}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn load_ends_with_its_duration_while_connections_hang() {
    let addr = silent_listener().await;
    // A connect timeout far beyond the run: the run's end stops the attempts.
    let config = fleet(
        target(addr, Duration::from_secs(3600)),
        Duration::from_millis(500),
    );
    let report = tokio::time::timeout(BOUND, load::run(config))
        .await
        .expect("the 0.5 s load run outlasted its bound");
    assert_eq!(report.connections.failed, 3);
    assert_eq!(report.exit_code(), 1);
}
