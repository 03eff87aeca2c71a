//! The conversation records index in D1 (`migrations/0006_records.sql`): the statements that
//! search it and that write it, as pure functions from a [`RecordQuery`] (or a row) to SQL text
//! and its bound values, tested natively against the real schema in SQLite; and
//! [`run_batch`], which runs the writes of the Conversation object's records feed.
//!
//! Every statement names one site (`site_id = ?1`), so a site's records can live in a database
//! of their own later. Pages are keyset pages, newest first: the next page starts after the last
//! row's `(created_at, conversation_id, ticket)`, never at an OFFSET, so page 500 reads what page
//! 1 reads.

use porchlight_shared::protocol::Rating;
use porchlight_shared::records::query::{Cursor, RecordQuery};
use porchlight_shared::records::row::RecordRow;
use porchlight_shared::records::stats::NpsBand;
use worker::wasm_bindgen::JsValue;
use worker::Env;

use crate::error::{EdgeError, EdgeResult};

/// A value bound to a `?` of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bind {
    /// Text.
    Text(String),
    /// An integer.
    Int(i64),
    /// SQL NULL.
    Null,
}

impl Bind {
    fn opt_text(value: Option<&str>) -> Bind {
        value.map_or(Bind::Null, |v| Bind::Text(v.to_owned()))
    }

    fn opt_int(value: Option<i64>) -> Bind {
        value.map_or(Bind::Null, Bind::Int)
    }
}

/// A statement and its bound values, in `?` order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sql {
    /// The SQL text.
    pub text: String,
    /// One value per `?`.
    pub binds: Vec<Bind>,
}

impl Sql {
    /// The bound values as D1 takes them (numbers as JavaScript numbers: exact up to 2^53,
    /// which every time and count is).
    pub fn js_binds(&self) -> Vec<JsValue> {
        self.binds
            .iter()
            .map(|b| match b {
                Bind::Text(t) => JsValue::from(t.as_str()),
                Bind::Int(n) => JsValue::from(*n as f64),
                Bind::Null => JsValue::NULL,
            })
            .collect()
    }

    fn push(&mut self, clause: &str, values: impl IntoIterator<Item = Bind>) {
        self.text.push_str(clause);
        self.binds.extend(values);
    }
}

/// The columns a results row shows.
pub const ROW_COLUMNS: &str = "r.conversation_id, r.ticket, r.status, r.channel, r.flow, \
    r.environment, r.visitor_name, r.visitor_email, r.visitor_phone, r.visitor_external_id, \
    r.assignee, r.first_line, r.created_at, r.first_response_at, r.solved_at, r.closed_at, \
    r.visitor_messages, r.agent_messages, r.bot_messages, r.files, r.transfers, r.reopenings, \
    r.active_ms, r.csat, r.nps, r.consent_at, r.consent_version, r.consent_locale";

/// One page of a search: at most `q.limit` rows (the default page size otherwise) plus one,
/// which tells the caller there is a next page.
pub fn page(site: &str, q: &RecordQuery) -> Sql {
    page_of(site, q, porchlight_shared::validate::page_size(q.limit))
}

/// [`page`] with `limit` rows (plus one) whatever `q.limit` says: the export reads larger pages
/// than a person is shown.
pub fn page_of(site: &str, q: &RecordQuery, limit: u32) -> Sql {
    let mut sql = filtered(&format!("SELECT {ROW_COLUMNS} FROM records r"), site, q);
    if let Some(Cursor {
        created_at,
        conversation,
        ticket,
    }) = &q.after
    {
        sql.push(
            " AND (r.created_at, r.conversation_id, r.ticket) < (?, ?, ?)",
            [
                Bind::Int(*created_at),
                Bind::Text(conversation.clone()),
                Bind::Int(i64::from(*ticket)),
            ],
        );
    }
    sql.push(
        " ORDER BY r.created_at DESC, r.conversation_id DESC, r.ticket DESC LIMIT ?",
        [Bind::Int(i64::from(limit) + 1)],
    );
    sql
}

