//! The frame's controller: pushes what arrives (socket frames, host messages, the visitor's
//! input) into the pure [`Thread`], and pulls out what to send. Components read its signals and
//! call its methods; they never touch the network or storage.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use leptos::prelude::*;
use leptos::task::spawn_local;
use porchlight_shared::embed::{FrameMessage, HostMessage};
use porchlight_shared::protocol::MAX_ATTACHMENTS_PER_MESSAGE;
use porchlight_shared::protocol::{
    Author, Body, Choice, ClientFrame, ClientMessage, Consent, IdentifyRequest, Item, PrechatField,
    Rating, ReplyTo, SendMessage, ServerEvent, ServerFrame, TicketView, VisitorProfile,
    WidgetConfig,
};
use porchlight_shared::{contact, validate, ErrorCode};
use wasm_bindgen::JsCast;

use crate::host::HostLink;
use crate::i18n::{Lang, Strings};
use crate::state::{Backoff, Connection, Thread, TypingSignal};
use crate::storage::SiteStorage;
use crate::transport::{self, NetError, Socket, SocketEvent};

/// The visitor's chat in this frame.
pub struct Chat {
    site_id: String,
    /// The panel's strings, in the visitor's language.
    pub strings: &'static Strings,
    /// The panel's language as a BCP 47 tag, for dates and the site's texts.
    pub locale: &'static str,
    /// The live ticket as the edge last described it (status, when a Solved one closes).
    pub ticket: RwSignal<Option<TicketView>>,
    /// What the edge is told about the visitor once the conversation exists (routing reads it).
    profile: RefCell<VisitorProfile>,
    /// The site's widget settings, once `GET /v1/visitor/config` answered.
    pub config: RwSignal<Option<WidgetConfig>>,
    /// Whether the composer may be used: the config is known (or could not be had) and no
    /// pre-chat form is waiting.
    pub ready: RwSignal<bool>,
    /// Whether the pre-chat form (fields and/or consent) is shown instead of the composer.
    pub prechat: RwSignal<bool>,
    /// Highest sequence number an agent has read (their `read` receipts).
    pub read_by_agent: RwSignal<u64>,
    /// Highest sequence number our own `read` receipt named.
    read_sent: Cell<u64>,
    /// When the agent was last told the visitor is typing.
    typing_signal: RefCell<TypingSignal>,
    /// The script tag's `data-color`, which wins over the site's colour.
    color_override: Option<String>,
    /// The conversation as shown.
    pub thread: RwSignal<Thread>,
    /// The socket's state as shown ("reconnecting").
    pub connection: RwSignal<Connection>,
    /// Whether the panel is visible on the host page.
    pub open: RwSignal<bool>,
    /// Whether someone on the site's side is typing.
    pub agent_typing: RwSignal<bool>,
    /// The conversation id, once the edge has named it (shown as a data attribute).
    pub conversation_id: RwSignal<Option<String>>,
    /// Whether an older history page is being fetched.
    pub loading_older: RwSignal<bool>,
    /// Whether the last attached file could not be uploaded.
    pub attach_failed: RwSignal<bool>,
    /// Whether the visitor made the panel bigger (the loader resizes it).
    pub expanded: RwSignal<bool>,
    /// Whether the loader shows the panel full screen (a small screen: nothing to expand).
    pub full: RwSignal<bool>,
    /// The closed ticket the visitor moved on from with "start a new conversation".
    pub moved_on: RwSignal<u32>,
    /// The host page's signed-in user (`Porchlight.identify`), until it is sent to the edge.
    identity: RefCell<Option<IdentifyRequest>>,
    storage: SiteStorage,
    host: Option<HostLink>,
    token: RefCell<Option<String>>,
    socket: RefCell<Option<Socket>>,
    /// Bumped on every connect: events of an older socket are ignored.
    generation: Cell<u32>,
    backoff: Cell<Backoff>,
    /// A session request is in flight.
    starting: Cell<bool>,
    unread_posted: Cell<Option<u32>>,
}

