//! Thin wrappers over the libc calls the harness needs. Kept in one module so the workspace-wide
//! `unsafe_code = "deny"` is lifted in exactly one place.
#![allow(unsafe_code)]

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

/// Sends `signal` to every process in the process group `pgid`.
///
/// Refuses `pgid <= 1`: 0 would be our own group and 1 / -1 mean "every process we may signal"
/// (TOOLCHAIN.md: a mis-signalled group once took the whole machine down).
pub(crate) fn signal_group(pgid: i32, signal: libc::c_int) -> io::Result<()> {
    if pgid <= 1 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to signal process group {pgid}"),
        ));
    }
    // SAFETY: killpg takes plain integers and has no memory-safety preconditions.
    let rc = unsafe { libc::killpg(pgid, signal) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

static STOP_REQUESTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_stop_signal(_: libc::c_int) {
    // Only an atomic store: anything else is not async-signal-safe.
    STOP_REQUESTED.store(true, Ordering::SeqCst);
}

/// Replaces the default SIGINT/SIGTERM action (die at once) with setting a flag, so that a
/// long-running task can stop the process group it started before exiting.
pub(crate) fn install_stop_handler() -> io::Result<()> {
    let handler = on_stop_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        if unsafe { libc::signal(signal, handler) } == libc::SIG_ERR {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Whether SIGINT or SIGTERM arrived since [`install_stop_handler`].
pub(crate) fn stop_requested() -> bool {
    STOP_REQUESTED.load(Ordering::SeqCst)
}

/// Whether this process runs as root (then `apt-get` needs no `sudo`).
pub(crate) fn is_root() -> bool {
    // SAFETY: geteuid cannot fail and touches no memory.
    unsafe { libc::geteuid() == 0 }
}
