//! `wss://` with a custom CA and a client certificate (security profile 3), against the
//! reference CSMS over loopback; certificates are generated for each run.

use std::sync::Arc;

use ocpp_conformance::csms::Csms;
use ocpp_conformance::report::Status;
use ocpp_conformance::runner::{run_case, RunConfig};
use ocpp_conformance::suites;
use ocpp_conformance::transport::{listener_tls_config, Target};

mod pki;

async fn boot_over_tls(with_client_cert: bool) -> ocpp_conformance::report::CaseReport {
    let dir = std::env::temp_dir().join(format!(
        "ocpp-conformance-tls-{}-{with_client_cert}",
        std::process::id()
    ));
    let pki = pki::pki(&dir, "SIM-001");
    let server = listener_tls_config(&pki.server_cert, &pki.server_key, Some(&pki.ca)).unwrap();
    let csms = Csms::start_tls("127.0.0.1:0", Vec::new(), Arc::new(server))
        .await
        .unwrap();
    let mut target = Target::new(csms.url());
    target.ca_file = Some(pki.ca.clone());
    target.client_cert =
        with_client_cert.then(|| (pki.client_cert.clone(), pki.client_key.clone()));
    let config = RunConfig::new(target, "SIM-001");
    let scenario = suites::load(suites::V201)
        .unwrap()
        .into_iter()
        .find(|s| s.id == "TC_B_01_CSMS")
        .unwrap();
    let report = run_case(&config, &scenario).await;
    let _ = std::fs::remove_dir_all(&dir);
    report
}

#[tokio::test(flavor = "multi_thread")]
async fn wss_with_a_client_certificate_passes() {
    let report = boot_over_tls(true).await;
    assert_eq!(report.status, Status::Pass, "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn wss_without_the_client_certificate_profile_3_requires_fails_to_connect() {
    let report = boot_over_tls(false).await;
    assert_eq!(report.status, Status::Fail, "{report:?}");
    assert!(report.unreachable, "{report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ca_file_without_a_certificate_is_named() {
    let dir =
        std::env::temp_dir().join(format!("ocpp-conformance-tls-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("empty.pem");
    std::fs::write(&ca, "not a certificate\n").unwrap();
    let mut target = Target::new("wss://127.0.0.1:1/ocpp");
    target.ca_file = Some(ca.clone());
    let error = target.check_tls_files().unwrap_err().to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        error,
        format!("TLS setup: no certificate found in {}", ca.display())
    );
}