impl Chat {
    /// A chat for `site_id`, talking to the loader through `host` if the frame is embedded.
    pub fn new(
        site_id: String,
        host: Option<HostLink>,
        lang: Lang,
        profile: VisitorProfile,
        color_override: Option<String>,
    ) -> Rc<Chat> {
        let storage = SiteStorage::new(&site_id);
        let token = storage.token();
        let thread = Thread::new(storage.last_read());
        Rc::new(Chat {
            site_id,
            strings: lang.strings(),
            locale: lang.tag(),
            ticket: RwSignal::new(None),
            profile: RefCell::new(profile),
            config: RwSignal::new(None),
            ready: RwSignal::new(false),
            prechat: RwSignal::new(false),
            read_by_agent: RwSignal::new(0),
            read_sent: Cell::new(0),
            typing_signal: RefCell::new(TypingSignal::default()),
            color_override,
            thread: RwSignal::new(thread),
            connection: RwSignal::new(Connection::Idle),
            // Not embedded (the frame opened on its own): the panel is all there is.
            open: RwSignal::new(host.is_none()),
            agent_typing: RwSignal::new(false),
            conversation_id: RwSignal::new(None),
            loading_older: RwSignal::new(false),
            attach_failed: RwSignal::new(false),
            expanded: RwSignal::new(false),
            full: RwSignal::new(false),
            moved_on: RwSignal::new(0),
            identity: RefCell::new(None),
            storage,
            host,
            token: RefCell::new(token),
            socket: RefCell::new(None),
            generation: Cell::new(0),
            backoff: Cell::new(Backoff::default()),
            starting: Cell::new(false),
            unread_posted: Cell::new(None),
        })
    }

    /// Starts listening to the loader and, for a returning visitor, loads the history and
    /// connects. A visitor who never wrote causes no request at all.
    pub fn start(self: &Rc<Self>) {
        let returning = self.token.borrow().is_some();
        if let (Some(host), Some(window)) = (&self.host, web_sys::window()) {
            let weak = Rc::downgrade(self);
            host.listen(&window, move |msg| {
                if let Some(chat) = weak.upgrade() {
                    chat.on_host(msg);
                }
            });
            host.post(FrameMessage::Ready { returning });
        }
        // The site's settings: colour, away message, pre-chat form. Reading them stores nothing.
        let chat = Rc::clone(self);
        spawn_local(async move {
            match transport::config(&chat.site_id, chat.locale).await {
                Ok(config) => chat.apply_config(config),
                Err(e) => warn("no config", &e.describe()),
            }
            chat.ready.set(true);
        });
        // The panel became visible again: what it shows is read now.
        {
            let weak = Rc::downgrade(self);
            let _ = window_event_listener_untyped("visibilitychange", move |_| {
                if let Some(chat) = weak.upgrade() {
                    chat.after_change();
                }
            });
        }
        // Back online (or a sleeping tab woke up): try now instead of waiting out the backoff.
        for event in ["online", "pageshow"] {
            let weak = Rc::downgrade(self);
            // The listeners live as long as the frame: the handles are not kept.
            let _ = window_event_listener_untyped(event, move |_| {
                if let Some(chat) = weak.upgrade() {
                    if chat.connection.get_untracked() == Connection::Reconnecting {
                        chat.backoff.set(Backoff::default());
                        chat.connect();
                    }
                }
            });
        }
        if returning {
            self.connection.set(Connection::Connecting);
            let chat = Rc::clone(self);
            spawn_local(async move {
                chat.load_newest().await;
                chat.connect();
            });
        }
    }

    fn apply_config(&self, config: WidgetConfig) {
        let color = self
            .color_override
            .clone()
            .filter(|c| is_color(c))
            .or_else(|| Some(config.color.clone()).filter(|c| is_color(c)));
        if let Some(color) = color {
            let root = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(root) = root {
                let _ = root.style().set_property("--accent", &color);
            }
        }
        if let (Some(host), true) = (&self.host, is_color(&config.color)) {
            host.post(FrameMessage::Style {
                color: config.color.clone(),
                position: config.position,
            });
        }
        self.config.set(Some(config));
        self.ask_prechat();
    }

    /// Shows the pre-chat form if the site has one and this visitor has no conversation yet (a
    /// returning visitor has consented and answered already).
    fn ask_prechat(&self) {
        let asks = self.config.with_untracked(|c| {
            c.as_ref().is_some_and(|c| {
                c.consent_required || c.prechat_fields.iter().any(|f| *f != PrechatField::Unknown)
            })
        });
        self.prechat
            .set(asks && self.token.borrow().is_none() && !self.starting.get());
    }

