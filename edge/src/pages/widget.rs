//! What browsers load from the edge besides the API: the loader script (`/widget.js`), the chat
//! frame page (generated here, so that its `frame-ancestors` names the site's origins), the
//! widget's static files (wrangler `[assets]` from `widget/dist`, behind the `ASSETS` binding)
//! and a demo host page with the real script tag.
//!
//! Every response carries `X-Content-Type-Options: nosniff` and an exact content type. The pure
//! parts (policies, page text, type table) are plain functions with native tests.

use base64::Engine;
use porchlight_shared::embed::{CONFIG_ELEMENT_ID, FRAME_PARAM_HOST, FRAME_PARAM_SITE};
use porchlight_shared::protocol::{WidgetConfig, WidgetPosition};
use porchlight_shared::texts;
use porchlight_shared::{validate, ErrorCode};
use sha2::{Digest, Sha256};
use worker::{Env, Headers, Request, Response, ResponseBuilder};

use crate::d1::sites::{self, Site};
use crate::error::{EdgeError, EdgeResult};
use crate::team::client::Availability;
use crate::team::TeamClient;

/// The static-assets binding (wrangler.toml `[assets]`).
const ASSETS: &str = "ASSETS";
/// The site the demo page embeds (edge/seed/demo.sql).
pub const DEMO_SITE: &str = "demo";

/// Where the frame page finds the app, and the frame's boot script that names them: the
/// content-hashed names `cargo xtask build` wrote (see `edge/build.rs`). `FRAME_BOOT` is inline
/// (one request fewer on open) and allowed by its hash, not by `'unsafe-inline'`.
mod files {
    include!(concat!(env!("OUT_DIR"), "/widget_files.rs"));
}
use files::{CSS_PATH, FRAME_BOOT, GLUE_PATH, HASHED, WASM_PATH};

/// What stands in the loader where [`bake_loader`] writes the site's settings.
pub const LOADER_PLACEHOLDER: &str = "\"__PORCHLIGHT_SITE__\"";

/// Styles of the demo page, allowed by hash like the frame's script.
const DEMO_STYLE: &str = "body{font:17px/1.5 Georgia,serif;max-width:40rem;margin:3rem auto;\
padding:0 1rem;color:#222}h1{font-size:2rem}table{border-collapse:collapse;margin:1rem 0}\
caption{text-align:left;font-weight:bold}th,td{border:1px solid #ccc;padding:.25rem .5rem;\
text-align:left;font-size:15px}";

/// `GET /widget.js?site=SITE`: the loader with the site's id, launcher colour and corner written
/// in, so that the launcher is drawn in them from its first paint without a request of its own
/// (the way a per-app script works). Without `site`, the plain loader, which reads `data-site`
/// and learns the style when the frame loads. Cached briefly either way: its URL never changes,
/// so a long lifetime would keep old loaders (and old settings) on customers' pages.
pub async fn loader(req: &Request, env: &Env) -> EdgeResult<Response> {
    const CACHE: &str = "public, max-age=300";
    let url = req.url()?;
    let Some(site_id) = query_param(&url, FRAME_PARAM_SITE) else {
        return asset(req, env, CACHE, "cross-origin").await;
    };
    validate::id("site", &site_id)?;
    // The file itself, not a conditional answer for what the browser holds of the plain one.
    let file_url = format!("{}/widget.js", url.origin().ascii_serialization());
    let file = async {
        let mut resp = env.assets(ASSETS)?.fetch(file_url, None).await?;
        if resp.status_code() != 200 {
            return Err(EdgeError::internal("loader asset", resp.status_code()));
        }
        Ok::<_, EdgeError>(resp.text().await?)
    };
    let (style, file) =
        futures_util::future::join(sites::launcher_style(env, &site_id), file).await;
    let (color, position) = style?;
    let Some(body) = bake_loader(&file?, &site_id, &color, position) else {
        return Err(EdgeError::internal(
            "loader asset",
            "the loader has no placeholder for the site's settings",
        ));
    };
    let headers = Headers::new();
    headers.set("Content-Type", "text/javascript; charset=utf-8")?;
    headers.set("Cache-Control", CACHE)?;
    headers.set("Cross-Origin-Resource-Policy", "cross-origin")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    Ok(Response::ok(body)?.with_headers(headers))
}

