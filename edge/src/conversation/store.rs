//! A conversation's own SQLite storage: its items (messages and status changes, one sequence),
//! its tickets and a little metadata (the records feed's progress among it). Synchronous, like
//! the SQL API of a Durable Object: a run of calls with no `await` between them is atomic with
//! respect to other events.

use porchlight_shared::lifecycle::LiveTicket;
use porchlight_shared::protocol::{Consent, Item, Rating, TicketView, VisitorProfile};
use porchlight_shared::records::query::Channel;
use porchlight_shared::{Millis, Status};
use serde::Deserialize;
use worker::{SqlStorage, SqlStorageValue};

use super::feed::Source;
use crate::error::{EdgeError, EdgeResult};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  seq INTEGER PRIMARY KEY,
  ticket INTEGER NOT NULL,
  client_key TEXT UNIQUE,
  json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tickets (
  number INTEGER PRIMARY KEY,
  status TEXT NOT NULL,
  assignee TEXT,
  close_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Every consent the visitor gave to the site's privacy text (added after the first schema:
-- older objects get the table, empty, when they next open).
CREATE TABLE IF NOT EXISTS consents (
  at INTEGER NOT NULL,
  privacy_version TEXT NOT NULL,
  locale TEXT NOT NULL
);
";

/// Columns added after the first schema; adding one that exists fails harmlessly.
const UPGRADES: [&str; 10] = [
    "ALTER TABLE items ADD COLUMN agent_only INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE tickets ADD COLUMN language TEXT",
    "ALTER TABLE tickets ADD COLUMN department TEXT",
    "ALTER TABLE tickets ADD COLUMN waiting_since INTEGER",
    // `api` for a ticket the visitor started through the HTTP API; NULL: the widget.
    "ALTER TABLE tickets ADD COLUMN channel TEXT",
    // 1 once an agent or a bot wrote in the ticket: a Solved ticket is then rated.
    "ALTER TABLE tickets ADD COLUMN replied INTEGER NOT NULL DEFAULT 0",
    // The visitor's rating of the ticket (CSAT 1–5, NPS 0–10, a comment), once given.
    "ALTER TABLE tickets ADD COLUMN csat INTEGER",
    "ALTER TABLE tickets ADD COLUMN nps INTEGER",
    "ALTER TABLE tickets ADD COLUMN rating_comment TEXT",
    "ALTER TABLE tickets ADD COLUMN rated_at INTEGER",
];

/// How a ticket is routed: the skills it needs and since when it waits for an agent.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Routing {
    /// Language skill (from the visitor's locale, on sites that route by language).
    pub language: Option<String>,
    /// Department skill (from a transfer or a flow).
    pub department: Option<String>,
    /// Since when it waits for an agent; `None` while someone has it.
    pub waiting_since: Option<f64>,
}

impl Routing {
    /// The skills an agent needs to take the ticket.
    pub fn skills(&self) -> Vec<String> {
        self.language
            .iter()
            .chain(&self.department)
            .cloned()
            .collect()
    }
}

/// Which site and conversation this object is; written by the first request that creates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// Site id.
    pub site_id: String,
    /// Conversation id.
    pub conversation_id: String,
}

/// The live ticket and its number.
#[derive(Debug, Clone)]
pub struct Live {
    /// Ticket number within the conversation.
    pub number: u32,
    /// Its state, as the lifecycle sees it.
    pub ticket: LiveTicket,
    /// Whether an agent or a bot wrote in it (a Solved ticket is then rated).
    pub replied: bool,
    /// The visitor's rating of it, once given.
    pub rating: Option<Rating>,
}

impl Live {
    /// A ticket as the lifecycle left it, nobody's answer or rating in it yet.
    pub fn new(number: u32, ticket: LiveTicket) -> Live {
        Live {
            number,
            ticket,
            replied: false,
            rating: None,
        }
    }

    /// As clients see it.
    pub fn view(&self) -> TicketView {
        TicketView {
            number: self.number,
            status: self.ticket.status,
            assignee: self.ticket.assignee.clone(),
            close_at: self.ticket.close_at,
            rateable: self.rateable(),
            rating: self.rating.clone(),
        }
    }

