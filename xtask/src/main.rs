//! `cargo xtask <command>`: see [`USAGE`].

use std::process::ExitCode;

use porchlight_xtask::{admin, bench, e2e, setup, tasks};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup   install the toolchain pieces (wasm target, wasm-bindgen-cli, worker-build,
          npm packages, Chromium); each is skipped when already present
  build   build the edge worker (edge/build/worker/shim.mjs)
  dev     run the edge locally with demo data until Ctrl-C (port: PORCHLIGHT_PORT, default 8787)
  lint    rustfmt check and clippy (host and wasm32)
  test    setup, lint, build, cargo test, end-to-end tests: what CI runs
  bench [browser | edge | records]
          measure the edge running locally (browser: only the widget's sizes, how quickly
          the chat opens and what it costs the host page; edge: only the message path;
          records: only the records index of a site with 100 000 conversations)
  create-admin --site S --email E --name N [--remote | --persist-to DIR]
          a site's first console admin, in the local dev database (or the deployed one with
          --remote); the password is read from PORCHLIGHT_ADMIN_PASSWORD or standard input
  serve-e2e  serve the built edge with demo data for the e2e suite, in the foreground
          (port: PORCHLIGHT_PORT, default 8799; Playwright's webServer runs it)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let bench_part = match (command.as_str(), rest) {
        ("bench", []) => Some(bench::Part::All),
        ("bench", [part]) if part == "browser" => Some(bench::Part::Browser),
        ("bench", [part]) if part == "edge" => Some(bench::Part::Edge),
        ("bench", [part]) if part == "records" => Some(bench::Part::Records),
        _ => None,
    };
    if !rest.is_empty() && command != "create-admin" && bench_part.is_none() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let result = match command.as_str() {
        "setup" => setup::run(),
        "build" => tasks::build(),
        "dev" => tasks::dev(),
        "lint" => tasks::lint(),
        "test" => tasks::test(),
        "bench" => bench::run(bench_part.unwrap_or(bench::Part::All)),
        "create-admin" => admin::run(rest),
        "serve-e2e" => e2e::serve(),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("unknown command `{command}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {command}: {e}");
            ExitCode::FAILURE
        }
    }
}
