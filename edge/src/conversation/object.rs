//! The `Conversation` Durable Object: one per (site, visitor). It owns the conversation's history,
//! its live sockets and its tickets. Every handler reads the same way: decode, call the pure
//! lifecycle, persist, then send what it returned.
//!
//! The router reaches it through its typed client ([`super::client`]): internal requests
//! (`https://conversation/<action>`) that carry the already-verified caller in the
//! `x-porchlight-ctx` header; nothing else can reach an object.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use porchlight_shared::console::{InboxTicket, Transfer};
use porchlight_shared::lifecycle::{decide, Event, LifecycleError};
use porchlight_shared::protocol::{
    Author, ClientFrame, ClientMessage, Consent, HistoryPage, IdentifyRequest, Item, Message,
    MessageAccepted, NoteAccepted, Rating, Role, SendMessage, ServerEvent, ServerFrame,
    SetStatusRequest, TicketState, TicketView, TransferRecord, VisitorPanel, VisitorProfile,
    Welcome, PROTOCOL_VERSION, SUBPROTOCOL,
};
use porchlight_shared::records::query::Channel;
use porchlight_shared::validate::{self, MAX_FRAME_BYTES};
use porchlight_shared::{ConversationStyle, ErrorCode, Millis, Status};
use serde::{Deserialize, Serialize};
use worker::{
    durable_object, js_sys, Date, DurableObject, Env, Headers, Method, Request, Response, Result,
    ScheduledTime, State, Storage, WebSocket, WebSocketIncomingMessage, WebSocketPair,
};

use super::client::{Ctx, Listening, CTX_HEADER};
use super::feed::{Feed, Visitor};
use super::plan::plan;
use super::reports::{Next, Reports};
use super::store::{Head, Live, Meta, Routing, Store};
use crate::d1::records;
use crate::d1::sites::{self, IndexRow};
use crate::error::{EdgeError, EdgeResult};
use crate::team::client::{Availability, TicketReport};
use crate::team::TeamClient;

/// Most items sent in one `sync` frame.
const SYNC_BATCH: u32 = 200;
/// Metadata key: the highest sequence number whose effects the records index has.
const FEED_SEQ: &str = "feed_seq";
/// Metadata key: the visitor's details as the records index's documents last had them.
const FEED_DETAILS: &str = "feed_details";
/// How long a socket request may use the site's style without reading it again from D1.
const STYLE_TTL: Millis = 30_000;

/// What a hibernating socket remembers about itself. Kept small: it is serialised with the
/// socket.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Session {
    role: Role,
    /// An agent's display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    site_id: String,
    conversation_id: String,
    /// An agent who may finish only a ticket assigned to them.
    #[serde(default)]
    own_tickets_only: bool,
}

/// What a change produced: items to announce and the live ticket afterwards.
struct Changed {
    items: Vec<Item>,
    live: Option<Live>,
    ticket_changed: bool,
}

/// One conversation between a visitor and a site.
// Crate-visible: the runtime finds the class by its wasm-bindgen export, and the macro's
// generated glue (constructor, `fetch`) would otherwise be public items without docs.
#[durable_object]
pub(crate) struct Conversation {
    state: State,
    env: Env,
    store: RefCell<Option<Store>>,
    /// What every message needs of the store, once read (`None`: read it at the next use).
    head: RefCell<Option<Head>>,
    /// The site's style and when it was read: socket frames do not carry it.
    style: RefCell<Option<(ConversationStyle, bool, Millis)>>,
    /// Reports for the site's team object not sent yet (see [`Conversation::report_ticket`]).
    reports: Rc<RefCell<Reports>>,
    /// The records index's feed: what D1 has not been told yet ([`Feed`]).
    feed: RefCell<Feed>,
}

