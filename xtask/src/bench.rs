//! `cargo xtask bench`: measurements against a locally running edge.

use std::fs;
use std::io;

use crate::harness::{self, Wrangler};

/// Builds the edge, starts it on fresh state seeded with `edge/seed/test.sql` (if present) and
/// runs the measurements against it.
pub fn run() -> io::Result<()> {
    harness::build_edge()?;
    let state = harness::scratch_dir("bench")?;
    let seed = harness::repo_root().join("edge/seed/test.sql");
    let seeds = if seed.exists() {
        vec![seed]
    } else {
        Vec::new()
    };
    harness::prepare_persist(&state, &seeds)?;
    let mut edge = Wrangler::start(&state, harness::free_port()?)?;
    println!("bench: edge ready at {}", edge.base_url);

    // Measurements go here.

    edge.stop();
    fs::remove_dir_all(state)
}
