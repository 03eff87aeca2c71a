//! The console's controller: who is signed in, the console socket that keeps the [`Inbox`]
//! live (snapshot, then changes; reconnect with backoff), presence, the screen shown, the
//! notification choices, and the admin actions. Components read its signals and call its
//! methods; the network is behind [`api`], the rules in the plain modules.

use leptos::prelude::*;
use leptos::task::spawn_local;
use porchlight_shared::console::{
    AgentChanges, AgentProfile, AgentRole, CannedResponse, ConsoleEvent, LoginRequest, Me, NewAgent,
};
use porchlight_shared::records::detail::RecordDetail;
use porchlight_shared::records::query::RecordQuery;
use porchlight_shared::records::report::Report;
use porchlight_shared::records::row::RecordPage;
use porchlight_shared::routing::Presence;
use porchlight_shared::ErrorCode;

use crate::api::{self, ApiError, Socket, SocketEvent};
use crate::browser;
use crate::conversation::Conversation;
use crate::inbox::{Inbox, Notice};
use crate::names;
use crate::prefs::{self, Prefs};
use crate::route::Route;
use crate::timing::Backoff;

/// Where the console stands with the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Asking the edge who is signed in.
    Starting,
    /// Nobody is: the sign-in form.
    SignedOut,
    /// Someone is: the console.
    SignedIn,
}

/// A socket's state as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Opening, not yet in sync.
    Connecting,
    /// In sync and live.
    Live,
    /// Dropped; trying again.
    Reconnecting,
}

impl Link {
    /// A stable name for attributes and tests.
    pub fn name(self) -> &'static str {
        match self {
            Link::Connecting => "connecting",
            Link::Live => "live",
            Link::Reconnecting => "reconnecting",
        }
    }
}

/// The signed-in console.
#[derive(Clone, Copy)]
pub struct Session {
    /// Where the console stands.
    pub phase: RwSignal<Phase>,
    /// The signed-in account.
    pub me: RwSignal<Option<Me>>,
    /// Live tickets and team.
    pub inbox: RwSignal<Inbox>,
    /// The console socket.
    pub link: RwSignal<Link>,
    /// The screen shown.
    pub route: RwSignal<Route>,
    /// Notification choices.
    pub prefs: RwSignal<Prefs>,
    /// The site's canned responses.
    pub canned: RwSignal<Vec<CannedResponse>>,
    /// A message for the whole console (failed presence change, session ended).
    pub alert: RwSignal<Option<String>>,
    /// The open conversation.
    pub conversation: Conversation,
    /// The records search last shown (its query string): where a record's "Back to records"
    /// goes.
    pub records_search: StoredValue<String>,
    socket: StoredValue<Option<Socket>, LocalStorage>,
    generation: StoredValue<u32>,
    backoff: StoredValue<Backoff>,
}

impl Session {
    /// A console that has not asked the edge anything yet. Create it inside the app's owner.
    pub fn new() -> Session {
        let phase = RwSignal::new(Phase::Starting);
        let prefs = RwSignal::new(Prefs::decode(
            &browser::load(prefs::KEY).unwrap_or_default(),
        ));
        Session {
            phase,
            me: RwSignal::new(None),
            inbox: RwSignal::new(Inbox::default()),
            link: RwSignal::new(Link::Connecting),
            route: RwSignal::new(Route::parse(&browser::hash())),
            prefs,
            canned: RwSignal::new(Vec::new()),
            alert: RwSignal::new(None),
            conversation: Conversation::new(prefs, phase),
            records_search: StoredValue::new(String::new()),
            socket: StoredValue::new_local(None),
            generation: StoredValue::new(0),
            backoff: StoredValue::new(Backoff::default()),
        }
    }

