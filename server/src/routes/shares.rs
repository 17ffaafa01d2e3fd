//! Creating and managing shares: `POST /api/shares`, `GET` and `DELETE /api/shares/{id}`,
//! `POST /api/shares/{id}/pause` and `/resume`.

use axum::Json;
use std::net::IpAddr;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::AppError;
use crate::ids::{Flag, Secret, SecretHash, ShareId, is_base64url_byte};
use crate::json_int;
use crate::passcode;
use crate::rate_limit::ClientIp;
use crate::store::{LogPage, NewShare, ShareInfo};

/// The earliest allowed expiry, from now: a shorter link could not even be scanned.
const MIN_TTL_SECS: i64 = 60;

/// Content types a SMART Health Link file may declare.
pub const CONTENT_TYPES: [&str; 3] =
    ["application/fhir+json", "application/smart-health-card", "application/smart-api-access"];
const DEFAULT_ATTEMPTS: u32 = 10;
const MAX_ATTEMPTS: u32 = 100;
const MAX_PASSCODE_CHARS: usize = 200;
const MAX_USES: u32 = 1_000_000;

/// Everything but `jwe` and `exp` is optional; the defaults give a flag-U link without a
/// passcode or use limit, as before these options existed.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateShare {
    jwe: String,
    #[serde(deserialize_with = "json_int::required")]
    exp: i64,
    flag: Option<String>,
    passcode: Option<String>,
    #[serde(default, deserialize_with = "json_int::optional")]
    passcode_attempts: Option<u32>,
    #[serde(default, deserialize_with = "json_int::optional")]
    max_uses: Option<u32>,
    content_type: Option<String>,
}

/// The share's settings once validated.
struct Options {
    flag: Flag,
    passcode: Option<(String, u32)>,
    max_uses: Option<u32>,
    content_type: String,
}

fn validate_options(body: &CreateShare) -> Result<Options, AppError> {
    let bad = |msg: &str| Err(AppError::BadRequest(msg.to_owned()));
    let Some(flag) = body.flag.as_deref().map_or(Some(Flag::U), Flag::parse) else {
        return bad(
            "flag must be \"U\" (direct file), \"\" (manifest) or \"P\" (manifest with passcode); U cannot be combined with P.",
        );
    };
    let passcode = match (flag, &body.passcode) {
        (Flag::P, None) => return bad("passcode is required with flag \"P\"."),
        (Flag::P, Some(passcode)) => {
            if passcode.is_empty() {
                return bad("passcode must not be empty.");
            }
            if passcode.chars().count() > MAX_PASSCODE_CHARS {
                return Err(AppError::BadRequest(format!("passcode must be at most {MAX_PASSCODE_CHARS} characters.")));
            }
            let attempts = body.passcode_attempts.unwrap_or(DEFAULT_ATTEMPTS);
            if !(1..=MAX_ATTEMPTS).contains(&attempts) {
                return Err(AppError::BadRequest(format!("passcodeAttempts must be between 1 and {MAX_ATTEMPTS}.")));
            }
            Some((passcode.clone(), attempts))
        }
        (_, Some(_)) => return bad("passcode is only allowed with flag \"P\"."),
        (_, None) if body.passcode_attempts.is_some() => {
            return bad("passcodeAttempts is only allowed with flag \"P\".");
        }
        (_, None) => None,
    };
    if body.max_uses.is_some_and(|max| !(1..=MAX_USES).contains(&max)) {
        return Err(AppError::BadRequest(format!("maxUses must be between 1 and {MAX_USES}.")));
    }
    let content_type = body.content_type.clone().unwrap_or_else(|| CONTENT_TYPES[0].to_owned());
    if !CONTENT_TYPES.contains(&content_type.as_str()) {
        return Err(AppError::BadRequest(format!("contentType must be one of {}.", CONTENT_TYPES.join(", "))));
    }
    Ok(Options { flag, passcode, max_uses: body.max_uses, content_type })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    id: String,
    path: String,
    management_secret: String,
    exp: i64,
    /// The clinician's viewer, on its own origin (`http://127.0.0.1:8081/view`): the address the
    /// share's link opens in, with the SMART Health Link in its fragment.
    viewer: String,
}

