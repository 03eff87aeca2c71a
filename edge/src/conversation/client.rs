//! The typed client of a `Conversation` object: what the router and the site's team object call.
//! Each method is one of the object's actions; the caller, already verified, travels with it in
//! the [`CTX_HEADER`] header. The answers are the object's own responses, relayed as they are.

use porchlight_shared::console::Transfer;
use porchlight_shared::protocol::{
    ErrorResponse, IdentifyRequest, Role, SendMessage, SetStatusRequest, VisitorProfile,
};
use porchlight_shared::ConversationStyle;
use serde::{Deserialize, Serialize};
use worker::wasm_bindgen::JsValue;
use worker::{Env, Headers, Method, Request, RequestInit, Response, Stub};

use super::transcript::Record;
use crate::error::{EdgeError, EdgeResult};
use crate::team::client::Availability;

/// Header carrying the verified [`Ctx`] from the router to the object.
pub const CTX_HEADER: &str = "x-porchlight-ctx";

/// Who is calling and on which conversation, as verified by the router.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ctx {
    /// Site id.
    pub site_id: String,
    /// Conversation id.
    pub conversation_id: String,
    /// The caller.
    pub role: Role,
    /// An agent caller's display name (their account's name), stored with what they write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An agent caller who may finish only a ticket assigned to them (a console account with
    /// the agent role); operators, admins and development tokens finish any.
    #[serde(default)]
    pub own_tickets_only: bool,
    /// The site's conversation style now.
    pub style: ConversationStyle,
    /// Whether the visitor's language is a skill new tickets need.
    #[serde(default)]
    pub route_by_language: bool,
}

/// Answer of the internal `POST /availability`: whether the visitor still has a socket open.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Listening {
    /// A visitor socket is open.
    pub listening: bool,
}

/// One conversation's object, called on behalf of a verified caller.
pub struct ConversationClient<'a> {
    env: &'a Env,
    ctx: &'a Ctx,
}

impl<'a> ConversationClient<'a> {
    /// The object of `ctx`'s conversation, called as `ctx`'s caller.
    pub fn new(env: &'a Env, ctx: &'a Ctx) -> Self {
        ConversationClient { env, ctx }
    }

    /// `GET /history`: a page of items before `before`, `limit` at most (already clamped).
    pub async fn history(&self, before: Option<u64>, limit: u32) -> EdgeResult<Response> {
        let mut path = format!("/history?limit={limit}");
        if let Some(b) = before {
            path.push_str(&format!("&before={b}"));
        }
        self.call(Method::Get, &path, None).await
    }

    /// `GET /unread`: how many replies the visitor has not read after `after`.
    pub async fn unread(&self, after: u64) -> EdgeResult<Response> {
        self.call(Method::Get, &format!("/unread?after={after}"), None)
            .await
    }

    /// `GET /ticket`: the live ticket.
    pub async fn ticket(&self) -> EdgeResult<Response> {
        self.call(Method::Get, "/ticket", None).await
    }

    /// `GET /visitor`: the visitor's panel for agents.
    pub async fn visitor(&self) -> EdgeResult<Response> {
        self.call(Method::Get, "/visitor", None).await
    }

    /// `POST /messages`: posts a message as the caller.
    pub async fn send_message(&self, msg: &SendMessage) -> EdgeResult<Response> {
        self.call(Method::Post, "/messages", Some(to_json(msg)?))
            .await
    }

    /// `POST /notes`: posts an internal note (agents only).
    pub async fn note(&self, msg: &SendMessage) -> EdgeResult<Response> {
        self.call(Method::Post, "/notes", Some(to_json(msg)?)).await
    }

    /// `POST /status`: moves the live ticket (agents only).
    pub async fn set_status(&self, body: &SetStatusRequest) -> EdgeResult<Response> {
        self.call(Method::Post, "/status", Some(to_json(body)?))
            .await
    }

    /// `POST /transfer`: hands the live ticket to an agent or a department (agents only).
    pub async fn transfer(&self, to: &Transfer) -> EdgeResult<Response> {
        self.call(Method::Post, "/transfer", Some(to_json(to)?))
            .await
    }

    /// `POST /accept`: the caller takes the live ticket.
    pub async fn accept(&self) -> EdgeResult<Response> {
        self.call(Method::Post, "/accept", None).await
    }

