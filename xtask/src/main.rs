//! `cargo xtask <command>`: see [`USAGE`].

use std::process::ExitCode;

use porchlight_xtask::{bench, setup, tasks};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup   install the toolchain pieces (wasm target, wasm-bindgen-cli, worker-build,
          npm packages, Chromium); each is skipped when already present
  build   build the edge worker (edge/build/worker/shim.mjs)
  dev     run the edge locally with demo data until Ctrl-C (port: PORCHLIGHT_PORT, default 8787)
  lint    rustfmt check and clippy (host and wasm32)
  test    setup, lint, build, cargo test, end-to-end tests: what CI runs
  bench   measure the edge running locally";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [command] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "setup" => setup::run(),
        "build" => tasks::build(),
        "dev" => tasks::dev(),
        "lint" => tasks::lint(),
        "test" => tasks::test(),
        "bench" => bench::run(),
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
