//! One ticket's record, computed from the conversation's items.
//!
//! Times are the server's (ms since the epoch). The durations follow what operators of Zendesk
//! and Chatwoot read them as:
//! - **first response**: from the ticket's creation to the first message an agent wrote in it;
//!   a bot's message and an internal note are not a response;
//! - **resolution**: from creation to the last time the ticket became Solved (a reopened ticket
//!   has none until it is solved again); a ticket closed without being solved (finished from the
//!   console) is resolved when it closed;
//! - **active**: the time spent New or Open, the team's clock: Pending and On-hold (waiting on
//!   the customer or a third party) and the Solved window are pauses;
//! - **duration**: from creation to Closed, or to `now` while the ticket is live.

use crate::lifecycle::{Millis, Status};
use crate::protocol::{Author, Item};
use crate::records::row::RecordRow;

/// What the record index keeps of one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TicketFacts {
    /// Ticket number within the conversation.
    pub ticket: u32,
    /// Its status after the last recorded change.
    pub status: Option<Status>,
    /// When it was created (its first status change, to New).
    pub created_at: Millis,
    /// When an agent first wrote in it.
    pub first_response_at: Option<Millis>,
    /// The last time it became Solved, unless it was reopened since.
    pub solved_at: Option<Millis>,
    /// When it was closed.
    pub closed_at: Option<Millis>,
    /// The agent it is assigned to (or was, when it closed).
    pub assignee: Option<String>,
    /// Every agent who wrote a message in it, in the order of their first message.
    pub agents: Vec<String>,
    /// Messages by the visitor.
    pub visitor_messages: u32,
    /// Messages by agents (notes are not messages).
    pub agent_messages: u32,
    /// Messages by bot flows.
    pub bot_messages: u32,
    /// Files carried by its messages.
    pub files: u32,
    /// Times it was handed to another agent or department.
    pub transfers: u32,
    /// Times it went from Solved back to Open.
    pub reopenings: u32,
    /// Time spent New or Open, in ms (up to the last status change until [`TicketFacts::as_of`]
    /// adds the running clock).
    pub active_ms: Millis,
    /// When the status last changed.
    pub status_since: Millis,
}

impl TicketFacts {
    /// Writes what it knows into the index row of the ticket (identity, channel and ratings are
    /// the caller's).
    pub fn fill(&self, row: &mut RecordRow) {
        row.ticket = self.ticket;
        row.status = self.status;
        row.created_at = self.created_at;
        row.first_response_at = self.first_response_at;
        row.solved_at = self.solved_at;
        row.closed_at = self.closed_at;
        row.assignee = self.assignee.clone();
        row.visitor_messages = self.visitor_messages;
        row.agent_messages = self.agent_messages;
        row.bot_messages = self.bot_messages;
        row.files = self.files;
        row.transfers = self.transfers;
        row.reopenings = self.reopenings;
        row.active_ms = self.active_ms;
    }

    /// The index row as far as these facts go.
    pub fn row(&self) -> RecordRow {
        let mut row = RecordRow::default();
        self.fill(&mut row);
        row
    }

    /// From creation to Closed, or to `now` while live.
    pub fn duration_ms(&self, now: Millis) -> Millis {
        self.closed_at.unwrap_or(now).max(self.created_at) - self.created_at
    }

    /// Messages exchanged, whoever wrote them.
    pub fn interactions(&self) -> u32 {
        self.visitor_messages + self.agent_messages + self.bot_messages
    }
}

/// The record of ticket `ticket` from the conversation's `items` (any order; items of other
/// tickets are skipped), as of `now`. `None` when no item belongs to it.
pub fn ticket_facts(items: &[Item], ticket: u32, now: Millis) -> Option<TicketFacts> {
    let mut mine: Vec<&Item> = items.iter().filter(|i| i.ticket() == ticket).collect();
    mine.sort_by_key(|i| i.seq());
    let first = mine.first()?;
    let mut facts = TicketFacts::new(ticket, first.at());
    for item in mine {
        facts.add(item);
    }
    Some(facts.as_of(now))
}

