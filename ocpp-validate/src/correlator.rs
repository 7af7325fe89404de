//! Checking a stream of frames of one connection: each frame on its own, and responses
//! against the calls they answer.
//!
//! A response (CALLRESULT or CALLERROR) belongs to the most recent earlier CALL with the
//! same message id, sent the other way, that is not answered yet; where a side is unknown
//! (raw frames carry no direction) it matches either way. A CALLRESULT is validated against
//! the response schema of that CALL's action. A response with no such CALL is an orphan; a
//! response too broken to validate still closes its CALL when its message id can be read.
//! Calls still unanswered at the end are reported by [`Correlator::finish`].
//!
//! OCPP 2.1 adds two message types (Part 4 §4.2.3, §4.2.4): a SEND is checked like a CALL
//! but opens nothing, since it is never answered; a CALLRESULTERROR answers a CALLRESULT, the
//! most recent one with its message id sent the other way, and is an orphan without one. The
//! CALLRESULTs a CALLRESULTERROR could still answer are kept for 2.1 connections only, the
//! last [`RESULTS_KEPT`] of them.
//!
//! OCPP 2.1 also asks each side to give every CALL and SEND a message id of its own (Part 4
//! §4.1.4): one used again by the same side is `correlation-message-id-reused`, checked
//! against that side's open calls and the last [`IDS_KEPT`](crate::used_ids::IDS_KEPT) ids used on the connection.

use std::borrow::Cow;

use ocpp_model::framing::MessageTypeId;
use ocpp_model::{Initiator, OcppVersion, Sender};
use serde_json::Value;

use crate::code::{self, Class};
use crate::finding::{Category, Finding, Position, Severity};
use crate::frame::{check_parsed, FrameParts};
use crate::open_calls::OpenCalls;
use crate::payload::validate_payload;
use crate::single_pass::{self, SinglePass};
use crate::tape::Tape;
use crate::used_ids::UsedIds;
use ocpp_model::PayloadKind;

/// How many CALLRESULTs of a 2.1 connection are kept for a CALLRESULTERROR to answer.
pub(crate) const RESULTS_KEPT: usize = 1024;

/// What is kept of a call waiting for its answer.
#[derive(Debug, Clone)]
struct OpenCall {
    at: Position,
    version: OcppVersion,
    /// The action name: the version's own (static) spelling when the action is known.
    action: Cow<'static, str>,
}

/// The state of one connection: the calls not yet answered.
#[derive(Debug, Clone, Default)]
pub struct Correlator {
    open: OpenCalls<OpenCall>,
    /// The CALLRESULTs (of versions with CALLRESULTERROR) that one could still answer, with
    /// where each was and the action of the CALL it answered.
    results: OpenCalls<(Position, Option<String>)>,
    /// The ids of the CALLs and SENDs each side sent last (versions with SEND only).
    used: UsedIds,
    /// Whether the part each frame takes in pairing is kept for [`Correlator::take_pairing`].
    keep_pairings: bool,
    /// The part the last frame checked took in pairing, when kept.
    pairing: Option<Pairing>,
}

/// The part a frame took in pairing responses with calls: a CALL opened (or, when broken,
/// merely seen), or a response and the CALL it answers. Only frames whose message type and
/// message id can be read have one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pairing {
    /// Where the frame is.
    pub at: Position,
    /// Its message type.
    pub message_type: MessageTypeId,
    /// Its message id.
    pub message_id: String,
    /// A CALL's own action (when it is a string); on a response, that of the CALL it answers.
    pub action: Option<String>,
    /// On a response, where the CALL it answers is; `None` for an orphan (and for a CALL).
    pub answers: Option<Position>,
}

/// One frame being checked.
#[derive(Clone, Copy)]
struct Context {
    at: Position,
    version: OcppVersion,
    origin: Option<Sender>,
}

impl Correlator {
    /// A correlator with no calls open.
    pub fn new() -> Self {
        Self::default()
    }

    /// The same correlator, keeping the part each frame takes in pairing for
    /// [`Correlator::take_pairing`].
    pub fn keeping_pairings(mut self) -> Self {
        self.keep_pairings = true;
        self
    }

    /// The part the frame checked last took in pairing, when this correlator keeps them and
    /// the frame's message type and id could be read.
    pub fn take_pairing(&mut self) -> Option<Pairing> {
        self.pairing.take()
    }