/// The loader with the site's settings (`{"site", "color", "position"}`, JSON, which is also a
/// JavaScript expression) in place of its placeholder; `None` if it has none. A colour that is
/// not `#rrggbb` is left out: the launcher then keeps its default.
pub fn bake_loader(
    loader: &str,
    site_id: &str,
    color: &str,
    position: WidgetPosition,
) -> Option<String> {
    if !loader.contains(LOADER_PLACEHOLDER) {
        return None;
    }
    /// In this order, whatever serde_json's map would do.
    #[derive(serde::Serialize)]
    struct Settings<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        color: Option<&'a str>,
        position: WidgetPosition,
        site: &'a str,
    }
    let b = color.as_bytes();
    let is_color = b.len() == 7 && b[0] == b'#' && b[1..].iter().all(u8::is_ascii_hexdigit);
    let settings = Settings {
        color: is_color.then_some(color),
        position,
        site: site_id,
    };
    let json = serde_json::to_string(&settings).ok()?;
    Some(loader.replacen(LOADER_PLACEHOLDER, &json, 1))
}

/// The unread check (`widget/loader/unread.js`, minified by the build).
pub const UNREAD_CHECK_PATH: &str = "/widget/unread.js";

/// `GET /widget/<file>`: the app's glue, wasm and CSS, loaded only by the frame (same origin).
/// Their names carry a hash of their content, so they are cached for a year and never asked for
/// again (`immutable`); the frame page, which names them, is never cached. Only the current
/// names are served.
pub async fn widget_file(req: &Request, env: &Env) -> EdgeResult<Response> {
    let path = req.path();
    let cache = if HASHED {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    // The loader's second part, loaded by the host page (another origin) as a classic script.
    // Only the current build's file exists under this name.
    if is_loader_part(&path) {
        return asset(
            req,
            env,
            "public, max-age=31536000, immutable",
            "cross-origin",
        )
        .await;
    }
    // The unread check, loaded by the host page at idle for a returning visitor. Its name never
    // changes (the loader names it), so it is cached briefly, like the loader.
    if path == UNREAD_CHECK_PATH {
        return asset(req, env, "public, max-age=300", "cross-origin").await;
    }
    if ![GLUE_PATH, WASM_PATH, CSS_PATH].contains(&path.as_str()) {
        return Err(not_found());
    }
    asset(req, env, cache, "same-origin").await
}

/// Whether `path` names the loader's second part (`/widget/panel-HASH.js`, written by the build
/// with the hash of its content into the loader that fetches it).
pub fn is_loader_part(path: &str) -> bool {
    path.strip_prefix("/widget/panel-")
        .and_then(|rest| rest.strip_suffix(".js"))
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A file of `widget/dist` (the widget's and the console's) from the `ASSETS` binding, with its
/// exact type, `cache` and `resource_policy`.
pub(crate) async fn asset(
    req: &Request,
    env: &Env,
    cache: &str,
    resource_policy: &str,
) -> EdgeResult<Response> {
    let path = req.path();
    let Some(content_type) = content_type(&path) else {
        return Err(not_found());
    };
    let resp = env.assets(ASSETS)?.fetch_request(req.clone()?).await?;
    let status = resp.status_code();
    if status == 404 {
        return Err(not_found());
    }
    // A fetched response's headers are immutable: copy them into ours.
    let headers = Headers::new();
    for (name, value) in resp.headers().entries() {
        headers.set(&name, &value)?;
    }
    headers.set("Content-Type", content_type)?;
    headers.set("Cache-Control", cache)?;
    headers.set("Cross-Origin-Resource-Policy", resource_policy)?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    let builder = ResponseBuilder::new()
        .with_status(status)
        .with_headers(headers);
    // A revalidated file (304) has no body, and gets none.
    Ok(if null_body_status(status) {
        builder.empty()
    } else {
        builder.body(resp.body().clone())
    })
}

/// Whether a response with this status never has a body (Fetch's "null body status"). The
/// runtime warns when one is built with a body, even an empty one.
pub fn null_body_status(status: u16) -> bool {
    matches!(status, 101 | 103 | 204 | 205 | 304)
}

/// `GET /widget/frame.html?site=SITE&host=ORIGIN`: the chat frame. Refused unless `host` is one
/// of the site's allowed origins (or the edge itself), and `frame-ancestors` lets only those
/// origins embed it, so the frame never talks to a page the site did not allow.
pub async fn frame(req: &Request, env: &Env) -> EdgeResult<Response> {
    let url = req.url()?;
    let param = |name: &str| query_param(&url, name);
    let site_id = param(FRAME_PARAM_SITE).unwrap_or_default();
    validate::id("site", &site_id)?;
    // The texts in the script tag's `data-locale`, else the browser's languages.
    let accept = req.headers().get("Accept-Language")?.unwrap_or_default();
    let mut preferred: Vec<&str> = texts::accept_language(&accept);
    let data_locale = param("locale");
    if let Some(l) = data_locale.as_deref() {
        preferred.insert(0, l);
    }
    let (site, mut config, online) = site_and_team(env, &site_id, &preferred).await?;
    let own = url.origin().ascii_serialization();
    if let Some(host) = param(FRAME_PARAM_HOST) {
        if !site.origin_allowed(Some(&host), &own) {
            return Err(not_an_embedder());
        }
    }
    let policy = frame_policy(&site.allowed_origins, &own);
    // The app reads the config from the page instead of asking for it once it runs. If who is
    // online could not be had, the page goes without and the app asks.
    let config = online.ok().map(|online| {
        config.agents_online = online.online;
        config.team = online.team;
        config
    });
    html(frame_page(config.as_ref()), &policy, "no-store")
}

/// A site and what its widget is told ([`sites::site_with_widget`]), and who of its team is
/// online, asked of D1 and of the team object at the same time. The last can fail on its own.
pub async fn site_and_team(
    env: &Env,
    site_id: &str,
    preferred: &[&str],
) -> EdgeResult<(Site, WidgetConfig, EdgeResult<Availability>)> {
    let (site, online) = futures_util::future::join(
        sites::site_with_widget(env, site_id, preferred),
        TeamClient::site(env, site_id).availability(),
    )
    .await;
    let (site, config) = site?;
    Ok((site, config, online))
}

/// `GET /demo`: a host page for the demo site with the real script tag, under the strict
/// policy a customer page may have (`script-src` and `frame-src` name only the edge).
pub fn demo(req: &Request) -> EdgeResult<Response> {
    let own = req.url()?.origin().ascii_serialization();
    let policy = format!(
        "default-src 'none'; script-src {own}; frame-src {own}; style-src '{}'; \
         base-uri 'none'; form-action 'none'",
        sha256_source(DEMO_STYLE)
    );
    html(demo_page(&own), &policy, "no-store")
}

/// The decoded value of the query parameter `name` of `url`, if it has one.
pub(crate) fn query_param(url: &worker::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The refusal of a frame page asked for by a page the site does not allow.
pub(crate) fn not_an_embedder() -> EdgeError {
    EdgeError::new(
        ErrorCode::OriginNotAllowed,
        "this origin may not embed the site's widget",
    )
}

pub(crate) fn html(body: String, policy: &str, cache: &str) -> EdgeResult<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    headers.set("Content-Security-Policy", policy)?;
    headers.set("Cache-Control", cache)?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Referrer-Policy", "same-origin")?;
    Ok(Response::from_html(body)?.with_headers(headers))
}

/// The exact content type of a file the edge serves, or `None` for anything else (only these
/// kinds exist in `widget/dist`).
pub fn content_type(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1;
    Some(match ext {
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        _ => return None,
    })
}

/// The frame's Content-Security-Policy: its own scripts (and wasm compilation), styles and API;
/// embeddable by the site's allowed origins and the edge itself.
pub fn frame_policy(allowed_origins: &[String], own: &str) -> String {
    let mut ancestors = String::new();
    for origin in allowed_origins.iter().filter(|o| is_plain_origin(o)) {
        ancestors.push_str(origin);
        ancestors.push(' ');
    }
    ancestors.push_str("'self'");
    let socket = socket_source(own);
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' '{}'; style-src 'self'; \
         connect-src 'self' {socket}; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; \
         frame-ancestors {ancestors}",
        sha256_source(FRAME_BOOT)
    )
}

/// The policy source for sockets to the edge at `own` (`https://h` → `wss://h`): 'self' covers
/// ws(s) to the same host only in newer browsers, so pages name it explicitly.
pub fn socket_source(own: &str) -> String {
    own.strip_prefix("https://")
        .map(|h| format!("wss://{h}"))
        .or_else(|| own.strip_prefix("http://").map(|h| format!("ws://{h}")))
        .unwrap_or_default()
}

/// Whether `origin` is a bare `scheme://host[:port]` that can go into a policy as is: origins
/// come from the site's configuration, and a space or `;` would add directives.
pub fn is_plain_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    matches!(scheme, "https" | "http")
        && !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// A CSP hash source for an inline element's text: `sha256-<base64>`.
pub fn sha256_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The frame page: the CSS, a preload of the wasm, the boot script, and the site's widget config
/// when there is one. Nothing from the request is written into it; the app reads its parameters
/// from its own URL.
pub fn frame_page(config: Option<&WidgetConfig>) -> String {
    let data = config
        .and_then(|c| serde_json::to_string(c).ok())
        .map(|json| super::json_block(CONFIG_ELEMENT_ID, &json))
        .unwrap_or_default();
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Chat</title>\
<link rel=\"stylesheet\" href=\"{CSS_PATH}\">\
<link rel=\"modulepreload\" href=\"{GLUE_PATH}\">\
<link rel=\"preload\" href=\"{WASM_PATH}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\
{data}<script type=\"module\">{FRAME_BOOT}</script>\
</head><body></body></html>\n"
    )
}

