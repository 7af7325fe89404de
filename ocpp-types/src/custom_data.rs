//! `CustomData`, the extension point that every object of OCPP 2.0.1 and 2.1 carries.

use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::framing::UniqueMembers;
use crate::primitives::BoundedString;
use crate::wire::check::{Check, Seed};

/// Vendor-specific data attached to a 2.0.1 or 2.1 object: a vendor id plus any members the
/// vendor chooses. Unlike every other object of those versions it admits members the schema does not list;
/// they are kept in [`extra`](Self::extra), in their original order, and written back unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CustomData {
    /// `vendorId`, required: text of at most 255 characters naming the vendor.
    pub vendor_id: BoundedString<255>,
    /// Every other member, as received.
    pub extra: Map<String, Value>,
}

impl CustomData {
    /// Custom data with a vendor id and no other members.
    pub fn new(vendor_id: BoundedString<255>) -> Self {
        Self {
            vendor_id,
            extra: Map::new(),
        }
    }
}

impl Serialize for CustomData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.extra.len() + 1))?;
        map.serialize_entry("vendorId", &self.vendor_id)?;
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for CustomData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (vendor_id, extra) = deserializer.deserialize_map(UniqueNames)?;
        let vendor_id = match vendor_id {
            Some(Value::String(text)) => BoundedString::new(text).map_err(de::Error::custom)?,
            Some(other) => {
                return Err(de::Error::invalid_type(
                    unexpected(&other),
                    &"a string vendorId",
                ))
            }
            None => return Err(de::Error::missing_field("vendorId")),
        };
        Ok(Self { vendor_id, extra })
    }
}

/// An object read as its `vendorId` and a map of the other members, refusing a member name
/// that appears twice.
struct UniqueNames;

impl<'de> de::Visitor<'de> for UniqueNames {
    type Value = (Option<Value>, Map<String, Value>);

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct CustomData")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut vendor_id = None;
        let mut map = Map::new();
        while let Some(name) = access.next_key::<String>()? {
            let value = access.next_value()?;
            let twice = if name == "vendorId" {
                vendor_id.is_some()
            } else {
                map.contains_key(&name)
            };
            if twice {
                return Err(de::Error::custom(format_args!(
                    "member {name:?} appears twice in customData"
                )));
            }
            if name == "vendorId" {
                vendor_id = Some(value);
            } else {
                map.insert(name, value);
            }
        }
        Ok((vendor_id, map))
    }
}

/// `vendorId` (a string of at most 255 characters) and any other members, each name once;
/// checked while reading, without building the map.
impl Check for CustomData {
    fn check<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        struct Members;

        impl<'de> de::Visitor<'de> for Members {
            type Value = ();

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("struct CustomData")
            }

            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                let mut names = std::collections::HashSet::new();
                while let Some(name) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if name == "vendorId" {
                        map.next_value_seed(Seed::<BoundedString<255>>::NEW)?;
                    } else {
                        map.next_value::<UniqueMembers>()?;
                    }
                    if !names.insert(name.into_owned()) {
                        return Err(de::Error::custom("a member name appears twice"));
                    }
                }
                if names.contains("vendorId") {
                    Ok(())
                } else {
                    Err(de::Error::missing_field("vendorId"))
                }
            }
        }

        deserializer.deserialize_map(Members)
    }
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for CustomData {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let vendor_id = u.arbitrary()?;
        let mut extra = Map::new();
        for index in 0..u.int_in_range(0..=2)? {
            let value = match u.int_in_range(0..=3)? {
                0 => Value::Bool(u.arbitrary()?),
                1 => Value::from(u.arbitrary::<i64>()?),
                2 => Value::String(u.arbitrary()?),
                _ => Value::Null,
            };
            extra.insert(format!("x{index}"), value);
        }
        Ok(Self { vendor_id, extra })
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for CustomData {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CustomData".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "properties": { "vendorId": { "type": "string", "maxLength": 255 } },
            "required": ["vendorId"],
        })
    }
}
