//! The stateless Worker: checks who is calling (token, origin), then hands the request to the
//! conversation's Durable Object. It keeps nothing between requests.

use porchlight_shared::console::Transfer;
use porchlight_shared::protocol::VisitorProfile;
use porchlight_shared::protocol::{
    AttachmentRef, IdentifyRequest, Role, SendMessage, SessionRequest, SessionResponse,
    SetStatusRequest, TicketList, ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, SUBPROTOCOL,
    TOKEN_SUBPROTOCOL_PREFIX,
};
use porchlight_shared::{validate, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{Env, Headers, Method, Request, RequestInit, Response, Result};

use crate::accounts;
use crate::console_api;
use crate::conversation::{Ctx, CTX_HEADER};
use crate::error::{EdgeError, EdgeResult};
use crate::sites::{self, Agent, Site};
use crate::token;
use crate::web;

/// Largest HTTP body read, in bytes.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// Serves one request.
pub async fn handle(req: Request, env: Env) -> Result<Response> {
    let path = req.path();
    let origin = req.headers().get("Origin")?;
    let visitor_api = path.starts_with("/v1/visitor/");
    if req.method() == Method::Options && visitor_api {
        return with_cors(Response::empty()?.with_status(204), origin.as_deref(), true);
    }
    // `HEAD` is answered like `GET`; the runtime sends the headers and drops the body.
    let req = if req.method() == Method::Head {
        as_get(&req)?
    } else {
        req
    };
    let resp = match route(req, &env, &path).await {
        Ok(resp) => resp,
        Err(e) => {
            worker::console_warn!("refused {path}: {e}");
            error_response(&e)?
        }
    };
    if visitor_api && resp.status_code() != 101 {
        with_cors(resp, origin.as_deref(), false)
    } else {
        Ok(resp)
    }
}

/// The same request as a `GET`: its URL and headers (a `HEAD` has no body).
fn as_get(req: &Request) -> Result<Request> {
    let mut init = RequestInit::new();
    init.with_method(Method::Get)
        .with_headers(req.headers().clone());
    Request::new_with_init(req.url()?.as_str(), &init)
}

/// The HTTP response for an error: its status and `{"error": {"code", "message"}}`.
pub fn error_response(e: &EdgeError) -> Result<Response> {
    let mut resp = Response::from_json(&e.to_body())?.with_status(e.code.http_status());
    if let Some(secs) = e.retry_after_secs {
        resp.headers_mut().set("Retry-After", &secs.to_string())?;
    }
    Ok(resp)
}

async fn route(mut req: Request, env: &Env, path: &str) -> EdgeResult<Response> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    match (method.clone(), segments.as_slice()) {
        (Method::Get, ["healthz"]) => Ok(Response::ok("ok")?),
        (Method::Get, ["widget.js"]) => web::loader(&req, env).await,
        (Method::Get, ["widget", "frame.html"]) => web::frame(&req, env).await,
        (Method::Get, ["widget", "unread.html"]) => crate::unread::frame(&req, env).await,
        (Method::Get, ["widget", _]) => web::widget_file(&req, env).await,
        (Method::Get, ["demo"]) => web::demo(&req),
        (Method::Get, ["console"]) => crate::console_web::page(&req, env).await,
        (Method::Get, ["console", _]) => crate::console_web::file(&req, env).await,
        (Method::Post, ["v1", "visitor", "session"]) => session(&mut req, env).await,
        (Method::Get, ["v1", "visitor", "config"]) => widget_config(&req, env).await,
        (Method::Post, ["v1", "visitor", "identify"]) => identify(&mut req, env).await,
        (Method::Post, ["v1", "visitor", "attachments"]) => upload(&mut req, env).await,
        (Method::Get, ["v1", "attachments", conversation_id, attachment_id]) => {
            download(&req, env, conversation_id, attachment_id).await
        }
        (Method::Get, ["v1", "visitor", "history"]) => {
            let (ctx, _) = visitor(&req, env).await?;
            call(env, &ctx, Method::Get, &history_path(&req)?, None).await
        }
        (Method::Get, ["v1", "visitor", "unread"]) => {
            let (ctx, _) = visitor(&req, env).await?;
            let after = crate::unread::after_param(&req)?;
            call(
                env,
                &ctx,
                Method::Get,
                &format!("/unread?after={after}"),
                None,
            )
            .await
        }
        (Method::Get, ["v1", "visitor", "transcript"]) => {
            let (ctx, _) = visitor(&req, env).await?;
            transcript(&req, env, &ctx).await
        }
        (Method::Post, ["v1", "visitor", "messages"]) => {
            let (ctx, _) = visitor(&req, env).await?;
            let (_, body) = read_json::<SendMessage>(&mut req).await?;
            call(env, &ctx, Method::Post, "/messages", Some(body)).await
        }
        (Method::Put, ["v1", "visitor", "profile"]) => {
            let (ctx, site) = visitor(&req, env).await?;
            let (mut profile, _) = read_json::<VisitorProfile>(&mut req).await?;
            // Checked (the phone rewritten in E.164), and the page address without its query
            // and fragment unless the site keeps them, before anything is stored.
            validate::profile(&mut profile)?;
            if let Some(url) = &profile.page_url {
                profile.page_url = Some(validate::page_url(url, site.page_url_query).to_owned());
            }
            let body =
                serde_json::to_string(&profile).map_err(|e| EdgeError::internal("profile", e))?;
            call(env, &ctx, Method::Put, "/profile", Some(body)).await
        }
        (_, ["v1", "console", rest @ ..]) => console_api::route(&mut req, env, rest).await,
        (Method::Get, ["v1", "visitor", "ws"]) => {
            let (ctx, _) = visitor(&req, env).await?;
            upgrade(env, &ctx, &req).await
        }
        (Method::Get, ["v1", "agent", "tickets"]) => {
            let agent = agent(&req, env).await?;
            let tickets = sites::live_tickets(env, &agent.site_id).await?;
            Ok(Response::from_json(&TicketList { tickets })?)
        }
        (_, ["v1", "agent", "conversations", conversation_id, rest @ ..]) => {
            let agent = agent(&req, env).await?;
            validate::id("conversation_id", conversation_id)?;
            let site = sites::load_site(env, &agent.site_id).await?;
            let ctx = Ctx {
                site_id: agent.site_id.clone(),
                conversation_id: (*conversation_id).to_owned(),
                role: Role::Agent { id: agent.agent_id },
                name: agent.name,
                style: site.style,
                route_by_language: site.route_by_language,
            };
            match (method, rest) {
                (Method::Get, []) => call(env, &ctx, Method::Get, "/ticket", None).await,
                (Method::Get, ["history"]) => {
                    call(env, &ctx, Method::Get, &history_path(&req)?, None).await
                }
                (Method::Get, ["ws"]) => upgrade(env, &ctx, &req).await,
                (Method::Get, ["transcript"]) => transcript(&req, env, &ctx).await,
                (Method::Post, ["messages"]) => {
                    let (_, body) = read_json::<SendMessage>(&mut req).await?;
                    call(env, &ctx, Method::Post, "/messages", Some(body)).await
                }
                (Method::Post, ["status"]) => {
                    let (_, body) = read_json::<SetStatusRequest>(&mut req).await?;
                    call(env, &ctx, Method::Post, "/status", Some(body)).await
                }
                (Method::Post, ["notes"]) => {
                    let (_, body) = read_json::<SendMessage>(&mut req).await?;
                    call(env, &ctx, Method::Post, "/notes", Some(body)).await
                }
                (Method::Post, ["transfer"]) => {
                    let (to, body) = read_json::<Transfer>(&mut req).await?;
                    if let Transfer::Agent { agent_id } = &to {
                        let known = accounts::list(env, &ctx.site_id).await?;
                        if !known.iter().any(|a| &a.id == agent_id) {
                            return Err(EdgeError::new(
                                ErrorCode::InvalidField,
                                "no such agent on this site",
                            ));
                        }
                    }
                    call(env, &ctx, Method::Post, "/transfer", Some(body)).await
                }
                (Method::Get, ["visitor"]) => call(env, &ctx, Method::Get, "/visitor", None).await,
                (Method::Post, [action @ ("accept" | "finish")]) => {
                    call(env, &ctx, Method::Post, &format!("/{action}"), None).await
                }
                (
                    _,
                    []
                    | ["history" | "ws" | "messages" | "status" | "accept" | "finish" | "notes"
                    | "transfer" | "visitor" | "transcript"],
                ) => Err(method_not_allowed()),
                _ => Err(not_found()),
            }
        }
        (
            _,
            ["healthz"]
            | ["v1", "visitor", "session" | "history" | "messages" | "ws" | "profile" | "config" | "identify"
            | "attachments" | "transcript" | "unread"],
        )
        | (_, ["v1", "agent", "tickets"] | ["v1", "attachments", _, _]) => {
            Err(method_not_allowed())
        }
        _ => Err(not_found()),
    }
}