impl TicketFacts {
    /// A ticket none of whose items is counted yet, its first one recorded at `first_at`.
    pub fn new(ticket: u32, first_at: Millis) -> TicketFacts {
        TicketFacts {
            ticket,
            created_at: first_at,
            ..TicketFacts::default()
        }
    }

    /// Counts one more item of the ticket, in sequence order: what the record index keeps
    /// incrementally, one item at a time. `active_ms` runs up to the last status change; add
    /// the running clock with [`TicketFacts::as_of`].
    pub fn add(&mut self, item: &Item) {
        self.created_at = self.created_at.min(item.at());
        match item {
            Item::StatusChange(change) => {
                if change.from.is_none() {
                    self.created_at = self.created_at.min(change.at);
                }
                if let Some(status) = self.status {
                    if counts_as_active(status) {
                        self.active_ms += (change.at - self.status_since).max(0);
                    }
                }
                self.status_since = change.at;
                match change.to {
                    Status::Solved => self.solved_at = Some(change.at),
                    Status::Closed => self.closed_at = Some(change.at),
                    Status::Open => {
                        if change.from == Some(Status::Solved) {
                            self.reopenings += 1;
                        }
                        self.solved_at = None;
                        if let Author::Agent { id } = &change.by {
                            self.assignee = Some(id.clone());
                        }
                    }
                    _ => {}
                }
                self.status = Some(change.to);
            }
            Item::Message(message) => {
                match &message.author {
                    Author::Visitor => self.visitor_messages += 1,
                    Author::Agent { id } => {
                        self.agent_messages += 1;
                        if self.first_response_at.is_none() {
                            self.first_response_at = Some(message.at);
                        }
                        if !self.agents.contains(id) {
                            self.agents.push(id.clone());
                        }
                    }
                    Author::Bot { .. } => self.bot_messages += 1,
                    Author::System => {}
                }
                self.files += u32::try_from(message.body.attachments.len()).unwrap_or(u32::MAX);
            }
            Item::Note(_) => {}
            Item::Transfer(transfer) => {
                self.transfers += 1;
                self.assignee = transfer.to_agent.clone();
            }
        }
    }

    /// The facts as of `now`: a ticket New or Open has its clock running since its last status
    /// change.
    pub fn as_of(&self, now: Millis) -> TicketFacts {
        let mut facts = self.clone();
        if self.status.is_some_and(counts_as_active) {
            facts.active_ms += (now - self.status_since).max(0);
        }
        facts
    }
}

