//! The edge's D1 database: every statement that reads or writes it. Nothing here calls a
//! Durable Object; a caller that needs both joins them.
//!
//! # Layout
//! - [`sites`]: sites, their widget settings and texts, agent tokens, the ticket index.
//! - [`accounts`]: console accounts, passwords (WebCrypto PBKDF2), sessions, throttling.
//! - [`records`]: the records index's statements, search and writes (pure; tested natively in
//!   SQLite), and the batch the Conversation objects' records feed runs.

use worker::{D1Database, Env};

use crate::error::{EdgeError, EdgeResult};

pub mod accounts;
pub mod records;
pub mod sites;

/// The `DB` binding.
pub(crate) fn db(env: &Env) -> EdgeResult<D1Database> {
    env.d1("DB")
        .map_err(|e| EdgeError::internal("D1 binding", e))
}