fn not_found() -> EdgeError {
    EdgeError::new(ErrorCode::NotFound, "no such endpoint")
}

fn method_not_allowed() -> EdgeError {
    EdgeError::new(
        ErrorCode::MethodNotAllowed,
        "method not allowed on this endpoint",
    )
}

/// `POST /v1/visitor/session`: a returning visitor's token is checked and kept; anyone else gets
/// a new conversation. Nothing is stored until the visitor writes.
async fn session(req: &mut Request, env: &Env) -> EdgeResult<Response> {
    let (body, _) = read_json::<SessionRequest>(req).await?;
    validate::id("site_id", &body.site_id)?;
    let site = sites::load_site(env, &body.site_id).await?;
    check_origin(req, &site)?;
    let resp = match body.token {
        Some(t) => {
            let claims = token::verify(&site.secret, &t)
                .filter(|c| c.site_id == site.id)
                .ok_or_else(invalid_token)?;
            SessionResponse {
                token: t,
                conversation_id: claims.conversation_id,
                resumed: true,
            }
        }
        None => {
            let conversation_id = new_conversation_id()?;
            SessionResponse {
                token: token::sign(&site.secret, &site.id, &conversation_id),
                conversation_id,
                resumed: false,
            }
        }
    };
    Ok(Response::from_json(&resp)?)
}

