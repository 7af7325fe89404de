//! Load mode: a fleet of simulated stations, each on its own WebSocket, playing a workload
//! against a CSMS; counts, deviations, latency percentiles and the client's own cost.

mod drops;
mod identity;
mod progress;
pub mod report;
mod station;
pub mod stats;
mod trace;
mod usage;
pub mod workload;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::{sleep_until, Instant};

use crate::deadline::after;

pub use crate::replay::TraceError;
pub use drops::DropReason;
pub use identity::{BadPattern, IdentityPattern};
pub use report::{Connections, LoadReport};
pub use trace::from_trace;
pub use usage::Usage;
pub use workload::{Step, UnsupportedStep, Workload};

use crate::transport::Target;
use station::{Counters, Shared};

/// How to run a fleet.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LoadConfig {
    /// Where the stations connect.
    pub target: Target,
    /// How many stations.
    pub stations: u64,
    /// The number of the first station (the next ones count up): sets a shard's range.
    pub first: u64,
    /// How station numbers become identities.
    pub identity: IdentityPattern,
    /// Stations started per second.
    pub ramp: f64,
    /// How long the run lasts from the first connection attempt; CALLs under way at the end
    /// may still finish within `timeout`.
    pub duration: Duration,
    /// How long a station waits for each answer.
    pub timeout: Duration,
    /// What each station plays.
    pub workload: Workload,
    /// Whether to draw the live progress line on stderr.
    pub progress: bool,
    /// Whether the CSMS runs inside this process (its cost is then in the client figures).
    pub embedded_csms: bool,
}

impl LoadConfig {
    /// `stations` stations named by `identity`, numbered from 1, each playing `workload`
    /// against `target`: 500 started per second, for 60 s, each answer awaited up to 10 s, no
    /// progress line, the CSMS in another process; set the other fields as needed.
    pub fn new(
        target: Target,
        stations: u64,
        identity: IdentityPattern,
        workload: Workload,
    ) -> Self {
        Self {
            target,
            stations,
            first: 1,
            identity,
            ramp: 500.0,
            duration: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
            workload,
            progress: false,
            embedded_csms: false,
        }
    }
}

/// Runs the fleet to the end and reports.
pub async fn run(config: LoadConfig) -> LoadReport {
    let before = Usage::now();
    let started = Instant::now();
    let shared = Arc::new(Shared {
        target: config.target.clone(),
        workload: config.workload.clone(),
        timeout: config.timeout,
        deadline: after(started, config.duration),
        counters: Counters::default(),
        stats: Mutex::default(),
        first_failure: Mutex::default(),
    });
    let progress = config
        .progress
        .then(|| tokio::spawn(progress::show(shared.clone(), config.stations)));
    let mut tasks = Vec::new();
    let gap = Duration::try_from_secs_f64(1.0 / config.ramp).unwrap_or(Duration::MAX);
    for offset in 0..config.stations {
        let due = after(
            started,
            gap.saturating_mul(u32::try_from(offset).unwrap_or(u32::MAX)),
        );
        if due >= shared.deadline {
            break;
        }
        sleep_until(due).await;
        let n = config.first.saturating_add(offset);
        let identity = config.identity.identity(n);
        let shared = shared.clone();
        tasks.push(tokio::spawn(async move {
            station::run(&shared, identity, n).await
        }));
    }
    let started_stations = tasks.len() as u64;
    for task in tasks {
        // A station task only ends by returning; a panic in one must not hide the others.
        let _ = task.await;
    }
    if let Some(progress) = progress {
        progress.abort();
        eprintln!();
    }
    let elapsed = started.elapsed();
    let after = Usage::now();
    let stats = shared
        .stats
        .lock()
        .map(|stats| stats.clone())
        .unwrap_or_default();
    let first_failure = shared
        .first_failure
        .lock()
        .ok()
        .and_then(|first| first.clone());
    let counters = &shared.counters;
    let load = |counter: &std::sync::atomic::AtomicU64| counter.load(Ordering::Relaxed);
    report::build(report::Inputs {
        config: &config,
        elapsed,
        connections: report::Connections {
            attempted: load(&counters.attempted),
            established: load(&counters.established),
            failed: load(&counters.failed),
            dropped: load(&counters.dropped),
            drops: stats.drops.clone(),
            peak_concurrent: load(&counters.peak_connected),
            not_started: config.stations - started_stations,
            first_failure,
        },
        calls: load(&counters.calls),
        responses: load(&counters.responses),
        timeouts: load(&counters.timeouts),
        late: load(&counters.late),
        stats,
        before,
        after,
    })
}
