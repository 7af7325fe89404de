//! `ocpp-conformance proxy`: a WebSocket man in the middle between charging stations and a
//! CSMS, for capturing what the two say without touching either.
//!
//! The proxy listens on `ws://`, or on `wss://` when [`ProxyConfig::tls`] is set: TLS is then
//! terminated here, and with a client CA the stations' certificates are required and verified
//! here (security profile 3). A station's own certificate cannot be shown to the CSMS through a
//! terminated connection; the upstream connection presents the [`Target`]'s client
//! certificate, when it has one, for every station.
//!
//! Each station that connects is connected on to the upstream CSMS under the same identity
//! (the last segment of its path, forwarded as the station percent-encoded it), offering the subprotocols the station offered and passing
//! its `Authorization` header on (the upstream [`Target`]'s Basic credentials stand in when the
//! station sends none); the station's upgrade is then answered with the subprotocol
//! the CSMS chose (or with the CSMS's refusal status, or 502 when the CSMS cannot be reached).
//! From then on every text and binary frame is forwarded unchanged, byte for byte, the moment
//! it is read; text frames are also written to the capture (Open OCPP Trace 1.1) and checked
//! by `ocpp-validate`'s [`Correlator`] of the connection, its findings written as JSON Lines.
//! Pings are answered hop by hop and not forwarded.
//!
//! A side that reads slower than the other writes gets a queue of [`ProxyConfig::queue`]
//! frames; when it is full the connection is closed on both sides and reported, so a slow
//! side never holds more than that queue in memory. Every wait has a timeout: the station's
//! TLS handshake and upgrade request together, the upstream connection, and the writes of a
//! closing connection.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use base64::Engine as _;
use futures_util::{SinkExt, StreamExt};
use ocpp_model::OcppVersion;
use ocpp_validate::{Correlator, Position, Sender};
use serde_json::json;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::{timeout_at, Instant};
use tokio_rustls::TlsAcceptor;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::Connector;

use crate::capture::CaptureFile;
use crate::csms::accept_tls;
use crate::transport::{self, Target, MAX_FRAME};

/// The longest upgrade request read from a station.
const MAX_REQUEST_HEAD: usize = 16 * 1024;
/// The most calls a connection's correlator keeps open before reporting the oldest.
const MAX_OPEN_CALLS: usize = 1024;
/// The read buffer a connection's side starts with.
const READ_BUFFER: usize = 4096;
/// How long a closing connection may take to send what is queued.
const CLOSING: Duration = Duration::from_secs(5);

/// Where findings go: JSON Lines, one object per finding.
pub type FindingsOut = Arc<Mutex<Box<dyn Write + Send>>>;

/// How the proxy runs.
#[non_exhaustive]
pub struct ProxyConfig {
    /// The CSMS stations are connected on to (its URL, TLS files and connect timeout).
    pub upstream: Target,
    /// Where every text frame is written, when anywhere.
    pub capture: Option<CaptureFile>,
    /// Where findings go, when anywhere.
    pub findings: Option<FindingsOut>,
    /// Frames queued per direction for a side that reads slower than the other writes.
    pub queue: usize,
    /// Time for a station's TLS handshake (on a `wss://` listener) and upgrade request
    /// together.
    pub handshake_timeout: Duration,
    /// The TLS settings of a `wss://` listener (see [`transport::listener_tls_config`]);
    /// `None` listens on plain `ws://`.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl ProxyConfig {
    /// Proxying to `upstream`, capturing and checking nothing, 1,024 frames queued per
    /// direction, 10 s for a station's upgrade request.
    pub fn new(upstream: Target) -> Self {
        Self {
            upstream,
            capture: None,
            findings: None,
            queue: 1024,
            handshake_timeout: Duration::from_secs(10),
            tls: None,
        }
    }

    /// The same, listening on `wss://` with `tls` when given.
    pub fn with_tls(self, tls: Option<Arc<rustls::ServerConfig>>) -> Self {
        Self { tls, ..self }
    }

    /// The same, capturing to `capture`.
    pub fn with_capture(self, capture: Option<CaptureFile>) -> Self {
        Self { capture, ..self }
    }

    /// The same, writing findings to `findings`.
    pub fn with_findings(self, findings: Option<FindingsOut>) -> Self {
        Self { findings, ..self }
    }

    /// The same, with `queue` frames queued per direction (at least 1).
    pub fn with_queue(self, queue: usize) -> Self {
        Self {
            queue: queue.max(1),
            ..self
        }
    }
}

