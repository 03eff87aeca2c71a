//! The widget's behaviour on plain types: the thread (history merged by sequence number, messages
//! waiting for the edge, unread count) and the reconnect policy. No browser, no clock, no
//! randomness: the caller passes them in, so all of it is tested natively.

use porchlight_shared::history::History;
use porchlight_shared::protocol::{AttachmentRef, Author, Choice, Item, ReplyTo};
use porchlight_shared::Status;

/// A message the visitor wrote that the edge has not stored yet (or whose stored copy has not
/// reached us yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Idempotency id; resending with it never stores twice.
    pub client_id: String,
    /// What the visitor wrote.
    pub text: String,
    /// The quick reply it answers, if it is an answer.
    pub reply_to: Option<ReplyTo>,
    /// Files it carries (uploaded already).
    pub attachments: Vec<AttachmentRef>,
    /// Where it stands.
    pub state: Delivery,
}

/// Where one of the visitor's messages stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Written, not yet acknowledged (queued while offline, or on the wire).
    Sending,
    /// Stored by the edge with this sequence number.
    Sent(u64),
    /// Refused by the edge (too long, ...); it will not be retried.
    Failed,
}

/// One line of the rendered thread, oldest first. Carries only what the view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A new ticket starts here ("conversation #n").
    TicketStart {
        /// Ticket number.
        ticket: u32,
    },
    /// A message.
    Message {
        /// Stable key for the view: `s<seq>` once stored, `c<client_id>` before.
        key: String,
        /// Written by the visitor (drawn on the right).
        mine: bool,
        /// Who wrote it.
        author: Author,
        /// The agent's display name, if the edge recorded one.
        author_name: Option<String>,
        /// When the edge stored it (ms since the epoch); `None` while on its way.
        at: Option<i64>,
        /// What it says (rendered as text).
        text: String,
        /// Delivery state of the visitor's own messages.
        delivery: Delivery,
        /// Quick replies the message offers.
        choices: Vec<Choice>,
        /// Whether the visitor has answered them (stored or on its way).
        answered: bool,
        /// Files the message carries.
        attachments: Vec<AttachmentRef>,
    },
    /// A ticket changed status.
    Status {
        /// Its sequence number (the key).
        seq: u64,
        /// The new status.
        to: Status,
    },
}

impl Row {
    /// The key the view uses to keep the row's DOM node across updates.
    pub fn key(&self) -> String {
        match self {
            Row::TicketStart { ticket } => format!("t{ticket}"),
            Row::Message { key, .. } => key.clone(),
            Row::Status { seq, .. } => format!("s{seq}"),
        }
    }
}

/// What merging items changed, for the caller to act on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merged {
    /// Messages that were new to us, oldest first (duplicates are not listed): sequence number,
    /// author and text, what the loader's `message` event carries.
    pub new_messages: Vec<(u64, Author, String)>,
    /// An item arrived past a hole in the sequence: ask the edge to resume.
    pub gap: bool,
}

/// The visitor's conversation as the widget knows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thread {
    /// Stored items by sequence number (a second copy of an item is ignored), and paging.
    history: History,
    /// The visitor's messages not yet seen stored, in the order written.
    pending: Vec<Pending>,
    /// Highest sequence number the visitor has seen (panel open).
    last_read: u64,
}

/// The thread reads as its stored history (sequence numbers, resume point, paging).
impl std::ops::Deref for Thread {
    type Target = History;

    fn deref(&self) -> &History {
        &self.history
    }
}

impl Thread {
    /// An empty thread; `last_read` comes from the frame's storage.
    pub fn new(last_read: u64) -> Self {
        Thread {
            last_read,
            ..Thread::default()
        }
    }

