//! The typed client of a site's `Team` object: what the router, the console API, the pages and
//! the site's conversations call. The caller travels in the [`TEAM_CTX_HEADER`] header: a
//! signed-in account for console calls, nobody for the edge's own.

use porchlight_shared::console::{AgentProfile, InboxTicket, SetPresence};
use porchlight_shared::routing::Presence;
use serde::{Deserialize, Serialize};
use worker::wasm_bindgen::JsValue;
use worker::{Env, Headers, Method, Request, RequestInit, Response};

use crate::error::{EdgeError, EdgeResult};

/// Header carrying the caller ([`TeamCtx`]) from the Worker or a conversation.
pub const TEAM_CTX_HEADER: &str = "x-porchlight-team";

/// Who of the team is there for visitors: what `GET /v1/visitor/config` says and what the
/// `availability` event pushes to the visitors' sockets when it changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    /// Whether any member is online.
    pub online: bool,
    /// The display names of the members online (at most [`MAX_TEAM_SHOWN`]).
    pub team: Vec<String>,
}

/// A conversation's `POST /watch`: its visitor has a socket open, and wants to hear when
/// availability changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Watch {
    /// The conversation.
    pub conversation_id: String,
}

/// Who calls the team object.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TeamCtx {
    /// The site.
    pub site_id: String,
    /// The signed-in account, for console calls.
    pub account: Option<AgentProfile>,
}

/// A conversation's report of one ticket's state after a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketReport {
    /// The conversation's sequence number when the report was made: reports travel
    /// concurrently, and one older than what the team has seen is dropped.
    pub seq: u64,
    /// The ticket as the inbox shows it (`offered_to` is the team's to set).
    pub ticket: InboxTicket,
}

/// One site's team object, called by the edge itself or for a signed-in account.
pub struct TeamClient<'a> {
    env: &'a Env,
    ctx: TeamCtx,
}

impl<'a> TeamClient<'a> {
    /// The team of `site_id`, called by the edge itself.
    pub fn site(env: &'a Env, site_id: &str) -> Self {
        TeamClient {
            env,
            ctx: TeamCtx {
                site_id: site_id.to_owned(),
                account: None,
            },
        }
    }

    /// The team of `site_id`, called for a signed-in account (which joins the team if new).
    pub fn for_account(env: &'a Env, site_id: &str, account: &AgentProfile) -> Self {
        TeamClient {
            env,
            ctx: TeamCtx {
                site_id: site_id.to_owned(),
                account: Some(account.clone()),
            },
        }
    }

    /// `GET /online`: who of the site's team is online now.
    pub async fn availability(&self) -> EdgeResult<Availability> {
        let mut resp = self.call(Method::Get, "/online", None).await?;
        if resp.status_code() != 200 {
            return Err(EdgeError::internal("team online", resp.status_code()));
        }
        Ok(resp.json().await?)
    }

    /// `POST /watch`: a conversation's visitor opened a socket; the team remembers to tell it
    /// of availability changes, and answers with the availability now.
    pub async fn watch(&self, conversation_id: &str) -> EdgeResult<Availability> {
        let body = to_json(&Watch {
            conversation_id: conversation_id.to_owned(),
        })?;
        let mut resp = self.call(Method::Post, "/watch", Some(body)).await?;
        if resp.status_code() != 200 {
            return Err(EdgeError::internal("team watch", resp.status_code()));
        }
        Ok(resp.json().await?)
    }

    /// `POST /report`: a conversation tells how one of its tickets stands.
    pub async fn report(&self, report: &TicketReport) -> EdgeResult<()> {
        let resp = self
            .call(Method::Post, "/report", Some(to_json(report)?))
            .await?;
        if resp.status_code() >= 300 {
            return Err(EdgeError::internal("team report", resp.status_code()));
        }
        Ok(())
    }

    /// `PUT /presence`: the account's presence; answers with its member row.
    pub async fn set_presence(&self, presence: Presence) -> EdgeResult<Response> {
        let body = to_json(&SetPresence { presence })?;
        self.call(Method::Put, "/presence", Some(body)).await
    }

    /// `GET /inbox`: the site's live tickets.
    pub async fn inbox(&self) -> EdgeResult<Response> {
        self.call(Method::Get, "/inbox", None).await
    }

    /// `GET /members`: every member the team knows, with presence and load.
    pub async fn members(&self) -> EdgeResult<Response> {
        self.call(Method::Get, "/members", None).await
    }

    /// `POST /member`: an account's skills or capacity changed.
    pub async fn member_changed(&self, profile: &AgentProfile) -> EdgeResult<Response> {
        self.call(Method::Post, "/member", Some(to_json(profile)?))
            .await
    }

    /// `GET /ws`: the account's console socket.
    pub async fn connect(&self) -> EdgeResult<Response> {
        self.call(Method::Get, "/ws", None).await
    }

    async fn call(&self, method: Method, path: &str, body: Option<String>) -> EdgeResult<Response> {
        let stub = self
            .env
            .durable_object("TEAM")?
            .id_from_name(&format!("team:{}", self.ctx.site_id))?
            .get_stub()?;
        let headers = Headers::new();
        let ctx = to_json(&self.ctx)?;
        headers.set(TEAM_CTX_HEADER, &ctx)?;
        if path == "/ws" {
            headers.set("Upgrade", "websocket")?;
        }
        let mut init = RequestInit::new();
        init.with_method(method).with_headers(headers);
        if let Some(b) = body {
            init.with_body(Some(JsValue::from_str(&b)));
        }
        let req = Request::new_with_init(&format!("https://team{path}"), &init)?;
        Ok(stub.fetch_with_request(req).await?)
    }
}

fn to_json<T: Serialize>(value: &T) -> EdgeResult<String> {
    serde_json::to_string(value).map_err(|e| EdgeError::internal("team request", e))
}
