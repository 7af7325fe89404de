//! Replaying a captured trace against a live CSMS: the charge point's CALLs are sent in
//! order with rewrites, the CSMS's CALLs are answered as recorded, and each live answer is
//! compared with the recorded one by structure. Also reading a captured trace (any record
//! format `ocpp-validate` reads) and [`TraceError`], what makes one unusable, which load
//! mode shares.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::BufRead;
use std::time::Duration;

use ocpp_model::framing::MessageTypeId;
use ocpp_model::{AnyMessage, OcppVersion, PayloadKind};
use ocpp_validate::trace::{FrameSource, RecordIssue, RecordReader, DEFAULT_MAX_LINE};
use ocpp_validate::Sender;
use serde_json::{json, Value};
use tokio::time::Instant;

use crate::report::CaseReport;
use crate::runner::{Received, RunConfig, Station, StopKind};

/// A trace that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TraceError {
    /// Reading failed.
    #[error("reading the trace: {0}")]
    Io(#[from] std::io::Error),
    /// A record is unusable.
    #[error("line {line}: {message}")]
    Record {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The trace cannot be played as asked (charge points, versions).
    #[error("{0}")]
    Unusable(String),
    /// No CALL of a station's was found (load mode replays only those).
    #[error("the trace holds no CALL sent by a station")]
    NoCalls,
}

/// The frame a record on `line` holds, parsed as JSON (load mode reads its traces so too).
pub(crate) fn parse_frame(
    line: usize,
    frame: Result<FrameSource<'_>, RecordIssue>,
) -> Result<Value, TraceError> {
    let problem = |message| TraceError::Record { line, message };
    match frame.map_err(|issue| problem(issue.message))? {
        FrameSource::Text(text) => {
            serde_json::from_str(&text).map_err(|e| problem(format!("not JSON: {e}")))
        }
        FrameSource::Value(value) => Ok(value),
    }
}

/// How the trace is changed before it is sent, and how strictly answers are compared.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Rewrites {
    /// Whether an optional member of the recorded answer that the live answer leaves out is
    /// a difference too (`--strict-replay`); by default only required members count.
    pub strict: bool,
    /// idTag / idToken values to replace: recorded → sent.
    pub id_tags: BTreeMap<String, String>,
    /// Only CALLs of these actions are sent (all when empty).
    pub actions: Vec<String>,
    /// Pause before each CALL.
    pub delay: Duration,
    /// How long to wait for each answer.
    pub timeout: Duration,
}

/// One frame of the trace with its direction.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TraceFrame {
    /// Who sent it.
    pub origin: Sender,
    /// The frame.
    pub frame: Value,
    /// The 1-based line of its record.
    pub line: usize,
    /// The charge point its record names, if any.
    pub charge_point: Option<String>,
    /// The version its record names, if any.
    pub version: Option<OcppVersion>,
}

/// What a trace holds for replay.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Trace {
    /// The version it names, if any.
    pub version: Option<OcppVersion>,
    /// The charge point it names, if any.
    pub identity: Option<String>,
    /// Its frames in order.
    pub frames: Vec<TraceFrame>,
}

/// Reads a trace in any format `ocpp-validate` reads whose records say their direction (Open
/// OCPP Trace, logs with direction words, data-lake rows with a direction column).
pub fn read_trace(input: impl BufRead) -> Result<Trace, TraceError> {
    let mut reader = RecordReader::new(input, DEFAULT_MAX_LINE)?;
    let mut trace = Trace::default();
    while let Some(record) = reader.next_record()? {
        let number = record.line;
        let origin = record.origin.ok_or_else(|| TraceError::Record {
            line: number,
            message: "no direction; replay needs records that say who sent them".to_owned(),
        })?;
        trace.version = trace.version.or(record.version);
        if trace.identity.is_none() {
            trace.identity = record.charge_point.clone();
        }
        let frame = parse_frame(number, record.frame)?;
        trace.frames.push(TraceFrame {
            origin,
            frame,
            line: number,
            charge_point: record.charge_point,
            version: record.version,
        });
    }
    Ok(trace)
}

impl Trace {
    /// The charge points the trace names, in the order they first appear.
    pub fn charge_points(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for name in self.frames.iter().filter_map(|f| f.charge_point.as_deref()) {
            if !seen.contains(&name) {
                seen.push(name);
            }
        }
        seen
    }

