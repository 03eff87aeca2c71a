//! The Worker's HTTP side: the router, who is calling, and the console's API.
//!
//! # Layout
//! - [`router`]: every endpoint; checks tokens and origins, then calls an object's typed client.
//! - [`auth`]: visitors (signed token, origin) and agents (session cookie, development token).
//! - [`body`]: JSON bodies read with their limits; objects' answers relayed.
//! - [`console_api`]: the console's endpoints: sign-in, presence, inbox, team, canned responses.
//! - [`records_api`]: the console's records endpoints (operators and admins): search, CSV export,
//!   a conversation's record and printable transcript, reports.

pub mod auth;
pub mod body;
pub mod console_api;
pub mod records_api;
pub mod router;

pub use router::handle;
