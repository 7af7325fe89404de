//! One simulated station on one connection: sending, receiving and validating frames, and
//! answering every CALL of the CSMS that no step is waiting for.

use std::collections::{BTreeMap, HashMap, VecDeque};

use futures_util::SinkExt;
use ocpp_model::framing::{FrameError, MessageTypeId};
use ocpp_model::OcppVersion;
use ocpp_validate::{check_frame, Category, Correlator, Position, Sender, Severity};
use serde_json::{json, Value};
use tokio::time::{timeout_at, Instant};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use super::defaults::reference_answer;
use super::triggers::{self, Pending};
use super::{Level, RunConfig, MAX_DEVIATIONS, MAX_QUEUED_CALLS};
use crate::capture::CaptureFile;
use crate::config::Topology;
use crate::deadline::next_before;
use crate::report::{AnsweredBy, Deviation, Exchange, UnsolicitedCall};
use crate::transport::{connect, ConnectError, Socket};

/// The message id of a CALLERROR whose CALL's id could not be read (OCPP 2.0.1 Part 4 §4.2.3).
pub(super) const UNREAD_ID: &str = "-1";

/// Why a case stopped early.
#[derive(Debug)]
pub(crate) struct Stop {
    pub(crate) kind: StopKind,
    pub(crate) message: String,
}

impl Stop {
    pub(crate) fn new(kind: StopKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
}

/// What stopped a case; each kind but [`StopKind::OperatorSkip`] is reported as a deviation
/// under its [`rule`](StopKind::rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopKind {
    /// A CALL of the station got no answer in time.
    NoAnswer,
    /// The CSMS sent no CALL an `expect_call` step waited for.
    NoCall,
    /// A `reconnect` step could not open the connection again.
    ReconnectFailed,
    /// The connection closed or failed.
    ConnectionClosed,
    /// The CSMS sent a frame larger than the runner accepts.
    FrameTooLarge,
    /// A trigger failed, timed out or is not configured.
    Trigger,
    /// The operator skipped the case (a skip, not a deviation).
    OperatorSkip,
}

impl StopKind {
    /// The stable rule id of the deviation (or skip) this stop is reported as.
    pub(crate) fn rule(self) -> &'static str {
        match self {
            Self::NoAnswer => "no-answer",
            Self::NoCall => "no-call",
            Self::ReconnectFailed => "reconnect-failed",
            Self::ConnectionClosed => "connection-closed",
            Self::FrameTooLarge => "frame-too-large",
            Self::Trigger => "trigger",
            Self::OperatorSkip => "operator-skip",
        }
    }
}

/// A received frame, reduced to what the steps look at.
pub(crate) enum Received {
    Call {
        id: String,
        action: String,
        payload: Value,
    },
    Result {
        id: String,
        payload: Value,
    },
    Error {
        id: String,
        code: String,
    },
    /// A CALLRESULTERROR (OCPP 2.1): the answer to a CALLRESULT.
    ResultError {
        id: String,
        code: String,
    },
}

/// A CSMS CALL answered while no step waited for it, kept for a later `expect_call` step.
pub(crate) struct KeptCall {
    /// Its place among the CALLs received on this connection (1-based).
    pub(crate) seq: u64,
    pub(crate) action: String,
    pub(crate) payload: Value,
    /// Its entry in the report's list, when it was listed.
    pub(crate) listed: Option<usize>,
}

