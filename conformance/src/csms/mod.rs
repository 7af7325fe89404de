//! The reference CSMS: a spec-correct central system for OCPP 1.6-J and 2.0.1 that answers
//! station CALLs, sends CSMS-initiated CALLs on request (the trigger hook), and can be told
//! to misbehave ([`Fault`]).

mod answers;
mod faults;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ocpp_types::OcppVersion;
use ocpp_validate::{check_frame, validate_payload, FrameParts, PayloadKind};
use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};
use tokio_tungstenite::tungstenite::Message;

pub(crate) use answers::now;
pub use answers::VENDOR;
pub use faults::{Fault, SLOW_MS};

/// A CALL the CSMS is asked to send: action and payload.
type Outgoing = (String, Value);

/// Connected stations by identity.
type Stations = Arc<Mutex<HashMap<String, mpsc::UnboundedSender<Outgoing>>>>;

/// A running reference CSMS; it stops when dropped.
#[derive(Debug)]
pub struct Csms {
    addr: SocketAddr,
    scheme: &'static str,
    stations: Stations,
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
        Self::listen(bind, faults, None).await
    }

    /// Starts listening for `wss://` on `bind` with the given TLS set-up (which may require
    /// client certificates, as security profile 3 does).
    pub async fn start_tls(
        bind: &str,
        faults: Vec<Fault>,
        tls: Arc<rustls::ServerConfig>,
    ) -> std::io::Result<Self> {
        Self::listen(bind, faults, Some(TlsAcceptor::from(tls))).await
    }

    async fn listen(
        bind: &str,
        faults: Vec<Fault>,
        tls: Option<TlsAcceptor>,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let stations = Stations::default();
        let faults = Arc::new(faults);
        let registry = stations.clone();
        let scheme = if tls.is_some() { "wss" } else { "ws" };
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (registry, faults) = (registry.clone(), faults.clone());
                match &tls {
                    None => {
                        tokio::spawn(serve(stream, registry, faults));
                    }
                    Some(acceptor) => {
                        let handshake = acceptor.accept(stream);
                        tokio::spawn(async move {
                            if let Ok(stream) = handshake.await {
                                serve(stream, registry, faults).await;
                            }
                        });
                    }
                }
            }
        });
        Ok(Self {
            addr,
            scheme,
            stations,
            task,
        })
    }

    /// The base URL stations connect to (identity appended).
    pub fn url(&self) -> String {
        format!("{}://{}/ocpp", self.scheme, self.addr)
    }

    /// Makes the CSMS send a CALL to the station connected as `identity`.
    pub fn trigger(&self, identity: &str, action: &str, payload: Value) -> Result<(), String> {
        let stations = self.stations.lock().map_err(|e| e.to_string())?;
        let sender = stations
            .get(identity)
            .ok_or_else(|| format!("no station {identity} is connected"))?;
        sender
            .send((action.to_owned(), payload))
            .map_err(|_| format!("station {identity} is gone"))
    }
}

/// What the handshake settled on.
struct Handshake {
    identity: String,
    version: Option<OcppVersion>,
}

fn negotiate(request: &Request, faults: &[Fault]) -> (Handshake, Option<&'static str>) {
    let identity = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let offered = request
        .headers()
        .get_all("Sec-WebSocket-Protocol")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let version = [OcppVersion::V201, OcppVersion::V16]
        .into_iter()
        .find(|v| offered.contains(&v.subprotocol()));
    let answered = if faults.contains(&Fault::NoSubprotocol) {
        None
    } else if faults.contains(&Fault::WrongSubprotocol) {
        Some("ocpp0.9")
    } else {
        version.map(OcppVersion::subprotocol)
    };
    (Handshake { identity, version }, answered)
}

