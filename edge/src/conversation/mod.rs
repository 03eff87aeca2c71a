//! A conversation between a visitor and a site: the `Conversation` Durable Object (one per
//! (site, visitor)), its storage, its typed client, and the pure parts it is built on.
//!
//! # Layout
//! - [`object`]: the object: history, sockets, the ticket lifecycle, alarms.
//! - [`client`]: what the router and the team call it with; [`client::Ctx`] is the caller.
//! - [`feed`]: keeps each ticket's row of the records index in D1 current, off the message path
//!   (pure).
//! - [`store`]: its SQLite storage.
//! - [`plan`]: turns a lifecycle decision into numbered items and ticket rows (pure).
//! - [`reports`]: its reports to the team object, coalesced (pure).
//! - [`transcript`]: its printable HTML transcript (pure).
//! - [`unread`]: how many replies the visitor has not read (pure).

pub mod client;
pub mod feed;
pub mod object;
pub mod plan;
pub mod reports;
pub mod store;
pub mod transcript;
pub mod unread;

pub use client::{ConversationClient, Ctx};
