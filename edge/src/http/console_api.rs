//! The console's endpoints (`/v1/console/…`): sign-in, presence, the inbox, the team, canned
//! responses and the console socket. Every endpoint but sign-in needs the session cookie, and
//! each checks its role here, not only in the UI.

use porchlight_shared::console::{
    AgentChanges, AgentProfile, AgentRole, CannedList, CannedResponse, LoginRequest, NewAgent,
    Team, TeamMember,
};
use porchlight_shared::routing::Presence;
use porchlight_shared::texts::SiteTexts;
use porchlight_shared::{validate, ErrorCode, Millis};
use serde::Deserialize;
use worker::{Date, Env, Method, Request, Response};

use super::body::{copy_json, require_json};
use crate::d1::accounts::{self, Account};
use crate::d1::{db, sites};
use crate::error::{EdgeError, EdgeResult};
use crate::team::TeamClient;

/// Serves `/v1/console/<rest>`.
pub async fn route(req: &mut Request, env: &Env, rest: &[&str]) -> EdgeResult<Response> {
    let now = Date::now().as_millis() as Millis;
    let method = req.method();
    if let (Method::Post, ["login"]) = (&method, rest) {
        return login(req, env, now).await;
    }
    let account = accounts::signed_in(req, env, now).await?;
    match (method, rest) {
        (Method::Post, ["logout"]) => {
            if let Some(t) = accounts::session_cookie(req) {
                accounts::logout(env, &t).await?;
            }
            // Signing out takes the agent out of routing at once.
            if let Err(e) = team(env, &account).set_presence(Presence::Offline).await {
                worker::console_error!("presence not dropped at sign-out: {e}");
            }
            let mut resp = Response::empty()?.with_status(204);
            resp.headers_mut()
                .set("Set-Cookie", &accounts::set_cookie(None))?;
            Ok(resp)
        }
        (Method::Get, ["me"]) => Ok(Response::from_json(&account.me())?),
        (_, ["records", ..] | ["reports"]) => {
            super::records_api::route(req, env, &account, rest, now).await
        }
        (Method::Put, ["presence"]) => {
            let body: porchlight_shared::console::SetPresence =
                serde_json::from_str(&read(req).await?).map_err(bad_json)?;
            copy_json(team(env, &account).set_presence(body.presence).await?).await
        }
        (Method::Get, ["inbox"]) => copy_json(team(env, &account).inbox().await?).await,
        (Method::Get, ["ws"]) => {
            let upgrade = req.headers().get("Upgrade")?.unwrap_or_default();
            let offered = req
                .headers()
                .get("Sec-WebSocket-Protocol")?
                .unwrap_or_default();
            if !upgrade.eq_ignore_ascii_case("websocket")
                || !offered
                    .split(',')
                    .any(|p| p.trim() == porchlight_shared::protocol::SUBPROTOCOL)
            {
                return Err(EdgeError::new(
                    ErrorCode::InvalidField,
                    "expected a WebSocket upgrade offering 'porchlight.v1'",
                ));
            }
            team(env, &account).connect().await
        }
        (Method::Get, ["agents"]) => Ok(Response::from_json(&team_list(env, &account).await?)?),
        (Method::Post, ["agents"]) => {
            account.require(AgentRole::Admin)?;
            let new: NewAgent = serde_json::from_str(&read(req).await?).map_err(bad_json)?;
            let profile = invite(env, &account, new, now).await?;
            Ok(Response::from_json(&profile)?.with_status(201))
        }
        (Method::Patch, ["agents", id]) => {
            account.require(AgentRole::Admin)?;
            let changes: AgentChanges =
                serde_json::from_str(&read(req).await?).map_err(bad_json)?;
            let profile = change(env, &account, id, changes, now).await?;
            Ok(Response::from_json(&profile)?)
        }
        (Method::Get, ["canned"]) => {
            Ok(Response::from_json(&canned(env, &account.site_id).await?)?)
        }
        (Method::Put, ["canned", shortcut]) => {
            account.require(AgentRole::Admin)?;
            #[derive(Deserialize)]
            struct Body {
                text: String,
            }
            let body: Body = serde_json::from_str(&read(req).await?).map_err(bad_json)?;
            let c = CannedResponse {
                shortcut: (*shortcut).to_owned(),
                text: body.text,
            };
            put_canned(env, &account.site_id, &c).await?;
            Ok(Response::from_json(&c)?)
        }
        (Method::Delete, ["canned", shortcut]) => {
            account.require(AgentRole::Admin)?;
            db(env)?
                .prepare("DELETE FROM canned_responses WHERE site_id = ?1 AND shortcut = ?2")
                .bind(&[account.site_id.as_str().into(), (*shortcut).into()])
                .map_err(d1)?
                .run()
                .await
                .map_err(d1)?;
            Ok(Response::empty()?.with_status(204))
        }
        (Method::Get, ["site-texts"]) => {
            account.require(AgentRole::Admin)?;
            Ok(Response::from_json(
                &sites::site_texts(env, &account.site_id).await?,
            )?)
        }
        (Method::Put, ["site-texts", locale]) => {
            account.require(AgentRole::Admin)?;
            let given: SiteTexts = serde_json::from_str(&read(req).await?).map_err(bad_json)?;
            let stored = sites::put_site_texts(env, &account.site_id, locale, &given, now).await?;
            Ok(Response::from_json(&stored)?)
        }
        (Method::Get, ["site-settings"]) => {
            account.require(AgentRole::Admin)?;
            Ok(Response::from_json(
                &sites::settings(env, &account.site_id).await?,
            )?)
        }
        (Method::Put, ["site-settings"]) => {
            account.require(AgentRole::Admin)?;
            let given: porchlight_shared::console::SiteSettings =
                serde_json::from_str(&read(req).await?).map_err(bad_json)?;
            sites::put_settings(env, &account.site_id, &given).await?;
            Ok(Response::from_json(&given)?)
        }
        (_, ["login" | "logout" | "me" | "presence" | "inbox" | "ws" | "agents" | "canned"])
        | (_, ["site-texts" | "site-settings"])
        | (_, ["agents" | "canned" | "site-texts", _]) => Err(EdgeError::new(
            ErrorCode::MethodNotAllowed,
            "method not allowed on this endpoint",
        )),
        _ => Err(EdgeError::new(ErrorCode::NotFound, "no such endpoint")),
    }
}

