//! The CALLERROR code table that OCPP 2.0.1 (Part 4 §4.3, Table 8) and OCPP 2.1 (Part 4 §4.3,
//! Table 9) share: the same twelve codes. Each version has its own type all the same, so that a
//! version's frames never take another's codes.

/// Defines `ErrorCode` for an OCPP 2.x version; `$version` is its name in the docs,
/// `$message_types` the message types it defines.
macro_rules! ocpp2_error_code {
    ($version:literal, $message_types:expr) => {
        #[doc = concat!("An OCPP ", $version, " CALLERROR error code, spelled exactly as on the wire.")]
        ///
        /// Compared with OCPP-J 1.6 this table fixes two spellings (`FormatViolation`,
        /// `OccurrenceConstraintViolation`) and adds `MessageTypeNotSupported` and
        /// `RpcFrameworkError`; the 1.6 spellings are rejected here. The error description is
        /// capped at 255 characters, which the framing enforces through
        /// [`RpcErrorCode::MAX_ERROR_DESCRIPTION_CHARS`](crate::framing::RpcErrorCode::MAX_ERROR_DESCRIPTION_CHARS).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        #[non_exhaustive]
        pub enum ErrorCode {
            /// The payload is not syntactically valid.
            FormatViolation,
            /// Any failure that none of the more specific codes describes.
            GenericError,
            /// Something failed inside the receiver while it was handling the action.
            InternalError,
            /// The frame's message type number is one this implementation does not handle.
            MessageTypeNotSupported,
            /// The receiver does not know the requested action at all.
            NotImplemented,
            /// The receiver knows the requested action but has chosen not to support it.
            NotSupported,
            /// The payload is well-formed, but some field appears too often or too rarely.
            OccurrenceConstraintViolation,
            /// The payload is well-formed, but some field holds a value outside what is allowed.
            PropertyConstraintViolation,
            /// The payload does not have the structure the action defines.
            ProtocolError,
            /// The frame is not a usable RPC request, e.g. its message id cannot be read.
            RpcFrameworkError,
            /// A security problem stopped the receiver from completing the action.
            SecurityError,
            /// The payload is well-formed, but some field has the wrong JSON type.
            TypeConstraintViolation,
        }

        impl crate::framing::RpcErrorCode for ErrorCode {
            const ALL: &'static [Self] = &[
                Self::FormatViolation,
                Self::GenericError,
                Self::InternalError,
                Self::MessageTypeNotSupported,
                Self::NotImplemented,
                Self::NotSupported,
                Self::OccurrenceConstraintViolation,
                Self::PropertyConstraintViolation,
                Self::ProtocolError,
                Self::RpcFrameworkError,
                Self::SecurityError,
                Self::TypeConstraintViolation,
            ];

            const MAX_ERROR_DESCRIPTION_CHARS: Option<usize> = Some(255);

            const MESSAGE_TYPES: &'static [crate::framing::MessageTypeId] = $message_types;

            fn as_str(&self) -> &'static str {
                match self {
                    Self::FormatViolation => "FormatViolation",
                    Self::GenericError => "GenericError",
                    Self::InternalError => "InternalError",
                    Self::MessageTypeNotSupported => "MessageTypeNotSupported",
                    Self::NotImplemented => "NotImplemented",
                    Self::NotSupported => "NotSupported",
                    Self::OccurrenceConstraintViolation => "OccurrenceConstraintViolation",
                    Self::PropertyConstraintViolation => "PropertyConstraintViolation",
                    Self::ProtocolError => "ProtocolError",
                    Self::RpcFrameworkError => "RpcFrameworkError",
                    Self::SecurityError => "SecurityError",
                    Self::TypeConstraintViolation => "TypeConstraintViolation",
                }
            }
        }

        impl std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(crate::framing::RpcErrorCode::as_str(self))
            }
        }

        impl serde::Serialize for ErrorCode {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::framing::serialize_error_code(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for ErrorCode {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::framing::deserialize_error_code(deserializer)
            }
        }
    };
}

pub(crate) use ocpp2_error_code;
