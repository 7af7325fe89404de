//! The per-charge-point stage of the record pipeline: decode a record's frame (strictly, or
//! tolerantly under a policy), pair it with the calls of its charge point, and follow the
//! semantic rules on the frame as decoded — the repaired frame when the tolerant decoder
//! repaired it, so that a StopTransaction whose `"reason": null` was read as absent stops
//! its transaction.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

use ocpp_model::OcppVersion;
use serde_json::Value;

use super::event::{End, Event, FrameRead, Heard};
use crate::correlator::Correlator;
use crate::finding::{Category, Finding, Position, Severity};
use crate::semantic;
use crate::tape::Tape;
use crate::tolerant::{self, Layer, Policy, Verdict};
use crate::trace::{FrameSource, Record};
use ocpp_model::Sender;

/// How many empty connections a [`ChargePointState`] keeps for reuse.
const MAX_SPARE_CONNECTIONS: usize = 64;
/// How many calls one charge point may have open before the oldest are reported unanswered.
const MAX_OPEN_CALLS: usize = 65_536;

/// The stateful checks a [`ChargePointState`] applies beside correlation.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rules {
    pub(super) semantic: Option<semantic::Config>,
    pub(super) tolerant: Option<Policy>,
    pub(super) max_charge_points: usize,
    /// Whether records and facts are given out beside findings.
    pub(super) facts: bool,
    /// Whether records and each frame's part in pairing are given out beside findings.
    pub(super) pairings: bool,
    /// Whether records and their frames as decoded are given out beside findings.
    pub(super) frames: bool,
}

/// The state kept per charge point across records: the correlation of responses with calls
/// and the semantic rules. Every stateful rule plugs in at [`ChargePointState::check_in_order`]. A
/// named charge point's connection is kept only while it has calls open.
#[derive(Debug)]
pub(super) struct ChargePointState {
    /// The connection of records that name no charge point (all raw frames).
    unnamed: Correlator,
    /// One connection per named charge point that keeps something.
    connections: HashMap<String, Correlator>,
    /// Connections left keeping nothing, kept empty for reuse, so that a charge point whose
    /// calls are answered one by one does not allocate a connection per call.
    spare: Vec<Correlator>,
    /// The most charge points kept, as the `state-evicted` finding says.
    max_charge_points: usize,
    /// The semantic rules, when on (they keep their own state per charge point).
    semantic: Option<semantic::Engine>,
    /// The tolerant decoder's policy, when on.
    tolerant: Option<Policy>,
    /// Whether records and facts are given out beside findings.
    facts: bool,
    /// Whether records and each frame's part in pairing are given out beside findings.
    pairings: bool,
    /// Whether records and their frames as decoded are given out beside findings.
    frames: bool,
    /// What validation recorded of the last frame for the semantic rules (kept to be reused).
    tape: Tape,
}

/// What the tolerant decoder made of a frame it changed or found deviations in.
struct Tolerated {
    /// The repaired frame, when it decodes and no deviation was denied.
    repaired: Option<Value>,
    /// Pointers of values kept verbatim (already reported as deviations).
    kept: Vec<String>,
    /// One finding per deviation.
    repairs: Vec<Finding>,
}

impl ChargePointState {
    /// State for no charge point yet.
    pub(super) fn new(rules: Rules) -> Self {
        let semantic = rules.semantic.map(semantic::Engine::new);
        Self {
            unnamed: fresh_correlator(rules.pairings),
            connections: HashMap::new(),
            spare: Vec::new(),
            max_charge_points: rules.max_charge_points,
            semantic: match rules.facts {
                true => semantic.map(semantic::Engine::keeping_facts),
                false => semantic,
            },
            tolerant: rules.tolerant,
            facts: rules.facts,
            pairings: rules.pairings,
            frames: rules.frames,
            tape: Tape::default(),
        }
    }

