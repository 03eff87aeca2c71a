//! Builds the edge and runs it under `wrangler dev`, for the runtime tests, the bench and
//! `cargo xtask dev`.
//!
//! Every child that outlives a call (wrangler and the workerd it spawns) runs in its own process
//! group and is stopped by signalling that group, never by name. Three things make sure that it
//! is stopped whatever happens to the process that started it:
//! - [`Wrangler::stop`], also run on drop;
//! - [`stop_all`], for a test suite that ends with `process::exit` (which runs no destructor)
//!   while a thread still holds a server;
//! - a guard in the server's group, a `bash` that waits on a pipe whose only writer is this
//!   process: when this process ends in any way (exit, panic, SIGKILL), the pipe closes and the
//!   guard stops the group.
//!
//! A start that fails because a port was taken between choosing it and binding it (another
//! process may bind any port at any moment) is retried on new ports: see
//! [`Wrangler::start_any_port`].

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use crate::{setup, sys};

/// How long `wrangler dev` gets to answer `GET /healthz` (a cold start takes ~4 s).
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a stopped group gets to exit on SIGTERM before SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(5);
/// Lines of the wrangler log shown in errors.
const LOG_TAIL_LINES: usize = 40;
/// How many times a start that failed on a taken port is tried, each time on new ports.
const START_ATTEMPTS: usize = 5;

/// Process groups of the servers started by this process and not stopped yet.
static RUNNING: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// Stops every server this process started and has not stopped yet, from any thread: for a
/// suite that ends with `process::exit`, which runs no destructor (a thread may still hold one).
/// The owners' own [`Wrangler::stop`] later finds the group gone, which is harmless.
pub fn stop_all() {
    let groups = std::mem::take(&mut *RUNNING.lock().unwrap_or_else(PoisonError::into_inner));
    stop_groups(&groups);
}

/// SIGTERM to each group, up to 5 s for them to end, then SIGKILL.
fn stop_groups(groups: &[i32]) {
    for &pgid in groups {
        let _ = sys::signal_group(pgid, sys::Signal::SIGTERM);
    }
    // Each group's leader (whose pid is the group id) ends on SIGTERM once it has stopped its
    // children; the guard ignores SIGTERM, so the rest of the group is not waited for.
    let deadline = Instant::now() + STOP_GRACE;
    while Instant::now() < deadline && groups.iter().any(|&g| process_alive(g)) {
        thread::sleep(Duration::from_millis(50));
    }
    for &pgid in groups {
        let _ = sys::signal_group(pgid, sys::Signal::SIGKILL);
    }
    // SIGKILL takes effect asynchronously.
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline && groups.iter().any(|&g| group_alive(g)) {
        thread::sleep(Duration::from_millis(20));
    }
}

/// Whether any process of group `pgid` is still running (zombies, which wait to be reaped by
/// their parent, are not counted).
pub fn group_alive(pgid: i32) -> bool {
    live_members(pgid).map(|n| n > 0).unwrap_or(false)
}

/// Whether process `pid` is running (not a zombie).
fn process_alive(pid: i32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let (_, rest) = stat.rsplit_once(')')?;
            rest.split_whitespace().next().map(|state| state != "Z")
        })
        .unwrap_or(false)
}

/// How many processes of group `pgid` are running, zombies not counted.
fn live_members(pgid: i32) -> io::Result<usize> {
    Ok(group_members(pgid)?
        .iter()
        .filter(|m| m.state != "Z")
        .count())
}

/// What `/proc/PID/stat` says of a process of a group.
struct Member {
    state: String,
    /// User plus system CPU time, in clock ticks (USER_HZ: 100 a second on Linux).
    cpu_ticks: u64,
    /// Resident set size, in pages of 4 KiB.
    rss_pages: u64,
}

/// The processes of group `pgid` (zombies included).
fn group_members(pgid: i32) -> io::Result<Vec<Member>> {
    let mut members = Vec::new();
    let group = pgid.to_string();
    for entry in fs::read_dir("/proc")? {
        let Ok(stat) = fs::read_to_string(entry?.path().join("stat")) else {
            continue;
        };
        // After the parenthesised command name: state, ppid, pgrp, … utime (14th), stime (15th).
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(2) != Some(&group.as_str()) {
            continue;
        }
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        members.push(Member {
            state: fields.first().copied().unwrap_or("").to_owned(),
            cpu_ticks: ticks(11) + ticks(12),
            rss_pages: ticks(21),
        });
    }
    Ok(members)
}

