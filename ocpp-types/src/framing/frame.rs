//! The frame kinds and the decoder/encoder for the frame array.

use std::fmt;
use std::str::FromStr;

use serde::ser::SerializeTuple;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::error::json_type;
use super::{FrameError, MessageId, MessageTypeId, RpcErrorCode};
use crate::{Action, DecodeError};

/// A request frame: `[2, messageId, action, {payload}]`; in OCPP 2.1 also what a SEND
/// carries (`[6, messageId, action, {payload}]`, the same members, never answered).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Call {
    /// The id the response will carry.
    pub message_id: MessageId,
    /// The case-sensitive action name, e.g. `BootNotification`.
    pub action: String,
    /// The request's fields, not yet checked against the action's schema.
    pub payload: Map<String, Value>,
}

impl Call {
    /// Builds a CALL of action `A` carrying a typed request.
    pub fn new_typed<A: Action>(message_id: MessageId, request: &A::Request) -> Self {
        Self::new(message_id, A::NAME, crate::wire::decode::to_map(request))
    }

    /// Decodes the payload as the request of action `A`; a CALL of another action is
    /// [`DecodeError::WrongAction`] (normal traffic, not a bug), a payload that does not fit
    /// is [`DecodeError::Payload`] with the JSON pointer of the first bad value.
    pub fn decode<A: Action>(&self) -> Result<A::Request, DecodeError> {
        if self.action != A::NAME {
            return Err(DecodeError::WrongAction {
                expected: A::NAME,
                found: self.action.clone(),
            });
        }
        crate::wire::decode::object(A::NAME, &self.payload)
    }

    /// Builds a CALL from its three members.
    pub fn new(
        message_id: MessageId,
        action: impl Into<String>,
        payload: Map<String, Value>,
    ) -> Self {
        Self {
            message_id,
            action: action.into(),
            payload,
        }
    }
}

/// A successful response frame: `[3, messageId, {payload}]`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallResult {
    /// The id of the CALL being answered.
    pub message_id: MessageId,
    /// The response's fields, not yet checked against the action's schema.
    pub payload: Map<String, Value>,
}

impl CallResult {
    /// Builds a CALLRESULT carrying a typed response of action `A`.
    pub fn new_typed<A: Action>(message_id: MessageId, response: &A::Response) -> Self {
        Self::new(message_id, crate::wire::decode::to_map(response))
    }

    /// Decodes the payload as the response of action `A` (the action of the CALL this
    /// CALLRESULT answers, which the frame itself does not name).
    pub fn decode<A: Action>(&self) -> Result<A::Response, DecodeError> {
        crate::wire::decode::object(A::NAME, &self.payload)
    }

    /// Builds a CALLRESULT from its two members.
    pub fn new(message_id: MessageId, payload: Map<String, Value>) -> Self {
        Self {
            message_id,
            payload,
        }
    }
}

/// An error response frame: `[4, messageId, errorCode, errorDescription, {errorDetails}]`;
/// in OCPP 2.1 also what a CALLRESULTERROR carries (`[5, …]`, the same members, answering a
/// CALLRESULT).
///
/// The description is only reachable through [`CallError::error_description`] and
/// [`CallError::set_error_description`] so that the version's length limit always holds.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallError<E: RpcErrorCode> {
    /// The id of the CALL being answered.
    pub message_id: MessageId,
    /// What went wrong, from the version's error code table.
    pub error_code: E,
    /// Free-form extra information; empty when there is none.
    pub error_details: Map<String, Value>,
    /// Human-readable explanation, possibly empty; within `E::MAX_ERROR_DESCRIPTION_CHARS`.
    error_description: String,
}

impl<E: RpcErrorCode> CallError<E> {
    /// Builds a CALLERROR from its four members, failing with
    /// [`FrameError::ErrorDescriptionTooLong`] when the description exceeds the version's limit.
    pub fn new(
        message_id: MessageId,
        error_code: E,
        error_description: impl Into<String>,
        error_details: Map<String, Value>,
    ) -> Result<Self, FrameError> {
        let error_description = checked_description::<E>(error_description.into())?;
        Ok(Self {
            message_id,
            error_code,
            error_details,
            error_description,
        })
    }

    /// The human-readable explanation (may be empty).
    pub fn error_description(&self) -> &str {
        &self.error_description
    }

    /// Replaces the explanation, failing with [`FrameError::ErrorDescriptionTooLong`] (and
    /// keeping the old one) when the new one exceeds the version's limit.
    pub fn set_error_description(
        &mut self,
        error_description: impl Into<String>,
    ) -> Result<(), FrameError> {
        self.error_description = checked_description::<E>(error_description.into())?;
        Ok(())
    }
}