pub async fn create(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Result<Json<CreateShare>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let Json(body) = body?;
    // Browsers always send Host; without one (a bare HTTP/1.0 client) the link stays relative.
    let viewer = format!("{}/view", state.origins.viewer_base(&headers).unwrap_or_default());
    let options = validate_options(&body)?;
    let CreateShare { jwe, exp, .. } = body;
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
    // Before the slow hash: a client over its byte cap costs nothing more.
    let reservation = BytesReservation::take(&state, client, jwe.len() as u64, exp, now)?;
    let (passcode_hash, passcode_attempts) = match options.passcode {
        Some((passcode, attempts)) => {
            let kdf = state.limits.kdf;
            // The same bound as checking passcodes: each hash takes its memory cost.
            let _slot = state.passcode_slots.acquire().await.map_err(|err| AppError::Internal(Box::new(err)))?;
            let hashed = tokio::task::spawn_blocking(move || passcode::hash(&passcode, kdf))
                .await
                .map_err(|err| AppError::Internal(Box::new(err)))?
                .map_err(|err| AppError::Internal(Box::new(err)))?;
            (Some(hashed), Some(attempts))
        }
        None => (None, None),
    };
    let id = ShareId::random().map_err(|err| AppError::Internal(Box::new(err)))?;
    let secret = Secret::random().map_err(|err| AppError::Internal(Box::new(err)))?;
    state
        .store
        .create(NewShare {
            id: id.clone(),
            jwe,
            exp,
            created_at: now,
            manage_hash: secret.hash(),
            flag: options.flag,
            content_type: options.content_type,
            passcode_hash,
            passcode_attempts,
            max_uses: options.max_uses,
        })
        .await?;
    reservation.keep();
    Ok((
        StatusCode::CREATED,
        Json(Created {
            path: format!("/shl/{id}"),
            id: id.to_string(),
            management_secret: secret.reveal().to_owned(),
            exp,
            viewer,
        }),
    ))
}

/// What a new share may ask for, so an app can offer the longest link this relay keeps (a
/// printed wallet card) without guessing: the longest lifetime and the relay's own clock, since
/// the device's may be off.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareLimits {
    max_ttl_secs: i64,
    now: i64,
}

pub async fn limits(State(state): State<AppState>) -> Json<ShareLimits> {
    Json(ShareLimits { max_ttl_secs: state.limits.max_ttl_secs, now: (state.clock)() })
}

/// Bytes counted against a client for a share being created; given back unless the share
/// was stored.
struct BytesReservation<'a> {
    state: &'a AppState,
    client: IpAddr,
    bytes: u64,
    exp: i64,
    kept: bool,
}

impl<'a> BytesReservation<'a> {
    fn take(state: &'a AppState, client: IpAddr, bytes: u64, exp: i64, now: i64) -> Result<Self, AppError> {
        state.client_bytes.reserve(client, bytes, exp, now).map_err(|over| {
            AppError::StorageFull(format!(
                "This relay keeps at most {} of unexpired shares per sender, and this one would pass it. Try again once some of yours have expired.",
                describe_bytes(over.cap)
            ))
        })?;
        Ok(Self { state, client, bytes, exp, kept: false })
    }

    fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for BytesReservation<'_> {
    fn drop(&mut self) {
        if !self.kept {
            self.state.client_bytes.release(self.client, self.bytes, self.exp);
        }
    }
}

