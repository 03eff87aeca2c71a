//! Porchlight's edge: a stateless Worker in front of one `Conversation` Durable Object per
//! (site, visitor), with sites, agents and the ticket index in D1.
//!
//! # Layout
//! - [`routes`]: the Worker's HTTP and WebSocket endpoints; checks tokens and origins.
//! - [`conversation`]: the `Conversation` Durable Object (history, sockets, lifecycle, alarms).
//! - [`store`]: a conversation's SQLite storage.
//! - [`plan`]: turns a lifecycle decision into numbered items and ticket rows (pure).
//! - [`sites`]: D1 access: sites, agent credentials, the ticket index.
//! - [`token`]: signed visitor tokens (pure).
//! - [`error`]: the edge's error type and its mapping to responses and frames.

pub mod conversation;
pub mod error;
pub mod plan;
pub mod routes;
pub mod sites;
pub mod store;
pub mod token;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    routes::handle(req, env).await
}
