//! The differences between two profiles, and the thresholds that make them a failure.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use super::latency::Percentiles;
use super::profile::{ActionProfile, Profile};

/// Rates per hour need at least this much time between a side's first and last record.
const MIN_SPAN_MILLIS: i64 = 60_000;
/// Latencies are compared only when both sides timed at least this many answers.
pub const MIN_TIMED: u64 = 10;

/// One side of a comparison.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Side {
    /// Records read.
    pub records: usize,
    /// Hours from its first to its last capture time, when its records have them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
    /// Findings `check` gives (of every severity).
    pub findings: usize,
    /// Frames of actions past the [`MAX_ACTIONS`](super::MAX_ACTIONS) told apart, counted by
    /// message type only.
    pub frames_past_action_limit: usize,
}

/// Counts of one thing on both sides, with their rates.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Change {
    /// What is counted: a message type, an action, an error code or a rule.
    pub name: String,
    /// How many before.
    pub before: usize,
    /// How many after.
    pub after: usize,
    /// The rate before, in the table's unit.
    pub before_rate: f64,
    /// The rate after, in the table's unit.
    pub after_rate: f64,
    /// How much the rate changed, in percent of the rate before (absent when it was 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_percent: Option<f64>,
}

/// Counts with the unit their rates are in.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Table {
    /// `per hour`, or `per 1000 records` when a side has no time span.
    pub unit: &'static str,
    /// One row per thing counted on either side, by name.
    pub rows: Vec<Change>,
}

/// Member paths of one action's payloads that one side has and the other has not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MemberChange {
    /// The action.
    pub action: String,
    /// `request` or `response`.
    pub payload: &'static str,
    /// Paths only after has.
    pub appeared: Vec<String>,
    /// Paths only before has.
    pub vanished: Vec<String>,
}

/// Values of one enumerated member that one side has and the other has not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EnumChange {
    /// The action.
    pub action: String,
    /// `request` or `response`.
    pub payload: &'static str,
    /// The member's path.
    pub member: String,
    /// Values only after has.
    pub appeared: Vec<String>,
    /// Values only before has.
    pub vanished: Vec<String>,
}

/// Answer latencies of one action on both sides, in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LatencyChange {
    /// The action of the CALLs answered.
    pub action: String,
    /// Before, when answers were timed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Percentiles>,
    /// After, when answers were timed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Percentiles>,
    /// How much the 95th percentile changed, in percent, when both sides timed at least
    /// [`MIN_TIMED`] answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p95_change_percent: Option<f64>,
}

/// What differs between two traces.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Diff {
    /// The first trace.
    pub before: Side,
    /// The second trace.
    pub after: Side,
    /// Frames per message type.
    pub message_types: Table,
    /// CALLs (and SENDs) per action.
    pub actions: Table,
    /// Actions only after sends.
    pub new_actions: Vec<String>,
    /// Actions only before sends.
    pub vanished_actions: Vec<String>,
    /// Members that appear or disappear, per action both sides send.
    pub members: Vec<MemberChange>,
    /// Enumerated values newly seen or no longer seen, per action both sides send.
    pub enum_values: Vec<EnumChange>,
    /// CALLERROR and CALLRESULTERROR codes, per 1000 records.
    pub error_codes: Table,
    /// Findings per rule, per 1000 records.
    pub rules: Table,
    /// Answer latencies per action.
    pub latency: Vec<LatencyChange>,
    /// The `--fail-on` thresholds crossed; the comparison fails when there is any.
    pub crossed: Vec<String>,
}

const PAYLOADS: [&str; 2] = ["request", "response"];