/// Every ticket of one conversation, oldest first (the detail page).
pub fn of_conversation(site: &str, conversation: &str) -> Sql {
    Sql {
        text: format!(
            "SELECT {ROW_COLUMNS} FROM records r WHERE r.site_id = ? AND r.conversation_id = ? \
             ORDER BY r.ticket"
        ),
        binds: vec![
            Bind::Text(site.to_owned()),
            Bind::Text(conversation.to_owned()),
        ],
    }
}

/// How many tickets the search finds in all (its cursor and page size ignored).
pub fn count(site: &str, q: &RecordQuery) -> Sql {
    filtered("SELECT count(*) AS n FROM records r", site, q)
}

/// `select` with the WHERE clause of every filter of `q` but the cursor.
fn filtered(select: &str, site: &str, q: &RecordQuery) -> Sql {
    let mut sql = Sql::default();
    sql.push(select, []);
    sql.push(
        " WHERE r.site_id = ? AND r.environment = ?",
        [
            Bind::Text(site.to_owned()),
            Bind::Text(q.environment.as_str().to_owned()),
        ],
    );
    let text = |s: &str| Bind::Text(s.to_owned());
    if let Some(status) = q.status {
        sql.push(" AND r.status = ?", [text(status.as_str())]);
    }
    if let Some(channel) = q.channel {
        sql.push(" AND r.channel = ?", [text(channel.as_str())]);
    }
    if let Some(flow) = &q.flow {
        sql.push(" AND r.flow = ?", [text(flow)]);
    }
    if let Some(from) = q.from {
        sql.push(" AND r.created_at >= ?", [Bind::Int(from)]);
    }
    if let Some(to) = q.to {
        sql.push(" AND r.created_at < ?", [Bind::Int(to)]);
    }
    if let Some(csat) = q.csat {
        sql.push(" AND r.csat = ?", [Bind::Int(i64::from(csat))]);
    }
    if let Some(band) = q.nps {
        let (low, high) = match band {
            NpsBand::Detractor => (0, 6),
            NpsBand::Passive => (7, 8),
            NpsBand::Promoter => (9, 10),
        };
        sql.push(
            " AND r.nps BETWEEN ? AND ?",
            [Bind::Int(low), Bind::Int(high)],
        );
    }
    match q.has_files {
        Some(true) => sql.push(" AND r.files > 0", []),
        Some(false) => sql.push(" AND r.files = 0", []),
        None => {}
    }
    if let Some(agent) = &q.agent {
        // The row's copy of its agents (migration 0008), each between spaces.
        sql.push(
            " AND instr(r.agents, ?) > 0",
            [Bind::Text(format!(" {agent} "))],
        );
    }
    if let Some(words) = &q.text {
        text_filter(&mut sql, words);
    }
    sql
}

