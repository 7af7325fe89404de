//! Open OCPP Trace 1.1 output: one JSON object per line, valid against the specification's
//! record schema (`schema/trace-v1.schema.json` of open-ocpp-trace/specification, vendored in
//! `ocpp-validate/schemas/open-ocpp-trace/`).
//!
//! Each record has `schemaVersion` `"1.1"`, `timestamp`, `transport` `"json"`, `direction`,
//! `messageType`, and as the frame allows `ocppVersion`, `chargePointId`, `connectorId`,
//! `messageId` (when the frame's id is a string), `action` (on a CALL), `payload` or `error`
//! (`code`, `description`, `details`), `raw` (the frame text as read, verbatim, when the input
//! had it) and `meta`. The conformance rules of the specification (`conformance/README.md`,
//! "What conformance means", producer rules 1 to 4) are kept: `raw` decodes to the frame the
//! record decomposes, every CALL has its action, and extensions stay inside `meta`.

use std::collections::HashMap;
use std::io::{self, Write};

use ocpp_model::primitives::DateTime;
use ocpp_model::{Initiator, OcppVersion};
use serde_json::{json, Map, Value};
use thiserror::Error;

use super::{FrameSource, Record};
use ocpp_model::Sender;

/// The schema version the writer declares.
pub const OPEN_TRACE_VERSION: &str = "1.1";

/// The most CALLs whose direction is remembered, to give their responses the other one.
const MAX_OPEN_CALLS: usize = 65_536;

/// One message to write, with what the trace says about it besides the frame.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Capture<'a> {
    /// When it was captured.
    pub timestamp: &'a DateTime,
    /// Who sent it; when `None` the writer infers it (see [`OpenTraceWriter::write`]).
    pub origin: Option<Sender>,
    /// The OCPP version, when known.
    pub version: Option<OcppVersion>,
    /// The charge point, when known.
    pub charge_point: Option<&'a str>,
    /// The connector the message concerns, when known.
    pub connector_id: Option<u64>,
    /// Extensions, written as the record's `meta` object.
    pub meta: Option<&'a Map<String, Value>>,
    /// The frame: its text as sent (written as `raw`) or a frame built from a record.
    pub frame: &'a FrameSource<'a>,
}

impl<'a> Capture<'a> {
    /// The capture of `frame` at `timestamp`, nothing else about it known.
    pub fn new(timestamp: &'a DateTime, frame: &'a FrameSource<'a>) -> Self {
        Self {
            timestamp,
            origin: None,
            version: None,
            charge_point: None,
            connector_id: None,
            meta: None,
            frame,
        }
    }
}

/// Why a message cannot be written as an Open OCPP Trace record.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The frame is not an OCPP-J CALL, CALLRESULT or CALLERROR.
    #[error("not an OCPP-J message: {0}")]
    NotAMessage(String),
    /// Neither the input nor the frame says who sent the message.
    #[error(
        "the direction is unknown (the input names none, and the action or call does not tell)"
    )]
    NoDirection,
    /// The record has no capture time, which the format requires.
    #[error("no capture time (Open OCPP Trace requires a timestamp on every record)")]
    NoTimestamp,
    /// The output cannot be written.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Writes Open OCPP Trace 1.1 JSON Lines.
///
/// ```
/// use ocpp_model::primitives::DateTime;
/// use ocpp_validate::trace::{Capture, FrameSource, OpenTraceWriter};
///
/// let mut out = Vec::new();
/// let mut writer = OpenTraceWriter::new(&mut out);
/// let time = DateTime::parse("2026-11-29T10:00:00Z")?;
/// let frame = FrameSource::Text(r#"[2,"1","Heartbeat",{}]"#.into());
/// let mut capture = Capture::new(&time, &frame);
/// capture.charge_point = Some("CP1");
/// writer.write(&capture)?;
/// let text = String::from_utf8(out)?;
/// assert!(text.starts_with(r#"{"schemaVersion":"1.1","timestamp":"2026-11-29T10:00:00Z","transport":"json","direction":"cp-to-csms""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct OpenTraceWriter<W> {
    out: W,
    /// The direction of CALLs not answered yet, by charge point and message id.
    open: HashMap<(Option<String>, String), Sender>,
    written: usize,
}

impl<W: Write> OpenTraceWriter<W> {
    /// A writer to `out` (buffer it: each record is one `write_all`).
    pub fn new(out: W) -> Self {
        Self {
            out,
            open: HashMap::new(),
            written: 0,
        }
    }