    /// `POST /finish`: the caller finishes the live ticket.
    pub async fn finish(&self) -> EdgeResult<Response> {
        self.call(Method::Post, "/finish", None).await
    }

    /// `PUT /profile`: what the visitor told of themselves (checked by the router).
    pub async fn put_profile(&self, profile: &VisitorProfile) -> EdgeResult<Response> {
        self.call(Method::Put, "/profile", Some(to_json(profile)?))
            .await
    }

    /// `PUT /identity`: a signed-in user of the site, whose HMAC the router has checked.
    pub async fn put_identity(&self, who: &IdentifyRequest) -> EdgeResult<Response> {
        self.call(Method::Put, "/identity", Some(to_json(who)?))
            .await
    }

    /// `GET /transcript`: the whole conversation as the caller may see it.
    pub async fn transcript(&self) -> EdgeResult<Record> {
        let mut resp = self.call(Method::Get, "/transcript", None).await?;
        let bytes = resp.bytes().await?;
        if resp.status_code() != 200 {
            return Err(refusal(&bytes));
        }
        serde_json::from_slice(&bytes).map_err(|e| EdgeError::internal("transcript", e))
    }

    /// `GET /ws`: the socket upgrade, with the highest `seq` the client already has; `watch`
    /// for a visitor's socket that only counts replies (no availability, no team watch).
    pub async fn connect(&self, after_seq: Option<u64>, watch: bool) -> EdgeResult<Response> {
        let mut path = format!("/ws?watch={}", u8::from(watch));
        if let Some(after) = after_seq {
            path.push_str(&format!("&after_seq={after}"));
        }
        let headers = self.headers()?;
        headers.set("Upgrade", "websocket")?;
        self.fetch(Method::Get, &path, headers, None).await
    }

    async fn call(&self, method: Method, path: &str, body: Option<String>) -> EdgeResult<Response> {
        let headers = self.headers()?;
        self.fetch(method, path, headers, body).await
    }

    fn headers(&self) -> EdgeResult<Headers> {
        let headers = Headers::new();
        let ctx = serde_json::to_string(self.ctx).map_err(|e| EdgeError::internal("ctx", e))?;
        headers.set(CTX_HEADER, &ctx)?;
        Ok(headers)
    }

    async fn fetch(
        &self,
        method: Method,
        path: &str,
        headers: Headers,
        body: Option<String>,
    ) -> EdgeResult<Response> {
        let stub = stub(self.env, &self.ctx.site_id, &self.ctx.conversation_id)?;
        let mut init = RequestInit::new();
        init.with_method(method).with_headers(headers);
        if let Some(b) = body {
            init.with_body(Some(JsValue::from_str(&b)));
        }
        let req = Request::new_with_init(&format!("https://conversation{path}"), &init)?;
        Ok(stub.fetch_with_request(req).await?)
    }
}

/// The team tells conversation `conversation_id` of `site_id` who is online now; answers
/// whether its visitor is still listening (the team forgets it if not).
pub async fn tell_availability(
    env: &Env,
    site_id: &str,
    conversation_id: &str,
    now: &Availability,
) -> EdgeResult<bool> {
    let stub = stub(env, site_id, conversation_id)?;
    let body = serde_json::to_string(now).map_err(|e| EdgeError::internal("availability", e))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_body(Some(JsValue::from_str(&body)));
    let req = Request::new_with_init("https://conversation/availability", &init)?;
    let mut resp = stub.fetch_with_request(req).await?;
    if resp.status_code() != 200 {
        return Err(EdgeError::internal("availability", resp.status_code()));
    }
    let answer: Listening = resp.json().await?;
    Ok(answer.listening)
}

/// The object of one conversation: one per (site, visitor).
fn stub(env: &Env, site_id: &str, conversation_id: &str) -> EdgeResult<Stub> {
    Ok(env
        .durable_object("CONVERSATION")?
        .id_from_name(&format!("{site_id}:{conversation_id}"))?
        .get_stub()?)
}

fn to_json<T: Serialize>(value: &T) -> EdgeResult<String> {
    serde_json::to_string(value).map_err(|e| EdgeError::internal("object request", e))
}

/// The object's refusal, as the error it answered with.
fn refusal(body: &[u8]) -> EdgeError {
    match serde_json::from_slice::<ErrorResponse>(body) {
        Ok(r) => EdgeError::new(r.error.code, r.error.message),
        Err(e) => EdgeError::internal("object answer", e),
    }
}
