//! A small blocking client for the edge, used by the runtime tests and the benchmark: HTTP with
//! an optional Origin, and WebSockets that speak the shared protocol.

use std::io;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use porchlight_shared::protocol::{
    ClientFrame, ClientMessage, ServerEvent, ServerFrame, SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX,
};
use serde_json::Value;
use tungstenite::client::IntoClientRequest;
use tungstenite::http::HeaderValue;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// An HTTP answer: status and body (parsed as JSON when it is JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Body as JSON (`Value::Null` when not JSON).
    pub json: Value,
    /// Body as text.
    pub text: String,
    /// The `pl_session` cookie the response set, if any.
    pub session: Option<String>,
    /// Response headers, names in lower case.
    pub headers: std::collections::BTreeMap<String, String>,
    /// Body bytes.
    pub bytes: Vec<u8>,
}

impl Reply {
    /// The `error.code` of an error body, if any.
    pub fn code(&self) -> Option<&str> {
        self.json.pointer("/error/code").and_then(Value::as_str)
    }

    /// A response header (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// An HTTP client for one edge, optionally sending an `Origin` header.
#[derive(Debug, Clone)]
pub struct Http {
    base: String,
    origin: Option<String>,
    cookie: Option<String>,
    /// Further headers sent with every request.
    headers: Vec<(String, String)>,
    agent: ureq::Agent,
}

impl Http {
    /// A client for `base` (e.g. `http://127.0.0.1:8787`).
    pub fn new(base: &str, origin: Option<&str>) -> Http {
        Http {
            base: base.trim_end_matches('/').to_owned(),
            origin: origin.map(str::to_owned),
            cookie: None,
            headers: Vec::new(),
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(30))
                .build(),
        }
    }

    /// The same client with another Origin (or none).
    pub fn with_origin(&self, origin: Option<&str>) -> Http {
        Http {
            origin: origin.map(str::to_owned),
            ..self.clone()
        }
    }

    /// The same client sending a console session cookie.
    pub fn with_session(&self, session: &str) -> Http {
        Http {
            cookie: Some(format!("pl_session={session}")),
            ..self.clone()
        }
    }

    /// The same client sending one more header (say, the `CF-Connecting-IP` that Cloudflare's
    /// network would set).
    pub fn with_header(&self, name: &str, value: &str) -> Http {
        let mut http = self.clone();
        http.headers.push((name.to_owned(), value.to_owned()));
        http
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `GET path` with an optional bearer token.
    pub fn get(&self, path: &str, token: Option<&str>) -> io::Result<Reply> {
        self.send("GET", path, token, None)
    }

    /// `GET path` whose body is read as it arrives (a long export), with a timeout of minutes.
    pub fn stream_get(&self, path: &str) -> io::Result<impl io::Read + Send + 'static> {
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(600))
            .build();
        let mut req = agent.get(&format!("{}{}", self.base, path));
        if let Some(c) = &self.cookie {
            req = req.set("Cookie", c);
        }
        match req.call() {
            Ok(r) => Ok(r.into_reader()),
            Err(e) => Err(io::Error::other(e.to_string())),
        }
    }

    /// `POST path` with a JSON body.
    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> io::Result<Reply> {
        self.send("POST", path, token, Some(body.to_string().into_bytes()))
    }

    /// Any request with raw body bytes.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> io::Result<Reply> {
        self.send_typed(method, path, token, "application/json", body)
    }

    /// Any request with raw body bytes of a given `Content-Type` (none when it is empty).
    pub fn send_typed(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Option<Vec<u8>>,
    ) -> io::Result<Reply> {
        let mut req = self
            .agent
            .request(method, &format!("{}{}", self.base, path));
        if !content_type.is_empty() {
            req = req.set("Content-Type", content_type);
        }
        if let Some(o) = &self.origin {
            req = req.set("Origin", o);
        }
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        if let Some(c) = &self.cookie {
            req = req.set("Cookie", c);
        }
        for (name, value) in &self.headers {
            req = req.set(name, value);
        }
        let result = match body {
            Some(b) => req.send_bytes(&b),
            None => req.call(),
        };
        let resp = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => return Err(io::Error::other(e.to_string())),
        };
        let status = resp.status();
        let session = resp
            .all("set-cookie")
            .iter()
            .find_map(|c| c.strip_prefix("pl_session="))
            .and_then(|c| c.split(';').next())
            .filter(|v| !v.is_empty())
            .map(str::to_owned);
        let headers = resp
            .headers_names()
            .into_iter()
            .filter_map(|n| {
                let v = resp.header(&n)?.to_owned();
                Some((n.to_ascii_lowercase(), v))
            })
            .collect();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut resp.into_reader(), &mut bytes)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Reply {
            status,
            json,
            text,
            session,
            headers,
            bytes,
        })
    }
}