/// One simulated station on one connection.
pub(crate) struct Station {
    pub(super) socket: Socket,
    pub(super) version: OcppVersion,
    pub(super) identity: String,
    pub(super) session: Correlator,
    /// Frames seen so far, for positions in findings.
    pub(super) records: usize,
    next_id: u64,
    pub(crate) step: usize,
    pub(super) vars: BTreeMap<String, Value>,
    /// CSMS CALLs answered while no step waited for them, not yet taken by an `expect_call`
    /// step (the latest [`MAX_QUEUED_CALLS`]).
    pub(crate) calls: VecDeque<KeptCall>,
    /// CALLs received on this connection so far.
    pub(super) received_calls: u64,
    /// `received_calls` when the latest trigger step started: an `expect_call` step takes only
    /// CALLs received after it.
    pub(super) trigger_mark: u64,
    /// The reply id of a malformed frame whose CALLERROR is awaited.
    pub(super) raw_reply: Option<String>,
    /// The trigger still running, if any.
    pub(super) trigger: Option<Pending>,
    answers: BTreeMap<String, Value>,
    /// The topology the station reports in its default answers.
    topology: Topology,
    /// The run's capture file, if any.
    capture: Option<CaptureFile>,
    /// Answers recorded in a replayed trace, by action, in order; used before `answers`.
    pub(crate) recorded: HashMap<String, VecDeque<Value>>,
    pub(crate) deviations: Vec<Deviation>,
    unsolicited: Vec<UnsolicitedCall>,
    /// Whether a CALL went unlisted for [`MAX_QUEUED_CALLS`] (reported once, `too-many-calls`).
    calls_unlisted: bool,
    /// The frames sent and received, for the report.
    exchange: Exchange,
}

impl Station {
    pub(crate) async fn open(
        config: &RunConfig,
        identity: &str,
        version: OcppVersion,
    ) -> Result<Self, ConnectError> {
        let socket = connect(&config.target_for(identity), identity, version).await?;
        Ok(Self {
            socket,
            version,
            identity: identity.to_owned(),
            session: Correlator::new(),
            records: 0,
            next_id: 1,
            step: 0,
            vars: config.env.variables(),
            calls: VecDeque::new(),
            received_calls: 0,
            trigger_mark: 0,
            raw_reply: None,
            trigger: None,
            answers: config.env.answers.clone(),
            topology: config.env.station.clone(),
            capture: config.capture.clone(),
            recorded: HashMap::new(),
            deviations: Vec::new(),
            unsolicited: Vec::new(),
            calls_unlisted: false,
            exchange: Exchange::default(),
        })
    }

    /// The deviations, the unsolicited CALLs and the frames recorded, for the report.
    pub(crate) fn into_findings(self) -> (Vec<Deviation>, Vec<UnsolicitedCall>, Exchange) {
        (self.deviations, self.unsolicited, self.exchange)
    }

    /// Records an error-level deviation.
    pub(crate) fn deviate(&mut self, rule: &str, message: impl Into<String>) {
        self.deviate_at(Level::Error, rule, message);
    }

    /// Records a deviation of `level`; past [`MAX_DEVIATIONS`] one final note stands for the
    /// rest, so a flooding CSMS cannot exhaust memory.
    pub(crate) fn deviate_at(&mut self, level: Level, rule: &str, message: impl Into<String>) {
        let (level, rule, message) = match self.deviations.len() {
            n if n < MAX_DEVIATIONS => (level, rule.to_owned(), message.into()),
            n if n == MAX_DEVIATIONS => (
                Level::Warning,
                "too-many-deviations".to_owned(),
                format!("more than {MAX_DEVIATIONS} deviations; the rest are not listed"),
            ),
            _ => return,
        };
        self.deviations.push(Deviation {
            rule,
            level,
            step: self.step,
            message,
        });
    }

