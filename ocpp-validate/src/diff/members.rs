//! The member paths of a payload and the values it gives its enumerated members.
//!
//! A path names a member from the payload's top, its parents joined by `.`, with `[]` after a
//! member that is an array (`meterValue[].sampledValue[].measurand`), so that every element
//! of an array shares one path. Which paths are enumerations is read from the action's JSON
//! schema (following its `$ref`s), the same schema the checks use.

use std::collections::BTreeSet;

use ocpp_model::{AnyMessage, OcppVersion, PayloadKind};
use serde_json::Value;

/// How deep a schema or a payload is walked; OCPP payloads nest at most 7 objects deep.
const MAX_DEPTH: usize = 32;
/// How many `$ref`s are followed from one schema node.
const MAX_REFS: usize = 8;

/// The paths of the enumerated members of an action's payload, empty for an unknown action.
pub(crate) fn enum_paths(
    version: OcppVersion,
    kind: PayloadKind,
    action: &str,
) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    if let Some(schema) = AnyMessage::json_schema(version, kind, action) {
        let root = schema.as_value();
        walk_schema(root, root, String::new(), 0, &mut paths);
    }
    paths
}

fn walk_schema(
    root: &Value,
    node: &Value,
    path: String,
    depth: usize,
    paths: &mut BTreeSet<String>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let node = resolved(root, node);
    if node.get("enum").is_some() {
        paths.insert(path.clone());
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        for (name, member) in properties {
            walk_schema(root, member, joined(&path, name), depth + 1, paths);
        }
    }
    if let Some(items) = node.get("items") {
        walk_schema(root, items, format!("{path}[]"), depth + 1, paths);
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        for branch in node
            .get(combinator)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            walk_schema(root, branch, path.clone(), depth + 1, paths);
        }
    }
}

/// The node a `$ref` (a JSON pointer into the same document) stands for.
fn resolved<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..MAX_REFS {
        let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|pointer| root.pointer(pointer))
        else {
            break;
        };
        node = target;
    }
    node
}

fn joined(path: &str, name: &str) -> String {
    match path {
        "" => name.to_owned(),
        _ => format!("{path}.{name}"),
    }
}

/// Every member path of `payload` in document order, once per occurrence (`seen_member`) and every string it gives a path of
/// `enums` (`seen_value`).
pub(crate) fn walk_payload(
    payload: &Value,
    enums: &BTreeSet<String>,
    seen_member: &mut dyn FnMut(&str),
    seen_value: &mut dyn FnMut(&str, &str),
) {
    walk_value(payload, "", enums, seen_member, seen_value, 0);
}

fn walk_value(
    value: &Value,
    path: &str,
    enums: &BTreeSet<String>,
    seen_member: &mut dyn FnMut(&str),
    seen_value: &mut dyn FnMut(&str, &str),
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                let path = joined(path, name);
                seen_member(&path);
                walk_value(member, &path, enums, seen_member, seen_value, depth + 1);
            }
        }
        Value::Array(items) => {
            let path = format!("{path}[]");
            for item in items {
                walk_value(item, &path, enums, seen_member, seen_value, depth + 1);
            }
        }
        Value::String(text) if enums.contains(path) => seen_value(path, text),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enumerations_are_found_through_refs_and_arrays() {
        let v16 = enum_paths(OcppVersion::V16, PayloadKind::Request, "MeterValues");
        assert!(
            v16.contains("meterValue[].sampledValue[].measurand"),
            "{v16:?}"
        );
        assert!(!v16.contains("meterValue[].sampledValue[].value"));
        let v201 = enum_paths(
            OcppVersion::V201,
            PayloadKind::Request,
            "StatusNotification",
        );
        assert!(v201.contains("connectorStatus"), "{v201:?}");
        assert!(enum_paths(OcppVersion::V201, PayloadKind::Request, "NoSuchAction").is_empty());
    }

    #[test]
    fn a_payload_gives_its_paths_and_enumerated_values() {
        let enums = enum_paths(OcppVersion::V16, PayloadKind::Request, "MeterValues");
        let payload = json!({"connectorId": 1, "meterValue": [{"timestamp": "t", "sampledValue": [
            {"value": "1", "measurand": "Voltage"}, {"value": "2", "phase": "L1"}]}]});
        let (mut members, mut values) = (Vec::new(), Vec::new());
        walk_payload(
            &payload,
            &enums,
            &mut |path| members.push(path.to_owned()),
            &mut |path, value| values.push(format!("{path}={value}")),
        );
        assert_eq!(
            members,
            [
                "connectorId",
                "meterValue",
                "meterValue[].timestamp",
                "meterValue[].sampledValue",
                "meterValue[].sampledValue[].value",
                "meterValue[].sampledValue[].measurand",
                "meterValue[].sampledValue[].value",
                "meterValue[].sampledValue[].phase",
            ]
        );
        assert_eq!(
            values,
            [
                "meterValue[].sampledValue[].measurand=Voltage",
                "meterValue[].sampledValue[].phase=L1",
            ]
        );
    }
}
