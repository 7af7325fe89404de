//! The reference CSMS: a spec-correct central system for OCPP 1.6-J, 2.0.1 and 2.1 that answers
//! station CALLs, sends CSMS-initiated CALLs on request (the trigger hook), and can be told
//! to misbehave ([`Fault`]).

mod answers;
mod faults;
mod limits;
mod trigger_api;

use crate::capture::CaptureFile;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ocpp_model::framing::{Call, CallError, CallResult, Frame, MessageId, MessageTypeId};
use ocpp_model::{v16, v201, v21, AnyFrame, OcppVersion};
use ocpp_validate::{
    check_frame, validate_payload, AnyErrorCode, Category, Correlator, PayloadKind, Position,
    Sender,
};
use serde_json::{json, Map, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{sleep_until, timeout, timeout_at, Instant};
use tokio_rustls::TlsAcceptor;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::deadline::after;
pub(crate) use answers::now;
pub use answers::VENDOR;
pub use faults::{Fault, SLOW_MS};
pub(crate) use limits::identity;
pub use limits::{Limits, HANDSHAKE_TIMEOUT, IDLE_TIMEOUT, MAX_CONNECTIONS};
pub use trigger_api::{TriggerApi, TRIGGER_API_TIMEOUT};

/// A CALL the CSMS is asked to send, and where the station's answer goes, if anywhere.
#[derive(Debug)]
struct Outgoing {
    action: String,
    payload: Value,
    answer: Option<oneshot::Sender<Value>>,
}

/// A connected station: the version it speaks and the way to its connection.
#[derive(Debug)]
struct Link {
    version: OcppVersion,
    sender: mpsc::UnboundedSender<Outgoing>,
}

/// Connected stations by identity.
type Stations = Arc<Mutex<HashMap<String, Link>>>;

/// How long the accept loop waits after a failed `accept()` (out of descriptors, say).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// How long a connection closed for a protocol error keeps reading (and discarding) what the
/// station still sends, so that the Close frame reaches it before the socket closes.
const LINGER: Duration = Duration::from_secs(1);

/// The most CALLs of its own a 2.1 connection remembers for checking their CALLRESULTs; the
/// oldest unanswered one is forgotten past it.
const MAX_OPEN_CALLS: usize = 1024;

/// Initial read buffer of a connection: enough for the usual CALL (it grows for larger ones).
const READ_BUFFER: usize = 4096;

/// What every connection of one CSMS shares.
#[derive(Debug)]
pub(crate) struct Shared {
    stations: Stations,
    faults: Vec<Fault>,
    limits: Limits,
    open: limits::Gauge,
    /// Where every frame is written, once [`Csms::capture_to`] set it.
    capture: OnceLock<CaptureFile>,
}

impl Shared {
    /// The state of a CSMS with these faults and limits and no connection yet.
    pub(crate) fn new(faults: Vec<Fault>, limits: Limits) -> Self {
        Self {
            stations: Stations::default(),
            faults,
            limits,
            open: limits::Gauge::default(),
            capture: OnceLock::new(),
        }
    }
}

/// A running reference CSMS; it stops when dropped.
#[derive(Debug)]
pub struct Csms {
    addr: SocketAddr,
    scheme: &'static str,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for Csms {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Csms {
    /// Starts listening on `bind` (use port 0 for any free port).
    pub async fn start(bind: &str, faults: Vec<Fault>) -> std::io::Result<Self> {
        Self::start_with(bind, faults, Limits::default(), None).await
    }

    /// Starts listening for `wss://` on `bind` with the given TLS set-up (which may require
    /// client certificates, as security profile 3 does).
    pub async fn start_tls(
        bind: &str,
        faults: Vec<Fault>,
        tls: Arc<rustls::ServerConfig>,
    ) -> std::io::Result<Self> {
        Self::start_with(bind, faults, Limits::default(), Some(tls)).await
    }

    /// Starts listening on `bind` with these limits, for `wss://` when `tls` is given.
    pub async fn start_with(
        bind: &str,
        faults: Vec<Fault>,
        limits: Limits,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(faults, limits));
        let scheme = if tls.is_some() { "wss" } else { "ws" };
        let tls = tls.map(TlsAcceptor::from);
        let task = tokio::spawn(accept_loop(listener, tls, shared.clone()));
        Ok(Self {
            addr,
            scheme,
            shared,
            task,
        })
    }

    /// Writes every frame of the connections from now on to `file` (`serve --capture`); a
    /// second call changes nothing.
    pub fn capture_to(&self, file: CaptureFile) {
        let _ = self.shared.capture.set(file);
    }

    /// The base URL stations connect to (identity appended).
    pub fn url(&self) -> String {
        format!("{}://{}/ocpp", self.scheme, self.addr)
    }

    /// Connections open now, from TCP accept to close (each holds one task).
    pub fn open_connections(&self) -> usize {
        self.shared.open.open()
    }

    /// Stations registered by identity now (trigger targets).
    pub fn registered_stations(&self) -> usize {
        self.shared.stations.lock().map_or(0, |map| map.len())
    }

    /// Makes the CSMS send a CALL to the station connected as `identity`.
    pub fn trigger(&self, identity: &str, action: &str, payload: Value) -> Result<(), String> {
        let stations = self.shared.stations.lock().map_err(|e| e.to_string())?;
        let link = stations
            .get(identity)
            .ok_or_else(|| format!("no station {identity} is connected"))?;
        let call = Outgoing {
            action: action.to_owned(),
            payload,
            answer: None,
        };
        link.sender
            .send(call)
            .map_err(|_| format!("station {identity} is gone"))
    }
}

