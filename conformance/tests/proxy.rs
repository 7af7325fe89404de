//! The proxy between the simulated stations and the reference CSMS: every built-in case still
//! passes through it, it forwards every frame byte for byte (its capture and the CSMS's hold
//! the same frames), it checks what passes (findings on the malformed frames the negative
//! cases send, none on a clean boot), refuses stations it cannot connect on, and closes a
//! connection whose reader falls a whole queue behind. As a `wss://` listener it terminates
//! TLS (to a `ws://` or `wss://` CSMS), verifies station certificates against a client CA,
//! and drops peers that speak no TLS or nothing at all within its handshake timeout.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::SinkExt;
use ocpp_conformance::capture::CaptureFile;
use ocpp_conformance::csms::Csms;
use ocpp_conformance::proxy::{FindingsOut, Proxy, ProxyConfig};
use ocpp_conformance::report::Status;
use ocpp_conformance::runner::{run_case, RunConfig};
use ocpp_conformance::suites;
use ocpp_conformance::transport::{self, listener_tls_config, Target};
use ocpp_model::OcppVersion;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

mod common;
mod pki;

/// Findings written into memory.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl Write for Lines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Lines {
    fn values(&self) -> Vec<Value> {
        let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).expect("JSON"))
            .collect()
    }
}

/// The frames of a capture, as (identity, direction, text), in order.
fn frames(path: &std::path::Path) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(path).expect("the capture");
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a record"))
        .map(|r| {
            let field = |name: &str| r[name].as_str().unwrap_or_default().to_owned();
            (field("chargePointId"), field("direction"), field("raw"))
        })
        .collect()
}

