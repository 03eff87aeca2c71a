//! Time as the console shows it and waits for it: ages ("5 min"), how much of a date to write
//! (the date whenever it is not today; the browser's `Intl` writes it), and the reconnect
//! backoff (the shared one, with the console's cap).
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

/// A calendar day in the viewer's time zone: year, month (0–11, as the browser counts), day.
pub type Day = (i32, u32, u32);

/// How much of a moment the console writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Today: the time alone.
    Time,
    /// Another day this year: day, month and time.
    DayAndTime,
    /// Another year: the full date and time.
    DateAndTime,
}

/// The detail for a moment on day `at`, seen on day `today`: the date whenever it is not today.
pub fn detail(at: Day, today: Day) -> Detail {
    if at == today {
        Detail::Time
    } else if at.0 == today.0 {
        Detail::DayAndTime
    } else {
        Detail::DateAndTime
    }
}

/// Reconnect delays for the console's sockets, up to 15 s (agents are waiting on them).
pub type Backoff = porchlight_shared::backoff::Backoff<15_000>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_is_written_whenever_it_is_not_today() {
        let today = (2026, 10, 29);
        assert_eq!(detail((2026, 10, 29), today), Detail::Time);
        assert_eq!(
            detail((2026, 10, 30), today),
            Detail::DayAndTime,
            "tomorrow"
        );
        assert_eq!(
            detail((2026, 10, 28), today),
            Detail::DayAndTime,
            "yesterday"
        );
        assert_eq!(
            detail((2026, 9, 29), today),
            Detail::DayAndTime,
            "same day, other month"
        );
        assert_eq!(detail((2025, 10, 29), today), Detail::DateAndTime);
        assert_eq!(detail((2027, 0, 1), today), Detail::DateAndTime);
    }

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
