//! The patient's device and its own relay: uploading ciphertext, then watching and controlling
//! each share with its management secret. Keys never appear here.

use health_binder_core::share::PreparedShare;
use serde::{Deserialize, Serialize};

use crate::http::{self, explain, request, send};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewShare<'a> {
    jwe: &'a str,
    exp: i64,
    flag: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    passcode: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_uses: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedShare {
    pub id: String,
    pub path: String,
    pub management_secret: String,
}

pub async fn create_share(prepared: &PreparedShare) -> Result<CreatedShare, String> {
    let options = &prepared.options;
    let body = serde_json::to_string(&NewShare {
        jwe: &prepared.jwe,
        exp: options.expires_at.timestamp(),
        flag: options.flag(),
        passcode: options.passcode.as_deref(),
        max_uses: options.max_uses,
    })
    .map_err(|e| e.to_string())?;
    let response = send("/api/shares", &request("POST", Some(&body), None)).await?;
    if !response.ok() {
        return Err(explain(&response).await);
    }
    http::json(&response).await
}

/// What the relay knows of a share; only the device holding the management secret may ask.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareStatus {
    pub active: bool,
    #[serde(default)]
    pub paused: bool,
    #[serde(default)]
    pub uses: u32,
    #[serde(default)]
    pub remaining_attempts: Option<u32>,
    #[serde(default)]
    pub access_log: Vec<Access>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Access {
    /// Seconds since the epoch.
    pub at: i64,
    pub recipient: String,
    /// "served", "wrong-passcode" or "inactive".
    #[serde(default)]
    pub outcome: Option<String>,
}

const GONE: &str = "The relay no longer knows this share: it was purged after it ended.";

fn manage_url(relay_id: &str, action: &str) -> String {
    format!("/api/shares/{relay_id}{action}")
}

pub async fn share_status(relay_id: &str, secret: &str) -> Result<ShareStatus, String> {
    let response = send(&manage_url(relay_id, ""), &request("GET", None, Some(secret))).await?;
    match response.status() {
        200 => http::json(&response).await,
        404 => Err(GONE.to_owned()),
        _ => Err(explain(&response).await),
    }
}

/// What the patient can do to a share.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Control {
    Pause,
    Resume,
    Revoke,
}

pub async fn control(relay_id: &str, secret: &str, what: Control) -> Result<(), String> {
    let (method, action) = match what {
        Control::Pause => ("POST", "/pause"),
        Control::Resume => ("POST", "/resume"),
        Control::Revoke => ("DELETE", ""),
    };
    let response = send(&manage_url(relay_id, action), &request(method, None, Some(secret))).await?;
    match (response.status(), what) {
        (204, _) => Ok(()),
        // Already gone at the relay is as good as revoked.
        (404, Control::Revoke) => Ok(()),
        (404, _) => Err(GONE.to_owned()),
        _ => Err(explain(&response).await),
    }
}
