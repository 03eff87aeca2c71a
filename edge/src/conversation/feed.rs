//! The conversation's feed of the records index (`migrations/0006_records.sql`): each ticket's
//! row, its agents and its searchable text kept current in D1 as things happen. Pure: the object
//! reads its store and the clock, and runs the statements this returns.
//!
//! - **Never on a message's path.** After a change is stored and broadcast, the object hands its
//!   items to [`Feed::changed`], which only keeps them. They are folded into each ticket's
//!   [`TicketFacts`] (one item at a time, never the whole history again) when a batch is
//!   prepared.
//! - **Coalesced.** Batches run from the object's alarm, at most one per [`FEED_GAP`]: a burst of
//!   messages costs D1 one batch a second per conversation, with the newest state of each ticket.
//!   The first change after a quiet spell goes at once. Words said are appended to the ticket's
//!   search document once the conversation has been quiet for [`FEED_QUIET`] (or after
//!   [`FEED_TEXT_WAIT`] in a burst that does not stop): an append makes D1 index the whole
//!   document again, which a burst must not pay once a second.
//! - **Nothing lost.** The highest sequence number whose effects (row and words) are all in D1
//!   is stored with the conversation (`feed_seq`), and the alarm is durable. An object that wakes (evicted, or a
//!   batch failed) knows nothing in memory: its first batch reads the items after `feed_seq` from
//!   its store, and the earlier items of the tickets they touch, once.
//!
//! A ticket's row is written with the sequence number of its newest item: the index keeps the
//! newest ([`records::upsert`]). The visitor's details (name, email, phone, external id) and
//! consent have no sequence number of their own: a change to them rewrites the current ticket's
//! row at the same number, and its details are appended to the ticket's text so that a search
//! finds them.
//!
//! `environment` is always `production`: the site has no test origins and the widget no preview
//! mode yet. `channel` is the one the ticket was created from (the caller keeps it with the
//! ticket); `flow` is empty until flows exist. CSAT and NPS are not the feed's: a row it writes
//! keeps the ones the index has.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use porchlight_shared::console::body_preview;
use porchlight_shared::protocol::{Author, Consent, Item, Message, VisitorProfile};
use porchlight_shared::records::query::{Channel, Environment};
use porchlight_shared::records::row::RecordRow;
use porchlight_shared::records::ticket::TicketFacts;
use porchlight_shared::validate::{EMAIL_ATTRIBUTE, PHONE_ATTRIBUTE};
use porchlight_shared::Millis;

use crate::d1::records::{self, Sql};

/// Shortest time between two batches of one conversation.
pub const FEED_GAP: Millis = 1_000;
/// How long after a failed batch the next one is tried.
pub const FEED_RETRY: Millis = 5_000;
/// Words are appended to a ticket's document once the conversation has been quiet this long…
pub const FEED_QUIET: Millis = 1_000;
/// …or once they have waited this long, during a burst that does not stop.
pub const FEED_TEXT_WAIT: Millis = 30_000;

/// One ticket's record as the feed keeps it between batches.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketRecord {
    /// Times and counts, folded item by item.
    pub facts: TicketFacts,
    /// The first thing the visitor said in it, as the inbox previews it.
    pub first_line: String,
    /// Where it came from.
    pub channel: Channel,
    /// Its newest item's sequence number (0: none yet).
    pub seq: u64,
    /// Every agent it was assigned to, in order (a transfer can come before any reply).
    pub assigned: Vec<String>,
    /// Agents already in its `record_agents` rows.
    agents_sent: Vec<String>,
}

impl TicketRecord {
    /// A ticket with no item counted yet.
    pub fn new(number: u32, channel: Channel) -> TicketRecord {
        TicketRecord {
            facts: TicketFacts {
                ticket: number,
                ..TicketFacts::default()
            },
            first_line: String::new(),
            channel,
            seq: 0,
            assigned: Vec::new(),
            agents_sent: Vec::new(),
        }
    }

    /// Counts one more of its items (in sequence order); returns the text it makes findable.
    pub fn add(&mut self, item: &Item) -> Option<String> {
        if self.seq == 0 {
            self.facts = TicketFacts::new(self.facts.ticket, item.at());
        }
        self.seq = self.seq.max(item.seq());
        if let Item::Transfer(t) = item {
            self.assign(t.from_agent.as_deref());
        }
        self.facts.add(item);
        let assignee = self.facts.assignee.clone();
        self.assign(assignee.as_deref());
        let Item::Message(message) = item else {
            return None;
        };
        if message.author == Author::Visitor && self.first_line.is_empty() {
            self.first_line = body_preview(&message.body);
        }
        Some(message_text(message)).filter(|t| !t.is_empty())
    }

