//! The browser, apart from the network: clock, dates in the viewer's language and time zone,
//! ids, the URL, `localStorage`, page visibility, notifications and the alert sound. Thin wrappers that fail quietly (a browser without
//! notifications or storage still runs the console).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{
    AudioContext, Notification, NotificationOptions, NotificationPermission, OscillatorType,
};

use crate::timing::{self, Day, Detail};

/// Milliseconds since the epoch, from the browser's clock.
pub fn now() -> i64 {
    js_sys::Date::now() as i64
}

/// A random number in `[0, 1)` (backoff jitter).
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// The next reconnect delay of a socket's `backoff`, which it advances.
pub fn next_delay(backoff: leptos::prelude::StoredValue<crate::timing::Backoff>) -> u32 {
    use leptos::prelude::{GetValue, SetValue};
    let mut next = backoff.get_value();
    let delay = next.next_delay(random());
    backoff.set_value(next);
    delay
}

/// A fresh idempotency id: a UUID (36 characters of hex and `-`, a valid id).
pub fn client_id() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        // Only very old browsers lack randomUUID; uniqueness per agent is all that matters.
        .unwrap_or_else(|| format!("c{}-{}", now(), (random() * 1e12) as u64))
}

/// A query parameter of the page's URL (`?site=demo`).
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// What the console page says about who is signed in: `Some(Some(me))` signed in, `Some(None)`
/// signed out, `None` when the page does not say (then ask the edge).
pub fn page_session() -> Option<Option<porchlight_shared::console::Me>> {
    let text = web_sys::window()?
        .document()?
        .get_element_by_id(porchlight_shared::console::SESSION_ELEMENT_ID)?
        .text_content()?;
    crate::json::parse(&text).ok()
}

/// The URL fragment, with its `#`.
pub fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Goes to a fragment (adds a history entry; `hashchange` follows).
pub fn set_hash(hash: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(hash);
    }
}

/// Calls `f` on every `hashchange`, for the page's lifetime.
pub fn on_hash_change(f: impl Fn() + 'static) {
    let Some(w) = web_sys::window() else {
        return;
    };
    let closure = Closure::<dyn Fn()>::new(f);
    let _ = w.add_event_listener_with_callback("hashchange", closure.as_ref().unchecked_ref());
    // Lives as long as the page.
    closure.forget();
}

/// Moves focus to the element with this id, if it exists (after a screen change); whether it
/// did.
pub fn focus(id: &str) -> bool {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    el.is_some_and(|el| el.focus().is_ok())
}

/// Whether some element other than the page's body has the focus (a control that went away
/// takes it with it, back to the body).
pub fn has_focus() -> bool {
    let doc = web_sys::window().and_then(|w| w.document());
    let active = doc.as_ref().and_then(web_sys::Document::active_element);
    let body = doc.as_ref().and_then(web_sys::Document::body);
    match (active, body) {
        (Some(a), Some(b)) => a != *b.as_ref(),
        (active, _) => active.is_some(),
    }
}

