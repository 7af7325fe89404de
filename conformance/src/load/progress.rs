//! The live progress line on stderr: connections, messages per second, errors.

use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::{interval, Instant};

use super::station::Shared;

/// Rewrites one stderr line every second until the task is aborted.
pub(super) async fn show(shared: Arc<Shared>, stations: u64) {
    let started = Instant::now();
    let mut tick = interval(Duration::from_secs(1));
    let mut last_messages = 0;
    loop {
        tick.tick().await;
        let counters = &shared.counters;
        let messages =
            counters.calls.load(Ordering::Relaxed) + counters.responses.load(Ordering::Relaxed);
        let line = format!(
            "\r{:>5}s  connected {}/{}  failed {}  msg/s {}  timeouts {}  errors {}   ",
            started.elapsed().as_secs(),
            counters.connected.load(Ordering::Relaxed),
            stations,
            counters.failed.load(Ordering::Relaxed),
            messages - last_messages,
            counters.timeouts.load(Ordering::Relaxed),
            counters.errors.load(Ordering::Relaxed),
        );
        last_messages = messages;
        let mut stderr = std::io::stderr().lock();
        // The progress line is a courtesy; a closed stderr must not stop the run.
        let _ = stderr.write_all(line.as_bytes());
        let _ = stderr.flush();
    }
}