    fn assign(&mut self, agent: Option<&str>) {
        if let Some(a) = agent.filter(|a| !self.assigned.iter().any(|b| b == a)) {
            self.assigned.push(a.to_owned());
        }
    }

    /// Every agent who was assigned it or replied in it, `assignee` (as stored now) among them.
    fn agents(&self, assignee: Option<&str>) -> Vec<String> {
        let mut agents = self.assigned.clone();
        for a in self.facts.agents.iter().map(String::as_str).chain(assignee) {
            if !agents.iter().any(|b| b == a) {
                agents.push(a.to_owned());
            }
        }
        agents
    }

    /// Its index row as of `now`, with the visitor's details and the stored `assignee`.
    pub fn row(
        &self,
        conversation_id: &str,
        visitor: &Visitor<'_>,
        assignee: Option<String>,
        now: Millis,
    ) -> RecordRow {
        let p = visitor.profile;
        let attribute = |name: &str| p.attributes.get(name).filter(|v| !v.is_empty()).cloned();
        let mut row = RecordRow {
            conversation_id: conversation_id.to_owned(),
            channel: self.channel.as_str().to_owned(),
            flow: String::new(),
            environment: Environment::Production.as_str().to_owned(),
            visitor_name: p.name.clone(),
            visitor_email: p.email.clone().or_else(|| attribute(EMAIL_ATTRIBUTE)),
            visitor_phone: attribute(PHONE_ATTRIBUTE),
            visitor_external_id: p.verified_id.clone(),
            first_line: self.first_line.clone(),
            consent_at: visitor.consent.map(|c| c.at),
            consent_version: visitor.consent.map(|c| c.privacy_version.clone()),
            consent_locale: visitor.consent.map(|c| c.locale.clone()),
            ..RecordRow::default()
        };
        self.facts.as_of(now).fill(&mut row);
        row.assignee = assignee;
        row
    }
}

/// What the search finds of a message: its text and the names of its files.
fn message_text(m: &Message) -> String {
    let names = m.body.attachments.iter().filter_map(|a| a.name.as_deref());
    let parts: Vec<&str> = std::iter::once(m.body.text.trim())
        .chain(names)
        .filter(|s| !s.is_empty())
        .collect();
    parts.join(" ")
}

/// What the row says of the visitor: their profile and their latest consent.
#[derive(Debug, Clone, Copy)]
pub struct Visitor<'a> {
    /// Name, email, phone (an attribute), external id (a verified identity).
    pub profile: &'a VisitorProfile,
    /// The latest consent on record.
    pub consent: Option<&'a Consent>,
}

impl Visitor<'_> {
    /// The details a search finds the visitor by, on one line.
    pub fn details(&self) -> String {
        let p = self.profile;
        let attribute = |name: &str| p.attributes.get(name).map(String::as_str);
        [
            p.name.as_deref(),
            p.email.as_deref(),
            attribute(EMAIL_ATTRIBUTE),
            attribute(PHONE_ATTRIBUTE),
            p.verified_id.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }
}

/// What the feed reads of the conversation's store while it prepares a batch.
pub trait Source {
    /// Why a read failed.
    type Error;
    /// The items of ticket `number` with a sequence number up to `upto`, oldest first.
    fn items_of(&self, number: u32, upto: u64) -> Result<Vec<Item>, Self::Error>;
    /// The ticket's channel and its assignee as stored now.
    fn ticket(&self, number: u32) -> Result<(Channel, Option<String>), Self::Error>;
}

/// One batch of statements for D1, and what the feed records once it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// Run together, in order, as one transaction.
    pub statements: Vec<Sql>,
    /// The highest sequence number whose effects the batch writes (store it as `feed_seq`).
    pub fed_seq: u64,
    /// The visitor's details as the documents now have them (store them as `feed_details`).
    pub details: String,
    /// The agents each ticket's rows now name.
    agents: Vec<(u32, Vec<String>)>,
    /// Whether it appends the words that waited.
    appends: bool,
}

