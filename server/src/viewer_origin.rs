//! The clinician's viewer on an origin of its own.
//!
//! The viewer parses links and documents from anywhere; the patient's app keeps the vault in its
//! origin's storage. Served from one origin, a flaw in the viewer could read that storage. So the
//! relay serves the viewer from a second listener — its own port on one machine, its own host
//! name behind a proxy (`--viewer-public-url`) — whose pages share nothing with the app's: not
//! `localStorage`, not IndexedDB, not the service worker's cache. `/view` on the app's origin
//! redirects there; browsers carry the fragment (the link's key) across a redirect, so links
//! already printed or stored keep working, and the key still never reaches a server.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::error::AppError;
use crate::security_headers::is_viewer_path;
use crate::{AppState, hsts, static_files};

/// Where the app and the viewer are reached, each either at a configured public URL or — on one
/// machine, with no public URL — at the host a browser used, with the other listener's port.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// `https://relay.example`, without a trailing slash.
    pub app_public: Option<Arc<str>>,
    pub app_port: u16,
    /// `https://view.example`, without a trailing slash.
    pub viewer_public: Option<Arc<str>>,
    pub viewer_port: u16,
}

impl Origins {
    /// The viewer's base URL for a browser that reached the app with `host`.
    pub fn viewer_base(&self, headers: &HeaderMap) -> Result<String, AppError> {
        base(self.viewer_public.as_deref(), self.viewer_port, headers)
    }

    /// The app's base URL (where links' files are) for a browser that reached the viewer with `host`.
    pub fn app_base(&self, headers: &HeaderMap) -> Result<String, AppError> {
        base(self.app_public.as_deref(), self.app_port, headers)
    }

    pub fn viewer_is_https(&self) -> bool {
        self.viewer_public.as_deref().is_some_and(|url| url.starts_with("https://"))
    }
}

fn base(public: Option<&str>, port: u16, headers: &HeaderMap) -> Result<String, AppError> {
    if let Some(public) = public {
        return Ok(public.to_owned());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b)))
        .ok_or_else(|| AppError::BadRequest("The Host header is missing or invalid.".to_owned()))?;
    Ok(format!("http://{}:{port}", without_port(host)))
}

/// `127.0.0.1:8080` → `127.0.0.1`, `[::1]:8080` → `[::1]`, `localhost` → `localhost`.
fn without_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// On the app's origin: `/view…` moves to the viewer's origin, path, query and (in the browser)
/// fragment kept. The answer for a viewer path (`req` is one), to be sent instead of the route's.
pub fn redirect_viewer_path(state: &AppState, req: &Request) -> Response {
    let path = req.uri().path();
    let target = req.uri().path_and_query().map_or(path, |pq| pq.as_str());
    match state.origins.viewer_base(req.headers()) {
        Ok(base) => Redirect::to(&format!("{base}{target}")).into_response(),
        Err(err) => err.into_response(),
    }
}

/// The viewer's listener: its pages and assets under `/view`, `/` sends there, nothing else (no
/// API, no links, no patient's app).
pub fn viewer_app(state: AppState) -> Router {
    let dist = Arc::clone(&state.dist);
    let router = Router::new()
        .route("/", get(|| async { Redirect::to("/view") }))
        .fallback(move |req: Request| {
            let dist = Arc::clone(&dist);
            async move {
                if is_viewer_path(req.uri().path()) {
                    static_files::serve(State(dist), req).await
                } else {
                    (StatusCode::NOT_FOUND, "Not found: this address serves only the clinician's viewer.\n")
                        .into_response()
                }
            }
        })
        .layer(from_fn_with_state(state.clone(), viewer_headers));
    let router =
        if state.origins.viewer_is_https() { router.layer(axum::middleware::from_fn(hsts::add)) } else { router };
    crate::with_request_log(router)
}

/// The viewer's security headers: its CSP lets it fetch link files from the app's origin (a
/// different origin now) and from the SMART Health Links servers it is configured for.
async fn viewer_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let app = state.origins.app_base(req.headers()).ok();
    let mut response = crate::security_headers::add(State(Arc::clone(&state.security)), req, next).await;
    if let Some(app) = app
        && let Ok(csp) = HeaderValue::from_str(&state.security.viewer_csp_with(&app))
    {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn without_a_public_url_each_origin_is_the_browsers_host_with_the_other_port() {
        let origins = Origins { app_port: 8080, viewer_port: 8081, ..Origins::default() };
        assert_eq!(origins.viewer_base(&host("127.0.0.1:8080")).unwrap(), "http://127.0.0.1:8081");
        assert_eq!(origins.viewer_base(&host("[::1]:8080")).unwrap(), "http://[::1]:8081");
        assert_eq!(origins.app_base(&host("laptop.local:8081")).unwrap(), "http://laptop.local:8080");
        assert!(origins.viewer_base(&host("evil.example/x")).is_err());
    }

    #[test]
    fn public_urls_win() {
        let origins = Origins {
            app_public: Some("https://relay.example".into()),
            viewer_public: Some("https://view.example".into()),
            ..Origins::default()
        };
        assert_eq!(origins.viewer_base(&host("127.0.0.1:8080")).unwrap(), "https://view.example");
        assert_eq!(origins.app_base(&HeaderMap::new()).unwrap(), "https://relay.example");
        assert!(origins.viewer_is_https());
    }
}
