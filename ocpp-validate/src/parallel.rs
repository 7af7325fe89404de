//! Checking on several threads: records are spread over workers by charge point, so each
//! charge point's records reach one [`Tracker`] in input order, and the findings are put
//! back into input order before they leave, so the output does not depend on the number of
//! workers.

use std::collections::hash_map::DefaultHasher;
use std::collections::VecDeque;
use std::hash::{Hash, Hasher};
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender};
use std::thread::{Scope, ScopedJoinHandle};

use ocpp_types::OcppVersion;

use crate::check::{Rules, Step, Tracker};
use crate::finding::Finding;
use crate::trace::Record;

/// Records sent to a worker at once.
const BATCH: usize = 256;
/// Batches that may wait for a worker before the reader waits.
const QUEUED_BATCHES: usize = 4;
/// Records whose findings may be outstanding before the reader waits for the oldest: this
/// bounds the memory held between reading and output.
const MAX_PENDING: usize = 16 * 1024;

type Batch = Vec<(Record<'static>, OcppVersion)>;

/// One worker thread and its side of the channels.
struct Worker<'scope> {
    /// Records not yet sent.
    batch: Batch,
    to: Option<SyncSender<Batch>>,
    from: Receiver<Vec<Vec<Finding>>>,
    /// The findings of records checked, one list per record, oldest first.
    ready: VecDeque<Vec<Finding>>,
    handle: ScopedJoinHandle<'scope, Vec<Finding>>,
}

/// In input order: whose findings come next.
enum Slot {
    /// The next record checked by this worker.
    Record(usize),
    /// A finding of the reader's own.
    Finding(Finding),
}

/// Worker threads with the order in which their findings are to be given out.
pub(crate) struct Pool<'scope> {
    workers: Vec<Worker<'scope>>,
    order: VecDeque<Slot>,
}

impl<'scope> Pool<'scope> {
    /// Starts `jobs` workers in `scope`.
    pub(crate) fn start<'env>(
        scope: &'scope Scope<'scope, 'env>,
        jobs: usize,
        rules: Rules,
    ) -> Self {
        let workers = (0..jobs)
            .map(|_| {
                let (to, inbox) = sync_channel::<Batch>(QUEUED_BATCHES);
                let (outbox, from) = channel();
                let handle = scope.spawn(move || {
                    let mut tracker = Tracker::new(rules);
                    for batch in inbox {
                        let findings = batch
                            .into_iter()
                            .map(|(record, version)| tracker.check_in_order(record, version))
                            .collect();
                        if outbox.send(findings).is_err() {
                            break;
                        }
                    }
                    tracker.finish()
                });
                Worker {
                    batch: Vec::with_capacity(BATCH),
                    to: Some(to),
                    from,
                    ready: VecDeque::new(),
                    handle,
                }
            })
            .collect();
        Self {
            workers,
            order: VecDeque::new(),
        }
    }

    /// Hands a step to the worker of its charge point, giving out the findings that are due.
    pub(crate) fn dispatch(&mut self, step: Step<'_>, emit: &mut dyn FnMut(Finding)) {
        match step {
            Step::Record(record, version) => {
                let worker = self.shard(record.charge_point.as_deref());
                self.workers[worker]
                    .batch
                    .push((record.into_owned(), version));
                if self.workers[worker].batch.len() >= BATCH {
                    self.send(worker);
                }
                self.order.push_back(Slot::Record(worker));
            }
            Step::Finding(finding) => self.order.push_back(Slot::Finding(finding)),
        }
        if self.order.len() > MAX_PENDING {
            self.drain(MAX_PENDING / 2, emit);
        }
    }

    /// Gives out every outstanding finding, stops the workers and returns the findings of
    /// their [`Tracker::finish`].
    pub(crate) fn finish(mut self, emit: &mut dyn FnMut(Finding)) -> Vec<Finding> {
        self.drain(0, emit);
        self.workers
            .into_iter()
            .flat_map(|mut worker| {
                worker.to = None;
                join(worker.handle)
            })
            .collect()
    }

    /// The worker of a charge point (records without one share a worker).
    fn shard(&self, charge_point: Option<&str>) -> usize {
        let mut hasher = DefaultHasher::new();
        charge_point.hash(&mut hasher);
        // The modulo keeps the value below the worker count, so it fits a usize.
        (hasher.finish() % self.workers.len() as u64) as usize
    }

    /// Sends a worker its unsent records.
    fn send(&mut self, worker: usize) {
        let worker = &mut self.workers[worker];
        if worker.batch.is_empty() {
            return;
        }
        let batch = std::mem::replace(&mut worker.batch, Vec::with_capacity(BATCH));
        if let Some(to) = &worker.to {
            // A worker only goes away by panicking; its join reports that.
            let _ = to.send(batch);
        }
    }

    /// Gives out findings in input order until at most `keep` slots are outstanding.
    fn drain(&mut self, keep: usize, emit: &mut dyn FnMut(Finding)) {
        while self.order.len() > keep {
            let Some(slot) = self.order.pop_front() else {
                return;
            };
            match slot {
                Slot::Finding(finding) => emit(finding),
                Slot::Record(index) => {
                    // Every record sent has its list of findings, so this ends.
                    while self.workers[index].ready.is_empty() {
                        self.send(index);
                        let worker = &mut self.workers[index];
                        match worker.from.recv() {
                            Ok(findings) => worker.ready.extend(findings),
                            Err(_) => {
                                // The worker is gone: it panicked, which its join re-raises.
                                worker.to = None;
                                let worker = self.workers.swap_remove(index);
                                join(worker.handle);
                                return;
                            }
                        }
                    }
                    let findings = self.workers[index].ready.pop_front().unwrap_or_default();
                    findings.into_iter().for_each(&mut *emit);
                }
            }
        }
    }
}

/// The result of a worker, re-raising its panic if it had one.
fn join(handle: ScopedJoinHandle<'_, Vec<Finding>>) -> Vec<Finding> {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
