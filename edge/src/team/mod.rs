//! A site's team: the `Team` Durable Object (one per site) and its typed client.
//!
//! # Layout
//! - [`object`]: the object: presence, load, the queue of waiting tickets and routing's offers.
//! - [`client`]: what the rest of the edge calls it with.

pub mod client;
pub mod object;

pub use client::TeamClient;
