//! The load report as data, and its renderers (one per format).

mod human;
mod json;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

pub use human::human;
pub use json::json;

use super::drops::DropReason;
use super::stats::{HistogramBin, Percentiles, Stats};
use super::usage::Usage;
use super::LoadConfig;

/// Everything a load run found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LoadReport {
    /// The CSMS's URL.
    pub target: String,
    /// The OCPP version spoken.
    pub ocpp: String,
    /// Stations asked for.
    pub stations: u64,
    /// Wall-clock length of the run, in seconds.
    pub elapsed_s: f64,
    /// What happened to the connections.
    pub connections: Connections,
    /// CALLs sent.
    pub calls: u64,
    /// Answers received (CALLRESULTs and CALLERRORs).
    pub responses: u64,
    /// CALLs with no answer in time.
    pub timeouts: u64,
    /// Answers that came after their CALL had timed out (not in `responses`).
    pub late_responses: u64,
    /// CALLs sent plus answers received, per second of the run.
    pub messages_per_s: f64,
    /// CALLERRORs by error code.
    pub call_errors: BTreeMap<String, u64>,
    /// Deviations of the CSMS's frames by rule id.
    pub deviations: BTreeMap<String, u64>,
    /// Counts and latency per action.
    pub actions: BTreeMap<String, ActionReport>,
    /// Round-trip latency over all actions.
    pub latency: Percentiles,
    /// Round trips by power-of-two millisecond range.
    pub histogram: Vec<HistogramBin>,
    /// What the run cost this process.
    pub client: ClientCost,
}

/// Connection counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Connections {
    /// Tried.
    pub attempted: u64,
    /// Opened.
    pub established: u64,
    /// Could not be opened.
    pub failed: u64,
    /// Closed by the CSMS (or broken) before the run ended.
    pub dropped: u64,
    /// The dropped connections by reason.
    pub drops: BTreeMap<DropReason, u64>,
    /// Most open at once.
    pub peak_concurrent: u64,
    /// Stations the ramp had not reached when the run ended.
    pub not_started: u64,
    /// The first failure's message, as an example.
    pub first_failure: Option<String>,
}

/// One action's counts and latency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ActionReport {
    /// CALLs sent.
    pub calls: u64,
    /// CALLRESULTs received.
    pub results: u64,
    /// CALLERRORs received.
    pub errors: u64,
    /// CALLs with no answer in time.
    pub timeouts: u64,
    /// Round-trip latency of the answered CALLs.
    pub latency: Percentiles,
}

/// The load client's own CPU and memory.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ClientCost {
    /// CPU time used during the run (user + system), in seconds.
    pub cpu_s: f64,
    /// That CPU time as a share of one core over the run, in percent.
    pub cpu_percent: f64,
    /// Highest resident memory of the process, in bytes.
    pub peak_rss_bytes: u64,
    /// Peak resident memory divided by the most stations connected at once, in bytes.
    pub rss_per_station_bytes: u64,
    /// Whether the figures include the embedded reference CSMS (same process).
    pub includes_csms: bool,
}

/// What [`build`] needs besides the shared statistics.
pub(super) struct Inputs<'a> {
    pub config: &'a LoadConfig,
    pub elapsed: Duration,
    pub connections: Connections,
    pub calls: u64,
    pub responses: u64,
    pub timeouts: u64,
    pub late: u64,
    pub stats: Stats,
    pub before: Usage,
    pub after: Usage,
}

