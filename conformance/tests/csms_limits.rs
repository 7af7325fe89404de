//! The reference CSMS's limits against hostile peers over loopback: a slowloris handshake and
//! an idle station are closed, the connection cap refuses the one too many, protocol errors
//! get their RFC 6455 Close codes, a plain HTTP request and a bad identity get HTTP answers,
//! and closed connections leave nothing behind.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ocpp_conformance::csms::{Csms, Limits};
use ocpp_conformance::transport::{connect, Socket, Target};
use ocpp_model::OcppVersion;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::Message;

/// The longest any wait of these tests lasts.
const BOUND: Duration = Duration::from_secs(10);

async fn csms(limits: Limits) -> Csms {
    Csms::start_with("127.0.0.1:0", Vec::new(), limits, None)
        .await
        .unwrap()
}

fn target(csms: &Csms) -> Target {
    Target::new(csms.url())
}

async fn station(csms: &Csms, identity: &str) -> Socket {
    connect(&target(csms), identity, OcppVersion::V16)
        .await
        .unwrap()
}

/// The host and port of the CSMS's URL.
fn address(csms: &Csms) -> String {
    let url = csms.url();
    let rest = url.trim_start_matches("ws://");
    rest[..rest.find('/').unwrap()].to_owned()
}

/// Waits until `done` holds, checking every 10 ms; panics with `what` after [`BOUND`].
async fn wait_until(done: impl Fn() -> bool, what: &str) {
    let wait = async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(BOUND, wait).await.expect(what);
}

/// Reads until the CSMS closes the connection; the Close frame's code, if it sent one.
async fn close_code(socket: &mut Socket) -> Option<CloseCode> {
    let read = async {
        while let Some(Ok(message)) = socket.next().await {
            if let Message::Close(frame) = message {
                return frame.map(|f| f.code);
            }
        }
        None
    };
    tokio::time::timeout(BOUND, read)
        .await
        .expect("the CSMS did not close the connection")
}

/// Reads what the CSMS sends on a raw socket until it closes it.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    // A reset after the answer counts as a close too.
    let _ = tokio::time::timeout(BOUND, read)
        .await
        .expect("the CSMS did not close the connection");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slowloris_handshake_is_closed_after_the_handshake_timeout() {
    let mut limits = Limits::default();
    limits.handshake_timeout = Duration::from_millis(300);
    let csms = csms(limits).await;
    let stream = TcpStream::connect(address(&csms)).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    // A header line every 50 ms: the connection is never quiet, the request never ends.
    let trickle = tokio::spawn(async move {
        writer.write_all(b"GET /ocpp/SLOW HTTP/1.1\r\n").await?;
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            writer.write_all(b"X-Slow: 1\r\n").await?;
        }
        #[allow(unreachable_code)]
        Ok::<(), std::io::Error>(())
    });
    let mut buffer = [0; 64];
    let read = tokio::time::timeout(BOUND, reader.read(&mut buffer)).await;
    trickle.abort();
    assert!(
        matches!(read, Ok(Ok(0) | Err(_))),
        "the slow handshake was not closed: {read:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_station_is_closed_after_the_idle_timeout() {
    let mut limits = Limits::default();
    limits.idle_timeout = Duration::from_millis(300);
    let csms = csms(limits).await;
    let mut socket = station(&csms, "IDLE-1").await;
    assert_eq!(close_code(&mut socket).await, Some(CloseCode::Normal));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_station_that_never_reads_is_closed_after_the_idle_timeout() {
    let mut limits = Limits::default();
    limits.idle_timeout = Duration::from_millis(300);
    let csms = csms(limits).await;
    let socket = station(&csms, "DEAF-1").await;
    // The station only writes: the CSMS's answers pile up until its sends stall.
    let (mut sink, _unread) = socket.split();
    let heartbeat = r#"[2,"1","Heartbeat",{}]"#;
    let flood = async { while sink.send(Message::text(heartbeat)).await.is_ok() {} };
    tokio::time::timeout(BOUND, flood)
        .await
        .expect("the CSMS kept the deaf station's connection");
    wait_until(
        || csms.open_connections() == 0,
        "the connection task did not end",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_connection_cap_refuses_one_too_many_until_one_closes() {
    let mut limits = Limits::default();
    limits.max_connections = 2;
    let csms = csms(limits).await;
    let first = station(&csms, "CAP-1").await;
    let _second = station(&csms, "CAP-2").await;
    let refused = connect(&target(&csms), "CAP-3", OcppVersion::V16).await;
    let error = refused.expect_err("a third connection over a cap of 2");
    assert!(error.to_string().contains("503"), "{error}");
    drop(first);
    wait_until(
        || csms.open_connections() <= 1,
        "the closed slot was not freed",
    )
    .await;
    station(&csms, "CAP-3").await;
}

/// Sends `message` as a station and returns the Close code the CSMS answers with.
async fn answer_to(message: Message) -> Option<CloseCode> {
    let csms = csms(Limits::default()).await;
    let mut socket = station(&csms, "BAD-1").await;
    socket.send(message).await.unwrap();
    close_code(&mut socket).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_binary_frame_is_closed_with_1003() {
    let code = answer_to(Message::binary(b"[2,\"1\",\"Heartbeat\",{}]".to_vec())).await;
    assert_eq!(code, Some(CloseCode::Unsupported));
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_utf8_in_a_text_frame_is_closed_with_1007() {
    let frame = Frame::message(vec![b'[', 0xff, 0xfe], OpCode::Data(Data::Text), true);
    assert_eq!(
        answer_to(Message::Frame(frame)).await,
        Some(CloseCode::Invalid)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_frame_over_4_mib_is_closed_with_1009() {
    let huge = "x".repeat(ocpp_conformance::transport::MAX_FRAME + 1);
    assert_eq!(answer_to(Message::text(huge)).await, Some(CloseCode::Size));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plain_http_request_gets_426_upgrade_required() {
    let csms = csms(Limits::default()).await;
    let mut stream = TcpStream::connect(address(&csms)).await.unwrap();
    stream
        .write_all(b"GET /ocpp/CS1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let answer = read_to_close(&mut stream).await;
    assert!(
        answer.starts_with("HTTP/1.1 426 Upgrade Required\r\n"),
        "{answer:?}"
    );
    assert!(answer.contains("Upgrade: websocket\r\n"), "{answer:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_or_unprintable_identity_gets_404() {
    let csms = csms(Limits::default()).await;
    for identity in ["", "%07", "CS%0A1"] {
        let refused = connect(&target(&csms), identity, OcppVersion::V16).await;
        let error = refused.expect_err("a refused identity").to_string();
        assert!(error.contains("404"), "{identity:?}: {error}");
    }
    assert_eq!(csms.registered_stations(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn closed_connections_leave_the_registry_and_end_their_tasks() {
    let csms = csms(Limits::default()).await;
    let mut sockets = Vec::new();
    for n in 0..20 {
        sockets.push(station(&csms, &format!("GONE-{n}")).await);
    }
    assert_eq!(csms.registered_stations(), 20);
    assert_eq!(csms.open_connections(), 20);
    for mut socket in sockets {
        socket.close(None).await.unwrap();
    }
    wait_until(
        || csms.open_connections() == 0 && csms.registered_stations() == 0,
        "closed connections stayed registered or running",
    )
    .await;
}
