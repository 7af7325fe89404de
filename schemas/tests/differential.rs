//! Differential proof that `schemas/` is equivalent to the official schemas, and that the
//! typed decoder gives the same verdict as `schemas/`.
//!
//! For every action and payload kind: valid instances (one with every member, one with only the
//! required members, and random typed values), then systematic mutations of each (drop a
//! required or optional member, `null`, wrong type, value outside the enumeration or in the
//! wrong case, over-long string, extra member, bad date-time, empty array, negative,
//! fractional and `.0` numbers). Each case is judged by the official schema, by our
//! generated schema (the committed file), by the typed decoder, by the validate-only check
//! (`validate`, which builds no value), and by `ocpp-validate` (typed decode first, schema
//! only to explain): all five verdicts must be the same.

use std::path::PathBuf;

use arbitrary::Unstructured;
use jsonschema::Validator;
use ocpp_model::{AnyMessage, OcppVersion, PayloadKind};
use ocpp_schemas::{actions, file_name, schemas_dir};
use serde_json::{json, Map, Value};

fn official_root() -> Option<PathBuf> {
    let dir = std::env::var_os("OCPP_OFFICIAL_SCHEMAS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/ocpp-schemas")
        });
    dir.join("v16").is_dir().then_some(dir)
}

/// The official file, in either layout (`v16/X.json` or the PyPI package's `v16/schemas/X.json`).
fn official_path(root: &std::path::Path, file: &str) -> PathBuf {
    let (module, name) = file.split_once('/').unwrap_or(("", file));
    let packaged = root.join(module).join("schemas").join(name);
    if packaged.is_file() {
        packaged
    } else {
        root.join(file)
    }
}

fn load(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(schema: &Value, what: &str) -> Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// An instance of `schema`: every member (`full`) or only the required ones.
fn example(root: &Value, schema: &Value, member: &str, full: bool) -> Value {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let key = reference.trim_start_matches("#/definitions/");
        return example(root, &root["definitions"][key], member, full);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values[values.len() / 2].clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut object = Map::new();
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    if full || required.contains(&name.as_str()) {
                        object.insert(name.clone(), example(root, property, name, full));
                    }
                }
            }
            Value::Object(object)
        }
        Some("array") => json!([example(root, &schema["items"], member, full)]),
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2024-05-01T10:00:00.250+02:00"),
            Some("uri") => json!("ftp://files.example.com/upload"),
            _ => {
                let max = schema
                    .get("maxLength")
                    .and_then(Value::as_u64)
                    .unwrap_or(40) as usize;
                json!(format!("{member}ü").chars().take(max).collect::<String>())
            }
        },
        Some("integer") => {
            // 7, moved inside the bounds where the schema has them.
            let bound = |key| schema.get(key).and_then(Value::as_f64);
            match (bound("minimum"), bound("maximum")) {
                (_, Some(max)) if max < 7.0 => json!(max as i64),
                (Some(min), _) if min > 7.0 => json!(min as i64),
                _ => json!(7),
            }
        }
        Some("number") => {
            // 12.5, moved inside the bounds where the schema has them (2.1's are whole).
            let bound = |key| schema.get(key).and_then(Value::as_f64);
            match (bound("minimum"), bound("maximum")) {
                (_, Some(max)) if max < 12.5 => json!(max as i64),
                (Some(min), _) if min > 12.5 => json!(min as i64),
                _ => serde_json::from_str("12.5").expect("number"),
            }
        }
        Some("boolean") => json!(false),
        _ => json!({"any": [1, "two"]}),
    }
}

/// Random typed values, serialized (deterministic: a fixed xorshift stream per index).
fn typed_samples(version: OcppVersion, action: &str, kind: PayloadKind, count: u64) -> Vec<Value> {
    let mut samples = Vec::new();
    for seed in 1..=count {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let bytes: Vec<u8> = (0..2048)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let mut u = Unstructured::new(&bytes);
        let value = AnyMessage::arbitrary_of(version, kind, action, &mut u)
            .and_then(Result::ok)
            .map(|message| message.to_value());
        samples.extend(value);
    }
    samples
}

/// The validate-only path: the payload checked as text, without building a value.
fn checked_accepts(version: OcppVersion, action: &str, kind: PayloadKind, payload: &Value) -> bool {
    let json = payload.to_string();
    let mut deserializer = serde_json::Deserializer::from_str(&json);
    AnyMessage::validate(version, kind, action, &mut deserializer)
        .is_some_and(|verdict| verdict.is_ok() && deserializer.end().is_ok())
}

