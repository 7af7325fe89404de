//! Checking on several threads: records are spread over workers by charge point, so each
//! charge point's records reach one [`ChargePointState`] in input order, and the findings are put
//! back into input order before they leave, so the output does not depend on the number of
//! workers. A charge point is given, when first seen, to the worker that has been sent the
//! fewest records so far, which keeps the workers evenly loaded whatever the identities.
//! The first charge point seen (or the records that name none, such as raw frames) is
//! checked on the reading thread itself, and the workers are started only when a second one
//! appears: a trace of one charge point has nothing to spread, and handing its records to
//! another thread would only add the cost of moving them.
//! The reader keeps the charge points heard from most recently, as many as state is kept
//! for; when one more comes in, the worker of the one heard from longest ago is told to drop
//! its state, at the same point of the input order as with one job.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::ops::Range;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread::{Scope, ScopedJoinHandle};

use ocpp_model::OcppVersion;

use super::event::{End, Event};
use super::state::{ChargePointState, Rules};
use super::version::Step;
use crate::finding::{Finding, Position};
use crate::recent::Recent;
use crate::trace::{FrameSource, LaterLine, Record};

/// Records sent to a worker at once, at most.
const BATCH: usize = 256;
/// Bytes of text after which a batch is sent, however few records it holds.
const BATCH_BYTES: usize = 1024 * 1024;
/// Records whose findings may be outstanding before the reader waits for the oldest: this
/// bounds the memory held between reading and output. Within it, the reader never waits
/// for a worker, so a worker that falls behind for a while does not starve the others.
const MAX_PENDING: usize = 16 * 1024;
/// Bytes of input lines whose findings may be outstanding before the reader waits for the
/// oldest (a single longer line is still taken alone), beside [`MAX_PENDING`].
pub(super) const MAX_PENDING_BYTES: usize = 64 * 1024 * 1024;

/// Records sent to a worker at once. Their texts lie side by side in one buffer, and a
/// worker sends its batches back empty for reuse, so that moving records between threads
/// allocates nothing per record.
#[derive(Default)]
struct Batch {
    /// The frame texts and log lines.
    text: String,
    /// The records, in input order, with the version each is checked against.
    records: Vec<(Item, OcppVersion)>,
}

/// A record in a batch, its texts as spans of the batch's buffer.
enum Item {
    /// A record read whole; a text frame's text is the span given, and the frame left in
    /// the record is a placeholder.
    Record(Record<'static>, Option<Range<usize>>),
    /// A log line read as far as routing needs ([`LaterLine`]), the worker reads the rest.
    Later {
        index: usize,
        number: usize,
        text: Range<usize>,
        start: usize,
        charge_point: Option<Range<usize>>,
    },
    /// The state of this charge point is to be dropped ([`ChargePointState::forget`]) at a record.
    Forget(Range<usize>, Position),
}

impl Batch {
    /// Adds `text` to the buffer, giving its span.
    fn keep(&mut self, text: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(text);
        start..self.text.len()
    }

    fn push(&mut self, mut record: Record<'_>, version: OcppVersion) {
        let span = match &record.frame {
            Ok(FrameSource::Text(text)) => Some(self.keep(text)),
            _ => None,
        };
        if span.is_some() {
            record.frame = Ok(FrameSource::Text(Cow::Borrowed("")));
        }
        // Nothing is left to copy: the text went to the buffer.
        self.records
            .push((Item::Record(record.into_owned(), span), version));
    }

    fn push_later(&mut self, line: LaterLine<'_>, version: OcppVersion) {
        let item = Item::Later {
            index: line.index,
            number: line.number,
            text: self.keep(line.text),
            start: line.start,
            charge_point: line.charge_point.map(|id| self.keep(id)),
        };
        self.records.push((item, version));
    }

    fn push_forget(&mut self, charge_point: &str, at: Position) {
        let item = Item::Forget(self.keep(charge_point), at);
        // The version is not read.
        self.records.push((item, OcppVersion::V16));
    }

