//! The console's backend against the real runtime: sign-in, sessions and roles, presence from
//! console sockets, and routing by availability, capacity and skills through the per-site
//! `Team` Durable Object. Each case has a site (and so a team) of its own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test suite: failing loudly is the point

mod common;

use std::time::Duration;

use common::{history, login, new_visitor, say, texts, Visitor};
use porchlight_shared::console::{ConsoleEvent, ConsoleRequest, InboxTicket};
use porchlight_shared::protocol::{Item, ServerEvent};
use porchlight_shared::routing::Presence;
use porchlight_shared::validate::MAX_CAPACITY;
use porchlight_xtask::client::{Http, Socket};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(5);
const ADMIN_PASSWORD: &str = "test-admin-password";
const AGENT_PASSWORD: &str = "agent-password-1";

fn main() {
    common::run_suite(
        "console runtime",
        vec![
            (
                "sign-in: one answer for unknown and wrong, sessions, sign-out",
                sign_in,
            ),
            (
                "repeated failed sign-ins are slowed down",
                failed_sign_ins_are_slowed,
            ),
            (
                "many guesses from one address, across accounts, are slowed down",
                guesses_from_one_address_are_slowed,
            ),
            (
                "roles are checked on every endpoint and socket",
                roles_are_checked,
            ),
            (
                "capacity over the limit is refused with invalid_field; nothing stored",
                capacity_limit,
            ),
            (
                "a ticket is offered to the agent with its language skill",
                routed_by_skill,
            ),
            (
                "capacity full: queued, then offered when freed",
                capacity_queues_and_frees,
            ),
            (
                "presence: away takes nothing; closing every tab goes offline",
                presence,
            ),
            (
                "notes stay internal; transfers are recorded and re-routed",
                notes_and_transfers,
            ),
            (
                "finish from the console; the next message is a new ticket",
                finish_then_new_ticket,
            ),
            (
                "a burst of visitor messages reaches the inbox as a few updates, the newest last",
                burst_reaches_the_inbox_coalesced,
            ),
        ],
        vec![],
    );
}

// ---------------------------------------------------------------- helpers

fn admin(http: &Http, site: &str) -> Http {
    let r = login(http, site, &format!("admin@{site}.test"), ADMIN_PASSWORD);
    assert_eq!(r.status, 200, "admin sign-in: {}", r.text);
    http.with_origin(None).with_session(&r.session.unwrap())
}

/// An agent created by the site's admin and signed in: (id, session, client).
fn agent(
    http: &Http,
    site: &str,
    name: &str,
    skills: &[&str],
    capacity: u32,
) -> (String, String, Http) {
    let email = format!("{name}@{site}.test");
    let r = admin(http, site)
        .post(
            "/v1/console/agents",
            None,
            &json!({"email": email, "name": name, "role": "agent", "skills": skills,
                    "capacity": capacity, "password": AGENT_PASSWORD}),
        )
        .unwrap();
    assert_eq!(r.status, 201, "invite: {}", r.text);
    let id = r.json["id"].as_str().unwrap().to_owned();
    let s = login(http, site, &email, AGENT_PASSWORD);
    assert_eq!(s.status, 200, "agent sign-in: {}", s.text);
    let session = s.session.unwrap();
    let client = http.with_origin(None).with_session(&session);
    (id, session, client)
}

/// A console tab: connected and past its snapshot.
fn console(http: &Http, session: &str) -> Socket {
    let mut s = Socket::connect_console(http.base(), "/v1/console/ws", Some(session))
        .unwrap_or_else(|e| panic!("console socket refused: {e:?}"));
    let first: Option<ConsoleEvent> = s.recv_as(WAIT).unwrap();
    assert!(
        matches!(first, Some(ConsoleEvent::Snapshot { .. })),
        "{first:?}"
    );
    s
}

fn offer(s: &mut Socket, within: Duration) -> Option<InboxTicket> {
    match s
        .recv_until_as::<ConsoleEvent>(within, |e| matches!(e, ConsoleEvent::Offer(_)))
        .unwrap()
    {
        Some(ConsoleEvent::Offer(t)) => Some(t),
        _ => None,
    }
}