/// New and Open run the team's clock; Pending, On-hold, Solved and Closed do not.
fn counts_as_active(status: Status) -> bool {
    matches!(status, Status::New | Status::Open)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{AttachmentRef, Body, Message, StatusChange, TransferRecord};

    const S: Millis = 1_000;

    fn agent(id: &str) -> Author {
        Author::Agent { id: id.into() }
    }

    /// Builds a history with increasing sequence numbers.
    #[derive(Default)]
    struct History {
        items: Vec<Item>,
    }

    impl History {
        fn seq(&self) -> u64 {
            self.items.len() as u64 + 1
        }

        fn status(
            mut self,
            ticket: u32,
            at: Millis,
            by: Author,
            from: Option<Status>,
            to: Status,
        ) -> Self {
            let seq = self.seq();
            self.items.push(Item::StatusChange(StatusChange {
                seq,
                ticket,
                at,
                by,
                from,
                to,
            }));
            self
        }

        fn said(self, ticket: u32, at: Millis, author: Author) -> Self {
            self.said_with(ticket, at, author, 0)
        }

        fn said_with(mut self, ticket: u32, at: Millis, author: Author, files: usize) -> Self {
            let message = self.message(ticket, at, author, files);
            self.items.push(Item::Message(message));
            self
        }

        fn note(mut self, ticket: u32, at: Millis, by: &str) -> Self {
            let note = self.message(ticket, at, agent(by), 0);
            self.items.push(Item::Note(note));
            self
        }

        fn message(&self, ticket: u32, at: Millis, author: Author, files: usize) -> Message {
            let seq = self.seq();
            let attachments = (0..files)
                .map(|i| AttachmentRef {
                    id: format!("f{i}"),
                    content_type: "image/png".into(),
                    size: 10,
                    name: None,
                })
                .collect();
            Message {
                seq,
                ticket,
                at,
                author,
                author_name: None,
                client_id: format!("c{seq}"),
                body: Body {
                    text: "hi".into(),
                    attachments,
                    ..Body::default()
                },
            }
        }

        fn transfer(mut self, ticket: u32, at: Millis, from: &str, to: Option<&str>) -> Self {
            let seq = self.seq();
            self.items.push(Item::Transfer(TransferRecord {
                seq,
                ticket,
                at,
                by: agent(from),
                from_agent: Some(from.into()),
                to_agent: to.map(Into::into),
                to_skill: to.is_none().then(|| "billing".into()),
            }));
            self
        }
    }

    use Status::*;

    #[test]
    fn a_plain_ticket_from_first_message_to_closed() {
        let h = History::default()
            .status(1, 0, Author::Visitor, None, New)
            .said(1, 0, Author::Visitor)
            .status(1, 10 * S, agent("alice"), Some(New), Open)
            .note(1, 20 * S, "alice")
            .said(1, 30 * S, agent("alice"))
            .said(1, 40 * S, Author::Visitor)
            .status(1, 60 * S, agent("alice"), Some(Open), Solved)
            .status(1, 120 * S, Author::System, Some(Solved), Closed);
        let f = ticket_facts(&h.items, 1, 999 * S).unwrap();
        assert_eq!(f.status, Some(Closed));
        assert_eq!(
            f.row().first_response_ms(),
            Some(30 * S),
            "the note is not a response"
        );
        assert_eq!(f.row().resolution_ms(), Some(60 * S));
        assert_eq!(f.active_ms, 60 * S);
        assert_eq!(f.duration_ms(999 * S), 120 * S);
        assert_eq!(
            (f.visitor_messages, f.agent_messages, f.bot_messages),
            (2, 1, 0)
        );
        assert_eq!(f.interactions(), 3);
        assert_eq!(f.assignee.as_deref(), Some("alice"));
        assert_eq!(f.agents, ["alice"]);
        assert_eq!((f.transfers, f.reopenings, f.files), (0, 0, 0));
    }

    #[test]
    fn pauses_and_reopenings_stop_the_active_clock_and_move_the_resolution() {
        let h = History::default()
            .status(1, 0, Author::Visitor, None, New)
            .status(1, 10 * S, agent("alice"), Some(New), Open)
            .said(1, 20 * S, agent("alice"))
            .status(1, 30 * S, agent("alice"), Some(Open), Pending)
            .status(1, 90 * S, Author::Visitor, Some(Pending), Open)
            .status(1, 100 * S, agent("alice"), Some(Open), Solved);
        let solved = ticket_facts(&h.items, 1, 150 * S).unwrap();
        assert_eq!(solved.row().resolution_ms(), Some(100 * S));
        assert_eq!(
            solved.active_ms,
            40 * S,
            "0–30 and 90–100; Pending is a pause"
        );

        let h = h
            .status(1, 200 * S, Author::Visitor, Some(Solved), Open)
            .said(1, 210 * S, agent("bob"));
        let reopened = ticket_facts(&h.items, 1, 230 * S).unwrap();
        assert_eq!(
            reopened.row().resolution_ms(),
            None,
            "reopened: not resolved until solved again"
        );
        assert_eq!(reopened.reopenings, 1);
        assert_eq!(reopened.active_ms, 70 * S, "the live Open runs to now");
        assert_eq!(reopened.duration_ms(230 * S), 230 * S);
        assert_eq!(
            reopened.row().first_response_ms(),
            Some(20 * S),
            "the first response stays"
        );
        assert_eq!(reopened.agents, ["alice", "bob"]);

        let h = h
            .status(1, 250 * S, agent("bob"), Some(Open), OnHold)
            .status(1, 280 * S, agent("bob"), Some(OnHold), Open)
            .status(1, 290 * S, agent("bob"), Some(Open), Solved)
            .status(1, 300 * S, Author::System, Some(Solved), Closed);
        let closed = ticket_facts(&h.items, 1, 1_000 * S).unwrap();
        assert_eq!(
            closed.row().resolution_ms(),
            Some(290 * S),
            "the last solve counts"
        );
        assert_eq!(closed.active_ms, (30 + 10 + 50 + 10) * S);
        assert_eq!(closed.duration_ms(1_000 * S), 300 * S);
    }

    #[test]
    fn a_bot_message_is_not_the_first_response() {
        let h = History::default()
            .status(1, 0, Author::Visitor, None, New)
            .said(1, 0, Author::Visitor)
            .said(1, S, Author::Bot { id: "faq".into() })
            .said(1, 45 * S, agent("alice"));
        let f = ticket_facts(&h.items, 1, 60 * S).unwrap();
        assert_eq!(f.row().first_response_ms(), Some(45 * S));
        assert_eq!(f.bot_messages, 1);
        assert_eq!(f.status, Some(New));
        assert_eq!(f.row().resolution_ms(), None);
        assert_eq!(f.active_ms, 60 * S);
    }

    #[test]
    fn transfers_files_and_a_ticket_finished_unsolved() {
        let h = History::default()
            .status(1, 0, Author::Visitor, None, New)
            .said_with(1, 0, Author::Visitor, 2)
            .status(1, 5 * S, agent("alice"), Some(New), Open)
            .transfer(1, 8 * S, "alice", Some("bob"))
            .said_with(1, 9 * S, agent("bob"), 1)
            .transfer(1, 12 * S, "bob", None)
            .status(1, 20 * S, agent("ada"), Some(Open), Closed);
        let f = ticket_facts(&h.items, 1, 60 * S).unwrap();
        assert_eq!(f.transfers, 2);
        assert_eq!(f.assignee, None, "handed to a department");
        assert_eq!(f.files, 3);
        assert_eq!(
            f.row().resolution_ms(),
            Some(20 * S),
            "finished: resolved when closed"
        );
        assert_eq!(f.agents, ["bob"]);
    }

    #[test]
    fn counting_one_item_at_a_time_gives_the_same_record_at_every_step() {
        let h = History::default()
            .status(1, 0, Author::Visitor, None, New)
            .said_with(1, 0, Author::Visitor, 1)
            .status(1, 10 * S, agent("alice"), Some(New), Open)
            .note(1, 12 * S, "alice")
            .said(1, 15 * S, agent("alice"))
            .transfer(1, 20 * S, "alice", Some("bob"))
            .status(1, 30 * S, agent("bob"), Some(Open), Pending)
            .status(1, 50 * S, Author::Visitor, Some(Pending), Open)
            .status(1, 60 * S, agent("bob"), Some(Open), Solved)
            .status(1, 70 * S, Author::Visitor, Some(Solved), Open)
            .status(1, 80 * S, agent("bob"), Some(Open), Closed);
        let mut running = TicketFacts::new(1, 0);
        for (i, item) in h.items.iter().enumerate() {
            running.add(item);
            let now = item.at() + 5 * S;
            assert_eq!(
                running.as_of(now),
                ticket_facts(&h.items[..=i], 1, now).unwrap(),
                "after item {}",
                i + 1
            );
        }
        let done = running.as_of(1_000 * S);
        assert_eq!((done.reopenings, done.transfers, done.files), (1, 1, 1));
        assert_eq!(done.active_ms, (30 + 10 + 10) * S, "New, Open, Open");
        assert_eq!(done.assignee.as_deref(), Some("bob"));
    }

    #[test]
    fn only_the_asked_ticket_counts() {
        let h = History::default()
            .status(1, 0, Author::Visitor, None, New)
            .said(1, 0, Author::Visitor)
            .status(1, S, Author::System, Some(New), Closed)
            .status(2, 100 * S, Author::Visitor, None, New)
            .said(2, 100 * S, Author::Visitor)
            .said(2, 130 * S, agent("alice"));
        let second = ticket_facts(&h.items, 2, 200 * S).unwrap();
        assert_eq!(second.created_at, 100 * S);
        assert_eq!(second.row().first_response_ms(), Some(30 * S));
        assert_eq!(second.visitor_messages, 1);
        // Items in any order give the same record.
        let mut shuffled = h.items.clone();
        shuffled.reverse();
        assert_eq!(ticket_facts(&shuffled, 2, 200 * S), Some(second));
        assert_eq!(ticket_facts(&h.items, 3, 200 * S), None);
    }
}
