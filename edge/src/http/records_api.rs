//! The records endpoints of the console API, for operators and admins only (an agent gets 403
//! `forbidden` on each, whatever the UI shows):
//! - `GET /v1/console/records?<filters>`: one page of a search ([`RecordPage`]);
//! - `GET /v1/console/records/export?<filters>[&mask=1][&bom=1]`: the whole search as CSV,
//!   streamed from D1 page by page, so that 100 000 rows neither time out nor sit in memory;
//! - `GET /v1/console/records/{conversation}`: one conversation's record ([`RecordDetail`]):
//!   each ticket's figures, the visitor, the whole history with notes;
//! - `GET /v1/console/records/{conversation}/transcript?tz=&locale=`: its printable transcript
//!   (HTML shown in the browser, whose print style makes a clean PDF with "Save as PDF");
//! - `GET /v1/console/reports?<filters>&tz=ZONE`: the reports page's figures ([`Report`]) over
//!   the same rows the records list reads for the same filters (`from` and `to` required).
//!
//! The filters are [`RecordQuery`]'s, the same the console keeps in its URL.

use std::rc::Rc;

use futures_util::stream;
use porchlight_shared::console::AgentRole;
use porchlight_shared::protocol::{Role, VisitorPanel};
use porchlight_shared::records::detail::{self, RecordDetail, VisitorFacts};
use porchlight_shared::records::query::{Cursor, RecordQuery};
use porchlight_shared::records::report::{self, Report};
use porchlight_shared::records::row::{
    export_header, write_export_row, ExportOptions, RecordPage, RecordRow,
};
use porchlight_shared::{ErrorCode, Millis, Status};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, Env, Method, Request, Response};

use crate::conversation::{ConversationClient, Ctx};
use crate::d1::accounts::Account;
use crate::d1::records::{self, Sql};
use crate::d1::{db, sites};
use crate::error::{EdgeError, EdgeResult};

/// Rows read from D1 per step of an export.
const EXPORT_PAGE: u32 = 500;

/// Serves `/v1/console/records…` for a signed-in `account`.
pub async fn route(
    req: &Request,
    env: &Env,
    account: &Account,
    rest: &[&str],
    now: Millis,
) -> EdgeResult<Response> {
    account.require(AgentRole::Operator)?;
    let pairs: Vec<(String, String)> = req.url()?.query_pairs().into_owned().collect();
    match (req.method(), rest) {
        (Method::Get | Method::Head, ["records"]) => {
            let q = RecordQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
            let page = search(&db(env)?, &account.site_id, &q).await?;
            Ok(Response::from_json(&page)?)
        }
        (Method::Get | Method::Head, ["records", "export"]) => {
            let flag = |name: &str| pairs.iter().any(|(k, v)| k == name && v == "1");
            let options = ExportOptions {
                mask: flag("mask"),
                bom: flag("bom"),
            };
            let filters = pairs
                .iter()
                .filter(|(k, _)| k != "mask" && k != "bom")
                .map(|(k, v)| (k.as_str(), v.as_str()));
            let q = RecordQuery::from_pairs(filters)?.first_page();
            export(db(env)?, account.site_id.clone(), q, options, now)
        }
        (Method::Get | Method::Head, ["reports"]) => {
            let tz = pairs
                .iter()
                .find(|(k, _)| k == "tz")
                .map_or("UTC", |(_, v)| v.as_str());
            let filters = pairs
                .iter()
                .filter(|(k, _)| k != "tz")
                .map(|(k, v)| (k.as_str(), v.as_str()));
            let q = RecordQuery::from_pairs(filters)?.first_page();
            let report = reports(&db(env)?, &account.site_id, q, tz).await?;
            Ok(Response::from_json(&report)?)
        }
        (Method::Get | Method::Head, ["records", conversation]) => {
            porchlight_shared::validate::id("conversation", conversation)?;
            let ctx = context(env, account, conversation).await?;
            Ok(Response::from_json(&record_detail(env, &ctx, now).await?)?)
        }
        (Method::Get | Method::Head, ["records", conversation, "transcript"]) => {
            porchlight_shared::validate::id("conversation", conversation)?;
            let ctx = context(env, account, conversation).await?;
            super::router::transcript(req, env, &ctx, super::router::Delivery::Page).await
        }
        (_, ["records"] | ["records", _] | ["records", _, "transcript"] | ["reports"]) => Err(
            EdgeError::new(ErrorCode::MethodNotAllowed, "records are read with GET"),
        ),
        _ => Err(EdgeError::new(ErrorCode::NotFound, "no such endpoint")),
    }
}

