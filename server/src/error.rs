//! The one error type handlers return. Every failure answers JSON `{"error": "..."}` with
//! a message meant for a person; internal details go to the log only.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::store::StoreError;

pub const LINK_INACTIVE: &str = "This link is not active. It may have expired or been revoked.";
pub const REPLIES_CLOSED: &str = "This link takes no replies now: replies are accepted for a while after the link was opened, and that time is over.";

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    /// The same answer for unknown, expired, revoked and purged links, so a caller
    /// cannot tell them apart.
    #[error("{LINK_INACTIVE}")]
    LinkInactive,
    /// Also used for a missing or wrong management secret: answering 401 there would
    /// confirm that the id exists.
    #[error("Share not found.")]
    ShareNotFound,
    #[error("Not found.")]
    NotFound,
    /// The same answer for an unknown share, one never opened and one whose reply window has
    /// closed.
    #[error("{REPLIES_CLOSED}")]
    RepliesClosed,
    #[error("The upload is larger than this relay accepts.")]
    PayloadTooLarge,
    /// A wrong or missing passcode; the body also says how many attempts are left.
    #[error("The passcode is wrong or missing.")]
    WrongPasscode { remaining_attempts: u32 },
    /// The relay's byte cap, or this client's, would be passed.
    #[error("{0}")]
    StorageFull(String),
    /// The link already holds as many replies as it may until the patient fetches them: a state
    /// that passes, not a lack of storage.
    #[error("{0}")]
    RepliesFull(String),
    #[error("Too many requests. Try again in {retry_after_secs} seconds.")]
    TooManyRequests { retry_after_secs: u64 },
    /// The database cannot be reached just now (several instances on PostgreSQL): nothing was
    /// done, and the same request may succeed in a moment.
    #[error("The relay's database is unavailable just now. Try again in a few seconds.")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("Internal server error.")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::LinkInactive | AppError::ShareNotFound | AppError::NotFound | AppError::RepliesClosed => {
                StatusCode::NOT_FOUND
            }
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::RepliesFull(_) => StatusCode::CONFLICT,
            AppError::WrongPasscode { .. } => StatusCode::UNAUTHORIZED,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(source) = &self {
            tracing::error!(error = %ErrorChain(source.as_ref()), "internal error");
        }
        if let AppError::Unavailable(source) = &self {
            tracing::warn!(error = %ErrorChain(source.as_ref()), "database unavailable");
            return (
                self.status(),
                [(header::RETRY_AFTER, "2")],
                Json(serde_json::json!({ "error": self.to_string() })),
            )
                .into_response();
        }
        let mut body = serde_json::json!({ "error": self.to_string() });
        match &self {
            AppError::WrongPasscode { remaining_attempts } => {
                body["remainingAttempts"] = (*remaining_attempts).into();
            }
            AppError::TooManyRequests { retry_after_secs } => {
                return (self.status(), [(header::RETRY_AFTER, retry_after_secs.to_string())], Json(body))
                    .into_response();
            }
            _ => {}
        }
        (self.status(), Json(body)).into_response()
    }
}

pub const RELAY_FULL: &str = "This relay is full: it cannot keep another share now. Try again later, with a shorter expiry, or ask its operator.";

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Full => AppError::StorageFull(RELAY_FULL.to_owned()),
            StoreError::Unavailable(source) => AppError::Unavailable(source),
            err => AppError::Internal(Box::new(err)),
        }
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        // The body limit surfaces as a rejection while buffering; keep its 413.
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return AppError::PayloadTooLarge;
        }
        let message = match rejection {
            JsonRejection::MissingJsonContentType(_) => {
                "The request must have Content-Type: application/json.".to_owned()
            }
            // serde names the field: "missing field `exp`", "invalid type: string …".
            JsonRejection::JsonDataError(err) => format!(
                "The request body has a missing or wrongly typed field: {}",
                err.body_text().trim_start_matches("Failed to deserialize the JSON body into the target type: ")
            ),
            _ => "The request body is not valid JSON.".to_owned(),
        };
        AppError::BadRequest(message)
    }
}

impl From<QueryRejection> for AppError {
    fn from(_: QueryRejection) -> Self {
        AppError::BadRequest("The query string could not be read.".to_owned())
    }
}

/// Displays an error with all its sources, for logs and start-up failures.
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(err) = source {
            write!(f, ": {err}")?;
            source = err.source();
        }
        Ok(())
    }
}