    /// The visitor submitted the pre-chat form (with consent, if asked): the conversation starts
    /// now, and what they gave goes into the profile, with the consent (which privacy text, in
    /// which language; the edge adds the time). A phone number is an attribute, in E.164: the
    /// profile has no field for it. An email or phone that is not one stops it all: the answer
    /// says which (email, phone) the form flags.
    pub fn submit_prechat(self: &Rc<Self>, name: &str, email: &str, phone: &str) -> (bool, bool) {
        let given = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        let email = given(email);
        let phone = given(phone).map(|p| contact::phone(&p));
        let bad = (
            email.as_deref().is_some_and(|e| contact::email(e).is_err()),
            matches!(phone, Some(Err(_))),
        );
        if bad != (false, false) {
            return bad;
        }
        {
            let mut profile = self.profile.borrow_mut();
            profile.name = given(name).or(profile.name.take());
            profile.email = email.or(profile.email.take());
            if let Some(Ok(p)) = phone {
                profile
                    .attributes
                    .insert(validate::PHONE_ATTRIBUTE.to_owned(), p);
            }
            profile.consent = self.config.with_untracked(|c| {
                c.as_ref().filter(|c| c.consent_required).map(|c| Consent {
                    at: 0,
                    privacy_version: c.privacy_version.clone(),
                    locale: self.locale.to_owned(),
                })
            });
        }
        self.prechat.set(false);
        self.begin_conversation();
        bad
    }

    fn on_host(self: &Rc<Self>, msg: HostMessage) {
        match msg {
            HostMessage::Open => {
                self.open.set(true);
                self.after_change();
            }
            HostMessage::Close => self.open.set(false),
            HostMessage::Identify(who) => self.identify(who),
            HostMessage::Attributes { attributes } => self.set_attributes(attributes),
            HostMessage::Reset => {
                self.identity.borrow_mut().take();
                self.profile.borrow_mut().attributes.clear();
                self.start_over();
            }
            HostMessage::Layout { full } => self.full.set(full),
            // Kept here; reported (without its query unless the site keeps it) with the profile
            // once the conversation exists.
            HostMessage::Page { url } => {
                self.profile.borrow_mut().page_url = Some(url).filter(|u| u.starts_with("http"));
            }
            HostMessage::Unknown => {}
        }
    }

    /// `Porchlight.identify`: the host page's signed-in user. Sent to the edge (which checks the
    /// site's hash) once the conversation exists, and again only when it changes. A different
    /// user than the one this browser's conversation was verified for does not get to see it:
    /// the widget starts over, as for a new visitor.
    fn identify(self: &Rc<Self>, who: IdentifyRequest) {
        let key = identity_key(&who);
        match self.storage.user() {
            Some(known) if known == key => return,
            Some(known) if known.lines().next() != Some(who.id.as_str()) => self.start_over(),
            _ => {}
        }
        *self.identity.borrow_mut() = Some(who);
        let Some(token) = self.token.borrow().clone() else {
            return;
        };
        let chat = Rc::clone(self);
        spawn_local(async move { chat.send_identity(&token).await });
    }

    /// Sends the identity waiting to be sent, if any; remembers it once the edge verified it.
    async fn send_identity(&self, token: &str) {
        let Some(who) = self.identity.borrow_mut().take() else {
            return;
        };
        match transport::identify(token, &who).await {
            Ok(()) => self.storage.set_user(&identity_key(&who)),
            // A wrong hash is the site's mistake; retrying would not fix it.
            Err(e) => warn("identity not verified", &e.describe()),
        }
    }

    /// `Porchlight.setAttributes`: merged into the visitor's profile (an empty value removes
    /// one); sent at once if the conversation exists, else with its first message. Attributes
    /// the edge would refuse are dropped here, with a console warning for the site's developer.
    fn set_attributes(&self, attributes: std::collections::BTreeMap<String, String>) {
        let mut update = VisitorProfile {
            attributes,
            ..VisitorProfile::default()
        };
        if let Err(e) = validate::profile(&mut update) {
            warn("attributes not set", &e.message);
            return;
        }
        let merged = self.profile.borrow().clone().updated(update.clone());
        *self.profile.borrow_mut() = merged;
        if let Some(token) = self.token.borrow().clone() {
            spawn_local(async move {
                if let Err(e) = transport::put_profile(&token, &update).await {
                    warn("attributes not saved", &e.describe());
                }
            });
        }
    }