    /// Whether the visitor may rate it now: Solved, and someone answered in it.
    pub fn rateable(&self) -> bool {
        self.ticket.status == Status::Solved && self.replied
    }
}

/// What every message needs of the store, read once after the object wakes and then kept in
/// step by the object: a visitor's message reads none of it again, and the team's report is
/// built from it.
#[derive(Debug, Clone, Default)]
pub struct Head {
    /// The object's identity, once created.
    pub meta: Option<Meta>,
    /// Highest sequence number stored.
    pub last_seq: u64,
    /// Highest ticket number used.
    pub last_ticket: u32,
    /// The live ticket.
    pub live: Option<Live>,
    /// The live ticket's routing (default when there is none).
    pub routing: Routing,
    /// What the visitor told of themselves.
    pub profile: VisitorProfile,
    /// The newest visitor message, as the inbox shows it.
    pub preview: Option<String>,
}

/// The conversation's SQLite database.
pub struct Store {
    sql: SqlStorage,
}

/// Larger than any sequence number, and still exact as a JavaScript number.
const MAX_SAFE_SEQ: u64 = (1 << 53) - 1;
/// Most items read from storage at once.
pub const ITEM_BATCH: u32 = 200;

fn db_err(context: &'static str) -> impl Fn(worker::Error) -> EdgeError {
    move |e| EdgeError::internal(context, e)
}

fn int(v: u64) -> SqlStorageValue {
    SqlStorageValue::Integer(v as i64)
}

fn opt_str(v: Option<&str>) -> SqlStorageValue {
    v.map_or(SqlStorageValue::Null, Into::into)
}

impl Store {
    /// Opens the store, creating the schema on first use.
    pub fn open(sql: SqlStorage) -> EdgeResult<Store> {
        sql.exec(SCHEMA, None).map_err(db_err("schema"))?;
        for upgrade in UPGRADES {
            let _ = sql.exec(upgrade, None);
        }
        Ok(Store { sql })
    }

    /// Reads the [`Head`].
    pub fn head(&self) -> EdgeResult<Head> {
        let live = self.live()?;
        let routing = match &live {
            Some(l) => self.routing(l.number)?,
            None => Routing::default(),
        };
        Ok(Head {
            meta: self.meta()?,
            last_seq: self.last_seq()?,
            last_ticket: self.last_ticket_number()?,
            live,
            routing,
            profile: self.profile()?,
            preview: self.meta_value("preview")?,
        })
    }

    /// The visitor's profile (empty until they give one).
    pub fn profile(&self) -> EdgeResult<VisitorProfile> {
        Ok(self
            .meta_value("profile")?
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default())
    }

