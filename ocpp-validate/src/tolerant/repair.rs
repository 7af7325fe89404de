//! What the tolerant decoder forgave (or refused to), as data and as a text report.

use serde::Serialize;
use serde_json::Value;

use super::rules::{RuleId, Verdict};

/// One departure from the schema, found by one rule at one place.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Repair {
    /// The rule that matched.
    #[serde(serialize_with = "rule_id")]
    pub rule: RuleId,
    /// JSON pointer: into the payload for payload rules, into the frame array for frame rules.
    pub pointer: String,
    /// The value as received (for a renamed member, its old name).
    pub original: Value,
    /// The value after normalization; `None` when the member was dropped or the rule denied.
    pub normalized: Option<Value>,
    /// What the policy made of it.
    pub verdict: Verdict,
}

fn rule_id<S: serde::Serializer>(rule: &RuleId, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(rule.id())
}

impl Repair {
    /// One line for people: `rule at pointer: original → normalized`.
    pub fn describe(&self) -> String {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        let after = match (&self.normalized, self.verdict) {
            (_, Verdict::Deny) => "denied".to_owned(),
            (Some(value), _) => value.to_string(),
            (None, _) => "(absent)".to_owned(),
        };
        format!(
            "{} at {pointer}: {} → {after}",
            self.rule.id(),
            self.original
        )
    }
}

/// A report of deviations, one per line, for people and snapshots.
pub fn report(repairs: &[Repair]) -> String {
    if repairs.is_empty() {
        return "no deviations\n".to_owned();
    }
    repairs
        .iter()
        .map(|d| format!("{:<5} {}\n", d.verdict.as_str(), d.describe()))
        .collect()
}
