//! The conversation records through the console API against the real runtime: search with every
//! kind of filter, keyset pages, the CSV export, one conversation's detail and printable
//! transcript, the reports (whose numbers are the list's for the same filters), and the roles
//! that may read them. A suite of its
//! own: its sign-ins (PBKDF2 in the runtime) would slow the console suite's timed sign-in cases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test suite: failing loudly is the point

mod common;

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use common::{login, new_visitor, put_profile, say, Visitor, ORIGIN};

use porchlight_shared::protocol::{Body, ClientMessage, Rating, SendMessage, ServerEvent};
use porchlight_xtask::client::{Http, Reply, Socket};
use porchlight_xtask::harness::{self, Wrangler};
use porchlight_xtask::records_seed;
use serde_json::{json, Value};

const ADMIN_PASSWORD: &str = "test-admin-password";
const AGENT_PASSWORD: &str = "agent-password-1";

fn main() {
    common::run_suite(
        "records runtime",
        vec![
            (
                "records: search, pages and CSV export for operators and admins; agents refused",
                records,
            ),
            (
                "records: a conversation's detail and transcript, reports equal to the list",
                detail_and_reports,
            ),
            (
                "the record row follows each ticket's lifecycle, its words and its consent",
                record_feed,
            ),
            (
                "finish: operators, admins and the assignee; the record stays",
                finish_conversation,
            ),
            (
                "ratings: a solved, answered ticket is rated by its visitor; the record has it",
                rating,
            ),
        ],
        vec![(
            "records: the export and the report hold every row of a search longer than one of their pages",
            long_export,
        )],
    );
}

/// A site whose index holds more tickets than three of the export's pages (seeded straight into
/// the database, as the bench does), exported whole: every production row, once; and reported
/// whole.
fn long_export(dir: &Path) {
    let anchor = 1_796_083_200_000; // 2026-12-01
    let seeded =
        records_seed::write(&harness::d1_file(dir).unwrap(), "t_bench", 1_200, 5, anchor).unwrap();
    assert!(seeded.production > 1_000, "{seeded:?}");
    let mut server = Wrangler::start_any_port(dir).unwrap();
    let http = Http::new(&server.base_url, None);
    let r = login(&http, "t_bench", "admin@t_bench.test", ADMIN_PASSWORD);
    assert_eq!(r.status, 200, "admin sign-in: {}", r.text);
    let admin = http.with_session(&r.session.unwrap());
    let page = admin.get("/v1/console/records?limit=1", None).unwrap();
    assert_eq!(page.json["total"], seeded.production, "{}", page.text);
    let csv = admin.get("/v1/console/records/export", None).unwrap();
    assert_eq!(csv.status, 200, "{}", csv.text);
    let rows = porchlight_shared::records::csv::parse(&csv.text);
    let mut keys: Vec<(String, String)> = rows[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(keys.len() as u64, seeded.production, "one row per ticket");
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len() as u64, seeded.production, "no ticket twice");
    // The report over the whole seeded year counts every one of them too.
    let year = format!("from={}&to={anchor}", anchor - 365 * 86_400_000);
    let report = admin
        .get(&format!("/v1/console/reports?{year}"), None)
        .unwrap();
    assert_eq!(report.status, 200, "{}", report.text);
    assert_eq!(report.json["tickets"], seeded.production, "{}", report.text);
    server.stop();
}

