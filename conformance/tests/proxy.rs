//! The proxy between the simulated stations and the reference CSMS: every built-in case still
//! passes through it, it forwards every frame byte for byte (its capture and the CSMS's hold
//! the same frames), it checks what passes (findings on the malformed frames the negative
//! cases send, none on a clean boot), refuses stations it cannot connect on, and closes a
//! connection whose reader falls a whole queue behind.

use std::io::Write;
use std::sync::{Arc, Mutex};

use futures_util::SinkExt;
use ocpp_conformance::capture::CaptureFile;
use ocpp_conformance::csms::Csms;
use ocpp_conformance::proxy::{FindingsOut, Proxy, ProxyConfig};
use ocpp_conformance::report::Status;
use ocpp_conformance::runner::{run_case, RunConfig};
use ocpp_conformance::suites;
use ocpp_conformance::transport::{self, Target};
use ocpp_model::OcppVersion;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

mod common;

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
    let boot = suites::load(suites::V201)
        .unwrap()
        .into_iter()
        .find(|s| s.id == "TC_B_01_CSMS")
        .unwrap();
    assert_eq!(run_case(&config, &boot).await.status, Status::Pass);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(setup.findings.values(), Vec::<Value>::new());
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
