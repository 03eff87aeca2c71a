//! Machine-readable error codes, shared by every client and the edge.

use serde::{Deserialize, Serialize};

/// Why a request was refused. On HTTP the code maps to a status ([`ErrorCode::http_status`]);
/// on a socket it travels in an `error` frame. Either way nothing was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body or frame is not valid JSON, or not of the expected shape.
    BadJson,
    /// The body or frame is not valid UTF-8 (or a socket frame is binary).
    InvalidUtf8,
    /// The frame's `type` is not one this edge knows.
    UnknownType,
    /// The body, frame or message text is larger than allowed.
    TooLarge,
    /// A field breaks a validation rule (empty text, malformed id, out-of-range value).
    InvalidField,
    /// No token was presented.
    MissingToken,
    /// The token is malformed, forged, or for another site or conversation.
    InvalidToken,
    /// Wrong email or password (the same answer for both).
    InvalidCredentials,
    /// The token is valid but its role may not do this.
    Forbidden,
    /// The request's Origin is not one of the site's allowed origins.
    OriginNotAllowed,
    /// No such site.
    UnknownSite,
    /// No such route or resource.
    NotFound,
    /// The route exists but not with this method.
    MethodNotAllowed,
    /// The ticket cannot make this status change.
    InvalidTransition,
    /// The conversation has no live ticket to act on.
    NoLiveTicket,
    /// Too many requests; try again later.
    RateLimited,
    /// `identify`: the hash does not match the id; nothing was stored.
    IdentityNotVerified,
    /// An attachment's media type is not one of the allowed ones.
    UnsupportedMediaType,
    /// An email address the visitor gave is not a practical address (`contact`).
    InvalidEmail,
    /// A phone number the visitor gave is not one, even after normalising (`contact`).
    InvalidPhone,
    /// Something failed on our side; the request may be retried.
    Internal,
    /// A code this client does not know (a newer edge).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every code a current edge may send.
    pub const ALL: [ErrorCode; 21] = [
        ErrorCode::BadJson,
        ErrorCode::InvalidUtf8,
        ErrorCode::UnknownType,
        ErrorCode::TooLarge,
        ErrorCode::InvalidField,
        ErrorCode::MissingToken,
        ErrorCode::InvalidToken,
        ErrorCode::InvalidCredentials,
        ErrorCode::Forbidden,
        ErrorCode::OriginNotAllowed,
        ErrorCode::UnknownSite,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::InvalidTransition,
        ErrorCode::NoLiveTicket,
        ErrorCode::RateLimited,
        ErrorCode::IdentityNotVerified,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::InvalidEmail,
        ErrorCode::InvalidPhone,
        ErrorCode::Internal,
    ];

    /// The HTTP status an error of this kind is answered with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadJson
            | ErrorCode::InvalidUtf8
            | ErrorCode::UnknownType
            | ErrorCode::InvalidField
            | ErrorCode::InvalidEmail
            | ErrorCode::InvalidPhone
            | ErrorCode::Unknown => 400,
            ErrorCode::MissingToken
            | ErrorCode::InvalidToken
            | ErrorCode::InvalidCredentials
            | ErrorCode::IdentityNotVerified => 401,
            ErrorCode::Forbidden | ErrorCode::OriginNotAllowed => 403,
            ErrorCode::UnknownSite | ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::InvalidTransition | ErrorCode::NoLiveTicket => 409,
            ErrorCode::TooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
        }
    }
}
