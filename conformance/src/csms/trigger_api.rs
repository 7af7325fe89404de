//! The reference CSMS's HTTP trigger API (`serve --trigger-api ADDR`): the trigger URL
//! convention `POST /api/octt/{1.6|2.0.1|2.1}/{identity}/call/{Action}` with the payload as JSON
//! body, answered with the station's CALLRESULT payload once the station has answered, so
//! that `--trigger-url` can be rehearsed against the toolkit's own CSMS.

use std::net::SocketAddr;
use std::time::Duration;

use ocpp_model::OcppVersion;
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::timeout;

use super::{Csms, Outgoing, Stations, ACCEPT_BACKOFF};
use crate::http;

/// How long a trigger API request waits for the station's answer.
pub const TRIGGER_API_TIMEOUT: Duration = Duration::from_secs(30);

/// How long reading a request, or writing its answer, may take.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(10);

/// A running trigger API; it stops when dropped.
#[derive(Debug)]
pub struct TriggerApi {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for TriggerApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TriggerApi {
    /// The base URL to pass as `--trigger-url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Csms {
    /// Serves the HTTP trigger API for this CSMS's stations on `bind`.
    pub async fn serve_trigger_api(&self, bind: &str) -> std::io::Result<TriggerApi> {
        let listener = TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let stations = self.shared.stations.clone();
        let task = tokio::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        tokio::spawn(exchange(stream, stations.clone()));
                    }
                    Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
                }
            }
        });
        Ok(TriggerApi { addr, task })
    }
}

/// Reads one request, acts on it, and answers it.
async fn exchange(mut stream: TcpStream, stations: Stations) {
    let (status, body) = match timeout(EXCHANGE_TIMEOUT, http::read_request(&mut stream)).await {
        Err(_) => return,
        Ok(Err(status)) => (status, refusal("the request cannot be read")),
        Ok(Ok(request)) => answer(&request, &stations).await,
    };
    let _ = timeout(
        EXCHANGE_TIMEOUT,
        http::write_answer(&mut stream, status, &body),
    )
    .await;
}

/// A JSON error body.
fn refusal(why: &str) -> String {
    json!({ "error": why }).to_string()
}

/// The status and body answering `request`.
async fn answer(request: &http::Request, stations: &Stations) -> (u16, String) {
    if request.method != "POST" {
        return (405, refusal("only POST is served"));
    }
    let parts: Vec<&str> = request
        .path
        .strip_prefix("/api/octt/")
        .map(|rest| rest.split('/').collect())
        .unwrap_or_default();
    let [version, identity, "call", action] = parts[..] else {
        return (
            404,
            refusal("the path is not /api/octt/{version}/{identity}/call/{action}"),
        );
    };
    let version = match version {
        "1.6" => OcppVersion::V16,
        "2.0.1" => OcppVersion::V201,
        "2.1" => OcppVersion::V21,
        other => return (404, refusal(&format!("unknown OCPP version {other}"))),
    };
    let payload: Value = if request.body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&request.body) {
            Ok(payload @ Value::Object(_)) => payload,
            Ok(_) | Err(_) => return (400, refusal("the body is not a JSON object")),
        }
    };
    let (sender, answered) = oneshot::channel();
    if let Err(status) = send(stations, identity, version, action, payload, sender) {
        return status;
    }
    match timeout(TRIGGER_API_TIMEOUT, answered).await {
        Err(_) => (
            504,
            refusal(&format!(
                "{identity} did not answer within {} s",
                TRIGGER_API_TIMEOUT.as_secs()
            )),
        ),
        Ok(Err(_)) => (502, refusal(&format!("{identity} left before answering"))),
        Ok(Ok(frame)) if frame.get(0).and_then(Value::as_u64) == Some(3) => {
            (200, frame.get(2).cloned().unwrap_or(json!({})).to_string())
        }
        Ok(Ok(frame)) => (502, frame.to_string()),
    }
}

/// Queues the CALL on the station's connection, or the answer saying why it cannot be.
fn send(
    stations: &Stations,
    identity: &str,
    version: OcppVersion,
    action: &str,
    payload: Value,
    answer: oneshot::Sender<Value>,
) -> Result<(), (u16, String)> {
    let map = stations
        .lock()
        .map_err(|_| (502, refusal("the station table is unusable")))?;
    let link = map
        .get(identity)
        .ok_or_else(|| (404, refusal(&format!("no station {identity} is connected"))))?;
    if link.version != version {
        return Err((
            409,
            refusal(&format!("{identity} speaks OCPP {}", link.version)),
        ));
    }
    let call = Outgoing {
        action: action.to_owned(),
        payload,
        answer: Some(answer),
    };
    link.sender
        .send(call)
        .map_err(|_| (404, refusal(&format!("station {identity} is gone"))))
}