/// Puts the run's figures together.
pub(super) fn build(inputs: Inputs<'_>) -> LoadReport {
    let Inputs {
        config,
        elapsed,
        connections,
        calls,
        responses,
        timeouts,
        late,
        stats,
        before,
        after,
    } = inputs;
    let seconds = elapsed.as_secs_f64().max(f64::MIN_POSITIVE);
    let cpu_s = (after.cpu_seconds - before.cpu_seconds).max(0.0);
    let overall = stats.overall();
    let peak = connections.peak_concurrent.max(1);
    LoadReport {
        target: config.target.url.clone(),
        ocpp: config.workload.version.to_string(),
        stations: config.stations,
        elapsed_s: elapsed.as_secs_f64(),
        connections,
        calls,
        responses,
        timeouts,
        late_responses: late,
        messages_per_s: (calls + responses) as f64 / seconds,
        actions: stats
            .actions
            .iter()
            .map(|(name, a)| {
                let report = ActionReport {
                    calls: a.calls,
                    results: a.results,
                    errors: a.errors,
                    timeouts: a.timeouts,
                    latency: a.latency.summary(),
                };
                (name.clone(), report)
            })
            .collect(),
        call_errors: stats.call_errors,
        deviations: stats.deviations,
        latency: overall.summary(),
        histogram: overall.coarse(),
        client: ClientCost {
            cpu_s,
            cpu_percent: cpu_s / seconds * 100.0,
            peak_rss_bytes: after.peak_rss_bytes,
            rss_per_station_bytes: after.peak_rss_bytes / peak,
            includes_csms: config.embedded_csms,
        },
    }
}

impl LoadReport {
    /// 0 when every station connected and every CALL got a clean answer, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        let clean = self.connections.failed == 0
            && self.connections.dropped == 0
            && self.timeouts == 0
            && self.call_errors.is_empty()
            && self.deviations.is_empty();
        u8::from(!clean)
    }
}

#[cfg(test)]
pub(super) mod sample {
    use super::*;

    /// A fixed report for the renderers' snapshots.
    pub(in crate::load) fn report() -> LoadReport {
        let latency = |p50_ms, max_ms| Percentiles {
            p50_ms,
            p90_ms: p50_ms * 2.0,
            p99_ms: p50_ms * 3.0,
            max_ms,
        };
        LoadReport {
            target: "ws://127.0.0.1:9000/ocpp".to_owned(),
            ocpp: "1.6".to_owned(),
            stations: 50,
            elapsed_s: 3.25,
            connections: Connections {
                attempted: 50,
                established: 49,
                failed: 1,
                dropped: 2,
                drops: BTreeMap::from([
                    (DropReason::ClosedByPeer, 1),
                    (DropReason::FrameTooLarge, 1),
                ]),
                peak_concurrent: 49,
                not_started: 0,
                first_failure: Some("connection refused".to_owned()),
            },
            calls: 245,
            responses: 244,
            timeouts: 1,
            late_responses: 1,
            messages_per_s: 150.4,
            call_errors: BTreeMap::from([("FormationViolation".to_owned(), 2)]),
            deviations: BTreeMap::from([("additional-property".to_owned(), 3)]),
            actions: BTreeMap::from([
                (
                    "BootNotification".to_owned(),
                    ActionReport {
                        calls: 49,
                        results: 49,
                        errors: 0,
                        timeouts: 0,
                        latency: latency(1.5, 9.0),
                    },
                ),
                (
                    "Heartbeat".to_owned(),
                    ActionReport {
                        calls: 196,
                        results: 193,
                        errors: 2,
                        timeouts: 1,
                        latency: latency(0.5, 4.0),
                    },
                ),
            ]),
            latency: latency(0.75, 9.0),
            histogram: vec![
                HistogramBin {
                    le_ms: 1,
                    count: 200,
                },
                HistogramBin {
                    le_ms: 2,
                    count: 30,
                },
                HistogramBin { le_ms: 4, count: 0 },
                HistogramBin {
                    le_ms: 8,
                    count: 13,
                },
                HistogramBin {
                    le_ms: 16,
                    count: 1,
                },
            ],
            client: ClientCost {
                cpu_s: 0.5,
                cpu_percent: 15.4,
                peak_rss_bytes: 20 << 20,
                rss_per_station_bytes: 427_942,
                includes_csms: true,
            },
        }
    }
}
