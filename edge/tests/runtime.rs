//! The edge against the real runtime: builds the Worker, starts `wrangler dev` (workerd with
//! local Durable Objects and D1) on a free port with its own persistence folder, and drives it
//! over HTTP and WebSocket as visitors and agents would. Timers are real alarms on test sites
//! whose windows are seconds long (edge/seed/test.sql).
//!
//! A plain `main` (harness = false): one server for the whole suite, cases in parallel threads,
//! and a second server for the cases that restart it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test suite: failing loudly is the point

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use porchlight_shared::protocol::{
    Author, Body, ClientMessage, Item, SendMessage, ServerEvent, ServerFrame,
};
use porchlight_shared::Status;
use porchlight_xtask::client::{Http, Reply, Socket};
use porchlight_xtask::harness::{self, Wrangler};
use serde_json::{json, Value};

mod common;

use common::{history, new_visitor, say, texts, Visitor, ORIGIN};
const WAIT: Duration = Duration::from_secs(5);

type Case = (&'static str, fn(&Http));

fn main() {
    let cases: Vec<Case> = vec![
        (
            "visitor and agent exchange messages live",
            visitor_and_agent_exchange_messages_live,
        ),
        (
            "two agents see the same stream",
            two_agents_see_the_same_stream,
        ),
        (
            "resume after a dropped socket loses and duplicates nothing",
            resume_after_drop,
        ),
        (
            "a client resuming from its highest seq, as documented, loses nothing while messages race its reconnects",
            resume_from_the_highest_seq_races_live_traffic,
        ),
        (
            "a retried client id is stored once",
            retried_client_id_is_stored_once,
        ),
        (
            "history pages newest first without gaps",
            history_pages_newest_first,
        ),
        (
            "live chat closes at once; the next message is a new ticket",
            live_chat_closes_at_once,
        ),
        (
            "live chat with a delay closes by alarm; no overlap",
            live_chat_with_delay,
        ),
        (
            "returning customer reopens in the window, then closes",
            returning_customer,
        ),
        (
            "messaging reopens from pending and solved, then auto-closes",
            messaging_style,
        ),
        ("finish conversation closes at once", finish_conversation),
        (
            "the agent list holds the site's live tickets only",
            agent_ticket_list,
        ),
        ("typing is relayed to the other side", typing_is_relayed),
        ("a wrong origin is refused", wrong_origin_is_refused),
        (
            "missing and forged tokens are refused",
            forged_tokens_are_refused,
        ),
        (
            "bad HTTP input gets a code and changes nothing",
            bad_http_input,
        ),
        (
            "bad socket frames get an error frame and change nothing",
            bad_socket_frames,
        ),
        (
            "invalid UTF-8 in a text frame is refused with invalid_utf8 and stores nothing",
            invalid_utf8_frames,
        ),
        (
            "a JSON body must be declared application/json",
            json_bodies_need_their_content_type,
        ),
        (
            "a profile alone does not make a conversation visible to agents",
            a_profile_alone_is_not_a_conversation,
        ),
        (
            "every documented path answers 405 to a method it does not document",
            documented_paths_refuse_other_methods,
        ),
        (
            "every client message is answered as the document's table says",
            answered_frames_are_as_documented,
        ),
    ];
    common::run_suite(
        "edge runtime",
        cases,
        vec![(
            "history and alarms survive a wrangler dev restart",
            survives_restart,
        )],
    );
}

// ---------------------------------------------------------------- helpers

fn agent_token(site: &str, n: u8) -> String {
    format!("pl_dev_{site}_agent{n}")
}

fn agent_path(v: &Visitor, action: &str) -> String {
    format!("/v1/agent/conversations/{}{action}", v.conversation)
}

fn agent_post(http: &Http, v: &Visitor, n: u8, action: &str, body: Value) -> Reply {
    http.post(&agent_path(v, action), Some(&agent_token(v.site, n)), &body)
        .unwrap()
}

fn set_status(http: &Http, v: &Visitor, to: &str) -> Value {
    let r = agent_post(http, v, 1, "/status", json!({ "to": to }));
    assert_eq!(r.status, 200, "set {to}: {}", r.text);
    r.json["ticket"].clone()
}

fn ticket(http: &Http, v: &Visitor) -> Value {
    let r = http
        .get(&agent_path(v, ""), Some(&agent_token(v.site, 1)))
        .unwrap();
    assert_eq!(r.status, 200, "ticket: {}", r.text);
    r.json["ticket"].clone()
}

/// `(ticket, from, to, by)` of every status change, oldest first.
fn changes(items: &[Item]) -> Vec<(u32, Option<Status>, Status, Author)> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::StatusChange(c) => Some((c.ticket, c.from, c.to, c.by.clone())),
            _ => None,
        })
        .collect()
}

fn visitor_socket(http: &Http, v: &Visitor) -> Socket {
    let mut s = Socket::connect(http.base(), "/v1/visitor/ws", Some(&v.token), Some(ORIGIN))
        .unwrap_or_else(|e| panic!("visitor socket refused: {e:?}"));
    welcome(&mut s);
    s
}

fn agent_socket(http: &Http, v: &Visitor, n: u8) -> Socket {
    let path = agent_path(v, "/ws");
    let mut s = Socket::connect(http.base(), &path, Some(&agent_token(v.site, n)), None)
        .unwrap_or_else(|e| panic!("agent socket refused: {e:?}"));
    welcome(&mut s);
    s
}

fn welcome(s: &mut Socket) -> u64 {
    match s.recv(WAIT).unwrap().map(|f| f.event) {
        Some(ServerEvent::Welcome(w)) => w.last_seq,
        other => panic!("expected welcome, got {other:?}"),
    }
}

fn send(s: &mut Socket, client_id: &str, text: &str) -> String {
    s.request(ClientMessage::SendMessage(SendMessage {
        client_id: client_id.into(),
        body: Body {
            text: text.into(),
            ..Default::default()
        },
    }))
    .unwrap()
}

