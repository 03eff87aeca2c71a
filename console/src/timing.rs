//! Time as the console shows it and waits for it: ages ("5 min"), and the reconnect backoff.
//! The caller passes the clock and the randomness in, so all of it is tested natively.

use porchlight_shared::Millis;

/// How long ago `at` was, at `now`, in a few characters ("now", "5 min", "2 h", "3 d").
pub fn ago(at: Millis, now: Millis) -> String {
    let secs = (now - at).max(0) / 1000;
    match secs {
        0..60 => "now".to_owned(),
        60..3_600 => format!("{} min", secs / 60),
        3_600..86_400 => format!("{} h", secs / 3_600),
        _ => format!("{} d", secs / 86_400),
    }
}

/// When to try a socket again after it dropped: exponential, capped, with jitter so that a
/// team's consoles do not all come back in the same second after an edge restart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backoff {
    attempt: u32,
}

impl Backoff {
    /// First delay, ms.
    pub const BASE_MS: u32 = 500;
    /// Longest delay, ms.
    pub const MAX_MS: u32 = 15_000;

    /// The delay before the next attempt, given `jitter` in `[0, 1)`: between half and all of
    /// `BASE_MS * 2^attempt`, at most `MAX_MS`.
    pub fn next_delay(&mut self, jitter: f64) -> u32 {
        let ceiling = Self::BASE_MS
            .saturating_mul(1 << self.attempt.min(16))
            .min(Self::MAX_MS);
        self.attempt = self.attempt.saturating_add(1);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let half = ceiling / 2;
        half + (f64::from(ceiling - half) * jitter) as u32
    }

    /// The connection works again.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(ago(0, 59_999), "now");
        assert_eq!(ago(1_000, 0), "now", "a clock behind the server's");
        assert_eq!(ago(0, 60_000), "1 min");
        assert_eq!(ago(0, 3_599_999), "59 min");
        assert_eq!(ago(0, 7_200_000), "2 h");
        assert_eq!(ago(0, 3 * 86_400_000), "3 d");
    }

    #[test]
    fn backoff_grows_caps_and_resets() {
        let mut b = Backoff::default();
        assert_eq!(b.next_delay(0.0), 250);
        assert_eq!(b.next_delay(1.0), 1_000);
        for _ in 0..40 {
            assert!(b.next_delay(0.999) <= Backoff::MAX_MS);
        }
        assert_eq!(b.next_delay(f64::NAN), Backoff::MAX_MS / 2);
        b.reset();
        assert_eq!(b.next_delay(0.0), 250);
    }
}
