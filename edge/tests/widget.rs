//! The edge side of the widget against the real runtime: the widget's config (with whether an
//! agent is online), identity verification, attachments in R2, and read receipts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test suite: failing loudly is the point

mod common;

use std::time::{Duration, Instant};

use std::path::Path;

use common::{history, new_visitor, say, texts, Visitor, ORIGIN};
use hmac::{Hmac, Mac};
use porchlight_shared::console::ConsoleEvent;
use porchlight_shared::protocol::{
    AttachmentRef, Author, Body, Choice, ClientMessage, Item, MessageAccepted, PrechatField,
    ReplyTo, SendMessage, ServerEvent, VisitorPanel, WidgetConfig, WidgetPosition,
    MAX_ATTACHMENT_BYTES,
};
use porchlight_xtask::client::{Http, Reply, Socket};
use porchlight_xtask::harness::Wrangler;
use serde_json::json;
use sha2::Sha256;

const WAIT: Duration = Duration::from_secs(5);
const ADMIN_PASSWORD: &str = "test-admin-password";
/// A 1x1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

fn main() {
    common::run_suite(
        "widget edge runtime",
        vec![
            (
                "config: settings, agents online from the console, origin and site checked",
                config,
            ),
            (
                "config: a site with no settings gets the defaults",
                config_defaults,
            ),
            (
                "identify: a valid hash is stored as verified; a bad one stores nothing",
                identify,
            ),
            (
                "identify: an unverified profile never overwrites a verified identity",
                unverified_never_overwrites,
            ),
            (
                "profile: updates merge, attributes by name; bad ones store nothing",
                profile_updates,
            ),
            (
                "consent: on record with the edge's time, in the panel and both transcripts",
                consent_on_record,
            ),
            (
                "page address: without query or fragment unless the site opts in; NPS likewise (admin API)",
                page_url_query,
            ),
            (
                "contacts: a bad email or phone is refused (invalid_email, invalid_phone), nothing stored",
                contacts_refused,
            ),
            (
                "attachments: upload, attach, download with safe headers",
                attachments,
            ),
            (
                "attachments: wrong type, oversize and other conversations are refused",
                attachments_refused,
            ),
            ("read receipts are kept and relayed", read_receipts),
            (
                "availability: pushed to the visitor's socket when agents come and go",
                availability,
            ),
            (
                "watch socket: what was missed, then replies live; no availability; watch=2 refused",
                watch_socket,
            ),
            (
                "quick replies over HTTP: agent offers, visitor answers, bad answers store nothing",
                quick_replies_http,
            ),
            (
                "quick replies over sockets: offered live, answered, refused with invalid_field",
                quick_replies_socket,
            ),
            (
                "transcript: escaped, self-contained HTML of every ticket; notes only for agents",
                transcript,
            ),
            (
                "transcript: pages through a long history; refused without a token or for others",
                transcript_long_and_refused,
            ),
            (
                "HEAD: every page and file answers like GET, without the body",
                head_like_get,
            ),
            (
                "unread: the site's messages after a seq counted; bad input refused; nothing changed",
                unread_count,
            ),
            (
                "unread frame: tiny, embeddable by the site's origins only",
                unread_frame,
            ),
        ],
        vec![(
            "noise: answers without a body (204, 304) make the runtime warn about nothing",
            no_null_body_warnings,
        )],
    );
}

// ---------------------------------------------------------------- helpers

/// Signs in to the console as `t_widget`'s admin; returns the session token.
/// Signs `site`'s admin in (same password on every test site); the session token.
fn sign_in_admin(http: &Http, site: &str) -> String {
    let login = http
        .with_origin(None)
        .post(
            "/v1/console/login",
            None,
            &json!({"site_id": site, "email": format!("admin@{site}.test"), "password": ADMIN_PASSWORD}),
        )
        .unwrap();
    assert_eq!(login.status, 200, "sign-in: {}", login.text);
    login.session.unwrap()
}

fn get_config(http: &Http, site: &str) -> Reply {
    http.get(&format!("/v1/visitor/config?site_id={site}"), None)
        .unwrap()
}

fn agents_online(http: &Http) -> bool {
    let r = get_config(http, "t_widget");
    assert_eq!(r.status, 200, "config: {}", r.text);
    r.json["agents_online"].as_bool().unwrap()
}

