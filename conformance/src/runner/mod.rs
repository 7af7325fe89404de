//! Executing a scenario: one station connection, every received frame validated strictly by
//! `ocpp-validate`, every CSMS CALL answered, every difference from the scenario recorded as
//! a deviation.
//!
//! * [`station`](self) — the connection, receiving and validating frames, answering CALLs.
//! * `steps` — what each scenario step does.
//! * `triggers` — making the CSMS send a CALL, concurrently with the connection.
//! * `defaults` — the reference station's answers to CALLs no step waits for.

mod defaults;
mod station;
mod steps;
mod triggers;

#[cfg(test)]
mod flood_tests;

use crate::capture::CaptureFile;
use std::time::Duration;

use ocpp_model::OcppVersion;
use serde::Serialize;
use serde_json::Value;

use crate::config::TestEnv;
pub use crate::scenario::Level;
use crate::scenario::{substitute, Requirement, Scenario};
use crate::transport::{ConnectError, Target};

pub use defaults::reference_answer;
pub(crate) use station::{Received, Station, StopKind};
pub use triggers::{Operator, Trigger, TRIGGER_TIMEOUT};

/// The most deviations listed for one case.
pub const MAX_DEVIATIONS: usize = 1_000;

/// The most CSMS CALLs that no step waited for which one case lists, and keeps for a later
/// `expect_call` step; every one is answered, and more than this is a `too-many-calls`
/// deviation.
pub const MAX_QUEUED_CALLS: usize = 100;

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
    /// CSMS CALLs that arrived while no step waited for them (at most [`MAX_QUEUED_CALLS`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unsolicited: Vec<UnsolicitedCall>,
    /// Why the case was skipped, or why it could not reach the CSMS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Whether the CSMS could not be reached at all (a usage or connection error).
    #[serde(skip)]
    pub unreachable: bool,
}

/// Everything a run needs besides the scenarios.
#[derive(Debug)]
#[non_exhaustive]
pub struct RunConfig {
    /// Where the CSMS is.
    pub target: Target,
    /// Identity for cases that name none.
    pub identity: String,
    /// How to trigger CSMS-initiated CALLs.
    pub trigger: Trigger,
    /// How long one trigger may run before it is stopped and reported.
    pub trigger_timeout: Duration,
    /// Whether the CSMS answers BootNotification by identity suffix.
    pub boot_by_identity: bool,
    /// What the CSMS is provisioned with: identities, tokens, credentials, default answers.
    pub env: TestEnv,
    /// Whether warnings fail a case too.
    pub strict: bool,
    /// Where every frame sent and received is written as Open OCPP Trace, if anywhere.
    pub capture: Option<CaptureFile>,
}

impl Default for RunConfig {
    fn default() -> Self {
        Self {
            target: Target::default(),
            identity: String::new(),
            trigger: Trigger::None,
            trigger_timeout: TRIGGER_TIMEOUT,
            boot_by_identity: false,
            env: TestEnv::default(),
            strict: false,
            capture: None,
        }
    }
}

impl RunConfig {
    /// A run against `target` as `identity`, with no trigger, the default trigger timeout,
    /// the built-in test environment and no capture; set the other fields as needed.
    pub fn new(target: Target, identity: impl Into<String>) -> Self {
        Self {
            target,
            identity: identity.into(),
            ..Self::default()
        }
    }

    /// Where a station called `identity` connects: the target, with the test environment's
    /// Basic credentials for it when it has some.
    pub(crate) fn target_for(&self, identity: &str) -> Target {
        let mut target = self.target.clone();
        if let Some(basic) = self.env.basic_for(identity) {
            target.basic = Some(basic);
        }
        target
    }

