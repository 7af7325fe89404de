//! Step kinds and connection options not covered by the built-in suites: `wait`,
//! `reconnect`, captures, `respond_error`, HTTP Basic credentials, and bad scenario files.

use std::sync::Arc;

use assert_cmd::Command;
use ocpp_conformance::csms::Csms;
use ocpp_conformance::report::{CaseReport, Status};
use ocpp_conformance::runner::{run_case, RunConfig};
use ocpp_conformance::scenario::Scenario;
use ocpp_conformance::transport::Target;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BOOT: &str = r#"
[[step]]
kind = "call"
action = "BootNotification"
payload = { chargePointVendor = "ocpp-rs", chargePointModel = "SimStation" }
expect.capture = { interval = "/interval" }
"#;

async fn run(text: &str) -> CaseReport {
    let csms = Arc::new(Csms::start("127.0.0.1:0", Vec::new()).await.unwrap());
    let config = RunConfig::reference(csms, "SIM-001");
    let text = format!("format = 1\nid = \"T\"\nname = \"t\"\nversion = \"1.6\"\n{text}");
    run_case(&config, &Scenario::parse("t.toml", &text).unwrap()).await
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_reconnect_and_a_captured_value_reused() {
    let steps = format!(
        "{BOOT}\n[[step]]\nkind = \"wait\"\nms = 20\n\n[[step]]\nkind = \"reconnect\"\n{BOOT}\n\
         [[step]]\nkind = \"call\"\naction = \"DataTransfer\"\n\
         payload = {{ vendorId = \"org.ocpp-rs\", data = \"interval=${{interval}}\" }}\n\
         expect.match.\"/status\" = {{ eq = \"Accepted\" }}\n\
         expect.match.\"/data\" = {{ eq = \"interval=300\" }}\n"
    );
    let report = run(&steps).await;
    assert_eq!(report.status, Status::Pass, "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_matcher_is_a_deviation_of_its_step() {
    let steps = format!("{BOOT}\n[[step]]\nkind = \"call\"\naction = \"Heartbeat\"\nexpect.match.\"/currentTime\" = {{ absent = true }}\n");
    let report = run(&steps).await;
    assert_eq!(report.status, Status::Fail);
    assert_eq!(report.deviations.len(), 1, "{report:?}");
    assert_eq!(
        (
            report.deviations[0].rule.as_str(),
            report.deviations[0].step
        ),
        ("match", 2)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expected_call_can_be_answered_with_a_callerror() {
    let steps = format!(
        "{BOOT}\n[[step]]\nkind = \"trigger\"\naction = \"Reset\"\npayload = {{ type = \"Hard\" }}\n\n\
         [[step]]\nkind = \"expect_call\"\naction = \"Reset\"\nmatch.\"/type\" = {{ eq = \"Hard\" }}\n\
         respond_error = \"NotSupported\"\n"
    );
    let report = run(&steps).await;
    assert_eq!(report.status, Status::Pass, "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn basic_credentials_and_the_subprotocol_are_sent_in_the_upgrade_request() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = vec![0; 4096];
        let n = stream.read(&mut request).await.unwrap();
        stream
            .write_all(b"HTTP/1.1 401 Unauthorized\r\n\r\n")
            .await
            .unwrap();
        String::from_utf8_lossy(&request[..n]).into_owned()
    });
    let mut target = Target::new(format!("ws://127.0.0.1:{port}/ocpp"));
    target.basic = Some(("SIM-001".to_owned(), "secret".to_owned()));
    let connected =
        ocpp_conformance::transport::connect(&target, "SIM-001", ocpp_model::OcppVersion::V16)
            .await;
    assert!(connected.is_err());
    let request = server.await.unwrap().to_ascii_lowercase();
    assert!(
        request.starts_with("get /ocpp/sim-001 http/1.1"),
        "{request}"
    );
    // base64("SIM-001:secret")
    assert!(
        request.contains("authorization: basic u0lnltawmtpzzwnyzxq="),
        "{request}"
    );
    assert!(
        request.contains("sec-websocket-protocol: ocpp1.6"),
        "{request}"
    );
}

#[test]
fn a_bad_scenario_file_is_a_usage_error_naming_its_line() {
    let dir = std::env::temp_dir().join(format!("ocpp-conformance-steps-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(
        &path,
        "format = 1\nid = \"X\"\nname = \"x\"\nversion = \"3.0\"\nstep = []\n",
    )
    .unwrap();
    let output = Command::cargo_bin("ocpp-conformance")
        .unwrap()
        .arg("run")
        .arg("--scenario")
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 4"), "{stderr}");
}
