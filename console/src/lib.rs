//! Porchlight's agent console: the Leptos app the Worker serves at `/console`, where a site's
//! team signs in, sets its availability, answers conversations and (admins) manages the team and
//! the canned responses. Compiled to WebAssembly by `cargo xtask build`.
//!
//! # Layout
//! Behaviour on plain types, tested natively:
//! - [`inbox`]: live tickets and team, changed by console socket events; views and counts.
//! - [`thread`]: one conversation across tickets, merged by sequence number; rows to draw.
//! - [`actions`]: which ticket actions are valid now (asks `shared::lifecycle::decide`).
//! - [`canned`]: `/shortcut` suggestions and expansion in the composer.
//! - [`files`]: attachments: their address, name, kind and size as shown.
//! - [`forms`]: what the admin forms accept.
//! - [`names`]: a conversation's title (the visitor's name or "Visitor 4821"), language and page.
//! - [`records`]: a records search as the screen's URL, the API's and the export's addresses,
//!   what a row and the search form show.
//! - [`detail`]: one conversation's record: its history as drawn, its files, its title.
//! - [`reports`]: the reports screen's period in the URL, and each chart's numbers as a table
//!   and a CSV file.
//! - [`words`]: the texts of the record detail and reports screens, in one place.
//! - [`route`]: the screens as URL fragments.
//! - [`prefs`]: notification and sound choices, as stored.
//! - [`timing`]: ages and the reconnect backoff.
//!
//! Controllers, which push what arrives into those types and own the signals the views read:
//! - [`session`]: sign-in, the console socket, presence, screens, admin actions.
//! - [`conversation`]: the open conversation, its agent socket and its actions.
//!
//! The edges:
//! - [`views`]: the components; they read signals and call controller methods, nothing else.
//! - [`api`]: all network I/O (HTTP and both WebSockets), nothing else touches the network.
//! - [`browser`]: clock, dates (`Intl`), URL, storage, visibility, notifications, sound.
//! - [`json`]: JSON through the browser's `JSON` object, so no JSON crate is compiled in.

pub mod actions;
pub mod api;
pub mod browser;
pub mod canned;
pub mod conversation;
pub mod detail;
pub mod files;
pub mod forms;
pub mod inbox;
pub mod json;
pub mod names;
pub mod prefs;
pub mod records;
pub mod reports;
pub mod route;
pub mod session;
pub mod thread;
pub mod timing;
pub mod views;
pub mod words;

use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point, run by `boot.js` once the module is instantiated: mounts the console and asks
/// the edge who is signed in.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(|| {
        // Inside the mount's owner, which lives as long as the page.
        let session = session::Session::new();
        session.start();
        views::app(session)
    });
}
