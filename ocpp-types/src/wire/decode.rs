//! Decoding a payload by action name, with errors that say where the payload is wrong.

use serde::de::{DeserializeOwned, Deserializer};
use serde::Serialize;
use serde_json::{Map, Value};
use thiserror::Error;

use crate::OcppVersion;

/// Why a payload could not be decoded into a typed message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The version has no action of this name (names are case-sensitive).
    #[error("OCPP {version} has no action named {action:?}")]
    UnknownAction {
        /// The version searched.
        version: OcppVersion,
        /// The name given.
        action: String,
    },
    /// The payload does not have the shape the action's schema requires.
    #[error("{action} payload is invalid at {}: {message}", if pointer.is_empty() { "the root" } else { pointer })]
    Payload {
        /// The action whose payload type was tried.
        action: &'static str,
        /// JSON pointer (RFC 6901) to the offending value; empty for the payload itself.
        pointer: String,
        /// What is wrong there.
        message: String,
    },
    /// A response was asked for of an action that has none: an unconfirmed message (OCPP 2.1's
    /// SEND) is never answered (Part 4 §4.2.4).
    #[error("{action} is sent unconfirmed (SEND) and has no response")]
    NoResponse {
        /// The action.
        action: &'static str,
    },
    /// A typed decode asked for one action's payload, and the CALL names another.
    #[error("the CALL is {found}, not {expected}")]
    WrongAction {
        /// The action asked for.
        expected: &'static str,
        /// The action the CALL names.
        found: String,
    },
}

impl DecodeError {
    /// Whether decoding from a `Value` failed only because a decimal reached the decoder as
    /// a binary float that two decimals print as; decoding the payload's text settles it.
    pub(crate) fn is_ambiguous_number(&self) -> bool {
        matches!(self, Self::Payload { message, .. } if message.contains(crate::wire::de::decimal::AMBIGUOUS))
    }
}

impl DecodeError {
    pub(crate) fn unknown_action(version: OcppVersion, action: &str) -> Self {
        Self::UnknownAction {
            version,
            action: action.to_owned(),
        }
    }

    /// The JSON pointer of a payload error (`None` for an unknown action).
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Self::Payload { pointer, .. } => Some(pointer),
            Self::UnknownAction { .. } | Self::WrongAction { .. } | Self::NoResponse { .. } => None,
        }
    }
}

/// The deserializer error for a response of an unconfirmed action (see
/// [`DecodeError::NoResponse`]). Only 2.1 has such actions.
#[cfg(feature = "v21")]
pub(crate) fn no_response<E: serde::de::Error>(action: &'static str) -> E {
    E::custom(DecodeError::NoResponse { action })
}

/// Decodes `payload` (a `&Value`, a `&Map` or a JSON text deserializer) into `T`, reporting
/// the JSON pointer of the first value that does not fit. Tracking the path costs an
/// allocation per member, so callers that can re-read the input decode without it first
/// and come here only to explain a failure.
pub(crate) fn payload<'de, T, D>(action: &'static str, payload: D) -> Result<T, DecodeError>
where
    T: DeserializeOwned,
    D: Deserializer<'de, Error = serde_json::Error>,
{
    serde_path_to_error::deserialize(payload).map_err(|error| DecodeError::Payload {
        action,
        pointer: pointer(error.path()),
        message: error.into_inner().to_string(),
    })
}

/// Decodes a frame's payload object into `T`: without tracking the path first, with it to
/// explain a failure, and from the object's text when a decimal reached the decoder as a
/// binary float that two decimals print as.
pub(crate) fn object<T: DeserializeOwned>(
    action: &'static str,
    object: &Map<String, Value>,
) -> Result<T, DecodeError> {
    if let Ok(decoded) = T::deserialize(object) {
        return Ok(decoded);
    }
    match payload(action, object) {
        Err(error) if error.is_ambiguous_number() => {
            let text = Value::Object(object.clone()).to_string();
            let mut deserializer = serde_json::Deserializer::from_str(&text);
            payload(action, &mut deserializer)
        }
        decoded => decoded,
    }
}

/// The error for text after a complete payload.
pub(crate) fn trailing(action: &'static str, error: &serde_json::Error) -> DecodeError {
    DecodeError::Payload {
        action,
        pointer: String::new(),
        message: error.to_string(),
    }
}

/// Encodes a payload; the generated types only hold values JSON can carry.
pub(crate) fn to_value<T: Serialize>(payload: &T) -> Value {
    serde_json::to_value(payload).unwrap_or(Value::Null)
}

/// The JSON text of a payload value (a `Value` or a frame's `Map`).
pub(crate) fn to_text<T: Serialize + ?Sized>(payload: &T) -> String {
    serde_json::to_string(payload).unwrap_or_default()
}

/// Encodes a payload as the JSON object a frame carries; every payload type is an object.
pub(crate) fn to_map<T: Serialize>(payload: &T) -> Map<String, Value> {
    match to_value(payload) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// `From` each action's payload type into a version's sum type (`Request` or `Response`),
/// and `TryFrom` back, which gives the value back when it holds another action's payload.
macro_rules! payload_conversions {
    ($sum:ident { $($action:ident($payload:ty)),* $(,)? }) => {
        $(
            impl From<$payload> for $sum {
                fn from(payload: $payload) -> Self {
                    Self::$action(payload)
                }
            }

            impl TryFrom<$sum> for $payload {
                type Error = $sum;

                fn try_from(payload: $sum) -> Result<Self, $sum> {
                    match payload {
                        $sum::$action(payload) => Ok(payload),
                        other => Err(other),
                    }
                }
            }
        )*
    };
}

pub(crate) use payload_conversions;
