//! Checking a stream of frames of one connection: each frame on its own, and responses
//! against the calls they answer.
//!
//! A response (CALLRESULT or CALLERROR) belongs to the most recent earlier CALL with the
//! same message id, sent the other way, that is not answered yet; where a side is unknown
//! (raw frames carry no direction) it matches either way. A CALLRESULT is validated against
//! the response schema of that CALL's action. A response with no such CALL is an orphan, a
//! CALL still unanswered at the end is reported by [`Session::finish`].

use ocpp_types::{v16, v201, Initiator, OcppVersion};
use serde_json::Value;

use crate::code::{self, Class};
use crate::finding::{Category, Finding, Position, Severity};
use crate::frame::{check_frame, check_value, FrameParts};
use crate::payload::{validate_payload, PayloadKind};

/// Which side sent a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The charging station (1.6: charge point).
    ChargingStation,
    /// The CSMS (1.6: central system).
    Csms,
}

impl Origin {
    /// Reads the Open OCPP Trace spelling: `cp-to-csms` or `csms-to-cp`.
    pub fn from_trace(direction: &str) -> Option<Self> {
        match direction {
            "cp-to-csms" => Some(Self::ChargingStation),
            "csms-to-cp" => Some(Self::Csms),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
struct OpenCall {
    at: Position,
    message_id: String,
    origin: Option<Origin>,
    version: OcppVersion,
    action: String,
}

/// The state of one connection: the calls not yet answered.
#[derive(Debug, Clone, Default)]
pub struct Session {
    open: Vec<OpenCall>,
}

impl Session {
    /// A session with no calls open.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks one frame, given as text.
    pub fn check_text(
        &mut self,
        at: Position,
        version: OcppVersion,
        origin: Option<Origin>,
        text: &str,
    ) -> Vec<Finding> {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => self.check_value(at, version, origin, value),
            Err(_) => match check_frame(version, text) {
                Err(issue) => vec![framing(at, issue.rule, issue.message, issue.error_code)],
                Ok(_) => Vec::new(),
            },
        }
    }

    /// Checks one frame, given as parsed JSON.
    pub fn check_value(
        &mut self,
        at: Position,
        version: OcppVersion,
        origin: Option<Origin>,
        value: Value,
    ) -> Vec<Finding> {
        let frame = match check_value(version, value) {
            Ok(frame) => frame,
            Err(issue) => return vec![framing(at, issue.rule, issue.message, issue.error_code)],
        };
        let mut findings = Vec::new();
        match frame.parts() {
            FrameParts::Call {
                message_id,
                action,
                payload,
            } => {
                self.check_call(at, version, origin, action, payload, &mut findings);
                self.open.push(OpenCall {
                    at,
                    message_id: message_id.to_owned(),
                    origin,
                    version,
                    action: action.to_owned(),
                });
            }
            FrameParts::CallResult {
                message_id,
                payload,
            } => match self.answer(message_id, origin) {
                Some(call) => {
                    let payload = Value::Object(payload.clone());
                    if let Ok(violations) = validate_payload(
                        call.version,
                        &call.action,
                        PayloadKind::Response,
                        &payload,
                    ) {
                        findings.extend(violations.into_iter().map(|v| schema(at, &payload, v)));
                    }
                }
                None => findings.push(orphan(at, message_id, "CALLRESULT")),
            },
            FrameParts::CallError { message_id, .. } => {
                if self.answer(message_id, origin).is_none() {
                    findings.push(orphan(at, message_id, "CALLERROR"));
                }
            }
        }
        findings
    }

    /// How many calls are waiting for an answer.
    pub fn open_calls(&self) -> usize {
        self.open.len()
    }

    /// Gives up on the oldest open call (to bound memory), reporting it as unanswered.
    pub fn evict_oldest(&mut self) -> Option<Finding> {
        if self.open.is_empty() {
            return None;
        }
        let call = self.open.remove(0);
        Some(unanswered(call))
    }

    /// Reports the calls still unanswered, and forgets them.
    pub fn finish(&mut self) -> Vec<Finding> {
        self.open.drain(..).map(unanswered).collect()
    }

    fn check_call(
        &self,
        at: Position,
        version: OcppVersion,
        origin: Option<Origin>,
        action: &str,
        payload: &serde_json::Map<String, Value>,
        findings: &mut Vec<Finding>,
    ) {
        let Some(initiator) = initiator(version, action) else {
            findings.push(framing(
                at,
                "action-unknown",
                format!("OCPP {version} has no action {action:?}"),
                Some(code::code(version, Class::UnknownAction)),
            ));
            return;
        };
        let allowed = match (initiator, origin) {
            (_, None) | (Initiator::Either, _) => true,
            (Initiator::ChargingStation, Some(origin)) => origin == Origin::ChargingStation,
            (Initiator::Csms, Some(origin)) => origin == Origin::Csms,
            _ => true,
        };
        if !allowed {
            let sender = if initiator == Initiator::Csms {
                "the CSMS"
            } else {
                "the charging station"
            };
            findings.push(framing(
                at,
                "action-wrong-direction",
                format!("{action} is sent by {sender} only"),
                Some(code::code(version, Class::WrongWay)),
            ));
        }
        let payload = Value::Object(payload.clone());
        if let Ok(violations) = validate_payload(version, action, PayloadKind::Request, &payload) {
            findings.extend(violations.into_iter().map(|v| schema(at, &payload, v)));
        }
    }

    /// Removes and gives the call a response with `message_id` from `origin` answers.
    fn answer(&mut self, message_id: &str, origin: Option<Origin>) -> Option<OpenCall> {
        let position = self.open.iter().rposition(|call| {
            call.message_id == message_id
                && match (call.origin, origin) {
                    (Some(call_origin), Some(origin)) => call_origin != origin,
                    _ => true,
                }
        })?;
        Some(self.open.remove(position))
    }
}

fn unanswered(call: OpenCall) -> Finding {
    Finding {
        at: call.at,
        rule: "correlation-unanswered-call",
        severity: Severity::Warning,
        category: Category::Correlation,
        pointer: String::new(),
        message: format!(
            "{} CALL {:?} was never answered",
            call.action, call.message_id
        ),
        value: None,
        error_code: None,
    }
}

fn initiator(version: OcppVersion, action: &str) -> Option<Initiator> {
    match version {
        OcppVersion::V16 => v16::ActionName::from_name(action).map(v16::ActionName::initiator),
        _ => v201::ActionName::from_name(action).map(v201::ActionName::initiator),
    }
}

fn framing(
    at: Position,
    rule: &'static str,
    message: String,
    error_code: Option<crate::ErrorCode>,
) -> Finding {
    Finding {
        at,
        rule,
        severity: Severity::Error,
        category: Category::Framing,
        pointer: String::new(),
        message,
        value: None,
        error_code,
    }
}

fn schema(at: Position, payload: &Value, violation: crate::Violation) -> Finding {
    let value = match violation.kind {
        crate::ViolationKind::Required { .. } => None,
        _ => payload.pointer(&violation.pointer).cloned(),
    };
    Finding {
        at,
        rule: violation.kind.rule(),
        severity: Severity::Error,
        category: Category::Schema,
        pointer: violation.pointer,
        message: violation.message,
        value,
        error_code: Some(violation.error_code),
    }
}

fn orphan(at: Position, message_id: &str, what: &str) -> Finding {
    Finding {
        at,
        rule: "correlation-orphan-response",
        severity: Severity::Warning,
        category: Category::Correlation,
        pointer: String::new(),
        message: format!("{what} {message_id:?} answers no open CALL"),
        value: None,
        error_code: None,
    }
}
