//! What every handler shares: the store, the clock, the configured limits and the
//! in-memory counters.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::client_bytes::ClientBytes;
use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::passcode::PasscodeKdf;
use crate::rate_limit::{Limiter, SharedWindows};
use crate::security_headers::{self, SecurityHeaders};
use crate::static_files::Dist;
use crate::store::{ShareStore, StoreLimits};
use crate::viewer_origin::Origins;

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
    pub kdf: PasscodeKdf,
    /// Link requests (fetch, manifest, location) per client IP per minute.
    pub receiver_requests_per_minute: u32,
    /// Ciphertext bytes one client may keep in unexpired shares (this instance's count).
    pub max_stored_bytes_per_client: u64,
    /// How long after a share ended its recipients' names and passcode hash are kept.
    pub personal_data_retention_secs: i64,
    /// The limits the store enforces itself (the global byte cap, the access-log cap).
    pub store: StoreLimits,
    /// How long after a share's first open a clinician may reply to it.
    pub reply_window_secs: i64,
    /// Largest accepted reply body, in bytes.
    pub max_reply_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_upload_bytes: 1_048_576,
            max_ttl_secs: 31 * 86_400,
            creates_per_minute: 30,
            passcode_attempts_per_minute: 10,
            location_ttl_secs: 3_600,
            kdf: PasscodeKdf::default(),
            receiver_requests_per_minute: 120,
            max_stored_bytes_per_client: 32 << 20,
            personal_data_retention_secs: 90 * 86_400,
            store: StoreLimits::default(),
            reply_window_secs: 86_400,
            max_reply_bytes: 1_048_576,
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
            kdf: PasscodeKdf { memory_kib: config.passcode_memory_kib, passes: config.passcode_passes },
            receiver_requests_per_minute: config.receiver_requests_per_minute,
            max_stored_bytes_per_client: config.max_stored_bytes_per_client,
            personal_data_retention_secs: i64::from(config.personal_data_retention_days) * 86_400,
            store: StoreLimits {
                max_stored_bytes: config.max_stored_bytes,
                access_log_rows_per_share: config.access_log_rows_per_share,
            },
            reply_window_secs: i64::from(config.reply_window_secs),
            max_reply_bytes: config.max_reply_bytes,
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
    /// With `trust_forwarded_for`: the client is this many `X-Forwarded-For` entries from the right.
    pub trusted_proxy_hops: u8,
    pub create_limiter: Arc<Limiter>,
    pub passcode_limiter: Arc<Limiter>,
    pub receiver_limiter: Arc<Limiter>,
    pub client_bytes: Arc<ClientBytes>,
    pub metrics: Arc<Metrics>,
    /// Bounds how many Argon2 computations (hashing a new passcode or checking one) run at
    /// once: each takes its memory cost.
    pub passcode_slots: Arc<Semaphore>,
    /// Browser origins of the web app that may manage shares here (CORS); empty: same-origin only.
    pub app_origins: Arc<[String]>,
    /// Extra `connect-src` sources of the app's pages: other relays it may manage shares on.
    pub app_connect_src: Arc<str>,
    /// Where the app and the clinician's viewer (an origin of its own) are reached.
    pub origins: Arc<Origins>,
}

impl AppState {
    pub fn new(store: Arc<dyn ShareStore>, clock: Clock, limits: Limits, dist: Dist) -> Self {
        let security = Arc::new(SecurityHeaders::new(&dist.pages(), security_headers::DEFAULT_VIEWER_CONNECT_SRC));
        let slots = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
        Self {
            store,
            clock,
            create_limiter: Arc::new(Limiter::local_per_minute(limits.creates_per_minute)),
            passcode_limiter: Arc::new(Limiter::local_per_minute(limits.passcode_attempts_per_minute)),
            receiver_limiter: Arc::new(Limiter::local_per_minute(limits.receiver_requests_per_minute)),
            client_bytes: Arc::new(ClientBytes::new(limits.max_stored_bytes_per_client)),
            limits,
            dist: Arc::new(dist),
            security,
            public_url: None,
            trust_forwarded_for: false,
            trusted_proxy_hops: 1,
            metrics: Arc::new(Metrics::default()),
            passcode_slots: Arc::new(Semaphore::new(slots)),
            app_origins: Arc::from([]),
            app_connect_src: Arc::from(""),
            origins: Arc::new(Origins::default()),
        }
    }

    /// See [`Config::public_url`]; expects no trailing slash.
    #[must_use]
    pub fn with_public_url(mut self, public_url: Option<String>) -> Self {
        self.public_url = public_url.map(|url| Arc::from(url.trim_end_matches('/')));
        self.origins = Arc::new(Origins { app_public: self.public_url.clone(), ..(*self.origins).clone() });
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

impl AppState {
    /// See [`Config::trusted_proxy_hops`].
    #[must_use]
    pub fn with_trusted_proxy_hops(mut self, hops: u8) -> Self {
        self.trusted_proxy_hops = hops.max(1);
        self
    }

    /// See [`Config::app_origins`].
    #[must_use]
    pub fn with_app_origins(mut self, origins: Vec<String>) -> Self {
        self.app_origins = origins.into();
        self
    }

    /// See [`Config::app_connect_src`].
    #[must_use]
    pub fn with_app_connect_src(mut self, sources: &str) -> Self {
        self.app_connect_src = Arc::from(sources.trim());
        self
    }

    /// Counts the per-client rate limits in `windows` (the shared database) instead of in this
    /// process, so several instances enforce one limit together.
    #[must_use]
    pub fn with_shared_rate_limits(mut self, windows: Arc<dyn SharedWindows>) -> Self {
        let shared = |scope, per_minute| Arc::new(Limiter::Shared { windows: Arc::clone(&windows), scope, per_minute });
        self.create_limiter = shared("creates", self.limits.creates_per_minute);
        self.passcode_limiter = shared("passcodes", self.limits.passcode_attempts_per_minute);
        self.receiver_limiter = shared("receivers", self.limits.receiver_requests_per_minute);
        self
    }

    /// See [`Origins`]: the app's public URL is [`Self::public_url`]'s.
    #[must_use]
    pub fn with_origins(mut self, app_port: u16, viewer_port: u16, viewer_public: Option<String>) -> Self {
        self.origins = Arc::new(Origins {
            app_public: self.public_url.clone(),
            app_port,
            viewer_public: viewer_public.map(|url| Arc::from(url.trim_end_matches('/'))),
            viewer_port,
        });
        self
    }

    /// Whether receivers reach this relay over HTTPS (so browsers may be told to insist on it).
    pub fn is_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|url| url.starts_with("https://"))
    }
}
