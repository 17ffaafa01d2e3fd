//! What every handler shares: the store, the clock, the configured limits and the
//! in-memory counters.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::passcode::PasscodeKdf;
use crate::rate_limit::RateLimiter;
use crate::security_headers::{self, SecurityHeaders};
use crate::static_files::Dist;
use crate::store::ShareStore;

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
