//! The versioned wire protocol between clients (widget, console, outside clients) and the edge.
//!
//! WebSocket frames are flat JSON objects: `{"id": "...", "type": "...", ...fields}` from the
//! client, `{"re": "...", "type": "...", ...fields}` from the server, where `re` repeats the `id`
//! of the request a frame answers. Client messages are imperative (`send_message`), server
//! events are facts (`message_created`). Both enums end in an `Unknown` variant so that a peer
//! newer than us is a value, not a crash. The HTTP bodies reuse the same types.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::lifecycle::{Millis, Status};

/// Version of this protocol; changes only on an incompatible change.
pub const PROTOCOL_VERSION: u16 = 1;
/// The WebSocket subprotocol a client must offer, and the one the edge selects.
pub const SUBPROTOCOL: &str = "porchlight.v1";
/// Prefix of the second offered subprotocol, which carries the bearer token so that tokens never
/// appear in a URL (browsers cannot set headers on a WebSocket).
pub const TOKEN_SUBPROTOCOL_PREFIX: &str = "bearer.";

/// A frame from a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientFrame {
    /// Client-chosen request id; the server's answer carries it back as `re`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The request.
    #[serde(flatten)]
    pub msg: ClientMessage,
}

/// What a client asks the conversation to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Send every item after `after_seq` (0 = from the start). Sent on every (re)connect.
    Resume {
        /// Highest sequence number the client has.
        after_seq: u64,
    },
    /// Post a message to the conversation.
    SendMessage(SendMessage),
    /// The sender started (`true`) or stopped typing.
    Typing {
        /// Typing or not.
        on: bool,
    },
    /// Agents only: accept the New ticket.
    Accept,
    /// Agents only: change the live ticket's status.
    SetStatus {
        /// Requested status.
        to: Status,
    },
    /// Agents only: close the live ticket at once ("finish conversation").
    Finish,
    /// Visitors only: rate the live ticket, once it is Solved and someone replied in it
    /// (answered with `ok`; a second rating replaces the first until the ticket is Closed).
    Rate(Rating),
    /// Keep-alive; answered with `pong`.
    Ping,
    /// The sender has read everything up to and including `seq`.
    Read {
        /// Highest sequence number read.
        seq: u64,
    },
    /// A message type this edge does not know.
    #[serde(other)]
    Unknown,
}

/// A message to post. Also the body of `POST .../messages`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendMessage {
    /// Client-generated id; retrying with the same id never posts twice.
    pub client_id: String,
    /// What the message says.
    pub body: Body,
}

/// A frame from the edge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerFrame {
    /// The `id` of the client frame this answers, if it answers one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub re: Option<String>,
    /// The event.
    #[serde(flatten)]
    pub event: ServerEvent,
}

/// What the edge tells a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerEvent {
    /// First frame on every socket.
    Welcome(Welcome),
    /// Answer to `resume`: the items after the requested sequence, oldest first. When
    /// `complete` is false the client sends `resume` again from the last item.
    Sync {
        /// Missed items, oldest first.
        items: Vec<Item>,
        /// Whether these reach the newest item.
        complete: bool,
    },
    /// A message was stored.
    MessageCreated(Message),
    /// A ticket changed status (also created or closed).
    TicketStatusChanged(StatusChange),
    /// Agents only: an internal note was stored.
    NoteCreated(Message),
    /// A ticket was transferred.
    TicketTransferred(TransferRecord),
    /// A `send_message` was stored (or had been stored before, for a retry).
    Ack {
        /// The client id of the stored message.
        client_id: String,
        /// Its sequence number.
        seq: u64,
    },
    /// Someone else in the conversation started or stopped typing.
    Typing {
        /// Who.
        author: Author,
        /// Typing or not.
        on: bool,
    },
    /// The live ticket after a change; `null` once it is closed.
    TicketUpdated {
        /// The live ticket, if any.
        ticket: Option<TicketView>,
    },
    /// The request with this `re` succeeded (for requests that have no other answer).
    Ok,
    /// Answer to `ping`.
    Pong,
    /// The other side has read everything up to and including `seq`.
    Read {
        /// Who read.
        by: Author,
        /// Highest sequence number they have read.
        seq: u64,
    },
    /// Visitors only: who of the site's team is there changed (an agent came online, or the
    /// last one left). Sent when it changes while the socket is open; the socket's first
    /// `availability` follows its `welcome`.
    Availability {
        /// Whether at least one agent of the site is online now.
        agents_online: bool,
        /// Display names of the agents online now (at most [`MAX_TEAM_SHOWN`]), for the
        /// widget's team card.
        team: Vec<String>,
    },
    /// A request was refused; nothing was stored.
    Error(ErrorBody),
    /// An event type this client does not know.
    #[serde(other)]
    Unknown,
}

