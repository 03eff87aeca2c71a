//! The widget's wire codec: JSON through the browser's own `JSON.parse`/`JSON.stringify`, read
//! and built field by field, with no serde in the wasm.
//!
//! Why by hand: the shared types are internally tagged (`#[serde(tag = "type")]` with
//! `#[serde(flatten)]`, `Item`/`Author` tagged by `kind`). Deserialising those makes serde buffer
//! every frame in its `Content` tree and drags in its error messages (and with them float
//! formatting): together most of the widget's wasm. Here the `type`/`kind` string picks the
//! concrete payload and its few fields are read directly, so the wire format stays exactly the
//! shared one while the code stays small.
//!
//! The decoders and encoders are generic over [`JsonIn`]/[`JsonOut`]: in the frame they run on
//! `JsValue`; in native tests on `serde_json::Value`, where they are checked against the shared
//! types' own serde output, so a drift from the wire format fails a test.

use porchlight_shared::embed::{Envelope, FrameMessage, HostMessage, NAMESPACE};
use porchlight_shared::lifecycle::Status;
use porchlight_shared::protocol::{
    AttachmentRef, Author, Body, Choice, ClientFrame, ClientMessage, ErrorBody, HistoryPage,
    IdentifyRequest, Item, Message, PrechatField, Rating, ReplyTo, Role, ServerEvent, ServerFrame,
    SessionRequest, SessionResponse, StatusChange, TicketView, TransferRecord, VisitorProfile,
    Welcome, WidgetConfig, WidgetPosition,
};
use porchlight_shared::ErrorCode;

/// Why a value could not be decoded or encoded; the details are for the console only.
#[derive(Debug, Clone, PartialEq)]
pub struct CodecError(pub String);

/// Read access to a parsed JSON value.
pub trait JsonIn: Sized {
    /// Member `name` of an object; `None` when absent or `null` (the wire uses both for "none").
    fn field(&self, name: &str) -> Option<Self>;
    /// The value as a string.
    fn string(&self) -> Option<String>;
    /// The value as a number.
    fn number(&self) -> Option<f64>;
    /// The value as a boolean.
    fn boolean(&self) -> Option<bool>;
    /// The elements of an array.
    fn elements(&self) -> Option<Vec<Self>>;
    /// The members of an object (not an array), in order.
    fn members(&self) -> Option<Vec<(String, Self)>>;
    /// A string, number or boolean as text (`3`, `true`): what a page passes as an attribute
    /// or a user id. (The browser formats numbers: Rust's float formatting is kept out.)
    fn scalar(&self) -> Option<String>;
}

/// Construction of a JSON value.
pub trait JsonOut: Sized {
    /// An empty object.
    fn object() -> Self;
    /// The object with member `name` set.
    fn with(self, name: &str, value: Self) -> Self;
    /// A string.
    fn from_str(s: &str) -> Self;
    /// A number.
    fn from_f64(n: f64) -> Self;
    /// A boolean.
    fn from_bool(b: bool) -> Self;
    /// An array.
    fn array(values: Vec<Self>) -> Self;
}

// ---- reading ----

/// Largest integer a JSON number carries exactly (JavaScript's `Number.MAX_SAFE_INTEGER`).
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

fn int<J: JsonIn>(v: &J, name: &str) -> Option<f64> {
    let n = v.field(name)?.number()?;
    (n.fract() == 0.0 && n.abs() <= MAX_SAFE).then_some(n)
}

fn u64_field<J: JsonIn>(v: &J, name: &str) -> Option<u64> {
    int(v, name).filter(|n| *n >= 0.0).map(|n| n as u64)
}

fn u32_field<J: JsonIn>(v: &J, name: &str) -> Option<u32> {
    int(v, name)
        .filter(|n| (0.0..=f64::from(u32::MAX)).contains(n))
        .map(|n| n as u32)
}

fn i64_field<J: JsonIn>(v: &J, name: &str) -> Option<i64> {
    int(v, name).map(|n| n as i64)
}

fn str_field<J: JsonIn>(v: &J, name: &str) -> Option<String> {
    v.field(name)?.string()
}

fn bool_field<J: JsonIn>(v: &J, name: &str) -> Option<bool> {
    v.field(name)?.boolean()
}

fn status<J: JsonIn>(v: &J, name: &str) -> Option<Status> {
    Status::parse(&str_field(v, name)?)
}

/// The wire name of every error code (a newer edge's code reads as `Unknown`, as with serde).
fn error_code(name: &str) -> ErrorCode {
    match name {
        "bad_json" => ErrorCode::BadJson,
        "invalid_utf8" => ErrorCode::InvalidUtf8,
        "unknown_type" => ErrorCode::UnknownType,
        "too_large" => ErrorCode::TooLarge,
        "invalid_field" => ErrorCode::InvalidField,
        "missing_token" => ErrorCode::MissingToken,
        "invalid_token" => ErrorCode::InvalidToken,
        "invalid_credentials" => ErrorCode::InvalidCredentials,
        "forbidden" => ErrorCode::Forbidden,
        "origin_not_allowed" => ErrorCode::OriginNotAllowed,
        "unknown_site" => ErrorCode::UnknownSite,
        "not_found" => ErrorCode::NotFound,
        "method_not_allowed" => ErrorCode::MethodNotAllowed,
        "invalid_transition" => ErrorCode::InvalidTransition,
        "no_live_ticket" => ErrorCode::NoLiveTicket,
        "rate_limited" => ErrorCode::RateLimited,
        "identity_not_verified" => ErrorCode::IdentityNotVerified,
        "unsupported_media_type" => ErrorCode::UnsupportedMediaType,
        "invalid_email" => ErrorCode::InvalidEmail,
        "invalid_phone" => ErrorCode::InvalidPhone,
        "internal" => ErrorCode::Internal,
        _ => ErrorCode::Unknown,
    }
}