    /// Whether nothing is stored and nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.history.is_empty() && self.pending.is_empty()
    }

    /// Sequence number of the newest message from the site's side (0 if none).
    pub fn newest_theirs(&self) -> u64 {
        self.history
            .items()
            .iter()
            .rev()
            .find(|(_, item)| matches!(item, Item::Message(m) if m.author != Author::Visitor))
            .map_or(0, |(seq, _)| *seq)
    }

    /// Whether an agent has written in the newest ticket: someone is there for the visitor,
    /// whoever is online now.
    pub fn agent_replied(&self) -> bool {
        let items = self.history.items();
        let Some(newest) = items.values().map(Item::ticket).max() else {
            return false;
        };
        items.values().rev().any(|item| {
            matches!(item, Item::Message(m)
                if m.ticket == newest && matches!(m.author, Author::Agent { .. }))
        })
    }

    /// Merges a history page (newest first, as the edge sends it) and remembers where the next
    /// older page starts.
    pub fn merge_page(&mut self, items: Vec<Item>, next_before: Option<u64>) -> Merged {
        let mut merged = Merged::default();
        let pending = &mut self.pending;
        self.history
            .merge_page(items, next_before, |item| note(pending, &mut merged, item));
        merged
    }

    /// Merges items (oldest first) from a `sync` or live events. Items already held are ignored;
    /// a stored copy of a pending message replaces it.
    pub fn merge(&mut self, items: impl IntoIterator<Item = Item>) -> Merged {
        let mut merged = Merged::default();
        let pending = &mut self.pending;
        merged.gap = self
            .history
            .merge(items, |item| note(pending, &mut merged, item));
        merged
    }

    /// The newest ticket, if its last status change closed it and the visitor has written nothing
    /// since: the panel offers "start a new conversation" instead of the composer. (Whether a
    /// solved ticket closes at once or stays open for a while is the site's conversation style;
    /// the edge decides, the widget follows the status.)
    pub fn closed_ticket(&self) -> Option<u32> {
        if !self.pending.is_empty() {
            return None;
        }
        let items = self.history.items();
        let newest = items.values().map(Item::ticket).max()?;
        let last = items.values().rev().find_map(|item| match item {
            Item::StatusChange(c) if c.ticket == newest => Some(c.to),
            _ => None,
        })?;
        (last == Status::Closed).then_some(newest)
    }

    /// The visitor wrote a message: it shows at once and waits for the edge.
    pub fn queue(&mut self, client_id: String, text: String) {
        self.queue_reply(client_id, text, None);
    }

    /// The visitor wrote a message, or (with `reply_to`) picked a quick reply.
    pub fn queue_reply(&mut self, client_id: String, text: String, reply_to: Option<ReplyTo>) {
        self.queue_files(client_id, text, reply_to, Vec::new());
    }

    /// The visitor sent a message that carries uploaded files (or answers a quick reply).
    pub fn queue_files(
        &mut self,
        client_id: String,
        text: String,
        reply_to: Option<ReplyTo>,
        attachments: Vec<AttachmentRef>,
    ) {
        self.pending.push(Pending {
            client_id,
            text,
            reply_to,
            attachments,
            state: Delivery::Sending,
        });
    }

    /// Whether the visitor has answered the quick replies of message `seq` (a failed answer
    /// does not count: they may pick again).
    pub fn answered(&self, seq: u64) -> bool {
        let stored = self.history.items().values().any(|item| {
            matches!(item, Item::Message(m)
                if m.author == Author::Visitor
                    && m.body.reply_to.as_ref().is_some_and(|r| r.seq == seq))
        });
        stored
            || self.pending.iter().any(|p| {
                p.state != Delivery::Failed && p.reply_to.as_ref().is_some_and(|r| r.seq == seq)
            })
    }

    /// The edge stored the message with this client id.
    pub fn ack(&mut self, client_id: &str, seq: u64) {
        let stored = self.history.contains(seq);
        self.pending.retain_mut(|p| {
            if p.client_id != client_id {
                return true;
            }
            p.state = Delivery::Sent(seq);
            !stored
        });
    }

    /// The edge refused the message with this client id; it is not sent again.
    pub fn fail(&mut self, client_id: &str) {
        for p in &mut self.pending {
            if p.client_id == client_id {
                p.state = Delivery::Failed;
            }
        }
    }

    /// Messages to (re)send on a fresh connection: written but not acknowledged.
    pub fn unsent(&self) -> Vec<Pending> {
        self.pending
            .iter()
            .filter(|p| p.state == Delivery::Sending)
            .cloned()
            .collect()
    }

    /// Messages from the site's side that the visitor has not seen.
    pub fn unread(&self) -> u32 {
        let count = self
            .history
            .items()
            .range(self.last_read + 1..)
            .filter(|(_, item)| matches!(item, Item::Message(m) if m.author != Author::Visitor))
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// The visitor sees everything held. Returns the new `last_read` if it moved (to store).
    pub fn mark_read(&mut self) -> Option<u64> {
        let max = self.max_seq();
        (max > self.last_read).then(|| {
            self.last_read = max;
            max
        })
    }

    /// The thread as rows, oldest first: ticket boundaries, messages, status changes, then the
    /// messages still waiting for the edge.
    pub fn rows(&self) -> Vec<Row> {
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
            match item {
                Item::Message(m) => rows.push(Row::Message {
                    key: format!("s{}", m.seq),
                    mine: m.author == Author::Visitor,
                    author: m.author.clone(),
                    author_name: m.author_name.clone(),
                    at: Some(m.at),
                    text: m.body.text.clone(),
                    delivery: Delivery::Sent(m.seq),
                    answered: !m.body.choices.is_empty() && self.answered(m.seq),
                    choices: m.body.choices.clone(),
                    attachments: m.body.attachments.clone(),
                }),
                // Ticket creation is already the boundary line.
                Item::StatusChange(c) if c.from.is_none() => {}
                Item::StatusChange(c) => rows.push(Row::Status {
                    seq: c.seq,
                    to: c.to,
                }),
                // Notes never reach a visitor; transfers are agent bookkeeping.
                Item::Note(_) | Item::Transfer(_) => {}
            }
        }
        for p in &self.pending {
            if matches!(p.state, Delivery::Sent(seq) if items.contains_key(&seq)) {
                continue;
            }
            rows.push(Row::Message {
                key: format!("c{}", p.client_id),
                mine: true,
                author: Author::Visitor,
                author_name: None,
                at: None,
                text: p.text.clone(),
                delivery: p.state,
                choices: Vec::new(),
                answered: false,
                attachments: p.attachments.clone(),
            });
        }
        rows
    }
}