/// First frame on a socket: who you are in this conversation and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    /// Protocol version the edge speaks.
    pub protocol: u16,
    /// The conversation this socket is bound to.
    pub conversation_id: String,
    /// Who this socket speaks as.
    pub role: Role,
    /// Highest sequence number stored.
    pub last_seq: u64,
    /// The live ticket, if any.
    pub ticket: Option<TicketView>,
}

/// Who a connection or token speaks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Role {
    /// The conversation's visitor.
    Visitor,
    /// An agent of the conversation's site.
    Agent {
        /// Agent id.
        id: String,
    },
}

impl Role {
    /// The author that messages from this role carry.
    pub fn author(&self) -> Author {
        match self {
            Role::Visitor => Author::Visitor,
            Role::Agent { id } => Author::Agent { id: id.clone() },
        }
    }
}

/// Who wrote a message or made a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Author {
    /// The visitor.
    Visitor,
    /// An agent.
    Agent {
        /// Agent id.
        id: String,
    },
    /// A bot flow.
    Bot {
        /// Flow id.
        id: String,
    },
    /// Porchlight itself (timers, routing).
    System,
}

/// The body of a message. New kinds of content arrive as new optional fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    /// Plain text; always rendered as text, never as HTML. May be empty when the message carries
    /// attachments.
    pub text: String,
    /// Files uploaded to this conversation (`POST /v1/visitor/attachments`) that the message
    /// carries. The edge checks each one and stores its recorded type, size and name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
    /// Quick replies offered with the message (agents and bots only): 1–10 buttons. The
    /// visitor answers with a message whose `reply_to` names this message and one choice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Visitors only: the quick reply this message answers. The edge checks it and stores the
    /// chosen label as the message's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<ReplyTo>,
}

/// One quick-reply button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Id of the choice, unique within its message (an id: 1–64 of `A-Z a-z 0-9 _ -`).
    pub id: String,
    /// What the button says (plain text, 1–80 characters).
    pub label: String,
}

/// The quick reply a visitor's message answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTo {
    /// Sequence number of the message that offered the choices.
    pub seq: u64,
    /// The id of the chosen choice.
    pub choice_id: String,
}

/// A file stored with a conversation: the answer to `POST /v1/visitor/attachments`, and what a
/// message carries. Served by `GET /v1/attachments/{conversation_id}/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRef {
    /// Attachment id, unique within the conversation.
    pub id: String,
    /// Its media type: one of [`ATTACHMENT_TYPES`].
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// The file name the uploader gave, if any; display it as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Media types an attachment may have.
pub const ATTACHMENT_TYPES: [&str; 5] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
];
/// Largest attachment, in bytes (5 MiB).
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;
/// Most attachments one message may carry.
pub const MAX_ATTACHMENTS_PER_MESSAGE: usize = 10;

/// One entry of a conversation's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// A message.
    Message(Message),
    /// A ticket status change.
    StatusChange(StatusChange),
    /// An internal note between agents. Never sent to the visitor.
    Note(Message),
    /// A ticket handed to another agent or department.
    Transfer(TransferRecord),
}

impl Item {
    /// The item's sequence number.
    pub fn seq(&self) -> u64 {
        match self {
            Item::Message(m) | Item::Note(m) => m.seq,
            Item::StatusChange(c) => c.seq,
            Item::Transfer(t) => t.seq,
        }
    }

