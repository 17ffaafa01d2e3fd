//! Talking to the relay: uploading ciphertext, and fetching it back for the viewer. Keys never
//! appear here: only the encrypted file, its expiry and the recipient's name travel.
//! (Plain `fetch` through web-sys: an HTTP client crate would cost more wasm than it saves code.)

use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

#[derive(Serialize)]
struct NewShare<'a> {
    jwe: &'a str,
    exp: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedShare {
    pub id: String,
    pub path: String,
    pub management_secret: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

#[derive(Debug, PartialEq)]
pub enum FetchError {
    /// Expired, revoked or unknown: the relay does not say which.
    Inactive,
    Other(String),
}

const OFFLINE: &str = "The relay could not be reached. Check the connection and try again.";

async fn send(url: &str, init: &RequestInit) -> Result<Response, String> {
    let window = web_sys::window().ok_or(OFFLINE)?;
    let response = JsFuture::from(window.fetch_with_str_and_init(url, init)).await.map_err(|_| OFFLINE.to_owned())?;
    response.dyn_into().map_err(|_| OFFLINE.to_owned())
}

async fn body_text(response: &Response) -> Result<String, String> {
    let promise = response.text().map_err(|_| "The relay's answer could not be read.".to_owned())?;
    let text = JsFuture::from(promise).await.map_err(|_| "The relay's answer could not be read.".to_owned())?;
    Ok(text.as_string().unwrap_or_default())
}

/// The relay's own words for a refusal, or the status when it gave none.
async fn explain(response: &Response) -> String {
    let text = body_text(response).await.unwrap_or_default();
    serde_json::from_slice::<ErrorBody>(text.as_bytes())
        .map(|body| body.error)
        .unwrap_or_else(|_| format!("The relay answered with an error ({}).", response.status()))
}

pub async fn create_share(jwe: &str, exp: i64) -> Result<CreatedShare, String> {
    let init = RequestInit::new();
    init.set_method("POST");
    let headers = web_sys::Headers::new().map_err(|_| OFFLINE.to_owned())?;
    let _ = headers.set("content-type", "application/json");
    init.set_headers(&headers);
    let body = serde_json::to_string(&NewShare { jwe, exp }).map_err(|e| e.to_string())?;
    init.set_body(&JsValue::from_str(&body));
    let response = send("/api/shares", &init).await?;
    if !response.ok() {
        return Err(explain(&response).await);
    }
    serde_json::from_slice(body_text(&response).await?.as_bytes())
        .map_err(|_| "The relay's answer was not understood.".to_owned())
}

/// What the relay knows of a share: only the patient's device, holding the management secret,
/// may ask.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareStatus {
    pub active: bool,
    #[serde(default)]
    pub access_log: Vec<Access>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Access {
    /// Seconds since the epoch.
    pub at: i64,
    pub recipient: String,
    /// "served", or why it was refused (newer relays).
    #[serde(default)]
    pub outcome: Option<String>,
}

fn managed(method: &str, secret: &str) -> Result<RequestInit, String> {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(|_| OFFLINE.to_owned())?;
    // The secret goes in a header, never in the URL: URLs end up in logs.
    let _ = headers.set("authorization", &format!("Bearer {secret}"));
    init.set_headers(&headers);
    Ok(init)
}

const GONE: &str = "The relay no longer knows this share: it has been purged after expiring.";

pub async fn share_status(relay_id: &str, secret: &str) -> Result<ShareStatus, String> {
    let response = send(&format!("/api/shares/{relay_id}"), &managed("GET", secret)?).await?;
    match response.status() {
        200 => serde_json::from_slice(body_text(&response).await?.as_bytes())
            .map_err(|_| "The relay's answer was not understood.".to_owned()),
        404 => Err(GONE.to_owned()),
        _ => Err(explain(&response).await),
    }
}

pub async fn revoke(relay_id: &str, secret: &str) -> Result<(), String> {
    let response = send(&format!("/api/shares/{relay_id}"), &managed("DELETE", secret)?).await?;
    match response.status() {
        // Already gone at the relay is as good as revoked.
        204 | 404 => Ok(()),
        _ => Err(explain(&response).await),
    }
}

/// `GET url?recipient=…` of a `U` link: the encrypted file.
pub async fn fetch_file(url: &str, recipient: &str) -> Result<String, FetchError> {
    let separator = if url.contains('?') { '&' } else { '?' };
    let address = format!("{url}{separator}recipient={}", js_sys::encode_uri_component(recipient));
    let response = send(&address, &RequestInit::new()).await.map_err(FetchError::Other)?;
    match response.status() {
        200 => body_text(&response).await.map_err(FetchError::Other),
        404 => Err(FetchError::Inactive),
        _ => Err(FetchError::Other(explain(&response).await)),
    }
}
