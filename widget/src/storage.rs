//! What the frame keeps in its own `localStorage` (the edge's origin, never the host page's):
//! the visitor token and how far the visitor has read. Nothing is written before the visitor's
//! first message. Storage may be unavailable (blocked third-party storage): then the widget
//! still works for the page's lifetime.

use web_sys::Storage;

/// The frame's storage for one site.
pub struct SiteStorage {
    storage: Option<Storage>,
    prefix: String,
}

impl SiteStorage {
    /// Storage for `site_id` in this frame.
    pub fn new(site_id: &str) -> Self {
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        SiteStorage {
            storage,
            prefix: format!("porchlight:{site_id}:"),
        }
    }

    fn get(&self, key: &str) -> Option<String> {
        let key = format!("{}{key}", self.prefix);
        self.storage.as_ref()?.get_item(&key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) {
        if let Some(s) = &self.storage {
            let _ = s.set_item(&format!("{}{key}", self.prefix), value);
        }
    }

    fn remove(&self, key: &str) {
        if let Some(s) = &self.storage {
            let _ = s.remove_item(&format!("{}{key}", self.prefix));
        }
    }

    /// The visitor token from an earlier visit.
    pub fn token(&self) -> Option<String> {
        self.get("token").filter(|t| !t.is_empty())
    }

    /// Keeps the visitor token.
    pub fn set_token(&self, token: &str) {
        self.set("token", token);
    }

    /// Forgets the conversation: a token the edge refused, or another signed-in user (the next
    /// message starts a new conversation).
    pub fn forget_token(&self) {
        self.remove("token");
        self.remove("read");
        self.remove("user");
    }

    /// The identity last verified for this conversation (`id`, name and email, one per line).
    pub fn user(&self) -> Option<String> {
        self.get("user")
    }

    /// Remembers the identity the edge verified for this conversation.
    pub fn set_user(&self, user: &str) {
        self.set("user", user);
    }

    /// The highest sequence number the visitor has seen.
    pub fn last_read(&self) -> u64 {
        self.get("read").and_then(|v| v.parse().ok()).unwrap_or(0)
    }

    /// Remembers how far the visitor has read.
    pub fn set_last_read(&self, seq: u64) {
        self.set("read", &seq.to_string());
    }
}
