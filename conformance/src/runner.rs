//! Executing a scenario: one station connection, every received frame validated strictly by
//! `ocpp-validate`, every difference from the scenario recorded as a deviation.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use futures_util::SinkExt;
use ocpp_types::OcppVersion;
use ocpp_validate::{check_frame, Origin, Position, Session, Severity};
use serde::Serialize;
use serde_json::{json, Value};
use tokio::time::{timeout_at, Instant};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use crate::csms::Csms;
use crate::deadline::{after, next_before};
use crate::matcher::Matcher;
use crate::scenario::{substitute, Expect, Requirement, Scenario, Step};
use crate::transport::{connect, ConnectError, Socket, Target};

#[cfg(test)]
mod flood_tests;

/// The most deviations listed for one case.
pub const MAX_DEVIATIONS: usize = 1_000;

/// The most CSMS CALLs kept waiting for an `expect_call` step; CALLs beyond it are answered
/// at once with a CALLERROR, so that neither the queue nor the open calls grow.
pub const MAX_QUEUED_CALLS: usize = 100;

/// The CALLERROR code for a CSMS CALL beyond [`MAX_QUEUED_CALLS`]: the CSMS broke the
/// one-CALL-at-a-time rule (OCPP-J 1.6 §4.1.1, OCPP 2.0.1 Part 4 §4.1.1 "Synchronicity"), and
/// no more specific code fits (OCPP-J 1.6 §4.2.3, OCPP 2.0.1 Part 4 §4.3: `GenericError`).
const OVERFLOW_CODE: &str = "GenericError";

/// One difference between what the CSMS did and what the case or the specification requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deviation {
    /// Stable rule id (`match`, `no-answer`, a validator rule such as `schema-enum`, …).
    pub rule: String,
    /// 1-based step the deviation occurred in (0: connecting).
    pub step: usize,
    /// What happened, with the frame or JSON pointer concerned.
    pub message: String,
}

/// A case's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// No deviation.
    Pass,
    /// At least one deviation, or the case could not run to its end.
    Fail,
    /// Not run; see the reason.
    Skip,
}

/// The outcome of one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseReport {
    /// Case id.
    pub id: String,
    /// Case title.
    pub name: String,
    /// Verdict.
    pub status: Status,
    /// Every deviation found.
    pub deviations: Vec<Deviation>,
    /// Why the case was skipped, or why it could not reach the CSMS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Whether the CSMS could not be reached at all (a usage or connection error).
    #[serde(skip)]
    pub unreachable: bool,
}

/// How the runner makes a CSMS send a CALL.
#[derive(Debug, Default)]
pub enum Trigger {
    /// It cannot: cases that need a trigger are skipped.
    #[default]
    None,
    /// Through the in-process reference CSMS.
    InProcess(std::sync::Arc<Csms>),
    /// By running a shell command with `OCPP_IDENTITY`, `OCPP_ACTION` and `OCPP_PAYLOAD` set.
    Command(String),
}

/// Everything a run needs besides the scenarios.
#[derive(Debug, Default)]
pub struct RunConfig {
    /// Where the CSMS is.
    pub target: Target,
    /// Identity for cases that name none.
    pub identity: String,
    /// How to trigger CSMS-initiated CALLs.
    pub trigger: Trigger,
    /// Whether the CSMS answers BootNotification by identity suffix.
    pub boot_by_identity: bool,
}

impl RunConfig {
    /// A run against an in-process reference CSMS, with its trigger hook, as `identity`.
    pub fn reference(csms: std::sync::Arc<Csms>, identity: &str) -> Self {
        Self {
            target: Target {
                url: csms.url(),
                ..Target::default()
            },
            identity: identity.to_owned(),
            trigger: Trigger::InProcess(csms),
            boot_by_identity: true,
        }
    }
}

/// Runs one case to its verdict.
pub async fn run_case(config: &RunConfig, scenario: &Scenario) -> CaseReport {
    let mut report = CaseReport {
        id: scenario.id.clone(),
        name: scenario.name.clone(),
        status: Status::Pass,
        deviations: Vec::new(),
        reason: None,
        unreachable: false,
    };
    if let Some(reason) = unmet(config, &scenario.requires) {
        report.status = Status::Skip;
        report.reason = Some(reason);
        return report;
    }
    let identity = scenario.identity.as_deref().unwrap_or(&config.identity);
    let version = OcppVersion::from(scenario.version);
    match Station::open(config, identity, version).await {
        Ok(mut station) => {
            for (index, step) in scenario.steps.iter().enumerate() {
                station.step = index + 1;
                if let Err(stop) = station.run(config, step).await {
                    station.deviate(stop.rule, stop.message);
                    break;
                }
            }
            station.close().await;
            report.deviations = station.deviations;
        }
        Err(error) => report.connect_failed(&error),
    }
    if !report.deviations.is_empty() || report.unreachable {
        report.status = Status::Fail;
    }
    report
}