    /// The ticket the item belongs to.
    pub fn ticket(&self) -> u32 {
        match self {
            Item::Message(m) | Item::Note(m) => m.ticket,
            Item::StatusChange(c) => c.ticket,
            Item::Transfer(t) => t.ticket,
        }
    }

    /// When the server recorded it, ms since the epoch.
    pub fn at(&self) -> Millis {
        match self {
            Item::Message(m) | Item::Note(m) => m.at,
            Item::StatusChange(c) => c.at,
            Item::Transfer(t) => t.at,
        }
    }

    /// Whether the visitor may see it (everything but internal notes).
    pub fn visible_to_visitor(&self) -> bool {
        !matches!(self, Item::Note(_))
    }

    /// The server event that announces this item live.
    pub fn into_event(self) -> ServerEvent {
        match self {
            Item::Message(m) => ServerEvent::MessageCreated(m),
            Item::StatusChange(c) => ServerEvent::TicketStatusChanged(c),
            Item::Note(m) => ServerEvent::NoteCreated(m),
            Item::Transfer(t) => ServerEvent::TicketTransferred(t),
        }
    }
}

/// A recorded transfer: who handed which ticket to whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferRecord {
    /// Per-conversation sequence number.
    pub seq: u64,
    /// Ticket number.
    pub ticket: u32,
    /// Server time, ms since the epoch.
    pub at: Millis,
    /// Who transferred it.
    pub by: Author,
    /// The agent who had it, if any.
    pub from_agent: Option<String>,
    /// The agent it went to, for a transfer to an agent.
    pub to_agent: Option<String>,
    /// The department (skill) it went to, for a transfer to a department.
    pub to_skill: Option<String>,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Per-conversation sequence number, assigned by the server, shared with status changes.
    pub seq: u64,
    /// Number of the ticket that was live when it was sent (1, 2, … within the conversation).
    pub ticket: u32,
    /// Server time, ms since the epoch.
    pub at: Millis,
    /// Who wrote it.
    pub author: Author,
    /// The display name of the agent who wrote it, as their account was named when they wrote
    /// it (e.g. "Alice"): what a visitor is shown instead of the agent's id. Absent for the
    /// visitor's own messages, and for an agent with no name on record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    /// The sender's idempotency id.
    pub client_id: String,
    /// What it says.
    pub body: Body,
}

/// A recorded status change: who, when, from, to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    /// Per-conversation sequence number.
    pub seq: u64,
    /// Ticket number.
    pub ticket: u32,
    /// Server time, ms since the epoch.
    pub at: Millis,
    /// Who caused it (`system` for timers).
    pub by: Author,
    /// Previous status; absent when the ticket was created.
    pub from: Option<Status>,
    /// New status.
    pub to: Status,
}

/// The live ticket as clients see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    /// Ticket number within the conversation.
    pub number: u32,
    /// Current status.
    pub status: Status,
    /// Owning agent, if any.
    pub assignee: Option<String>,
    /// When a Solved ticket closes.
    pub close_at: Option<Millis>,
    /// Whether the visitor may rate it now: it is Solved and an agent or a bot replied in it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rateable: bool,
    /// The visitor's rating of it, once given (changeable until it is Closed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
}

/// A visitor's rating of a ticket: CSAT, and NPS where the site asks it, with an optional
/// comment. Also the body of the visitor's `rate` frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// How satisfied, 1 (very unsatisfied) to 5 (very satisfied).
    pub csat: u8,
    /// How likely to recommend, 0 to 10, when the site asks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<u8>,
    /// What the visitor added in their own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// An error, as an HTTP body (`{"error": {...}}`) and as the data of an `error` frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable code.
    pub code: ErrorCode,
    /// Human-readable explanation.
    pub message: String,
}

/// HTTP error responses wrap the error in an object so that it can grow fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// The error.
    pub error: ErrorBody,
}

/// `POST /v1/visitor/session`: start or resume a visitor's conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRequest {
    /// The site the widget is embedded for.
    pub site_id: String,
    /// A token from an earlier visit, if the visitor has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// `PUT /v1/visitor/profile`: what the widget knows about the visitor, shown to agents and used
