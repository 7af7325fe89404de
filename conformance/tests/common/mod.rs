//! What the small test CSMSs of the integration tests share.

use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::WebSocketStream;

/// Completes the WebSocket upgrade of `stream`, selecting `protocol` whatever was offered.
pub(crate) async fn accept_selecting(
    stream: TcpStream,
    protocol: &'static str,
) -> Option<WebSocketStream<TcpStream>> {
    #[allow(clippy::result_large_err)]
    let callback = |_: &Request, mut response: Response| {
        let value = HeaderValue::from_static(protocol);
        response
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", value);
        Ok(response)
    };
    tokio_tungstenite::accept_hdr_async(stream, callback)
        .await
        .ok()
}
