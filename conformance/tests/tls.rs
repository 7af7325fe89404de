//! `wss://` with a custom CA and a client certificate (security profile 3), against the
//! reference CSMS over loopback; certificates are generated for each run.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ocpp_conformance::csms::Csms;
use ocpp_conformance::report::Status;
use ocpp_conformance::runner::{run_case, RunConfig};
use ocpp_conformance::suites;
use ocpp_conformance::transport::Target;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;

/// A CA, a server certificate for 127.0.0.1 and a client certificate, all PEM files in `dir`.
struct Pki {
    ca: PathBuf,
    client_cert: PathBuf,
    client_key: PathBuf,
    server: Arc<rustls::ServerConfig>,
}

fn pki(dir: &Path) -> Pki {
    std::fs::create_dir_all(dir).unwrap();
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&server_key, &issuer)
        .unwrap();
    let client_key = KeyPair::generate().unwrap();
    let client_cert = CertificateParams::new(vec!["SIM-001".to_owned()])
        .unwrap()
        .signed_by(&client_key, &issuer)
        .unwrap();
    let write = |name: &str, text: String| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca_cert.der().clone()).unwrap();
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .unwrap();
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![CertificateDer::from(server_cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        )
        .unwrap();
    Pki {
        ca: write("ca.pem", ca_cert.pem()),
        client_cert: write("client.pem", client_cert.pem()),
        client_key: write("client-key.pem", client_key.serialize_pem()),
        server: Arc::new(server),
    }
}

async fn boot_over_tls(with_client_cert: bool) -> ocpp_conformance::report::CaseReport {
    let dir = std::env::temp_dir().join(format!(
        "ocpp-conformance-tls-{}-{with_client_cert}",
        std::process::id()
    ));
    let pki = pki(&dir);
    let csms = Csms::start_tls("127.0.0.1:0", Vec::new(), pki.server.clone())
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