fn forget_group(pgid: i32) {
    RUNNING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|&g| g != pgid);
}

/// Whether a failed start failed because a port it was given was taken (by the time the server
/// tried to bind it), so that trying again on other ports can succeed.
fn port_was_taken(e: &io::Error) -> bool {
    let text = e.to_string();
    e.kind() == io::ErrorKind::AddrInUse
        || text.contains("Address already in use")
        || text.contains("EADDRINUSE")
        || text.contains("address already in use")
}

/// The workspace root (the parent of the xtask crate).
pub fn repo_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

/// Sets the environment every wrangler run needs: no telemetry, no update check (which the
/// banner triggers) and no network lookup of the `Request.cf` object.
pub fn wrangler_env(cmd: &mut Command) {
    cmd.env("WRANGLER_SEND_METRICS", "false")
        .env("WRANGLER_SEND_ERROR_REPORTS", "false")
        .env("WRANGLER_HIDE_BANNER", "true")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false");
}

/// The edge crate's directory, where wrangler.toml lives.
pub fn edge_dir() -> PathBuf {
    repo_root().join("edge")
}

/// The worker module `wrangler dev` serves, written by [`build_edge`].
pub fn edge_shim() -> PathBuf {
    edge_dir().join(SHIM)
}

/// Where worker-build writes the worker module, relative to the edge dir (wrangler.toml's `main`).
const SHIM: &str = "build/worker/shim.mjs";

/// Path of an npm-installed tool (`node_modules/.bin/NAME`), or an error that says how to get it.
pub fn node_bin(name: &str) -> io::Result<PathBuf> {
    let path = repo_root().join("node_modules/.bin").join(name);
    if path.exists() {
        Ok(path)
    } else {
        Err(missing_tool(&format!("{} is missing", path.display())))
    }
}

/// Builds the edge worker in release mode with `worker-build`, writing
/// `edge/build/worker/shim.mjs`.
///
/// Uses the installed wasm-bindgen and npm's esbuild so that worker-build downloads nothing.
pub fn build_edge() -> io::Result<()> {
    let want = setup::wasm_bindgen_version();
    match setup::tool_version("wasm-bindgen")? {
        Some(out) if setup::version_matches(&out, &want) => {}
        Some(out) => {
            return Err(missing_tool(&format!(
                "wasm-bindgen must be {want} (the version in Cargo.lock), found `{}`",
                out.trim()
            )))
        }
        None => return Err(missing_tool("wasm-bindgen is not installed")),
    }
    if setup::tool_version("worker-build")?.is_none() {
        return Err(missing_tool("worker-build is not installed"));
    }
    let esbuild = node_bin("esbuild")?;

    let mut cmd = Command::new("worker-build");
    cmd.arg("--release")
        .current_dir(edge_dir())
        .env("WASM_BINDGEN_BIN", "wasm-bindgen")
        .env("ESBUILD_BIN", esbuild);
    run_checked(&mut cmd)?;
    let shim = edge_shim();
    if !shim.exists() {
        return Err(io::Error::other(format!(
            "worker-build succeeded but {} is missing",
            shim.display()
        )));
    }
    Ok(())
}

/// Applies the edge's D1 migrations to the local state in `dir`, then runs each seed file.
///
/// `dir` is what `wrangler dev --persist-to` later gets. Re-running is fine: applied migrations
/// are skipped, and seeds are expected to use `INSERT OR REPLACE`.
pub fn prepare_persist(dir: &Path, seed_files: &[PathBuf]) -> io::Result<()> {
    prepare_persist_in(&edge_dir(), dir, seed_files)
}