    /// Drops the state of a charge point put out to keep at most the number allowed, at the
    /// record of the charge point that came in: a `state-evicted` info, then its open calls
    /// as unanswered. Nothing when no state was kept for it.
    pub(super) fn forget(&mut self, charge_point: &str, at: Position) -> Vec<Event> {
        let correlator = self.connections.remove(charge_point);
        let station = self
            .semantic
            .as_mut()
            .is_some_and(|engine| engine.forget(charge_point));
        if correlator.is_none() && !station {
            return Vec::new();
        }
        let mut findings = vec![Finding {
            at,
            rule: "state-evicted",
            severity: Severity::Info,
            category: Category::Correlation,
            pointer: String::new(),
            message: format!(
                "state is kept for at most {} charge points: that of {charge_point:?}, heard from longest ago, is dropped (its open calls are reported unanswered; its transactions, statuses and boot are no longer followed)",
                self.max_charge_points
            ),
            value: None,
            error_code: None,
        }];
        findings.extend(
            correlator
                .into_iter()
                .flat_map(|mut correlator| correlator.finish()),
        );
        findings.into_iter().map(Event::Finding).collect()
    }

    /// How many charge points have state kept, by the correlation and by the semantic rules.
    #[cfg(test)]
    pub(super) fn states_kept(&self) -> (usize, usize) {
        let semantic = self
            .semantic
            .as_ref()
            .map_or(0, semantic::Engine::stations_kept);
        (self.connections.len(), semantic)
    }

