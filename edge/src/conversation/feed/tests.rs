//! The feed's batches run against the real records schema in SQLite: what an operator's search
//! then finds, and when the batches go.

use std::cell::RefCell;
use std::collections::BTreeMap;

use porchlight_shared::protocol::{AttachmentRef, Body, StatusChange, TransferRecord};
use porchlight_shared::records::query::RecordQuery;
use porchlight_shared::Status;
use rusqlite::Connection;

use super::*;
use crate::d1::records::tests::{db, exec, run};

const SITE: &str = "s1";
const CV: &str = "cv_1";
const S: Millis = 1_000;

/// The conversation's store as the feed reads it.
#[derive(Default)]
struct Store {
    items: Vec<Item>,
    channels: BTreeMap<u32, Channel>,
    assignees: BTreeMap<u32, String>,
    reads: RefCell<u32>,
}

impl Source for Store {
    type Error = ();
    fn items_of(&self, number: u32, upto: u64) -> Result<Vec<Item>, ()> {
        *self.reads.borrow_mut() += 1;
        Ok(self
            .items
            .iter()
            .filter(|i| i.ticket() == number && i.seq() <= upto)
            .cloned()
            .collect())
    }
    fn ticket(&self, number: u32) -> Result<(Channel, Option<String>), ()> {
        Ok((
            self.channels
                .get(&number)
                .copied()
                .unwrap_or(Channel::Widget),
            self.assignees.get(&number).cloned(),
        ))
    }
}

impl Store {
    fn next(&self) -> u64 {
        self.items.len() as u64 + 1
    }

    fn status(&mut self, ticket: u32, at: Millis, by: Author, from: Option<Status>, to: Status) {
        let seq = self.next();
        self.items.push(Item::StatusChange(StatusChange {
            seq,
            ticket,
            at,
            by,
            from,
            to,
        }));
    }

    fn say(&mut self, ticket: u32, at: Millis, author: Author, text: &str) {
        let item = Item::Message(self.message(ticket, at, author, text));
        self.items.push(item);
    }

    fn note(&mut self, ticket: u32, at: Millis, text: &str) {
        let item = Item::Note(self.message(ticket, at, agent("alice"), text));
        self.items.push(item);
    }

    fn message(&self, ticket: u32, at: Millis, author: Author, text: &str) -> Message {
        let seq = self.next();
        Message {
            seq,
            ticket,
            at,
            author,
            author_name: None,
            client_id: format!("c{seq}"),
            body: Body {
                text: text.into(),
                ..Body::default()
            },
        }
    }

    /// The items stored since `after`.
    fn since(&self, after: u64) -> Vec<Item> {
        self.items
            .iter()
            .filter(|i| i.seq() > after)
            .cloned()
            .collect()
    }
}

fn agent(id: &str) -> Author {
    Author::Agent { id: id.into() }
}

fn profile() -> VisitorProfile {
    VisitorProfile {
        name: Some("Maria Silva".into()),
        ..VisitorProfile::default()
    }
}

/// Prepares and runs a batch at `now`, as the object does; returns whether there was one.
/// Returns how many texts the batch appended.
fn flush(
    feed: &mut Feed,
    index: &Connection,
    store: &Store,
    p: &VisitorProfile,
    now: Millis,
) -> usize {
    let consent = Consent {
        at: 5,
        privacy_version: "3f2a9c1e".into(),
        locale: "pt-BR".into(),
    };
    let visitor = Visitor {
        profile: p,
        consent: Some(&consent),
    };
    let current = store.items.iter().map(Item::ticket).max();
    if feed.needs_load() {
        feed.load(0, String::new(), store.since(0));
    }
    if let Some(batch) = feed
        .prepare(SITE, CV, &visitor, current, store, now)
        .unwrap()
    {
        for sql in &batch.statements {
            exec(index, sql);
        }
        let appended = batch
            .statements
            .iter()
            .filter(|sql| sql.text.starts_with("INSERT INTO record_text"))
            .count();
        feed.commit(batch, now);
        appended
    } else {
        feed.after_batch(now);
        0
    }
}

/// Runs the batches the alarm would, each when due, until none waits; returns the last's time.
fn settle(feed: &mut Feed, index: &Connection, store: &Store, p: &VisitorProfile) -> Millis {
    let mut at = 0;
    for _ in 0..10 {
        let Some(due) = feed.due() else {
            return at;
        };
        at = due;
        flush(feed, index, store, p, due);
    }
    panic!("the feed never settles");
}

