//! Why a frame could not be decoded or built.

use serde_json::Value;

use super::{MessageId, MessageTypeId};

/// A broken OCPP-J framing rule: one variant per rule, in the order the decoder checks them.
///
/// Each variant names the offending element and its index in the frame array; [`rule`]
/// gives a stable identifier for tooling and [`index`] the array index as data.
///
/// [`rule`]: FrameError::rule
/// [`index`]: FrameError::index
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The input is not a single well-formed JSON value (UTF-8 included).
    #[error("frame is not valid JSON (line {line}, column {column}): {message}")]
    NotJson {
        /// The 1-based line where the parser stopped.
        line: usize,
        /// The 1-based column where the parser stopped (0 before a line's first character).
        column: usize,
        /// The parser's explanation, without the position.
        message: String,
    },
    /// An object of the text repeats a member name (the pointer is the object's, into the
    /// frame array).
    #[error("{0}")]
    DuplicateKey(super::DuplicateKey),
    /// The top-level JSON value is not an array.
    #[error("frame must be a JSON array, found {found}")]
    NotAnArray {
        /// The JSON type that was found instead.
        found: &'static str,
    },
    /// The frame array has no elements, so there is no message type id.
    #[error("frame array is empty, expected a message type id at index 0")]
    EmptyArray,
    /// Index 0 holds something other than a JSON number.
    #[error("message type id at index 0 must be a number, found {found}")]
    MessageTypeIdNotANumber {
        /// The JSON type that was found instead.
        found: &'static str,
    },
    /// Index 0 is a number but not the plain integer 2, 3 or 4; holds the number's text.
    #[error("message type id {0} at index 0 is unknown, expected 2 (CALL), 3 (CALLRESULT) or 4 (CALLERROR)")]
    UnknownMessageTypeId(String),
    /// The frame array has more or fewer elements than its message type requires.
    #[error("{message_type} frame must have {expected} elements, found {found}")]
    WrongArity {
        /// The message type read at index 0.
        message_type: MessageTypeId,
        /// How many elements that message type requires.
        expected: usize,
        /// How many elements the array has.
        found: usize,
    },
    /// Index 1 holds something other than a JSON string.
    #[error("message id at index 1 must be a string, found {found}")]
    MessageIdNotAString {
        /// The JSON type that was found instead.
        found: &'static str,
    },
    /// The message id at index 1 is longer than 36 characters.
    #[error("message id at index 1 has {length} characters, at most {max} are allowed", max = MessageId::MAX_CHARS)]
    MessageIdTooLong {
        /// The id's length in characters.
        length: usize,
    },
    /// Index 2 of a CALL holds something other than a JSON string.
    #[error("action at index 2 must be a string, found {found}")]
    ActionNotAString {
        /// The JSON type that was found instead.
        found: &'static str,
    },
    /// The payload of a CALL (index 3) or CALLRESULT (index 2) is not a JSON object.
    #[error("payload at index {index} must be a JSON object, found {found}")]
    PayloadNotAnObject {
        /// Where the payload sits in the frame array.
        index: usize,
        /// The JSON type that was found instead.
        found: &'static str,
    },
    /// Index 2 of a CALLERROR holds something other than a JSON string.
    #[error("error code at index 2 must be a string, found {found}")]
    ErrorCodeNotAString {
        /// The JSON type that was found instead.
        found: &'static str,
    },
    /// Index 2 of a CALLERROR is a string missing from this version's error code table.
    #[error("error code {0:?} at index 2 is not in this OCPP version's error code table")]
    UnknownErrorCode(String),
    /// Index 3 of a CALLERROR holds something other than a JSON string.
    #[error("error description at index 3 must be a string, found {found}")]
    ErrorDescriptionNotAString {
        /// The JSON type that was found instead.
        found: &'static str,
    },
    /// The error description at index 3 exceeds the version's limit (255 characters in 2.0.1).
    #[error("error description at index 3 has {length} characters, at most {max} are allowed")]
    ErrorDescriptionTooLong {
        /// The description's length in characters.
        length: usize,
        /// The version's limit in characters.
        max: usize,
    },
    /// Index 4 of a CALLERROR holds something other than a JSON object.
    #[error("error details at index 4 must be a JSON object, found {found}")]
    ErrorDetailsNotAnObject {
        /// The JSON type that was found instead.
        found: &'static str,
    },
}

impl FrameError {
    /// A stable kebab-case identifier of the broken rule, for tools to print and filter on.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::NotJson { .. } => "frame-not-json",
            Self::DuplicateKey(_) => "frame-duplicate-key",
            Self::NotAnArray { .. } => "frame-not-an-array",
            Self::EmptyArray => "frame-empty-array",
            Self::MessageTypeIdNotANumber { .. } => "message-type-id-not-a-number",
            Self::UnknownMessageTypeId(_) => "message-type-id-unknown",
            Self::WrongArity { .. } => "frame-wrong-arity",
            Self::MessageIdNotAString { .. } => "message-id-not-a-string",
            Self::MessageIdTooLong { .. } => "message-id-too-long",
            Self::ActionNotAString { .. } => "action-not-a-string",
            Self::PayloadNotAnObject { .. } => "payload-not-an-object",
            Self::ErrorCodeNotAString { .. } => "error-code-not-a-string",
            Self::UnknownErrorCode(_) => "error-code-unknown",
            Self::ErrorDescriptionNotAString { .. } => "error-description-not-a-string",
            Self::ErrorDescriptionTooLong { .. } => "error-description-too-long",
            Self::ErrorDetailsNotAnObject { .. } => "error-details-not-an-object",
        }
    }

    /// The index in the frame array of the offending element, or `None` when the problem
    /// concerns the whole input (not JSON, not an array, wrong number of elements).
    pub fn index(&self) -> Option<usize> {
        match self {
            Self::NotJson { .. } | Self::NotAnArray { .. } | Self::WrongArity { .. } => None,
            Self::DuplicateKey(duplicate) => duplicate
                .pointer
                .split('/')
                .nth(1)
                .and_then(|index| index.parse().ok()),
            Self::EmptyArray
            | Self::MessageTypeIdNotANumber { .. }
            | Self::UnknownMessageTypeId(_) => Some(0),
            Self::MessageIdNotAString { .. } | Self::MessageIdTooLong { .. } => Some(1),
            Self::ActionNotAString { .. }
            | Self::ErrorCodeNotAString { .. }
            | Self::UnknownErrorCode(_) => Some(2),
            Self::PayloadNotAnObject { index, .. } => Some(*index),
            Self::ErrorDescriptionNotAString { .. } | Self::ErrorDescriptionTooLong { .. } => {
                Some(3)
            }
            Self::ErrorDetailsNotAnObject { .. } => Some(4),
        }
    }

    /// Converts a `serde_json` parse failure into [`FrameError::NotJson`].
    pub fn not_json(error: &serde_json::Error) -> Self {
        let line = error.line();
        let column = error.column();
        let full = error.to_string();
        let position = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&position).unwrap_or(&full).to_owned();
        Self::NotJson {
            line,
            column,
            message,
        }
    }
}

/// The name of a JSON value's type, as used in error messages.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
