//! What the reference CSMS allows a peer: time to finish the handshake, time between frames,
//! open connections, frame size; and how it says no (HTTP answers, Close codes).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio_tungstenite::tungstenite::error::ProtocolError;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Error as WsError;

use crate::transport::MAX_FRAME;

/// The resource limits of a reference CSMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// From TCP accept to an open WebSocket (TLS and upgrade included).
    pub handshake_timeout: Duration,
    /// The longest a station may send nothing (no frame, ping or pong) before it is closed.
    pub idle_timeout: Duration,
    /// The most connections open at once; more are refused as they arrive.
    pub max_connections: usize,
    /// The largest frame, and the largest message, a station may send, in bytes.
    pub max_frame: usize,
}

/// Handshake timeout of [`Limits::default`].
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Idle timeout of [`Limits::default`]: twice the Heartbeat interval the CSMS announces.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(2 * super::answers::INTERVAL.unsigned_abs());

/// Connection cap of [`Limits::default`].
pub const MAX_CONNECTIONS: usize = 50_000;

impl Default for Limits {
    fn default() -> Self {
        Self {
            handshake_timeout: HANDSHAKE_TIMEOUT,
            idle_timeout: IDLE_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
            max_frame: MAX_FRAME,
        }
    }
}

/// The number of connections open now; each holds a [`Slot`].
#[derive(Debug, Default)]
pub(super) struct Gauge(Arc<AtomicUsize>);

/// One open connection's place under the cap, given back when dropped.
pub(super) struct Slot(Arc<AtomicUsize>);

impl Gauge {
    /// A slot, unless `max` connections are open already.
    pub(super) fn acquire(&self, max: usize) -> Option<Slot> {
        self.0
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |open| {
                (open < max).then_some(open + 1)
            })
            .ok()
            .map(|_| Slot(self.0.clone()))
    }

    /// Connections open now.
    pub(super) fn open(&self) -> usize {
        self.0.load(Ordering::Acquire)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The answer to a connection over the cap (plain `ws://` only; TLS ones are just closed).
pub(super) const BUSY: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

/// The HTTP answer to a request that failed the WebSocket handshake before the CSMS saw it,
/// `None` when an answer went out already or the peer is gone. RFC 6455 §4.2.1: a request
/// that is not a valid handshake gets an error such as 400 Bad Request; §4.2.2 and §4.4: a
/// missing or other WebSocket version gets 426 Upgrade Required with the version served.
pub(super) fn refusal(error: &WsError) -> Option<&'static [u8]> {
    const BAD_REQUEST: &[u8] =
        b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    const UPGRADE_REQUIRED: &[u8] = b"HTTP/1.1 426 Upgrade Required\r\nConnection: close\r\n\
        Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n";
    match error {
        WsError::Protocol(
            ProtocolError::MissingConnectionUpgradeHeader
            | ProtocolError::MissingUpgradeWebSocketHeader
            | ProtocolError::MissingSecWebSocketVersionHeader,
        ) => Some(UPGRADE_REQUIRED),
        WsError::Protocol(_)
        | WsError::HttpFormat(_)
        | WsError::Capacity(_)
        | WsError::Utf8(_)
        | WsError::Url(_)
        | WsError::AttackAttempt => Some(BAD_REQUEST),
        // Http: the callback's own refusal went out already; the rest: the peer is gone.
        WsError::Http(_)
        | WsError::ConnectionClosed
        | WsError::AlreadyClosed
        | WsError::Io(_)
        | WsError::Tls(_)
        | WsError::WriteBufferFull(_) => None,
    }
}

/// The Close frame that answers a read error, `None` when the connection is gone anyway.
/// RFC 6455 §7.4.1: 1002 protocol error, 1007 data inconsistent with the message type
/// (invalid UTF-8 in a text message), 1009 a message too big to process.
pub(super) fn close_for(error: &WsError) -> Option<CloseFrame> {
    let (code, reason) = match error {
        WsError::Capacity(_) => (CloseCode::Size, "frame or message over 4 MiB"),
        WsError::Utf8(_) => (CloseCode::Invalid, "text frame not UTF-8"),
        WsError::Protocol(ProtocolError::ResetWithoutClosingHandshake) => return None,
        WsError::Protocol(_) | WsError::AttackAttempt => {
            (CloseCode::Protocol, "WebSocket protocol error")
        }
        WsError::ConnectionClosed
        | WsError::AlreadyClosed
        | WsError::Io(_)
        | WsError::Tls(_)
        | WsError::WriteBufferFull(_)
        | WsError::Url(_)
        | WsError::Http(_)
        | WsError::HttpFormat(_) => return None,
    };
    Some(CloseFrame {
        code,
        reason: reason.into(),
    })
}

/// The Close frame for a binary message: RFC 6455 §7.4.1 1003, data of a type the endpoint
/// cannot accept; OCPP-J messages are JSON text (OCPP-J 1.6 §4, OCPP 2.0.1 Part 4 §4).
pub(super) fn close_binary() -> CloseFrame {
    CloseFrame {
        code: CloseCode::Unsupported,
        reason: "OCPP-J uses text frames".into(),
    }
}

/// The Close frame for a station silent for `idle`.
pub(super) fn close_idle(idle: Duration) -> CloseFrame {
    CloseFrame {
        code: CloseCode::Normal,
        reason: format!("idle for {idle:?}").into(),
    }
}

/// The station identity in a request path: its last segment, percent-decoded; `None` when
/// it is empty, not UTF-8, or holds a character that is not printable (OCPP 2.0.1 Part 4
/// §3.1.1: the identity is a percent-encoded identifierString).
pub(crate) fn identity(path: &str) -> Option<String> {
    let segment = path.rsplit('/').next().unwrap_or_default();
    let decoded = percent_decode(segment)?;
    let printable = !decoded.is_empty() && !decoded.chars().any(char::is_control);
    printable.then_some(decoded)
}

/// `%XX` escapes decoded; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            let hex = tail
                .get(..2)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
            let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            bytes.push(value);
            rest = &tail[2..];
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::identity;

    #[test]
    fn identities_are_decoded_and_refused_when_empty_or_not_printable() {
        assert_eq!(identity("/ocpp/CS001").as_deref(), Some("CS001"));
        assert_eq!(identity("/ocpp/RDAM%20123").as_deref(), Some("RDAM 123"));
        for refused in [
            "/ocpp/",
            "/ocpp/%00",
            "/ocpp/A%0AB",
            "/ocpp/%FF",
            "/ocpp/%4",
        ] {
            assert_eq!(identity(refused), None, "{refused}");
        }
    }
}
