//! The running record of one decode: the policy's verdicts and what they produced.

use serde_json::Value;

use super::policy::Policy;
use super::repair::Repair;
use super::rules::{RuleId, Verdict};

/// Deviations found so far, and the places the typed message cannot cover.
pub(super) struct Log<'p> {
    policy: &'p Policy,
    pub(super) repairs: Vec<Repair>,
    /// Pointers of unknown members: kept in the payload, left out of the typed message.
    pub(super) extras: Vec<String>,
    /// Pointers of values kept verbatim that the typed message cannot hold.
    pub(super) kept: Vec<String>,
    /// Whether a rule was applied, silently or not.
    pub(super) changed: bool,
}

impl<'p> Log<'p> {
    pub(super) fn new(policy: &'p Policy) -> Self {
        Self {
            policy,
            repairs: Vec::new(),
            extras: Vec::new(),
            kept: Vec::new(),
            changed: false,
        }
    }

    /// Records a deviation as the policy says; true when the repair may be applied.
    pub(super) fn allow(
        &mut self,
        rule: RuleId,
        pointer: &str,
        original: &Value,
        normalized: Option<&Value>,
    ) -> bool {
        let verdict = self.policy.verdict(rule);
        if verdict != Verdict::Allow {
            self.repairs.push(Repair {
                rule,
                pointer: pointer.to_owned(),
                original: original.clone(),
                normalized: (verdict == Verdict::Warn)
                    .then(|| normalized.cloned())
                    .flatten(),
                verdict,
            });
        }
        self.changed |= verdict != Verdict::Deny;
        verdict != Verdict::Deny
    }
}