/// Accepts connections until the CSMS is dropped. A failed `accept()` (out of descriptors,
/// a connection reset before it was taken) is logged and retried after a short pause.
async fn accept_loop(listener: TcpListener, tls: Option<TlsAcceptor>, shared: Arc<Shared>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => admit(stream, tls.clone(), &shared),
            Err(error) => {
                eprintln!("reference CSMS: accept failed: {error}; retrying in {ACCEPT_BACKOFF:?}");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
            }
        }
    }
}

/// Serves one accepted TCP connection on its own task, or refuses it over the cap.
fn admit(stream: TcpStream, tls: Option<TlsAcceptor>, shared: &Arc<Shared>) {
    let Some(slot) = shared.open.acquire(shared.limits.max_connections) else {
        if tls.is_none() {
            // Best effort: the socket is new, so its send buffer has room for the answer.
            let _ = stream.try_write(limits::BUSY);
        }
        return;
    };
    let shared = shared.clone();
    tokio::spawn(async move {
        let _slot = slot;
        let handshake_deadline = after(Instant::now(), shared.limits.handshake_timeout);
        match tls {
            None => serve(stream, &shared, handshake_deadline).await,
            Some(acceptor) => {
                if let Some(stream) = accept_tls(&acceptor, stream, handshake_deadline).await {
                    serve(stream, &shared, handshake_deadline).await;
                }
            }
        }
    });
}

/// The TLS handshake of an accepted connection, by `deadline`: `None` for a peer that sends
/// no ClientHello (dropped at its first bad record) or nothing at all in time.
pub(crate) async fn accept_tls(
    acceptor: &TlsAcceptor,
    stream: TcpStream,
    deadline: Instant,
) -> Option<tokio_rustls::server::TlsStream<TcpStream>> {
    timeout_at(deadline, acceptor.accept(stream))
        .await
        .ok()?
        .ok()
}

/// What the handshake settled on.
struct Handshake {
    identity: String,
    version: Option<OcppVersion>,
}

