//! Porchlight's visitor widget: the Leptos app that runs in the chat frame. The loader
//! (`loader/widget.js`, plain JavaScript) draws the launcher on the host page and creates the
//! frame; this crate is what the frame runs, compiled to WebAssembly by `cargo xtask build`.
//!
//! # Layout
//! - [`state`]: the thread (merge by sequence, dedupe, unread count) and the reconnect policy, on
//!   plain types with native tests.
//! - [`chat`]: the controller: pushes socket frames, host messages and the visitor's input into
//!   the state, sends what it needs; owns the signals the view reads.
//! - [`app`]: the components (panel, history, composer).
//! - [`transport`]: all network I/O (visitor HTTP API and the WebSocket).
//! - [`host`]: the frame's side of the postMessage protocol with the loader.
//! - [`storage`]: the visitor token and read marker in the frame's `localStorage`.
//! - [`json`]: JSON through the browser's `JSON` object, so no JSON crate is compiled in.

pub mod app;
pub mod chat;
pub mod host;
pub mod json;
pub mod state;
pub mod storage;
pub mod transport;

use porchlight_shared::embed::FRAME_PARAM_SITE;
use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point, run by the frame page once the module is instantiated: reads the site from the
/// frame's URL, starts the chat and mounts the panel.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let site_id = window
        .location()
        .search()
        .ok()
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get(FRAME_PARAM_SITE))
        .unwrap_or_default();
    let chat = chat::Chat::new(site_id, host::HostLink::from_location(&window));
    let view_chat = std::rc::Rc::clone(&chat);
    leptos::mount::mount_to_body(move || app::app(view_chat));
    // After mounting: mounting installs the async executor that start() spawns onto.
    chat.start();
}

#[cfg(test)]
mod tests {
    use porchlight_shared::embed::{FRAME_MESSAGE_TYPES, HOST_MESSAGE_TYPES, NAMESPACE};

    /// The loader is hand-written JavaScript: it must at least name every message type of the
    /// shared protocol (quoted, as it compares and builds them).
    #[test]
    fn loader_speaks_every_message_type() {
        let loader = include_str!("../loader/widget.js");
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
