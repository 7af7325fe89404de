//! Handshake grading (OCPP-J 1.6 §3.2, OCPP 2.0.1 Part 4 §3.2): a 1.6-only CSMS that refuses
//! a 2.0.1 station by completing the handshake without a subprotocol makes the 2.0.1 cases
//! skip; one that refuses with an HTTP error deviates; its 1.6 cases pass either way.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ocpp_conformance::report::{CaseReport, Status};
use ocpp_conformance::runner::{run_case, RunConfig};
use ocpp_conformance::suites;
use ocpp_conformance::transport::Target;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};
use tokio_tungstenite::tungstenite::Message;

/// How a 1.6-only CSMS turns away a station that offers only ocpp2.0.1.
#[derive(Clone, Copy)]
enum Refusal {
    /// Completes the handshake without a subprotocol, then closes (the prescribed way).
    Prescribed,
    /// Answers the upgrade with HTTP 400.
    Http400,
}

/// A CSMS serving OCPP 1.6 only (BootNotification Accepted), refusing other versions so.
async fn csms_16_only(refusal: Refusal) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/ocpp", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut speaks_16 = false;
                #[allow(clippy::result_large_err)]
                let callback = |request: &Request, mut response: Response| {
                    let offered = request
                        .headers()
                        .get("Sec-WebSocket-Protocol")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    speaks_16 = offered.split(',').any(|p| p.trim() == "ocpp1.6");
                    if speaks_16 {
                        let value = HeaderValue::from_static("ocpp1.6");
                        response
                            .headers_mut()
                            .insert("Sec-WebSocket-Protocol", value);
                        return Ok(response);
                    }
                    match refusal {
                        Refusal::Prescribed => Ok(response),
                        Refusal::Http400 => {
                            let mut refused = ErrorResponse::new(Some("ocpp1.6 only".into()));
                            *refused.status_mut() = StatusCode::BAD_REQUEST;
                            Err(refused)
                        }
                    }
                };
                let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await else {
                    return;
                };
                if !speaks_16 {
                    let _ = ws.close(None).await;
                    return;
                }
                while let Some(Ok(Message::Text(text))) = ws.next().await {
                    let frame: Value = serde_json::from_str(text.as_str()).unwrap_or_default();
                    let answer = match frame[2].as_str() {
                        Some("BootNotification") => json!({"status": "Accepted",
                            "currentTime": "2026-01-01T00:00:00Z", "interval": 300}),
                        Some("Heartbeat") => json!({"currentTime": "2026-01-01T00:00:00Z"}),
                        _ => json!({}),
                    };
                    let reply = json!([3, frame[1], answer]).to_string();
                    if ws.send(Message::text(reply)).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

async fn cold_boot(url: String, files: &[(&str, &str)], id: &str) -> CaseReport {
    let scenario = suites::load(files)
        .unwrap()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap();
    let config = RunConfig::new(Target::new(url), "SIM-001");
    tokio::time::timeout(Duration::from_secs(20), run_case(&config, &scenario))
        .await
        .expect("the case ran past 20 s")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_prescribed_refusal_skips_the_other_versions_cases() {
    let url = csms_16_only(Refusal::Prescribed).await;
    let refused = cold_boot(url.clone(), suites::V201, "TC_B_01_CSMS").await;
    assert_eq!(refused.status, Status::Skip, "{refused:?}");
    let reason = refused.reason.as_deref().unwrap_or_default();
    assert!(reason.contains("does not offer ocpp2.0.1"), "{reason}");
    assert!(!refused.unreachable);
    let served = cold_boot(url, suites::V16, "1.6-TC_B_01_CSMS").await;
    assert_eq!(served.status, Status::Pass, "{served:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_http_refusal_of_the_version_is_a_deviation() {
    let url = csms_16_only(Refusal::Http400).await;
    let refused = cold_boot(url.clone(), suites::V201, "TC_B_01_CSMS").await;
    assert_eq!(refused.status, Status::Fail, "{refused:?}");
    let rules: Vec<&str> = refused.deviations.iter().map(|d| d.rule.as_str()).collect();
    assert_eq!(rules, ["handshake-refused"], "{refused:?}");
    assert!(refused.deviations[0].message.contains("HTTP 400"));
    assert!(!refused.unreachable);
    let served = cold_boot(url, suites::V16, "1.6-TC_B_01_CSMS").await;
    assert_eq!(served.status, Status::Pass, "{served:?}");
}

/// The reference CSMS refuses a version it does not serve the prescribed way: a completed
/// handshake without a subprotocol (not an HTTP error).
#[tokio::test(flavor = "multi_thread")]
async fn the_reference_csms_refuses_an_unknown_version_without_an_http_error() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::error::{Error, ProtocolError, SubProtocolError};
    let csms = ocpp_conformance::csms::Csms::start("127.0.0.1:0", Vec::new())
        .await
        .unwrap();
    let mut request = format!("{}/SIM-001", csms.url())
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("ocpp0.9"),
    );
    let opened = tokio::time::timeout(
        Duration::from_secs(10),
        tokio_tungstenite::connect_async(request),
    )
    .await
    .expect("no handshake answer within 10 s");
    assert!(
        matches!(
            opened,
            Err(Error::Protocol(
                ProtocolError::SecWebSocketSubProtocolError(SubProtocolError::NoSubProtocol)
            ))
        ),
        "{opened:?}"
    );
}

/// The reference CSMS takes the first version the station offers that it speaks: the
/// station lists them in order of preference (OCPP 2.1 Part 4 §3.1.2).
#[tokio::test(flavor = "multi_thread")]
async fn the_reference_csms_takes_the_stations_first_choice() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let csms = ocpp_conformance::csms::Csms::start("127.0.0.1:0", Vec::new())
        .await
        .unwrap();
    for (offered, agreed) in [
        ("ocpp2.1, ocpp2.0.1, ocpp1.6", "ocpp2.1"),
        ("ocpp1.6, ocpp2.1", "ocpp1.6"),
        ("ocpp0.9, ocpp2.0.1, ocpp2.1", "ocpp2.0.1"),
    ] {
        let mut request = format!("{}/SIM-001", csms.url())
            .into_client_request()
            .unwrap();
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", HeaderValue::from_static(offered));
        let (_ws, response) = tokio::time::timeout(
            Duration::from_secs(10),
            tokio_tungstenite::connect_async(request),
        )
        .await
        .expect("no handshake answer within 10 s")
        .unwrap();
        let chosen = response.headers().get("Sec-WebSocket-Protocol");
        assert_eq!(
            chosen.and_then(|v| v.to_str().ok()),
            Some(agreed),
            "{offered}"
        );
    }
}
