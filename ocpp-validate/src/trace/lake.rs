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
//!
//! Exports of real data lakes often leave columns out or name them otherwise:
//! * a field `--columns` does not rename is also read under its common names (the time as
//!   `write_timestamp`, `created_at`, …; the charge point as `chargePointId`, `station_id`, …;
//!   the body as `payload` or `message`), the first present wins;
//! * a row without a message type is a CALL when its action is one its sender may start —
//!   the sender its direction names, else the action's initiator (who is then taken as the
//!   sender) — and otherwise a CALLRESULT;
//! * a row without a message id gets the id `row-N` (N its line number, unique in the input)
//!   and its record is not paired by id: responses are not matched to calls and calls are
//!   not expected to be answered. The first such row of an input says so in an info finding.

use crate::casing::camel_case;
use std::collections::{HashMap, HashSet};

use ocpp_model::primitives::DateTime;
use ocpp_model::{v16, v201, Initiator, OcppVersion, Sender};
use serde_json::{json, Map, Value};
use thiserror::Error;

use super::{FrameSource, Record, RecordIssue};

/// The column (CSV) or member (JSON Lines) names of a data-lake export.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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

/// The names a field is also read under when `--columns` does not rename it, its default
/// name first.
const TIMESTAMP_NAMES: &[&str] = &[
    "timestamp",
    "write_timestamp",
    "created_at",
    "received_at",
    "event_time",
    "ts",
];
/// See [`TIMESTAMP_NAMES`].
const CHARGE_POINT_NAMES: &[&str] = &[
    "charge_point_id",
    "chargePointId",
    "station_id",
    "identity",
    "cp_id",
];
/// See [`TIMESTAMP_NAMES`].
const BODY_NAMES: &[&str] = &["body", "payload", "message"];

/// What reading the rows of one input remembers from row to row.
#[derive(Debug, Clone, Default)]
pub(crate) struct LakeInput {
    /// Whether a row without a message id was seen (and reported) already.
    told_no_message_id: bool,
}

/// A `--columns` setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
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

    /// The names `set` (a field's name) is read under: itself, and when it is the default
    /// name (`common[0]`) the other common names too.
    fn candidates<'c>(
        set: &'c str,
        common: &'static [&'static str],
    ) -> impl Iterator<Item = &'c str> + Clone {
        let others = match common.split_first() {
            Some((default, others)) if *default == set => others,
            Some(_) | None => &[],
        };
        std::iter::once(set).chain(others.iter().copied())
    }

    /// Whether a JSON object or CSV header has the members a lake row needs: a body and
    /// either a message type, or an action and a charge point.
    pub(super) fn fit<'n>(&self, names: impl Iterator<Item = &'n str>) -> bool {
        let names: HashSet<&str> = names.collect();
        let any = |set: &str, common| Self::candidates(set, common).any(|n| names.contains(n));
        let body = any(&self.body, BODY_NAMES);
        let charge_point = any(&self.charge_point_id, CHARGE_POINT_NAMES);
        body && (names.contains(self.message_type.as_str())
            || (names.contains(self.action.as_str()) && charge_point))
    }
}