pub(crate) fn describe_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareView {
    id: String,
    exp: i64,
    created_at: i64,
    revoked_at: Option<i64>,
    active: bool,
    flag: Flag,
    content_type: String,
    paused: bool,
    uses: u32,
    max_uses: Option<u32>,
    /// `null` for shares without a passcode.
    remaining_attempts: Option<u32>,
    /// One page of the log, oldest first: the newest entries before the `before` asked for.
    access_log: Vec<AccessView>,
    /// Pass as `?before=` to read the next older page; `null` when there is none.
    access_log_before: Option<i64>,
    /// Every access by outcome, also those past the log's cap.
    access_counts: CountsView,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CountsView {
    served: u64,
    wrong_passcode: u64,
    inactive: u64,
}

#[derive(Serialize)]
pub struct AccessView {
    at: i64,
    recipient: String,
    action: &'static str,
    outcome: &'static str,
}

impl ShareView {
    fn new(info: ShareInfo, now: i64) -> Self {
        let live = info.liveness;
        Self {
            active: info.is_live(now),
            id: info.id.to_string(),
            exp: live.exp,
            created_at: info.created_at,
            revoked_at: info.revoked_at,
            flag: info.flag,
            content_type: info.content_type,
            paused: live.paused,
            uses: live.uses,
            max_uses: live.max_uses,
            remaining_attempts: live.attempts_left,
            access_log_before: info.access_log_before,
            access_counts: CountsView {
                served: info.access_counts.served,
                wrong_passcode: info.access_counts.wrong_passcode,
                inactive: info.access_counts.inactive,
            },
            access_log: info
                .access_log
                .into_iter()
                .map(|entry| AccessView {
                    at: entry.at,
                    recipient: entry.recipient,
                    action: entry.action.as_str(),
                    outcome: entry.outcome.as_str(),
                })
                .collect(),
        }
    }
}

/// Access-log entries per page by default, and at most.
const LOG_PAGE: u32 = 100;
const MAX_LOG_PAGE: u32 = 1_000;

#[derive(Deserialize)]
pub struct LogQuery {
    before: Option<i64>,
    limit: Option<u32>,
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    query: Result<Query<LogQuery>, QueryRejection>,
) -> Result<Json<ShareView>, AppError> {
    let (id, secret_hash) = authorised(&id, &headers)?;
    let Query(query) = query?;
    let limit = query.limit.unwrap_or(LOG_PAGE);
    if !(1..=MAX_LOG_PAGE).contains(&limit) {
        return Err(AppError::BadRequest(format!("limit must be between 1 and {MAX_LOG_PAGE}.")));
    }
    let page = LogPage { before: query.before, limit };
    let info = state.store.get_manage(&id, &secret_hash, page).await?.ok_or(AppError::ShareNotFound)?;
    Ok(Json(ShareView::new(info, (state.clock)())))
}

pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    let (id, secret_hash) = authorised(&id, &headers)?;
    if state.store.revoke(&id, &secret_hash, (state.clock)()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::ShareNotFound)
    }
}

pub async fn pause(state: State<AppState>, id: Path<String>, headers: HeaderMap) -> Result<StatusCode, AppError> {
    set_paused(state, id, headers, true).await
}

/// Re-arms a paused share. A revoked, expired, used-up or locked share stays inactive.
pub async fn resume(state: State<AppState>, id: Path<String>, headers: HeaderMap) -> Result<StatusCode, AppError> {
    set_paused(state, id, headers, false).await
}

async fn set_paused(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    paused: bool,
) -> Result<StatusCode, AppError> {
    let (id, secret_hash) = authorised(&id, &headers)?;
    if state.store.set_paused(&id, &secret_hash, paused).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::ShareNotFound)
    }
}

/// Per-client limit on share creation, checked before the body is read.
pub async fn limit_creates(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let ClientIp(client) = ClientIp::from_parts(&parts, &state);
    if let Err(refused) = state.create_limiter.check(client).await {
        return refused.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Answers 413 from the declared length before reading the body; a body without a length
/// (chunked) is still cut off by the body limit while it is read.
pub async fn reject_declared_oversize(State(state): State<AppState>, req: Request, next: Next) -> Response {
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

/// The share id and the hash of the bearer secret, if the request has plausible ones.
/// Every failure is the same 404 as an unknown id.
pub(crate) fn authorised(id: &str, headers: &HeaderMap) -> Result<(ShareId, SecretHash), AppError> {
    let id = ShareId::parse(id).ok_or(AppError::ShareNotFound)?;
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .ok_or(AppError::ShareNotFound)?;
    Ok((id, Secret::presented(secret).hash()))
}

/// Five dot-separated base64url parts: header, encrypted key (empty for `alg: dir`),
/// IV, ciphertext and tag. The relay cannot check more without the key, and need not.
pub(crate) fn is_compact_jwe(jwe: &str) -> bool {
    let parts: Vec<&str> = jwe.split('.').collect();
    parts.len() == 5
        && parts.iter().enumerate().all(|(i, part)| (i == 1 || !part.is_empty()) && part.bytes().all(is_base64url_byte))
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