impl DurableObject for Conversation {
    fn new(state: State, env: Env) -> Self {
        let store = match Store::open(state.storage().sql()) {
            Ok(s) => Some(s),
            Err(e) => {
                worker::console_error!("conversation storage unavailable: {e}");
                None
            }
        };
        Conversation {
            state,
            env,
            store: RefCell::new(store),
            head: RefCell::new(None),
            style: RefCell::new(None),
            reports: Rc::default(),
            feed: RefCell::default(),
        }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        match self.route(req).await {
            Ok(resp) => Ok(resp),
            Err(e) => e.response(),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        if let Err(e) = self.on_alarm().await {
            worker::console_error!("alarm failed: {e}");
            // Retry soon rather than leave a Solved ticket open past its window.
            self.state
                .storage()
                .set_alarm(ScheduledTime::from(5_000_i64))
                .await?;
        }
        Response::ok("")
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> Result<()> {
        let reply = self.on_frame(&ws, message).await;
        if let Err((re, e)) = reply {
            worker::console_warn!("socket request refused: {e}");
            send(&ws, &e.to_frame(re));
        }
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        code: usize,
        _reason: String,
        _clean: bool,
    ) -> Result<()> {
        // Hibernation keeps the socket half-open until we close our side too.
        let code = if code == 1005 || code == 1006 {
            1000
        } else {
            code as u16
        };
        let _ = ws.close(Some(code), Some("closing"));
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, error: worker::Error) -> Result<()> {
        worker::console_warn!("socket error: {error}");
        let _ = ws.close(Some(1011), Some("error"));
        Ok(())
    }
}

impl Conversation {
    /// Runs `f` on the store. What it writes is not reflected in the [`Head`], which is read
    /// again at its next use.
    fn with_store<T>(&self, f: impl FnOnce(&Store) -> EdgeResult<T>) -> EdgeResult<T> {
        let guard = self.store.borrow();
        let store = guard
            .as_ref()
            .ok_or_else(|| EdgeError::internal("storage", "not open"))?;
        let out = f(store);
        self.head.replace(None);
        out
    }

    /// Runs `f` on the store, for reads and for writes the [`Head`] does not hold (read
    /// markers): the head stays as it is.
    fn reading<T>(&self, f: impl FnOnce(&Store) -> EdgeResult<T>) -> EdgeResult<T> {
        self.with_head(|s, _| f(s))
    }

    /// Runs `f` on the store and the [`Head`] (read first if need be), which `f` keeps in step
    /// with what it writes. If `f` fails, the head is read again at its next use.
    fn with_head<T>(&self, f: impl FnOnce(&Store, &mut Head) -> EdgeResult<T>) -> EdgeResult<T> {
        let guard = self.store.borrow();
        let store = guard
            .as_ref()
            .ok_or_else(|| EdgeError::internal("storage", "not open"))?;
        let mut slot = self.head.borrow_mut();
        let head = match slot.as_mut() {
            Some(h) => h,
            None => slot.insert(store.head()?),
        };
        let out = f(store, head);
        if out.is_err() {
            *slot = None;
        }
        out
    }

    async fn route(&self, mut req: Request) -> EdgeResult<Response> {
        if (req.method(), req.path().as_str()) == (Method::Post, "/availability") {
            // From the site's team object, which knows no caller context.
            let now: Availability = serde_json::from_slice(&req.bytes().await?)
                .map_err(|e| EdgeError::internal("availability", e))?;
            let listening = self.tell_visitor(&now);
            return json(&Listening { listening });
        }
        let ctx: Ctx = req
            .headers()
            .get(CTX_HEADER)?
            .and_then(|h| serde_json::from_str(&h).ok())
            .ok_or_else(|| EdgeError::internal("object request", "missing context"))?;
        let meta = self.identify(&ctx)?;
        let now = now();
        self.style
            .replace(Some((ctx.style, ctx.route_by_language, now)));
        let path = req.path();
        match (req.method(), path.as_str()) {
            (Method::Get, "/ws") => {
                #[derive(Deserialize)]
                struct Q {
                    after_seq: Option<u64>,
                    watch: Option<u8>,
                }
                // The router has checked it already.
                let q: Q = req.query().map_err(|_| {
                    EdgeError::new(ErrorCode::InvalidField, "after_seq must be a whole number")
                })?;
                self.accept_socket(&ctx, &meta, q.after_seq, q.watch == Some(1))
            }
            (Method::Get, "/history") => {
                #[derive(Deserialize)]
                struct Q {
                    before: Option<u64>,
                    limit: Option<u32>,
                }
                let q: Q = req.query().map_err(|_| {
                    EdgeError::new(
                        ErrorCode::InvalidField,
                        "before and limit must be whole numbers",
                    )
                })?;
                let limit = validate::page_size(q.limit);
                let agent = ctx.role != Role::Visitor;
                let items = self.reading(|s| s.before(q.before, limit, agent))?;
                let next_before = items
                    .last()
                    .filter(|_| items.len() == limit as usize)
                    .map(Item::seq)
                    .filter(|seq| *seq > 1);
                json(&HistoryPage { items, next_before })
            }
            (Method::Get, "/transcript") => {
                // The whole history, read a batch at a time; notes only for agents.
                let agent = ctx.role != Role::Visitor;
                let record = self.reading(|s| {
                    Ok(super::transcript::Record {
                        items: s.all_after(0, agent)?,
                        tickets: s.all_tickets()?,
                        consent: s.consent()?,
                    })
                })?;
                json(&record)
            }
            (Method::Get, "/unread") => {
                // The router has checked it already.
                let after = super::unread::after_param(&req)?;
                let count = self.reading(|s| {
                    super::unread::count_unread(after, SYNC_BATCH as usize, |a| {
                        s.after(a, SYNC_BATCH, false)
                    })
                })?;
                json(&porchlight_shared::protocol::UnreadCount { count })
            }
            (Method::Get, "/ticket") => json(&self.ticket_state(&meta)?),
            (Method::Post, "/messages") => {
                let msg: SendMessage = serde_json::from_slice(&req.bytes().await?)
                    .map_err(|e| EdgeError::new(ErrorCode::BadJson, e.to_string()))?;
                let (message, duplicate) = self.post(&ctx, &meta, msg, Channel::Api, now).await?;
                json(&MessageAccepted { message, duplicate })
            }
            (Method::Post, "/accept") => self.accept(&ctx, &meta, now).await,
            (Method::Post, "/notes") => {
                let msg: SendMessage = serde_json::from_slice(&req.bytes().await?)
                    .map_err(|e| EdgeError::new(ErrorCode::BadJson, e.to_string()))?;
                let (note, duplicate) = self.note(&ctx, &meta, msg, now).await?;
                json(&NoteAccepted { note, duplicate })
            }
            (Method::Post, "/transfer") => {
                let to: Transfer = serde_json::from_slice(&req.bytes().await?)
                    .map_err(|e| EdgeError::new(ErrorCode::BadJson, e.to_string()))?;
                self.transfer(&ctx, &meta, to, now).await
            }
            (Method::Get, "/visitor") => json(&VisitorPanel {
                conversation_id: meta.conversation_id.clone(),
                profile: self.profile_with_consent()?,
                tickets: self.reading(|s| s.all_tickets())?,
            }),
            (Method::Put, "/profile") => {
                let mut update: VisitorProfile = serde_json::from_slice(&req.bytes().await?)
                    .map_err(|e| EdgeError::new(ErrorCode::BadJson, e.to_string()))?;
                // A consent goes on record with the edge's time, whatever the client said.
                let consent = update.consent.take().map(|c| Consent { at: now, ..c });
                let profile = self.profile()?.updated(update);
                // Kept apart from the identity: the conversation itself starts with the first
                // message, so agents cannot open it before the visitor writes.
                self.with_store(|s| {
                    if let Some(c) = &consent {
                        s.record_consent(c)?;
                    }
                    Ok(())
                })?;
                self.save_profile(&profile, now)?;
                Ok(Response::empty()?.with_status(204))
            }
            (Method::Put, "/identity") => {
                // Sent by the router only after the site's HMAC of the id was checked.
                let who: IdentifyRequest = serde_json::from_slice(&req.bytes().await?)
                    .map_err(|e| EdgeError::new(ErrorCode::BadJson, e.to_string()))?;
                let mut profile = self.profile()?;
                let same_user = profile.verified && profile.verified_id.as_deref() == Some(&who.id);
                if !same_user {
                    // A verified identity replaces whatever was there, never merges with it.
                    profile.name = None;
                    profile.email = None;
                }
                profile.name = who.name.or(profile.name);
                profile.email = who.email.or(profile.email);
                profile.verified_id = Some(who.id);
                profile.verified = true;
                self.save_profile(&profile, now)?;
                json(&profile)
            }
            (Method::Post, "/finish") => {
                self.agent_event(&ctx, &meta, |_| Event::Finish, now).await
            }
            (Method::Post, "/status") => {
                let body: SetStatusRequest = serde_json::from_slice(&req.bytes().await?)
                    .map_err(|e| EdgeError::new(ErrorCode::BadJson, e.to_string()))?;
                self.agent_event(
                    &ctx,
                    &meta,
                    |agent| Event::SetStatus { agent, to: body.to },
                    now,
                )
                .await
            }
            _ => Err(EdgeError::new(
                ErrorCode::NotFound,
                "no such conversation action",
            )),
        }
    }

    /// Checks that the caller may use this object. Nothing is stored until the visitor's first
    /// message: a visitor who never writes leaves no trace, and agents cannot create objects.
    fn identify(&self, ctx: &Ctx) -> EdgeResult<Meta> {
        let wanted = Meta {
            site_id: ctx.site_id.clone(),
            conversation_id: ctx.conversation_id.clone(),
        };
        match self.with_head(|_, head| Ok(head.meta.clone()))? {
            Some(meta) if meta == wanted => Ok(meta),
            Some(_) => Err(EdgeError::internal("object identity", "mismatch")),
            None if ctx.role == Role::Visitor => Ok(wanted),
            None => Err(EdgeError::new(ErrorCode::NotFound, "no such conversation")),
        }
    }

    fn ticket_state(&self, meta: &Meta) -> EdgeResult<TicketState> {
        Ok(TicketState {
            conversation_id: meta.conversation_id.clone(),
            ticket: self.with_head(|_, head| Ok(head.live.as_ref().map(Live::view)))?,
        })
    }

    /// Accepts a socket and sends `welcome`; with `after_seq` (from the upgrade URL), also every
    /// item after it, in `sync` frames up to one that is `complete`.
    ///
    /// A visitor's `watch` socket (the unread frame's, on a page where the chat is not open) gets
    /// what the visitor's sockets get except availability, and does not make the team watch
    /// this conversation: it only counts replies.
    ///
    /// Nothing here awaits between accepting the socket, reading the store and sending: the
    /// object runs one event at a time, so no broadcast can fall between them. The socket
    /// therefore gets every item after `after_seq` exactly in order: first from `sync`, then
    /// live. A client that names the highest `seq` it has cannot miss one.
    fn accept_socket(
        &self,
        ctx: &Ctx,
        meta: &Meta,
        after_seq: Option<u64>,
        watch: bool,
    ) -> EdgeResult<Response> {
        let pair = WebSocketPair::new()?;
        let tag = match ctx.role {
            Role::Visitor if watch => "watch",
            Role::Visitor => "visitor",
            Role::Agent { .. } => "agent",
        };
        self.state.accept_websocket_with_tags(&pair.server, &[tag]);
        pair.server.serialize_attachment(Session {
            role: ctx.role.clone(),
            name: ctx.name.clone(),
            own_tickets_only: ctx.own_tickets_only,
            site_id: meta.site_id.clone(),
            conversation_id: meta.conversation_id.clone(),
        })?;
        let (last_seq, live) = self.with_head(|_, head| Ok((head.last_seq, head.live.clone())))?;
        send(
            &pair.server,
            &frame(
                None,
                ServerEvent::Welcome(Welcome {
                    protocol: PROTOCOL_VERSION,
                    conversation_id: meta.conversation_id.clone(),
                    role: ctx.role.clone(),
                    last_seq,
                    ticket: live.map(|l| l.view()),
                }),
            ),
        );
        if let Some(mut after) = after_seq {
            let agent = ctx.role != Role::Visitor;
            loop {
                let items = self.reading(|s| s.after(after, SYNC_BATCH, agent))?;
                let complete = items.len() < SYNC_BATCH as usize;
                after = items.last().map(Item::seq).unwrap_or(after);
                send(
                    &pair.server,
                    &frame(None, ServerEvent::Sync { items, complete }),
                );
                if complete {
                    break;
                }
            }
        }
        if tag == "visitor" {
            // The team tells this object when availability changes while the visitor is
            // connected; it answers with how it stands now, which the socket gets at once.
            let env = self.env.clone();
            let site = meta.site_id.clone();
            let conversation = meta.conversation_id.clone();
            let ws = pair.server.clone();
            worker::wasm_bindgen_futures::spawn_local(async move {
                match TeamClient::site(&env, &site).watch(&conversation).await {
                    Ok(now) => send(&ws, &frame(None, availability_event(&now))),
                    Err(e) => worker::console_error!("availability not watched: {e}"),
                }
            });
        }
        let headers = Headers::new();
        headers.set("Sec-WebSocket-Protocol", SUBPROTOCOL)?;
        Ok(Response::from_websocket(pair.client)?.with_headers(headers))
    }

    async fn on_frame(
        &self,
        ws: &WebSocket,
        message: WebSocketIncomingMessage,
    ) -> std::result::Result<(), (Option<String>, EdgeError)> {
        let text = match message {
            WebSocketIncomingMessage::String(t) => t,
            WebSocketIncomingMessage::Binary(_) => {
                return Err((
                    None,
                    EdgeError::new(ErrorCode::InvalidUtf8, "frames must be UTF-8 JSON text"),
                ))
            }
        };
        // The runtime has already decoded the frame, with U+FFFD for bytes that were not UTF-8:
        // that character is all the edge can see of them (docs/API.md, "Frames").
        if !validate::frame_text_is_clean(&text) {
            return Err((
                None,
                EdgeError::new(
                    ErrorCode::InvalidUtf8,
                    "the frame is not valid UTF-8 (or holds U+FFFD unescaped; write it as \\ufffd)",
                ),
            ));
        }
        if text.len() > MAX_FRAME_BYTES {
            return Err((
                None,
                EdgeError::new(
                    ErrorCode::TooLarge,
                    format!("frames are limited to {MAX_FRAME_BYTES} bytes"),
                ),
            ));
        }
        // Decoded once; only a frame that does not decode is read again, for its id.
        let frame_in: ClientFrame = serde_json::from_str(&text).map_err(|_| refused(&text))?;
        let re = frame_in.id.clone();
        let session: Session = ws
            .deserialize_attachment()
            .ok()
            .flatten()
            .ok_or_else(|| (re.clone(), EdgeError::internal("socket", "no session")))?;
        self.on_request(ws, session, frame_in)
            .await
            .map_err(|e| (re, e))
    }

    async fn on_request(
        &self,
        ws: &WebSocket,
        session: Session,
        req: ClientFrame,
    ) -> EdgeResult<()> {
        let meta = Meta {
            site_id: session.site_id.clone(),
            conversation_id: session.conversation_id.clone(),
        };
        let role = session.role.clone();
        let re = req.id;
        let now = now();
        match req.msg {
            ClientMessage::Resume { after_seq } => {
                let agent = role != Role::Visitor;
                let items = self.reading(|s| s.after(after_seq, SYNC_BATCH, agent))?;
                let complete = items.len() < SYNC_BATCH as usize;
                send(ws, &frame(re, ServerEvent::Sync { items, complete }));
            }
            ClientMessage::SendMessage(msg) => {
                let ctx = self.ctx_for(&meta, &session, now).await?;
                let (message, _) = self.post(&ctx, &meta, msg, Channel::Widget, now).await?;
                send(
                    ws,
                    &frame(
                        re,
                        ServerEvent::Ack {
                            client_id: message.client_id,
                            seq: message.seq,
                        },
                    ),
                );
            }
            ClientMessage::Typing { on } => {
                let author = role.author();
                self.relay_to_other_side(ws, &role, ServerEvent::Typing { author, on });
            }
            ClientMessage::Accept => {
                let ctx = self.ctx_for(&meta, &session, now).await?;
                self.accept(&ctx, &meta, now).await?;
                send(ws, &frame(re, ServerEvent::Ok));
            }
            ClientMessage::SetStatus { .. } | ClientMessage::Finish => {
                let ctx = self.ctx_for(&meta, &session, now).await?;
                let msg = req.msg;
                self.agent_event(
                    &ctx,
                    &meta,
                    move |agent| match msg {
                        ClientMessage::SetStatus { to } => Event::SetStatus { agent, to },
                        ClientMessage::Finish => Event::Finish,
                        _ => Event::Accept { agent },
                    },
                    now,
                )
                .await?;
                send(ws, &frame(re, ServerEvent::Ok));
            }
            ClientMessage::Rate(rating) => {
                self.rate(&meta, &role, rating, now).await?;
                send(ws, &frame(re, ServerEvent::Ok));
            }
            ClientMessage::Ping => send(ws, &frame(re, ServerEvent::Pong)),
            ClientMessage::Read { seq } => {
                let key = match role {
                    Role::Visitor => "read/visitor".to_owned(),
                    Role::Agent { ref id } => format!("read/agent/{id}"),
                };
                let raised = self.reading(|s| {
                    if seq > s.last_seq()? {
                        return Err(EdgeError::new(
                            ErrorCode::InvalidField,
                            "seq is past the newest item",
                        ));
                    }
                    let before = s
                        .meta_value(&key)?
                        .and_then(|v| v.parse::<u64>().ok())
                        .unwrap_or(0);
                    if seq > before {
                        s.set_meta_value(&key, &seq.to_string())?;
                    }
                    Ok(seq > before)
                })?;
                if raised {
                    let by = role.author();
                    self.relay_to_other_side(ws, &role, ServerEvent::Read { by, seq });
                }
                send(ws, &frame(re, ServerEvent::Ok));
            }
            ClientMessage::Unknown => {
                return Err(EdgeError::new(
                    ErrorCode::UnknownType,
                    "unknown message type",
                ))
            }
        }
        Ok(())
    }

    /// Sockets do not carry the site's style (an admin may change it while they are open): use
    /// the one last seen if it is fresh, else read it.
    async fn ctx_for(&self, meta: &Meta, session: &Session, now: Millis) -> EdgeResult<Ctx> {
        let cached = *self.style.borrow();
        let (style, route_by_language) = match cached {
            Some((style, by_lang, at)) if now - at < STYLE_TTL => (style, by_lang),
            _ => {
                let site = sites::load_site(&self.env, &meta.site_id).await?;
                self.style
                    .replace(Some((site.style, site.route_by_language, now)));
                (site.style, site.route_by_language)
            }
        };
        Ok(Ctx {
            site_id: meta.site_id.clone(),
            conversation_id: meta.conversation_id.clone(),
            role: session.role.clone(),
            name: session.name.clone(),
            own_tickets_only: session.own_tickets_only,
            style,
            route_by_language,
        })
    }

    /// Stores a message (once per client id), moving the ticket as the lifecycle says, then
    /// announces it. `channel` is how it came (the widget's socket, or the HTTP API): a ticket
    /// the visitor starts keeps it for the records index.
    async fn post(
        &self,
        ctx: &Ctx,
        meta: &Meta,
        msg: SendMessage,
        channel: Channel,
        now: Millis,
    ) -> EdgeResult<(Message, bool)> {
        let author = ctx.role.author();
        validate::message_from(&author, &msg)?;
        let client_key = format!("{}:{}", author_key(&author), msg.client_id);
        if let Some(Item::Message(existing)) =
            self.with_head(|s, _| s.by_client_key(&client_key))?
        {
            return Ok((existing, true));
        }
        let mut msg = msg;
        if let Some(reply) = &msg.body.reply_to {
            // An answer names a message of this conversation that offered that choice; what is
            // stored is the choice's label.
            let offered = match self.with_head(|s, _| s.at(reply.seq, false))? {
                Some(Item::Message(m)) => m.body,
                _ => {
                    return Err(EdgeError::new(
                        ErrorCode::InvalidField,
                        format!(
                            "reply_to.seq {} is not a message of this conversation",
                            reply.seq
                        ),
                    ))
                }
            };
            let label = validate::answer(&offered, reply)?.label.clone();
            msg.body.text = label;
        }
        crate::attachments::check(&self.env, &meta.site_id, &meta.conversation_id, &mut msg)
            .await?;
        // Everything from reading the live ticket to writing the message runs without an await,
        // so no other event can interleave, the sequence stays gap-free, and the writes are one
        // transaction. A message to a live ticket that does not move reads only its client key.
        let mut reported = None;
        let (changed, message, report) = self.with_head(|s, head| {
            if head.meta.is_none() {
                s.set_meta(meta)?;
                head.meta = Some(meta.clone());
            }
            let live = head.live.clone();
            let event = match (&ctx.role, &live) {
                (Role::Visitor, _) => Some(Event::VisitorMessage),
                (Role::Agent { .. }, None) => {
                    return Err(EdgeError::new(
                        ErrorCode::NoLiveTicket,
                        "the conversation has no live ticket to reply on",
                    ))
                }
                // A Solved ticket past its window is closed, even if its alarm has not run yet.
                (Role::Agent { .. }, Some(l)) if l.ticket.close_at.is_some_and(|at| at <= now) => {
                    return Err(EdgeError::new(
                        ErrorCode::NoLiveTicket,
                        "the ticket has closed; the visitor's next message starts a new one",
                    ))
                }
                // Replying to a New ticket accepts it, as in every helpdesk.
                (Role::Agent { id }, Some(l)) if l.ticket.status == Status::New => {
                    Some(Event::Accept { agent: id.clone() })
                }
                (Role::Agent { .. }, Some(_)) => None,
            };
            // The agent answering a reopened ticket has it again: it no longer waits.
            if let (Role::Agent { id }, Some(l)) = (&ctx.role, &live) {
                let r = &mut head.routing;
                if r.waiting_since.is_some() && l.ticket.assignee.as_deref() == Some(id.as_str()) {
                    r.waiting_since = None;
                    s.set_routing(l.number, r)?;
                    reported = Some(l.number);
                }
            }
            let changed = match event {
                Some(ev) => {
                    let lang = language(&head.profile, ctx);
                    let last = (head.last_ticket, head.last_seq);
                    self.apply_in(s, last, live, &author, &ev, &ctx.style, lang, now)?
                }
                None => Changed {
                    items: vec![],
                    live,
                    ticket_changed: false,
                },
            };
            let moved = !changed.items.is_empty() || changed.ticket_changed;
            if channel != Channel::Widget {
                let created = changed.items.iter().find_map(|i| match i {
                    Item::StatusChange(c) if c.from.is_none() => Some(c.ticket),
                    _ => None,
                });
                if let Some(number) = created {
                    s.set_channel(number, channel)?;
                }
            }
            let ticket = changed.live.as_ref().map(|l| l.number).unwrap_or(0);
            let message = Message {
                seq: head.last_seq + changed.items.len() as u64 + 1,
                ticket,
                at: now,
                author: author.clone(),
                author_name: ctx.name.clone().filter(|_| ctx.role != Role::Visitor),
                client_id: msg.client_id.clone(),
                body: msg.body.clone(),
            };
            s.insert_item(&Item::Message(message.clone()), Some(&client_key))?;
            if ctx.role == Role::Visitor {
                let preview = porchlight_shared::console::body_preview(&msg.body);
                s.set_meta_value("preview", &preview)?;
                head.preview = Some(preview);
                reported = changed.live.as_ref().map(|l| l.number);
            }
            if moved {
                // The plan numbered a created ticket after the last one; its routing (language,
                // waiting since) was written by `apply_in`, and is read back.
                if let Some(l) = &changed.live {
                    head.last_ticket = head.last_ticket.max(l.number);
                    head.routing = s.routing(l.number)?;
                } else {
                    head.routing = Routing::default();
                }
                head.live = changed.live.clone();
            }
            // The first answer in a ticket makes it one the visitor rates once it is solved.
            if matches!(author, Author::Agent { .. } | Author::Bot { .. }) {
                if let Some(l) = head
                    .live
                    .as_mut()
                    .filter(|l| l.number == ticket && !l.replied)
                {
                    s.set_replied(l.number)?;
                    l.replied = true;
                }
            }
            head.last_seq = message.seq;
            // The team hears of the ticket from what is at hand (a moved ticket is reported by
            // `publish`).
            let report = reported
                .filter(|_| !changed.ticket_changed)
                .and_then(|number| report_live(head, meta, number, now));
            Ok((changed, message, report))
        })?;
        let mut items = changed.items.clone();
        items.push(Item::Message(message.clone()));
        let changed = Changed { items, ..changed };
        // Announced before anything is awaited, so sockets get messages in sequence order.
        self.publish(meta, changed, now).await;
        if let Some(report) = report {
            self.queue_report(meta, report);
        }
        Ok((message, false))
    }

    /// The visitor rates the live ticket: only a Solved one that an agent or a bot answered,
    /// again as often as they like until it closes. Stored with the ticket, announced to every
    /// socket (`ticket_updated`), and written to the ticket's record.
    async fn rate(
        &self,
        meta: &Meta,
        role: &Role,
        mut rating: Rating,
        now: Millis,
    ) -> EdgeResult<()> {
        if *role != Role::Visitor {
            return Err(EdgeError::new(
                ErrorCode::Forbidden,
                "only the visitor rates a ticket",
            ));
        }
        validate::rating(&mut rating)?;
        let live = self.with_head(|s, head| {
            let Some(live) = head.live.as_mut() else {
                return Err(EdgeError::new(
                    ErrorCode::NoLiveTicket,
                    "the conversation has no ticket to rate",
                ));
            };
            if !live.rateable() {
                return Err(EdgeError::new(
                    ErrorCode::InvalidTransition,
                    "a ticket is rated once it is solved and someone answered in it",
                ));
            }
            s.set_rating(live.number, &rating, now)?;
            live.rating = Some(rating.clone());
            Ok(live.clone())
        })?;
        self.broadcast(
            &frame(
                None,
                ServerEvent::TicketUpdated {
                    ticket: Some(live.view()),
                },
            ),
            None,
            None,
        );
        // The record's CSAT and NPS (the feed keeps what the index has). A ticket is rated well
        // after its row was first written; should this fail, the rating stays with the ticket.
        let statement = records::rating(&meta.site_id, &meta.conversation_id, live.number, &rating);
        if let Err(e) = records::run_batch(&self.env, &[statement]).await {
            worker::console_error!("rating not recorded: {e}");
        }
        Ok(())
    }

    async fn agent_event(
        &self,
        ctx: &Ctx,
        meta: &Meta,
        event: impl FnOnce(String) -> Event,
        now: Millis,
    ) -> EdgeResult<Response> {
        let Role::Agent { id } = &ctx.role else {
            return Err(EdgeError::new(
                ErrorCode::Forbidden,
                "only agents can change a ticket",
            ));
        };
        let event = event(id.clone());
        let author = ctx.role.author();
        let changed = self.with_store(|s| {
            let live = s.live()?;
            if event == Event::Finish && ctx.own_tickets_only {
                let theirs = live.as_ref().map(|l| l.ticket.assignee.as_deref());
                if theirs.is_some_and(|a| a != Some(id.as_str())) {
                    return Err(EdgeError::new(
                        ErrorCode::Forbidden,
                        "only the ticket's assignee, an operator or an admin can finish it",
                    ));
                }
            }
            self.apply_in(s, last(s)?, live, &author, &event, &ctx.style, None, now)
        })?;
        self.publish(meta, changed, now).await;
        json(&self.ticket_state(meta)?)
    }

    /// "Accept": a New ticket becomes Open; an offered or waiting ticket someone else had (a
    /// reopened one whose agent is away, or one sent to a department) becomes the caller's.
    async fn accept(&self, ctx: &Ctx, meta: &Meta, now: Millis) -> EdgeResult<Response> {
        let Role::Agent { id } = &ctx.role else {
            return Err(forbidden());
        };
        let live = self
            .with_head(|_, head| Ok(head.live.clone()))?
            .ok_or_else(|| EdgeError::from(LifecycleError::NoLiveTicket))?;
        match &live.ticket {
            t if t.status == Status::New => {
                self.agent_event(ctx, meta, |agent| Event::Accept { agent }, now)
                    .await
            }
            t if t.assignee.as_deref() == Some(id.as_str()) => Err(EdgeError::new(
                ErrorCode::InvalidTransition,
                "the ticket is already yours",
            )),
            _ => self.reassign(ctx, meta, Some(id.clone()), None, now).await,
        }
    }

    /// Hands the live ticket to an agent, or back to routing for a department.
    async fn transfer(
        &self,
        ctx: &Ctx,
        meta: &Meta,
        to: Transfer,
        now: Millis,
    ) -> EdgeResult<Response> {
        if !matches!(ctx.role, Role::Agent { .. }) {
            return Err(forbidden());
        }
        match to {
            Transfer::Agent { agent_id } => {
                validate::id("agent_id", &agent_id)?;
                self.reassign(ctx, meta, Some(agent_id), None, now).await
            }
            Transfer::Department { skill } => {
                validate::id("skill", &skill)?;
                self.reassign(ctx, meta, None, Some(skill), now).await
            }
        }
    }

    /// Records a transfer and moves the ticket: to `agent` (a New ticket is accepted on their
    /// behalf), or unassigned and waiting for an agent with `skill`.
    async fn reassign(
        &self,
        ctx: &Ctx,
        meta: &Meta,
        agent: Option<String>,
        skill: Option<String>,
        now: Millis,
    ) -> EdgeResult<Response> {
        let by = ctx.role.author();
        let changed = self.with_store(|s| {
            let live = s
                .live()?
                .ok_or_else(|| EdgeError::from(LifecycleError::NoLiveTicket))?;
            if live.ticket.status == Status::Solved {
                return Err(EdgeError::new(
                    ErrorCode::InvalidTransition,
                    "a solved ticket cannot be transferred",
                ));
            }
            let mut changed = match (&agent, live.ticket.status) {
                (Some(a), Status::New) => {
                    let accept = Event::Accept { agent: a.clone() };
                    let l = Some(live.clone());
                    self.apply_in(s, last(s)?, l, &by, &accept, &ctx.style, None, now)?
                }
                _ => Changed {
                    items: vec![],
                    live: Some(live.clone()),
                    ticket_changed: true,
                },
            };
            let record = TransferRecord {
                seq: s.last_seq()? + 1,
                ticket: live.number,
                at: now,
                by: by.clone(),
                from_agent: live.ticket.assignee.clone(),
                to_agent: agent.clone(),
                to_skill: skill.clone(),
            };
            s.insert_item(&Item::Transfer(record.clone()), None)?;
            s.set_assignee(live.number, agent.as_deref(), now)?;
            let mut r = s.routing(live.number)?;
            r.waiting_since = skill.is_some().then_some(now as f64);
            if skill.is_some() {
                r.department = skill.clone();
            }
            s.set_routing(live.number, &r)?;
            changed.items.push(Item::Transfer(record));
            changed.live = s.live()?;
            Ok(changed)
        })?;
        self.publish(meta, changed, now).await;
        json(&self.ticket_state(meta)?)
    }

    /// Stores an internal note (once per client id); only agents' sockets hear of it.
    async fn note(
        &self,
        ctx: &Ctx,
        meta: &Meta,
        msg: SendMessage,
        now: Millis,
    ) -> EdgeResult<(Message, bool)> {
        if !matches!(ctx.role, Role::Agent { .. }) {
            return Err(forbidden());
        }
        let author = ctx.role.author();
        validate::message_from(&author, &msg)?;
        if !msg.body.choices.is_empty() {
            return Err(EdgeError::new(
                ErrorCode::InvalidField,
                "internal notes cannot offer choices",
            ));
        }
        let client_key = format!("note/{}:{}", author_key(&author), msg.client_id);
        if let Some(Item::Note(existing)) = self.reading(|s| s.by_client_key(&client_key))? {
            return Ok((existing, true));
        }
        let mut msg = msg;
        crate::attachments::check(&self.env, &meta.site_id, &meta.conversation_id, &mut msg)
            .await?;
        let note = self.with_store(|s| {
            let ticket = match s.live()? {
                Some(l) => l.number,
                None => s.last_ticket_number()?,
            };
            let note = Message {
                seq: s.last_seq()? + 1,
                ticket,
                at: now,
                author: author.clone(),
                author_name: ctx.name.clone().filter(|_| ctx.role != Role::Visitor),
                client_id: msg.client_id.clone(),
                body: msg.body.clone(),
            };
            s.insert_item(&Item::Note(note.clone()), Some(&client_key))?;
            Ok(note)
        })?;
        let live = self.with_head(|_, head| Ok(head.live.clone()))?;
        let changed = Changed {
            items: vec![Item::Note(note.clone())],
            live,
            ticket_changed: false,
        };
        self.publish(meta, changed, now).await;
        Ok((note, false))
    }

    /// Stores the visitor's profile (a consent is stored before it); the records index hears of
    /// it with its next batch.
    fn save_profile(&self, profile: &VisitorProfile, now: Millis) -> EdgeResult<()> {
        let text = serde_json::to_string(profile).map_err(|e| EdgeError::internal("profile", e))?;
        let close_at = self.with_head(|s, head| {
            s.set_meta_value("profile", &text)?;
            head.profile = profile.clone();
            Ok(head.live.as_ref().and_then(|l| l.ticket.close_at))
        })?;
        let due = self.feed.borrow_mut().visitor_changed(now);
        self.arm_for_feed(due, close_at);
        Ok(())
    }

    /// The profile as agents see it: with the latest consent on record.
    fn profile_with_consent(&self) -> EdgeResult<VisitorProfile> {
        let mut profile = self.profile()?;
        profile.consent = self.reading(|s| s.consent())?;
        Ok(profile)
    }

    fn profile(&self) -> EdgeResult<VisitorProfile> {
        self.with_head(|_, head| Ok(head.profile.clone()))
    }

    /// Decides and writes one lifecycle event, and marks which tickets wait for an agent.
    /// Synchronous: callers hold no await across it. `language` is the skill a ticket created
    /// now needs, if the site routes by language.
    #[allow(clippy::too_many_arguments)]
    fn apply_in(
        &self,
        s: &Store,
        (last_ticket, last_seq): (u32, u64),
        live: Option<Live>,
        by: &Author,
        event: &Event,
        style: &ConversationStyle,
        language: Option<String>,
        now: Millis,
    ) -> EdgeResult<Changed> {
        let decision = decide(live.as_ref().map(|l| &l.ticket), event, style, now)?;
        let p = plan(
            live.as_ref(),
            last_ticket,
            last_seq + 1,
            decision,
            by,
            *event == Event::Finish,
            now,
        );
        for item in &p.items {
            s.insert_item(item, None)?;
        }
        for t in &p.tickets {
            s.put_ticket(t.number, t.status, t.assignee.as_deref(), t.close_at, now)?;
        }
        for item in &p.items {
            let Item::StatusChange(c) = item else {
                continue;
            };
            let mut r = s.routing(c.ticket)?;
            r.waiting_since = match (c.from, c.to) {
                (None, _) => {
                    r.language = language.clone();
                    Some(now as f64)
                }
                // A reopened ticket goes back to its agent, or to routing if they are away.
                (Some(Status::Solved), Status::Open) => Some(now as f64),
                (Some(Status::Pending | Status::OnHold), Status::Open) => r.waiting_since,
                _ => None,
            };
            s.set_routing(c.ticket, &r)?;
        }
        Ok(Changed {
            ticket_changed: !p.tickets.is_empty(),
            items: p.items,
            live: p.live,
        })
    }

    async fn on_alarm(&self) -> EdgeResult<()> {
        let Some(meta) = self.with_head(|_, head| Ok(head.meta.clone()))? else {
            // Only the visitor's details changed: nothing is recorded before the first message.
            self.feed.replace(Feed::default());
            return Ok(());
        };
        let now = now();
        // The style only matters for the deadline, which was fixed when the ticket was solved.
        let style = ConversationStyle::default();
        let changed = self.with_store(|s| {
            let live = s.live()?;
            let by = Author::System;
            self.apply_in(s, last(s)?, live, &by, &Event::Timer, &style, None, now)
        })?;
        self.publish(&meta, changed, now).await;
        // The records feed's batch, when it is due, or first thing after the object woke.
        let due = {
            let feed = self.feed.borrow();
            feed.due().map_or(feed.needs_load(), |at| at <= now)
        };
        if due {
            self.feed_batch(&meta, now).await;
        }
        let close_at =
            self.with_head(|_, head| Ok(head.live.as_ref().and_then(|l| l.ticket.close_at)))?;
        set_alarm(&self.state.storage(), self.next_alarm(close_at)).await?;
        Ok(())
    }

    /// After a change is stored: announce it, arm or clear the alarm, update the site's index.
    ///
    /// Everything sent to sockets goes out before the first await: another event can run while
    /// this one waits, and sockets must still see changes in the order they were stored.
    async fn publish(&self, meta: &Meta, changed: Changed, now: Millis) {
        for item in &changed.items {
            let tag = (!item.visible_to_visitor()).then_some("agent");
            self.broadcast(&frame(None, item.clone().into_event()), tag, None);
        }
        if changed.ticket_changed {
            let live_view = changed.live.as_ref().map(|l| l.view());
            self.broadcast(
                &frame(None, ServerEvent::TicketUpdated { ticket: live_view }),
                None,
                None,
            );
        }
        self.report_to_team(meta, &changed, now);
        // The records index hears of it later, from the alarm ([`Feed`]).
        let feed_due = self.feed.borrow_mut().changed(&changed.items, now);
        if !changed.ticket_changed {
            let close_at = changed.live.as_ref().and_then(|l| l.ticket.close_at);
            self.arm_for_feed(feed_due, close_at);
            return;
        }
        if let Err(e) = self.sync_alarm(changed.live.as_ref()).await {
            worker::console_error!("alarm not updated: {e}");
        }
        let last_seq = changed.items.last().map(Item::seq).unwrap_or(0);
        // One index row per ticket the change touched, with its final state.
        let mut seen = Vec::new();
        for item in changed.items.iter().rev() {
            let (ticket, status) = match item {
                Item::StatusChange(c) => (c.ticket, c.to),
                Item::Transfer(t) => match changed.live.as_ref().filter(|l| l.number == t.ticket) {
                    Some(l) => (t.ticket, l.ticket.status),
                    None => continue,
                },
                _ => continue,
            };
            if seen.contains(&ticket) {
                continue;
            }
            seen.push(ticket);
            let assignee = changed
                .live
                .as_ref()
                .filter(|l| l.number == ticket)
                .and_then(|l| l.ticket.assignee.as_deref());
            let row = IndexRow {
                site_id: &meta.site_id,
                conversation_id: &meta.conversation_id,
                number: ticket,
                status,
                assignee,
                seq: last_seq,
                at: now,
            };
            if let Err(e) = sites::index_ticket(&self.env, &row).await {
                worker::console_error!("ticket index not updated: {e}");
            }
        }
    }

    /// Tells the site's team object how each ticket the change touched stands now.
    fn report_to_team(&self, meta: &Meta, changed: &Changed, now: Millis) {
        let mut numbers: Vec<u32> = changed
            .items
            .iter()
            .filter(|i| matches!(i, Item::StatusChange(_) | Item::Transfer(_)))
            .map(Item::ticket)
            .collect();
        numbers.dedup();
        for number in numbers {
            self.report_ticket(meta, number, now);
        }
    }

    /// Tells the team object how one ticket stands, from the [`Head`] (a ticket this change
    /// closed is read from the store).
    fn report_ticket(&self, meta: &Meta, number: u32, now: Millis) {
        let report = self.with_head(|s, head| match report_live(head, meta, number, now) {
            Some(r) => Ok(Some(r)),
            None => {
                let view = s.all_tickets()?.into_iter().find(|t| t.number == number);
                let routing = s.routing(number)?;
                Ok(view.map(|v| report_of(head, meta, v, &routing, now)))
            }
        });
        match report {
            Ok(Some(r)) => self.queue_report(meta, r),
            Ok(None) => {}
            Err(e) => worker::console_error!("ticket report not built: {e}"),
        }
    }

    /// Leaves a report for the team, sent in the background: the request does not wait for it.
    /// Reports are coalesced ([`Reports`]): the newest of each ticket wins, a few a second at
    /// most; and the report's sequence number lets the team drop one that arrives after a
    /// newer one.
    fn queue_report(&self, meta: &Meta, report: TicketReport) {
        let number = report.ticket.number;
        if self.reports.borrow_mut().push(number, report) {
            let queue = Rc::clone(&self.reports);
            let env = self.env.clone();
            let site = meta.site_id.clone();
            worker::wasm_bindgen_futures::spawn_local(send_reports(queue, env, site));
        }
    }

    /// Sets the object's one alarm for the earlier of the live ticket's close deadline and the
    /// records feed's next batch, or deletes it when neither waits.
    async fn sync_alarm(&self, live: Option<&Live>) -> Result<()> {
        let close_at = live.and_then(|l| l.ticket.close_at);
        set_alarm(&self.state.storage(), self.next_alarm(close_at)).await
    }

    /// When the alarm must fire: the earlier of `close_at` and the feed's next batch.
    fn next_alarm(&self, close_at: Option<Millis>) -> Option<Millis> {
        [close_at, self.feed.borrow().due()]
            .into_iter()
            .flatten()
            .min()
    }

    /// Sets the alarm for the feed's batch `due` (when one was just scheduled) in the
    /// background: the request that caused it does not wait.
    fn arm_for_feed(&self, due: Option<Millis>, close_at: Option<Millis>) {
        if due.is_none() {
            return;
        }
        let at = self.next_alarm(close_at);
        let storage = self.state.storage();
        worker::wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = set_alarm(&storage, at).await {
                worker::console_error!("records feed alarm not set: {e}");
            }
        });
    }