    /// Follows the URL fragment, opens the conversation it names, and learns who is signed in
    /// (from the page, or else from the edge).
    pub fn start(self) {
        browser::on_hash_change(move || self.route.set(Route::parse(&browser::hash())));
        Effect::new(move |_| {
            let signed_in = self.phase.get() == Phase::SignedIn;
            let me = self.me.with(|m| m.as_ref().map(|m| m.agent.id.clone()));
            match (self.route.with(|r| r.conversation().map(str::to_owned)), me) {
                (Some(id), Some(me)) if signed_in => self.conversation.open(&id, &me),
                _ => self.conversation.close(),
            }
        });
        // Any part of the console that learns the session is gone sets the phase; the cleanup
        // is here, once.
        Effect::new(move |_| {
            if self.phase.get() == Phase::SignedOut {
                self.forget();
            }
        });
        // The page says who is signed in; only when it cannot tell is the edge asked.
        match browser::page_session() {
            Some(Some(me)) => self.signed_in(me),
            Some(None) => self.phase.set(Phase::SignedOut),
            None => spawn_local(async move {
                match api::me().await {
                    Ok(me) => self.signed_in(me),
                    Err(e) => {
                        if !e.signed_out() {
                            self.alert.set(Some(e.describe()));
                        }
                        self.phase.set(Phase::SignedOut);
                    }
                }
            }),
        }
    }

    /// The signed-in agent's id (empty when signed out).
    pub fn me_id(self) -> String {
        self.me
            .with_untracked(|m| m.as_ref().map(|m| m.agent.id.clone()))
            .unwrap_or_default()
    }

    /// The signed-in account's role (an agent's when signed out; reactive).
    pub fn role(self) -> AgentRole {
        self.me
            .with(|m| m.as_ref().map(|m| m.agent.role))
            .unwrap_or(AgentRole::Agent)
    }

