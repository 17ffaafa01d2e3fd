//! Talking to the relay: uploading ciphertext, and fetching it back for the viewer. Keys never
//! appear here: only the encrypted file, its expiry and the recipient's name travel.

use gloo_net::http::{Request, Response};
use serde::{Deserialize, Serialize};

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

async fn explain(response: Response) -> String {
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => body.error,
        Err(_) => format!("The relay answered with an error ({status})."),
    }
}

fn offline(err: gloo_net::Error) -> String {
    format!("The relay could not be reached. Check the connection and try again. ({err})")
}

pub async fn create_share(jwe: &str, exp: i64) -> Result<CreatedShare, String> {
    let response = Request::post("/api/shares")
        .json(&NewShare { jwe, exp })
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(offline)?;
    if !response.ok() {
        return Err(explain(response).await);
    }
    response.json().await.map_err(|e| format!("The relay's answer was not understood ({e})."))
}

/// `GET url?recipient=…` of a `U` link: the encrypted file.
pub async fn fetch_file(url: &str, recipient: &str) -> Result<String, FetchError> {
    let separator = if url.contains('?') { '&' } else { '?' };
    let address = format!("{url}{separator}recipient={}", js_sys::encode_uri_component(recipient));
    let response = Request::get(&address).send().await.map_err(|e| FetchError::Other(offline(e)))?;
    match response.status() {
        200 => response.text().await.map_err(|e| FetchError::Other(e.to_string())),
        404 => Err(FetchError::Inactive),
        _ => Err(FetchError::Other(explain(response).await)),
    }
}
