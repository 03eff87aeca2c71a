//! One conversation as the agent sees it, on plain types: every item across tickets merged by
//! sequence number (history pages, `sync`, live events and the answers to our own posts may
//! bring the same item more than once), the replies and notes this agent has written that the
//! edge has not stored yet, and the rows the view draws (ticket boundaries, messages, internal
//! notes, status events, transfers). No browser, no clock: tested natively.

use porchlight_shared::history::History;
use porchlight_shared::protocol::{AttachmentRef, Author, Item};
use porchlight_shared::Status;

/// What the agent is writing: a reply the visitor sees, or an internal note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Sent to the visitor.
    Reply,
    /// Seen by the site's team only.
    Note,
}

/// Where one of my messages stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Written, not yet stored (or its stored copy has not reached us).
    Sending,
    /// Stored with this sequence number.
    Sent(u64),
    /// Not stored; the agent may retry it (same client id, so never twice).
    Failed,
}

/// A message this agent wrote that the thread does not hold yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Idempotency id.
    pub client_id: String,
    /// Reply or note.
    pub kind: Kind,
    /// What it says.
    pub text: String,
    /// Where it stands.
    pub state: Delivery,
}

/// One line of the rendered conversation, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// Ticket `ticket` starts here.
    TicketStart {
        /// Ticket number.
        ticket: u32,
    },
    /// A reply or an internal note.
    Message {
        /// Stable key: `s<seq>` once stored, `c<client_id>` before.
        key: String,
        /// Reply or note.
        kind: Kind,
        /// Who wrote it.
        author: Author,
        /// Written by this agent.
        mine: bool,
        /// What it says (rendered as text; empty for a message that only carries files).
        text: String,
        /// The files it carries, in order.
        attachments: Vec<AttachmentRef>,
        /// Server time, when stored.
        at: Option<i64>,
        /// Delivery state.
        delivery: Delivery,
    },
    /// A ticket changed status (creation is the [`Row::TicketStart`] itself).
    Status {
        /// Sequence number.
        seq: u64,
        /// Who changed it.
        by: Author,
        /// Previous status.
        from: Option<Status>,
        /// New status.
        to: Status,
        /// When.
        at: i64,
    },
    /// The ticket was handed to another agent or department.
    Transfer {
        /// Sequence number.
        seq: u64,
        /// Who transferred it.
        by: Author,
        /// The agent who had it.
        from_agent: Option<String>,
        /// The agent it went to.
        to_agent: Option<String>,
        /// The department (skill) it went to.
        to_skill: Option<String>,
        /// When.
        at: i64,
    },
}

impl Row {
    /// The key the view keeps a row's DOM node under; changes when the row's content does.
    pub fn key(&self) -> String {
        match self {
            Row::TicketStart { ticket } => format!("t{ticket}"),
            Row::Message { key, delivery, .. } => match delivery {
                Delivery::Sent(_) => key.clone(),
                Delivery::Sending => format!("{key}~sending"),
                Delivery::Failed => format!("{key}~failed"),
            },
            Row::Status { seq, .. } | Row::Transfer { seq, .. } => format!("s{seq}"),
        }
    }
}

/// What merging changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merged {
    /// Items new to us, oldest first (duplicates are not listed).
    pub new_items: Vec<Item>,
    /// An item arrived past a hole in the sequence: resume to fill it.
    pub gap: bool,
}

/// A conversation's items and my unsent messages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thread {
    history: History,
    pending: Vec<Pending>,
}

/// The thread reads as its stored history (sequence numbers, resume point, paging).
impl std::ops::Deref for Thread {
    type Target = History;

    fn deref(&self) -> &History {
        &self.history
    }
}