    /// Forgets this browser's conversation and shows the panel as to a first-time visitor.
    fn start_over(&self) {
        self.forget_conversation();
        // Silences the old socket's handlers, then closes it.
        self.generation.set(self.generation.get().wrapping_add(1));
        drop(self.socket.replace(None));
        self.thread.set(Thread::new(0));
        self.conversation_id.set(None);
        self.ticket.set(None);
        self.read_by_agent.set(0);
        self.read_sent.set(0);
        self.agent_typing.set(false);
        {
            let mut profile = self.profile.borrow_mut();
            profile.name = None;
            profile.email = None;
            profile.consent = None;
        }
        self.ask_prechat();
        self.after_change();
    }

    /// The visitor pressed "expand" (or "shrink"): the loader resizes the panel.
    pub fn toggle_expanded(&self) {
        let expanded = !self.expanded.get_untracked();
        self.expanded.set(expanded);
        if let Some(host) = &self.host {
            host.post(FrameMessage::Resize { expanded });
        }
    }

    /// The visitor pressed "start a new conversation" under a closed ticket: the composer shows
    /// again, and their next message opens a new ticket.
    pub fn new_conversation(&self) {
        if let Some(ticket) = self.thread.with_untracked(Thread::closed_ticket) {
            self.moved_on.set(ticket);
        }
    }

    /// The visitor pressed the close button.
    pub fn request_close(&self) {
        match &self.host {
            Some(host) => host.post(FrameMessage::CloseRequested),
            None => self.open.set(false),
        }
    }

    /// The visitor sends `text`. Returns false (and keeps nothing) if it breaks a rule.
    pub fn send(self: &Rc<Self>, text: &str) -> bool {
        let body = Body {
            text: text.trim_end().to_owned(),
            ..Default::default()
        };
        if validate::body(&body).is_err()
            || !self.ready.get_untracked()
            || self.prechat.get_untracked()
        {
            return false;
        }
        let client_id = new_client_id();
        self.thread
            .update(|t| t.queue(client_id.clone(), body.text.clone()));
        if self.token.borrow().is_none() {
            self.begin_conversation();
        } else {
            self.send_message(client_id, body);
        }
        if self.typing_signal.borrow_mut().sent() {
            self.typing(false);
        }
        true
    }

    /// The visitor picked quick reply `choice` of message `seq`: a message with its label as
    /// text, answering it. Returns false if the thread cannot take it (not ready, answered).
    pub fn answer(self: &Rc<Self>, seq: u64, choice: &Choice) -> bool {
        if !self.ready.get_untracked()
            || self.prechat.get_untracked()
            || self.token.borrow().is_none()
            || self.thread.with_untracked(|t| t.answered(seq))
        {
            return false;
        }
        let reply_to = ReplyTo {
            seq,
            choice_id: choice.id.clone(),
        };
        let client_id = new_client_id();
        self.thread.update(|t| {
            t.queue_reply(
                client_id.clone(),
                choice.label.clone(),
                Some(reply_to.clone()),
            )
        });
        self.send_message(
            client_id,
            Body {
                text: choice.label.clone(),
                reply_to: Some(reply_to),
                ..Default::default()
            },
        );
        true
    }

    /// The visitor attached `files`: each is uploaded, then one message carries them all. A file
    /// the edge refuses (type, size) raises [`Chat::attach_failed`] and is left out.
    pub fn attach(self: &Rc<Self>, files: Vec<web_sys::File>) {
        let token = self.token.borrow().clone();
        let Some(token) = token else {
            return;
        };
        if files.is_empty() || !self.ready.get_untracked() || self.prechat.get_untracked() {
            return;
        }
        self.attach_failed.set(false);
        let chat = Rc::clone(self);
        spawn_local(async move {
            let mut refs = Vec::new();
            for file in files.iter().take(MAX_ATTACHMENTS_PER_MESSAGE) {
                match transport::upload(&token, file).await {
                    Ok(r) => refs.push(r),
                    Err(e) => {
                        warn("not uploaded", &e.describe());
                        chat.attach_failed.set(true);
                    }
                }
            }
            if refs.is_empty() {
                return;
            }
            let client_id = new_client_id();
            chat.thread
                .update(|t| t.queue_files(client_id.clone(), String::new(), None, refs.clone()));
            chat.send_message(
                client_id,
                Body {
                    attachments: refs,
                    ..Default::default()
                },
            );
        });
    }

