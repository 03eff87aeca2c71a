//! Porchlight's task runner (`cargo xtask ...`) and the harness that starts the edge locally.
//!
//! # Layout
//! - [`harness`]: build the edge with worker-build, prepare local D1 state, start and stop
//!   `wrangler dev` in its own process group. Used by the edge runtime tests (`edge/tests`), the
//!   bench and `cargo xtask dev`.
//! - [`client`]: a small blocking HTTP and WebSocket client for the edge (runtime tests, bench).
//! - [`setup`]: idempotent install of the toolchain pieces (`cargo xtask setup`).
//! - [`tasks`]: the other subcommands (`build`, `dev`, `lint`, `test`).
//! - [`bench`](mod@bench): `cargo xtask bench`.
//! - `sys`: the few libc calls (process-group signals, signal handlers, euid); the only unsafe
//!   code in the crate.

pub mod bench;
pub mod client;
pub mod harness;
pub mod setup;
mod sys;
pub mod tasks;