impl Thread {
    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.history.is_empty() && self.pending.is_empty()
    }

    /// Merges a history page (newest first, as the edge sends it); the page that reaches
    /// furthest back sets where the next older page starts.
    pub fn merge_page(&mut self, items: Vec<Item>, next_before: Option<u64>) -> Merged {
        let mut merged = Merged::default();
        let pending = &mut self.pending;
        self.history
            .merge_page(items, next_before, |item| note(pending, &mut merged, item));
        merged
    }

    /// Merges items, oldest first (from `sync`, live events or our own posts). An item already
    /// held is ignored; the stored copy of one of my messages replaces its pending copy.
    pub fn merge(&mut self, items: impl IntoIterator<Item = Item>) -> Merged {
        let mut merged = Merged::default();
        let pending = &mut self.pending;
        merged.gap = self
            .history
            .merge(items, |item| note(pending, &mut merged, item));
        merged
    }

    /// I wrote a reply or a note: it shows at once, marked as sending.
    pub fn queue(&mut self, client_id: String, kind: Kind, text: String) {
        self.pending.push(Pending {
            client_id,
            kind,
            text,
            state: Delivery::Sending,
        });
    }

    /// The edge refused or did not answer the message with this client id.
    pub fn fail(&mut self, client_id: &str) {
        for p in &mut self.pending {
            if p.client_id == client_id {
                p.state = Delivery::Failed;
            }
        }
    }

    /// A failed message is being sent again: returns it (to resend with the same client id).
    pub fn retry(&mut self, client_id: &str) -> Option<Pending> {
        let p = self
            .pending
            .iter_mut()
            .find(|p| p.client_id == client_id && p.state == Delivery::Failed)?;
        p.state = Delivery::Sending;
        Some(p.clone())
    }

    /// The ticket the newest item belongs to.
    pub fn last_ticket(&self) -> Option<u32> {
        self.history.items().values().next_back().map(Item::ticket)
    }

    /// The thread as rows, oldest first, then my messages not stored yet.
    pub fn rows(&self, me: &str) -> Vec<Row> {
        let mine = |a: &Author| matches!(a, Author::Agent { id } if id == me);
        let items = self.history.items();
        let mut rows = Vec::with_capacity(items.len() + self.pending.len() + 4);
        let mut ticket = None;
        for item in items.values() {
            let item_ticket = item.ticket();
            if item_ticket != 0 && Some(item_ticket) != ticket {
                rows.push(Row::TicketStart {
                    ticket: item_ticket,
                });
                ticket = Some(item_ticket);
            }
            rows.push(match item {
                Item::Message(m) | Item::Note(m) => Row::Message {
                    key: format!("s{}", m.seq),
                    kind: if matches!(item, Item::Note(_)) {
                        Kind::Note
                    } else {
                        Kind::Reply
                    },
                    mine: mine(&m.author),
                    author: m.author.clone(),
                    text: m.body.text.clone(),
                    attachments: m.body.attachments.clone(),
                    at: Some(m.at),
                    delivery: Delivery::Sent(m.seq),
                },
                Item::StatusChange(c) if c.from.is_none() => continue,
                Item::StatusChange(c) => Row::Status {
                    seq: c.seq,
                    by: c.by.clone(),
                    from: c.from,
                    to: c.to,
                    at: c.at,
                },
                Item::Transfer(t) => Row::Transfer {
                    seq: t.seq,
                    by: t.by.clone(),
                    from_agent: t.from_agent.clone(),
                    to_agent: t.to_agent.clone(),
                    to_skill: t.to_skill.clone(),
                    at: t.at,
                },
            });
        }
        for p in &self.pending {
            rows.push(Row::Message {
                key: format!("c{}", p.client_id),
                kind: p.kind,
                author: Author::Agent { id: me.to_owned() },
                mine: true,
                text: p.text.clone(),
                attachments: Vec::new(),
                at: None,
                delivery: p.state,
            });
        }
        rows
    }
}

/// An item new to the thread: the stored copy of one of my messages (or notes) replaces its
/// pending copy, and the item is listed for the caller.
fn note(pending: &mut Vec<Pending>, merged: &mut Merged, item: &Item) {
    if let Item::Message(m) | Item::Note(m) = item {
        if matches!(m.author, Author::Agent { .. }) {
            pending.retain(|p| p.client_id != m.client_id);
        }
    }
    merged.new_items.push(item.clone());
}

