//! A CSMS that sends CALLs without pause: the step still ends at its deadline, and the
//! station keeps a bounded number of those CALLs (queued and open in its session).

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

use std::collections::BTreeMap;
use std::time::Duration;

use super::*;
use crate::scenario::{Expect, Step};
use crate::transport::Target;

/// Accepts one station and sends it `calls` (action and payload) as fast as it can, reading
/// (and dropping) whatever the station sends meanwhile; then keeps the connection open.
async fn calling_csms(listener: TcpListener, calls: impl Iterator<Item = (&'static str, Value)>) {
    let (stream, _) = listener.accept().await.expect("accept");
    #[allow(clippy::result_large_err)]
    let callback = |_: &Request, mut response: Response| {
        let protocol = HeaderValue::from_static("ocpp1.6");
        response
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", protocol);
        Ok(response)
    };
    let ws = tokio_tungstenite::accept_hdr_async(stream, callback)
        .await
        .expect("upgrade");
    let (mut sink, mut source) = ws.split();
    tokio::spawn(async move { while let Some(Ok(_)) = source.next().await {} });
    for (n, (action, payload)) in calls.enumerate() {
        let call = json!([2, format!("csms-{n}"), action, payload]).to_string();
        if sink.send(Message::text(call)).await.is_err() {
            return;
        }
    }
    std::future::pending::<()>().await;
}

/// A station, and its configuration, connected to a CSMS that sends `calls`.
async fn station_under(
    calls: impl Iterator<Item = (&'static str, Value)> + Send + 'static,
) -> (Station, RunConfig) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("ws://{}/ocpp", listener.local_addr().expect("address"));
    tokio::spawn(calling_csms(listener, calls));
    let config = RunConfig {
        target: Target {
            url,
            ..Target::default()
        },
        identity: "SIM-001".to_owned(),
        ..RunConfig::default()
    };
    let station = Station::open(&config, "SIM-001", OcppVersion::V16)
        .await
        .expect("connect");
    (station, config)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_flood_neither_outlasts_the_step_nor_grows_the_station_state() {
    let heartbeats = std::iter::repeat_with(|| ("Heartbeat", json!({})));
    let (mut station, config) = station_under(heartbeats).await;
    let step = Step::Call {
        action: "Heartbeat".to_owned(),
        payload: json!({}),
        expect: Expect {
            timeout_ms: 1_000,
            ..Expect::default()
        },
    };
    let bound = Duration::from_secs(15);
    let outcome = tokio::time::timeout(bound, station.run(&config, &step))
        .await
        .expect("the 1 s step ran on past 15 s under the flood");
    let stop = outcome.expect_err("the flood never answers the CALL");
    assert_eq!(stop.kind, StopKind::NoAnswer);
    assert!(
        station.records > MAX_QUEUED_CALLS * 2,
        "{} frames",
        station.records
    );
    assert_eq!(station.calls.len(), MAX_QUEUED_CALLS);
    // The queued CALLs, and at most the one overflow CALL whose answer was cut short.
    let open = station.session.open_calls();
    assert!(open <= MAX_QUEUED_CALLS + 2, "{open} calls open");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expected_call_behind_a_full_queue_is_still_taken() {
    let heartbeats = std::iter::repeat_with(|| ("Heartbeat", json!({})));
    let reset = std::iter::once(("Reset", json!({"type": "Hard"})));
    let calls = heartbeats.take(MAX_QUEUED_CALLS + 50).chain(reset);
    let (mut station, config) = station_under(calls).await;
    let step = Step::ExpectCall {
        action: "Reset".to_owned(),
        matchers: BTreeMap::new(),
        capture: BTreeMap::new(),
        timeout_ms: 5_000,
        respond: json!({"status": "Accepted"}),
        respond_error: None,
        result_error: None,
    };
    let outcome = tokio::time::timeout(Duration::from_secs(15), station.run(&config, &step))
        .await
        .expect("the 5 s step ran on past 15 s");
    assert!(outcome.is_ok(), "the Reset was not taken");
    assert_eq!(station.calls.len(), MAX_QUEUED_CALLS);
}
