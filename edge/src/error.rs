//! The edge's one error type, and the one place it is mapped: to a JSON response with an HTTP
//! status ([`EdgeError::response`]), to an `error` frame on sockets ([`EdgeError::to_frame`]).

use porchlight_shared::lifecycle::LifecycleError;
use porchlight_shared::protocol::{ErrorBody, ErrorResponse, ServerEvent, ServerFrame};
use porchlight_shared::validate::Invalid;
use porchlight_shared::ErrorCode;

/// A refused request: a machine-readable code and a message for people.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct EdgeError {
    /// The code sent on the wire.
    pub code: ErrorCode,
    /// Explanation sent with it.
    pub message: String,
    /// For `rate_limited`: seconds until a retry can succeed (the `Retry-After` header).
    pub retry_after_secs: Option<u64>,
}

/// Result of anything that can refuse a request.
pub type EdgeResult<T> = Result<T, EdgeError>;

impl EdgeError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        EdgeError {
            code,
            message: message.into(),
            retry_after_secs: None,
        }
    }

    /// `rate_limited`: the caller may try again in `wait_ms` (rounded up to whole seconds, the
    /// unit of `Retry-After`).
    pub fn rate_limited(message: impl Into<String>, wait_ms: u64) -> Self {
        EdgeError {
            retry_after_secs: Some(wait_ms.div_ceil(1000)),
            ..EdgeError::new(ErrorCode::RateLimited, message)
        }
    }

    /// A failure of ours (storage, runtime); the details go to the log, not to the client.
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        worker::console_error!("internal error: {context}: {err}");
        EdgeError::new(ErrorCode::Internal, "internal error, please retry")
    }

    /// The HTTP response for the error: its status and `{"error": {"code", "message"}}`, with
    /// `Retry-After` when the caller may try again later.
    pub fn response(&self) -> worker::Result<worker::Response> {
        let mut resp =
            worker::Response::from_json(&self.to_body())?.with_status(self.code.http_status());
        if let Some(secs) = self.retry_after_secs {
            resp.headers_mut().set("Retry-After", &secs.to_string())?;
        }
        Ok(resp)
    }

    /// The body of an HTTP error response.
    pub fn to_body(&self) -> ErrorResponse {
        ErrorResponse {
            error: self.to_error_body(),
        }
    }

    /// The error as a socket frame answering request `re`.
    pub fn to_frame(&self, re: Option<String>) -> ServerFrame {
        ServerFrame {
            re,
            event: ServerEvent::Error(self.to_error_body()),
        }
    }

    fn to_error_body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code,
            message: self.message.clone(),
        }
    }
}

impl From<Invalid> for EdgeError {
    fn from(e: Invalid) -> Self {
        EdgeError::new(e.code, e.message)
    }
}

impl From<LifecycleError> for EdgeError {
    fn from(e: LifecycleError) -> Self {
        match e {
            LifecycleError::NoLiveTicket => EdgeError::new(
                ErrorCode::NoLiveTicket,
                "the conversation has no live ticket",
            ),
            LifecycleError::InvalidTransition { from, to } => EdgeError::new(
                ErrorCode::InvalidTransition,
                format!(
                    "a ticket cannot go from {} to {}",
                    from.as_str(),
                    to.as_str()
                ),
            ),
        }
    }
}

impl From<worker::Error> for EdgeError {
    fn from(e: worker::Error) -> Self {
        EdgeError::internal("runtime", e)
    }
}