fn negotiate(request: &Request, faults: &[Fault]) -> (Handshake, Option<&'static str>) {
    let identity = limits::identity(request.uri().path()).unwrap_or_default();
    let offered = request
        .headers()
        .get_all("Sec-WebSocket-Protocol")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    // The station lists its versions in order of preference (OCPP 2.1 Part 4 §3.1.2); the
    // first one this CSMS speaks is taken.
    let version = offered.iter().find_map(|protocol| {
        OcppVersion::ALL
            .iter()
            .copied()
            .find(|v| v.subprotocol() == *protocol)
    });
    let answered = if faults.contains(&Fault::NoSubprotocol) {
        None
    } else if faults.contains(&Fault::WrongSubprotocol) {
        Some("ocpp0.9")
    } else {
        version.map(OcppVersion::subprotocol)
    };
    (Handshake { identity, version }, answered)
}

/// A refusal of the upgrade with `status`.
fn refuse(status: StatusCode, why: &str) -> ErrorResponse {
    let mut refusal = ErrorResponse::new(Some(why.to_owned()));
    *refusal.status_mut() = status;
    refusal
}

/// Serves one connection: the upgrade (finished by `handshake_deadline`), then the station's
/// frames until it closes, goes idle, or breaks the protocol.
pub(crate) async fn serve<S>(mut stream: S, shared: &Shared, handshake_deadline: Instant)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (stations, faults, limits) = (&shared.stations, &shared.faults[..], shared.limits);
    let mut handshake = None;
    let (sender, outgoing) = mpsc::unbounded_channel();
    // The handshake callback must return tungstenite's own (large) error response type.
    #[allow(clippy::result_large_err)]
    let callback = |request: &Request, mut response: Response| {
        let (agreed, answered) = negotiate(request, faults);
        if agreed.identity.is_empty() {
            // OCPP 2.0.1 Part 4 §3.1.1: the last path segment names the station.
            return Err(refuse(
                StatusCode::NOT_FOUND,
                "no printable station identity in the path",
            ));
        }
        // No supported version: the handshake completes without a subprotocol and the
        // connection is closed at once (OCPP-J 1.6 §3.2, OCPP 2.0.1 Part 4 §3.2).
        if let Some(protocol) = answered {
            response
                .headers_mut()
                .insert("Sec-WebSocket-Protocol", HeaderValue::from_static(protocol));
        }
        // Registered before the station sees the handshake answer, so that a trigger sent
        // right after connecting finds it.
        if let Ok(mut map) = stations.lock() {
            if let Some(version) = agreed.version {
                let link = Link {
                    version,
                    sender: sender.clone(),
                };
                map.insert(agreed.identity.clone(), link);
            }
        }
        handshake = Some(agreed);
        Ok(response)
    };
    let config = WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER)
        .max_message_size(Some(limits.max_frame))
        .max_frame_size(Some(limits.max_frame));
    let upgrade =
        tokio_tungstenite::accept_hdr_async_with_config(&mut stream, callback, Some(config));
    let accepted = timeout_at(handshake_deadline, upgrade).await;
    let identity = handshake.as_ref().map(|agreed| agreed.identity.clone());
    let version = handshake.and_then(|agreed| agreed.version);
    match (accepted, version) {
        (Ok(Ok(ws)), Some(version)) => {
            let name = identity.as_deref().unwrap_or_default();
            let capture = shared.capture.get();
            let close = converse(ws, name, version, faults, limits, outgoing, capture).await;
            if close.is_some() {
                linger(&mut stream).await;
            }
        }
        (Ok(Err(error)), _) => {
            if let Some(answer) = limits::refusal(&error) {
                let write = async {
                    stream.write_all(answer).await?;
                    stream.shutdown().await
                };
                let _ = timeout_at(handshake_deadline, write).await;
            }
        }
        (Ok(Ok(mut ws)), None) => {
            let _ = timeout(LINGER, ws.close(None)).await;
        }
        // The handshake took too long (a slowloris peer).
        (Err(_), _) => {}
    }
    if let Some(identity) = identity {
        unregister(stations, &identity, &sender);
    }
}

/// Reads and discards what the peer still sends, for at most [`LINGER`], after a Close frame.
async fn linger<S: AsyncRead + Unpin>(stream: &mut S) {
    let mut sink = [0; 4096];
    let drain = async { while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {} };
    let _ = timeout(LINGER, drain).await;
}

