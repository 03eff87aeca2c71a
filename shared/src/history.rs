//! A client's copy of a conversation's history: the items it holds, keyed by sequence number, and
//! where the next older page starts. The widget and the console both keep one (each with its own
//! unsent messages around it): what arrives twice is held once, holes in the sequence are noticed
//! so that the client resumes, and history pages fill in from the newest backwards.

use std::collections::BTreeMap;

use crate::protocol::Item;

/// The items a client holds of one conversation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    items: BTreeMap<u64, Item>,
    /// `before` for the next older history page; `None` when the oldest is held or unknown.
    older: Option<u64>,
}

impl History {
    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items held, by sequence number.
    pub fn items(&self) -> &BTreeMap<u64, Item> {
        &self.items
    }

    /// Whether item `seq` is held.
    pub fn contains(&self, seq: u64) -> bool {
        self.items.contains_key(&seq)
    }

    /// Highest sequence number held (0 when nothing is).
    pub fn max_seq(&self) -> u64 {
        self.items.keys().next_back().copied().unwrap_or(0)
    }

    /// Where to resume: the end of the run without holes that starts at the oldest item held (0
    /// when nothing is). Everything after it is asked for again; what is held already is
    /// deduplicated.
    pub fn resume_after(&self) -> u64 {
        let mut keys = self.items.keys().copied();
        let Some(mut high) = keys.next() else {
            return 0;
        };
        for k in keys {
            if k != high + 1 {
                break;
            }
            high = k;
        }
        high
    }

    /// `before` for the next older history page, if there is one.
    pub fn older_page(&self) -> Option<u64> {
        self.older
    }

    /// Merges items, oldest first (from a `sync`, live events or the client's own posts). An item
    /// already held, or without a sequence number, is ignored; `new` sees each one that is not,
    /// before it is stored. Returns whether an item arrived past a hole in the sequence (the
    /// client should resume).
    pub fn merge(
        &mut self,
        items: impl IntoIterator<Item = Item>,
        mut new: impl FnMut(&Item),
    ) -> bool {
        let mut gap = false;
        for item in items {
            let seq = item.seq();
            if seq == 0 || self.items.contains_key(&seq) {
                continue;
            }
            if !self.items.is_empty() && seq > self.max_seq() + 1 {
                gap = true;
            }
            new(&item);
            self.items.insert(seq, item);
        }
        gap
    }

    /// Merges a history page (newest first, as the edge sends it). Only the page that reaches
    /// further back than what is held moves the cursor of the next older page; a page never
    /// counts as a hole.
    pub fn merge_page(
        &mut self,
        mut items: Vec<Item>,
        next_before: Option<u64>,
        new: impl FnMut(&Item),
    ) {
        let oldest_before = self.items.keys().next().copied();
        items.reverse();
        self.merge(items, new);
        let reaches_back = match (oldest_before, self.items.keys().next()) {
            (None, _) => true,
            (Some(before), Some(now)) => *now < before,
            (Some(_), None) => false,
        };
        if reaches_back {
            self.older = next_before;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{Author, Body, Message};

    fn msg(seq: u64) -> Item {
        Item::Message(Message {
            seq,
            ticket: 1,
            at: 0,
            author: Author::Visitor,
            author_name: None,
            client_id: format!("c{seq}"),
            body: Body::default(),
        })
    }

    fn seqs(h: &History) -> Vec<u64> {
        h.items().keys().copied().collect()
    }

    #[test]
    fn merges_by_sequence_once_whatever_the_order() {
        let mut h = History::default();
        let mut seen = Vec::new();
        assert!(!h.merge([msg(3), msg(1)], |i| seen.push(i.seq())));
        assert!(!h.merge([msg(2), msg(3), msg(1)], |i| seen.push(i.seq())));
        assert_eq!(seqs(&h), [1, 2, 3]);
        assert_eq!(seen, [3, 1, 2], "each item is new once");
        assert_eq!(h.max_seq(), 3);
    }

    #[test]
    fn a_hole_is_reported_and_resume_starts_before_it() {
        let mut h = History::default();
        assert_eq!(h.resume_after(), 0);
        h.merge([msg(1), msg(2)], |_| {});
        assert!(h.merge([msg(5)], |_| {}), "3 and 4 are missing");
        assert_eq!(h.resume_after(), 2);
        assert!(!h.merge([msg(3), msg(4)], |_| {}));
        assert_eq!(h.resume_after(), 5);
    }

    #[test]
    fn pages_fill_backwards_and_only_the_oldest_moves_the_cursor() {
        let mut h = History::default();
        h.merge_page(vec![msg(9), msg(8), msg(7)], Some(7), |_| {});
        assert_eq!(h.older_page(), Some(7));
        // A live item, and the newest page again, leave the cursor alone.
        h.merge([msg(10)], |_| {});
        h.merge_page(vec![msg(10), msg(9)], Some(9), |_| {});
        assert_eq!(h.older_page(), Some(7));
        h.merge_page(vec![msg(6), msg(5)], None, |_| {});
        assert_eq!(h.older_page(), None);
        assert_eq!(seqs(&h), [5, 6, 7, 8, 9, 10]);
    }
}
