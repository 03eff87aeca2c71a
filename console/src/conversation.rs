//! The open conversation's controller: loads its history, visitor panel and live ticket, keeps
//! its agent socket (opened with the `seq` to resume after, merge live events, reconnect with
//! backoff), and
//! runs the agent's actions. It pushes what arrives into the pure [`Thread`] and asks
//! [`actions`](crate::actions) what may be done; components read its signals and call its
//! methods.

use leptos::prelude::*;
use leptos::task::spawn_local;
use porchlight_shared::console::Transfer;
use porchlight_shared::protocol::{
    Author, Body, ClientFrame, ClientMessage, Item, SendMessage, ServerEvent, ServerFrame,
    TicketView, VisitorPanel,
};
use porchlight_shared::{validate, ErrorCode, Status};

use crate::api::{self, ApiError, Socket, SocketEvent};
use crate::browser;
use crate::prefs::Prefs;
use crate::session::{tell, Link, Phase};
use crate::thread::{Kind, Thread};
use crate::timing::Backoff;

/// A ticket action from the conversation's toolbar.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Accept the New ticket.
    Accept,
    /// Set the live ticket's status.
    SetStatus(Status),
    /// Finish the conversation: the live ticket closes now.
    Finish,
    /// Hand the ticket to an agent or a department.
    Transfer(Transfer),
}

/// How long a "typing" signal lasts without another keystroke before it is sent again.
const TYPING_REFRESH_MS: i64 = 4_000;

/// The id of the composer's text box (the reply box), where the focus goes for writing.
pub const COMPOSER_INPUT_ID: &str = "composer-input";

/// The conversation being looked at (at most one at a time).
#[derive(Clone, Copy)]
pub struct Conversation {
    /// Its id, while one is open.
    pub id: RwSignal<Option<String>>,
    /// Everything in it, across tickets.
    pub thread: RwSignal<Thread>,
    /// Its live ticket.
    pub ticket: RwSignal<Option<TicketView>>,
    /// Who the visitor is.
    pub visitor: RwSignal<Option<VisitorPanel>>,
    /// Who else is typing (the visitor, or another agent).
    pub typing: RwSignal<Option<Author>>,
    /// The agent socket's state.
    pub link: RwSignal<Link>,
    /// The first page is loading.
    pub loading: RwSignal<bool>,
    /// An older page is loading.
    pub loading_older: RwSignal<bool>,
    /// The last action's failure, for people.
    pub error: RwSignal<Option<String>>,
    /// An action is on its way.
    pub busy: RwSignal<bool>,
    /// The reply box is to take the focus as soon as it can be used (the ticket was accepted:
    /// the agent's next step is to write). The composer clears it once it has.
    pub focus_reply: RwSignal<bool>,
    me: StoredValue<String>,
    prefs: RwSignal<Prefs>,
    phase: RwSignal<Phase>,
    socket: StoredValue<Option<Socket>, LocalStorage>,
    /// Bumped on every open and connect: answers for an older one are dropped.
    generation: StoredValue<u32>,
    backoff: StoredValue<Backoff>,
    typing_since: StoredValue<Option<i64>>,
}

impl Conversation {
    /// A closed conversation view; `prefs` and `phase` are the session's.
    pub fn new(prefs: RwSignal<Prefs>, phase: RwSignal<Phase>) -> Conversation {
        Conversation {
            id: RwSignal::new(None),
            thread: RwSignal::new(Thread::default()),
            ticket: RwSignal::new(None),
            visitor: RwSignal::new(None),
            typing: RwSignal::new(None),
            link: RwSignal::new(Link::Connecting),
            loading: RwSignal::new(false),
            loading_older: RwSignal::new(false),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
            focus_reply: RwSignal::new(false),
            me: StoredValue::new(String::new()),
            prefs,
            phase,
            socket: StoredValue::new_local(None),
            generation: StoredValue::new(0),
            backoff: StoredValue::new(Backoff::default()),
            typing_since: StoredValue::new(None),
        }
    }

