//! The calls of one connection waiting for their answer, found by message id and sender in
//! O(1) and given up oldest first in O(1) (amortised), however many are open.
//!
//! A response answers the most recent open call with its message id sent the other way, or
//! either way where a side is unknown (a response repeats its call's message id:
//! `ocpp-j-1.6-specification.txt` §4.2.2 and §4.2.3, OCPP 2.0.1 Part 4 §4.2.2 and §4.2.3). Calls are kept in the order they were made, a
//! call that leaves from the middle leaving a hole that is skipped later (and squeezed out
//! once holes outnumber calls); per message id and sender, the calls of that id are linked
//! newest to oldest, so that the one a response answers is always at hand and any of them
//! can leave.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::probes::probe;
use ocpp_model::Sender;

/// How many calls the room of a small [`OpenCalls`] holds.
pub(crate) const SMALL: usize = 64;
/// Holes that may pile up, beyond as many as there are calls, before they are squeezed out.
const SLACK: usize = 1024;

/// The open calls, each with the `T` its user keeps for it.
#[derive(Debug, Clone)]
pub(crate) struct OpenCalls<T> {
    /// Every call since the one numbered `first`, oldest first; `None` where it left.
    order: VecDeque<Option<Call<T>>>,
    /// The number of the call at the front of `order`.
    first: u64,
    /// How many calls are open.
    open: usize,
    /// Per message id, per sender ([`slot`]): the number of the newest open call.
    by_id: foldhash::HashMap<Arc<str>, [Option<u64>; 3]>,
}

/// One open call.
#[derive(Debug, Clone)]
struct Call<T> {
    id: Arc<str>,
    origin: Option<Sender>,
    /// The next older and newer open call with the same id and sender.
    older: Option<u64>,
    newer: Option<u64>,
    value: T,
}

impl<T> Default for OpenCalls<T> {
    fn default() -> Self {
        Self {
            order: VecDeque::new(),
            first: 0,
            open: 0,
            by_id: foldhash::HashMap::default(),
        }
    }
}

/// Where the calls of a sender are kept.
fn slot(origin: Option<Sender>) -> usize {
    match origin {
        None => 0,
        Some(Sender::ChargingStation) => 1,
        Some(Sender::Csms) => 2,
    }
}

/// The senders whose calls a response from `responder` may answer.
fn callers(responder: Option<Sender>) -> &'static [usize] {
    match responder {
        None => &[0, 1, 2],
        Some(Sender::ChargingStation) => &[0, 2],
        Some(Sender::Csms) => &[0, 1],
    }
}

impl<T> OpenCalls<T> {
    /// How many calls are open.
    pub(crate) fn len(&self) -> usize {
        self.open
    }

    /// Whether the room kept is for at most [`SMALL`] calls.
    pub(crate) fn holds_little(&self) -> bool {
        self.order.capacity() <= SMALL && self.by_id.capacity() <= SMALL
    }

    /// Records a call `origin` sent with message id `id`.
    pub(crate) fn open(&mut self, id: &str, origin: Option<Sender>, value: T) {
        let id = match self.by_id.get_key_value(id) {
            Some((known, _)) => Arc::clone(known),
            None => Arc::from(id),
        };
        self.push(id, origin, value);
    }

    fn push(&mut self, id: Arc<str>, origin: Option<Sender>, value: T) {
        probe(1);
        let number = self.first + self.order.len() as u64;
        let newest = &mut self.by_id.entry(Arc::clone(&id)).or_default()[slot(origin)];
        let older = newest.replace(number);
        if let Some(older) = older {
            let index = self.index(older);
            if let Some(call) = self.order[index].as_mut() {
                call.newer = Some(number);
            }
        }
        self.order.push_back(Some(Call {
            id,
            origin,
            older,
            newer: None,
            value,
        }));
        self.open += 1;
    }

    /// What is kept for the call a response with `id` from `responder` answers.
    pub(crate) fn get(&self, id: &str, responder: Option<Sender>) -> Option<&T> {
        let number = self.find(id, responder)?;
        self.order[self.index(number)]
            .as_ref()
            .map(|call| &call.value)
    }

    /// What is kept for the newest open call `sender` itself made with `id`.
    pub(crate) fn sent_by(&self, id: &str, sender: Sender) -> Option<&T> {
        probe(1);
        let number = self.by_id.get(id)?[slot(Some(sender))]?;
        self.order[self.index(number)]
            .as_ref()
            .map(|call| &call.value)
    }

    /// Closes the call a response with `id` from `responder` answers, giving what was kept.
    pub(crate) fn answer(&mut self, id: &str, responder: Option<Sender>) -> Option<T> {
        let number = self.find(id, responder)?;
        self.remove(number).map(|(_, value)| value)
    }