/// A running proxy.
pub struct Proxy {
    address: SocketAddr,
    scheme: &'static str,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    /// Listens on `bind` and serves every station that connects on its own task.
    pub async fn start(bind: &str, config: ProxyConfig) -> io::Result<Self> {
        let listener = TcpListener::bind(bind).await?;
        let address = listener.local_addr()?;
        let scheme = if config.tls.is_some() { "wss" } else { "ws" };
        let acceptor = config.tls.clone().map(TlsAcceptor::from);
        let config = Arc::new(config);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let config = Arc::clone(&config);
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let _ = stream.set_nodelay(true);
                    let deadline = Instant::now() + config.handshake_timeout;
                    let Some(acceptor) = acceptor else {
                        return serve(stream, &config, deadline).await;
                    };
                    if let Some(stream) = accept_tls(&acceptor, stream, deadline).await {
                        serve(stream, &config, deadline).await;
                    }
                });
            }
        });
        Ok(Self {
            address,
            scheme,
            task,
        })
    }

    /// The URL stations connect to (their identity appended): `ws://…`, or `wss://…` for a
    /// TLS listener.
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.address)
    }
}

/// What a station's upgrade request asks for.
#[derive(Debug)]
pub(crate) struct Upgrade {
    /// The last path segment as the station sent it (percent-encoded), forwarded upstream.
    pub(crate) segment: String,
    /// The station's identity: the segment percent-decoded, for the capture and findings.
    pub(crate) identity: String,
    /// The subprotocols offered, as the header gave them.
    pub(crate) protocols: Option<String>,
    pub(crate) authorization: Option<String>,
}

/// Serves one station's connection, from its upgrade request to the close of either side.
async fn serve<S>(mut stream: S, config: &ProxyConfig, deadline: Instant)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let head = match timeout_at(deadline, read_head(&mut stream)).await {
        Ok(Ok(head)) => head,
        _ => return,
    };
    let Some(upgrade) = parse_upgrade(&head) else {
        let _ = refuse(&mut stream, 400, "not a WebSocket upgrade naming a station").await;
        return;
    };
    let (upstream, protocol) = match connect_upstream(&config.upstream, &upgrade).await {
        Ok(connected) => connected,
        Err(status) => {
            let _ = refuse(
                &mut stream,
                status,
                "the CSMS refused or could not be reached",
            )
            .await;
            return;
        }
    };
    let answered = protocol.clone();
    // The handshake callback must return tungstenite's own (large) error response type.
    #[allow(clippy::result_large_err)]
    let callback = move |_: &Request, mut response: Response| {
        if let Some(protocol) = answered
            .as_deref()
            .and_then(|p| HeaderValue::from_str(p).ok())
        {
            response
                .headers_mut()
                .insert("Sec-WebSocket-Protocol", protocol);
        }
        Ok(response)
    };
    let prefixed = Prefixed {
        prefix: head,
        read: 0,
        inner: stream,
    };
    let Ok(station) =
        tokio_tungstenite::accept_hdr_async_with_config(prefixed, callback, Some(ws_config()))
            .await
    else {
        return;
    };
    let version = protocol.as_deref().and_then(|p| {
        OcppVersion::ALL
            .iter()
            .copied()
            .find(|v| v.subprotocol() == p)
    });
    relay(station, upstream, &upgrade.identity, version, config).await;
}

/// The WebSocket settings of both sides: a read buffer that starts small (tungstenite's
/// default, 128 KiB per connection and side, would be most of the proxy's memory) and grows
/// for larger frames, up to [`MAX_FRAME`].
fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER)
        .max_message_size(Some(MAX_FRAME))
        .max_frame_size(Some(MAX_FRAME))
}

/// How far the bytes read of an upgrade request go.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Head {
    /// The blank line that ends the head has arrived.
    Complete,
    /// More is to come.
    Partial,
    /// Longer than [`MAX_REQUEST_HEAD`] without a blank line: the station is dropped.
    TooLong,
}

/// Where the bytes read so far of an upgrade request stand.
pub(crate) fn head_state(read: &[u8]) -> Head {
    if read.windows(4).any(|w| w == b"\r\n\r\n") {
        Head::Complete
    } else if read.len() > MAX_REQUEST_HEAD {
        Head::TooLong
    } else {
        Head::Partial
    }
}

/// The station's upgrade request, up to its blank line (and whatever came with it).
pub(crate) async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 2048];
    loop {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        head.extend_from_slice(&buffer[..read]);
        match head_state(&head) {
            Head::Complete => return Ok(head),
            Head::TooLong => return Err(io::Error::other("upgrade request too long")),
            Head::Partial => {}
        }
    }
}