fn typed_accepts(version: OcppVersion, action: &str, kind: PayloadKind, payload: &Value) -> bool {
    AnyMessage::decode(version, kind, action, payload).is_ok()
}

/// Every JSON pointer in `value` with the value there.
fn locations(value: &Value, pointer: String, out: &mut Vec<(String, Value)>) {
    out.push((pointer.clone(), value.clone()));
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                locations(
                    child,
                    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                locations(child, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

fn replaced(instance: &Value, pointer: &str, new: Value) -> Value {
    let mut copy = instance.clone();
    if let Some(slot) = copy.pointer_mut(pointer) {
        *slot = new;
    }
    copy
}

fn number(text: &str) -> Value {
    serde_json::from_str(text).expect("number")
}

/// The mutations of one valid instance.
fn mutations(instance: &Value) -> Vec<(&'static str, Value)> {
    let mut cases = Vec::new();
    let mut all = Vec::new();
    locations(instance, String::new(), &mut all);
    for (pointer, value) in &all {
        if !pointer.is_empty() {
            cases.push(("null", replaced(instance, pointer, Value::Null)));
            if let Some((parent, key)) = pointer.rsplit_once('/') {
                if let Some(Value::Object(map)) = instance.pointer(parent) {
                    let mut copy = instance.clone();
                    if let Some(Value::Object(target)) = copy.pointer_mut(parent) {
                        let key = key.replace("~1", "/").replace("~0", "~");
                        target.shift_remove(&key);
                        let _ = map;
                    }
                    cases.push(("drop member", copy));
                }
            }
        }
        match value {
            Value::String(text) => {
                cases.push(("wrong type", replaced(instance, pointer, json!(42))));
                cases.push((
                    "outside the enumeration",
                    replaced(instance, pointer, json!("NotAValue")),
                ));
                cases.push((
                    "wrong case",
                    replaced(instance, pointer, json!(text.to_lowercase())),
                ));
                cases.push((
                    "wrong case",
                    replaced(instance, pointer, json!(text.to_uppercase())),
                ));
                cases.push((
                    "over-long string",
                    replaced(
                        instance,
                        pointer,
                        json!(format!("{text}{}", "é".repeat(6000))),
                    ),
                ));
                cases.push((
                    "bad date-time",
                    replaced(instance, pointer, json!("2024-02-30T10:00:00Z")),
                ));
                cases.push((
                    "bad date-time",
                    replaced(instance, pointer, json!("2024-05-01 10:00:00+02:00")),
                ));
                cases.push((
                    "bad date-time",
                    replaced(instance, pointer, json!("2024-05-01T10:00:00")),
                ));
                cases.push(("empty string", replaced(instance, pointer, json!(""))));
            }
            Value::Number(_) => {
                cases.push(("wrong type", replaced(instance, pointer, json!("7"))));
                cases.push(("negative number", replaced(instance, pointer, json!(-1))));
                cases.push((
                    "fractional number",
                    replaced(instance, pointer, number("0.5")),
                ));
                cases.push((
                    "fractional number",
                    replaced(instance, pointer, number("16.05")),
                ));
                cases.push((
                    "integral number with a fraction part",
                    replaced(instance, pointer, number("7.0")),
                ));
                cases.push(("number above 100", replaced(instance, pointer, json!(101))));
            }
            Value::Bool(_) => {
                cases.push(("wrong type", replaced(instance, pointer, json!("true"))))
            }
            Value::Array(_) => {
                cases.push(("empty array", replaced(instance, pointer, json!([]))));
                cases.push(("wrong type", replaced(instance, pointer, json!({}))));
            }
            Value::Object(map) => {
                cases.push(("wrong type", replaced(instance, pointer, json!([]))));
                let mut extra = map.clone();
                extra.insert("unexpectedMember".into(), json!(1));
                cases.push((
                    "extra member",
                    replaced(instance, pointer, Value::Object(extra)),
                ));
            }
            Value::Null => {}
        }
    }
    cases
}

/// Where the official 1.6 files disagree with each other and the 1.6 errata (§3.84) decide:
/// StopTransaction.json lacks the unit `Hertz` that MeterValues.json has; ours has it in both.
fn errata_case(version: OcppVersion, action: &str, instance: &Value) -> bool {
    let mut all = Vec::new();
    locations(instance, String::new(), &mut all);
    version == OcppVersion::V16
        && action == "StopTransaction"
        && all
            .iter()
            .any(|(p, v)| p.ends_with("/unit") && v == "Hertz")
}

#[test]
fn generated_schemas_and_typed_decoding_agree_with_the_official_schemas() {
    let Some(official_dir) = official_root() else {
        eprintln!(
            "SKIPPED: official OCPP schemas not found (set OCPP_OFFICIAL_SCHEMAS; see README)"
        );
        return;
    };
    let ours_dir = schemas_dir();
    let (mut schemas, mut valid, mut cases, mut errata) = (0, 0, 0, 0);
    let mut disagreements = Vec::new();
    for (version, action) in actions() {
        for kind in [PayloadKind::Request, PayloadKind::Response] {
            if ocpp_schemas::schema(version, action, kind).is_none() {
                continue; // the response of an unconfirmed action: none exists
            }
            let file = file_name(version, action, kind);
            let official_schema = load(&official_path(&official_dir, &file));
            let official = validator(&official_schema, &file);
            let ours = validator(&load(&ours_dir.join(&file)), &file);
            schemas += 1;
            let mut instances = vec![
                example(&official_schema, &official_schema, "", true),
                example(&official_schema, &official_schema, "", false),
            ];
            instances.extend(typed_samples(version, action, kind, 6));
            for instance in &instances {
                assert!(
                    official.is_valid(instance),
                    "{file}: corpus instance {instance} is invalid"
                );
                valid += 1;
                let mut all = vec![("valid instance", instance.clone())];
                all.extend(mutations(instance));
                for (mutation, case) in all {
                    cases += 1;
                    let verdict_official = official.is_valid(&case);
                    let verdict_ours = ours.is_valid(&case);
                    let verdict_typed = typed_accepts(version, action, kind, &case);
                    let violations = ocpp_validate::validate_payload(version, action, kind, &case)
                        .expect("known action");
                    if violations.is_empty() != verdict_ours {
                        disagreements.push(format!("{file} {mutation}: validator {violations:?}, schema {verdict_ours}: {case}"));
                    }
                    if verdict_official != verdict_ours && errata_case(version, action, &case) {
                        errata += 1;
                    } else if verdict_official != verdict_ours {
                        disagreements.push(format!("{file} {mutation}: official {verdict_official}, ours {verdict_ours}: {case}"));
                    }
                    let verdict_checked = checked_accepts(version, action, kind, &case);
                    if verdict_checked != verdict_typed {
                        disagreements.push(format!("{file} {mutation}: checked {verdict_checked}, typed {verdict_typed}: {case}"));
                    }
                    if verdict_typed != verdict_ours {
                        disagreements.push(format!("{file} {mutation}: typed {verdict_typed}, schema {verdict_ours}: {case}"));
                    }
                }
            }
        }
    }
    // The one place where the errata decide against an official file.
    let hertz = json!({"meterStop": 10, "timestamp": "2024-05-01T10:00:00Z", "transactionId": 7,
        "transactionData": [{"timestamp": "2024-05-01T10:00:00Z",
            "sampledValue": [{"value": "50.0", "measurand": "Frequency", "unit": "Hertz"}]}]});
    let file = file_name(OcppVersion::V16, "StopTransaction", PayloadKind::Request);
    let official = validator(&load(&official_path(&official_dir, &file)), &file);
    let ours = validator(&load(&ours_dir.join(&file)), &file);
    assert!(
        !official.is_valid(&hertz),
        "the official StopTransaction.json lacks Hertz"
    );
    assert!(
        ours.is_valid(&hertz)
            && typed_accepts(
                OcppVersion::V16,
                "StopTransaction",
                PayloadKind::Request,
                &hertz
            )
    );
    assert!(errata_case(OcppVersion::V16, "StopTransaction", &hertz));
    errata += 1;
    cases += 1;
    eprintln!(
        "differential: {schemas} schemas, {valid} valid instances, {cases} cases compared five ways \
         (official schema, schemas/, typed decoding, validate-only checking, ocpp-validate); {} disagreements; {errata} cases decided by \
         the 1.6 errata (Hertz in StopTransaction)",
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreements, first ones:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(15)
            .map(|d| d.chars().take(300).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