/// A transfer as its viewer reads it: `by` names who made it (`None`: the viewer), `to` names
/// where it went ("Alice", "the billing department"), `to_viewer` says it went to the viewer.
pub fn transfer_text(by: Option<&str>, to: &str, to_viewer: bool) -> String {
    let target = if to_viewer { "you" } else { to };
    match by {
        None => format!("You transferred this ticket to {target}"),
        Some(by) => format!("{by} transferred this ticket to {target}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use porchlight_shared::protocol::{Body, Message, StatusChange, TransferRecord};

    fn msg(seq: u64, ticket: u32, author: Author, client_id: &str, text: &str) -> Message {
        Message {
            seq,
            ticket,
            at: seq as i64 * 1000,
            author,
            author_name: None,
            client_id: client_id.into(),
            body: Body {
                text: text.into(),
                ..Default::default()
            },
        }
    }

    fn visitor(seq: u64, ticket: u32, text: &str) -> Item {
        Item::Message(msg(seq, ticket, Author::Visitor, &format!("v{seq}"), text))
    }

    fn alice() -> Author {
        Author::Agent { id: "alice".into() }
    }

    fn status(seq: u64, ticket: u32, from: Option<Status>, to: Status) -> Item {
        Item::StatusChange(StatusChange {
            seq,
            ticket,
            at: 0,
            by: Author::System,
            from,
            to,
        })
    }

    fn seqs(t: &Thread) -> Vec<u64> {
        t.history.items().keys().copied().collect()
    }

    #[test]
    fn merging_orders_by_seq_and_drops_duplicates() {
        let mut t = Thread::default();
        let m = t.merge([visitor(2, 1, "b"), visitor(1, 1, "a")]);
        assert_eq!(m.new_items.len(), 2);
        let again = t.merge([visitor(2, 1, "b"), visitor(3, 1, "c")]);
        assert_eq!(again.new_items, vec![visitor(3, 1, "c")]);
        assert!(!again.gap);
        assert_eq!(seqs(&t), [1, 2, 3]);
        assert_eq!(t.max_seq(), 3);
        assert!(t.merge([visitor(0, 1, "no seq")]).new_items.is_empty());
    }

    #[test]
    fn a_hole_is_a_gap_and_resume_starts_before_it() {
        let mut t = Thread::default();
        assert_eq!(t.resume_after(), 0);
        t.merge([visitor(1, 1, "a"), visitor(2, 1, "b")]);
        let m = t.merge([visitor(5, 1, "e")]);
        assert!(m.gap);
        assert_eq!(t.resume_after(), 2);
        t.merge([visitor(3, 1, "c"), visitor(4, 1, "d")]);
        assert_eq!(t.resume_after(), 5);
    }

    #[test]
    fn history_pages_merge_newest_first_and_move_the_cursor_back_only() {
        let mut t = Thread::default();
        t.merge_page(vec![visitor(4, 1, "d"), visitor(3, 1, "c")], Some(3));
        assert_eq!(t.older_page(), Some(3));
        // A page that does not reach further back (a refresh of the newest) leaves the cursor.
        t.merge_page(vec![visitor(5, 1, "e"), visitor(4, 1, "d")], Some(4));
        assert_eq!(t.older_page(), Some(3));
        let m = t.merge_page(vec![visitor(2, 1, "b"), visitor(1, 1, "a")], None);
        assert!(!m.gap, "paging backwards is never a gap");
        assert_eq!(t.older_page(), None);
        assert_eq!(seqs(&t), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn my_pending_message_is_replaced_by_its_stored_copy() {
        let mut t = Thread::default();
        t.merge([visitor(1, 1, "hi")]);
        t.queue("c1".into(), Kind::Reply, "hello".into());
        t.queue("c2".into(), Kind::Note, "vip customer".into());
        let rows = t.rows("alice");
        assert_eq!(rows.len(), 4, "boundary, visitor, two pending");
        assert!(matches!(
            &rows[2],
            Row::Message {
                delivery: Delivery::Sending,
                kind: Kind::Reply,
                mine: true,
                ..
            }
        ));
        t.merge([Item::Message(msg(2, 1, alice(), "c1", "hello"))]);
        t.merge([Item::Note(msg(3, 1, alice(), "c2", "vip customer"))]);
        let rows = t.rows("alice");
        assert_eq!(rows.len(), 4, "no duplicates");
        assert!(matches!(
            &rows[3],
            Row::Message {
                delivery: Delivery::Sent(3),
                kind: Kind::Note,
                mine: true,
                ..
            }
        ));
        // The visitor's client ids never clear an agent's pending message.
        t.queue("v9".into(), Kind::Reply, "x".into());
        t.merge([visitor(4, 1, "v9 is mine")]);
        assert_eq!(t.pending.len(), 1);
    }

    #[test]
    fn a_message_carries_its_attachments_to_its_row() {
        let mut t = Thread::default();
        let png = AttachmentRef {
            id: "at_1".into(),
            content_type: "image/png".into(),
            size: 70,
            name: Some("dot.png".into()),
        };
        let mut m = msg(1, 1, Author::Visitor, "v1", "");
        m.body.attachments = vec![png.clone()];
        t.merge([Item::Message(m)]);
        let rows = t.rows("alice");
        assert!(matches!(
            &rows[1],
            Row::Message { text, attachments, .. } if text.is_empty() && *attachments == [png.clone()]
        ));
    }

    #[test]
    fn failed_messages_can_be_retried_once_at_a_time() {
        let mut t = Thread::default();
        t.queue("c1".into(), Kind::Reply, "hello".into());
        assert_eq!(t.retry("c1"), None, "not failed");
        t.fail("c1");
        assert_eq!(t.rows("alice")[0].key(), "cc1~failed");
        let p = t.retry("c1");
        assert_eq!(
            p.map(|p| (p.client_id, p.text)),
            Some(("c1".into(), "hello".into()))
        );
        assert_eq!(t.rows("alice")[0].key(), "cc1~sending");
        assert_eq!(t.retry("nope"), None);
    }

    #[test]
    fn rows_show_ticket_boundaries_status_events_notes_and_transfers() {
        let mut t = Thread::default();
        t.merge([
            status(1, 1, None, Status::New),
            visitor(2, 1, "order late"),
            status(3, 1, Some(Status::New), Status::Open),
            Item::Note(msg(4, 1, alice(), "n1", "checking with the warehouse")),
            Item::Transfer(TransferRecord {
                seq: 5,
                ticket: 1,
                at: 5,
                by: alice(),
                from_agent: Some("alice".into()),
                to_agent: None,
                to_skill: Some("billing".into()),
            }),
            status(6, 1, Some(Status::Open), Status::Closed),
            status(7, 2, None, Status::New),
            visitor(8, 2, "me again"),
        ]);
        let rows = t.rows("bruno");
        let keys: Vec<String> = rows.iter().map(Row::key).collect();
        assert_eq!(keys, ["t1", "s2", "s3", "s4", "s5", "s6", "t2", "s8"]);
        assert!(matches!(
            &rows[3],
            Row::Message {
                kind: Kind::Note,
                mine: false,
                ..
            }
        ));
        assert!(matches!(
            &rows[4],
            Row::Transfer { to_skill: Some(s), .. } if s == "billing"
        ));
        assert!(matches!(
            &rows[5],
            Row::Status {
                from: Some(Status::Open),
                to: Status::Closed,
                ..
            }
        ));
        assert_eq!(t.last_ticket(), Some(2));
        assert!(!t.is_empty());
    }
}

#[cfg(test)]
mod transfer_text_tests {
    use super::transfer_text;

    #[test]
    fn transfers_read_from_the_viewers_side() {
        assert_eq!(
            transfer_text(None, "Alice", false),
            "You transferred this ticket to Alice"
        );
        assert_eq!(
            transfer_text(Some("Ada Admin"), "Alice", true),
            "Ada Admin transferred this ticket to you"
        );
        assert_eq!(
            transfer_text(Some("Ada Admin"), "Alice", false),
            "Ada Admin transferred this ticket to Alice"
        );
    }
}