/// Runs `f` once what the signals just changed is drawn (the next animation frame).
pub fn after_render(f: impl FnOnce() + 'static) {
    leptos::prelude::request_animation_frame(f);
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// A value from `localStorage`.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Keeps a value in `localStorage` (nothing happens where storage is blocked).
pub fn store(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

/// Whether the console's tab is in the background.
pub fn hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Whether the browser has notifications at all.
pub fn notifications_supported() -> bool {
    web_sys::window()
        .is_some_and(|w| js_sys::Reflect::has(&w, &"Notification".into()).unwrap_or(false))
}

/// Whether notifications are allowed now.
pub fn notifications_allowed() -> bool {
    notifications_supported() && Notification::permission() == NotificationPermission::Granted
}

/// Asks for permission to notify (must run in a click handler); `done` gets the answer.
pub fn request_notifications(done: impl FnOnce(bool) + 'static) {
    if !notifications_supported() {
        done(false);
        return;
    }
    let Ok(promise) = Notification::request_permission() else {
        done(false);
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let answer = wasm_bindgen_futures::JsFuture::from(promise).await;
        done(answer.ok().and_then(|v| v.as_string()).as_deref() == Some("granted"));
    });
}

/// Shows a notification (text only); clicking it brings the console to the front.
pub fn notify(title: &str, body: &str, tag: &str) {
    if !notifications_allowed() {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(body);
    options.set_tag(tag);
    if let Ok(n) = Notification::new_with_options(title, &options) {
        let on_click = Closure::<dyn Fn()>::new(|| {
            if let Some(w) = web_sys::window() {
                let _ = w.focus();
            }
        });
        n.set_onclick(Some(on_click.as_ref().unchecked_ref()));
        // One small closure per notification; notifications are rare.
        on_click.forget();
    }
}

thread_local! {
    /// One audio context for the page: browsers limit how many may exist.
    static AUDIO: std::cell::RefCell<Option<AudioContext>> = const { std::cell::RefCell::new(None) };
}

fn audio() -> Option<AudioContext> {
    AUDIO.with(|a| {
        let mut a = a.borrow_mut();
        if a.is_none() {
            *a = AudioContext::new().ok();
        }
        a.clone()
    })
}

/// Creates (or wakes) the audio context. Browsers let a page play sound only after a user
/// gesture: call this from the click that turns the sound on.
pub fn prime_audio() {
    if let Some(ctx) = audio() {
        let _ = ctx.resume();
    }
}

/// A short two-tone chime, synthesised (no audio file to fetch or allow in the CSP).
pub fn chime() {
    let Some(ctx) = audio() else {
        return;
    };
    let _ = ctx.resume();
    let start = ctx.current_time();
    for (i, freq) in [880.0_f32, 1_320.0].into_iter().enumerate() {
        let (Ok(osc), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else {
            return;
        };
        osc.set_type(OscillatorType::Sine);
        osc.frequency().set_value(freq);
        let at = start + i as f64 * 0.15;
        let g = gain.gain();
        let _ = g.set_value_at_time(0.0, at);
        let _ = g.linear_ramp_to_value_at_time(0.2, at + 0.02);
        let _ = g.linear_ramp_to_value_at_time(0.0, at + 0.14);
        let _ = osc.connect_with_audio_node(&gain);
        let _ = gain.connect_with_audio_node(&ctx.destination());
        let _ = osc.start_with_when(at);
        let _ = osc.stop_with_when(at + 0.15);
    }
}

thread_local! {
    /// One `Intl.DateTimeFormat` per [`Detail`], made on first use (the viewer's language and
    /// time zone do not change while the page lives).
    static FORMATS: std::cell::RefCell<Vec<(Detail, js_sys::Intl::DateTimeFormat)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn date(at: i64) -> js_sys::Date {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64))
}

/// The calendar day of `at` in the viewer's time zone.
fn day(at: i64) -> Day {
    let d = date(at);
    (d.get_full_year() as i32, d.get_month(), d.get_date())
}

fn formatter(detail: Detail) -> js_sys::Intl::DateTimeFormat {
    FORMATS.with(|f| {
        if let Some((_, fmt)) = f.borrow().iter().find(|(d, _)| *d == detail) {
            return fmt.clone();
        }
        let options = js_sys::Object::new();
        let set = |k: &str, v: &str| {
            let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
        };
        if detail == Detail::DateAndTime {
            set("year", "numeric");
        }
        if detail != Detail::Time {
            set("month", "short");
            set("day", "numeric");
        }
        set("hour", "numeric");
        set("minute", "2-digit");
        // No locale named: the browser's own language; no time zone named: the viewer's.
        let fmt = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options);
        f.borrow_mut().push((detail, fmt.clone()));
        fmt
    })
}

/// A moment as the viewer reads it, in their time zone and language (the browser's `Intl`):
/// the time alone when it is today (at `now`), with the date otherwise.
pub fn when(at: i64, now: i64) -> String {
    format(timing::detail(day(at), day(now)), at)
}

/// A moment with its full date, whatever day it is (a record: a consent).
pub fn full_date(at: i64) -> String {
    format(Detail::DateAndTime, at)
}

fn format(detail: Detail, at: i64) -> String {
    let fmt = formatter(detail);
    fmt.format()
        .call1(&wasm_bindgen::JsValue::UNDEFINED, &date(at))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// A moment as a machine-readable UTC timestamp (a `<time>` element's `datetime`).
pub fn iso(at: i64) -> String {
    String::from(date(at).to_iso_string())
}

/// The start of the day `days_back` days before the day of `now`, in the viewer's time zone
/// (local midnight, so a period preset follows daylight-saving changes).
pub fn start_of_day(now: i64, days_back: u32) -> i64 {
    let d = date(now);
    let day = i32::try_from(d.get_date()).unwrap_or(1) - i32::try_from(days_back).unwrap_or(0);
    let start = js_sys::Date::new_with_year_month_day(d.get_full_year(), d.get_month() as i32, day);
    start.get_time() as i64
}

/// The viewer's midnight `days` days after today's (negative: before), in their time zone.
pub fn day_start(now: i64, days: i32) -> i64 {
    let d = date(now);
    let day = i32::try_from(d.get_date()).unwrap_or(1) + days;
    let start = js_sys::Date::new_with_year_month_day(d.get_full_year(), d.get_month() as i32, day);
    start.get_time() as i64
}

/// A `YYYY-MM-DD` day as the viewer reads it ("Mon, Dec 1"); the text itself if it is not one.
pub fn day_label(date: &str) -> String {
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d))) = (parts.next(), parts.next(), parts.next())
    else {
        return date.to_owned();
    };
    let noon = js_sys::Date::new_with_year_month_day_hr(y, m as i32 - 1, d as i32, 12);
    let options = js_sys::Object::new();
    for (k, v) in [("weekday", "short"), ("month", "short"), ("day", "numeric")] {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    }
    js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options)
        .format()
        .call1(&wasm_bindgen::JsValue::UNDEFINED, &noon)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| date.to_owned())
}

/// The viewer's language, as `Intl` resolves it (`pt-BR`); empty when the browser does not say.
pub fn locale() -> String {
    let fmt = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&fmt.resolved_options(), &"locale".into())
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_default()
}

/// `at` as a `datetime-local` input's value (`2025-11-29T14:02`), in the viewer's time zone.
pub fn local_input(at: i64) -> String {
    let d = date(at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// A `datetime-local` input's value as ms since the epoch (the browser reads a date and time
/// without an offset as the viewer's local time); `None` for anything else.
pub fn parse_local_input(value: &str) -> Option<i64> {
    let ms = js_sys::Date::parse(value);
    ms.is_finite().then_some(ms as i64)
}

/// The viewer's time zone, as `Intl` names it (`Europe/Lisbon`); empty when the browser does
/// not say.
pub fn time_zone() -> String {
    let fmt = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&fmt.resolved_options(), &"timeZone".into())
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_default()
}

/// A count in the viewer's language (`1,234`, `1.234`, `1 234`).
pub fn number(n: u64) -> String {
    let fmt = js_sys::Intl::NumberFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    fmt.format()
        .call1(&wasm_bindgen::JsValue::UNDEFINED, &(n as f64).into())
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| n.to_string())
}
