//! The frame's side of the postMessage protocol ([`porchlight_shared::embed`]): messages from the
//! loader on the host page in, messages to it out.
//!
//! The host origin comes from the frame's URL. The edge served this frame only after checking
//! that origin against the site's allowed origins, and the frame's `frame-ancestors` policy keeps
//! any other page from embedding it; here every incoming message must come from that origin and
//! from the parent window, and every outgoing one targets that origin, never `'*'`.

use porchlight_shared::embed::{Envelope, FrameMessage, HostMessage, FRAME_PARAM_HOST};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Url, UrlSearchParams, Window};

use crate::json;

/// The link to the loader on the host page.
pub struct HostLink {
    origin: String,
    parent: Window,
}

impl HostLink {
    /// The link named by the frame's URL (`?host=<origin>`), if the frame is embedded and the
    /// parameter is a bare origin.
    pub fn from_location(window: &Window) -> Option<HostLink> {
        let search = window.location().search().ok()?;
        let origin = UrlSearchParams::new_with_str(&search)
            .ok()?
            .get(FRAME_PARAM_HOST)?;
        // A bare origin serialises to itself; a path, a `*` or garbage does not.
        if Url::new(&origin).ok()?.origin() != origin {
            return None;
        }
        let parent = window.parent().ok()??;
        Some(HostLink { origin, parent })
    }

    /// Posts a message to the loader.
    pub fn post(&self, msg: FrameMessage) {
        if let Some(value) = json::frame_message::<JsValue>(&Envelope::new(msg)) {
            let _ = self.parent.post_message(&value, &self.origin);
        }
    }

    /// Calls `on_message` for every message of ours from the loader, for the frame's lifetime.
    pub fn listen(&self, window: &Window, on_message: impl Fn(HostMessage) + 'static) {
        let origin = self.origin.clone();
        let parent: JsValue = self.parent.clone().into();
        let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let from_parent = e
                .source()
                .is_some_and(|s| js_sys::Object::is(&s.into(), &parent));
            if e.origin() != origin || !from_parent {
                return;
            }
            if let Some(msg) = json::host_message(&e.data()) {
                on_message(msg);
            }
        });
        let _ =
            window.add_event_listener_with_callback("message", handler.as_ref().unchecked_ref());
        // The listener lives as long as the frame.
        handler.forget();
    }
}
