//! The receiver side of SMART Health Links:
//! - `GET /shl/{id}?recipient=<name>` answers the JWE itself (flag-U links only);
//! - `POST /shl/{id}` answers a manifest (any flag), checking the passcode of P links;
//! - `GET /shl/{id}/file/{token}` answers a file a manifest pointed to by `location`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::AppError;
use crate::ids::{Secret, ShareId};
use crate::json_int;
use crate::passcode;
use crate::rate_limit::ClientIp;
use crate::store::{OpenStart, PasscodeCheck, PasscodeResult, ServedFile};

const MAX_RECIPIENT_CHARS: usize = 200;
const MAX_PASSCODE_CHARS: usize = 200;

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
    let id = ShareId::parse(&id).ok_or(AppError::LinkInactive)?;
    let file = state.store.fetch_for_recipient(&id, recipient, (state.clock)()).await?.ok_or(AppError::LinkInactive)?;
    Ok(jose(file))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestRequest {
    recipient: Option<String>,
    passcode: Option<String>,
    #[serde(default, deserialize_with = "json_int::optional")]
    embedded_length_max: Option<u64>,
}

#[derive(Serialize)]
pub struct Manifest {
    files: Vec<ManifestFile>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestFile {
    content_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    embedded: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
}

pub async fn manifest(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Json<ManifestRequest>, JsonRejection>,
) -> Result<Json<Manifest>, AppError> {
    let Json(request) = body?;
    let recipient = valid_recipient(request.recipient.as_deref())?.to_owned();
    if request.passcode.as_ref().is_some_and(|p| p.chars().count() > MAX_PASSCODE_CHARS) {
        return Err(AppError::BadRequest(format!("passcode must be at most {MAX_PASSCODE_CHARS} characters.")));
    }
    let id = ShareId::parse(&id).ok_or(AppError::LinkInactive)?;
    // Worked out before anything is counted, so a request that cannot be answered does
    // not spend a use or a passcode attempt.
    let base = match request.embedded_length_max {
        Some(_) => Some(location_base(&state, &headers, &uri)?),
        None => None,
    };
    // Only requests that carry a passcode are guesses worth limiting; one without costs
    // no hashing and still spends the link's attempt budget.
    if request.passcode.is_some() {
        state.passcode_limiter.check(client).await?;
    }

    let now = (state.clock)();
    let file = match state.store.begin_manifest(&id, &recipient, now).await? {
        OpenStart::Inactive => return Err(AppError::LinkInactive),
        OpenStart::Served(file) => file,
        OpenStart::PasscodeReserved { passcode_hash, attempts_left } => {
            // Spawned so that the reserved attempt is settled (refunded or logged) even
            // if the client disconnects while the hash is computed.
            let task = tokio::spawn(check_passcode(
                state.clone(),
                id.clone(),
                recipient.clone(),
                request.passcode,
                passcode_hash,
            ));
            match task.await.map_err(|err| AppError::Internal(Box::new(err)))?? {
                PasscodeResult::Served(file) => file,
                // What this request's own reservation left, so parallel guesses each
                // see a distinct count.
                PasscodeResult::Wrong => {
                    return Err(AppError::WrongPasscode { remaining_attempts: attempts_left });
                }
                PasscodeResult::Inactive => return Err(AppError::LinkInactive),
                PasscodeResult::NotChecked => {
                    return Err(AppError::Internal("the passcode check answered nothing".into()));
                }
            }
        }
    };

    let embed = request.embedded_length_max.is_none_or(|max| file.jwe.len() as u64 <= max);
    let entry = match base {
        Some(base) if !embed => {
            let token = Secret::random().map_err(|err| AppError::Internal(Box::new(err)))?;
            let expires_at = now.saturating_add(state.limits.location_ttl_secs);
            state.store.issue_location(&id, &token.hash(), &recipient, expires_at).await?;
            ManifestFile {
                content_type: file.content_type,
                embedded: None,
                location: Some(format!("{base}/shl/{id}/file/{}", token.reveal())),
            }
        }
        _ => ManifestFile { content_type: file.content_type, embedded: Some(file.jwe), location: None },
    };
    Ok(Json(Manifest { files: vec![entry] }))
}

/// The second half of a passcode-protected manifest request. An attempt was reserved
/// (taken from the budget) in `begin_manifest`, in one transaction with the liveness
/// check, so parallel guesses can never spend more than the budget. The slow Argon2
/// check runs here, outside the database lock, and `finish_manifest` refunds the attempt
/// when the passcode was right. A missing passcode is a wrong one.
async fn check_passcode(
    state: AppState,
    id: ShareId,
    recipient: String,
    presented: Option<String>,
    passcode_hash: String,
) -> Result<PasscodeResult, AppError> {
    let checked = match presented {
        None => Ok(false),
        Some(presented) => verify_passcode(&state, presented, passcode_hash).await,
    };
    let check = match &checked {
        Ok(true) => PasscodeCheck::Right,
        Ok(false) => PasscodeCheck::Wrong,
        // Not the receiver's fault: the reserved attempt is given back.
        Err(_) => PasscodeCheck::Failed,
    };
    let result = state.store.finish_manifest(&id, &recipient, (state.clock)(), check).await?;
    checked.map(|_| result)
}

async fn verify_passcode(state: &AppState, presented: String, passcode_hash: String) -> Result<bool, AppError> {
    let _slot = state.passcode_slots.acquire().await.map_err(|err| AppError::Internal(Box::new(err)))?;
    tokio::task::spawn_blocking(move || passcode::verify(&presented, &passcode_hash))
        .await
        .map_err(|err| AppError::Internal(Box::new(err)))?
        .map_err(|err| AppError::Internal(Box::new(err)))
}

/// Per-client limit on every request to a link, before anything is looked up or counted.
pub async fn limit_receivers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let ClientIp(client) = ClientIp::from_parts(&parts, &state);
    if let Err(refused) = state.receiver_limiter.check(client).await {
        return refused.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

pub async fn location(
    State(state): State<AppState>,
    Path((id, token)): Path<(String, String)>,
) -> Result<impl IntoResponse, AppError> {
    let (Some(id), Some(token)) = (ShareId::parse(&id), Secret::parse(&token)) else {
        return Err(AppError::LinkInactive);
    };
    let file = state.store.fetch_location(&id, &token.hash(), (state.clock)()).await?.ok_or(AppError::LinkInactive)?;
    Ok(jose(file))
}

fn jose(file: ServedFile) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/jose")], file.jwe)
}

/// Where `location` URLs point: the configured public URL, else `http://` and the
/// request's `Host` (or HTTP/2 authority).
fn location_base(state: &AppState, headers: &HeaderMap, uri: &Uri) -> Result<String, AppError> {
    if let Some(public) = &state.public_url {
        return Ok(public.to_string());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()))
        .filter(|host| !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b)))
        .ok_or_else(|| {
            AppError::BadRequest("The Host header is missing or invalid, so no location URL can be built.".to_owned())
        })?;
    Ok(format!("http://{host}"))
}

