//! The messages of one charge point that a report shows: its first messages, and the
//! messages around each record with a finding, within a budget shared by the whole report;
//! the rest are counted where they were left out.

use std::collections::{HashMap, VecDeque};

use ocpp_model::primitives::DateTime;
use ocpp_model::Sender;
use serde::Serialize;

use crate::values;

/// The first messages of each charge point kept whatever they hold.
pub const HEAD_MESSAGES: usize = 200;

/// Messages kept before and after each record with a finding.
pub const CONTEXT_MESSAGES: usize = 10;

/// The most CALLs per charge point whose sender is remembered to place their answers on
/// the right side when the input does not say who sent what.
const MAX_OPEN_CALLS: usize = 4096;

/// One frame as a sequence diagram draws it: an arrow from one side to the other.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Arrow {
    /// `station` or `csms`; absent when neither the input nor the frame tells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<&'static str>,
    /// `CALL`, `CALLRESULT`, `CALLERROR`, `CALLRESULTERROR` or `SEND`; absent for text that
    /// cannot be read as a frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    /// The action (of the CALL answered, for a response).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The message id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The error code of a CALLERROR or CALLRESULTERROR.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The frame's text, cut.
    pub text: String,
}

impl Arrow {
    /// The side's name as the diagram gives it: `station` or `csms`.
    pub const fn side(sender: Sender) -> &'static str {
        match sender {
            Sender::ChargingStation => "station",
            Sender::Csms => "csms",
        }
    }
}

/// One message of a charge point as its sequence diagram draws it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Message {
    /// Messages of this charge point left out just before this one.
    #[serde(skip_serializing_if = "is_zero")]
    pub left_out_before: usize,
    /// The input it was read from (an index into the report's inputs).
    pub input: usize,
    /// 0-based record index in its input.
    pub record: usize,
    /// 1-based line.
    pub line: usize,
    /// Its capture time.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "values::time"
    )]
    pub at: Option<DateTime>,
    /// Who sent it and what it is.
    #[serde(flatten)]
    pub arrow: Arrow,
    /// Its findings, as indices into the report's findings (those listed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<usize>,
    /// Rules of its findings (listed or not), for the marks on the diagram.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<&'static str>,
    /// Where the CALL a response answers is (its record index), when paired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<usize>,
    /// The sender the input gave, or its action's initiator for a CALL or SEND.
    #[serde(skip)]
    pub(super) origin: Option<Sender>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The kept messages of one charge point.
#[derive(Debug, Default)]
pub(super) struct Log {
    /// Messages kept, in reading order.
    pub(super) kept: Vec<Message>,
    /// The latest messages not kept (yet): kept when a finding follows within the context.
    recent: VecDeque<Message>,
    /// Messages dropped from `recent` since the last kept one.
    dropped: usize,
    /// Messages still to keep after the latest record with a finding.
    after: usize,
    /// Messages seen.
    seen: usize,
    /// Who sent the CALLs still unanswered, by input and record.
    calls: HashMap<(usize, usize), Sender>,
}

impl Log {
    /// Adds the next message; `flagged` when it has a finding. `budget` is what the report
    /// may still keep; it is lowered by what is kept.
    pub(super) fn push(&mut self, mut message: Message, flagged: bool, budget: &mut usize) {
        self.infer_sender(&mut message);
        self.seen += 1;
        let keep = flagged || self.seen <= HEAD_MESSAGES || self.after > 0;
        if !keep || *budget == 0 {
            self.recent.push_back(message);
            if self.recent.len() > CONTEXT_MESSAGES {
                self.recent.pop_front();
                self.dropped += 1;
            }
            return;
        }
        self.after = match flagged {
            true => CONTEXT_MESSAGES,
            false => self.after.saturating_sub(1),
        };
        if flagged {
            while let Some(before) = self.recent.pop_front() {
                self.keep(before, budget);
            }
        }
        self.keep(message, budget);
    }

    fn keep(&mut self, mut message: Message, budget: &mut usize) {
        if *budget == 0 {
            self.dropped += 1;
            return;
        }
        *budget -= 1;
        message.left_out_before = std::mem::take(&mut self.dropped);
        self.kept.push(message);
    }

    /// Messages left out after the last one kept.
    pub(super) fn left_out_at_end(&self) -> usize {
        self.dropped + self.recent.len()
    }

    /// Fills in who sent a response the input does not attribute: the peer of the CALL it
    /// answers (a CALL's sender comes from the input or its action's initiator).
    fn infer_sender(&mut self, message: &mut Message) {
        let answered = message
            .answers
            .and_then(|call| self.calls.remove(&(message.input, call)));
        let sender = message.origin.or(answered.map(Sender::peer));
        if let (Some("CALL"), Some(sender)) = (message.arrow.kind, sender) {
            if self.calls.len() < MAX_OPEN_CALLS {
                self.calls.insert((message.input, message.record), sender);
            }
        }
        message.arrow.from = sender.map(Arrow::side);
    }
}
