//! Who is calling: a visitor (their token, signed by the site, and the page's origin), or an
//! agent (the console's session cookie, or a development bearer token).

use porchlight_shared::console::AgentRole;
use porchlight_shared::protocol::{Role, TOKEN_SUBPROTOCOL_PREFIX};
use porchlight_shared::{validate, ErrorCode, Millis};
use worker::{Env, Request};

use crate::conversation::Ctx;
use crate::d1::accounts;
use crate::d1::sites::{self, Agent, Site};
use crate::error::{EdgeError, EdgeResult};
use crate::token;

/// A visitor request: the bearer token names the site and conversation, the site's secret checks
/// it, and the Origin must be one of the site's.
pub async fn visitor(req: &Request, env: &Env) -> EdgeResult<(Ctx, Site)> {
    let t = bearer(req)?;
    let site_id = token::claimed_site(&t).ok_or_else(invalid_token)?;
    validate::id("site_id", site_id).map_err(|_| invalid_token())?;
    let site = sites::load_site(env, site_id)
        .await
        .map_err(|e| match e.code {
            ErrorCode::UnknownSite => invalid_token(),
            _ => e,
        })?;
    check_origin(req, &site)?;
    let claims = token::verify(&site.secret, &t).ok_or_else(invalid_token)?;
    validate::id("conversation_id", &claims.conversation_id).map_err(|_| invalid_token())?;
    let ctx = Ctx {
        site_id: claims.site_id,
        conversation_id: claims.conversation_id,
        role: Role::Visitor,
        name: None,
        own_tickets_only: false,
        style: site.style,
        route_by_language: site.route_by_language,
    };
    Ok((ctx, site))
}

/// An agent: a development bearer token, or the console's session cookie.
pub async fn agent(req: &Request, env: &Env) -> EdgeResult<Agent> {
    let has_bearer = req.headers().get("Authorization")?.is_some()
        || req
            .headers()
            .get("Sec-WebSocket-Protocol")?
            .is_some_and(|p| p.contains(TOKEN_SUBPROTOCOL_PREFIX));
    if !has_bearer && accounts::session_cookie(req).is_some() {
        let now = worker::Date::now().as_millis() as Millis;
        let account = accounts::signed_in(req, env, now).await?;
        return Ok(Agent {
            own_tickets_only: !account.profile.role.allows(AgentRole::Operator),
            site_id: account.site_id,
            agent_id: account.profile.id,
            name: Some(account.profile.name),
        });
    }
    let t = bearer(req)?;
    sites::agent_for_token(env, &t).await
}

/// The bearer token from `Authorization`, or for a socket from its subprotocol list.
fn bearer(req: &Request) -> EdgeResult<String> {
    let headers = req.headers();
    if let Some(auth) = headers.get("Authorization")? {
        return auth
            .strip_prefix("Bearer ")
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| EdgeError::new(ErrorCode::InvalidToken, "expected 'Bearer <token>'"));
    }
    if let Some(protocols) = headers.get("Sec-WebSocket-Protocol")? {
        if let Some(t) = protocols
            .split(',')
            .map(str::trim)
            .find_map(|p| p.strip_prefix(TOKEN_SUBPROTOCOL_PREFIX))
        {
            return Ok(t.to_owned());
        }
    }
    Err(EdgeError::new(
        ErrorCode::MissingToken,
        "a bearer token is required",
    ))
}

/// Refuses a request whose `Origin` is not one of the site's allowed origins (or the edge
/// itself) with `origin_not_allowed`.
pub fn check_origin(req: &Request, site: &Site) -> EdgeResult<()> {
    let origin = req.headers().get("Origin")?;
    let own = req.url()?.origin().ascii_serialization();
    if site.origin_allowed(origin.as_deref(), &own) {
        Ok(())
    } else {
        Err(EdgeError::new(
            ErrorCode::OriginNotAllowed,
            "this origin may not use the site's widget",
        ))
    }
}

/// The refusal of a token that is not valid (`invalid_token`).
pub fn invalid_token() -> EdgeError {
    EdgeError::new(ErrorCode::InvalidToken, "the token is not valid")
}