    /// One trace per charge point, in the order they first appear, each with its own
    /// identity and version, to be replayed over a connection of its own; only `pick`'s when
    /// given. Records that name no charge point belong to `default_identity`. A charge point
    /// whose records name two versions is refused (a connection speaks one), and so is a
    /// `pick` the trace does not name.
    pub fn stations(
        &self,
        pick: Option<&str>,
        default_identity: &str,
    ) -> Result<Vec<Trace>, TraceError> {
        let names = self.charge_points();
        if let Some(pick) = pick {
            if !names.contains(&pick) {
                let known = if names.is_empty() {
                    "it names none".to_owned()
                } else {
                    format!("it has {}", names.join(", "))
                };
                return Err(TraceError::Unusable(format!(
                    "--charge-point {pick}: the trace has no records of this charge point; \
                     {known}"
                )));
            }
        }
        let mut stations: Vec<Trace> = Vec::new();
        let mut first_lines: Vec<usize> = Vec::new();
        for frame in &self.frames {
            let identity = frame.charge_point.as_deref().unwrap_or(default_identity);
            if pick.is_some_and(|pick| pick != identity) {
                continue;
            }
            let index = match stations
                .iter()
                .position(|t| t.identity.as_deref() == Some(identity))
            {
                Some(index) => index,
                None => {
                    stations.push(Trace {
                        identity: Some(identity.to_owned()),
                        ..Trace::default()
                    });
                    first_lines.push(0);
                    stations.len() - 1
                }
            };
            let station = &mut stations[index];
            match (station.version, frame.version) {
                (Some(known), Some(named)) if known != named => {
                    return Err(TraceError::Unusable(format!(
                        "charge point {identity}: line {} names OCPP {known}, line {} OCPP \
                         {named}; one connection speaks one version",
                        first_lines[index], frame.line
                    )));
                }
                (None, Some(named)) => {
                    station.version = Some(named);
                    first_lines[index] = frame.line;
                }
                _ => {}
            }
            station.frames.push(frame.clone());
        }
        Ok(stations)
    }
}

// The trace's frames are read as raw values on purpose: a recording may hold frames the
// framing rules refuse, and replay sends and compares them as recorded.

fn kind(frame: &Value) -> Option<u64> {
    frame.get(0).and_then(Value::as_u64)
}

fn id(frame: &Value) -> Option<&str> {
    frame.get(1).and_then(Value::as_str)
}