impl Diff {
    /// What differs from `before` to `after`.
    pub fn new(before: &Profile, after: &Profile) -> Self {
        let timed = before.span_millis().is_some_and(|s| s >= MIN_SPAN_MILLIS)
            && after.span_millis().is_some_and(|s| s >= MIN_SPAN_MILLIS);
        let traffic = match timed {
            true => Unit::PerHour,
            false => Unit::PerThousandRecords,
        };
        let table = |unit: Unit, a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>| Table {
            unit: unit.name(),
            rows: changes(unit, (a, before), (b, after)),
        };
        let kinds = |p: &Profile| p.kinds.iter().map(|(k, n)| (k.to_string(), *n)).collect();
        let sent = |p: &Profile| {
            p.actions
                .iter()
                .filter(|(_, a)| a.sent > 0)
                .map(|(k, a)| (k.clone(), a.sent))
                .collect()
        };
        let rules = |p: &Profile| p.rules.iter().map(|(k, n)| (k.to_string(), *n)).collect();
        let (sent_before, sent_after): (BTreeMap<_, _>, BTreeMap<_, _>) =
            (sent(before), sent(after));
        let mut diff = Self {
            before: side(before),
            after: side(after),
            message_types: table(traffic, &kinds(before), &kinds(after)),
            actions: table(traffic, &sent_before, &sent_after),
            new_actions: only_in(&sent_after, &sent_before),
            vanished_actions: only_in(&sent_before, &sent_after),
            members: Vec::new(),
            enum_values: Vec::new(),
            error_codes: table(
                Unit::PerThousandRecords,
                &before.error_codes,
                &after.error_codes,
            ),
            rules: table(Unit::PerThousandRecords, &rules(before), &rules(after)),
            latency: Vec::new(),
            crossed: Vec::new(),
        };
        for (action, was) in &before.actions {
            if let Some(now) = after.actions.get(action) {
                diff.compare_action(action, was, now);
            }
        }
        diff
    }

    fn compare_action(&mut self, action: &str, was: &ActionProfile, now: &ActionProfile) {
        for (side, payload) in PAYLOADS.into_iter().enumerate() {
            let (appeared, vanished) = differences(&was.members[side], &now.members[side]);
            if !appeared.is_empty() || !vanished.is_empty() {
                self.members.push(MemberChange {
                    action: action.to_owned(),
                    payload,
                    appeared,
                    vanished,
                });
            }
            let none = BTreeSet::new();
            let (was_values, now_values) = (&was.enum_values[side], &now.enum_values[side]);
            let paths: BTreeSet<&String> = was_values.keys().chain(now_values.keys()).collect();
            for member in paths {
                let (appeared, vanished) = differences(
                    was_values.get(member).unwrap_or(&none),
                    now_values.get(member).unwrap_or(&none),
                );
                if !appeared.is_empty() || !vanished.is_empty() {
                    self.enum_values.push(EnumChange {
                        action: action.to_owned(),
                        payload,
                        member: member.clone(),
                        appeared,
                        vanished,
                    });
                }
            }
        }
        let (before, after) = (was.latencies.percentiles(), now.latencies.percentiles());
        if before.is_some() || after.is_some() {
            let p95_change_percent = match (before, after) {
                (Some(b), Some(a)) if b.count >= MIN_TIMED && a.count >= MIN_TIMED => {
                    Some(percent_change(b.p95, a.p95))
                }
                _ => None,
            };
            self.latency.push(LatencyChange {
                action: action.to_owned(),
                before,
                after,
                p95_change_percent,
            });
        }
    }