fn visitor(http: &Http, site: &'static str, locale: Option<&str>) -> Visitor {
    let v = new_visitor(http, site);
    if let Some(l) = locale {
        let page = "https://allowed.example/pricing";
        common::put_profile(http, &v, &json!({"locale": l, "page_url": page}));
    }
    v
}

fn conv(v: &Visitor, action: &str) -> String {
    format!("/v1/agent/conversations/{}{action}", v.conversation)
}

fn inbox(client: &Http) -> Vec<Value> {
    let r = client.get("/v1/console/inbox", None).unwrap();
    assert_eq!(r.status, 200, "inbox: {}", r.text);
    r.json["tickets"].as_array().unwrap().clone()
}

fn members(client: &Http) -> Vec<Value> {
    let r = client.get("/v1/console/agents", None).unwrap();
    assert_eq!(r.status, 200, "team: {}", r.text);
    r.json["members"].as_array().unwrap().clone()
}

fn presence_of(client: &Http, id: &str) -> String {
    members(client)
        .into_iter()
        .find(|m| m["agent"]["id"] == id)
        .map(|m| m["presence"].as_str().unwrap().to_owned())
        .unwrap()
}

// ---------------------------------------------------------------- cases

fn sign_in(http: &Http) {
    let site = "t_team_a";
    let wrong = login(http, site, "admin@t_team_a.test", "not-the-password");
    let unknown = login(http, site, "nobody@t_team_a.test", "not-the-password");
    assert_eq!(
        (wrong.status, wrong.code()),
        (401, Some("invalid_credentials"))
    );
    assert_eq!(
        (unknown.status, unknown.text.clone()),
        (wrong.status, wrong.text.clone()),
        "same answer"
    );
    assert!(wrong.session.is_none());

    let ok = login(http, site, "ADMIN@t_team_a.test", ADMIN_PASSWORD);
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json["agent"]["role"], "admin");
    let session = ok.session.unwrap();
    let me = http.with_origin(None).with_session(&session);
    assert_eq!(
        me.get("/v1/console/me", None).unwrap().json["site_id"],
        site
    );
    // A cookie only counts from the console's own origin.
    let cross = http
        .with_session(&session)
        .get("/v1/console/me", None)
        .unwrap();
    assert_eq!(
        (cross.status, cross.code()),
        (403, Some("origin_not_allowed"))
    );
    let out = me.post("/v1/console/logout", None, &json!({})).unwrap();
    assert_eq!(out.status, 204);
    let after = me.get("/v1/console/me", None).unwrap();
    assert_eq!((after.status, after.code()), (401, Some("invalid_token")));
    let none = http.with_origin(None).get("/v1/console/me", None).unwrap();
    assert_eq!((none.status, none.code()), (401, Some("missing_token")));
}

fn failed_sign_ins_are_slowed(http: &Http) {
    let site = "t_team_b";
    let email = "admin@t_team_b.test";
    for i in 0..5 {
        let r = login(http, site, email, "guess");
        assert_eq!(r.code(), Some("invalid_credentials"), "try {i}");
    }
    // Even the right password waits now.
    let r = login(http, site, email, ADMIN_PASSWORD);
    assert_eq!(
        (r.status, r.code()),
        (429, Some("rate_limited")),
        "{}",
        r.text
    );
    // The wait, in whole seconds, for clients that retry by themselves.
    let retry_after: u64 = r.headers["retry-after"].parse().unwrap();
    assert!((1..=2).contains(&retry_after), "Retry-After: {retry_after}");
    std::thread::sleep(Duration::from_millis(1_100));
    let r = login(http, site, email, ADMIN_PASSWORD);
    assert_eq!(r.status, 200, "after the wait: {}", r.text);
}