    /// Writes what the records index has not been told yet, in one D1 batch ([`Feed`]). A
    /// batch that fails is tried again later, from the store.
    async fn feed_batch(&self, meta: &Meta, now: Millis) {
        let prepared = self.with_head(|s, head| {
            let mut feed = self.feed.borrow_mut();
            if feed.needs_load() {
                let fed_seq = s
                    .meta_value(FEED_SEQ)?
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let details = s.meta_value(FEED_DETAILS)?.unwrap_or_default();
                feed.load(fed_seq, details, s.all_after(fed_seq, true)?);
            }
            let consent = s.consent()?;
            let visitor = Visitor {
                profile: &head.profile,
                consent: consent.as_ref(),
            };
            let current = match &head.live {
                Some(l) => Some(l.number),
                None => Some(head.last_ticket).filter(|n| *n > 0),
            };
            let (site, conversation) = (&meta.site_id, &meta.conversation_id);
            feed.prepare(site, conversation, &visitor, current, s, now)
        });
        let batch = match prepared {
            Ok(Some(batch)) => batch,
            Ok(None) => {
                self.feed.borrow_mut().after_batch(now);
                return;
            }
            Err(e) => {
                worker::console_error!("records feed not prepared: {e}");
                self.feed.borrow_mut().fail(now);
                return;
            }
        };
        if let Err(e) = records::run_batch(&self.env, &batch.statements).await {
            worker::console_error!("records index not updated: {e}");
            self.feed.borrow_mut().fail(now);
            return;
        }
        let stored = self.reading(|s| {
            s.set_meta_value(FEED_SEQ, &batch.fed_seq.to_string())?;
            s.set_meta_value(FEED_DETAILS, &batch.details)
        });
        if let Err(e) = stored {
            worker::console_error!("records feed progress not stored: {e}");
        }
        self.feed.borrow_mut().commit(batch, now);
    }

