//! Serde support shared by the generated types.
//!
//! The schemas accept an object only as a JSON object and an enumeration value only as a JSON
//! string, and reject `null` for every member that is not typed "any". Serde's derives are
//! more lenient (a struct also decodes from an array, an optional member from `null`), so the
//! generated types route through the helpers here.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// Decodes an optional member that is present; `null` is rejected like any other value the
/// member's type does not accept (the member type itself decides, so `any` accepts it).
pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Decodes an enumeration value from a JSON string only, without allocating.
pub(crate) fn enum_value<'de, D, E>(
    deserializer: D,
    from_wire: fn(&str) -> Option<E>,
    names: &'static [&'static str],
) -> Result<E, D::Error>
where
    D: Deserializer<'de>,
{
    struct Text<E> {
        from_wire: fn(&str) -> Option<E>,
        names: &'static [&'static str],
    }

    impl<E> Visitor<'_> for Text<E> {
        type Value = E;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<Err: de::Error>(self, v: &str) -> Result<E, Err> {
            (self.from_wire)(v).ok_or_else(|| de::Error::unknown_variant(v, self.names))
        }
    }

    deserializer.deserialize_str(Text { from_wire, names })
}

/// A deserializer that asks for a map where a struct is wanted, so that a JSON array never
/// decodes into an object type. Everything else passes through.
pub(crate) struct ObjectOnly<D>(pub(crate) D);

macro_rules! forward {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.0.$method(visitor)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    forward! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// Implements `Serialize` and `Deserialize` for a generated struct whose derives were made
/// with `#[serde(remote = "Self")]`, decoding through [`ObjectOnly`].
macro_rules! object_serde {
    ($ty:ident) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $ty::serialize(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $ty::deserialize(crate::wire::de::ObjectOnly(deserializer))
            }
        }
    };
}

/// Implements `Display`, `Serialize` and `Deserialize` for a generated enumeration with
/// `ALL` and `as_str`.
macro_rules! string_enum {
    ($ty:ident) => {
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const NAMES: &[&str] = &{
                    let mut names = [""; $ty::ALL.len()];
                    let mut i = 0;
                    while i < names.len() {
                        names[i] = $ty::ALL[i].as_str();
                        i += 1;
                    }
                    names
                };
                crate::wire::de::enum_value(deserializer, $ty::from_wire, NAMES)
            }
        }

        impl crate::wire::check::Check for $ty {
            fn check<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
                crate::wire::de::enum_value(deserializer, $ty::from_wire, &[]).map(drop)
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let values: Vec<&str> = $ty::ALL.iter().map(|v| v.as_str()).collect();
                schemars::json_schema!({ "type": "string", "enum": values })
            }
        }
    };
}

pub(crate) use object_serde;
pub(crate) use string_enum;

/// A decimal member written as a JSON number (never a string), kept exactly: the number's
/// text, which `serde_json` keeps with `arbitrary_precision`, becomes the decimal. A number
/// that a 96-bit decimal cannot hold exactly (more than 28 significant digits, or beyond its
/// range) is rejected rather than rounded.
pub(crate) mod decimal {
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        value: &Decimal,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serde_json::Number::from_str(&value.to_string())
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }

    /// Part of the message of a number that a `Value` handed over as an `f64` that two
    /// different decimals print as: decoding from a `Value` retries such a payload from its
    /// text, where the number's own digits are read.
    pub(crate) const AMBIGUOUS: &str = "reaches the decoder as a binary float";

    /// What reads such a number exactly: without the `lossless` feature even the frame's text
    /// reaches the decoder as a float.
    #[cfg(feature = "lossless")]
    const REMEDY: &str = "";
    #[cfg(not(feature = "lossless"))]
    const REMEDY: &str = " (ocpp-model's `lossless` feature reads numbers from their text)";

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Decimal, D::Error> {
        match deserializer.deserialize_any(NumberText)? {
            Text::Exact(text) => held(&text),
            Text::OneOf(first, second) => match (exact(&first), exact(&second)) {
                (Ok(a), Ok(b)) if a == b => Ok(a),
                (Err(()), Err(())) => held(&first),
                _ => Err(de::Error::custom(format_args!(
                    "number {first} (or {second}) {AMBIGUOUS}{REMEDY}"
                ))),
            },
        }
    }

    /// As [`deserialize`], for checks that need the verdict only: both texts a number can
    /// have had are the same size and precision, so either decides.
    pub(crate) fn deserialize_for_check<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Decimal, D::Error> {
        match deserializer.deserialize_any(NumberText)? {
            Text::Exact(text) | Text::OneOf(text, _) => held(&text),
        }
    }

    fn held<E: de::Error>(text: &str) -> Result<Decimal, E> {
        exact(text).map_err(|()| {
            de::Error::custom(format_args!(
                "number {text} cannot be held exactly as a decimal"
            ))
        })
    }

    /// A number's text as a deserializer hands it over. JSON text gives its digits (with
    /// `arbitrary_precision`); a `serde_json::Value` gives an `f64` instead whenever one of
    /// the two shortest renderings of that `f64` is the number's text, and where those two
    /// differ (`-957014920816667.2` and `.3` print the same `f64`) the text is one of them.
    enum Text {
        Exact(String),
        OneOf(String, String),
    }

    struct NumberText;

    impl<'de> de::Visitor<'de> for NumberText {
        type Value = Text;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON number")
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
            Ok(Text::Exact(v.to_string()))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
            Ok(Text::Exact(v.to_string()))
        }

        fn visit_u128<E: de::Error>(self, v: u128) -> Result<Text, E> {
            Ok(Text::Exact(v.to_string()))
        }

        fn visit_i128<E: de::Error>(self, v: i128) -> Result<Text, E> {
            Ok(Text::Exact(v.to_string()))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
            let display = v.to_string();
            Ok(match serde_json::Number::from_f64(v) {
                Some(shortest) if shortest.to_string() != display => {
                    Text::OneOf(shortest.to_string(), display)
                }
                _ => Text::Exact(display),
            })
        }

        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Text, A::Error> {
            let number =
                serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))?;
            Ok(Text::Exact(number.to_string()))
        }
    }

    /// The decimal a JSON number's text denotes, if a 96-bit decimal holds it exactly.
    pub(crate) fn exact(text: &str) -> Result<Decimal, ()> {
        Decimal::from_str_exact(text).or_else(|_| exact_scientific(text))
    }

    /// `1.5e3` and the like, computed without rounding.
    fn exact_scientific(text: &str) -> Result<Decimal, ()> {
        let (mantissa, exponent) = text.split_once(['e', 'E']).ok_or(())?;
        let mut value = Decimal::from_str_exact(mantissa).map_err(drop)?;
        let exponent: i64 = exponent.parse().map_err(drop)?;
        if value.is_zero() {
            return Ok(Decimal::ZERO);
        }
        if exponent >= 0 {
            // A non-zero value overflows after at most 57 steps, so this loop is short.
            for _ in 0..exponent {
                value = value.checked_mul(Decimal::TEN).ok_or(())?;
            }
        } else {
            let scale = u64::from(value.scale()) + exponent.unsigned_abs();
            value
                .set_scale(u32::try_from(scale).map_err(drop)?)
                .map_err(drop)?;
        }
        Ok(value)
    }
}