fn author<J: JsonIn>(v: &J) -> Option<Author> {
    Some(match str_field(v, "kind")?.as_str() {
        "visitor" => Author::Visitor,
        "agent" => Author::Agent {
            id: str_field(v, "id")?,
        },
        "bot" => Author::Bot {
            id: str_field(v, "id")?,
        },
        "system" => Author::System,
        _ => return None,
    })
}

fn role<J: JsonIn>(v: &J) -> Option<Role> {
    Some(match str_field(v, "kind")?.as_str() {
        "visitor" => Role::Visitor,
        "agent" => Role::Agent {
            id: str_field(v, "id")?,
        },
        _ => return None,
    })
}

/// An attachment's reference (`POST /v1/visitor/attachments`'s answer, and in a body).
pub fn attachment<J: JsonIn>(v: &J) -> Option<AttachmentRef> {
    Some(AttachmentRef {
        id: str_field(v, "id")?,
        content_type: str_field(v, "content_type")?,
        size: u64_field(v, "size")?,
        name: str_field(v, "name"),
    })
}

fn body<J: JsonIn>(v: &J) -> Option<Body> {
    Some(Body {
        text: str_field(v, "text")?,
        attachments: match v.field("attachments") {
            Some(list) => list
                .elements()?
                .iter()
                .map(attachment)
                .collect::<Option<_>>()?,
            None => Vec::new(),
        },
        choices: match v.field("choices") {
            Some(list) => list
                .elements()?
                .iter()
                .map(|c| {
                    Some(Choice {
                        id: str_field(c, "id")?,
                        label: str_field(c, "label")?,
                    })
                })
                .collect::<Option<_>>()?,
            None => Vec::new(),
        },
        reply_to: match v.field("reply_to") {
            Some(r) => Some(ReplyTo {
                seq: u64_field(&r, "seq")?,
                choice_id: str_field(&r, "choice_id")?,
            }),
            None => None,
        },
    })
}

fn message<J: JsonIn>(v: &J) -> Option<Message> {
    Some(Message {
        seq: u64_field(v, "seq")?,
        ticket: u32_field(v, "ticket")?,
        at: i64_field(v, "at")?,
        author: author(&v.field("author")?)?,
        author_name: str_field(v, "author_name"),
        client_id: str_field(v, "client_id")?,
        body: body(&v.field("body")?)?,
    })
}

fn status_change<J: JsonIn>(v: &J) -> Option<StatusChange> {
    Some(StatusChange {
        seq: u64_field(v, "seq")?,
        ticket: u32_field(v, "ticket")?,
        at: i64_field(v, "at")?,
        by: author(&v.field("by")?)?,
        from: match v.field("from") {
            Some(_) => Some(status(v, "from")?),
            None => None,
        },
        to: status(v, "to")?,
    })
}

fn transfer<J: JsonIn>(v: &J) -> Option<TransferRecord> {
    Some(TransferRecord {
        seq: u64_field(v, "seq")?,
        ticket: u32_field(v, "ticket")?,
        at: i64_field(v, "at")?,
        by: author(&v.field("by")?)?,
        from_agent: str_field(v, "from_agent"),
        to_agent: str_field(v, "to_agent"),
        to_skill: str_field(v, "to_skill"),
    })
}

fn ticket_view<J: JsonIn>(v: &J) -> Option<TicketView> {
    Some(TicketView {
        number: u32_field(v, "number")?,
        status: status(v, "status")?,
        assignee: str_field(v, "assignee"),
        close_at: i64_field(v, "close_at"),
        rateable: bool_field(v, "rateable").unwrap_or(false),
        rating: v.field("rating").and_then(|r| rating(&r)),
    })
}

fn rating<J: JsonIn>(v: &J) -> Option<Rating> {
    let score = |name| u32_field(v, name).and_then(|n| u8::try_from(n).ok());
    Some(Rating {
        csat: score("csat")?,
        nps: score("nps"),
        comment: str_field(v, "comment"),
    })
}

/// One history item. An item of a kind this widget does not know (a newer edge) still holds its
/// place in the sequence, as a record nobody sees: dropping it would look like a gap, and the
/// widget would ask for it again forever.
fn item<J: JsonIn>(v: &J) -> Option<Item> {
    Some(match str_field(v, "kind")?.as_str() {
        "message" => Item::Message(message(v)?),
        "status_change" => Item::StatusChange(status_change(v)?),
        "note" => Item::Note(message(v)?),
        "transfer" => Item::Transfer(transfer(v)?),
        _ => Item::Transfer(TransferRecord {
            seq: u64_field(v, "seq")?,
            ticket: u32_field(v, "ticket").unwrap_or_default(),
            at: i64_field(v, "at").unwrap_or_default(),
            by: Author::System,
            from_agent: None,
            to_agent: None,
            to_skill: None,
        }),
    })
}

fn items<J: JsonIn>(v: &J) -> Option<Vec<Item>> {
    v.elements()?.iter().map(item).collect()
}

fn error_body<J: JsonIn>(v: &J) -> Option<ErrorBody> {
    Some(ErrorBody {
        code: error_code(&str_field(v, "code")?),
        message: str_field(v, "message").unwrap_or_default(),
    })
}