fn records(http: &Http) {
    let site = "t_records";
    let r = login(http, site, "admin@t_records.test", ADMIN_PASSWORD);
    assert_eq!(r.status, 200, "admin sign-in: {}", r.text);
    let admin = http.with_origin(None).with_session(&r.session.unwrap());
    let ids = |r: &Reply| -> Vec<String> {
        r.json["rows"]
            .as_array()
            .unwrap_or_else(|| panic!("{}", r.text))
            .iter()
            .map(|row| row["conversation_id"].as_str().unwrap().to_owned())
            .collect()
    };

    // Production by default, newest first, with the total.
    let all = admin.get("/v1/console/records", None).unwrap();
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(ids(&all), ["cv_r3", "cv_r2", "cv_r1"]);
    assert_eq!(all.json["total"], 3);
    assert!(all.json.get("next").is_none(), "one page");
    let test = admin.get("/v1/console/records?env=test", None).unwrap();
    assert_eq!(ids(&test), ["cv_rt"]);

    // Words said, accents ignored, Chinese; filters combined.
    for (query, want) in [
        ("q=cartao%20cobrado", vec!["cv_r1"]),
        ("q=%E4%B8%A4%E6%AC%A1", vec!["cv_r2"]),
        ("q=maria%40example.com", vec!["cv_r1"]),
        ("status=solved&channel=api", vec!["cv_r3"]),
        ("csat=5&files=yes", vec!["cv_r1"]),
        ("nps=detractor", vec!["cv_r3"]),
        ("agent=admin&status=open", vec!["cv_r2"]),
    ] {
        let r = admin
            .get(&format!("/v1/console/records?{query}"), None)
            .unwrap();
        assert_eq!(r.status, 200, "{query}: {}", r.text);
        assert_eq!(ids(&r), want, "{query}");
        assert_eq!(r.json["total"], want.len(), "{query}");
    }

    // Keyset pages.
    let first = admin.get("/v1/console/records?limit=2", None).unwrap();
    assert_eq!(ids(&first), ["cv_r3", "cv_r2"]);
    let next = first.json["next"].as_str().unwrap().to_owned();
    let second = admin
        .get(&format!("/v1/console/records?limit=2&after={next}"), None)
        .unwrap();
    assert_eq!(ids(&second), ["cv_r1"]);
    assert!(second.json.get("next").is_none());

    // Bad filters are refused with the field named.
    for query in ["status=done", "csat=9", "sort=asc", "after=nonsense"] {
        let r = admin
            .get(&format!("/v1/console/records?{query}"), None)
            .unwrap();
        assert_eq!(
            (r.status, r.code()),
            (400, Some("invalid_field")),
            "{query}"
        );
    }

    // The export: the same search as CSV, formula cells neutralised, masking on request.
    let csv = admin.get("/v1/console/records/export", None).unwrap();
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert_eq!(
        csv.headers.get("content-type").map(String::as_str),
        Some("text/csv; charset=utf-8")
    );
    let rows = porchlight_shared::records::csv::parse(&csv.text);
    assert_eq!(rows.len(), 4, "header and three tickets: {}", csv.text);
    assert_eq!(rows[0][0], "conversation_id");
    assert_eq!(rows[1][0], "cv_r3");
    assert_eq!(rows[1][6], "'=cmd|x", "a formula stays text");
    assert_eq!(rows[1][11], "Hello, \"quoted\", world");
    assert_eq!(rows[3][7], "maria@example.com");
    // The visitor's consent goes with the data: when, to which privacy text, in which language.
    assert_eq!(
        rows[0][24..],
        ["consent_at", "consent_version", "consent_locale"]
    );
    assert_eq!(rows[3][24..], ["2025-11-29T14:01:40Z", "3f2a9c1e", "pt-BR"]);
    assert_eq!(rows[1][24..], ["", "", ""], "no consent on record");
    let masked = admin
        .get("/v1/console/records/export?mask=1&bom=1&q=cartao", None)
        .unwrap();
    assert!(masked.text.starts_with('\u{feff}'), "BOM asked for");
    let rows = porchlight_shared::records::csv::parse(&masked.text);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][7], "m***@example.com");

    // Operators may; agents may not, on every records endpoint.
    let invite = |role: &str| {
        let email = format!("{role}@{site}.test");
        let r = admin
            .post(
                "/v1/console/agents",
                None,
                &json!({"email": email, "name": role, "role": role, "capacity": 1,
                        "password": AGENT_PASSWORD}),
            )
            .unwrap();
        assert_eq!(r.status, 201, "invite {role}: {}", r.text);
        let s = login(http, site, &email, AGENT_PASSWORD);
        http.with_origin(None).with_session(&s.session.unwrap())
    };
    let operator = invite("operator");
    let agent = invite("agent");
    for path in ["/v1/console/records", "/v1/console/records/export"] {
        assert_eq!(operator.get(path, None).unwrap().status, 200, "{path}");
        let r = agent.get(path, None).unwrap();
        assert_eq!((r.status, r.code()), (403, Some("forbidden")), "{path}");
    }
    let post = admin.post("/v1/console/records", None, &json!({})).unwrap();
    assert_eq!(
        (post.status, post.code()),
        (405, Some("method_not_allowed"))
    );
}

