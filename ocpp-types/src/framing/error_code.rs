//! The per-version table of CALLERROR error codes.

use std::fmt::{self, Debug};
use std::hash::Hash;
use std::marker::PhantomData;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

use super::MessageTypeId;

/// A version's set of CALLERROR error codes, plus the other version-specific CALLERROR rules.
///
/// Implemented by `ocpp_model::v16::ErrorCode`, `ocpp_model::v201::ErrorCode` and
/// `ocpp_model::v21::ErrorCode`; the framing types are generic over it so one decoder serves
/// every version.
pub trait RpcErrorCode: Copy + Eq + Hash + Debug + Send + Sync + Sized + 'static {
    /// Every code of the version's table, in the order the specification lists them.
    const ALL: &'static [Self];

    /// The most characters a CALLERROR error description may have, or `None` when the
    /// version sets no limit.
    const MAX_ERROR_DESCRIPTION_CHARS: Option<usize>;

    /// The message types the version defines: CALL, CALLRESULT and CALLERROR, and in OCPP 2.1
    /// CALLRESULTERROR and SEND too. A frame of any other type is, for this version,
    /// [`FrameError::UnknownMessageTypeId`](super::FrameError::UnknownMessageTypeId).
    const MESSAGE_TYPES: &'static [MessageTypeId] = &[
        MessageTypeId::Call,
        MessageTypeId::CallResult,
        MessageTypeId::CallError,
    ];

    /// The code exactly as it is spelled on the wire.
    fn as_str(&self) -> &'static str;

    /// The code spelled exactly `s` (case-sensitive), or `None` when the table has no such code.
    fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|code| code.as_str() == s)
    }
}

/// Writes an error code as its wire string.
pub(crate) fn serialize_error_code<E: RpcErrorCode, S: Serializer>(
    code: &E,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(code.as_str())
}

/// Reads an error code from a string, accepting only the exact spellings in `E::ALL`.
pub(crate) fn deserialize_error_code<'de, E: RpcErrorCode, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<E, D::Error> {
    deserializer.deserialize_str(ErrorCodeVisitor(PhantomData))
}

/// Serde visitor accepting a string that names a code of `E`.
struct ErrorCodeVisitor<E>(PhantomData<E>);

impl<E: RpcErrorCode> Visitor<'_> for ErrorCodeVisitor<E> {
    type Value = E;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("one of the OCPP-J error codes")?;
        for (position, code) in E::ALL.iter().enumerate() {
            let separator = if position == 0 { " " } else { ", " };
            write!(f, "{separator}`{}`", code.as_str())?;
        }
        Ok(())
    }

    fn visit_str<Err: de::Error>(self, value: &str) -> Result<E, Err> {
        E::from_wire(value).ok_or_else(|| Err::invalid_value(de::Unexpected::Str(value), &self))
    }
}
