//! All of the widget's network I/O: the visitor HTTP API (`fetch`) and the conversation's
//! WebSocket. The only module that touches `WebSocket`; nothing here knows what a thread is.
//!
//! The frame is served by the edge, so every URL is relative to the frame's own origin: the
//! edge's origin check passes, and no host page cookie or CSP is involved.

use std::rc::Rc;

use js_sys::{Array, Promise};
use porchlight_shared::embed::CONFIG_ELEMENT_ID;
use porchlight_shared::protocol::{
    AttachmentRef, ClientFrame, HistoryPage, IdentifyRequest, ServerFrame, SessionRequest,
    SessionResponse, VisitorProfile, WidgetConfig, SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX,
};
use porchlight_shared::ErrorCode;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CloseEvent, Headers, MessageEvent, Request, RequestInit, Response, WebSocket};

use crate::json;

/// Why a request failed.
#[derive(Debug, Clone, PartialEq)]
pub enum NetError {
    /// The edge answered with an error.
    Refused {
        /// HTTP status.
        status: u16,
        /// The machine-readable code from the body ([`ErrorCode::Unknown`] if there was none).
        code: ErrorCode,
    },
    /// No answer (offline, connection refused) or an answer we could not read.
    Network(String),
}

impl NetError {
    /// A short description for the console.
    pub fn describe(&self) -> String {
        match self {
            NetError::Refused { status, .. } => format!("refused with HTTP {status}"),
            NetError::Network(message) => message.clone(),
        }
    }
}

impl From<JsValue> for NetError {
    fn from(v: JsValue) -> Self {
        NetError::Network(json::CodecError::from(v).0)
    }
}

impl From<json::CodecError> for NetError {
    fn from(e: json::CodecError) -> Self {
        NetError::Network(e.0)
    }
}

/// `POST /v1/visitor/session`: a new conversation for this site (nothing is stored on the edge
/// until the first message).
pub async fn new_session(site_id: &str) -> Result<SessionResponse, NetError> {
    let body = json::stringify(&json::session_request(&SessionRequest {
        site_id: site_id.to_owned(),
        token: None,
    }))?;
    let value = fetch_json("POST", "/v1/visitor/session", None, Some(&body)).await?;
    json::session_response(&value).ok_or_else(|| bad_body("session"))
}

/// `PUT /v1/visitor/profile`: what the widget knows about the visitor (locale, page), which
/// routing reads.
pub async fn put_profile(token: &str, profile: &VisitorProfile) -> Result<(), NetError> {
    let body = json::stringify(&json::visitor_profile(profile))?;
    fetch_json("PUT", "/v1/visitor/profile", Some(token), Some(&body)).await?;
    Ok(())
}

/// `POST /v1/visitor/identify`: the host page's signed-in user, whose hash the edge checks.
pub async fn identify(token: &str, who: &IdentifyRequest) -> Result<(), NetError> {
    let body = json::stringify(&json::identify_request(who))?;
    fetch_json("POST", "/v1/visitor/identify", Some(token), Some(&body)).await?;
    Ok(())
}

/// `GET /v1/visitor/config`: the site's widget settings and whether an agent is online. Needs
/// no token, and stores nothing.
/// The site's texts come in `locale` when the site has written them in it.
pub async fn config(site_id: &str, locale: &str) -> Result<WidgetConfig, NetError> {
    if let Some(config) = embedded_config().as_ref().and_then(json::widget_config) {
        return Ok(config);
    }
    let query = web_sys::UrlSearchParams::new()?;
    query.append("site_id", site_id);
    query.append("locale", locale);
    let path = format!("/v1/visitor/config?{}", String::from(query.to_string()));
    let value = fetch_json("GET", &path, None, None).await?;
    json::widget_config(&value).ok_or_else(|| bad_body("config"))
}

/// The config the edge wrote into the frame page (taken once; `None` if there is none: then the
/// app asks for it).
fn embedded_config() -> Option<JsValue> {
    let element = web_sys::window()?
        .document()?
        .get_element_by_id(CONFIG_ELEMENT_ID)?;
    element.remove();
    json::parse(&element.text_content()?).ok()
}

/// `GET /v1/visitor/history`: one page, newest first; `before` pages backwards.
pub async fn history(token: &str, before: Option<u64>) -> Result<HistoryPage, NetError> {
    let path = match before {
        Some(b) => format!("/v1/visitor/history?before={b}"),
        None => "/v1/visitor/history".to_owned(),
    };
    let value = fetch_json("GET", &path, Some(token), None).await?;
    json::history_page(&value).ok_or_else(|| bad_body("history"))
}

/// `GET /v1/visitor/transcript`, saved as the file `name` (the token cannot ride on a plain
/// link: the bytes become a `blob:` URL first).
///
/// Its times are written in the browser's time zone (when it names one) and in `locale`.
pub async fn save_transcript(token: &str, name: &str, locale: &str) -> Result<(), NetError> {
    let query = web_sys::UrlSearchParams::new()?;
    query.append("locale", locale);
    if let Some(zone) = crate::clock::time_zone() {
        query.append("tz", &zone);
    }
    let path = format!("/v1/visitor/transcript?{}", String::from(query.to_string()));
    save(token, &path, name).await
}

/// Fetches `path` with the token and saves it as the file `name`, through a `blob:` URL that a
/// link with `download` points at.
pub async fn save(token: &str, path: &str, name: &str) -> Result<(), NetError> {
    let url = blob_url(token, path).await?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| NetError::Network("no document".into()))?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has started reading the blob by now; a moment later it can go.
    sleep(10_000).await;
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// The bytes at `path`, fetched with the token, as a `blob:` URL (an `<img>` cannot send the
/// token; the frame's policy allows `blob:` images). The caller revokes it when it is done.
pub async fn blob_url(token: &str, path: &str) -> Result<String, NetError> {
    let init = RequestInit::new();
    init.set_method("GET");
    let headers = bearer(token)?;
    init.set_headers(&headers);
    let response = fetch_ok(path, &init).await?;
    let blob: web_sys::Blob = JsFuture::from(response.blob()?).await?.dyn_into()?;
    Ok(web_sys::Url::create_object_url_with_blob(&blob)?)
}