/// Reads one JSON Lines row.
pub(super) fn read_jsonl<'a>(
    base: Record<'a>,
    text: &str,
    columns: &Columns,
    input: &mut LakeInput,
) -> Record<'a> {
    match serde_json::from_str::<Map<String, Value>>(text) {
        Ok(row) => match super::duplicate_key(text, "row") {
            Some(issue) => Record {
                frame: Err(issue),
                ..base
            },
            None => read_row(base, |name| row.get(name).cloned(), columns, input),
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
    input: &mut LakeInput,
) -> Record<'a> {
    match split_csv(text) {
        Ok(fields) => {
            let field = |name: &str| {
                let value = fields.get(*header.get(name)?)?;
                (!value.is_empty()).then(|| Value::String(value.clone()))
            };
            read_row(base, field, columns, input)
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
pub(crate) fn split_csv(text: &str) -> Result<Vec<String>, String> {
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

/// Builds a record from a row, whatever its container (a JSON object, a CSV line, a Parquet
/// row): `field` gives the value of a column by name, `None` when the row has no such
/// column; a null or absent value counts as missing.
pub(crate) fn read_row<'a>(
    base: Record<'a>,
    field: impl Fn(&str) -> Option<Value>,
    columns: &Columns,
    input: &mut LakeInput,
) -> Record<'a> {
    let field = |name: &str| field(name).filter(|value| !value.is_null());
    let text = |value: Option<Value>| match value {
        Some(Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
        None => None,
    };
    // The first of a field's names that the row has.
    let pick = |set: &str, common| Columns::candidates(set, common).find_map(&field);
    let version = text(field(&columns.ocpp_version))
        .as_deref()
        .and_then(OcppVersion::parse);
    let mut origin = text(field(&columns.direction))
        .as_deref()
        .and_then(Sender::from_trace_direction);
    let mut notes = Vec::new();
    let id = match field(&columns.message_id) {
        Some(id) => Some(id),
        None => {
            if !input.told_no_message_id {
                input.told_no_message_id = true;
                notes.push(issue(
                    "lake-no-message-id",
                    format!(
                        "rows without {}: each gets the id row-N (N its line) and responses are not paired with calls in this input",
                        columns.message_id
                    ),
                ));
            }
            None
        }
    };
    let paired = id.is_some();
    let id = id.unwrap_or_else(|| Value::String(format!("row-{}", base.line)));
    let action = field(&columns.action);
    let kind = match field(&columns.message_type) {
        Some(kind) => message_type(&kind).ok_or_else(|| {
            issue(
                "record-message-type",
                format!("{} is {kind}, not 2, 3 or 4", columns.message_type),
            )
        }),
        None => match action.as_ref().and_then(Value::as_str) {
            Some(action) => {
                let (kind, sender) = implied_type(action, version, origin);
                origin = origin.or(sender);
                Ok(kind)
            }
            None => Err(issue(
                "record-message-type",
                format!(
                    "{} is missing and no {} tells it",
                    columns.message_type, columns.action
                ),
            )),
        },
    };
    let body = pick(&columns.body, BODY_NAMES);
    let frame = kind.and_then(|kind| frame(kind, id, action, body, columns, &mut notes));
    Record {
        version,
        origin,
        charge_point: text(pick(&columns.charge_point_id, CHARGE_POINT_NAMES)),
        timestamp: text(pick(&columns.timestamp, TIMESTAMP_NAMES))
            .and_then(|t| DateTime::parse(t.trim()).ok()),
        notes,
        frame,
        paired,
        ..base
    }
}

/// The OCPP-J message type of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowType {
    Call,
    CallResult,
    CallError,
}

/// The message type a row names: 2, 3 or 4, or `CALL`, `CALLRESULT`, `CALLERROR`.
fn message_type(kind: &Value) -> Option<RowType> {
    let number = match kind {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => match s.trim() {
            "CALL" => Some(2),
            "CALLRESULT" => Some(3),
            "CALLERROR" => Some(4),
            other => other.parse().ok(),
        },
        Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    };
    match number? {
        2 => Some(RowType::Call),
        3 => Some(RowType::CallResult),
        4 => Some(RowType::CallError),
        _ => None,
    }
}

/// The message type of a row that names none, from its action and sender: a CALL when the
/// sender may start the action (OCPP-J 1.6 §4.1.1 and 2.0.1 Part 4 §4.1.1: a CALL is sent
/// by the side that starts the exchange), a CALLRESULT otherwise. Without a direction the
/// action's initiator is taken as the sender and given back.
fn implied_type(
    action: &str,
    version: Option<OcppVersion>,
    origin: Option<Sender>,
) -> (RowType, Option<Sender>) {
    let in_16 = || v16::ActionName::from_name(action).map(|a| a.initiator());
    let in_201 = || v201::ActionName::from_name(action).map(|a| a.initiator());
    let initiator = match version {
        Some(OcppVersion::V201) => in_201(),
        Some(_) | None => in_16().or_else(in_201),
    };
    match origin {
        Some(sender) => {
            if initiator.is_some_and(|i| !i.allows(sender)) {
                (RowType::CallResult, None)
            } else {
                (RowType::Call, None)
            }
        }
        None => match initiator {
            Some(Initiator::ChargingStation) => (RowType::Call, Some(Sender::ChargingStation)),
            Some(Initiator::Csms) => (RowType::Call, Some(Sender::Csms)),
            // Either side may start it, or the action is unknown (the check reports that).
            _ => (RowType::Call, None),
        },
    }
}

/// The frame of a row of message type `kind`, built from its id, action and body.
fn frame(
    kind: RowType,
    id: Value,
    action: Option<Value>,
    body: Option<Value>,
    columns: &Columns,
    notes: &mut Vec<RecordIssue>,
) -> Result<FrameSource<'static>, RecordIssue> {
    let mut body = match body {
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
    let member = |name: &str| body.get(name).cloned().unwrap_or(Value::Null);
    Ok(FrameSource::Value(match kind {
        RowType::Call => json!([2, id, action.unwrap_or(Value::Null), body]),
        RowType::CallResult => json!([3, id, body]),
        RowType::CallError => json!([
            4,
            id,
            member("errorCode"),
            member("errorDescription"),
            member("errorDetails")
        ]),
    }))
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
    fn rows_without_a_message_type_are_calls_of_their_sender() {
        let cs = Some(Sender::ChargingStation);
        let csms = Some(Sender::Csms);
        assert_eq!(implied_type("Heartbeat", None, cs), (RowType::Call, None));
        assert_eq!(
            implied_type("Heartbeat", None, csms),
            (RowType::CallResult, None)
        );
        assert_eq!(implied_type("Reset", None, csms), (RowType::Call, None));
        assert_eq!(implied_type("Heartbeat", None, None), (RowType::Call, cs));
        assert_eq!(implied_type("Reset", None, None), (RowType::Call, csms));
        assert_eq!(
            implied_type("DataTransfer", None, None),
            (RowType::Call, None)
        );
        assert_eq!(
            implied_type("NoSuchAction", None, csms),
            (RowType::Call, None)
        );
        let v201 = Some(OcppVersion::V201);
        assert_eq!(
            implied_type("TransactionEvent", v201, None),
            (RowType::Call, cs)
        );
    }

    #[test]
    fn lake_columns_fit_by_type_or_by_action_and_charge_point() {
        let columns = Columns::default();
        let fit = |names: &[&str]| columns.fit(names.iter().copied());
        assert!(fit(&["message_type", "body"]));
        assert!(fit(&[
            "charge_point_id",
            "write_timestamp",
            "action",
            "body"
        ]));
        assert!(fit(&["chargePointId", "action", "payload"]));
        assert!(!fit(&["action", "body"]));
        assert!(!fit(&["charge_point_id", "action"]));
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