    /// Opens conversation `id` for agent `me` (nothing happens if it is already open).
    pub fn open(self, id: &str, me: &str) {
        if self.id.get_untracked().as_deref() == Some(id) {
            return;
        }
        self.close();
        let generation = self.generation.get_value();
        self.me.set_value(me.to_owned());
        self.id.set(Some(id.to_owned()));
        self.loading.set(true);
        let id = id.to_owned();
        spawn_local(async move {
            let page = api::history(&id, None).await;
            if self.stale(generation) {
                return;
            }
            match page {
                Ok(page) => {
                    self.thread
                        .update(|t| drop(t.merge_page(page.items, page.next_before)));
                    self.connect(generation);
                }
                Err(e) => {
                    if let Some(text) = self.failed(&e) {
                        self.error.set(Some(text));
                    }
                }
            }
            self.loading.set(false);
        });
        self.refresh_ticket();
        self.refresh_visitor();
    }

    /// Closes the conversation: its socket goes, its state is forgotten.
    pub fn close(self) {
        self.stop_typing();
        self.generation.update_value(|g| *g = g.wrapping_add(1));
        self.socket.set_value(None);
        self.backoff.set_value(Backoff::default());
        self.id.set(None);
        self.thread.set(Thread::default());
        self.ticket.set(None);
        self.visitor.set(None);
        self.typing.set(None);
        self.error.set(None);
        self.busy.set(false);
        self.loading.set(false);
        self.loading_older.set(false);
        self.link.set(Link::Connecting);
    }

    fn stale(self, generation: u32) -> bool {
        self.generation.try_get_value() != Some(generation)
    }

    fn current(self) -> Option<(String, u32)> {
        Some((self.id.get_untracked()?, self.generation.get_value()))
    }

    /// Reloads the live ticket (after a refused action, the state may have moved on).
    pub fn refresh_ticket(self) {
        let Some((id, generation)) = self.current() else {
            return;
        };
        spawn_local(async move {
            let state = api::ticket(&id).await;
            if self.stale(generation) {
                return;
            }
            match state {
                Ok(s) => self.ticket.set(s.ticket),
                Err(e) => drop(self.failed(&e)),
            }
        });
    }

    /// Reloads the visitor panel (identity, attributes, past tickets).
    pub fn refresh_visitor(self) {
        let Some((id, generation)) = self.current() else {
            return;
        };
        spawn_local(async move {
            let panel = api::visitor(&id).await;
            if self.stale(generation) {
                return;
            }
            match panel {
                Ok(p) => self.visitor.set(Some(p)),
                // The panel is secondary: its failure is not worth an alert.
                Err(e) if e.signed_out() => drop(self.failed(&e)),
                Err(_) => {}
            }
        });
    }

    /// Loads the next older page of history.
    pub fn load_older(self) {
        let Some((id, generation)) = self.current() else {
            return;
        };
        let Some(before) = self.thread.with_untracked(|t| t.older_page()) else {
            return;
        };
        if self.loading_older.get_untracked() {
            return;
        }
        self.loading_older.set(true);
        spawn_local(async move {
            let page = api::history(&id, Some(before)).await;
            if self.stale(generation) {
                return;
            }
            match page {
                Ok(page) => self
                    .thread
                    .update(|t| drop(t.merge_page(page.items, page.next_before))),
                Err(e) => drop(self.failed(&e)),
            }
            self.loading_older.set(false);
        });
    }

    fn connect(self, generation: u32) {
        let Some(id) = self.id.get_untracked() else {
            return;
        };
        // The edge resumes from here before sending anything live (docs/API.md, "Resume").
        let after_seq = self.thread.with_untracked(|t| t.resume_after());
        let path = api::conversation_socket(&id, after_seq);
        let socket = Socket::open::<ServerFrame>(&path, move |event| {
            self.on_socket(generation, event);
        });
        match socket {
            Ok(s) => self.socket.set_value(Some(s)),
            Err(_) => self.reconnect_later(generation),
        }
    }

    fn on_socket(self, generation: u32, event: SocketEvent<ServerFrame>) {
        if self.stale(generation) {
            return;
        }
        match event {
            SocketEvent::Open => {}
            SocketEvent::Frame(frame) => self.on_frame(frame),
            SocketEvent::Closed => {
                self.typing.set(None);
                self.reconnect_later(generation);
            }
        }
    }