    /// The token and path of attachment `id` of this conversation, to fetch it.
    pub fn attachment_path(&self, id: &str) -> Option<(String, String)> {
        let token = self.token.borrow().clone()?;
        let conversation = self.conversation_id.get_untracked()?;
        Some((token, format!("/v1/attachments/{conversation}/{id}")))
    }

    /// Downloads the conversation's transcript (`GET /v1/visitor/transcript`) as a file.
    pub fn download_transcript(self: &Rc<Self>) {
        let Some(token) = self.token.borrow().clone() else {
            return;
        };
        let name = format!(
            "conversation-{}.html",
            self.conversation_id.get_untracked().unwrap_or_default()
        );
        let locale = self.locale;
        spawn_local(async move {
            if let Err(e) = transport::save_transcript(&token, &name, locale).await {
                warn("no transcript", &e.describe());
            }
        });
    }

    /// Tells the site's side that the visitor is (or stopped) typing; dropped when offline.
    fn typing(&self, on: bool) {
        self.send_frame(None, ClientMessage::Typing { on });
    }

    /// The visitor pressed a key in the composer at `now` (ms): the agent is told they are
    /// typing, at most once per [`TYPING_IDLE_MS`](crate::state::TYPING_IDLE_MS).
    pub fn keystroke(&self, now: f64) {
        if self.typing_signal.borrow_mut().keystroke(now) {
            self.typing(true);
        }
    }

    /// Loads the next older page of history.
    pub fn load_older(self: &Rc<Self>) {
        let before = self.thread.with_untracked(|t| t.older_page());
        let token = self.token.borrow().clone();
        let (Some(before), Some(token)) = (before, token) else {
            return;
        };
        if self.loading_older.get_untracked() {
            return;
        }
        self.loading_older.set(true);
        let chat = Rc::clone(self);
        spawn_local(async move {
            if let Ok(page) = transport::history(&token, Some(before)).await {
                chat.thread
                    .update(|t| drop(t.merge_page(page.items, page.next_before)));
            }
            chat.loading_older.set(false);
        });
    }

    /// First message of a new visitor: get a conversation, keep its token, connect. The queued
    /// message goes out once the socket is in sync.
    fn begin_conversation(self: &Rc<Self>) {
        if self.starting.replace(true) {
            return;
        }
        self.connection.set(Connection::Connecting);
        let chat = Rc::clone(self);
        spawn_local(async move {
            match transport::new_session(&chat.site_id).await {
                Ok(session) => {
                    // Before the socket (whose sync sends the first message, which creates the
                    // ticket): routing picks the ticket's skills from this profile's language.
                    let mut profile = chat.profile.borrow().clone();
                    let keep = chat
                        .config
                        .with_untracked(|c| c.as_ref().is_some_and(|c| c.page_url_query));
                    if let Some(url) = &mut profile.page_url {
                        *url = validate::page_url(url, keep).to_owned();
                    }
                    if let Err(e) = transport::put_profile(&session.token, &profile).await {
                        warn("profile not saved", &e.describe());
                    }
                    // So that agents see who it is when the ticket is offered.
                    chat.send_identity(&session.token).await;
                    chat.storage.set_token(&session.token);
                    *chat.token.borrow_mut() = Some(session.token);
                    chat.conversation_id.set(Some(session.conversation_id));
                    chat.starting.set(false);
                    chat.connect();
                }
                Err(e) => {
                    warn("no session", &e.describe());
                    chat.starting.set(false);
                    chat.connection.set(Connection::Reconnecting);
                    let delay = chat.next_delay();
                    let weak = Rc::downgrade(&chat);
                    spawn_local(async move {
                        transport::sleep(delay).await;
                        if let Some(chat) = weak.upgrade() {
                            chat.begin_conversation();
                        }
                    });
                }
            }
        });
    }

    async fn load_newest(self: &Rc<Self>) {
        let Some(token) = self.token.borrow().clone() else {
            return;
        };
        let result = transport::history(&token, None).await;
        // Another signed-in user may have made the widget start over meanwhile.
        if self.token.borrow().as_deref() != Some(token.as_str()) {
            return;
        }
        match result {
            Ok(page) => {
                self.thread
                    .update(|t| drop(t.merge_page(page.items, page.next_before)));
                self.after_change();
            }
            Err(NetError::Refused {
                code: ErrorCode::InvalidToken | ErrorCode::MissingToken,
                ..
            }) => self.forget_conversation(),
            // Offline or a hiccup: the socket's resume fills the thread in.
            Err(e) => warn("history not loaded", &e.describe()),
        }
    }

