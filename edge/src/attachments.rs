//! Attachments in R2 (the `ATTACHMENTS` binding), under `<site>/<conversation>/<id>`: the
//! visitor's upload, checked against its declared type; the download, with headers that keep a
//! browser from running it; and the check that a message names only files uploaded to its
//! conversation, with what was recorded at upload.

use porchlight_shared::protocol::{
    AttachmentRef, SendMessage, ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES,
};
use porchlight_shared::ErrorCode;
use serde::Deserialize;
use worker::{Env, Headers, Request, Response};

use crate::error::{EdgeError, EdgeResult};
use crate::token;

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
pub async fn upload(
    req: &mut Request,
    env: &Env,
    site_id: &str,
    conversation_id: &str,
) -> EdgeResult<Response> {
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
    let id = format!("at_{}", token::random_id()?);
    let size = bytes.len() as u64;
    let mut custom = std::collections::HashMap::new();
    if let Some(n) = &q.name {
        custom.insert("name".to_owned(), n.clone());
    }
    env.bucket("ATTACHMENTS")?
        .put(attachment_key(site_id, conversation_id, &id), bytes)
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

/// `GET /v1/attachments/{conversation_id}/{id}`: the file (the router has checked that the
/// caller is the conversation's visitor or an agent of its site), with headers that keep a
/// browser from running it.
pub async fn download(
    env: &Env,
    site_id: &str,
    conversation_id: &str,
    attachment_id: &str,
) -> EdgeResult<Response> {
    let object = env
        .bucket("ATTACHMENTS")?
        .get(attachment_key(site_id, conversation_id, attachment_id))
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
    let disposition = content_disposition(content_type.starts_with("image/"), name.as_deref());
    let headers = Headers::new();
    headers.set("Content-Type", &content_type)?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Content-Disposition", &disposition)?;
    headers.set("Content-Security-Policy", "default-src 'none'; sandbox")?;
    headers.set("Cache-Control", "private, no-store")?;
    headers.set("Cross-Origin-Resource-Policy", "same-origin")?;
    Ok(Response::from_bytes(bytes)?.with_headers(headers))
}

/// The `Content-Disposition` of a downloaded attachment: `inline` (images) or `attachment`, with
/// the uploader's file name when there is one: `filename` in plain ASCII (anything else, and
/// quotes and backslashes, as `_`) for old clients, `filename*` in UTF-8 (RFC 6266).
pub fn content_disposition(inline: bool, name: Option<&str>) -> String {
    let kind = if inline { "inline" } else { "attachment" };
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        return kind.to_owned();
    };
    let ascii: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Checks that every attachment a message carries was uploaded to this conversation, and
/// replaces what the client said about it with what was recorded at upload.
pub async fn check(
    env: &Env,
    site_id: &str,
    conversation_id: &str,
    msg: &mut SendMessage,
) -> EdgeResult<()> {
    if msg.body.attachments.is_empty() {
        return Ok(());
    }
    let bucket = env.bucket("ATTACHMENTS")?;
    for a in &mut msg.body.attachments {
        let key = attachment_key(site_id, conversation_id, &a.id);
        let object = bucket.head(key).await?.ok_or_else(|| {
            EdgeError::new(
                ErrorCode::InvalidField,
                format!("attachment {} was not uploaded to this conversation", a.id),
            )
        })?;
        a.size = object.size();
        if let Some(t) = object.http_metadata().content_type {
            a.content_type = t;
        }
        a.name = object.custom_metadata()?.remove("name");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_are_named_safely() {
        assert_eq!(content_disposition(true, None), "inline");
        assert_eq!(
            content_disposition(false, Some("receipt.pdf")),
            "attachment; filename=\"receipt.pdf\"; filename*=UTF-8''receipt.pdf"
        );
        assert_eq!(
            content_disposition(true, Some("café \"1\".png")),
            "inline; filename=\"caf_ _1_.png\"; filename*=UTF-8''caf%C3%A9%20%221%22.png"
        );
    }
}