/// The rules the OpenAPI document's `Recipient` schema states (a unit test holds the two
/// together): 1-200 characters as sent, not only spaces, none hidden or controlling.
fn valid_recipient(recipient: Option<&str>) -> Result<&str, AppError> {
    let sent = recipient.unwrap_or_default();
    // Counted as sent, before trimming: what a client checks against the schema's maxLength.
    if sent.chars().count() > MAX_RECIPIENT_CHARS {
        return Err(AppError::BadRequest(format!("recipient must be at most {MAX_RECIPIENT_CHARS} characters.")));
    }
    let recipient = sent.trim();
    if recipient.is_empty() {
        return Err(AppError::BadRequest("recipient is required: say who is opening this link.".to_owned()));
    }
    // The name is shown to the patient in the access log. Control characters, bidirectional
    // controls and invisible (format) characters could disguise it there ("Dr Ada" shown for
    // something else); such a name is refused, never silently rewritten, so what the patient
    // reads is what the opener said.
    if recipient.chars().any(char::is_control) {
        return Err(AppError::BadRequest("recipient must not contain control characters.".to_owned()));
    }
    if recipient.chars().any(is_format_character) {
        return Err(AppError::BadRequest(
            "recipient must not contain invisible or text-direction characters.".to_owned(),
        ));
    }
    Ok(recipient)
}

