//! Porchlight's edge: a stateless Worker in front of one `Conversation` Durable Object per
//! (site, visitor), with sites, agents and the ticket index in D1.
//!
//! # Layout
//! - [`accounts`]: console accounts, passwords (WebCrypto PBKDF2), sessions, throttling.
//! - [`routes`]: the Worker's HTTP and WebSocket endpoints; checks tokens and origins.
//! - [`console_api`]: the console's endpoints: sign-in, presence, inbox, team, canned responses.
//! - [`console_web`]: the console's page and its static files.
//! - [`team`]: the `Team` Durable Object, one per site: presence, load, queue and offers.
//! - [`conversation`]: the `Conversation` Durable Object (history, sockets, lifecycle, alarms).
//! - [`store`]: a conversation's SQLite storage.
//! - [`plan`]: turns a lifecycle decision into numbered items and ticket rows (pure).
//! - [`sites`]: D1 access: sites, agent credentials, the ticket index.
//! - [`records`]: the records index's search statements (pure; tested natively in SQLite).
//! - [`records_api`]: the console's records endpoints (operators and admins): search, CSV export.
//! - [`token`]: signed visitor tokens (pure).
//! - [`transcript`]: a conversation's printable HTML transcript (pure).
//! - [`intl`]: times written in a reader's language and time zone (the runtime's `Intl`).
//! - [`web`]: the loader, the chat frame page, the widget's static files and the demo page.
//! - [`error`]: the edge's error type and its mapping to responses and frames.

pub mod accounts;
pub mod console_api;
pub mod console_web;
pub mod conversation;
pub mod error;
pub mod intl;
pub mod plan;
pub mod records;
pub mod records_api;
pub mod routes;
pub mod sites;
pub mod store;
pub mod team;
pub mod token;
pub mod transcript;
pub mod unread;
pub mod web;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    routes::handle(req, env).await.map(web::harden)
}