/// A ticket's row as the index has it.
fn row(index: &Connection, ticket: u32) -> BTreeMap<String, String> {
    let mut stmt = index
        .prepare("SELECT * FROM records WHERE conversation_id = ?1 AND ticket = ?2")
        .unwrap();
    let names: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    stmt.query_row((CV, ticket), |r| {
        Ok(names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let v: rusqlite::types::Value = r.get(i).unwrap();
                let text = match v {
                    rusqlite::types::Value::Null => String::new(),
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                };
                (name.clone(), text)
            })
            .collect())
    })
    .unwrap()
}

fn found(index: &Connection, words: &str) -> Vec<String> {
    let q = RecordQuery {
        text: Some(words.into()),
        ..RecordQuery::default()
    };
    run(index, SITE, &q)
}

fn agents(index: &Connection, ticket: u32) -> Vec<String> {
    let mut stmt = index
        .prepare("SELECT agent_id FROM record_agents WHERE ticket = ?1 ORDER BY agent_id")
        .unwrap();
    stmt.query_map([ticket], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The items stored after the feed last saw, handed to it as the object does.
fn hand(feed: &mut Feed, store: &Store, seen: &mut u64, now: Millis) -> Option<Millis> {
    let items = store.since(*seen);
    *seen = store.items.len() as u64;
    feed.changed(&items, now)
}

/// An empty index and a conversation whose visitor said `first` at 0, creating ticket 1, fed at
/// once.
struct Started {
    index: Connection,
    store: Store,
    feed: Feed,
    seen: u64,
    p: VisitorProfile,
}

fn started(first: &str) -> Started {
    let mut c = Started {
        index: db(SITE, &[]),
        store: Store::default(),
        feed: Feed::default(),
        seen: 0,
        p: profile(),
    };
    c.store.status(1, 0, Author::Visitor, None, Status::New);
    c.store.say(1, 0, Author::Visitor, first);
    assert_eq!(
        hand(&mut c.feed, &c.store, &mut c.seen, 0),
        Some(0),
        "at once"
    );
    assert_eq!(
        flush(&mut c.feed, &c.index, &c.store, &c.p, 0),
        0,
        "words wait"
    );
    assert_eq!(c.feed.due(), Some(FEED_QUIET), "for a quiet second");
    assert_eq!(flush(&mut c.feed, &c.index, &c.store, &c.p, FEED_QUIET), 1);
    assert_eq!(c.feed.due(), None);
    c
}

#[test]
fn a_ticket_s_row_follows_its_lifecycle_and_its_words_are_found() {
    let Started {
        index,
        mut store,
        mut feed,
        mut seen,
        p,
    } = started("Meu cartão foi cobrado duas vezes");
    let r = row(&index, 1);
    assert_eq!(
        (r["status"].as_str(), r["visitor_messages"].as_str()),
        ("new", "1")
    );
    assert_eq!(r["first_line"], "Meu cartão foi cobrado duas vezes");
    assert_eq!(r["visitor_name"], "Maria Silva");
    assert_eq!(r["channel"], "widget");
    assert_eq!(r["environment"], "production");
    assert_eq!(
        (r["consent_at"].as_str(), r["consent_version"].as_str()),
        ("5", "3f2a9c1e")
    );
    assert_eq!(found(&index, "cartao cobrado"), ["cv_1/1"]);
    assert_eq!(found(&index, "Maria"), ["cv_1/1"], "the visitor's name");

    store.status(1, 10 * S, agent("alice"), Some(Status::New), Status::Open);
    store.note(1, 15 * S, "internal only");
    store.say(1, 20 * S, agent("alice"), "Vou verificar o estorno");
    store.status(
        1,
        30 * S,
        agent("alice"),
        Some(Status::Open),
        Status::Pending,
    );
    store.assignees.insert(1, "alice".into());
    assert_eq!(
        hand(&mut feed, &store, &mut seen, 10 * S),
        Some(10 * S),
        "a second after the last batch"
    );
    flush(&mut feed, &index, &store, &p, 30 * S);
    let r = row(&index, 1);
    assert_eq!(r["status"], "pending");
    assert_eq!(
        (r["agent_messages"].as_str(), r["visitor_messages"].as_str()),
        ("1", "1"),
        "the note is no message"
    );
    assert_eq!(r["first_response_at"], (20 * S).to_string());
    assert_eq!(r["assignee"], "alice");
    assert_eq!(r["active_ms"], (30 * S).to_string(), "New and Open");
    assert_eq!(agents(&index, 1), ["alice"]);
    assert_eq!(found(&index, "estorno"), ["cv_1/1"]);
    assert!(
        found(&index, "internal").is_empty(),
        "notes are not searched"
    );

    store.say(1, 40 * S, Author::Visitor, "Obrigada");
    for (at, by, from, to) in [
        (40, Author::Visitor, Status::Pending, Status::Open),
        (50, agent("alice"), Status::Open, Status::Solved),
        (60, Author::Visitor, Status::Solved, Status::Open),
        (70, agent("alice"), Status::Open, Status::Solved),
        (90, Author::System, Status::Solved, Status::Closed),
    ] {
        store.status(1, at * S, by, Some(from), to);
    }
    hand(&mut feed, &store, &mut seen, 90 * S);
    flush(&mut feed, &index, &store, &p, 95 * S);
    let r = row(&index, 1);
    assert_eq!(r["status"], "closed");
    assert_eq!(r["reopenings"], "1");
    assert_eq!(r["solved_at"], (70 * S).to_string());
    assert_eq!(r["closed_at"], (90 * S).to_string());
    assert_eq!(r["visitor_messages"], "2");
    assert_eq!(r["seq"], store.items.len().to_string());
    assert_eq!(
        found(&index, "cobrado estorno obrigada"),
        ["cv_1/1"],
        "words of different messages"
    );
}

#[test]
fn a_burst_makes_one_batch_a_second_and_every_word_is_kept() {
    let Started {
        index,
        mut store,
        mut feed,
        mut seen,
        p,
    } = started("first");
    // 5 000 messages over ten seconds: a batch a second, the words appended once, at the end.
    let (mut batches, mut appended) = (0, 0);
    for i in 0..5_000u32 {
        let now = 2 * S + Millis::from(i) * 2;
        store.say(1, now, Author::Visitor, &format!("word{i:04}"));
        hand(&mut feed, &store, &mut seen, now);
        if feed.due().is_some_and(|due| due <= now) {
            batches += 1;
            appended += flush(&mut feed, &index, &store, &p, now);
        }
    }
    assert_eq!(batches, 10, "one a second");
    assert_eq!(appended, 0, "no words appended during the burst");
    assert_eq!(
        row(&index, 1)["visitor_messages"],
        "4502",
        "the row follows"
    );
    let end = settle(&mut feed, &index, &store, &p);
    let last_said = 2 * S + 9_998;
    assert!(
        (last_said + FEED_QUIET..=last_said + FEED_QUIET + FEED_GAP).contains(&end),
        "a quiet second after the burst: {end}"
    );
    assert_eq!(row(&index, 1)["visitor_messages"], "5001");
    for word in ["word0000", "word2500", "word4999"] {
        assert_eq!(found(&index, word), ["cv_1/1"], "{word}");
    }
}

#[test]
fn an_object_that_wakes_writes_what_it_had_not_and_reads_each_ticket_once() {
    let index = db(SITE, &[]);
    let mut store = Store::default();
    let p = profile();
    store.status(1, 0, Author::Visitor, None, Status::New);
    store.say(1, 0, Author::Visitor, "hello there");
    store.status(1, S, agent("bob"), Some(Status::New), Status::Open);
    let mut before = Feed::default();
    let mut seen = 0;
    hand(&mut before, &store, &mut seen, 0);
    flush(&mut before, &index, &store, &p, S);
    let fed = store.items.len() as u64;

    // Evicted: what follows was stored, never fed.
    store.say(1, 2 * S, agent("bob"), "a reply never fed");
    store.status(1, 3 * S, agent("bob"), Some(Status::Open), Status::Closed);
    store.status(2, 4 * S, Author::Visitor, None, Status::New);
    store.say(2, 4 * S, Author::Visitor, "second ticket");
    store.channels.insert(2, Channel::Api);

    *store.reads.borrow_mut() = 0;
    let mut woken = Feed::default();
    assert!(woken.needs_load());
    woken.load(fed, "Maria Silva".into(), store.since(fed));
    let visitor = Visitor {
        profile: &p,
        consent: None,
    };
    let batch = woken
        .prepare(SITE, CV, &visitor, Some(2), &store, 5 * S)
        .unwrap()
        .unwrap();
    assert_eq!(batch.fed_seq, store.items.len() as u64);
    for sql in &batch.statements {
        exec(&index, sql);
    }
    woken.commit(batch, 5 * S);
    assert_eq!(
        *store.reads.borrow(),
        2,
        "each ticket's earlier items read once"
    );
    let first = row(&index, 1);
    assert_eq!(
        (first["status"].as_str(), first["agent_messages"].as_str()),
        ("closed", "1")
    );
    assert_eq!(first["first_line"], "hello there", "kept from before");
    let second = row(&index, 2);
    assert_eq!(
        (second["channel"].as_str(), second["first_line"].as_str()),
        ("api", "second ticket")
    );
    assert_eq!(found(&index, "never fed"), ["cv_1/1"]);
    assert_eq!(
        found(&index, "Maria"),
        ["cv_1/2", "cv_1/1"],
        "a new ticket starts with the details"
    );

    // Items that do not follow the last one folded make it read the store again.
    store.say(2, 6 * S, Author::Visitor, "x");
    store.say(2, 7 * S, Author::Visitor, "y");
    let last = store.items.last().cloned().unwrap();
    woken.changed(&[last], 7 * S);
    assert!(woken.needs_load());
}

#[test]
fn the_visitor_s_details_rewrite_the_current_ticket_and_are_found() {
    let index = db(SITE, &[]);
    let mut store = Store::default();
    let mut feed = Feed::default();
    let mut seen = 0;
    let mut p = VisitorProfile::default();
    // Details given before the first message leave nothing to write.
    assert_eq!(feed.visitor_changed(0), Some(0));
    flush(&mut feed, &index, &store, &p, 0);
    assert_eq!(found(&index, "anything").len(), 0);

    store.status(1, S, Author::Visitor, None, Status::New);
    store.say(1, S, Author::Visitor, "oi");
    hand(&mut feed, &store, &mut seen, S);
    flush(&mut feed, &index, &store, &p, S);
    assert_eq!(settle(&mut feed, &index, &store, &p), 2 * S);
    p.name = Some("Lucía".into());
    p.email = Some("lucia@example.com".into());
    p.attributes.insert("phone".into(), "+5511987654321".into());
    p.verified_id = Some("cust-77".into());
    p.verified = true;
    assert_eq!(feed.visitor_changed(3 * S), Some(3 * S));
    flush(&mut feed, &index, &store, &p, 3 * S);
    settle(&mut feed, &index, &store, &p);
    let r = row(&index, 1);
    assert_eq!(r["visitor_name"], "Lucía");
    assert_eq!(r["visitor_email"], "lucia@example.com");
    assert_eq!(r["visitor_phone"], "+5511987654321");
    assert_eq!(r["visitor_external_id"], "cust-77");
    for words in ["lucia@example", "5511987654321", "cust-77", "Lucia"] {
        assert_eq!(found(&index, words), ["cv_1/1"], "{words}");
    }
    let text: String = index
        .query_row("SELECT body FROM record_text", [], |r| r.get(0))
        .unwrap();
    assert_eq!(text, "oi\nLucía lucia@example.com +5511987654321 cust-77");
    // The same details again append nothing.
    feed.visitor_changed(5 * S);
    settle(&mut feed, &index, &store, &p);
    let again: String = index
        .query_row("SELECT body FROM record_text", [], |r| r.get(0))
        .unwrap();
    assert_eq!(again, text);
}

#[test]
fn files_transfers_and_a_failed_batch() {
    let index = db(SITE, &[]);
    let mut store = Store::default();
    let mut feed = Feed::default();
    let mut seen = 0;
    let p = profile();
    store.status(1, 0, Author::Visitor, None, Status::New);
    let mut m = store.message(1, 0, Author::Visitor, "");
    m.body.attachments = vec![AttachmentRef {
        id: "f1".into(),
        content_type: "application/pdf".into(),
        size: 10,
        name: Some("fatura.pdf".into()),
    }];
    store.items.push(Item::Message(m));
    store.status(1, S, agent("alice"), Some(Status::New), Status::Open);
    let seq = store.next();
    store.items.push(Item::Transfer(TransferRecord {
        seq,
        ticket: 1,
        at: 2 * S,
        by: agent("alice"),
        from_agent: Some("alice".into()),
        to_agent: Some("bob".into()),
        to_skill: None,
    }));
    store.assignees.insert(1, "bob".into());
    hand(&mut feed, &store, &mut seen, 2 * S);
    // D1 refused the batch: the next one, later, writes it all from the store.
    let visitor = Visitor {
        profile: &p,
        consent: None,
    };
    feed.prepare(SITE, CV, &visitor, Some(1), &store, 2 * S)
        .unwrap()
        .unwrap();
    assert_eq!(feed.fail(2 * S), 2 * S + FEED_RETRY);
    assert_eq!(
        feed.changed(&store.since(2), 3 * S),
        None,
        "the retry is set"
    );
    flush(&mut feed, &index, &store, &p, 7 * S);
    let r = row(&index, 1);
    assert_eq!((r["files"].as_str(), r["transfers"].as_str()), ("1", "1"));
    assert_eq!(r["first_line"], "[fatura.pdf]");
    assert_eq!(r["assignee"], "bob");
    assert_eq!(
        agents(&index, 1),
        ["alice", "bob"],
        "assigned, though neither replied"
    );
    assert_eq!(found(&index, "fatura"), ["cv_1/1"]);
}
