//! Executing a scenario: one station connection, every received frame validated strictly by
//! `ocpp-validate`, every CSMS CALL answered, every difference from the scenario recorded as
//! a deviation in the case's [`CaseReport`].
//!
//! * `config` — what a run needs besides the scenarios ([`RunConfig`]).
//! * [`station`](self) — the connection, receiving and validating frames, answering CALLs.
//! * `steps` — what each scenario step does.
//! * `triggers` — making the CSMS send a CALL, concurrently with the connection.
//! * `defaults` — the reference station's answers to CALLs no step waits for.

mod config;
mod defaults;
mod station;
mod steps;
mod triggers;

#[cfg(test)]
mod flood_tests;

use ocpp_model::OcppVersion;
use serde_json::Value;

use crate::report::{CaseReport, Deviation, Status};
pub use crate::scenario::Level;
use crate::scenario::{substitute, Requirement, Scenario};
use crate::transport::ConnectError;

pub use config::RunConfig;
pub use defaults::reference_answer;
pub(crate) use station::{Received, Station, StopKind};
pub use triggers::{Operator, Trigger, TRIGGER_TIMEOUT};

/// The most deviations listed for one case.
pub const MAX_DEVIATIONS: usize = 1_000;

/// The most CSMS CALLs that no step waited for which one case lists, and keeps for a later
/// `expect_call` step; every one is answered, and more than this is a `too-many-calls`
/// deviation.
pub const MAX_QUEUED_CALLS: usize = 100;

/// What the runner records in a case's report.
impl CaseReport {
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
        let (deviations, unsolicited, exchange) = station.into_findings();
        self.deviations = deviations;
        self.unsolicited = unsolicited;
        self.exchange = exchange.frames;
        self.exchange_left_out = exchange.left_out;
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
