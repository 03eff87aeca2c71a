//! When to try a dropped socket again: exponential, capped, with jitter so that a site's
//! visitors (or a team's consoles) do not all come back in the same second after an edge
//! restart. The caller passes the randomness in, so it is tested natively.

/// Reconnect delays up to `MAX_MS` milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backoff<const MAX_MS: u32> {
    attempt: u32,
}

impl<const MAX_MS: u32> Backoff<MAX_MS> {
    /// First delay, ms.
    pub const BASE_MS: u32 = 500;
    /// Longest delay, ms.
    pub const MAX_MS: u32 = MAX_MS;

    /// Failed attempts since the last success.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The delay before the next attempt, given `jitter` in `[0, 1)`: between half and all of
    /// `BASE_MS * 2^attempt`, at most `MAX_MS`.
    pub fn next_delay(&mut self, jitter: f64) -> u32 {
        let ceiling = Self::BASE_MS
            .saturating_mul(1 << self.attempt.min(16))
            .min(MAX_MS);
        self.attempt = self.attempt.saturating_add(1);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let half = ceiling / 2;
        half + (f64::from(ceiling - half) * jitter) as u32
    }

    /// The connection works again: the next drop starts from the first delay.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_caps_and_resets() {
        let mut b = Backoff::<30_000>::default();
        let delays: Vec<u32> = (0..10).map(|_| b.next_delay(1.0)).collect();
        assert_eq!(
            delays,
            [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]
        );
        assert_eq!(b.attempt(), 10);
        b.reset();
        assert_eq!(b.next_delay(0.0), 250, "jitter 0 is half the ceiling");
        // Jitter out of range or NaN cannot push the delay past the ceiling.
        assert_eq!(b.next_delay(7.0), 1_000);
        assert_eq!(b.next_delay(f64::NAN), 1_000);
        let mut long = Backoff::<30_000> { attempt: 1_000 };
        assert_eq!(long.next_delay(1.0), Backoff::<30_000>::MAX_MS);
    }

    #[test]
    fn a_lower_cap_holds_too() {
        let mut b = Backoff::<15_000>::default();
        assert_eq!(b.next_delay(0.0), 250);
        assert_eq!(b.next_delay(1.0), 1_000);
        for _ in 0..40 {
            assert!(b.next_delay(0.999) <= Backoff::<15_000>::MAX_MS);
        }
        assert_eq!(b.next_delay(f64::NAN), 15_000 / 2);
        b.reset();
        assert_eq!(b.next_delay(0.0), 250);
    }
}
