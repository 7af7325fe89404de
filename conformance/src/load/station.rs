//! One simulated station: connect, play the workload until the run ends, count everything.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use futures_util::SinkExt;
use ocpp_model::framing::{CallError, MessageId};
use ocpp_model::{v16, v201, v21, AnyFrame, OcppVersion};
use ocpp_validate::{check_frame, validate_payload, FrameParts, PayloadKind};
use serde_json::{json, Map, Value};
use tokio::time::{sleep_until, timeout_at, Instant};
use tokio_tungstenite::tungstenite::Message;

use super::drops::DropReason;
use super::stats::Stats;
use super::workload::{Step, Vars, Workload};
use crate::deadline::{after, next_before};
use crate::transport::{connect_with_buffer, ConnectError, Socket, Target};

/// Initial read buffer of a station's connection, in bytes: enough for the usual answer.
const READ_BUFFER: usize = 4096;

/// Counters read live by the progress line and at the end by the report.
#[derive(Debug, Default)]
pub(super) struct Counters {
    /// Connections tried.
    pub(super) attempted: AtomicU64,
    /// Connections opened.
    pub(super) established: AtomicU64,
    /// Connections that could not be opened.
    pub(super) failed: AtomicU64,
    /// Connections the CSMS closed (or that broke) before the run ended.
    pub(super) dropped: AtomicU64,
    /// Connections open now.
    pub(super) connected: AtomicU64,
    /// Most connections open at once.
    pub(super) peak_connected: AtomicU64,
    /// CALLs sent.
    pub(super) calls: AtomicU64,
    /// CALLRESULTs and CALLERRORs received for them.
    pub(super) responses: AtomicU64,
    /// CALLs with no answer in time.
    pub(super) timeouts: AtomicU64,
    /// Answers that came after their CALL had timed out.
    pub(super) late: AtomicU64,
    /// CALLERRORs, deviations and connection failures together.
    pub(super) errors: AtomicU64,
}

impl Counters {
    fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// What all stations share.
#[derive(Debug)]
pub(super) struct Shared {
    /// Where to connect.
    pub(super) target: Target,
    /// What to play.
    pub(super) workload: Workload,
    /// How long to wait for each answer.
    pub(super) timeout: Duration,
    /// When stations stop starting new CALLs.
    pub(super) deadline: Instant,
    /// Live counters.
    pub(super) counters: Counters,
    /// Latencies and per-action counts.
    pub(super) stats: Mutex<Stats>,
    /// The first connection failure, as an example for the report.
    pub(super) first_failure: Mutex<Option<String>>,
}

impl Shared {
    fn with_stats(&self, update: impl FnOnce(&mut Stats)) {
        if let Ok(mut stats) = self.stats.lock() {
            update(&mut stats);
        }
    }
}

/// How a CALL ended.
enum Answer {
    Result(Value),
    Error(String),
    Timeout,
    Closed(DropReason),
}

/// Runs station number `index` as `identity` until the deadline.
pub(super) async fn run(shared: &Shared, identity: String, index: u64) {
    let counters = &shared.counters;
    Counters::bump(&counters.attempted);
    let version = shared.workload.version;
    let opening = connect_with_buffer(&shared.target, &identity, version, READ_BUFFER);
    // The run's end cuts a connection attempt short too, whatever the connect timeout.
    let connected = timeout_at(shared.deadline, opening)
        .await
        .unwrap_or(Err(ConnectError::Timeout(shared.target.connect_timeout)));
    let mut socket = match connected {
        Ok(socket) => socket,
        Err(error) => {
            Counters::bump(&counters.failed);
            Counters::bump(&counters.errors);
            if let Ok(mut first) = shared.first_failure.lock() {
                first.get_or_insert_with(|| error.to_string());
            }
            return;
        }
    };
    Counters::bump(&counters.established);
    let now = counters.connected.fetch_add(1, Ordering::Relaxed) + 1;
    counters.peak_connected.fetch_max(now, Ordering::Relaxed);
    let mut station = Station {
        shared,
        vars: Vars::new(&identity, index),
        next_id: 0,
        timed_out: VecDeque::new(),
    };
    let workload = &shared.workload;
    let mut open = station.play(&mut socket, &workload.boot).await;
    while open.is_ok() && Instant::now() < shared.deadline && !workload.repeat.is_empty() {
        open = station.play(&mut socket, &workload.repeat).await;
    }
    counters.connected.fetch_sub(1, Ordering::Relaxed);
    match open {
        // The run is over; a failed close changes nothing that is counted.
        Ok(()) => {
            let _ = socket.close(None).await;
        }
        Err(reason) => {
            Counters::bump(&counters.dropped);
            Counters::bump(&counters.errors);
            shared.with_stats(|stats| *stats.drops.entry(reason).or_default() += 1);
        }
    }
}

/// How many timed-out message ids a station remembers, to tell a late answer from an orphan.
const REMEMBERED_TIMEOUTS: usize = 16;

struct Station<'a> {
    shared: &'a Shared,
    vars: Vars,
    next_id: u64,
    timed_out: VecDeque<String>,
}