/// The feed's state in the object's memory.
#[derive(Debug, Default)]
pub struct Feed {
    /// Highest sequence number folded into `tickets`; `None` once the object woke, until the
    /// next batch reads what is unfed from the store.
    folded: Option<u64>,
    /// The records of the tickets seen since.
    tickets: BTreeMap<u32, TicketRecord>,
    /// Items stored since the last batch, not folded yet.
    pending: Vec<Item>,
    /// The visitor's details or consent changed since the last batch.
    visitor_changed: bool,
    /// The details last appended to a ticket's text.
    details_sent: String,
    /// Words folded but not appended yet, per ticket.
    texts: BTreeMap<u32, Vec<String>>,
    /// The highest sequence number whose words are all appended (what `feed_seq` says).
    text_seq: u64,
    /// Since when words wait.
    text_since: Option<Millis>,
    /// When the conversation last changed.
    last_change: Option<Millis>,
    /// When the next batch is due (the alarm is set for it), if one waits.
    due: Option<Millis>,
    /// When the last batch started.
    last_batch: Option<Millis>,
}

impl Feed {
    /// Keeps items just stored. Returns when the alarm must fire for them, if it is not set yet.
    /// A note changes no row: it waits for the next batch.
    pub fn changed(&mut self, items: &[Item], now: Millis) -> Option<Millis> {
        self.pending.extend_from_slice(items);
        if items.iter().all(|i| matches!(i, Item::Note(_))) {
            return None;
        }
        self.last_change = Some(now);
        self.schedule(now)
    }

    /// The visitor's details or consent changed. Returns when the alarm must fire, if it is not
    /// set yet.
    pub fn visitor_changed(&mut self, now: Millis) -> Option<Millis> {
        self.visitor_changed = true;
        self.last_change = Some(now);
        self.schedule(now)
    }

    fn schedule(&mut self, now: Millis) -> Option<Millis> {
        // A batch long overdue lost its alarm (it could not be set): it is set again.
        if self.due.is_some_and(|due| now < due + 2 * FEED_RETRY) {
            return None;
        }
        let due = self
            .last_batch
            .map_or(now, |last| (last + FEED_GAP).max(now));
        self.due = Some(due);
        Some(due)
    }

    /// When the next batch is due, if one waits.
    pub fn due(&self) -> Option<Millis> {
        self.due
    }

    /// Whether the store must be read before the next batch: the object woke, or the items kept
    /// do not follow the last one folded.
    pub fn needs_load(&self) -> bool {
        let Some(folded) = self.folded else {
            return true;
        };
        self.pending
            .iter()
            .zip(folded + 1..)
            .any(|(item, want)| item.seq() != want)
    }

    /// Starts again from what the store says: D1 has everything up to `fed_seq`, the documents
    /// have `details`, and `unfed` are the items after it, oldest first.
    pub fn load(&mut self, fed_seq: u64, details: String, unfed: Vec<Item>) {
        self.folded = Some(fed_seq);
        self.text_seq = fed_seq;
        self.tickets.clear();
        self.texts.clear();
        self.text_since = None;
        self.pending = unfed;
        self.details_sent = details;
        // What changed before the object woke is not known: the current ticket is written.
        self.visitor_changed = true;
    }

