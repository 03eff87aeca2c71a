//! D1 access: sites, agent credentials and the ticket index. The only module that talks to D1.

use porchlight_shared::console::SiteSettings;
use porchlight_shared::protocol::{PrechatField, TicketSummary, WidgetConfig, WidgetPosition};
use porchlight_shared::texts::{self, LocaleTexts, SiteTexts, SiteTextsList, SITE_LOCALES};
use porchlight_shared::{ConversationStyle, ErrorCode, Millis, Status};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::Env;

use super::db;
use crate::error::{EdgeError, EdgeResult};

/// A site as the edge needs it.
#[derive(Debug, Clone)]
pub struct Site {
    /// Site id.
    pub id: String,
    /// Origins allowed to embed the widget and call the visitor API.
    pub allowed_origins: Vec<String>,
    /// How tickets behave after Solved.
    pub style: ConversationStyle,
    /// Signs visitor tokens and verifies identities.
    pub secret: String,
    /// Whether the visitor's language is a skill new tickets need.
    pub route_by_language: bool,
    /// Whether the page addresses visitors report keep their query string and fragment.
    pub page_url_query: bool,
}

impl Site {
    /// Whether a request with this `Origin` header may act for the site. `self_origin` (the
    /// edge's own, where the widget frame lives) is always allowed; a request without an Origin
    /// does not come from a browser page, and still needs a valid token.
    pub fn origin_allowed(&self, origin: Option<&str>, self_origin: &str) -> bool {
        match origin {
            None => true,
            Some(o) => o == self_origin || self.allowed_origins.iter().any(|a| a == o),
        }
    }
}

#[derive(Deserialize)]
struct SiteRow {
    id: String,
    allowed_origins: String,
    style: String,
    style_secs: f64,
    secret: String,
    route_by_language: f64,
    page_url_query: f64,
}

/// An agent identified by a development token.
#[derive(Debug, Clone, Deserialize)]
pub struct Agent {
    /// The agent's site.
    pub site_id: String,
    /// Agent id.
    pub agent_id: String,
    /// Display name: the account's, else the token's.
    pub name: Option<String>,
    /// A console account with the agent role: finishes only a ticket assigned to them
    /// (development tokens, operators and admins finish any).
    #[serde(default)]
    pub own_tickets_only: bool,
}

/// A ticket's row in the site-wide index.
pub struct IndexRow<'a> {
    /// Site id.
    pub site_id: &'a str,
    /// Conversation id.
    pub conversation_id: &'a str,
    /// Ticket number.
    pub number: u32,
    /// Status after the change.
    pub status: Status,
    /// Owner after the change.
    pub assignee: Option<&'a str>,
    /// Sequence number of the change.
    pub seq: u64,
    /// Time of the change.
    pub at: Millis,
}

fn d1_err(context: &'static str) -> impl Fn(worker::Error) -> EdgeError {
    move |e| EdgeError::internal(context, e)
}

/// Loads a site, or `unknown_site`.
pub async fn load_site(env: &Env, site_id: &str) -> EdgeResult<Site> {
    let row: Option<SiteRow> = db(env)?
        .prepare(format!("SELECT {SITE_COLUMNS} FROM sites WHERE id = ?1"))
        .bind(&[site_id.into()])
        .map_err(d1_err("bind site"))?
        .first(None)
        .await
        .map_err(d1_err("load site"))?;
    site_from_row(row.ok_or_else(unknown_site)?)
}

const SITE_COLUMNS: &str =
    "id, allowed_origins, style, style_secs, secret, route_by_language, page_url_query";

fn unknown_site() -> EdgeError {
    EdgeError::new(ErrorCode::UnknownSite, "no such site")
}

fn site_from_row(row: SiteRow) -> EdgeResult<Site> {
    let allowed_origins = serde_json::from_str(&row.allowed_origins)
        .map_err(|e| EdgeError::internal("site allowed_origins", e))?;
    let style = ConversationStyle::from_parts(&row.style, row.style_secs as u32)
        .ok_or_else(|| EdgeError::internal("site style", &row.style))?;
    Ok(Site {
        id: row.id,
        allowed_origins,
        style,
        secret: row.secret,
        route_by_language: row.route_by_language != 0.0,
        page_url_query: row.page_url_query != 0.0,
    })
}