/// Writes a ticket's row as of the conversation's change `seq`, unless a newer change is already
/// there (updates may arrive out of order; one of the same change is written again: the visitor's
/// details change between two changes). `environment` and `channel` come with the row. A row
/// without CSAT or NPS keeps the ones the index has: ratings are not every writer's.
pub fn upsert(site: &str, seq: u64, row: &RecordRow) -> Sql {
    const COLUMNS: [&str; 30] = [
        "site_id",
        "conversation_id",
        "ticket",
        "seq",
        "environment",
        "channel",
        "flow",
        "status",
        "visitor_name",
        "visitor_email",
        "visitor_phone",
        "visitor_external_id",
        "assignee",
        "first_line",
        "created_at",
        "first_response_at",
        "solved_at",
        "closed_at",
        "visitor_messages",
        "agent_messages",
        "bot_messages",
        "files",
        "transfers",
        "reopenings",
        "active_ms",
        "csat",
        "nps",
        "consent_at",
        "consent_version",
        "consent_locale",
    ];
    let updates: Vec<String> = COLUMNS[3..]
        .iter()
        .map(|c| match *c {
            "csat" | "nps" => format!("{c} = coalesce(excluded.{c}, records.{c})"),
            _ => format!("{c} = excluded.{c}"),
        })
        .collect();
    let text = format!(
        "INSERT INTO records ({}) VALUES ({}) ON CONFLICT (site_id, conversation_id, ticket) \
         DO UPDATE SET {} WHERE excluded.seq >= records.seq",
        COLUMNS.join(", "),
        vec!["?"; COLUMNS.len()].join(", "),
        updates.join(", ")
    );
    let count = |n: u32| Bind::Int(i64::from(n));
    let binds = vec![
        Bind::Text(site.to_owned()),
        Bind::Text(row.conversation_id.clone()),
        count(row.ticket),
        Bind::Int(i64::try_from(seq).unwrap_or(i64::MAX)),
        Bind::Text(row.environment.clone()),
        Bind::Text(row.channel.clone()),
        Bind::Text(row.flow.clone()),
        Bind::opt_text(row.status.map(|s| s.as_str())),
        Bind::opt_text(row.visitor_name.as_deref()),
        Bind::opt_text(row.visitor_email.as_deref()),
        Bind::opt_text(row.visitor_phone.as_deref()),
        Bind::opt_text(row.visitor_external_id.as_deref()),
        Bind::opt_text(row.assignee.as_deref()),
        Bind::Text(row.first_line.clone()),
        Bind::Int(row.created_at),
        Bind::opt_int(row.first_response_at),
        Bind::opt_int(row.solved_at),
        Bind::opt_int(row.closed_at),
        count(row.visitor_messages),
        count(row.agent_messages),
        count(row.bot_messages),
        count(row.files),
        count(row.transfers),
        count(row.reopenings),
        Bind::Int(row.active_ms),
        Bind::opt_int(row.csat.map(i64::from)),
        Bind::opt_int(row.nps.map(i64::from)),
        Bind::opt_int(row.consent_at),
        Bind::opt_text(row.consent_version.as_deref()),
        Bind::opt_text(row.consent_locale.as_deref()),
    ];
    Sql { text, binds }
}

/// Records that `agents` worked on a ticket (assigned or replied); known ones are kept. Two
/// statements for one batch: the agents' rows, then the ticket row's copy of them (the column the
/// agent filter reads, migration 0008). None when there is no agent to add.
pub fn add_agents(site: &str, row: &RecordRow, agents: &[String]) -> Vec<Sql> {
    if agents.is_empty() {
        return Vec::new();
    }
    let mut sql = Sql::default();
    sql.push("INSERT OR IGNORE INTO record_agents VALUES ", []);
    for (i, agent) in agents.iter().enumerate() {
        sql.push(
            if i == 0 {
                "(?, ?, ?, ?, ?)"
            } else {
                ", (?, ?, ?, ?, ?)"
            },
            [
                Bind::Text(site.to_owned()),
                Bind::Text(row.conversation_id.clone()),
                Bind::Int(i64::from(row.ticket)),
                Bind::Text(agent.clone()),
                Bind::Int(row.created_at),
            ],
        );
    }
    vec![sql, copy_agents(site, &row.conversation_id, row.ticket)]
}

/// Copies a ticket's agents from `record_agents` into its row.
fn copy_agents(site: &str, conversation: &str, ticket: u32) -> Sql {
    Sql {
        text: "UPDATE records SET agents = COALESCE((SELECT ' ' || group_concat(a.agent_id, ' ') \
               || ' ' FROM record_agents a WHERE a.site_id = records.site_id \
               AND a.conversation_id = records.conversation_id AND a.ticket = records.ticket), '') \
               WHERE site_id = ? AND conversation_id = ? AND ticket = ?"
            .to_owned(),
        binds: vec![
            Bind::Text(site.to_owned()),
            Bind::Text(conversation.to_owned()),
            Bind::Int(i64::from(ticket)),
        ],
    }
}