    /// Pushes the team's availability to the visitor's sockets; whether there is one.
    fn tell_visitor(&self, now: &Availability) -> bool {
        let sockets = self.state.get_websockets_with_tag("visitor");
        self.broadcast(&frame(None, availability_event(now)), Some("visitor"), None);
        !sockets.is_empty()
    }

    /// Sends what one side did (typing, reading) to the other side only: agents hear the
    /// visitor; the visitor and the other agents hear an agent. Never back to the sender.
    fn relay_to_other_side(&self, from: &WebSocket, role: &Role, event: ServerEvent) {
        let tag = match role {
            Role::Visitor => Some("agent"),
            Role::Agent { .. } => None,
        };
        self.broadcast(&frame(None, event), tag, Some(from));
    }

    /// Sends a frame to every socket (with `tag`, if given), except `skip`.
    fn broadcast(&self, out: &ServerFrame, tag: Option<&str>, skip: Option<&WebSocket>) {
        let Ok(text) = serde_json::to_string(out) else {
            return;
        };
        let sockets = match tag {
            Some(t) => self.state.get_websockets_with_tag(t),
            None => self.state.get_websockets(),
        };
        let skip = skip.map(raw);
        for ws in sockets {
            if skip.is_some_and(|s| s == raw(&ws)) {
                continue;
            }
            // A socket that is closing fails to send; its close handler cleans it up.
            let _ = ws.send_with_str(&text);
        }
    }
}