/// The demo host page for [`DEMO_SITE`], loading the loader from `own` (the edge's origin).
pub fn demo_page(own: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Porchlight demo shop</title><style>{DEMO_STYLE}</style></head><body><main>\
<h1>Porchlight demo shop</h1>\
<p>This page stands in for a customer's site. It embeds the widget with the one script tag a \
site owner pastes, under a strict Content-Security-Policy that allows only the edge's script and \
frame.</p>\
<h2>Try it</h2>\
<ol>\
<li>Open the chat with the button in the corner and write a message.</li>\
<li>Open the <a href=\"{own}/console?site={DEMO_SITE}\">agent console</a> (a new tab is fine) and \
sign in with one of the demo accounts below. The demo site routes by language: a visitor writing \
in English is offered to Alice, one writing in Portuguese to Bruno.</li>\
<li>In the console, accept the conversation and answer: the visitor sees the reply here at once.</li>\
</ol>\
<table><caption>Demo accounts (development only)</caption>\
<thead><tr><th scope=\"col\">Email</th><th scope=\"col\">Password</th><th scope=\"col\">Role</th>\
<th scope=\"col\">Answers</th></tr></thead><tbody>\
<tr><td><code>alice@demo.test</code></td><td><code>porchlight-alice</code></td><td>agent</td>\
<td>English</td></tr>\
<tr><td><code>bruno@demo.test</code></td><td><code>porchlight-bruno</code></td><td>agent</td>\
<td>Portuguese, billing</td></tr>\
<tr><td><code>admin@demo.test</code></td><td><code>porchlight-admin</code></td><td>admin</td>\
<td>sees every ticket; manages the team</td></tr>\
</tbody></table>\
<p>Developers can also answer without the console, through the agent API (docs/API.md) with \
the development token <code>pl_dev_demo_alice</code>.</p></main>\
<script src=\"{own}/widget.js?site={DEMO_SITE}\" async></script>\
</body></html>\n"
    )
}

