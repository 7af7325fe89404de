//! Open OCPP Trace v1.x records.

use ocpp_model::primitives::DateTime;
use ocpp_model::OcppVersion;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{FrameSource, OpenTraceFields, Record, RecordIssue, NOT_CHECKABLE};
use ocpp_model::Sender;

/// The members this reader uses; any others are ignored.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TraceRecord {
    schema_version: Option<Value>,
    timestamp: Option<Value>,
    ocpp_version: Option<String>,
    charge_point_id: Option<String>,
    direction: Option<String>,
    message_type: Option<String>,
    message_id: Option<Value>,
    action: Option<Value>,
    payload: Option<Value>,
    error: Option<Value>,
    raw: Option<Value>,
    transport: Option<Value>,
    connector_id: Option<Value>,
    meta: Option<Value>,
}

pub(super) fn read<'a>(base: Record<'a>, text: &str) -> Record<'a> {
    let record: TraceRecord = match serde_json::from_str(text) {
        Ok(record) => record,
        Err(e) => {
            return Record {
                frame: Err(issue(
                    "record-not-json",
                    format!("not an Open OCPP Trace record: {e}"),
                )),
                ..base
            }
        }
    };
    if let Some(issue) = super::duplicate_key(text, "record") {
        return Record {
            frame: Err(issue),
            ..base
        };
    }
    let version = record.ocpp_version.as_deref().and_then(OcppVersion::parse);
    let origin = record
        .direction
        .as_deref()
        .and_then(Sender::from_trace_direction);
    let mut fields = OpenTraceFields {
        schema_version: record
            .schema_version
            .as_ref()
            .and_then(Value::as_str)
            .map(str::to_owned),
        connector_id: record.connector_id.as_ref().and_then(Value::as_u64),
        meta: match &record.meta {
            Some(Value::Object(meta)) => Some(meta.clone()),
            _ => None,
        },
        unchecked: None,
        faults: faults(&record),
    };
    let mut notes = Vec::new();
    if record.connector_id.as_ref().is_some_and(|c| !c.is_u64()) {
        notes.push(issue(
            "record-connector-id",
            "connectorId is not an integer of at least 0; ignored".to_owned(),
        ));
    }
    if record.meta.as_ref().is_some_and(|m| !m.is_object()) {
        notes.push(issue(
            "record-meta",
            "meta is not an object; ignored".to_owned(),
        ));
    }
    // Open OCPP Trace 1.1 `transport`: `json` (OCPP-J, the default) or `soap` (OCPP-S, whose
    // messages are XML and not checked here).
    let frame = match record.transport.as_ref().and_then(Value::as_str) {
        Some("soap") => {
            fields.unchecked = decomposed(&record).ok().and_then(|f| match f {
                FrameSource::Value(value) => Some(value),
                FrameSource::Text(_) => None,
            });
            Err(issue(
                NOT_CHECKABLE,
                "a SOAP record (transport \"soap\"): OCPP-S messages are not checked".to_owned(),
            ))
        }
        _ => frame(&record),
    };
    Record {
        version,
        origin,
        charge_point: record.charge_point_id.clone(),
        timestamp: record
            .timestamp
            .as_ref()
            .and_then(Value::as_str)
            .and_then(|t| DateTime::parse(t).ok()),
        notes,
        open_trace: Some(Box::new(fields)),
        frame,
        ..base
    }
}

fn frame(record: &TraceRecord) -> Result<FrameSource<'static>, RecordIssue> {
    if let Some(version) = &record.schema_version {
        if !version
            .as_str()
            .is_some_and(|v| v.starts_with("1.") || v == "1")
        {
            return Err(issue(
                "record-schema-version",
                format!("unsupported Open OCPP Trace schemaVersion {version}; 1.x expected"),
            ));
        }
    }
    if let Some(Value::String(raw)) = &record.raw {
        return Ok(FrameSource::Text(raw.clone().into()));
    }
    decomposed(record)
}

