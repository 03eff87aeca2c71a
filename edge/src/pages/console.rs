//! What browsers load for the agent console: the page (`GET /console`, generated here with its
//! Content-Security-Policy) and the app's files (`GET /console/<file>`: boot script, wasm-bindgen
//! glue, wasm, CSS), which `cargo xtask build` writes into the `[assets]` directory under
//! `console/` and the `ASSETS` binding serves.
//!
//! The console is same-origin with the API it calls, so its policy allows only the edge itself
//! (and its sockets), compiles wasm without allowing `eval`, and forbids framing. The pure parts
//! (page text, policy) have native tests; mirrors `widget.rs`, which serves the widget.

use porchlight_shared::console::{Me, SESSION_ELEMENT_ID};
use porchlight_shared::{ErrorCode, Millis};
use worker::{Date, Env, Headers, Request, Response};

use crate::d1::accounts;
use crate::error::EdgeResult;

/// Where the page finds the app (written by `cargo xtask build`).
const BOOT_PATH: &str = "/console/boot.js";
const GLUE_PATH: &str = "/console/porchlight_console.js";
const WASM_PATH: &str = "/console/porchlight_console_bg.wasm";
const CSS_PATH: &str = "/console/console.css";

/// The files under `/console/` the page loads. The static-assets server serves them, not the
/// Worker (`run_worker_first` in `edge/wrangler.toml`), with the headers the build writes for
/// them into `_headers`.
#[cfg(test)]
const FILES: [&str; 4] = [BOOT_PATH, GLUE_PATH, WASM_PATH, CSS_PATH];

/// The console page's Content-Security-Policy. The boot script is a file (`script-src 'self'`,
/// no inline script to hash); `'wasm-unsafe-eval'` allows compiling the app and nothing else;
/// sockets are same-host `ws:`/`wss:`; no framing, no `<base>`, no native form submission (every
/// form is handled by the app).
pub const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
connect-src 'self' ws: wss:; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; \
base-uri 'none'; form-action 'none'";

/// Who the console page says is signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signed {
    /// The request's session, valid now.
    In(Me),
    /// No session, or one that has ended.
    Out,
    /// Could not tell (storage failed): the page says nothing and the app asks
    /// `GET /v1/console/me`, which reports the failure.
    Unknown,
}

/// `GET /console`: the console page. The screens live in the URL fragment, so this one page
/// serves them all; `?site=` (read by the app) prefills the sign-in form. The page carries who
/// is signed in, so that loading it signed out makes no request that fails (a browser logs
/// every 401 as an error).
pub async fn page(req: &Request, env: &Env) -> EdgeResult<Response> {
    let had_cookie = accounts::session_cookie(req).is_some();
    let signed = if had_cookie {
        let now = Date::now().as_millis() as Millis;
        match accounts::signed_in(req, env, now).await {
            Ok(account) => Signed::In(account.me()),
            Err(e) if e.code == ErrorCode::Internal => Signed::Unknown,
            Err(_) => Signed::Out,
        }
    } else {
        Signed::Out
    };
    let headers = Headers::new();
    if had_cookie && signed == Signed::Out {
        // The session has ended: the browser may forget it.
        headers.set("Set-Cookie", &accounts::set_cookie(None))?;
    }
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    headers.set("Content-Security-Policy", POLICY)?;
    headers.set("Cache-Control", "no-store")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("X-Frame-Options", "DENY")?;
    headers.set("Referrer-Policy", "same-origin")?;
    headers.set("Cross-Origin-Opener-Policy", "same-origin")?;
    Ok(Response::from_html(page_html(&signed))?.with_headers(headers))
}

/// The page: CSS, preloads of the glue and the wasm, who is signed in (inert JSON, where every
/// `<` is escaped so that no text in it can end the element), the boot script.
pub fn page_html(signed: &Signed) -> String {
    let session = match signed {
        Signed::In(me) => serde_json::to_string(me).ok(),
        Signed::Out => Some("null".to_owned()),
        Signed::Unknown => None,
    }
    .map(|json| super::json_block(SESSION_ELEMENT_ID, &json))
    .unwrap_or_default();
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"referrer\" content=\"same-origin\">\
<title>Porchlight console</title>\
<link rel=\"icon\" href=\"data:,\">\
<link rel=\"stylesheet\" href=\"{CSS_PATH}\">\
<link rel=\"modulepreload\" href=\"{GLUE_PATH}\">\
<link rel=\"preload\" href=\"{WASM_PATH}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\
{session}<script type=\"module\" src=\"{BOOT_PATH}\"></script>\
</head><body><noscript>The Porchlight console needs JavaScript and WebAssembly.</noscript>\
</body></html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_is_strict() {
        for directive in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval';",
            "connect-src 'self' ws: wss:;",
            "style-src 'self';",
            "img-src 'self' data:;",
            "frame-ancestors 'none'",
        ] {
            assert!(POLICY.contains(directive), "{directive}");
        }
        assert!(!POLICY.contains("unsafe-inline"));
        assert!(!POLICY.contains("'unsafe-eval'"));
    }

    #[test]
    fn the_page_says_who_is_signed_in_as_inert_data() {
        use porchlight_shared::console::{AgentProfile, AgentRole};
        let me = Me {
            agent: AgentProfile {
                id: "alice".into(),
                name: "</script><script>alert(1)</script>".into(),
                email: "alice@demo.test".into(),
                role: AgentRole::Agent,
                skills: vec![],
                capacity: 2,
            },
            site_id: "demo".into(),
        };
        let open = format!("<script type=\"application/json\" id=\"{SESSION_ELEMENT_ID}\">");
        let page = page_html(&Signed::In(me.clone()));
        let start = page.find(&open).unwrap() + open.len();
        let len = page[start..].find("</script>").unwrap();
        let back: Me = serde_json::from_str(&page[start..start + len]).unwrap();
        assert_eq!(back, me);
        assert!(page_html(&Signed::Out).contains(&format!("{open}null</script>")));
        assert!(!page_html(&Signed::Unknown).contains(SESSION_ELEMENT_ID));
    }

    #[test]
    fn the_page_loads_the_app_without_inline_script_or_style() {
        let page = page_html(&Signed::Out);
        for path in FILES {
            assert!(page.contains(path), "{path}");
        }
        assert!(page.contains(&format!(
            "<script type=\"module\" src=\"{BOOT_PATH}\"></script>"
        )));
        assert!(!page.contains("<script>") && !page.contains("<script type=\"module\">"));
        // The one inline element is data, which the CSP does not run.
        assert_eq!(page.matches("<script type=\"application/json\"").count(), 1);
        assert!(!page.contains("<style") && !page.contains("style="));
    }

    #[test]
    fn the_apps_files_are_under_console_and_all_have_a_type() {
        for path in FILES {
            assert!(path.starts_with("/console/"));
            assert!(super::super::widget::content_type(path).is_some(), "{path}");
        }
    }
}
