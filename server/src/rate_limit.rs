//! Per-client fixed-window rate limits. On SQLite (one instance) they are counted in memory;
//! on PostgreSQL every instance counts in the database ([`SharedWindows`]), so clients see one
//! limit however a balancer spreads their requests.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::AppState;
use crate::error::AppError;
use crate::store::StoreError;

/// Fixed windows kept where every relay instance counts them (the PostgreSQL store).
#[async_trait]
pub trait SharedWindows: Send + Sync + 'static {
    /// Counts one request of `client` against the limit named `scope`. `Ok(Err(seconds))`
    /// when over `per_window` in the current window: how long until it ends (at least 1).
    async fn hit(
        &self,
        scope: &'static str,
        client: IpAddr,
        per_window: u32,
        window_secs: u32,
    ) -> Result<Result<(), u64>, StoreError>;
}

/// One per-client limit (creates, passcode guesses, link requests), counted in this process or
/// in the shared store.
pub enum Limiter {
    Local(RateLimiter),
    Shared { windows: Arc<dyn SharedWindows>, scope: &'static str, per_minute: u32 },
}

impl Limiter {
    pub fn local_per_minute(per_minute: u32) -> Self {
        Self::Local(RateLimiter::per_minute(per_minute))
    }

    /// Counts one request from `client`: 429 past the limit, 503 if the shared store cannot
    /// be reached.
    pub async fn check(&self, client: IpAddr) -> Result<(), AppError> {
        let verdict = match self {
            Limiter::Local(limiter) => limiter.check(client),
            Limiter::Shared { windows, scope, per_minute } => windows.hit(scope, client, *per_minute, 60).await?,
        };
        verdict.map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })
    }
}

/// Forget windows that ended once the table grows past this many clients.
const CLEANUP_THRESHOLD: usize = 4_096;

struct Table {
    clients: HashMap<IpAddr, (Instant, u32)>,
    /// Size at which the next cleanup runs: at least twice what survived the last one,
    /// so cleaning stays cheap per request even when many clients are active.
    cleanup_at: usize,
}

pub struct RateLimiter {
    per_window: u32,
    window: Duration,
    table: Mutex<Table>,
}

impl RateLimiter {
    /// Allows `per_window` requests per client in each `window`.
    pub fn new(per_window: u32, window: Duration) -> Self {
        Self { per_window, window, table: Mutex::new(Table { clients: HashMap::new(), cleanup_at: CLEANUP_THRESHOLD }) }
    }

    pub fn per_minute(per_minute: u32) -> Self {
        Self::new(per_minute, Duration::from_secs(60))
    }

    /// Counts one request from `client`. `Err(seconds)` when over the limit: how long
    /// until its window ends (at least 1), for `Retry-After`.
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        self.check_at(client, Instant::now())
    }

    fn check_at(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        if table.clients.len() >= table.cleanup_at {
            let window = self.window;
            table.clients.retain(|_, (start, _)| now.duration_since(*start) < window);
            table.cleanup_at = CLEANUP_THRESHOLD.max(table.clients.len() * 2);
        }
        let (start, count) = table.clients.entry(key(client)).or_insert((now, 0));
        if now.duration_since(*start) >= self.window {
            (*start, *count) = (now, 0);
        }
        if *count >= self.per_window {
            let left = self.window.saturating_sub(now.duration_since(*start));
            return Err(left.as_secs_f64().ceil().max(1.0) as u64);
        }
        *count += 1;
        Ok(())
    }
}

/// IPv6 clients usually hold a whole /64, so they are counted per /64.
pub(crate) fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
    }
}

/// The address rate limits are keyed by: the peer address, or with
/// `--trust-forwarded-for` the `X-Forwarded-For` entry `--trusted-proxy-hops` from the right.
/// Without either (a router driven directly, as in tests) every request shares one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    pub fn from_parts(parts: &Parts, state: &AppState) -> Self {
        let forwarded =
            state.trust_forwarded_for.then(|| forwarded_client(&parts.headers, state.trusted_proxy_hops)).flatten();
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
        ClientIp(forwarded.or(peer).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }
}

/// Each trusted proxy appends the address it saw, so the entries are, from the right: what
/// the nearest proxy saw, …, what the outermost trusted proxy saw (the client). Anything
/// further left came from the client itself and is never used. With fewer entries than hops
/// (a proxy that replaces the header) the leftmost is the outermost proxy's word.
fn forwarded_client(headers: &HeaderMap, hops: u8) -> Option<IpAddr> {
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    let index = entries.len().saturating_sub(usize::from(hops.max(1)));
    entries.get(index)?.trim().parse().ok()
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self::from_parts(parts, state))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_allows_the_limit_then_refuses_until_it_ends() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60));
        let (a, b) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        assert_eq!(limiter.check_at(a, t0), Ok(()));
        assert_eq!(limiter.check_at(a, t0), Ok(()));
        assert_eq!(limiter.check_at(a, t0 + Duration::from_secs(20)), Err(40));
        assert_eq!(limiter.check_at(b, t0), Ok(()), "other clients unaffected");
        assert_eq!(limiter.check_at(a, t0 + Duration::from_secs(60)), Ok(()));
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let limiter = RateLimiter::new(1, Duration::from_secs(60));
        let t0 = Instant::now();
        assert_eq!(limiter.check_at("2001:db8::1".parse().unwrap(), t0), Ok(()));
        assert!(limiter.check_at("2001:db8::ffff:2".parse().unwrap(), t0).is_err());
        assert_eq!(limiter.check_at("2001:db8:0:1::1".parse().unwrap(), t0), Ok(()));
    }

    #[test]
    fn many_clients_are_forgotten_once_their_windows_end() {
        let limiter = RateLimiter::new(1, Duration::from_secs(60));
        let t0 = Instant::now();
        for n in 0..4_096u32 {
            limiter.check_at(IpAddr::V4(n.into()), t0).unwrap();
        }
        let later = t0 + Duration::from_secs(61);
        limiter.check_at("10.9.9.9".parse().unwrap(), later).unwrap();
        assert_eq!(limiter.table.lock().unwrap().clients.len(), 1, "ended windows were dropped");
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn the_client_is_counted_from_the_right_by_trusted_hops() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // One proxy that appends: the client wrote "6.6.6.6", the proxy saw 192.0.2.1.
        assert_eq!(forwarded_client(&forwarded("6.6.6.6, 192.0.2.1"), 1), ip("192.0.2.1"));
        assert_eq!(forwarded_client(&forwarded("192.0.2.1"), 1), ip("192.0.2.1"));
        // Two proxies: a CDN saw the client, the load balancer saw the CDN.
        assert_eq!(forwarded_client(&forwarded("6.6.6.6, 192.0.2.1, 10.0.0.5"), 2), ip("192.0.2.1"));
        assert_eq!(forwarded_client(&forwarded("192.0.2.1"), 2), ip("192.0.2.1"), "a replacing proxy");
        assert_eq!(forwarded_client(&forwarded("nonsense"), 1), None);
    }
}