/// A refused or failed socket upgrade.
#[derive(Debug)]
pub struct Refused {
    /// HTTP status of the refusal (0 when the connection itself failed).
    pub status: u16,
    /// Its body.
    pub body: String,
}

/// A WebSocket to a conversation.
pub struct Socket {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Socket {
    /// Opens `path` on `base` (http URL) with the token in the subprotocol list.
    pub fn connect(
        base: &str,
        path: &str,
        token: Option<&str>,
        origin: Option<&str>,
    ) -> Result<Socket, Refused> {
        Socket::open(base, path, token, origin, None)
    }

    /// Opens `path` as a signed-in console (the session cookie, no token).
    pub fn connect_console(
        base: &str,
        path: &str,
        session: Option<&str>,
    ) -> Result<Socket, Refused> {
        Socket::open(base, path, None, None, session)
    }

    fn open(
        base: &str,
        path: &str,
        token: Option<&str>,
        origin: Option<&str>,
        session: Option<&str>,
    ) -> Result<Socket, Refused> {
        let url = format!("{}{}", base.replacen("http", "ws", 1), path);
        let refused = |status: u16, body: String| Refused { status, body };
        let mut req = url
            .into_client_request()
            .map_err(|e| refused(0, e.to_string()))?;
        let mut protocols = SUBPROTOCOL.to_owned();
        if let Some(t) = token {
            protocols.push_str(&format!(", {TOKEN_SUBPROTOCOL_PREFIX}{t}"));
        }
        let header = |v: &str| HeaderValue::from_str(v).map_err(|e| refused(0, e.to_string()));
        req.headers_mut()
            .insert("Sec-WebSocket-Protocol", header(&protocols)?);
        if let Some(o) = origin {
            req.headers_mut().insert("Origin", header(o)?);
        }
        if let Some(s) = session {
            req.headers_mut()
                .insert("Cookie", header(&format!("pl_session={s}"))?);
        }
        match tungstenite::connect(req) {
            Ok((ws, _)) => Ok(Socket { ws, next_id: 0 }),
            Err(tungstenite::Error::Http(resp)) => {
                let body = resp
                    .body()
                    .as_ref()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                Err(refused(resp.status().as_u16(), body))
            }
            Err(e) => Err(refused(0, e.to_string())),
        }
    }

    /// Sends a request with a fresh id and returns the id.
    pub fn request(&mut self, msg: ClientMessage) -> io::Result<String> {
        self.next_id += 1;
        let id = format!("q{}", self.next_id);
        let frame = ClientFrame {
            id: Some(id.clone()),
            msg,
        };
        let text = serde_json::to_string(&frame).map_err(io::Error::other)?;
        self.send_text(&text)?;
        Ok(id)
    }

    /// Sends a raw text frame.
    pub fn send_text(&mut self, text: &str) -> io::Result<()> {
        self.ws
            .send(Message::text(text))
            .map_err(|e| io::Error::other(e.to_string()))
    }

