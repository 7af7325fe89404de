//! Absolute deadlines: computed without overflow, and checked before each frame is read, so
//! that a peer that never stops sending cannot keep a wait going past its end.

use std::time::Duration;

use futures_util::{Stream, StreamExt};
use tokio::time::{timeout_at, Instant};

/// The furthest a deadline may lie ahead (about 30 years); longer waits are cut to it.
const FAR: Duration = Duration::from_secs(30 * 365 * 24 * 3600);

/// The instant `wait` after `start`; a wait too long for the clock ends in the far future.
pub(crate) fn after(start: Instant, wait: Duration) -> Instant {
    start + wait.min(FAR)
}

/// The next item of `stream`, or `None` once `deadline` has passed. The deadline is checked
/// before the stream is polled: `timeout_at` polls its future first, so it never fires for a
/// stream that always has an item ready.
pub(crate) async fn next_before<S>(stream: &mut S, deadline: Instant) -> Option<Option<S::Item>>
where
    S: Stream + Unpin,
{
    if Instant::now() >= deadline {
        return None;
    }
    timeout_at(deadline, stream.next()).await.ok()
}