    /// Checks every record in order, leaving the batch empty.
    fn check(&mut self, state: &mut ChargePointState) -> Vec<Vec<Event>> {
        let text = &self.text;
        let findings = self
            .records
            .drain(..)
            .map(|(item, version)| {
                let record = match item {
                    Item::Forget(charge_point, at) => {
                        return state.forget(&text[charge_point], at);
                    }
                    Item::Record(mut record, span) => {
                        if let Some(span) = span {
                            record.frame = Ok(FrameSource::Text(Cow::Borrowed(&text[span])));
                        }
                        record
                    }
                    Item::Later {
                        index,
                        number,
                        text: line,
                        start,
                        charge_point,
                    } => LaterLine {
                        index,
                        number,
                        text: &text[line],
                        start,
                        charge_point: charge_point.map(|span| &text[span]),
                    }
                    .complete(),
                };
                state.check_in_order(record, version)
            })
            .collect();
        self.text.clear();
        findings
    }
}

/// One worker thread and its side of the channels.
struct Worker<'scope> {
    /// Records not yet sent.
    batch: Batch,
    /// Emptied batches for reuse.
    spare: Vec<Batch>,
    to: Option<Sender<Batch>>,
    from: Receiver<(Vec<Vec<Event>>, Batch)>,
    /// The events of records checked, one list per record, oldest first.
    ready: VecDeque<Vec<Event>>,
    handle: ScopedJoinHandle<'scope, End>,
    /// Records given to this worker so far.
    load: u64,
}

/// In input order: whose findings come next.
enum Slot {
    /// The next record checked by this worker, with the length of its line.
    Record(usize, usize),
    /// The events of a record checked on the reading thread.
    Inline(Vec<Event>),
    /// A finding of the reader's own.
    Finding(Finding),
}

/// Who checks a charge point's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// The reading thread.
    Inline,
    /// A worker, by index.
    Worker(usize),
}

/// Worker threads with the order in which their findings are to be given out.
pub(super) struct Pool<'scope, 'env> {
    scope: &'scope Scope<'scope, 'env>,
    /// How many workers to start once a second charge point appears.
    jobs: usize,
    rules: Rules,
    /// The workers, none until a second charge point appears.
    workers: Vec<Worker<'scope>>,
    /// The checks of the charge point kept on the reading thread.
    inline: ChargePointState,
    /// Whether a charge point (or the records that name none) is kept on the reading thread.
    inline_taken: bool,
    order: VecDeque<Slot>,
    /// The length of the lines of the records in `order`.
    pending_bytes: usize,
    /// Who checks each charge point heard from recently.
    owners: Recent<Owner>,
    /// Who checks the records that name no charge point.
    unnamed: Option<Owner>,
}

impl<'scope, 'env> Pool<'scope, 'env> {
    /// A pool of `jobs` workers in `scope`, started when a second charge point appears; at
    /// most `charge_points` have state kept at once.
    pub(super) fn start(
        scope: &'scope Scope<'scope, 'env>,
        jobs: usize,
        rules: Rules,
        charge_points: usize,
    ) -> Self {
        Self {
            scope,
            jobs,
            rules,
            workers: Vec::new(),
            inline: ChargePointState::new(rules),
            inline_taken: false,
            order: VecDeque::new(),
            pending_bytes: 0,
            owners: Recent::new(charge_points),
            unnamed: None,
        }
    }

    /// Hands a step to the worker of its charge point, giving out the findings that are due.
    pub(super) fn dispatch(&mut self, step: Step<'_>, emit: &mut dyn FnMut(Event)) {
        let bytes = match &step {
            Step::Record(_, _, bytes) => *bytes,
            Step::Later(line, _) => line.text.len(),
            Step::Finding(_) => 0,
        };
        if self.pending_bytes + bytes > MAX_PENDING_BYTES {
            self.drain(MAX_PENDING, bytes, emit);
        }
        match step {
            Step::Record(record, version, _) => {
                match self.owner(record.charge_point.as_deref(), record.at()) {
                    Owner::Inline => {
                        let events = self.inline.check_in_order(record, version);
                        self.inline_checked(events, emit);
                    }
                    Owner::Worker(worker) => {
                        self.workers[worker].batch.push(record, version);
                        self.pushed(worker, bytes);
                    }
                }
            }
            Step::Later(line, version) => match self.owner(line.charge_point, line.at()) {
                Owner::Inline => {
                    let events = self.inline.check_in_order(line.complete(), version);
                    self.inline_checked(events, emit);
                }
                Owner::Worker(worker) => {
                    self.workers[worker].batch.push_later(line, version);
                    self.pushed(worker, bytes);
                }
            },
            Step::Finding(finding) => self.order.push_back(Slot::Finding(finding)),
        }
        if self.order.len() > MAX_PENDING {
            self.drain(MAX_PENDING - BATCH, 0, emit);
        }
    }

    /// Gives out the events of a record checked on the reading thread, at once when nothing
    /// before it is outstanding.
    fn inline_checked(&mut self, events: Vec<Event>, emit: &mut dyn FnMut(Event)) {
        match self.order.is_empty() {
            true => events.into_iter().for_each(emit),
            false => self.order.push_back(Slot::Inline(events)),
        }
    }