/// The frame the record's members describe (`raw` aside).
fn decomposed(record: &TraceRecord) -> Result<FrameSource<'static>, RecordIssue> {
    let id = record.message_id.clone().unwrap_or(Value::Null);
    let payload = record.payload.clone().unwrap_or(Value::Null);
    match record.message_type.as_deref() {
        Some("CALL") => Ok(FrameSource::Value(json!([
            2,
            id,
            record.action.clone().unwrap_or(Value::Null),
            payload
        ]))),
        Some("CALLRESULT") => Ok(FrameSource::Value(json!([3, id, payload]))),
        Some("CALLERROR") => {
            let error = record.error.clone().unwrap_or(Value::Null);
            let member = |names: [&str; 2]| {
                names
                    .iter()
                    .find_map(|n| error.get(*n).cloned())
                    .unwrap_or(Value::Null)
            };
            Ok(FrameSource::Value(json!([
                4,
                id,
                member(["errorCode", "code"]),
                member(["errorDescription", "description"]),
                member(["errorDetails", "details"])
            ])))
        }
        Some(other) => Err(issue(
            "record-message-type",
            format!("messageType {other:?} is not CALL, CALLRESULT or CALLERROR"),
        )),
        None => Err(issue(
            "record-message-type",
            "record has neither raw nor messageType".to_owned(),
        )),
    }
}

/// The record's members that break the rules of the Open OCPP Trace record schema
/// (`trace-v1.schema.json`, vendored in `schemas/open-ocpp-trace/`): `timestamp` (required,
/// `date-time`), `direction` (required, `cp-to-csms` or `csms-to-cp`), an `ocppVersion`
/// this tool cannot check, and a `raw` frame its decomposed members contradict.
fn faults(record: &TraceRecord) -> Vec<RecordIssue> {
    let mut faults = Vec::new();
    match &record.timestamp {
        Some(Value::String(time)) if DateTime::parse(time).is_ok() => {}
        None => faults.push(issue(
            "record-timestamp",
            "no timestamp: Open OCPP Trace requires the capture time of every record".to_owned(),
        )),
        Some(other) => faults.push(issue(
            "record-timestamp",
            format!(
                "timestamp {other} is not an RFC 3339 date-time; the record has no capture time"
            ),
        )),
    }
    match record.direction.as_deref() {
        Some(direction) if Sender::from_trace_direction(direction).is_some() => {}
        None => faults.push(issue(
            "record-direction",
            "no direction: Open OCPP Trace requires cp-to-csms or csms-to-cp; the sender is told \
             from the frame"
                .to_owned(),
        )),
        Some(other) => faults.push(issue(
            "record-direction",
            format!(
                "direction {other:?} is neither cp-to-csms nor csms-to-cp; the sender is told \
                 from the frame"
            ),
        )),
    }
    if let Some(version) = record
        .ocpp_version
        .as_deref()
        .filter(|v| OcppVersion::parse(v).is_none())
    {
        faults.push(issue(
            "record-ocpp-version",
            format!(
                "ocppVersion {version:?} is not a version this tool checks (1.6, 2.0.1); the \
                 record is read as if it named none"
            ),
        ));
    }
    if let Some(Value::String(raw)) = &record.raw {
        if let Some(member) = contradicted(record, raw) {
            faults.push(issue(
                "record-raw-mismatch",
                format!("raw and {member} disagree; the frame is checked as raw has it"),
            ));
        }
    }
    faults
}

/// The first decomposed member (`messageType`, `messageId`, `action`, `payload`) that says
/// otherwise than the `raw` frame; nothing when `raw` is no JSON array (the frame check
/// reports that) or the record has no decomposed members.
fn contradicted(record: &TraceRecord, raw: &str) -> Option<&'static str> {
    if record.message_type.is_none()
        && record.message_id.is_none()
        && record.action.is_none()
        && record.payload.is_none()
    {
        return None;
    }
    let Ok(Value::Array(frame)) = serde_json::from_str::<Value>(raw) else {
        return None;
    };
    let type_id = frame.first().and_then(Value::as_u64);
    let said = match record.message_type.as_deref() {
        Some("CALL") => Some(2),
        Some("CALLRESULT") => Some(3),
        Some("CALLERROR") => Some(4),
        _ => None,
    };
    if said.is_some_and(|said| type_id != Some(said)) {
        return Some("messageType");
    }
    if record
        .message_id
        .as_ref()
        .is_some_and(|id| frame.get(1) != Some(id))
    {
        return Some("messageId");
    }
    if type_id == Some(2)
        && record
            .action
            .as_ref()
            .is_some_and(|a| frame.get(2) != Some(a))
    {
        return Some("action");
    }
    let payload_at = match type_id {
        Some(2) => 3,
        Some(3) => 2,
        _ => return None,
    };
    if record
        .payload
        .as_ref()
        .is_some_and(|p| frame.get(payload_at) != Some(p))
    {
        return Some("payload");
    }
    None
}

fn issue(rule: &'static str, message: String) -> RecordIssue {
    RecordIssue { rule, message }
}
