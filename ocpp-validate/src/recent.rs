//! The charge points heard from most recently, at most a given number of them, each with a
//! value: seeing one makes it the most recent in O(1), and a new one beyond the limit puts
//! out the one heard from longest ago (least recently used).

/// Keys by how recently they were seen, at most `limit`, each with a `V`.
#[derive(Debug)]
pub(crate) struct Recent<V> {
    limit: usize,
    /// Where each key's node is.
    index: foldhash::HashMap<String, usize>,
    /// The nodes, linked from the most recent to the least.
    nodes: Vec<Node<V>>,
    /// The most and the least recently seen node.
    newest: Option<usize>,
    oldest: Option<usize>,
}

#[derive(Debug)]
struct Node<V> {
    key: String,
    value: V,
    /// The node seen next after this one, and the one seen next before.
    newer: Option<usize>,
    older: Option<usize>,
}

impl<V> Recent<V> {
    /// An empty list that keeps at most `limit` keys (at least one).
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            limit: limit.max(1),
            index: foldhash::HashMap::default(),
            nodes: Vec::new(),
            newest: None,
            oldest: None,
        }
    }

    /// How many keys are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Sees `key`, making it the most recent: its value, `new()` for a key not kept yet;
    /// and, when that put the least recent key out, that key and its value.
    pub(crate) fn see(&mut self, key: &str, new: impl FnOnce() -> V) -> (&V, Option<(String, V)>) {
        if let Some(&at) = self.index.get(key) {
            self.unlink(at);
            self.link_newest(at);
            return (&self.nodes[at].value, None);
        }
        let node = Node {
            key: key.to_owned(),
            value: new(),
            newer: None,
            older: None,
        };
        let (at, evicted) = match self.oldest {
            Some(oldest) if self.nodes.len() >= self.limit => {
                self.unlink(oldest);
                let old = std::mem::replace(&mut self.nodes[oldest], node);
                self.index.remove(&old.key);
                (oldest, Some((old.key, old.value)))
            }
            _ => {
                self.nodes.push(node);
                (self.nodes.len() - 1, None)
            }
        };
        self.index.insert(key.to_owned(), at);
        self.link_newest(at);
        (&self.nodes[at].value, evicted)
    }

    fn unlink(&mut self, at: usize) {
        let (newer, older) = (self.nodes[at].newer.take(), self.nodes[at].older.take());
        match newer {
            Some(newer) => self.nodes[newer].older = older,
            None => self.newest = older,
        }
        match older {
            Some(older) => self.nodes[older].newer = newer,
            None => self.oldest = newer,
        }
    }

    fn link_newest(&mut self, at: usize) {
        self.nodes[at].older = self.newest;
        match self.newest {
            Some(newest) => self.nodes[newest].newer = Some(at),
            None => self.oldest = Some(at),
        }
        self.newest = Some(at);
    }
}

#[cfg(test)]
mod tests {
    use super::Recent;

    #[test]
    fn the_key_seen_longest_ago_goes_first() {
        let mut recent = Recent::new(3);
        for key in ["a", "b", "c"] {
            assert_eq!(recent.see(key, || key.len()).1, None);
        }
        // "a" is seen again, so "b" is now the least recent.
        assert_eq!(recent.see("a", || 0).0, &1);
        assert_eq!(recent.see("dd", || 2).1, Some(("b".to_owned(), 1)));
        assert_eq!(recent.see("eee", || 3).1, Some(("c".to_owned(), 1)));
        assert_eq!(recent.see("f", || 1).1, Some(("a".to_owned(), 1)));
        assert_eq!(recent.len(), 3);
        assert_eq!(recent.see("dd", || 9).0, &2, "kept with its value");
    }
}
