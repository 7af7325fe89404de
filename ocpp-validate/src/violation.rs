//! A schema violation in a payload, as data.

use serde::Serialize;

use crate::code::{self, Class};
use ocpp_model::{AnyErrorCode, OcppVersion};

/// What rule of the schema a value breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ViolationKind {
    /// A required member is absent (the pointer is the object's).
    Required {
        /// The missing member.
        member: String,
    },
    /// A member the schema does not define (the pointer is the member's).
    AdditionalProperty {
        /// The unexpected member.
        member: String,
    },
    /// The value has the wrong JSON type.
    Type {
        /// The type the schema wants.
        expected: String,
    },
    /// The value is not one of the enumeration's.
    Enum,
    /// The string has more characters than allowed.
    MaxLength {
        /// The limit.
        limit: u64,
    },
    /// The list has fewer items than required.
    MinItems {
        /// The limit.
        limit: u64,
    },
    /// The list has more items than allowed.
    MaxItems {
        /// The limit.
        limit: u64,
    },
    /// The string does not have the format (`date-time`, `uri`).
    Format {
        /// The format.
        format: String,
    },
    /// The number is below the minimum.
    Minimum,
    /// The number is above the maximum.
    Maximum,
    /// The number is not a multiple of the step.
    MultipleOf,
    /// The schema allows the value but the typed model cannot hold it (an integer beyond 64
    /// bits, a decimal beyond 28 significant digits).
    Unrepresentable,
    /// Any other schema keyword.
    Other {
        /// The keyword.
        keyword: String,
    },
}

impl ViolationKind {
    /// A stable identifier for the kind, used as the rule id of findings (`schema-required`, …).
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Required { .. } => "schema-required",
            Self::AdditionalProperty { .. } => "schema-additional-property",
            Self::Type { .. } => "schema-type",
            Self::Enum => "schema-enum",
            Self::MaxLength { .. } => "schema-max-length",
            Self::MinItems { .. } => "schema-min-items",
            Self::MaxItems { .. } => "schema-max-items",
            Self::Format { .. } => "schema-format",
            Self::Minimum => "schema-minimum",
            Self::Maximum => "schema-maximum",
            Self::MultipleOf => "schema-multiple-of",
            Self::Unrepresentable => "value-unrepresentable",
            Self::Other { .. } => "schema-other",
        }
    }

    pub(crate) fn class(&self) -> Class {
        match self {
            Self::Required { .. } | Self::MinItems { .. } | Self::MaxItems { .. } => {
                Class::Occurrence
            }
            Self::AdditionalProperty { .. } => Class::Structure,
            Self::Type { .. } => Class::Type,
            Self::Unrepresentable => Class::Limit,
            Self::Enum
            | Self::MaxLength { .. }
            | Self::Format { .. }
            | Self::Minimum
            | Self::Maximum
            | Self::MultipleOf
            | Self::Other { .. } => Class::Property,
        }
    }
}

/// One violation of a payload's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Violation {
    /// What is wrong.
    #[serde(flatten)]
    pub kind: ViolationKind,
    /// JSON pointer into the payload.
    pub pointer: String,
    /// JSON pointer into the schema, to the keyword that failed.
    pub schema_path: String,
    /// A sentence for people.
    pub message: String,
    /// The CALLERROR code the violation calls for in the payload's version.
    pub error_code: AnyErrorCode,
}

impl Violation {
    pub(crate) fn new(
        version: OcppVersion,
        kind: ViolationKind,
        pointer: String,
        schema_path: String,
        message: String,
    ) -> Self {
        let error_code = code::code(version, kind.class());
        Self {
            kind,
            pointer,
            schema_path,
            message,
            error_code,
        }
    }
}