    /// Pairs a frame that is not checked (an OCPP-S record described by its members): a
    /// CALL is opened and a response closes its CALL, without findings.
    pub fn pair_unchecked(
        &mut self,
        at: Position,
        version: OcppVersion,
        origin: Option<Sender>,
        frame: &Value,
    ) {
        let cx = Context {
            at,
            version,
            origin,
        };
        let (Some(kind), Some(id)) = (
            frame.get(0).and_then(Value::as_u64),
            frame.get(1).and_then(Value::as_str),
        ) else {
            return;
        };
        let action = frame.get(2).and_then(Value::as_str);
        match kind {
            2 => {
                self.open(cx, id, action.unwrap_or_default(), None);
                self.note_call(at, id, action);
            }
            3 | 4 => {
                let message_type = match kind {
                    3 => MessageTypeId::CallResult,
                    _ => MessageTypeId::CallError,
                };
                self.note_response(cx, message_type, id);
            }
            5 if defines(version, MessageTypeId::CallResultError) => {
                self.note_result_error(at, id, origin);
            }
            6 if defines(version, MessageTypeId::Send) => self.note_send(at, id, action),
            _ => {}
        }
    }

    /// Checks one frame, given as text. Valid CALLs and CALLRESULTs take a fast path that
    /// decodes the payload from the text; everything else is parsed and checked in full.
    pub fn check_text(
        &mut self,
        at: Position,
        version: OcppVersion,
        origin: Option<Sender>,
        text: &str,
    ) -> Vec<Finding> {
        self.check_text_recorded(at, version, origin, text, None)
    }

    /// Checks one frame, given as text, as [`Self::check_text`] does, recording on `tape` the
    /// payloads of valid frames that the semantic rules read.
    pub(crate) fn check_text_recorded(
        &mut self,
        at: Position,
        version: OcppVersion,
        origin: Option<Sender>,
        text: &str,
        tape: Option<&mut Tape>,
    ) -> Vec<Finding> {
        let cx = Context {
            at,
            version,
            origin,
        };
        let open = &self.open;
        let lookup = |message_id: &str| {
            open.get(message_id, origin)
                .map(|call| (call.version, &*call.action))
        };
        match single_pass::parse(text, version, &lookup, tape) {
            Some(SinglePass::Call { message_id, action }) => {
                let mut findings = Vec::new();
                let known = self.check_action(cx, action, MessageTypeId::Call, &mut findings);
                self.note_id(cx, message_id, action, MessageTypeId::Call, &mut findings);
                self.open(cx, message_id, action, known);
                self.note_call(at, message_id, Some(action));
                findings
            }
            Some(SinglePass::CallResult {
                message_id,
                answered,
            }) => {
                self.note_response(cx, MessageTypeId::CallResult, message_id);
                if answered {
                    Vec::new()
                } else {
                    vec![orphan(at, message_id, "CALLRESULT")]
                }
            }
            None => match serde_json::from_str::<Value>(text) {
                Ok(value) => self.check_parsed(at, version, origin, value, Some(text)),
                Err(error) => vec![framing(
                    at,
                    "frame-not-json",
                    format!("not JSON: {error}"),
                    Some(code::code(version, Class::Syntax)),
                )],
            },
        }
    }

    /// Checks one frame, given as parsed JSON.
    pub fn check_value(
        &mut self,
        at: Position,
        version: OcppVersion,
        origin: Option<Sender>,
        value: Value,
    ) -> Vec<Finding> {
        self.check_parsed(at, version, origin, value, None)
    }

