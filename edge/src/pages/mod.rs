//! What browsers load from the edge besides the API: HTML pages generated with their policies,
//! and static files from the `ASSETS` binding.
//!
//! # Layout
//! - [`widget`]: the loader, the chat frame page, the widget's files, the demo page, and the
//!   headers every response gets.
//! - [`unread`]: the returning visitor's unread frame.
//! - [`console`]: the console's page and its files.

pub mod console;
pub mod unread;
pub mod widget;