/// An account of `role` on the records site, signed in.
fn member(http: &Http, admin: &Http, role: &str) -> Http {
    let site = "t_records";
    let email = format!("{role}2@{site}.test");
    let r = admin
        .post(
            "/v1/console/agents",
            None,
            &json!({"email": email, "name": format!("The {role}"), "role": role, "capacity": 1,
                    "password": AGENT_PASSWORD}),
        )
        .unwrap();
    assert_eq!(r.status, 201, "invite {role}: {}", r.text);
    let s = login(http, site, &email, AGENT_PASSWORD);
    http.with_origin(None).with_session(&s.session.unwrap())
}

fn detail_and_reports(http: &Http) {
    let r = login(http, "t_records", "admin@t_records.test", ADMIN_PASSWORD);
    assert_eq!(r.status, 200, "admin sign-in: {}", r.text);
    let admin = http.with_origin(None).with_session(&r.session.unwrap());

    // A report's numbers are the list's, for the same filters: 29 Nov to 4 Dec 2025 (UTC).
    let period = "from=1764374400000&to=1764806400000";
    for filters in [
        period.to_owned(),
        format!("{period}&channel=widget"),
        format!("{period}&env=test"),
    ] {
        let list = admin
            .get(&format!("/v1/console/records?{filters}&limit=100"), None)
            .unwrap();
        assert_eq!(list.status, 200, "{filters}: {}", list.text);
        let rows = list.json["rows"].as_array().unwrap().clone();
        let report = admin
            .get(&format!("/v1/console/reports?{filters}&tz=UTC"), None)
            .unwrap();
        assert_eq!(report.status, 200, "{filters}: {}", report.text);
        let rep = &report.json;
        assert_eq!(rep["tickets"], list.json["total"], "{filters}");
        let created: u64 = rep["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["created"].as_u64().unwrap())
            .sum();
        assert_eq!(created, rows.len() as u64, "{filters}");
        let mut csat = [0u64; 5];
        for row in &rows {
            if let Some(s) = row["csat"].as_u64() {
                csat[s as usize - 1] += 1;
            }
        }
        assert_eq!(rep["csat"]["counts"], json!(csat), "{filters}");
        let band = |low: u64, high: u64| {
            rows.iter()
                .filter_map(|r| r["nps"].as_u64())
                .filter(|n| (low..=high).contains(n))
                .count()
        };
        assert_eq!(rep["nps"]["promoters"], band(9, 10), "{filters}");
        assert_eq!(rep["nps"]["detractors"], band(0, 6), "{filters}");
        let widget = rows.iter().filter(|r| r["channel"] == "widget").count() as u64;
        let by_channel = rep["by_channel"].as_array().unwrap();
        let reported = by_channel
            .iter()
            .find(|c| c[0] == "widget")
            .map_or(0, |c| c[1].as_u64().unwrap());
        assert_eq!(reported, widget, "{filters}");
    }
    // By hand, from the seed (edge/seed/test.sql): three production tickets, first responses of
    // 30 s and 60 s, both resolved in 10 min, CSAT 5 and 2, NPS 10 and 3.
    let all = admin
        .get(&format!("/v1/console/reports?{period}&tz=UTC"), None)
        .unwrap();
    let rep = &all.json;
    assert_eq!(rep["tickets"], 3);
    assert_eq!(
        rep["first_response"],
        json!({"count": 2, "median": 30000, "p90": 60000})
    );
    assert_eq!(
        rep["resolution"],
        json!({"count": 2, "median": 600000, "p90": 600000})
    );
    assert_eq!(rep["csat"]["counts"], json!([0, 1, 0, 0, 1]));
    assert_eq!(
        rep["nps"],
        json!({"detractors": 1, "passives": 0, "promoters": 1})
    );
    assert_eq!(
        rep["days"][0],
        json!({"date": "2025-11-29", "created": 1, "solved": 1})
    );
    assert_eq!(rep["days"].as_array().unwrap().len(), 5);
    assert_eq!(rep["hours"][14], 2, "14:02 and 14:40 UTC");
    // The same period read in São Paulo (UTC−3): it starts on the 28th there, at 21:00, and
    // the tickets fall three hours earlier in the day.
    let sp = admin
        .get(
            &format!("/v1/console/reports?{period}&tz=America%2FSao_Paulo"),
            None,
        )
        .unwrap();
    assert_eq!(sp.status, 200, "{}", sp.text);
    assert_eq!(sp.json["days"][0]["date"], "2025-11-28");
    assert_eq!(sp.json["hours"][11], 2);
    for bad in [
        "tz=UTC",
        &format!("{period}&tz=Mars%2FBase"),
        &format!("{period}&csat=9"),
    ] {
        let r = admin
            .get(&format!("/v1/console/reports?{bad}"), None)
            .unwrap();
        assert_eq!(
            (r.status, r.code()),
            (400, Some("invalid_field")),
            "{bad}: {}",
            r.text
        );
    }

    // A conversation only the index knows: its row's figures and visitor.
    let d = admin.get("/v1/console/records/cv_r1", None).unwrap();
    assert_eq!(d.status, 200, "{}", d.text);
    assert_eq!(d.json["visitor"]["name"], "Maria Silva");
    assert_eq!(d.json["visitor"]["email"], "maria@example.com");
    let t = &d.json["tickets"][0];
    assert_eq!(
        (t["number"].as_u64(), t["csat"].as_u64(), t["nps"].as_u64()),
        (Some(1), Some(5), Some(10))
    );
    assert_eq!(t["first_response_ms"], 30000);
    assert_eq!(t["resolution_ms"], 600000);
    assert_eq!(t["duration_ms"], 3600000);
    let none = admin.get("/v1/console/records/cv_nobody", None).unwrap();
    assert_eq!((none.status, none.code()), (404, Some("not_found")));

    // A conversation with a history in four languages: who said what, and the transcript. On
    // the feed's site: its record rows would otherwise join the seeded ones the other case
    // counts.
    let feed = feed_admin(http);
    let v = new_visitor(http, FEED);
    let lines = [
        "Meu cartão foi cobrado duas vezes",
        "¿Dónde está mi pedido?",
        "我的卡被扣了两次",
        "Thank you!",
    ];
    say(http, &v, "c1", lines[0]);
    let reply = feed
        .post(
            &format!("/v1/agent/conversations/{}/messages", v.conversation),
            None,
            &json!({"client_id": "a1", "body": {"text": lines[1]}}),
        )
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text);
    say(http, &v, "c2", lines[2]);
    let solved = feed
        .post(
            &format!("/v1/agent/conversations/{}/status", v.conversation),
            None,
            &json!({"to": "solved"}),
        )
        .unwrap();
    assert_eq!(solved.status, 200, "{}", solved.text);
    say(http, &v, "c3", lines[3]);
    let d = feed
        .get(&format!("/v1/console/records/{}", v.conversation), None)
        .unwrap();
    assert_eq!(d.status, 200, "{}", d.text);
    let said: Vec<(&str, &str)> = d.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "message")
        .map(|i| {
            (
                i["author"]["kind"].as_str().unwrap(),
                i["body"]["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        said,
        [
            ("visitor", lines[0]),
            ("agent", lines[1]),
            ("visitor", lines[2]),
            ("visitor", lines[3])
        ]
    );
    assert_eq!(d.json["names"]["admin"], "Feed Admin");
    let tickets = d.json["tickets"].as_array().unwrap();
    let interactions: u64 = tickets
        .iter()
        .map(|t| t["interactions"].as_u64().unwrap())
        .sum();
    assert_eq!(interactions, 4, "{}", d.text);
    assert!(
        tickets[0]["first_response_ms"].as_i64().is_some(),
        "{}",
        d.text
    );
    let html = feed
        .get(
            &format!(
                "/v1/console/records/{}/transcript?tz=America%2FSao_Paulo",
                v.conversation
            ),
            None,
        )
        .unwrap();
    assert_eq!(html.status, 200, "{}", html.text);
    assert!(html
        .header("content-disposition")
        .unwrap_or_default()
        .starts_with("inline"));
    for line in lines {
        assert!(html.text.contains(line), "{line} in the transcript");
    }
    assert!(html.text.contains("Feed Admin"));
    assert!(html
        .text
        .contains("Times are in the time zone America/Sao_Paulo."));

    // Operators may; agents may not, on every new endpoint.
    let operator = member(http, &admin, "operator");
    let agent = member(http, &admin, "agent");
    for path in [
        format!("/v1/console/reports?{period}"),
        "/v1/console/records/cv_r1".to_owned(),
    ] {
        assert_eq!(operator.get(&path, None).unwrap().status, 200, "{path}");
        let r = agent.get(&path, None).unwrap();
        assert_eq!((r.status, r.code()), (403, Some("forbidden")), "{path}");
    }
    let transcript = format!("/v1/console/records/{}/transcript", v.conversation);
    let feed_agent = feed_account(http, &feed, "reader", "agent");
    let r = feed_agent.get(&transcript, None).unwrap();
    assert_eq!(
        (r.status, r.code()),
        (403, Some("forbidden")),
        "{transcript}"
    );
}

// ---------------------------------------------------------------- the feed

const FEED: &str = "t_feed";
/// How long the index may take to show a change: batches go at most once a second.
const INDEX_WAIT: Duration = Duration::from_secs(15);

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn feed_admin(http: &Http) -> Http {
    let r = login(http, FEED, "admin@t_feed.test", ADMIN_PASSWORD);
    assert_eq!(r.status, 200, "admin sign-in: {}", r.text);
    http.with_origin(None).with_session(&r.session.unwrap())
}

/// A console account of `role` on the feed site, signed in.
fn feed_account(http: &Http, admin: &Http, id: &str, role: &str) -> Http {
    let email = format!("{id}@t_feed.test");
    let r = admin
        .post(
            "/v1/console/agents",
            None,
            &json!({"email": email, "name": id, "role": role, "capacity": 3,
                    "password": AGENT_PASSWORD}),
        )
        .unwrap();
    assert_eq!(r.status, 201, "invite {id}: {}", r.text);
    let s = login(http, FEED, &email, AGENT_PASSWORD);
    assert_eq!(s.status, 200, "{id} sign-in: {}", s.text);
    http.with_origin(None).with_session(&s.session.unwrap())
}

fn agent_post(http: &Http, v: &Visitor, n: u8, action: &str, body: Value) -> Reply {
    let path = format!("/v1/agent/conversations/{}{action}", v.conversation);
    let r = http
        .post(&path, Some(&format!("pl_dev_{FEED}_agent{n}")), &body)
        .unwrap();
    assert_eq!(r.status, 200, "{action}: {}", r.text);
    r
}

fn set_status(http: &Http, v: &Visitor, to: &str) {
    agent_post(http, v, 1, "/status", json!({ "to": to }));
}

/// The records search's rows for `query` (production, newest first).
fn search(admin: &Http, query: &str) -> Vec<Value> {
    let r = admin
        .get(&format!("/v1/console/records?limit=100&{query}"), None)
        .unwrap();
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    r.json["rows"].as_array().unwrap().clone()
}

/// Waits until the index's row of `conversation`'s ticket `ticket` satisfies `ready`.
fn row_when(
    admin: &Http,
    conversation: &str,
    ticket: u64,
    what: &str,
    ready: impl Fn(&Value) -> bool,
) -> Value {
    let start = Instant::now();
    let mut last = Value::Null;
    while start.elapsed() < INDEX_WAIT {
        if let Some(row) = search(admin, "")
            .into_iter()
            .find(|r| r["conversation_id"] == conversation && r["ticket"].as_u64() == Some(ticket))
        {
            if ready(&row) {
                return row;
            }
            last = row;
        }
        thread::sleep(Duration::from_millis(200));
    }
    panic!("{what}: the index never showed it; last row: {last}");
}

fn status_is(status: &'static str) -> impl Fn(&Value) -> bool {
    move |r| r["status"] == status
}

fn int(row: &Value, field: &str) -> i64 {
    row[field]
        .as_i64()
        .unwrap_or_else(|| panic!("{field}: {row}"))
}

fn visitor_socket(http: &Http, v: &Visitor) -> Socket {
    let mut s = Socket::connect(http.base(), "/v1/visitor/ws", Some(&v.token), Some(ORIGIN))
        .unwrap_or_else(|e| panic!("visitor socket refused: {e:?}"));
    match s.recv(Duration::from_secs(5)).unwrap().map(|f| f.event) {
        Some(ServerEvent::Welcome(_)) => s,
        other => panic!("expected welcome, got {other:?}"),
    }
}

/// The visitor writes from the widget: over its socket, answered by an ack.
fn say_in_widget(s: &mut Socket, client_id: &str, text: &str) {
    let id = s
        .request(ClientMessage::SendMessage(SendMessage {
            client_id: client_id.into(),
            body: Body {
                text: text.into(),
                ..Default::default()
            },
        }))
        .unwrap();
    match s.answer(&id, Duration::from_secs(5)).unwrap() {
        Some(ServerEvent::Ack { .. }) => {}
        other => panic!("expected an ack, got {other:?}"),
    }
}

fn record_feed(http: &Http) {
    let admin = feed_admin(http);
    let version = http
        .get(&format!("/v1/visitor/config?site_id={FEED}"), None)
        .unwrap()
        .json["privacy_version"]
        .as_str()
        .unwrap()
        .to_owned();

    // A visitor in the widget gives their details and consent, then writes.
    let v = new_visitor(http, FEED);
    put_profile(
        http,
        &v,
        &json!({"name": "Maria Silva", "email": "maria@example.com", "locale": "pt-BR",
                "attributes": {"phone": "+55 11 98765-4321"},
                "consent": {"privacy_version": version, "locale": "pt-BR"}}),
    );
    let start = now_ms();
    let mut ws = visitor_socket(http, &v);
    say_in_widget(&mut ws, "m1", "Meu cartão foi cobrado duas vezes");
    let new = row_when(&admin, &v.conversation, 1, "new", status_is("new"));
    assert_eq!(new["channel"], "widget");
    assert_eq!(new["environment"], "production");
    assert_eq!(new["first_line"], "Meu cartão foi cobrado duas vezes");
    assert_eq!(new["visitor_name"], "Maria Silva");
    assert_eq!(new["visitor_email"], "maria@example.com");
    assert_eq!(new["visitor_phone"], "+5511987654321");
    assert_eq!(new["visitor_messages"], 1);
    assert_eq!(new["consent_version"], version.as_str());
    assert_eq!(new["consent_locale"], "pt-BR");
    let consent_at = int(&new, "consent_at");
    let created = int(&new, "created_at");
    assert!(
        consent_at <= created && (start - 2_000..=now_ms()).contains(&created),
        "{new}"
    );

    // Accepted, answered (a note is no message), waiting on the customer, back, solved.
    agent_post(http, &v, 1, "/accept", json!({}));
    agent_post(
        http,
        &v,
        1,
        "/notes",
        json!({"client_id": "n1", "body": {"text": "checking the refund"}}),
    );
    agent_post(
        http,
        &v,
        1,
        "/messages",
        json!({"client_id": "a1", "body": {"text": "Vou verificar o estorno agora"}}),
    );
    let open = row_when(&admin, &v.conversation, 1, "open", |r| {
        r["status"] == "open" && r["agent_messages"] == 1
    });
    assert_eq!(open["assignee"], "agent1");
    assert!(int(&open, "first_response_at") >= created, "{open}");
    set_status(http, &v, "pending");
    row_when(&admin, &v.conversation, 1, "pending", status_is("pending"));
    say_in_widget(&mut ws, "m2", "Aqui está o comprovante");
    row_when(&admin, &v.conversation, 1, "open again", |r| {
        r["status"] == "open" && r["visitor_messages"] == 2
    });
    set_status(http, &v, "solved");
    let solved = row_when(&admin, &v.conversation, 1, "solved", status_is("solved"));
    assert!(int(&solved, "solved_at") >= int(&solved, "first_response_at"));
    // Written inside the reopen window: the same ticket reopens.
    say_in_widget(&mut ws, "m3", "Ainda não caiu");
    let reopened = row_when(&admin, &v.conversation, 1, "reopened", |r| {
        r["status"] == "open" && r["reopenings"] == 1
    });
    assert!(reopened["solved_at"].is_null(), "{reopened}");
    set_status(http, &v, "solved");
    // The reopen window (3 s) ends: the object's alarm closes the ticket, and the index hears.
    let closed = row_when(&admin, &v.conversation, 1, "closed", status_is("closed"));
    assert_eq!(
        (
            int(&closed, "visitor_messages"),
            int(&closed, "agent_messages"),
            int(&closed, "reopenings"),
            int(&closed, "transfers"),
        ),
        (3, 1, 1, 0),
        "{closed}"
    );
    let (solved_at, closed_at) = (int(&closed, "solved_at"), int(&closed, "closed_at"));
    assert!(
        (solved_at + 2_500..=solved_at + 15_000).contains(&closed_at),
        "closed after the window: {closed}"
    );
    assert!(created <= int(&closed, "first_response_at") && closed_at <= now_ms());

    // Words said, whoever said them; the visitor's details; never a note.
    for (query, found) in [
        ("q=cartao%20cobrado", true),
        ("q=estorno", true),
        ("q=comprovante%20estorno", true),
        ("q=maria%40example.com", true),
        ("q=5511987654321", true),
        ("q=refund", false),
    ] {
        let ids: Vec<String> = search(&admin, query)
            .iter()
            .map(|r| r["conversation_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids.contains(&v.conversation), found, "{query}: {ids:?}");
    }
    let agents: Vec<Value> = search(&admin, "agent=agent1");
    assert!(agents
        .iter()
        .any(|r| r["conversation_id"] == v.conversation.as_str()));

    // The export carries the consent.
    let csv = admin
        .get("/v1/console/records/export?q=comprovante", None)
        .unwrap();
    assert_eq!(csv.status, 200, "{}", csv.text);
    let rows = porchlight_shared::records::csv::parse(&csv.text);
    let line = rows
        .iter()
        .find(|r| r[0] == v.conversation)
        .unwrap_or_else(|| panic!("not exported: {}", csv.text));
    assert_eq!(line[2], "closed");
    assert_eq!(line[3], "widget");
    assert_eq!(line[25..], [version.as_str(), "pt-BR"]);
    assert_eq!(
        line[24],
        porchlight_shared::records::row::iso_utc(consent_at)
    );

    // Through the HTTP API, transferred: its channel, its transfer, both agents.
    let api = new_visitor(http, FEED);
    say(http, &api, "m1", "Preciso de ajuda com a fatura");
    agent_post(http, &api, 1, "/accept", json!({}));
    agent_post(
        http,
        &api,
        1,
        "/transfer",
        json!({"to": "agent", "agent_id": "admin"}),
    );
    let moved = row_when(&admin, &api.conversation, 1, "transfer", |r| {
        r["transfers"] == 1
    });
    assert_eq!(moved["channel"], "api");
    assert_eq!(moved["assignee"], "admin");
    for agent in ["agent1", "admin"] {
        let rows = search(&admin, &format!("agent={agent}&channel=api"));
        assert!(
            rows.iter()
                .any(|r| r["conversation_id"] == api.conversation.as_str()),
            "{agent}"
        );
    }
    ws.close();
}

fn finish_conversation(http: &Http) {
    let admin = feed_admin(http);
    let olga = feed_account(http, &admin, "olga", "operator");
    let ana = feed_account(http, &admin, "ana", "agent");
    let finish = |who: &Http, v: &Visitor| {
        who.post(
            &format!("/v1/agent/conversations/{}/finish", v.conversation),
            None,
            &json!({}),
        )
        .unwrap()
    };

    // An agent finishes only a ticket that is theirs.
    let v = new_visitor(http, FEED);
    say(http, &v, "m1", "Quero cancelar o pedido");
    agent_post(http, &v, 1, "/accept", json!({}));
    let refused = finish(&ana, &v);
    assert_eq!(
        (refused.status, refused.code()),
        (403, Some("forbidden")),
        "{}",
        refused.text
    );
    // An operator finishes any: closed at once, kept in the records, and the visitor's next
    // message opens ticket 2.
    let r = finish(&olga, &v);
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json["ticket"].is_null(), "{}", r.text);
    let finished = row_when(&admin, &v.conversation, 1, "finished", status_is("closed"));
    assert!(finished["solved_at"].is_null(), "{finished}");
    assert!(int(&finished, "closed_at") >= int(&finished, "created_at"));
    say(http, &v, "m2", "Outra coisa agora");
    let second = row_when(&admin, &v.conversation, 2, "ticket 2", status_is("new"));
    assert_eq!(second["first_line"], "Outra coisa agora");
    let first = row_when(
        &admin,
        &v.conversation,
        1,
        "ticket 1 kept",
        status_is("closed"),
    );
    assert_eq!(first["first_line"], "Quero cancelar o pedido");

    // The assignee agent finishes their own.
    let w = new_visitor(http, FEED);
    say(http, &w, "m1", "Oi");
    let r = ana
        .post(
            &format!("/v1/agent/conversations/{}/accept", w.conversation),
            None,
            &json!({}),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text);
    let r = finish(&ana, &w);
    assert_eq!(r.status, 200, "{}", r.text);
    row_when(
        &admin,
        &w.conversation,
        1,
        "finished by ana",
        status_is("closed"),
    );

    // Agents are refused the records themselves.
    for path in ["/v1/console/records", "/v1/console/records/export"] {
        let r = ana.get(path, None).unwrap();
        assert_eq!((r.status, r.code()), (403, Some("forbidden")), "{path}");
    }
}

/// The visitor's answer to a `rate` request: `Ok(())`, or the refusal's code.
fn rate(s: &mut Socket, csat: u8, nps: Option<u8>, comment: Option<&str>) -> Result<(), String> {
    let id = s
        .request(ClientMessage::Rate(Rating {
            csat,
            nps,
            comment: comment.map(str::to_owned),
        }))
        .unwrap();
    match s.answer(&id, Duration::from_secs(5)).unwrap() {
        Some(ServerEvent::Ok) => Ok(()),
        Some(ServerEvent::Error(e)) => Err(serde_json::to_value(e.code)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()),
        other => panic!("expected ok or an error, got {other:?}"),
    }
}

fn rating(http: &Http) {
    let admin = feed_admin(http);
    let v = new_visitor(http, FEED);
    let mut s = visitor_socket(http, &v);
    say_in_widget(&mut s, "r-1", "Where is my parcel?");
    // Nothing to rate before the ticket is solved, nor when nobody answered in it.
    assert_eq!(
        rate(&mut s, 5, None, None),
        Err("invalid_transition".into())
    );
    set_status(http, &v, "solved");
    assert_eq!(
        rate(&mut s, 5, None, None),
        Err("invalid_transition".into())
    );
    // Answered, then solved again (the visitor's thanks reopened nothing: the agent solves).
    set_status(http, &v, "open");
    agent_post(
        http,
        &v,
        1,
        "/messages",
        json!({"client_id": "a-1", "body": {"text": "It ships today."}}),
    );
    set_status(http, &v, "solved");
    assert_eq!(rate(&mut s, 6, None, None), Err("invalid_field".into()));
    assert_eq!(rate(&mut s, 4, Some(11), None), Err("invalid_field".into()));
    let long = "x".repeat(1_001);
    assert_eq!(rate(&mut s, 4, None, Some(&long)), Err("too_large".into()));
    assert_eq!(rate(&mut s, 4, Some(9), Some(" Quick ")), Ok(()));
    // The agent's view of the ticket has it, the comment trimmed.
    let t = http
        .get(
            &format!("/v1/agent/conversations/{}", v.conversation),
            Some(&format!("pl_dev_{FEED}_agent1")),
        )
        .unwrap();
    assert_eq!(t.json["ticket"]["rateable"], true, "{}", t.text);
    assert_eq!(
        t.json["ticket"]["rating"],
        json!({"csat": 4, "nps": 9, "comment": "Quick"})
    );
    // Changed while still solved; the record follows, and the CSAT filter finds it.
    assert_eq!(rate(&mut s, 2, None, None), Ok(()));
    let row = row_when(&admin, &v.conversation, 1, "rated 2", |r| r["csat"] == 2);
    assert_eq!(row["nps"], Value::Null);
    let found = search(&admin, "csat=2");
    assert!(
        found
            .iter()
            .any(|r| r["conversation_id"] == v.conversation.as_str()),
        "csat=2 finds the ticket"
    );
    // An agent's socket may not rate.
    let mut agent = Socket::connect(
        http.base(),
        &format!("/v1/agent/conversations/{}/ws", v.conversation),
        Some(&format!("pl_dev_{FEED}_agent1")),
        None,
    )
    .unwrap_or_else(|e| panic!("agent socket refused: {e:?}"));
    let _ = agent.recv(Duration::from_secs(5)).unwrap();
    assert_eq!(rate(&mut agent, 5, None, None), Err("forbidden".into()));
}