/// The conversation after the upgrade; the Close frame sent for a protocol error, if any.
async fn converse<S>(
    mut ws: WebSocketStream<S>,
    identity: &str,
    version: OcppVersion,
    faults: &[Fault],
    limits: Limits,
    mut outgoing: mpsc::UnboundedReceiver<Outgoing>,
    capture: Option<&CaptureFile>,
) -> Option<CloseFrame>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut station = Station {
        identity: identity.to_owned(),
        version,
        faults,
        calls: 0,
        sent: Correlator::new(),
        records: 0,
    };
    let next_id = AtomicU64::new(1);
    // Trigger API callers waiting for the station's answer, by the id of the CALL.
    let mut awaiting: HashMap<String, oneshot::Sender<Value>> = HashMap::new();
    let mut idle_deadline = after(Instant::now(), limits.idle_timeout);
    let captured = |sender: Sender, text: &str| {
        if let Some(capture) = capture {
            capture.record(sender, version, identity, text);
        }
    };
    loop {
        tokio::select! {
            message = ws.next() => {
                idle_deadline = after(Instant::now(), limits.idle_timeout);
                let text = match message {
                    None => return None,
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => continue,
                    // tungstenite answers the Close itself; the next read ends the stream.
                    Some(Ok(Message::Close(_))) => continue,
                    Some(Ok(Message::Binary(_))) => return close(&mut ws, limits::close_binary()).await,
                    Some(Err(error)) => {
                        let frame = limits::close_for(&error)?;
                        return close(&mut ws, frame).await;
                    }
                };
                captured(Sender::ChargingStation, text.as_str());
                deliver_answer(&mut awaiting, text.as_str());
                let replies = station.handle(text.as_str()).await?;
                for reply in &replies {
                    if let Message::Text(reply) = reply {
                        captured(Sender::Csms, reply.as_str());
                    }
                }
                // A station that reads nothing for the idle timeout is as good as gone.
                let sent = timeout(limits.idle_timeout, send_all(&mut ws, replies)).await;
                if !matches!(sent, Ok(Ok(()))) {
                    return None;
                }
            }
            Some(call) = outgoing.recv() => {
                let id = format!("csms-{}", next_id.fetch_add(1, Ordering::Relaxed));
                // Raw on purpose: the payload goes out as the trigger gave it, object or not.
                let payload = if faults.contains(&Fault::EmptyCallPayload) {
                    Value::Object(Map::new())
                } else {
                    call.payload
                };
                let frame = json!([2, id, call.action, payload]);
                station.note_sent_call(&frame);
                let frame = frame.to_string();
                captured(Sender::Csms, &frame);
                if let Some(answer) = call.answer {
                    // Callers that gave up are forgotten, so the map holds only live ones.
                    awaiting.retain(|_, waiter| !waiter.is_closed());
                    awaiting.insert(id, answer);
                }
                let sent = timeout(limits.idle_timeout, ws.send(Message::text(frame))).await;
                if !matches!(sent, Ok(Ok(()))) {
                    return None;
                }
            }
            () = sleep_until(idle_deadline) => {
                let _ = ws.close(Some(limits::close_idle(limits.idle_timeout))).await;
                return None;
            }
        }
    }
}

/// Hands a station's CALLRESULT or CALLERROR to the trigger API caller waiting for it.
fn deliver_answer(awaiting: &mut HashMap<String, oneshot::Sender<Value>>, text: &str) {
    if awaiting.is_empty() {
        return;
    }
    // Read as a raw value on purpose: the caller gets the station's answer as sent, even one
    // the framing rules refuse, to show what the station did.
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let answer = matches!(frame.get(0).and_then(Value::as_u64), Some(3 | 4));
    if let (true, Some(id)) = (answer, frame.get(1).and_then(Value::as_str)) {
        if let Some(waiter) = awaiting.remove(id) {
            let _ = waiter.send(frame);
        }
    }
}

/// Sends `frame` as the Close frame and hands it back.
async fn close<S>(ws: &mut WebSocketStream<S>, frame: CloseFrame) -> Option<CloseFrame>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let _ = ws.close(Some(frame.clone())).await;
    Some(frame)
}

