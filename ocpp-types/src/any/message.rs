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

/// Calls `$callback!` with `$args` and, for every payload of every version compiled in, its
/// feature, the version's module and [`OcppVersion`] variant, its [`PayloadKind`] and the
/// [`AnyMessage`] variant holding it: the one list the per-version dispatch below is written
/// from, so that a new version is added here once.
macro_rules! payloads {
    ($callback:ident $args:tt) => {
        $callback! { $args
            "v16" v16 V16 Request V16Request,
            "v16" v16 V16 Response V16Response,
            "v201" v201 V201 Request V201Request,
            "v201" v201 V201 Response V201Response,
            "v21" v21 V21 Request V21Request,
            "v21" v21 V21 Response V21Response
        }
    };
}

/// A `match` on a `(version, kind)` pair, one arm per payload; in each arm `$module` is the
/// version's module, `$sum` its `Request` or `Response` type and `$variant` the
/// [`AnyMessage`] variant (a constructor) for it.
macro_rules! by_kind {
    (($pair:expr, |$module:ident, $sum:ident, $variant:ident| $body:expr)
        $($feature:literal $m:ident $version:ident $kind:ident $v:ident),*) => {
        match $pair {
            $(
                #[cfg(feature = $feature)]
                (OcppVersion::$version, PayloadKind::$kind) => {
                    #[allow(unused_imports)]
                    use crate::$m as $module;
                    use crate::$m::$kind as $sum;
                    #[allow(unused_variables)]
                    let $variant = AnyMessage::$v;
                    $body
                }
            )*
        }
    };
}

/// A `match` on an [`AnyMessage`], one arm per variant; in each arm `$payload` is bound to
/// the payload, `$version` to its [`OcppVersion`] and `$kind` to its [`PayloadKind`].
macro_rules! by_message {
    (($message:expr, |$payload:pat_param, $ver:ident, $knd:ident| $body:expr)
        $($feature:literal $m:ident $version:ident $kind:ident $v:ident),*) => {
        match $message {
            $(
                #[cfg(feature = $feature)]
                AnyMessage::$v($payload) => {
                    let ($ver, $knd) = (OcppVersion::$version, PayloadKind::$kind);
                    $body
                }
            )*
        }
    };
}

impl AnyMessage {
    /// Decodes the `kind` payload of `action` in `version` strictly.
    pub fn decode(
        version: OcppVersion,
        kind: PayloadKind,
        action: &str,
        payload: &Value,
    ) -> Result<Self, DecodeError> {
        payloads!(by_kind((version, kind), |module, Sum, variant| Ok(
            variant(Sum::from_value(action.parse()?, payload)?)
        )))
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
        payloads!(by_kind((version, kind), |module, Sum, variant| Some(
            Sum::validate(module::ActionName::from_name(action)?, payload)
        )))
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
        payloads!(by_kind((version, kind), |module, Sum, variant| Some(
            Sum::arbitrary_of(module::ActionName::from_name(action)?, u).map(variant)
        )))
    }

    /// The JSON schema of the `kind` payload of `action` in `version`, in the draft of the
    /// action's official schema; `None` when the version has no such action.
    #[cfg(feature = "schemars")]
    pub fn json_schema(
        version: OcppVersion,
        kind: PayloadKind,
        action: &str,
    ) -> Option<schemars::Schema> {
        payloads!(by_kind((version, kind), |module, Sum, variant| Some(
            Sum::json_schema(module::ActionName::from_name(action)?)
        )))
    }

    /// The version of the payload.
    pub const fn version(&self) -> OcppVersion {
        payloads!(by_message(self, |_, version, _kind| version))
    }

    /// Whether it is a CALL's or a CALLRESULT's payload.
    pub const fn kind(&self) -> PayloadKind {
        payloads!(by_message(self, |_, _version, kind| kind))
    }

    /// The payload as JSON.
    pub fn to_value(&self) -> Value {
        payloads!(by_message(self, |message, _version, _kind| message.to_value()))
    }

    /// The action name as written in a CALL.
    pub fn action(&self) -> &'static str {
        payloads!(by_message(self, |message, _version, _kind| message
            .action()
            .as_str()))
    }
}