/// Finds the agent a development token belongs to.
pub async fn agent_for_token(env: &Env, token: &str) -> EdgeResult<Agent> {
    let hash = crate::token::sha256_hex(token);
    let agent: Option<Agent> = db(env)?
        .prepare(
            "SELECT t.site_id, t.agent_id, COALESCE(a.name, t.name) AS name
             FROM agent_tokens t LEFT JOIN agents a ON a.site_id = t.site_id AND a.id = t.agent_id
             WHERE t.token_sha256 = ?1",
        )
        .bind(&[hash.into()])
        .map_err(d1_err("bind agent"))?
        .first(None)
        .await
        .map_err(d1_err("load agent"))?;
    agent.ok_or_else(|| EdgeError::new(ErrorCode::InvalidToken, "unknown agent token"))
}

/// The display names of a site's agents by id: the accounts', else the development tokens'.
pub async fn agent_names(
    env: &Env,
    site_id: &str,
) -> EdgeResult<std::collections::BTreeMap<String, String>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        name: String,
    }
    let rows: Vec<Row> = db(env)?
        .prepare(
            "SELECT agent_id AS id, name, 0 AS account FROM agent_tokens WHERE site_id = ?1
             UNION ALL SELECT id, name, 1 AS account FROM agents WHERE site_id = ?1
             ORDER BY account",
        )
        .bind(&[site_id.into()])
        .map_err(d1_err("bind names"))?
        .all()
        .await
        .map_err(d1_err("load names"))?
        .results()
        .map_err(d1_err("read names"))?;
    // Accounts come last, so their names win.
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// Records a ticket change in the index, unless a newer change is already there.
pub async fn index_ticket(env: &Env, row: &IndexRow<'_>) -> EdgeResult<()> {
    let assignee: JsValue = row.assignee.map_or(JsValue::NULL, JsValue::from);
    db(env)?
        .prepare(
            "INSERT INTO tickets (site_id, conversation_id, number, status, assignee, seq, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
             ON CONFLICT (site_id, conversation_id, number) DO UPDATE SET
               status = excluded.status, assignee = excluded.assignee, seq = excluded.seq,
               updated_at = excluded.updated_at
             WHERE excluded.seq > tickets.seq",
        )
        .bind(&[
            row.site_id.into(),
            row.conversation_id.into(),
            row.number.into(),
            row.status.as_str().into(),
            assignee,
            (row.seq as f64).into(),
            (row.at as f64).into(),
        ])
        .map_err(d1_err("bind index"))?
        .run()
        .await
        .map_err(d1_err("index ticket"))?;
    Ok(())
}

#[derive(Deserialize)]
struct TicketRow {
    conversation_id: String,
    number: f64,
    status: String,
    assignee: Option<String>,
    updated_at: f64,
}

/// Every live (not Closed) ticket of a site, most recently changed first.
pub async fn live_tickets(env: &Env, site_id: &str) -> EdgeResult<Vec<TicketSummary>> {
    let rows: Vec<TicketRow> = db(env)?
        .prepare(
            "SELECT conversation_id, number, status, assignee, updated_at FROM tickets
             WHERE site_id = ?1 AND status != 'closed' ORDER BY updated_at DESC LIMIT 500",
        )
        .bind(&[site_id.into()])
        .map_err(d1_err("bind tickets"))?
        .all()
        .await
        .map_err(d1_err("list tickets"))?
        .results()
        .map_err(d1_err("decode tickets"))?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(TicketSummary {
                conversation_id: r.conversation_id,
                number: r.number as u32,
                status: Status::parse(&r.status)?,
                assignee: r.assignee,
                updated_at: r.updated_at as Millis,
            })
        })
        .collect())
}

#[derive(Deserialize)]
struct WidgetRow {
    widget_color: String,
    widget_position: String,
    #[serde(flatten)]
    texts: RowTexts,
    consent_required: f64,
    prechat_fields: String,
    default_locale: String,
    nps_enabled: f64,
}

/// The texts in the site's own row, from before texts per language: they stand in for the
/// default language's until it is written.
#[derive(Deserialize)]
struct RowTexts {
    away_message: String,
    expected_wait: String,
    privacy_text: String,
}

impl From<RowTexts> for SiteTexts {
    fn from(r: RowTexts) -> SiteTexts {
        SiteTexts {
            welcome: String::new(),
            away_message: r.away_message,
            expected_wait: r.expected_wait,
            privacy_text: r.privacy_text,
            csat_question: String::new(),
            nps_question: String::new(),
        }
    }
}