/// The conversation's object, called as the signed-in operator.
async fn context(env: &Env, account: &Account, conversation: &str) -> EdgeResult<Ctx> {
    let site = sites::load_site(env, &account.site_id).await?;
    Ok(Ctx {
        site_id: account.site_id.clone(),
        conversation_id: conversation.to_owned(),
        role: Role::Agent {
            id: account.profile.id.clone(),
        },
        name: Some(account.profile.name.clone()),
        // Operators and admins only reach here; they read, and finish nothing through it.
        own_tickets_only: false,
        style: site.style,
        route_by_language: site.route_by_language,
    })
}

/// One conversation's record: the object's whole history and visitor, the index's rows, the
/// agents' names. A conversation neither knows is `not_found`.
async fn record_detail(env: &Env, ctx: &Ctx, now: Millis) -> EdgeResult<RecordDetail> {
    let db = db(env)?;
    let conversation = ConversationClient::new(env, ctx);
    let rows_sql = records::of_conversation(&ctx.site_id, &ctx.conversation_id);
    let (history, panel, rows, names) = futures_util::future::join4(
        conversation.transcript(),
        conversation.visitor(),
        rows(&db, &rows_sql),
        sites::agent_names(env, &ctx.site_id),
    )
    .await;
    let (rows, names) = (rows?, names?);
    // The object answers `not_found` to an agent for a conversation nobody wrote in (and
    // creates nothing): a ticket only the index knows has no history to show.
    let history = match history {
        Err(e) if e.code == ErrorCode::NotFound => Default::default(),
        other => other?,
    };
    if history.items.is_empty() && rows.is_empty() {
        return Err(EdgeError::new(ErrorCode::NotFound, "no such conversation"));
    }
    let mut panel = panel?;
    let profile = if panel.status_code() == 200 {
        panel
            .json::<VisitorPanel>()
            .await
            .map(|p| p.profile)
            .unwrap_or_default()
    } else {
        Default::default()
    };
    Ok(RecordDetail {
        conversation_id: ctx.conversation_id.clone(),
        now,
        visitor: VisitorFacts::new(&profile, &rows),
        tickets: detail::tickets(&history.items, &rows, now),
        items: history.items,
        names,
        consent: history.consent,
    })
}

/// The report of every ticket the search `q` finds (read a page at a time, as the export
/// does, and counted as it comes), its days and hours in time zone `tz`.
async fn reports(db: &D1Database, site: &str, q: RecordQuery, tz: &str) -> EdgeResult<Report> {
    porchlight_shared::validate::time_zone(tz)?;
    let (Some(from), Some(to)) = (q.from, q.to) else {
        return Err(EdgeError::new(
            ErrorCode::InvalidField,
            "from and to: a report needs its period",
        ));
    };
    if (to - from) > report::MAX_DAYS as Millis * 86_400_000 {
        return Err(EdgeError::new(
            ErrorCode::InvalidField,
            format!("to: a report covers at most {} days", report::MAX_DAYS),
        ));
    }
    let offset = crate::intl::ZoneOffset::new(tz)?;
    // A page of rows at a time, as the export reads them: only the figures stay in memory.
    let mut report = report::Builder::new(from, to, |at| offset.at(at));
    let mut page = q;
    loop {
        let mut got = rows(db, &records::page_of(site, &page, EXPORT_PAGE)).await?;
        let next = next_page(&mut got, EXPORT_PAGE as usize);
        for row in &got {
            report.add(row);
        }
        match next {
            Some(after) => page.after = Some(after),
            None => break,
        }
    }
    Ok(report.finish())
}

/// Keeps the first `page` of `rows` (a page is read with one row more) and says where the next
/// page starts, if there is one.
fn next_page(rows: &mut Vec<RecordRow>, page: usize) -> Option<Cursor> {
    if rows.len() <= page {
        return None;
    }
    rows.truncate(page);
    rows.last().map(|r| Cursor {
        created_at: r.created_at,
        conversation: r.conversation_id.clone(),
        ticket: r.ticket,
    })
}

/// One page and the total.
async fn search(db: &D1Database, site: &str, q: &RecordQuery) -> EdgeResult<RecordPage> {
    let limit = porchlight_shared::validate::page_size(q.limit) as usize;
    let (rows, total) = futures_util::future::join(
        rows(db, &records::page(site, q)),
        count(db, &records::count(site, q)),
    )
    .await;
    let mut rows = rows?;
    let next = next_page(&mut rows, limit).map(|c| c.to_string());
    Ok(RecordPage {
        rows,
        next,
        total: total?,
    })
}