/// A frame from the edge. An event type this widget does not know is `Unknown`, as with serde;
/// a known type with a malformed payload is `None`.
pub fn server_frame<J: JsonIn>(v: &J) -> Option<ServerFrame> {
    let event = match str_field(v, "type")?.as_str() {
        "welcome" => ServerEvent::Welcome(Welcome {
            protocol: u32_field(v, "protocol").and_then(|p| u16::try_from(p).ok())?,
            conversation_id: str_field(v, "conversation_id")?,
            role: role(&v.field("role")?)?,
            last_seq: u64_field(v, "last_seq")?,
            ticket: match v.field("ticket") {
                Some(t) => Some(ticket_view(&t)?),
                None => None,
            },
        }),
        "sync" => ServerEvent::Sync {
            items: items(&v.field("items")?)?,
            complete: bool_field(v, "complete")?,
        },
        "message_created" => ServerEvent::MessageCreated(message(v)?),
        "ticket_status_changed" => ServerEvent::TicketStatusChanged(status_change(v)?),
        "note_created" => ServerEvent::NoteCreated(message(v)?),
        "ticket_transferred" => ServerEvent::TicketTransferred(transfer(v)?),
        "ack" => ServerEvent::Ack {
            client_id: str_field(v, "client_id")?,
            seq: u64_field(v, "seq")?,
        },
        "typing" => ServerEvent::Typing {
            author: author(&v.field("author")?)?,
            on: bool_field(v, "on")?,
        },
        "ticket_updated" => ServerEvent::TicketUpdated {
            ticket: match v.field("ticket") {
                Some(t) => Some(ticket_view(&t)?),
                None => None,
            },
        },
        "read" => ServerEvent::Read {
            by: author(&v.field("by")?)?,
            seq: u64_field(v, "seq")?,
        },
        "availability" => ServerEvent::Availability {
            agents_online: bool_field(v, "agents_online")?,
            team: names(v),
        },
        "ok" => ServerEvent::Ok,
        "pong" => ServerEvent::Pong,
        "error" => ServerEvent::Error(error_body(v)?),
        _ => ServerEvent::Unknown,
    };
    Some(ServerFrame {
        re: str_field(v, "re"),
        event,
    })
}

/// `POST /v1/visitor/session`'s answer.
pub fn session_response<J: JsonIn>(v: &J) -> Option<SessionResponse> {
    Some(SessionResponse {
        token: str_field(v, "token")?,
        conversation_id: str_field(v, "conversation_id")?,
        resumed: bool_field(v, "resumed")?,
    })
}

/// `GET /v1/visitor/history`'s answer.
pub fn history_page<J: JsonIn>(v: &J) -> Option<HistoryPage> {
    Some(HistoryPage {
        items: items(&v.field("items")?)?,
        next_before: u64_field(v, "next_before"),
    })
}

/// `GET /v1/visitor/config`'s answer. Unknown pre-chat fields are kept as
/// [`PrechatField::Unknown`] (the form skips them); a missing field is a malformed answer.
pub fn widget_config<J: JsonIn>(v: &J) -> Option<WidgetConfig> {
    let fields = v
        .field("prechat_fields")?
        .elements()?
        .iter()
        .map(|f| match f.string().as_deref() {
            Some("name") => PrechatField::Name,
            Some("email") => PrechatField::Email,
            Some("phone") => PrechatField::Phone,
            _ => PrechatField::Unknown,
        })
        .collect();
    Some(WidgetConfig {
        site_id: str_field(v, "site_id")?,
        color: str_field(v, "color")?,
        position: match str_field(v, "position")?.as_str() {
            "left" => WidgetPosition::Left,
            _ => WidgetPosition::Right,
        },
        away_message: str_field(v, "away_message").unwrap_or_default(),
        expected_wait: str_field(v, "expected_wait").unwrap_or_default(),
        privacy_text: str_field(v, "privacy_text").unwrap_or_default(),
        consent_required: bool_field(v, "consent_required")?,
        privacy_version: str_field(v, "privacy_version").unwrap_or_default(),
        page_url_query: bool_field(v, "page_url_query").unwrap_or_default(),
        prechat_fields: fields,
        agents_online: bool_field(v, "agents_online")?,
        team: names(v),
        welcome: str_field(v, "welcome").unwrap_or_default(),
        nps: bool_field(v, "nps").unwrap_or_default(),
        csat_question: str_field(v, "csat_question").unwrap_or_default(),
        nps_question: str_field(v, "nps_question").unwrap_or_default(),
    })
}

/// The `team` list of names (absent from an older edge: nobody named).
fn names<J: JsonIn>(v: &J) -> Vec<String> {
    v.field("team")
        .and_then(|t| t.elements())
        .map(|list| list.iter().filter_map(JsonIn::string).collect())
        .unwrap_or_default()
}

/// An HTTP error body's code (`{"error": {"code": ...}}`).
pub fn error_response_code<J: JsonIn>(v: &J) -> Option<ErrorCode> {
    Some(error_body(&v.field("error")?)?.code)
}

/// A message from the loader, if it is ours (namespace) and well formed.
pub fn host_message<J: JsonIn>(v: &J) -> Option<HostMessage> {
    if str_field(v, "ns")? != NAMESPACE {
        return None;
    }
    Some(match str_field(v, "type")?.as_str() {
        "open" => HostMessage::Open,
        "close" => HostMessage::Close,
        // The host page's own values: a malformed call is dropped, not half-applied.
        "identify" => HostMessage::Identify(IdentifyRequest {
            id: v.field("id")?.scalar()?,
            name: str_field(v, "name"),
            email: str_field(v, "email"),
            hash: str_field(v, "hash")?,
        }),
        "attributes" => {
            // Inserted one by one: collecting into the map would sort, and a sort is kilobytes
            // of wasm.
            let mut attributes = std::collections::BTreeMap::new();
            for (name, value) in v.field("attributes")?.members()? {
                attributes.insert(name, value.scalar()?);
            }
            HostMessage::Attributes { attributes }
        }
        "reset" => HostMessage::Reset,
        "layout" => HostMessage::Layout {
            full: bool_field(v, "full")?,
        },
        "page" => HostMessage::Page {
            url: str_field(v, "url")?,
        },
        _ => HostMessage::Unknown,
    })
}