/// Every language's texts a site has written.
async fn texts_rows(env: &Env, site_id: &str) -> EdgeResult<Vec<LocaleTexts>> {
    db(env)?
        .prepare(
            "SELECT locale, welcome, away_message, expected_wait, privacy_text, csat_question,
                    nps_question
             FROM site_texts WHERE site_id = ?1",
        )
        .bind(&[site_id.into()])
        .map_err(d1_err("bind texts"))?
        .all()
        .await
        .map_err(d1_err("load texts"))?
        .results()
        .map_err(d1_err("decode texts"))
}

/// `GET /v1/console/site-texts`: every language's texts, as written (no fallback).
pub async fn site_texts(env: &Env, site_id: &str) -> EdgeResult<SiteTextsList> {
    #[derive(Deserialize)]
    struct Row {
        default_locale: String,
        #[serde(flatten)]
        texts: RowTexts,
    }
    let (row, written) = futures_util::future::join(
        async {
            db(env)?
                .prepare(
                    "SELECT default_locale, away_message, expected_wait, privacy_text
                     FROM sites WHERE id = ?1",
                )
                .bind(&[site_id.into()])
                .map_err(d1_err("bind site"))?
                .first::<Row>(None)
                .await
                .map_err(d1_err("load site"))
        },
        texts_rows(env, site_id),
    )
    .await;
    let row = row?.ok_or_else(unknown_site)?;
    let written = written?;
    // The default language shows what visitors read today: the site's own columns until it
    // is written.
    let legacy = SiteTexts::from(row.texts);
    let locales = SITE_LOCALES
        .into_iter()
        .map(|l| {
            let own = texts::written_in(&written, l);
            LocaleTexts {
                locale: l.to_owned(),
                texts: if l == row.default_locale {
                    own.or(&legacy)
                } else {
                    own
                },
            }
        })
        .collect();
    Ok(SiteTextsList {
        default_locale: row.default_locale,
        locales,
    })
}

/// `PUT /v1/console/site-texts/{locale}`: an admin writes one language's texts (checked first;
/// nothing is stored if one breaks a rule).
pub async fn put_site_texts(
    env: &Env,
    site_id: &str,
    locale: &str,
    given: &SiteTexts,
    now: Millis,
) -> EdgeResult<LocaleTexts> {
    let locale = texts::check_locale(locale)?;
    let t = given.trimmed();
    t.check()?;
    db(env)?
        .prepare(
            "INSERT INTO site_texts (site_id, locale, welcome, away_message, expected_wait,
                                     privacy_text, updated_at, csat_question, nps_question)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (site_id, locale) DO UPDATE SET welcome = excluded.welcome,
               away_message = excluded.away_message, expected_wait = excluded.expected_wait,
               privacy_text = excluded.privacy_text, updated_at = excluded.updated_at,
               csat_question = excluded.csat_question, nps_question = excluded.nps_question",
        )
        .bind(&[
            site_id.into(),
            locale.into(),
            t.welcome.as_str().into(),
            t.away_message.as_str().into(),
            t.expected_wait.as_str().into(),
            t.privacy_text.as_str().into(),
            (now as f64).into(),
            t.csat_question.as_str().into(),
            t.nps_question.as_str().into(),
        ])
        .map_err(d1_err("bind texts"))?
        .run()
        .await
        .map_err(d1_err("store texts"))?;
    Ok(LocaleTexts {
        locale: locale.to_owned(),
        texts: t,
    })
}

/// A site and its widget settings, with its texts in the first of `preferred` languages it can
/// write in (else its default language): what the widget is told, but for who of its team is
/// online (the team object knows that; the caller asks it at the same time).
pub async fn site_with_widget(
    env: &Env,
    site_id: &str,
    preferred: &[&str],
) -> EdgeResult<(Site, WidgetConfig)> {
    #[derive(Deserialize)]
    struct Row {
        #[serde(flatten)]
        site: SiteRow,
        #[serde(flatten)]
        widget: WidgetRow,
    }
    let query = async {
        db(env)?
            .prepare(format!(
                "SELECT {SITE_COLUMNS}, widget_color, widget_position, away_message,
                        expected_wait, privacy_text, consent_required, prechat_fields,
                        default_locale, nps_enabled
                 FROM sites WHERE id = ?1"
            ))
            .bind(&[site_id.into()])
            .map_err(d1_err("bind site"))?
            .first::<Row>(None)
            .await
            .map_err(d1_err("load site"))
    };
    let (row, written) = futures_util::future::join(query, texts_rows(env, site_id)).await;
    let row = row?.ok_or_else(unknown_site)?;
    let site = site_from_row(row.site)?;
    let locale = texts::pick_locale(preferred.iter().copied());
    let written = written?;
    let mut widget = widget_from_row(&site.id, row.widget, &written, locale);
    widget.page_url_query = site.page_url_query;
    Ok((site, widget))
}

