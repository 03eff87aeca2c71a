//! Time as the console shows it and waits for it: ages ("5 min"), and the reconnect backoff
//! (the shared one, with the console's cap).
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

/// Reconnect delays for the console's sockets, up to 15 s (agents are waiting on them).
pub type Backoff = porchlight_shared::backoff::Backoff<15_000>;

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
}
