//! Health Binder relay: a blind store for encrypted shares plus the web app's files.
//!
//! The relay only ever holds compact JWE ciphertext; keys travel in URL fragments, which
//! browsers never send. [`app`] builds the whole HTTP surface so `main` and the tests
//! exercise the same router.

pub mod clock;
pub mod config;
pub mod error;
pub mod log_writer;
pub mod metrics;
pub mod openapi;
pub mod passcode;
pub mod purge;
pub mod rate_limit;
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

use tokio::sync::Semaphore;

use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::passcode::KdfParams;
use crate::rate_limit::RateLimiter;
use crate::routes::{shares, shl};
use crate::security_headers::SecurityHeaders;
use crate::static_files::Dist;
use crate::store::ShareStore;

/// Every route the router serves, as (method, path template). The OpenAPI document must
/// describe exactly these; a test holds both to it.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/metrics"),
    ("GET", "/api/openapi.json"),
    ("POST", "/api/shares"),
    ("GET", "/api/shares/{id}"),
    ("DELETE", "/api/shares/{id}"),
    ("POST", "/api/shares/{id}/pause"),
    ("POST", "/api/shares/{id}/resume"),
    ("GET", "/shl/{id}"),
    ("POST", "/shl/{id}"),
    ("GET", "/shl/{id}/file/{token}"),
];

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_upload_bytes: usize,
    pub max_ttl_secs: i64,
    /// `POST /api/shares` per client IP per minute.
    pub creates_per_minute: u32,
    /// Requests carrying a passcode, per client IP per minute.
    pub passcode_attempts_per_minute: u32,
    /// Lifetime of `location` URLs (capped by the share's expiry).
    pub location_ttl_secs: i64,
    pub kdf: KdfParams,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_upload_bytes: 1_048_576,
            max_ttl_secs: 31 * 86_400,
            creates_per_minute: 30,
            passcode_attempts_per_minute: 10,
            location_ttl_secs: 3_600,
            kdf: KdfParams::default(),
        }
    }
}

impl From<&Config> for Limits {
    fn from(config: &Config) -> Self {
        Self {
            max_upload_bytes: config.max_upload_bytes,
            max_ttl_secs: i64::from(config.max_ttl_secs),
            creates_per_minute: config.creates_per_minute,
            passcode_attempts_per_minute: config.passcode_attempts_per_minute,
            location_ttl_secs: i64::from(config.location_ttl_secs),
            kdf: KdfParams { memory_kib: config.passcode_memory_kib, passes: config.passcode_passes },
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
    /// Base of absolute `location` URLs, without a trailing slash; `None` builds them
    /// from the request's `Host`.
    pub public_url: Option<Arc<str>>,
    pub trust_forwarded_for: bool,
    pub create_limiter: Arc<RateLimiter>,
    pub passcode_limiter: Arc<RateLimiter>,
    pub metrics: Arc<Metrics>,
    /// Bounds how many Argon2 verifications run at once (each takes its memory cost).
    pub verify_slots: Arc<Semaphore>,
}

impl AppState {
    pub fn new(store: Arc<dyn ShareStore>, clock: Clock, limits: Limits, dist: Dist) -> Self {
        let security = Arc::new(SecurityHeaders::new(&dist.pages(), security_headers::DEFAULT_VIEWER_CONNECT_SRC));
        let slots = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
        Self {
            store,
            clock,
            create_limiter: Arc::new(RateLimiter::per_minute(limits.creates_per_minute)),
            passcode_limiter: Arc::new(RateLimiter::per_minute(limits.passcode_attempts_per_minute)),
            limits,
            dist: Arc::new(dist),
            security,
            public_url: None,
            trust_forwarded_for: false,
            metrics: Arc::new(Metrics::default()),
            verify_slots: Arc::new(Semaphore::new(slots)),
        }
    }

    /// See [`Config::public_url`]; expects no trailing slash.
    #[must_use]
    pub fn with_public_url(mut self, public_url: Option<String>) -> Self {
        self.public_url = public_url.map(|url| Arc::from(url.trim_end_matches('/')));
        self
    }

    /// Extra `connect-src` sources of the viewer's CSP; see [`Config::viewer_connect_src`].
    #[must_use]
    pub fn with_viewer_connect_src(mut self, sources: &str) -> Self {
        self.security = Arc::new(SecurityHeaders::new(&self.dist.pages(), sources));
        self
    }

    /// See [`Config::trust_forwarded_for`].
    #[must_use]
    pub fn with_trust_forwarded_for(mut self, trust: bool) -> Self {
        self.trust_forwarded_for = trust;
        self
    }
}

pub fn app(state: AppState) -> Router {
    // Shares and links change state (revocation, expiry) at any moment; a cached copy
    // would outlive them.
    let no_store =
        || SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));

    let api = Router::new()
        .route(
            "/api/shares",
            post(shares::create)
                .route_layer(from_fn_with_state(state.clone(), shares::reject_declared_oversize))
                .route_layer(from_fn_with_state(state.clone(), shares::limit_creates)),
        )
        .route("/api/shares/{id}", get(shares::get).delete(shares::revoke))
        .route("/api/shares/{id}/pause", post(shares::pause))
        .route("/api/shares/{id}/resume", post(shares::resume))
        .layer(DefaultBodyLimit::max(state.limits.max_upload_bytes))
        .layer(no_store());

    // Only the receiver-facing endpoints are meant for other origins: SMART Health Link
    // viewers run elsewhere. The management API and metrics stay same-origin.
    let shl = Router::new()
        .route("/shl/{id}", get(shl::fetch).post(shl::manifest))
        .route("/shl/{id}/file/{token}", get(shl::location))
        // A manifest request is a few short fields.
        .layer(DefaultBodyLimit::max(16 * 1024))
        .layer(no_store())
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE])
                .max_age(Duration::from_secs(600)),
        );

    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics::serve))
        .route("/api/openapi.json", get(openapi::serve))
        .merge(api)
        .merge(shl)
        .fallback_service(static_files::serve.with_state(Arc::clone(&state.dist)))
        .layer(from_fn_with_state(Arc::clone(&state.metrics), metrics::track))
        .layer(from_fn_with_state(Arc::clone(&state.security), security_headers::add))
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
