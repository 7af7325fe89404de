//! The message ids each side of a connection used last for a CALL or SEND, so that one used
//! again can be told (OCPP 2.1 Part 4 §4.1.4). At most [`IDS_KEPT`] ids are kept, both
//! sides together; one more puts out the id used longest ago.

use std::collections::VecDeque;
use std::sync::Arc;

use ocpp_model::Sender;

/// How many message ids of CALLs and SENDs a connection keeps, both sides together.
pub(crate) const IDS_KEPT: usize = 1024;

/// The ids used last, per side, oldest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct UsedIds {
    /// Every id kept, with the side that used it, oldest first.
    order: VecDeque<(Sender, Arc<str>)>,
    /// The ids kept for the charging station and for the CSMS.
    by_side: [foldhash::HashSet<Arc<str>>; 2],
}

fn side(sender: Sender) -> usize {
    match sender {
        Sender::ChargingStation => 0,
        Sender::Csms => 1,
    }
}

impl UsedIds {
    /// Whether `sender` used `id` among the ids kept.
    pub(crate) fn contains(&self, sender: Sender, id: &str) -> bool {
        self.by_side[side(sender)].contains(id)
    }

    /// Keeps that `sender` used `id`, putting out the id used longest ago beyond
    /// [`IDS_KEPT`]. An id kept already stays where it is.
    pub(crate) fn insert(&mut self, sender: Sender, id: &str) {
        let set = &mut self.by_side[side(sender)];
        if set.contains(id) {
            return;
        }
        let id: Arc<str> = Arc::from(id);
        set.insert(Arc::clone(&id));
        self.order.push_back((sender, id));
        if self.order.len() > IDS_KEPT {
            if let Some((sender, oldest)) = self.order.pop_front() {
                self.by_side[side(sender)].remove(&oldest);
            }
        }
    }

    /// Whether no id is kept.
    pub(crate) fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Whether the room kept is for at most `small` ids.
    pub(crate) fn holds_little(&self, small: usize) -> bool {
        self.order.capacity() <= small && self.by_side.iter().all(|set| set.capacity() <= small)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_ids_used_last_per_side() {
        let mut used = UsedIds::default();
        used.insert(Sender::ChargingStation, "a");
        assert!(used.contains(Sender::ChargingStation, "a"));
        assert!(
            !used.contains(Sender::Csms, "a"),
            "the other side's ids are its own"
        );
        for i in 0..IDS_KEPT {
            used.insert(Sender::Csms, &i.to_string());
        }
        assert!(!used.contains(Sender::ChargingStation, "a"), "put out");
        assert!(used.contains(Sender::Csms, "0"));
        used.insert(Sender::Csms, "0");
        assert_eq!(
            used.order.len(),
            IDS_KEPT,
            "an id kept already is not kept twice"
        );
        used.insert(Sender::Csms, "new");
        assert!(!used.contains(Sender::Csms, "0"));
        assert_eq!(used.order.len(), IDS_KEPT);
        assert_eq!(
            used.by_side.iter().map(|set| set.len()).sum::<usize>(),
            IDS_KEPT
        );
    }
}