fn prepare_persist_in(edge_dir: &Path, dir: &Path, seed_files: &[PathBuf]) -> io::Result<()> {
    let wrangler = node_bin("wrangler")?;
    // wrangler runs in the edge dir: relative paths would silently point somewhere else.
    let dir = std::path::absolute(dir)?;
    fs::create_dir_all(&dir)?;
    let d1 = |subcommand: &[&str], file: Option<&Path>| {
        let mut cmd = Command::new(&wrangler);
        cmd.current_dir(edge_dir)
            .arg("d1")
            .args(subcommand)
            .args(["DB", "--local", "--persist-to"])
            .arg(&dir);
        if let Some(file) = file {
            cmd.arg("--file").arg(file);
        }
        wrangler_env(&mut cmd);
        // Without a terminal on stdin wrangler answers its "continue?" prompt with the default
        // (yes), so neither a flag nor CI=true is needed.
        cmd.stdin(Stdio::null());
        run_quiet(&mut cmd)
    };
    d1(&["migrations", "apply"], None)?;
    for seed in seed_files {
        d1(&["execute"], Some(&std::path::absolute(seed)?))?;
    }
    Ok(())
}

/// The SQLite file behind the local D1 database in `dir` (a `--persist-to` folder that
/// [`prepare_persist`] prepared), for tools that fill it directly while no server runs.
pub fn d1_file(dir: &Path) -> io::Result<PathBuf> {
    let folder = dir.join("v3/d1/miniflare-D1DatabaseObject");
    let mut files = Vec::new();
    for entry in fs::read_dir(&folder)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with(".sqlite") && name != "metadata.sqlite" {
            files.push(path);
        }
    }
    match files.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(io::Error::other(format!(
            "expected one D1 database file in {}, found {}",
            folder.display(),
            files.len()
        ))),
    }
}

/// A port on 127.0.0.1 that was free a moment ago (the OS picks it).
pub fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}

/// A fresh, empty directory `<root>/target/porchlight-scratch/<name>-<pid>-<n>`, unique within
/// this process and across concurrently running ones.
pub fn scratch_dir(name: &str) -> io::Result<PathBuf> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = repo_root()
        .join("target/porchlight-scratch")
        .join(format!("{name}-{}-{n}", std::process::id()));
    // A leftover from an earlier process that had the same pid.
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A running `wrangler dev` serving the built edge; stopped on [`Wrangler::stop`] or drop.
pub struct Wrangler {
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base_url: String,
    child: Child,
    /// The guard process and the pipe it waits on (see [`Wrangler::add_guard`]).
    guard: Option<(Child, io::PipeWriter)>,
    log_path: PathBuf,
    /// Where this run's output starts in the (appended) log file.
    log_start: u64,
    stopped: bool,
}

impl Wrangler {
    /// Starts `wrangler dev` on `127.0.0.1:port` with its state in `persist_dir`, and returns
    /// once `GET /healthz` answers 200.
    ///
    /// Needs [`build_edge`] first. Output goes to `persist_dir/wrangler-PORT.log`; on a failed
    /// start the error includes its tail. A start that fails because the inspector port chosen
    /// for it was taken meanwhile is retried with another; a busy `port` is an error.
    pub fn start(persist_dir: &Path, port: u16) -> io::Result<Wrangler> {
        Self::start_with(&edge_dir(), persist_dir, Some(port), free_port)
    }

    /// As [`Wrangler::start`], on a port chosen here: a start that fails because a port was
    /// taken between choosing and binding it is retried on new ports (up to 5 times).
    pub fn start_any_port(persist_dir: &Path) -> io::Result<Wrangler> {
        Self::start_with(&edge_dir(), persist_dir, None, free_port)
    }

    #[cfg(test)]
    fn start_any_port_in(edge_dir: &Path, persist_dir: &Path) -> io::Result<Wrangler> {
        Self::start_with(edge_dir, persist_dir, None, free_port)
    }