    /// Shows "reconnecting" and tries again after the backoff delay, unless the conversation
    /// was closed or reopened meanwhile. A session that ended sends the agent to sign in.
    fn reconnect_later(self, generation: u32) {
        self.link.set(Link::Reconnecting);
        let delay = browser::next_delay(self.backoff);
        spawn_local(async move {
            api::sleep(delay).await;
            if self.stale(generation) {
                return;
            }
            // The upgrade's own refusal is invisible to pages: ask who we are.
            if let Err(e) = api::me().await {
                if e.signed_out() {
                    drop(self.failed(&e));
                    return;
                }
            }
            if !self.stale(generation) {
                self.connect(generation);
            }
        });
    }

    fn on_frame(self, frame: ServerFrame) {
        match frame.event {
            // The socket was opened with `after_seq`: `sync` follows by itself.
            ServerEvent::Welcome(w) => self.ticket.set(w.ticket),
            ServerEvent::Sync { items, complete } => {
                let last = items.last().map(Item::seq);
                self.merge(items);
                if complete {
                    self.backoff.set_value(Backoff::default());
                    self.link.set(Link::Live);
                } else if frame.re.is_some() {
                    // The answer to a `resume` of ours (after a hole): ask for the rest. The
                    // catch-up on connecting (no `re`) continues by itself.
                    self.resume_from(last);
                }
            }
            ServerEvent::MessageCreated(m) => self.merge(vec![Item::Message(m)]),
            ServerEvent::NoteCreated(m) => self.merge(vec![Item::Note(m)]),
            ServerEvent::TicketStatusChanged(c) => self.merge(vec![Item::StatusChange(c)]),
            ServerEvent::TicketTransferred(t) => self.merge(vec![Item::Transfer(t)]),
            ServerEvent::TicketUpdated { ticket } => {
                self.ticket.set(ticket);
                self.refresh_visitor();
            }
            ServerEvent::Typing { author, on } => {
                let me = Author::Agent {
                    id: self.me.get_value(),
                };
                if author != me {
                    self.typing.set(on.then_some(author));
                }
            }
            ServerEvent::Error(e) => {
                web_sys::console::warn_1(&format!("refused: {}", e.message).into());
            }
            ServerEvent::Ack { .. }
            | ServerEvent::Ok
            | ServerEvent::Pong
            | ServerEvent::Read { .. }
            // Sent to visitors only.
            | ServerEvent::Availability { .. }
            | ServerEvent::Unknown => {}
        }
    }

    /// Asks for the items after the end of the run without holes (a hole was seen).
    fn resume(self) {
        self.resume_from(None);
    }

    fn resume_from(self, after: Option<u64>) {
        let after_seq = after.unwrap_or_else(|| self.thread.with_untracked(|t| t.resume_after()));
        self.send_frame_with_id(Some("resume".into()), ClientMessage::Resume { after_seq });
    }

    fn send_frame(self, msg: ClientMessage) -> bool {
        self.send_frame_with_id(None, msg)
    }

    fn send_frame_with_id(self, id: Option<String>, msg: ClientMessage) -> bool {
        let frame = ClientFrame { id, msg };
        self.socket
            .try_with_value(|s| s.as_ref().is_some_and(|s| s.send(&frame)))
            .unwrap_or(false)
    }

    /// Merges items; a hole asks for a resume; a visitor's new message is announced.
    fn merge(self, items: Vec<Item>) {
        let Some(merged) = self.thread.try_update(|t| t.merge(items)) else {
            return;
        };
        if merged.gap {
            self.resume();
        }
        for item in merged.new_items {
            if let Item::Message(m) = item {
                if m.author == Author::Visitor {
                    self.typing.set(None);
                    tell(
                        self.prefs.get_untracked(),
                        "New message",
                        &m.body.text,
                        &format!("msg-{}", m.seq),
                    );
                }
            }
        }
    }