    /// Gives up on the oldest open call: its id and what was kept for it.
    pub(crate) fn pop_oldest(&mut self) -> Option<(Arc<str>, T)> {
        // Holes never stay at the front, so the front is the oldest open call.
        self.remove(self.first)
    }

    /// Every open call, oldest first, leaving none.
    pub(crate) fn drain(&mut self) -> impl Iterator<Item = (Arc<str>, T)> {
        self.by_id.clear();
        self.first += self.order.len() as u64;
        self.open = 0;
        std::mem::take(&mut self.order)
            .into_iter()
            .flatten()
            .map(|call| (call.id, call.value))
    }

    fn index(&self, number: u64) -> usize {
        // Numbers of calls kept lie within `order`, whose length fits a usize.
        (number - self.first) as usize
    }

    /// The number of the newest open call a response with `id` from `responder` answers.
    fn find(&self, id: &str, responder: Option<Sender>) -> Option<u64> {
        probe(1);
        let newest = self.by_id.get(id)?;
        callers(responder)
            .iter()
            .filter_map(|&slot| newest[slot])
            .max()
    }

    /// Takes call `number` out of the order and out of its id's links.
    fn remove(&mut self, number: u64) -> Option<(Arc<str>, T)> {
        probe(1);
        let index = self.index(number);
        let call = self.order.get_mut(index)?.take()?;
        self.open -= 1;
        if let Some(older) = call.older {
            let index = self.index(older);
            if let Some(older) = self.order[index].as_mut() {
                older.newer = call.newer;
            }
        }
        if let Some(newer) = call.newer {
            let index = self.index(newer);
            if let Some(newer) = self.order[index].as_mut() {
                newer.older = call.older;
            }
        }
        if let (Some(newest), None) = (self.by_id.get_mut(&*call.id), call.newer) {
            newest[slot(call.origin)] = call.older;
            if newest.iter().all(Option::is_none) {
                self.by_id.remove(&*call.id);
            }
        }
        while let Some(None) = self.order.front() {
            probe(1);
            self.order.pop_front();
            self.first += 1;
        }
        if self.order.len() > 2 * self.open + SLACK {
            self.squeeze();
        }
        Some((call.id, call.value))
    }

    /// Drops the holes, renumbering the calls in their order.
    fn squeeze(&mut self) {
        let calls = std::mem::take(&mut self.order);
        self.first += calls.len() as u64;
        self.open = 0;
        self.by_id.clear();
        for call in calls.into_iter().flatten() {
            self.push(call.id, call.origin, call.value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pairing as a list searched from the newest: what [`OpenCalls`] must agree with.
    #[derive(Default)]
    struct Naive(Vec<(String, Option<Sender>, u32)>);

    impl Naive {
        fn answer(&mut self, id: &str, responder: Option<Sender>) -> Option<u32> {
            let position = self.0.iter().rposition(|(open, origin, _)| {
                open == id
                    && match (*origin, responder) {
                        (Some(a), Some(b)) => a != b,
                        _ => true,
                    }
            })?;
            Some(self.0.remove(position).2)
        }
    }

    #[test]
    fn pairs_as_a_search_from_the_newest_does() {
        let origins = [None, Some(Sender::ChargingStation), Some(Sender::Csms)];
        let mut calls = OpenCalls::default();
        let mut naive = Naive::default();
        // A small linear congruential generator: the same sequence on every run.
        let mut state = 7u64;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) % bound
        };
        for value in 0..60_000u32 {
            let id = format!("{}", next(5));
            let origin = origins[next(3) as usize];
            match next(10) {
                0..=4 => {
                    calls.open(&id, origin, value);
                    naive.0.push((id, origin, value));
                }
                5..=8 => {
                    let seen = calls.get(&id, origin).copied();
                    let answered = calls.answer(&id, origin);
                    assert_eq!(seen, answered);
                    assert_eq!(answered, naive.answer(&id, origin));
                }
                _ => {
                    let oldest = (!naive.0.is_empty()).then(|| naive.0.remove(0));
                    let popped = calls.pop_oldest();
                    assert_eq!(
                        popped.map(|(id, value)| (id.to_string(), value)),
                        oldest.map(|(id, _, value)| (id, value))
                    );
                }
            }
            assert_eq!(calls.len(), naive.0.len());
        }
        let left: Vec<u32> = calls.drain().map(|(_, value)| value).collect();
        let expected: Vec<u32> = naive.0.iter().map(|c| c.2).collect();
        assert_eq!(left, expected);
    }
}
