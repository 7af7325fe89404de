use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ConstraintError;

/// An integer within `MIN..=MAX`, as the schemas' `minimum` and `maximum` require.
///
/// Only the 2.0.1 schemas bound integers, so it decodes as their draft-06 schemas define an
/// integer: any number with a zero fractional part (`100.0` is 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RangedInt<const MIN: i64, const MAX: i64>(i64);

impl<const MIN: i64, const MAX: i64> RangedInt<MIN, MAX> {
    /// Checks the range and wraps the value.
    pub fn new(value: i64) -> Result<Self, ConstraintError> {
        if (MIN..=MAX).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ConstraintError::OutOfRange {
                min: MIN,
                max: MAX,
                value,
            })
        }
    }

    /// The value.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl<const MIN: i64, const MAX: i64> TryFrom<i64> for RangedInt<MIN, MAX> {
    type Error = ConstraintError;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl<const MIN: i64, const MAX: i64> From<RangedInt<MIN, MAX>> for i64 {
    fn from(value: RangedInt<MIN, MAX>) -> Self {
        value.0
    }
}

impl<const MIN: i64, const MAX: i64> fmt::Display for RangedInt<MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl<const MIN: i64, const MAX: i64> Serialize for RangedInt<MIN, MAX> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de, const MIN: i64, const MAX: i64> Deserialize<'de> for RangedInt<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::wire::de::whole_number::deserialize(deserializer)
    }
}

#[cfg(feature = "arbitrary")]
impl<'a, const MIN: i64, const MAX: i64> arbitrary::Arbitrary<'a> for RangedInt<MIN, MAX> {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Self(u.int_in_range(MIN..=MAX)?))
    }
}

#[cfg(feature = "schemars")]
impl<const MIN: i64, const MAX: i64> schemars::JsonSchema for RangedInt<MIN, MAX> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("RangedInt{MIN}To{MAX}").into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = schemars::json_schema!({ "type": "integer" });
        if MIN > i64::MIN {
            schema.insert("minimum".into(), MIN.into());
        }
        if MAX < i64::MAX {
            schema.insert("maximum".into(), MAX.into());
        }
        schema
    }
}
