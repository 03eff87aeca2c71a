//! `cargo xtask setup`: installs what the build, the tests and `dev` need, each piece skipped
//! when already present. Only package registries are used (crates.io, npm, Debian).

use std::fs;
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::SystemTime;

use crate::harness::{repo_root, run_checked};
use crate::sys;

/// The wasm target the edge (and widget) compile to.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// worker-build release matching the `worker` crate (TOOLCHAIN.md).
pub const WORKER_BUILD_VERSION: &str = "0.8.7";
/// Used only if Cargo.lock cannot be read.
const FALLBACK_WASM_BINDGEN_VERSION: &str = "0.2.130";

/// Runs every install step in order.
pub fn run() -> io::Result<()> {
    wasm_target()?;
    wasm_bindgen_cli()?;
    worker_build()?;
    npm_packages()?;
    chromium()
}

fn report(thing: &str, present: bool) {
    let state = if present { "present" } else { "installing" };
    println!("setup: {thing} ... {state}");
}

fn wasm_target() -> io::Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(repo_root())
        .output()?;
    let present = out.status.success()
        && String::from_utf8_lossy(&out.stdout)
            .lines()
            .any(|l| l.trim() == WASM_TARGET);
    report(&format!("rust target {WASM_TARGET}"), present);
    if !present {
        run_checked(
            Command::new("rustup")
                .args(["target", "add", WASM_TARGET])
                .current_dir(repo_root()),
        )?;
    }
    Ok(())
}

fn wasm_bindgen_cli() -> io::Result<()> {
    let version = wasm_bindgen_version();
    let present = tool_version("wasm-bindgen")?.is_some_and(|out| version_matches(&out, &version));
    report(&format!("wasm-bindgen-cli {version}"), present);
    if !present {
        // Not --locked: its lock file names a crate version that is no longer on the registry.
        run_checked(Command::new(cargo()).args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &version,
        ]))?;
    }
    Ok(())
}

fn worker_build() -> io::Result<()> {
    let present = tool_version("worker-build")?
        .is_some_and(|out| version_matches(&out, WORKER_BUILD_VERSION));
    report(&format!("worker-build {WORKER_BUILD_VERSION}"), present);
    if !present {
        run_checked(Command::new(cargo()).args([
            "install",
            "worker-build",
            "--version",
            WORKER_BUILD_VERSION,
            "--locked",
        ]))?;
    }
    Ok(())
}

fn npm_packages() -> io::Result<()> {
    let root = repo_root();
    let present = !npm_install_needed(&root);
    report(
        "npm packages (wrangler, playwright, axe-core, lighthouse, binaryen)",
        present,
    );
    if !present {
        let mut cmd = Command::new("npm");
        if root.join("package-lock.json").exists() {
            cmd.arg("ci");
        } else {
            cmd.arg("install");
        }
        run_checked(cmd.args(["--no-audit", "--no-fund"]).current_dir(&root))?;
    }
    Ok(())
}