impl Station<'_> {
    /// Plays `steps` once; the reason the connection is gone when it is.
    async fn play(&mut self, socket: &mut Socket, steps: &[Step]) -> Result<(), DropReason> {
        for step in steps {
            if Instant::now() >= self.shared.deadline {
                return Ok(());
            }
            match step {
                Step::Wait(pause) => {
                    sleep_until(after(Instant::now(), *pause).min(self.shared.deadline)).await;
                }
                Step::Call {
                    action,
                    payload,
                    capture,
                } => {
                    let payload = self.vars.apply(payload);
                    match self.call(socket, action, payload).await {
                        Answer::Result(answer) => self.vars.capture(capture, &answer),
                        Answer::Closed(reason) => return Err(reason),
                        Answer::Error(_) | Answer::Timeout => {}
                    }
                }
            }
        }
        Ok(())
    }

    /// Sends one CALL and waits for its answer, counting the outcome.
    async fn call(&mut self, socket: &mut Socket, action: &str, payload: Value) -> Answer {
        let shared = self.shared;
        let counters = &shared.counters;
        self.next_id += 1;
        let id = self.next_id.to_string();
        // Raw on purpose: the payload is the workload's, from a scenario or a recorded trace.
        let frame = json!([2, id, action, payload]).to_string();
        let sent = Instant::now();
        if let Err(error) = socket.send(Message::text(frame)).await {
            return Answer::Closed(DropReason::of(&error));
        }
        Counters::bump(&counters.calls);
        shared.with_stats(|stats| stats.action(action).calls += 1);
        let answer = self.await_answer(socket, &id).await;
        let latency = sent.elapsed();
        let version = shared.workload.version;
        match &answer {
            Answer::Result(payload) => {
                Counters::bump(&counters.responses);
                let violations = validate_payload(version, action, PayloadKind::Response, payload)
                    .unwrap_or_default();
                if !violations.is_empty() {
                    Counters::bump(&counters.errors);
                }
                shared.with_stats(|stats| {
                    let entry = stats.action(action);
                    entry.results += 1;
                    entry.latency.record(latency);
                    for violation in &violations {
                        stats.deviate(violation.kind.rule());
                    }
                });
            }
            Answer::Error(code) => {
                Counters::bump(&counters.responses);
                Counters::bump(&counters.errors);
                shared.with_stats(|stats| {
                    let entry = stats.action(action);
                    entry.errors += 1;
                    entry.latency.record(latency);
                    *stats.call_errors.entry(code.clone()).or_default() += 1;
                });
            }
            Answer::Timeout => {
                if self.timed_out.len() == REMEMBERED_TIMEOUTS {
                    self.timed_out.pop_front();
                }
                self.timed_out.push_back(id);
                Counters::bump(&counters.timeouts);
                shared.with_stats(|stats| stats.action(action).timeouts += 1);
            }
            Answer::Closed(_) => {}
        }
        answer
    }

    /// Reads frames until the answer to `id`, the timeout, or the end of the connection.
    async fn await_answer(&mut self, socket: &mut Socket, id: &str) -> Answer {
        let deadline = after(Instant::now(), self.shared.timeout);
        let version = self.shared.workload.version;
        loop {
            let message = match next_before(socket, deadline).await {
                None => return Answer::Timeout,
                Some(None) => return Answer::Closed(DropReason::ClosedByPeer),
                Some(Some(Err(error))) => return Answer::Closed(DropReason::of(&error)),
                Some(Some(Ok(message))) => message,
            };
            let text = match message {
                Message::Text(text) => text,
                Message::Binary(_) => {
                    self.deviate("binary-frame");
                    continue;
                }
                Message::Close(_) => return Answer::Closed(DropReason::ClosedByPeer),
                Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => continue,
            };
            let frame = match check_frame(version, text.as_str()) {
                Err(issue) => {
                    self.deviate(issue.rule);
                    continue;
                }
                Ok(frame) => frame,
            };
            let message_id = frame.message_id().clone();
            match FrameParts::from(frame) {
                FrameParts::CallResult { payload, .. } if message_id.as_str() == id => {
                    return Answer::Result(Value::Object(payload))
                }
                FrameParts::CallError { error_code, .. } if message_id.as_str() == id => {
                    return Answer::Error(error_code.to_owned())
                }
                FrameParts::CallResult { .. } | FrameParts::CallError { .. } => {
                    if self
                        .timed_out
                        .iter()
                        .any(|late| late == message_id.as_str())
                    {
                        Counters::bump(&self.shared.counters.late);
                    } else {
                        self.deviate("correlation-orphan-response");
                    }
                }
                FrameParts::Call { .. } => {
                    if let Err(error) = refuse(socket, version, message_id).await {
                        return Answer::Closed(DropReason::of(&error));
                    }
                }
                // The station sends no CALLRESULT for a CALLRESULTERROR to answer, and
                // answers no SEND (OCPP 2.1 Part 4 §4.2.4).
                FrameParts::CallResultError { .. } => {
                    self.deviate("correlation-orphan-response");
                }
                FrameParts::Send { .. } => {}
            }
        }
    }

    fn deviate(&self, rule: &str) {
        Counters::bump(&self.shared.counters.errors);
        self.shared.with_stats(|stats| stats.deviate(rule));
    }
}

/// Refuses a CALL from the CSMS: simulated stations implement no CSMS-initiated action.
async fn refuse(
    socket: &mut Socket,
    version: OcppVersion,
    message_id: MessageId,
) -> Result<(), tokio_tungstenite::tungstenite::Error> {
    const WHY: &str = "load-mode station";
    let frame = match version {
        OcppVersion::V16 => {
            CallError::new(message_id, v16::ErrorCode::NotImplemented, WHY, Map::new())
                .map(|error| AnyFrame::V16(error.into()))
        }
        OcppVersion::V201 => {
            CallError::new(message_id, v201::ErrorCode::NotImplemented, WHY, Map::new())
                .map(|error| AnyFrame::V201(error.into()))
        }
        OcppVersion::V21 => {
            CallError::new(message_id, v21::ErrorCode::NotImplemented, WHY, Map::new())
                .map(|error| AnyFrame::V21(error.into()))
        }
    };
    let frame = frame.expect("the description is within every version's limit");
    socket.send(Message::text(frame.to_string())).await
}