    /// A run against an in-process reference CSMS, with its trigger hook, as `identity`.
    pub fn reference(csms: std::sync::Arc<crate::csms::Csms>, identity: &str) -> Self {
        Self {
            trigger: Trigger::InProcess(csms.clone()),
            boot_by_identity: true,
            ..Self::new(Target::new(csms.url()), identity)
        }
    }
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
        }
    }

    /// Records why the station could not connect and sets the verdict: a skip when the CSMS
    /// refused the version as OCPP-J prescribes (the handshake completed without a
    /// subprotocol, OCPP-J 1.6 §3.2, OCPP 2.0.1 Part 4 §3.2), a deviation of step 0 when the
    /// CSMS is to blame (a wrong subprotocol, an HTTP refusal, a connection it did not finish
    /// opening in time), else a failure with the reason it could not be reached.
    pub(crate) fn connect_failed(&mut self, error: &ConnectError) {
        if let ConnectError::NoSubprotocol(protocol) = error {
            self.status = Status::Skip;
            self.reason = Some(format!(
                "the CSMS does not offer {protocol}: it completed the handshake without a \
                 subprotocol, the refusal OCPP-J 1.6 §3.2 / OCPP 2.0.1 Part 4 §3.2 prescribe"
            ));
            return;
        }
        self.status = Status::Fail;
        match error.rule() {
            Some(rule) => self.deviations.push(Deviation {
                rule: rule.to_owned(),
                level: Level::Error,
                step: 0,
                message: error.to_string(),
            }),
            None => {
                self.unreachable = true;
                self.reason = Some(error.to_string());
            }
        }
    }

    /// Takes what the station recorded and sets the verdict: a failure for any error-level
    /// deviation, or under `strict` for any deviation at all.
    pub(crate) fn finish(&mut self, station: Station, strict: bool) {
        let (deviations, unsolicited) = station.into_findings();
        self.deviations = deviations;
        self.unsolicited = unsolicited;
        let failing = self
            .deviations
            .iter()
            .any(|d| strict || d.level == Level::Error);
        if failing || self.unreachable {
            self.status = Status::Fail;
        }
    }
}

/// Runs one case to its verdict.
pub async fn run_case(config: &RunConfig, scenario: &Scenario) -> CaseReport {
    let mut report = CaseReport::new(&scenario.id, &scenario.name);
    if let Some(reason) = unmet(config, &scenario.requires) {
        report.status = Status::Skip;
        report.reason = Some(reason);
        return report;
    }
    let identity = match &scenario.identity {
        Some(named) => match substitute(&Value::String(named.clone()), &config.env.variables()) {
            Value::String(identity) => identity,
            other => other.to_string(),
        },
        None => config.identity.clone(),
    };
    let version = OcppVersion::from(scenario.version);
    match Station::open(config, &identity, version).await {
        Ok(mut station) => {
            let mut stopped = false;
            for (index, step) in scenario.steps.iter().enumerate() {
                station.step = index + 1;
                if let Err(stop) = station.run(config, step).await {
                    if stop.kind == StopKind::OperatorSkip {
                        report.status = Status::Skip;
                        report.reason = Some(stop.message);
                    } else {
                        station.deviate(stop.kind.rule(), stop.message);
                    }
                    stopped = true;
                    break;
                }
            }
            station
                .settle_trigger(stopped, config.trigger_timeout)
                .await;
            station.close().await;
            report.finish(station, config.strict);
        }
        Err(error) => report.connect_failed(&error),
    }
    report
}

fn unmet(config: &RunConfig, requires: &[Requirement]) -> Option<String> {
    requires.iter().find_map(|requirement| match requirement {
        Requirement::Trigger if matches!(config.trigger, Trigger::None) => Some(
            "needs a CSMS-initiated CALL: add --trigger-url URL, --trigger-cmd CMD, --manual \
             or --trigger wait (or run without --target)"
                .to_owned(),
        ),
        Requirement::BootByIdentity if !config.boot_by_identity => Some(
            "needs a CSMS that answers the pending/rejected identities so: give [identities] \
             in --config (or pass --boot-by-identity)"
                .to_owned(),
        ),
        Requirement::Trigger | Requirement::BootByIdentity => None,
    })
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