/// Makes `body` (a message, or the visitor's details) findable in a ticket: appended to the
/// ticket's document, which is created with its first text. Run after [`upsert`] wrote the
/// ticket's row, both statements in one batch.
pub fn add_text(site: &str, conversation: &str, ticket: u32, body: &str) -> [Sql; 2] {
    let key = || {
        [
            Bind::Text(site.to_owned()),
            Bind::Text(conversation.to_owned()),
            Bind::Int(i64::from(ticket)),
        ]
    };
    let with_body = |rest: [Bind; 3]| {
        let mut binds = vec![Bind::Text(body.to_owned())];
        binds.extend(rest);
        binds
    };
    [
        Sql {
            text: "UPDATE record_text SET body = body || char(10) || ? WHERE rowid = \
                   (SELECT id FROM records WHERE site_id = ? AND conversation_id = ? AND ticket = ?)"
                .to_owned(),
            binds: with_body(key()),
        },
        Sql {
            text: "INSERT INTO record_text (rowid, body) SELECT id, ? FROM records \
                   WHERE site_id = ? AND conversation_id = ? AND ticket = ? \
                   AND NOT EXISTS (SELECT 1 FROM record_text WHERE rowid = records.id)"
                .to_owned(),
            binds: with_body(key()),
        },
    ]
}

/// Writes the visitor's rating into a ticket's row (the feed keeps what the index has).
pub fn rating(site: &str, conversation: &str, ticket: u32, rating: &Rating) -> Sql {
    Sql {
        text: "UPDATE records SET csat = ?, nps = ? \
               WHERE site_id = ? AND conversation_id = ? AND ticket = ?"
            .to_owned(),
        binds: vec![
            Bind::Int(i64::from(rating.csat)),
            Bind::opt_int(rating.nps.map(i64::from)),
            Bind::Text(site.to_owned()),
            Bind::Text(conversation.to_owned()),
            Bind::Int(i64::from(ticket)),
        ],
    }
}

/// Runs `statements` in one D1 batch: one transaction, in order (the records feed's writes).
pub async fn run_batch(env: &Env, statements: &[Sql]) -> EdgeResult<()> {
    let db = super::db(env)?;
    let prepared = statements
        .iter()
        .map(|sql| db.prepare(&sql.text).bind(&sql.js_binds()))
        .collect::<worker::Result<Vec<_>>>()
        .map_err(|e| EdgeError::internal("bind records feed", e))?;
    db.batch(prepared)
        .await
        .map_err(|e| EdgeError::internal("records feed", e))?;
    Ok(())
}

/// Every word must be in the ticket's document. The trigram index answers words of three
/// characters or more, all in one MATCH; a shorter word (a two-character Chinese word, "ok") is
/// matched with LIKE, over the documents the MATCH kept (or over every document when no word is
/// long enough, which is slower).
fn text_filter(sql: &mut Sql, words: &str) {
    let (long, short): (Vec<&str>, Vec<&str>) = words
        .split_whitespace()
        .partition(|w| w.chars().count() >= 3);
    if long.is_empty() && short.is_empty() {
        return;
    }
    let mut conditions = Vec::new();
    let mut binds = Vec::new();
    if !long.is_empty() {
        let phrases: Vec<String> = long.iter().map(|w| phrase(w)).collect();
        conditions.push("record_text MATCH ?");
        binds.push(Bind::Text(format!("body : ({})", phrases.join(" AND "))));
    }
    for word in &short {
        conditions.push("body LIKE ? ESCAPE '\\'");
        binds.push(Bind::Text(like_pattern(word)));
    }
    sql.push(
        &format!(
            " AND r.id IN (SELECT rowid FROM record_text WHERE {})",
            conditions.join(" AND ")
        ),
        binds,
    );
}

/// An FTS5 string that matches `word` literally, whatever it holds (`"` doubled): no word an
/// operator types is read as FTS5 query syntax.
fn phrase(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// `%word%` with LIKE's wildcards in the word escaped.
fn like_pattern(word: &str) -> String {
    let mut out = String::from("%");
    for ch in word.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

#[cfg(test)]
pub(crate) mod tests;