/// Whether node_modules is missing or older than package-lock.json (npm writes its own copy,
/// `node_modules/.package-lock.json`, at the end of every install).
fn npm_install_needed(root: &Path) -> bool {
    if !root.join("node_modules/.bin/wrangler").exists() {
        return true;
    }
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    match (
        modified(&root.join("package-lock.json")),
        modified(&root.join("node_modules/.package-lock.json")),
    ) {
        (Some(lock), Some(installed)) => is_newer(lock, installed),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

fn is_newer(a: SystemTime, b: SystemTime) -> bool {
    a.duration_since(b).is_ok_and(|d| !d.is_zero())
}

fn chromium() -> io::Result<()> {
    // The CJK font lets the browser draw Chinese (screenshots, transcripts) instead of boxes.
    let present = [
        "/usr/bin/chromium",
        "/usr/bin/chromedriver",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ]
    .iter()
    .all(|p| Path::new(p).exists());
    report(
        "chromium, chromium-driver and the CJK font (Debian)",
        present,
    );
    if !present {
        let apt = |args: &[&str]| {
            let mut cmd = if sys::is_root() {
                Command::new("apt-get")
            } else {
                let mut sudo = Command::new("sudo");
                sudo.arg("apt-get");
                sudo
            };
            cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            cmd
        };
        run_checked(&mut apt(&["update"]))?;
        run_checked(&mut apt(&[
            "install",
            "-y",
            "chromium",
            "chromium-driver",
            "fonts-noto-cjk",
        ]))?;
    }
    Ok(())
}

/// The cargo that runs us (so the pinned toolchain is used), else `cargo` from PATH.
pub(crate) fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The wasm-bindgen version Cargo.lock resolved; the CLI must be exactly this version.
pub fn wasm_bindgen_version() -> String {
    fs::read_to_string(repo_root().join("Cargo.lock"))
        .ok()
        .and_then(|lock| locked_version(&lock, "wasm-bindgen"))
        .unwrap_or_else(|| FALLBACK_WASM_BINDGEN_VERSION.to_string())
}

/// The version of package `name` in the text of a Cargo.lock (the first, if several).
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Lock {
        #[serde(default)]
        package: Vec<Package>,
    }
    #[derive(serde::Deserialize)]
    struct Package {
        name: String,
        version: String,
    }
    let lock: Lock = toml::from_str(lock).ok()?;
    lock.package
        .into_iter()
        .find(|p| p.name == name)
        .map(|p| p.version)
}

/// The `--version` output of a program on PATH, or `None` if it is not installed.
pub fn tool_version(program: &str) -> io::Result<Option<String>> {
    match Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) if out.status.success() => {
            Ok(Some(String::from_utf8_lossy(&out.stdout).into_owned()))
        }
        Ok(_) => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether `--version` output such as `wasm-bindgen 0.2.130` names exactly `version`
/// (`0.2.1300` or `0.2.130-rc` do not match `0.2.130`).
pub fn version_matches(output: &str, version: &str) -> bool {
    output
        .split_whitespace()
        .any(|word| word.trim_start_matches('v') == version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen-macro"
version = "9.9.9"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
]

[[package]]
name = "worker"
version = "0.8.7"
"#;

    #[test]
    fn finds_the_locked_version_of_exactly_that_package() {
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(LOCK, "worker").as_deref(), Some("0.8.7"));
        assert_eq!(locked_version(LOCK, "leptos"), None);
    }

    #[test]
    fn workspace_lock_pins_wasm_bindgen() {
        let v = wasm_bindgen_version();
        assert!(v.starts_with("0.2."), "{v}");
    }

    #[test]
    fn version_output_must_name_the_exact_version() {
        assert!(version_matches("wasm-bindgen 0.2.130\n", "0.2.130"));
        assert!(version_matches("worker-build v0.8.7", "0.8.7"));
        assert!(!version_matches("wasm-bindgen 0.2.1300", "0.2.130"));
        assert!(!version_matches("wasm-bindgen 0.2.129", "0.2.130"));
        assert!(!version_matches("", "0.2.130"));
    }

    #[test]
    fn newer_means_strictly_later() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        assert!(is_newer(t + Duration::from_millis(1), t));
        assert!(!is_newer(t, t));
        assert!(!is_newer(t, t + Duration::from_secs(1)));
    }

    #[test]
    fn npm_install_needed_follows_the_lock_files() -> io::Result<()> {
        let root = crate::harness::scratch_dir("npm")?;
        assert!(npm_install_needed(&root));
        fs::create_dir_all(root.join("node_modules/.bin"))?;
        fs::write(root.join("node_modules/.bin/wrangler"), "")?;
        assert!(
            !npm_install_needed(&root),
            "no lock file: nothing to compare"
        );
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let touch = |p: &str, at: SystemTime| -> io::Result<()> {
            fs::File::create(root.join(p))?.set_modified(at)
        };
        touch("package-lock.json", t)?;
        assert!(npm_install_needed(&root), "never installed from the lock");
        touch(
            "node_modules/.package-lock.json",
            t + Duration::from_secs(1),
        )?;
        assert!(!npm_install_needed(&root));
        touch("package-lock.json", t + Duration::from_secs(2))?;
        assert!(npm_install_needed(&root), "lock changed since install");
        fs::remove_dir_all(root)
    }
}