    /// Whether the signed-in account is an admin (reactive).
    pub fn is_admin(self) -> bool {
        self.me.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.agent.role.allows(AgentRole::Admin))
        })
    }

    /// Signs in. The error is a sentence for the form.
    pub async fn sign_in(
        self,
        site_id: String,
        email: String,
        password: String,
    ) -> Result<(), String> {
        let request = LoginRequest {
            site_id: site_id.trim().to_owned(),
            email: email.trim().to_owned(),
            password,
        };
        match api::login(&request).await {
            Ok(me) => {
                self.alert.set(None);
                self.signed_in(me);
                Ok(())
            }
            // The same answer for an unknown account and a wrong password, on purpose.
            Err(ApiError::Refused { status: 401, .. }) => {
                Err("Wrong email or password for this site.".to_owned())
            }
            Err(ApiError::Refused {
                code: ErrorCode::InvalidField | ErrorCode::BadJson,
                ..
            }) => Err("Fill in the site, a valid email and the password.".to_owned()),
            Err(e) => Err(e.describe()),
        }
    }

    fn signed_in(self, me: Me) {
        self.me.set(Some(me));
        self.phase.set(Phase::SignedIn);
        self.connect();
        self.refresh_canned();
    }

    /// Signs out here and on the edge.
    pub fn sign_out(self) {
        spawn_local(async move {
            // Whatever the edge answers, this tab forgets the session.
            let _ = api::logout().await;
            self.phase.set(Phase::SignedOut);
        });
    }

    /// Drops everything the signed-in console held.
    fn forget(self) {
        self.generation.update_value(|g| *g = g.wrapping_add(1));
        self.socket.set_value(None);
        self.conversation.close();
        self.me.set(None);
        self.inbox.set(Inbox::default());
        self.canned.set(Vec::new());
        self.link.set(Link::Connecting);
    }

    /// A request failed: an ended session shows the sign-in, anything else is returned as a
    /// sentence.
    fn failed(self, e: &ApiError) -> Option<String> {
        if e.signed_out() {
            self.alert
                .set(Some("Your session has ended. Sign in again.".to_owned()));
            self.phase.set(Phase::SignedOut);
            return None;
        }
        Some(e.describe())
    }

    fn connect(self) {
        self.generation.update_value(|g| *g = g.wrapping_add(1));
        let generation = self.generation.get_value();
        self.link.set(Link::Connecting);
        let socket = Socket::open::<ConsoleEvent>(api::CONSOLE_SOCKET, move |event| {
            self.on_socket(generation, event);
        });
        match socket {
            Ok(s) => self.socket.set_value(Some(s)),
            Err(_) => self.reconnect_later(generation),
        }
    }

    fn stale(self, generation: u32) -> bool {
        self.generation.try_get_value() != Some(generation)
    }

    fn on_socket(self, generation: u32, event: SocketEvent<ConsoleEvent>) {
        if self.stale(generation) {
            return;
        }
        match event {
            SocketEvent::Open => {}
            SocketEvent::Frame(event) => {
                if matches!(event, ConsoleEvent::Snapshot { .. }) {
                    self.backoff.set_value(Backoff::default());
                    self.link.set(Link::Live);
                }
                let me = self.me_id();
                if let Some(Some(notice)) = self.inbox.try_update(|i| i.apply(event, &me)) {
                    self.on_notice(notice);
                }
            }
            SocketEvent::Closed => self.reconnect_later(generation),
        }
    }

    fn reconnect_later(self, generation: u32) {
        self.link.set(Link::Reconnecting);
        let delay = browser::next_delay(self.backoff);
        spawn_local(async move {
            api::sleep(delay).await;
            if self.stale(generation) {
                return;
            }
            // A refused upgrade is invisible to pages: ask the edge whether we are signed in.
            match api::me().await {
                Err(e) if e.signed_out() => drop(self.failed(&e)),
                _ if self.stale(generation) => {}
                _ => self.connect(),
            }
        });
    }

    fn on_notice(self, notice: Notice) {
        match notice {
            Notice::Offer(t) => tell(
                self.prefs.get_untracked(),
                "New conversation offered to you",
                &format!(
                    "{} is waiting for an answer.",
                    names::visitor_title(t.visitor_name.as_deref(), &t.conversation_id)
                ),
                &format!("offer-{}-{}", t.conversation_id, t.number),
            ),
            Notice::Message(t) => {
                // The open conversation tells the agent itself.
                let open = self
                    .conversation
                    .id
                    .with_untracked(|c| c.as_deref() == Some(t.conversation_id.as_str()));
                if !open {
                    let who = names::visitor_title(t.visitor_name.as_deref(), &t.conversation_id);
                    tell(
                        self.prefs.get_untracked(),
                        &format!("New message from {who}"),
                        t.preview.as_deref().unwrap_or_default(),
                        &format!("message-{}", t.conversation_id),
                    );
                }
            }
        }
    }

    /// Goes to a screen.
    pub fn go(self, route: &Route) {
        browser::set_hash(&route.hash());
        // hashchange follows; setting it here too makes the change immediate.
        self.route.set(route.clone());
    }

    /// Sets my availability.
    pub fn set_presence(self, presence: Presence) {
        spawn_local(async move {
            match api::set_presence(presence).await {
                Ok(member) => {
                    self.alert.set(None);
                    self.inbox.update(|i| i.upsert_member(member));
                }
                Err(e) => {
                    if let Some(text) = self.failed(&e) {
                        self.alert
                            .set(Some(format!("Availability not changed. {text}")));
                    }
                }
            }
        });
    }

    /// Accepts a ticket offered to me and opens it.
    pub fn accept_offer(self, conversation_id: String) {
        spawn_local(async move {
            match api::accept(&conversation_id).await {
                Ok(_) => {
                    self.alert.set(None);
                    // The agent's next step is to write: the reply box takes the focus once
                    // the conversation is shown.
                    self.conversation.focus_reply.set(true);
                    self.go(&Route::Conversation(conversation_id));
                }
                Err(e) => {
                    if let Some(text) = self.failed(&e) {
                        self.alert.set(Some(format!("Not accepted. {text}")));
                    }
                }
            }
        });
    }

    /// Changes the notification choices (from a click, so that the browser may ask for
    /// permission and allow sound).
    pub fn set_prefs(self, wanted: Prefs) {
        let before = self.prefs.get_untracked();
        if wanted.sound && !before.sound {
            browser::prime_audio();
            browser::chime();
        }
        if wanted.notifications && !before.notifications && !browser::notifications_allowed() {
            browser::request_notifications(move |granted| {
                let prefs = Prefs {
                    notifications: granted,
                    ..wanted
                };
                if !granted {
                    self.alert.set(Some(
                        "The browser does not allow notifications for this page.".to_owned(),
                    ));
                }
                self.keep_prefs(prefs);
            });
            return;
        }
        self.keep_prefs(wanted);
    }

    fn keep_prefs(self, prefs: Prefs) {
        browser::store(prefs::KEY, &prefs.encode());
        self.prefs.set(prefs);
    }

    // ---- records ----------------------------------------------------------------------------

    /// One page of a records search (operators and admins). The error is a sentence for the
    /// screen; `None` when the session ended (the sign-in shows).
    pub async fn records(self, q: RecordQuery) -> Result<RecordPage, Option<String>> {
        api::records(&q).await.map_err(|e| self.records_failed(e))
    }

    /// One conversation's record. The error is a sentence (`None`: signed out).
    pub async fn record_detail(self, id: String) -> Result<RecordDetail, Option<String>> {
        api::record_detail(&id)
            .await
            .map_err(|e| self.records_failed(e))
    }

    /// The report of a period. The error is a sentence (`None`: signed out).
    pub async fn report(self, q: RecordQuery, zone: String) -> Result<Report, Option<String>> {
        api::report(&q, &zone)
            .await
            .map_err(|e| self.records_failed(e))
    }

    fn records_failed(self, e: ApiError) -> Option<String> {
        match e {
            ApiError::Refused { status: 403, .. } => Some(crate::records::NOT_ALLOWED.to_owned()),
            e => self.failed(&e),
        }
    }

    /// Whether the signed-in account may see the conversation records (reactive).
    pub fn sees_records(self) -> bool {
        self.me.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.agent.role.allows(AgentRole::Operator))
        })
    }

    // ---- admin -------------------------------------------------------------------------------

    /// Reloads the team (the socket keeps it live; this also brings in new accounts' profiles).
    pub fn refresh_team(self) {
        spawn_local(async move {
            match api::team().await {
                Ok(team) => self.inbox.update(|i| i.set_team(team.members)),
                Err(e) => {
                    if let Some(text) = self.failed(&e) {
                        self.alert.set(Some(text));
                    }
                }
            }
        });
    }

    /// Reloads the canned responses.
    pub fn refresh_canned(self) {
        spawn_local(async move {
            match api::canned().await {
                Ok(list) => self.canned.set(list.responses),
                Err(e) => drop(self.failed(&e)),
            }
        });
    }

    /// Invites an agent (admins). The error is a sentence for the form.
    pub async fn invite(self, agent: NewAgent) -> Result<AgentProfile, String> {
        match api::create_agent(&agent).await {
            Ok(profile) => {
                self.refresh_team();
                Ok(profile)
            }
            Err(e) => Err(self.failed(&e).unwrap_or_default()),
        }
    }

    /// Changes an agent's name, role, skills or capacity (admins).
    pub async fn update_agent(
        self,
        id: String,
        changes: AgentChanges,
    ) -> Result<AgentProfile, String> {
        match api::update_agent(&id, &changes).await {
            Ok(profile) => {
                self.refresh_team();
                Ok(profile)
            }
            Err(e) => Err(self.failed(&e).unwrap_or_default()),
        }
    }

    /// Creates or replaces a canned response (admins).
    pub async fn save_canned(self, shortcut: String, text: String) -> Result<(), String> {
        match api::put_canned(&shortcut, &text).await {
            Ok(saved) => {
                self.canned.update(|list| {
                    list.retain(|r| r.shortcut != saved.shortcut);
                    list.push(saved);
                    list.sort_by(|a, b| a.shortcut.cmp(&b.shortcut));
                });
                Ok(())
            }
            Err(e) => Err(self.failed(&e).unwrap_or_default()),
        }
    }

    /// Deletes a canned response (admins).
    pub async fn delete_canned(self, shortcut: String) -> Result<(), String> {
        match api::delete_canned(&shortcut).await {
            Ok(()) => {
                self.canned
                    .update(|list| list.retain(|r| r.shortcut != shortcut));
                Ok(())
            }
            Err(e) => Err(self.failed(&e).unwrap_or_default()),
        }
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// Tells the agent about something new, as they chose: a sound, and a browser notification when
/// the console is in the background (in front, the console shows it itself).
pub fn tell(prefs: Prefs, title: &str, body: &str, tag: &str) {
    if prefs.sound {
        browser::chime();
    }
    if prefs.notifications && browser::hidden() {
        browser::notify(title, body, tag);
    }
}
