//! The `Team` Durable Object: one per site. It coordinates the site's agents: presence (from
//! their console sockets), load, the queue of tickets waiting for an agent, and the offers that
//! routing makes. Conversations report every ticket change to it; it decides with the pure
//! [`porchlight_shared::routing`] and pushes inbox updates and offers to the console sockets.

use std::cell::RefCell;

use porchlight_shared::console::{
    AgentProfile, ConsoleEvent, ConsoleRequest, InboxTicket, TeamMember,
};
use porchlight_shared::protocol::MAX_TEAM_SHOWN;
use porchlight_shared::routing::{serve_queue, AgentLoad, Presence, Waiting};
use porchlight_shared::validate::MAX_FRAME_BYTES;
use porchlight_shared::{ErrorCode, Millis, Status};
use serde::{Deserialize, Serialize};
use worker::{
    durable_object, Date, DurableObject, Env, Headers, Method, Request, Response, Result,
    SqlStorage, SqlStorageValue, State, WebSocket, WebSocketIncomingMessage, WebSocketPair,
};

use super::client::{Availability, TeamCtx, TicketReport, Watch, TEAM_CTX_HEADER};
use crate::error::{EdgeError, EdgeResult};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS members (
  agent_id TEXT PRIMARY KEY,
  profile TEXT NOT NULL,
  presence TEXT NOT NULL,
  idle_since INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tickets (
  conversation_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (conversation_id, number)
);
CREATE TABLE IF NOT EXISTS watchers (
  conversation_id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL
);
";

#[derive(Serialize, Deserialize)]
struct Socket {
    agent_id: String,
}

/// The coordinator of one site's team.
// Crate-visible: the runtime finds the class by its wasm-bindgen export, and the macro's
// generated glue (constructor, `fetch`) would otherwise be public items without docs.
#[durable_object]
pub(crate) struct Team {
    state: State,
    env: Env,
    /// The availability visitors were last told of (`None` after an eviction: the next change
    /// is then told even if it is none).
    told: RefCell<Option<Availability>>,
    sql: RefCell<Option<SqlStorage>>,
    /// The live tickets, decoded once and kept in step with every write: routing reads them
    /// several times per change.
    cache: RefCell<Option<Vec<InboxTicket>>>,
    /// Newest report seen per ticket (kept while the object lives; after an eviction the first
    /// report of each ticket is simply taken).
    seen: RefCell<std::collections::HashMap<String, u64>>,
}

impl DurableObject for Team {
    fn new(state: State, env: Env) -> Self {
        let sql = state.storage().sql();
        let sql = match sql.exec(SCHEMA, None) {
            Ok(_) => Some(sql),
            Err(e) => {
                worker::console_error!("team storage unavailable: {e}");
                None
            }
        };
        Team {
            state,
            env,
            told: RefCell::new(None),
            sql: RefCell::new(sql),
            cache: RefCell::new(None),
            seen: RefCell::new(std::collections::HashMap::new()),
        }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        match self.route(req).await {
            Ok(r) => Ok(r),
            Err(e) => e.response(),
        }
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> Result<()> {
        let text = match message {
            WebSocketIncomingMessage::String(t) if t.len() <= MAX_FRAME_BYTES => t,
            _ => return Ok(()),
        };
        let Some(sock) = ws.deserialize_attachment::<Socket>().ok().flatten() else {
            return Ok(());
        };
        match serde_json::from_str::<ConsoleRequest>(&text) {
            Ok(ConsoleRequest::SetPresence { presence }) => {
                if let Err(e) = self.set_presence(&sock.agent_id, presence, now()) {
                    worker::console_error!("presence not set: {e}");
                }
            }
            Ok(ConsoleRequest::Ping) => send(&ws, &ConsoleEvent::Pong),
            Ok(ConsoleRequest::Unknown) | Err(_) => {}
        }
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        _code: usize,
        _reason: String,
        _clean: bool,
    ) -> Result<()> {
        let _ = ws.close(Some(1000), Some("closing"));
        self.tab_gone(&ws);
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> Result<()> {
        self.tab_gone(&ws);
        Ok(())
    }
}

impl Team {
    fn sql<T>(&self, f: impl FnOnce(&SqlStorage) -> EdgeResult<T>) -> EdgeResult<T> {
        let guard = self.sql.borrow();
        let sql = guard
            .as_ref()
            .ok_or_else(|| EdgeError::internal("team storage", "not open"))?;
        f(sql)
    }

    async fn route(&self, mut req: Request) -> EdgeResult<Response> {
        let ctx: TeamCtx = req
            .headers()
            .get(TEAM_CTX_HEADER)?
            .and_then(|h| serde_json::from_str(&h).ok())
            .ok_or_else(|| EdgeError::internal("team request", "missing context"))?;
        let now = now();
        if let Some(p) = &ctx.account {
            self.upsert_member(p, now)?;
        }
        match (req.method(), req.path().as_str()) {
            (Method::Get, "/ws") => {
                let account = ctx.account.ok_or_else(forbidden)?;
                self.accept_socket(&account, now)
            }
            (Method::Post, "/report") => {
                let report: TicketReport = serde_json::from_slice(&req.bytes().await?)
                    .map_err(|e| EdgeError::internal("report", e))?;
                let key = key(&report.ticket);
                let stale = self
                    .seen
                    .borrow()
                    .get(&key)
                    .is_some_and(|newest| *newest > report.seq);
                if !stale {
                    self.seen.borrow_mut().insert(key, report.seq);
                    self.on_report(report.ticket, now)?;
                }
                Ok(Response::empty()?.with_status(204))
            }
            (Method::Put, "/presence") => {
                let account = ctx.account.ok_or_else(forbidden)?;
                #[derive(Deserialize)]
                struct Body {
                    presence: Presence,
                }
                let body: Body = serde_json::from_slice(&req.bytes().await?)
                    .map_err(|e| EdgeError::new(ErrorCode::BadJson, e.to_string()))?;
                let member = self.set_presence(&account.id, body.presence, now)?;
                Ok(Response::from_json(&member)?)
            }
            (Method::Post, "/member") => {
                let profile: AgentProfile = serde_json::from_slice(&req.bytes().await?)
                    .map_err(|e| EdgeError::internal("member", e))?;
                self.upsert_member(&profile, now)?;
                self.reroute(now)?;
                self.broadcast_loads()?;
                self.tell_visitors();
                Ok(Response::empty()?.with_status(204))
            }
            (Method::Get, "/inbox") => {
                Ok(Response::from_json(&porchlight_shared::console::Inbox {
                    tickets: self.tickets()?,
                })?)
            }
            (Method::Get, "/members") => Ok(Response::from_json(&self.members()?)?),
            (Method::Get, "/online") => Ok(Response::from_json(&self.availability()?)?),
            (Method::Post, "/watch") => {
                let watch: Watch = serde_json::from_slice(&req.bytes().await?)
                    .map_err(|e| EdgeError::internal("watch", e))?;
                self.sql(|s| {
                    s.exec(
                        "INSERT OR REPLACE INTO watchers (conversation_id, site_id) VALUES (?, ?)",
                        vec![
                            watch.conversation_id.as_str().into(),
                            ctx.site_id.as_str().into(),
                        ],
                    )
                    .map_err(|e| EdgeError::internal("watch", e))?;
                    Ok(())
                })?;
                Ok(Response::from_json(&self.availability()?)?)
            }
            _ => Err(EdgeError::new(ErrorCode::NotFound, "no such team action")),
        }
    }

    fn accept_socket(&self, account: &AgentProfile, now: Millis) -> EdgeResult<Response> {
        // Opening the console comes back online ("away" is kept across tabs). Done before the
        // socket joins, so that its first frame is the snapshot.
        if self.presence_of(&account.id)? == Presence::Offline {
            self.set_presence(&account.id, Presence::Online, now)?;
        }
        let pair = WebSocketPair::new()?;
        self.state
            .accept_websocket_with_tags(&pair.server, &[&account.id]);
        pair.server.serialize_attachment(Socket {
            agent_id: account.id.clone(),
        })?;
        send(
            &pair.server,
            &ConsoleEvent::Snapshot {
                tickets: self.tickets()?,
                team: self.members()?,
            },
        );
        for t in self.tickets()? {
            if t.offered_to.as_deref() == Some(account.id.as_str()) {
                send(&pair.server, &ConsoleEvent::Offer(t));
            }
        }
        let headers = Headers::new();
        headers.set(
            "Sec-WebSocket-Protocol",
            porchlight_shared::protocol::SUBPROTOCOL,
        )?;
        Ok(Response::from_websocket(pair.client)?.with_headers(headers))
    }

    /// A console tab closed: the agent goes offline when it was their last.
    fn tab_gone(&self, closing: &WebSocket) {
        let Some(sock) = closing.deserialize_attachment::<Socket>().ok().flatten() else {
            return;
        };
        let closing_raw = raw(closing);
        let others = self
            .state
            .get_websockets_with_tag(&sock.agent_id)
            .iter()
            .filter(|w| raw(w) != closing_raw)
            .count();
        if others == 0 {
            if let Err(e) = self.set_presence(&sock.agent_id, Presence::Offline, now()) {
                worker::console_error!("presence not dropped: {e}");
            }
        }
    }

    fn upsert_member(&self, p: &AgentProfile, now: Millis) -> EdgeResult<()> {
        let profile = serde_json::to_string(p).map_err(|e| EdgeError::internal("profile", e))?;
        self.sql(|s| {
            s.exec(
                "INSERT INTO members (agent_id, profile, presence, idle_since) VALUES (?, ?, 'offline', ?)
                 ON CONFLICT (agent_id) DO UPDATE SET profile = excluded.profile",
                vec![p.id.as_str().into(), profile.into(), now.into()],
            )
            .map_err(|e| EdgeError::internal("member", e))?;
            Ok(())
        })
    }

    fn presence_of(&self, agent_id: &str) -> EdgeResult<Presence> {
        Ok(self
            .loads()?
            .into_iter()
            .find(|a| a.id == agent_id)
            .map_or(Presence::Offline, |a| a.presence))
    }

    fn set_presence(
        &self,
        agent_id: &str,
        presence: Presence,
        now: Millis,
    ) -> EdgeResult<TeamMember> {
        let name = serde_json::to_value(presence)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.sql(|s| {
            s.exec(
                "UPDATE members SET presence = ?, idle_since = CASE WHEN presence = 'online' THEN idle_since ELSE ? END
                 WHERE agent_id = ?",
                vec![name.into(), now.into(), agent_id.into()],
            )
            .map_err(|e| EdgeError::internal("presence", e))?;
            Ok(())
        })?;
        self.reroute(now)?;
        let member = self
            .members()?
            .into_iter()
            .find(|m| m.agent.id == agent_id)
            .ok_or_else(|| EdgeError::new(ErrorCode::NotFound, "no such agent"))?;
        self.broadcast(&ConsoleEvent::MemberChanged(member.clone()));
        self.tell_visitors();
        Ok(member)
    }

    /// Who is there now: the members online (not away), by name.
    fn availability(&self) -> EdgeResult<Availability> {
        let mut team: Vec<String> = self
            .members()?
            .into_iter()
            .filter(|m| m.presence == Presence::Online)
            .map(|m| m.agent.name)
            .collect();
        team.sort();
        let online = !team.is_empty();
        team.truncate(MAX_TEAM_SHOWN);
        Ok(Availability { online, team })
    }

    /// If availability changed since visitors were last told, tells every conversation whose
    /// visitor has a socket open (in the background). A conversation whose visitor has gone
    /// answers so, and is forgotten.
    fn tell_visitors(&self) {
        let now = match self.availability() {
            Ok(a) => a,
            Err(e) => {
                worker::console_error!("availability unknown: {e}");
                return;
            }
        };
        if self.told.borrow().as_ref() == Some(&now) {
            return;
        }
        self.told.replace(Some(now.clone()));
        #[derive(Deserialize)]
        struct Row {
            conversation_id: String,
            site_id: String,
        }
        let watchers: Vec<Row> = match self.sql(|s| {
            s.exec("SELECT conversation_id, site_id FROM watchers", None)
                .and_then(|c| c.to_array())
                .map_err(|e| EdgeError::internal("watchers", e))
        }) {
            Ok(rows) => rows,
            Err(e) => {
                worker::console_error!("watchers unknown: {e}");
                return;
            }
        };
        if watchers.is_empty() {
            return;
        }
        let env = self.env.clone();
        let sql = self.sql.borrow().clone();
        worker::wasm_bindgen_futures::spawn_local(async move {
            for w in watchers {
                let listening = crate::conversation::client::tell_availability(
                    &env,
                    &w.site_id,
                    &w.conversation_id,
                    &now,
                )
                .await;
                if let (Ok(false), Some(sql)) = (listening, &sql) {
                    let _ = sql.exec(
                        "DELETE FROM watchers WHERE conversation_id = ?",
                        vec![w.conversation_id.as_str().into()],
                    );
                }
            }
        });
    }

    fn on_report(&self, mut ticket: InboxTicket, now: Millis) -> EdgeResult<()> {
        let before = self.members()?;
        let previous = self
            .tickets()?
            .into_iter()
            .find(|t| t.conversation_id == ticket.conversation_id && t.number == ticket.number);
        if ticket.status == Status::Closed {
            self.sql(|s| {
                s.exec(
                    "DELETE FROM tickets WHERE conversation_id = ? AND number = ?",
                    vec![
                        ticket.conversation_id.as_str().into(),
                        SqlStorageValue::Integer(i64::from(ticket.number)),
                    ],
                )
                .map_err(|e| EdgeError::internal("ticket", e))?;
                Ok(())
            })?;
            if let Some(cache) = self.cache.borrow_mut().as_mut() {
                cache.retain(|t| !same_ticket(t, &ticket));
            }
            self.broadcast(&ConsoleEvent::TicketClosed {
                conversation_id: ticket.conversation_id.clone(),
                number: ticket.number,
            });
        } else {
            // An offer stands while the ticket still waits.
            let loads = self.loads()?;
            ticket.offered_to = match previous.and_then(|p| p.offered_to) {
                Some(a)
                    if needs_agent(&ticket, self)?
                        && loads
                            .iter()
                            .any(|l| l.id == a && l.skills_cover(&ticket.skills)) =>
                {
                    Some(a)
                }
                _ => None,
            };
            self.put_ticket(&ticket)?;
            self.broadcast(&ConsoleEvent::TicketChanged(ticket));
        }
        self.reroute(now)?;
        // Only the members whose load or presence moved.
        for m in self.members()? {
            if !before.contains(&m) {
                self.broadcast(&ConsoleEvent::MemberChanged(m));
            }
        }
        Ok(())
    }

    fn available(&self, agent_id: &str) -> EdgeResult<bool> {
        Ok(self.presence_of(agent_id)? == Presence::Online)
    }

    /// Offers every waiting ticket it can, clearing offers to agents who are no longer online.
    fn reroute(&self, now: Millis) -> EdgeResult<()> {
        let loads = self.loads()?;
        let online = |id: &str| {
            loads
                .iter()
                .any(|a| a.id == id && a.presence == Presence::Online)
        };
        let mut waiting = Vec::new();
        for mut t in self.tickets()? {
            if t.offered_to.as_deref().is_some_and(|a| !online(a)) {
                t.offered_to = None;
                self.put_ticket(&t)?;
                self.broadcast(&ConsoleEvent::TicketChanged(t.clone()));
            }
            if t.offered_to.is_none() && needs_agent(&t, self)? {
                waiting.push(Waiting {
                    ticket: key(&t),
                    skills: t.skills.clone(),
                    previous_agent: t.assignee.clone(),
                    since: t.waiting_since.unwrap_or(t.updated_at),
                });
            }
        }
        if waiting.is_empty() {
            return Ok(());
        }
        let loads = self.loads()?;
        for offer in serve_queue(&loads, &waiting, now) {
            let Some(mut t) = self.tickets()?.into_iter().find(|t| key(t) == offer.ticket) else {
                continue;
            };
            t.offered_to = Some(offer.agent.clone());
            self.put_ticket(&t)?;
            self.sql(|s| {
                s.exec(
                    "UPDATE members SET idle_since = ? WHERE agent_id = ?",
                    vec![now.into(), offer.agent.as_str().into()],
                )
                .map_err(|e| EdgeError::internal("idle", e))?;
                Ok(())
            })?;
            for ws in self.state.get_websockets_with_tag(&offer.agent) {
                send(&ws, &ConsoleEvent::Offer(t.clone()));
            }
            self.broadcast(&ConsoleEvent::TicketChanged(t));
        }
        Ok(())
    }

    fn put_ticket(&self, t: &InboxTicket) -> EdgeResult<()> {
        let json = serde_json::to_string(t).map_err(|e| EdgeError::internal("ticket", e))?;
        self.sql(|s| {
            s.exec(
                "INSERT OR REPLACE INTO tickets (conversation_id, number, json) VALUES (?, ?, ?)",
                vec![
                    t.conversation_id.as_str().into(),
                    SqlStorageValue::Integer(i64::from(t.number)),
                    json.into(),
                ],
            )
            .map_err(|e| EdgeError::internal("ticket", e))?;
            Ok(())
        })?;
        if let Some(cache) = self.cache.borrow_mut().as_mut() {
            cache.retain(|c| !same_ticket(c, t));
            cache.push(t.clone());
            cache.sort_by_key(|t| std::cmp::Reverse(t.updated_at));
        }
        Ok(())
    }

    /// Live tickets, most recently changed first.
    fn tickets(&self) -> EdgeResult<Vec<InboxTicket>> {
        if let Some(cached) = self.cache.borrow().as_ref() {
            return Ok(cached.clone());
        }
        #[derive(Deserialize)]
        struct Row {
            json: String,
        }
        let rows: Vec<Row> = self.sql(|s| {
            s.exec("SELECT json FROM tickets", None)
                .and_then(|c| c.to_array())
                .map_err(|e| EdgeError::internal("tickets", e))
        })?;
        let mut tickets: Vec<InboxTicket> = rows
            .iter()
            .filter_map(|r| serde_json::from_str(&r.json).ok())
            .collect();
        tickets.sort_by_key(|t| std::cmp::Reverse(t.updated_at));
        self.cache.replace(Some(tickets.clone()));
        Ok(tickets)
    }

    /// Every member routing knows, with load: Open tickets plus standing offers.
    fn loads(&self) -> EdgeResult<Vec<AgentLoad>> {
        #[derive(Deserialize)]
        struct Row {
            profile: String,
            presence: String,
            idle_since: f64,
        }
        let rows: Vec<Row> = self.sql(|s| {
            s.exec("SELECT profile, presence, idle_since FROM members", None)
                .and_then(|c| c.to_array())
                .map_err(|e| EdgeError::internal("members", e))
        })?;
        let tickets = self.tickets()?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                let p: AgentProfile = serde_json::from_str(&r.profile).ok()?;
                let presence =
                    serde_json::from_value(serde_json::Value::String(r.presence.clone())).ok()?;
                let open = tickets
                    .iter()
                    .filter(|t| {
                        (t.status == Status::Open && t.assignee.as_deref() == Some(&p.id))
                            || t.offered_to.as_deref() == Some(&p.id)
                    })
                    .count() as u32;
                Some(AgentLoad {
                    id: p.id,
                    presence,
                    capacity: p.capacity,
                    open,
                    skills: p.skills,
                    idle_since: r.idle_since as Millis,
                })
            })
            .collect())
    }

    fn members(&self) -> EdgeResult<Vec<TeamMember>> {
        #[derive(Deserialize)]
        struct Row {
            profile: String,
        }
        let rows: Vec<Row> = self.sql(|s| {
            s.exec("SELECT profile FROM members", None)
                .and_then(|c| c.to_array())
                .map_err(|e| EdgeError::internal("members", e))
        })?;
        let loads = self.loads()?;
        Ok(rows
            .iter()
            .filter_map(|r| serde_json::from_str::<AgentProfile>(&r.profile).ok())
            .map(|agent| {
                let load = loads.iter().find(|l| l.id == agent.id);
                TeamMember {
                    presence: load.map_or(Presence::Offline, |l| l.presence),
                    open: load.map_or(0, |l| l.open),
                    agent,
                }
            })
            .collect())
    }

    fn broadcast_loads(&self) -> EdgeResult<()> {
        for m in self.members()? {
            self.broadcast(&ConsoleEvent::MemberChanged(m));
        }
        Ok(())
    }

    fn broadcast(&self, event: &ConsoleEvent) {
        let Ok(text) = serde_json::to_string(event) else {
            return;
        };
        for ws in self.state.get_websockets() {
            let _ = ws.send_with_str(&text);
        }
    }
}