/// Replays `trace` and reports its differences as one case.
pub async fn replay(config: &RunConfig, trace: &Trace, rewrites: &Rewrites) -> CaseReport {
    let version = trace.version.unwrap_or(OcppVersion::V16);
    let identity = trace.identity.as_deref().unwrap_or(&config.identity);
    let name = format!(
        "replay of {} frames as {identity} (OCPP {version})",
        trace.frames.len()
    );
    let mut report = CaseReport::new("replay", &name);
    let mut station = match Station::open(config, identity, version).await {
        Ok(station) => station,
        Err(error) => {
            report.connect_failed(&error);
            return report;
        }
    };
    // Recorded answers: the CSMS's by the id of the call, the station's by action, in order.
    let mut csms_answers: HashMap<&str, &Value> = HashMap::new();
    let mut station_answers: HashMap<String, VecDeque<Value>> = HashMap::new();
    let mut call_actions: HashMap<&str, &str> = HashMap::new();
    for f in &trace.frames {
        if let (Some(2), Some(id), Some(action)) = (
            kind(&f.frame),
            id(&f.frame),
            f.frame.get(2).and_then(Value::as_str),
        ) {
            call_actions.insert(id, action);
        }
    }
    for f in &trace.frames {
        match (f.origin, kind(&f.frame), id(&f.frame)) {
            (Sender::Csms, Some(3 | 4), Some(id)) => {
                csms_answers.insert(id, &f.frame);
            }
            (Sender::ChargingStation, Some(3 | 4), Some(id)) => {
                if let Some(action) = call_actions.get(id) {
                    station_answers
                        .entry((*action).to_owned())
                        .or_default()
                        .push_back(f.frame.clone());
                }
            }
            _ => {}
        }
    }
    // CSMS CALLs are answered, as they arrive, with the station's recorded answers.
    station.recorded = station_answers;
    let mut transactions: BTreeMap<String, Value> = BTreeMap::new();
    // A recorded SEND (OCPP 2.1) is replayed as a SEND; on other versions type 6 means
    // nothing and is left out like every frame that is not a CALL.
    let sends = version.message_types().contains(&MessageTypeId::Send);
    for (index, f) in trace.frames.iter().enumerate() {
        station.step = index + 1;
        let message_type = kind(&f.frame);
        let unconfirmed = sends && message_type == Some(6);
        if f.origin != Sender::ChargingStation || !(message_type == Some(2) || unconfirmed) {
            continue;
        }
        let (Some(recorded_id), Some(action)) =
            (id(&f.frame), f.frame.get(2).and_then(Value::as_str))
        else {
            continue;
        };
        if !rewrites.actions.is_empty() && !rewrites.actions.iter().any(|a| a == action) {
            continue;
        }
        tokio::time::sleep(rewrites.delay).await;
        let payload = rewrite(
            f.frame.get(3).unwrap_or(&Value::Null),
            rewrites,
            &transactions,
        );
        let live_id = station.fresh_id();
        let frame = json!([if unconfirmed { 6 } else { 2 }, live_id, action, payload]);
        if let Err(stop) = station.send(frame.to_string(), true).await {
            station.deviate(stop.kind.rule(), stop.message);
            break;
        }
        // Nothing answers a SEND (OCPP 2.1 Part 4 §4.2.4); an answer that comes anyway is an
        // orphan response to the validator, and a deviation.
        if unconfirmed {
            continue;
        }
        let deadline = crate::deadline::after(Instant::now(), rewrites.timeout);
        let live = station.wait_response(&live_id, deadline).await;
        let live = match live {
            Ok(live) => live,
            Err(stop) => {
                station.deviate(stop.kind.rule(), stop.message);
                if stop.kind == StopKind::NoAnswer {
                    continue;
                }
                break;
            }
        };
        let Some(recorded) = csms_answers.get(recorded_id) else {
            continue;
        };
        let live = match live {
            Received::Result { payload, .. } => json!([3, live_id, payload]),
            Received::Error { code, .. } => json!([4, live_id, code]),
            Received::Call { .. } | Received::ResultError { .. } => continue,
        };
        if let (Some(old), Some(new)) = (
            recorded.pointer("/2/transactionId"),
            live.pointer("/2/transactionId"),
        ) {
            transactions.insert(old.to_string(), new.clone());
        }
        let schema = (!rewrites.strict)
            .then(|| AnyMessage::json_schema(version, PayloadKind::Response, action))
            .flatten();
        let optional = |path: &[&str]| {
            schema
                .as_ref()
                .is_some_and(|schema| optional_member(schema.as_value(), path))
        };
        for difference in compare(recorded, &live, &optional) {
            station.deviate("replay-differs", format!("{action}: {difference}"));
        }
    }
    station.close().await;
    report.finish(station, config.strict);
    report
}

/// The payload with id tags mapped, transaction ids mapped and date-times set to now.
fn rewrite(value: &Value, rewrites: &Rewrites, transactions: &BTreeMap<String, Value>) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, v)| {
                    let new = match (key.as_str(), v) {
                        ("transactionId", old) => transactions
                            .get(&old.to_string())
                            .cloned()
                            .unwrap_or_else(|| old.clone()),
                        ("idTag" | "idToken", Value::String(tag)) => Value::String(
                            rewrites
                                .id_tags
                                .get(tag)
                                .cloned()
                                .unwrap_or_else(|| tag.clone()),
                        ),
                        ("timestamp" | "timeStamp", Value::String(_)) => {
                            Value::String(crate::csms::now())
                        }
                        _ => rewrite(v, rewrites, transactions),
                    };
                    (key.clone(), new)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| rewrite(v, rewrites, transactions))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Whether a string reads as an enumeration value (`Accepted`), not an id or a time.
fn is_enum_like(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && text.chars().all(|c| c.is_ascii_alphabetic())
}

/// The object schemas `node` stands for: itself when it describes an object, and those it
/// refers to (`$ref` within `root`) or combines (`allOf`, `anyOf`, `oneOf`, as an optional
/// member's `null` alternative does).
fn object_schemas<'a>(root: &'a Value, node: &'a Value, out: &mut Vec<&'a Value>) {
    if out.len() > 64 {
        return;
    }
    if let Some(target) = node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix('#'))
        .and_then(|pointer| root.pointer(pointer))
    {
        object_schemas(root, target, out);
    }
    if node.get("properties").is_some() || node.get("required").is_some() {
        out.push(node);
    }
    for combination in ["allOf", "anyOf", "oneOf"] {
        for part in node
            .get(combination)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            object_schemas(root, part, out);
        }
    }
}

