//! Health Binder relay: a blind store for encrypted shares plus the web app's files.
//!
//! The relay only ever holds compact JWE ciphertext; keys travel in URL fragments, which
//! browsers never send. [`app`] builds the whole HTTP surface so `main` and the tests
//! exercise the same router.

pub mod clock;
pub mod config;
pub mod error;
pub mod purge;
pub mod routes;
pub mod security_headers;
pub mod static_files;
pub mod store;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::handler::Handler as _;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::{get, post};
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::clock::Clock;
use crate::config::Config;
use crate::routes::{shares, shl};
use crate::security_headers::SecurityHeaders;
use crate::static_files::Dist;
use crate::store::ShareStore;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_upload_bytes: usize,
    pub max_ttl_secs: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_upload_bytes: 1_048_576,
            max_ttl_secs: 31 * 86_400,
        }
    }
}

impl From<&Config> for Limits {
    fn from(config: &Config) -> Self {
        Self {
            max_upload_bytes: config.max_upload_bytes,
            max_ttl_secs: i64::from(config.max_ttl_secs),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn ShareStore>,
    pub clock: Clock,
    pub limits: Limits,
    pub dist: Arc<Dist>,
    pub security: Arc<SecurityHeaders>,
}

impl AppState {
    pub fn new(store: Arc<dyn ShareStore>, clock: Clock, limits: Limits, dist: Dist) -> Self {
        let security = Arc::new(SecurityHeaders::new(dist.index_html()));
        Self {
            store,
            clock,
            limits,
            dist: Arc::new(dist),
            security,
        }
    }
}

pub fn app(state: AppState) -> Router {
    // Shares and links change state (revocation, expiry) at any moment; a cached copy
    // would outlive them.
    let no_store = || {
        SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        )
    };

    let api = Router::new()
        .route(
            "/api/shares",
            post(shares::create).route_layer(from_fn_with_state(
                state.clone(),
                shares::reject_declared_oversize,
            )),
        )
        .route("/api/shares/{id}", get(shares::get).delete(shares::revoke))
        .layer(DefaultBodyLimit::max(state.limits.max_upload_bytes))
        .layer(no_store());

    // Only link files are meant for other origins: SMART Health Link viewers run
    // elsewhere. The management API stays same-origin.
    let shl = Router::new()
        .route("/shl/{id}", get(shl::fetch))
        .layer(no_store())
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET])
                .allow_headers(Any),
        );

    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(api)
        .merge(shl)
        .fallback_service(static_files::serve.with_state(Arc::clone(&state.dist)))
        .layer(from_fn_with_state(
            Arc::clone(&state.security),
            security_headers::add,
        ))
        .with_state(state);
    with_request_log(router)
}

/// One line per request. The path is logged without its query string, which carries the
/// recipient's name; bodies and headers (Authorization) are never logged.
fn with_request_log(router: Router) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request| {
            let (method, path) = (req.method(), req.uri().path());
            tracing::info_span!("request", %method, %path)
        })
        .on_request(())
        .on_response(|res: &Response, latency: Duration, _: &Span| {
            tracing::info!(status = res.status().as_u16(), ?latency, "response");
        })
        .on_body_chunk(())
        .on_eos(())
        .on_failure(());
    router.layer(trace)
}