/// Whether a ticket waits for an agent. The conversation marks waiting tickets (new, sent to a
/// department, or reopened); a reopened one waits only while its own agent is not online.
fn needs_agent(t: &InboxTicket, team: &Team) -> EdgeResult<bool> {
    if t.waiting_since.is_none() || !matches!(t.status, Status::New | Status::Open) {
        return Ok(false);
    }
    Ok(match &t.assignee {
        None => true,
        Some(a) => !team.available(a)?,
    })
}

fn same_ticket(a: &InboxTicket, b: &InboxTicket) -> bool {
    a.number == b.number && a.conversation_id == b.conversation_id
}

fn key(t: &InboxTicket) -> String {
    format!("{}#{}", t.conversation_id, t.number)
}

fn forbidden() -> EdgeError {
    EdgeError::new(ErrorCode::Forbidden, "a console session is required")
}

fn send(ws: &WebSocket, event: &ConsoleEvent) {
    if let Ok(text) = serde_json::to_string(event) {
        let _ = ws.send_with_str(&text);
    }
}

fn raw(ws: &WebSocket) -> worker::wasm_bindgen::JsValue {
    let inner: &worker::web_sys::WebSocket = ws.as_ref();
    inner.clone().into()
}

/// The one place the object reads the clock.
fn now() -> Millis {
    Date::now().as_millis() as Millis
}