/// Whether the member at `path` (member names and array indices) is optional in the payload
/// schema `root`: its object does not list it in `required`. A path the schema does not
/// describe counts as required, so that it is reported.
pub fn optional_member(root: &Value, path: &[&str]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = root;
    for segment in parents {
        let mut objects = Vec::new();
        object_schemas(root, node, &mut objects);
        let child = if segment.parse::<usize>().is_ok() {
            let mut arrays = vec![node];
            if let Some(target) = node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| reference.strip_prefix('#'))
                .and_then(|pointer| root.pointer(pointer))
            {
                arrays.push(target);
            }
            for combination in ["anyOf", "oneOf", "allOf"] {
                arrays.extend(
                    node.get(combination)
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                );
            }
            arrays.into_iter().find_map(|n| n.get("items"))
        } else {
            objects
                .iter()
                .find_map(|object| object.pointer(&format!("/properties/{segment}")))
        };
        match child {
            Some(child) => node = child,
            None => return false,
        }
    }
    let mut objects = Vec::new();
    object_schemas(root, node, &mut objects);
    let defined = objects
        .iter()
        .any(|object| object.pointer(&format!("/properties/{last}")).is_some());
    let required = objects.iter().any(|object| {
        object
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|names| names.iter().any(|name| name == last))
    });
    defined && !required
}

/// Structural differences between a recorded and a live answer: message type, CALLERROR
/// code, members present, and enumeration values; other values are volatile and ignored. A
/// recorded member the live answer leaves out is no difference when `optional` says so for
/// its path.
pub fn compare(recorded: &Value, live: &Value, optional: &dyn Fn(&[&str]) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    if kind(recorded) != kind(live) {
        out.push(format!(
            "recorded {} but got {}",
            type_name(recorded),
            type_name(live)
        ));
    } else if kind(recorded) == Some(4) {
        if recorded.get(2) != live.get(2) {
            out.push(format!(
                "CALLERROR code {} where {} was recorded",
                show(live.get(2)),
                show(recorded.get(2))
            ));
        }
    } else {
        members(
            recorded.get(2).unwrap_or(&Value::Null),
            live.get(2).unwrap_or(&Value::Null),
            &mut Vec::new(),
            &mut Differences {
                optional,
                found: &mut out,
            },
        );
    }
    out
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_owned(), Value::to_string)
}

fn type_name(frame: &Value) -> &'static str {
    match kind(frame) {
        Some(3) => "a CALLRESULT",
        Some(4) => "a CALLERROR",
        _ => "another frame",
    }
}

/// Where [`members`] writes, and which left-out members it forgives.
struct Differences<'a> {
    optional: &'a dyn Fn(&[&str]) -> bool,
    found: &'a mut Vec<String>,
}