fn wait_online(http: &Http, want: bool) {
    let start = Instant::now();
    while start.elapsed() < WAIT {
        if agents_online(http) == want {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("agents_online never became {want}");
}

fn hash(secret: &str, id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(id.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A privacy text's version as the edge computes it: the start of the SHA-256 of the text.
fn version_of(text: &str) -> String {
    use sha2::Digest;
    let hex: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    hex[..8].to_owned()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn agent_token(site: &str) -> String {
    format!("pl_dev_{site}_agent1")
}

fn panel(http: &Http, v: &Visitor) -> VisitorPanel {
    let r = http
        .with_origin(None)
        .get(
            &format!("/v1/agent/conversations/{}/visitor", v.conversation),
            Some(&agent_token(v.site)),
        )
        .unwrap();
    assert_eq!(r.status, 200, "visitor panel: {}", r.text);
    serde_json::from_value(r.json).unwrap()
}

fn try_put_profile(http: &Http, v: &Visitor, body: &serde_json::Value) -> Reply {
    http.send(
        "PUT",
        "/v1/visitor/profile",
        Some(&v.token),
        Some(body.to_string().into_bytes()),
    )
    .unwrap()
}

fn put_profile(http: &Http, v: &Visitor, body: serde_json::Value) {
    let r = try_put_profile(http, v, &body);
    assert_eq!(r.status, 204, "profile: {}", r.text);
}

fn upload(http: &Http, v: &Visitor, content_type: &str, bytes: &[u8], name: Option<&str>) -> Reply {
    let path = match name {
        Some(n) => format!("/v1/visitor/attachments?name={n}"),
        None => "/v1/visitor/attachments".to_owned(),
    };
    http.send_typed(
        "POST",
        &path,
        Some(&v.token),
        content_type,
        Some(bytes.to_vec()),
    )
    .unwrap()
}

fn uploaded(
    http: &Http,
    v: &Visitor,
    content_type: &str,
    bytes: &[u8],
    name: Option<&str>,
) -> AttachmentRef {
    let r = upload(http, v, content_type, bytes, name);
    assert_eq!(r.status, 201, "upload: {}", r.text);
    serde_json::from_value(r.json).unwrap()
}

fn post_with(http: &Http, v: &Visitor, client_id: &str, text: &str, a: &[AttachmentRef]) -> Reply {
    let body = json!({"client_id": client_id, "body": {"text": text, "attachments": a}});
    http.post("/v1/visitor/messages", Some(&v.token), &body)
        .unwrap()
}

fn socket(http: &Http, path: &str, token: &str, origin: Option<&str>) -> Socket {
    let mut s = Socket::connect(http.base(), path, Some(token), origin)
        .unwrap_or_else(|e| panic!("socket refused: {e:?}"));
    match s.recv(WAIT).unwrap().map(|f| f.event) {
        Some(ServerEvent::Welcome(_)) => s,
        other => panic!("expected welcome, got {other:?}"),
    }
}

/// The console socket of `site`'s admin: the admin is online while it is open.
fn admin_console(http: &Http, site: &str) -> Socket {
    let session = sign_in_admin(http, site);
    Socket::connect_console(http.base(), "/v1/console/ws", Some(&session))
        .unwrap_or_else(|e| panic!("console socket refused: {e:?}"))
}

// ---------------------------------------------------------------- cases

fn config(http: &Http) {
    let r = get_config(http, "t_widget");
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some(ORIGIN),
        "the host page may read it"
    );
    let c: WidgetConfig = serde_json::from_value(r.json).unwrap();
    assert_eq!(
        c,
        WidgetConfig {
            site_id: "t_widget".into(),
            color: "#112233".into(),
            position: WidgetPosition::Left,
            away_message: "No one is online right now.".into(),
            expected_wait: "We usually reply in a few minutes.".into(),
            privacy_text: "We store this conversation to answer you.".into(),
            consent_required: true,
            privacy_version: version_of("We store this conversation to answer you."),
            page_url_query: false,
            prechat_fields: vec![PrechatField::Name, PrechatField::Email, PrechatField::Phone],
            agents_online: false,
            team: vec![],
            welcome: String::new(),
            nps: false,
            csat_question: String::new(),
            nps_question: String::new(),
        }
    );

    // An agent's console socket brings the team online; closing it, offline again.
    let mut console = admin_console(http, "t_widget");
    let first: Option<ConsoleEvent> = console.recv_as(WAIT).unwrap();
    assert!(
        matches!(first, Some(ConsoleEvent::Snapshot { .. })),
        "{first:?}"
    );
    assert!(agents_online(http), "online once the console is open");
    console.close();
    wait_online(http, false);

    // The widget's own frame (the edge's origin) and no Origin at all are fine; others are not.
    let own = http.with_origin(Some(http.base()));
    assert_eq!(get_config(&own, "t_widget").status, 200);
    let evil = http.with_origin(Some("https://evil.example"));
    let r = get_config(&evil, "t_widget");
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(r.code(), Some("origin_not_allowed"));

    let r = get_config(http, "no_such_site");
    assert_eq!(r.status, 404, "{}", r.text);
    assert_eq!(r.code(), Some("unknown_site"));
    for bad in [
        "/v1/visitor/config",
        "/v1/visitor/config?site_id=a/b",
        "/v1/visitor/config?site_id=",
    ] {
        let r = http.get(bad, None).unwrap();
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
        assert_eq!(r.code(), Some("invalid_field"), "{bad}");
    }
    let r = http
        .post("/v1/visitor/config?site_id=t_widget", None, &json!({}))
        .unwrap();
    assert_eq!(r.code(), Some("method_not_allowed"));
}

fn config_defaults(http: &Http) {
    let r = get_config(http, "t_msg");
    assert_eq!(r.status, 200, "{}", r.text);
    let c: WidgetConfig = serde_json::from_value(r.json).unwrap();
    assert_eq!(c.position, WidgetPosition::Right);
    assert_eq!(c.color, "#2563eb");
    assert!(!c.consent_required);
    assert!(c.prechat_fields.is_empty());
    assert_eq!(c.away_message, "");
}

fn identify(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "m1", "Hello");
    let post = |body: serde_json::Value| {
        http.post("/v1/visitor/identify", Some(&v.token), &body)
            .unwrap()
    };

    // A wrong hash, a hash for another id, a hash with another secret: refused, nothing stored.
    for h in [
        "00".repeat(32),
        hash("test-secret-t_msg", "user-2"),
        hash("test-secret-t_live", "user-1"),
        "not hex".to_owned(),
    ] {
        let r = post(json!({"id": "user-1", "name": "Mallory", "hash": h}));
        assert_eq!(r.status, 401, "{}", r.text);
        assert_eq!(r.code(), Some("identity_not_verified"));
    }
    let p = panel(http, &v).profile;
    assert!(
        !p.verified && p.verified_id.is_none() && p.name.is_none(),
        "{p:?}"
    );
    let r = post(json!({"id": "", "hash": hash("test-secret-t_msg", "")}));
    assert_eq!(r.code(), Some("invalid_field"), "{}", r.text);
    let r = post(json!({"id": "user-1"}));
    assert_eq!(r.code(), Some("bad_json"), "{}", r.text);
    let r = http
        .post(
            "/v1/visitor/identify",
            None,
            &json!({"id": "user-1", "hash": ""}),
        )
        .unwrap();
    assert_eq!(r.code(), Some("missing_token"));

    // The right one (upper-case hex is fine too).
    let h = hash("test-secret-t_msg", "user-1").to_uppercase();
    let r = post(json!({"id": "user-1", "name": "Joana", "email": "joana@example.com", "hash": h}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["verified"], json!(true));
    let p = panel(http, &v).profile;
    assert!(p.verified, "{p:?}");
    assert_eq!(p.verified_id.as_deref(), Some("user-1"));
    assert_eq!(p.name.as_deref(), Some("Joana"));
    assert_eq!(p.email.as_deref(), Some("joana@example.com"));

    // A bad hash later changes nothing either.
    let r = post(json!({"id": "user-9", "name": "Mallory", "hash": "00".repeat(32)}));
    assert_eq!(r.status, 401);
    assert_eq!(panel(http, &v).profile, p);
}

fn unverified_never_overwrites(http: &Http) {
    let v = new_visitor(http, "t_return");
    say(http, &v, "m1", "Hello");
    // A client cannot claim to be verified.
    put_profile(
        http,
        &v,
        json!({"name": "Pat", "verified": true, "verified_id": "admin"}),
    );
    let p = panel(http, &v).profile;
    assert!(!p.verified && p.verified_id.is_none(), "{p:?}");
    assert_eq!(p.name.as_deref(), Some("Pat"));

    // A verified identity replaces the unverified name and email.
    let r = http
        .post(
            "/v1/visitor/identify",
            Some(&v.token),
            &json!({"id": "u-7", "name": "Ana", "hash": hash("test-secret-t_return", "u-7")}),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text);
    let p = panel(http, &v).profile;
    assert_eq!(p.name.as_deref(), Some("Ana"));
    assert_eq!(p.email, None, "the unverified email is not merged in");

    // The pre-chat form's name and email do not overwrite it; locale and page still update.
    put_profile(
        http,
        &v,
        json!({"name": "Impostor", "email": "x@evil.example", "locale": "pt-BR",
               "page_url": "https://allowed.example/a", "verified": false}),
    );
    let p = panel(http, &v).profile;
    assert!(p.verified, "{p:?}");
    assert_eq!(p.verified_id.as_deref(), Some("u-7"));
    assert_eq!(p.name.as_deref(), Some("Ana"));
    assert_eq!(p.email, None);
    assert_eq!(p.locale.as_deref(), Some("pt-BR"));
    assert_eq!(p.page_url.as_deref(), Some("https://allowed.example/a"));
}

fn profile_updates(http: &Http) {
    let v = new_visitor(http, "t_return");
    say(http, &v, "m1", "Hello");
    put_profile(
        http,
        &v,
        json!({"name": "Pat", "locale": "en-GB", "attributes": {"plan": "free", "seats": "3"}}),
    );
    // Only what an update names changes; an empty attribute value removes it.
    put_profile(
        http,
        &v,
        json!({"page_url": "https://allowed.example/b", "attributes": {"plan": "pro", "seats": ""}}),
    );
    let p = panel(http, &v).profile;
    assert_eq!(p.name.as_deref(), Some("Pat"));
    assert_eq!(p.locale.as_deref(), Some("en-GB"));
    assert_eq!(p.page_url.as_deref(), Some("https://allowed.example/b"));
    assert_eq!(
        p.attributes,
        [("plan".to_owned(), "pro".to_owned())]
            .into_iter()
            .collect()
    );

    for bad in [
        json!({"attributes": {"Plan": "x"}}),
        json!({"attributes": {"plan": "x".repeat(257)}}),
        json!({"name": "a\u{1}b"}),
        json!({"attributes": (0..51).map(|i| (format!("a{i}"), json!("v"))).collect::<serde_json::Map<_, _>>()}),
    ] {
        let r = try_put_profile(http, &v, &bad);
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
        assert_eq!(r.code(), Some("invalid_field"), "{}", r.text);
    }
    assert_eq!(
        panel(http, &v).profile,
        p,
        "a refused update stores nothing"
    );
}

fn consent_on_record(http: &Http) {
    let version = get_config(http, "t_widget").json["privacy_version"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        version,
        version_of("We store this conversation to answer you.")
    );
    let v = new_visitor(http, "t_widget");
    let before = now_ms();
    // The client's `at` is not believed: the edge records its own time.
    put_profile(
        http,
        &v,
        json!({"locale": "pt-BR", "consent": {"at": 5, "privacy_version": version, "locale": "pt-BR"}}),
    );
    let after = now_ms();
    say(http, &v, "m1", "Olá");
    let p = panel(http, &v).profile;
    let c = p.consent.clone().expect("consent on record");
    assert_eq!(c.privacy_version, version);
    assert_eq!(c.locale, "pt-BR");
    assert!(
        (before - 1_000..=after + 1_000).contains(&c.at),
        "{} not in {before}..{after}",
        c.at
    );
    // Later profile updates keep it; a malformed consent is refused and stores nothing.
    put_profile(http, &v, json!({"name": "Maria"}));
    assert_eq!(panel(http, &v).profile.consent, Some(c.clone()));
    for bad in [
        json!({"consent": {"privacy_version": "XYZ", "locale": "pt-BR"}}),
        json!({"consent": {"privacy_version": version, "locale": "<b>"}}),
        json!({"consent": {"locale": "pt-BR"}}),
    ] {
        let r = try_put_profile(http, &v, &bad);
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
    }
    assert_eq!(panel(http, &v).profile.consent, Some(c.clone()));
    // Both copies of the transcript carry it.
    let agent = get_transcript(
        &http.with_origin(None),
        &format!("/v1/agent/conversations/{}/transcript", v.conversation),
        &agent_token("t_widget"),
    );
    let mine = get_transcript(http, "/v1/visitor/transcript", &v.token);
    for r in [agent, mine] {
        assert_eq!(r.status, 200, "{}", r.text);
        assert!(
            r.text.contains("Consent given <time datetime="),
            "{}",
            r.text
        );
        assert!(
            r.text.contains(&format!("privacy text v{version} · pt-BR")),
            "{}",
            r.text
        );
    }
    // A visitor who never consented has none.
    let w = new_visitor(http, "t_widget");
    say(http, &w, "m1", "Hi");
    assert_eq!(panel(http, &w).profile.consent, None);
}

fn site_settings(http: &Http, session: &str, body: Option<serde_json::Value>) -> Reply {
    let console = http.with_origin(None).with_session(session);
    let r = match body {
        None => console.get("/v1/console/site-settings", None),
        Some(b) => console.send(
            "PUT",
            "/v1/console/site-settings",
            None,
            Some(b.to_string().into_bytes()),
        ),
    }
    .unwrap();
    assert_eq!(r.status, 200, "site settings: {}", r.text);
    r
}

fn page_url_query(http: &Http) {
    let session = sign_in_admin(http, "t_widget");
    assert_eq!(
        site_settings(http, &session, None).json,
        json!({"page_url_query": false, "nps": false}),
        "off by default"
    );
    let url = "https://allowed.example/orders/?order=1234&utm_source=mail#x";
    let v = new_visitor(http, "t_widget");
    put_profile(http, &v, json!({"page_url": url}));
    say(http, &v, "m1", "Hi");
    assert_eq!(
        panel(http, &v).profile.page_url.as_deref(),
        Some("https://allowed.example/orders/"),
        "the query and fragment are never stored"
    );

    // The site opts in: the config says so, and the whole address is kept.
    site_settings(http, &session, Some(json!({"page_url_query": true})));
    assert_eq!(
        get_config(http, "t_widget").json["page_url_query"],
        json!(true)
    );
    put_profile(http, &v, json!({"page_url": url}));
    assert_eq!(panel(http, &v).profile.page_url.as_deref(), Some(url));
    // NPS in the rating is a setting beside it; the widget's config carries it.
    site_settings(
        http,
        &session,
        Some(json!({"page_url_query": true, "nps": true})),
    );
    assert_eq!(get_config(http, "t_widget").json["nps"], json!(true));
    site_settings(http, &session, Some(json!({"page_url_query": false})));
    assert_eq!(get_config(http, "t_widget").json["nps"], json!(false));
    assert_eq!(
        get_config(http, "t_widget").json["page_url_query"],
        json!(false)
    );

    // Admins only.
    let agent = http
        .with_origin(None)
        .get("/v1/console/site-settings", Some(&agent_token("t_widget")))
        .unwrap();
    assert_eq!(agent.status, 401, "{}", agent.text);
}

fn contacts_refused(http: &Http) {
    let v = new_visitor(http, "t_return");
    say(http, &v, "m1", "Hello");
    put_profile(
        http,
        &v,
        json!({"email": "maria@example.com", "attributes": {"phone": "+55 (11) 91234-5678"}}),
    );
    let p = panel(http, &v).profile;
    assert_eq!(p.email.as_deref(), Some("maria@example.com"));
    assert_eq!(
        p.attributes.get("phone").map(String::as_str),
        Some("+5511912345678"),
        "stored in E.164"
    );
    for (bad, code) in [
        (json!({"email": "maria@example"}), "invalid_email"),
        (json!({"email": "maria silva@example.com"}), "invalid_email"),
        (
            json!({"attributes": {"email": "maria@example"}}),
            "invalid_email",
        ),
        (
            json!({"attributes": {"phone": "call me maybe ###"}}),
            "invalid_phone",
        ),
        (
            json!({"attributes": {"phone": "11 91234-5678"}}),
            "invalid_phone",
        ),
        (
            json!({"name": "Maria", "attributes": {"plan": "pro", "phone": "+1 555"}}),
            "invalid_phone",
        ),
    ] {
        let r = try_put_profile(http, &v, &bad);
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
        assert_eq!(r.code(), Some(code), "{bad}: {}", r.text);
        assert!(!r.json["error"]["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        panel(http, &v).profile,
        p,
        "a refused update stores nothing"
    );

    // identify carries an email too.
    let w = new_visitor(http, "t_msg");
    say(http, &w, "m1", "Hello");
    let r = http
        .post(
            "/v1/visitor/identify",
            Some(&w.token),
            &json!({"id": "user-1", "email": "maria@example", "hash": hash("test-secret-t_msg", "user-1")}),
        )
        .unwrap();
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(r.code(), Some("invalid_email"));
    assert!(!panel(http, &w).profile.verified, "nothing stored");
}

fn attachments(http: &Http) {
    let v = new_visitor(http, "t_msg");
    let png = uploaded(http, &v, "image/png", PNG, Some("dot.png"));
    assert!(png.id.starts_with("at_"), "{png:?}");
    assert_eq!(png.content_type, "image/png");
    assert_eq!(png.size, PNG.len() as u64);
    assert_eq!(png.name.as_deref(), Some("dot.png"));
    let pdf = uploaded(http, &v, "application/pdf", PDF, None);

    // A message carrying them, with no text; what the client claims about a file is replaced
    // by what was recorded.
    let mut claimed = png.clone();
    claimed.size = 1;
    claimed.content_type = "text/html".into();
    claimed.name = Some("other.html".into());
    let r = post_with(http, &v, "m1", "", &[claimed, pdf.clone()]);
    assert_eq!(r.status, 200, "{}", r.text);
    let items = history(http, &v);
    let stored = items
        .iter()
        .find_map(|i| match i {
            Item::Message(m) => Some(m.body.attachments.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(stored, vec![png.clone(), pdf.clone()]);

    // The visitor and an agent download them with safe headers.
    let visitor_get = |a: &AttachmentRef| {
        http.get(
            &format!("/v1/attachments/{}/{}", v.conversation, a.id),
            Some(&v.token),
        )
        .unwrap()
    };
    let agent_get = |a: &AttachmentRef| {
        http.with_origin(None)
            .get(
                &format!("/v1/attachments/{}/{}", v.conversation, a.id),
                Some(&agent_token("t_msg")),
            )
            .unwrap()
    };
    for r in [visitor_get(&png), agent_get(&png)] {
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.bytes, PNG);
        assert_eq!(r.header("content-type"), Some("image/png"));
        assert_eq!(
            r.header("content-disposition"),
            Some("inline; filename=\"dot.png\"; filename*=UTF-8''dot.png")
        );
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert!(r
            .header("content-security-policy")
            .is_some_and(|c| c.starts_with("default-src 'none'")));
        assert!(r
            .header("cache-control")
            .is_some_and(|c| c.contains("no-store")));
    }
    let r = agent_get(&pdf);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.bytes, PDF);
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert_eq!(r.header("content-disposition"), Some("attachment"));

    // Unknown ids are 404.
    let r = http
        .get(
            &format!("/v1/attachments/{}/at_nope", v.conversation),
            Some(&v.token),
        )
        .unwrap();
    assert_eq!(r.status, 404, "{}", r.text);
    assert_eq!(r.code(), Some("not_found"));
}

fn attachments_refused(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "m0", "Hello");
    let before = history(http, &v);

    let refused = |r: Reply, status: u16, code: &str| {
        assert_eq!(r.status, status, "{}", r.text);
        assert_eq!(r.code(), Some(code), "{}", r.text);
    };
    refused(
        upload(http, &v, "text/html", b"<script>", None),
        415,
        "unsupported_media_type",
    );
    refused(
        upload(http, &v, "image/svg+xml", b"<svg/>", None),
        415,
        "unsupported_media_type",
    );
    // The bytes must be what the type says.
    refused(
        upload(http, &v, "image/png", PDF, None),
        415,
        "unsupported_media_type",
    );
    refused(
        upload(http, &v, "image/png", &[], None),
        400,
        "invalid_field",
    );
    let mut big = PNG.to_vec();
    big.resize(MAX_ATTACHMENT_BYTES + 1, 0);
    refused(upload(http, &v, "image/png", &big, None), 413, "too_large");
    let r = http
        .send_typed(
            "POST",
            "/v1/visitor/attachments",
            None,
            "image/png",
            Some(PNG.to_vec()),
        )
        .unwrap();
    refused(r, 401, "missing_token");
    let evil = http.with_origin(Some("https://evil.example"));
    refused(
        upload(&evil, &v, "image/png", PNG, None),
        403,
        "origin_not_allowed",
    );
    // Exactly the limit is fine.
    let mut max = PNG.to_vec();
    max.resize(MAX_ATTACHMENT_BYTES, 0);
    let at_max = uploaded(http, &v, "image/png", &max, None);
    assert_eq!(at_max.size, MAX_ATTACHMENT_BYTES as u64);

    // Another conversation's visitor can neither download nor attach this one's file.
    let other = new_visitor(http, "t_msg");
    let path = format!("/v1/attachments/{}/{}", v.conversation, at_max.id);
    refused(
        http.get(&path, Some(&other.token)).unwrap(),
        403,
        "forbidden",
    );
    let theirs = format!("/v1/attachments/{}/{}", other.conversation, at_max.id);
    refused(
        http.get(&theirs, Some(&other.token)).unwrap(),
        404,
        "not_found",
    );
    refused(
        post_with(http, &other, "m1", "look", std::slice::from_ref(&at_max)),
        400,
        "invalid_field",
    );
    assert!(history(http, &other).is_empty(), "nothing stored");
    // Nor an agent of another site; nor nobody.
    let r = http
        .with_origin(None)
        .get(&path, Some(&agent_token("t_live")))
        .unwrap();
    refused(r, 404, "not_found");
    refused(http.get(&path, None).unwrap(), 401, "missing_token");

    // An id never uploaded, a malformed one, too many: refused, nothing stored.
    let mut fake = at_max.clone();
    fake.id = "at_never_uploaded".into();
    refused(
        post_with(http, &v, "m1", "x", &[fake.clone()]),
        400,
        "invalid_field",
    );
    fake.id = "../x".into();
    refused(
        post_with(http, &v, "m2", "x", &[fake]),
        400,
        "invalid_field",
    );
    let many = vec![at_max.clone(); 11];
    refused(post_with(http, &v, "m3", "x", &many), 413, "too_large");
    refused(post_with(http, &v, "m4", " ", &[]), 400, "invalid_field");
    assert_eq!(history(http, &v), before, "nothing stored");
}

fn read_receipts(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "m1", "Hello");
    let mut vs = socket(http, "/v1/visitor/ws", &v.token, Some(ORIGIN));
    let agent_path = format!("/v1/agent/conversations/{}/ws", v.conversation);
    let mut ag = socket(http, &agent_path, &agent_token("t_msg"), None);

    // The agent read the visitor's message: the visitor hears it.
    let id = ag.request(ClientMessage::Read { seq: 2 }).unwrap();
    assert_eq!(ag.answer(&id, WAIT).unwrap(), Some(ServerEvent::Ok));
    let got = vs
        .recv_until(WAIT, |f| matches!(f.event, ServerEvent::Read { .. }))
        .unwrap()
        .map(|f| f.event);
    assert!(
        matches!(&got, Some(ServerEvent::Read { by: porchlight_shared::protocol::Author::Agent { id }, seq: 2 }) if id == "agent1"),
        "{got:?}"
    );

    // The visitor's receipt reaches the agent.
    let id = vs.request(ClientMessage::Read { seq: 2 }).unwrap();
    assert_eq!(vs.answer(&id, WAIT).unwrap(), Some(ServerEvent::Ok));
    let got = ag
        .recv_until(WAIT, |f| matches!(f.event, ServerEvent::Read { .. }))
        .unwrap()
        .map(|f| f.event);
    assert_eq!(
        got,
        Some(ServerEvent::Read {
            by: porchlight_shared::protocol::Author::Visitor,
            seq: 2
        })
    );

    // Reading an older item again is acknowledged but not relayed; past the end is refused.
    let id = vs.request(ClientMessage::Read { seq: 1 }).unwrap();
    assert_eq!(vs.answer(&id, WAIT).unwrap(), Some(ServerEvent::Ok));
    let id = vs.request(ClientMessage::Read { seq: 99 }).unwrap();
    match vs.answer(&id, WAIT).unwrap() {
        Some(ServerEvent::Error(e)) => {
            assert_eq!(e.code, porchlight_shared::ErrorCode::InvalidField)
        }
        other => panic!("expected an error, got {other:?}"),
    }
    let relayed = ag.drain(Duration::from_millis(500)).unwrap();
    assert!(
        !relayed
            .iter()
            .any(|f| matches!(f.event, ServerEvent::Read { .. })),
        "{relayed:?}"
    );
}

/// The next `availability` event on a visitor's socket.
fn next_availability(s: &mut Socket) -> (bool, Vec<String>) {
    match s
        .recv_until(WAIT, |f| {
            matches!(f.event, ServerEvent::Availability { .. })
        })
        .unwrap()
        .map(|f| f.event)
    {
        Some(ServerEvent::Availability {
            agents_online,
            team,
        }) => (agents_online, team),
        other => panic!("expected availability, got {other:?}"),
    }
}

fn availability(http: &Http) {
    // A site of its own: the config case brings t_widget's admin online meanwhile.
    let site = "t_team_h";
    let v = new_visitor(http, site);
    say(http, &v, "m1", "Anyone?");
    let mut vs = socket(http, "/v1/visitor/ws", &v.token, Some(ORIGIN));
    // Right after the welcome: nobody.
    assert_eq!(next_availability(&mut vs), (false, vec![]));

    // The admin opens the console: the visitor hears it, by name, with no request of theirs.
    let console = admin_console(http, site);
    assert_eq!(
        next_availability(&mut vs),
        (true, vec!["Admin H".to_owned()])
    );
    // The config says the same.
    let c: WidgetConfig = serde_json::from_value(get_config(http, site).json).unwrap();
    assert!(c.agents_online);
    assert_eq!(c.team, ["Admin H"]);

    // The last tab closes: nobody again.
    console.close();
    assert_eq!(next_availability(&mut vs), (false, vec![]));
}

/// The unread frame's socket: it follows the conversation like any other, but the team is not
/// asked to watch it and it never hears availability.
fn watch_socket(http: &Http) {
    // A site whose admin can come online, not the availability case's: cases run at once, and
    // that one counts who is online.
    let site = "t_team_i";
    let v = new_visitor(http, site);
    say(http, &v, "m1", "Anyone?");
    let mut watch = socket(
        http,
        "/v1/visitor/ws?watch=1&after_seq=0",
        &v.token,
        Some(ORIGIN),
    );
    match watch.recv(WAIT).unwrap().map(|f| f.event) {
        Some(ServerEvent::Sync { items, complete }) => {
            assert!(complete);
            assert_eq!(texts(&items), [(1, "Anyone?".to_owned())]);
        }
        other => panic!("expected sync, got {other:?}"),
    }
    // An agent comes online and answers: the answer arrives, availability does not.
    let console = admin_console(http, site);
    let r = http
        .with_origin(None)
        .post(
            &format!("/v1/agent/conversations/{}/messages", v.conversation),
            Some("pl_dev_t_team_i_agent1"),
            &json!({"client_id": "a1", "body": {"text": "Here!"}}),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text);
    let frames = watch.drain(Duration::from_millis(1500)).unwrap();
    assert!(
        frames
            .iter()
            .any(|f| matches!(&f.event, ServerEvent::MessageCreated(m) if m.body.text == "Here!")),
        "{frames:?}"
    );
    assert!(
        !frames
            .iter()
            .any(|f| matches!(f.event, ServerEvent::Availability { .. })),
        "{frames:?}"
    );
    console.close();

    let r = http.get("/v1/visitor/ws?watch=2", Some(&v.token)).unwrap();
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(r.json["error"]["code"], "invalid_field");
}

// ---------------------------------------------------------------- quick replies

fn agent_post(http: &Http, v: &Visitor, kind: &str, body: serde_json::Value) -> Reply {
    http.with_origin(None)
        .post(
            &format!("/v1/agent/conversations/{}/{kind}", v.conversation),
            Some(&agent_token(v.site)),
            &body,
        )
        .unwrap()
}

fn offer_body(client_id: &str) -> serde_json::Value {
    json!({"client_id": client_id, "body": {"text": "How can we help?", "choices": [
        {"id": "billing", "label": "Billing & invoices"},
        {"id": "tech", "label": "Technical <help>"}
    ]}})
}

fn answer(seq: u64, choice: &str, client_id: &str) -> serde_json::Value {
    json!({"client_id": client_id, "body": {"text": "", "reply_to": {"seq": seq, "choice_id": choice}}})
}

fn quick_replies_http(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "m1", "Hello");
    let r = agent_post(http, &v, "messages", offer_body("a1"));
    assert_eq!(r.status, 200, "{}", r.text);
    let offered: MessageAccepted = serde_json::from_value(r.json).unwrap();
    assert_eq!(offered.message.body.choices.len(), 2);
    let seq = offered.message.seq;
    let before = history(http, &v);

    let refused = |r: Reply| {
        assert_eq!(r.status, 400, "{}", r.text);
        assert_eq!(r.code(), Some("invalid_field"), "{}", r.text);
    };
    // A visitor cannot offer choices; answers must name an offered choice of a real message.
    refused(
        http.post("/v1/visitor/messages", Some(&v.token), &offer_body("v1"))
            .unwrap(),
    );
    let visitor_msg_seq = before
        .iter()
        .find_map(|i| match i {
            Item::Message(m) if m.author == Author::Visitor => Some(m.seq),
            _ => None,
        })
        .unwrap();
    for bad in [
        answer(seq, "sales", "v2"),
        answer(seq + 100, "billing", "v3"),
        answer(visitor_msg_seq, "billing", "v4"),
        answer(1, "billing", "v5"), // a status change, not a message
        answer(seq, "../x", "v6"),
    ] {
        refused(
            http.post("/v1/visitor/messages", Some(&v.token), &bad)
                .unwrap(),
        );
    }
    // An agent cannot answer, nor offer choices that break the rules, nor offer them in a note.
    refused(agent_post(
        http,
        &v,
        "messages",
        answer(seq, "billing", "a2"),
    ));
    let eleven: Vec<serde_json::Value> = (0..11)
        .map(|i| json!({"id": format!("c{i}"), "label": "x"}))
        .collect();
    refused(agent_post(
        http,
        &v,
        "messages",
        json!({"client_id": "a3", "body": {"text": "x", "choices": eleven}}),
    ));
    refused(agent_post(
        http,
        &v,
        "messages",
        json!({"client_id": "a4", "body": {"text": "x", "choices": [{"id": "a", "label": "y".repeat(81)}]}}),
    ));
    refused(agent_post(http, &v, "notes", offer_body("n1")));
    // Another conversation's offer cannot be answered here.
    let other = new_visitor(http, "t_msg");
    say(http, &other, "m1", "Hi");
    refused(
        http.post(
            "/v1/visitor/messages",
            Some(&other.token),
            &answer(seq, "billing", "o1"),
        )
        .unwrap(),
    );
    assert_eq!(history(http, &v), before, "nothing stored");

    // The right answer is stored with the chosen label as its text, whatever text came with it.
    let mut body = answer(seq, "billing", "v7");
    body["body"]["text"] = json!("ignored");
    let r = http
        .post("/v1/visitor/messages", Some(&v.token), &body)
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text);
    let got: MessageAccepted = serde_json::from_value(r.json).unwrap();
    assert_eq!(got.message.body.text, "Billing & invoices");
    assert_eq!(
        got.message.body.reply_to,
        Some(ReplyTo {
            seq,
            choice_id: "billing".into()
        })
    );
    let last = history(http, &v).pop().unwrap();
    assert_eq!(last, Item::Message(got.message));
}

fn quick_replies_socket(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "m1", "Hello");
    let mut vs = socket(http, "/v1/visitor/ws", &v.token, Some(ORIGIN));
    let agent_path = format!("/v1/agent/conversations/{}/ws", v.conversation);
    let mut ag = socket(http, &agent_path, &agent_token("t_msg"), None);

    let choices = vec![
        Choice {
            id: "yes".into(),
            label: "Yes, please".into(),
        },
        Choice {
            id: "no".into(),
            label: "No".into(),
        },
    ];
    let id = ag
        .request(ClientMessage::SendMessage(SendMessage {
            client_id: "a1".into(),
            body: Body {
                text: "Want a callback?".into(),
                choices: choices.clone(),
                ..Body::default()
            },
        }))
        .unwrap();
    let seq = match ag.answer(&id, WAIT).unwrap() {
        Some(ServerEvent::Ack { seq, .. }) => seq,
        other => panic!("expected an ack, got {other:?}"),
    };
    let live = vs
        .recv_until(WAIT, |f| matches!(f.event, ServerEvent::MessageCreated(_)))
        .unwrap()
        .map(|f| f.event);
    match live {
        Some(ServerEvent::MessageCreated(m)) => {
            assert_eq!(m.seq, seq);
            assert_eq!(m.body.choices, choices);
        }
        other => panic!("expected the offer, got {other:?}"),
    }
    let before = history(http, &v);

    let reply = |choice: &str, at: u64, client_id: &str| {
        ClientMessage::SendMessage(SendMessage {
            client_id: client_id.into(),
            body: Body {
                reply_to: Some(ReplyTo {
                    seq: at,
                    choice_id: choice.into(),
                }),
                ..Body::default()
            },
        })
    };
    let mut offer_from_visitor = reply("yes", seq, "v0");
    if let ClientMessage::SendMessage(m) = &mut offer_from_visitor {
        m.body = Body {
            text: "pick".into(),
            choices: choices.clone(),
            ..Body::default()
        };
    }
    for bad in [
        reply("maybe", seq, "v1"),
        reply("yes", seq + 50, "v2"),
        offer_from_visitor,
    ] {
        let id = vs.request(bad).unwrap();
        match vs.answer(&id, WAIT).unwrap() {
            Some(ServerEvent::Error(e)) => {
                assert_eq!(e.code, porchlight_shared::ErrorCode::InvalidField)
            }
            other => panic!("expected invalid_field, got {other:?}"),
        }
    }
    assert_eq!(history(http, &v), before, "nothing stored");

    let id = vs.request(reply("no", seq, "v3")).unwrap();
    let answered = match vs.answer(&id, WAIT).unwrap() {
        Some(ServerEvent::Ack { seq, .. }) => seq,
        other => panic!("expected an ack, got {other:?}"),
    };
    let heard = ag
        .recv_until(
            WAIT,
            |f| matches!(&f.event, ServerEvent::MessageCreated(m) if m.seq == answered),
        )
        .unwrap()
        .map(|f| f.event);
    match heard {
        Some(ServerEvent::MessageCreated(m)) => {
            assert_eq!(m.author, Author::Visitor);
            assert_eq!(m.body.text, "No");
            assert_eq!(m.body.reply_to.map(|r| r.seq), Some(seq));
        }
        other => panic!("the agent did not hear the answer: {other:?}"),
    }
}

// ---------------------------------------------------------------- transcript

fn get_transcript(http: &Http, path: &str, token: &str) -> Reply {
    http.get(path, Some(token)).unwrap()
}

fn transcript(http: &Http) {
    let v = new_visitor(http, "t_msg");
    say(http, &v, "m1", "<script>alert('x')</script> Tom & Jerry");
    let file = uploaded(http, &v, "application/pdf", PDF, Some("<b>invoice</b>.pdf"));
    let r = post_with(http, &v, "m2", "here", std::slice::from_ref(&file));
    assert_eq!(r.status, 200, "{}", r.text);
    let r = agent_post(
        http,
        &v,
        "notes",
        json!({"client_id": "n1", "body": {"text": "VIP secret note"}}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = agent_post(
        http,
        &v,
        "messages",
        json!({"client_id": "a1", "body": {"text": "Hi, agent here"}}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = agent_post(http, &v, "finish", json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    say(http, &v, "m3", "A second ticket");

    let agent_path = format!("/v1/agent/conversations/{}/transcript", v.conversation);
    let visitor_copy = get_transcript(http, "/v1/visitor/transcript", &v.token);
    let agent_copy = get_transcript(&http.with_origin(None), &agent_path, &agent_token("t_msg"));
    for r in [&visitor_copy, &agent_copy] {
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(
            r.header("content-disposition"),
            Some(
                format!(
                    "attachment; filename=\"conversation-{}.html\"",
                    v.conversation
                )
                .as_str()
            )
        );
        assert_eq!(
            r.header("content-security-policy"),
            Some("default-src 'none'; style-src 'unsafe-inline'")
        );
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        let html = &r.text;
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Tom &amp; Jerry"));
        // A downloaded copy names each file (a link would have nowhere to open it from).
        assert!(
            html.contains("&lt;b&gt;invoice&lt;/b&gt;.pdf (application/pdf"),
            "{html}"
        );
        assert!(!html.contains("href="), "{html}");
        assert!(html.contains("Ticket #1") && html.contains("Ticket #2"));
        assert!(html.find("Ticket #1") < html.find("Ticket #2"));
        // Agents by their name (here the token's: the site has no account for them).
        assert!(html.contains("<b>Visitor</b>") && html.contains("<b>Agent1</b>"));
        assert!(!html.contains("agent1"), "{html}");
        assert!(html.contains("created → new by Visitor"), "{html}");
        assert!(html.contains("→ closed by Agent1"), "{html}");
        assert!(html.contains("Hi, agent here") && html.contains("A second ticket"));
        // Without a zone: UTC, named; the machine form stays in `datetime`.
        assert!(html.contains("Times are in the time zone UTC."), "{html}");
        assert!(html.contains(" UTC</time>"), "{html}");
        assert!(html.contains("Z\">"), "{html}");
    }
    assert!(!visitor_copy.text.contains("VIP secret note"));
    assert!(!visitor_copy.text.contains("Internal note"));

    // In the reader's zone and language; a zone the runtime does not know, or a malformed one,
    // is refused with its code.
    let local = get_transcript(
        http,
        "/v1/visitor/transcript?tz=America/Sao_Paulo&locale=pt-BR",
        &v.token,
    );
    assert_eq!(local.status, 200, "{}", local.text);
    assert!(local
        .text
        .contains("Times are in the time zone America/Sao_Paulo."));
    assert!(
        local.text.contains(" BRT</time>") || local.text.contains(" GMT-3</time>"),
        "{}",
        local.text
    );
    assert!(
        local.text.contains(" de "),
        "Portuguese dates: {}",
        local.text
    );
    for bad in ["tz=Mars/Olympus", "tz=%3Cb%3E", "locale=x"] {
        let r = get_transcript(http, &format!("/v1/visitor/transcript?{bad}"), &v.token);
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
        assert!(r.text.contains("invalid_field"), "{bad}: {}", r.text);
    }
    assert!(agent_copy.text.contains("VIP secret note"));
    assert!(agent_copy.text.contains("Internal note"));
    assert_eq!(
        visitor_copy.header("access-control-allow-origin"),
        Some(ORIGIN),
        "the widget may fetch it"
    );
}

fn transcript_long_and_refused(http: &Http) {
    let v = new_visitor(http, "t_msg");
    // More than one batch of the object's history.
    for i in 0..230 {
        say(http, &v, &format!("m{i}"), &format!("line number {i}."));
    }
    let r = get_transcript(http, "/v1/visitor/transcript", &v.token);
    assert_eq!(r.status, 200, "{}", r.text);
    for i in [0, 199, 200, 229] {
        assert!(r.text.contains(&format!("line number {i}.")), "message {i}");
    }
    let before = history(http, &v);

    // No token, a bad token, another site's agent, another origin, a POST: refused.
    let refused = |r: Reply, status: u16, code: &str| {
        assert_eq!(r.status, status, "{}", r.text);
        assert_eq!(r.code(), Some(code), "{}", r.text);
    };
    refused(
        http.get("/v1/visitor/transcript", None).unwrap(),
        401,
        "missing_token",
    );
    refused(
        http.get("/v1/visitor/transcript", Some("nope")).unwrap(),
        401,
        "invalid_token",
    );
    let evil = http.with_origin(Some("https://evil.example"));
    refused(
        evil.get("/v1/visitor/transcript", Some(&v.token)).unwrap(),
        403,
        "origin_not_allowed",
    );
    let agent_path = format!("/v1/agent/conversations/{}/transcript", v.conversation);
    refused(
        http.with_origin(None)
            .get(&agent_path, Some(&agent_token("t_live")))
            .unwrap(),
        404,
        "not_found",
    );
    refused(
        http.post("/v1/visitor/transcript", Some(&v.token), &json!({}))
            .unwrap(),
        405,
        "method_not_allowed",
    );
    refused(
        http.with_origin(None)
            .post(&agent_path, Some(&agent_token("t_msg")), &json!({}))
            .unwrap(),
        405,
        "method_not_allowed",
    );
    assert_eq!(history(http, &v), before, "nothing changed");

    // A visitor who never wrote gets an empty transcript, and nothing is created.
    let quiet = new_visitor(http, "t_msg");
    let r = get_transcript(http, "/v1/visitor/transcript", &quiet.token);
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("No messages yet."));
    assert!(history(http, &quiet).is_empty());
}

/// `HEAD` on the loader, the frame, the widget's files, the console's page and files, the demo
/// page and the config: the status and headers of `GET` (but its date, and its length and framing,
/// which the runtime leaves out of a `HEAD` answer as HTTP allows), and no body.
fn head_like_get(http: &Http) {
    let frame = format!("/widget/frame.html?site=t_widget&host={ORIGIN}");
    let page = http.get(&frame, None).unwrap();
    assert_eq!(page.status, 200, "frame: {}", page.text);
    let named = |ext: &str| {
        let end = page
            .text
            .find(ext)
            .expect("the frame names the widget's files")
            + ext.len();
        let start = page.text[..end].rfind("/widget/").unwrap();
        page.text[start..end].to_owned()
    };
    let paths = [
        "/widget.js".to_owned(),
        "/widget.js?site=t_widget".to_owned(),
        frame.clone(),
        named(".css"),
        named(".wasm"),
        "/console".to_owned(),
        "/console/console.css".to_owned(),
        "/demo".to_owned(),
        "/healthz".to_owned(),
        "/v1/visitor/config?site=t_widget".to_owned(),
        "/no/such/page".to_owned(),
    ];
    for path in &paths {
        let get = http.get(path, None).unwrap();
        let head = http.send("HEAD", path, None, None).unwrap();
        assert_eq!(head.status, get.status, "HEAD {path}");
        assert!(
            head.bytes.is_empty(),
            "HEAD {path} has a body: {}",
            head.text
        );
        let without_date = |r: &Reply| {
            let mut h = r.headers.clone();
            h.remove("date");
            h.remove("content-length");
            h.remove("transfer-encoding");
            // The local static-assets server's cache state (HIT after the first request, MISS
            // before it): which of the two requests warmed the cache, not an answer of ours.
            h.remove("cf-cache-status");
            h
        };
        assert_eq!(without_date(&head), without_date(&get), "HEAD {path}");
    }
    assert_eq!(http.get("/demo", None).unwrap().status, 200);
}

/// workerd warns "Constructing a Response with a null body status (204) and a non-null,
/// zero-length body" when a 204 or 304 is built with an empty body. A server of its own, so that
/// its log holds only this journey: a profile (204 from the conversation object, copied by the
/// router), a preflight, a console sign-out, a revalidated console file (304).
fn no_null_body_warnings(dir: &Path) {
    let mut server = Wrangler::start_any_port(dir).unwrap();
    let http = Http::new(&server.base_url, Some(ORIGIN));
    let v = new_visitor(&http, "t_widget");
    put_profile(
        &http,
        &v,
        json!({"locale": "en", "page_url": "https://allowed.example/a"}),
    );
    put_profile(&http, &v, json!({"name": "Nora"}));
    let r = http
        .send("OPTIONS", "/v1/visitor/messages", None, None)
        .unwrap();
    assert_eq!(r.status, 204, "preflight: {}", r.text);
    let console = http.with_origin(None);
    let signed_in = console.with_session(&sign_in_admin(&http, "t_widget"));
    let r = signed_in
        .post("/v1/console/logout", None, &json!({}))
        .unwrap();
    assert_eq!(r.status, 204, "sign-out: {}", r.text);
    let file = "/console/console.css";
    let first = console.get(file, None).unwrap();
    assert_eq!(first.status, 200);
    let etag = first.header("etag").expect("an ETag").to_owned();
    let again = console
        .with_header("If-None-Match", &etag)
        .get(file, None)
        .unwrap();
    assert_eq!(again.status, 304, "revalidated");
    // The runtime's warnings reach the log as the requests are served; give it a moment.
    std::thread::sleep(Duration::from_millis(500));
    server.stop();
    let log = std::fs::read_to_string(server.log_path()).unwrap();
    let warnings = log.matches("null body status").count();
    assert_eq!(
        warnings,
        0,
        "workerd warned {warnings} times:\n{}",
        server.log_tail()
    );
}

fn unread(http: &Http, token: Option<&str>, query: &str) -> Reply {
    http.get(&format!("/v1/visitor/unread{query}"), token)
        .unwrap()
}

fn unread_count(http: &Http) {
    let v = new_visitor(http, "t_msg");
    let seq = |r: &Reply| r.json["message"]["seq"].as_u64().unwrap();
    let mine = seq(&say(http, &v, "u1", "Where is my order?"));
    let count = |query: &str| {
        let r = unread(http, Some(&v.token), query);
        assert_eq!(r.status, 200, "{}", r.text);
        r.json["count"].as_u64().unwrap()
    };
    assert_eq!(count(""), 0, "the visitor's own message is not unread");
    let r = agent_post(
        http,
        &v,
        "messages",
        json!({"client_id": "a1", "body": {"text": "On its way"}}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let first = seq(&r);
    // A note is for agents only: never counted.
    let r = agent_post(
        http,
        &v,
        "notes",
        json!({"client_id": "n1", "body": {"text": "VIP"}}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    say(http, &v, "u2", "Thanks");
    let r = agent_post(
        http,
        &v,
        "messages",
        json!({"client_id": "a2", "body": {"text": "Anything else?"}}),
    );
    let second = seq(&r);
    assert_eq!(count(""), 2);
    assert_eq!(count(&format!("?after={mine}")), 2);
    assert_eq!(count(&format!("?after={first}")), 1);
    assert_eq!(count(&format!("?after={second}")), 0);
    assert_eq!(count("?after=999999"), 0);

    let before = history(http, &v);
    let refused = |r: Reply, status: u16, code: &str| {
        assert_eq!(r.status, status, "{}", r.text);
        assert_eq!(r.code(), Some(code), "{}", r.text);
    };
    refused(unread(http, None, ""), 401, "missing_token");
    refused(unread(http, Some("nope"), ""), 401, "invalid_token");
    let forged = format!("{}x", v.token);
    refused(unread(http, Some(&forged), ""), 401, "invalid_token");
    for bad in ["?after=-1", "?after=1.5", "?after=soon"] {
        refused(unread(http, Some(&v.token), bad), 400, "invalid_field");
    }
    let evil = http.with_origin(Some("https://evil.example"));
    refused(unread(&evil, Some(&v.token), ""), 403, "origin_not_allowed");
    // Asking changed nothing: the same history, the same count.
    assert_eq!(history(http, &v), before);
    assert_eq!(count(""), 2);
}

fn unread_frame(http: &Http) {
    let page = |query: &str| {
        http.with_origin(None)
            .get(&format!("/widget/unread.html{query}"), None)
            .unwrap()
    };
    let r = page(&format!("?site=t_msg&host={ORIGIN}"));
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.len() < 1024, "{} bytes", r.text.len());
    assert!(r.text.contains("/v1/visitor/ws?watch=1"), "{}", r.text);
    let policy = r.header("content-security-policy").unwrap();
    assert!(
        policy.contains(&format!("frame-ancestors {ORIGIN} 'self'")),
        "{policy}"
    );
    assert!(
        policy.contains(&format!(
            "connect-src 'self' {};",
            http.base().replace("http://", "ws://")
        )),
        "{policy}"
    );
    assert_eq!(r.header("cache-control"), Some("no-store"));
    for (query, status, code) in [
        (
            "?site=t_msg&host=https://evil.example",
            403,
            "origin_not_allowed",
        ),
        ("?site=t_msg", 403, "origin_not_allowed"),
        (
            "?site=no_such_site&host=https://allowed.example",
            404,
            "unknown_site",
        ),
        (
            "?site=bad%20id&host=https://allowed.example",
            400,
            "invalid_field",
        ),
    ] {
        let r = page(query);
        assert_eq!(r.status, status, "{query}: {}", r.text);
        assert_eq!(r.code(), Some(code), "{query}: {}", r.text);
    }
}