/// How long a "typing" signal lasts without another keystroke before another is sent: the
/// other side shows "typing…" for a little longer than this after each.
pub const TYPING_IDLE_MS: f64 = 4_000.0;

/// When the visitor's typing is worth telling the agent: at the first keystroke, again when the
/// last "typing" is older than [`TYPING_IDLE_MS`], and "stopped" once a message is sent. The
/// clock is passed in.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct TypingSignal {
    /// When the last "typing" was sent, if it still holds.
    since: Option<f64>,
}

impl TypingSignal {
    /// A key was pressed at `now` (ms): whether to send "typing".
    pub fn keystroke(&mut self, now: f64) -> bool {
        if self.since.is_some_and(|t| now - t <= TYPING_IDLE_MS) {
            return false;
        }
        self.since = Some(now);
        true
    }

    /// A message was sent: whether to send "stopped" (only after a "typing").
    pub fn sent(&mut self) -> bool {
        self.since.take().is_some()
    }
}

/// A person's initials for their avatar: the first letter of the first and of the last word
/// ("Ada Admin" → "AA", "Alice" → "A", "李雷" → "李"), upper case.
pub fn initials(name: &str) -> String {
    let mut words = name.split_whitespace();
    let first = words.next().and_then(|w| w.chars().next());
    let last = words.last().and_then(|w| w.chars().next());
    first
        .into_iter()
        .chain(last)
        .flat_map(char::to_uppercase)
        .collect()
}

/// An item new to the thread: a stored copy of one of the visitor's pending messages replaces
/// it, and a message is listed for the loader's `message` event.
fn note(pending: &mut Vec<Pending>, merged: &mut Merged, item: &Item) {
    if let Item::Message(m) = item {
        if m.author == Author::Visitor {
            pending.retain(|p| p.client_id != m.client_id);
        }
        merged
            .new_messages
            .push((m.seq, m.author.clone(), m.body.text.clone()));
    }
}

/// Reconnect delays for the visitor's socket, up to 30 s.
pub type Backoff = porchlight_shared::backoff::Backoff<30_000>;

/// The socket as the visitor sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// No conversation yet: nothing to connect to until the visitor writes.
    Idle,
    /// Opening (first time).
    Connecting,
    /// Connected and in sync.
    Live,
    /// Dropped; trying again (shown as "reconnecting").
    Reconnecting,
}

#[cfg(test)]
mod typing_tests {
    use super::*;