struct Setup {
    csms: Arc<Csms>,
    proxy: Proxy,
    findings: Lines,
    dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let csms = Arc::new(Csms::start("127.0.0.1:0", Vec::new()).await.unwrap());
    csms.capture_to(CaptureFile::create(&dir.path().join("csms.jsonl")).unwrap());
    let findings = Lines::default();
    let out: FindingsOut = Arc::new(Mutex::new(Box::new(findings.clone())));
    let config = ProxyConfig::new(Target::new(csms.url()))
        .with_capture(Some(
            CaptureFile::create(&dir.path().join("proxy.jsonl")).unwrap(),
        ))
        .with_findings(Some(out));
    let proxy = Proxy::start("127.0.0.1:0", config).await.unwrap();
    Setup {
        csms,
        proxy,
        findings,
        dir,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_case_passes_through_the_proxy_and_every_frame_is_forwarded_unchanged() {
    let setup = setup().await;
    let mut config = RunConfig::reference(setup.csms.clone(), "SIM-001");
    config.target = Target::new(setup.proxy.url());
    let mut cases = 0;
    for files in [suites::V16, suites::V201, suites::V21] {
        for scenario in suites::load(files).unwrap() {
            let report = run_case(&config, &scenario).await;
            assert_eq!(report.status, Status::Pass, "{report:?}");
            cases += 1;
        }
    }
    // Let the last connections close before the captures are compared.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (csms_frames, proxy_frames) = (
        frames(&setup.dir.path().join("csms.jsonl")),
        frames(&setup.dir.path().join("proxy.jsonl")),
    );
    assert!(
        proxy_frames.len() > 2 * cases,
        "{} frames for {cases} cases",
        proxy_frames.len()
    );
    // Per connection and direction the order is the same; across connections the two
    // captures may interleave differently.
    let sorted = |mut f: Vec<(String, String, String)>| {
        f.sort();
        f
    };
    assert_eq!(sorted(csms_frames), sorted(proxy_frames));
    let rules: Vec<String> = (setup.findings.values().iter())
        .filter_map(|f| f["rule"].as_str().map(str::to_owned))
        .collect();
    assert!(rules.iter().any(|r| r.starts_with("frame-")), "{rules:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clean_boot_gives_no_findings() {
    let setup = setup().await;
    let mut config = RunConfig::reference(setup.csms.clone(), "SIM-001");
    config.target = Target::new(setup.proxy.url());
    assert_eq!(run_case(&config, &boot()).await.status, Status::Pass);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(setup.findings.values(), Vec::<Value>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_percent_encoded_identity_is_forwarded_as_sent_and_captured_decoded() {
    let setup = setup().await;
    // OCPP 2.0.1 Part 4 §3.1.1, example 2: identity "RDAM 123".
    let mut config = RunConfig::reference(setup.csms.clone(), "RDAM%20123");
    config.target = Target::new(setup.proxy.url());
    let report = run_case(&config, &boot()).await;
    assert_eq!(report.status, Status::Pass, "{report:?}");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let proxy_frames = frames(&setup.dir.path().join("proxy.jsonl"));
    assert!(!proxy_frames.is_empty());
    assert!(
        proxy_frames.iter().all(|(id, _, _)| id == "RDAM 123"),
        "{proxy_frames:?}"
    );
    assert_eq!(frames(&setup.dir.path().join("csms.jsonl")), proxy_frames);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_csms_that_cannot_be_reached_gets_the_station_a_502() {
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("ws://{}", unused.local_addr().unwrap());
    drop(unused);
    let proxy = Proxy::start("127.0.0.1:0", ProxyConfig::new(Target::new(url)))
        .await
        .unwrap();
    let error = transport::connect(&Target::new(proxy.url()), "CP-1", OcppVersion::V201)
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("502"), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_side_that_does_not_read_is_cut_off_after_its_queue() {
    // An upstream that accepts and then never reads.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let _socket = common::accept_selecting(stream, "ocpp2.0.1").await;
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
    });
    let findings = Lines::default();
    let out: FindingsOut = Arc::new(Mutex::new(Box::new(findings.clone())));
    let config = ProxyConfig::new(Target::new(url))
        .with_findings(Some(out))
        .with_queue(2);
    let proxy = Proxy::start("127.0.0.1:0", config).await.unwrap();
    let mut station = transport::connect(&Target::new(proxy.url()), "CP-1", OcppVersion::V201)
        .await
        .expect("connected");
    let big = format!(
        r#"[2,"1","DataTransfer",{{"vendorId":"V","data":"{}"}}]"#,
        "x".repeat(1 << 20)
    );
    let sending = async {
        for _ in 0..256 {
            if station.send(Message::text(big.clone())).await.is_err() {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(20), sending).await;
    let rules: Vec<Value> = findings
        .values()
        .into_iter()
        .map(|f| f["rule"].clone())
        .collect();
    assert!(
        rules.contains(&Value::from("proxy-queue-full")),
        "{rules:?}"
    );
}

/// The boot case of 2.0.1.
fn boot() -> ocpp_conformance::scenario::Scenario {
    suites::load(suites::V201)
        .unwrap()
        .into_iter()
        .find(|s| s.id == "TC_B_01_CSMS")
        .unwrap()
}

/// A reference CSMS and the TLS proxy in front of it.
struct TlsSetup {
    csms: Arc<Csms>,
    proxy: Proxy,
}

/// A reference CSMS (on `wss://` with `upstream_tls`) behind a `wss://` proxy with the
/// certificates of `pki`, which requires station certificates when `client_ca` names their CA.
async fn tls_setup(dir: &Path, pki: &pki::Pki, upstream_tls: bool, client_ca: bool) -> TlsSetup {
    let csms = match upstream_tls {
        false => Csms::start("127.0.0.1:0", Vec::new()).await.unwrap(),
        true => {
            let server = listener_tls_config(&pki.server_cert, &pki.server_key, None).unwrap();
            (Csms::start_tls("127.0.0.1:0", Vec::new(), Arc::new(server)).await).unwrap()
        }
    };
    let csms = Arc::new(csms);
    csms.capture_to(CaptureFile::create(&dir.join("csms.jsonl")).unwrap());
    let mut upstream = Target::new(csms.url());
    upstream.ca_file = Some(pki.ca.clone());
    let ca = client_ca.then_some(pki.ca.as_path());
    let tls = listener_tls_config(&pki.server_cert, &pki.server_key, ca).unwrap();
    let mut config = ProxyConfig::new(upstream)
        .with_capture(Some(CaptureFile::create(&dir.join("proxy.jsonl")).unwrap()))
        .with_tls(Some(Arc::new(tls)));
    config.handshake_timeout = Duration::from_secs(2);
    let proxy = Proxy::start("127.0.0.1:0", config).await.unwrap();
    TlsSetup { csms, proxy }
}

/// The station's side: the proxy's URL, trusting `ca`, with the client certificate of `pki`
/// when `with_cert`.
fn station(setup: &TlsSetup, ca: &Path, pki: &pki::Pki, with_cert: bool) -> RunConfig {
    let mut config = RunConfig::reference(setup.csms.clone(), "SIM-001");
    config.target = Target::new(setup.proxy.url());
    config.target.ca_file = Some(ca.to_owned());
    config.target.client_cert =
        with_cert.then(|| (pki.client_cert.clone(), pki.client_key.clone()));
    config
}

/// The proxy's certificates and another CA's, in `dir`.
fn two_pkis(dir: &Path) -> (pki::Pki, pki::Pki) {
    (
        pki::pki(&dir.join("proxy"), "SIM-001"),
        pki::pki(&dir.join("other"), "SIM-001"),
    )
}

/// The case failed because the station could not connect.
fn assert_unreachable(report: ocpp_conformance::report::CaseReport) {
    assert_eq!(report.status, Status::Fail, "{report:?}");
    assert!(report.unreachable, "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wss_station_passes_through_the_tls_proxy_to_a_ws_or_a_wss_csms() {
    for upstream_tls in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let pki = pki::pki(dir.path(), "SIM-001");
        let setup = tls_setup(dir.path(), &pki, upstream_tls, false).await;
        assert!(setup.proxy.url().starts_with("wss://"));
        let report = run_case(&station(&setup, &pki.ca, &pki, false), &boot()).await;
        assert_eq!(report.status, Status::Pass, "{report:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
        let csms_frames = frames(&dir.path().join("csms.jsonl"));
        assert!(csms_frames.len() >= 2, "{csms_frames:?}");
        assert_eq!(csms_frames, frames(&dir.path().join("proxy.jsonl")));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_station_that_does_not_trust_the_proxys_ca_cannot_connect() {
    let dir = tempfile::tempdir().unwrap();
    let (pki, other) = two_pkis(dir.path());
    let setup = tls_setup(dir.path(), &pki, false, false).await;
    assert_unreachable(run_case(&station(&setup, &other.ca, &pki, false), &boot()).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_client_ca_only_stations_with_a_certificate_it_signed_pass() {
    let dir = tempfile::tempdir().unwrap();
    let (pki, other) = two_pkis(dir.path());
    let setup = tls_setup(dir.path(), &pki, false, true).await;
    let signed = run_case(&station(&setup, &pki.ca, &pki, true), &boot()).await;
    assert_eq!(signed.status, Status::Pass, "{signed:?}");
    for (certificates, with_cert) in [(&pki, false), (&other, true)] {
        let report = run_case(&station(&setup, &pki.ca, certificates, with_cert), &boot()).await;
        assert_unreachable(report);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn peers_that_speak_no_tls_are_dropped_without_stalling_others() {
    let dir = tempfile::tempdir().unwrap();
    let pki = pki::pki(dir.path(), "SIM-001");
    let setup = tls_setup(dir.path(), &pki, false, false).await;
    let address = setup.proxy.url().replace("wss://", "");
    // Plain ws:// against the TLS listener: refused at its first bytes, long before the
    // handshake timeout.
    let started = Instant::now();
    let plain = Target::new(format!("ws://{address}"));
    let error = transport::connect(&plain, "SIM-001", OcppVersion::V201).await;
    assert!(error.is_err(), "a plain upgrade was accepted");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // A peer that opens TCP and sends nothing is held no longer than the handshake timeout
    // (2 s here), and a station connecting meanwhile passes.
    let started = Instant::now();
    let mut silent = tokio::net::TcpStream::connect(&address).await.unwrap();
    let report = run_case(&station(&setup, &pki.ca, &pki, false), &boot()).await;
    assert_eq!(report.status, Status::Pass, "{report:?}");
    let mut buffer = [0u8; 64];
    let read = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::io::AsyncReadExt::read(&mut silent, &mut buffer),
    )
    .await
    .expect("the silent peer is dropped");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    let held = started.elapsed();
    assert!(
        held >= Duration::from_millis(1900) && held < Duration::from_secs(4),
        "{held:?}"
    );
}
