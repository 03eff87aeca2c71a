//! All of the console's network I/O: the console and agent HTTP APIs (`fetch`) and the two
//! WebSockets (the console socket and a conversation's agent socket). The only module that
//! touches `fetch` or `WebSocket`; nothing here knows what an inbox or a thread is.
//!
//! The console is served by the edge, so every URL is same-origin: the HttpOnly session cookie
//! rides along on requests (`credentials: same-origin`) and on socket upgrades, and no token is
//! ever handled by this code.

use std::rc::Rc;

use js_sys::Promise;
use porchlight_shared::console::{
    AgentChanges, AgentProfile, CannedList, CannedResponse, Inbox, LoginRequest, Me, NewAgent,
    SetPresence, Team, TeamMember, Transfer,
};
use porchlight_shared::protocol::{
    ErrorResponse, HistoryPage, MessageAccepted, NoteAccepted, SendMessage, SetStatusRequest,
    TicketState, VisitorPanel, SUBPROTOCOL,
};
use porchlight_shared::records::detail::RecordDetail;
use porchlight_shared::records::query::RecordQuery;
use porchlight_shared::records::report::Report;
use porchlight_shared::records::row::RecordPage;
use porchlight_shared::routing::Presence;
use porchlight_shared::texts::{LocaleTexts, SiteTexts, SiteTextsList};
use porchlight_shared::{ErrorCode, Status};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    CloseEvent, Event, Headers, MessageEvent, Request, RequestCredentials, RequestInit, Response,
    WebSocket,
};

use crate::json;

/// Why a request failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The edge answered with an error.
    Refused {
        /// HTTP status.
        status: u16,
        /// The machine-readable code ([`ErrorCode::Unknown`] for one this console does not know,
        /// or when the body had none).
        code: ErrorCode,
    },
    /// No answer (offline, connection refused) or an answer we could not read.
    Network(String),
}

impl ApiError {
    /// Whether the session is gone (signed out, expired): the console shows the sign-in.
    pub fn signed_out(&self) -> bool {
        matches!(self, ApiError::Refused { status: 401, .. })
    }

    /// What to tell the agent, in a sentence.
    pub fn describe(&self) -> String {
        let ApiError::Refused { status, code } = self else {
            return "No connection to the server. Check your network and try again.".to_owned();
        };
        match (code, status) {
            (ErrorCode::RateLimited, _) | (_, 429) => {
                "Too many attempts. Wait a minute and try again."
            }
            (ErrorCode::Forbidden, _) | (_, 403) => "Only an admin can do that.",
            (ErrorCode::InvalidTransition, _) => {
                "The ticket changed in the meantime; its current state is shown."
            }
            (ErrorCode::NoLiveTicket, _) => "This conversation has no live ticket.",
            (ErrorCode::TooLarge, _) => "That is too long.",
            (ErrorCode::InvalidField | ErrorCode::BadJson, _) => {
                "Some of the values are not valid."
            }
            (ErrorCode::NotFound, _) | (_, 404) => "Not found: it may have been removed.",
            (_, 401) => "Your session has ended. Sign in again.",
            (_, 500..) => "The server had a problem. Try again.",
            _ => "The request was refused.",
        }
        .to_owned()
    }
}

impl From<JsValue> for ApiError {
    fn from(v: JsValue) -> Self {
        ApiError::Network(json::CodecError::from(v).0)
    }
}

impl From<json::CodecError> for ApiError {
    fn from(e: json::CodecError) -> Self {
        ApiError::Network(e.0)
    }
}

/// Result of a request.
pub type ApiResult<T> = Result<T, ApiError>;

/// Body of `PUT /v1/console/canned/{shortcut}`.
#[derive(Serialize)]
struct CannedText<'a> {
    text: &'a str,
}

// ---- console API ------------------------------------------------------------------------------

/// `POST /v1/console/login`: signs in and sets the session cookie.
pub async fn login(body: &LoginRequest) -> ApiResult<Me> {
    send_json("POST", "/v1/console/login", Some(&json::stringify(body)?)).await
}

/// `POST /v1/console/logout`.
pub async fn logout() -> ApiResult<()> {
    send_empty("POST", "/v1/console/logout", None).await
}

/// `GET /v1/console/me`: who is signed in (401 when nobody is).
pub async fn me() -> ApiResult<Me> {
    send_json("GET", "/v1/console/me", None).await
}

/// `PUT /v1/console/presence`.
pub async fn set_presence(presence: Presence) -> ApiResult<TeamMember> {
    let body = json::stringify(&SetPresence { presence })?;
    send_json("PUT", "/v1/console/presence", Some(&body)).await
}

/// `GET /v1/console/inbox`.
pub async fn inbox() -> ApiResult<Inbox> {
    send_json("GET", "/v1/console/inbox", None).await
}

/// `GET /v1/console/agents`.
pub async fn team() -> ApiResult<Team> {
    send_json("GET", "/v1/console/agents", None).await
}

