//! Porchlight's visitor widget: the Leptos app that runs in the chat frame. The loader
//! (`loader/widget.js`, plain JavaScript) draws the launcher on the host page and creates the
//! frame; this crate is what the frame runs, compiled to WebAssembly by `cargo xtask build`.
//!
//! # Layout
//! - [`state`]: the thread (merge by sequence, dedupe, unread count) and the reconnect policy, on
//!   plain types with native tests.
//! - [`chat`]: the controller: pushes socket frames, host messages and the visitor's input into
//!   the state, sends what it needs; owns the signals the view reads.
//! - [`app`]: the components (header, message log, notices, pre-chat form, composer), which read the
//!   controller's signals and call its methods.
//! - [`transport`]: all network I/O (visitor HTTP API and the WebSocket).
//! - [`host`]: the frame's side of the postMessage protocol with the loader.
//! - [`clock`]: times in the visitor's time zone and language (the browser's `Intl`).
//! - [`i18n`]: the panel's strings in every language, and the choice of language.
//! - [`storage`]: the visitor token and read marker in the frame's `localStorage`.
//! - [`json`]: the wire codec: the browser's `JSON` object, read and built field by field, so
//!   neither a JSON crate nor serde is compiled in.

pub mod app;
pub mod chat;
pub mod clock;
pub mod host;
pub mod i18n;
pub mod json;
pub mod state;
pub mod storage;
pub mod transport;

use porchlight_shared::embed::FRAME_PARAM_SITE;
use porchlight_shared::protocol::VisitorProfile;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::i18n::Lang;

/// Frame URL parameter with the script tag's `data-locale`, set by the loader when present.
pub const FRAME_PARAM_LOCALE: &str = "locale";
/// Frame URL parameter with the script tag's `data-color`, which wins over the site's colour.
pub const FRAME_PARAM_COLOR: &str = "color";

/// Entry point, run by the frame page once the module is instantiated: reads the site from the
/// frame's URL, starts the chat and mounts the panel.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let params = window
        .location()
        .search()
        .ok()
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok());
    let param = |name: &str| params.as_ref().and_then(|p| p.get(name));
    let site_id = param(FRAME_PARAM_SITE).unwrap_or_default();

    // The site's `data-locale` first, then the browser's languages in order of preference.
    let data_locale = param(FRAME_PARAM_LOCALE).filter(|l| is_locale_tag(l));
    let browser: Vec<String> = window
        .navigator()
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect();
    let lang = Lang::choose(data_locale.as_deref(), browser.iter().map(String::as_str));
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang.tag());
        let _ = root.set_attribute("dir", lang.dir());
    }
    // Routing reads the visitor's own locale, even one the panel is not written in. The page's
    // address is not in the frame's URL (that would tell the edge before consent): the loader
    // posts it (`HostMessage::Page`).
    let profile = VisitorProfile {
        locale: data_locale.or_else(|| browser.into_iter().next()),
        ..VisitorProfile::default()
    };
    let chat = chat::Chat::new(
        site_id,
        host::HostLink::from_location(&window),
        lang,
        profile,
        param(FRAME_PARAM_COLOR),
    );
    let view_chat = std::rc::Rc::clone(&chat);
    leptos::mount::mount_to_body(move || app::app(view_chat));
    // After mounting: mounting installs the async executor that start() spawns onto.
    chat.start();
}

/// Whether `tag` looks like a BCP 47 tag (letters, digits and `-`, at most 35 characters): the
/// frame URL is the host page's to write, and only a plausible tag goes on to the edge.
pub fn is_locale_tag(tag: &str) -> bool {
    (2..=35).contains(&tag.len())
        && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use porchlight_shared::embed::{
        FRAME_MESSAGE_TYPES, FRAME_PARAM_HOST, FRAME_PARAM_SITE, HOST_MESSAGE_TYPES, NAMESPACE,
    };

    /// The loader's two scripts: the launcher, and what it fetches to run the panel.
    const LOADER: &str = concat!(
        include_str!("../loader/widget.js"),
        include_str!("../loader/panel.js")
    );

    #[test]
    fn only_plausible_locale_tags_are_kept() {
        for ok in ["pt-BR", "zh-Hans-CN", "es", "en_US"] {
            assert!(super::is_locale_tag(ok), "{ok}");
        }
        for bad in ["", "p", "-pt", "pt BR", "<b>", "x".repeat(36).as_str()] {
            assert!(!super::is_locale_tag(bad), "{bad}");
        }
    }

    /// The loader passes `data-locale` under the names the frame reads, and nothing about the
    /// page but its origin: the frame's URL reaches the edge before any consent.
    #[test]
    fn loader_passes_locale_and_not_the_page() {
        let loader = LOADER;
        // The query is built from an object: `{ site: ..., host: ... }` plus the optional
        // `"locale"` and `"color"` copied from the script tag's `data-*` of the same names.
        for name in [FRAME_PARAM_SITE, FRAME_PARAM_HOST] {
            assert!(
                loader.contains(&format!(" {name}: ")),
                "loader lacks {name}"
            );
        }
        assert!(
            !loader.contains(" page: "),
            "the page address is posted, not in the URL"
        );
        assert!(loader.contains("type: \"page\", url: location.href"));
        for name in [super::FRAME_PARAM_LOCALE, super::FRAME_PARAM_COLOR] {
            assert!(
                loader.contains(&format!("\"{name}\"")),
                "loader lacks {name}"
            );
        }
        assert!(loader.contains("\"data-\" + name"));
    }

    /// The loader is hand-written JavaScript: it must at least name every message type of the
    /// shared protocol (quoted, as it compares and builds them).
    #[test]
    fn loader_speaks_every_message_type() {
        let loader = LOADER;
        for t in HOST_MESSAGE_TYPES.iter().chain(FRAME_MESSAGE_TYPES.iter()) {
            assert!(loader.contains(&format!("\"{t}\"")), "loader lacks {t:?}");
        }
        assert!(loader.contains(&format!("\"{NAMESPACE}\"")));
        assert!(
            !loader.contains("'*'") && !loader.contains("\"*\""),
            "never post to '*'"
        );
    }
}
