//! The file-serving side of SMART Health Links with flag `U`:
//! `GET /shl/{id}?recipient=<name>` answers the JWE itself.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;

use super::is_token;
use crate::AppState;
use crate::error::AppError;

const MAX_RECIPIENT_CHARS: usize = 200;

#[derive(Deserialize)]
pub struct FetchQuery {
    recipient: Option<String>,
}

pub async fn fetch(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<FetchQuery>, QueryRejection>,
) -> Result<impl IntoResponse, AppError> {
    let Query(query) = query?;
    let recipient = valid_recipient(query.recipient.as_deref())?;
    if !is_token(&id) {
        return Err(AppError::LinkInactive);
    }
    let jwe = state
        .store
        .fetch_for_recipient(&id, recipient, (state.clock)())
        .await?
        .ok_or(AppError::LinkInactive)?;
    Ok(([(header::CONTENT_TYPE, "application/jose")], jwe))
}

fn valid_recipient(recipient: Option<&str>) -> Result<&str, AppError> {
    let recipient = recipient.map(str::trim).unwrap_or_default();
    if recipient.is_empty() {
        return Err(AppError::BadRequest(
            "recipient is required: say who is opening this link.".to_owned(),
        ));
    }
    if recipient.chars().count() > MAX_RECIPIENT_CHARS {
        return Err(AppError::BadRequest(format!(
            "recipient must be at most {MAX_RECIPIENT_CHARS} characters."
        )));
    }
    // The name is shown to the patient in the access log; control characters could
    // disguise it there.
    if recipient.chars().any(char::is_control) {
        return Err(AppError::BadRequest(
            "recipient must not contain control characters.".to_owned(),
        ));
    }
    Ok(recipient)
}