    /// Checks one frame parsed from `text` (when known, to refuse repeated member names).
    fn check_parsed(
        &mut self,
        at: Position,
        version: OcppVersion,
        origin: Option<Sender>,
        value: Value,
        text: Option<&str>,
    ) -> Vec<Finding> {
        let cx = Context {
            at,
            version,
            origin,
        };
        let readable = match (
            value.get(0).and_then(Value::as_u64),
            value.get(1).and_then(Value::as_str),
        ) {
            (Some(kind @ 2..=6), Some(id)) => Some((kind, id.to_owned())),
            _ => None,
        };
        let call_action = value.get(2).and_then(Value::as_str).map(str::to_owned);
        let frame = match check_parsed(version, value, text) {
            Ok(frame) => frame,
            Err(issue) => {
                // A broken CALL is not opened; a broken response still closes its CALL.
                match readable {
                    Some((2, id)) => self.note_call(at, &id, call_action.as_deref()),
                    Some((3, id)) => {
                        self.note_response(cx, MessageTypeId::CallResult, &id);
                    }
                    Some((4, id)) => {
                        self.note_response(cx, MessageTypeId::CallError, &id);
                    }
                    Some((5, id)) if defines(version, MessageTypeId::CallResultError) => {
                        self.note_result_error(at, &id, origin);
                    }
                    Some((6, id)) if defines(version, MessageTypeId::Send) => {
                        self.note_send(at, &id, call_action.as_deref());
                    }
                    _ => {}
                }
                return vec![framing(at, issue.rule, issue.message, issue.error_code)];
            }
        };
        let mut findings = Vec::new();
        match FrameParts::from(frame) {
            FrameParts::Call {
                message_id,
                action,
                payload,
            } => {
                let known = self.check_action(cx, &action, MessageTypeId::Call, &mut findings);
                if known.is_some() {
                    validate(
                        cx,
                        &action,
                        PayloadKind::Request,
                        &Value::Object(payload),
                        true,
                        &mut findings,
                    );
                }
                self.note_id(cx, &message_id, &action, MessageTypeId::Call, &mut findings);
                self.open(cx, &message_id, &action, known);
                self.note_call(at, &message_id, Some(&action));
            }
            FrameParts::CallResult {
                message_id,
                payload,
            } => match self.note_response(cx, MessageTypeId::CallResult, &message_id) {
                Some(call) => {
                    let cx = Context {
                        version: call.version,
                        ..cx
                    };
                    validate(
                        cx,
                        &call.action,
                        PayloadKind::Response,
                        &Value::Object(payload),
                        defines(cx.version, MessageTypeId::CallResultError),
                        &mut findings,
                    );
                }
                None => findings.push(orphan(at, &message_id, "CALLRESULT")),
            },
            FrameParts::CallError { message_id, .. } => {
                let answered = self.note_response(cx, MessageTypeId::CallError, &message_id);
                if answered.is_none() {
                    findings.push(orphan(at, &message_id, "CALLERROR"));
                }
            }
            FrameParts::CallResultError { message_id, .. } => {
                if !self.note_result_error(at, &message_id, origin) {
                    findings.push(Finding {
                        message: format!(
                            "CALLRESULTERROR {message_id:?} answers no CALLRESULT sent the other way"
                        ),
                        ..orphan(at, &message_id, "CALLRESULTERROR")
                    });
                }
            }
            FrameParts::Send {
                message_id,
                action,
                payload,
            } => {
                if self
                    .check_action(cx, &action, MessageTypeId::Send, &mut findings)
                    .is_some()
                {
                    validate(
                        cx,
                        &action,
                        PayloadKind::Request,
                        &Value::Object(payload),
                        false,
                        &mut findings,
                    );
                }
                self.note_id(cx, &message_id, &action, MessageTypeId::Send, &mut findings);
                self.note_send(at, &message_id, Some(&action));
            }
        }
        findings
    }

    /// Checks that a CALL's or SEND's message id is not one its sender used before, and keeps
    /// it. OCPP 2.1 Part 4 §4.1.4: the id of a CALL or SEND MUST differ from every id the same
    /// sender used for another CALL or SEND; a CALL retried because it got no answer MAY
    /// repeat its id, so a CALL of the same action as the sender's open CALL with that id is
    /// taken as its retry. Only a known sender is checked: both sides may well count their
    /// ids from the same start. OCPP-J 1.6 §4.1.4 and 2.0.1 Part 4 §4.1.4 ask the same of
    /// CALLs; connections of those versions are not checked.
    fn note_id(
        &mut self,
        cx: Context,
        message_id: &str,
        action: &str,
        sent_as: MessageTypeId,
        findings: &mut Vec<Finding>,
    ) {
        let Some(sender) = cx.origin else {
            return;
        };
        if !defines(cx.version, MessageTypeId::Send) {
            return;
        }
        let earlier = match self.open.sent_by(message_id, sender) {
            Some(call) if sent_as == MessageTypeId::Call && call.action == action => None,
            Some(call) => Some(format!(
                "the {} CALL on line {}, still waiting for its answer",
                call.action, call.at.line
            )),
            None => self
                .used
                .contains(sender, message_id)
                .then(|| "an earlier CALL or SEND".to_owned()),
        };
        if let Some(earlier) = earlier {
            let what = match sent_as {
                MessageTypeId::Send => "SEND",
                _ => "CALL",
            };
            findings.push(Finding {
                at: cx.at,
                rule: "correlation-message-id-reused",
                severity: Severity::Error,
                category: Category::Correlation,
                pointer: String::new(),
                message: format!(
                    "{action} {what} {message_id:?} has the message id of {earlier} from the same side: each CALL and SEND needs an id of its own"
                ),
                value: None,
                error_code: (sent_as == MessageTypeId::Call)
                    .then(|| code::code(cx.version, Class::Rpc)),
            });
        }
        self.used.insert(sender, message_id);
    }

