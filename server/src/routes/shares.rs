//! Creating and managing shares: `POST /api/shares`, `GET` and `DELETE /api/shares/{id}`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{is_base64url_byte, is_token};
use crate::AppState;
use crate::error::AppError;
use crate::store::{NewShare, SecretHash, ShareInfo};

/// The earliest allowed expiry, from now: a shorter link could not even be scanned.
const MIN_TTL_SECS: i64 = 60;

#[derive(Deserialize)]
pub struct CreateShare {
    jwe: String,
    exp: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    id: String,
    path: String,
    management_secret: String,
    exp: i64,
}

pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<CreateShare>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let Json(CreateShare { jwe, exp }) = body?;
    if !is_compact_jwe(&jwe) {
        return Err(AppError::BadRequest(
            "jwe must be a compact JWE: five base64url parts separated by dots.".to_owned(),
        ));
    }
    let now = (state.clock)();
    let max_ttl = state.limits.max_ttl_secs;
    if exp <= now.saturating_add(MIN_TTL_SECS) || exp > now.saturating_add(max_ttl) {
        return Err(AppError::BadRequest(format!(
            "expiry must be between 1 minute and {} from now",
            describe_duration(max_ttl)
        )));
    }
    let id = random_token()?;
    let secret = random_token()?;
    state
        .store
        .create(NewShare {
            id: id.clone(),
            jwe,
            exp,
            created_at: now,
            manage_hash: hash_secret(&secret),
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            path: format!("/shl/{id}"),
            id,
            management_secret: secret,
            exp,
        }),
    ))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareView {
    id: String,
    exp: i64,
    created_at: i64,
    revoked_at: Option<i64>,
    active: bool,
    access_log: Vec<AccessView>,
}

#[derive(Serialize)]
pub struct AccessView {
    at: i64,
    recipient: String,
}

impl ShareView {
    fn new(info: ShareInfo, now: i64) -> Self {
        Self {
            active: info.is_live(now),
            id: info.id,
            exp: info.exp,
            created_at: info.created_at,
            revoked_at: info.revoked_at,
            access_log: info
                .access_log
                .into_iter()
                .map(|entry| AccessView {
                    at: entry.at,
                    recipient: entry.recipient,
                })
                .collect(),
        }
    }
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<ShareView>, AppError> {
    let secret_hash = authorised(&id, &headers)?;
    let info = state
        .store
        .get_manage(&id, &secret_hash)
        .await?
        .ok_or(AppError::ShareNotFound)?;
    Ok(Json(ShareView::new(info, (state.clock)())))
}

pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    let secret_hash = authorised(&id, &headers)?;
    if state
        .store
        .revoke(&id, &secret_hash, (state.clock)())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::ShareNotFound)
    }
}

/// Answers 413 from the declared length before reading the body; a body without a length
/// (chunked) is still cut off by the body limit while it is read.
pub async fn reject_declared_oversize(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|len| len > state.limits.max_upload_bytes as u64) {
        return AppError::PayloadTooLarge.into_response();
    }
    next.run(req).await
}

/// The hash of the bearer secret, if the request has a plausible one. Every failure is
/// the same 404 as an unknown id.
fn authorised(id: &str, headers: &HeaderMap) -> Result<SecretHash, AppError> {
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|_| is_token(id))
        .ok_or(AppError::ShareNotFound)?;
    Ok(hash_secret(secret))
}

fn hash_secret(secret: &str) -> SecretHash {
    Sha256::digest(secret.as_bytes()).into()
}

fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| AppError::Internal(Box::new(err)))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Five dot-separated base64url parts: header, encrypted key (empty for `alg: dir`),
/// IV, ciphertext and tag. The relay cannot check more without the key, and need not.
fn is_compact_jwe(jwe: &str) -> bool {
    let parts: Vec<&str> = jwe.split('.').collect();
    parts.len() == 5
        && parts
            .iter()
            .enumerate()
            .all(|(i, part)| (i == 1 || !part.is_empty()) && part.bytes().all(is_base64url_byte))
}

fn describe_duration(secs: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match secs {
        s if s % 86_400 == 0 => plural(s / 86_400, "day"),
        s if s % 3_600 == 0 => plural(s / 3_600, "hour"),
        s if s % 60 == 0 => plural(s / 60, "minute"),
        s => plural(s, "second"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_jwe_shapes() {
        assert!(is_compact_jwe("eyJhbGciOiJkaXIifQ..aXY.Y3Q.dGFn"));
        assert!(is_compact_jwe("aGRy.a2V5.aXY.Y3Q.dGFn"));
        assert!(!is_compact_jwe("aGRy..aXY.Y3Q"));
        assert!(!is_compact_jwe("aGRy..aXY..dGFn"));
        assert!(!is_compact_jwe("aGRy..aXY.Y3Q=.dGFn"));
        assert!(!is_compact_jwe("aGRy..aXY.Y3Q.dGFn.eHg"));
        assert!(!is_compact_jwe(""));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(describe_duration(2_678_400), "31 days");
        assert_eq!(describe_duration(86_400), "1 day");
        assert_eq!(describe_duration(7_200), "2 hours");
        assert_eq!(describe_duration(90), "90 seconds");
    }
}
