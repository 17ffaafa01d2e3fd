//! Managing a share at the relay that keeps it, from an app served by another origin: a
//! share made before a move to a new domain, or restored from a backup made elsewhere, is
//! managed at the origin of its own link, never at the app's.
//!
//! On the relay that keeps shares: CORS on the management endpoints for the app origins it is
//! configured to serve (`--app-origins`), never `*`: the bearer secret is what authorises, but
//! a page on any other origin has no business asking. On the relay serving the app: its
//! Content-Security-Policy's `connect-src` lists the other relays it may talk to
//! (`--app-connect-src`); by default only itself.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// CORS for `GET`/`DELETE /api/shares/{id}` and `POST …/pause|resume` with `Authorization`,
/// for exactly `origins`. `None` when there are none: the endpoints stay same-origin.
pub fn management_cors(origins: &[String]) -> Option<CorsLayer> {
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|origin| HeaderValue::from_str(origin).ok()).collect();
    if origins.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::DELETE])
            .allow_headers([header::AUTHORIZATION])
            .max_age(Duration::from_secs(600)),
    )
}

/// Adds `sources` to the `connect-src` of the app's pages (not the viewer's, which has its
/// own setting): the response's CSP, set by [`crate::security_headers`], is extended.
pub fn extend_app_connect_src(sources: &str, viewer: bool, headers: &mut HeaderMap) {
    if viewer || sources.is_empty() {
        return;
    }
    let extended = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|csp| csp.to_str().ok())
        .map(|csp| csp.replacen("connect-src 'self'", &format!("connect-src 'self' {sources}"), 1))
        .and_then(|csp| HeaderValue::from_str(&csp).ok());
    if let Some(csp) = extended {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
}