/// by routing (the language of `locale` can be a skill a ticket needs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorProfile {
    /// BCP 47 locale of the widget, e.g. `pt-BR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The page the visitor is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// Name the visitor gave (pre-chat form or identify).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email the visitor gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Custom attributes set by the site (`Porchlight.setAttributes`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub attributes: std::collections::BTreeMap<String, String>,
    /// The site's own user id, once verified (`POST /v1/visitor/identify`). Set by the edge
    /// only: ignored in a `PUT /v1/visitor/profile` body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_id: Option<String>,
    /// Whether `verified_id`, `name` and `email` come from a verified identity. Set by the edge
    /// only; an unverified update never overwrites them.
    #[serde(default, skip_serializing_if = "is_false")]
    pub verified: bool,
    /// The visitor's consent to the site's privacy text. In a `PUT /v1/visitor/profile` body:
    /// the version and language of the text the visitor was shown as they ticked the box (`at`
    /// is ignored: the edge records its own time). In the visitor panel: the latest consent on
    /// record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
}

/// A visitor's consent to a site's privacy text, as recorded with the conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// When the edge recorded it, ms since the epoch. Left out of a request (the edge sets it).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub at: Millis,
    /// The [`WidgetConfig::privacy_version`] of the text shown: which text was agreed to.
    pub privacy_version: String,
    /// The language the panel showed it in (BCP 47, e.g. `pt-BR`).
    pub locale: String,
}

/// The version of a privacy text: the first [`PRIVACY_VERSION_LEN`] lower-case hex digits of
/// the SHA-256 of its exact UTF-8 text (the edge computes it, where the text is known).
pub const PRIVACY_VERSION_LEN: usize = 8;

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(v: &Millis) -> bool {
    *v == 0
}

/// `POST /v1/visitor/identify`: a signed-in user of the site, vouched for by the site's server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentifyRequest {
    /// The site's own user id (1–256 characters).
    pub id: String,
    /// The user's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The user's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Lower-case hex of HMAC-SHA256 keyed with the site secret over `id`.
    pub hash: String,
}

/// Where the launcher sits on the page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WidgetPosition {
    /// Bottom left.
    Left,
    /// Bottom right.
    #[default]
    Right,
}

/// A field the pre-chat form asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrechatField {
    /// The visitor's name.
    Name,
    /// Their email.
    Email,
    /// Their phone number.
    Phone,
    /// A field this client does not know (a newer edge).
    #[serde(other)]
    Unknown,
}

/// `GET /v1/visitor/config?site_id=...`: how the site's widget looks and behaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetConfig {
    /// The site.
    pub site_id: String,
    /// Accent colour, `#rrggbb`.
    pub color: String,
    /// Launcher position.
    pub position: WidgetPosition,
    /// Shown when no agent is online (plain text; may be empty).
    pub away_message: String,
    /// Expected wait, e.g. "We usually reply in a few minutes" (plain text; may be empty).
    pub expected_wait: String,
    /// The site's privacy notice shown with the consent checkbox (plain text; may be empty).
    pub privacy_text: String,
    /// Whether the visitor must consent before anything is stored or connected.
    pub consent_required: bool,
    /// The version of `privacy_text` (see [`PRIVACY_VERSION_LEN`]): a consent names it.
    #[serde(default)]
    pub privacy_version: String,
    /// Whether the page address the widget reports keeps its query string and fragment (the
    /// site opted in); by default only the scheme, host and path are sent.
    #[serde(default)]
    pub page_url_query: bool,
    /// Fields of the pre-chat form, in order; empty for no form.
    pub prechat_fields: Vec<PrechatField>,
    /// Whether at least one agent of the site is online now.
    pub agents_online: bool,
    /// Display names of the agents online now (at most [`MAX_TEAM_SHOWN`]; no ids, no emails).
    #[serde(default)]
    pub team: Vec<String>,
    /// The site's greeting for this visitor's language (plain text); empty for the widget's own.
    #[serde(default)]
    pub welcome: String,
    /// Whether a solved ticket's rating also asks NPS (0–10) after CSAT.
    #[serde(default)]
    pub nps: bool,
    /// The site's CSAT question in this visitor's language; empty: the widget's own.
    #[serde(default)]
    pub csat_question: String,
    /// The site's NPS question in this visitor's language; empty: the widget's own.
    #[serde(default)]
    pub nps_question: String,
}

