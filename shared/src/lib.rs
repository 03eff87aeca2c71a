//! Porchlight's pure core, shared by the edge, the widget and the console. No I/O, no clock:
//! time is passed in. Builds for the host and for wasm32.
//!
//! # Layout
//! - [`protocol`]: the versioned wire protocol (frames, events, HTTP bodies).
//! - [`error`]: machine-readable error codes and their HTTP statuses.
//! - [`lifecycle`]: the ticket lifecycle state machine and the conversation styles.
//! - [`validate`]: limits and validation rules applied by both widget and edge.

pub mod error;
pub mod lifecycle;
pub mod protocol;
pub mod validate;

pub use error::ErrorCode;
pub use lifecycle::{ConversationStyle, Millis, Status};
