//! OCPP-J RPC framing: the JSON array that wraps every OCPP message on the WebSocket.
//!
//! OCPP-J 1.6 (§4) and OCPP 2.0.1 Part 4 (§4) define the same three frame shapes,
//! differing only in the table of CALLERROR error codes and in a length limit on the
//! error description; OCPP 2.1 Part 4 (§4) adds two more. The types here are therefore
//! generic over the version's error code, which also says which message types the version
//! has; `ocpp_model::v16::ErrorCode`, `ocpp_model::v201::ErrorCode` and
//! `ocpp_model::v21::ErrorCode` fill it in.
//!
//! | frame           | type id | elements                                                      |
//! |-----------------|---------|---------------------------------------------------------------|
//! | CALL            | 2       | `[2, messageId, action, {payload}]`                           |
//! | CALLRESULT      | 3       | `[3, messageId, {payload}]`                                   |
//! | CALLERROR       | 4       | `[4, messageId, errorCode, errorDescription, {errorDetails}]` |
//! | CALLRESULTERROR | 5       | as CALLERROR, answering a CALLRESULT (2.1 only)               |
//! | SEND            | 6       | as CALL, never answered (2.1 only)                            |
//!
//! # Decoding order
//!
//! [`Frame::from_value`] (and the text entry points built on it) checks the rules in a
//! fixed order and reports the first one broken: the text is JSON, the frame is an array,
//! the array is not empty, element 0 is a known message type id, the array has exactly the
//! number of elements that type requires, then each element from index 1 upwards (message
//! id, then action or error code, then description, then payload or details). Knowing the
//! type first is what makes the arity check meaningful, and checking the arity before the
//! members means a frame with a missing element is reported as such rather than as a
//! wrongly typed neighbour.
//!
//! # Payloads are JSON objects
//!
//! Both specifications describe the payload (and CALLERROR's error details) as a JSON
//! object and show it in braces. They mention that a peer could write `null` for "no
//! payload" but advise `{}`, every action's JSON schema requires an object, and error
//! details must be `{}` when empty. This crate keeps payloads as
//! [`serde_json::Map`] and rejects `null` or any other non-object with
//! [`FrameError::PayloadNotAnObject`] or [`FrameError::ErrorDetailsNotAnObject`]; the
//! rule id lets a tolerant caller recognise and forgive that case explicitly.
//!
//! # Lossless
//!
//! With the `lossless` feature (see the crate's features), encoding a frame and decoding the
//! text again yields an equal frame: numbers keep their digits exactly (trailing zeros, `-0`
//! and values beyond `f64` included) and object members keep their order. `serde_json` does normalise one detail when reading: an exponent is
//! stored as `e` followed by an explicit sign, so `1E5` is written back as `1e+5`. One
//! exception to losslessness also comes from `serde_json`: an object whose first member
//! name is one of its private marker names (such as `$serde_json::private::Number`) is
//! read back as a number.
//!
//! # Member names are unique
//!
//! The text entry points refuse an object that repeats a member name
//! ([`FrameError::DuplicateKey`]) instead of keeping the last value as `serde_json` does;
//! [`duplicate_key`] finds the first one in any JSON text.
//!
//! # Not covered
//!
//! The signed-message form of OCPP 2.0.1 Part 4 §7 (a CALL with an extension object at
//! index 2) is not decoded; such an array is reported as [`FrameError::WrongArity`].
//! Decoding relies on `serde_json`'s nesting limit for text input and never recurses into
//! payloads itself.

#[cfg(feature = "arbitrary")]
mod arbitrary;
mod error;
mod error_code;
mod frame;
mod message_id;
mod message_type;
mod unique;

pub use error::FrameError;
pub use error_code::RpcErrorCode;
pub(crate) use error_code::{deserialize_error_code, serialize_error_code};
pub use frame::{Call, CallError, CallResult, Frame};
pub use message_id::MessageId;
pub use message_type::MessageTypeId;
pub use unique::{duplicate_key, DuplicateKey, UniqueMembers};