    /// The agent typed a key in the composer: tells the others, at most every few seconds.
    pub fn typed(self) {
        let now = browser::now();
        let since = self.typing_since.get_value();
        if since.is_none_or(|t| now - t > TYPING_REFRESH_MS)
            && self.send_frame(ClientMessage::Typing { on: true })
        {
            self.typing_since.set_value(Some(now));
        }
    }

    /// The agent sent, cleared the composer or left it.
    pub fn stop_typing(self) {
        if self.typing_since.try_get_value().flatten().is_some() {
            self.typing_since.set_value(None);
            self.send_frame(ClientMessage::Typing { on: false });
        }
    }

    /// Sends a reply or a note. False (and nothing kept) if the text breaks a rule.
    pub fn send(self, kind: Kind, text: &str) -> bool {
        let body = Body {
            text: text.trim_end().to_owned(),
            ..Default::default()
        };
        if validate::body(&body).is_err() || self.id.get_untracked().is_none() {
            return false;
        }
        let client_id = browser::client_id();
        self.thread
            .update(|t| t.queue(client_id.clone(), kind, body.text.clone()));
        self.stop_typing();
        self.post(kind, SendMessage { client_id, body });
        true
    }

    /// Sends a failed message again, with its client id (the edge stores it once).
    pub fn retry(self, client_id: &str) {
        if let Some(Some(p)) = self.thread.try_update(|t| t.retry(client_id)) {
            self.post(
                p.kind,
                SendMessage {
                    client_id: p.client_id,
                    body: Body {
                        text: p.text,
                        ..Default::default()
                    },
                },
            );
        }
    }

    fn post(self, kind: Kind, msg: SendMessage) {
        let Some((id, generation)) = self.current() else {
            return;
        };
        spawn_local(async move {
            let stored = match kind {
                Kind::Reply => api::send_reply(&id, &msg)
                    .await
                    .map(|a| Item::Message(a.message)),
                Kind::Note => api::send_note(&id, &msg).await.map(|a| Item::Note(a.note)),
            };
            if self.stale(generation) {
                return;
            }
            match stored {
                Ok(item) => self.merge(vec![item]),
                Err(e) => {
                    self.thread.update(|t| t.fail(&msg.client_id));
                    if let Some(text) = self.failed(&e) {
                        self.error.set(Some(text));
                    }
                }
            }
        });
    }

    /// Runs a ticket action; the answer is the live ticket afterwards. A refusal because the
    /// ticket moved on reloads it.
    pub fn act(self, action: Action) {
        let Some((id, generation)) = self.current() else {
            return;
        };
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        spawn_local(async move {
            let result = match &action {
                Action::Accept => api::accept(&id).await,
                Action::SetStatus(to) => api::set_status(&id, *to).await,
                Action::Finish => api::finish(&id).await,
                Action::Transfer(to) => api::transfer(&id, to).await,
            };
            if self.stale(generation) {
                return;
            }
            self.busy.set(false);
            match result {
                Ok(state) => {
                    self.ticket.set(state.ticket);
                    if matches!(action, Action::Accept) {
                        self.focus_reply.set(true);
                    } else {
                        // A status button stays where it was (pressed now); a control that went
                        // away with the change (Finish, Transfer) leaves the focus nowhere: the
                        // reply box takes it.
                        browser::after_render(|| {
                            if !browser::has_focus() {
                                browser::focus(COMPOSER_INPUT_ID);
                            }
                        });
                    }
                }
                Err(e) => {
                    if let Some(text) = self.failed(&e) {
                        self.error.set(Some(text));
                    }
                    if matches!(
                        e,
                        ApiError::Refused {
                            code: ErrorCode::InvalidTransition | ErrorCode::NoLiveTicket,
                            ..
                        }
                    ) {
                        self.refresh_ticket();
                    }
                }
            }
        });
    }

    /// A request failed: a signed-out session ends the console session; otherwise the
    /// sentence to show is returned.
    fn failed(self, e: &ApiError) -> Option<String> {
        if e.signed_out() {
            self.phase.set(Phase::SignedOut);
            return None;
        }
        Some(e.describe())
    }
}