/// Waits for the next `message_created` and returns it.
fn next_message(s: &mut Socket) -> porchlight_shared::protocol::Message {
    match s
        .recv_until(WAIT, |f| matches!(f.event, ServerEvent::MessageCreated(_)))
        .unwrap()
        .map(|f| f.event)
    {
        Some(ServerEvent::MessageCreated(m)) => m,
        other => panic!("expected a message, got {other:?}"),
    }
}

/// Polls until the live ticket is `null` (the alarm closed it), up to `limit`.
fn wait_closed(http: &Http, v: &Visitor, limit: Duration) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if ticket(http, v).is_null() {
            return;
        }
        thread::sleep(Duration::from_millis(250));
    }
    panic!("ticket still live after {limit:?}: {}", ticket(http, v));
}

// ---------------------------------------------------------------- cases

fn visitor_and_agent_exchange_messages_live(http: &Http) {
    let v = new_visitor(http, "t_msg");
    let mut vs = visitor_socket(http, &v);
    let id = send(&mut vs, "hello-1", "Hello, is anyone there?");
    let ack = vs.answer(&id, WAIT).unwrap();
    assert!(
        matches!(ack, Some(ServerEvent::Ack { ref client_id, .. }) if client_id == "hello-1"),
        "{ack:?}"
    );

    let mut agent = agent_socket(http, &v, 1);
    agent
        .request(ClientMessage::Resume { after_seq: 0 })
        .unwrap();
    let synced = agent
        .recv_until(WAIT, |f| matches!(f.event, ServerEvent::Sync { .. }))
        .unwrap();
    let Some(ServerFrame {
        event: ServerEvent::Sync { items, complete },
        ..
    }) = synced
    else {
        panic!("no sync")
    };
    assert!(complete);
    assert_eq!(
        texts(&items),
        vec![(1, "Hello, is anyone there?".to_owned())]
    );

    send(&mut agent, "reply-1", "Hi! How can I help?");
    let got = next_message(&mut vs);
    assert_eq!(got.body.text, "Hi! How can I help?");
    assert_eq!(
        got.author,
        Author::Agent {
            id: "agent1".into()
        }
    );
    // Replying to a New ticket accepted it.
    assert_eq!(ticket(http, &v)["status"], "open");
    assert_eq!(ticket(http, &v)["assignee"], "agent1");

    send(&mut vs, "hello-2", "My order is late");
    // The agent's socket also carries its own reply back (clients merge by sequence number).
    let mut got = next_message(&mut agent);
    if got.author != Author::Visitor {
        assert_eq!(got.body.text, "Hi! How can I help?");
        got = next_message(&mut agent);
    }
    assert_eq!(got.body.text, "My order is late");
}

fn two_agents_see_the_same_stream(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "first", "first");
    let mut a1 = agent_socket(http, &v, 1);
    let mut a2 = agent_socket(http, &v, 2);
    let mut vs = visitor_socket(http, &v);
    for i in 0..5 {
        send(&mut vs, &format!("v{i}"), &format!("visitor {i}"));
    }
    send(&mut a1, "a1", "agent one here");
    let seen = |s: &mut Socket| -> Vec<(u64, String)> {
        (0..6)
            .map(|_| next_message(s))
            .map(|m| (m.seq, m.body.text))
            .collect()
    };
    let one = seen(&mut a1);
    let two = seen(&mut a2);
    assert_eq!(
        one, two,
        "both agents see the same messages in the same order"
    );
    let seqs: Vec<u64> = one.iter().map(|m| m.0).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert!(one.iter().any(|m| m.1 == "agent one here"));
}

