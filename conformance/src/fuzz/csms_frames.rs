//! The `csms_frames` target: bytes a station sends after a valid upgrade, through the
//! reference CSMS's whole connection handling over an in-memory stream.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::runtime::Runtime;
use tokio::time::Instant;

use crate::csms::{serve, Limits, Shared};
use crate::deadline::after;

thread_local! {
    static RUNTIME: Runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
}

/// Room in each direction of the in-memory connection.
const PIPE: usize = 1 << 20;

/// Close codes the CSMS may send of its own (RFC 6455 §7.4.1): normal, protocol error,
/// unsupported data, invalid payload data, message too big.
const CLOSE_CODES: [u16; 5] = [1000, 1002, 1003, 1007, 1009];

/// Whether `code` may be the echo of a station's own Close (RFC 6455 §5.5.1): a code an
/// endpoint may send (§7.4.1–7.4.2; tungstenite answers any other with 1002).
fn echoable(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999)
}

/// A selector byte (even: OCPP 1.6, odd: 2.0.1), then raw WebSocket bytes from the station
/// (masked frames, or anything). The CSMS must end when the input does, without panicking;
/// what it sends back is the 101 answer and whole unmasked frames: text frames that are
/// CALLRESULTs or CALLERRORs, pongs, and Close frames with a code from [`CLOSE_CODES`] or
/// the echo of the station's own Close.
pub fn csms_frames(data: &[u8]) {
    let Some((&selector, frames)) = data.split_first() else {
        return;
    };
    let protocol = if selector % 2 == 0 {
        "ocpp1.6"
    } else {
        "ocpp2.0.1"
    };
    let request = format!(
        "GET /ocpp/FUZZ-1 HTTP/1.1\r\nHost: fuzz\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {protocol}\r\n\r\n"
    );
    let shared = Shared::new(Vec::new(), Limits::default());
    let output = RUNTIME.with(|runtime| {
        runtime.block_on(async {
            let (station, csms) = tokio::io::duplex(PIPE);
            let (mut from_csms, mut to_csms) = tokio::io::split(station);
            let deadline = after(Instant::now(), Duration::from_secs(3600));
            let mut output = Vec::new();
            // RFC 6455 §4.1: the station sends nothing more before the CSMS's answer.
            let talk = async {
                let _ = to_csms.write_all(request.as_bytes()).await;
                let mut chunk = [0; 1024];
                while !output.windows(4).any(|w| w == b"\r\n\r\n") {
                    match from_csms.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => output.extend_from_slice(&chunk[..n]),
                    }
                }
                let _ = to_csms.write_all(frames).await;
                let _ = to_csms.shutdown().await;
                let _ = from_csms.read_to_end(&mut output).await;
            };
            tokio::join!(serve(csms, &shared, deadline), talk);
            output
        })
    });
    let head_end = output
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP answer");
    assert!(
        output.starts_with(b"HTTP/1.1 101 "),
        "{:?}",
        String::from_utf8_lossy(&output[..head_end])
    );
    let mut rest = &output[head_end + 4..];
    while !rest.is_empty() {
        let (opcode, payload, tail) = server_frame(rest);
        match opcode {
            0x1 => {
                let text = std::str::from_utf8(payload).expect("a UTF-8 text frame");
                let frame: Value = serde_json::from_str(text).expect("a JSON text frame");
                let kind = frame.get(0).and_then(Value::as_u64);
                assert!(matches!(kind, Some(3 | 4)), "{text}");
                assert!(frame.get(1).is_some_and(Value::is_string), "{text}");
            }
            0x8 => {
                let code = payload.get(..2).map(|c| u16::from_be_bytes([c[0], c[1]]));
                let allowed = |c: u16| CLOSE_CODES.contains(&c) || echoable(c);
                assert!(code.is_none_or(allowed), "{code:?}");
            }
            0xA => {}
            other => panic!("the CSMS sent a frame with opcode {other:#x}"),
        }
        rest = tail;
    }
}

/// One whole, unmasked frame from the server: opcode, payload and the bytes after it.
fn server_frame(bytes: &[u8]) -> (u8, &[u8], &[u8]) {
    let (first, second) = (bytes[0], bytes[1]);
    assert_eq!(second & 0x80, 0, "a masked frame from the server");
    let (length, header) = match second & 0x7f {
        126 => (usize::from(u16::from_be_bytes([bytes[2], bytes[3]])), 4),
        127 => {
            let mut wide = [0; 8];
            wide.copy_from_slice(&bytes[2..10]);
            (
                usize::try_from(u64::from_be_bytes(wide)).expect("a length"),
                10,
            )
        }
        short => (usize::from(short), 2),
    };
    let (payload, tail) = bytes[header..].split_at(length);
    (first & 0x0f, payload, tail)
}
