//! The result model of a run: each case's verdict, its deviations and the CSMS CALLs it
//! answered unasked. The runner fills it in; the renderers beside this module write it.

use serde::Serialize;

use crate::scenario::Level;

/// One difference between what the CSMS did and what the case or the specification requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Deviation {
    /// Stable rule id (`match`, `no-answer`, a validator rule such as `schema-enum`, …).
    pub rule: String,
    /// How much it weighs.
    pub level: Level,
    /// 1-based step the deviation occurred in (0: connecting).
    pub step: usize,
    /// What happened, with the frame or JSON pointer concerned.
    pub message: String,
}

/// A case's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[allow(
    clippy::exhaustive_enums,
    reason = "the three verdicts of a case; reports and callers match them all"
)]
pub enum Status {
    /// No deviation.
    Pass,
    /// At least one deviation, or the case could not run to its end.
    Fail,
    /// Not run; see the reason.
    Skip,
}

/// Who wrote the answer to a CSMS CALL that no step was waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(
    clippy::exhaustive_enums,
    reason = "who answered an unsolicited CALL: the four sources the runner has; reports match them all"
)]
pub enum AnsweredBy {
    /// The answer recorded in the replayed trace.
    Trace,
    /// The run's configured default answer for the action.
    Config,
    /// The reference station's schema-valid default.
    Reference,
    /// Nobody: a CALLERROR (`NotSupported` for a known action, `NotImplemented` otherwise).
    CallError,
}

/// A CALL the CSMS sent while no step was waiting for it, and how it was answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UnsolicitedCall {
    /// The step that was running when it arrived.
    pub step: usize,
    /// Its action.
    pub action: String,
    /// Who answered it.
    pub answered_by: AnsweredBy,
    /// The later `expect_call` step that took it as the CALL it expected, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taken_by_step: Option<usize>,
}

/// The outcome of one case.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct CaseReport {
    /// Case id.
    pub id: String,
    /// Case title.
    pub name: String,
    /// Verdict.
    pub status: Status,
    /// Every deviation found.
    pub deviations: Vec<Deviation>,
    /// CSMS CALLs that arrived while no step waited for them (at most
    /// [`MAX_QUEUED_CALLS`](crate::runner::MAX_QUEUED_CALLS)).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unsolicited: Vec<UnsolicitedCall>,
    /// Why the case was skipped, or why it could not reach the CSMS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Whether the CSMS could not be reached at all (a usage or connection error).
    #[serde(skip)]
    pub unreachable: bool,
    /// The frames the station sent and received, for the HTML report (at most
    /// [`MAX_EXCHANGED`](super::MAX_EXCHANGED)).
    #[serde(skip)]
    pub exchange: Vec<super::Exchanged>,
    /// Frames past that limit.
    #[serde(skip)]
    pub exchange_left_out: usize,
}

impl CaseReport {
    /// An empty, passing report for `id` and `name`.
    pub(crate) fn new(id: &str, name: &str) -> Self {
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
            status: Status::Pass,
            deviations: Vec::new(),
            unsolicited: Vec::new(),
            reason: None,
            unreachable: false,
            exchange: Vec::new(),
            exchange_left_out: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsolicited_call_has_camel_case_keys_in_json() {
        let call = UnsolicitedCall {
            step: 2,
            action: "Reset".to_owned(),
            answered_by: AnsweredBy::Config,
            taken_by_step: Some(3),
        };
        assert_eq!(
            serde_json::to_value(&call).unwrap(),
            serde_json::json!({"step": 2, "action": "Reset", "answeredBy": "config", "takenByStep": 3})
        );
    }
}