// ---- writing ----

fn body_out<J: JsonOut>(b: &Body) -> J {
    let mut out = J::object().with("text", J::from_str(&b.text));
    if !b.choices.is_empty() {
        let list = js_list::<J>(b.choices.iter().map(|c| {
            J::object()
                .with("id", J::from_str(&c.id))
                .with("label", J::from_str(&c.label))
        }));
        out = out.with("choices", list);
    }
    if let Some(r) = &b.reply_to {
        let reply = J::object()
            .with("seq", J::from_f64(r.seq as f64))
            .with("choice_id", J::from_str(&r.choice_id));
        out = out.with("reply_to", reply);
    }
    if b.attachments.is_empty() {
        return out;
    }
    let list = js_list::<J>(b.attachments.iter().map(|a| {
        let o = J::object()
            .with("id", J::from_str(&a.id))
            .with("content_type", J::from_str(&a.content_type))
            .with("size", J::from_f64(a.size as f64));
        match &a.name {
            Some(n) => o.with("name", J::from_str(n)),
            None => o,
        }
    }));
    out.with("attachments", list)
}

fn js_list<J: JsonOut>(values: impl Iterator<Item = J>) -> J {
    J::array(values.collect())
}

fn author_out<J: JsonOut>(a: &Author) -> J {
    let (kind, id) = match a {
        Author::Visitor => ("visitor", None),
        Author::Agent { id } => ("agent", Some(id)),
        Author::Bot { id } => ("bot", Some(id)),
        Author::System => ("system", None),
    };
    let out = J::object().with("kind", J::from_str(kind));
    match id {
        Some(id) => out.with("id", J::from_str(id)),
        None => out,
    }
}

/// A frame to the edge; `None` for a request this widget never makes.
pub fn client_frame<J: JsonOut>(frame: &ClientFrame) -> Option<J> {
    let out = J::object();
    let out = match &frame.id {
        Some(id) => out.with("id", J::from_str(id)),
        None => out,
    };
    Some(match &frame.msg {
        ClientMessage::Resume { after_seq } => out
            .with("type", J::from_str("resume"))
            .with("after_seq", J::from_f64(*after_seq as f64)),
        ClientMessage::SendMessage(m) => out
            .with("type", J::from_str("send_message"))
            .with("client_id", J::from_str(&m.client_id))
            .with("body", body_out(&m.body)),
        ClientMessage::Typing { on } => out
            .with("type", J::from_str("typing"))
            .with("on", J::from_bool(*on)),
        ClientMessage::Ping => out.with("type", J::from_str("ping")),
        ClientMessage::Read { seq } => out
            .with("type", J::from_str("read"))
            .with("seq", J::from_f64(*seq as f64)),
        ClientMessage::Rate(r) => {
            let out = out
                .with("type", J::from_str("rate"))
                .with("csat", J::from_f64(f64::from(r.csat)));
            let out = match r.nps {
                Some(n) => out.with("nps", J::from_f64(f64::from(n))),
                None => out,
            };
            match &r.comment {
                Some(c) => out.with("comment", J::from_str(c)),
                None => out,
            }
        }
        // Agents' requests (and any added later) are not the visitor's to send.
        _ => return None,
    })
}

/// `POST /v1/visitor/session`'s body.
pub fn session_request<J: JsonOut>(r: &SessionRequest) -> J {
    let out = J::object().with("site_id", J::from_str(&r.site_id));
    match &r.token {
        Some(t) => out.with("token", J::from_str(t)),
        None => out,
    }
}

/// `PUT /v1/visitor/profile`'s body: the fields the widget knows (absent ones are left out).
pub fn visitor_profile<J: JsonOut>(p: &VisitorProfile) -> J {
    let mut out = J::object();
    for (name, value) in [
        ("locale", &p.locale),
        ("page_url", &p.page_url),
        ("name", &p.name),
        ("email", &p.email),
    ] {
        if let Some(v) = value {
            out = out.with(name, J::from_str(v));
        }
    }
    if !p.attributes.is_empty() {
        let mut attrs = J::object();
        for (k, v) in &p.attributes {
            attrs = attrs.with(k, J::from_str(v));
        }
        out = out.with("attributes", attrs);
    }
    if let Some(c) = &p.consent {
        let consent = J::object()
            .with("privacy_version", J::from_str(&c.privacy_version))
            .with("locale", J::from_str(&c.locale));
        out = out.with("consent", consent);
    }
    out
}

/// `POST /v1/visitor/identify`'s body.
pub fn identify_request<J: JsonOut>(r: &IdentifyRequest) -> J {
    let mut out = J::object()
        .with("id", J::from_str(&r.id))
        .with("hash", J::from_str(&r.hash));
    for (name, value) in [("name", &r.name), ("email", &r.email)] {
        if let Some(v) = value {
            out = out.with(name, J::from_str(v));
        }
    }
    out
}