fn guesses_from_one_address_are_slowed(http: &Http) {
    let site = "t_team_b";
    let from = |address: &str| http.with_header("CF-Connecting-IP", address);
    let guesser = from("198.51.100.7");
    // Fifty wrong guesses across fifty accounts (one each: no account's own count is reached).
    for i in 0..50 {
        let r = login(&guesser, site, &format!("guess{i}@t_team_b.test"), "guess");
        assert_eq!(
            r.code(),
            Some("invalid_credentials"),
            "guess {i}: {}",
            r.text
        );
    }
    // From that address even the right password of another account waits now...
    let r = login(&guesser, site, "admin@t_team_b.test", ADMIN_PASSWORD);
    assert_eq!(
        (r.status, r.code()),
        (429, Some("rate_limited")),
        "{}",
        r.text
    );
    assert!(r.headers.contains_key("retry-after"));
    // ...while everyone else signs in as usual.
    let r = login(
        &from("198.51.100.8"),
        site,
        "admin@t_team_b.test",
        ADMIN_PASSWORD,
    );
    assert_eq!(r.status, 200, "another address: {}", r.text);
}

fn roles_are_checked(http: &Http) {
    let site = "t_team_c";
    let (_, session, agent_client) = agent(http, site, "carla", &["en"], 2);
    let invite = json!({"email": "x@t_team_c.test", "name": "X", "role": "admin", "capacity": 1, "password": "0123456789ab"});
    for (method, path, body) in [
        ("POST", "/v1/console/agents", invite.clone()),
        ("PATCH", "/v1/console/agents/admin", json!({"capacity": 9})),
        ("PUT", "/v1/console/canned/hello", json!({"text": "hi"})),
        ("DELETE", "/v1/console/canned/hello", json!({})),
    ] {
        let r = agent_client
            .send(method, path, None, Some(body.to_string().into_bytes()))
            .unwrap();
        assert_eq!(
            (r.status, r.code()),
            (403, Some("forbidden")),
            "{method} {path}"
        );
    }
    // Reading the team (for transfers) and canned responses is for everyone.
    assert_eq!(
        agent_client.get("/v1/console/agents", None).unwrap().status,
        200
    );
    assert_eq!(
        agent_client.get("/v1/console/canned", None).unwrap().status,
        200
    );
    // The admin can; the invited account signs in with its password.
    let r = admin(http, site)
        .post("/v1/console/agents", None, &invite)
        .unwrap();
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        login(http, site, "x@t_team_c.test", "0123456789ab").status,
        200
    );
    let short = admin(http, site)
        .post("/v1/console/agents", None, &json!({"email": "y@t_team_c.test", "name": "Y", "role": "agent", "capacity": 1, "password": "short"}))
        .unwrap();
    assert_eq!((short.status, short.code()), (400, Some("invalid_field")));

    // Signed out: no console socket, no conversation socket, no inbox.
    let e = Socket::connect_console(http.base(), "/v1/console/ws", None)
        .err()
        .expect("refused");
    assert_eq!(e.status, 401);
    let e = Socket::connect_console(http.base(), "/v1/console/ws", Some("forged-session"))
        .err()
        .expect("refused");
    assert_eq!(e.status, 401);
    let v = visitor(http, site, None);
    say(http, &v, "1", "hello");
    let e = Socket::connect_console(http.base(), &conv(&v, "/ws"), None)
        .err()
        .expect("refused");
    assert_eq!(e.status, 401);
    assert!(Socket::connect_console(http.base(), &conv(&v, "/ws"), Some(&session)).is_ok());
    // A visitor's token opens nothing on the agent side.
    let r = http.get(&conv(&v, "/history"), Some(&v.token)).unwrap();
    assert_eq!(r.status, 401);
}

