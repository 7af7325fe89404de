//! Why a load station's connection ended before the run did.

use serde::Serialize;
use tokio_tungstenite::tungstenite::error::ProtocolError;
use tokio_tungstenite::tungstenite::Error as WsError;

/// The kind of end of a dropped connection, as counted in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DropReason {
    /// The CSMS closed the connection (a Close frame, or TCP closed without one).
    ClosedByPeer,
    /// The CSMS sent a frame or message over the 4 MiB limit.
    FrameTooLarge,
    /// The CSMS broke the WebSocket protocol (bad framing, invalid UTF-8 in a text frame).
    ProtocolError,
    /// The socket failed (reset, broken pipe).
    IoError,
    /// The TLS layer failed.
    TlsError,
}

impl DropReason {
    /// The reason's name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Self::ClosedByPeer => "closed-by-peer",
            Self::FrameTooLarge => "frame-too-large",
            Self::ProtocolError => "protocol-error",
            Self::IoError => "io-error",
            Self::TlsError => "tls-error",
        }
    }

    /// The reason a WebSocket error ends a connection for.
    pub(super) fn of(error: &WsError) -> Self {
        match error {
            WsError::ConnectionClosed
            | WsError::AlreadyClosed
            | WsError::Protocol(ProtocolError::ResetWithoutClosingHandshake) => Self::ClosedByPeer,
            WsError::Capacity(_) => Self::FrameTooLarge,
            WsError::Protocol(_)
            | WsError::Utf8(_)
            | WsError::AttackAttempt
            | WsError::Url(_)
            | WsError::Http(_)
            | WsError::HttpFormat(_) => Self::ProtocolError,
            WsError::Io(_) | WsError::WriteBufferFull(_) => Self::IoError,
            WsError::Tls(_) => Self::TlsError,
        }
    }
}