    /// Answers a CSMS CALL no step is waiting for, at once (sent before `deadline`, else left
    /// with the step's end): by the replayed trace's next recorded answer for its action,
    /// else by the configured answer for it, else by the reference
    /// station's default, else with a CALLERROR. The CALL is listed in the report and kept
    /// for a later `expect_call` step, both up to [`MAX_QUEUED_CALLS`].
    pub(crate) async fn answer_unsolicited(
        &mut self,
        id: String,
        action: String,
        payload: Value,
        deadline: Instant,
    ) -> Result<(), Stop> {
        // Raw on purpose: the answer carries the CSMS's id as sent (a station echoes it even
        // where it breaks the id rules), and recorded or configured answers go out as given.
        let recorded = self.recorded.get_mut(&action).and_then(VecDeque::pop_front);
        let (frame, answered_by) = match (recorded, self.answers.get(&action)) {
            (Some(Value::Array(mut parts)), _) if parts.len() > 1 => {
                parts[1] = Value::String(id);
                (Value::Array(parts), AnsweredBy::Trace)
            }
            (_, Some(answer)) => (json!([3, id, answer]), AnsweredBy::Config),
            (_, None) => match reference_answer(self.version, &action, &payload, &self.topology) {
                Ok(answer) => (json!([3, id, answer]), AnsweredBy::Reference),
                Err(code) => (
                    json!([4, id, code, "not supported by the simulated station", {}]),
                    AnsweredBy::CallError,
                ),
            },
        };
        let listed = if self.unsolicited.len() < MAX_QUEUED_CALLS {
            self.unsolicited.push(UnsolicitedCall {
                step: self.step,
                action: action.clone(),
                answered_by,
                taken_by_step: None,
            });
            Some(self.unsolicited.len() - 1)
        } else {
            None
        };
        if listed.is_none() && !self.calls_unlisted {
            self.calls_unlisted = true;
            // A warning: no sentence limits how many CALLs a CSMS sends, one at a time.
            self.deviate_at(
                Level::Warning,
                "too-many-calls",
                format!(
                    "more than {MAX_QUEUED_CALLS} CALLs from the CSMS that no step expected; \
                     all answered, the rest not listed"
                ),
            );
        }
        if self.calls.len() == MAX_QUEUED_CALLS {
            self.calls.pop_front();
        }
        self.calls.push_back(KeptCall {
            seq: self.received_calls,
            action,
            payload,
            listed,
        });
        timeout_at(deadline, self.send(frame.to_string(), true))
            .await
            .unwrap_or(Ok(()))
    }

    /// Notes that `kept` was taken by the current step.
    pub(super) fn took(&mut self, kept: &KeptCall) {
        let step = self.step;
        if let Some(entry) = kept.listed.and_then(|i| self.unsolicited.get_mut(i)) {
            entry.taken_by_step = Some(step);
        }
    }

    pub(crate) fn fresh_id(&mut self) -> String {
        let id = format!("cs-{}", self.next_id);
        self.next_id += 1;
        id
    }

    fn position(&mut self) -> Position {
        self.records += 1;
        Position::new(self.records - 1, 0)
    }

    pub(crate) async fn send(&mut self, frame: String, record: bool) -> Result<(), Stop> {
        if record {
            let at = self.position();
            self.session
                .check_text(at, self.version, Some(Sender::ChargingStation), &frame);
        }
        self.exchange
            .record(self.step, Sender::ChargingStation, &frame);
        if let Some(capture) = &self.capture {
            capture.record(
                Sender::ChargingStation,
                self.version,
                &self.identity,
                &frame,
            );
        }
        self.socket
            .send(Message::text(frame))
            .await
            .map_err(|e| Stop::new(StopKind::ConnectionClosed, format!("sending failed: {e}")))
    }

    pub(crate) async fn close(&mut self) {
        let _ = self.socket.close(None).await;
        for finding in self.session.finish() {
            if finding.severity == Severity::Error {
                self.deviate(finding.rule, finding.message);
            }
        }
    }

    /// Reads until `deadline`, answering every CSMS CALL.
    pub(super) async fn listen(&mut self, deadline: Instant) -> Result<(), Stop> {
        while let Some(received) = self.receive(deadline).await? {
            if let Received::Call {
                id,
                action,
                payload,
            } = received
            {
                self.answer_unsolicited(id, action, payload, deadline)
                    .await?;
            }
        }
        Ok(())
    }