/// The station's upgrade request read: `None` unless it is an HTTP request whose path ends
/// in a segment that percent-decodes to a printable identity (OCPP-J 1.6 §3.1.1, OCPP 2.0.1
/// Part 4 §3.1.1). An identity that decodes to a `/` or `?` is refused too: no
/// identifierString holds one, and a CSMS that decodes the path before routing it would
/// read another path than the station sent.
pub(crate) fn parse_upgrade(head: &[u8]) -> Option<Upgrade> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    request.parse(head).ok()?;
    let segment = request
        .path?
        .split('?')
        .next()?
        .rsplit('/')
        .next()?
        .to_owned();
    let identity = crate::csms::identity(&segment).filter(|i| !i.contains(['/', '?']))?;
    let header = |name: &str| {
        (request.headers.iter())
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .and_then(|h| std::str::from_utf8(h.value).ok())
            .map(str::to_owned)
    };
    Some(Upgrade {
        segment,
        identity,
        protocols: header("Sec-WebSocket-Protocol"),
        authorization: header("Authorization"),
    })
}

type Upstream = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

/// Connects to the CSMS as the station asked; the HTTP status to refuse the station with
/// when that fails (the CSMS's own refusal, else 502, 504 on a timeout).
async fn connect_upstream(
    target: &Target,
    upgrade: &Upgrade,
) -> Result<(Upstream, Option<String>), u16> {
    let url = format!("{}/{}", target.url.trim_end_matches('/'), upgrade.segment);
    let mut request = url.as_str().into_client_request().map_err(|_| 502u16)?;
    let headers = request.headers_mut();
    // The proxy's own credentials stand in for a station that sends none.
    let basic = target.basic.as_ref().map(|(user, password)| {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        format!("Basic {token}")
    });
    let authorization = upgrade.authorization.clone().or(basic);
    for (name, value) in [
        ("Sec-WebSocket-Protocol", &upgrade.protocols),
        ("Authorization", &authorization),
    ] {
        if let Some(value) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(name, value);
        }
    }
    let connector = match url.starts_with("wss://") {
        true => Some(Connector::Rustls(Arc::new(
            transport::tls_config(target).map_err(|_| 502u16)?,
        ))),
        false => None,
    };
    let connecting = tokio_tungstenite::connect_async_tls_with_config(
        request,
        Some(ws_config()),
        false,
        connector,
    );
    match tokio::time::timeout(target.connect_timeout, connecting).await {
        Err(_) => Err(504),
        Ok(Ok((socket, response))) => {
            let protocol = (response.headers().get("Sec-WebSocket-Protocol"))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            Ok((socket, protocol))
        }
        Ok(Err(tokio_tungstenite::tungstenite::Error::Http(response))) => {
            Err(response.status().as_u16())
        }
        Ok(Err(_)) => Err(502),
    }
}

/// Answers a station's upgrade request with an HTTP error.
async fn refuse<S: AsyncWrite + Unpin>(stream: &mut S, status: u16, why: &str) -> io::Result<()> {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        504 => "Gateway Timeout",
        _ => "Bad Gateway",
    };
    let answer = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{why}",
        why.len()
    );
    stream.write_all(answer.as_bytes()).await?;
    stream.shutdown().await
}

/// Forwards frames both ways until either side closes, the connection breaks, or a side's
/// queue fills.
async fn relay<S>(
    station: tokio_tungstenite::WebSocketStream<S>,
    upstream: Upstream,
    identity: &str,
    version: Option<OcppVersion>,
    config: &ProxyConfig,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut station_out, mut station_in) = station.split();
    let (mut upstream_out, mut upstream_in) = upstream.split();
    let (to_upstream, mut for_upstream) = mpsc::channel::<Message>(config.queue);
    let (to_station, mut for_station) = mpsc::channel::<Message>(config.queue);
    let upstream_writer = tokio::spawn(async move {
        while let Some(message) = for_upstream.recv().await {
            if upstream_out.send(message).await.is_err() {
                break;
            }
        }
        let _ = upstream_out.close().await;
    });
    let station_writer = tokio::spawn(async move {
        while let Some(message) = for_station.recv().await {
            if station_out.send(message).await.is_err() {
                break;
            }
        }
        let _ = station_out.close().await;
    });
    let mut checker = Checker {
        correlator: Correlator::new(),
        record: 0,
        identity,
        version,
        config,
    };
    loop {
        let (read, from) = tokio::select! {
            read = station_in.next() => (read, Sender::ChargingStation),
            read = upstream_in.next() => (read, Sender::Csms),
        };
        let Some(Ok(message)) = read else { break };
        let message = match message {
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => continue,
            other => other,
        };
        if let Message::Text(text) = &message {
            checker.frame(from, text.as_str());
        }
        let closing = matches!(message, Message::Close(_));
        let queue = match from {
            Sender::ChargingStation => &to_upstream,
            Sender::Csms => &to_station,
        };
        if queue.try_send(message).is_err() {
            checker.slow(from);
            break;
        }
        if closing {
            break;
        }
    }
    drop((to_upstream, to_station));
    let _ = tokio::time::timeout(CLOSING, async {
        let _ = upstream_writer.await;
        let _ = station_writer.await;
    })
    .await;
    checker.finish();
}