    /// The same comparison with the thresholds of `fail_on` that it crosses in
    /// [`Diff::crossed`].
    pub fn judged(mut self, fail_on: &FailOn) -> Self {
        let mut crossed = Vec::new();
        let mut list = |on: bool, name: &str, items: Vec<String>| {
            if on && !items.is_empty() {
                crossed.push(format!("{name}: {}", items.join(", ")));
            }
        };
        list(fail_on.new_action, "new-action", self.new_actions.clone());
        list(
            fail_on.vanished_action,
            "vanished-action",
            self.vanished_actions.clone(),
        );
        let members = |pick: fn(&MemberChange) -> &Vec<String>| {
            (self.members.iter())
                .flat_map(|m| {
                    pick(m)
                        .iter()
                        .map(move |p| format!("{} {} {p}", m.action, m.payload))
                })
                .collect()
        };
        list(fail_on.new_member, "new-member", members(|m| &m.appeared));
        list(
            fail_on.vanished_member,
            "vanished-member",
            members(|m| &m.vanished),
        );
        let values = (self.enum_values.iter())
            .flat_map(|e| {
                (e.appeared.iter())
                    .map(move |v| format!("{} {} {}={v}", e.action, e.payload, e.member))
            })
            .collect();
        list(fail_on.new_enum_value, "new-enum-value", values);
        let new_rows = |table: &Table| {
            (table.rows.iter())
                .filter(|row| row.before == 0 && row.after > 0)
                .map(|row| row.name.clone())
                .collect()
        };
        list(
            fail_on.new_error_code,
            "new-error-code",
            new_rows(&self.error_codes),
        );
        list(fail_on.new_rule, "new-rule", new_rows(&self.rules));
        if let Some(limit) = fail_on.rate {
            let moved = (self.actions.rows.iter())
                .filter(|row| row.change_percent.is_some_and(|c| c.abs() > limit))
                .map(|row| describe(row, self.actions.unit))
                .collect();
            list(
                true,
                &format!("rate (more than {limit}% either way)"),
                moved,
            );
        }
        if let Some(limit) = fail_on.findings {
            let rose = (self.rules.rows.iter())
                .filter(|row| row.change_percent.is_some_and(|c| c > limit))
                .map(|row| describe(row, self.rules.unit))
                .collect();
            list(true, &format!("findings (more than {limit}% up)"), rose);
        }
        if let Some(limit) = fail_on.latency {
            let slower = (self.latency.iter())
                .filter(|l| l.p95_change_percent.is_some_and(|c| c > limit))
                .map(|l| {
                    let (b, a) = (
                        l.before.map_or(0.0, |p| p.p95),
                        l.after.map_or(0.0, |p| p.p95),
                    );
                    format!("{} p95 {b} ms → {a} ms", l.action)
                })
                .collect();
            list(
                true,
                &format!("latency (p95 more than {limit}% up)"),
                slower,
            );
        }
        self.crossed = crossed;
        self
    }

    /// The comparison as one JSON object.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A row as a threshold message: `MeterValues 120 → 240 per hour (+100%)`.
fn describe(row: &Change, unit: &str) -> String {
    let change = row
        .change_percent
        .map_or_else(String::new, |c| format!(" ({c:+}%)"));
    format!(
        "{} {} → {} {unit}{change}",
        row.name, row.before_rate, row.after_rate
    )
}

/// The thresholds past which a comparison fails (`--fail-on`).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct FailOn {
    /// An action only the second trace sends.
    pub new_action: bool,
    /// An action only the first trace sends.
    pub vanished_action: bool,
    /// A member path only the second trace's payloads of an action have.
    pub new_member: bool,
    /// A member path only the first trace's payloads of an action have.
    pub vanished_member: bool,
    /// An enumerated value only the second trace gives.
    pub new_enum_value: bool,
    /// A CALLERROR or CALLRESULTERROR code only the second trace has.
    pub new_error_code: bool,
    /// A rule only the second trace's findings name.
    pub new_rule: bool,
    /// An action's rate changing by more than this many percent, either way.
    pub rate: Option<f64>,
    /// A rule's findings per 1000 records rising by more than this many percent.
    pub findings: Option<f64>,
    /// An action's 95th percentile latency rising by more than this many percent.
    pub latency: Option<f64>,
}

/// The thresholds `--fail-on` names, for `--help` and messages.
pub const FAIL_ON_NAMES: &str = "new-action, vanished-action, new-member, vanished-member, \
    new-enum-value, new-error-code, new-rule, rate=PERCENT, findings=PERCENT, latency=PERCENT";

/// A `--fail-on` item that is not one of [`FAIL_ON_NAMES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownThreshold(String);

impl fmt::Display for UnknownThreshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a threshold; the thresholds are {FAIL_ON_NAMES}",
            self.0
        )
    }
}

impl std::error::Error for UnknownThreshold {}