    /// Checks one record against the state of its charge point. Records of one charge point
    /// always arrive here in input order (with several jobs, all of a charge point's records
    /// go to the same worker).
    pub(super) fn check_in_order(
        &mut self,
        mut record: Record<'_>,
        version: OcppVersion,
    ) -> Vec<Event> {
        let at = record.at();
        let heard = (self.facts || self.pairings || self.frames).then(|| heard(at, &record));
        let faults = record
            .open_trace
            .as_mut()
            .map(|fields| std::mem::take(&mut fields.faults))
            .unwrap_or_default();
        let notes = (record.notes.into_iter().map(|note| (Severity::Info, note)))
            .chain(faults.into_iter().map(|fault| (Severity::Warning, fault)))
            .map(|(severity, note)| Finding {
                at,
                rule: note.rule,
                severity,
                category: Category::Framing,
                pointer: String::new(),
                message: note.message,
                value: None,
                error_code: None,
            });
        let source = match record.frame {
            Err(issue) => {
                let mut events = Vec::new();
                if self.pairings {
                    events.extend(heard);
                    let unchecked = record
                        .open_trace
                        .as_ref()
                        .and_then(|f| f.unchecked.as_ref());
                    if let Some(frame) = unchecked {
                        let cp = record.charge_point.as_deref();
                        events.extend(self.pair_unchecked(cp, at, version, record.origin, frame));
                    }
                }
                let broken = Finding {
                    at,
                    rule: issue.rule,
                    severity: issue.severity(),
                    category: Category::Framing,
                    pointer: String::new(),
                    message: issue.message,
                    value: None,
                    error_code: None,
                };
                events.extend(notes.chain([broken]).map(Event::Finding));
                return events;
            }
            Ok(source) => source,
        };
        let mut events: Vec<Event> = Vec::new();
        events.extend(heard);
        events.extend(notes.map(Event::Finding));
        // A record that is not paired by id is checked on a connection of its own: no call
        // is kept open for it and no response looked for.
        let paired = record.paired;
        let (charge_point, unpaired) = match paired {
            true => (record.charge_point, None),
            false => (None, record.charge_point),
        };
        let mut scratch = fresh_correlator(self.pairings);
        let pairings = self.pairings;
        let mut named = charge_point.map(|id| match self.connections.entry(id) {
            Entry::Occupied(entry) => entry,
            Entry::Vacant(entry) => entry.insert_entry(
                self.spare
                    .pop()
                    .unwrap_or_else(|| fresh_correlator(pairings)),
            ),
        });
        let correlator = match (&mut named, paired) {
            (_, false) => &mut scratch,
            (Some(entry), true) => entry.get_mut(),
            (None, true) => &mut self.unnamed,
        };
        let origin = record.origin;
        let tolerated = self
            .tolerant
            .and_then(|policy| tolerate(correlator, &policy, at, version, origin, &source));
        // The semantic rules read the frame as decoded: the repaired one when there is one.
        let (source, tolerated) = match tolerated {
            Some(Tolerated {
                repaired: Some(repaired),
                kept,
                repairs,
            }) => (FrameSource::Value(repaired), Some((Some(kept), repairs))),
            Some(Tolerated {
                repaired: None,
                repairs,
                ..
            }) => (source, Some((None, repairs))),
            None => (source, None),
        };
        let read = self
            .frames
            .then(|| frame_read(at, version, &source))
            .flatten();
        let following = self.semantic.is_some();
        let (mut findings, source) = match source {
            FrameSource::Text(text) => {
                let tape = following.then_some(&mut self.tape);
                let findings = correlator.check_text_recorded(at, version, origin, &text, tape);
                (findings, Some(FrameSource::Text(text)))
            }
            // The rules read the frame after it is validated, to know whether it failed.
            FrameSource::Value(value) if following => (
                correlator.check_value(at, version, origin, value.clone()),
                Some(FrameSource::Value(value)),
            ),
            FrameSource::Value(value) => (correlator.check_value(at, version, origin, value), None),
        };
        // A value the tolerant decoder kept verbatim was forgiven, reported as a deviation.
        let kept = match &tolerated {
            Some((Some(kept), _)) => kept.as_slice(),
            _ => &[],
        };
        let fails_schema = findings
            .iter()
            .any(|f| f.category == Category::Schema && !kept.contains(&f.pointer));
        let semantic = match (self.semantic.as_mut(), source) {
            (Some(engine), Some(source)) => {
                let seen = semantic::Seen {
                    at,
                    charge_point: named
                        .as_ref()
                        .map(|entry| entry.key().as_str())
                        .or(unpaired.as_deref()),
                    timestamp: record.timestamp.as_ref(),
                    origin,
                    version,
                    paired,
                };
                let recorded = matches!(source, FrameSource::Text(_)).then_some(&self.tape);
                engine.observe_checked(seen, &source, recorded, fails_schema)
            }
            _ => Vec::new(),
        };
        let correlator = match (&mut named, paired) {
            (_, false) => &mut scratch,
            (Some(entry), true) => entry.get_mut(),
            (None, true) => &mut self.unnamed,
        };
        if !paired {
            findings.retain(|f| f.category != Category::Correlation);
        }
        events.extend(correlator.take_pairing().map(Event::Paired));
        events.extend(read.map(Event::Frame));
        if let Some((kept, repairs)) = tolerated {
            // Values kept verbatim were reported as deviations already.
            if let Some(kept) = kept {
                findings.retain(|f| !(f.category == Category::Schema && kept.contains(&f.pointer)));
            }
            findings.extend(repairs);
        }
        if correlator.open_calls() > MAX_OPEN_CALLS {
            findings.extend(correlator.evict_oldest());
        }
        if let Some(entry) = named.filter(|entry| entry.get().keeps_nothing()) {
            let correlator = entry.remove();
            if self.spare.len() < MAX_SPARE_CONNECTIONS && correlator.holds_little() {
                self.spare.push(correlator);
            }
        }
        findings.extend(semantic);
        events.extend(findings.into_iter().map(Event::Finding));
        self.take_facts(&mut events);
        events
    }

    /// Pairs a record that is not checked but describes its frame (an OCPP-S record), on the
    /// connection of its charge point, giving what it took part in.
    fn pair_unchecked(
        &mut self,
        charge_point: Option<&str>,
        at: Position,
        version: OcppVersion,
        origin: Option<Sender>,
        frame: &Value,
    ) -> Option<Event> {
        let correlator = match charge_point {
            Some(id) => self
                .connections
                .entry(id.to_owned())
                .or_insert_with(|| fresh_correlator(true)),
            None => &mut self.unnamed,
        };
        correlator.pair_unchecked(at, version, origin, frame);
        correlator.take_pairing().map(Event::Paired)
    }

