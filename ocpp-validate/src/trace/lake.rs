//! Data-lake exports: one message per row, as JSON Lines (one object per line) or CSV (a
//! header line, then one row per line; a field may be quoted with `"`, `""` inside it is a
//! quote, and a quoted field cannot span lines).
//!
//! A row names its message type (`2`/`3`/`4`, or `CALL`/`CALLRESULT`/`CALLERROR`), message id,
//! action (on a call), charge point, write timestamp, optionally its direction (as in Open
//! OCPP Trace) and OCPP version, and the body: the payload of a call or result, or for an
//! error an object with `errorCode`, `errorDescription` and `errorDetails`. The body may be a
//! JSON string (always so in CSV). When all its keys are snake_case it is converted to
//! camelCase, and the record says so in an info finding.

use crate::case::camel_case;
use std::collections::HashMap;

use ocpp_types::primitives::DateTime;
use serde_json::{json, Map, Value};
use thiserror::Error;

use super::{parse_version, FrameSource, Record, RecordIssue};
use crate::session::Origin;

/// The column (CSV) or member (JSON Lines) names of a data-lake export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// The message id.
    pub message_id: String,
    /// The message type: 2, 3 or 4.
    pub message_type: String,
    /// The charge point.
    pub charge_point_id: String,
    /// The action of a call.
    pub action: String,
    /// The payload (or the error of a CALLERROR).
    pub body: String,
    /// When the row was written.
    pub timestamp: String,
    /// Who sent the message (`cp-to-csms` or `csms-to-cp`).
    pub direction: String,
    /// The OCPP version.
    pub ocpp_version: String,
}

impl Default for Columns {
    fn default() -> Self {
        Self {
            message_id: "message_id".to_owned(),
            message_type: "message_type".to_owned(),
            charge_point_id: "charge_point_id".to_owned(),
            action: "action".to_owned(),
            body: "body".to_owned(),
            timestamp: "timestamp".to_owned(),
            direction: "direction".to_owned(),
            ocpp_version: "ocpp_version".to_owned(),
        }
    }
}

/// A `--columns` setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ColumnsError {
    /// An entry is not `field=name`.
    #[error("{0:?} is not FIELD=NAME")]
    NotAPair(String),
    /// The field is not one of the known ones.
    #[error("unknown field {0:?} (message_id, message_type, charge_point_id, action, body, timestamp, direction, ocpp_version)")]
    UnknownField(String),
}

impl Columns {
    /// The default names with overrides such as `message_id=msg_id,body=payload`.
    pub fn with_overrides(overrides: &str) -> Result<Self, ColumnsError> {
        let mut columns = Self::default();
        for entry in overrides.split(',').filter(|e| !e.trim().is_empty()) {
            let (field, name) = entry
                .split_once('=')
                .ok_or_else(|| ColumnsError::NotAPair(entry.to_owned()))?;
            let slot = match field.trim() {
                "message_id" => &mut columns.message_id,
                "message_type" => &mut columns.message_type,
                "charge_point_id" => &mut columns.charge_point_id,
                "action" => &mut columns.action,
                "body" => &mut columns.body,
                "timestamp" => &mut columns.timestamp,
                "direction" => &mut columns.direction,
                "ocpp_version" => &mut columns.ocpp_version,
                other => return Err(ColumnsError::UnknownField(other.to_owned())),
            };
            name.trim().clone_into(slot);
        }
        Ok(columns)
    }

    /// Whether a JSON object or CSV header has the members a lake row needs.
    pub(super) fn fit<'n>(&self, mut names: impl Iterator<Item = &'n str>) -> bool {
        let (mut kind, mut body) = (false, false);
        names.all(|name| {
            kind |= name == self.message_type;
            body |= name == self.body;
            !(kind && body)
        });
        kind && body
    }
}

/// Reads one JSON Lines row.
pub(super) fn read_jsonl<'a>(base: Record<'a>, text: &str, columns: &Columns) -> Record<'a> {
    match serde_json::from_str::<Map<String, Value>>(text) {
        Ok(row) => match super::duplicate_key(text, "row") {
            Some(issue) => Record {
                frame: Err(issue),
                ..base
            },
            None => read_row(base, |name| row.get(name).cloned(), columns),
        },
        Err(e) => Record {
            frame: Err(issue("record-not-json", format!("not a JSON object: {e}"))),
            ..base
        },
    }
}

/// Reads one CSV row, given the header's column positions.
pub(super) fn read_csv<'a>(
    base: Record<'a>,
    text: &str,
    header: &HashMap<String, usize>,
    columns: &Columns,
) -> Record<'a> {
    match split_csv(text) {
        Ok(fields) => {
            let field = |name: &str| {
                let value = fields.get(*header.get(name)?)?;
                (!value.is_empty()).then(|| Value::String(value.clone()))
            };
            read_row(base, field, columns)
        }
        Err(message) => Record {
            frame: Err(issue("csv-malformed-row", message)),
            ..base
        },
    }
}

/// The CSV header: each column's position.
pub(super) fn csv_header(text: &str) -> Option<HashMap<String, usize>> {
    let fields = split_csv(text).ok()?;
    Some(
        fields
            .into_iter()
            .enumerate()
            .map(|(position, name)| (name.trim().to_owned(), position))
            .collect(),
    )
}