/// Unicode's format characters (general category Cf, Unicode 15): zero-width spaces and
/// joiners, the bidirectional embeddings, overrides and isolates, the byte-order mark, tags,
/// and a few others that change how text looks without showing themselves.
const FORMAT_CHARACTERS: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

fn is_format_character(c: char) -> bool {
    let c = u32::from(c);
    FORMAT_CHARACTERS.iter().any(|&(first, last)| (first..=last).contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_hidden_or_direction_characters_are_refused_and_others_kept() {
        for name in ["Dr Ada\u{202E}rekam", "Dr\u{200B}Ada", "\u{2067}Dr Ada", "Dr Ada\u{FEFF}", "Ada\u{E0041}"] {
            assert!(valid_recipient(Some(name)).is_err(), "{name:?}");
        }
        for name in ["Dr Ada Lovelace", "د. أحمد", "Zoë O'Brien-Łukasz", "王医生"] {
            let kept = valid_recipient(Some(name));
            assert_eq!(kept.ok(), Some(name), "{name:?}");
        }
    }

    /// The OpenAPI document says exactly which names the relay takes: for every character, a
    /// name holding it is accepted by the relay if and only if it matches the schema's pattern
    /// (so a generated client never sends a valid-looking name that is refused, nor the reverse).
    #[test]
    fn the_documented_recipient_pattern_is_what_the_relay_accepts() {
        let doc: serde_json::Value = serde_json::from_str(crate::openapi::DOCUMENT).unwrap();
        let schema = &doc["components"]["schemas"]["Recipient"];
        let max = schema["maxLength"].as_u64().unwrap() as usize;
        assert_eq!(max, MAX_RECIPIENT_CHARS);
        assert_eq!(schema["minLength"], 1);
        let pattern = regex::Regex::new(schema["pattern"].as_str().unwrap()).unwrap();
        let documented = |name: &str| name.chars().count() <= max && pattern.is_match(name);
        let accepted = |name: &str| valid_recipient(Some(name)).is_ok();
        // Every character of the Basic Multilingual Plane (where every space and control is),
        // inside a name, alone and between spaces; beyond it, every refused character and its
        // neighbours, and every 17th of the rest (a debug build matches about 100 000 a second).
        let near_refused =
            |c: u32| FORMAT_CHARACTERS.iter().any(|&(first, last)| (first.saturating_sub(1)..=last + 1).contains(&c));
        let mut name = String::new();
        let chars = (0..=0x10FFFFu32).filter(|&c| c <= 0xFFFF || c % 17 == 0 || near_refused(c));
        for c in chars.filter_map(char::from_u32) {
            let forms: &[(&str, &str)] =
                if u32::from(c) <= 0xFFFF { &[("Dr", "Ada"), ("", ""), (" ", " ")] } else { &[("Dr", "Ada")] };
            for (before, after) in forms {
                name.clear();
                name.push_str(before);
                name.push(c);
                name.push_str(after);
                assert_eq!(documented(&name), accepted(&name), "{name:?} (U+{:04X})", u32::from(c));
            }
        }
        for name in ["", " ", " \t ", &"a".repeat(200), &"a".repeat(201), &format!(" {} ", "a".repeat(198))] {
            assert_eq!(documented(name), accepted(name), "{name:?}");
        }
    }
}
