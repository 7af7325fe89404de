//! The payload schemas the rules are guided by, built from the types once per action.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use ocpp_model::{AnyMessage, OcppVersion, PayloadKind};
use serde_json::Value;

use crate::payload::UnknownAction;

/// The schema of one action's request or response, shared between threads.
pub(super) fn schema_of(
    version: OcppVersion,
    action: &str,
    kind: PayloadKind,
) -> Result<Arc<Value>, UnknownAction> {
    type Cache = Mutex<HashMap<(OcppVersion, String, PayloadKind), Arc<Value>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (version, action.to_owned(), kind);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(found);
    }
    let unknown = || UnknownAction {
        version,
        action: action.to_owned(),
    };
    let schema = AnyMessage::json_schema(version, kind, action).ok_or_else(unknown)?;
    let schema = Arc::new(schema.as_value().clone());
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key, Arc::clone(&schema));
    }
    Ok(schema)
}

/// The node a schema node stands for, through `$ref` and single-element `allOf`.
pub(super) fn resolve<'s>(root: &'s Value, mut node: &'s Value) -> &'s Value {
    for _ in 0..16 {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let Some(found) = reference
                .strip_prefix('#')
                .and_then(|pointer| root.pointer(pointer))
            else {
                return node;
            };
            node = found;
        } else if let Some([only]) = node
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            node = only;
        } else {
            return node;
        }
    }
    node
}

/// The node's `type`, when it names a single one.
pub(super) fn type_of(node: &Value) -> Option<&str> {
    node.get("type").and_then(Value::as_str)
}

/// Whether the node accepts the empty string.
pub(super) fn accepts_empty_string(node: &Value) -> bool {
    type_of(node) == Some("string")
        && node.get("enum").is_none()
        && node.get("format").is_none()
        && node.get("minLength").and_then(Value::as_u64).unwrap_or(0) == 0
}