/// [`decimal`] for an optional member: absent is `None`, present must be a number. Only 2.0.1 and 2.1 have such members.
#[cfg(any(feature = "v201", feature = "v21"))]
pub(crate) mod optional_decimal {
    use rust_decimal::Decimal;
    use serde::{Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::decimal::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        super::decimal::deserialize(deserializer).map(Some)
    }
}

/// An integer member of a 2.0.1 message. The 2.0.1 schemas are JSON Schema draft-06, where an
/// integer is any number with a zero fractional part, so `7.0`, `7e0` and `700e-2` are the
/// integer 7 (1.6's draft-04 schemas accept only plain digits, which is what serde's own
/// integer decoding does). Values outside the 64-bit range are rejected with their own message.
pub(crate) mod whole_number {
    use std::fmt::Display;

    use rust_decimal::prelude::ToPrimitive;
    use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer, T: Serialize>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    pub(crate) fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<i64>,
        T::Error: Display,
    {
        let number = serde_json::Number::deserialize(deserializer)?;
        let text = number.to_string();
        let text = text.as_str();
        let whole = match text.parse::<i64>() {
            Ok(whole) => whole,
            Err(_) => {
                let exact = super::decimal::exact(text).map_err(|_| {
                    de::Error::custom(format!("integer {text} is outside the 64-bit range"))
                })?;
                if !exact.fract().is_zero() {
                    return Err(de::Error::custom(format!("{text} is not an integer")));
                }
                exact.to_i64().ok_or_else(|| {
                    de::Error::custom(format!("integer {text} is outside the 64-bit range"))
                })?
            }
        };
        T::try_from(whole).map_err(de::Error::custom)
    }
}

/// [`whole_number`] for an optional member.
pub(crate) mod optional_whole_number {
    use std::fmt::Display;

    use serde::{Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer, T: Serialize>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => value.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<i64>,
        T::Error: Display,
    {
        super::whole_number::deserialize(deserializer).map(Some)
    }
}

/// A list of [`whole_number`] integers (`[7.0, 8]` under draft-06). Only 2.0.1 and 2.1 have such members.
#[cfg(any(feature = "v201", feature = "v21"))]
pub(crate) mod whole_numbers {
    use std::fmt::Display;

    use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

    /// One list item, decoded by the draft-06 rule.
    struct Item(i64);

    impl<'de> Deserialize<'de> for Item {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::whole_number::deserialize(deserializer).map(Item)
        }
    }

    #[cfg_attr(
        not(feature = "v201"),
        allow(dead_code, reason = "2.1's lists of whole numbers are all optional")
    )]
    pub(crate) fn serialize<S: Serializer, T: Serialize>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    pub(crate) fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<Vec<i64>>,
        T::Error: Display,
    {
        let items = Vec::<Item>::deserialize(deserializer)?;
        T::try_from(items.into_iter().map(|Item(value)| value).collect()).map_err(de::Error::custom)
    }
}

/// [`whole_numbers`] for an optional member. Only 2.0.1 and 2.1 have such members.
#[cfg(any(feature = "v201", feature = "v21"))]
pub(crate) mod optional_whole_numbers {
    use std::fmt::Display;

    use serde::{Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer, T: Serialize>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => value.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<Vec<i64>>,
        T::Error: Display,
    {
        super::whole_numbers::deserialize(deserializer).map(Some)
    }
}