    /// The next frame from the CSMS, validated; `None` when the deadline passes. A trigger
    /// that fails meanwhile stops the case.
    pub(super) async fn receive(&mut self, deadline: Instant) -> Result<Option<Received>, Stop> {
        loop {
            let message = tokio::select! {
                message = next_before(&mut self.socket, deadline) => message,
                outcome = triggers::finished(&mut self.trigger) => {
                    outcome?;
                    continue;
                }
            };
            let message = match message {
                None => return Ok(None),
                Some(None | Some(Err(WsError::ConnectionClosed | WsError::AlreadyClosed))) => {
                    return Err(Stop::new(
                        StopKind::ConnectionClosed,
                        "the CSMS closed the connection",
                    ))
                }
                Some(Some(Err(WsError::Capacity(error)))) => {
                    return Err(Stop::new(StopKind::FrameTooLarge, format!("{error}")))
                }
                Some(Some(Err(error))) => {
                    return Err(Stop::new(
                        StopKind::ConnectionClosed,
                        format!("connection failed: {error}"),
                    ))
                }
                Some(Some(Ok(message))) => message,
            };
            match message {
                Message::Text(text) => {
                    self.exchange.record(self.step, Sender::Csms, &text);
                    if let Some(capture) = &self.capture {
                        capture.record(Sender::Csms, self.version, &self.identity, &text);
                    }
                    if let Some(received) = self.validate(text.as_str()) {
                        if matches!(received, Received::Call { .. }) {
                            self.received_calls += 1;
                        }
                        return Ok(Some(received));
                    }
                }
                Message::Binary(bytes) => self.deviate(
                    "binary-frame",
                    format!(
                        "a binary frame of {} bytes; OCPP-J uses text frames",
                        bytes.len()
                    ),
                ),
                Message::Close(_) => {
                    return Err(Stop::new(
                        StopKind::ConnectionClosed,
                        "the CSMS closed the connection",
                    ))
                }
                Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
            }
        }
    }

    /// Validates a text frame from the CSMS, records its findings, and reads it.
    fn validate(&mut self, text: &str) -> Option<Received> {
        let value: Option<Value> = serde_json::from_str(text).ok();
        let id = value
            .as_ref()
            .and_then(|v| v.get(1))
            .and_then(Value::as_str)
            .map(str::to_owned);
        // The answer to a malformed frame carries its id, or "-1" (OCPP 2.0.1 Part 4 §4.2.3).
        let answers_raw =
            self.raw_reply.is_some() && (id == self.raw_reply || id.as_deref() == Some(UNREAD_ID));
        if answers_raw {
            // The step judges the code itself: a code outside the version's table is one
            // `wrong-error-code`, not two deviations.
            match check_frame(self.version, text) {
                Err(issue) if !matches!(issue.error, FrameError::UnknownErrorCode(_)) => {
                    self.deviate(issue.rule, format!("{}: {}", clip(text), issue.message));
                }
                Err(_) | Ok(_) => {}
            }
        } else {
            let at = self.position();
            for finding in self
                .session
                .check_text(at, self.version, Some(Sender::Csms), text)
            {
                // A live peer's orphan response is never a cut-off trace: always a deviation.
                let live_orphan = finding.category == Category::Correlation;
                if finding.severity == Severity::Error || live_orphan {
                    let pointer = if finding.pointer.is_empty() {
                        String::new()
                    } else {
                        format!(" at {}", finding.pointer)
                    };
                    self.deviate(
                        finding.rule,
                        format!("{}{pointer}: {}", clip(text), finding.message),
                    );
                }
            }
        }
        // Read from the raw value on purpose: a frame that breaks the framing rules (a code
        // outside the version's table, a missing payload) still reaches the step waiting for
        // it, which judges it; the validator above has reported what is wrong.
        let value = value?;
        let id = id?;
        match value.get(0).and_then(Value::as_u64)? {
            2 => Some(Received::Call {
                id,
                action: value.get(2)?.as_str()?.to_owned(),
                payload: value.get(3).cloned().unwrap_or(Value::Null),
            }),
            3 => Some(Received::Result {
                id,
                payload: value.get(2).cloned().unwrap_or(Value::Null),
            }),
            4 => Some(Received::Error {
                id,
                code: value.get(2)?.as_str()?.to_owned(),
            }),
            // A SEND from the CSMS (6) is validated above and needs nothing more.
            5 if self
                .version
                .message_types()
                .contains(&MessageTypeId::CallResultError) =>
            {
                Some(Received::ResultError {
                    id,
                    code: value.get(2)?.as_str()?.to_owned(),
                })
            }
            _ => None,
        }
    }
}

/// The start of a frame, short enough for a report line.
pub(super) fn clip(text: &str) -> String {
    const MAX: usize = 120;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}…")
    }
}
