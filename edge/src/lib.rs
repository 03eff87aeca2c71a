//! Porchlight's edge: a stateless Worker in front of one `Conversation` Durable Object per
//! (site, visitor) and one `Team` Durable Object per site, with sites, agents and the ticket
//! index in D1 and attachments in R2.
//!
//! # Layout
//! One folder per platform piece. The router calls the objects through their typed clients;
//! D1 modules never call an object (a caller that needs both joins them).
//! - [`http`]: the Worker's endpoints: [`http::router`], who is calling ([`http::auth`]), JSON
//!   bodies, the console's API and its records API.
//! - [`conversation`]: the `Conversation` Durable Object (history, sockets, lifecycle, alarms),
//!   its storage, its typed client, its plan of ticket changes and its transcript (pure).
//! - [`team`]: the `Team` Durable Object, one per site (presence, load, queue, offers), and its
//!   typed client.
//! - [`d1`]: every D1 statement: sites, console accounts and sessions, the records index.
//! - [`pages`]: what browsers load besides the API: the loader, the chat frame, the unread frame,
//!   the console's page, their static files, and the headers every response gets.
//! - [`attachments`]: files in R2: upload, download, and the check of a message's attachments.
//! - [`token`]: signed visitor tokens and random ids (pure).
//! - [`intl`]: times written in a reader's language and time zone (the runtime's `Intl`).
//! - [`error`]: the edge's error type, mapped once to an HTTP response and to a socket frame.

pub mod attachments;
pub mod conversation;
pub mod d1;
pub mod error;
pub mod http;
pub mod intl;
pub mod pages;
pub mod team;
pub mod token;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    http::handle(req, env).await.map(pages::widget::harden)
}
