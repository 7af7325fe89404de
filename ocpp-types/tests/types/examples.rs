//! A canonical example per action and direction, built from the official schema with every
//! member present: it must decode, encode back to the same JSON, and its typed form is kept
//! as an insta snapshot (`tests/types/snapshots/`), so any change to a model shows in review.

use ocpp_model::{v16, v201, OcppVersion};
use serde_json::{json, Map, Value};

use crate::common::{load_schema, official_schemas, schema_path, Direction};

/// An instance of `schema` with every member present and plausible values.
fn example(root: &Value, schema: &Value, member: &str) -> Value {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let key = reference.trim_start_matches("#/definitions/");
        return example(root, &root["definitions"][key], member);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values[0].clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let mut object = Map::new();
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    object.insert(name.clone(), example(root, property, name));
                }
            }
            Value::Object(object)
        }
        Some("array") => json!([example(root, &schema["items"], member)]),
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2024-05-01T10:00:00.250+02:00"),
            Some("uri") => json!("https://files.example.com/upload"),
            _ => {
                let max = schema
                    .get("maxLength")
                    .and_then(Value::as_u64)
                    .unwrap_or(64);
                let max = usize::try_from(max).unwrap_or(usize::MAX);
                json!(member.chars().take(max).collect::<String>())
            }
        },
        Some("integer") => {
            let min = schema.get("minimum").and_then(Value::as_f64).unwrap_or(1.0);
            let max = schema
                .get("maximum")
                .and_then(Value::as_f64)
                .unwrap_or(f64::MAX);
            json!(if (min..=max).contains(&42.0) {
                42
            } else {
                min as i64
            })
        }
        Some("number") => serde_json::from_str("12.5").expect("number"),
        Some("boolean") => json!(true),
        _ => json!({"note": "any JSON value"}),
    }
}

fn example_of(version: OcppVersion, action: &str, direction: Direction) -> Option<Value> {
    let schema = load_schema(&schema_path(version, action, direction)?);
    Some(example(&schema, &schema, ""))
}

macro_rules! snapshot_version {
    ($test:ident, $module:ident, $version:expr, $prefix:literal) => {
        #[test]
        fn $test() {
            if official_schemas().is_none() {
                return;
            }
            for &action in $module::ActionName::ALL {
                let name = action.as_str();
                let request_json = example_of($version, name, Direction::Request).expect("schema");
                let response_json = example_of($version, name, Direction::Response).expect("schema");
                let request = $module::Request::from_value(action, &request_json)
                    .unwrap_or_else(|e| panic!("{name} request example: {e}"));
                let response = $module::Response::from_value(action, &response_json)
                    .unwrap_or_else(|e| panic!("{name} response example: {e}"));
                assert_eq!(request.to_value(), request_json, "{name} request re-encodes exactly");
                assert_eq!(response.to_value(), response_json, "{name} response re-encodes exactly");
                let snapshot = format!(
                    "request: {request_json}\n{request:#?}\n\nresponse: {response_json}\n{response:#?}\n"
                );
                insta::assert_snapshot!(format!("{}_{}", $prefix, name), snapshot);
            }
        }
    };
}

snapshot_version!(
    v16_examples_decode_and_match_snapshots,
    v16,
    OcppVersion::V16,
    "v16"
);
snapshot_version!(
    v201_examples_decode_and_match_snapshots,
    v201,
    OcppVersion::V201,
    "v201"
);