fn capacity_limit(http: &Http) {
    let site = "t_team_c";
    let client = admin(http, site);
    let capacity_of = |email: &str| {
        members(&client)
            .into_iter()
            .find(|m| m["agent"]["email"] == email)
            .map(|m| m["agent"]["capacity"].as_u64().unwrap())
    };
    let invite = |email: &str, capacity: u32| {
        client
            .post(
                "/v1/console/agents",
                None,
                &json!({"email": email, "name": "Cap", "role": "agent",
                    "capacity": capacity, "password": AGENT_PASSWORD}),
            )
            .unwrap()
    };
    let over = invite("over@t_team_c.test", MAX_CAPACITY + 1);
    assert_eq!(
        (over.status, over.code()),
        (400, Some("invalid_field")),
        "{}",
        over.text
    );
    assert_eq!(capacity_of("over@t_team_c.test"), None, "nothing stored");
    let most = invite("most@t_team_c.test", MAX_CAPACITY);
    assert_eq!(most.status, 201, "{}", most.text);
    let id = most.json["id"].as_str().unwrap().to_owned();
    let r = client
        .send(
            "PATCH",
            &format!("/v1/console/agents/{id}"),
            None,
            Some(
                json!({"capacity": MAX_CAPACITY + 1})
                    .to_string()
                    .into_bytes(),
            ),
        )
        .unwrap();
    assert_eq!(
        (r.status, r.code()),
        (400, Some("invalid_field")),
        "{}",
        r.text
    );
    assert_eq!(
        capacity_of("most@t_team_c.test"),
        Some(u64::from(MAX_CAPACITY))
    );
}

fn routed_by_skill(http: &Http) {
    let site = "t_team_d";
    let (en_id, en_session, _) = agent(http, site, "emma", &["en"], 2);
    let (pt_id, pt_session, _) = agent(http, site, "paulo", &["pt", "billing"], 1);
    let mut en = console(http, &en_session);
    let mut pt = console(http, &pt_session);

    let brazil = visitor(http, site, Some("pt-BR"));
    say(http, &brazil, "1", "Olá, preciso de ajuda");
    let got = offer(&mut pt, WAIT).expect("offered to the Portuguese speaker");
    assert_eq!(
        (got.conversation_id.as_str(), got.skills.clone()),
        (brazil.conversation.as_str(), vec!["pt".to_owned()])
    );
    assert_eq!(got.offered_to.as_deref(), Some(pt_id.as_str()));
    assert!(
        offer(&mut en, Duration::from_millis(800)).is_none(),
        "not to the English speaker"
    );

    let london = visitor(http, site, Some("en-GB"));
    say(http, &london, "1", "Hi there");
    let got = offer(&mut en, WAIT).expect("offered to the English speaker");
    assert_eq!(got.conversation_id, london.conversation);
    assert_eq!(got.offered_to.as_deref(), Some(en_id.as_str()));
}

fn capacity_queues_and_frees(http: &Http) {
    let site = "t_team_e";
    let (_, session, client) = agent(http, site, "paula", &["pt"], 1);
    let mut tab = console(http, &session);
    let first = visitor(http, site, Some("pt"));
    say(http, &first, "1", "primeiro");
    offer(&mut tab, WAIT).expect("first offered");
    let r = client
        .post(&conv(&first, "/accept"), None, &json!({}))
        .unwrap();
    assert_eq!(r.json["ticket"]["status"], "open", "{}", r.text);

    // Capacity 1 is full: the second waits in the queue.
    let second = visitor(http, site, Some("pt"));
    say(http, &second, "1", "segundo");
    assert!(
        offer(&mut tab, Duration::from_millis(1_000)).is_none(),
        "full: not offered"
    );
    let queued = inbox(&client)
        .into_iter()
        .find(|t| t["conversation_id"] == second.conversation.as_str())
        .expect("in the inbox");
    assert_eq!(
        (queued["status"].as_str(), queued["offered_to"].is_null()),
        (Some("new"), true)
    );
    assert!(queued["waiting_since"].is_number());

    // Pending frees the slot: the queue moves.
    let r = client
        .post(&conv(&first, "/status"), None, &json!({"to": "pending"}))
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text);
    let got = offer(&mut tab, WAIT).expect("offered once capacity freed");
    assert_eq!(got.conversation_id, second.conversation);
}

