//! Validation of a payload against its action's schema.
//!
//! The typed decoder of `ocpp-model` decides (it is as strict as the schema: the differential
//! test in `schemas/` proves the verdicts equal); only a payload it rejects goes through the
//! JSON-schema validator, which lists every violation with its pointers.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use jsonschema::Validator;
use ocpp_model::{AnyMessage, DecodeError, OcppVersion, PayloadKind};
use serde_json::Value;
use thiserror::Error;

use crate::finding::{cut_value, MAX_MESSAGE};
use crate::violation::{Violation, ViolationKind};

/// The action name is not one of the version's actions.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("OCPP {version} has no action named {action:?}")]
#[non_exhaustive]
pub struct UnknownAction {
    /// The version.
    pub version: OcppVersion,
    /// The name given.
    pub action: String,
}

/// Every violation of `payload` against the schema of `action`'s request or response in
/// `version`, in document order; empty when the payload is valid.
pub fn validate_payload(
    version: OcppVersion,
    action: &str,
    kind: PayloadKind,
    payload: &Value,
) -> Result<Vec<Violation>, UnknownAction> {
    let typed = decode(version, action, kind, payload);
    let typed_error = match typed {
        Ok(()) => return Ok(Vec::new()),
        Err(DecodeError::UnknownAction { .. }) => {
            return Err(UnknownAction {
                version,
                action: action.to_owned(),
            })
        }
        Err(DecodeError::Payload {
            pointer, message, ..
        }) => (pointer, message),
        Err(other) => (String::new(), other.to_string()),
    };
    Ok(explain(version, action, kind, payload, typed_error))
}

/// Whether `payload` is valid, by the schema alone (no typed decoding). The verdict is always
/// the same as [`validate_payload`]'s; this path exists to prove it and to measure it.
pub fn schema_accepts(
    version: OcppVersion,
    action: &str,
    kind: PayloadKind,
    payload: &Value,
) -> Result<bool, UnknownAction> {
    let validator = validator(version, action, kind)?;
    Ok(validator.is_valid(payload))
}

fn decode(
    version: OcppVersion,
    action: &str,
    kind: PayloadKind,
    payload: &Value,
) -> Result<(), DecodeError> {
    AnyMessage::decode(version, kind, action, payload).map(drop)
}

/// The schema's account of a payload the typed decoder rejected. Should the schema find
/// nothing (a value beyond what the types can hold), the decoder's own error is the violation.
fn explain(
    version: OcppVersion,
    action: &str,
    kind: PayloadKind,
    payload: &Value,
    (typed_pointer, typed_message): (String, String),
) -> Vec<Violation> {
    let mut violations = Vec::new();
    if let Ok(validator) = validator(version, action, kind) {
        for error in validator.iter_errors(payload) {
            let pointer = error.instance_path().to_string();
            let schema_path = error.schema_path().to_string();
            let message = message(&error);
            let undefined = |member: &String| {
                Violation::new(
                    version,
                    ViolationKind::AdditionalProperty {
                        member: member.clone(),
                    },
                    format!("{pointer}/{}", escape(member)),
                    schema_path.clone(),
                    format!("member {member:?} is not allowed here"),
                )
            };
            match error.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    violations.extend(unexpected.iter().map(undefined));
                }
                // An object schema without `properties` (1.6's Heartbeat request, its empty
                // responses) and with `additionalProperties: false` is reported by the validator
                // as a false schema at the object, naming only its first member's value. Every
                // member of that object is one the schema does not define.
                ValidationErrorKind::FalseSchema
                    if schema_path.ends_with("/additionalProperties") =>
                {
                    let object = payload.pointer(&pointer).and_then(Value::as_object);
                    violations.extend(object.into_iter().flat_map(|o| o.keys()).map(undefined));
                }
                other => violations.push(Violation::new(
                    version,
                    classify(other),
                    pointer,
                    schema_path,
                    message,
                )),
            }
        }
    }
    // `null` where an enumeration value belongs breaks both `type` and `enum`: one finding.
    let typed_at: Vec<String> = violations
        .iter()
        .filter(|v| matches!(v.kind, ViolationKind::Type { .. }))
        .map(|v| v.pointer.clone())
        .collect();
    violations.retain(|v| !(v.kind == ViolationKind::Enum && typed_at.contains(&v.pointer)));
    if violations.is_empty() {
        violations.push(Violation::new(
            version,
            ViolationKind::Unrepresentable,
            typed_pointer,
            String::new(),
            format!("the schema allows this value but a 64-bit integer or 96-bit decimal cannot hold it ({typed_message})"),
        ));
    }
    violations
}

/// The validator's sentence, the offending value in it cut to what reports echo (the
/// validator quotes a value whole, however long).
fn message(error: &ValidationError<'_>) -> String {
    let message = error.to_string();
    if message.len() <= MAX_MESSAGE {
        return message;
    }
    let instance = error.instance();
    let short = cut_value(instance);
    match short {
        Cow::Borrowed(_) => message,
        Cow::Owned(short) => message.replacen(&instance.to_string(), &short.to_string(), 1),
    }
}

fn classify(kind: &ValidationErrorKind) -> ViolationKind {
    match kind {
        ValidationErrorKind::Required { property } => ViolationKind::Required {
            member: property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned),
        },
        ValidationErrorKind::Type { kind } => ViolationKind::Type {
            expected: match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(ts) => ts
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            },
        },
        ValidationErrorKind::Enum { .. } | ValidationErrorKind::Constant { .. } => {
            ViolationKind::Enum
        }
        ValidationErrorKind::MaxLength { limit } => ViolationKind::MaxLength { limit: *limit },
        ValidationErrorKind::MinItems { limit } => ViolationKind::MinItems { limit: *limit },
        ValidationErrorKind::MaxItems { limit } => ViolationKind::MaxItems { limit: *limit },
        ValidationErrorKind::Format { format } => ViolationKind::Format {
            format: format.clone(),
        },
        ValidationErrorKind::Minimum { .. } | ValidationErrorKind::ExclusiveMinimum { .. } => {
            ViolationKind::Minimum
        }
        ValidationErrorKind::Maximum { .. } | ValidationErrorKind::ExclusiveMaximum { .. } => {
            ViolationKind::Maximum
        }
        ValidationErrorKind::MultipleOf { .. } => ViolationKind::MultipleOf,
        other => ViolationKind::Other {
            keyword: other.keyword().to_owned(),
        },
    }
}

fn escape(member: &str) -> String {
    member.replace('~', "~0").replace('/', "~1")
}

type Key = (OcppVersion, String, PayloadKind);

/// The compiled schema of one payload, made from the types' schemas on first use.
fn validator(
    version: OcppVersion,
    action: &str,
    kind: PayloadKind,
) -> Result<Arc<Validator>, UnknownAction> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Validator>>>> = OnceLock::new();
    let unknown = || UnknownAction {
        version,
        action: action.to_owned(),
    };
    let key = (version, action.to_owned(), kind);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(found);
    }
    let schema = AnyMessage::json_schema(version, kind, action).ok_or_else(unknown)?;
    let compiled = jsonschema::options()
        .should_validate_formats(true)
        .build(schema.as_value())
        .map_err(|_| unknown())?;
    let compiled = Arc::new(compiled);
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key, Arc::clone(&compiled));
    }
    Ok(compiled)
}