    /// The object's identity, if it has been created.
    pub fn meta(&self) -> EdgeResult<Option<Meta>> {
        #[derive(Deserialize)]
        struct Row {
            k: String,
            v: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec("SELECT k, v FROM meta", None)
            .and_then(|c| c.to_array())
            .map_err(db_err("read meta"))?;
        let get = |key: &str| rows.iter().find(|r| r.k == key).map(|r| r.v.clone());
        Ok(match (get("site_id"), get("conversation_id")) {
            (Some(site_id), Some(conversation_id)) => Some(Meta {
                site_id,
                conversation_id,
            }),
            _ => None,
        })
    }

    /// Records the object's identity.
    pub fn set_meta(&self, meta: &Meta) -> EdgeResult<()> {
        for (k, v) in [
            ("site_id", &meta.site_id),
            ("conversation_id", &meta.conversation_id),
        ] {
            self.sql
                .exec(
                    "INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)",
                    vec![k.into(), v.as_str().into()],
                )
                .map_err(db_err("write meta"))?;
        }
        Ok(())
    }

    /// Highest sequence number stored (0 when empty).
    pub fn last_seq(&self) -> EdgeResult<u64> {
        #[derive(Deserialize)]
        struct Row {
            seq: Option<f64>,
        }
        let row: Row = self
            .sql
            .exec("SELECT MAX(seq) AS seq FROM items", None)
            .and_then(|c| c.one())
            .map_err(db_err("last seq"))?;
        Ok(row.seq.unwrap_or(0.0) as u64)
    }

    /// Highest ticket number used (0 when none).
    pub fn last_ticket_number(&self) -> EdgeResult<u32> {
        #[derive(Deserialize)]
        struct Row {
            n: Option<f64>,
        }
        let row: Row = self
            .sql
            .exec("SELECT MAX(number) AS n FROM tickets", None)
            .and_then(|c| c.one())
            .map_err(db_err("last ticket"))?;
        Ok(row.n.unwrap_or(0.0) as u32)
    }

    /// The ticket that is not Closed, if any (there is at most one).
    pub fn live(&self) -> EdgeResult<Option<Live>> {
        let live = self.tickets("WHERE status != 'closed' ORDER BY number DESC LIMIT 1")?;
        Ok(live.into_iter().next())
    }

    /// Notes that an agent or a bot wrote in ticket `number`.
    pub fn set_replied(&self, number: u32) -> EdgeResult<()> {
        self.sql
            .exec(
                "UPDATE tickets SET replied = 1 WHERE number = ?",
                vec![int(u64::from(number))],
            )
            .map_err(db_err("ticket replied"))?;
        Ok(())
    }

    /// Stores the visitor's rating of ticket `number` (replacing an earlier one).
    pub fn set_rating(&self, number: u32, rating: &Rating, now: Millis) -> EdgeResult<()> {
        self.sql
            .exec(
                "UPDATE tickets SET csat = ?, nps = ?, rating_comment = ?, rated_at = ? \
                 WHERE number = ?",
                vec![
                    int(u64::from(rating.csat)),
                    rating
                        .nps
                        .map_or(SqlStorageValue::Null, |n| int(u64::from(n))),
                    opt_str(rating.comment.as_deref()),
                    now.into(),
                    int(u64::from(number)),
                ],
            )
            .map_err(db_err("ticket rating"))?;
        Ok(())
    }

    /// The tickets `clause` (SQL after `FROM tickets`, no parameters) selects, each with who
    /// answered in it and its rating.
    fn tickets(&self, clause: &str) -> EdgeResult<Vec<Live>> {
        #[derive(Deserialize)]
        struct Row {
            number: f64,
            status: String,
            assignee: Option<String>,
            close_at: Option<f64>,
            replied: f64,
            csat: Option<f64>,
            nps: Option<f64>,
            rating_comment: Option<String>,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                &format!(
                    "SELECT number, status, assignee, close_at, replied, csat, nps, rating_comment \
                     FROM tickets {clause}"
                ),
                None,
            )
            .and_then(|c| c.to_array())
            .map_err(db_err("tickets"))?;
        rows.into_iter()
            .map(|r| {
                Ok(Live {
                    number: r.number as u32,
                    ticket: LiveTicket {
                        status: Status::parse(&r.status)
                            .ok_or_else(|| EdgeError::internal("ticket status", &r.status))?,
                        assignee: r.assignee,
                        close_at: r.close_at.map(|v| v as Millis),
                    },
                    replied: r.replied != 0.0,
                    rating: r.csat.map(|csat| Rating {
                        csat: csat as u8,
                        nps: r.nps.map(|n| n as u8),
                        comment: r.rating_comment,
                    }),
                })
            })
            .collect()
    }

    /// Writes a ticket's state (creating its row when new).
    pub fn put_ticket(
        &self,
        number: u32,
        status: Status,
        assignee: Option<&str>,
        close_at: Option<Millis>,
        now: Millis,
    ) -> EdgeResult<()> {
        self.sql
            .exec(
                "INSERT INTO tickets (number, status, assignee, close_at, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (number) DO UPDATE SET status = excluded.status,
                   assignee = excluded.assignee, close_at = excluded.close_at,
                   updated_at = excluded.updated_at",
                vec![
                    int(u64::from(number)),
                    status.as_str().into(),
                    opt_str(assignee),
                    close_at.map_or(SqlStorageValue::Null, Into::into),
                    now.into(),
                    now.into(),
                ],
            )
            .map_err(db_err("write ticket"))?;
        Ok(())
    }

    /// Appends an item. `client_key` makes a message's retry detectable.
    pub fn insert_item(&self, item: &Item, client_key: Option<&str>) -> EdgeResult<()> {
        let ticket = item.ticket();
        let json = serde_json::to_string(item).map_err(|e| EdgeError::internal("encode", e))?;
        self.sql
            .exec(
                "INSERT INTO items (seq, ticket, client_key, json, agent_only) VALUES (?, ?, ?, ?, ?)",
                vec![
                    int(item.seq()),
                    int(u64::from(ticket)),
                    opt_str(client_key),
                    json.into(),
                    SqlStorageValue::Boolean(!item.visible_to_visitor()),
                ],
            )
            .map_err(db_err("insert item"))?;
        Ok(())
    }

    /// The item stored under a client key, if any.
    pub fn by_client_key(&self, client_key: &str) -> EdgeResult<Option<Item>> {
        self.items(
            "SELECT json FROM items WHERE client_key = ?",
            vec![client_key.into()],
        )
        .map(|v| v.into_iter().next())
    }

    /// The item with sequence number `seq`, if any; agents' notes only for agents.
    pub fn at(&self, seq: u64, agent: bool) -> EdgeResult<Option<Item>> {
        if seq > MAX_SAFE_SEQ {
            return Ok(None);
        }
        self.items(
            "SELECT json FROM items WHERE seq = ? AND agent_only <= ?",
            vec![int(seq), SqlStorageValue::Boolean(agent)],
        )
        .map(|v| v.into_iter().next())
    }

    /// Items with `seq > after`, oldest first, at most `limit`; agents' notes only for agents.
    pub fn after(&self, after: u64, limit: u32, agent: bool) -> EdgeResult<Vec<Item>> {
        self.items(
            "SELECT json FROM items WHERE seq > ? AND agent_only <= ? ORDER BY seq ASC LIMIT ?",
            vec![
                int(after),
                SqlStorageValue::Boolean(agent),
                int(u64::from(limit)),
            ],
        )
    }

    /// Every item with `seq > after`, oldest first, read [`ITEM_BATCH`] at a time; agents'
    /// notes only for agents.
    pub fn all_after(&self, after: u64, agent: bool) -> EdgeResult<Vec<Item>> {
        let mut items: Vec<Item> = Vec::new();
        loop {
            let from = items.last().map_or(after, Item::seq);
            let batch = self.after(from, ITEM_BATCH, agent)?;
            let done = batch.len() < ITEM_BATCH as usize;
            items.extend(batch);
            if done {
                return Ok(items);
            }
        }
    }

    /// Records that the visitor started ticket `number` through `channel`.
    pub fn set_channel(&self, number: u32, channel: Channel) -> EdgeResult<()> {
        self.sql
            .exec(
                "UPDATE tickets SET channel = ? WHERE number = ?",
                vec![channel.as_str().into(), int(u64::from(number))],
            )
            .map_err(db_err("write channel"))?;
        Ok(())
    }

    /// Items with `seq < before` (all when `None`), newest first, at most `limit`; agents'
    /// notes only for agents.
    pub fn before(&self, before: Option<u64>, limit: u32, agent: bool) -> EdgeResult<Vec<Item>> {
        self.items(
            "SELECT json FROM items WHERE seq < ? AND agent_only <= ? ORDER BY seq DESC LIMIT ?",
            vec![
                int(before.unwrap_or(MAX_SAFE_SEQ)),
                SqlStorageValue::Boolean(agent),
                int(u64::from(limit)),
            ],
        )
    }

    /// A ticket's routing.
    pub fn routing(&self, number: u32) -> EdgeResult<Routing> {
        let rows: Vec<Routing> = self
            .sql
            .exec(
                "SELECT language, department, waiting_since FROM tickets WHERE number = ?",
                vec![int(u64::from(number))],
            )
            .and_then(|c| c.to_array())
            .map_err(db_err("read routing"))?;
        Ok(rows.into_iter().next().unwrap_or_default())
    }

    /// Writes a ticket's routing.
    pub fn set_routing(&self, number: u32, r: &Routing) -> EdgeResult<()> {
        self.sql
            .exec(
                "UPDATE tickets SET language = ?, department = ?, waiting_since = ? WHERE number = ?",
                vec![
                    opt_str(r.language.as_deref()),
                    opt_str(r.department.as_deref()),
                    r.waiting_since.map_or(SqlStorageValue::Null, SqlStorageValue::Float),
                    int(u64::from(number)),
                ],
            )
            .map_err(db_err("write routing"))?;
        Ok(())
    }

    /// Sets a live ticket's owner.
    pub fn set_assignee(&self, number: u32, assignee: Option<&str>, now: Millis) -> EdgeResult<()> {
        self.sql
            .exec(
                "UPDATE tickets SET assignee = ?, updated_at = ? WHERE number = ?",
                vec![opt_str(assignee), now.into(), int(u64::from(number))],
            )
            .map_err(db_err("write assignee"))?;
        Ok(())
    }

    /// Every ticket of the conversation, newest first.
    pub fn all_tickets(&self) -> EdgeResult<Vec<TicketView>> {
        Ok(self
            .tickets("ORDER BY number DESC")?
            .iter()
            .map(Live::view)
            .collect())
    }

    /// A value kept in the metadata table (e.g. the visitor's profile).
    pub fn meta_value(&self, key: &str) -> EdgeResult<Option<String>> {
        #[derive(Deserialize)]
        struct Row {
            v: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec("SELECT v FROM meta WHERE k = ?", vec![key.into()])
            .and_then(|c| c.to_array())
            .map_err(db_err("read meta"))?;
        Ok(rows.into_iter().next().map(|r| r.v))
    }

    /// Writes a metadata value.
    pub fn set_meta_value(&self, key: &str, value: &str) -> EdgeResult<()> {
        self.sql
            .exec(
                "INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)",
                vec![key.into(), value.into()],
            )
            .map_err(db_err("write meta"))?;
        Ok(())
    }

    /// Records a consent (its `at` is the time of recording).
    pub fn record_consent(&self, c: &Consent) -> EdgeResult<()> {
        self.sql
            .exec(
                "INSERT INTO consents (at, privacy_version, locale) VALUES (?, ?, ?)",
                vec![
                    SqlStorageValue::Integer(c.at),
                    c.privacy_version.as_str().into(),
                    c.locale.as_str().into(),
                ],
            )
            .map_err(db_err("write consent"))?;
        Ok(())
    }

    /// The latest consent on record, if the visitor gave one.
    pub fn consent(&self) -> EdgeResult<Option<Consent>> {
        #[derive(Deserialize)]
        struct Row {
            at: f64,
            privacy_version: String,
            locale: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT at, privacy_version, locale FROM consents ORDER BY rowid DESC LIMIT 1",
                None,
            )
            .and_then(|c| c.to_array())
            .map_err(db_err("read consent"))?;
        Ok(rows.into_iter().next().map(|r| Consent {
            at: r.at as Millis,
            privacy_version: r.privacy_version,
            locale: r.locale,
        }))
    }

    fn items(&self, query: &str, bindings: Vec<SqlStorageValue>) -> EdgeResult<Vec<Item>> {
        #[derive(Deserialize)]
        struct Row {
            json: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(query, bindings)
            .and_then(|c| c.to_array())
            .map_err(db_err("read items"))?;
        rows.iter()
            .map(|r| serde_json::from_str(&r.json).map_err(|e| EdgeError::internal("decode", e)))
            .collect()
    }
}

/// What the records feed reads of the conversation.
impl Source for Store {
    type Error = EdgeError;

    fn items_of(&self, number: u32, upto: u64) -> EdgeResult<Vec<Item>> {
        self.items(
            "SELECT json FROM items WHERE ticket = ? AND seq <= ? ORDER BY seq ASC",
            vec![int(u64::from(number)), int(upto.min(MAX_SAFE_SEQ))],
        )
    }

    fn ticket(&self, number: u32) -> EdgeResult<(Channel, Option<String>)> {
        #[derive(Deserialize)]
        struct Row {
            channel: Option<String>,
            assignee: Option<String>,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT channel, assignee FROM tickets WHERE number = ?",
                vec![int(u64::from(number))],
            )
            .and_then(|c| c.to_array())
            .map_err(db_err("read ticket"))?;
        Ok(rows
            .into_iter()
            .next()
            .map_or((Channel::Widget, None), |r| {
                let channel = match r.channel.as_deref() {
                    Some("api") => Channel::Api,
                    _ => Channel::Widget,
                };
                (channel, r.assignee)
            }))
    }
}