/// Splits one CSV line into its fields.
fn split_csv(text: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => {
                        return Err(format!(
                            "field {} has an unterminated quote (quoted fields cannot span lines)",
                            fields.len() + 1
                        ))
                    }
                }
            }
            match chars.next() {
                None | Some(',') => {}
                Some(c) => {
                    return Err(format!(
                        "field {} has {c:?} after its closing quote",
                        fields.len() + 1
                    ))
                }
            }
        } else {
            field.extend(chars.by_ref().take_while(|&c| c != ','));
        }
        fields.push(field);
        if chars.peek().is_none() {
            if text.ends_with(',') && !fields.is_empty() {
                fields.push(String::new());
            }
            return Ok(fields);
        }
    }
}

/// Builds a record from a row's fields.
fn read_row<'a>(
    base: Record<'a>,
    field: impl Fn(&str) -> Option<Value>,
    columns: &Columns,
) -> Record<'a> {
    let text = |name: &str| match field(name) {
        Some(Value::String(s)) => Some(s),
        Some(Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    };
    let mut notes = Vec::new();
    let frame = frame(&field, columns, &mut notes);
    Record {
        version: text(&columns.ocpp_version)
            .as_deref()
            .and_then(parse_version),
        origin: text(&columns.direction)
            .as_deref()
            .and_then(Origin::from_trace),
        charge_point: text(&columns.charge_point_id),
        timestamp: text(&columns.timestamp).and_then(|t| DateTime::parse(t.trim()).ok()),
        notes,
        frame,
        ..base
    }
}

fn frame(
    field: &impl Fn(&str) -> Option<Value>,
    columns: &Columns,
    notes: &mut Vec<RecordIssue>,
) -> Result<FrameSource<'static>, RecordIssue> {
    let kind = match field(&columns.message_type) {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => match s.trim() {
            "2" | "CALL" => Some(2),
            "3" | "CALLRESULT" => Some(3),
            "4" | "CALLERROR" => Some(4),
            _ => None,
        },
        _ => None,
    };
    let id = field(&columns.message_id).unwrap_or(Value::Null);
    let mut body = match field(&columns.body) {
        Some(Value::String(s)) => {
            let body = serde_json::from_str(&s).map_err(|e| {
                issue(
                    "lake-body-not-json",
                    format!("{} is not JSON: {e}", columns.body),
                )
            })?;
            if let Some(issue) = super::duplicate_key(&s, &columns.body) {
                return Err(issue);
            }
            body
        }
        Some(value) => value,
        None => Value::Null,
    };
    if snake_case_keys(&body) {
        body = camel_case_keys(body);
        notes.push(issue(
            "lake-snake-case-keys",
            format!("{} has snake_case keys; read as camelCase", columns.body),
        ));
    }
    match kind {
        Some(2) => Ok(FrameSource::Value(json!([
            2,
            id,
            field(&columns.action).unwrap_or(Value::Null),
            body
        ]))),
        Some(3) => Ok(FrameSource::Value(json!([3, id, body]))),
        Some(4) => {
            let member = |name: &str| body.get(name).cloned().unwrap_or(Value::Null);
            Ok(FrameSource::Value(json!([
                4,
                id,
                member("errorCode"),
                member("errorDescription"),
                member("errorDetails")
            ])))
        }
        _ => Err(issue(
            "record-message-type",
            format!(
                "{} is {}, not 2, 3 or 4",
                columns.message_type,
                field(&columns.message_type).map_or("missing".to_owned(), |v| v.to_string())
            ),
        )),
    }
}

/// Whether every key of the body (at any depth) is lowercase and some have an underscore.
fn snake_case_keys(body: &Value) -> bool {
    fn walk(value: &Value, underscore: &mut bool) -> bool {
        match value {
            Value::Object(map) => map.iter().all(|(key, value)| {
                *underscore |= key.contains('_');
                !key.chars().any(char::is_uppercase) && walk(value, underscore)
            }),
            Value::Array(items) => items.iter().all(|item| walk(item, underscore)),
            _ => true,
        }
    }
    let mut underscore = false;
    walk(body, &mut underscore) && underscore
}

/// The value with every object key turned from snake_case into camelCase.
fn camel_case_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (camel_case(&key), camel_case_keys(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camel_case_keys).collect()),
        other => other,
    }
}

fn issue(rule: &'static str, message: String) -> RecordIssue {
    RecordIssue { rule, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_split_with_quotes() {
        assert_eq!(
            split_csv(r#"a,"b,""c""",,d,"#),
            Ok(vec![
                "a".into(),
                "b,\"c\"".into(),
                String::new(),
                "d".into(),
                String::new()
            ])
        );
        assert!(split_csv(r#"a,"b"#).is_err());
        assert!(split_csv(r#""a"b"#).is_err());
    }

    #[test]
    fn snake_case_bodies_are_converted_and_camel_case_ones_kept() {
        let snake = json!({"connector_id": 1, "meter_value": [{"sampled_value": []}]});
        assert!(snake_case_keys(&snake));
        assert_eq!(
            camel_case_keys(snake),
            json!({"connectorId": 1, "meterValue": [{"sampledValue": []}]})
        );
        assert!(!snake_case_keys(&json!({"connectorId": 1, "id_tag": "x"})));
        assert!(!snake_case_keys(&json!({"status": "Accepted"})));
    }

    #[test]
    fn column_overrides_are_read_and_bad_ones_named() {
        let columns = Columns::with_overrides("message_id=msg_id, body=payload").expect("valid");
        assert_eq!(
            (columns.message_id.as_str(), columns.body.as_str()),
            ("msg_id", "payload")
        );
        assert_eq!(columns.action, "action");
        assert_eq!(
            Columns::with_overrides("body"),
            Err(ColumnsError::NotAPair("body".into()))
        );
        assert!(matches!(
            Columns::with_overrides("bdy=x"),
            Err(ColumnsError::UnknownField(_))
        ));
    }
}
