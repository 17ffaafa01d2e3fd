//! `Strict-Transport-Security` when the relay is reached over HTTPS (its configured public
//! URL says so): browsers then refuse a downgraded `http://` visit, in which a network
//! attacker could serve a changed app. Behind plain `http://` (local use) it is never sent:
//! browsers ignore it there, and it would say something untrue.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// One year; no `includeSubDomains`, since the relay may share its parent domain with sites
/// it does not speak for.
pub const VALUE: &str = "max-age=31536000";

pub async fn add(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    set(response.headers_mut());
    response
}

pub fn set(headers: &mut HeaderMap) {
    headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(VALUE));
}