    /// Books a record of a `bytes` long line just added to a worker's batch, sending the
    /// batch when it is full.
    fn pushed(&mut self, worker: usize, bytes: usize) {
        self.workers[worker].load += 1;
        let batch = &self.workers[worker].batch;
        if batch.records.len() >= BATCH || batch.text.len() >= BATCH_BYTES {
            self.send(worker);
        }
        self.order.push_back(Slot::Record(worker, bytes));
        self.pending_bytes += bytes;
        crate::probes::held(self.pending_bytes);
    }

    /// Gives out every outstanding event, stops the workers and returns what their
    /// [`ChargePointState::finish`] gave.
    pub(super) fn finish(mut self, emit: &mut dyn FnMut(Event)) -> End {
        self.drain(0, 0, emit);
        let mut end = self.inline.finish();
        for mut worker in self.workers {
            worker.to = None;
            end.add(join(worker.handle));
        }
        end
    }

    /// Who checks a charge point (records without one are checked together), seen at a
    /// record: the first seen stays on the reading thread, any other seen for the first time
    /// goes to the least loaded worker, and when that puts out the one heard from longest
    /// ago, its owner is told to drop its state.
    fn owner(&mut self, charge_point: Option<&str>, at: Position) -> Owner {
        let (workers, inline_taken) = (&mut self.workers, &mut self.inline_taken);
        let (scope, jobs, rules) = (self.scope, self.jobs, self.rules);
        let fresh = || {
            if !std::mem::replace(inline_taken, true) {
                return Owner::Inline;
            }
            if workers.is_empty() {
                *workers = spawn(scope, jobs, rules);
            }
            let least = (0..workers.len()).min_by_key(|&w| workers[w].load);
            Owner::Worker(least.unwrap_or(0))
        };
        let Some(id) = charge_point else {
            return *self.unnamed.get_or_insert_with(fresh);
        };
        let (&owner, evicted) = self.owners.see(id, fresh);
        if let Some((evicted, was)) = evicted {
            match was {
                Owner::Inline => {
                    let events = self.inline.forget(&evicted, at);
                    self.order.push_back(Slot::Inline(events));
                }
                Owner::Worker(worker) => {
                    self.workers[worker].batch.push_forget(&evicted, at);
                    self.order.push_back(Slot::Record(worker, 0));
                }
            }
        }
        owner
    }

    /// Sends a worker its unsent records.
    fn send(&mut self, worker: usize) {
        let worker = &mut self.workers[worker];
        if worker.batch.records.is_empty() {
            return;
        }
        let next = worker.spare.pop().unwrap_or_default();
        let batch = std::mem::replace(&mut worker.batch, next);
        if let Some(to) = &worker.to {
            // A worker only goes away by panicking; its join reports that.
            let _ = to.send(batch);
        }
    }

    /// Gives out findings in input order until at most `keep` slots are outstanding and a
    /// line `room` bytes long fits beside them (or none is outstanding).
    fn drain(&mut self, keep: usize, room: usize, emit: &mut dyn FnMut(Event)) {
        while self.order.len() > keep || self.pending_bytes + room > MAX_PENDING_BYTES {
            let Some(slot) = self.order.pop_front() else {
                return;
            };
            match slot {
                Slot::Finding(finding) => emit(Event::Finding(finding)),
                Slot::Inline(events) => events.into_iter().for_each(&mut *emit),
                Slot::Record(index, bytes) => {
                    self.pending_bytes -= bytes;
                    // Every record sent has its list of findings, so this ends.
                    while self.workers[index].ready.is_empty() {
                        // Nothing is read while this waits, so every worker gets what it
                        // has yet to check.
                        (0..self.workers.len()).for_each(|w| self.send(w));
                        let worker = &mut self.workers[index];
                        match worker.from.recv() {
                            Ok((findings, batch)) => {
                                worker.ready.extend(findings);
                                worker.spare.push(batch);
                            }
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

/// Starts `jobs` workers in `scope`.
fn spawn<'scope>(
    scope: &'scope Scope<'scope, '_>,
    jobs: usize,
    rules: Rules,
) -> Vec<Worker<'scope>> {
    (0..jobs)
        .map(|_| {
            let (to, inbox) = channel::<Batch>();
            let (outbox, from) = channel();
            let handle = scope.spawn(move || {
                let mut state = ChargePointState::new(rules);
                for mut batch in inbox {
                    let findings = batch.check(&mut state);
                    if outbox.send((findings, batch)).is_err() {
                        break;
                    }
                }
                state.finish()
            });
            Worker {
                batch: Batch::default(),
                spare: Vec::new(),
                to: Some(to),
                from,
                ready: VecDeque::new(),
                handle,
                load: 0,
            }
        })
        .collect()
}

/// The result of a worker, re-raising its panic if it had one.
fn join(handle: ScopedJoinHandle<'_, End>) -> End {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
