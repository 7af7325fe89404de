//! Frame-level checks: is the text an OCPP-J frame of the version, and if not, which rule
//! does it break and what must the receiver answer.

use ocpp_model::framing::{duplicate_key, Frame, FrameError, MessageTypeId, RpcErrorCode};
use ocpp_model::{AnyErrorCode, AnyFrame, OcppVersion};
use serde_json::Value;

use crate::code::{self, Class};

/// The parts of a frame that checks need, whatever the version.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::exhaustive_enums,
    reason = "the OCPP-J message types a frame can be, up to 2.1"
)]
pub enum FrameParts {
    /// A CALL.
    Call {
        /// Its message id.
        message_id: String,
        /// Its action name.
        action: String,
        /// Its payload.
        payload: serde_json::Map<String, Value>,
    },
    /// A CALLRESULT.
    CallResult {
        /// Its message id.
        message_id: String,
        /// Its payload.
        payload: serde_json::Map<String, Value>,
    },
    /// A CALLERROR.
    CallError {
        /// Its message id.
        message_id: String,
        /// Its error code as written.
        error_code: &'static str,
    },
    /// A CALLRESULTERROR (OCPP 2.1): an error answer to a CALLRESULT.
    CallResultError {
        /// Its message id, that of the CALLRESULT it answers.
        message_id: String,
        /// Its error code as written.
        error_code: &'static str,
    },
    /// A SEND (OCPP 2.1): a message that is never answered.
    Send {
        /// Its message id.
        message_id: String,
        /// Its action name.
        action: String,
        /// Its payload.
        payload: serde_json::Map<String, Value>,
    },
}

/// The frame's parts, taken out of it.
impl From<AnyFrame> for FrameParts {
    fn from(frame: AnyFrame) -> Self {
        match frame {
            AnyFrame::V16(frame) => parts(frame),
            AnyFrame::V201(frame) => parts(frame),
            AnyFrame::V21(frame) => parts(frame),
        }
    }
}

fn parts<E: RpcErrorCode>(frame: Frame<E>) -> FrameParts {
    match frame {
        Frame::Call(call) => FrameParts::Call {
            message_id: call.message_id.into_string(),
            action: call.action,
            payload: call.payload,
        },
        Frame::CallResult(result) => FrameParts::CallResult {
            message_id: result.message_id.into_string(),
            payload: result.payload,
        },
        Frame::CallError(error) => FrameParts::CallError {
            message_id: error.message_id.into_string(),
            error_code: error.error_code.as_str(),
        },
        Frame::CallResultError(error) => FrameParts::CallResultError {
            message_id: error.message_id.into_string(),
            error_code: error.error_code.as_str(),
        },
        Frame::Send(send) => FrameParts::Send {
            message_id: send.message_id.into_string(),
            action: send.action,
            payload: send.payload,
        },
    }
}

/// Why a text is not a frame of the version.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FrameIssue {
    /// Stable rule id (`frame-not-json`, `frame-wrong-arity`, …): [`FrameError::rule`] of
    /// [`error`](Self::error).
    pub rule: &'static str,
    /// What the framing decoder found wrong.
    pub error: FrameError,
    /// What is wrong, and where in the array.
    pub message: String,
    /// The code the receiver must answer with — in a CALLERROR, or for a broken OCPP 2.1
    /// CALLRESULT in a CALLRESULTERROR; `None` when it must not answer (a broken CALLERROR,
    /// CALLRESULTERROR or SEND, a broken CALLRESULT before 2.1, or a 1.6 or 2.1 frame of
    /// unknown type, which those versions say to ignore).
    pub error_code: Option<AnyErrorCode>,
    /// The message id to answer with: the frame's own when it can be read, else `"-1"` as
    /// OCPP 2.0.1 Part 4 §4.2.3 prescribes (1.6 says nothing; the same is used).
    pub reply_id: String,
}

/// Decodes `text` as a frame of `version`.
pub fn check_frame(version: OcppVersion, text: &str) -> Result<AnyFrame, FrameIssue> {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(parse) => {
            let error = FrameError::not_json(&parse);
            return Err(FrameIssue {
                rule: error.rule(),
                error,
                message: format!("not JSON: {parse}"),
                error_code: Some(code::code(version, Class::Syntax)),
                reply_id: "-1".to_owned(),
            });
        }
    };
    check_parsed(version, value, Some(text))
}

/// Decodes an already parsed JSON value as a frame of `version`. A value cannot tell that
/// its text repeated a member name; [`check_frame`] can.
pub fn decode_frame(version: OcppVersion, value: Value) -> Result<AnyFrame, FrameIssue> {
    check_parsed(version, value, None)
}

/// Decodes `value` as a frame of `version`; `text`, when given, is what it was parsed from
/// and is refused if one of its objects repeats a member name.
pub(crate) fn check_parsed(
    version: OcppVersion,
    value: Value,
    text: Option<&str>,
) -> Result<AnyFrame, FrameIssue> {
    let type_id = value.get(0).and_then(Value::as_u64);
    let reply_id = match value.get(1).and_then(Value::as_str) {
        Some(id) if id.chars().count() <= 36 => id.to_owned(),
        _ => "-1".to_owned(),
    };
    let result = match (
        text.and_then(|text| duplicate_key(text.as_bytes())),
        version,
    ) {
        (Some(duplicate), _) => Err(FrameError::DuplicateKey(duplicate)),
        (None, version) => AnyFrame::from_value(version, value),
    };
    result.map_err(|error| {
        let class = class(&error);
        let error_code = match class {
            Class::UnknownMessageType if !code::answers_unknown_message_type(version) => None,
            class if answered(version, type_id) => Some(code::code(version, class)),
            _ => None,
        };
        let message = match &error {
            FrameError::UnknownErrorCode(code) => format!(
                "error code {code:?} at index 2 is not an OCPP {version} error code: {}",
                code::unknown_code_hint(version, code)
            ),
            _ => error.to_string(),
        };
        FrameIssue {
            rule: error.rule(),
            error,
            message,
            error_code,
            reply_id,
        }
    })
}

/// Whether a broken frame whose message type number reads `type_id` is answered: a CALL (or
/// what may be one) with a CALLERROR, and in OCPP 2.1 a CALLRESULT with a CALLRESULTERROR
/// (Part 4 §4.2.3); never an error answer, nor a SEND (§4.2.4).
fn answered(version: OcppVersion, type_id: Option<u64>) -> bool {
    let defined = type_id
        .and_then(|number| MessageTypeId::try_from(number).ok())
        .filter(|message_type| version.message_types().contains(message_type));
    match defined {
        None | Some(MessageTypeId::Call) => true,
        Some(MessageTypeId::CallResult) => version
            .message_types()
            .contains(&MessageTypeId::CallResultError),
        Some(MessageTypeId::CallError | MessageTypeId::CallResultError | MessageTypeId::Send) => {
            false
        }
    }
}

fn class(error: &FrameError) -> Class {
    match error {
        // A repeated member name makes the payload "syntactically incorrect": OCPP-J 1.6
        // §4.2.3 Table 7 FormationViolation, OCPP 2.0.1 Part 4 §4.3 Table 8 FormatViolation.
        FrameError::NotJson { .. }
        | FrameError::DuplicateKey(_)
        | FrameError::PayloadNotAnObject { .. }
        | FrameError::ErrorDetailsNotAnObject { .. } => Class::Syntax,
        FrameError::UnknownMessageTypeId(_) => Class::UnknownMessageType,
        _ => Class::Rpc,
    }
}
