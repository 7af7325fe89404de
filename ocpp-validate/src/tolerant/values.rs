//! Payload rules: a walk of the payload beside its schema, repairing what the schema rejects.

use crate::casing::camel_case;
use std::collections::HashSet;

use serde_json::{Map, Number, Value};

use super::date_time;
use super::log::Log;
use super::rules::RuleId;
use super::schema::{accepts_empty_string, resolve, type_of};

/// Enumeration values that peers misspell, and the spelling the schema may hold instead.
/// (`Celcius` and `Celsius` need no entry: the 1.6 types accept both, as the errata require.)
const MISSPELLINGS: &[(&str, &str)] = &[("Farenheit", "Fahrenheit")];

/// Where the walk is.
pub(super) struct Walk<'s> {
    /// The whole schema, for `$ref`s.
    pub(super) root: &'s Value,
    /// Whether string members may hold JSON text of objects (1.6 DataTransfer `/data`).
    pub(super) data_transfer: bool,
}

impl Walk<'_> {
    /// Repairs `value` (at `pointer`, described by `node`) in place.
    pub(super) fn value(
        &self,
        node: &Value,
        pointer: &mut String,
        value: &mut Value,
        log: &mut Log<'_>,
    ) {
        let node = resolve(self.root, node);
        match (type_of(node), value) {
            (Some("object"), Value::Object(map)) => self.object(node, pointer, map, log),
            (Some("array"), Value::Array(items)) => {
                let item_node = resolve(self.root, node.get("items").unwrap_or(&Value::Null));
                let hollow: Vec<bool> = items
                    .iter()
                    .map(|item| self.holds_empty_required_array(item_node, item))
                    .collect();
                let kept = hollow.iter().filter(|h| !**h).count();
                // Items are dropped only when the list keeps the items its schema asks for.
                let droppable = hollow.contains(&true) && kept as u64 >= min_items(node);
                let mut index = 0;
                items.retain_mut(|item| {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    let dropped = droppable
                        && hollow[index]
                        && log.allow(RuleId::EmptyRequiredArray, pointer, item, None);
                    if !dropped {
                        self.value(item_node, pointer, item, log);
                    }
                    pointer.truncate(len);
                    index += 1;
                    !dropped
                });
            }
            (Some("string"), value) => self.string(node, pointer, value, log),
            (Some(kind @ ("integer" | "number")), value @ Value::String(_)) => {
                let text = value.as_str().unwrap_or_default();
                let digits = text.strip_prefix('-').unwrap_or(text);
                let plain = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
                let number = if kind == "integer" && !plain {
                    None
                } else {
                    text.parse::<Number>().ok().map(Value::Number)
                };
                if let Some(number) = number {
                    if log.allow(RuleId::StringForNumber, pointer, value, Some(&number)) {
                        *value = number;
                    }
                }
            }
            (Some("boolean"), value) => {
                let repaired = match &*value {
                    Value::Number(n) if n.as_u64() == Some(0) => Some(false),
                    Value::Number(n) if n.as_u64() == Some(1) => Some(true),
                    Value::String(s) if s == "false" => Some(false),
                    Value::String(s) if s == "true" => Some(true),
                    _ => None,
                };
                if let Some(repaired) = repaired.map(Value::Bool) {
                    if log.allow(RuleId::BooleanSpelling, pointer, value, Some(&repaired)) {
                        *value = repaired;
                    }
                }
            }
            _ => {}
        }
    }

    fn object(
        &self,
        node: &Value,
        pointer: &mut String,
        map: &mut Map<String, Value>,
        log: &mut Log<'_>,
    ) {
        let empty = Map::new();
        let properties = node
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let closed = node.get("additionalProperties") == Some(&Value::Bool(false));
        let required = |name: &str| {
            node.get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|n| n == name))
        };
        let members = std::mem::take(map);
        // A snake_case name is renamed only when its camelCase form is not sent as well.
        let sent: HashSet<String> = members
            .keys()
            .filter(|n| !n.contains('_'))
            .cloned()
            .collect();
        for (mut name, mut member) in members {
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&escape(&name));
            if !closed && !properties.contains_key(&name) {
                // An open object (2.0.1 `customData`) holds any extra member as it is.
                map.insert(name, member);
                pointer.truncate(len);
                continue;
            }
            if !properties.contains_key(&name) {
                let camel = camel_case(&name);
                if camel != name && properties.contains_key(&camel) && !sent.contains(&camel) {
                    let original = Value::String(name.clone());
                    let renamed = Value::String(camel.clone());
                    if log.allow(RuleId::SnakeCaseKeys, pointer, &original, Some(&renamed)) {
                        name = camel;
                        pointer.truncate(len);
                        pointer.push('/');
                        pointer.push_str(&escape(&name));
                    } else {
                        map.insert(name, member);
                        pointer.truncate(len);
                        continue;
                    }
                } else {
                    if log.allow(RuleId::UnknownMember, pointer, &member, Some(&member)) {
                        log.extras.push(pointer.clone());
                    }
                    map.insert(name, member);
                    pointer.truncate(len);
                    continue;
                }
            }
            let member_node = properties
                .get(&name)
                .map_or(&Value::Null, |n| resolve(self.root, n));
            // A member of no declared type (2.0.1 DataTransfer `data`) may hold anything.
            let optional = !required(&name) && type_of(member_node).is_some();
            let dropped = optional
                && match &member {
                    Value::Null => Some(RuleId::NullOptional),
                    Value::String(s) if s.is_empty() && !accepts_empty_string(member_node) => {
                        Some(RuleId::EmptyStringOptional)
                    }
                    Value::Array(items) if items.is_empty() && min_items(member_node) > 0 => {
                        Some(RuleId::EmptyArray)
                    }
                    object @ Value::Object(_)
                        if self.holds_empty_required_array(member_node, object) =>
                    {
                        Some(RuleId::EmptyRequiredArray)
                    }
                    _ => None,
                }
                .is_some_and(|rule| log.allow(rule, pointer, &member, None));
            if !dropped {
                self.value(member_node, pointer, &mut member, log);
                map.insert(name, member);
            }
            pointer.truncate(len);
        }
    }

    /// Whether `value`, an object described by `node`, sends a required array member empty
    /// although the schema asks for items (`sampledValue: []`): such an object can only be
    /// dropped whole from where it is held.
    fn holds_empty_required_array(&self, node: &Value, value: &Value) -> bool {
        let (Some("object"), Value::Object(map)) = (type_of(node), value) else {
            return false;
        };
        let properties = node.get("properties");
        let required = node.get("required").and_then(Value::as_array);
        required
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|name| {
                let empty = map
                    .get(name)
                    .and_then(Value::as_array)
                    .is_some_and(Vec::is_empty);
                let member = properties.and_then(|p| p.get(name));
                empty && member.is_some_and(|m| min_items(resolve(self.root, m)) > 0)
            })
    }

    fn string(&self, node: &Value, pointer: &str, value: &mut Value, log: &mut Log<'_>) {
        let repaired = match &*value {
            Value::Number(n) => Some((RuleId::NumberForString, Value::String(n.to_string()))),
            Value::Object(_) | Value::Array(_) if self.data_transfer && pointer == "/data" => {
                Some((RuleId::DataTransferObject, Value::String(value.to_string())))
            }
            _ => None,
        };
        if let Some((rule, repaired)) = repaired {
            if !log.allow(rule, pointer, value, Some(&repaired)) {
                return;
            }
            *value = repaired;
        }
        let Value::String(text) = &*value else {
            return;
        };
        if let Some(options) = node.get("enum").and_then(Value::as_array) {
            if !options.iter().any(|o| o == text) {
                return self.enumeration(options, pointer, value, log);
            }
        }
        if node.get("format").and_then(Value::as_str) == Some("date-time")
            && ocpp_model::primitives::DateTime::parse(text).is_err()
        {
            if let Some(steps) = date_time::repairs(text) {
                for (rule, after) in steps {
                    let after = Value::String(after);
                    if !log.allow(rule, pointer, value, Some(&after)) {
                        return;
                    }
                    *value = after;
                }
            }
            return;
        }
        let limit = node
            .get("maxLength")
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok());
        if let Some(limit) = limit {
            if text.chars().nth(limit).is_some() {
                let cut = Value::String(text.chars().take(limit).collect());
                if log.allow(RuleId::StringTooLong, pointer, value, Some(&cut)) {
                    *value = cut;
                }
            }
        }
    }

    fn enumeration(&self, options: &[Value], pointer: &str, value: &mut Value, log: &mut Log<'_>) {
        let text = value.as_str().unwrap_or_default();
        let named = |wanted: &str| options.iter().find(|o| o.as_str() == Some(wanted)).cloned();
        let by_case = options
            .iter()
            .find(|o| o.as_str().is_some_and(|o| o.eq_ignore_ascii_case(text)))
            .cloned();
        let by_spelling = || {
            MISSPELLINGS
                .iter()
                .find(|(wrong, _)| wrong.eq_ignore_ascii_case(text))
                .and_then(|(_, right)| named(right))
        };
        let (rule, repaired) = match (by_case, by_spelling()) {
            (Some(found), _) => (RuleId::EnumCase, Some(found)),
            (None, Some(found)) => (RuleId::EnumMisspelling, Some(found)),
            (None, None) => (RuleId::EnumKeptVerbatim, None),
        };
        let kept = value.clone();
        let after = repaired.as_ref().unwrap_or(&kept);
        if log.allow(rule, pointer, value, Some(after)) {
            match repaired {
                Some(repaired) => *value = repaired,
                None => log.kept.push(pointer.to_owned()),
            }
        }
    }
}

/// The `minItems` of an array node (0 when it sets none).
fn min_items(node: &Value) -> u64 {
    node.get("minItems").and_then(Value::as_u64).unwrap_or(0)
}

/// A member name as a JSON pointer token.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}