async fn login(req: &mut Request, env: &Env, now: Millis) -> EdgeResult<Response> {
    let body: LoginRequest = serde_json::from_str(&read(req).await?).map_err(bad_json)?;
    validate::id("site_id", &body.site_id)?;
    if body.email.is_empty() || body.password.is_empty() || body.password.len() > 256 {
        return Err(EdgeError::new(
            ErrorCode::InvalidField,
            "email and password are required",
        ));
    }
    // Set by Cloudflare's network (a client cannot choose it there); absent, only the account's
    // count applies.
    let address = req.headers().get("CF-Connecting-IP")?;
    let (account, token) = accounts::login(env, &body, address.as_deref(), now).await?;
    let mut resp = Response::from_json(&account.me())?;
    resp.headers_mut()
        .set("Set-Cookie", &accounts::set_cookie(Some(&token)))?;
    Ok(resp)
}

/// The site's team object, called for the signed-in account.
fn team<'a>(env: &'a Env, a: &Account) -> TeamClient<'a> {
    TeamClient::for_account(env, &a.site_id, &a.profile)
}

/// Every account of the site with its presence and load (accounts the team object has not seen
/// yet are offline).
async fn team_list(env: &Env, a: &Account) -> EdgeResult<Team> {
    let profiles = accounts::list(env, &a.site_id).await?;
    let mut resp = team(env, a).members().await?;
    let live: Vec<TeamMember> = resp.json().await.unwrap_or_default();
    Ok(Team {
        members: profiles
            .into_iter()
            .map(|agent| {
                let l = live.iter().find(|m| m.agent.id == agent.id);
                TeamMember {
                    presence: l.map_or(Presence::Offline, |m| m.presence),
                    open: l.map_or(0, |m| m.open),
                    agent,
                }
            })
            .collect(),
    })
}

fn check_profile(p: &AgentProfile) -> EdgeResult<()> {
    if p.name.trim().is_empty() || p.name.chars().count() > 80 {
        return Err(EdgeError::new(
            ErrorCode::InvalidField,
            "name must be 1-80 characters",
        ));
    }
    for s in &p.skills {
        validate::id("skill", s)?;
    }
    validate::capacity(p.capacity)?;
    Ok(())
}

