//! Times written for a reader, in their language and time zone, by the runtime's own `Intl`
//! (workerd carries the full time zone database; compiling one into the Worker would not).

use porchlight_shared::{ErrorCode, Millis};
use worker::js_sys::{Array, Date, Function, Object, Reflect};
use worker::wasm_bindgen::{JsCast, JsValue};

use crate::error::{EdgeError, EdgeResult};

/// An `Intl.DateTimeFormat` for one language and time zone: date, hours, minutes and the zone's
/// short name (`29 de nov. de 2026, 13:25 BRT`).
pub struct TimeFormat {
    formatter: JsValue,
    format: Function,
}

impl TimeFormat {
    /// A formatter for `locale` in `zone`. Both are checked by the runtime: an unknown zone or
    /// a malformed tag is `invalid_field` (nothing is formatted).
    pub fn new(locale: &str, zone: &str) -> EdgeResult<TimeFormat> {
        TimeFormat::with(
            locale,
            &[
                ("year", "numeric"),
                ("month", "short"),
                ("day", "numeric"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
                ("timeZoneName", "short"),
                ("timeZone", zone),
            ],
        )
    }

    /// An `Intl.DateTimeFormat` for `locale` with `options`; anything the runtime refuses (an
    /// unknown zone, a malformed tag) is `invalid_field`.
    fn with(locale: &str, options: &[(&str, &str)]) -> EdgeResult<TimeFormat> {
        let refused = |_| EdgeError::new(ErrorCode::InvalidField, "unknown time zone or language");
        let object = Object::new();
        for (key, value) in options {
            Reflect::set(&object, &(*key).into(), &(*value).into()).map_err(refused)?;
        }
        let intl = Reflect::get(&worker::js_sys::global(), &"Intl".into()).map_err(refused)?;
        let class: Function = Reflect::get(&intl, &"DateTimeFormat".into())
            .map_err(refused)?
            .dyn_into()
            .map_err(refused)?;
        // `construct` catches the RangeError an unknown zone throws.
        let formatter =
            Reflect::construct(&class, &Array::of2(&locale.into(), &object)).map_err(refused)?;
        let format: Function = Reflect::get(&formatter, &"format".into())
            .map_err(refused)?
            .dyn_into()
            .map_err(refused)?;
        Ok(TimeFormat { formatter, format })
    }

    /// `at` as the reader reads it; the UTC ISO form if the runtime could not write it.
    pub fn format(&self, at: Millis) -> String {
        let date = Date::new(&JsValue::from_f64(at as f64));
        self.format
            .call1(&self.formatter, &date)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| crate::conversation::transcript::iso8601(at))
    }
}

/// A time zone's offset from UTC at an instant, read from the runtime's `Intl` (the local
/// wall-clock time it writes, minus the instant), remembered per quarter hour: every offset
/// change in the time zone database falls on one.
pub struct ZoneOffset {
    time: TimeFormat,
    known: std::cell::RefCell<std::collections::HashMap<Millis, Millis>>,
}

/// A quarter of an hour, in ms.
const QUARTER_HOUR: Millis = 900_000;

impl ZoneOffset {
    /// The offsets of `zone`; an unknown zone is `invalid_field`.
    pub fn new(zone: &str) -> EdgeResult<ZoneOffset> {
        let time = TimeFormat::with(
            "en-US",
            &[
                ("year", "numeric"),
                ("month", "2-digit"),
                ("day", "2-digit"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
                ("second", "2-digit"),
                ("hourCycle", "h23"),
                ("timeZone", zone),
            ],
        )?;
        Ok(ZoneOffset {
            time,
            known: Default::default(),
        })
    }

    /// The offset at `at`, ms east of UTC (0 if the runtime could not say).
    pub fn at(&self, at: Millis) -> Millis {
        let quarter = at.div_euclid(QUARTER_HOUR);
        if let Some(known) = self.known.borrow().get(&quarter) {
            return *known;
        }
        let start = quarter * QUARTER_HOUR;
        let offset = offset_of(&self.time.format(start), start).unwrap_or(0);
        self.known.borrow_mut().insert(quarter, offset);
        offset
    }
}

/// The offset that makes `at` (ms since the epoch, whole seconds) the wall-clock time `local`
/// as `Intl` writes it in `en-US` with a 24-hour clock: `12/01/2025, 09:00:00`.
pub fn offset_of(local: &str, at: Millis) -> Option<Millis> {
    let numbers: Vec<i64> = local
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [month, day, year, hour, minute, second] = numbers[..] else {
        return None;
    };
    let wall = days_from_civil(year, month, day) * 86_400_000
        + hour * 3_600_000
        + minute * 60_000
        + second * 1_000;
    Some(wall - at.div_euclid(1_000) * 1_000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days-from-civil).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_is_the_wall_clock_minus_the_instant() {
        // 2025-12-01T12:00:00Z.
        let noon = 1_764_590_400_000;
        assert_eq!(
            offset_of("12/01/2025, 09:00:00", noon),
            Some(-3 * 3_600_000)
        );
        assert_eq!(offset_of("12/01/2025, 20:00:00", noon), Some(8 * 3_600_000));
        assert_eq!(
            offset_of("12/01/2025, 17:30:00", noon),
            Some(5 * 3_600_000 + 1_800_000)
        );
        // Across midnight and the year's end.
        assert_eq!(
            offset_of("12/31/2025, 23:00:00", 1_767_225_600_000),
            Some(-3_600_000)
        );
        assert_eq!(offset_of("01/01/1970, 00:00:00", 0), Some(0));
        assert_eq!(offset_of("soon", noon), None);
        assert_eq!(offset_of("12/01/2025", noon), None);
    }

    #[test]
    fn civil_days_count_from_the_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2025, 12, 1) * 86_400_000, 1_764_547_200_000);
    }
}