/// `GET /v1/visitor/config?site_id=...`: the site's widget settings and whether anyone is
/// online. Public (no token), but only for the site's origins.
async fn widget_config(req: &Request, env: &Env) -> EdgeResult<Response> {
    #[derive(Deserialize)]
    struct Q {
        site_id: Option<String>,
        locale: Option<String>,
    }
    let q: Q = req
        .query()
        .map_err(|_| EdgeError::new(ErrorCode::InvalidField, "site_id is required"))?;
    let site_id = q
        .site_id
        .ok_or_else(|| EdgeError::new(ErrorCode::InvalidField, "site_id is required"))?;
    validate::id("site_id", &site_id)?;
    // The site's texts in `locale`, else in the browser's languages, else its default one.
    let accept = req.headers().get("Accept-Language")?.unwrap_or_default();
    let mut preferred = porchlight_shared::texts::accept_language(&accept);
    if let Some(l) = q.locale.as_deref() {
        validate::locale(l)?;
        preferred.insert(0, l);
    }
    let (site, mut config, online) = sites::site_with_widget(env, &site_id, &preferred).await?;
    check_origin(req, &site)?;
    let online = online?;
    config.agents_online = online.online;
    config.team = online.team;
    let mut resp = Response::from_json(&config)?;
    resp.headers_mut().set("Cache-Control", "no-store")?;
    Ok(resp)
}

/// Longest verified user id, in characters.
const MAX_IDENTITY_ID_CHARS: usize = 256;
/// Longest name or email in an identity, in characters.
const MAX_IDENTITY_FIELD_CHARS: usize = 256;

