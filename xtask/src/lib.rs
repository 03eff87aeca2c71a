//! Porchlight's task runner (`cargo xtask ...`) and the harness that starts the edge locally.
//!
//! # Layout
//! - [`harness`]: build the edge with worker-build, prepare local D1 state, start and stop
//!   `wrangler dev` in its own process group. Used by the edge runtime tests (`edge/tests`), the
//!   bench and `cargo xtask dev`.
//! - [`client`]: a small blocking HTTP and WebSocket client for the edge (runtime tests, bench).
//! - [`setup`]: idempotent install of the toolchain pieces (`cargo xtask setup`).
//! - [`tasks`]: the other subcommands (`build`, `dev`, `lint`, `test`).
//! - [`admin`]: `create-admin`, a site's first console admin (host-side PBKDF2).
//! - [`bench`](mod@bench): `cargo xtask bench`.
//! - [`records_seed`]: a site's record index filled with many realistic conversations.
//! - [`widget`]: builds the visitor widget into `widget/dist` and measures its sizes.
//! - [`console`]: builds the agent console into the Worker's assets (`console/`) and measures it.
//! - [`e2e`]: `cargo xtask serve-e2e`, the server Playwright's `webServer` runs.
//! - `sys`: the few libc calls (process-group signals, signal handlers, euid); the only unsafe
//!   code in the crate.

pub mod admin;
pub mod bench;
pub mod client;
pub mod console;
pub mod e2e;
pub mod harness;
pub mod records_seed;
pub mod setup;
mod sys;
pub mod tasks;
pub mod widget;