    /// Keeps, when asked to, that a SEND was seen; it opens nothing, as it is never answered.
    fn note_send(&mut self, at: Position, message_id: &str, action: Option<&str>) {
        if self.keep_pairings {
            self.pairing = Some(Pairing {
                at,
                message_type: MessageTypeId::Send,
                message_id: message_id.to_owned(),
                action: action.map(str::to_owned),
                answers: None,
            });
        }
    }

    /// Pairs a CALLRESULTERROR with the CALLRESULT it answers, keeping the pairing when asked
    /// to; whether there was one.
    fn note_result_error(
        &mut self,
        at: Position,
        message_id: &str,
        origin: Option<Sender>,
    ) -> bool {
        let result = self.results.answer(message_id, origin);
        if self.keep_pairings {
            self.pairing = Some(Pairing {
                at,
                message_type: MessageTypeId::CallResultError,
                message_id: message_id.to_owned(),
                action: result.as_ref().and_then(|(_, action)| action.clone()),
                answers: result.as_ref().map(|(at, _)| *at),
            });
        }
        result.is_some()
    }

    /// Keeps, when asked to, that a CALL was seen.
    fn note_call(&mut self, at: Position, message_id: &str, action: Option<&str>) {
        if self.keep_pairings {
            self.pairing = Some(Pairing {
                at,
                message_type: MessageTypeId::Call,
                message_id: message_id.to_owned(),
                action: action.map(str::to_owned),
                answers: None,
            });
        }
    }

    /// Closes the call a response with `message_id` answers, giving it, and keeps, when asked
    /// to, what the response answered. On a connection whose version has CALLRESULTERROR, a
    /// CALLRESULT is kept for one to answer.
    fn note_response(
        &mut self,
        cx: Context,
        message_type: MessageTypeId,
        message_id: &str,
    ) -> Option<OpenCall> {
        let Context { at, origin, .. } = cx;
        let call = self.answer(message_id, origin);
        if message_type == MessageTypeId::CallResult
            && defines(cx.version, MessageTypeId::CallResultError)
        {
            let action = call.as_ref().map(|call| call.action.to_string());
            self.results.open(message_id, origin, (at, action));
            if self.results.len() > RESULTS_KEPT {
                self.results.pop_oldest();
            }
        }
        if self.keep_pairings {
            self.pairing = Some(Pairing {
                at,
                message_type,
                message_id: message_id.to_owned(),
                action: call
                    .as_ref()
                    .map(|call| call.action.to_string())
                    .filter(|action| !action.is_empty()),
                answers: call.as_ref().map(|call| call.at),
            });
        }
        call
    }

    /// The action of the open call that a response with this id, from `origin`, answers.
    pub fn action_of(&self, message_id: &str, origin: Option<Sender>) -> Option<&str> {
        self.open.get(message_id, origin).map(|call| &*call.action)
    }

    /// How many calls are waiting for an answer.
    pub fn open_calls(&self) -> usize {
        self.open.len()
    }

    /// Whether the correlator keeps nothing: no call open, no CALLRESULT a CALLRESULTERROR
    /// could answer, no message id of an earlier CALL or SEND. One that keeps nothing can
    /// be dropped, or reused for another connection, without changing what is found.
    pub(crate) fn keeps_nothing(&self) -> bool {
        self.open.len() == 0 && self.results.len() == 0 && self.used.is_empty()
    }

    /// Whether the room kept for open calls, CALLRESULTs and message ids is small (a few
    /// dozen each), so that keeping the correlator empty for reuse costs little.
    pub(crate) fn holds_little(&self) -> bool {
        self.open.holds_little()
            && self.results.holds_little()
            && self.used.holds_little(crate::open_calls::SMALL)
    }

    /// Gives up on the oldest open call (to bound memory), reporting it as unanswered.
    pub fn evict_oldest(&mut self) -> Option<Finding> {
        self.open
            .pop_oldest()
            .map(|(message_id, call)| unanswered(&message_id, call))
    }

