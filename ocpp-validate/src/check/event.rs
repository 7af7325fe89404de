//! What the pipeline gives out as it goes ([`Event`]) and what only the end of an input
//! reveals ([`End`]).

use ocpp_model::primitives::DateTime;
use ocpp_model::{OcppVersion, Sender};
use serde_json::Value;

use crate::correlator::Pairing;
use crate::finding::{Finding, Position};
use crate::semantic::Fact;

/// What the pipeline gives out, in input order.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A finding.
    Finding(Finding),
    /// A record with a frame was read (only with [`CheckOptions::facts`](super::CheckOptions::facts) or
    /// [`CheckOptions::pairings`](super::CheckOptions::pairings); with the latter, records without a frame too); the
    /// findings and facts of that record follow it.
    Record(Heard),
    /// Something the semantic rules learnt (only with [`CheckOptions::facts`](super::CheckOptions::facts)).
    Fact(Fact),
    /// The part a frame took in pairing responses with calls (only with
    /// [`CheckOptions::pairings`](super::CheckOptions::pairings)).
    Paired(Pairing),
    /// A record's frame as decoded (only with [`CheckOptions::frames`](super::CheckOptions::frames)):
    /// it follows the record's [`Event::Paired`], before the record's findings.
    Frame(FrameRead),
}

/// A record with a frame: where it is, whose it is and when it was captured.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Heard {
    /// Where the record is in its input.
    pub at: Position,
    /// The charge point it names.
    pub charge_point: Option<String>,
    /// Who sent it, when the input says.
    pub origin: Option<Sender>,
    /// Its capture time.
    pub timestamp: Option<DateTime>,
    /// The `schemaVersion` an Open OCPP Trace record declares.
    pub schema_version: Option<String>,
}

/// A record's frame as the pipeline decoded it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FrameRead {
    /// Where the record is in its input.
    pub at: Position,
    /// The version it was read in.
    pub version: OcppVersion,
    /// The frame: the JSON of the record, or its tolerant repair.
    pub frame: Value,
}

/// What only the end of an input reveals: findings and facts.
#[derive(Debug, Default)]
pub(super) struct End {
    /// Calls never answered, transactions never stopped.
    pub(super) findings: Vec<Finding>,
    /// Sessions still open.
    pub(super) facts: Vec<Fact>,
}

impl End {
    /// Adds what another worker found at the end.
    pub(super) fn add(&mut self, other: End) {
        self.findings.extend(other.findings);
        self.facts.extend(other.facts);
    }

    /// Puts the findings in record order and the facts in charge point order, so the end
    /// reads the same for any number of workers.
    pub(super) fn sort(&mut self) {
        self.findings.sort_by_key(|f| f.at.record);
        self.facts.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    }
}