    /// Writes one record. A message without a direction gets the one its action implies
    /// (a CALL of an action only one side sends) or, for a response, the opposite of the
    /// CALL with its id written before; otherwise it is refused, as is a frame that is not
    /// an OCPP-J message. Nothing is written for a refused message.
    pub fn write(&mut self, capture: &Capture<'_>) -> Result<(), WriteError> {
        let (frame, raw) = match capture.frame {
            FrameSource::Text(text) => (
                serde_json::from_str::<Value>(text)
                    .map_err(|e| WriteError::NotAMessage(format!("the frame is not JSON: {e}")))?,
                Some(text.as_ref()),
            ),
            FrameSource::Value(value) => (value.clone(), None),
        };
        let Some(items) = frame.as_array() else {
            return Err(WriteError::NotAMessage(
                "the frame is not an array".to_owned(),
            ));
        };
        let kind = items.first().and_then(Value::as_u64);
        let id = items.get(1).and_then(Value::as_str);
        let key = (
            capture.charge_point.map(str::to_owned),
            id.unwrap_or_default().to_owned(),
        );
        let mut record = Map::new();
        record.insert("schemaVersion".into(), OPEN_TRACE_VERSION.into());
        record.insert("timestamp".into(), timestamp(capture.timestamp).into());
        record.insert("transport".into(), "json".into());
        let (message_type, origin) = match (kind, items.len()) {
            (Some(2), 4) => {
                let action = items[2].as_str().ok_or_else(|| {
                    WriteError::NotAMessage("the CALL's action is not a string".to_owned())
                })?;
                let origin = capture
                    .origin
                    .or_else(|| sender(action, capture.version))
                    .ok_or(WriteError::NoDirection)?;
                if id.is_some() {
                    if self.open.len() >= MAX_OPEN_CALLS {
                        self.open.clear();
                    }
                    self.open.insert(key, origin);
                }
                ("CALL", origin)
            }
            (Some(3), 3) | (Some(4), 5) => {
                let called = self.open.remove(&key).map(Sender::peer);
                let origin = capture.origin.or(called).ok_or(WriteError::NoDirection)?;
                (
                    if kind == Some(3) {
                        "CALLRESULT"
                    } else {
                        "CALLERROR"
                    },
                    origin,
                )
            }
            _ => {
                return Err(WriteError::NotAMessage(
                    "not a CALL of 4 elements, CALLRESULT of 3 or CALLERROR of 5".to_owned(),
                ))
            }
        };
        record.insert("direction".into(), origin.trace_direction().into());
        record.insert("messageType".into(), message_type.into());
        if let Some(version) = capture.version {
            record.insert("ocppVersion".into(), version.as_str().into());
        }
        if let Some(cp) = capture.charge_point {
            record.insert("chargePointId".into(), cp.into());
        }
        if let Some(connector) = capture.connector_id {
            record.insert("connectorId".into(), connector.into());
        }
        if let Some(id) = id {
            record.insert("messageId".into(), id.into());
        }
        match message_type {
            "CALL" => {
                record.insert("action".into(), items[2].clone());
                record.insert("payload".into(), items[3].clone());
            }
            "CALLRESULT" => {
                record.insert("payload".into(), items[2].clone());
            }
            _ => {
                let error = json!({"code": items[2], "description": items[3], "details": items[4]});
                record.insert("error".into(), error);
            }
        }
        if let Some(raw) = raw {
            record.insert("raw".into(), raw.into());
        }
        if let Some(meta) = capture.meta {
            record.insert("meta".into(), Value::Object(meta.clone()));
        }
        let mut line = serde_json::to_vec(&record).map_err(io::Error::from)?;
        line.push(b'\n');
        self.out.write_all(&line)?;
        self.written += 1;
        Ok(())
    }

    /// Writes a record read by one of the trace readers, its frame text kept as `raw`.
    pub fn write_record(
        &mut self,
        record: &Record<'_>,
        version: Option<OcppVersion>,
    ) -> Result<(), WriteError> {
        let frame = record
            .frame
            .as_ref()
            .map_err(|issue| WriteError::NotAMessage(issue.message.clone()))?;
        let timestamp = record.timestamp.as_ref().ok_or(WriteError::NoTimestamp)?;
        let fields = record.open_trace.as_deref();
        self.write(&Capture {
            timestamp,
            origin: record.origin,
            version: record.version.or(version),
            charge_point: record.charge_point.as_deref(),
            connector_id: fields.and_then(|f| f.connector_id),
            meta: fields.and_then(|f| f.meta.as_ref()),
            frame,
        })
    }

    /// Records written so far.
    pub fn written(&self) -> usize {
        self.written
    }

    /// Flushes and gives the output back.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The side that sends CALLs of `action`, when only one does (in `version`, or in every
/// version that knows the action when it is not given).
fn sender(action: &str, version: Option<OcppVersion>) -> Option<Sender> {
    let initiator = |version: OcppVersion| version.action(action).map(|a| a.initiator);
    let given;
    let versions: &[OcppVersion] = match version {
        Some(version) => {
            given = [version];
            &given
        }
        None => OcppVersion::ALL,
    };
    let mut found: Option<Sender> = None;
    for initiator in versions.iter().filter_map(|v| initiator(*v)) {
        let side = match initiator {
            Initiator::ChargingStation => Sender::ChargingStation,
            Initiator::Csms => Sender::Csms,
            Initiator::Either | _ => return None,
        };
        if found.is_some_and(|f| f != side) {
            return None;
        }
        found = Some(side);
    }
    found
}

/// RFC 3339 with the fraction the time has (none, 3, 6 or 9 digits) and `Z` for UTC.
fn timestamp(time: &DateTime) -> String {
    let time = time.as_chrono();
    if time.offset().local_minus_utc() == 0 {
        time.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string()
    } else {
        time.format("%Y-%m-%dT%H:%M:%S%.f%:z").to_string()
    }
}