/// Returns `description` unchanged when it fits the version's limit.
fn checked_description<E: RpcErrorCode>(description: String) -> Result<String, FrameError> {
    if let Some(max) = E::MAX_ERROR_DESCRIPTION_CHARS {
        let length = description.chars().count();
        if length > max {
            return Err(FrameError::ErrorDescriptionTooLong { length, max });
        }
    }
    Ok(description)
}

/// One OCPP-J frame of any kind, generic over the version's error code table.
///
/// Each version module names its instance, e.g. `ocpp_model::v201::Frame`. The decoder
/// produces only the kinds the version defines ([`RpcErrorCode::MESSAGE_TYPES`]):
/// `CallResultError` and `Send` come from OCPP 2.1 frames alone.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(
    clippy::exhaustive_enums,
    reason = "the message types of OCPP-J up to 2.1; a new one changes what every reader must handle, so it is meant to break their matches"
)]
pub enum Frame<E: RpcErrorCode> {
    /// A request.
    Call(Call),
    /// A successful response.
    CallResult(CallResult),
    /// An error response.
    CallError(CallError<E>),
    /// An error answer to a CALLRESULT that could not be processed, with that CALLRESULT's
    /// message id (OCPP 2.1 Part 4 §4.2.3).
    CallResultError(CallError<E>),
    /// An unconfirmed message: the receiver answers it with nothing at all (OCPP 2.1 Part 4
    /// §4.2.4).
    Send(Call),
}

impl<E: RpcErrorCode> Frame<E> {
    /// The id at index 1, whichever the frame kind.
    pub fn message_id(&self) -> &MessageId {
        match self {
            Self::Call(call) | Self::Send(call) => &call.message_id,
            Self::CallResult(result) => &result.message_id,
            Self::CallError(error) | Self::CallResultError(error) => &error.message_id,
        }
    }

    /// The message type number at index 0.
    pub fn message_type_id(&self) -> MessageTypeId {
        match self {
            Self::Call(_) => MessageTypeId::Call,
            Self::CallResult(_) => MessageTypeId::CallResult,
            Self::CallError(_) => MessageTypeId::CallError,
            Self::CallResultError(_) => MessageTypeId::CallResultError,
            Self::Send(_) => MessageTypeId::Send,
        }
    }

    /// Decodes a frame from JSON text (the content of one WebSocket text message).
    #[expect(
        clippy::should_implement_trait,
        reason = "FromStr is implemented too; this inherent twin saves callers an import"
    )]
    pub fn from_str(text: &str) -> Result<Self, FrameError> {
        Self::from_slice(text.as_bytes())
    }

    /// Decodes a frame from JSON bytes, which must be UTF-8.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, FrameError> {
        let value = serde_json::from_slice(bytes).map_err(|error| FrameError::not_json(&error))?;
        if let Some(duplicate) = super::duplicate_key(bytes) {
            return Err(FrameError::DuplicateKey(duplicate));
        }
        Self::from_value(value)
    }

    /// Decodes a frame from an already parsed JSON value, checking the rules in the order
    /// described in the [module documentation](crate::framing).
    pub fn from_value(value: Value) -> Result<Self, FrameError> {
        let items = match value {
            Value::Array(items) => items,
            other => {
                return Err(FrameError::NotAnArray {
                    found: json_type(&other),
                })
            }
        };
        let message_type = match items.first() {
            None => return Err(FrameError::EmptyArray),
            Some(Value::Number(number)) => number
                .as_u64()
                .and_then(|number| MessageTypeId::try_from(number).ok())
                .filter(|message_type| E::MESSAGE_TYPES.contains(message_type))
                .ok_or_else(|| FrameError::UnknownMessageTypeId(number.to_string()))?,
            Some(other) => {
                return Err(FrameError::MessageTypeIdNotANumber {
                    found: json_type(other),
                })
            }
        };
        match message_type {
            MessageTypeId::Call | MessageTypeId::Send => {
                let [_, message_id, action, payload] = exact_elements(items, message_type)?;
                let message_id = decode_message_id(message_id)?;
                let action = match action {
                    Value::String(action) => action,
                    other => {
                        return Err(FrameError::ActionNotAString {
                            found: json_type(&other),
                        })
                    }
                };
                let payload = decode_payload(payload, 3)?;
                let call = Call::new(message_id, action, payload);
                Ok(if message_type == MessageTypeId::Send {
                    Self::Send(call)
                } else {
                    Self::Call(call)
                })
            }
            MessageTypeId::CallResult => {
                let [_, message_id, payload] = exact_elements(items, message_type)?;
                let message_id = decode_message_id(message_id)?;
                let payload = decode_payload(payload, 2)?;
                Ok(Self::CallResult(CallResult::new(message_id, payload)))
            }
            MessageTypeId::CallError | MessageTypeId::CallResultError => {
                let [_, message_id, code, description, details] =
                    exact_elements(items, message_type)?;
                let message_id = decode_message_id(message_id)?;
                let error_code = match code {
                    Value::String(code) => {
                        E::from_wire(&code).ok_or(FrameError::UnknownErrorCode(code))?
                    }
                    other => {
                        return Err(FrameError::ErrorCodeNotAString {
                            found: json_type(&other),
                        })
                    }
                };
                let error_description = match description {
                    Value::String(description) => checked_description::<E>(description)?,
                    other => {
                        return Err(FrameError::ErrorDescriptionNotAString {
                            found: json_type(&other),
                        })
                    }
                };
                let error_details = match details {
                    Value::Object(details) => details,
                    other => {
                        return Err(FrameError::ErrorDetailsNotAnObject {
                            found: json_type(&other),
                        })
                    }
                };
                let error = CallError {
                    message_id,
                    error_code,
                    error_details,
                    error_description,
                };
                Ok(if message_type == MessageTypeId::CallResultError {
                    Self::CallResultError(error)
                } else {
                    Self::CallError(error)
                })
            }
        }
    }

    /// Encodes the frame as a JSON array value.
    pub fn to_value(&self) -> Value {
        let type_id = Value::from(self.message_type_id().as_u8());
        let message_id = Value::String(self.message_id().as_str().to_owned());
        let items = match self {
            Self::Call(call) | Self::Send(call) => vec![
                type_id,
                message_id,
                Value::String(call.action.clone()),
                Value::Object(call.payload.clone()),
            ],
            Self::CallResult(result) => {
                vec![type_id, message_id, Value::Object(result.payload.clone())]
            }
            Self::CallError(error) | Self::CallResultError(error) => vec![
                type_id,
                message_id,
                Value::String(error.error_code.as_str().to_owned()),
                Value::String(error.error_description.clone()),
                Value::Object(error.error_details.clone()),
            ],
        };
        Value::Array(items)
    }
}