    /// The retry loop behind both starts; `pick` chooses each port that is not fixed (the
    /// server's, unless `port` is given, and the inspector's).
    fn start_with(
        edge_dir: &Path,
        persist_dir: &Path,
        port: Option<u16>,
        mut pick: impl FnMut() -> io::Result<u16>,
    ) -> io::Result<Wrangler> {
        let mut attempt = 1;
        loop {
            let server_port = match port {
                Some(p) => p,
                None => pick()?,
            };
            let inspector_port = pick()?;
            match Self::start_in(edge_dir, persist_dir, server_port, inspector_port) {
                Ok(server) => return Ok(server),
                // (A fixed port that is busy fails the same way again, at once.)
                Err(e) if port_was_taken(&e) && attempt < START_ATTEMPTS => {
                    eprintln!(
                        "wrangler dev: a port was taken before it could bind it (attempt {attempt} \
                         of {START_ATTEMPTS}, ports {server_port}/{inspector_port}); retrying on new ports"
                    );
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn start_in(
        edge_dir: &Path,
        persist_dir: &Path,
        port: u16,
        inspector_port: u16,
    ) -> io::Result<Wrangler> {
        let wrangler = node_bin("wrangler")?;
        let shim = edge_dir.join(SHIM);
        if !shim.exists() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "{} is missing: build the edge first (`cargo xtask build`)",
                    shim.display()
                ),
            ));
        }
        // Otherwise another server on the port (an earlier `dev`?) would pass the health check.
        TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("port {port} on 127.0.0.1 is not free: {e}"),
            )
        })?;
        let persist_dir = std::path::absolute(persist_dir)?;
        fs::create_dir_all(&persist_dir)?;
        let mut cmd = Command::new(wrangler);
        cmd.current_dir(edge_dir)
            .args(["dev", "--ip", "127.0.0.1", "--port", &port.to_string()])
            .arg("--persist-to")
            .arg(&persist_dir)
            .arg("--show-interactive-dev-session=false")
            // workerd's devtools inspector listens too (9229/9230 by default): a port of its own,
            // so that several servers (a suite's restart job, a dev server) can run at once.
            .args(["--inspector-port", &inspector_port.to_string()]);
        wrangler_env(&mut cmd);
        let log_path = persist_dir.join(format!("wrangler-{port}.log"));
        Self::spawn(cmd, port, log_path, "/healthz", STARTUP_TIMEOUT)
    }

    /// Spawns `cmd` as a server on `port` in its own process group and waits until `health_path`
    /// answers 200. Separate from [`Wrangler::start`] so it can be tested without wrangler.
    fn spawn(
        mut cmd: Command,
        port: u16,
        log_path: PathBuf,
        health_path: &str,
        timeout: Duration,
    ) -> io::Result<Wrangler> {
        let mut log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)?;
        let log_start = log.metadata()?.len();
        writeln!(log, "--- xtask: starting {cmd:?}")?;
        cmd.stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .process_group(0);
        let child = cmd.spawn().map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot start {:?}: {e}", cmd.get_program()),
            )
        })?;
        let pgid = i32::try_from(child.id()).unwrap_or(0);
        if pgid > 1 {
            RUNNING
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(pgid);
        }
        let mut server = Wrangler {
            port,
            base_url: format!("http://127.0.0.1:{port}"),
            child,
            guard: None,
            log_path,
            log_start,
            stopped: false,
        };
        let started = match server.add_guard(pgid) {
            // A server that has already exited has no group to join: say why it exited.
            Err(e) if server.child.try_wait()?.is_none() => Err(e),
            _ => server.wait_healthy(health_path, timeout),
        };
        if let Err(e) = started {
            server.stop();
            return Err(io::Error::new(
                e.kind(),
                format!(
                    "{e}\n--- tail of {}:\n{}",
                    server.log_path.display(),
                    server.log_tail()
                ),
            ));
        }
        Ok(server)
    }

    /// Puts a guard into the server's group: `bash` waiting for the end of a pipe whose only
    /// writer is kept here (close-on-exec, so no other child inherits it). When this process
    /// ends, however it ends, the pipe closes and the guard stops the group: SIGTERM, then
    /// SIGKILL 5 s later (the guard ignores SIGTERM so that it outlives the first signal).
    fn add_guard(&mut self, pgid: i32) -> io::Result<()> {
        if pgid <= 1 {
            return Err(io::Error::other(format!("no process group for {pgid}")));
        }
        let (reader, writer) = io::pipe()?;
        let guard = Command::new("bash")
            .args([
                "-c",
                r#"trap '' TERM INT HUP; read -r _; kill -TERM -- "-$1" 2>/dev/null; sleep 5; kill -KILL -- "-$1" 2>/dev/null"#,
                "porchlight-guard",
            ])
            .arg(pgid.to_string())
            .stdin(reader)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(pgid)
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("cannot start the server's guard: {e}")))?;
        self.guard = Some((guard, writer));
        Ok(())
    }

    fn wait_healthy(&mut self, health_path: &str, timeout: Duration) -> io::Result<()> {
        let url = format!("{}{health_path}", self.base_url);
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(2))
            .build();
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Err(io::Error::other(format!(
                    "server exited before {url} answered: {status}"
                )));
            }
            if let Ok(response) = agent.get(&url).call() {
                if response.status() == 200 {
                    return Ok(());
                }
            }
            // wrangler may stay up after workerd failed to bind a port: say so at once, so that
            // the caller can retry on other ports instead of waiting for the timeout.
            let tail = self.log_tail();
            if tail.contains("Address already in use") || tail.contains("EADDRINUSE") {
                return Err(io::Error::new(
                    io::ErrorKind::AddrInUse,
                    "a port the server needs was taken (Address already in use)",
                ));
            }
            if Instant::now() >= deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("{url} did not answer 200 within {} s", timeout.as_secs()),
                ));
            }
            thread::sleep(Duration::from_millis(200));
        }
    }

    /// The log file that receives the server's stdout and stderr.
    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    /// CPU time (user + system) spent so far by the server's living processes (wrangler's node
    /// and its workerd), in ms: the difference over a run is what the run cost the server.
    pub fn cpu_ms(&self) -> io::Result<f64> {
        let pgid = i32::try_from(self.child.id()).map_err(io::Error::other)?;
        let ticks: u64 = group_members(pgid)?.iter().map(|m| m.cpu_ticks).sum();
        Ok(ticks as f64 * 10.0)
    }

    /// Resident memory of the server's living processes (wrangler's node and its workerd), in
    /// MB, as a function another thread can call while this one waits (`None` once they are
    /// gone).
    pub fn rss_sampler(&self) -> impl Fn() -> Option<f64> + Send + 'static {
        let pgid = i32::try_from(self.child.id()).ok();
        move || {
            let pages: u64 = group_members(pgid?).ok()?.iter().map(|m| m.rss_pages).sum();
            Some(pages as f64 * 4096.0 / 1_048_576.0)
        }
    }

    /// The last lines this run wrote to its log (earlier runs' output in the file is skipped).
    pub fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = File::open(&self.log_path) {
            let mut bytes = Vec::new();
            if file.seek(SeekFrom::Start(self.log_start)).is_ok()
                && file.read_to_end(&mut bytes).is_ok()
            {
                text = String::from_utf8_lossy(&bytes).into_owned();
            }
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n")
    }

    /// Whether the server has exited by itself (it should not, until stopped).
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.child.try_wait()
    }

    /// Stops the server's whole process group: SIGTERM, up to 5 s of grace, then SIGKILL.
    /// Idempotent; also called on drop.
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let Ok(pgid) = i32::try_from(self.child.id()) else {
            return;
        };
        if pgid <= 1 {
            return;
        }
        // Errors are ignored: ESRCH just means the group is already gone.
        let _ = sys::signal_group(pgid, sys::Signal::SIGTERM);
        let deadline = Instant::now() + STOP_GRACE;
        while Instant::now() < deadline {
            match self.child.try_wait() {
                Ok(None) => thread::sleep(Duration::from_millis(50)),
                _ => break,
            }
        }
        // Also reaches group members that outlived the leader (workerd after node). The group id
        // cannot be reused while any member is alive, so this cannot hit an unrelated group.
        let _ = sys::signal_group(pgid, sys::Signal::SIGKILL);
        let _ = self.child.wait();
        if let Some((mut guard, pipe)) = self.guard.take() {
            drop(pipe);
            let _ = guard.wait();
        }
        forget_group(pgid);
    }
}

