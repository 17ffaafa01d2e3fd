//! The few `fetch` calls the app makes, through web-sys: an HTTP client crate would cost more
//! wasm than it saves code.

use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

use crate::i18n::{t, tf};

fn offline() -> String {
    t("The server could not be reached. Check the connection and try again.").to_owned()
}

fn unreadable() -> String {
    t("The server's answer could not be read.").to_owned()
}

/// A request: method, and optionally a JSON body and a bearer secret (always in a header, never
/// in the URL, since URLs end up in logs).
pub fn request(method: &str, json: Option<&str>, bearer: Option<&str>) -> RequestInit {
    let init = RequestInit::new();
    init.set_method(method);
    if let Ok(headers) = web_sys::Headers::new() {
        if json.is_some() {
            let _ = headers.set("content-type", "application/json");
        }
        if let Some(secret) = bearer {
            let _ = headers.set("authorization", &format!("Bearer {secret}"));
        }
        init.set_headers(&headers);
    }
    if let Some(body) = json {
        init.set_body(&JsValue::from_str(body));
    }
    init
}

pub async fn send(url: &str, init: &RequestInit) -> Result<Response, String> {
    let window = web_sys::window().ok_or_else(offline)?;
    let response = JsFuture::from(window.fetch_with_str_and_init(url, init)).await.map_err(|_| offline())?;
    response.dyn_into().map_err(|_| offline())
}

pub async fn text(response: &Response) -> Result<String, String> {
    let promise = response.text().map_err(|_| unreadable())?;
    let text = JsFuture::from(promise).await.map_err(|_| unreadable())?;
    Ok(text.as_string().unwrap_or_default())
}

pub async fn json<T: for<'de> Deserialize<'de>>(response: &Response) -> Result<T, String> {
    serde_json::from_slice(text(response).await?.as_bytes()).map_err(|_| unreadable())
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

/// The server's own words for a refusal (the relay speaks English), or its status when it gave none.
pub async fn explain(response: &Response) -> String {
    json::<ErrorBody>(response).await.map(|body| body.error).unwrap_or_else(|_| {
        tf("The server answered with an error ({status}).", &[("status", &response.status().to_string())])
    })
}
