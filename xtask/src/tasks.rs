//! The subcommands `build`, `dev`, `lint` and `test` (`setup` and `bench` have their own
//! modules).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::process::Command;
use std::thread;
use std::time::Duration;

use crate::harness::{self, node_bin, repo_root, run_checked, wrangler_env, Wrangler};
use crate::{setup, sys};

/// Port of `cargo xtask dev` unless `PORCHLIGHT_PORT` says otherwise (wrangler's usual one).
pub const DEFAULT_DEV_PORT: u16 = 8787;

/// `cargo xtask build`: the widget (into `widget/dist`, which the edge serves as assets), then
/// the edge worker, ready for `wrangler dev`.
pub fn build() -> io::Result<()> {
    crate::widget::build_widget()?;
    crate::console::build_console()?;
    harness::build_edge()
}

/// `cargo xtask lint`: rustfmt, then clippy for the host and for the wasm crates.
pub fn lint() -> io::Result<()> {
    let cargo = |args: &[&str]| {
        let mut cmd = Command::new(setup::cargo());
        cmd.args(args).current_dir(repo_root());
        cmd
    };
    run_checked(&mut cargo(&["fmt", "--all", "--check"]))?;
    run_checked(&mut cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // No --all-targets here: dev-dependencies (ureq, the harness) are host-only.
    run_checked(&mut cargo(&[
        "clippy",
        "-p",
        "porchlight-shared",
        "-p",
        "porchlight-edge",
        "-p",
        "porchlight-widget",
        "-p",
        "porchlight-console",
        "--target",
        setup::WASM_TARGET,
        "--",
        "-D",
        "warnings",
    ]))
}

type Step = fn() -> io::Result<()>;

/// `cargo xtask test`: every check CI runs, stopping at the first failure.
pub fn test() -> io::Result<()> {
    // build comes before cargo test: the edge runtime tests serve the built worker.
    let steps: [(&str, Step); 5] = [
        ("setup", setup::run),
        ("lint", lint),
        ("build", build),
        ("cargo test", cargo_test),
        ("e2e", e2e),
    ];
    for (name, step) in steps {
        println!("==> {name}");
        step().map_err(|e| io::Error::new(e.kind(), format!("step `{name}` failed: {e}")))?;
    }
    println!("==> all steps passed");
    Ok(())
}

fn cargo_test() -> io::Result<()> {
    run_checked(
        Command::new(setup::cargo())
            .args(["test", "--workspace"])
            // The `build` step just built it: the runtime suite need not run worker-build (and a
            // nested cargo) again from inside cargo test.
            .env("PORCHLIGHT_EDGE_BUILT", "1")
            .current_dir(repo_root()),
    )
}

fn e2e() -> io::Result<()> {
    let dir = repo_root().join("e2e");
    if !dir.join("playwright.config.ts").exists() {
        println!("e2e: no suite yet");
        return Ok(());
    }
    // The local binary rather than npx: npx would download a missing package.
    let mut cmd = Command::new(node_bin("playwright")?);
    cmd.arg("test").current_dir(dir);
    // Playwright's webServer starts wrangler; the variables reach it through the environment.
    wrangler_env(&mut cmd);
    let _ = std::fs::remove_file(crate::e2e::log_path());
    let result = run_checked(&mut cmd);
    if result.is_err() {
        if let Ok(log) = std::fs::read_to_string(crate::e2e::log_path()) {
            println!("e2e: what the edge logged (errors, restarts), last 40:");
            for line in crate::e2e::notable_log_lines(&log, 40) {
                println!("  {line}");
            }
        }
    }
    result
}

/// `cargo xtask dev`: the edge with demo data on `PORCHLIGHT_PORT` (default 8787) until Ctrl-C.
///
/// State lives in `<root>/.wrangler/dev-state` and is kept between runs.
pub fn dev() -> io::Result<()> {
    setup::run()?;
    build()?;
    let root = repo_root();
    let state = root.join(".wrangler/dev-state");
    let demo = root.join("edge/seed/demo.sql");
    let seeds: Vec<PathBuf> = if demo.exists() {
        vec![demo]
    } else {
        println!(
            "dev: {} not found: starting without demo data",
            demo.display()
        );
        Vec::new()
    };
    prepare_persist_logged(&state, &seeds)?;
    let port = dev_port(std::env::var("PORCHLIGHT_PORT").ok().as_deref())?;

    // Installed before the start so a Ctrl-C during startup still ends in stop(), not in a
    // wrangler orphaned in its own process group.
    sys::install_stop_handler()?;
    println!("dev: starting wrangler on port {port} ...");
    let mut wrangler = Wrangler::start(&state, port)?;
    print_dev_banner(&wrangler.base_url);

    // Wrangler writes to its log file; echo what it adds (request lines, console output).
    let mut log = File::open(wrangler.log_path())?;
    log.seek(SeekFrom::End(0))?;
    let mut buf = Vec::new();
    let mut stdout = io::stdout();
    while !sys::stop_requested() {
        buf.clear();
        log.read_to_end(&mut buf)?;
        stdout.write_all(&buf)?;
        stdout.flush()?;
        if let Some(status) = wrangler.try_wait()? {
            return Err(io::Error::other(format!(
                "wrangler exited unexpectedly ({status}); log: {}",
                wrangler.log_path().display()
            )));
        }
        thread::sleep(Duration::from_millis(200));
    }
    println!("\ndev: stopping wrangler ...");
    wrangler.stop();
    Ok(())
}

fn prepare_persist_logged(state: &std::path::Path, seeds: &[PathBuf]) -> io::Result<()> {
    println!("dev: applying migrations and seeds to {}", state.display());
    harness::prepare_persist(state, seeds)
}

/// Parses `PORCHLIGHT_PORT` (unset means [`DEFAULT_DEV_PORT`]).
fn dev_port(var: Option<&str>) -> io::Result<u16> {
    match var.map(str::trim) {
        None | Some("") => Ok(DEFAULT_DEV_PORT),
        Some(text) => text.parse().map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("PORCHLIGHT_PORT must be a port number, got `{text}`"),
            )
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// DEV BANNER: what `cargo xtask dev` tells the developer to open. Extend it here (demo page,
// agent token, ...).
// ---------------------------------------------------------------------------------------------

/// Prints where the running edge can be reached, once it answers, and how to try it.
pub fn print_dev_banner(base_url: &str) {
    println!(
        r#"
Porchlight edge is running at {base_url}

  demo page      {base_url}/demo   (the widget on a host page)
  agent console  {base_url}/console?site=demo   (admin@demo.test / porchlight-admin,
                 alice@demo.test / porchlight-alice, bruno@demo.test / porchlight-bruno)
  health check   GET  {base_url}/healthz
  demo site id   demo  (style: live chat with returning customer, 24 h reopen window)
  agent tokens   pl_dev_demo_alice, pl_dev_demo_bob  (development credentials only)

Try it as a visitor, then as an agent:
  curl -s -X POST {base_url}/v1/visitor/session -d '{{"site_id":"demo"}}'
  curl -s -X POST {base_url}/v1/visitor/messages -H "Authorization: Bearer <token>" \
       -d '{{"client_id":"m1","body":{{"text":"Hello!"}}}}'
  curl -s {base_url}/v1/agent/tickets -H "Authorization: Bearer pl_dev_demo_alice"

Every endpoint and socket message: docs/API.md.
Press Ctrl-C to stop. State is kept in .wrangler/dev-state; wrangler output follows.
"#
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_port_defaults_and_parses() {
        assert_eq!(dev_port(None).ok(), Some(DEFAULT_DEV_PORT));
        assert_eq!(dev_port(Some("")).ok(), Some(DEFAULT_DEV_PORT));
        assert_eq!(dev_port(Some(" 9000 ")).ok(), Some(9000));
        assert!(dev_port(Some("80000")).is_err());
        assert!(dev_port(Some("http")).is_err());
    }
}
