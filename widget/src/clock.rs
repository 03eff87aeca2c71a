//! Times as the visitor reads them: the browser's `Intl`, in the browser's time zone and the
//! panel's language (no date or time zone code compiled into the wasm).

use js_sys::{Date, Object, Reflect};
use wasm_bindgen::JsValue;

/// `at` (ms since the epoch) for the visitor: the time alone when it is today, with the day and
/// month otherwise (and the year when it is not this year). `now` says what today is.
pub fn when(at: i64, now: f64, locale: &str) -> String {
    let date = Date::new(&JsValue::from_f64(at as f64));
    let today = Date::new(&JsValue::from_f64(now));
    let options = Object::new();
    let set = |key: &str, value: &str| {
        let _ = Reflect::set(&options, &key.into(), &value.into());
    };
    set("hour", "2-digit");
    set("minute", "2-digit");
    if date.to_date_string() != today.to_date_string() {
        set("day", "numeric");
        set("month", "short");
        if date.get_full_year() != today.get_full_year() {
            set("year", "numeric");
        }
    }
    date.to_locale_string(locale, &options).into()
}

/// `at` as a machine-readable UTC time, for `<time datetime>`.
pub fn iso(at: i64) -> String {
    Date::new(&JsValue::from_f64(at as f64))
        .to_iso_string()
        .into()
}

/// The browser's IANA time zone (`America/Sao_Paulo`), if it says.
pub fn time_zone() -> Option<String> {
    let options =
        js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &Object::new()).resolved_options();
    Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|z| z.as_string())
}
