use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ConstraintError;

/// A decimal within `MIN..=MAX`, as a `number` member with `minimum` and `maximum` requires
/// (OCPP 2.1: a state of charge in 0..=100, a discharge limit of at most 0). `i64::MIN` and
/// `i64::MAX` stand for "no bound". Held exactly, read from the number's text like every
/// decimal of this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RangedDecimal<const MIN: i64, const MAX: i64>(Decimal);

impl<const MIN: i64, const MAX: i64> RangedDecimal<MIN, MAX> {
    /// Checks the range and wraps the value.
    pub fn new(value: Decimal) -> Result<Self, ConstraintError> {
        let above_min = MIN == i64::MIN || value >= Decimal::from(MIN);
        let below_max = MAX == i64::MAX || value <= Decimal::from(MAX);
        if above_min && below_max {
            Ok(Self(value))
        } else {
            Err(ConstraintError::DecimalOutOfRange {
                min: MIN,
                max: MAX,
                value: value.to_string(),
            })
        }
    }

    /// The value.
    pub fn get(self) -> Decimal {
        self.0
    }
}

impl<const MIN: i64, const MAX: i64> TryFrom<Decimal> for RangedDecimal<MIN, MAX> {
    type Error = ConstraintError;

    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl<const MIN: i64, const MAX: i64> From<RangedDecimal<MIN, MAX>> for Decimal {
    fn from(value: RangedDecimal<MIN, MAX>) -> Self {
        value.0
    }
}

impl<const MIN: i64, const MAX: i64> fmt::Display for RangedDecimal<MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl<const MIN: i64, const MAX: i64> Serialize for RangedDecimal<MIN, MAX> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::wire::de::decimal::serialize(&self.0, serializer)
    }
}

impl<'de, const MIN: i64, const MAX: i64> Deserialize<'de> for RangedDecimal<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = crate::wire::de::decimal::deserialize(deserializer)?;
        Self::new(value).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "arbitrary")]
impl<'a, const MIN: i64, const MAX: i64> arbitrary::Arbitrary<'a> for RangedDecimal<MIN, MAX> {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        // Whole parts far from the bounds' sentinels, and up to two decimal places.
        let low = MIN.max(-1_000_000_000);
        let high = MAX.min(1_000_000_000);
        let whole = u.int_in_range(low..=high)?;
        let hundredths = if whole == high {
            0
        } else {
            u.int_in_range(0..=99)?
        };
        Self::new(Decimal::new(whole * 100 + hundredths, 2))
            .map_err(|_| arbitrary::Error::IncorrectFormat)
    }
}

#[cfg(feature = "schemars")]
impl<const MIN: i64, const MAX: i64> schemars::JsonSchema for RangedDecimal<MIN, MAX> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("RangedDecimal{MIN}To{MAX}").into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = schemars::json_schema!({ "type": "number" });
        if MIN > i64::MIN {
            schema.insert("minimum".into(), MIN.into());
        }
        if MAX < i64::MAX {
            schema.insert("maximum".into(), MAX.into());
        }
        schema
    }
}
