//! The conversation records through the console API against the real runtime: search with every
//! kind of filter, keyset pages, the CSV export, and the roles that may read them. A suite of its
//! own: its sign-ins (PBKDF2 in the runtime) would slow the console suite's timed sign-in cases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test suite: failing loudly is the point

mod common;

use common::login;

use std::path::Path;

use porchlight_xtask::client::{Http, Reply};
use porchlight_xtask::harness::{self, Wrangler};
use porchlight_xtask::records_seed;
use serde_json::json;

const ADMIN_PASSWORD: &str = "test-admin-password";
const AGENT_PASSWORD: &str = "agent-password-1";

fn main() {
    common::run_suite(
        "records runtime",
        vec![(
            "records: search, pages and CSV export for operators and admins; agents refused",
            records,
        )],
        vec![(
            "records: the export holds every row of a search longer than one of its pages",
            long_export,
        )],
    );
}

/// A site whose index holds more tickets than three of the export's pages (seeded straight into
/// the database, as the bench does), exported whole: every production row, once.
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
