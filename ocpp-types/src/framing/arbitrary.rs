//! `arbitrary::Arbitrary` implementations that only produce frames the decoder accepts.

use std::ops::ControlFlow;

use arbitrary::{Arbitrary, Unstructured};
use serde_json::{Map, Number, Value};

use super::{Call, CallError, CallResult, Frame, MessageId, MessageTypeId, RpcErrorCode};

/// How deeply generated payload values may nest below the payload object.
const MAX_DEPTH: usize = 3;

/// How many members or elements a generated object or array may have.
const MAX_MEMBERS: u32 = 6;

/// Member names `serde_json` reserves for its own markers; they would not read back as objects.
const RESERVED_KEY_PREFIX: &str = "$serde_json::private::";

impl<'a> Arbitrary<'a> for MessageId {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let text: String = u.arbitrary()?;
        let id: String = text.chars().take(Self::MAX_CHARS).collect();
        Self::new(id).map_err(|_| arbitrary::Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for Call {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let message_id = u.arbitrary()?;
        let action: String = u.arbitrary()?;
        let payload = object(u, MAX_DEPTH)?;
        Ok(Self::new(message_id, action, payload))
    }
}

impl<'a> Arbitrary<'a> for CallResult {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let message_id = u.arbitrary()?;
        let payload = object(u, MAX_DEPTH)?;
        Ok(Self::new(message_id, payload))
    }
}

impl<'a, E: RpcErrorCode + Arbitrary<'a>> Arbitrary<'a> for CallError<E> {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let message_id = u.arbitrary()?;
        let error_code = u.arbitrary()?;
        let text: String = u.arbitrary()?;
        let limit = E::MAX_ERROR_DESCRIPTION_CHARS.unwrap_or(usize::MAX);
        let description: String = text.chars().take(limit).collect();
        let details = object(u, MAX_DEPTH)?;
        Self::new(message_id, error_code, description, details)
            .map_err(|_| arbitrary::Error::IncorrectFormat)
    }
}

/// A frame of one of the kinds the version defines.
impl<'a, E: RpcErrorCode + Arbitrary<'a>> Arbitrary<'a> for Frame<E> {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match *u.choose(E::MESSAGE_TYPES)? {
            MessageTypeId::Call => Self::Call(u.arbitrary()?),
            MessageTypeId::CallResult => Self::CallResult(u.arbitrary()?),
            MessageTypeId::CallError => Self::CallError(u.arbitrary()?),
            MessageTypeId::CallResultError => Self::CallResultError(u.arbitrary()?),
            MessageTypeId::Send => Self::Send(u.arbitrary()?),
        })
    }
}

/// A JSON object whose values nest at most `depth` further levels.
fn object(u: &mut Unstructured<'_>, depth: usize) -> arbitrary::Result<Map<String, Value>> {
    let mut members = Map::new();
    u.arbitrary_loop(None, Some(MAX_MEMBERS), |u| {
        let key: String = u.arbitrary()?;
        let member = value(u, depth)?;
        if !key.starts_with(RESERVED_KEY_PREFIX) {
            members.insert(key, member);
        }
        Ok(ControlFlow::Continue(()))
    })?;
    Ok(members)
}

/// Any JSON value, nesting at most `depth` further levels.
fn value(u: &mut Unstructured<'_>, depth: usize) -> arbitrary::Result<Value> {
    let kinds = if depth == 0 { 4 } else { 6 };
    Ok(match u.choose_index(kinds)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => number(u)?,
        3 => Value::String(u.arbitrary()?),
        4 => {
            let mut elements = Vec::new();
            u.arbitrary_loop(None, Some(MAX_MEMBERS), |u| {
                elements.push(value(u, depth.saturating_sub(1))?);
                Ok(ControlFlow::Continue(()))
            })?;
            Value::Array(elements)
        }
        _ => Value::Object(object(u, depth.saturating_sub(1))?),
    })
}

/// A JSON number: a signed or unsigned integer, or a finite float (`null` for non-finite ones).
fn number(u: &mut Unstructured<'_>) -> arbitrary::Result<Value> {
    Ok(match u.choose_index(3)? {
        0 => Value::from(i64::arbitrary(u)?),
        1 => Value::from(u64::arbitrary(u)?),
        _ => Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
    })
}
