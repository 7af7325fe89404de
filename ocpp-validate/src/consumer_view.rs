//! The Open OCPP Trace consumer view of an input: one JSON object with, in this order,
//! `schemaVersion`, `counts` {`records`, `calls`, `callResults`, `callErrors`}, `records`
//! (each {`index`, `messageType`, `messageId`, `action`, `correlatesWith`}),
//! `unansweredCalls` and `orphanResponses` (ascending record indexes).
//!
//! The view is read through the record pipeline of `check` ([`run_reader`]), so its pairing
//! is `check`'s: per charge point, a response answers the latest earlier CALL of the same id
//! sent the other way (either way when a record has no direction) that is not answered yet;
//! a CALL too broken to check is listed but not opened, a broken response still closes its
//! CALL, and a CALL left open when `check` gives up on it (too many open, or its charge
//! point's state dropped) is unanswered.
//!
//! `schemaVersion` is the one the input's first record declares (Open OCPP Trace
//! `conformance/validate.mjs` takes the first record's); an input that declares none (raw
//! frames, logs, lake rows) has the view of its conversion to Open OCPP Trace, version
//! [`OPEN_TRACE_VERSION`].
//!
//! `counts.records` counts every record of the input; `records` lists those that are OCPP-J
//! messages (a readable message type 2, 3 or 4 — or, in 2.1, 5 or 6 — and a string message
//! id), so unreadable
//! records are counted but not listed; a SOAP record, not checked, is listed and paired from
//! its members. `action` is the CALL's own; on a response it is the action of the CALL it
//! answers and is absent when there is none. `correlatesWith`, the index of that CALL, is
//! present only on a correlated response. OCPP 2.1's SEND and CALLRESULTERROR are listed
//! (`messageType` `SEND`, `CALLRESULTERROR`) but not counted, as the view's counts have no
//! place for them; a CALLRESULTERROR that answers no CALLRESULT is an orphan response.

use std::io::BufRead;

use ocpp_model::framing::MessageTypeId;
use serde::Serialize;

use crate::check::{run_reader, CheckOptions, Event, ReadError};
use crate::correlator::Pairing;
use crate::trace::OPEN_TRACE_VERSION;

/// The rule of a CALL `check` reports as never answered.
const UNANSWERED: &str = "correlation-unanswered-call";

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

impl ConsumerView {
    /// Reads an input (any format `check` reads, decompressed if gzip) into its consumer
    /// view, with `options`' input format, columns, version and tolerance; the semantic
    /// rules, which the view does not show, are not run. When reading fails, the view of the
    /// records read before is given with the error.
    pub fn read<R: BufRead>(input: R, options: CheckOptions) -> (Self, Option<ReadError>) {
        let options = CheckOptions {
            semantic: None,
            facts: false,
            pairings: true,
            ..options
        };
        let mut view = Self {
            schema_version: String::new(),
            counts: Counts::default(),
            records: Vec::new(),
            unanswered_calls: Vec::new(),
            orphan_responses: Vec::new(),
        };
        let mut declared = None;
        let mut first = true;
        let result = run_reader(input, options, &mut |event| match event {
            Event::Record(heard) => {
                if std::mem::take(&mut first) {
                    declared = heard.schema_version;
                }
            }
            Event::Paired(pairing) => view.list(pairing),
            Event::Finding(finding) if finding.rule == UNANSWERED => {
                view.unanswered_calls.push(finding.at.record);
            }
            Event::Finding(_) | Event::Fact(_) | Event::Frame(_) => {}
        });
        let (records, error) = match result {
            Ok(summary) => (summary.records, None),
            Err(error) => (error.counts.records, Some(error)),
        };
        view.counts.records = records;
        view.unanswered_calls.sort_unstable();
        view.schema_version = declared.unwrap_or_else(|| OPEN_TRACE_VERSION.to_owned());
        (view, error)
    }

    /// Lists a frame that took part in pairing.
    fn list(&mut self, pairing: Pairing) {
        let message_type = match pairing.message_type {
            MessageTypeId::Call => {
                self.counts.calls += 1;
                "CALL"
            }
            MessageTypeId::CallResult => {
                self.counts.call_results += 1;
                "CALLRESULT"
            }
            MessageTypeId::CallError => {
                self.counts.call_errors += 1;
                "CALLERROR"
            }
            MessageTypeId::CallResultError => "CALLRESULTERROR",
            MessageTypeId::Send => "SEND",
        };
        let index = pairing.at.record;
        let response = !matches!(
            pairing.message_type,
            MessageTypeId::Call | MessageTypeId::Send
        );
        if response && pairing.answers.is_none() {
            self.orphan_responses.push(index);
        }
        self.records.push(Entry {
            index,
            message_type,
            message_id: pairing.message_id,
            action: pairing.action,
            correlates_with: pairing.answers.map(|call| call.record),
        });
    }

    /// The view as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
