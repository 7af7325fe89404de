use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ConstraintError;

/// A decimal that is a whole multiple of 0.1, as the schemas' `multipleOf: 0.1` requires
/// (charging limits in OCPP 1.6). Held exactly: `0.3` is `0.3`, not a binary fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DecimalTenths(Decimal);

impl DecimalTenths {
    /// Checks that `value` has no digit below the first decimal place and wraps it.
    pub fn new(value: Decimal) -> Result<Self, ConstraintError> {
        if value.normalize().scale() <= 1 {
            Ok(Self(value))
        } else {
            Err(ConstraintError::NotMultipleOfTenth {
                value: value.to_string(),
            })
        }
    }

    /// The value.
    pub fn get(self) -> Decimal {
        self.0
    }
}

impl TryFrom<Decimal> for DecimalTenths {
    type Error = ConstraintError;

    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<DecimalTenths> for Decimal {
    fn from(value: DecimalTenths) -> Self {
        value.0
    }
}

impl fmt::Display for DecimalTenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for DecimalTenths {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::wire::de::decimal::serialize(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for DecimalTenths {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = crate::wire::de::decimal::deserialize(deserializer)?;
        Self::new(value).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for DecimalTenths {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let mantissa = i64::from(u.arbitrary::<i32>()?);
        let scale = u.int_in_range(0..=1)?;
        Ok(Self(Decimal::new(mantissa, scale)))
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for DecimalTenths {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DecimalTenths".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let tenth: serde_json::Number = "0.1"
            .parse()
            .unwrap_or_else(|_| serde_json::Number::from(0));
        schemars::json_schema!({ "type": "number", "multipleOf": tenth })
    }
}

/// The schema of a plain decimal member (`number`), decoded through `crate::wire::de::decimal`;
/// `rust_decimal::Decimal` has no schema of its own that says so.
#[cfg(all(feature = "schemars", any(feature = "v201", feature = "v21")))]
impl schemars::JsonSchema for crate::wire::check::Number {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Number".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number" })
    }
}