    /// The edge no longer accepts our token (secret rotated, site gone): start afresh.
    fn forget_conversation(&self) {
        self.storage.forget_token();
        *self.token.borrow_mut() = None;
        self.connection.set(Connection::Idle);
    }

    fn connect(self: &Rc<Self>) {
        let Some(token) = self.token.borrow().clone() else {
            return;
        };
        let generation = self.generation.get().wrapping_add(1);
        self.generation.set(generation);
        let weak: Weak<Chat> = Rc::downgrade(self);
        // The edge resumes from here before sending anything live (docs/API.md, "Resume").
        let after_seq = self.thread.with_untracked(|t| t.resume_after());
        let socket = Socket::connect(&token, after_seq, move |event| {
            if let Some(chat) = weak.upgrade() {
                chat.on_socket(generation, event);
            }
        });
        match socket {
            // Replacing drops the previous socket, which closes it and silences its handlers.
            Ok(s) => drop(self.socket.replace(Some(s))),
            Err(e) => {
                warn("socket not opened", &e.describe());
                self.reconnect_later(generation);
            }
        }
    }

    fn on_socket(self: &Rc<Self>, generation: u32, event: SocketEvent) {
        if generation != self.generation.get() {
            return;
        }
        match event {
            SocketEvent::Frame(frame) => self.on_frame(*frame),
            SocketEvent::Closed => {
                self.agent_typing.set(false);
                self.reconnect_later(generation);
            }
        }
    }

    fn next_delay(&self) -> u32 {
        let mut backoff = self.backoff.get();
        let delay = backoff.next_delay(js_sys::Math::random());
        self.backoff.set(backoff);
        delay
    }

    /// Shows "reconnecting" and tries again after the backoff delay, unless a newer socket has
    /// been opened meanwhile. The dead socket stays until then: it is not dropped from inside its
    /// own handler.
    fn reconnect_later(self: &Rc<Self>, generation: u32) {
        self.connection.set(Connection::Reconnecting);
        let delay = self.next_delay();
        let weak = Rc::downgrade(self);
        spawn_local(async move {
            transport::sleep(delay).await;
            if let Some(chat) = weak.upgrade() {
                if chat.generation.get() == generation {
                    chat.connect();
                }
            }
        });
    }

    fn on_frame(self: &Rc<Self>, frame: ServerFrame) {
        match frame.event {
            // The socket was opened with `after_seq`: `sync` follows by itself.
            ServerEvent::Welcome(w) => {
                self.conversation_id.set(Some(w.conversation_id));
                self.ticket.set(w.ticket);
            }
            ServerEvent::Sync { items, complete } => {
                let last = items.last().map(Item::seq);
                self.apply(items);
                if complete {
                    self.backoff.set(Backoff::default());
                    self.connection.set(Connection::Live);
                    self.flush_unsent();
                } else if frame.re.is_some() {
                    // The answer to a `resume` of ours (after a hole): ask for the rest. The
                    // catch-up on connecting (no `re`) continues by itself.
                    self.resume_from(last);
                }
            }
            ServerEvent::MessageCreated(m) => self.apply(vec![Item::Message(m)]),
            ServerEvent::TicketStatusChanged(c) => self.apply(vec![Item::StatusChange(c)]),
            ServerEvent::Ack { client_id, seq } => self.thread.update(|t| t.ack(&client_id, seq)),
            ServerEvent::TicketUpdated { ticket } => self.ticket.set(ticket),
            // Who is there changed: the away message and the team card follow at once.
            ServerEvent::Availability {
                agents_online,
                team,
            } => self.config.update(|c| {
                if let Some(c) = c {
                    c.agents_online = agents_online;
                    c.team = team;
                }
            }),
            ServerEvent::Typing { author, on } if author != Author::Visitor => {
                self.agent_typing.set(on);
            }
            ServerEvent::Read {
                by: Author::Agent { .. },
                seq,
            } => self.read_by_agent.update(|r| *r = (*r).max(seq)),
            ServerEvent::Error(e) => {
                warn("refused", &e.message);
                // Our sends carry their client id as request id. A refusal for a reason that
                // retrying cannot fix marks the message failed instead of resending it forever.
                let retryable = matches!(e.code, ErrorCode::Internal | ErrorCode::RateLimited);
                if let (Some(re), false) = (frame.re, retryable) {
                    self.thread.update(|t| t.fail(&re));
                }
            }
            _ => {}
        }
    }