/// Moves the array's elements out when there are exactly `N`, else reports the arity.
fn exact_elements<const N: usize>(
    items: Vec<Value>,
    message_type: MessageTypeId,
) -> Result<[Value; N], FrameError> {
    let found = items.len();
    <[Value; N]>::try_from(items).map_err(|_| FrameError::WrongArity {
        message_type,
        expected: N,
        found,
    })
}

/// Reads the message id at index 1.
fn decode_message_id(value: Value) -> Result<MessageId, FrameError> {
    match value {
        Value::String(id) => MessageId::new(id),
        other => Err(FrameError::MessageIdNotAString {
            found: json_type(&other),
        }),
    }
}

/// Reads a CALL or CALLRESULT payload found at `index`.
fn decode_payload(value: Value, index: usize) -> Result<Map<String, Value>, FrameError> {
    match value {
        Value::Object(payload) => Ok(payload),
        other => Err(FrameError::PayloadNotAnObject {
            index,
            found: json_type(&other),
        }),
    }
}

impl<E: RpcErrorCode> FromStr for Frame<E> {
    type Err = FrameError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Frame::from_str(text)
    }
}

/// Writes the frame as compact JSON, e.g. `[2,"19223201","Heartbeat",{}]`.
impl<E: RpcErrorCode> fmt::Display for Frame<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl<E: RpcErrorCode> Serialize for Frame<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let type_id = self.message_type_id();
        let mut tuple = serializer.serialize_tuple(type_id.arity())?;
        tuple.serialize_element(&type_id)?;
        tuple.serialize_element(self.message_id())?;
        match self {
            Self::Call(call) | Self::Send(call) => {
                tuple.serialize_element(&call.action)?;
                tuple.serialize_element(&call.payload)?;
            }
            Self::CallResult(result) => {
                tuple.serialize_element(&result.payload)?;
            }
            Self::CallError(error) | Self::CallResultError(error) => {
                tuple.serialize_element(error.error_code.as_str())?;
                tuple.serialize_element(&error.error_description)?;
                tuple.serialize_element(&error.error_details)?;
            }
        }
        tuple.end()
    }
}

impl<'de, E: RpcErrorCode> Deserialize<'de> for Frame<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_value(value).map_err(serde::de::Error::custom)
    }
}

impl<E: RpcErrorCode> From<Call> for Frame<E> {
    fn from(call: Call) -> Self {
        Self::Call(call)
    }
}

impl<E: RpcErrorCode> From<CallResult> for Frame<E> {
    fn from(result: CallResult) -> Self {
        Self::CallResult(result)
    }
}

impl<E: RpcErrorCode> From<CallError<E>> for Frame<E> {
    fn from(error: CallError<E>) -> Self {
        Self::CallError(error)
    }
}