impl CaseReport {
    /// Records why the station could not connect: a deviation of step 0 when the CSMS is to
    /// blame (a wrong subprotocol, a connection it accepted but did not finish opening in
    /// time), else the reason it could not be reached.
    pub(crate) fn connect_failed(&mut self, error: &ConnectError) {
        match error.rule() {
            Some(rule) => self.deviations.push(Deviation {
                rule: rule.to_owned(),
                step: 0,
                message: error.to_string(),
            }),
            None => {
                self.unreachable = true;
                self.reason = Some(error.to_string());
            }
        }
    }
}

fn unmet(config: &RunConfig, requires: &[Requirement]) -> Option<String> {
    requires.iter().find_map(|requirement| match requirement {
        Requirement::Trigger if matches!(config.trigger, Trigger::None) => Some(
            "needs a CSMS-initiated CALL: configure --trigger-cmd (or run without --target)"
                .to_owned(),
        ),
        Requirement::BootByIdentity if !config.boot_by_identity => Some(
            "needs a CSMS that answers BootNotification by identity: pass --boot-by-identity"
                .to_owned(),
        ),
        _ => None,
    })
}

/// Why a case stopped early.
pub(crate) struct Stop {
    pub(crate) rule: &'static str,
    pub(crate) message: String,
}

impl Stop {
    fn new(rule: &'static str, message: impl Into<String>) -> Self {
        Self {
            rule,
            message: message.into(),
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
}

/// One simulated station on one connection.
pub(crate) struct Station {
    socket: Socket,
    version: OcppVersion,
    identity: String,
    session: Session,
    /// Frames seen so far, for positions in findings.
    records: usize,
    next_id: u64,
    pub(crate) step: usize,
    vars: BTreeMap<String, Value>,
    /// CSMS CALLs received but not yet taken by an `expect_call` step.
    pub(crate) calls: VecDeque<Received>,
    /// The reply id of a malformed frame whose CALLERROR is awaited.
    raw_reply: Option<String>,
    pub(crate) deviations: Vec<Deviation>,
}

impl Station {
    pub(crate) async fn open(
        config: &RunConfig,
        identity: &str,
        version: OcppVersion,
    ) -> Result<Self, ConnectError> {
        let socket = connect(&config.target, identity, version).await?;
        Ok(Self {
            socket,
            version,
            identity: identity.to_owned(),
            session: Session::new(),
            records: 0,
            next_id: 1,
            step: 0,
            vars: BTreeMap::new(),
            calls: VecDeque::new(),
            raw_reply: None,
            deviations: Vec::new(),
        })
    }

    /// Records a deviation; past [`MAX_DEVIATIONS`] one final note stands for the rest, so a
    /// flooding CSMS cannot exhaust memory.
    pub(crate) fn deviate(&mut self, rule: &str, message: impl Into<String>) {
        let (rule, message) = match self.deviations.len() {
            n if n < MAX_DEVIATIONS => (rule.to_owned(), message.into()),
            n if n == MAX_DEVIATIONS => (
                "too-many-deviations".to_owned(),
                format!("more than {MAX_DEVIATIONS} deviations; the rest are not listed"),
            ),
            _ => return,
        };
        self.deviations.push(Deviation {
            rule,
            step: self.step,
            message,
        });
    }

    /// Keeps a CSMS CALL for a later `expect_call` step, up to [`MAX_QUEUED_CALLS`]; one
    /// beyond is answered with a CALLERROR (sent before `deadline`, else dropped with the
    /// step's end).
    async fn queue(&mut self, call: Received, deadline: Instant) -> Result<(), Stop> {
        if self.calls.len() < MAX_QUEUED_CALLS {
            self.calls.push_back(call);
            return Ok(());
        }
        self.deviate(
            "too-many-calls",
            format!("more than {MAX_QUEUED_CALLS} CALLs from the CSMS left unanswered"),
        );
        let Received::Call { id, .. } = call else {
            return Ok(());
        };
        let refusal = json!([4, id, OVERFLOW_CODE, "too many CALLs unanswered", {}]);
        timeout_at(deadline, self.send(refusal.to_string(), true))
            .await
            .unwrap_or(Ok(()))
    }

    pub(crate) fn fresh_id(&mut self) -> String {
        let id = format!("cs-{}", self.next_id);
        self.next_id += 1;
        id
    }

    fn position(&mut self) -> Position {
        self.records += 1;
        Position {
            record: self.records - 1,
            line: 0,
        }
    }

    pub(crate) async fn send(&mut self, frame: String, record: bool) -> Result<(), Stop> {
        if record {
            let at = self.position();
            self.session
                .check_text(at, self.version, Some(Origin::ChargingStation), &frame);
        }
        self.socket
            .send(Message::text(frame))
            .await
            .map_err(|e| Stop::new("connection-closed", format!("sending failed: {e}")))
    }

    pub(crate) async fn close(&mut self) {
        let _ = self.socket.close(None).await;
        for finding in self.session.finish() {
            if finding.severity == Severity::Error {
                self.deviate(finding.rule, finding.message);
            }
        }
    }

    async fn run(&mut self, config: &RunConfig, step: &Step) -> Result<(), Stop> {
        match step {
            Step::Call {
                action,
                payload,
                expect,
            } => self.call(action, payload, expect).await,
            Step::ExpectCall {
                action,
                matchers,
                capture,
                timeout_ms,
                respond,
                respond_error,
            } => {
                let (id, payload) = self.expect_call(action, *timeout_ms).await?;
                self.check(&payload, matchers, capture);
                let frame = match respond_error {
                    Some(code) => json!([4, id, code, "", {}]),
                    None => json!([3, id, substitute(respond, &self.vars)]),
                };
                self.send(frame.to_string(), true).await
            }
            Step::Trigger { action, payload } => {
                let payload = substitute(payload, &self.vars);
                self.trigger(config, action, payload).await
            }
            Step::SendRaw {
                text,
                error_code,
                reply_id,
            } => {
                let id = self.fresh_id();
                let text = text.replace("${id}", &id);
                let expected_id = reply_id.as_deref().unwrap_or("${id}").replace("${id}", &id);
                self.raw_reply = Some(expected_id.clone());
                self.send(text.clone(), false).await?;
                let deadline = after(Instant::now(), Duration::from_millis(5_000));
                let reply = self.wait_response(&expected_id, deadline).await;
                self.raw_reply = None;
                let reply = match reply {
                    // A missing CALLERROR is a deviation; later frames are still worth trying.
                    Err(stop) if stop.rule == "no-answer" => {
                        self.deviate(
                            "no-callerror",
                            format!("{}: no CALLERROR {error_code} in time", clip(&text)),
                        );
                        return Ok(());
                    }
                    other => other?,
                };
                match reply {
                    Received::Error { code, .. } if &code == error_code => {}
                    Received::Error { code, .. } => self.deviate(
                        "wrong-error-code",
                        format!(
                            "malformed frame answered with {code}, {} requires {error_code}",
                            self.version
                        ),
                    ),
                    _ => self.deviate(
                        "expected-callerror",
                        format!(
                            "malformed frame answered with a CALLRESULT, expected {error_code}"
                        ),
                    ),
                }
                Ok(())
            }
            Step::Wait { ms } => {
                tokio::time::sleep(Duration::from_millis(*ms)).await;
                Ok(())
            }
            Step::Reconnect {} => {
                self.close().await;
                self.socket = connect(&config.target, &self.identity, self.version)
                    .await
                    .map_err(|e| Stop::new("reconnect-failed", e.to_string()))?;
                self.session = Session::new();
                Ok(())
            }
        }
    }

    async fn call(&mut self, action: &str, payload: &Value, expect: &Expect) -> Result<(), Stop> {
        let id = self.fresh_id();
        let payload = substitute(payload, &self.vars);
        self.send(json!([2, id, action, payload]).to_string(), true)
            .await?;
        let deadline = after(Instant::now(), Duration::from_millis(expect.timeout_ms));
        match self.wait_response(&id, deadline).await? {
            Received::Result { payload, .. } => {
                if let Some(code) = &expect.error_code {
                    self.deviate(
                        "expected-callerror",
                        format!("{action}: CALLRESULT where a CALLERROR {code} was expected"),
                    );
                }
                self.check(&payload, &expect.matchers, &expect.capture);
            }
            Received::Error { code, .. } => {
                if expect.error_code.as_deref() != Some(code.as_str()) {
                    self.deviate(
                        "unexpected-callerror",
                        format!("{action}: answered with CALLERROR {code}"),
                    );
                }
            }
            Received::Call { .. } => {}
        }
        Ok(())
    }

    fn check(
        &mut self,
        payload: &Value,
        matchers: &BTreeMap<String, Matcher>,
        capture: &BTreeMap<String, String>,
    ) {
        for (pointer, matcher) in matchers {
            if let Err(why) = matcher.check(payload, pointer) {
                self.deviate("match", why);
            }
        }
        for (name, pointer) in capture {
            match payload.pointer(pointer) {
                Some(value) => {
                    self.vars.insert(name.clone(), value.clone());
                }
                None => self.deviate(
                    "capture",
                    format!("{pointer}: missing, cannot capture {name}"),
                ),
            }
        }
    }

    async fn trigger(
        &mut self,
        config: &RunConfig,
        action: &str,
        payload: Value,
    ) -> Result<(), Stop> {
        match &config.trigger {
            Trigger::None => Err(Stop::new("trigger", "no trigger configured")),
            Trigger::InProcess(csms) => csms
                .trigger(&self.identity, action, payload)
                .map_err(|e| Stop::new("trigger", e)),
            Trigger::Command(command) => {
                let status = tokio::process::Command::new("sh")
                    .arg("-c")
                    .arg(command)
                    .env("OCPP_IDENTITY", &self.identity)
                    .env("OCPP_ACTION", action)
                    .env("OCPP_PAYLOAD", payload.to_string())
                    .status()
                    .await
                    .map_err(|e| Stop::new("trigger", format!("{command}: {e}")))?;
                if status.success() {
                    Ok(())
                } else {
                    Err(Stop::new(
                        "trigger",
                        format!("{command}: exited with {status}"),
                    ))
                }
            }
        }
    }

    async fn expect_call(
        &mut self,
        action: &str,
        timeout_ms: u64,
    ) -> Result<(String, Value), Stop> {
        let deadline = after(Instant::now(), Duration::from_millis(timeout_ms));
        loop {
            if let Some(index) = self
                .calls
                .iter()
                .position(|c| matches!(c, Received::Call { action: a, .. } if a == action))
            {
                if let Some(Received::Call { id, payload, .. }) = self.calls.remove(index) {
                    return Ok((id, payload));
                }
            }
            match self.receive(deadline).await? {
                // Taken at once: a queue full of other CALLs must not turn it away.
                Some(Received::Call {
                    id,
                    action: got,
                    payload,
                }) if got == action => return Ok((id, payload)),
                Some(call @ Received::Call { .. }) => self.queue(call, deadline).await?,
                Some(_) => {}
                None => {
                    return Err(Stop::new(
                        "no-call",
                        format!("the CSMS sent no {action} within {timeout_ms} ms"),
                    ))
                }
            }
        }
    }

    pub(crate) async fn wait_response(
        &mut self,
        id: &str,
        deadline: Instant,
    ) -> Result<Received, Stop> {
        loop {
            match self.receive(deadline).await? {
                Some(call @ Received::Call { .. }) => self.queue(call, deadline).await?,
                Some(Received::Result { id: got, payload }) if got == id => {
                    return Ok(Received::Result { id: got, payload })
                }
                Some(Received::Error { id: got, code }) if got == id => {
                    return Ok(Received::Error { id: got, code })
                }
                Some(_) => {}
                None => {
                    return Err(Stop::new(
                        "no-answer",
                        format!("no answer to message {id} in time"),
                    ))
                }
            }
        }
    }

    /// The next frame from the CSMS, validated; `None` when the deadline passes.
    async fn receive(&mut self, deadline: Instant) -> Result<Option<Received>, Stop> {
        loop {
            let message = match next_before(&mut self.socket, deadline).await {
                None => return Ok(None),
                Some(None | Some(Err(WsError::ConnectionClosed | WsError::AlreadyClosed))) => {
                    return Err(Stop::new(
                        "connection-closed",
                        "the CSMS closed the connection",
                    ))
                }
                Some(Some(Err(WsError::Capacity(error)))) => {
                    return Err(Stop::new("frame-too-large", format!("{error}")))
                }
                Some(Some(Err(error))) => {
                    return Err(Stop::new(
                        "connection-closed",
                        format!("connection failed: {error}"),
                    ))
                }
                Some(Some(Ok(message))) => message,
            };
            match message {
                Message::Text(text) => {
                    if let Some(received) = self.validate(text.as_str()) {
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
                        "connection-closed",
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
        let answers_raw = id.is_some() && id == self.raw_reply;
        if answers_raw {
            if let Err(issue) = check_frame(self.version, text) {
                self.deviate(issue.rule, format!("{}: {}", clip(text), issue.message));
            }
        } else {
            let at = self.position();
            for finding in self
                .session
                .check_text(at, self.version, Some(Origin::Csms), text)
            {
                // A live peer's orphan response is never a cut-off trace: always a deviation.
                let live_orphan = finding.rule == "correlation-orphan-response";
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
            _ => None,
        }
    }
}

/// The start of a frame, short enough for a report line.
fn clip(text: &str) -> String {
    const MAX: usize = 120;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}…")
    }
}