    /// Asks for the items after the end of the run without holes (a hole was seen).
    fn resume(&self) {
        self.resume_from(None);
    }

    fn resume_from(&self, after: Option<u64>) {
        let after_seq = after.unwrap_or_else(|| self.thread.with_untracked(|t| t.resume_after()));
        self.send_frame(Some("resume".into()), ClientMessage::Resume { after_seq });
    }

    fn apply(self: &Rc<Self>, items: Vec<Item>) {
        let merged = self
            .thread
            .try_update(|t| t.merge(items))
            .unwrap_or_default();
        if merged.gap {
            self.resume();
        }
        for (seq, author, text) in merged.new_messages {
            if author != Author::Visitor {
                self.agent_typing.set(false);
            }
            if let Some(host) = &self.host {
                host.post(FrameMessage::Message { seq, author, text });
            }
        }
        self.after_change();
    }

    /// After the thread or the panel changed: mark read if visible, tell the loader the unread
    /// count if it moved.
    fn after_change(&self) {
        if self.open.get_untracked() {
            if let Some(Some(seq)) = self.thread.try_update(Thread::mark_read) {
                self.storage.set_last_read(seq);
            }
            // A receipt for the agents, for what the panel shows while the visitor can see it.
            let visible = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| !d.hidden());
            let newest = self.thread.with_untracked(Thread::newest_theirs);
            if visible
                && newest > self.read_sent.get()
                && self.send_frame(None, ClientMessage::Read { seq: newest })
            {
                self.read_sent.set(newest);
            }
        }
        let unread = self.thread.with_untracked(Thread::unread);
        if self.unread_posted.replace(Some(unread)) != Some(unread) {
            if let Some(host) = &self.host {
                host.post(FrameMessage::Unread { count: unread });
            }
        }
    }

    fn flush_unsent(&self) {
        for p in self.thread.with_untracked(Thread::unsent) {
            self.send_message(
                p.client_id,
                Body {
                    text: p.text,
                    reply_to: p.reply_to,
                    attachments: p.attachments,
                    ..Default::default()
                },
            );
        }
    }

    fn send_message(&self, client_id: String, body: Body) {
        // The request id is the client id, so that an `error` answer names the message.
        self.send_frame(
            Some(client_id.clone()),
            ClientMessage::SendMessage(SendMessage { client_id, body }),
        );
    }

    /// The visitor rates the solved ticket: sent if it keeps the rules (scores in range, a
    /// comment not too long). The ticket's rating comes back in `ticket_updated`.
    pub fn rate(&self, mut rating: Rating) -> bool {
        validate::rating(&mut rating).is_ok()
            && self.send_frame(Some(new_client_id()), ClientMessage::Rate(rating))
    }

    fn send_frame(&self, id: Option<String>, msg: ClientMessage) -> bool {
        let frame = ClientFrame { id, msg };
        self.socket
            .borrow()
            .as_ref()
            .is_some_and(|s| s.send(&frame))
    }
}

/// What is remembered of a verified identity: the id, name and email, one per line (an id
/// cannot hold a line break the edge accepts).
fn identity_key(who: &IdentifyRequest) -> String {
    format!(
        "{}\n{}\n{}",
        who.id,
        who.name.as_deref().unwrap_or_default(),
        who.email.as_deref().unwrap_or_default()
    )
}

/// Whether `c` is a `#rrggbb` colour (the only form set as a CSS value).
pub fn is_color(c: &str) -> bool {
    // Bytes, not a string slice: slicing a `str` brings its panic path into the wasm.
    let b = c.as_bytes();
    b.len() == 7 && b[0] == b'#' && b.iter().skip(1).all(u8::is_ascii_hexdigit)
}

/// A fresh idempotency id: a UUID (36 characters of hex and `-`, a valid id).
fn new_client_id() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        // Only very old browsers lack randomUUID; uniqueness per visitor is all that matters.
        .unwrap_or_else(|| {
            format!(
                "c{}-{}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * 1e12) as u64
            )
        })
}

/// A warning in the frame's console, for the site's developer: what failed, and why.
fn warn(what: &str, why: &str) {
    web_sys::console::warn_2(&what.into(), &why.into());
}
