//! Command-line and environment configuration.

use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(name = "health-binder-relay", version, about = "Health Binder blind relay")]
pub struct Config {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "HB_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,

    /// SQLite database file; created if missing.
    #[arg(long, env = "HB_DB", default_value = "health-binder.sqlite3")]
    pub db: PathBuf,

    /// Directory holding the built web app (Trunk's output).
    #[arg(long, env = "HB_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Largest accepted upload body, in bytes.
    #[arg(long, env = "HB_MAX_UPLOAD_BYTES", default_value_t = 1_048_576)]
    pub max_upload_bytes: usize,

    /// Longest allowed share lifetime, in seconds (more than 60).
    #[arg(long, env = "HB_MAX_TTL_SECS", default_value_t = 2_678_400,
          value_parser = clap::value_parser!(u32).range(61..))]
    pub max_ttl_secs: u32,

    /// How often ciphertext of expired or revoked shares is deleted, in seconds.
    #[arg(long, env = "HB_PURGE_INTERVAL_SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub purge_interval_secs: u64,

    /// Base URL receivers reach this relay at, e.g. `https://relay.example/`; `location`
    /// URLs in manifests start with it. Without it they are built from the request's
    /// `Host` header with `http://`.
    #[arg(long, env = "HB_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,
    /// Where the clinician's viewer (`/view`) may fetch SMART Health Link files from, as CSP
    /// `connect-src` sources besides this relay, space-separated. The default lets it open links
    /// hosted on any HTTPS server; `''` limits it to this relay's own links.
    #[arg(long, env = "HB_VIEWER_CONNECT_SRC", default_value = crate::security_headers::DEFAULT_VIEWER_CONNECT_SRC)]
    pub viewer_connect_src: String,

    /// Key rate limits by the first `X-Forwarded-For` address instead of the peer address.
    /// Only behind a reverse proxy that sets it: otherwise clients choose their own key.
    #[arg(long, env = "HB_TRUST_FORWARDED_FOR", default_value_t = false,
          action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub trust_forwarded_for: bool,

    /// Share creations allowed per client IP per minute.
    #[arg(long, env = "HB_CREATES_PER_MINUTE", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub creates_per_minute: u32,

    /// Passcode attempts allowed per client IP per minute, across all links.
    #[arg(long, env = "HB_PASSCODE_ATTEMPTS_PER_MINUTE", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub passcode_attempts_per_minute: u32,

    /// Lifetime of `location` URLs in manifests, in seconds (1 to 3600; never past the
    /// share's expiry).
    #[arg(long, env = "HB_LOCATION_TTL_SECS", default_value_t = 3_600,
          value_parser = clap::value_parser!(u32).range(1..=3_600))]
    pub location_ttl_secs: u32,

    /// Argon2id memory cost for new passcode hashes, in KiB.
    #[arg(long, env = "HB_PASSCODE_MEMORY_KIB", default_value_t = 19_456,
          value_parser = clap::value_parser!(u32).range(8..=1_048_576))]
    pub passcode_memory_kib: u32,

    /// Argon2id passes for new passcode hashes.
    #[arg(long, env = "HB_PASSCODE_PASSES", default_value_t = 2,
          value_parser = clap::value_parser!(u32).range(1..=10))]
    pub passcode_passes: u32,
}

/// An absolute `http(s)://` URL, without its trailing slash.
fn parse_public_url(value: &str) -> Result<String, String> {
    let trimmed = value.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or("must start with http:// or https://")?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err("must name a host".to_owned());
    }
    if trimmed.contains(['?', '#']) || trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain a query, a fragment or spaces".to_owned());
    }
    Ok(trimmed.to_owned())
}
