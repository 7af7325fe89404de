//! What `diff` compares: the profile of a trace, gathered from the events of the record
//! pipeline (`check`'s reading, decoding, correlation and findings).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::BufRead;

use ocpp_model::framing::MessageTypeId;
use ocpp_model::{OcppVersion, PayloadKind};
use serde_json::Value;

use crate::check::{run_reader, CheckOptions, Counts, Event, FrameRead, Heard, ReadError};
use crate::correlator::Pairing;
use crate::finding::Position;

use super::latency::Latencies;
use super::members::{enum_paths, walk_payload};

/// The most actions a profile tells apart; the frames of further actions are counted by
/// message type only.
pub const MAX_ACTIONS: usize = 1024;
/// The most member paths kept per action and direction.
pub const MAX_MEMBERS: usize = 512;
/// The most values kept per enumerated member.
pub const MAX_ENUM_VALUES: usize = 64;
/// The most CALLERROR and CALLRESULTERROR codes told apart.
pub const MAX_ERROR_CODES: usize = 256;
/// The most CALLs waiting for their answer to be timed; past it the oldest is not timed.
pub const MAX_TIMED_CALLS: usize = 65_536;

/// The action name under which responses whose CALL is not in the trace are counted.
pub const UNKNOWN_ACTION: &str = "(unknown)";

/// What one action's frames show.
#[derive(Debug, Default)]
pub(crate) struct ActionProfile {
    /// Its CALLs (and, in 2.1, SENDs).
    pub(crate) sent: usize,
    /// CALLRESULTs answering it.
    pub(crate) results: usize,
    /// CALLERRORs answering it.
    pub(crate) errors: usize,
    /// Member paths of its requests and of its responses.
    pub(crate) members: [BTreeSet<String>; 2],
    /// Values of the enumerated members of its requests and responses, by path.
    pub(crate) enum_values: [BTreeMap<String, BTreeSet<String>>; 2],
    /// Time from each CALL to its answer, where both have a capture time.
    pub(crate) latencies: Latencies,
}

impl ActionProfile {
    /// Counts an answer in `count`, timed when `took` is known.
    fn answered(&mut self, took: Option<i64>, count: impl FnOnce(&mut Self) -> &mut usize) {
        *count(self) += 1;
        if let Some(took) = took {
            self.latencies.add(took);
        }
    }
}

/// The profile of a trace: counts per message type, action, error code and rule, the
/// members and enumerated values each action's payloads use, and answer latencies.
#[derive(Debug, Default)]
pub struct Profile {
    /// Records read.
    pub(crate) records: usize,
    /// The earliest and latest capture times, in milliseconds.
    pub(crate) first: Option<i64>,
    pub(crate) last: Option<i64>,
    /// Frames per message type name.
    pub(crate) kinds: BTreeMap<&'static str, usize>,
    pub(crate) actions: BTreeMap<String, ActionProfile>,
    /// Frames of actions past [`MAX_ACTIONS`].
    pub(crate) actions_dropped: usize,
    pub(crate) error_codes: BTreeMap<String, usize>,
    /// Findings per rule.
    pub(crate) rules: BTreeMap<&'static str, usize>,
}

impl Profile {
    /// How many records were read.
    pub fn records(&self) -> usize {
        self.records
    }

    /// The time from the first to the last capture time, in milliseconds.
    pub(crate) fn span_millis(&self) -> Option<i64> {
        Some(self.last? - self.first?)
    }
}

/// Gathers the profile of one or more inputs.
#[derive(Debug, Default)]
pub struct Profiler {
    profile: Profile,
    /// The record whose events are coming in: where it is and its capture time.
    current: Option<(Position, Option<i64>)>,
    /// The current record's part in pairing, until its frame comes.
    pairing: Option<Pairing>,
    /// Capture times of CALLs not answered yet, by record.
    waiting: BTreeMap<usize, i64>,
    /// Enumerated paths per known action and direction.
    enums: HashMap<(OcppVersion, PayloadKind, String), BTreeSet<String>>,
}

impl Profiler {
    /// A profiler that has read nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads one input through the record pipeline with these options (records, pairings
    /// and frames turned on); gives `check`'s counts. What was read before a failure is kept.
    pub fn read<R: BufRead>(
        &mut self,
        input: R,
        options: &CheckOptions,
    ) -> Result<Counts, ReadError> {
        let options = options.clone().with_pairings(true).with_frames(true);
        let result = run_reader(input, options, &mut |event| self.take(event));
        self.current = None;
        self.pairing = None;
        self.waiting.clear();
        result
    }

    /// The profile of everything read.
    pub fn finish(self) -> Profile {
        self.profile
    }

    fn take(&mut self, event: Event) {
        match event {
            Event::Record(heard) => self.heard(&heard),
            Event::Paired(pairing) => self.pairing = Some(pairing),
            Event::Frame(read) => self.frame(read),
            Event::Finding(finding) => *self.profile.rules.entry(finding.rule).or_default() += 1,
            Event::Fact(_) => {}
        }
    }

