use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ConstraintError;

/// A list of at least `MIN` and at most `MAX` items, as the schemas' `minItems` and
/// `maxItems` require. `MAX` is `usize::MAX` where the schema sets no upper bound.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BoundedVec<T, const MIN: usize, const MAX: usize>(Vec<T>);

impl<T, const MIN: usize, const MAX: usize> BoundedVec<T, MIN, MAX> {
    /// Checks the number of items and wraps them.
    pub fn new(items: Vec<T>) -> Result<Self, ConstraintError> {
        let length = items.len();
        if length < MIN {
            return Err(ConstraintError::TooFewItems { min: MIN, length });
        }
        if length > MAX {
            return Err(ConstraintError::TooManyItems { max: MAX, length });
        }
        Ok(Self(items))
    }

    /// A list holding one item; calling it where the bounds exclude one item fails to compile.
    pub fn one(item: T) -> Self {
        const { assert!(MIN <= 1 && MAX >= 1) };
        Self(vec![item])
    }

    /// The items.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// Gives back the inner vector.
    pub fn into_inner(self) -> Vec<T> {
        self.0
    }
}

impl<T, const MIN: usize, const MAX: usize> Deref for BoundedVec<T, MIN, MAX> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T, const MIN: usize, const MAX: usize> TryFrom<Vec<T>> for BoundedVec<T, MIN, MAX> {
    type Error = ConstraintError;

    fn try_from(items: Vec<T>) -> Result<Self, Self::Error> {
        Self::new(items)
    }
}

impl<T, const MIN: usize, const MAX: usize> From<BoundedVec<T, MIN, MAX>> for Vec<T> {
    fn from(value: BoundedVec<T, MIN, MAX>) -> Self {
        value.0
    }
}

impl<'v, T, const MIN: usize, const MAX: usize> IntoIterator for &'v BoundedVec<T, MIN, MAX> {
    type Item = &'v T;
    type IntoIter = std::slice::Iter<'v, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: Serialize, const MIN: usize, const MAX: usize> Serialize for BoundedVec<T, MIN, MAX> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>, const MIN: usize, const MAX: usize> Deserialize<'de>
    for BoundedVec<T, MIN, MAX>
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<T>::deserialize(deserializer)?;
        Self::new(items).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "arbitrary")]
impl<'a, T: arbitrary::Arbitrary<'a>, const MIN: usize, const MAX: usize> arbitrary::Arbitrary<'a>
    for BoundedVec<T, MIN, MAX>
{
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let length = u.int_in_range(MIN..=MAX.min(MIN + 3))?;
        let items = (0..length)
            .map(|_| T::arbitrary(u))
            .collect::<arbitrary::Result<Vec<T>>>()?;
        Ok(Self(items))
    }
}

#[cfg(feature = "schemars")]
impl<T: schemars::JsonSchema, const MIN: usize, const MAX: usize> schemars::JsonSchema
    for BoundedVec<T, MIN, MAX>
{
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("BoundedVec{MIN}To{MAX}Of{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = schemars::json_schema!({
            "type": "array",
            "items": generator.subschema_for::<T>(),
        });
        if MIN > 0 {
            schema.insert("minItems".into(), MIN.into());
        }
        if MAX < usize::MAX {
            schema.insert("maxItems".into(), MAX.into());
        }
        schema
    }
}
