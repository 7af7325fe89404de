//! The message type number at index 0 of every frame.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::FrameError;

/// Which OCPP-J frame kind an array is, written as its first element.
///
/// OCPP-J 1.6 and 2.0.1 define 2, 3 and 4 (kept in step with WAMP); OCPP 2.1 adds 5
/// (CALLRESULTERROR) and 6 (SEND) (Part 4 §4.1.3, Table 3). This type reads all five numbers;
/// which of them a version defines is [`RpcErrorCode::MESSAGE_TYPES`](super::RpcErrorCode::MESSAGE_TYPES),
/// and the frame decoder rejects any other number with [`FrameError::UnknownMessageTypeId`]:
/// OCPP 2.0.1 expects the receiver to answer such a frame with the `MessageTypeNotSupported`
/// error code, OCPP-J 1.6 and 2.1 ask it to ignore the payload. Every version calls the field
/// an integer, so only plain digits are read: `2.0` or `2e0` count as unknown ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[allow(
    clippy::exhaustive_enums,
    reason = "the message types of OCPP-J up to 2.1; a new one changes what every reader must handle, so it is meant to break their matches"
)]
pub enum MessageTypeId {
    /// A request (CALL), type number 2.
    Call = 2,
    /// A successful response (CALLRESULT), type number 3.
    CallResult = 3,
    /// An error response (CALLERROR), type number 4.
    CallError = 4,
    /// An error answer to a CALLRESULT (CALLRESULTERROR), type number 5; OCPP 2.1 only.
    CallResultError = 5,
    /// An unconfirmed message (SEND), type number 6; OCPP 2.1 only.
    Send = 6,
}

impl MessageTypeId {
    /// Every message type, in ascending number order.
    pub const ALL: &'static [Self] = &[
        Self::Call,
        Self::CallResult,
        Self::CallError,
        Self::CallResultError,
        Self::Send,
    ];

    /// The number written on the wire for this message type.
    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// How many array elements a frame of this type has, type id included.
    pub const fn arity(self) -> usize {
        match self {
            Self::Call | Self::Send => 4,
            Self::CallResult => 3,
            Self::CallError | Self::CallResultError => 5,
        }
    }

    /// The upper-case name the specifications use for this message type.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Call => "CALL",
            Self::CallResult => "CALLRESULT",
            Self::CallError => "CALLERROR",
            Self::CallResultError => "CALLRESULTERROR",
            Self::Send => "SEND",
        }
    }
}

impl fmt::Display for MessageTypeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl TryFrom<u64> for MessageTypeId {
    type Error = FrameError;

    fn try_from(value: u64) -> Result<Self, Self::Error> {
        match value {
            2 => Ok(Self::Call),
            3 => Ok(Self::CallResult),
            4 => Ok(Self::CallError),
            5 => Ok(Self::CallResultError),
            6 => Ok(Self::Send),
            other => Err(FrameError::UnknownMessageTypeId(other.to_string())),
        }
    }
}

impl TryFrom<u8> for MessageTypeId {
    type Error = FrameError;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::try_from(u64::from(value))
    }
}

impl From<MessageTypeId> for u8 {
    fn from(value: MessageTypeId) -> Self {
        value.as_u8()
    }
}

impl Serialize for MessageTypeId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.as_u8())
    }
}

impl<'de> Deserialize<'de> for MessageTypeId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = u64::deserialize(deserializer)?;
        Self::try_from(number).map_err(serde::de::Error::custom)
    }
}
