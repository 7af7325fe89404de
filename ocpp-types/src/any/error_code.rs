//! A CALLERROR code of either version.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::framing::RpcErrorCode;
#[cfg(feature = "v16")]
use crate::v16;
#[cfg(feature = "v201")]
use crate::v201;
#[cfg(feature = "v21")]
use crate::v21;
use crate::OcppVersion;

/// A CALLERROR code of either version, in that version's spelling (1.6 writes
/// `OccurenceConstraintViolation`, 2.0.1 `OccurrenceConstraintViolation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(
    clippy::exhaustive_enums,
    reason = "one variant per version, matched exhaustively across the workspace so that a new version is a compile error at every dispatch"
)]
pub enum AnyErrorCode {
    /// An OCPP-J 1.6 code.
    #[cfg(feature = "v16")]
    V16(v16::ErrorCode),
    /// An OCPP 2.0.1 code.
    #[cfg(feature = "v201")]
    V201(v201::ErrorCode),
    /// An OCPP 2.1 code.
    #[cfg(feature = "v21")]
    V21(v21::ErrorCode),
}

impl AnyErrorCode {
    /// The code of `version` spelled exactly `text`, or `None` when that version's table has
    /// no such code.
    pub fn parse(version: OcppVersion, text: &str) -> Option<Self> {
        match version {
            #[cfg(feature = "v16")]
            OcppVersion::V16 => v16::ErrorCode::from_wire(text).map(Self::V16),
            #[cfg(feature = "v201")]
            OcppVersion::V201 => v201::ErrorCode::from_wire(text).map(Self::V201),
            #[cfg(feature = "v21")]
            OcppVersion::V21 => v21::ErrorCode::from_wire(text).map(Self::V21),
        }
    }

    /// The code as written in a CALLERROR.
    pub fn as_str(self) -> &'static str {
        match self {
            #[cfg(feature = "v16")]
            Self::V16(code) => code.as_str(),
            #[cfg(feature = "v201")]
            Self::V201(code) => code.as_str(),
            #[cfg(feature = "v21")]
            Self::V21(code) => code.as_str(),
        }
    }

    /// The version whose table the code is from.
    pub const fn version(self) -> OcppVersion {
        match self {
            #[cfg(feature = "v16")]
            Self::V16(_) => OcppVersion::V16,
            #[cfg(feature = "v201")]
            Self::V201(_) => OcppVersion::V201,
            #[cfg(feature = "v21")]
            Self::V21(_) => OcppVersion::V21,
        }
    }
}

impl fmt::Display for AnyErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serialized as the wire spelling.
impl Serialize for AnyErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