fn resume_after_drop(http: &Http) {
    let v = new_visitor(http, "t_msg");
    let mut vs = visitor_socket(http, &v);
    let mut last = 0;
    for i in 0..3 {
        let id = send(&mut vs, &format!("m{i}"), &format!("before drop {i}"));
        if let Some(ServerEvent::Ack { seq, .. }) = vs.answer(&id, WAIT).unwrap() {
            last = seq;
        }
    }
    assert!(last > 0);
    vs.drop_connection();

    // While the visitor is away: four agent replies.
    for i in 0..4 {
        let r = agent_post(
            http,
            &v,
            1,
            "/messages",
            json!({"client_id": format!("r{i}"), "body": {"text": format!("while away {i}")}}),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    }

    let mut back = visitor_socket(http, &v);
    let id = back
        .request(ClientMessage::Resume { after_seq: last })
        .unwrap();
    let Some(ServerEvent::Sync { items, complete }) = back.answer(&id, WAIT).unwrap() else {
        panic!("no sync")
    };
    assert!(complete);
    let got: Vec<String> = texts(&items).into_iter().map(|t| t.1).collect();
    // Exactly what was missed: the status change of the reply accepting the ticket, then the
    // four replies; nothing the visitor already had.
    assert_eq!(
        got,
        (0..4)
            .map(|i| format!("while away {i}"))
            .collect::<Vec<_>>()
    );
    let seqs: Vec<u64> = items.iter().map(Item::seq).collect();
    assert_eq!(
        seqs,
        ((last + 1)..=(last + seqs.len() as u64)).collect::<Vec<_>>(),
        "contiguous"
    );

    // The visitor's unsent-looking message is retried after reconnecting: stored once.
    let id = send(&mut back, "m2", "before drop 2");
    assert!(
        matches!(back.answer(&id, WAIT).unwrap(), Some(ServerEvent::Ack { seq, .. }) if seq <= last)
    );
    let all = history(http, &v);
    let n = texts(&all)
        .iter()
        .filter(|t| t.1 == "before drop 2")
        .count();
    assert_eq!(n, 1);
}

/// docs/API.md, "Resume", followed to the letter: the client keeps the highest `seq` it has
/// received, from `sync` or live, and opens every socket with `?after_seq=` that `seq`. Messages
/// are written all the while, so some arrive while the client is away and some as it reconnects.
/// Every item of the history must reach the client, and on each socket the `sync` frames must
/// come before any live event (which is what makes "the highest seq" safe).
fn resume_from_the_highest_seq_races_live_traffic(http: &Http) {
    const WRITES: usize = 120;
    let v = new_visitor(http, "t_msg");
    say(http, &v, "w-first", "first");
    let writer = {
        let http = http.clone();
        let (token, conversation, site) = (v.token.clone(), v.conversation.clone(), v.site);
        thread::spawn(move || {
            let v = Visitor {
                token,
                conversation,
                site,
            };
            for i in 0..WRITES {
                if i % 3 == 2 {
                    let body = json!({"client_id": format!("a{i}"), "body": {"text": format!("agent {i}")}});
                    let r = agent_post(&http, &v, 1, "/messages", body);
                    assert_eq!(r.status, 200, "{}", r.text);
                } else {
                    say(&http, &v, &format!("w{i}"), &format!("visitor {i}"));
                }
                thread::sleep(Duration::from_millis((i as u64 * 7) % 13));
            }
        })
    };

    let mut highest = 0u64;
    let mut received = std::collections::BTreeSet::new();
    let mut sockets = 0u64;
    loop {
        let last_round = writer.is_finished();
        let path = format!("/v1/visitor/ws?after_seq={highest}");
        let mut s = Socket::connect(http.base(), &path, Some(&v.token), Some(ORIGIN))
            .unwrap_or_else(|e| panic!("visitor socket refused: {e:?}"));
        sockets += 1;
        // Short, varied lives: the drop lands before, inside and after the catch-up.
        let life = if last_round {
            Duration::from_secs(2)
        } else {
            Duration::from_millis(3 + (sockets * 37) % 90)
        };
        let mut welcomed = false;
        let mut caught_up = false;
        for f in s.drain(life).unwrap() {
            let seq = match f.event {
                ServerEvent::Welcome(_) => {
                    welcomed = true;
                    continue;
                }
                ServerEvent::Sync { items, complete } => {
                    assert!(
                        welcomed && !caught_up,
                        "sync out of place on socket {sockets}"
                    );
                    assert!(f.re.is_none(), "nobody asked: the catch-up has no re");
                    caught_up = complete;
                    for item in &items {
                        received.insert(item.seq());
                    }
                    items.iter().map(Item::seq).max()
                }
                ServerEvent::MessageCreated(m) => {
                    assert!(caught_up, "live seq {} before the catch-up ended", m.seq);
                    received.insert(m.seq);
                    Some(m.seq)
                }
                ServerEvent::TicketStatusChanged(c) => {
                    assert!(caught_up, "live seq {} before the catch-up ended", c.seq);
                    received.insert(c.seq);
                    Some(c.seq)
                }
                _ => None,
            };
            highest = highest.max(seq.unwrap_or(0));
        }
        s.drop_connection();
        if last_round {
            assert!(caught_up, "the last socket never completed its sync");
            break;
        }
    }
    writer.join().unwrap();
    let all: Vec<u64> = history(http, &v).iter().map(Item::seq).collect();
    let lost: Vec<&u64> = all.iter().filter(|seq| !received.contains(seq)).collect();
    assert!(
        lost.is_empty(),
        "lost {lost:?} of {} items over {sockets} sockets",
        all.len()
    );
    assert!(
        sockets > 10,
        "only {sockets} sockets: the race was not exercised"
    );

    // Agents' sockets resume the same way (with notes, which visitors never get).
    let r = agent_post(
        http,
        &v,
        1,
        "/notes",
        json!({"client_id": "n1", "body": {"text": "note"}}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let path = agent_path(&v, &format!("/ws?after_seq={}", all.len() as u64 - 2));
    let mut a = Socket::connect(http.base(), &path, Some(&agent_token(v.site, 1)), None)
        .unwrap_or_else(|e| panic!("agent socket refused: {e:?}"));
    welcome(&mut a);
    match a.recv(WAIT).unwrap().map(|f| f.event) {
        Some(ServerEvent::Sync {
            items,
            complete: true,
        }) => {
            let seqs: Vec<u64> = items.iter().map(Item::seq).collect();
            let n = all.len() as u64;
            assert_eq!(
                seqs,
                vec![n - 1, n, n + 1],
                "the last two items and the note"
            );
            assert!(matches!(items.last(), Some(Item::Note(_))));
        }
        other => panic!("expected a complete sync, got {other:?}"),
    }
    // A malformed after_seq is refused before the upgrade (the code read over plain HTTP, as
    // tungstenite does not always read the body of a refused upgrade).
    let refused = Socket::connect(
        http.base(),
        "/v1/visitor/ws?after_seq=-1",
        Some(&v.token),
        Some(ORIGIN),
    )
    .err()
    .map(|e| e.status);
    assert_eq!(refused, Some(400));
    let r = http
        .with_header("Upgrade", "websocket")
        .with_header("Sec-WebSocket-Protocol", "porchlight.v1")
        .get("/v1/visitor/ws?after_seq=two", Some(&v.token))
        .unwrap();
    assert_eq!(
        (r.status, r.code()),
        (400, Some("invalid_field")),
        "{}",
        r.text
    );
}

fn retried_client_id_is_stored_once(http: &Http) {
    let v = new_visitor(http, "t_msg");
    let first = say(http, &v, "same-id", "once");
    let again = say(http, &v, "same-id", "once");
    assert_eq!(first.json["duplicate"], false);
    assert_eq!(again.json["duplicate"], true);
    assert_eq!(first.json["message"]["seq"], again.json["message"]["seq"]);
    assert_eq!(texts(&history(http, &v)).len(), 1);
}

fn history_pages_newest_first(http: &Http) {
    let v = new_visitor(http, "t_msg");
    for i in 0..120 {
        say(http, &v, &format!("h{i}"), &format!("message {i}"));
    }
    let r = http
        .get("/v1/visitor/history?limit=50", Some(&v.token))
        .unwrap();
    let items = r.json["items"].as_array().unwrap();
    assert_eq!(items.len(), 50);
    assert_eq!(items[0]["body"]["text"], "message 119", "newest first");
    let seqs: Vec<u64> = items.iter().map(|i| i["seq"].as_u64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] == w[1] + 1),
        "descending without gaps"
    );
    assert_eq!(r.json["next_before"].as_u64(), seqs.last().copied());
    let all = history(http, &v);
    assert_eq!(all.len(), 121, "120 messages and the ticket's creation");
    let seqs: Vec<u64> = all.iter().map(Item::seq).collect();
    assert_eq!(seqs, (1..=121).collect::<Vec<_>>());
}

fn live_chat_closes_at_once(http: &Http) {
    let v = new_visitor(http, "t_live");
    say(http, &v, "1", "need help");
    assert_eq!(agent_post(http, &v, 1, "/accept", json!({})).status, 200);
    assert!(set_status(http, &v, "solved").is_null(), "closed at once");
    say(http, &v, "2", "one more thing");
    let t = ticket(http, &v);
    assert_eq!(
        (t["number"].as_u64(), t["status"].as_str()),
        (Some(2), Some("new"))
    );
    let all = history(http, &v);
    let agent = Author::Agent {
        id: "agent1".into(),
    };
    assert_eq!(
        changes(&all),
        vec![
            (1, None, Status::New, Author::Visitor),
            (1, Some(Status::New), Status::Open, agent.clone()),
            (1, Some(Status::Open), Status::Solved, agent),
            (1, Some(Status::Solved), Status::Closed, Author::System),
            (2, None, Status::New, Author::Visitor),
        ]
    );
    assert_eq!(
        texts(&all),
        vec![(1, "need help".into()), (2, "one more thing".into())]
    );
}

fn live_chat_with_delay(http: &Http) {
    // Closed by the alarm while nobody is connected.
    let v = new_visitor(http, "t_live_delay");
    say(http, &v, "1", "hi");
    set_status(http, &v, "solved");
    assert_eq!(ticket(http, &v)["status"], "solved");
    wait_closed(http, &v, Duration::from_secs(10));
    let c = changes(&history(http, &v));
    assert_eq!(
        c.last(),
        Some(&(1, Some(Status::Solved), Status::Closed, Author::System))
    );
    say(http, &v, "2", "back again");
    assert_eq!(ticket(http, &v)["number"], 2);

    // Writing inside the delay: the old ticket closes now and a new one starts.
    let w = new_visitor(http, "t_live_delay");
    say(http, &w, "1", "hi");
    set_status(http, &w, "solved");
    say(http, &w, "2", "wait, one more");
    let t = ticket(http, &w);
    assert_eq!(
        (t["number"].as_u64(), t["status"].as_str()),
        (Some(2), Some("new"))
    );
    let live: Vec<_> = changes(&history(http, &w))
        .into_iter()
        .filter(|c| c.2 != Status::Closed)
        .collect();
    assert_eq!(live.last().map(|c| c.0), Some(2));
}

fn returning_customer(http: &Http) {
    let v = new_visitor(http, "t_return");
    say(http, &v, "1", "my invoice is wrong");
    agent_post(http, &v, 1, "/accept", json!({}));
    let solved = set_status(http, &v, "solved");
    assert_eq!(solved["status"], "solved");
    assert!(solved["close_at"].as_i64().is_some());
    // Within the window: the same ticket reopens, back to the same agent. Twice.
    for round in 0..2 {
        say(http, &v, &format!("again{round}"), "still wrong");
        let t = ticket(http, &v);
        assert_eq!(
            (t["number"].as_u64(), t["status"].as_str()),
            (Some(1), Some("open")),
            "round {round}"
        );
        assert_eq!(t["assignee"], "agent1");
        set_status(http, &v, "solved");
    }
    wait_closed(http, &v, Duration::from_secs(10));
    say(http, &v, "later", "new question");
    assert_eq!(ticket(http, &v)["number"], 2);
    let c = changes(&history(http, &v));
    let reopened = c
        .iter()
        .filter(|c| c.1 == Some(Status::Solved) && c.2 == Status::Open)
        .count();
    assert_eq!(reopened, 2);
}

fn messaging_style(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "1", "question");
    agent_post(http, &v, 1, "/accept", json!({}));
    assert_eq!(set_status(http, &v, "pending")["status"], "pending");
    say(http, &v, "2", "here is the info");
    assert_eq!(
        ticket(http, &v)["status"],
        "open",
        "a visitor reply takes it back to open"
    );
    assert_eq!(set_status(http, &v, "on_hold")["status"], "on_hold");
    say(http, &v, "3", "any news?");
    assert_eq!(ticket(http, &v)["status"], "open");
    set_status(http, &v, "solved");
    say(http, &v, "4", "thanks, one more");
    let t = ticket(http, &v);
    assert_eq!(
        (t["number"].as_u64(), t["status"].as_str()),
        (Some(1), Some("open"))
    );
    set_status(http, &v, "solved");
    wait_closed(http, &v, Duration::from_secs(10));
    say(http, &v, "5", "weeks later");
    assert_eq!(ticket(http, &v)["number"], 2);
}