/// A message to the loader, in its envelope; `None` for a type this frame never sends.
pub fn frame_message<J: JsonOut>(env: &Envelope<FrameMessage>) -> Option<J> {
    let out = J::object()
        .with("ns", J::from_str(&env.ns))
        .with("v", J::from_f64(f64::from(env.v)));
    Some(match &env.msg {
        FrameMessage::Ready { returning } => out
            .with("type", J::from_str("ready"))
            .with("returning", J::from_bool(*returning)),
        FrameMessage::CloseRequested => out.with("type", J::from_str("close_requested")),
        FrameMessage::Unread { count } => out
            .with("type", J::from_str("unread"))
            .with("count", J::from_f64(f64::from(*count))),
        FrameMessage::Message { seq, author, text } => out
            .with("type", J::from_str("message"))
            .with("seq", J::from_f64(*seq as f64))
            .with("author", author_out(author))
            .with("text", J::from_str(text)),
        FrameMessage::Style { color, position } => out
            .with("type", J::from_str("style"))
            .with("color", J::from_str(color))
            .with(
                "position",
                J::from_str(match position {
                    WidgetPosition::Left => "left",
                    WidgetPosition::Right => "right",
                }),
            ),
        FrameMessage::Resize { expanded } => out
            .with("type", J::from_str("resize"))
            .with("expanded", J::from_bool(*expanded)),
        _ => return None,
    })
}

// ---- the browser's JSON ----

mod browser {
    use js_sys::{Array, Object, Reflect, JSON};
    use wasm_bindgen::{JsCast, JsValue};

    use super::{CodecError, JsonIn, JsonOut};

    impl From<JsValue> for CodecError {
        fn from(v: JsValue) -> Self {
            // The message of a JS `Error` (what `fetch` and `JSON.parse` throw), else its text.
            let message = match v.dyn_ref::<js_sys::Error>() {
                Some(e) => String::from(e.message()),
                None => v
                    .as_string()
                    .unwrap_or_else(|| "JavaScript error".to_owned()),
            };
            CodecError(message)
        }
    }

    impl JsonIn for JsValue {
        fn field(&self, name: &str) -> Option<Self> {
            if !self.is_object() {
                return None;
            }
            let v = Reflect::get(self, &JsValue::from_str(name)).ok()?;
            (!v.is_null() && !v.is_undefined()).then_some(v)
        }
        fn string(&self) -> Option<String> {
            self.as_string()
        }
        fn number(&self) -> Option<f64> {
            self.as_f64()
        }
        fn boolean(&self) -> Option<bool> {
            self.as_bool()
        }
        fn elements(&self) -> Option<Vec<Self>> {
            Some(self.dyn_ref::<Array>()?.to_vec())
        }
        fn members(&self) -> Option<Vec<(String, Self)>> {
            if !self.is_object() || Array::is_array(self) {
                return None;
            }
            let entries = Object::entries(self.dyn_ref::<Object>()?);
            entries
                .iter()
                .map(|pair| {
                    let pair = pair.dyn_into::<Array>().ok()?;
                    Some((pair.get(0).as_string()?, pair.get(1)))
                })
                .collect()
        }
        fn scalar(&self) -> Option<String> {
            if self.is_string() {
                return self.as_string();
            }
            let finite = self.as_f64().is_some_and(f64::is_finite);
            if finite || self.as_bool().is_some() {
                JSON::stringify(self).ok()?.as_string()
            } else {
                None
            }
        }
    }

    impl JsonOut for JsValue {
        fn object() -> Self {
            Object::new().into()
        }
        fn with(self, name: &str, value: Self) -> Self {
            // Setting a member of a plain object we just created cannot fail.
            let _ = Reflect::set(&self, &JsValue::from_str(name), &value);
            self
        }
        fn from_str(s: &str) -> Self {
            JsValue::from_str(s)
        }
        fn from_f64(n: f64) -> Self {
            JsValue::from_f64(n)
        }
        fn from_bool(b: bool) -> Self {
            JsValue::from_bool(b)
        }
        fn array(values: Vec<Self>) -> Self {
            values.into_iter().collect::<Array>().into()
        }
    }

    /// Parses JSON text with the browser's parser.
    pub fn parse(text: &str) -> Result<JsValue, CodecError> {
        Ok(JSON::parse(text)?)
    }

    /// JSON text of a value built with [`JsonOut`].
    pub fn stringify(value: &JsValue) -> Result<String, CodecError> {
        JSON::stringify(value)?
            .as_string()
            .ok_or_else(|| CodecError("JSON.stringify returned no string".into()))
    }
}

pub use browser::{parse, stringify};

#[cfg(test)]
mod tests {
    use super::*;
    use porchlight_shared::protocol::SendMessage;
    use serde_json::{json, Value};

    impl JsonIn for Value {
        fn field(&self, name: &str) -> Option<Self> {
            self.get(name).filter(|v| !v.is_null()).cloned()
        }
        fn string(&self) -> Option<String> {
            self.as_str().map(str::to_owned)
        }
        fn number(&self) -> Option<f64> {
            self.as_f64()
        }
        fn boolean(&self) -> Option<bool> {
            self.as_bool()
        }
        fn elements(&self) -> Option<Vec<Self>> {
            self.as_array().cloned()
        }
        fn members(&self) -> Option<Vec<(String, Self)>> {
            Some(
                self.as_object()?
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        }
        fn scalar(&self) -> Option<String> {
            match self {
                Value::String(s) => Some(s.clone()),
                Value::Number(_) | Value::Bool(_) => Some(self.to_string()),
                _ => None,
            }
        }
    }

    impl JsonOut for Value {
        fn object() -> Self {
            json!({})
        }
        fn with(mut self, name: &str, value: Self) -> Self {
            if let Some(map) = self.as_object_mut() {
                map.insert(name.to_owned(), value);
            }
            self
        }
        fn from_str(s: &str) -> Self {
            Value::from(s)
        }
        fn from_f64(n: f64) -> Self {
            // Whole numbers as integers, as serde writes them (JSON cannot tell them apart).
            if n.fract() == 0.0 && n.abs() <= MAX_SAFE {
                Value::from(n as i64)
            } else {
                Value::from(n)
            }
        }
        fn from_bool(b: bool) -> Self {
            Value::from(b)
        }
        fn array(values: Vec<Self>) -> Self {
            Value::from(values)
        }
    }

