//! The HTTP a SMART Health Links receiver makes, exactly as `core::shl::receive` asks for it —
//! from our relay or any other SHL server. What the answers mean is decided there.

use health_binder_core::shl::receive::{Body, MAX_RESPONSE_BYTES, Request, Response};

use crate::http::{self, request, send};

/// Makes `wanted` and hands back what the server answered; an error only when it could not be
/// reached or read. A body announced as larger than core accepts is not read at all.
pub async fn fetch(wanted: &Request) -> Result<Response, String> {
    let response = send(&wanted.url, &request(wanted.method.as_str(), wanted.json.as_deref(), None)).await?;
    let status = response.status();
    let announced = response.headers().get("content-length").ok().flatten().and_then(|l| l.parse::<usize>().ok());
    if announced.is_some_and(|length| length > MAX_RESPONSE_BYTES) {
        return Ok(Response { status, body: Body::OverLimit });
    }
    Ok(Response { status, body: Body::Text(http::text(&response).await?) })
}