impl Drop for Wrangler {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs `cmd` with inherited output; a non-zero exit is an error naming the command.
pub fn run_checked(cmd: &mut Command) -> io::Result<()> {
    println!("$ {}", describe(cmd));
    let status = cmd.status().map_err(|e| spawn_error(cmd, e))?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "`{}` failed: {status}",
            describe(cmd)
        )))
    }
}

/// Runs `cmd` capturing its output, which is shown only if it fails.
fn run_quiet(cmd: &mut Command) -> io::Result<()> {
    let out = cmd.output().map_err(|e| spawn_error(cmd, e))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "`{}` failed: {}\n{}{}",
            describe(cmd),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

/// `program arg arg...`, for messages.
pub(crate) fn describe(cmd: &Command) -> String {
    // $CARGO is a long toolchain path; `cargo` is what a reader would type.
    let program = if Some(cmd.get_program()) == std::env::var_os("CARGO").as_deref() {
        std::ffi::OsStr::new("cargo")
    } else {
        cmd.get_program()
    };
    std::iter::once(program)
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

fn spawn_error(cmd: &Command, e: io::Error) -> io::Error {
    let hint = if e.kind() == io::ErrorKind::NotFound {
        " (not installed? run `cargo xtask setup`)"
    } else {
        ""
    };
    io::Error::new(
        e.kind(),
        format!("cannot run `{}`: {e}{hint}", describe(cmd)),
    )
}

fn missing_tool(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("{what}: run `cargo xtask setup`"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_port_is_bindable() -> io::Result<()> {
        let port = free_port()?;
        assert_ne!(port, 0);
        TcpListener::bind(("127.0.0.1", port))?;
        Ok(())
    }

    #[test]
    fn scratch_dirs_are_fresh_and_distinct() -> io::Result<()> {
        let a = scratch_dir("unit")?;
        fs::write(a.join("leftover"), "x")?;
        let b = scratch_dir("unit")?;
        assert_ne!(a, b);
        assert!(b.starts_with(repo_root().join("target/porchlight-scratch")));
        assert_eq!(fs::read_dir(&b)?.count(), 0);
        fs::remove_dir_all(a)?;
        fs::remove_dir_all(b)
    }

    fn python_server(dir: &Path, port: u16) -> Command {
        let mut cmd = Command::new("python3");
        cmd.args(["-m", "http.server", "--bind", "127.0.0.1"])
            .arg(port.to_string())
            .current_dir(dir);
        cmd
    }

    #[test]
    fn spawn_waits_for_health_and_stop_ends_the_group() -> io::Result<()> {
        let dir = scratch_dir("spawn")?;
        fs::write(dir.join("healthz"), "ok")?;
        let port = free_port()?;
        let log = dir.join("server.log");
        let mut server = Wrangler::spawn(
            python_server(&dir, port),
            port,
            log.clone(),
            "/healthz",
            Duration::from_secs(20),
        )?;
        let pgid = i32::try_from(server.child.id()).map_err(io::Error::other)?;
        let body = ureq::get(&format!("{}/healthz", server.base_url))
            .call()
            .map_err(io::Error::other)?
            .into_string()?;
        assert_eq!(body, "ok");
        assert_eq!(live_members(pgid)?, 2, "the server and its guard");
        server.stop();
        assert_eq!(live_members(pgid)?, 0);
        assert!(server.log_tail().contains("GET /healthz"));
        server.stop(); // idempotent
        fs::remove_dir_all(dir)
    }

    #[test]
    fn the_guard_stops_the_group_when_its_pipe_closes() -> io::Result<()> {
        let dir = scratch_dir("guard")?;
        fs::write(dir.join("healthz"), "ok")?;
        let port = free_port()?;
        let mut server = Wrangler::spawn(
            python_server(&dir, port),
            port,
            dir.join("server.log"),
            "/healthz",
            Duration::from_secs(20),
        )?;
        // What happens when the process that started the server ends without stopping it
        // (`process::exit`, a panic, SIGKILL): the kernel closes the guard's pipe.
        let (mut guard, pipe) = server
            .guard
            .take()
            .ok_or_else(|| io::Error::other("no guard"))?;
        drop(pipe);
        let deadline = Instant::now() + Duration::from_secs(3);
        while server.try_wait()?.is_none() {
            assert!(
                Instant::now() < deadline,
                "the guard did not stop the server"
            );
            thread::sleep(Duration::from_millis(50));
        }
        // The guard outlives its SIGTERM and ends the group (itself included) with SIGKILL.
        guard.wait()?;
        TcpListener::bind(("127.0.0.1", port))?;
        server.stop();
        fs::remove_dir_all(dir)
    }

    #[test]
    fn stop_groups_ends_a_server_held_elsewhere() -> io::Result<()> {
        let dir = scratch_dir("stopall")?;
        fs::write(dir.join("healthz"), "ok")?;
        let port = free_port()?;
        let mut server = Wrangler::spawn(
            python_server(&dir, port),
            port,
            dir.join("server.log"),
            "/healthz",
            Duration::from_secs(20),
        )?;
        let pgid = i32::try_from(server.child.id()).map_err(io::Error::other)?;
        assert!(RUNNING
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .contains(&pgid));
        stop_groups(&[pgid]);
        assert_eq!(live_members(pgid)?, 0);
        server.stop();
        assert!(!RUNNING
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .contains(&pgid));
        fs::remove_dir_all(dir)
    }

    #[test]
    fn port_in_use_errors_are_recognised() {
        assert!(port_was_taken(&io::Error::from(io::ErrorKind::AddrInUse)));
        assert!(port_was_taken(&io::Error::other(
            "bind(): Address already in use; toString() = 127.0.0.1:9229"
        )));
        assert!(!port_was_taken(&io::Error::other("did not answer 200")));
    }

    #[test]
    fn failed_start_reports_the_log_tail() -> io::Result<()> {
        let dir = scratch_dir("fail")?;
        let port = free_port()?;
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo boom-from-server; exit 3"]);
        let err = Wrangler::spawn(
            cmd,
            port,
            dir.join("server.log"),
            "/healthz",
            Duration::from_secs(20),
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.contains("exited before"), "{err}");
        assert!(err.contains("boom-from-server"), "{err}");
        fs::remove_dir_all(dir)
    }

    #[test]
    fn start_timeout_stops_the_server() -> io::Result<()> {
        let dir = scratch_dir("timeout")?;
        let port = free_port()?;
        // No healthz file: the server answers 404 until the timeout.
        let err = Wrangler::spawn(
            python_server(&dir, port),
            port,
            dir.join("server.log"),
            "/healthz",
            Duration::from_secs(2),
        )
        .err()
        .map(|e| e.kind());
        assert_eq!(err, Some(io::ErrorKind::TimedOut));
        // The port is free again: the server was stopped.
        TcpListener::bind(("127.0.0.1", port))?;
        fs::remove_dir_all(dir)
    }

    #[test]
    fn log_tail_skips_earlier_runs() -> io::Result<()> {
        let dir = scratch_dir("tail")?;
        let log = dir.join("server.log");
        fs::write(&log, "old run\n")?;
        fs::write(dir.join("healthz"), "ok")?;
        let port = free_port()?;
        let server = Wrangler::spawn(
            python_server(&dir, port),
            port,
            log,
            "/healthz",
            Duration::from_secs(20),
        )?;
        let tail = server.log_tail();
        assert!(!tail.contains("old run"), "{tail}");
        assert!(tail.contains("--- xtask: starting"), "{tail}");
        drop(server);
        fs::remove_dir_all(dir)
    }

    /// A throwaway edge dir: a JS worker with the same D1 binding, so that wrangler itself is
    /// exercised independently of the Rust edge.
    fn fake_edge(dir: &Path) -> io::Result<PathBuf> {
        let edge = dir.join("edge");
        fs::create_dir_all(edge.join("migrations"))?;
        fs::create_dir_all(edge.join("build/worker"))?;
        fs::write(
            edge.join("wrangler.toml"),
            r#"name = "xtask-fake-edge"
main = "build/worker/shim.mjs"
compatibility_date = "2025-09-23"

[[d1_databases]]
binding = "DB"
database_name = "fake"
database_id = "00000000-0000-0000-0000-000000000000"
migrations_dir = "migrations"
"#,
        )?;
        fs::write(
            edge.join("migrations/0001_init.sql"),
            "CREATE TABLE sites (id TEXT PRIMARY KEY);",
        )?;
        fs::write(
            edge.join(SHIM),
            r#"export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/healthz") return new Response("ok");
    const { results } = await env.DB.prepare("SELECT id FROM sites ORDER BY id").all();
    return Response.json(results.map((row) => row.id));
  },
};
"#,
        )?;
        Ok(edge)
    }

    fn have_wrangler() -> bool {
        let found = node_bin("wrangler").is_ok();
        if !found {
            eprintln!("skipped: node_modules/.bin/wrangler missing (npm ci)");
        }
        found
    }

    #[test]
    fn wrangler_serves_prepared_state_and_stops_with_its_group() -> io::Result<()> {
        if !have_wrangler() {
            return Ok(());
        }
        let dir = scratch_dir("wrangler")?;
        let edge = fake_edge(&dir)?;
        let seed = dir.join("seed.sql");
        fs::write(&seed, "INSERT OR REPLACE INTO sites (id) VALUES ('demo');")?;
        let state = dir.join("state");
        prepare_persist_in(&edge, &state, std::slice::from_ref(&seed))?;
        // Twice: applied migrations are skipped and seeds are idempotent.
        prepare_persist_in(&edge, &state, &[seed])?;

        let mut wrangler = Wrangler::start_any_port_in(&edge, &state)?;
        let pgid = i32::try_from(wrangler.child.id()).map_err(io::Error::other)?;
        let body = ureq::get(&format!("{}/sites", wrangler.base_url))
            .call()
            .map_err(|e| io::Error::other(format!("{e}\n{}", wrangler.log_tail())))?
            .into_string()?;
        assert_eq!(body, r#"["demo"]"#);
        assert!(live_members(pgid)? >= 2, "node and workerd");
        let stopping = Instant::now();
        wrangler.stop();
        assert!(stopping.elapsed() < STOP_GRACE, "SIGTERM was not enough");
        assert_eq!(live_members(pgid)?, 0, "workerd or node outlived stop()");
        fs::remove_dir_all(dir)
    }

    #[test]
    fn start_refuses_a_busy_port() -> io::Result<()> {
        if !have_wrangler() {
            return Ok(());
        }
        let dir = scratch_dir("busy")?;
        let edge = fake_edge(&dir)?;
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let port = listener.local_addr()?.port();
        let err = Wrangler::start_with(&edge, &dir.join("state"), Some(port), free_port)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("not free"), "{err}");
        fs::remove_dir_all(dir)
    }

    /// The port a picker hands out first is held by a listener here, as if another process had
    /// bound it between the harness's choice and wrangler's bind.
    fn taken_first(taken: u16) -> impl FnMut() -> io::Result<u16> {
        let mut first = true;
        move || {
            if std::mem::take(&mut first) {
                Ok(taken)
            } else {
                free_port()
            }
        }
    }

    #[test]
    fn start_retries_on_new_ports_when_its_port_was_taken() -> io::Result<()> {
        if !have_wrangler() {
            return Ok(());
        }
        let dir = scratch_dir("taken")?;
        let edge = fake_edge(&dir)?;
        let holder = TcpListener::bind(("127.0.0.1", 0))?;
        let taken = holder.local_addr()?.port();
        let mut server = Wrangler::start_with(&edge, &dir.join("state"), None, taken_first(taken))?;
        assert_ne!(server.port, taken);
        let body = ureq::get(&format!("{}/healthz", server.base_url))
            .call()
            .map_err(io::Error::other)?
            .into_string()?;
        assert_eq!(body, "ok");
        server.stop();
        fs::remove_dir_all(dir)
    }

    /// The failure seen in CI: workerd could not bind the inspector port chosen for it.
    #[test]
    fn start_retries_when_the_inspector_port_was_taken() -> io::Result<()> {
        if !have_wrangler() {
            return Ok(());
        }
        let dir = scratch_dir("inspector")?;
        let edge = fake_edge(&dir)?;
        let holder = TcpListener::bind(("127.0.0.1", 0))?;
        let taken = holder.local_addr()?.port();
        let port = free_port()?;
        let started = Instant::now();
        let mut server =
            Wrangler::start_with(&edge, &dir.join("state"), Some(port), taken_first(taken))?;
        assert_eq!(server.port, port);
        let log = fs::read_to_string(server.log_path())?;
        assert!(
            log.contains(&format!("\"--inspector-port\" \"{taken}\"")),
            "the first attempt used the taken port:\n{log}"
        );
        assert_eq!(
            log.matches("--- xtask: starting").count(),
            2,
            "one failed start, then one on a new inspector port:\n{log}"
        );
        assert!(
            started.elapsed() < STARTUP_TIMEOUT,
            "the taken port was noticed before the start timeout"
        );
        server.stop();
        fs::remove_dir_all(dir)
    }
}