/// Captures and checks the frames of one connection.
struct Checker<'a> {
    correlator: Correlator,
    record: usize,
    identity: &'a str,
    version: Option<OcppVersion>,
    config: &'a ProxyConfig,
}

impl Checker<'_> {
    fn frame(&mut self, from: Sender, text: &str) {
        let Some(version) = self.version else { return };
        if let Some(capture) = &self.config.capture {
            capture.record(from, version, self.identity, text);
        }
        let at = Position::new(self.record, 0);
        self.record += 1;
        let mut findings = self.correlator.check_text(at, version, Some(from), text);
        if self.correlator.open_calls() > MAX_OPEN_CALLS {
            findings.extend(self.correlator.evict_oldest());
        }
        for finding in findings {
            self.write(json!({
                "chargePoint": self.identity,
                "direction": direction(from),
                "frame": at.record,
                "rule": finding.rule,
                "severity": finding.severity,
                "pointer": finding.pointer,
                "message": finding.message,
            }));
        }
    }

    /// The side `from` wrote faster than the other read: the connection is closed.
    fn slow(&self, from: Sender) {
        self.write(json!({
            "chargePoint": self.identity,
            "direction": direction(from),
            "rule": "proxy-queue-full",
            "severity": "error",
            "message": format!(
                "{} frames were waiting for the other side to read them; the connection is closed",
                self.config.queue
            ),
        }));
    }

    /// Calls never answered when the connection closed.
    fn finish(&mut self) {
        for finding in self.correlator.finish() {
            self.write(json!({
                "chargePoint": self.identity,
                "rule": finding.rule,
                "severity": finding.severity,
                "message": finding.message,
            }));
        }
    }

    fn write(&self, line: serde_json::Value) {
        if let Some(out) = &self.config.findings {
            let mut out = out.lock().unwrap_or_else(PoisonError::into_inner);
            let _ = writeln!(out, "{line}").and_then(|()| out.flush());
        }
    }
}

fn direction(from: Sender) -> &'static str {
    match from {
        Sender::ChargingStation => "cp-to-csms",
        Sender::Csms => "csms-to-cp",
    }
}

/// A stream whose first bytes were read already (the upgrade request): they are read again
/// before the rest.
struct Prefixed<S> {
    prefix: Vec<u8>,
    read: usize,
    inner: S,
}

impl<S: AsyncRead + Unpin> AsyncRead for Prefixed<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.read < self.prefix.len() {
            let rest = &self.prefix[self.read..];
            let n = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..n]);
            self.read += n;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Prefixed<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::{head_state, parse_upgrade, Head, MAX_REQUEST_HEAD};

    fn upgrade(path: &str) -> Option<(String, String)> {
        let head = format!("GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n");
        parse_upgrade(head.as_bytes()).map(|u| (u.segment, u.identity))
    }

    #[test]
    fn the_identity_is_the_last_segment_decoded_and_the_segment_is_forwarded_as_sent() {
        let pair = |s: &str, i: &str| Some((s.to_owned(), i.to_owned()));
        assert_eq!(upgrade("/ocpp/CS001"), pair("CS001", "CS001"));
        assert_eq!(upgrade("/ocppj/RDAM%20123"), pair("RDAM%20123", "RDAM 123"));
        assert_eq!(upgrade("/ocpp/CS001?token=a/b"), pair("CS001", "CS001"));
    }

    #[test]
    fn paths_naming_no_usable_identity_are_refused() {
        for path in [
            "/ocpp/",
            "/ocpp/CP%2F1",
            "/ocpp/CP%3F1",
            "/ocpp/CP%G1",
            "/ocpp/%0A",
        ] {
            assert_eq!(upgrade(path), None, "{path}");
        }
    }

    #[test]
    fn a_head_is_complete_at_its_blank_line_and_too_long_past_the_limit() {
        assert_eq!(head_state(b"GET / HTTP/1.1\r\n\r\n"), Head::Complete);
        assert_eq!(head_state(b"GET / HTTP/1.1\r\n"), Head::Partial);
        assert_eq!(head_state(&vec![b'a'; MAX_REQUEST_HEAD + 1]), Head::TooLong);
    }
}