async fn invite(
    env: &Env,
    admin: &Account,
    new: NewAgent,
    now: Millis,
) -> EdgeResult<AgentProfile> {
    let email = new.email.trim().to_ascii_lowercase();
    if !email.contains('@') || email.len() > 254 {
        return Err(EdgeError::new(
            ErrorCode::InvalidField,
            "a valid email is required",
        ));
    }
    if new.password.chars().count() < 10 || new.password.len() > 256 {
        return Err(EdgeError::new(
            ErrorCode::InvalidField,
            "the password must be at least 10 characters",
        ));
    }
    let id: String = email
        .split('@')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(24)
        .collect();
    let mut suffix = [0u8; 3];
    getrandom::getrandom(&mut suffix).map_err(|e| EdgeError::internal("random", e))?;
    let profile = AgentProfile {
        id: format!(
            "{}_{:02x}{:02x}{:02x}",
            if id.is_empty() { "agent" } else { &id },
            suffix[0],
            suffix[1],
            suffix[2]
        ),
        name: new.name.trim().to_owned(),
        email,
        role: new.role,
        skills: new.skills,
        capacity: new.capacity,
    };
    check_profile(&profile)?;
    let stored = accounts::hash_password(&new.password).await?;
    accounts::put(env, &admin.site_id, &profile, Some(&stored), now).await?;
    tell_team(env, admin, &profile).await;
    Ok(profile)
}

async fn change(
    env: &Env,
    admin: &Account,
    id: &str,
    c: AgentChanges,
    now: Millis,
) -> EdgeResult<AgentProfile> {
    let mut p = accounts::list(env, &admin.site_id)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| EdgeError::new(ErrorCode::NotFound, "no such agent"))?;
    if let Some(n) = c.name {
        p.name = n.trim().to_owned();
    }
    if let Some(r) = c.role {
        p.role = r;
    }
    if let Some(s) = c.skills {
        p.skills = s;
    }
    if let Some(cap) = c.capacity {
        p.capacity = cap;
    }
    check_profile(&p)?;
    accounts::put(env, &admin.site_id, &p, None, now).await?;
    tell_team(env, admin, &p).await;
    Ok(p)
}

/// Routing must see new skills and capacity at once.
async fn tell_team(env: &Env, a: &Account, p: &AgentProfile) {
    if let Err(e) = team(env, a).member_changed(p).await {
        worker::console_error!("team not told of an account change: {e}");
    }
}

async fn canned(env: &Env, site_id: &str) -> EdgeResult<CannedList> {
    let responses: Vec<CannedResponse> = db(env)?
        .prepare("SELECT shortcut, text FROM canned_responses WHERE site_id = ?1 ORDER BY shortcut")
        .bind(&[site_id.into()])
        .map_err(d1)?
        .all()
        .await
        .map_err(d1)?
        .results()
        .map_err(d1)?;
    Ok(CannedList { responses })
}

async fn put_canned(env: &Env, site_id: &str, c: &CannedResponse) -> EdgeResult<()> {
    let ok = !c.shortcut.is_empty()
        && c.shortcut.len() <= 32
        && c.shortcut
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if !ok {
        return Err(EdgeError::new(
            ErrorCode::InvalidField,
            "a shortcut is 1-32 of a-z, 0-9, '_' or '-'",
        ));
    }
    validate::body(&porchlight_shared::protocol::Body {
        text: c.text.clone(),
        ..Default::default()
    })?;
    db(env)?
        .prepare(
            "INSERT OR REPLACE INTO canned_responses (site_id, shortcut, text) VALUES (?1, ?2, ?3)",
        )
        .bind(&[
            site_id.into(),
            c.shortcut.as_str().into(),
            c.text.as_str().into(),
        ])
        .map_err(d1)?
        .run()
        .await
        .map_err(d1)?;
    Ok(())
}

fn d1(e: worker::Error) -> EdgeError {
    EdgeError::internal("console D1", e)
}

fn bad_json(e: serde_json::Error) -> EdgeError {
    EdgeError::new(ErrorCode::BadJson, format!("malformed body: {e}"))
}

async fn read(req: &mut Request) -> EdgeResult<String> {
    require_json(req)?;
    let bytes = req.bytes().await?;
    if bytes.len() > 64 * 1024 {
        return Err(EdgeError::new(
            ErrorCode::TooLarge,
            "bodies are limited to 65536 bytes",
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| EdgeError::new(ErrorCode::InvalidUtf8, "the body is not valid UTF-8"))
}
