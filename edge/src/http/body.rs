//! JSON bodies in and out: a request's body read with its limits, an object's answer relayed.

use porchlight_shared::{validate, ErrorCode};
use serde::de::DeserializeOwned;
use worker::{Headers, Request, Response};

use crate::error::{EdgeError, EdgeResult};
use crate::pages::widget::null_body_status;

/// Largest HTTP body read, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Reads a JSON body: size, then UTF-8, then shape, each with its own code.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> EdgeResult<T> {
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
    serde_json::from_str::<T>(&text)
        .map_err(|e| EdgeError::new(ErrorCode::BadJson, format!("malformed body: {e}")))
}

/// Refuses a JSON body that is not declared as `application/json`, before reading it.
pub fn require_json(req: &Request) -> EdgeResult<()> {
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

/// Copies an object's JSON answer into a response of ours. An answer without a body (204) stays
/// without one: building it with an empty body makes the runtime warn.
pub async fn copy_json(mut resp: Response) -> EdgeResult<Response> {
    let status = resp.status_code();
    if null_body_status(status) {
        return Ok(Response::empty()?.with_status(status));
    }
    let bytes = resp.bytes().await?;
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    Ok(Response::from_bytes(bytes)?
        .with_status(status)
        .with_headers(headers))
}
