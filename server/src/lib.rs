//! Health Binder relay: a blind store for encrypted shares plus the web app's files.
//!
//! The relay only ever holds compact JWE ciphertext; keys travel in URL fragments, which
//! browsers never send. [`app`] builds the whole HTTP surface so `main` and the tests
//! exercise the same router.

pub mod client_bytes;
pub mod clock;
pub mod config;
pub mod cross_relay;
pub mod error;
pub mod hsts;
pub mod ids;
pub mod json_int;
pub mod log_writer;
pub mod metrics;
pub mod openapi;
pub mod passcode;
pub mod purge;
pub mod rate_limit;
pub mod routes;
pub mod security_headers;
pub mod state;
pub mod static_files;
pub mod store;
pub mod viewer_origin;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::handler::Handler as _;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::{delete, get, post};
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

pub use crate::state::{AppState, Limits};
pub use crate::viewer_origin::viewer_app;

use crate::routes::{replies, shares, shl};

/// Every route the router serves, as (method, path template). The OpenAPI document must
/// describe exactly these; a test holds both to it.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/metrics"),
    ("GET", "/api/openapi.json"),
    ("GET", "/api/limits"),
    ("POST", "/api/shares"),
    ("GET", "/api/shares/{id}"),
    ("DELETE", "/api/shares/{id}"),
    ("POST", "/api/shares/{id}/pause"),
    ("POST", "/api/shares/{id}/resume"),
    ("GET", "/api/shares/{id}/replies"),
    ("DELETE", "/api/shares/{id}/replies/{reply}"),
    ("GET", "/shl/{id}"),
    ("POST", "/shl/{id}"),
    ("GET", "/shl/{id}/file/{token}"),
    ("POST", "/shl/{id}/replies"),
];

pub fn app(state: AppState) -> Router {
    // Shares and links change state (revocation, expiry) at any moment; a cached copy
    // would outlive them.
    let no_store =
        || SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));

    let create = Router::new().route(
        "/api/shares",
        post(shares::create)
            .route_layer(from_fn_with_state(state.clone(), shares::reject_declared_oversize))
            .route_layer(from_fn_with_state(state.clone(), shares::limit_creates)),
    );
    // Managing a share: same-origin, and CORS for the configured app origins (a share is
    // managed at the relay that keeps it; see `cross_relay`).
    let manage = Router::new()
        .route("/api/shares/{id}", get(shares::get).delete(shares::revoke))
        .route("/api/shares/{id}/pause", post(shares::pause))
        .route("/api/shares/{id}/resume", post(shares::resume))
        .route("/api/shares/{id}/replies", get(replies::list))
        .route("/api/shares/{id}/replies/{reply}", delete(replies::delete));
    let manage = match cross_relay::management_cors(&state.app_origins) {
        Some(cors) => manage.layer(cors),
        None => manage,
    };
    let api = create
        .merge(manage)
        .route("/api/limits", get(shares::limits))
        .layer(DefaultBodyLimit::max(state.limits.max_upload_bytes))
        .layer(no_store());

    // The receiver-facing endpoints are open to every origin: SMART Health Link viewers run
    // elsewhere. Rate-limited per client inside CORS, so a preflight costs nothing.
    let shl = Router::new()
        .route("/shl/{id}", get(shl::fetch).post(shl::manifest))
        .route("/shl/{id}/file/{token}", get(shl::location))
        .route_layer(from_fn_with_state(state.clone(), shl::limit_receivers))
        // A manifest request is a few short fields.
        .layer(DefaultBodyLimit::max(16 * 1024))
        // A clinician's reply: rate-limited like every link request, with its own size cap.
        .merge(
            Router::new()
                .route("/shl/{id}/replies", post(replies::post))
                .route_layer(from_fn_with_state(state.clone(), shl::limit_receivers))
                .layer(DefaultBodyLimit::max(state.limits.max_reply_bytes)),
        )
        .layer(no_store())
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE])
                .max_age(Duration::from_secs(600)),
        );

    let https = state.is_https();
    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics::serve))
        .route("/api/openapi.json", get(openapi::serve))
        .merge(api)
        .merge(shl)
        .fallback_service(static_files::serve.with_state(Arc::clone(&state.dist)))
        .layer(from_fn_with_state(state.clone(), viewer_origin::redirect_viewer_paths))
        .layer(from_fn_with_state(Arc::clone(&state.metrics), metrics::track))
        .layer(from_fn_with_state(Arc::clone(&state.security), security_headers::add))
        .layer(from_fn_with_state(Arc::clone(&state.app_connect_src), cross_relay::extend_app_connect_src));
    let router = if https { router.layer(axum::middleware::from_fn(hsts::add)) } else { router };
    with_request_log(router.with_state(state))
}

/// One line per request, naming the matched route template (`/shl/{id}/file/{token}`), never
/// the path itself: paths carry share ids and one-hour file tokens, which are capabilities.
/// Requests no route matched (the app's files) are logged as `unmatched`. Query strings
/// (recipients' names), bodies and headers (Authorization) are never logged.
pub(crate) fn with_request_log(router: Router) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request| {
            let method = req.method();
            let route = req.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str);
            tracing::info_span!("request", %method, %route)
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
