//! The stateless Worker: checks who is calling (token, origin), then hands the request to the
//! conversation's Durable Object through its typed client. It keeps nothing between requests.

use porchlight_shared::console::Transfer;
use porchlight_shared::protocol::VisitorProfile;
use porchlight_shared::protocol::{
    IdentifyRequest, Role, SendMessage, SessionRequest, SessionResponse, SetStatusRequest,
    TicketList, SUBPROTOCOL,
};
use porchlight_shared::{validate, ErrorCode};
use serde::Deserialize;
use worker::{Env, Headers, Method, Request, RequestInit, Response, Result};

use super::auth::{agent, check_origin, invalid_token, visitor};
use super::body::{copy_json, read_json};
use super::console_api;
use crate::attachments;
use crate::conversation::{ConversationClient, Ctx};
use crate::d1::accounts;
use crate::d1::sites;
use crate::error::{EdgeError, EdgeResult};
use crate::pages::{self, widget as web};
use crate::token;

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
            e.response()?
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

async fn route(mut req: Request, env: &Env, path: &str) -> EdgeResult<Response> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    match (method.clone(), segments.as_slice()) {
        (Method::Get, ["healthz"]) => Ok(Response::ok("ok")?),
        (Method::Get, ["widget.js"]) => web::loader(&req, env).await,
        (Method::Get, ["widget", "frame.html"]) => web::frame(&req, env).await,
        (Method::Get, ["widget", "unread.html"]) => pages::unread::frame(&req, env).await,
        (Method::Get, ["widget", _]) => web::widget_file(&req, env).await,
        (Method::Get, ["demo"]) => web::demo(&req),
        (Method::Get, ["console"]) => pages::console::page(&req, env).await,
        (Method::Post, ["v1", "visitor", "session"]) => session(&mut req, env).await,
        (Method::Get, ["v1", "visitor", "config"]) => widget_config(&req, env).await,
        (Method::Post, ["v1", "visitor", "identify"]) => identify(&mut req, env).await,
        (Method::Post, ["v1", "visitor", "attachments"]) => {
            let (ctx, _) = visitor(&req, env).await?;
            attachments::upload(&mut req, env, &ctx.site_id, &ctx.conversation_id).await
        }
        (Method::Get, ["v1", "attachments", conversation_id, attachment_id]) => {
            validate::id("conversation_id", conversation_id)?;
            validate::id("attachment_id", attachment_id)?;
            let site_id = attachment_reader(&req, env, conversation_id).await?;
            attachments::download(env, &site_id, conversation_id, attachment_id).await
        }
        (Method::Get, ["v1", "visitor", "history"]) => {
            let (ctx, _) = visitor(&req, env).await?;
            let (before, limit) = history_query(&req)?;
            relay(ConversationClient::new(env, &ctx).history(before, limit)).await
        }
        (Method::Get, ["v1", "visitor", "unread"]) => {
            let (ctx, _) = visitor(&req, env).await?;
            let after = crate::conversation::unread::after_param(&req)?;
            relay(ConversationClient::new(env, &ctx).unread(after)).await
        }
        (Method::Get, ["v1", "visitor", "transcript"]) => {
            let (ctx, _) = visitor(&req, env).await?;
            transcript(&req, env, &ctx, Delivery::Download).await
        }
        (Method::Post, ["v1", "visitor", "messages"]) => {
            let (ctx, _) = visitor(&req, env).await?;
            let msg = read_json::<SendMessage>(&mut req).await?;
            relay(ConversationClient::new(env, &ctx).send_message(&msg)).await
        }
        (Method::Put, ["v1", "visitor", "profile"]) => {
            let (ctx, site) = visitor(&req, env).await?;
            let mut profile = read_json::<VisitorProfile>(&mut req).await?;
            // Checked (the phone rewritten in E.164), and the page address without its query
            // and fragment unless the site keeps them, before anything is stored.
            validate::profile(&mut profile)?;
            if let Some(url) = &profile.page_url {
                profile.page_url = Some(validate::page_url(url, site.page_url_query).to_owned());
            }
            relay(ConversationClient::new(env, &ctx).put_profile(&profile)).await
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
                own_tickets_only: agent.own_tickets_only,
                style: site.style,
                route_by_language: site.route_by_language,
            };
            let conversation = ConversationClient::new(env, &ctx);
            match (method, rest) {
                (Method::Get, []) => relay(conversation.ticket()).await,
                (Method::Get, ["history"]) => {
                    let (before, limit) = history_query(&req)?;
                    relay(conversation.history(before, limit)).await
                }
                (Method::Get, ["ws"]) => upgrade(env, &ctx, &req).await,
                (Method::Get, ["transcript"]) => {
                    transcript(&req, env, &ctx, Delivery::Download).await
                }
                (Method::Post, ["messages"]) => {
                    let msg = read_json::<SendMessage>(&mut req).await?;
                    relay(conversation.send_message(&msg)).await
                }
                (Method::Post, ["status"]) => {
                    let body = read_json::<SetStatusRequest>(&mut req).await?;
                    relay(conversation.set_status(&body)).await
                }
                (Method::Post, ["notes"]) => {
                    let msg = read_json::<SendMessage>(&mut req).await?;
                    relay(conversation.note(&msg)).await
                }
                (Method::Post, ["transfer"]) => {
                    let to = read_json::<Transfer>(&mut req).await?;
                    if let Transfer::Agent { agent_id } = &to {
                        let known = accounts::list(env, &ctx.site_id).await?;
                        if !known.iter().any(|a| &a.id == agent_id) {
                            return Err(EdgeError::new(
                                ErrorCode::InvalidField,
                                "no such agent on this site",
                            ));
                        }
                    }
                    relay(conversation.transfer(&to)).await
                }
                (Method::Get, ["visitor"]) => relay(conversation.visitor()).await,
                (Method::Post, ["accept"]) => relay(conversation.accept()).await,
                (Method::Post, ["finish"]) => relay(conversation.finish()).await,
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
    let body = read_json::<SessionRequest>(req).await?;
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
    let (site, mut config, online) = web::site_and_team(env, &site_id, &preferred).await?;
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
    let body = read_json::<IdentifyRequest>(req).await?;
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
    relay(ConversationClient::new(env, &ctx).put_identity(&verified)).await
}

/// The site of whoever asks for one of a conversation's attachments: the conversation's visitor,
/// or an agent of its site.
async fn attachment_reader(req: &Request, env: &Env, conversation_id: &str) -> EdgeResult<String> {
    let visitor_token = req
        .headers()
        .get("Authorization")?
        .and_then(|a| a.strip_prefix("Bearer ").map(|t| t.trim().to_owned()))
        .is_some_and(|t| token::claimed_site(&t).is_some());
    if visitor_token {
        let (ctx, _) = visitor(req, env).await?;
        if ctx.conversation_id != conversation_id {
            return Err(EdgeError::new(
                ErrorCode::Forbidden,
                "this token is for another conversation",
            ));
        }
        Ok(ctx.site_id)
    } else {
        Ok(agent(req, env).await?.site_id)
    }
}

/// How a transcript reaches its reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// A file to keep (the visitor's and the agent API's copy).
    Download,
    /// A page shown in the browser, to print or save as PDF (the records' detail page).
    Page,
}