fn finish_conversation(http: &Http) {
    let v = new_visitor(http, "t_return");
    say(http, &v, "1", "hello");
    agent_post(http, &v, 1, "/accept", json!({}));
    set_status(http, &v, "pending");
    let r = agent_post(http, &v, 1, "/finish", json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json["ticket"].is_null());
    let again = agent_post(http, &v, 1, "/finish", json!({}));
    assert_eq!((again.status, again.code()), (409, Some("no_live_ticket")));
    say(http, &v, "2", "new topic");
    assert_eq!(ticket(http, &v)["number"], 2);
    let c = changes(&history(http, &v));
    assert!(c.contains(&(
        1,
        Some(Status::Pending),
        Status::Closed,
        Author::Agent {
            id: "agent1".into()
        }
    )));
}

fn agent_ticket_list(http: &Http) {
    let v = new_visitor(http, "t_return");
    say(http, &v, "1", "listed?");
    let list = |site: &str| -> Vec<Value> {
        let r = http
            .get("/v1/agent/tickets", Some(&agent_token(site, 1)))
            .unwrap();
        assert_eq!(r.status, 200, "{}", r.text);
        r.json["tickets"].as_array().unwrap().clone()
    };
    let mine = |rows: Vec<Value>| {
        rows.into_iter()
            .find(|t| t["conversation_id"] == v.conversation.as_str())
    };
    let row = mine(list("t_return")).expect("listed for its site");
    assert_eq!(row["status"], "new");
    assert!(
        mine(list("t_msg")).is_none(),
        "another site's agent does not see it"
    );
    agent_post(http, &v, 1, "/accept", json!({}));
    // The index is updated after the change is stored and announced.
    let start = Instant::now();
    while mine(list("t_return")).map(|r| r["status"].clone()) != Some(json!("open")) {
        assert!(start.elapsed() < WAIT, "index not updated");
        thread::sleep(Duration::from_millis(100));
    }
    agent_post(http, &v, 1, "/finish", json!({}));
    let start = Instant::now();
    while mine(list("t_return")).is_some() {
        assert!(start.elapsed() < WAIT, "closed ticket still listed");
        thread::sleep(Duration::from_millis(100));
    }
}

