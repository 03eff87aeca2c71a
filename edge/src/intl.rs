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
        let refused = |_| EdgeError::new(ErrorCode::InvalidField, "unknown time zone or language");
        let options = Object::new();
        for (key, value) in [
            ("year", "numeric"),
            ("month", "short"),
            ("day", "numeric"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("timeZoneName", "short"),
            ("timeZone", zone),
        ] {
            Reflect::set(&options, &key.into(), &value.into()).map_err(refused)?;
        }
        let intl = Reflect::get(&worker::js_sys::global(), &"Intl".into()).map_err(refused)?;
        let class: Function = Reflect::get(&intl, &"DateTimeFormat".into())
            .map_err(refused)?
            .dyn_into()
            .map_err(refused)?;
        // `construct` catches the RangeError an unknown zone throws.
        let formatter =
            Reflect::construct(&class, &Array::of2(&locale.into(), &options)).map_err(refused)?;
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
