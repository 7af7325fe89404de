//! An OCPP-J frame of either version.

use std::fmt;

use serde_json::Value;

use super::AnyErrorCode;
use crate::framing::{Frame, FrameError, MessageId, RpcErrorCode};
#[cfg(feature = "v16")]
use crate::v16;
#[cfg(feature = "v201")]
use crate::v201;
#[cfg(feature = "v21")]
use crate::v21;
use crate::OcppVersion;

/// A decoded frame of either version.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::exhaustive_enums,
    reason = "one variant per version, matched exhaustively across the workspace so that a new version is a compile error at every dispatch"
)]
pub enum AnyFrame {
    /// An OCPP-J 1.6 frame.
    #[cfg(feature = "v16")]
    V16(v16::Frame),
    /// An OCPP 2.0.1 frame.
    #[cfg(feature = "v201")]
    V201(v201::Frame),
    /// An OCPP 2.1 frame.
    #[cfg(feature = "v21")]
    V21(v21::Frame),
}

impl AnyFrame {
    /// Reads `text` as a frame of `version`, refusing an object that repeats a member name.
    pub fn parse(version: OcppVersion, text: &str) -> Result<Self, FrameError> {
        match version {
            #[cfg(feature = "v16")]
            OcppVersion::V16 => v16::Frame::from_str(text).map(Self::V16),
            #[cfg(feature = "v201")]
            OcppVersion::V201 => v201::Frame::from_str(text).map(Self::V201),
            #[cfg(feature = "v21")]
            OcppVersion::V21 => v21::Frame::from_str(text).map(Self::V21),
        }
    }

    /// Reads an already parsed value as a frame of `version` (a value cannot tell whether
    /// its text repeated a member name; [`AnyFrame::parse`] can).
    pub fn from_value(version: OcppVersion, value: Value) -> Result<Self, FrameError> {
        match version {
            #[cfg(feature = "v16")]
            OcppVersion::V16 => v16::Frame::from_value(value).map(Self::V16),
            #[cfg(feature = "v201")]
            OcppVersion::V201 => v201::Frame::from_value(value).map(Self::V201),
            #[cfg(feature = "v21")]
            OcppVersion::V21 => v21::Frame::from_value(value).map(Self::V21),
        }
    }

    /// The version the frame was read as.
    pub const fn version(&self) -> OcppVersion {
        match self {
            #[cfg(feature = "v16")]
            Self::V16(_) => OcppVersion::V16,
            #[cfg(feature = "v201")]
            Self::V201(_) => OcppVersion::V201,
            #[cfg(feature = "v21")]
            Self::V21(_) => OcppVersion::V21,
        }
    }

    /// The frame's message id.
    pub fn message_id(&self) -> &MessageId {
        match self {
            #[cfg(feature = "v16")]
            Self::V16(frame) => frame.message_id(),
            #[cfg(feature = "v201")]
            Self::V201(frame) => frame.message_id(),
            #[cfg(feature = "v21")]
            Self::V21(frame) => frame.message_id(),
        }
    }

    /// The action a CALL or SEND names (`None` for the answers, which name none).
    pub fn action(&self) -> Option<&str> {
        match self {
            #[cfg(feature = "v16")]
            Self::V16(frame) => action_of(frame),
            #[cfg(feature = "v201")]
            Self::V201(frame) => action_of(frame),
            #[cfg(feature = "v21")]
            Self::V21(frame) => action_of(frame),
        }
    }

    /// The error code of a CALLERROR or CALLRESULTERROR, in its version's spelling.
    pub fn error_code(&self) -> Option<AnyErrorCode> {
        match self {
            #[cfg(feature = "v16")]
            Self::V16(Frame::CallError(error) | Frame::CallResultError(error)) => {
                Some(AnyErrorCode::V16(error.error_code))
            }
            #[cfg(feature = "v201")]
            Self::V201(Frame::CallError(error) | Frame::CallResultError(error)) => {
                Some(AnyErrorCode::V201(error.error_code))
            }
            #[cfg(feature = "v21")]
            Self::V21(Frame::CallError(error) | Frame::CallResultError(error)) => {
                Some(AnyErrorCode::V21(error.error_code))
            }
            _ => None,
        }
    }
}

fn action_of<E: RpcErrorCode>(frame: &Frame<E>) -> Option<&str> {
    match frame {
        Frame::Call(call) | Frame::Send(call) => Some(&call.action),
        Frame::CallResult(_) | Frame::CallError(_) | Frame::CallResultError(_) => None,
    }
}

/// The frame's JSON text.
impl fmt::Display for AnyFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            #[cfg(feature = "v16")]
            Self::V16(frame) => frame.fmt(f),
            #[cfg(feature = "v201")]
            Self::V201(frame) => frame.fmt(f),
            #[cfg(feature = "v21")]
            Self::V21(frame) => frame.fmt(f),
        }
    }
}

#[cfg(feature = "v16")]
impl From<v16::Frame> for AnyFrame {
    fn from(frame: v16::Frame) -> Self {
        Self::V16(frame)
    }
}

#[cfg(feature = "v201")]
impl From<v201::Frame> for AnyFrame {
    fn from(frame: v201::Frame) -> Self {
        Self::V201(frame)
    }
}

#[cfg(feature = "v21")]
impl From<v21::Frame> for AnyFrame {
    fn from(frame: v21::Frame) -> Self {
        Self::V21(frame)
    }
}