fn presence(http: &Http) {
    let site = "t_team_f";
    let (id, session, client) = agent(http, site, "flora", &[], 3);
    assert_eq!(presence_of(&client, &id), "offline");
    let mut tab1 = console(http, &session);
    let tab2 = console(http, &session);
    assert_eq!(presence_of(&client, &id), "online");

    tab1.send_json(&ConsoleRequest::SetPresence {
        presence: Presence::Away,
    })
    .unwrap();
    let changed = tab1
        .recv_until_as::<ConsoleEvent>(
            WAIT,
            |e| matches!(e, ConsoleEvent::MemberChanged(m) if m.presence == Presence::Away),
        )
        .unwrap();
    assert!(changed.is_some());
    let v = visitor(http, site, None);
    say(http, &v, "1", "anyone?");
    assert!(
        offer(&mut tab1, Duration::from_millis(800)).is_none(),
        "away: nothing offered"
    );

    let r = client
        .send(
            "PUT",
            "/v1/console/presence",
            None,
            Some(br#"{"presence":"online"}"#.to_vec()),
        )
        .unwrap();
    assert_eq!(r.json["presence"], "online", "{}", r.text);
    let got = offer(&mut tab1, WAIT).expect("back online: the waiting ticket is offered");
    assert_eq!(got.conversation_id, v.conversation);

    // Closing one tab keeps the agent online; closing the last drops them to offline and the
    // offer goes back to the queue.
    tab2.close();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(presence_of(&client, &id), "online");
    tab1.close();
    let start = std::time::Instant::now();
    while presence_of(&client, &id) != "offline" {
        assert!(
            start.elapsed() < WAIT,
            "still {}",
            presence_of(&client, &id)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let t = inbox(&client)
        .into_iter()
        .find(|t| t["conversation_id"] == v.conversation.as_str())
        .unwrap();
    assert!(t["offered_to"].is_null(), "offer withdrawn: {t}");
}

fn notes_and_transfers(http: &Http) {
    let site = "t_team_g";
    let (gil, gil_session, gil_client) = agent(http, site, "gil", &["en"], 3);
    let (_, bea_session, _) = agent(http, site, "bea", &["en", "billing"], 3);
    let mut bea_tab = console(http, &bea_session);
    let _gil_tab = console(http, &gil_session);
    let v = visitor(http, site, None);
    say(http, &v, "1", "my card was charged twice");
    let mut visitor_ws = Socket::connect(
        http.base(),
        "/v1/visitor/ws",
        Some(&v.token),
        Some(common::ORIGIN),
    )
    .unwrap();
    visitor_ws.recv(WAIT).unwrap();
    let mut agent_ws =
        Socket::connect_console(http.base(), &conv(&v, "/ws"), Some(&gil_session)).unwrap();
    agent_ws.recv(WAIT).unwrap();

    assert_eq!(
        gil_client
            .post(&conv(&v, "/accept"), None, &json!({}))
            .unwrap()
            .status,
        200
    );
    let r = gil_client
        .post(
            &conv(&v, "/notes"),
            None,
            &json!({"client_id": "n1", "body": {"text": "double charge, check Stripe"}}),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text);
    let got = agent_ws
        .recv_until(WAIT, |f| matches!(f.event, ServerEvent::NoteCreated(_)))
        .unwrap();
    assert!(got.is_some(), "agents hear of the note");
    let leaked = visitor_ws.drain(Duration::from_millis(600)).unwrap();
    assert!(
        !leaked
            .iter()
            .any(|f| matches!(f.event, ServerEvent::NoteCreated(_))),
        "the visitor never does"
    );
    assert!(
        !history(http, &v).iter().any(|i| matches!(i, Item::Note(_))),
        "nor in their history"
    );
    let agent_history = gil_client.get(&conv(&v, "/history"), None).unwrap();
    assert!(
        agent_history.text.contains("double charge"),
        "agents see it in the history"
    );

    // To a department: back to routing, offered to the agent with the skill.
    let r = gil_client
        .post(
            &conv(&v, "/transfer"),
            None,
            &json!({"to": "department", "skill": "billing"}),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json["ticket"]["assignee"].is_null());
    // (Bea may have been offered the ticket while it was New, before Gil took it.)
    let billing = bea_tab
        .recv_until_as::<ConsoleEvent>(
            WAIT,
            |e| matches!(e, ConsoleEvent::Offer(t) if !t.skills.is_empty()),
        )
        .unwrap();
    let Some(ConsoleEvent::Offer(got)) = billing else {
        panic!("not offered to billing")
    };
    assert_eq!(got.skills, vec!["billing".to_owned()]);
    let r = http
        .with_origin(None)
        .with_session(&bea_session)
        .post(&conv(&v, "/accept"), None, &json!({}))
        .unwrap();
    assert_eq!(
        r.json["ticket"]["assignee"]
            .as_str()
            .map(|a| a.starts_with("bea")),
        Some(true),
        "{}",
        r.text
    );
    // To an agent, directly; an unknown agent is refused.
    let r = gil_client
        .post(
            &conv(&v, "/transfer"),
            None,
            &json!({"to": "agent", "agent_id": "nobody"}),
        )
        .unwrap();
    assert_eq!((r.status, r.code()), (400, Some("invalid_field")));
    let r = gil_client
        .post(
            &conv(&v, "/transfer"),
            None,
            &json!({"to": "agent", "agent_id": gil}),
        )
        .unwrap();
    assert_eq!(r.json["ticket"]["assignee"], gil.as_str());
    let transfers: Vec<(Option<String>, Option<String>)> = history(http, &v)
        .into_iter()
        .filter_map(|i| match i {
            Item::Transfer(t) => Some((t.to_agent, t.to_skill)),
            _ => None,
        })
        .collect();
    assert_eq!(
        transfers.len(),
        3,
        "every transfer is in the history: {transfers:?}"
    );
    assert_eq!(transfers[0], (None, Some("billing".into())));
    assert_eq!(transfers[2], (Some(gil), None));
}

fn finish_then_new_ticket(http: &Http) {
    let site = "t_team_h";
    let (_, session, client) = agent(http, site, "hugo", &[], 2);
    let mut tab = console(http, &session);
    let v = visitor(http, site, None);
    say(http, &v, "1", "first question");
    offer(&mut tab, WAIT).expect("offered");
    client.post(&conv(&v, "/accept"), None, &json!({})).unwrap();
    let r = client.post(&conv(&v, "/finish"), None, &json!({})).unwrap();
    assert!(r.json["ticket"].is_null(), "{}", r.text);
    let closed = tab
        .recv_until_as::<ConsoleEvent>(WAIT, |e| matches!(e, ConsoleEvent::TicketClosed { .. }))
        .unwrap();
    assert!(closed.is_some(), "the inbox drops it live");
    assert!(inbox(&client)
        .iter()
        .all(|t| t["conversation_id"] != v.conversation.as_str()));

    say(http, &v, "2", "another thing");
    let got = offer(&mut tab, WAIT).expect("the new ticket is offered");
    assert_eq!(
        (got.conversation_id.as_str(), got.number),
        (v.conversation.as_str(), 2)
    );
    assert_eq!(
        texts(&history(http, &v)),
        vec![(1, "first question".into()), (2, "another thing".into())]
    );
}

fn burst_reaches_the_inbox_coalesced(http: &Http) {
    let site = "t_team_i";
    let (_, session, _) = agent(http, site, "iris", &[], 2);
    let mut tab = console(http, &session);
    let v = visitor(http, site, None);
    say(http, &v, "0", "hello");
    offer(&mut tab, WAIT).expect("the new ticket is offered at once");
    let start = std::time::Instant::now();
    let burst = 60;
    for i in 1..=burst {
        say(http, &v, &format!("{i}"), &format!("message {i}"));
    }
    // Every update of the conversation the inbox gets, until a second passes without one.
    let (mut previews, mut elapsed) = (Vec::new(), 0);
    while let Some(e) = tab.recv_as::<ConsoleEvent>(Duration::from_secs(1)).unwrap() {
        if let ConsoleEvent::TicketChanged(t) = e {
            if t.conversation_id == v.conversation {
                previews.push(t.preview.unwrap_or_default());
                elapsed = start.elapsed().as_millis() as usize;
            }
        }
    }
    assert_eq!(
        previews.last().map(String::as_str),
        Some(format!("message {burst}").as_str()),
        "the newest preview arrives last: {previews:?}"
    );
    // At most one update per 250 ms (and the one the gap held back), not one per message.
    assert!(
        previews.len() <= elapsed / 250 + 2,
        "{} updates for {burst} messages in {elapsed} ms: {previews:?}",
        previews.len()
    );
}