/// `POST /v1/visitor/identify`: a signed-in user of the site, with the site's HMAC of their id.
async fn identify(req: &mut Request, env: &Env) -> EdgeResult<Response> {
    let (ctx, site) = visitor(req, env).await?;
    let (body, _) = read_json::<IdentifyRequest>(req).await?;
    let plain = |field: &str, v: &str, max: usize, required: bool| {
        let ok = (!required || !v.trim().is_empty())
            && v.chars().count() <= max
            && !v.chars().any(char::is_control);
        if ok {
            Ok(())
        } else {
            Err(EdgeError::new(
                ErrorCode::InvalidField,
                format!("{field} must be at most {max} characters of text"),
            ))
        }
    };
    plain("id", &body.id, MAX_IDENTITY_ID_CHARS, true)?;
    for (field, v) in [("name", &body.name), ("email", &body.email)] {
        if let Some(v) = v {
            plain(field, v, MAX_IDENTITY_FIELD_CHARS, false)?;
        }
    }
    if let Some(e) = &body.email {
        porchlight_shared::contact::email(e)?;
    }
    if !token::identity_matches(&site.secret, &body.id, &body.hash) {
        return Err(EdgeError::new(
            ErrorCode::IdentityNotVerified,
            "the hash does not match this id",
        ));
    }
    let verified = IdentifyRequest {
        hash: String::new(),
        ..body
    };
    let text = serde_json::to_string(&verified).map_err(|e| EdgeError::internal("identity", e))?;
    call(env, &ctx, Method::Put, "/identity", Some(text)).await
}

/// Where an attachment lives in R2.
pub fn attachment_key(site_id: &str, conversation_id: &str, attachment_id: &str) -> String {
    format!("{site_id}/{conversation_id}/{attachment_id}")
}

/// Whether the first bytes of a file are those of its declared type, so that a file is never
/// served as something it is not.
fn magic_matches(content_type: &str, bytes: &[u8]) -> bool {
    match content_type {
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => bytes.starts_with(&[0xff, 0xd8, 0xff]),
        "image/gif" => bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a"),
        "image/webp" => bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()),
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        _ => false,
    }
}

/// Longest attachment file name, in characters.
const MAX_FILE_NAME_CHARS: usize = 200;

/// `POST /v1/visitor/attachments[?name=...]`: stores the raw body in R2 under the conversation.
async fn upload(req: &mut Request, env: &Env) -> EdgeResult<Response> {
    let (ctx, _) = visitor(req, env).await?;
    let declared_type = req.headers().get("Content-Type")?.unwrap_or_default();
    let essence = declared_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let content_type = ATTACHMENT_TYPES
        .iter()
        .find(|t| **t == essence)
        .ok_or_else(|| {
            EdgeError::new(
                ErrorCode::UnsupportedMediaType,
                format!("attachments must be one of {}", ATTACHMENT_TYPES.join(", ")),
            )
        })?;
    #[derive(Deserialize)]
    struct Q {
        name: Option<String>,
    }
    let q: Q = req
        .query()
        .map_err(|_| EdgeError::new(ErrorCode::InvalidField, "malformed query"))?;
    if let Some(n) = &q.name {
        if n.trim().is_empty()
            || n.chars().count() > MAX_FILE_NAME_CHARS
            || n.chars().any(char::is_control)
        {
            return Err(EdgeError::new(
                ErrorCode::InvalidField,
                format!("name must be 1-{MAX_FILE_NAME_CHARS} characters of text"),
            ));
        }
    }
    let declared = req
        .headers()
        .get("Content-Length")?
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_ATTACHMENT_BYTES) {
        return Err(attachment_too_large());
    }
    let bytes = req.bytes().await?;
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(attachment_too_large());
    }
    if bytes.is_empty() {
        return Err(EdgeError::new(ErrorCode::InvalidField, "the file is empty"));
    }
    if !magic_matches(content_type, &bytes) {
        return Err(EdgeError::new(
            ErrorCode::UnsupportedMediaType,
            format!("the file is not a valid {content_type}"),
        ));
    }
    let id = format!("at_{}", random_id()?);
    let size = bytes.len() as u64;
    let mut custom = std::collections::HashMap::new();
    if let Some(n) = &q.name {
        custom.insert("name".to_owned(), n.clone());
    }
    env.bucket("ATTACHMENTS")?
        .put(
            attachment_key(&ctx.site_id, &ctx.conversation_id, &id),
            bytes,
        )
        .http_metadata(worker::HttpMetadata {
            content_type: Some((*content_type).to_owned()),
            ..Default::default()
        })
        .custom_metadata(custom)
        .execute()
        .await?;
    let reference = AttachmentRef {
        id,
        content_type: (*content_type).to_owned(),
        size,
        name: q.name,
    };
    Ok(Response::from_json(&reference)?.with_status(201))
}

