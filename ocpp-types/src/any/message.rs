//! A typed payload of either version and direction.

use serde_json::Value;

#[cfg(feature = "v16")]
use crate::v16;
#[cfg(feature = "v201")]
use crate::v201;
#[cfg(feature = "v21")]
use crate::v21;
use crate::{DecodeError, OcppVersion};

/// Which payload of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(
    clippy::exhaustive_enums,
    reason = "a payload is a CALL's or a CALLRESULT's"
)]
pub enum PayloadKind {
    /// The payload of a CALL.
    Request,
    /// The payload of a CALLRESULT.
    Response,
}

/// A typed payload of either version and direction.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::exhaustive_enums,
    reason = "one variant per version, matched exhaustively across the workspace so that a new version is a compile error at every dispatch"
)]
#[allow(
    clippy::large_enum_variant,
    reason = "a payload is decoded once and moved whole; boxing it would cost an allocation each"
)]
pub enum AnyMessage {
    /// A 1.6 CALL payload.
    #[cfg(feature = "v16")]
    V16Request(v16::Request),
    /// A 1.6 CALLRESULT payload.
    #[cfg(feature = "v16")]
    V16Response(v16::Response),
    /// A 2.0.1 CALL payload.
    #[cfg(feature = "v201")]
    V201Request(v201::Request),
    /// A 2.1 CALL payload.
    #[cfg(feature = "v21")]
    V21Request(v21::Request),
    /// A 2.0.1 CALLRESULT payload.
    #[cfg(feature = "v201")]
    V201Response(v201::Response),
    /// A 2.1 CALLRESULT payload.
    #[cfg(feature = "v21")]
    V21Response(v21::Response),
}

impl AnyMessage {
    /// Decodes the `kind` payload of `action` in `version` strictly.
    pub fn decode(
        version: OcppVersion,
        kind: PayloadKind,
        action: &str,
        payload: &Value,
    ) -> Result<Self, DecodeError> {
        Ok(match (version, kind) {
            #[cfg(feature = "v16")]
            (OcppVersion::V16, PayloadKind::Request) => {
                Self::V16Request(v16::Request::from_value(action.parse()?, payload)?)
            }
            #[cfg(feature = "v16")]
            (OcppVersion::V16, PayloadKind::Response) => {
                Self::V16Response(v16::Response::from_value(action.parse()?, payload)?)
            }
            #[cfg(feature = "v201")]
            (OcppVersion::V201, PayloadKind::Request) => {
                Self::V201Request(v201::Request::from_value(action.parse()?, payload)?)
            }
            #[cfg(feature = "v21")]
            (OcppVersion::V21, PayloadKind::Request) => {
                Self::V21Request(v21::Request::from_value(action.parse()?, payload)?)
            }
            #[cfg(feature = "v201")]
            (OcppVersion::V201, PayloadKind::Response) => {
                Self::V201Response(v201::Response::from_value(action.parse()?, payload)?)
            }
            #[cfg(feature = "v21")]
            (OcppVersion::V21, PayloadKind::Response) => {
                Self::V21Response(v21::Response::from_value(action.parse()?, payload)?)
            }
        })
    }

    /// Validates the `kind` payload of `action` in `version` read from any deserializer,
    /// building nothing (the verdict of `vNN::Request::validate` / `vNN::Response::validate`);
    /// `None` when the version has no such action.
    pub fn validate<'de, D: serde::Deserializer<'de>>(
        version: OcppVersion,
        kind: PayloadKind,
        action: &str,
        payload: D,
    ) -> Option<Result<(), D::Error>> {
        Some(match (version, kind) {
            #[cfg(feature = "v16")]
            (OcppVersion::V16, PayloadKind::Request) => {
                v16::Request::validate(v16::ActionName::from_name(action)?, payload)
            }
            #[cfg(feature = "v16")]
            (OcppVersion::V16, PayloadKind::Response) => {
                v16::Response::validate(v16::ActionName::from_name(action)?, payload)
            }
            #[cfg(feature = "v201")]
            (OcppVersion::V201, PayloadKind::Request) => {
                v201::Request::validate(v201::ActionName::from_name(action)?, payload)
            }
            #[cfg(feature = "v201")]
            (OcppVersion::V201, PayloadKind::Response) => {
                v201::Response::validate(v201::ActionName::from_name(action)?, payload)
            }
            #[cfg(feature = "v21")]
            (OcppVersion::V21, PayloadKind::Request) => {
                v21::Request::validate(v21::ActionName::from_name(action)?, payload)
            }
            #[cfg(feature = "v21")]
            (OcppVersion::V21, PayloadKind::Response) => {
                v21::Response::validate(v21::ActionName::from_name(action)?, payload)
            }
        })
    }

