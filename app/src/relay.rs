//! The patient's device and its own relay: uploading ciphertext, then watching and controlling
//! each share with its management secret. Keys never appear here.

use health_binder_core::share::PreparedShare;
use serde::{Deserialize, Serialize};

use crate::http::{self, explain, request, send};
use crate::i18n::tf;

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
    /// The clinician's viewer, on an origin of its own (the relay knows where).
    pub viewer: String,
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

/// What a new share may ask for at this relay (`GET /api/limits`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareLimits {
    pub max_ttl_secs: i64,
    /// The relay's clock, Unix seconds.
    pub now: i64,
}

pub async fn share_limits() -> Result<ShareLimits, String> {
    let response = send("/api/limits", &request("GET", None, None)).await?;
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

/// Where a share is managed: at the relay that keeps it, the origin of its own link (which may
/// not be this app's: a binder restored from a backup made elsewhere, a relay that moved), never
/// wherever the app happens to be served from.
struct Home<'a> {
    origin: &'a str,
    relay_id: &'a str,
}

impl<'a> Home<'a> {
    fn of(share_url: &'a str, relay_id: &'a str) -> Self {
        Self { origin: origin_of(share_url), relay_id }
    }

    fn url(&self, action: &str) -> String {
        format!("{}/api/shares/{}{action}", self.origin, self.relay_id)
    }

    /// The relay's name as the patient can recognise it.
    fn host(&self) -> &'a str {
        self.origin.split_once("://").map_or(self.origin, |(_, host)| host)
    }

    fn unreachable(&self) -> String {
        tf("Could not reach {relay}, which keeps this share. Nothing was changed.", &[("relay", self.host())])
    }

    fn unknown(&self) -> String {
        tf("{relay} does not know this share. Nothing was changed.", &[("relay", self.host())])
    }

    async fn send(&self, action: &str, method: &str, secret: &str) -> Result<web_sys::Response, String> {
        send(&self.url(action), &request(method, None, Some(secret))).await.map_err(|_| self.unreachable())
    }
}

/// `https://relay.example` of `https://relay.example/shl/abc`; empty (this app's own origin)
/// for a URL without one.
fn origin_of(url: &str) -> &str {
    let Some((scheme, rest)) = url.split_once("://") else { return "" };
    let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    &url[..scheme.len() + 3 + host_len]
}

pub async fn share_status(share_url: &str, relay_id: &str, secret: &str) -> Result<ShareStatus, String> {
    let home = Home::of(share_url, relay_id);
    let response = home.send("", "GET", secret).await?;
    match response.status() {
        200 => http::json(&response).await,
        404 => Err(home.unknown()),
        _ => Err(explain(&response).await),
    }
}

/// A reply as the relay keeps it: ciphertext, to open with the share's reply key.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelayReply {
    pub id: String,
    /// Seconds since the epoch.
    pub received_at: i64,
    pub jwe: String,
}

#[derive(Deserialize)]
struct Replies {
    replies: Vec<RelayReply>,
}

/// The replies a share's relay holds for it.
pub async fn fetch_replies(share_url: &str, relay_id: &str, secret: &str) -> Result<Vec<RelayReply>, String> {
    let home = Home::of(share_url, relay_id);
    let response = home.send("/replies", "GET", secret).await?;
    match response.status() {
        200 => http::json::<Replies>(&response).await.map(|r| r.replies),
        404 => Err(home.unknown()),
        _ => Err(explain(&response).await),
    }
}

/// Deletes a reply at the relay once it is kept in the vault.
pub async fn delete_reply(share_url: &str, relay_id: &str, secret: &str, reply: &str) -> Result<(), String> {
    let home = Home::of(share_url, relay_id);
    let response = home.send(&format!("/replies/{reply}"), "DELETE", secret).await?;
    match response.status() {
        204 | 404 => Ok(()),
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

/// Only a 204 from the share's own relay counts: an unknown share or an unreachable relay is
/// said as such, never taken for "revoked", since the link may still work.
pub async fn control(share_url: &str, relay_id: &str, secret: &str, what: Control) -> Result<(), String> {
    let (method, action) = match what {
        Control::Pause => ("POST", "/pause"),
        Control::Resume => ("POST", "/resume"),
        Control::Revoke => ("DELETE", ""),
    };
    let home = Home::of(share_url, relay_id);
    let response = home.send(action, method, secret).await?;
    match response.status() {
        204 => Ok(()),
        404 => Err(home.unknown()),
        _ => Err(explain(&response).await),
    }
}
