//! A CSMS that sends CALLs without pause: the step still ends at its deadline, and the
//! station keeps a bounded number of those CALLs (queued and open in its session).

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

use super::*;

/// Accepts one station and sends it Heartbeat CALLs until the connection breaks, reading
/// (and dropping) whatever the station sends meanwhile.
async fn flooding_csms(listener: TcpListener) {
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
    for n in 0u64.. {
        let call = json!([2, format!("flood-{n}"), "Heartbeat", {}]).to_string();
        if sink.send(Message::text(call)).await.is_err() {
            break;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_flood_neither_outlasts_the_step_nor_grows_the_station_state() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("ws://{}/ocpp", listener.local_addr().expect("address"));
    let server = tokio::spawn(flooding_csms(listener));
    let config = RunConfig {
        target: Target {
            url,
            ..Target::default()
        },
        identity: "SIM-001".to_owned(),
        ..RunConfig::default()
    };
    let mut station = Station::open(&config, "SIM-001", OcppVersion::V16)
        .await
        .expect("connect");
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
    assert_eq!(stop.rule, "no-answer");
    assert!(
        station.records > MAX_QUEUED_CALLS * 2,
        "{} frames",
        station.records
    );
    assert_eq!(station.calls.len(), MAX_QUEUED_CALLS);
    // The queued CALLs, and at most the one overflow CALL whose answer was cut short.
    let open = station.session.open_calls();
    assert!(open <= MAX_QUEUED_CALLS + 2, "{open} calls open");
    server.abort();
}
