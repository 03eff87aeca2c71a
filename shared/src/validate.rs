//! Validation rules shared by the widget (to refuse early) and the edge (to refuse for real).

use crate::error::ErrorCode;
use crate::protocol::{Body, SendMessage, MAX_ATTACHMENTS_PER_MESSAGE};

/// Longest message text, in characters (Unicode scalar values).
pub const MAX_TEXT_CHARS: usize = 4_000;
/// Longest id (client id, site id, conversation id, agent id), in bytes.
pub const MAX_ID_LEN: usize = 64;
/// Largest WebSocket frame the edge reads, in bytes.
pub const MAX_FRAME_BYTES: usize = 32 * 1024;
/// Largest page of history a client may ask for.
pub const MAX_PAGE: u32 = 100;
/// Page size when the client does not say.
pub const DEFAULT_PAGE: u32 = 50;

/// A rule that a value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The code to answer with.
    pub code: ErrorCode,
    /// What was wrong, for people.
    pub message: String,
}

impl Invalid {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Invalid {
            code,
            message: message.into(),
        }
    }
}

/// Ids are 1–64 characters of `A-Z a-z 0-9 _ -`: safe in paths, keys and logs.
pub fn id(field: &str, value: &str) -> Result<(), Invalid> {
    let ok = !value.is_empty()
        && value.len() <= MAX_ID_LEN
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            ErrorCode::InvalidField,
            format!("{field} must be 1-{MAX_ID_LEN} characters of A-Z, a-z, 0-9, '_' or '-'"),
        ))
    }
}

/// Message text: not blank (unless the message carries attachments), at most
/// [`MAX_TEXT_CHARS`] characters; at most [`MAX_ATTACHMENTS_PER_MESSAGE`] attachments with
/// plain ids.
pub fn body(body: &Body) -> Result<(), Invalid> {
    if body.attachments.len() > MAX_ATTACHMENTS_PER_MESSAGE {
        return Err(Invalid::new(
            ErrorCode::TooLarge,
            format!("a message carries at most {MAX_ATTACHMENTS_PER_MESSAGE} attachments"),
        ));
    }
    for a in &body.attachments {
        id("attachment id", &a.id)?;
    }
    if body.text.trim().is_empty() && body.attachments.is_empty() {
        return Err(Invalid::new(
            ErrorCode::InvalidField,
            "message text is empty",
        ));
    }
    if body.text.chars().count() > MAX_TEXT_CHARS {
        return Err(Invalid::new(
            ErrorCode::TooLarge,
            format!("message text is longer than {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(())
}

/// A message to post: its client id and body.
pub fn send_message(msg: &SendMessage) -> Result<(), Invalid> {
    id("client_id", &msg.client_id)?;
    body(&msg.body)
}

/// Clamps a requested page size into `1..=MAX_PAGE`.
pub fn page_size(requested: Option<u32>) -> u32 {
    requested.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Body {
        Body {
            text: t.into(),
            ..Body::default()
        }
    }

    #[test]
    fn ids_are_short_and_plain() {
        assert!(id("x", "c_01-AZ").is_ok());
        assert!(id("x", &"a".repeat(64)).is_ok());
        for bad in ["", " ", "a/b", "a.b", "ü", &"a".repeat(65)] {
            let e = id("site_id", bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidField, "{bad:?}");
            assert!(e.message.starts_with("site_id"));
        }
    }

    #[test]
    fn text_is_not_blank_and_not_too_long() {
        assert!(body(&text("olá")).is_ok());
        assert_eq!(
            body(&text(" \n\t")).unwrap_err().code,
            ErrorCode::InvalidField
        );
        // Counted in characters, not bytes: 4 000 CJK characters are 12 000 bytes but fine.
        assert!(body(&text(&"会".repeat(MAX_TEXT_CHARS))).is_ok());
        let long = body(&text(&"a".repeat(MAX_TEXT_CHARS + 1))).unwrap_err();
        assert_eq!(long.code, ErrorCode::TooLarge);
    }

    #[test]
    fn page_sizes_are_clamped() {
        assert_eq!(page_size(None), DEFAULT_PAGE);
        assert_eq!(page_size(Some(0)), 1);
        assert_eq!(page_size(Some(1_000)), MAX_PAGE);
        assert_eq!(page_size(Some(20)), 20);
    }
}