fn attachment_too_large() -> EdgeError {
    EdgeError::new(
        ErrorCode::TooLarge,
        format!("attachments are limited to {MAX_ATTACHMENT_BYTES} bytes"),
    )
}

/// `GET /v1/attachments/{conversation_id}/{id}`: the file, for the conversation's visitor or an
/// agent of its site, with headers that keep a browser from running it.
async fn download(
    req: &Request,
    env: &Env,
    conversation_id: &str,
    attachment_id: &str,
) -> EdgeResult<Response> {
    validate::id("conversation_id", conversation_id)?;
    validate::id("attachment_id", attachment_id)?;
    let visitor_token = req
        .headers()
        .get("Authorization")?
        .and_then(|a| a.strip_prefix("Bearer ").map(|t| t.trim().to_owned()))
        .is_some_and(|t| token::claimed_site(&t).is_some());
    let site_id = if visitor_token {
        let (ctx, _) = visitor(req, env).await?;
        if ctx.conversation_id != conversation_id {
            return Err(EdgeError::new(
                ErrorCode::Forbidden,
                "this token is for another conversation",
            ));
        }
        ctx.site_id
    } else {
        agent(req, env).await?.site_id
    };
    let object = env
        .bucket("ATTACHMENTS")?
        .get(attachment_key(&site_id, conversation_id, attachment_id))
        .execute()
        .await?
        .ok_or_else(|| EdgeError::new(ErrorCode::NotFound, "no such attachment"))?;
    let content_type = object
        .http_metadata()
        .content_type
        .filter(|t| ATTACHMENT_TYPES.contains(&t.as_str()))
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let bytes = match object.body() {
        Some(b) => b.bytes().await?,
        None => Vec::new(),
    };
    let name = object
        .custom_metadata()
        .ok()
        .and_then(|m| m.get("name").cloned());
    let disposition = web::content_disposition(content_type.starts_with("image/"), name.as_deref());
    let headers = Headers::new();
    headers.set("Content-Type", &content_type)?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Content-Disposition", &disposition)?;
    headers.set("Content-Security-Policy", "default-src 'none'; sandbox")?;
    headers.set("Cache-Control", "private, no-store")?;
    headers.set("Cross-Origin-Resource-Policy", "same-origin")?;
    Ok(Response::from_bytes(bytes)?.with_headers(headers))
}

/// `GET .../transcript?tz=ZONE&locale=TAG`: the whole conversation as a printable HTML
/// download, its times in the reader's time zone and language (UTC and English when not given);
/// copy has no internal notes.
async fn transcript(req: &Request, env: &Env, ctx: &Ctx) -> EdgeResult<Response> {
    use crate::transcript::{self, Audience, Reader, Record};
    #[derive(Deserialize)]
    struct Q {
        tz: Option<String>,
        locale: Option<String>,
    }
    let q: Q = req
        .query()
        .map_err(|_| EdgeError::new(ErrorCode::InvalidField, "tz and locale must be text"))?;
    let zone = q.tz.unwrap_or_else(|| "UTC".to_owned());
    let locale = q.locale.unwrap_or_else(|| "en".to_owned());
    validate::time_zone(&zone)?;
    validate::locale(&locale)?;
    // Checked before anything is read: the runtime refuses a zone it does not know.
    let format = crate::intl::TimeFormat::new(&locale, &zone)?;
    let resp = call(env, ctx, Method::Get, "/transcript", None).await?;
    if resp.status_code() != 200 {
        return Ok(resp);
    }
    let mut resp = resp;
    let record: Record = serde_json::from_slice(&resp.bytes().await?)
        .map_err(|e| EdgeError::internal("transcript", e))?;
    let audience = match ctx.role {
        Role::Visitor => Audience::Visitor,
        Role::Agent { .. } => Audience::Agent,
    };
    let now = worker::Date::now().as_millis() as porchlight_shared::Millis;
    let names = sites::agent_names(env, &ctx.site_id).await?;
    let time = |at| format.format(at);
    let reader = Reader {
        audience,
        generated_at: now,
        time: &time,
        zone: &zone,
        names: &names,
    };
    let html = transcript::render(&ctx.conversation_id, &record, &reader);
    let headers = Headers::new();
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    headers.set(
        "Content-Disposition",
        &format!(
            "attachment; filename=\"{}\"",
            transcript::filename(&ctx.conversation_id)
        ),
    )?;
    headers.set("Content-Security-Policy", transcript::CSP)?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Cache-Control", "no-store")?;
    Ok(Response::from_html(html)?.with_headers(headers))
}