impl FailOn {
    /// These thresholds and the one `item` names (`new-action`, `rate=50`, `latency=20%`, …).
    pub fn with(mut self, item: &str) -> Result<Self, UnknownThreshold> {
        let unknown = || UnknownThreshold(item.to_owned());
        let (name, limit) = match item.split_once('=') {
            Some((name, limit)) => {
                let limit: f64 = limit
                    .trim()
                    .trim_end_matches('%')
                    .parse()
                    .map_err(|_| unknown())?;
                if !(0.0..=1e6).contains(&limit) {
                    return Err(unknown());
                }
                (name.trim(), Some(limit))
            }
            None => (item.trim(), None),
        };
        let flag = match (name, limit) {
            ("new-action", None) => &mut self.new_action,
            ("vanished-action", None) => &mut self.vanished_action,
            ("new-member", None) => &mut self.new_member,
            ("vanished-member", None) => &mut self.vanished_member,
            ("new-enum-value", None) => &mut self.new_enum_value,
            ("new-error-code", None) => &mut self.new_error_code,
            ("new-rule", None) => &mut self.new_rule,
            ("rate", Some(_)) => {
                return Ok(Self {
                    rate: limit,
                    ..self
                })
            }
            ("findings", Some(_)) => {
                return Ok(Self {
                    findings: limit,
                    ..self
                })
            }
            ("latency", Some(_)) => {
                return Ok(Self {
                    latency: limit,
                    ..self
                })
            }
            _ => return Err(unknown()),
        };
        *flag = true;
        Ok(self)
    }
}

fn side(profile: &Profile) -> Side {
    Side {
        records: profile.records,
        hours: profile
            .span_millis()
            .map(|millis| rounded(millis as f64 / 3_600_000.0)),
        findings: profile.rules.values().sum(),
        frames_past_action_limit: profile.actions_dropped,
    }
}

/// What the rates of a table are counted against.
#[derive(Clone, Copy)]
enum Unit {
    /// The hours between a side's first and last capture time.
    PerHour,
    /// A side's records.
    PerThousandRecords,
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Self::PerHour => "per hour",
            Self::PerThousandRecords => "per 1000 records",
        }
    }

    fn rate(self, count: usize, profile: &Profile) -> f64 {
        let per = match self {
            Self::PerHour => {
                profile.span_millis().unwrap_or(0).max(MIN_SPAN_MILLIS) as f64 / 3_600_000.0
            }
            Self::PerThousandRecords => profile.records.max(1) as f64 / 1000.0,
        };
        rounded(count as f64 / per)
    }
}

/// Rounded to two decimals, so that reports do not change with the last bits of a float.
fn rounded(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn percent_change(before: f64, after: f64) -> f64 {
    (((after - before) / before * 100.0) * 10.0).round() / 10.0
}

/// One row per name on either side, by name.
fn changes(
    unit: Unit,
    (before, was): (&BTreeMap<String, usize>, &Profile),
    (after, now): (&BTreeMap<String, usize>, &Profile),
) -> Vec<Change> {
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let count =
        |counts: &BTreeMap<String, usize>, name: &String| counts.get(name).copied().unwrap_or(0);
    names
        .into_iter()
        .map(|name| {
            let (b, a) = (count(before, name), count(after, name));
            let (before_rate, after_rate) = (unit.rate(b, was), unit.rate(a, now));
            Change {
                name: name.clone(),
                before: b,
                after: a,
                before_rate,
                after_rate,
                change_percent: (before_rate > 0.0)
                    .then(|| percent_change(before_rate, after_rate)),
            }
        })
        .collect()
}

fn only_in(these: &BTreeMap<String, usize>, others: &BTreeMap<String, usize>) -> Vec<String> {
    these
        .keys()
        .filter(|k| !others.contains_key(*k))
        .cloned()
        .collect()
}

/// What only `after` has, and what only `before` has.
fn differences(before: &BTreeSet<String>, after: &BTreeSet<String>) -> (Vec<String>, Vec<String>) {
    (
        after.difference(before).cloned().collect(),
        before.difference(after).cloned().collect(),
    )
}