    /// Folds what is pending and returns the batch that writes it, at `now`; `None` when there
    /// is nothing to write. `current` is the live ticket, or else the last one (none before the
    /// first message). Call [`Feed::needs_load`] first.
    pub fn prepare<S: Source>(
        &mut self,
        site: &str,
        conversation_id: &str,
        visitor: &Visitor<'_>,
        current: Option<u32>,
        source: &S,
        now: Millis,
    ) -> Result<Option<Batch>, S::Error> {
        self.due = None;
        self.last_batch = Some(now);
        let folded = self.folded.unwrap_or(0);
        let items = std::mem::take(&mut self.pending);
        let fed_seq = items.last().map_or(folded, Item::seq).max(folded);
        // The tickets whose rows are written, and the words they wait to append.
        let mut touched = BTreeSet::new();
        for item in &items {
            if matches!(item, Item::Note(_)) {
                continue;
            }
            let number = item.ticket();
            touched.insert(number);
            let record = known(&mut self.tickets, number, folded, source)?;
            let new = record.seq == 0;
            let text = record.add(item);
            let lines = self.texts.entry(number).or_default();
            if new {
                lines.push(visitor.details());
            }
            lines.extend(text);
        }
        let details = visitor.details();
        if std::mem::take(&mut self.visitor_changed) {
            if let Some(number) = current {
                touched.insert(number);
                let lines = self.texts.entry(number).or_default();
                if details != self.details_sent && !lines.contains(&details) {
                    lines.push(details.clone());
                }
            }
        }
        self.texts
            .retain(|_, lines| lines.iter().any(|l| !l.is_empty()));
        if self.texts.is_empty() {
            self.text_since = None;
        } else if self.text_since.is_none() {
            self.text_since = Some(now);
        }
        let quiet = self.last_change.is_none_or(|at| now - at >= FEED_QUIET);
        let overdue = self.text_since.is_some_and(|at| now - at >= FEED_TEXT_WAIT);
        let appends = quiet || overdue;
        self.folded = Some(fed_seq);
        let mut batch = Batch {
            statements: Vec::new(),
            // Until the words are appended, a wake must fold their items again.
            fed_seq: if appends || self.texts.is_empty() {
                fed_seq
            } else {
                self.text_seq
            },
            details: if appends {
                details.clone()
            } else {
                self.details_sent.clone()
            },
            agents: Vec::new(),
            appends,
        };
        for number in touched {
            // The current ticket may be changed by nothing but the visitor's details.
            let record = known(&mut self.tickets, number, folded, source)?;
            if record.seq == 0 {
                continue;
            }
            let (_, assignee) = source.ticket(number)?;
            let row = record.row(conversation_id, visitor, assignee.clone(), now);
            batch
                .statements
                .push(records::upsert(site, record.seq, &row));
            let agents = record.agents(assignee.as_deref());
            let new_agents: Vec<String> = agents
                .iter()
                .filter(|a| !record.agents_sent.contains(a))
                .cloned()
                .collect();
            batch
                .statements
                .extend(records::add_agents(site, &row, &new_agents));
            batch.agents.push((number, agents));
        }
        if appends {
            for (number, lines) in std::mem::take(&mut self.texts) {
                let body = lines
                    .iter()
                    .filter(|l| !l.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n");
                batch
                    .statements
                    .extend(records::add_text(site, conversation_id, number, &body));
            }
            self.text_since = None;
        }
        if batch.statements.is_empty() {
            if appends {
                self.details_sent = details;
                self.text_seq = fed_seq;
            }
            return Ok(None);
        }
        Ok(Some(batch))
    }

    /// The batch ran: its agents and details are in D1. Returns when the alarm must fire next
    /// for what arrived meanwhile, if anything did.
    pub fn commit(&mut self, batch: Batch, now: Millis) -> Option<Millis> {
        for (number, agents) in batch.agents {
            if let Some(record) = self.tickets.get_mut(&number) {
                record.agents_sent = agents;
            }
        }
        if batch.appends {
            self.details_sent = batch.details;
            self.text_seq = batch.fed_seq;
        }
        self.after_batch(now)
    }

    /// The batch failed: everything after the stored `feed_seq` is read again from the store
    /// for the next one, in [`FEED_RETRY`]. Returns when the alarm must fire.
    pub fn fail(&mut self, now: Millis) -> Millis {
        *self = Feed::default();
        let due = now + FEED_RETRY;
        self.due = Some(due);
        due
    }

    /// After a batch (or none): when the next one is due, if something arrived meanwhile or
    /// words wait for a quiet moment.
    pub fn after_batch(&mut self, now: Millis) -> Option<Millis> {
        if self.due.is_some() {
            return self.due;
        }
        if !self.pending.is_empty() || self.visitor_changed {
            return self.schedule(now);
        }
        let since = self.text_since?;
        let quiet = self.last_change.map_or(now, |at| at + FEED_QUIET);
        let gap = self.last_batch.map_or(now, |at| at + FEED_GAP);
        let due = quiet.min(since + FEED_TEXT_WAIT).max(gap).max(now);
        self.due = Some(due);
        Some(due)
    }
}

/// The record of ticket `number`, read from the store (its items up to `folded`) the first time
/// it is needed since the object woke.
fn known<'a, S: Source>(
    tickets: &'a mut BTreeMap<u32, TicketRecord>,
    number: u32,
    folded: u64,
    source: &S,
) -> Result<&'a mut TicketRecord, S::Error> {
    match tickets.entry(number) {
        Entry::Occupied(known) => Ok(known.into_mut()),
        Entry::Vacant(slot) => {
            let (channel, _) = source.ticket(number)?;
            let mut record = TicketRecord::new(number, channel);
            for earlier in source.items_of(number, folded)? {
                record.add(&earlier);
            }
            Ok(slot.insert(record))
        }
    }
}

#[cfg(test)]
mod tests;