    fn wire<T: serde::Serialize>(v: &T) -> Value {
        serde_json::to_value(v).unwrap()
    }

    fn authors() -> Vec<Author> {
        vec![
            Author::Visitor,
            Author::Agent { id: "alice".into() },
            Author::Bot {
                id: "flow-1".into(),
            },
            Author::System,
        ]
    }

    fn msg(seq: u64, author: Author) -> Message {
        Message {
            seq,
            ticket: 2,
            at: 1_700_000_000_123,
            author_name: matches!(author, Author::Agent { .. }).then(|| "Ada <Admin>".into()),
            author,
            client_id: format!("c{seq}"),
            body: Body {
                text: "olá <b>\"x\"</b>".into(),
                // Every other message carries files, one of them unnamed.
                attachments: if seq.is_multiple_of(2) {
                    vec![
                        AttachmentRef {
                            id: "a1".into(),
                            content_type: "image/png".into(),
                            size: 1234,
                            name: Some("cat.png".into()),
                        },
                        AttachmentRef {
                            id: "a2".into(),
                            content_type: "application/pdf".into(),
                            size: 5,
                            name: None,
                        },
                    ]
                } else {
                    Vec::new()
                },
                // Every third offers quick replies; every fifth answers one.
                choices: if seq.is_multiple_of(3) {
                    vec![
                        Choice {
                            id: "billing".into(),
                            label: "Billing <i>".into(),
                        },
                        Choice {
                            id: "tech".into(),
                            label: "Technical help".into(),
                        },
                    ]
                } else {
                    Vec::new()
                },
                reply_to: seq.is_multiple_of(5).then(|| ReplyTo {
                    seq: 9_007_199_254_740_991,
                    choice_id: "tech".into(),
                }),
            },
        }
    }

    fn change(seq: u64, from: Option<Status>) -> StatusChange {
        StatusChange {
            seq,
            ticket: 2,
            at: 5,
            by: Author::System,
            from,
            to: Status::OnHold,
        }
    }

    fn every_item() -> Vec<Item> {
        let mut items: Vec<Item> = authors()
            .into_iter()
            .enumerate()
            .map(|(i, a)| Item::Message(msg(i as u64 + 1, a)))
            .collect();
        items.push(Item::StatusChange(change(10, None)));
        items.push(Item::StatusChange(change(11, Some(Status::Open))));
        items.push(Item::Note(msg(12, Author::Agent { id: "bob".into() })));
        items.push(Item::Message(msg(14, Author::Visitor)));
        items.push(Item::Message(msg(15, Author::Visitor)));
        items.push(Item::Transfer(TransferRecord {
            seq: 13,
            ticket: 2,
            at: 9,
            by: Author::Agent { id: "bob".into() },
            from_agent: Some("bob".into()),
            to_agent: None,
            to_skill: Some("pt".into()),
        }));
        items
    }

    fn every_event() -> Vec<ServerEvent> {
        let ticket = TicketView {
            number: 3,
            status: Status::Solved,
            assignee: Some("alice".into()),
            close_at: Some(1_700_000_999_000),
            rateable: true,
            rating: Some(Rating {
                csat: 4,
                nps: Some(10),
                comment: Some("Obrigada!".into()),
            }),
        };
        let mut events = vec![
            ServerEvent::Welcome(Welcome {
                protocol: 1,
                conversation_id: "conv-1".into(),
                role: Role::Visitor,
                last_seq: 41,
                ticket: Some(ticket.clone()),
            }),
            ServerEvent::Welcome(Welcome {
                protocol: 1,
                conversation_id: "conv-1".into(),
                role: Role::Agent { id: "alice".into() },
                last_seq: 0,
                ticket: None,
            }),
            ServerEvent::Sync {
                items: every_item(),
                complete: true,
            },
            ServerEvent::Sync {
                items: vec![],
                complete: false,
            },
            ServerEvent::MessageCreated(msg(7, Author::Agent { id: "a".into() })),
            ServerEvent::TicketStatusChanged(change(8, Some(Status::New))),
            ServerEvent::NoteCreated(msg(9, Author::System)),
            ServerEvent::Ack {
                client_id: "c1".into(),
                seq: 9_007_199_254_740_991,
            },
            ServerEvent::TicketUpdated {
                ticket: Some(TicketView {
                    assignee: None,
                    close_at: None,
                    rateable: false,
                    rating: None,
                    ..ticket
                }),
            },
            ServerEvent::TicketUpdated { ticket: None },
            ServerEvent::Ok,
            ServerEvent::Pong,
            ServerEvent::Availability {
                agents_online: true,
                team: vec!["Alice".into(), "Ada Admin".into()],
            },
            ServerEvent::Availability {
                agents_online: false,
                team: vec![],
            },
            ServerEvent::Read {
                by: Author::Agent { id: "alice".into() },
                seq: 12,
            },
        ];
        events.extend(
            authors()
                .into_iter()
                .map(|author| ServerEvent::Typing { author, on: true }),
        );
        events.extend(ErrorCode::ALL.into_iter().map(|code| {
            ServerEvent::Error(ErrorBody {
                code,
                message: "no".into(),
            })
        }));
        events
    }

