//! Member names that appear twice in one JSON object.
//!
//! RFC 8259 §4 says the names within an object SHOULD be unique and leaves the meaning of a
//! repeated name open; `serde_json` keeps the last value, so `{"idTag":"x","idTag":"y"}`
//! would be read as if `"x"` had never been sent. OCPP-J frames are refused instead: the
//! text is not a well-formed payload (OCPP-J 1.6 §4.2.3 Table 7 `FormationViolation`,
//! OCPP 2.0.1 Part 4 §4.3 Table 8 `FormatViolation`).

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A member name found twice in one object.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DuplicateKey {
    /// JSON pointer to the object that holds the name twice (`""` for the top-level value).
    pub pointer: String,
    /// The repeated name.
    pub key: String,
}

impl fmt::Display for DuplicateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "the top-level object"
        } else {
            &self.pointer
        };
        write!(
            f,
            "member {:?} appears twice in the object at {at}",
            self.key
        )
    }
}

/// The first repeated member name in a JSON text, in document order; `None` when every
/// object's names are unique. Text that is not JSON gives `None` unless a name repeated
/// before the text went wrong (the caller's own parser tells what is wrong).
pub fn duplicate_key(json: &[u8]) -> Option<DuplicateKey> {
    let mut walk = Walk::default();
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    // The walk stops at the first repeated name; it is noted before the error unwinds.
    let _ = Members { walk: &mut walk }.deserialize(&mut deserializer);
    walk.found
}

/// Any JSON value, refused when one of its objects (at any depth) repeats a member name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct UniqueMembers;

impl<'de> Deserialize<'de> for UniqueMembers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut walk = Walk::default();
        Members { walk: &mut walk }.deserialize(deserializer)?;
        Ok(Self)
    }
}

/// Where the walk is (as a JSON pointer) and the first repeated name it met.
#[derive(Default)]
struct Walk {
    pointer: String,
    found: Option<DuplicateKey>,
}

impl Walk {
    /// Runs `inner` with `segment` appended to the pointer.
    fn under<T>(&mut self, segment: &str, inner: impl FnOnce(&mut Self) -> T) -> T {
        let length = self.pointer.len();
        self.pointer.push('/');
        for c in segment.chars() {
            match c {
                '~' => self.pointer.push_str("~0"),
                '/' => self.pointer.push_str("~1"),
                c => self.pointer.push(c),
            }
        }
        let result = inner(self);
        self.pointer.truncate(length);
        result
    }
}

/// One value of the walk.
struct Members<'w> {
    walk: &'w mut Walk,
}

impl<'de> DeserializeSeed<'de> for Members<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Members<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0_usize;
        loop {
            let more = self.walk.under(&index.to_string(), |walk| {
                seq.next_element_seed(Members { walk })
            })?;
            if more.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut names = HashSet::new();
        while let Some(name) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if names.contains(&*name) {
                self.walk.found.get_or_insert_with(|| DuplicateKey {
                    pointer: self.walk.pointer.clone(),
                    key: name.to_string(),
                });
                return Err(de::Error::custom(format_args!(
                    "member {name:?} appears twice in one object"
                )));
            }
            self.walk
                .under(&name, |walk| map.next_value_seed(Members { walk }))?;
            names.insert(name.into_owned());
        }
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<(), E> {
        Ok(())
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        IgnoredAny::deserialize(deserializer).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Option<(String, String)> {
        duplicate_key(text.as_bytes()).map(|d| (d.pointer, d.key))
    }

    #[test]
    fn the_first_repeated_name_is_found_with_the_pointer_of_its_object() {
        assert_eq!(found(r#"{"a":1,"a":2}"#), Some((String::new(), "a".into())));
        assert_eq!(
            found(r#"[2,"1","Authorize",{"x":{"k/~":[{"id":1,"id":2}]}}]"#),
            Some(("/3/x/k~1~0/0".into(), "id".into()))
        );
        assert_eq!(found(r#"{"a":{"b":1},"c":{"b":1},"n":1.50}"#), None);
        assert_eq!(found(r#"{"a":1,"a""#), Some((String::new(), "a".into())));
        assert_eq!(found("not json"), None);
    }

    #[test]
    fn unique_members_refuses_a_repeated_name_at_any_depth() {
        let parse = |t: &str| serde_json::from_str::<UniqueMembers>(t).is_ok();
        assert!(parse(
            r#"{"a":[{"b":1},{"b":2}],"n":12345678901234567890123}"#
        ));
        assert!(!parse(r#"{"a":[{"b":1,"b":2}]}"#));
        assert!(parse("null"));
    }
}
