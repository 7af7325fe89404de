//! Validation without building values: every payload type can check JSON against its
//! constraints while reading it, allocating nothing for valid input. The generated code
//! implements [`Check`] for each struct and enumeration; this module implements it for the
//! primitives and holds the object and list walkers. The verdict is the typed decoder's
//! (the differential test in `schemas/` compares them on every case).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::framing::UniqueMembers;
use crate::primitives::{BoundedString, BoundedVec, DateTime, DecimalTenths, RangedInt, Uri};

/// A type whose JSON form can be checked without building a value.
pub(crate) trait Check {
    /// Reads one value from `deserializer`, failing where decoding would fail.
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error>;
}

/// A struct: its members' wire names, which are required, and how to check each.
pub(crate) trait CheckObject {
    /// Wire names, in the struct's order.
    const FIELDS: &'static [&'static str];
    /// Bit `i` set when `FIELDS[i]` is required.
    const REQUIRED: u64;
    /// The name used in error messages.
    const NAME: &'static str;

    /// The index of a member name in `FIELDS`.
    fn index_of(name: &str) -> Option<usize>;

    /// Checks the value of member `index` (never called for a struct without members).
    fn check_member<'de, A: MapAccess<'de>>(index: usize, map: &mut A) -> Result<(), A::Error> {
        let _ = map;
        Err(de::Error::custom(format_args!(
            "{} has no member {index}",
            Self::NAME
        )))
    }
}

/// Checks `T` as a map value or list item.
pub(crate) struct Seed<T>(PhantomData<T>);

impl<T> Seed<T> {
    pub(crate) const NEW: Self = Self(PhantomData);
}

impl<'de, T: Check> DeserializeSeed<'de> for Seed<T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        T::check(deserializer)
    }
}

/// Walks an object: known members once each, no others, every required one present.
pub(crate) fn object<'de, T: CheckObject, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<(), D::Error> {
    struct Members<T>(PhantomData<T>);

    impl<'de, T: CheckObject> Visitor<'de> for Members<T> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "struct {}", T::NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = 0_u64;
            while let Some(key) = map.next_key_seed(Key::<T>(PhantomData))? {
                let bit = 1_u64 << key;
                if seen & bit != 0 {
                    return Err(de::Error::duplicate_field(T::FIELDS[key]));
                }
                seen |= bit;
                T::check_member(key, &mut map)?;
            }
            let missing = T::REQUIRED & !seen;
            if missing != 0 {
                let index = missing.trailing_zeros() as usize;
                return Err(de::Error::missing_field(T::FIELDS[index]));
            }
            Ok(())
        }
    }

    deserializer.deserialize_map(Members::<T>(PhantomData))
}

/// A member name of `T`, read without allocating, as its index among the known names.
struct Key<T>(PhantomData<T>);

impl<'de, T: CheckObject> DeserializeSeed<'de> for Key<T> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<T: CheckObject> Visitor<'_> for Key<T> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        T::index_of(v).ok_or_else(|| de::Error::unknown_field(v, T::FIELDS))
    }
}

/// Walks a list, checking each item and the count.
fn list<'de, T: Check, D: Deserializer<'de>>(
    deserializer: D,
    min: usize,
    max: usize,
) -> Result<(), D::Error> {
    struct Items<T> {
        min: usize,
        max: usize,
        item: PhantomData<T>,
    }

    impl<'de, T: Check> Visitor<'de> for Items<T> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut count = 0;
            while seq.next_element_seed(Seed::<T>::NEW)?.is_some() {
                count += 1;
                if count > self.max {
                    return Err(de::Error::invalid_length(count, &self));
                }
            }
            if count < self.min {
                return Err(de::Error::invalid_length(count, &self));
            }
            Ok(())
        }
    }

    deserializer.deserialize_seq(Items::<T> {
        min,
        max,
        item: PhantomData,
    })
}

/// A string, checked by `accept` without allocating.
fn text<'de, D: Deserializer<'de>>(
    deserializer: D,
    accept: impl Fn(&str) -> bool,
    what: &'static str,
) -> Result<(), D::Error> {
    struct Text<F> {
        accept: F,
        what: &'static str,
    }

    impl<F: Fn(&str) -> bool> Visitor<'_> for Text<F> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.what)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
            if (self.accept)(v) {
                Ok(())
            } else {
                Err(de::Error::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
    }

    deserializer.deserialize_str(Text { accept, what })
}

impl Check for String {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        text(deserializer, |_| true, "a string")
    }
}

impl<const MAX: usize> Check for BoundedString<MAX> {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        // Bytes bound characters from above, so most strings need no count.
        text(
            deserializer,
            |v| v.len() <= MAX || v.chars().count() <= MAX,
            "a string within its length",
        )
    }
}

impl Check for DateTime {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        text(
            deserializer,
            |v| DateTime::parse(v).is_ok(),
            "an RFC 3339 date-time",
        )
    }
}

impl Check for Uri {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        text(deserializer, |v| Uri::new(v).is_ok(), "an absolute URI")
    }
}

impl Check for bool {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        <bool as serde::Deserialize>::deserialize(deserializer).map(drop)
    }
}

/// A draft-04 integer: plain digits, as serde reads an `i64`.
impl Check for i64 {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        <i64 as serde::Deserialize>::deserialize(deserializer).map(drop)
    }
}

/// A draft-06 integer: any number with a zero fractional part.
pub(crate) struct WholeNumber;

impl Check for WholeNumber {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        crate::wire::de::whole_number::deserialize::<D, i64>(deserializer).map(drop)
    }
}

impl<const MIN: i64, const MAX: i64> Check for crate::primitives::RangedDecimal<MIN, MAX> {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        <Self as serde::Deserialize>::deserialize(deserializer).map(drop)
    }
}

impl<const MIN: i64, const MAX: i64> Check for RangedInt<MIN, MAX> {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        <Self as serde::Deserialize>::deserialize(deserializer).map(drop)
    }
}

/// A decimal member (`number`), held exactly: its checker, and (with `schemars`) its schema.
/// Only 2.0.1 and 2.1 have members of this kind.
#[cfg(any(feature = "v201", feature = "v21"))]
pub(crate) struct Number;

#[cfg(any(feature = "v201", feature = "v21"))]
impl Check for Number {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        crate::wire::de::decimal::deserialize_for_check(deserializer).map(drop)
    }
}

impl Check for DecimalTenths {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        let value = crate::wire::de::decimal::deserialize_for_check(deserializer)?;
        Self::new(value).map(drop).map_err(de::Error::custom)
    }
}

/// An untyped member: any JSON value, `null` included, whose objects repeat no member name.
impl Check for serde_json::Value {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        <UniqueMembers as serde::Deserialize>::deserialize(deserializer).map(drop)
    }
}

impl<T: Check> Check for Vec<T> {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        list::<T, D>(deserializer, 0, usize::MAX)
    }
}

impl<T: Check, const MIN: usize, const MAX: usize> Check for BoundedVec<T, MIN, MAX> {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        list::<T, D>(deserializer, MIN, MAX)
    }
}
