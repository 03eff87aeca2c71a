//! The process calls the harness needs, through `nix` and `signal-hook` (no `unsafe` here).

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use nix::sys::signal::killpg;
pub(crate) use nix::sys::signal::Signal;
use nix::unistd::{geteuid, Pid};

/// Sends `signal` to every process in the process group `pgid`.
///
/// Refuses `pgid <= 1`: 0 would be our own group and 1 / -1 mean "every process we may signal"
/// (TOOLCHAIN.md: a mis-signalled group once took the whole machine down).
pub(crate) fn signal_group(pgid: i32, signal: Signal) -> io::Result<()> {
    if pgid <= 1 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to signal process group {pgid}"),
        ));
    }
    killpg(Pid::from_raw(pgid), signal).map_err(io::Error::from)
}

/// Set by SIGINT or SIGTERM once [`install_stop_handler`] ran.
fn stop_flag() -> &'static Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)))
}

/// Replaces the default SIGINT/SIGTERM action (die at once) with setting a flag, so that a
/// long-running task can stop the process group it started before exiting.
pub(crate) fn install_stop_handler() -> io::Result<()> {
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(stop_flag()))?;
    }
    Ok(())
}

/// Whether SIGINT or SIGTERM arrived since [`install_stop_handler`].
pub(crate) fn stop_requested() -> bool {
    stop_flag().load(Ordering::SeqCst)
}

/// Whether this process runs as root (then `apt-get` needs no `sudo`).
pub(crate) fn is_root() -> bool {
    geteuid().is_root()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_groups_that_would_reach_other_processes() {
        for pgid in [-1, 0, 1] {
            let err = signal_group(pgid, Signal::SIGTERM).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "pgid {pgid}");
        }
    }

    #[test]
    fn a_stop_signal_sets_the_flag_instead_of_ending_the_process() -> io::Result<()> {
        install_stop_handler()?;
        assert!(!stop_requested());
        signal_hook::low_level::raise(signal_hook::consts::SIGTERM)?;
        assert!(stop_requested());
        Ok(())
    }
}
