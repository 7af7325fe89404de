//! Calls in flight, per sender: message ids reused before their call was answered
//! (`semantic-duplicate-message-id`; OCPP-J 1.6 §4.1.4 and 2.0.1 Part 4 §4.1.4 want every
//! CALL id of a sender to differ from its earlier ones), and how long the CSMS took to answer
//! (`semantic-response-latency`). Calls whose answer a rule reads keep what it needs.

use std::collections::HashMap;

use ocpp_model::primitives::DateTime;

use super::decode::{Act, Request, StartTransaction};
use super::{finding, Config, Cx, Out};
use crate::finding::{Position, Severity};
use ocpp_model::Sender;

/// How many calls one sender may have in flight before new ones are no longer followed
/// (the correlation check reports the calls left unanswered).
const MAX_IN_FLIGHT: usize = 65_536;

/// The calls not answered yet, by sender (unknown, charging station, CSMS) and message id.
#[derive(Debug, Default)]
pub(super) struct InFlight {
    by_sender: [HashMap<String, Open>; 3],
}

#[derive(Debug)]
struct Open {
    at: Position,
    micros: Option<i64>,
    act: Act,
    start: Option<PendingStart>,
    heartbeat_interval: Option<i64>,
}

/// A StartTransaction waiting for the transaction id the CSMS gives it.
#[derive(Debug, Clone)]
pub(super) struct PendingStart {
    pub(super) at: Position,
    pub(super) connector: Option<i64>,
    pub(super) id_tag: Option<String>,
    pub(super) meter_start: Option<i64>,
    pub(super) timestamp: Option<DateTime>,
    /// Whether it was read from a payload that fails its schema.
    pub(super) fails_schema: bool,
}

impl PendingStart {
    /// What the StartTransaction of this record tells.
    pub(super) fn of(cx: Cx<'_>, start: &StartTransaction<'_>) -> Self {
        Self {
            at: cx.at,
            connector: start.connector_id,
            id_tag: start.id_tag.as_deref().map(str::to_owned),
            meter_start: start.meter_start,
            timestamp: start
                .timestamp
                .as_deref()
                .and_then(|t| DateTime::parse(t).ok()),
            fails_schema: cx.fails_schema,
        }
    }
}

/// What an answered call kept for the rules that read its answer.
#[derive(Debug)]
pub(super) struct Answered {
    pub(super) start: Option<PendingStart>,
    pub(super) heartbeat_interval: Option<i64>,
}

fn slot(sender: Option<Sender>) -> usize {
    match sender {
        None => 0,
        Some(Sender::ChargingStation) => 1,
        Some(Sender::Csms) => 2,
    }
}

impl InFlight {
    /// Whether no call is in flight.
    pub(super) fn is_empty(&self) -> bool {
        self.by_sender.iter().all(HashMap::is_empty)
    }

    /// The action of the call a response with this id from `responder` answers.
    pub(super) fn action_of(&self, id: &str, responder: Option<Sender>) -> Option<Act> {
        self.by_sender[slot(responder.map(Sender::peer))]
            .get(id)
            .map(|open| open.act)
    }

    pub(super) fn call(&mut self, cx: Cx<'_>, id: &str, request: &Request<'_>, out: &mut Out<'_>) {
        let calls = &mut self.by_sender[slot(cx.origin)];
        if let Some(earlier) = calls.get(id) {
            out.findings.push(finding(
                cx.at,
                "semantic-duplicate-message-id",
                Severity::Error,
                String::new(),
                format!(
                    "message id {id:?} is already in flight: the CALL of record {} is not answered yet",
                    earlier.at.record
                ),
                None,
            ));
        } else if calls.len() >= MAX_IN_FLIGHT {
            return;
        }
        let start = match request {
            Request::StartTransaction(start) => Some(PendingStart::of(cx, start)),
            _ => None,
        };
        let heartbeat_interval = match request {
            Request::Configure(_, interval) => *interval,
            _ => None,
        };
        calls.insert(
            id.to_owned(),
            Open {
                at: cx.at,
                micros: cx.micros,
                act: request.act(),
                start,
                heartbeat_interval,
            },
        );
    }

    /// Closes the call a response answers, reporting a slow CSMS.
    pub(super) fn answer(
        &mut self,
        cx: Cx<'_>,
        id: &str,
        config: &Config,
        out: &mut Out<'_>,
    ) -> Option<Answered> {
        let open = self.by_sender[slot(cx.origin.map(Sender::peer))].remove(id)?;
        if cx.origin == Some(Sender::Csms) {
            if let (Some(sent), Some(answered)) = (open.micros, cx.micros) {
                let took = answered - sent;
                let limit = i64::try_from(config.latency_threshold.as_micros()).unwrap_or(i64::MAX);
                if took > limit {
                    out.findings.push(finding(
                        cx.at,
                        "semantic-response-latency",
                        Severity::Warning,
                        String::new(),
                        format!(
                            "the CSMS answered the CALL of record {} after {}, over the {} threshold",
                            open.at.record,
                            seconds(took),
                            seconds(limit)
                        ),
                        None,
                    ));
                }
            }
        }
        Some(Answered {
            start: open.start,
            heartbeat_interval: open.heartbeat_interval,
        })
    }
}

/// Microseconds as seconds for people, with the digits they need: `12.5 s`, `10.000004 s`.
pub(super) fn seconds(micros: i64) -> String {
    let (whole, part) = (micros / 1_000_000, (micros % 1_000_000).abs());
    if part == 0 {
        format!("{whole} s")
    } else {
        format!("{whole}.{} s", format!("{part:06}").trim_end_matches('0'))
    }
}
