//! What each simulated station sends: the default heartbeat-and-meter-values loop, or the
//! CALL steps of a scenario file, with per-station rewrites.

use std::collections::BTreeMap;
use std::time::Duration;

use ocpp_model::OcppVersion;
use serde_json::{json, Value};

use crate::csms::now;
use crate::scenario::{self, substitute, Scenario};

/// One thing a station does in its loop.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Step {
    /// Send a CALL and wait for its answer; `capture` names variables to take from the
    /// CALLRESULT by JSON pointer.
    Call {
        /// The action name.
        action: String,
        /// The payload, before `${var}` substitution.
        payload: Value,
        /// Variables to remember from the answer, by JSON pointer.
        capture: BTreeMap<String, String>,
    },
    /// Pause.
    Wait(Duration),
}

/// The steps a station plays once connected.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Workload {
    /// The version spoken.
    pub version: OcppVersion,
    /// Played once after connecting.
    pub boot: Vec<Step>,
    /// Played in a loop until the run ends.
    pub repeat: Vec<Step>,
}

/// A scenario that load mode cannot play.
#[derive(Debug, thiserror::Error)]
#[error("scenario {id}: step {step} is a {kind} step; load mode plays only call and wait steps")]
#[non_exhaustive]
pub struct UnsupportedStep {
    /// The scenario's id.
    pub id: String,
    /// The 1-based step number.
    pub step: usize,
    /// The step's kind.
    pub kind: &'static str,
}

fn call(action: &str, payload: Value) -> Step {
    Step::Call {
        action: action.to_owned(),
        payload,
        capture: BTreeMap::new(),
    }
}

impl Workload {
    /// BootNotification once, then a Heartbeat and a MeterValues every `interval`.
    pub fn heartbeat(version: OcppVersion, interval: Duration) -> Self {
        let (boot, meter) = match version {
            OcppVersion::V16 => (
                json!({"chargePointVendor": "ocpp-rs", "chargePointModel": "load-${identity}"}),
                json!({"connectorId": 1, "meterValue": [
                    {"timestamp": "${now}", "sampledValue": [{"value": "${index}.0"}]}
                ]}),
            ),
            // 2.1's BootNotification and MeterValues have 2.0.1's members.
            OcppVersion::V201 | OcppVersion::V21 => (
                json!({"reason": "PowerUp",
                       "chargingStation": {"vendorName": "ocpp-rs", "model": "load-${identity}"}}),
                json!({"evseId": 1, "meterValue": [
                    {"timestamp": "${now}", "sampledValue": [{"value": "${index}"}]}
                ]}),
            ),
        };
        Self {
            version,
            boot: vec![call("BootNotification", boot)],
            repeat: vec![
                call("Heartbeat", json!({})),
                call("MeterValues", meter),
                Step::Wait(interval),
            ],
        }
    }

    /// The scenario's call and wait steps, all repeated; its version is the one spoken.
    pub fn from_scenario(scenario: &Scenario) -> Result<Self, UnsupportedStep> {
        let mut repeat = Vec::new();
        for (index, step) in scenario.steps.iter().enumerate() {
            let unsupported = |kind| UnsupportedStep {
                id: scenario.id.clone(),
                step: index + 1,
                kind,
            };
            repeat.push(match step {
                scenario::Step::Call {
                    action,
                    payload,
                    expect,
                } => Step::Call {
                    action: action.clone(),
                    payload: payload.clone(),
                    capture: expect.capture.clone(),
                },
                scenario::Step::Wait { ms } => Step::Wait(Duration::from_millis(*ms)),
                scenario::Step::ExpectCall { .. } => return Err(unsupported("expect_call")),
                scenario::Step::Trigger { .. } => return Err(unsupported("trigger")),
                scenario::Step::SendRaw { .. } => return Err(unsupported("send_raw")),
                scenario::Step::Send { .. } => return Err(unsupported("send")),
                scenario::Step::Reconnect {} => return Err(unsupported("reconnect")),
            });
        }
        Ok(Self {
            version: scenario.version.into(),
            boot: Vec::new(),
            repeat,
        })
    }
}

/// The variables of one station: its identity, index, an idTag derived from both, the time,
/// and whatever it captured from answers.
#[derive(Debug, Clone)]
pub struct Vars(BTreeMap<String, Value>);

impl Vars {
    /// The starting variables of station number `index` named `identity`.
    pub fn new(identity: &str, index: u64) -> Self {
        Self(BTreeMap::from([
            ("identity".to_owned(), json!(identity)),
            ("index".to_owned(), json!(index)),
            ("idTag".to_owned(), json!(format!("T{index}"))),
        ]))
    }

    /// `payload` with this station's variables (and the current time as `${now}`) in place.
    pub fn apply(&mut self, payload: &Value) -> Value {
        self.0.insert("now".to_owned(), json!(now()));
        substitute(payload, &self.0)
    }

    /// Remembers the values at `capture`'s pointers in `answer`.
    pub fn capture(&mut self, capture: &BTreeMap<String, String>, answer: &Value) {
        for (name, pointer) in capture {
            if let Some(value) = answer.pointer(pointer) {
                self.0.insert(name.clone(), value.clone());
            }
        }
    }
}