    /// Every event the shared types can put on the wire decodes to itself, with and without `re`.
    #[test]
    fn widget_config_reads_what_serde_writes() {
        let mut config = WidgetConfig {
            site_id: "demo".into(),
            color: "#2563eb".into(),
            position: WidgetPosition::Left,
            away_message: "Away <b>".into(),
            expected_wait: "Minutes".into(),
            privacy_text: "We store this.".into(),
            consent_required: true,
            privacy_version: "3f2a9c1e".into(),
            page_url_query: true,
            prechat_fields: vec![PrechatField::Name, PrechatField::Email, PrechatField::Phone],
            agents_online: false,
            team: vec![],
            welcome: "Olá!".into(),
            nps: true,
            csat_question: "Como foi o atendimento?".into(),
            nps_question: "Você nos recomendaria?".into(),
        };
        assert_eq!(widget_config(&wire(&config)), Some(config.clone()));
        config.nps = false;
        config.csat_question.clear();
        config.team = vec!["Alice".into(), "Bruno".into()];
        config.position = WidgetPosition::Right;
        config.consent_required = false;
        config.prechat_fields.clear();
        config.agents_online = true;
        config.away_message.clear();
        assert_eq!(widget_config(&wire(&config)), Some(config.clone()));
        // A newer edge's field is kept as unknown, and skipped by the form.
        let mut v = wire(&config);
        v["prechat_fields"] = json!(["company", "name"]);
        assert_eq!(
            widget_config(&v).map(|c| c.prechat_fields),
            Some(vec![PrechatField::Unknown, PrechatField::Name])
        );
        assert_eq!(widget_config(&json!({"site_id": "demo"})), None);
    }

    #[test]
    fn server_frames_decode_as_serde_encodes_them() {
        for event in every_event() {
            for re in [None, Some("r-1".to_owned())] {
                let frame = ServerFrame {
                    re,
                    event: event.clone(),
                };
                assert_eq!(
                    server_frame(&wire(&frame)),
                    Some(frame.clone()),
                    "{frame:?}"
                );
            }
        }
    }

    #[test]
    fn unknown_types_and_codes_are_values_and_malformed_frames_are_not() {
        let f = server_frame(&json!({"type": "from_the_future", "x": 1})).unwrap();
        assert_eq!(f.event, ServerEvent::Unknown);
        let e = server_frame(&json!({"type": "error", "code": "new_code", "message": "m"}));
        assert!(matches!(
            e.unwrap().event,
            ServerEvent::Error(ErrorBody {
                code: ErrorCode::Unknown,
                ..
            })
        ));
        for bad in [
            json!({"type": "ack", "client_id": "c"}),
            json!({"type": "ack", "client_id": "c", "seq": -1}),
            json!({"type": "ack", "client_id": "c", "seq": 1.5}),
            json!({"type": "ack", "client_id": 3, "seq": 1}),
            json!({"type": "typing", "author": {"kind": "ghost"}, "on": true}),
            json!({"type": "message_created", "seq": 1}),
            json!({"no_type": true}),
            json!("text"),
        ] {
            assert_eq!(server_frame(&bad), None, "{bad}");
        }
    }

