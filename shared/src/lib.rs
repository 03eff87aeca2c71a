//! Porchlight's pure core, shared by the edge, the widget and the console. No I/O, no clock:
//! time is passed in. Builds for the host and for wasm32.
//!
//! # Layout
//! - [`protocol`]: the versioned wire protocol (frames, events, HTTP bodies).
//! - [`embed`]: the postMessage protocol between the loader on the host page and the chat frame.
//! - [`error`]: machine-readable error codes and their HTTP statuses.
//! - [`lifecycle`]: the ticket lifecycle state machine and the conversation styles.
//! - [`validate`]: limits and validation rules applied by both widget and edge.
//! - [`contact`]: the email and phone rules (phones normalised to E.164).
//! - [`backoff`]: reconnect delays for the widget's and the console's sockets.
//! - [`history`]: a client's copy of a conversation's items (merge by sequence, holes, paging).
//! - [`console`]: the agent console's API (accounts, presence, inbox, its socket).
//! - [`routing`]: which agent a ticket is offered to (availability, capacity, skills).
//! - [`texts`]: a site's own texts per language, and the fallback to its default language.
//! - [`records`]: conversation records: a ticket's record from its history, report statistics,
//!   the CSV export and masking.

pub mod backoff;
pub mod console;
pub mod contact;
pub mod embed;
pub mod error;
pub mod history;
pub mod lifecycle;
pub mod protocol;
pub mod records;
pub mod routing;
pub mod texts;
pub mod validate;

pub use error::ErrorCode;
pub use lifecycle::{ConversationStyle, Millis, Status};