    /// A random `kind` payload of `action` in `version` (for property tests and fuzzing);
    /// `None` when the version has no such action.
    #[cfg(feature = "arbitrary")]
    pub fn arbitrary_of(
        version: OcppVersion,
        kind: PayloadKind,
        action: &str,
        u: &mut arbitrary::Unstructured<'_>,
    ) -> Option<arbitrary::Result<Self>> {
        Some(match (version, kind) {
            #[cfg(feature = "v16")]
            (OcppVersion::V16, PayloadKind::Request) => {
                v16::Request::arbitrary_of(v16::ActionName::from_name(action)?, u)
                    .map(Self::V16Request)
            }
            #[cfg(feature = "v16")]
            (OcppVersion::V16, PayloadKind::Response) => {
                v16::Response::arbitrary_of(v16::ActionName::from_name(action)?, u)
                    .map(Self::V16Response)
            }
            #[cfg(feature = "v201")]
            (OcppVersion::V201, PayloadKind::Request) => {
                v201::Request::arbitrary_of(v201::ActionName::from_name(action)?, u)
                    .map(Self::V201Request)
            }
            #[cfg(feature = "v201")]
            (OcppVersion::V201, PayloadKind::Response) => {
                v201::Response::arbitrary_of(v201::ActionName::from_name(action)?, u)
                    .map(Self::V201Response)
            }
            #[cfg(feature = "v21")]
            (OcppVersion::V21, PayloadKind::Request) => {
                v21::Request::arbitrary_of(v21::ActionName::from_name(action)?, u)
                    .map(Self::V21Request)
            }
            #[cfg(feature = "v21")]
            (OcppVersion::V21, PayloadKind::Response) => {
                v21::Response::arbitrary_of(v21::ActionName::from_name(action)?, u)
                    .map(Self::V21Response)
            }
        })
    }

    /// The JSON schema of the `kind` payload of `action` in `version`, in the draft of the
    /// action's official schema; `None` when the version has no such action.
    #[cfg(feature = "schemars")]
    pub fn json_schema(
        version: OcppVersion,
        kind: PayloadKind,
        action: &str,
    ) -> Option<schemars::Schema> {
        Some(match (version, kind) {
            #[cfg(feature = "v16")]
            (OcppVersion::V16, PayloadKind::Request) => {
                v16::Request::json_schema(v16::ActionName::from_name(action)?)
            }
            #[cfg(feature = "v16")]
            (OcppVersion::V16, PayloadKind::Response) => {
                v16::Response::json_schema(v16::ActionName::from_name(action)?)
            }
            #[cfg(feature = "v201")]
            (OcppVersion::V201, PayloadKind::Request) => {
                v201::Request::json_schema(v201::ActionName::from_name(action)?)
            }
            #[cfg(feature = "v21")]
            (OcppVersion::V21, PayloadKind::Request) => {
                v21::Request::json_schema(v21::ActionName::from_name(action)?)
            }
            #[cfg(feature = "v201")]
            (OcppVersion::V201, PayloadKind::Response) => {
                v201::Response::json_schema(v201::ActionName::from_name(action)?)
            }
            #[cfg(feature = "v21")]
            (OcppVersion::V21, PayloadKind::Response) => {
                v21::Response::json_schema(v21::ActionName::from_name(action)?)
            }
        })
    }

    /// The version of the payload.
    pub const fn version(&self) -> OcppVersion {
        match self {
            #[cfg(feature = "v16")]
            Self::V16Request(_) | Self::V16Response(_) => OcppVersion::V16,
            #[cfg(feature = "v201")]
            Self::V201Request(_) | Self::V201Response(_) => OcppVersion::V201,
            #[cfg(feature = "v21")]
            Self::V21Request(_) | Self::V21Response(_) => OcppVersion::V21,
        }
    }

    /// Whether it is a CALL's or a CALLRESULT's payload.
    pub const fn kind(&self) -> PayloadKind {
        match self {
            #[cfg(feature = "v16")]
            Self::V16Request(_) => PayloadKind::Request,
            #[cfg(feature = "v16")]
            Self::V16Response(_) => PayloadKind::Response,
            #[cfg(feature = "v201")]
            Self::V201Request(_) => PayloadKind::Request,
            #[cfg(feature = "v21")]
            Self::V21Request(_) => PayloadKind::Request,
            #[cfg(feature = "v201")]
            Self::V201Response(_) => PayloadKind::Response,
            #[cfg(feature = "v21")]
            Self::V21Response(_) => PayloadKind::Response,
        }
    }

    /// The payload as JSON.
    pub fn to_value(&self) -> Value {
        match self {
            #[cfg(feature = "v16")]
            Self::V16Request(message) => message.to_value(),
            #[cfg(feature = "v16")]
            Self::V16Response(message) => message.to_value(),
            #[cfg(feature = "v201")]
            Self::V201Request(message) => message.to_value(),
            #[cfg(feature = "v21")]
            Self::V21Request(message) => message.to_value(),
            #[cfg(feature = "v201")]
            Self::V201Response(message) => message.to_value(),
            #[cfg(feature = "v21")]
            Self::V21Response(message) => message.to_value(),
        }
    }

    /// The action name as written in a CALL.
    pub fn action(&self) -> &'static str {
        match self {
            #[cfg(feature = "v16")]
            Self::V16Request(message) => message.action().as_str(),
            #[cfg(feature = "v16")]
            Self::V16Response(message) => message.action().as_str(),
            #[cfg(feature = "v201")]
            Self::V201Request(message) => message.action().as_str(),
            #[cfg(feature = "v21")]
            Self::V21Request(message) => message.action().as_str(),
            #[cfg(feature = "v201")]
            Self::V201Response(message) => message.action().as_str(),
            #[cfg(feature = "v21")]
            Self::V21Response(message) => message.action().as_str(),
        }
    }
}
