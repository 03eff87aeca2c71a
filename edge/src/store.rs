//! A conversation's own SQLite storage: its items (messages and status changes, one sequence),
//! its tickets and a little metadata. Synchronous, like the SQL API of a Durable Object: a run of
//! calls with no `await` between them is atomic with respect to other events.

use porchlight_shared::lifecycle::LiveTicket;
use porchlight_shared::protocol::{Item, TicketView};
use porchlight_shared::{Millis, Status};
use serde::Deserialize;
use worker::{SqlStorage, SqlStorageValue};

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
";

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
}

impl Live {
    /// As clients see it.
    pub fn view(&self) -> TicketView {
        TicketView {
            number: self.number,
            status: self.ticket.status,
            assignee: self.ticket.assignee.clone(),
            close_at: self.ticket.close_at,
        }
    }
}

/// The conversation's SQLite database.
pub struct Store {
    sql: SqlStorage,
}

/// Larger than any sequence number, and still exact as a JavaScript number.
const MAX_SAFE_SEQ: u64 = (1 << 53) - 1;

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
        Ok(Store { sql })
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
        #[derive(Deserialize)]
        struct Row {
            number: f64,
            status: String,
            assignee: Option<String>,
            close_at: Option<f64>,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT number, status, assignee, close_at FROM tickets
                 WHERE status != 'closed' ORDER BY number DESC LIMIT 1",
                None,
            )
            .and_then(|c| c.to_array())
            .map_err(db_err("live ticket"))?;
        let Some(r) = rows.into_iter().next() else {
            return Ok(None);
        };
        let status = Status::parse(&r.status)
            .ok_or_else(|| EdgeError::internal("ticket status", &r.status))?;
        Ok(Some(Live {
            number: r.number as u32,
            ticket: LiveTicket {
                status,
                assignee: r.assignee,
                close_at: r.close_at.map(|v| v as Millis),
            },
        }))
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
        let ticket = match item {
            Item::Message(m) => m.ticket,
            Item::StatusChange(c) => c.ticket,
        };
        let json = serde_json::to_string(item).map_err(|e| EdgeError::internal("encode", e))?;
        self.sql
            .exec(
                "INSERT INTO items (seq, ticket, client_key, json) VALUES (?, ?, ?, ?)",
                vec![
                    int(item.seq()),
                    int(u64::from(ticket)),
                    opt_str(client_key),
                    json.into(),
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

    /// Items with `seq > after`, oldest first, at most `limit`.
    pub fn after(&self, after: u64, limit: u32) -> EdgeResult<Vec<Item>> {
        self.items(
            "SELECT json FROM items WHERE seq > ? ORDER BY seq ASC LIMIT ?",
            vec![int(after), int(u64::from(limit))],
        )
    }

    /// Items with `seq < before` (all when `None`), newest first, at most `limit`.
    pub fn before(&self, before: Option<u64>, limit: u32) -> EdgeResult<Vec<Item>> {
        self.items(
            "SELECT json FROM items WHERE seq < ? ORDER BY seq DESC LIMIT ?",
            vec![int(before.unwrap_or(MAX_SAFE_SEQ)), int(u64::from(limit))],
        )
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