fn not_found() -> EdgeError {
    EdgeError::new(ErrorCode::NotFound, "no such file")
}

/// Adds `nosniff` to a response that does not have it (API answers, errors). Socket upgrades are
/// left alone: their headers belong to the runtime.
pub fn harden(mut resp: Response) -> Response {
    if resp.status_code() != 101 {
        let _ = resp.headers_mut().set("X-Content-Type-Options", "nosniff");
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_are_exact_and_only_for_known_kinds() {
        assert_eq!(
            content_type("/widget.js"),
            Some("text/javascript; charset=utf-8")
        );
        assert_eq!(content_type("/widget/x_bg.wasm"), Some("application/wasm"));
        assert_eq!(
            content_type("/widget/frame.css"),
            Some("text/css; charset=utf-8")
        );
        assert_eq!(content_type("/widget/.gitkeep"), None);
        assert_eq!(content_type("/widget/readme"), None);
        assert_eq!(content_type("/widget/frame.html"), None);
    }

    #[test]
    fn only_hashed_names_are_the_loaders_second_part() {
        assert!(is_loader_part("/widget/panel-0123456789abcdef.js"));
        for bad in [
            "/widget/panel.js",
            "/widget/panel-0123.js",
            "/widget/panel-0123456789abcdeg.js",
            "/widget/panel-0123456789abcdef.css",
            "/widget/../panel-0123456789abcdef.js",
        ] {
            assert!(!is_loader_part(bad), "{bad}");
        }
    }

    #[test]
    fn plain_origins_only_reach_the_policy() {
        assert!(is_plain_origin("https://shop.example"));
        assert!(is_plain_origin("http://127.0.0.1:8787"));
        assert!(is_plain_origin("http://[::1]:8787"));
        for bad in [
            "",
            "*",
            "shop.example",
            "https://",
            "javascript://x",
            "https://a.example; script-src *",
            "https://a.example b.example",
            "https://a.example/path",
            "https://a.example,https://b.example",
        ] {
            assert!(!is_plain_origin(bad), "{bad:?}");
        }
    }

    #[test]
    fn frame_policy_names_the_site_and_the_socket() {
        let origins = vec![
            "https://shop.example".to_owned(),
            "https://evil.example; script-src *".to_owned(),
        ];
        let p = frame_policy(&origins, "https://edge.example");
        assert!(
            p.contains("frame-ancestors https://shop.example 'self'"),
            "{p}"
        );
        assert!(!p.contains("evil"), "{p}");
        assert!(p.contains("connect-src 'self' wss://edge.example;"), "{p}");
        assert!(p.contains("'wasm-unsafe-eval'"));
        assert!(!p.contains("unsafe-inline"));
        assert!(p.contains(&sha256_source(FRAME_BOOT)));
        let local = frame_policy(&[], "http://127.0.0.1:8787");
        assert!(local.contains("ws://127.0.0.1:8787"), "{local}");
        assert!(local.ends_with("frame-ancestors 'self'"), "{local}");
    }

    #[test]
    fn the_boot_script_in_the_page_is_the_hashed_one() {
        let page = frame_page(None);
        assert!(page.contains(&format!("<script type=\"module\">{FRAME_BOOT}</script>")));
        assert!(page.contains(GLUE_PATH) && page.contains(WASM_PATH) && page.contains(CSS_PATH));
        // Known-answer check of the hash format (sha256 of "abc").
        assert_eq!(
            sha256_source("abc"),
            "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
    }

    /// The config rides in the page as inert data that no text in it can break out of.
    #[test]
    fn the_config_is_embedded_as_data() {
        let config = WidgetConfig {
            site_id: "demo".into(),
            color: "#2563eb".into(),
            position: porchlight_shared::protocol::WidgetPosition::Right,
            away_message: String::new(),
            expected_wait: String::new(),
            privacy_text: "</script><script>alert(1)</script>".into(),
            consent_required: true,
            privacy_version: "0123abcd".into(),
            page_url_query: false,
            prechat_fields: Vec::new(),
            agents_online: false,
            team: vec!["<b>Ada</b>".into()],
            welcome: "</script>".into(),
            nps: false,
            csat_question: String::new(),
            nps_question: String::new(),
        };
        let page = frame_page(Some(&config));
        let open = format!("<script type=\"application/json\" id=\"{CONFIG_ELEMENT_ID}\">");
        let start = page.find(&open).unwrap() + open.len();
        let len = page[start..].find("</script>").unwrap();
        let back: WidgetConfig = serde_json::from_str(&page[start..start + len]).unwrap();
        assert_eq!(back, config);
        assert!(!frame_page(None).contains(CONFIG_ELEMENT_ID));
    }

    #[test]
    fn the_loader_gets_the_sites_settings_in_place_of_its_placeholder() {
        let loader = format!("(function(w,d,b){{}})(window,document,{LOADER_PLACEHOLDER});");
        let baked = bake_loader(&loader, "shop", "#0a7f3F", WidgetPosition::Left).unwrap();
        assert_eq!(
            baked,
            "(function(w,d,b){})(window,document,\
             {\"color\":\"#0a7f3F\",\"position\":\"left\",\"site\":\"shop\"});"
        );
        // Anything but `#rrggbb` is left out: the launcher keeps its default colour.
        for bad in ["red", "#fff", "#12345g", "#123456;x", ""] {
            let baked = bake_loader(&loader, "shop", bad, WidgetPosition::Right).unwrap();
            assert!(
                baked.contains("{\"position\":\"right\",\"site\":\"shop\"}"),
                "{baked}"
            );
        }
        assert_eq!(
            bake_loader("(function(){})()", "shop", "#000000", WidgetPosition::Left),
            None
        );
    }

    #[test]
    fn demo_page_embeds_the_real_tag() {
        let page = demo_page("http://127.0.0.1:8787");
        assert!(page
            .contains("<script src=\"http://127.0.0.1:8787/widget.js?site=demo\" async></script>"));
        assert!(page.contains(&format!("<style>{DEMO_STYLE}</style>")));
    }

    #[test]
    fn null_body_statuses_get_no_body() {
        assert!(null_body_status(204) && null_body_status(304));
        assert!(!null_body_status(200) && !null_body_status(404));
    }

    #[test]
    fn demo_page_says_how_to_answer_from_the_console() {
        let page = demo_page("http://127.0.0.1:8787");
        assert!(page.contains("<a href=\"http://127.0.0.1:8787/console?site=demo\">"));
        for account in ["alice@demo.test", "bruno@demo.test", "admin@demo.test"] {
            assert!(page.contains(account), "{account}");
        }
    }
}
