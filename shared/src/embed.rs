//! The postMessage protocol between the loader (`widget.js`, on the customer's page) and the chat
//! frame (the widget app, on the edge's origin).
//!
//! Every message is a flat object `{"ns": "porchlight", "v": 1, "type": "...", ...fields}`. The
//! namespace keeps our messages apart from anything else the host page posts around; both sides
//! ignore messages without it, and check `event.origin` and `event.source` before reading one.
//! Neither side ever posts to `'*'`: the loader targets the edge's origin, the frame targets the
//! host origin it was given in its URL (which the edge checked against the site's allowed
//! origins before serving the frame, and which `frame-ancestors` enforces).
//!
//! The loader is hand-written JavaScript; `shared/tests/embed.rs` pins the JSON shapes and the
//! widget's tests check that the loader names every message type.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::protocol::{Author, IdentifyRequest};

/// Value of the `ns` field of every message.
pub const NAMESPACE: &str = "porchlight";
/// Version of this protocol; changes only on an incompatible change.
pub const EMBED_VERSION: u16 = 1;

/// Path of the frame page on the edge.
pub const FRAME_PATH: &str = "/widget/frame.html";
/// Query parameter of the frame page that names the site.
pub const FRAME_PARAM_SITE: &str = "site";
/// Query parameter of the frame page that names the host page's origin, the only origin the frame
/// talks to.
pub const FRAME_PARAM_HOST: &str = "host";

/// `id` of the element of the frame page that carries the site's widget config (JSON, the same
/// as `GET /v1/visitor/config` answers), so that the app has it without a round trip on open.
pub const CONFIG_ELEMENT_ID: &str = "porchlight-config";

/// One message in either direction: the namespace, the version and the typed payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<M> {
    /// Always [`NAMESPACE`].
    pub ns: String,
    /// The sender's [`EMBED_VERSION`].
    pub v: u16,
    /// The message.
    #[serde(flatten)]
    pub msg: M,
}

impl<M> Envelope<M> {
    /// Wraps a message with the current namespace and version.
    pub fn new(msg: M) -> Self {
        Envelope {
            ns: NAMESPACE.to_owned(),
            v: EMBED_VERSION,
            msg,
        }
    }

    /// Whether the message carries our namespace (anything else on the page is not for us).
    pub fn is_ours(&self) -> bool {
        self.ns == NAMESPACE
    }
}

/// What the loader tells the frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HostMessage {
    /// The panel is now visible: the frame focuses the composer and marks messages read.
    Open,
    /// The panel is now hidden: new messages count as unread.
    Close,
    /// `Porchlight.identify(...)`: the host page's signed-in user, with the site server's HMAC of
    /// the id. The frame passes it to the edge (which checks the hash) once the conversation
    /// exists; a different user than the one this browser's conversation belongs to starts a new
    /// conversation instead of seeing the other's.
    Identify(IdentifyRequest),
    /// `Porchlight.setAttributes(...)`: custom attributes for the visitor's profile, merged into
    /// what was set before (an empty value removes one).
    Attributes {
        /// Name to value.
        attributes: BTreeMap<String, String>,
    },
    /// `Porchlight.reset()`, when the site's user signs out: the frame forgets this browser's
    /// conversation (its token), so that the next person on the same browser starts afresh.
    Reset,
    /// How the loader lays the panel out: `full` when it covers the whole viewport (a small
    /// screen), where the frame offers no "expand".
    Layout {
        /// Whether the panel is full screen.
        full: bool,
    },
    /// The host page's address, sent by the loader with the frame (never in the frame's URL, so
    /// that it reaches no server). The frame keeps it to itself until the conversation exists,
    /// which on a site that asks for consent is after the visitor gave it, and then reports it
    /// without the query string and fragment unless the site keeps them.
    Page {
        /// `location.href` of the host page.
        url: String,
    },
    /// A message type this frame does not know (a newer loader).
    #[serde(other)]
    Unknown,
}

/// What the frame tells the loader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FrameMessage {
    /// The app is running and listens; the loader now sends the panel state.
    Ready {
        /// Whether this visitor already has a conversation (so the loader loads the frame at
        /// idle on later visits, to raise the unread badge).
        returning: bool,
    },
    /// The visitor asked to close the panel (close button, Escape).
    CloseRequested,
    /// The number of messages the visitor has not seen changed.
    Unread {
        /// Messages from the site's side newer than the last one the visitor saw.
        count: u32,
    },
    /// A message was stored in the conversation (either side); drives `Porchlight.on('message')`.
    Message {
        /// Its sequence number.
        seq: u64,
        /// Who wrote it.
        author: Author,
        /// Its text.
        text: String,
    },
    /// The site's launcher colour (`#rrggbb`) and corner, from its widget settings; the script
    /// tag's `data-color` and `data-position` still win.
    Style {
        /// Accent colour, `#rrggbb`.
        color: String,
        /// `left` or `right`.
        position: crate::protocol::WidgetPosition,
    },
    /// The visitor asked for a bigger (or the normal) panel; the loader resizes it.
    Resize {
        /// Whether the panel is expanded.
        expanded: bool,
    },
    /// A message type this loader does not know (a newer frame).
    #[serde(other)]
    Unknown,
}

/// Every `type` of [`HostMessage`] a current frame understands (for cross-checking the loader).
pub const HOST_MESSAGE_TYPES: [&str; 7] = [
    "open",
    "close",
    "identify",
    "attributes",
    "reset",
    "layout",
    "page",
];
/// Every `type` of [`FrameMessage`] a current frame sends (for cross-checking the loader).
pub const FRAME_MESSAGE_TYPES: [&str; 6] = [
    "ready",
    "close_requested",
    "unread",
    "message",
    "style",
    "resize",
];