/// Most agent names the widget is told about (the team card shows this many at most).
pub const MAX_TEAM_SHOWN: usize = 5;

impl VisitorProfile {
    /// The language part of the locale (`pt` for `pt-BR`), lower case.
    pub fn language(&self) -> Option<String> {
        let lang = self.locale.as_deref()?.split(['-', '_']).next()?.trim();
        (!lang.is_empty()).then(|| lang.to_ascii_lowercase())
    }

    /// This profile updated by `update` (`PUT /v1/visitor/profile`): the fields `update` has
    /// replace the stored ones, the ones it leaves out stay; attributes merge name by name, and
    /// an empty value removes one. `verified` and `verified_id` are never taken from an update,
    /// and once the identity is verified neither are `name` and `email`.
    pub fn updated(mut self, update: VisitorProfile) -> VisitorProfile {
        // A consent is recorded apart, with the edge's time: never taken from an update.
        self.locale = update.locale.or(self.locale);
        self.page_url = update.page_url.or(self.page_url);
        if !self.verified {
            self.name = update.name.or(self.name);
            self.email = update.email.or(self.email);
        }
        for (name, value) in update.attributes {
            if value.is_empty() {
                self.attributes.remove(&name);
            } else {
                self.attributes.insert(name, value);
            }
        }
        self
    }
}

/// Answer to `POST /v1/visitor/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionResponse {
    /// Signed token bound to this site and conversation; sent as a bearer token.
    pub token: String,
    /// The visitor's conversation.
    pub conversation_id: String,
    /// Whether the token passed in was valid and kept (a returning visitor).
    pub resumed: bool,
}

/// A page of history, newest first (`GET .../history?before=SEQ&limit=N`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPage {
    /// Items, newest first.
    pub items: Vec<Item>,
    /// Pass as `before` to get the next (older) page; absent on the oldest page.
    pub next_before: Option<u64>,
}

/// Answer to `GET /v1/visitor/unread?after=SEQ`: how many of the site's messages (agents', the
/// system's) came after `SEQ`, counted up to [`MAX_UNREAD`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnreadCount {
    /// The count, at most [`MAX_UNREAD`] (the launcher's badge shows "9+" above nine).
    pub count: u32,
}

/// Where [`UnreadCount`] stops counting.
pub const MAX_UNREAD: u32 = 99;

/// Answer to `POST .../messages`: the stored message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageAccepted {
    /// The message as stored (the earlier one, for a retried client id).
    pub message: Message,
    /// Whether the client id had been stored before (nothing new was written).
    pub duplicate: bool,
}

/// `GET /v1/agent/conversations/{id}/visitor`: the visitor panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorPanel {
    /// The conversation.
    pub conversation_id: String,
    /// What the widget reported.
    pub profile: VisitorProfile,
    /// Every ticket of the conversation, newest first.
    pub tickets: Vec<TicketView>,
}

/// Answer to `POST /v1/agent/conversations/{id}/notes`: the stored note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteAccepted {
    /// The note as stored (the earlier one, for a retried client id).
    pub note: Message,
    /// Whether the client id had been stored before.
    pub duplicate: bool,
}

/// `POST /v1/agent/conversations/{id}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetStatusRequest {
    /// Requested status.
    pub to: Status,
}

/// The conversation's live ticket after an agent action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketState {
    /// The conversation.
    pub conversation_id: String,
    /// Its live ticket; `null` once closed.
    pub ticket: Option<TicketView>,
}

/// One row of `GET /v1/agent/tickets`: a live ticket of the agent's site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSummary {
    /// The conversation.
    pub conversation_id: String,
    /// Ticket number within it.
    pub number: u32,
    /// Current status.
    pub status: Status,
    /// Owning agent, if any.
    pub assignee: Option<String>,
    /// Last change, ms since the epoch.
    pub updated_at: Millis,
}

/// Answer to `GET /v1/agent/tickets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketList {
    /// Live tickets, most recently changed first.
    pub tickets: Vec<TicketSummary>,
}
