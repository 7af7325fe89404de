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
}

impl DecodeError {
    /// Whether decoding from a `Value` failed only because a decimal reached the decoder as
    /// a binary float that two decimals print as; decoding the payload's text settles it.
    pub(crate) fn is_ambiguous_number(&self) -> bool {
        matches!(self, Self::Payload { message, .. } if message.contains(crate::de::decimal::AMBIGUOUS))
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
            Self::UnknownAction { .. } => None,
        }
    }
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
