//! The `runner_frames` target: frames a CSMS sends, through the runner's whole reading of
//! them (WebSocket, validation, correlation, deviations) over loopback.

use std::cell::OnceCell;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::Message;

use crate::report::Status;
use crate::runner::{run_case, RunConfig, MAX_DEVIATIONS};
use crate::scenario::Scenario;
use crate::transport::Target;

/// A runtime, a loopback listener on it, and one case per version, made once per thread.
struct Fixture {
    runtime: Runtime,
    listener: TcpListener,
    cases: [Scenario; 2],
}

thread_local! {
    static FIXTURE: OnceCell<Fixture> = const { OnceCell::new() };
}

/// A case of one Heartbeat CALL in `version`.
fn case(version: &str) -> Scenario {
    let text = format!(
        "format = 1\nid = \"FUZZ\"\nname = \"fuzz\"\nversion = \"{version}\"\n\
         [[step]]\nkind = \"call\"\naction = \"Heartbeat\"\nexpect.timeout_ms = 2000\n"
    );
    Scenario::parse("fuzz.toml", &text).expect("the fuzz case parses")
}

fn fixture() -> Fixture {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback listener");
    Fixture {
        runtime,
        listener,
        cases: [case("1.6"), case("2.0.1")],
    }
}

/// A selector byte (even: OCPP 1.6, odd: 2.0.1), then frames separated by newlines, each
/// sent as a text frame (its bytes as they are, UTF-8 or not) or, after a leading 0x01, as a
/// binary frame, once the runner's CALL (id `cs-1`) arrived; then the connection closes.
/// The case must end (the runner sees the close) without panicking, failed whenever it
/// lists a deviation, with at most [`MAX_DEVIATIONS`] and one note beyond, each with a rule.
pub fn runner_frames(data: &[u8]) {
    let Some((&selector, frames)) = data.split_first() else {
        return;
    };
    FIXTURE.with(|cell| {
        let fixture = cell.get_or_init(fixture);
        let scenario = &fixture.cases[usize::from(selector % 2)];
        let protocol = if selector % 2 == 0 {
            "ocpp1.6"
        } else {
            "ocpp2.0.1"
        };
        let Ok(address) = fixture.listener.local_addr() else {
            return;
        };
        let config = RunConfig {
            target: Target {
                url: format!("ws://{address}/ocpp"),
                ..Target::default()
            },
            identity: "FUZZ-1".to_owned(),
            ..RunConfig::default()
        };
        let report = fixture.runtime.block_on(async {
            let csms = play(&fixture.listener, protocol, frames);
            let (report, ()) = tokio::join!(run_case(&config, scenario), csms);
            report
        });
        assert!(report.deviations.len() <= MAX_DEVIATIONS + 1);
        assert!(report.deviations.iter().all(|d| !d.rule.is_empty()));
        if !report.deviations.is_empty() {
            assert_eq!(report.status, Status::Fail, "{report:?}");
        }
    });
}

/// Accepts the runner, waits for its CALL, sends `frames` and closes.
async fn play(listener: &TcpListener, protocol: &'static str, frames: &[u8]) {
    let Ok((stream, _)) = listener.accept().await else {
        return;
    };
    #[allow(clippy::result_large_err)]
    let callback = |_: &Request, mut response: Response| {
        let value = HeaderValue::from_static(protocol);
        response
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", value);
        Ok(response)
    };
    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await else {
        return;
    };
    if !matches!(ws.next().await, Some(Ok(Message::Text(_)))) {
        return;
    }
    for piece in frames.split(|&b| b == b'\n') {
        let message = match piece.split_first() {
            Some((1, binary)) => Message::binary(binary.to_vec()),
            _ => Message::Frame(Frame::message(
                piece.to_vec(),
                OpCode::Data(Data::Text),
                true,
            )),
        };
        if ws.feed(message).await.is_err() {
            return;
        }
    }
    let _ = ws.flush().await;
}