fn typing_is_relayed(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "1", "hi");
    let mut vs = visitor_socket(http, &v);
    let mut a = agent_socket(http, &v, 1);
    vs.request(ClientMessage::Typing { on: true }).unwrap();
    let got = a
        .recv_until(WAIT, |f| matches!(f.event, ServerEvent::Typing { .. }))
        .unwrap();
    assert!(matches!(
        got.map(|f| f.event),
        Some(ServerEvent::Typing {
            author: Author::Visitor,
            on: true
        })
    ));
    a.request(ClientMessage::Typing { on: true }).unwrap();
    let got = vs
        .recv_until(WAIT, |f| matches!(f.event, ServerEvent::Typing { .. }))
        .unwrap();
    assert!(matches!(
        got.map(|f| f.event),
        Some(ServerEvent::Typing {
            author: Author::Agent { .. },
            on: true
        })
    ));
    // The visitor does not get its own typing back.
    vs.request(ClientMessage::Typing { on: false }).unwrap();
    let echoed = vs.drain(Duration::from_millis(500)).unwrap();
    assert!(!echoed.iter().any(|f| matches!(
        f.event,
        ServerEvent::Typing {
            author: Author::Visitor,
            ..
        }
    )));
}

fn wrong_origin_is_refused(http: &Http) {
    let evil = http.with_origin(Some("https://evil.example"));
    let r = evil
        .post("/v1/visitor/session", None, &json!({"site_id": "t_msg"}))
        .unwrap();
    assert_eq!((r.status, r.code()), (403, Some("origin_not_allowed")));

    let v = new_visitor(http, "t_msg");
    let r = evil.get("/v1/visitor/history", Some(&v.token)).unwrap();
    assert_eq!((r.status, r.code()), (403, Some("origin_not_allowed")));
    let body = json!({"client_id": "x", "body": {"text": "from evil"}});
    let r = evil
        .post("/v1/visitor/messages", Some(&v.token), &body)
        .unwrap();
    assert_eq!((r.status, r.code()), (403, Some("origin_not_allowed")));
    let refused = Socket::connect(
        http.base(),
        "/v1/visitor/ws",
        Some(&v.token),
        Some("https://evil.example"),
    );
    let e = refused.err().expect("socket from a wrong origin refused");
    // The upgrade is refused with the same 403 as HTTP (tungstenite does not always read the
    // body that follows the status line, so the code itself is checked over HTTP above).
    assert_eq!(e.status, 403, "{}", e.body);
    assert!(history(http, &v).is_empty(), "nothing was stored");
}

fn forged_tokens_are_refused(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "1", "mine");
    let (head, _) = v.token.rsplit_once('.').unwrap();
    let forged = format!("{head}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    let other_conv = v.token.replace(&v.conversation, "cv_someoneelse0000000");
    for t in [
        forged.as_str(),
        other_conv.as_str(),
        "v1.t_msg",
        "garbage",
        "v1.nosuchsite.cv_x.AAAA",
    ] {
        let r = http.get("/v1/visitor/history", Some(t)).unwrap();
        assert_eq!((r.status, r.code()), (401, Some("invalid_token")), "{t}");
        let e = Socket::connect(http.base(), "/v1/visitor/ws", Some(t), Some(ORIGIN))
            .err()
            .expect("refused");
        assert_eq!(e.status, 401, "{t}");
    }
    let r = http.get("/v1/visitor/history", None).unwrap();
    assert_eq!((r.status, r.code()), (401, Some("missing_token")));
    let r = http
        .post(
            "/v1/visitor/session",
            None,
            &json!({"site_id": "t_msg", "token": forged}),
        )
        .unwrap();
    assert_eq!((r.status, r.code()), (401, Some("invalid_token")));
    let r = http
        .post(
            "/v1/visitor/session",
            None,
            &json!({"site_id": "t_msg", "token": v.token}),
        )
        .unwrap();
    assert_eq!((r.status, r.json["resumed"].as_bool()), (200, Some(true)));
    assert_eq!(r.json["conversation_id"], v.conversation.as_str());

    // Agents: an unknown token, and an agent of another site.
    let r = http
        .get("/v1/agent/tickets", Some("pl_dev_made_up"))
        .unwrap();
    assert_eq!((r.status, r.code()), (401, Some("invalid_token")));
    let r = http
        .get(
            &agent_path(&v, "/history"),
            Some(&agent_token("t_return", 1)),
        )
        .unwrap();
    assert_eq!((r.status, r.code()), (404, Some("not_found")));
    let e = Socket::connect(
        http.base(),
        &agent_path(&v, "/ws"),
        Some("pl_dev_made_up"),
        None,
    )
    .err()
    .expect("refused");
    assert_eq!(e.status, 401);
    // A visitor token is not an agent token.
    let r = http.get("/v1/agent/tickets", Some(&v.token)).unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(texts(&history(http, &v)).len(), 1);
}

