//! What a returning visitor's page view costs: the unread frame, `GET /widget/unread.html`, a few
//! hundred bytes that the loader's second part creates (hidden) instead of the chat app. On the
//! edge's origin like the chat frame, it reads the visitor token the chat frame stored
//! (`porchlight:SITE:token`, and how far the visitor read, `porchlight:SITE:read`: see
//! `widget/src/storage.rs`), follows the conversation on a `watch` socket, and posts how many
//! replies wait to the host page whenever it changes; the page shows it on the launcher's badge.
//! The app (wasm, glue, CSS) loads only when the visitor opens the chat. `GET /v1/visitor/unread`
//! gives the same count to clients without a socket.

use porchlight_shared::embed::{FRAME_PARAM_HOST, FRAME_PARAM_SITE};
use porchlight_shared::validate;
use worker::{Env, Request, Response};

use super::widget::{
    html, is_plain_origin, not_an_embedder, query_param, sha256_source, socket_source,
};
use crate::d1::sites;
use crate::error::EdgeResult;

/// The unread frame's only script. It reads its parameters from its own URL; `host` (checked by
/// the edge against the site's origins, and the only origin allowed to embed the page) is the
/// only origin it posts to. No token: it does nothing. Otherwise it follows the conversation on
/// a `watch` socket from how far the visitor read: the replies after that (`sync`), then each
/// new one as it comes, and posts the count each time. When the visitor reads in another tab
/// (the stored `read` changes) it starts again from there; a lost socket is opened again after
/// 10 s, 20 s, … up to 5 minutes.
pub const UNREAD_SCRIPT: &str = "var q=new URLSearchParams(location.search),k=\"porchlight:\"+q.get(\"site\")+\":\",d=5e3,s;\
function go(){var t,r,n=0;try{t=localStorage.getItem(k+\"token\");r=parseInt(localStorage.getItem(k+\"read\"))||0}catch(e){}\
if(!t)return;\
function post(){parent.postMessage({ns:\"porchlight\",v:1,type:\"unread\",count:n},q.get(\"host\"))}\
function theirs(m){return m.author&&m.author.kind!=\"visitor\"}\
s=new WebSocket(location.origin.replace(\"http\",\"ws\")+\"/v1/visitor/ws?watch=1&after_seq=\"+r,[\"porchlight.v1\",\"bearer.\"+t]);\
s.onopen=function(){d=5e3};\
s.onmessage=function(e){var f=JSON.parse(e.data);\
f.type==\"sync\"?(f.items.forEach(function(i){i.kind==\"message\"&&theirs(i)&&n++}),f.complete&&post())\
:f.type==\"message_created\"&&theirs(f)&&(n++,post())};\
s.onclose=function(){setTimeout(go,d=Math.min(2*d,3e5))}}\
onstorage=function(e){e.key==k+\"read\"&&s&&(s.onclose=null,s.close(),go())};go()";

/// `GET /widget/unread.html?site=SITE&host=ORIGIN`: refused unless `host` is one of the site's
/// origins (or the edge itself); only those may embed it.
pub async fn frame(req: &Request, env: &Env) -> EdgeResult<Response> {
    let url = req.url()?;
    let site_id = query_param(&url, FRAME_PARAM_SITE).unwrap_or_default();
    validate::id("site", &site_id)?;
    let site = sites::load_site(env, &site_id).await?;
    let own = url.origin().ascii_serialization();
    let host = query_param(&url, FRAME_PARAM_HOST);
    if host.is_none() || !site.origin_allowed(host.as_deref(), &own) {
        return Err(not_an_embedder());
    }
    html(page(), &policy(&site.allowed_origins, &own), "no-store")
}

/// The page: its script, nothing else.
pub fn page() -> String {
    format!("<!doctype html>\n<meta charset=\"utf-8\"><script>{UNREAD_SCRIPT}</script>\n")
}

/// Its Content-Security-Policy: its own script (by hash), requests and sockets to the edge only
/// (`own`, the edge's origin), embeddable by the site's origins and the edge itself.
pub fn policy(allowed_origins: &[String], own: &str) -> String {
    let mut ancestors = String::new();
    for origin in allowed_origins.iter().filter(|o| is_plain_origin(o)) {
        ancestors.push_str(origin);
        ancestors.push(' ');
    }
    format!(
        "default-src 'none'; script-src '{}'; connect-src 'self' {}; base-uri 'none'; \
         form-action 'none'; frame-ancestors {ancestors}'self'",
        sha256_source(UNREAD_SCRIPT),
        socket_source(own)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_runs_only_its_hashed_script_and_is_tiny() {
        let page = page();
        assert!(page.contains(&format!("<script>{UNREAD_SCRIPT}</script>")));
        assert!(page.len() < 1024, "{}", page.len());
        let p = policy(
            &[
                "https://shop.example".into(),
                "https://x.example; script-src *".into(),
            ],
            "https://edge.example",
        );
        assert!(p.contains(&sha256_source(UNREAD_SCRIPT)), "{p}");
        assert!(p.contains("connect-src 'self' wss://edge.example;"), "{p}");
        assert!(
            p.ends_with("frame-ancestors https://shop.example 'self'"),
            "{p}"
        );
        assert!(!p.contains("x.example") && !p.contains("unsafe"), "{p}");
    }
}