    /// Sends a text frame whose payload is `bytes` as they are, UTF-8 or not (a conforming
    /// client would never send invalid UTF-8 as text; this one can, to test the edge).
    pub fn send_text_bytes(&mut self, bytes: Vec<u8>) -> io::Result<()> {
        use tungstenite::protocol::frame::coding::{Data, OpCode};
        use tungstenite::protocol::frame::Frame;
        self.ws
            .send(Message::Frame(Frame::message(
                bytes,
                OpCode::Data(Data::Text),
                true,
            )))
            .map_err(|e| io::Error::other(e.to_string()))
    }

    /// Sends a raw binary frame.
    pub fn send_binary(&mut self, bytes: Vec<u8>) -> io::Result<()> {
        self.ws
            .send(Message::binary(bytes))
            .map_err(|e| io::Error::other(e.to_string()))
    }

    /// The next server frame, or `None` when nothing arrives within `timeout`.
    pub fn recv(&mut self, timeout: Duration) -> io::Result<Option<ServerFrame>> {
        self.recv_as(timeout)
    }

    /// The next frame of any shape (e.g. console events), or `None` on timeout.
    pub fn recv_as<T: serde::de::DeserializeOwned>(
        &mut self,
        timeout: Duration,
    ) -> io::Result<Option<T>> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            if let MaybeTlsStream::Plain(s) = self.ws.get_mut() {
                s.set_read_timeout(Some(left))?;
            }
            match self.ws.read() {
                Ok(Message::Text(t)) => {
                    return serde_json::from_str(t.as_str())
                        .map(Some)
                        .map_err(io::Error::other)
                }
                Ok(Message::Close(_)) => {
                    return Err(io::Error::new(io::ErrorKind::ConnectionReset, "closed"))
                }
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return Ok(None)
                }
                Err(e) => return Err(io::Error::other(e.to_string())),
            }
        }
    }

    /// Sends any frame as JSON.
    pub fn send_json<T: serde::Serialize>(&mut self, frame: &T) -> io::Result<()> {
        let text = serde_json::to_string(frame).map_err(io::Error::other)?;
        self.send_text(&text)
    }

    /// Reads frames of any shape until one matches; `None` on timeout.
    pub fn recv_until_as<T: serde::de::DeserializeOwned>(
        &mut self,
        timeout: Duration,
        mut pred: impl FnMut(&T) -> bool,
    ) -> io::Result<Option<T>> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.recv_as::<T>(left)? {
                Some(f) if pred(&f) => return Ok(Some(f)),
                Some(_) => continue,
                None => return Ok(None),
            }
        }
    }

    /// Reads frames until one matches, discarding the others; `None` on timeout.
    pub fn recv_until(
        &mut self,
        timeout: Duration,
        mut pred: impl FnMut(&ServerFrame) -> bool,
    ) -> io::Result<Option<ServerFrame>> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.recv(left)? {
                Some(f) if pred(&f) => return Ok(Some(f)),
                Some(_) => continue,
                None => return Ok(None),
            }
        }
    }

    /// Every frame that arrives within `window`.
    pub fn drain(&mut self, window: Duration) -> io::Result<Vec<ServerFrame>> {
        let deadline = Instant::now() + window;
        let mut out = Vec::new();
        while let Some(f) = self.recv(deadline.saturating_duration_since(Instant::now()))? {
            out.push(f);
        }
        Ok(out)
    }

    /// The answer to request `id` (any frame whose `re` is `id`).
    pub fn answer(&mut self, id: &str, timeout: Duration) -> io::Result<Option<ServerEvent>> {
        Ok(self
            .recv_until(timeout, |f| f.re.as_deref() == Some(id))?
            .map(|f| f.event))
    }

    /// Drops the TCP connection without a closing handshake, as a network failure would.
    pub fn drop_connection(mut self) {
        if let MaybeTlsStream::Plain(s) = self.ws.get_mut() {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }

    /// Closes cleanly.
    pub fn close(mut self) {
        let _ = self.ws.close(None);
        let _ = self.ws.flush();
    }
}
