//! The Open OCPP Trace consumer view of an input: one JSON object with, in this order,
//! `schemaVersion`, `counts` {`records`, `calls`, `callResults`, `callErrors`}, `records`
//! (each {`index`, `messageType`, `messageId`, `action`, `correlatesWith`}),
//! `unansweredCalls` and `orphanResponses` (ascending record indexes).
//!
//! `schemaVersion` is the one the input's first record declares (Open OCPP Trace
//! `conformance/validate.mjs` takes the first record's), `1.0` when it declares none (raw
//! frames, logs, lake rows).
//!
//! `counts.records` counts every record of the input; `records` lists those that are OCPP-J
//! messages (a readable message type 2, 3 or 4 and a string message id), so unreadable
//! records are counted but not listed; a SOAP record, not checked, is listed from its
//! members. `action` is the CALL's own; on a response it is the
//! action of the CALL it answers and is absent when there is none. `correlatesWith`, the
//! index of that CALL, is present only on a correlated response. Responses are paired as
//! `check` pairs them: per charge point, with the latest earlier CALL of the same id sent the
//! other way (either way when a record has no direction) that is not answered yet.

use std::collections::HashMap;
use std::io::{self, BufRead};

use serde::Serialize;
use serde_json::Value;

use crate::open_calls::OpenCalls;
use crate::trace::{FrameSource, RecordReader};

/// The consumer view of one input.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsumerView {
    schema_version: String,
    counts: Counts,
    records: Vec<Entry>,
    unanswered_calls: Vec<usize>,
    orphan_responses: Vec<usize>,
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct Counts {
    records: usize,
    calls: usize,
    call_results: usize,
    call_errors: usize,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    index: usize,
    message_type: &'static str,
    message_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    correlates_with: Option<usize>,
}

/// The schema version of a view whose input declares none.
const UNDECLARED_VERSION: &str = "1.0";

/// A CALL waiting for its answer: its record and its action.
struct Open {
    index: usize,
    action: String,
}

impl ConsumerView {
    /// Reads an input (either trace format) into its consumer view.
    pub fn read<R: BufRead>(input: R, max_line: usize) -> io::Result<Self> {
        let mut view = Self {
            schema_version: String::new(),
            counts: Counts::default(),
            records: Vec::new(),
            unanswered_calls: Vec::new(),
            orphan_responses: Vec::new(),
        };
        let mut open: HashMap<Option<String>, OpenCalls<Open>> = HashMap::new();
        let mut reader = RecordReader::new(input, max_line)?;
        let mut declared = None;
        while let Some(record) = reader.next_record()? {
            if view.counts.records == 0 {
                declared = record
                    .open_trace
                    .as_ref()
                    .and_then(|f| f.schema_version.clone());
            }
            view.counts.records += 1;
            let frame = match &record.frame {
                Ok(FrameSource::Text(text)) => serde_json::from_str::<Value>(text).ok(),
                Ok(FrameSource::Value(value)) => Some(value.clone()),
                Err(_) => record.open_trace.as_ref().and_then(|f| f.unchecked.clone()),
            };
            let Some(frame) = frame else { continue };
            let (Some(kind), Some(id)) = (
                frame.get(0).and_then(Value::as_u64),
                frame.get(1).and_then(Value::as_str),
            ) else {
                continue;
            };
            let calls = open.entry(record.charge_point.clone()).or_default();
            let entry = match kind {
                2 => {
                    view.counts.calls += 1;
                    let action = frame.get(2).and_then(Value::as_str).map(str::to_owned);
                    let call = Open {
                        index: record.index,
                        action: action.clone().unwrap_or_default(),
                    };
                    calls.open(id, record.origin, call);
                    Entry {
                        index: record.index,
                        message_type: "CALL",
                        message_id: id.to_owned(),
                        action,
                        correlates_with: None,
                    }
                }
                3 | 4 => {
                    if kind == 3 {
                        view.counts.call_results += 1;
                    } else {
                        view.counts.call_errors += 1;
                    }
                    let answered = calls.answer(id, record.origin);
                    if answered.is_none() {
                        view.orphan_responses.push(record.index);
                    }
                    Entry {
                        index: record.index,
                        message_type: if kind == 3 { "CALLRESULT" } else { "CALLERROR" },
                        message_id: id.to_owned(),
                        action: answered
                            .as_ref()
                            .map(|call| call.action.clone())
                            .filter(|a| !a.is_empty()),
                        correlates_with: answered.map(|call| call.index),
                    }
                }
                _ => continue,
            };
            view.records.push(entry);
        }
        view.unanswered_calls = open
            .values_mut()
            .flat_map(|calls| calls.drain().map(|(_, call)| call.index))
            .collect();
        view.unanswered_calls.sort_unstable();
        view.schema_version = declared.unwrap_or_else(|| UNDECLARED_VERSION.to_owned());
        Ok(view)
    }

    /// The view as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