fn bad_http_input(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "1", "baseline");
    let before = history(http, &v);
    let post = |body: Vec<u8>| {
        http.send("POST", "/v1/visitor/messages", Some(&v.token), Some(body))
            .unwrap()
    };
    let cases: Vec<(Vec<u8>, u16, &str)> = vec![
        (b"{not json".to_vec(), 400, "bad_json"),
        (br#"{"client_id": "x"}"#.to_vec(), 400, "bad_json"),
        (vec![b'"', 0xff, 0xfe, b'"'], 400, "invalid_utf8"),
        (vec![b' '; 70 * 1024], 413, "too_large"),
        (
            json!({"client_id": "x", "body": {"text": "   "}})
                .to_string()
                .into_bytes(),
            400,
            "invalid_field",
        ),
        (
            json!({"client_id": "x", "body": {"text": "a".repeat(4001)}})
                .to_string()
                .into_bytes(),
            413,
            "too_large",
        ),
        (
            json!({"client_id": "bad id!", "body": {"text": "hi"}})
                .to_string()
                .into_bytes(),
            400,
            "invalid_field",
        ),
    ];
    for (body, status, code) in cases {
        let r = post(body);
        assert_eq!((r.status, r.code()), (status, Some(code)), "{}", r.text);
        assert!(r.json["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    let r = http
        .post(
            "/v1/visitor/session",
            None,
            &json!({"site_id": "nosuchsite"}),
        )
        .unwrap();
    assert_eq!((r.status, r.code()), (404, Some("unknown_site")));
    let r = http
        .post("/v1/visitor/session", None, &json!({"site_id": "../etc"}))
        .unwrap();
    assert_eq!((r.status, r.code()), (400, Some("invalid_field")));
    let r = http.get("/v1/nothing/here", None).unwrap();
    assert_eq!((r.status, r.code()), (404, Some("not_found")));
    let r = http.get("/v1/visitor/messages", Some(&v.token)).unwrap();
    assert_eq!((r.status, r.code()), (405, Some("method_not_allowed")));
    let r = http
        .get("/v1/visitor/history?limit=lots", Some(&v.token))
        .unwrap();
    assert_eq!((r.status, r.code()), (400, Some("invalid_field")));
    let r = agent_post(http, &v, 1, "/status", json!({"to": "new"}));
    assert_eq!((r.status, r.code()), (409, Some("invalid_transition")));
    let r = agent_post(http, &v, 1, "/status", json!({"to": "reopened"}));
    assert_eq!((r.status, r.code()), (400, Some("bad_json")));
    assert_eq!(
        history(http, &v),
        before,
        "nothing stored by refused requests"
    );
}

fn bad_socket_frames(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "1", "baseline");
    let before = history(http, &v);
    let mut s = visitor_socket(http, &v);
    let expect_error = |s: &mut Socket, code: &str| {
        let f = s
            .recv_until(WAIT, |f| matches!(f.event, ServerEvent::Error(_)))
            .unwrap();
        match f {
            Some(ServerFrame {
                event: ServerEvent::Error(e),
                re,
            }) => {
                assert_eq!(serde_json::to_value(e.code).unwrap(), code);
                re
            }
            other => panic!("expected {code}, got {other:?}"),
        }
    };
    s.send_text("{oops").unwrap();
    expect_error(&mut s, "bad_json");
    s.send_text(r#"{"id": "u1", "type": "teleport"}"#).unwrap();
    assert_eq!(expect_error(&mut s, "unknown_type").as_deref(), Some("u1"));
    s.send_text(r#"{"id": "u2", "type": "send_message", "client_id": "x"}"#)
        .unwrap();
    assert_eq!(expect_error(&mut s, "bad_json").as_deref(), Some("u2"));
    s.send_binary(vec![0xff, 0x00, 0x01]).unwrap();
    expect_error(&mut s, "invalid_utf8");
    s.send_text(&format!(
        r#"{{"type": "ping", "pad": "{}"}}"#,
        "x".repeat(40 * 1024)
    ))
    .unwrap();
    expect_error(&mut s, "too_large");
    s.request(ClientMessage::SetStatus { to: Status::Solved })
        .unwrap();
    expect_error(&mut s, "forbidden");
    send(&mut s, "empty", " ");
    expect_error(&mut s, "invalid_field");
    // The socket is still usable after all that.
    let id = s.request(ClientMessage::Ping).unwrap();
    assert_eq!(s.answer(&id, WAIT).unwrap(), Some(ServerEvent::Pong));
    assert_eq!(history(http, &v), before);
}

/// History and a pending alarm survive stopping and starting `wrangler dev` on the same folder;
/// the alarm fires even though nobody reconnects.
fn survives_restart(dir: &Path) {
    let mut server = Wrangler::start_any_port(dir).unwrap();
    let http = Http::new(&server.base_url, Some(ORIGIN));
    let v = new_visitor(&http, "t_return");
    for i in 0..5 {
        say(&http, &v, &format!("r{i}"), &format!("before restart {i}"));
    }
    agent_post(&http, &v, 1, "/accept", json!({}));
    set_status(&http, &v, "solved");
    let before = history(&http, &v);
    server.stop();

    // The reopen window (3 s) ends while the server is down.
    thread::sleep(Duration::from_secs(4));
    // On new ports: the old ones may have been taken meanwhile.
    let mut server = Wrangler::start_any_port(dir).unwrap();
    let http = Http::new(&server.base_url, Some(ORIGIN));
    let after = history(&http, &v);
    assert_eq!(
        &after[..before.len()],
        &before[..],
        "history kept across the restart"
    );
    wait_closed(&http, &v, Duration::from_secs(15));
    let c = changes(&history(&http, &v));
    assert_eq!(
        c.last(),
        Some(&(1, Some(Status::Solved), Status::Closed, Author::System))
    );
    server.stop();
}

/// The runtime decodes text frames before the edge sees them, putting U+FFFD where bytes were
/// not UTF-8 (docs/API.md, "Frames"): such frames, and frames holding a literal U+FFFD, are
/// refused; the character itself can still be sent as the JSON escape.
fn invalid_utf8_frames(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "1", "baseline");
    let before = history(http, &v);
    let mut s = visitor_socket(http, &v);
    let refused = |s: &mut Socket, what: &str| {
        let f = s
            .recv_until(WAIT, |f| {
                matches!(
                    f.event,
                    ServerEvent::Error(_)
                        | ServerEvent::Ack { .. }
                        | ServerEvent::MessageCreated(_)
                )
            })
            .unwrap();
        match f.map(|f| f.event) {
            Some(ServerEvent::Error(e)) => {
                assert_eq!(
                    serde_json::to_value(e.code).unwrap(),
                    "invalid_utf8",
                    "{what}"
                )
            }
            other => panic!("{what}: expected invalid_utf8, got {other:?}"),
        }
    };
    let mut bad =
        br#"{"id": "b1", "type": "send_message", "client_id": "bad-1", "body": {"text": "caf"#
            .to_vec();
    bad.extend_from_slice(&[0xff, 0xfe]);
    bad.extend_from_slice(br#""}}"#);
    s.send_text_bytes(bad).unwrap();
    refused(&mut s, "invalid bytes in a text frame");
    s.send_text("{\"id\": \"b2\", \"type\": \"send_message\", \"client_id\": \"bad-2\", \"body\": {\"text\": \"a\u{FFFD}b\"}}")
        .unwrap();
    refused(&mut s, "a literal U+FFFD");
    let mut binary =
        br#"{"type": "send_message", "client_id": "bad-3", "body": {"text": "x"#.to_vec();
    binary.extend_from_slice(&[0xc3, 0x28]);
    binary.extend_from_slice(br#""}}"#);
    s.send_binary(binary).unwrap();
    refused(&mut s, "invalid bytes in a binary frame");
    // Nothing of that was stored, and the socket still works.
    assert_eq!(history(http, &v), before);
    s.send_text(r#"{"id": "ok", "type": "send_message", "client_id": "escaped", "body": {"text": "a\ufffdb"}}"#)
        .unwrap();
    match s.answer("ok", WAIT).unwrap() {
        Some(ServerEvent::Ack { client_id, .. }) => assert_eq!(client_id, "escaped"),
        other => panic!("the escaped character was refused: {other:?}"),
    }
    let after = history(http, &v);
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(
        texts(&after).last().map(|t| t.1.clone()),
        Some("a\u{FFFD}b".to_owned())
    );
}

/// Every JSON body must come as `application/json` (parameters allowed); anything else is
/// `unsupported_media_type` (415) and stores nothing.
fn json_bodies_need_their_content_type(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "1", "baseline");
    let before = history(http, &v);
    let message = json!({"client_id": "typed", "body": {"text": "hi"}});
    let login = json!({"site_id": v.site, "email": "a@example.com", "password": "0123456789"});
    let agent = agent_token(v.site, 1);
    let agent_messages = agent_path(&v, "/messages");
    let mut cases: Vec<(&str, Option<&str>, &str, &Value)> = [
        "text/plain",
        "",
        "application/x-www-form-urlencoded",
        "application/jsonx",
    ]
    .into_iter()
    .map(|t| ("/v1/visitor/messages", Some(v.token.as_str()), t, &message))
    .collect();
    cases.push((&agent_messages, Some(&agent), "text/plain", &message));
    cases.push(("/v1/console/login", None, "text/plain", &login));
    cases.push(("/v1/visitor/session", None, "", &login));
    for (path, token, content_type, body) in cases {
        let r = http
            .send_typed(
                "POST",
                path,
                token,
                content_type,
                Some(body.to_string().into_bytes()),
            )
            .unwrap();
        assert_eq!(
            (r.status, r.code()),
            (415, Some("unsupported_media_type")),
            "{path} with Content-Type {content_type:?}: {}",
            r.text
        );
    }
    assert_eq!(history(http, &v), before, "nothing stored");
    let r = http
        .send_typed(
            "POST",
            "/v1/visitor/messages",
            Some(&v.token),
            "Application/JSON; charset=utf-8",
            Some(message.to_string().into_bytes()),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text);
}

fn api_doc() -> String {
    let path = harness::repo_root().join("docs/API.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `### METHOD /path` of docs/API.md, by path: the methods documented for it.
fn documented_endpoints(doc: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for line in doc.lines() {
        let Some(head) = line.strip_prefix("### ") else {
            continue;
        };
        let Some((method, path)) = head.split_once(' ') else {
            continue;
        };
        if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method) && path.starts_with('/') {
            out.entry(path.to_owned())
                .or_default()
                .push(method.to_owned());
        }
    }
    out
}

/// docs/API.md, "Any other path": a known path with a method it does not support answers
/// `method_not_allowed` (with valid credentials where the path needs them). Checked for every
/// path the document has a section for.
fn documented_paths_refuse_other_methods(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "1", "hello");
    let login = http
        .with_origin(None)
        .post(
            "/v1/console/login",
            None,
            &json!({"site_id": "t_team", "email": "admin@t_team.test", "password": "test-admin-password"}),
        )
        .unwrap();
    assert_eq!(login.status, 200, "sign-in: {}", login.text);
    let console = http.with_origin(None).with_session(&login.session.unwrap());
    let endpoints = documented_endpoints(&api_doc());
    assert!(
        endpoints.len() >= 30,
        "parsed too few endpoints: {endpoints:?}"
    );
    let mut wrong = Vec::new();
    for (path, methods) in &endpoints {
        let method = ["PATCH", "DELETE", "PUT", "POST", "GET"]
            .into_iter()
            .find(|m| !methods.iter().any(|d| d == m))
            .unwrap();
        let real = path
            .replace("{conversation_id}", &v.conversation)
            .replace("{attachment_id}", "at_unknown")
            .replace("{id}", "agent1")
            .replace("{shortcut}", "hello");
        let body = (method != "GET").then(|| b"{}".to_vec());
        let r = if path.starts_with("/v1/agent/") {
            http.send(method, &real, Some(&agent_token(v.site, 1)), body)
        } else if path.starts_with("/v1/console/") {
            console.send(method, &real, None, body)
        } else {
            http.send(method, &real, Some(&v.token), body)
        }
        .unwrap();
        if (r.status, r.code()) != (405, Some("method_not_allowed")) {
            wrong.push(format!("{method} {path}: {} {}", r.status, r.text));
        }
    }
    assert!(wrong.is_empty(), "not 405:\n{}", wrong.join("\n"));
}

/// docs/API.md, "Which frames are answered": each client message, sent as the table's "who"
/// may send it, gets the answer the table names (`none`: nothing with its `re`); a message for
/// agents only is `forbidden` to the visitor, and one for visitors only to the agent.
fn answered_frames_are_as_documented(http: &Http) {
    let doc = api_doc();
    let (_, table) = doc.split_once("Which frames are answered:").unwrap();
    let rows: Vec<Vec<String>> = table
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            l.split('|')
                .map(|c| c.trim().trim_matches('`').to_owned())
                .collect()
        })
        .collect();
    // In an order that makes each one valid: the visitor has written, the agent accepts before
    // replying (a reply would accept it already) and solving it, the visitor rates the solved
    // ticket, and the agent finishes last.
    let frames: Vec<(&str, Value)> = vec![
        ("ping", json!({})),
        ("resume", json!({"after_seq": 0})),
        ("read", json!({"seq": 1})),
        ("typing", json!({"on": true})),
        ("accept", json!({})),
        (
            "send_message",
            json!({"client_id": "table-1", "body": {"text": "from the table"}}),
        ),
        ("set_status", json!({"to": "solved"})),
        ("rate", json!({"csat": 5})),
        ("finish", json!({})),
    ];
    let mut names: Vec<&str> = frames.iter().map(|f| f.0).collect();
    names.sort_unstable();
    let mut documented: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    documented.sort_unstable();
    assert_eq!(
        names, documented,
        "the table and this test list different messages"
    );

    let v = new_visitor(http, "t_msg");
    say(http, &v, "1", "hello");
    let mut visitor = visitor_socket(http, &v);
    let mut agent = agent_socket(http, &v, 1);
    for (n, (name, fields)) in frames.into_iter().enumerate() {
        let row = rows.iter().find(|r| r[1] == name).unwrap();
        let (answer, who) = (row[2].as_str(), row[3].as_str());
        let mut frame = fields;
        frame["type"] = json!(name);
        // The side that may not send it is refused first; then the side that may gets its answer.
        let (refused, allowed) = match who {
            "agents" => (Some(&mut visitor), &mut agent),
            "visitors" => (Some(&mut agent), &mut visitor),
            _ => (None, &mut agent),
        };
        if let Some(socket) = refused {
            let id = format!("x{n}");
            frame["id"] = json!(id);
            socket.send_text(&frame.to_string()).unwrap();
            match socket.answer(&id, WAIT).unwrap() {
                Some(ServerEvent::Error(e)) => {
                    assert_eq!(serde_json::to_value(e.code).unwrap(), "forbidden", "{name}")
                }
                other => panic!("{name} from the side that may not: {other:?}"),
            }
        }
        let id = format!("a{n}");
        frame["id"] = json!(id);
        allowed.send_text(&frame.to_string()).unwrap();
        let got = if answer == "none" {
            allowed.answer(&id, Duration::from_secs(1)).unwrap()
        } else {
            allowed.answer(&id, WAIT).unwrap()
        };
        let got_type = got
            .map(|e| {
                serde_json::to_value(&e).unwrap()["type"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .unwrap_or_else(|| "none".to_owned());
        assert_eq!(got_type, answer, "the answer to {name}");
    }
}

/// docs/API.md, sections 3 and 4: storing a profile does not start the conversation; agents
/// find it only once the visitor has written.
fn a_profile_alone_is_not_a_conversation(http: &Http) {
    let v = new_visitor(http, "t_msg");
    let profile = json!({"locale": "pt-BR", "page_url": "https://allowed.example/pricing"});
    let r = http
        .send(
            "PUT",
            "/v1/visitor/profile",
            Some(&v.token),
            Some(profile.to_string().into_bytes()),
        )
        .unwrap();
    assert_eq!(r.status, 204, "{}", r.text);
    let r = http
        .get(&agent_path(&v, ""), Some(&agent_token(v.site, 1)))
        .unwrap();
    assert_eq!((r.status, r.code()), (404, Some("not_found")), "{}", r.text);
    say(http, &v, "1", "now I write");
    let r = http
        .get(&agent_path(&v, ""), Some(&agent_token(v.site, 1)))
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text);
}
