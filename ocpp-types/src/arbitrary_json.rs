//! Random JSON values for the members the schemas leave untyped (`arbitrary` feature).

use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{Map, Value};

/// A random JSON value of bounded depth.
pub(crate) fn value(u: &mut Unstructured<'_>) -> Result<Value> {
    nested(u, 2)
}

/// An absent member, or a random JSON value (`null` included, which these members allow).
pub(crate) fn optional_value(u: &mut Unstructured<'_>) -> Result<Option<Value>> {
    if bool::arbitrary(u)? {
        value(u).map(Some)
    } else {
        Ok(None)
    }
}

fn nested(u: &mut Unstructured<'_>, depth: u8) -> Result<Value> {
    let kinds = if depth == 0 { 4 } else { 6 };
    Ok(match u.choose_index(kinds)? {
        0 => Value::Null,
        1 => Value::Bool(bool::arbitrary(u)?),
        2 => Value::from(i64::arbitrary(u)?),
        3 => Value::String(String::arbitrary(u)?),
        4 => Value::Array(
            (0..u.int_in_range(0..=3)?)
                .map(|_| nested(u, depth - 1))
                .collect::<Result<_>>()?,
        ),
        _ => {
            let mut map = Map::new();
            for _ in 0..u.int_in_range(0..=3)? {
                map.insert(String::arbitrary(u)?, nested(u, depth - 1)?);
            }
            Value::Object(map)
        }
    })
}