/// `POST /v1/console/agents` (admins).
pub async fn create_agent(agent: &NewAgent) -> ApiResult<AgentProfile> {
    send_json("POST", "/v1/console/agents", Some(&json::stringify(agent)?)).await
}

/// `PATCH /v1/console/agents/{id}` (admins).
pub async fn update_agent(id: &str, changes: &AgentChanges) -> ApiResult<AgentProfile> {
    let path = format!("/v1/console/agents/{}", segment(id));
    send_json("PATCH", &path, Some(&json::stringify(changes)?)).await
}

/// `GET /v1/console/canned`.
pub async fn canned() -> ApiResult<CannedList> {
    send_json("GET", "/v1/console/canned", None).await
}

/// `PUT /v1/console/canned/{shortcut}` (admins): creates or replaces.
pub async fn put_canned(shortcut: &str, text: &str) -> ApiResult<CannedResponse> {
    let path = format!("/v1/console/canned/{}", segment(shortcut));
    let body = json::stringify(&CannedText { text })?;
    send_json("PUT", &path, Some(&body)).await
}

/// `DELETE /v1/console/canned/{shortcut}` (admins).
pub async fn delete_canned(shortcut: &str) -> ApiResult<()> {
    let path = format!("/v1/console/canned/{}", segment(shortcut));
    send_empty("DELETE", &path, None).await
}

/// `GET /v1/console/site-texts` (admins): every language's texts, as written.
pub async fn site_texts() -> ApiResult<SiteTextsList> {
    send_json("GET", "/v1/console/site-texts", None).await
}

/// `PUT /v1/console/site-texts/{locale}` (admins).
pub async fn put_site_texts(locale: &str, texts: &SiteTexts) -> ApiResult<LocaleTexts> {
    let path = format!("/v1/console/site-texts/{}", segment(locale));
    send_json("PUT", &path, Some(&json::stringify(texts)?)).await
}

/// `GET /v1/console/records?…` (operators and admins): one page of a records search.
pub async fn records(q: &RecordQuery) -> ApiResult<RecordPage> {
    send_json("GET", &crate::records::api_path(q), None).await
}

/// `GET /v1/console/records/{id}` (operators and admins): one conversation's record.
pub async fn record_detail(id: &str) -> ApiResult<RecordDetail> {
    let path = format!("/v1/console/records/{}", segment(id));
    send_json("GET", &path, None).await
}

/// `GET /v1/console/reports?…&tz=…` (operators and admins): the report of a period.
pub async fn report(q: &RecordQuery, zone: &str) -> ApiResult<Report> {
    send_json("GET", &crate::reports::api_path(q, zone), None).await
}

// ---- conversation API ------------------------------------------------------------------------

fn conversation_path(id: &str, rest: &str) -> String {
    format!("/v1/agent/conversations/{}{rest}", segment(id))
}

/// `GET /v1/agent/conversations/{id}`: the live ticket.
pub async fn ticket(id: &str) -> ApiResult<TicketState> {
    send_json("GET", &conversation_path(id, ""), None).await
}

/// `GET .../history`: one page, newest first; `before` pages backwards.
pub async fn history(id: &str, before: Option<u64>) -> ApiResult<HistoryPage> {
    let query = before.map_or_else(String::new, |b| format!("?before={b}"));
    send_json(
        "GET",
        &conversation_path(id, &format!("/history{query}")),
        None,
    )
    .await
}

/// `POST .../messages`: a reply to the visitor.
pub async fn send_reply(id: &str, msg: &SendMessage) -> ApiResult<MessageAccepted> {
    let body = json::stringify(msg)?;
    send_json("POST", &conversation_path(id, "/messages"), Some(&body)).await
}

/// `POST .../notes`: an internal note.
pub async fn send_note(id: &str, msg: &SendMessage) -> ApiResult<NoteAccepted> {
    let body = json::stringify(msg)?;
    send_json("POST", &conversation_path(id, "/notes"), Some(&body)).await
}

/// `POST .../status`.
pub async fn set_status(id: &str, to: Status) -> ApiResult<TicketState> {
    let body = json::stringify(&SetStatusRequest { to })?;
    send_json("POST", &conversation_path(id, "/status"), Some(&body)).await
}

/// `POST .../accept`.
pub async fn accept(id: &str) -> ApiResult<TicketState> {
    send_json("POST", &conversation_path(id, "/accept"), None).await
}

/// `POST .../finish`.
pub async fn finish(id: &str) -> ApiResult<TicketState> {
    send_json("POST", &conversation_path(id, "/finish"), None).await
}

/// `POST .../transfer`.
pub async fn transfer(id: &str, to: &Transfer) -> ApiResult<TicketState> {
    let body = json::stringify(to)?;
    send_json("POST", &conversation_path(id, "/transfer"), Some(&body)).await
}

/// `GET .../visitor`: the visitor panel.
pub async fn visitor(id: &str) -> ApiResult<VisitorPanel> {
    send_json("GET", &conversation_path(id, "/visitor"), None).await
}