/// The whole search as CSV, one D1 page per chunk of the body.
fn export(
    db: D1Database,
    site: String,
    q: RecordQuery,
    options: ExportOptions,
    now: Millis,
) -> EdgeResult<Response> {
    let header =
        stream::once(
            async move { Ok::<Vec<u8>, worker::Error>(export_header(options).into_bytes()) },
        );
    // The state is the next page's query, or None once the last page was sent.
    let db = Rc::new(db);
    let pages = stream::unfold(Some(q), move |state| {
        let db = Rc::clone(&db);
        let site = site.clone();
        async move {
            let q = state?;
            let page = EXPORT_PAGE as usize;
            let result = rows(&db, &records::page_of(&site, &q, EXPORT_PAGE)).await;
            let mut rows = match result {
                Ok(rows) => rows,
                Err(e) => return Some((Err(worker::Error::RustError(e.to_string())), None)),
            };
            let next = next_page(&mut rows, page).map(|after| RecordQuery {
                after: Some(after),
                ..q.clone()
            });
            let mut out = String::new();
            for row in &rows {
                write_export_row(&mut out, row, options, now);
            }
            Some((Ok(out.into_bytes()), next))
        }
    });
    let mut resp = Response::from_stream(futures_util::StreamExt::chain(header, pages))?;
    let headers = resp.headers_mut();
    headers.set("Content-Type", "text/csv; charset=utf-8")?;
    headers.set(
        "Content-Disposition",
        "attachment; filename=\"porchlight-records.csv\"",
    )?;
    headers.set("Cache-Control", "no-store")?;
    Ok(resp)
}

fn bind(sql: &Sql) -> Vec<JsValue> {
    sql.js_binds()
}

/// A records row as D1 returns it (numbers as JavaScript numbers).
#[derive(Deserialize)]
struct DbRow {
    conversation_id: String,
    ticket: f64,
    status: Option<String>,
    channel: String,
    flow: String,
    environment: String,
    visitor_name: Option<String>,
    visitor_email: Option<String>,
    visitor_phone: Option<String>,
    visitor_external_id: Option<String>,
    assignee: Option<String>,
    first_line: String,
    created_at: f64,
    first_response_at: Option<f64>,
    solved_at: Option<f64>,
    closed_at: Option<f64>,
    visitor_messages: f64,
    agent_messages: f64,
    bot_messages: f64,
    files: f64,
    transfers: f64,
    reopenings: f64,
    active_ms: f64,
    csat: Option<f64>,
    nps: Option<f64>,
    consent_at: Option<f64>,
    consent_version: Option<String>,
    consent_locale: Option<String>,
}

impl From<DbRow> for RecordRow {
    fn from(r: DbRow) -> Self {
        let count = |n: f64| n as u32;
        let time = |t: Option<f64>| t.map(|t| t as Millis);
        RecordRow {
            conversation_id: r.conversation_id,
            ticket: count(r.ticket),
            status: r.status.as_deref().and_then(Status::parse),
            channel: r.channel,
            flow: r.flow,
            environment: r.environment,
            visitor_name: r.visitor_name,
            visitor_email: r.visitor_email,
            visitor_phone: r.visitor_phone,
            visitor_external_id: r.visitor_external_id,
            assignee: r.assignee,
            first_line: r.first_line,
            created_at: r.created_at as Millis,
            first_response_at: time(r.first_response_at),
            solved_at: time(r.solved_at),
            closed_at: time(r.closed_at),
            visitor_messages: count(r.visitor_messages),
            agent_messages: count(r.agent_messages),
            bot_messages: count(r.bot_messages),
            files: count(r.files),
            transfers: count(r.transfers),
            reopenings: count(r.reopenings),
            active_ms: r.active_ms as Millis,
            csat: r.csat.map(|s| s as u8),
            nps: r.nps.map(|s| s as u8),
            consent_at: time(r.consent_at),
            consent_version: r.consent_version,
            consent_locale: r.consent_locale,
        }
    }
}

async fn rows(db: &D1Database, sql: &Sql) -> EdgeResult<Vec<RecordRow>> {
    let rows: Vec<DbRow> = db
        .prepare(&sql.text)
        .bind(&bind(sql))
        .map_err(|e| EdgeError::internal("bind records", e))?
        .all()
        .await
        .map_err(|e| EdgeError::internal("search records", e))?
        .results()
        .map_err(|e| EdgeError::internal("read records", e))?;
    Ok(rows.into_iter().map(RecordRow::from).collect())
}

async fn count(db: &D1Database, sql: &Sql) -> EdgeResult<u64> {
    #[derive(Deserialize)]
    struct N {
        n: f64,
    }
    let n: Option<N> = db
        .prepare(&sql.text)
        .bind(&bind(sql))
        .map_err(|e| EdgeError::internal("bind count", e))?
        .first(None)
        .await
        .map_err(|e| EdgeError::internal("count records", e))?;
    Ok(n.map_or(0, |n| n.n as u64))
}