/// `POST /v1/visitor/attachments`: uploads one file (its bytes as the body, its type as
/// `Content-Type`, its name in the query) and returns its reference.
pub async fn upload(token: &str, file: &web_sys::File) -> Result<AttachmentRef, NetError> {
    let query = web_sys::UrlSearchParams::new()?;
    let name: String = file.name().chars().take(200).collect();
    if !name.is_empty() {
        query.append("name", &name);
    }
    let path = format!(
        "/v1/visitor/attachments?{}",
        String::from(query.to_string())
    );
    let headers = bearer(token)?;
    headers.set("Content-Type", &file.type_())?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(file.as_ref());
    let response = fetch_ok(&path, &init).await?;
    let value = JsFuture::from(response.json()?).await?;
    json::attachment(&value).ok_or_else(|| bad_body("attachment"))
}

fn bearer(token: &str) -> Result<Headers, NetError> {
    let headers = Headers::new()?;
    headers.set("Authorization", &format!("Bearer {token}"))?;
    Ok(headers)
}

/// The answer to a request, if it succeeded; else the edge's error code.
async fn fetch_ok(path: &str, init: &RequestInit) -> Result<Response, NetError> {
    let request = Request::new_with_str_and_init(path, init)?;
    let window = web_sys::window().ok_or_else(|| NetError::Network("no window".into()))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await?
        .dyn_into()?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let code = match JsFuture::from(response.json()?).await {
        Ok(v) => json::error_response_code(&v).unwrap_or(ErrorCode::Unknown),
        Err(_) => ErrorCode::Unknown,
    };
    Err(NetError::Refused { status, code })
}

fn bad_body(what: &str) -> NetError {
    NetError::Network(format!("unexpected {what} answer"))
}

/// The parsed JSON body of a successful answer (`null` when it has none).
async fn fetch_json(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Result<JsValue, NetError> {
    let headers = Headers::new()?;
    if let Some(t) = token {
        headers.set("Authorization", &format!("Bearer {t}"))?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(b) = body {
        headers.set("Content-Type", "application/json")?;
        init.set_body(&JsValue::from_str(b));
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(path, &init)?;
    let window = web_sys::window().ok_or_else(|| NetError::Network("no window".into()))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await?
        .dyn_into()?;
    let status = response.status();
    let value = JsFuture::from(response.json()?).await;
    if response.ok() {
        // An empty body (204) is not JSON; the caller that wanted one says so.
        return Ok(value.unwrap_or(JsValue::NULL));
    }
    let code = value
        .ok()
        .and_then(|v| json::error_response_code(&v))
        .unwrap_or(ErrorCode::Unknown);
    Err(NetError::Refused { status, code })
}

/// What a socket reports.
#[derive(Debug, Clone, PartialEq)]
pub enum SocketEvent {
    /// A frame from the edge.
    Frame(Box<ServerFrame>),
    /// The socket closed (or never opened); it will not report again.
    Closed,
}

type Handler = Rc<dyn Fn(SocketEvent)>;

/// An open (or opening) WebSocket to the visitor's conversation. Dropping it closes it and
/// silences its handlers.
pub struct Socket {
    ws: WebSocket,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Opens `/v1/visitor/ws` with the token in the subprotocol list (browsers cannot set
    /// headers on a WebSocket, and a token in the URL would end up in logs), resuming after
    /// `after_seq`: the edge sends every item after it (`sync`) before any live event.
    pub fn connect(
        token: &str,
        after_seq: u64,
        on_event: impl Fn(SocketEvent) + 'static,
    ) -> Result<Socket, NetError> {
        let location = web_sys::window()
            .ok_or_else(|| NetError::Network("no window".into()))?
            .location();
        let scheme = if location.protocol()? == "https:" {
            "wss:"
        } else {
            "ws:"
        };
        let url = format!(
            "{scheme}//{}/v1/visitor/ws?after_seq={after_seq}",
            location.host()?
        );
        let protocols = Array::of2(
            &JsValue::from_str(SUBPROTOCOL),
            &JsValue::from_str(&format!("{TOKEN_SUBPROTOCOL_PREFIX}{token}")),
        );
        let ws = WebSocket::new_with_str_sequence(&url, &protocols)?;
        let handler: Handler = Rc::new(on_event);

        let on_frame = Rc::clone(&handler);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            match json::parse(&text).map(|v| json::server_frame(&v)) {
                Ok(Some(frame)) => on_frame(SocketEvent::Frame(Box::new(frame))),
                Ok(None) => web_sys::console::warn_1(&"bad frame".into()),
                Err(err) => web_sys::console::warn_1(&format!("bad frame: {}", err.0).into()),
            }
        });
        // `close` follows `error` in every browser, so one handler covers both.
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
            handler(SocketEvent::Closed);
        });
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    /// Sends a frame; false if the socket is not open (the caller resends after reconnecting).
    pub fn send(&self, frame: &ClientFrame) -> bool {
        if self.ws.ready_state() != WebSocket::OPEN {
            return false;
        }
        match json::client_frame(frame).map(|v: JsValue| json::stringify(&v)) {
            Some(Ok(text)) => self.ws.send_with_str(&text).is_ok(),
            _ => false,
        }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // Handlers first: a close event after the closures are freed would call freed memory.
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

/// Resolves after `ms` milliseconds (for the reconnect backoff).
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
