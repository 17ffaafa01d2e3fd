//! Clinicians' replies to a share:
//! - `POST /shl/{id}/replies` — a receiver posts a reply (a compact JWE encrypted to a key only
//!   the patient holds), accepted while the share's reply window is open;
//! - `GET /api/shares/{id}/replies` — the patient's app fetches them (management secret);
//! - `DELETE /api/shares/{id}/replies/{reply}` — and deletes each once kept in the vault.
//!
//! The relay never reads a reply: it checks the shape, the size and the window, and keeps the
//! ciphertext until the patient deletes it or [`KEEP_SECS`] pass.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};

use super::shares::{authorised, describe_bytes, is_compact_jwe};
use crate::AppState;
use crate::error::AppError;
use crate::ids::ShareId;
use crate::rate_limit::ClientIp;
use crate::store::{NewReply, ReplyOutcome, StoredReply};

/// How long a reply is kept when the patient does not fetch and delete it: 30 days.
pub const KEEP_SECS: i64 = 30 * 86_400;
/// Replies one share holds at once: a visit's worth, and a bound on what a leaked link can pile up.
pub const MAX_PER_SHARE: u32 = 20;

#[derive(Deserialize)]
pub struct PostReply {
    jwe: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Posted {
    id: String,
    keep_until: i64,
}

pub async fn post(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Path(id): Path<String>,
    body: Result<Json<PostReply>, JsonRejection>,
) -> Result<(StatusCode, Json<Posted>), AppError> {
    let Json(PostReply { jwe }) = body?;
    if !is_compact_jwe(&jwe) {
        return Err(AppError::BadRequest(
            "jwe must be a compact JWE: five base64url parts separated by dots.".to_owned(),
        ));
    }
    let id = ShareId::parse(&id).ok_or(AppError::RepliesClosed)?;
    let now = (state.clock)();
    let keep_until = now.saturating_add(KEEP_SECS);
    let bytes = jwe.len() as u64;
    // Counted against the sender's byte cap like a share, for as long as it may be kept.
    state.client_bytes.reserve(client, bytes, keep_until, now).map_err(|over| {
        AppError::StorageFull(format!(
            "This relay keeps at most {} from one sender, and this reply would pass it.",
            describe_bytes(over.cap)
        ))
    })?;
    let reply_id = ShareId::random().map_err(|err| AppError::Internal(Box::new(err)))?;
    let reply = NewReply {
        id: reply_id.clone(),
        jwe,
        received_at: now,
        keep_until,
        window_secs: state.limits.reply_window_secs,
        max_per_share: MAX_PER_SHARE,
    };
    let outcome = state.store.add_reply(&id, reply).await;
    if !matches!(outcome, Ok(ReplyOutcome::Stored)) {
        state.client_bytes.release(client, bytes, keep_until);
    }
    match outcome? {
        ReplyOutcome::Stored => Ok((StatusCode::CREATED, Json(Posted { id: reply_id.to_string(), keep_until }))),
        ReplyOutcome::Closed => Err(AppError::RepliesClosed),
        ReplyOutcome::TooMany => Err(AppError::RepliesFull(format!(
            "This link already holds {MAX_PER_SHARE} replies the patient has not fetched yet."
        ))),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplyView {
    id: String,
    received_at: i64,
    keep_until: i64,
    jwe: String,
}

#[derive(Serialize)]
pub struct Replies {
    replies: Vec<ReplyView>,
}

pub async fn list(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Replies>, AppError> {
    let (id, secret_hash) = authorised(&id, &headers)?;
    let replies = state.store.list_replies(&id, &secret_hash).await?.ok_or(AppError::ShareNotFound)?;
    let replies = replies
        .into_iter()
        .map(|StoredReply { id, jwe, received_at, keep_until }| ReplyView { id, received_at, keep_until, jwe })
        .collect();
    Ok(Json(Replies { replies }))
}

pub async fn delete(
    State(state): State<AppState>,
    Path((id, reply)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    let (id, secret_hash) = authorised(&id, &headers)?;
    let reply = ShareId::parse(&reply).ok_or(AppError::ShareNotFound)?;
    if state.store.delete_reply(&id, &secret_hash, &reply).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::ShareNotFound)
    }
}