/// The widget settings in a site's row, with the texts for `locale`; `agents_online` and
/// `team` are left empty for the caller to fill in.
fn widget_from_row(
    site_id: &str,
    row: WidgetRow,
    written: &[LocaleTexts],
    locale: Option<&str>,
) -> WidgetConfig {
    let texts = texts::for_locale(
        written,
        locale,
        &row.default_locale,
        SiteTexts::from(row.texts),
    );
    // A malformed list (edited by hand) shows no form rather than failing the widget.
    let mut prechat_fields: Vec<PrechatField> =
        serde_json::from_str(&row.prechat_fields).unwrap_or_default();
    prechat_fields.retain(|f| *f != PrechatField::Unknown);
    prechat_fields.dedup();
    WidgetConfig {
        site_id: site_id.to_owned(),
        color: row.widget_color,
        position: position(&row.widget_position),
        away_message: texts.away_message,
        expected_wait: texts.expected_wait,
        privacy_version: privacy_version(&texts.privacy_text),
        privacy_text: texts.privacy_text,
        consent_required: row.consent_required != 0.0,
        page_url_query: false,
        prechat_fields,
        agents_online: false,
        team: Vec::new(),
        welcome: texts.welcome,
        nps: row.nps_enabled != 0.0,
        csat_question: texts.csat_question,
        nps_question: texts.nps_question,
    }
}

/// The version of a privacy text: the start of the SHA-256 of its exact text, so that a consent
/// names the very text the visitor was shown.
pub fn privacy_version(text: &str) -> String {
    let mut hex = crate::token::sha256_hex(text);
    hex.truncate(porchlight_shared::protocol::PRIVACY_VERSION_LEN);
    hex
}

/// `GET /v1/console/site-settings`: the site's privacy settings.
pub async fn settings(env: &Env, site_id: &str) -> EdgeResult<SiteSettings> {
    #[derive(Deserialize)]
    struct Row {
        page_url_query: f64,
        nps_enabled: f64,
    }
    let row: Option<Row> = db(env)?
        .prepare("SELECT page_url_query, nps_enabled FROM sites WHERE id = ?1")
        .bind(&[site_id.into()])
        .map_err(d1_err("bind site"))?
        .first(None)
        .await
        .map_err(d1_err("load settings"))?;
    let row = row.ok_or_else(unknown_site)?;
    Ok(SiteSettings {
        page_url_query: row.page_url_query != 0.0,
        nps: row.nps_enabled != 0.0,
    })
}

/// `PUT /v1/console/site-settings`: an admin changes them.
pub async fn put_settings(env: &Env, site_id: &str, s: &SiteSettings) -> EdgeResult<()> {
    db(env)?
        .prepare("UPDATE sites SET page_url_query = ?2, nps_enabled = ?3 WHERE id = ?1")
        .bind(&[
            site_id.into(),
            f64::from(u8::from(s.page_url_query)).into(),
            f64::from(u8::from(s.nps)).into(),
        ])
        .map_err(d1_err("bind settings"))?
        .run()
        .await
        .map_err(d1_err("store settings"))?;
    Ok(())
}

/// The launcher's colour and corner of a site (written into its loader), or `unknown_site`.
pub async fn launcher_style(env: &Env, site_id: &str) -> EdgeResult<(String, WidgetPosition)> {
    #[derive(Deserialize)]
    struct Row {
        widget_color: String,
        widget_position: String,
    }
    let row: Option<Row> = db(env)?
        .prepare("SELECT widget_color, widget_position FROM sites WHERE id = ?1")
        .bind(&[site_id.into()])
        .map_err(d1_err("bind site"))?
        .first(None)
        .await
        .map_err(d1_err("load launcher style"))?;
    let row = row.ok_or_else(unknown_site)?;
    Ok((row.widget_color, position(&row.widget_position)))
}

/// The `widget_position` column: `left`, else the default corner.
fn position(column: &str) -> WidgetPosition {
    if column == "left" {
        WidgetPosition::Left
    } else {
        WidgetPosition::Right
    }
}
