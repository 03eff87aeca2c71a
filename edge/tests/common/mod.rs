//! What the edge's runtime suites share: starting `wrangler dev` on fresh state seeded with
//! edge/seed/test.sql, running cases in parallel threads, reporting, and the visitor helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test support

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::thread;

use porchlight_shared::protocol::{HistoryPage, Item};
use porchlight_xtask::client::{Http, Reply};
use porchlight_xtask::harness::{self, Wrangler};
use serde_json::json;

/// The allowed origin of every test site.
pub const ORIGIN: &str = "https://allowed.example";

/// A named case run against the shared server.
pub type Case = (&'static str, fn(&Http));
/// A named job that gets a fresh, seeded state folder of its own (to run its own server).
pub type Own = (&'static str, fn(&Path));

/// Runs the suite and exits with its outcome: cases in parallel against one server, each `own`
/// job beside them with a folder of its own.
///
/// Every server started meanwhile (the shared one, and those of `own` jobs, which may still be
/// running when the shared one failed to start) is stopped before the exit: `process::exit` runs
/// no destructor. Should this process die before that, each server's guard stops it (see
/// `porchlight_xtask::harness`).
pub fn run_suite(suite: &str, cases: Vec<Case>, own: Vec<Own>) -> ! {
    let outcome = catch_unwind(AssertUnwindSafe(|| run(suite, cases, own)));
    harness::stop_all();
    let code = match outcome {
        Ok(Ok(failed)) => i32::from(failed > 0),
        Ok(Err(e)) => {
            eprintln!("{suite}: could not start: {e}");
            2
        }
        Err(_) => {
            eprintln!("{suite}: the suite itself panicked");
            101
        }
    };
    std::process::exit(code)
}

fn run(suite: &str, cases: Vec<Case>, own: Vec<Own>) -> std::io::Result<usize> {
    if std::env::var_os("PORCHLIGHT_EDGE_BUILT").is_none() {
        harness::build_edge()?;
    }
    let seeds = vec![harness::edge_dir().join("seed/test.sql")];
    let dir = harness::scratch_dir(suite)?;
    harness::prepare_persist(&dir, &seeds)?;
    let mut jobs = Vec::new();
    for (name, job) in own {
        let own_dir = harness::scratch_dir(&format!("{suite}-own"))?;
        harness::prepare_persist(&own_dir, &seeds)?;
        jobs.push((name, thread::spawn(move || outcome(|| job(&own_dir)))));
    }
    let mut server = Wrangler::start_any_port(&dir)?;
    let http = Http::new(&server.base_url, Some(ORIGIN));
    for (name, case) in cases {
        let http = http.clone();
        jobs.push((name, thread::spawn(move || outcome(|| case(&http)))));
    }
    let results: Vec<(&str, Result<(), String>)> = jobs
        .into_iter()
        .map(|(name, h)| (name, h.join().unwrap_or_else(|_| Err("thread died".into()))))
        .collect();
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    for (name, r) in &results {
        match r {
            Ok(()) => println!("test {name} ... ok"),
            Err(e) => println!("test {name} ... FAILED\n    {e}"),
        }
    }
    if failed > 0 {
        println!("--- wrangler log (tail) ---\n{}", server.log_tail());
    }
    server.stop();
    println!(
        "{suite}: {} passed, {failed} failed",
        results.len() - failed
    );
    Ok(failed)
}

fn outcome(f: impl FnOnce()) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panicked".into())
    })
}

/// A visitor with a fresh conversation on a site.
pub struct Visitor {
    pub token: String,
    pub conversation: String,
    pub site: &'static str,
}

pub fn new_visitor(http: &Http, site: &'static str) -> Visitor {
    let r = http
        .post("/v1/visitor/session", None, &json!({ "site_id": site }))
        .unwrap();
    assert_eq!(r.status, 200, "session: {}", r.text);
    Visitor {
        token: r.json["token"].as_str().unwrap().to_owned(),
        conversation: r.json["conversation_id"].as_str().unwrap().to_owned(),
        site,
    }
}

/// The visitor writes over HTTP.
pub fn say(http: &Http, v: &Visitor, client_id: &str, text: &str) -> Reply {
    let body = json!({ "client_id": client_id, "body": { "text": text } });
    let r = http
        .post("/v1/visitor/messages", Some(&v.token), &body)
        .unwrap();
    assert_eq!(r.status, 200, "visitor message: {}", r.text);
    r
}

/// The visitor's profile update (`PUT /v1/visitor/profile`), which must be taken.
pub fn put_profile(http: &Http, v: &Visitor, body: &serde_json::Value) {
    let r = http
        .send(
            "PUT",
            "/v1/visitor/profile",
            Some(&v.token),
            Some(body.to_string().into_bytes()),
        )
        .unwrap();
    assert_eq!(r.status, 204, "profile: {}", r.text);
}

/// The visitor's whole history, oldest first, walking the pages.
pub fn history(http: &Http, v: &Visitor) -> Vec<Item> {
    let mut items = Vec::new();
    let mut before: Option<u64> = None;
    loop {
        let q = match before {
            Some(b) => format!("/v1/visitor/history?limit=100&before={b}"),
            None => "/v1/visitor/history?limit=100".to_owned(),
        };
        let r = http.get(&q, Some(&v.token)).unwrap();
        assert_eq!(r.status, 200, "history: {}", r.text);
        let page: HistoryPage = serde_json::from_value(r.json).unwrap();
        items.extend(page.items);
        match page.next_before {
            Some(b) => before = Some(b),
            None => break,
        }
    }
    items.reverse();
    items
}

/// `(ticket, text)` of every message, oldest first.
pub fn texts(items: &[Item]) -> Vec<(u32, String)> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Message(m) => Some((m.ticket, m.body.text.clone())),
            _ => None,
        })
        .collect()
}

/// Signs in to the console (no origin: the API as a script uses it).
pub fn login(http: &Http, site: &str, email: &str, password: &str) -> Reply {
    http.with_origin(None)
        .post(
            "/v1/console/login",
            None,
            &json!({"site_id": site, "email": email, "password": password}),
        )
        .unwrap()
}