    /// Reports the calls still unanswered, and forgets them.
    pub fn finish(&mut self) -> Vec<Finding> {
        self.open
            .drain()
            .map(|(message_id, call)| unanswered(&message_id, call))
            .collect()
    }

    /// Records a CALL as waiting for its answer; `known` is the version's spelling of its
    /// action when the action is known.
    fn open(&mut self, cx: Context, message_id: &str, action: &str, known: Option<&'static str>) {
        let call = OpenCall {
            at: cx.at,
            version: cx.version,
            action: known.map_or_else(|| Cow::Owned(action.to_owned()), Cow::Borrowed),
        };
        self.open.open(message_id, cx.origin, call);
    }

    /// Checks that the version has the action, that it comes from the side that may send it
    /// and, in OCPP 2.1, in the message type that carries it (`sent_as`: CALL or SEND); gives
    /// the version's spelling of the name, `None` when the action is unknown (its payload
    /// cannot be checked). A SEND is never answered, so its findings carry no code.
    fn check_action(
        &self,
        cx: Context,
        action: &str,
        sent_as: MessageTypeId,
        findings: &mut Vec<Finding>,
    ) -> Option<&'static str> {
        let answered = sent_as == MessageTypeId::Call;
        let code = |class| answered.then(|| code::code(cx.version, class));
        let Some(info) = cx.version.action(action) else {
            findings.push(framing(
                cx.at,
                "action-unknown",
                format!("OCPP {} has no action {action:?}", cx.version),
                code(Class::UnknownAction),
            ));
            return None;
        };
        let wrong_way = match (info.initiator, cx.origin) {
            (Initiator::ChargingStation, Some(Sender::Csms)) => Some("the charging station"),
            (Initiator::Csms, Some(Sender::ChargingStation)) => Some("the CSMS"),
            _ => None,
        };
        if let Some(sender) = wrong_way {
            findings.push(framing(
                cx.at,
                "action-wrong-direction",
                format!("{action} is sent by {sender} only"),
                code(Class::WrongWay),
            ));
        }
        // OCPP 2.1 Part 4 §4.1.3: a SEND carries the messages whose names end in neither
        // "Request" nor "Response", a CALL the requests.
        match (sent_as, info.has_response) {
            (MessageTypeId::Call, false) => findings.push(framing(
                cx.at,
                "action-sent-as-call",
                format!("{action} is an unconfirmed message: it is sent as SEND, not as CALL"),
                None,
            )),
            (MessageTypeId::Send, true) => findings.push(framing(
                cx.at,
                "action-sent-as-send",
                format!("{action} is a request: it is sent as CALL and answered, not as SEND"),
                None,
            )),
            _ => {}
        }
        Some(info.name)
    }

    /// Removes and gives the call a response with `message_id` from `origin` answers.
    fn answer(&mut self, message_id: &str, origin: Option<Sender>) -> Option<OpenCall> {
        self.open.answer(message_id, origin)
    }
}

/// Checks a payload against its schema; `answered` says whether its violations are answered
/// (a CALL's with a CALLERROR, a 2.1 CALLRESULT's with a CALLRESULTERROR, a SEND's never),
/// so whether they carry the code to answer with.
fn validate(
    cx: Context,
    action: &str,
    kind: PayloadKind,
    payload: &Value,
    answered: bool,
    findings: &mut Vec<Finding>,
) {
    let Ok(violations) = validate_payload(cx.version, action, kind, payload) else {
        return;
    };
    for violation in violations {
        let value = match violation.kind {
            crate::ViolationKind::Required { .. } => None,
            _ => payload.pointer(&violation.pointer).cloned(),
        };
        findings.push(Finding {
            at: cx.at,
            rule: violation.kind.rule(),
            severity: Severity::Error,
            category: Category::Schema,
            pointer: violation.pointer,
            message: violation.message,
            value,
            error_code: answered.then_some(violation.error_code),
        });
    }
}

fn unanswered(message_id: &str, call: OpenCall) -> Finding {
    Finding {
        at: call.at,
        rule: "correlation-unanswered-call",
        severity: Severity::Warning,
        category: Category::Correlation,
        pointer: String::new(),
        message: format!("{} CALL {message_id:?} was never answered", call.action),
        value: None,
        error_code: None,
    }
}

/// Whether `version` has the message type.
fn defines(version: OcppVersion, message_type: MessageTypeId) -> bool {
    version.message_types().contains(&message_type)
}