    /// Moves the facts the semantic rules learnt into `events`.
    fn take_facts(&mut self, events: &mut Vec<Event>) {
        if let Some(engine) = self.semantic.as_mut() {
            events.extend(engine.take_facts().into_iter().map(Event::Fact));
        }
    }

    /// The calls left unanswered, the semantic rules' findings at the end of the input and
    /// the sessions still open, in no particular order.
    pub(super) fn finish(&mut self) -> End {
        let findings = self
            .connections
            .values_mut()
            .chain(std::iter::once(&mut self.unnamed))
            .flat_map(Correlator::finish)
            .chain(
                self.semantic
                    .as_mut()
                    .map(semantic::Engine::finish)
                    .into_iter()
                    .flatten(),
            )
            .collect();
        let facts = self
            .semantic
            .as_mut()
            .map(semantic::Engine::take_facts)
            .unwrap_or_default();
        End { findings, facts }
    }
}

/// The event of a record being read.
fn heard(at: Position, record: &Record<'_>) -> Event {
    Event::Record(Heard {
        at,
        charge_point: record.charge_point.clone(),
        origin: record.origin,
        timestamp: record.timestamp,
        schema_version: record
            .open_trace
            .as_ref()
            .and_then(|fields| fields.schema_version.clone()),
    })
}

/// A record's frame as decoded, when it is JSON.
fn frame_read(at: Position, version: OcppVersion, source: &FrameSource<'_>) -> Option<FrameRead> {
    let frame = match source {
        FrameSource::Text(text) => serde_json::from_str(text).ok()?,
        FrameSource::Value(value) => value.clone(),
    };
    Some(FrameRead { at, version, frame })
}

/// A connection with no calls open, keeping each frame's part in pairing when asked to.
fn fresh_correlator(pairings: bool) -> Correlator {
    match pairings {
        true => Correlator::new().keeping_pairings(),
        false => Correlator::new(),
    }
}

/// Decodes a frame tolerantly; `None` when the decoder changed nothing and found nothing.
fn tolerate(
    correlator: &Correlator,
    policy: &Policy,
    at: Position,
    version: OcppVersion,
    origin: Option<Sender>,
    source: &FrameSource<'_>,
) -> Option<Tolerated> {
    let text = match source {
        FrameSource::Text(text) => Cow::Borrowed(&**text),
        FrameSource::Value(value) => Cow::Owned(value.to_string()),
    };
    let decoded = tolerant::decode_frame(version, &text, policy, &|id| {
        correlator.action_of(id, origin).map(str::to_owned)
    });
    if !decoded.changed && decoded.repairs.is_empty() {
        return None;
    }
    let denied = decoded.repairs.iter().any(|d| d.verdict == Verdict::Deny);
    let repaired = match &decoded.frame {
        Ok(crate::AnyFrame::V16(frame)) if !denied => Some(frame.to_value()),
        Ok(crate::AnyFrame::V201(frame)) if !denied => Some(frame.to_value()),
        Ok(_) | Err(_) => None,
    };
    let repairs = decoded
        .repairs
        .into_iter()
        .map(|deviation| {
            let rule = deviation.rule.rule();
            let after = match (&deviation.normalized, deviation.verdict) {
                (_, Verdict::Deny) => "refused by the policy".to_owned(),
                (Some(after), _) => after.to_string(),
                (None, _) => "(absent)".to_owned(),
            };
            let (pointer, place) = match rule.layer {
                Layer::Frame => (String::new(), format!(" (frame {})", deviation.pointer)),
                Layer::Payload => (deviation.pointer, String::new()),
            };
            Finding {
                at,
                rule: rule.id,
                severity: match deviation.verdict {
                    Verdict::Deny => Severity::Error,
                    Verdict::Allow | Verdict::Warn => Severity::Warning,
                },
                category: Category::Tolerant,
                pointer,
                message: format!("{}{place}: {} → {after}", rule.forgives, deviation.original),
                value: Some(deviation.original),
                error_code: None,
            }
        })
        .collect();
    Some(Tolerated {
        repaired,
        kept: decoded.kept,
        repairs,
    })
}