/// Sets the object's one alarm at `at`, or deletes it.
async fn set_alarm(storage: &Storage, at: Option<Millis>) -> Result<()> {
    match at {
        Some(at) => {
            let date = js_sys::Date::new(&(at as f64).into());
            storage.set_alarm(ScheduledTime::new(date)).await
        }
        None => storage.delete_alarm().await,
    }
}

/// The refusal of a frame that is not a request: `bad_json`, answering its `id` if it has one.
fn refused(text: &str) -> (Option<String>, EdgeError) {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return (None, EdgeError::new(ErrorCode::BadJson, e.to_string())),
    };
    let re = value.get("id").and_then(|v| v.as_str()).map(str::to_owned);
    let message = match serde_json::from_value::<ClientFrame>(value) {
        Err(e) => e.to_string(),
        Ok(_) => "the frame is not a request".to_owned(),
    };
    (re, EdgeError::new(ErrorCode::BadJson, message))
}

fn forbidden() -> EdgeError {
    EdgeError::new(ErrorCode::Forbidden, "only agents can do this")
}

fn availability_event(now: &Availability) -> ServerEvent {
    ServerEvent::Availability {
        agents_online: now.online,
        team: now.team.clone(),
    }
}

/// Sends the waiting reports as [`Reports`] says, until none is left.
async fn send_reports(queue: Rc<RefCell<Reports>>, env: Env, site: String) {
    loop {
        let next = queue.borrow_mut().next(now());
        match next {
            Next::Send(batch) => {
                for report in batch {
                    if let Err(e) = TeamClient::site(&env, &site).report(&report).await {
                        worker::console_error!("team not told of a ticket change: {e}");
                    }
                }
            }
            Next::Wait(ms) => worker::Delay::from(Duration::from_millis(ms.max(0) as u64)).await,
            Next::Stop => return,
        }
    }
}