fn framing(
    at: Position,
    rule: &'static str,
    message: String,
    error_code: Option<ocpp_model::AnyErrorCode>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probes::probes;

    /// The most calls `check` keeps open per charge point, as in `check.rs`.
    const CAP: usize = 65_536;

    #[test]
    fn work_per_message_stays_bounded_at_the_open_call_cap() {
        let mut correlator = Correlator::new();
        let start = probes();
        let mut messages = 0u64;
        let mut counts = (0, 0);
        let mut step = |correlator: &mut Correlator, origin, text: &str| {
            let findings =
                correlator.check_text(Position::default(), OcppVersion::V16, Some(origin), text);
            if correlator.open_calls() > CAP {
                counts.1 += usize::from(correlator.evict_oldest().is_some());
            }
            counts.0 += findings
                .iter()
                .filter(|f| f.rule == "correlation-orphan-response")
                .count();
            messages += 1;
            // Amortised O(1): a constant number of calls looked at or moved per message.
            let work = probes() - start;
            assert!(
                work <= 16 * messages + 64,
                "{work} probes after {messages} messages"
            );
        };
        for i in 0..300_000 {
            let call = format!(r#"[2,"c{i}","Heartbeat",{{}}]"#);
            step(&mut correlator, Sender::ChargingStation, &call);
            if i % 7 == 1 {
                // Answered at once: the call leaves in the middle of the order.
                let result = format!(r#"[3,"c{i}",{{"currentTime":"2024-01-01T00:00:00Z"}}]"#);
                step(&mut correlator, Sender::Csms, &result);
            }
        }
        for i in 0..200_000 {
            step(
                &mut correlator,
                Sender::Csms,
                &format!(r#"[3,"o{i}",{{}}]"#),
            );
        }
        let answered = (0..300_000).filter(|i| i % 7 == 1).count();
        assert_eq!(counts.0, 200_000, "every orphan reported");
        assert_eq!(correlator.open_calls(), CAP);
        assert_eq!(counts.1, 300_000 - answered - CAP, "the oldest evicted");
        assert_eq!(correlator.finish().len(), CAP);
    }

    #[test]
    fn keeps_nothing_and_holds_little_count_every_part_kept() {
        let (station, csms) = (Some(Sender::ChargingStation), Some(Sender::Csms));
        let at = Position::default();
        let mut correlator = Correlator::new();
        assert!(correlator.keeps_nothing() && correlator.holds_little());
        let heartbeat = |i: usize| format!(r#"[2,"c{i}","Heartbeat",{{}}]"#);
        let result = |i: usize| format!(r#"[3,"c{i}",{{"currentTime":"2024-01-01T00:00:00Z"}}]"#);
        // OCPP 2.0.1 keeps nothing once its calls are answered.
        correlator.check_text(at, OcppVersion::V201, station, &heartbeat(0));
        assert!(!correlator.keeps_nothing(), "a call open");
        correlator.check_text(at, OcppVersion::V201, csms, &result(0));
        assert!(correlator.keeps_nothing());
        // OCPP 2.1 keeps the CALLRESULT for a CALLRESULTERROR and the id used.
        correlator.check_text(at, OcppVersion::V21, station, &heartbeat(1));
        correlator.check_text(at, OcppVersion::V21, csms, &result(1));
        assert_eq!(correlator.open_calls(), 0);
        assert!(!correlator.keeps_nothing(), "a CALLRESULT and an id kept");
        // Only the CALLRESULTs of many calls answered, without a side named: the room they
        // took is counted even though no call is open.
        let mut results = Correlator::new();
        for i in 0..200 {
            results.check_text(at, OcppVersion::V21, None, &heartbeat(i));
            results.check_text(at, OcppVersion::V21, None, &result(i));
        }
        assert_eq!(results.open_calls(), 0);
        assert!(
            results.open.holds_little(),
            "the open calls alone hold little"
        );
        assert!(!results.holds_little());
        // And the ids used, without any CALLRESULT.
        let mut ids = Correlator::new();
        for i in 0..200 {
            let send = format!(
                r#"[6,"s{i}","NotifyPeriodicEventStream",{{"id":1,"pending":0,"basetime":"2024-08-27T12:30:40Z","data":[{{"t":0,"v":"1"}}]}}]"#
            );
            assert_eq!(ids.check_text(at, OcppVersion::V21, station, &send), []);
        }
        assert!(ids.open.holds_little() && ids.results.holds_little());
        assert!(!ids.holds_little());
    }
}