    #[test]
    fn typing_is_said_once_per_idle_window_and_stopped_once_sent() {
        let mut t = TypingSignal::default();
        assert!(!t.sent(), "nothing to stop before any typing");
        assert!(t.keystroke(1_000.0), "the first keystroke");
        assert!(!t.keystroke(2_000.0));
        assert!(
            !t.keystroke(1_000.0 + TYPING_IDLE_MS),
            "still within the window"
        );
        assert!(
            t.keystroke(1_001.0 + TYPING_IDLE_MS),
            "the window ran out: said again"
        );
        assert!(t.sent());
        assert!(!t.sent(), "stopped once");
        assert!(t.keystroke(6_000.0), "typing again after a send");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use porchlight_shared::protocol::{Body, Message, StatusChange};

    fn msg(seq: u64, ticket: u32, author: Author, client_id: &str, text: &str) -> Item {
        Item::Message(Message {
            seq,
            ticket,
            at: 1_000 + seq as i64,
            author,
            author_name: None,
            client_id: client_id.into(),
            body: Body {
                text: text.into(),
                ..Default::default()
            },
        })
    }

    fn agent(seq: u64, text: &str) -> Item {
        msg(
            seq,
            1,
            Author::Agent { id: "alice".into() },
            &format!("a{seq}"),
            text,
        )
    }

    fn visitor(seq: u64, client_id: &str) -> Item {
        msg(seq, 1, Author::Visitor, client_id, "hi")
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

    fn seqs(t: &Thread) -> Vec<String> {
        t.rows().iter().map(Row::key).collect()
    }

    #[test]
    fn a_closed_ticket_is_noticed_until_the_visitor_writes_again() {
        let mut t = Thread::default();
        assert_eq!(t.closed_ticket(), None);
        t.merge([status(1, 1, None, Status::New), visitor(2, "v1")]);
        assert_eq!(t.closed_ticket(), None);
        t.merge([status(3, 1, Some(Status::New), Status::Solved)]);
        assert_eq!(t.closed_ticket(), None, "solved may still reopen");
        t.merge([status(4, 1, Some(Status::Solved), Status::Closed)]);
        assert_eq!(t.closed_ticket(), Some(1));
        // Writing starts the next ticket: nothing to offer while it is on its way, or after.
        t.queue("v2".into(), "again".into());
        assert_eq!(t.closed_ticket(), None);
        t.merge([
            status(5, 2, None, Status::New),
            msg(6, 2, Author::Visitor, "v2", "again"),
        ]);
        assert_eq!(t.closed_ticket(), None);
        t.merge([status(7, 2, Some(Status::New), Status::Closed)]);
        assert_eq!(t.closed_ticket(), Some(2));
    }

    #[test]
    fn initials_are_the_first_and_last_words_first_letters() {
        assert_eq!(initials("Ada Admin"), "AA");
        assert_eq!(initials("Alice"), "A");
        assert_eq!(initials("  joana  da silva "), "JS");
        assert_eq!(initials("李雷"), "李");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn an_agents_reply_in_the_newest_ticket_counts() {
        let mut t = Thread::default();
        assert!(!t.agent_replied());
        t.merge([status(1, 1, None, Status::New), visitor(2, "v1")]);
        assert!(!t.agent_replied());
        t.merge([agent(3, "hello")]);
        assert!(t.agent_replied());
        // A new ticket: nobody has answered it yet.
        t.merge([
            status(4, 1, Some(Status::Open), Status::Closed),
            status(5, 2, None, Status::New),
            msg(6, 2, Author::Visitor, "v2", "again"),
        ]);
        assert!(!t.agent_replied());
    }

    #[test]
    fn merges_by_sequence_whatever_the_arrival_order() {
        let mut t = Thread::default();
        t.merge([agent(3, "c"), agent(1, "a")]);
        t.merge([agent(2, "b")]);
        assert_eq!(seqs(&t), ["t1", "s1", "s2", "s3"]);
        assert_eq!(t.max_seq(), 3);
    }

    #[test]
    fn duplicates_by_sequence_are_ignored() {
        let mut t = Thread::default();
        let first = t.merge([agent(1, "a"), agent(2, "b")]);
        assert_eq!(first.new_messages.len(), 2);
        // A resume after a drop sends 2 again, a live event repeats 1.
        let again = t.merge([agent(1, "a"), agent(2, "b"), agent(3, "c")]);
        assert_eq!(
            again.new_messages,
            vec![(3, Author::Agent { id: "alice".into() }, "c".into())]
        );
        assert_eq!(seqs(&t), ["t1", "s1", "s2", "s3"]);
    }

    #[test]
    fn a_hole_in_the_sequence_is_reported_and_resume_starts_before_it() {
        let mut t = Thread::default();
        assert_eq!(t.resume_after(), 0);
        assert!(!t.merge([agent(4, "a"), agent(5, "b")]).gap);
        assert_eq!(t.resume_after(), 5);
        let m = t.merge([agent(7, "d")]);
        assert!(m.gap);
        assert_eq!(t.resume_after(), 5);
        t.merge([agent(6, "c")]);
        assert_eq!(t.resume_after(), 7);
    }

    #[test]
    fn a_pending_message_is_replaced_by_its_stored_copy() {
        let mut t = Thread::default();
        t.queue("c1".into(), "hi".into());
        assert_eq!(seqs(&t), ["cc1"]);
        assert_eq!(t.unsent().len(), 1);
        // The broadcast copy arrives before the ack.
        t.merge([visitor(1, "c1")]);
        assert_eq!(seqs(&t), ["t1", "s1"]);
        t.ack("c1", 1);
        assert_eq!(seqs(&t), ["t1", "s1"]);
        assert!(t.unsent().is_empty());
    }

    #[test]
    fn an_ack_before_the_stored_copy_shows_once_and_is_not_resent() {
        let mut t = Thread::default();
        t.queue("c1".into(), "hi".into());
        t.ack("c1", 1);
        assert!(t.unsent().is_empty());
        let rows = t.rows();
        assert!(matches!(
            &rows[..],
            [Row::Message {
                delivery: Delivery::Sent(1),
                mine: true,
                ..
            }]
        ));
        t.merge([visitor(1, "c1")]);
        assert_eq!(seqs(&t), ["t1", "s1"]);
    }

    #[test]
    fn unacknowledged_messages_are_resent_in_order_and_failures_are_not() {
        let mut t = Thread::default();
        t.queue("c1".into(), "one".into());
        t.queue("c2".into(), "two".into());
        t.queue("c3".into(), "three".into());
        t.fail("c2");
        let unsent: Vec<String> = t.unsent().into_iter().map(|p| p.client_id).collect();
        assert_eq!(unsent, ["c1", "c3"]);
        assert!(t.rows().iter().any(|r| matches!(
            r,
            Row::Message {
                delivery: Delivery::Failed,
                ..
            }
        )));
    }

    #[test]
    fn a_quick_reply_answers_its_offer_once_queued_unless_it_fails() {
        let mut t = Thread::default();
        let mut offer = agent(3, "Which?");
        if let Item::Message(m) = &mut offer {
            m.body.choices = vec![Choice {
                id: "tech".into(),
                label: "Tech".into(),
            }];
        }
        t.merge([offer]);
        let answered = |t: &Thread| {
            t.rows().iter().any(
                |r| matches!(r, Row::Message { answered: true, choices, .. } if choices.len() == 1),
            )
        };
        assert!(!answered(&t));
        let reply = ReplyTo {
            seq: 3,
            choice_id: "tech".into(),
        };
        t.queue_reply("c1".into(), "Tech".into(), Some(reply.clone()));
        assert!(answered(&t));
        assert_eq!(t.unsent()[0].reply_to, Some(reply));
        t.fail("c1");
        assert!(!answered(&t), "a refused answer may be picked again");
    }

    #[test]
    fn unread_counts_only_the_other_sides_messages_after_last_read() {
        let mut t = Thread::new(1);
        t.merge([
            visitor(1, "c1"),
            status(2, 1, Some(Status::New), Status::Open),
            agent(3, "hello"),
            visitor(4, "c2"),
            agent(5, "anything else?"),
        ]);
        assert_eq!(t.unread(), 2);
        assert_eq!(t.newest_theirs(), 5);
        assert_eq!(t.mark_read(), Some(5));
        assert_eq!(t.unread(), 0);
        assert_eq!(t.mark_read(), None, "nothing new: nothing to store");
        t.merge([agent(6, "bye")]);
        assert_eq!(t.unread(), 1);
    }

    #[test]
    fn rows_show_ticket_boundaries_and_status_changes() {
        let mut t = Thread::default();
        t.merge([
            status(1, 1, None, Status::New),
            visitor(2, "c1"),
            status(3, 1, Some(Status::New), Status::Open),
            status(4, 1, Some(Status::Open), Status::Closed),
            status(5, 2, None, Status::New),
            msg(6, 2, Author::Visitor, "c2", "again"),
        ]);
        assert_eq!(seqs(&t), ["t1", "s2", "s3", "s4", "t2", "s6"]);
        assert!(matches!(
            t.rows()[3],
            Row::Status {
                to: Status::Closed,
                ..
            }
        ));
    }

    #[test]
    fn history_pages_move_the_paging_cursor_backwards_only() {
        let mut t = Thread::default();
        // Newest page first, newest item first, as the edge sends it.
        t.merge_page(vec![agent(6, "f"), agent(5, "e"), agent(4, "d")], Some(4));
        assert_eq!(t.older_page(), Some(4));
        assert_eq!(t.resume_after(), 6);
        // A live event does not touch the cursor.
        t.merge([agent(7, "g")]);
        assert_eq!(t.older_page(), Some(4));
        t.merge_page(vec![agent(3, "c"), agent(2, "b"), agent(1, "a")], None);
        assert_eq!(t.older_page(), None);
        assert_eq!(seqs(&t), ["t1", "s1", "s2", "s3", "s4", "s5", "s6", "s7"]);
        // Reloading the newest page again changes nothing.
        let m = t.merge_page(vec![agent(7, "g"), agent(6, "f")], Some(6));
        assert!(m.new_messages.is_empty());
        assert_eq!(t.older_page(), None);
    }
}