async fn serve<S>(stream: S, stations: Stations, faults: Arc<Vec<Fault>>)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut handshake = None;
    let (sender, mut outgoing) = mpsc::unbounded_channel();
    // The handshake callback must return tungstenite's own (large) error response type.
    #[allow(clippy::result_large_err)]
    let callback = |request: &Request, mut response: Response| {
        let (agreed, answered) = negotiate(request, &faults);
        if agreed.version.is_none() {
            let mut refusal = ErrorResponse::new(Some("no supported OCPP subprotocol".into()));
            *refusal.status_mut() = StatusCode::BAD_REQUEST;
            return Err(refusal);
        }
        if let Some(protocol) = answered {
            response
                .headers_mut()
                .insert("Sec-WebSocket-Protocol", HeaderValue::from_static(protocol));
        }
        // Registered before the station sees the handshake answer, so that a trigger sent
        // right after connecting finds it.
        if let Ok(mut map) = stations.lock() {
            map.insert(agreed.identity.clone(), sender.clone());
        }
        handshake = Some(agreed);
        Ok(response)
    };
    let accepted = tokio_tungstenite::accept_hdr_async(stream, callback).await;
    let (
        Ok(mut ws),
        Some(Handshake {
            identity,
            version: Some(version),
        }),
    ) = (accepted, &handshake)
    else {
        if let Some(agreed) = &handshake {
            unregister(&stations, &agreed.identity, &sender);
        }
        return;
    };
    let (identity, version) = (identity.clone(), *version);
    let station = Station {
        identity: identity.clone(),
        version,
        faults: &faults,
        calls: 0,
    };
    let mut station = station;
    let next_id = AtomicU64::new(1);
    loop {
        tokio::select! {
            message = ws.next() => {
                let Some(Ok(message)) = message else { break };
                let Message::Text(text) = message else { continue };
                let replies = station.handle(text.as_str()).await;
                let Some(replies) = replies else { break };
                if send_all(&mut ws, replies).await.is_err() {
                    break;
                }
            }
            Some((action, payload)) = outgoing.recv() => {
                let id = format!("csms-{}", next_id.fetch_add(1, Ordering::Relaxed));
                let frame = json!([2, id, action, payload]).to_string();
                if ws.send(Message::text(frame)).await.is_err() {
                    break;
                }
            }
        }
    }
    unregister(&stations, &identity, &sender);
}

/// Forgets the connection of `identity` that `sender` reaches; a newer connection of the same
/// identity may have replaced it, and stays.
fn unregister(stations: &Stations, identity: &str, sender: &mpsc::UnboundedSender<Outgoing>) {
    if let Ok(mut map) = stations.lock() {
        if map.get(identity).is_some_and(|s| s.same_channel(sender)) {
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
}

impl Station<'_> {
    fn has(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
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
            Ok(frame) => match frame.into_parts() {
                FrameParts::Call {
                    message_id,
                    action,
                    payload,
                } => {
                    self.calls += 1;
                    if self.has(Fault::CloseMidScenario) && self.calls == 2 {
                        return None;
                    }
                    Some(self.answer_call(&message_id, &action, Value::Object(payload)))
                }
                FrameParts::CallResult { .. } | FrameParts::CallError { .. } => None,
            },
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
                Message::text(json!([2, format!("flood-{n}"), "Heartbeat", {}]).to_string())
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
            out.push(Message::text(json!([3, "unsolicited-1", {}]).to_string()));
        }
        Some(out)
    }

    fn call_error(&self, message_id: &str, code: &str) -> String {
        let code = if self.has(Fault::WrongErrorCodeSpelling) {
            faults::misspell(code)
        } else {
            code
        };
        json!([4, message_id, code, "", {}]).to_string()
    }

    fn answer_call(&self, message_id: &str, action: &str, payload: Value) -> String {
        let violations =
            match validate_payload(self.version, action, PayloadKind::Request, &payload) {
                Ok(violations) => violations,
                Err(_) => return self.call_error(message_id, "NotImplemented"),
            };
        if let Some(first) = violations.first() {
            return self.call_error(message_id, first.error_code.as_str());
        }
        let Some(mut result) = answers::answer(self.version, &self.identity, action, &payload)
        else {
            return self.call_error(message_id, "NotSupported");
        };
        if self.has(Fault::SchemaInvalidResponse) {
            if let Some(map) = result.as_object_mut() {
                map.insert("notInTheSchema".to_owned(), json!(true));
            }
        }
        let id = if self.has(Fault::WrongMessageId) {
            format!("{message_id}-wrong")
        } else {
            message_id.to_owned()
        };
        json!([3, id, result]).to_string()
    }
}
