//! The viewer as a SMART Health Links receiver: `GET url?recipient=…` for `U` links, the manifest
//! (`POST url`, then each file `embedded` or fetched from its `location`) otherwise — from our
//! relay or any other SHL server.

use health_binder_core::shl::ShlPayload;
use serde::{Deserialize, Serialize};

use crate::http::{self, explain, request, send};

#[derive(Debug, PartialEq)]
pub enum OpenError {
    /// Expired, revoked, paused, used up, locked or unknown: servers do not say which.
    Inactive,
    WrongPasscode {
        remaining: Option<u32>,
    },
    Other(String),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ManifestRequest<'a> {
    recipient: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    passcode: Option<&'a str>,
}

#[derive(Deserialize)]
struct Manifest {
    files: Vec<ManifestFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ManifestFile {
    content_type: String,
    #[serde(default)]
    embedded: Option<String>,
    #[serde(default)]
    location: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Unauthorized {
    remaining_attempts: Option<u32>,
}

/// The encrypted FHIR files behind a link, for `recipient` (and `passcode` on `P` links).
pub async fn fetch_files(link: &ShlPayload, recipient: &str, passcode: Option<&str>) -> Result<Vec<String>, OpenError> {
    if link.has_flag('U') {
        let separator = if link.url.contains('?') { '&' } else { '?' };
        let address = format!("{}{separator}recipient={}", link.url, js_sys::encode_uri_component(recipient));
        return Ok(vec![fetch_jwe(&address).await?]);
    }
    let body =
        serde_json::to_string(&ManifestRequest { recipient, passcode }).map_err(|e| OpenError::Other(e.to_string()))?;
    let response = send(&link.url, &request("POST", Some(&body), None)).await.map_err(OpenError::Other)?;
    match response.status() {
        200 => {}
        401 => {
            let remaining = http::json::<Unauthorized>(&response).await.ok().and_then(|u| u.remaining_attempts);
            return Err(OpenError::WrongPasscode { remaining });
        }
        404 => return Err(OpenError::Inactive),
        _ => return Err(OpenError::Other(explain(&response).await)),
    }
    let manifest: Manifest = http::json(&response).await.map_err(OpenError::Other)?;
    let mut files = Vec::new();
    for file in manifest.files.into_iter().filter(|f| f.content_type == "application/fhir+json") {
        match (file.embedded, file.location) {
            (Some(jwe), _) => files.push(jwe),
            (None, Some(location)) => files.push(fetch_jwe(&location).await?),
            (None, None) => {}
        }
    }
    Ok(files)
}

async fn fetch_jwe(address: &str) -> Result<String, OpenError> {
    let response = send(address, &request("GET", None, None)).await.map_err(OpenError::Other)?;
    match response.status() {
        200 => http::text(&response).await.map_err(OpenError::Other),
        404 => Err(OpenError::Inactive),
        _ => Err(OpenError::Other(explain(&response).await)),
    }
}