/// `GET .../transcript?tz=ZONE&locale=TAG`: the whole conversation as a printable HTML
/// document, its times in the reader's time zone and language (UTC and English when not given);
/// the visitor's copy has no internal notes.
pub async fn transcript(
    req: &Request,
    env: &Env,
    ctx: &Ctx,
    delivery: Delivery,
) -> EdgeResult<Response> {
    use crate::conversation::transcript::{self, Audience, Reader};
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
    let record = ConversationClient::new(env, ctx).transcript().await?;
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
        page: delivery == Delivery::Page,
    };
    let html = transcript::render(&ctx.conversation_id, &record, &reader);
    let headers = Headers::new();
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    let disposition = match delivery {
        Delivery::Download => "attachment",
        Delivery::Page => "inline",
    };
    headers.set(
        "Content-Disposition",
        &format!(
            "{disposition}; filename=\"{}\"",
            transcript::filename(&ctx.conversation_id)
        ),
    )?;
    headers.set("Content-Security-Policy", transcript::CSP)?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Cache-Control", "no-store")?;
    Ok(Response::from_html(html)?.with_headers(headers))
}

fn new_conversation_id() -> EdgeResult<String> {
    Ok(format!("cv_{}", token::random_id()?))
}

/// `?before=SEQ&limit=N` of a history request: the page size clamped, not refused.
fn history_query(req: &Request) -> EdgeResult<(Option<u64>, u32)> {
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
    Ok((q.before, validate::page_size(limit)))
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
    ConversationClient::new(env, ctx)
        .connect(q.after_seq, q.watch == Some(1))
        .await
}

/// An object's answer, copied into a response of ours: a response from a stub has immutable
/// headers, and the visitor API adds CORS headers to it.
async fn relay(
    answer: impl std::future::Future<Output = EdgeResult<Response>>,
) -> EdgeResult<Response> {
    copy_json(answer.await?).await
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