/// Forgets the connection of `identity` that `sender` reaches; a newer connection of the same
/// identity may have replaced it, and stays.
fn unregister(stations: &Stations, identity: &str, sender: &mpsc::UnboundedSender<Outgoing>) {
    if let Ok(mut map) = stations.lock() {
        if map
            .get(identity)
            .is_some_and(|link| link.sender.same_channel(sender))
        {
            map.remove(identity);
        }
    }
}

async fn send_all<S>(ws: &mut S, replies: Vec<Message>) -> Result<(), S::Error>
where
    S: SinkExt<Message> + Unpin,
{
    for reply in replies {
        ws.send(reply).await?;
    }
    Ok(())
}

/// One connected station as the CSMS sees it.
struct Station<'a> {
    identity: String,
    version: OcppVersion,
    faults: &'a [Fault],
    calls: usize,
    /// On a version with CALLRESULTERROR, the CSMS's own CALLs, so that the CALLRESULTs
    /// answering them are checked against their action's response schema.
    sent: Correlator,
    /// Frames given to `sent` so far, for its positions.
    records: usize,
}

impl Station<'_> {
    fn has(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
    }

    /// Whether the station's version answers a faulty CALLRESULT (OCPP 2.1 Part 4 §4.2.3).
    fn has_result_errors(&self) -> bool {
        self.version
            .message_types()
            .contains(&MessageTypeId::CallResultError)
    }

    /// The next position in `sent`.
    fn position(&mut self) -> Position {
        self.records += 1;
        Position::new(self.records - 1, 0)
    }

    /// Remembers a CALL the CSMS sends, on a version whose CALLRESULTs it checks.
    fn note_sent_call(&mut self, frame: &Value) {
        if !self.has_result_errors() {
            return;
        }
        if self.sent.open_calls() >= MAX_OPEN_CALLS {
            self.sent.evict_oldest();
        }
        let at = self.position();
        self.sent
            .pair_unchecked(at, self.version, Some(Sender::Csms), frame);
    }

    /// The CALLRESULTERROR for a CALLRESULT that fails its action's response schema, with
    /// the code of its first violation and the CALLRESULT's message id (OCPP 2.1 Part 4
    /// §4.1.4, §4.2.3); `None` for a valid one, or one answering no CALL of the CSMS.
    fn result_error(&mut self, result: &CallResult, text: &str) -> Option<String> {
        let at = self.position();
        let findings = self
            .sent
            .check_text(at, self.version, Some(Sender::ChargingStation), text);
        let code = findings
            .iter()
            .filter(|finding| finding.category == Category::Schema)
            .find_map(|finding| finding.error_code)?;
        if self.has(Fault::NoResultError) {
            return None;
        }
        let AnyErrorCode::V21(code) = code else {
            return None;
        };
        let error = CallError::new(result.message_id.clone(), code, "", Map::new()).ok()?;
        Some(AnyFrame::V21(Frame::CallResultError(error)).to_string())
    }

    /// The frames to send back for one received text; `None` closes the connection.
    async fn handle(&mut self, text: &str) -> Option<Vec<Message>> {
        let reply = match check_frame(self.version, text) {
            Err(issue) => match issue.error_code {
                Some(code) if !self.has(Fault::NoAnswerToMalformed) => {
                    Some(self.call_error(&issue.reply_id, code.as_str()))
                }
                _ => None,
            },
            Ok(
                AnyFrame::V16(Frame::Call(call))
                | AnyFrame::V201(Frame::Call(call))
                | AnyFrame::V21(Frame::Call(call)),
            ) => {
                self.calls += 1;
                if self.has(Fault::CloseMidScenario) && self.calls == 2 {
                    return None;
                }
                Some(self.answer_call(call))
            }
            Ok(AnyFrame::V21(Frame::CallResult(result))) if self.has_result_errors() => {
                self.result_error(&result, text)
            }
            Ok(AnyFrame::V21(Frame::Send(send))) if self.has(Fault::AnswerSend) => {
                Some(self.answer_call(send))
            }
            // Other answers are not answered, nor is a SEND (OCPP 2.1 Part 4 §4.2.4).
            Ok(_) => None,
        };
        let Some(reply) = reply else {
            return Some(Vec::new());
        };
        if self.has(Fault::NeverAnswer) {
            return Some(Vec::new());
        }
        if self.has(Fault::SlowResponse) {
            tokio::time::sleep(Duration::from_millis(SLOW_MS)).await;
        }
        let mut out = Vec::new();
        if self.has(Fault::GarbageBytes) {
            out.push(Message::text("\u{1}garbage{"));
        }
        if self.has(Fault::FloodGarbage) {
            out.extend((0..faults::FLOOD_GARBAGE).map(|_| Message::text("not json")));
        }
        if self.has(Fault::FloodCalls) {
            out.extend((0..faults::FLOOD_CALLS).map(|n| {
                let call = Call::new(short_id(format!("flood-{n}")), "Heartbeat", Map::new());
                Message::text(self.text(call))
            }));
        }
        if self.has(Fault::HugeFrame) {
            out.push(Message::text("x".repeat(50 << 20)));
        }
        let message = if self.has(Fault::BinaryFrames) {
            Message::binary(reply.clone().into_bytes())
        } else {
            Message::text(reply.clone())
        };
        out.push(message.clone());
        if self.has(Fault::AnswerTwice) {
            out.push(message);
        }
        if self.has(Fault::UnsolicitedCallResult) {
            let result = CallResult::new(short_id("unsolicited-1".to_owned()), Map::new());
            out.push(Message::text(self.text(result)));
        }
        Some(out)
    }

    /// A CALLERROR with `code`. Raw JSON on purpose: it also answers malformed frames, whose
    /// id is whatever could be read (perhaps no valid message id), and
    /// [`Fault::WrongErrorCodeSpelling`] writes codes outside the version's table.
    fn call_error(&self, message_id: &str, code: &str) -> String {
        let code = if self.has(Fault::WrongErrorCodeSpelling) {
            faults::misspell(code)
        } else {
            code
        };
        json!([4, message_id, code, "", {}]).to_string()
    }

    fn answer_call(&self, call: Call) -> String {
        let id = call.message_id.as_str();
        let payload = Value::Object(call.payload);
        let violations =
            match validate_payload(self.version, &call.action, PayloadKind::Request, &payload) {
                Ok(violations) => violations,
                Err(_) => return self.call_error(id, "NotImplemented"),
            };
        if let Some(first) = violations.first() {
            return self.call_error(id, first.error_code.as_str());
        }
        let peer = answers::Peer {
            identity: &self.identity,
            accept_all: self.has(Fault::AcceptEverything),
        };
        let answer = answers::answer(
            self.version,
            &peer,
            call.message_id.clone(),
            &call.action,
            &payload,
        );
        let Some(mut result) = answer else {
            return self.call_error(id, "NotSupported");
        };
        if self.has(Fault::SchemaInvalidResponse) {
            result
                .payload
                .insert("notInTheSchema".to_owned(), Value::Bool(true));
        }
        if self.has(Fault::WrongMessageId) {
            // Raw on purpose: the wrong id may be longer than a message id may be.
            return json!([3, format!("{id}-wrong"), result.payload]).to_string();
        }
        self.text(result)
    }

    /// The wire text of `frame` in the station's version.
    fn text(&self, frame: impl Into<v16::Frame> + Into<v201::Frame> + Into<v21::Frame>) -> String {
        match self.version {
            OcppVersion::V16 => AnyFrame::V16(frame.into()).to_string(),
            OcppVersion::V201 => AnyFrame::V201(frame.into()).to_string(),
            OcppVersion::V21 => AnyFrame::V21(frame.into()).to_string(),
        }
    }
}

/// A message id the reference CSMS makes up itself, well within the 36 characters allowed.
fn short_id(id: String) -> MessageId {
    MessageId::new(id).expect("the reference CSMS's own message ids are short")
}