/// A path segment, percent-encoded (ids are already restricted; this is the belt to that).
fn segment(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

async fn send_json<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&str>,
) -> ApiResult<T> {
    let response = fetch(method, path, body).await?;
    let value = JsFuture::from(response.json()?).await?;
    Ok(json::from_js(value)?)
}

async fn send_empty(method: &str, path: &str, body: Option<&str>) -> ApiResult<()> {
    fetch(method, path, body).await.map(drop)
}

/// Sends the request; an answer that is not 2xx becomes [`ApiError::Refused`].
async fn fetch(method: &str, path: &str, body: Option<&str>) -> ApiResult<Response> {
    let headers = Headers::new()?;
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(b) = body {
        headers.set("Content-Type", "application/json")?;
        init.set_body(&JsValue::from_str(b));
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(path, &init)?;
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await?
        .dyn_into()?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let code = match response.json() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|v| json::from_js::<ErrorResponse>(v).ok())
            .map_or(ErrorCode::Unknown, |e| e.error.code),
        Err(_) => ErrorCode::Unknown,
    };
    Err(ApiError::Refused { status, code })
}

// ---- sockets ---------------------------------------------------------------------------------

/// What a socket reports.
#[derive(Debug, Clone, PartialEq)]
pub enum SocketEvent<F> {
    /// The socket is open.
    Open,
    /// A frame from the edge.
    Frame(F),
    /// The socket closed (or never opened); it will not report again.
    Closed,
}

/// The console socket (`/v1/console/ws`).
pub const CONSOLE_SOCKET: &str = "/v1/console/ws";

/// The path of a conversation's agent socket, resuming after `after_seq`: the edge sends every
/// item after it (`sync`) before any live event.
pub fn conversation_socket(id: &str, after_seq: u64) -> String {
    conversation_path(id, &format!("/ws?after_seq={after_seq}"))
}

/// An open (or opening) WebSocket. Dropping it closes it and silences its handlers.
pub struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Opens the socket at `path` offering only `porchlight.v1`: the session cookie goes with
    /// the upgrade, so no token is offered. Frames that do not decode as `F` are logged and
    /// skipped.
    pub fn open<F: DeserializeOwned + 'static>(
        path: &str,
        on_event: impl Fn(SocketEvent<F>) + 'static,
    ) -> ApiResult<Socket> {
        let location = web_sys::window()
            .ok_or_else(|| ApiError::Network("no window".into()))?
            .location();
        let scheme = if location.protocol()? == "https:" {
            "wss:"
        } else {
            "ws:"
        };
        let url = format!("{scheme}//{}{path}", location.host()?);
        let ws = WebSocket::new_with_str(&url, SUBPROTOCOL)?;
        let handler: Rc<dyn Fn(SocketEvent<F>)> = Rc::new(on_event);

        let opened = Rc::clone(&handler);
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| opened(SocketEvent::Open));
        let on_frame = Rc::clone(&handler);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            match json::parse::<F>(&text) {
                Ok(frame) => on_frame(SocketEvent::Frame(frame)),
                Err(err) => web_sys::console::warn_1(&format!("bad frame: {}", err.0).into()),
            }
        });
        // `close` follows `error` in every browser, so one handler covers both.
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
            handler(SocketEvent::Closed)
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    /// Sends a frame; false if the socket is not open.
    pub fn send<T: Serialize>(&self, frame: &T) -> bool {
        if self.ws.ready_state() != WebSocket::OPEN {
            return false;
        }
        match json::stringify(frame) {
            Ok(text) => self.ws.send_with_str(&text).is_ok(),
            Err(_) => false,
        }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // Handlers first: an event after the closures are freed would call freed memory.
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

/// Resolves after `ms` milliseconds (reconnect backoff, typing timeouts).
pub async fn sleep(ms: u32) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                i32::try_from(ms).unwrap_or(i32::MAX),
            );
        }
    });
    let _ = JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, code: ErrorCode) -> ApiError {
        ApiError::Refused { status, code }
    }

    #[test]
    fn errors_read_as_sentences_and_401_means_signed_out() {
        assert!(refused(401, ErrorCode::Unknown).signed_out());
        assert!(refused(401, ErrorCode::MissingToken).signed_out());
        assert!(refused(401, ErrorCode::InvalidToken).signed_out());
        assert!(!refused(403, ErrorCode::Forbidden).signed_out());
        assert!(!ApiError::Network("x".into()).signed_out());
        assert!(refused(429, ErrorCode::Unknown)
            .describe()
            .starts_with("Too many attempts"));
        assert_eq!(
            refused(403, ErrorCode::Forbidden).describe(),
            "Only an admin can do that."
        );
        assert!(refused(503, ErrorCode::Internal)
            .describe()
            .contains("server"));
        assert!(ApiError::Network("offline".into())
            .describe()
            .starts_with("No connection"));
    }
}