    fn heard(&mut self, heard: &Heard) {
        let millis = heard.timestamp.map(|t| t.as_chrono().timestamp_millis());
        let profile = &mut self.profile;
        profile.records += 1;
        if let Some(millis) = millis {
            profile.first = Some(profile.first.map_or(millis, |first| first.min(millis)));
            profile.last = Some(profile.last.map_or(millis, |last| last.max(millis)));
        }
        self.current = Some((heard.at, millis));
        self.pairing = None;
    }

    fn frame(&mut self, read: FrameRead) {
        let Some(pairing) = self.pairing.take().filter(|p| p.at == read.at) else {
            return;
        };
        let millis = self
            .current
            .filter(|(at, _)| *at == read.at)
            .and_then(|(_, t)| t);
        *self
            .profile
            .kinds
            .entry(pairing.message_type.name())
            .or_default() += 1;
        let element = |index: usize| read.frame.as_array().and_then(|a| a.get(index));
        match pairing.message_type {
            MessageTypeId::Call | MessageTypeId::Send => {
                let action = pairing.action.as_deref().unwrap_or(UNKNOWN_ACTION);
                if pairing.message_type == MessageTypeId::Call {
                    if let Some(millis) = millis {
                        self.wait(read.at.record, millis);
                    }
                }
                if let Some(payload) = element(3) {
                    self.payload(read.version, PayloadKind::Request, action, payload);
                }
                match action_of(&mut self.profile, action) {
                    Some(profile) => profile.sent += 1,
                    None => self.profile.actions_dropped += 1,
                }
            }
            MessageTypeId::CallResult => {
                let action = pairing.action.as_deref().unwrap_or(UNKNOWN_ACTION);
                if let Some(payload) = element(2) {
                    self.payload(read.version, PayloadKind::Response, action, payload);
                }
                let took = self.took(&pairing, millis);
                match action_of(&mut self.profile, action) {
                    Some(profile) => profile.answered(took, |p| &mut p.results),
                    None => self.profile.actions_dropped += 1,
                }
            }
            MessageTypeId::CallError | MessageTypeId::CallResultError => {
                if let Some(code) = element(2).and_then(Value::as_str) {
                    let codes = &mut self.profile.error_codes;
                    if codes.len() < MAX_ERROR_CODES || codes.contains_key(code) {
                        *codes.entry(code.to_owned()).or_default() += 1;
                    }
                }
                if pairing.message_type == MessageTypeId::CallError {
                    let action = pairing.action.as_deref().unwrap_or(UNKNOWN_ACTION);
                    let took = self.took(&pairing, millis);
                    match action_of(&mut self.profile, action) {
                        Some(profile) => profile.answered(took, |p| &mut p.errors),
                        None => self.profile.actions_dropped += 1,
                    }
                }
            }
        }
    }

    /// Keeps a CALL's capture time until its answer comes.
    fn wait(&mut self, record: usize, millis: i64) {
        self.waiting.insert(record, millis);
        if self.waiting.len() > MAX_TIMED_CALLS {
            self.waiting.pop_first();
        }
    }

    /// How long the CALL a response answers waited for it, when both were timed.
    fn took(&mut self, pairing: &Pairing, millis: Option<i64>) -> Option<i64> {
        let sent = self.waiting.remove(&pairing.answers?.record)?;
        Some(millis? - sent)
    }

    /// Notes the members and enumerated values of a payload.
    fn payload(&mut self, version: OcppVersion, kind: PayloadKind, action: &str, payload: &Value) {
        static NONE: BTreeSet<String> = BTreeSet::new();
        let enums = match version.action(action) {
            Some(_) => self
                .enums
                .entry((version, kind, action.to_owned()))
                .or_insert_with(|| enum_paths(version, kind, action)),
            None => &NONE,
        };
        let Some(profile) = action_of(&mut self.profile, action) else {
            return;
        };
        let side = kind as usize;
        let (members, values) = (&mut profile.members[side], &mut profile.enum_values[side]);
        walk_payload(
            payload,
            enums,
            &mut |path| {
                if members.len() < MAX_MEMBERS && !members.contains(path) {
                    members.insert(path.to_owned());
                }
            },
            &mut |path, value| {
                let seen = values.entry(path.to_owned()).or_default();
                if seen.len() < MAX_ENUM_VALUES && !seen.contains(value) {
                    seen.insert(value.to_owned());
                }
            },
        );
    }
}

/// The profile of an action, or `None` when too many actions are told apart already (the
/// caller counts the frame in `actions_dropped`).
fn action_of<'p>(profile: &'p mut Profile, action: &str) -> Option<&'p mut ActionProfile> {
    if profile.actions.len() >= MAX_ACTIONS && !profile.actions.contains_key(action) {
        return None;
    }
    Some(profile.actions.entry(action.to_owned()).or_default())
}