fn members(recorded: &Value, live: &Value, at: &mut Vec<String>, out: &mut Differences) {
    let pointer = |at: &[String]| {
        at.iter()
            .map(|segment| format!("/{segment}"))
            .collect::<String>()
    };
    match (recorded, live) {
        (Value::Object(old), Value::Object(new)) => {
            for (key, value) in old {
                at.push(key.clone());
                match new.get(key) {
                    Some(other) => members(value, other, at, out),
                    None => {
                        let path: Vec<&str> = at.iter().map(String::as_str).collect();
                        if !(out.optional)(&path) {
                            out.found
                                .push(format!("{}: recorded but missing", pointer(at)));
                        }
                    }
                }
                at.pop();
            }
            for key in new.keys().filter(|k| !old.contains_key(*k)) {
                out.found
                    .push(format!("{}/{key}: present but not recorded", pointer(at)));
            }
        }
        (Value::Array(old), Value::Array(new)) => {
            for (index, (a, b)) in old.iter().zip(new).enumerate() {
                at.push(index.to_string());
                members(a, b, at, out);
                at.pop();
            }
        }
        (Value::String(old), Value::String(new)) if is_enum_like(old) && old != new => {
            out.found.push(format!(
                "{}: {new:?} where {old:?} was recorded",
                pointer(at)
            ));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_and_member_differences_are_found_and_volatile_values_ignored() {
        let recorded = json!([3, "1", {"status": "Accepted", "currentTime": "2020-01-01T00:00:00Z", "interval": 60}]);
        let same = json!([3, "9", {"status": "Accepted", "currentTime": "2026-11-29T04:00:00Z", "interval": 300}]);
        assert!(compare(&recorded, &same, &|_| false).is_empty());
        let other = json!([3, "9", {"status": "Rejected", "interval": 300, "extra": 1}]);
        assert_eq!(
            compare(&recorded, &other, &|_| false),
            [
                "/status: \"Rejected\" where \"Accepted\" was recorded",
                "/currentTime: recorded but missing",
                "/extra: present but not recorded"
            ]
        );
        let error = json!([4, "9", "NotImplemented"]);
        assert_eq!(
            compare(&recorded, &error, &|_| false),
            ["recorded a CALLRESULT but got a CALLERROR"]
        );
    }

    fn optional(version: OcppVersion, action: &str, path: &[&str]) -> bool {
        let schema = AnyMessage::json_schema(version, PayloadKind::Response, action).unwrap();
        optional_member(schema.as_value(), path)
    }

    #[test]
    fn optionality_comes_from_the_payload_schema() {
        let v16 = OcppVersion::V16;
        assert!(optional(v16, "StopTransaction", &["idTagInfo"]));
        assert!(optional(
            v16,
            "StopTransaction",
            &["idTagInfo", "expiryDate"]
        ));
        assert!(!optional(v16, "StopTransaction", &["idTagInfo", "status"]));
        assert!(!optional(v16, "BootNotification", &["status"]));
        assert!(!optional(v16, "BootNotification", &["notInTheSchema"]));
        let v201 = OcppVersion::V201;
        let result = ["getVariableResult", "0"];
        assert!(optional(
            v201,
            "GetVariables",
            &[&result[..], &["attributeValue"]].concat()
        ));
        assert!(!optional(
            v201,
            "GetVariables",
            &[&result[..], &["attributeStatus"]].concat()
        ));
        assert!(!optional(v201, "GetVariables", &[]));
    }

    #[test]
    fn an_optional_member_left_out_is_forgiven_only_when_optional() {
        let recorded = json!([3, "1", {"idTagInfo": {"status": "Accepted"}, "extra": 1}]);
        let live = json!([3, "2", {}]);
        let optional = |path: &[&str]| path == ["idTagInfo"];
        assert_eq!(
            compare(&recorded, &live, &optional),
            ["/extra: recorded but missing"]
        );
        assert_eq!(
            compare(&recorded, &live, &|_| false),
            [
                "/idTagInfo: recorded but missing",
                "/extra: recorded but missing"
            ]
        );
    }

    fn frame(line: usize, charge_point: Option<&str>, version: OcppVersion) -> TraceFrame {
        TraceFrame {
            origin: Sender::ChargingStation,
            frame: json!([2, line.to_string(), "Heartbeat", {}]),
            line,
            charge_point: charge_point.map(str::to_owned),
            version: Some(version),
        }
    }

    #[test]
    fn a_trace_splits_into_one_station_per_charge_point() {
        let (v16, v201) = (OcppVersion::V16, OcppVersion::V201);
        let trace = Trace {
            frames: vec![
                frame(1, Some("B"), v201),
                frame(2, None, v16),
                frame(3, Some("A"), v16),
                frame(4, Some("B"), v201),
            ],
            ..Trace::default()
        };
        let stations = trace.stations(None, "SIM").unwrap();
        let summary: Vec<_> = stations
            .iter()
            .map(|t| (t.identity.clone().unwrap(), t.version, t.frames.len()))
            .collect();
        assert_eq!(
            summary,
            [
                ("B".to_owned(), Some(v201), 2),
                ("SIM".to_owned(), Some(v16), 1),
                ("A".to_owned(), Some(v16), 1)
            ]
        );
        assert_eq!(trace.stations(Some("A"), "SIM").unwrap().len(), 1);
        let mixed = Trace {
            frames: vec![frame(1, Some("A"), v16), frame(7, Some("A"), v201)],
            ..Trace::default()
        };
        assert_eq!(
            mixed.stations(None, "SIM").unwrap_err().to_string(),
            "charge point A: line 1 names OCPP 1.6, line 7 OCPP 2.0.1; one connection speaks one \
             version"
        );
    }

    #[test]
    fn rewrites_map_tags_and_transactions() {
        let rewrites = Rewrites {
            id_tags: BTreeMap::from([("OLD".to_owned(), "NEW".to_owned())]),
            ..Rewrites::default()
        };
        let transactions = BTreeMap::from([("7".to_owned(), json!(42))]);
        let out = rewrite(
            &json!({"idTag": "OLD", "transactionId": 7, "meterStop": 5}),
            &rewrites,
            &transactions,
        );
        assert_eq!(
            out,
            json!({"idTag": "NEW", "transactionId": 42, "meterStop": 5})
        );
    }
}