/// The team's report of the live ticket `number`, if it is the live one.
fn report_live(head: &Head, meta: &Meta, number: u32, now: Millis) -> Option<TicketReport> {
    let live = head.live.as_ref().filter(|l| l.number == number)?;
    Some(report_of(head, meta, live.view(), &head.routing, now))
}

/// The team's report of a ticket, with what the head knows of the visitor.
fn report_of(
    head: &Head,
    meta: &Meta,
    ticket: TicketView,
    routing: &Routing,
    now: Millis,
) -> TicketReport {
    TicketReport {
        seq: head.last_seq,
        ticket: InboxTicket {
            conversation_id: meta.conversation_id.clone(),
            number: ticket.number,
            status: ticket.status,
            assignee: ticket.assignee,
            offered_to: None,
            skills: routing.skills(),
            updated_at: now,
            waiting_since: routing.waiting_since.map(|w| w as Millis),
            visitor_name: head.profile.name.clone(),
            preview: head.preview.clone(),
            visitor_locale: head.profile.locale.clone(),
            visitor_page: head.profile.page_url.clone(),
        },
    }
}

/// The language skill a ticket created now needs: the visitor's, on sites routing by language.
fn language(profile: &VisitorProfile, ctx: &Ctx) -> Option<String> {
    ctx.route_by_language.then(|| profile.language()).flatten()
}

