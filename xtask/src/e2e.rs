//! `cargo xtask serve-e2e`: the server Playwright's `webServer` starts for the browser journeys
//! in `e2e/`: the built edge (with the widget assets) under `wrangler dev`, on fresh state seeded
//! with the demo sites and the journeys' own (`edge/seed/e2e.sql`), in the foreground until SIGTERM
//! or Ctrl-C.

use std::fs;
use std::io;
use std::thread;
use std::time::Duration;

use crate::harness::{self, Wrangler};
use crate::{sys, tasks, widget};

/// Port when `PORCHLIGHT_PORT` is unset (not `dev`'s, so both can run at once).
pub const DEFAULT_E2E_PORT: u16 = 8799;

/// Serves the edge for the e2e suite. Builds first only if nothing is built: under
/// `cargo xtask test` the build step has just run, and a second worker-build would only cost
/// time; after changing code outside that command, run `cargo xtask build`.
pub fn serve() -> io::Result<()> {
    // First, so that a SIGTERM from Playwright during startup still stops wrangler's group.
    sys::install_stop_handler()?;
    let built = harness::edge_shim().exists()
        && widget::dist_dir().join(widget::LOADER_FILE).exists()
        && widget::app_files().is_ok_and(|files| files.iter().all(|f| f.exists()));
    if !built {
        println!("serve-e2e: nothing built yet, building");
        tasks::build()?;
    }
    let port = port(std::env::var("PORCHLIGHT_PORT").ok().as_deref())?;
    let state = harness::scratch_dir("e2e")?;
    // The journeys' own site is embedded from `http://localhost:PORT`: another origin than the
    // edge's `http://127.0.0.1:PORT`, and still loopback (Chromium keeps pages on public origins
    // from loading loopback scripts).
    fs::create_dir_all(&state)?;
    let e2e_seed = state.join("e2e-seed.sql");
    let template = fs::read_to_string(harness::edge_dir().join("seed/e2e.sql"))?;
    fs::write(&e2e_seed, template.replace("{port}", &port.to_string()))?;
    let seeds = [harness::edge_dir().join("seed/demo.sql"), e2e_seed];
    harness::prepare_persist(&state, &seeds)?;
    let mut wrangler = match Wrangler::start(&state, port) {
        Ok(w) => w,
        Err(e) => {
            let _ = fs::remove_dir_all(&state);
            return Err(e);
        }
    };
    println!("serve-e2e: edge ready at {}", wrangler.base_url);
    let result = loop {
        if sys::stop_requested() {
            break Ok(());
        }
        if let Some(status) = wrangler.try_wait()? {
            break Err(io::Error::other(format!(
                "wrangler exited unexpectedly ({status}):\n{}",
                wrangler.log_tail()
            )));
        }
        thread::sleep(Duration::from_millis(200));
    };
    wrangler.stop();
    // The server's log outlives the state: when a journey fails, `cargo xtask test` shows what
    // the edge said meanwhile (the state directory is gone by then).
    let _ = fs::copy(wrangler.log_path(), log_path());
    fs::remove_dir_all(&state)?;
    result
}

/// Where the last e2e server's log is kept.
pub fn log_path() -> std::path::PathBuf {
    harness::repo_root().join("target/e2e-wrangler.log")
}

/// The lines of the last e2e server's log worth reading after a failure: errors, exceptions,
/// reloads and restarts (the last `limit` of them).
pub fn notable_log_lines(log: &str, limit: usize) -> Vec<&str> {
    const MARKS: [&str; 6] = [
        "error",
        "exception",
        "panic",
        "restart",
        "reload",
        "uncaught",
    ];
    let notable: Vec<&str> = log
        .lines()
        .filter(|line| {
            let lower = line.to_lowercase();
            MARKS.iter().any(|m| lower.contains(m))
        })
        .collect();
    notable[notable.len().saturating_sub(limit)..].to_vec()
}

fn port(var: Option<&str>) -> io::Result<u16> {
    match var.map(str::trim) {
        None | Some("") => Ok(DEFAULT_E2E_PORT),
        Some(text) => text.parse().map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("PORCHLIGHT_PORT must be a port number, got `{text}`"),
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notable_lines_are_the_last_errors_and_restarts() {
        let log =
            "GET /a 200\n✘ [ERROR] Uncaught Error: x\nGET /b 200\nReloading local server...\nok";
        assert_eq!(
            notable_log_lines(log, 5),
            vec!["✘ [ERROR] Uncaught Error: x", "Reloading local server..."]
        );
        assert_eq!(notable_log_lines(log, 1), vec!["Reloading local server..."]);
        assert!(notable_log_lines("GET / 200", 5).is_empty());
    }

    #[test]
    fn port_defaults_and_parses() {
        assert_eq!(port(None).ok(), Some(DEFAULT_E2E_PORT));
        assert_eq!(port(Some("9001")).ok(), Some(9001));
        assert!(port(Some("x")).is_err());
    }
}
