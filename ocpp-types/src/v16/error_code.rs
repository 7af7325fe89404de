//! The CALLERROR error codes of OCPP-J 1.6 (§4.2.3, table "Valid Error Codes").

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::framing::{deserialize_error_code, serialize_error_code, RpcErrorCode};

/// An OCPP-J 1.6 CALLERROR error code, spelled exactly as on the wire.
///
/// Two names differ from OCPP 2.0.1 on purpose: `FormationViolation` and
/// `OccurenceConstraintViolation` (sic). The OCPP-J 1.6 errata sheet (v1.0, 2019-12-04,
/// §5.1 and §5.2, "Known issues that will not be fixed") acknowledges both as mistakes but
/// keeps them, because renaming a wire value would break deployed implementations. The
/// 2.0.1 spellings are therefore rejected here, and vice versa.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub enum ErrorCode {
    /// The receiver does not know the requested action at all.
    NotImplemented,
    /// The receiver knows the requested action but has chosen not to support it.
    NotSupported,
    /// Something failed inside the receiver while it was handling the action.
    InternalError,
    /// The payload is missing parts the action needs.
    ProtocolError,
    /// A security problem stopped the receiver from completing the action.
    SecurityError,
    /// The payload is malformed or does not have the action's structure (1.6 spelling).
    FormationViolation,
    /// The payload is well-formed, but some field holds a value outside what is allowed.
    PropertyConstraintViolation,
    /// The payload is well-formed, but some field appears too often or too rarely (1.6 spelling, sic).
    OccurenceConstraintViolation,
    /// The payload is well-formed, but some field has the wrong JSON type.
    TypeConstraintViolation,
    /// Any failure that none of the other codes describes.
    GenericError,
}

impl RpcErrorCode for ErrorCode {
    const ALL: &'static [Self] = &[
        Self::NotImplemented,
        Self::NotSupported,
        Self::InternalError,
        Self::ProtocolError,
        Self::SecurityError,
        Self::FormationViolation,
        Self::PropertyConstraintViolation,
        Self::OccurenceConstraintViolation,
        Self::TypeConstraintViolation,
        Self::GenericError,
    ];

    const MAX_ERROR_DESCRIPTION_CHARS: Option<usize> = None;

    fn as_str(&self) -> &'static str {
        match self {
            Self::NotImplemented => "NotImplemented",
            Self::NotSupported => "NotSupported",
            Self::InternalError => "InternalError",
            Self::ProtocolError => "ProtocolError",
            Self::SecurityError => "SecurityError",
            Self::FormationViolation => "FormationViolation",
            Self::PropertyConstraintViolation => "PropertyConstraintViolation",
            Self::OccurenceConstraintViolation => "OccurenceConstraintViolation",
            Self::TypeConstraintViolation => "TypeConstraintViolation",
            Self::GenericError => "GenericError",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_error_code(self, serializer)
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_error_code(deserializer)
    }
}