    /// A history item of a kind this widget does not know keeps its sequence number, and is not a
    /// message (so it shows nowhere and counts as nothing).
    #[test]
    fn unknown_item_kinds_hold_their_place() {
        let v = json!({"type": "sync", "complete": true, "items": [
            {"kind": "poll", "seq": 5, "ticket": 1, "at": 3, "question": "?"}
        ]});
        let Some(ServerFrame {
            event: ServerEvent::Sync { items, .. },
            ..
        }) = server_frame(&v)
        else {
            panic!("not a sync");
        };
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].seq(), 5);
        assert!(matches!(items[0], Item::Transfer(_)));
    }

    #[test]
    fn http_bodies_decode_as_serde_encodes_them() {
        for next_before in [None, Some(12)] {
            let page = HistoryPage {
                items: every_item(),
                next_before,
            };
            assert_eq!(history_page(&wire(&page)), Some(page));
        }
        let s = SessionResponse {
            token: "t".into(),
            conversation_id: "c".into(),
            resumed: true,
        };
        assert_eq!(session_response(&wire(&s)), Some(s));
        for code in ErrorCode::ALL {
            let body = porchlight_shared::protocol::ErrorResponse {
                error: ErrorBody {
                    code,
                    message: "m".into(),
                },
            };
            assert_eq!(error_response_code(&wire(&body)), Some(code));
        }
        assert_eq!(error_response_code(&json!({"nope": 1})), None);
    }

    #[test]
    fn attachment_refs_decode_as_serde_encodes_them() {
        for name in [None, Some("receipt <1>.png".to_owned())] {
            let r = AttachmentRef {
                id: "at_Qm9vLWJhci1iYXotcXV4".into(),
                content_type: "image/png".into(),
                size: 48_213,
                name,
            };
            assert_eq!(attachment(&wire(&r)), Some(r));
        }
        assert_eq!(attachment(&json!({"id": "at_x", "size": 1})), None);
    }

    #[test]
    fn host_messages_need_our_namespace() {
        for msg in [HostMessage::Open, HostMessage::Close] {
            assert_eq!(host_message(&wire(&Envelope::new(msg.clone()))), Some(msg));
        }
        let identify = HostMessage::Identify(IdentifyRequest {
            id: "user-1".into(),
            name: Some("Joana".into()),
            email: None,
            hash: "ab12".into(),
        });
        let attributes = HostMessage::Attributes {
            attributes: [("plan".to_owned(), "pro".to_owned())].into(),
        };
        for msg in [
            identify,
            attributes,
            HostMessage::Reset,
            HostMessage::Layout { full: true },
            HostMessage::Page {
                url: "https://shop.test/a?order=1#x".into(),
            },
        ] {
            assert_eq!(host_message(&wire(&Envelope::new(msg.clone()))), Some(msg));
        }
        // What a page passes: numbers and booleans become text; anything else drops the call.
        let page = json!({"ns": NAMESPACE, "v": 1, "type": "attributes",
                          "attributes": {"seats": 3, "trial": true, "plan": "pro"}});
        let Some(HostMessage::Attributes { attributes }) = host_message(&page) else {
            panic!("attributes not read");
        };
        assert_eq!(attributes["seats"], "3");
        assert_eq!(attributes["trial"], "true");
        for bad in [
            json!({"ns": NAMESPACE, "v": 1, "type": "attributes", "attributes": {"a": {"b": 1}}}),
            json!({"ns": NAMESPACE, "v": 1, "type": "attributes", "attributes": ["a"]}),
            json!({"ns": NAMESPACE, "v": 1, "type": "identify", "id": "u1"}),
            json!({"ns": NAMESPACE, "v": 1, "type": "identify", "hash": "ab"}),
        ] {
            assert_eq!(host_message(&bad), None, "{bad}");
        }
        let numeric = json!({"ns": NAMESPACE, "v": 1, "type": "identify", "id": 981, "hash": "ab"});
        assert!(matches!(host_message(&numeric), Some(HostMessage::Identify(r)) if r.id == "981"));
        let newer = json!({"ns": NAMESPACE, "v": 2, "type": "shake"});
        assert_eq!(host_message(&newer), Some(HostMessage::Unknown));
        assert_eq!(
            host_message(&json!({"ns": "other", "v": 1, "type": "open"})),
            None
        );
        assert_eq!(host_message(&json!({"type": "open"})), None);
    }

    /// What the widget sends is exactly what the shared types' serde writes.
    #[test]
    fn outgoing_values_encode_as_serde_does() {
        let msgs = [
            ClientMessage::Resume { after_seq: 0 },
            ClientMessage::Resume { after_seq: 77 },
            ClientMessage::SendMessage(SendMessage {
                client_id: "c-1".into(),
                body: Body {
                    text: "hi\n\"there\"".into(),
                    ..Default::default()
                },
            }),
            ClientMessage::SendMessage(SendMessage {
                client_id: "c-2".into(),
                body: msg(2, Author::Visitor).body,
            }),
            ClientMessage::SendMessage(SendMessage {
                client_id: "c-3".into(),
                body: msg(3, Author::Visitor).body,
            }),
            ClientMessage::SendMessage(SendMessage {
                client_id: "c-5".into(),
                body: msg(5, Author::Visitor).body,
            }),
            ClientMessage::SendMessage(SendMessage {
                client_id: "c-6".into(),
                body: msg(6, Author::Visitor).body,
            }),
            ClientMessage::Read { seq: 9 },
            ClientMessage::Typing { on: false },
            ClientMessage::Typing { on: true },
            ClientMessage::Ping,
            ClientMessage::Rate(Rating {
                csat: 5,
                nps: None,
                comment: None,
            }),
            ClientMessage::Rate(Rating {
                csat: 2,
                nps: Some(0),
                comment: Some("Lento \"demais\"".into()),
            }),
        ];
        for msg in msgs {
            for id in [None, Some("c-1".to_owned())] {
                let frame = ClientFrame {
                    id,
                    msg: msg.clone(),
                };
                assert_eq!(client_frame::<Value>(&frame), Some(wire(&frame)));
            }
        }
        let agent_only = ClientFrame {
            id: None,
            msg: ClientMessage::Accept,
        };
        assert_eq!(client_frame::<Value>(&agent_only), None);

        for token in [None, Some("tok".to_owned())] {
            let r = SessionRequest {
                site_id: "demo".into(),
                token,
            };
            assert_eq!(session_request::<Value>(&r), wire(&r));
        }

        let mut p = VisitorProfile::default();
        assert_eq!(visitor_profile::<Value>(&p), wire(&p));
        p.locale = Some("pt-BR".into());
        p.page_url = Some("https://shop.test/a?b=1".into());
        assert_eq!(visitor_profile::<Value>(&p), wire(&p));
        p.name = Some("Ana".into());
        p.email = Some("ana@x.test".into());
        p.attributes.insert("plan".into(), "gold".into());
        assert_eq!(visitor_profile::<Value>(&p), wire(&p));
        p.consent = Some(porchlight_shared::protocol::Consent {
            at: 0,
            privacy_version: "3f2a9c1e".into(),
            locale: "pt-BR".into(),
        });
        assert_eq!(visitor_profile::<Value>(&p), wire(&p));

        let mut who = IdentifyRequest {
            id: "user-1".into(),
            name: None,
            email: None,
            hash: "ab".into(),
        };
        assert_eq!(identify_request::<Value>(&who), wire(&who));
        who.name = Some("Ana".into());
        who.email = Some("ana@x.test".into());
        assert_eq!(identify_request::<Value>(&who), wire(&who));

        let mut frames = vec![
            FrameMessage::Resize { expanded: true },
            FrameMessage::Resize { expanded: false },
            FrameMessage::Ready { returning: true },
            FrameMessage::CloseRequested,
            FrameMessage::Unread { count: 3 },
            FrameMessage::Style {
                color: "#0f766e".into(),
                position: WidgetPosition::Left,
            },
            FrameMessage::Style {
                color: "#2563eb".into(),
                position: WidgetPosition::Right,
            },
        ];
        frames.extend(authors().into_iter().map(|author| FrameMessage::Message {
            seq: 4,
            author,
            text: "t".into(),
        }));
        for m in frames {
            let env = Envelope::new(m);
            assert_eq!(frame_message::<Value>(&env), Some(wire(&env)));
        }
    }
}