fn invalid_token() -> EdgeError {
    EdgeError::new(ErrorCode::InvalidToken, "the token is not valid")
}

fn new_conversation_id() -> EdgeResult<String> {
    Ok(format!("cv_{}", random_id()?))
}

/// 20 random characters of [A-Za-z0-9_-] (base64url of 15 bytes): part of a valid id.
fn random_id() -> EdgeResult<String> {
    let mut bytes = [0u8; 15];
    getrandom::getrandom(&mut bytes).map_err(|e| EdgeError::internal("random", e))?;
    use base64::Engine;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// A visitor request: the bearer token names the site and conversation, the site's secret checks
/// it, and the Origin must be one of the site's.
async fn visitor(req: &Request, env: &Env) -> EdgeResult<(Ctx, Site)> {
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
        style: site.style,
        route_by_language: site.route_by_language,
    };
    Ok((ctx, site))
}

/// An agent: a development bearer token, or the console's session cookie.
async fn agent(req: &Request, env: &Env) -> EdgeResult<Agent> {
    let has_bearer = req.headers().get("Authorization")?.is_some()
        || req
            .headers()
            .get("Sec-WebSocket-Protocol")?
            .is_some_and(|p| p.contains(TOKEN_SUBPROTOCOL_PREFIX));
    if !has_bearer && accounts::session_cookie(req).is_some() {
        let now = worker::Date::now().as_millis() as porchlight_shared::Millis;
        let account = console_api::signed_in(req, env, now).await?;
        return Ok(Agent {
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

fn check_origin(req: &Request, site: &Site) -> EdgeResult<()> {
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

/// Reads a JSON body: size, then UTF-8, then shape, each with its own code.
async fn read_json<T: DeserializeOwned>(req: &mut Request) -> EdgeResult<(T, String)> {
    require_json(req)?;
    let declared = req
        .headers()
        .get("Content-Length")?
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let bytes = req.bytes().await?;
    if bytes.len() > MAX_BODY_BYTES {
        return Err(too_large());
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| EdgeError::new(ErrorCode::InvalidUtf8, "the body is not valid UTF-8"))?;
    let value = serde_json::from_str::<T>(&text)
        .map_err(|e| EdgeError::new(ErrorCode::BadJson, format!("malformed body: {e}")))?;
    Ok((value, text))
}

/// Refuses a JSON body that is not declared as `application/json`, before reading it.
pub(crate) fn require_json(req: &Request) -> EdgeResult<()> {
    let declared = req.headers().get("Content-Type")?;
    if validate::is_json_content_type(declared.as_deref()) {
        Ok(())
    } else {
        Err(EdgeError::new(
            ErrorCode::UnsupportedMediaType,
            "send the body as JSON, with Content-Type: application/json",
        ))
    }
}

fn too_large() -> EdgeError {
    EdgeError::new(
        ErrorCode::TooLarge,
        format!("bodies are limited to {MAX_BODY_BYTES} bytes"),
    )
}

fn history_path(req: &Request) -> EdgeResult<String> {
    #[derive(Deserialize)]
    struct Q {
        before: Option<u64>,
        // Wider than a page size can be, so that any whole number is clamped, not refused.
        limit: Option<u64>,
    }
    let q: Q = req.query().map_err(|_| {
        EdgeError::new(
            ErrorCode::InvalidField,
            "before and limit must be whole numbers",
        )
    })?;
    let limit = q.limit.map(|l| u32::try_from(l).unwrap_or(u32::MAX));
    let mut path = format!("/history?limit={}", validate::page_size(limit));
    if let Some(b) = q.before {
        path.push_str(&format!("&before={b}"));
    }
    Ok(path)
}

async fn upgrade(env: &Env, ctx: &Ctx, req: &Request) -> EdgeResult<Response> {
    let is_ws = req
        .headers()
        .get("Upgrade")?
        .is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
    if !is_ws {
        return Err(EdgeError::new(
            ErrorCode::InvalidField,
            "expected a WebSocket upgrade",
        ));
    }
    let offered = req
        .headers()
        .get("Sec-WebSocket-Protocol")?
        .unwrap_or_default();
    if !offered.split(',').any(|p| p.trim() == SUBPROTOCOL) {
        return Err(EdgeError::new(
            ErrorCode::InvalidField,
            format!("offer the '{SUBPROTOCOL}' subprotocol"),
        ));
    }
    #[derive(Deserialize)]
    struct Q {
        after_seq: Option<u64>,
        watch: Option<u8>,
    }
    let q: Q = req
        .query()
        .ok()
        .filter(|q: &Q| q.watch.unwrap_or(0) <= 1)
        .ok_or_else(|| {
            EdgeError::new(
                ErrorCode::InvalidField,
                "after_seq must be a whole number and watch 0 or 1",
            )
        })?;
    let mut path = format!("/ws?watch={}", u8::from(q.watch == Some(1)));
    if let Some(after) = q.after_seq {
        path.push_str(&format!("&after_seq={after}"));
    }
    call_object(env, ctx, Method::Get, &path, None, true).await
}

/// Calls the object and copies its answer into a response of ours: a response from a stub has
/// immutable headers, and the visitor API adds CORS headers to it.
async fn call(
    env: &Env,
    ctx: &Ctx,
    method: Method,
    path: &str,
    body: Option<String>,
) -> EdgeResult<Response> {
    copy_json(call_object(env, ctx, method, path, body, false).await?).await
}

/// Copies an object's JSON answer into a response of ours. An answer without a body (204) stays
/// without one: building it with an empty body makes the runtime warn.
pub(crate) async fn copy_json(mut resp: Response) -> EdgeResult<Response> {
    let status = resp.status_code();
    if web::null_body_status(status) {
        return Ok(Response::empty()?.with_status(status));
    }
    let bytes = resp.bytes().await?;
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    Ok(Response::from_bytes(bytes)?
        .with_status(status)
        .with_headers(headers))
}

async fn call_object(
    env: &Env,
    ctx: &Ctx,
    method: Method,
    path: &str,
    body: Option<String>,
    upgrade: bool,
) -> EdgeResult<Response> {
    let name = format!("{}:{}", ctx.site_id, ctx.conversation_id);
    let stub = env
        .durable_object("CONVERSATION")?
        .id_from_name(&name)?
        .get_stub()?;
    let headers = Headers::new();
    let ctx_json = serde_json::to_string(ctx).map_err(|e| EdgeError::internal("ctx", e))?;
    headers.set(CTX_HEADER, &ctx_json)?;
    if upgrade {
        headers.set("Upgrade", "websocket")?;
    }
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(headers);
    if let Some(b) = body {
        init.with_body(Some(JsValue::from_str(&b)));
    }
    let req = Request::new_with_init(&format!("https://conversation{path}"), &init)?;
    Ok(stub.fetch_with_request(req).await?)
}

/// Lets the visitor API be called from a host page (the site's own origin check already ran in
/// the route; a refused origin only gets to read its error).
fn with_cors(mut resp: Response, origin: Option<&str>, preflight: bool) -> Result<Response> {
    let Some(origin) = origin else {
        return Ok(resp);
    };
    let h = resp.headers_mut();
    h.set("Access-Control-Allow-Origin", origin)?;
    h.set("Vary", "Origin")?;
    if preflight {
        h.set("Access-Control-Allow-Methods", "GET, POST, PUT")?;
        h.set(
            "Access-Control-Allow-Headers",
            "authorization, content-type",
        )?;
        h.set("Access-Control-Max-Age", "600")?;
    }
    Ok(resp)
}