/// The highest ticket number and sequence number stored.
fn last(s: &Store) -> EdgeResult<(u32, u64)> {
    Ok((s.last_ticket_number()?, s.last_seq()?))
}

fn raw(ws: &WebSocket) -> &wasm_bindgen::JsValue {
    let inner: &worker::web_sys::WebSocket = ws.as_ref();
    inner.as_ref()
}

fn author_key(a: &Author) -> String {
    match a {
        Author::Visitor => "visitor".into(),
        Author::Agent { id } => format!("agent/{id}"),
        Author::Bot { id } => format!("bot/{id}"),
        Author::System => "system".into(),
    }
}

fn frame(re: Option<String>, event: ServerEvent) -> ServerFrame {
    ServerFrame { re, event }
}

fn send(ws: &WebSocket, out: &ServerFrame) {
    match serde_json::to_string(out) {
        Ok(text) => {
            let _ = ws.send_with_str(&text);
        }
        Err(e) => worker::console_error!("frame not encoded: {e}"),
    }
}

fn json<T: Serialize>(value: &T) -> EdgeResult<Response> {
    Ok(Response::from_json(value)?)
}

/// The one place the object reads the clock; everything below takes `now` as an argument.
fn now() -> Millis {
    Date::now().as_millis() as Millis
}
