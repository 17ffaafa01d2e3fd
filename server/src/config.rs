//! Command-line and environment configuration.

use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(name = "health-binder-relay", version, about = "Health Binder blind relay")]
pub struct Config {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "HB_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,

    /// Address the clinician's viewer is served on: an origin of its own, so a page that opens
    /// links from anywhere cannot read the patient's storage. Default: the host of `--addr` with
    /// the next port (port 0 picks a free port). `/view` on `--addr` redirects here.
    #[arg(long, env = "HB_VIEWER_ADDR")]
    pub viewer_addr: Option<String>,

    /// Base URL browsers reach the viewer at, e.g. `https://view.relay.example` (required with
    /// `--public-url`: behind a proxy the viewer needs a host name or port of its own). Without
    /// it, the viewer is the browser's host with the viewer's port, over `http://`.
    #[arg(long, env = "HB_VIEWER_PUBLIC_URL", value_parser = parse_public_url)]
    pub viewer_public_url: Option<String>,

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

    /// With `--trust-forwarded-for`: how many reverse proxies in front of the relay append to
    /// `X-Forwarded-For`. The client is the address that many entries from the right, the one
    /// the outermost trusted proxy wrote; anything left of it was written by the client.
    #[arg(long, env = "HB_TRUSTED_PROXY_HOPS", default_value_t = 1,
          value_parser = clap::value_parser!(u8).range(1..=16))]
    pub trusted_proxy_hops: u8,

    /// Web app origins (`https://app.example`) allowed to manage shares kept here from a browser
    /// (CORS on `GET`/`DELETE /api/shares/{id}` and `…/pause|resume`), comma-separated. Default:
    /// the origin of `--public-url`, if set. Never `*`.
    #[arg(long, env = "HB_APP_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    pub app_origins: Vec<String>,

    /// Other relays the web app served here may manage shares on (shares made there before a move
    /// or restored from a backup), as CSP `connect-src` sources, space-separated. Default: none,
    /// the app talks only to this relay.
    #[arg(long, env = "HB_APP_CONNECT_SRC", default_value = "", value_parser = parse_csp_sources)]
    pub app_connect_src: String,

    /// Requests to links (`GET`/`POST /shl/{id}`, `GET /shl/{id}/file/{token}`) allowed per
    /// client IP per minute.
    #[arg(long, env = "HB_RECEIVER_REQUESTS_PER_MINUTE", default_value_t = 120,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub receiver_requests_per_minute: u32,

    /// Access-log entries kept per share; past it only the counts grow.
    #[arg(long, env = "HB_ACCESS_LOG_ROWS_PER_SHARE", default_value_t = 1_000,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub access_log_rows_per_share: u32,

    /// Ciphertext bytes the relay keeps in total (shares not yet purged); past it new shares
    /// get 507.
    #[arg(long, env = "HB_MAX_STORED_BYTES", default_value_t = 1 << 30,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_stored_bytes: u64,

    /// Ciphertext bytes one client IP may keep in shares that have not expired, counted by this
    /// relay instance in memory; past it its new shares get 507.
    #[arg(long, env = "HB_MAX_STORED_BYTES_PER_CLIENT", default_value_t = 32 << 20,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_stored_bytes_per_client: u64,

    /// Days after a share ended (expired or revoked) its recipients' names and passcode hash are
    /// cleared; the counts and times stay.
    #[arg(long, env = "HB_PERSONAL_DATA_RETENTION_DAYS", default_value_t = 90,
          value_parser = clap::value_parser!(u32).range(0..=3_650))]
    pub personal_data_retention_days: u32,

    /// Seconds after a share was first opened during which a clinician may post replies to it
    /// (also once the link itself has expired or been revoked).
    #[arg(long, env = "HB_REPLY_WINDOW_SECS", default_value_t = 86_400,
          value_parser = clap::value_parser!(u32).range(60..=2_678_400))]
    pub reply_window_secs: u32,

    /// Largest accepted reply body, in bytes.
    #[arg(long, env = "HB_MAX_REPLY_BYTES", default_value_t = 1_048_576,
          value_parser = clap::value_parser!(usize))]
    pub max_reply_bytes: usize,

    /// PostgreSQL instead of SQLite, for several relay instances sharing one database:
    /// `postgres://user:password@host:port/database` (libpq's URL form). Migrations are applied
    /// at start. `--db` is then not used.
    #[arg(long, env = "HB_DATABASE_URL", value_parser = parse_database_url)]
    pub database_url: Option<String>,

    /// With `--database-url`: most connections this instance keeps to PostgreSQL.
    #[arg(long, env = "HB_DATABASE_POOL_SIZE", default_value_t = 16,
          value_parser = clap::value_parser!(u32).range(1..=1_000))]
    pub database_pool_size: u32,
}

fn parse_database_url(value: &str) -> Result<String, String> {
    if value.starts_with("postgres://") || value.starts_with("postgresql://") {
        Ok(value.to_owned())
    } else {
        Err("must be a PostgreSQL URL, postgres://user:password@host:port/database".to_owned())
    }
}

impl Config {
    /// `--viewer-addr`, or the host of `--addr` with the next port.
    pub fn effective_viewer_addr(&self) -> Result<String, String> {
        if let Some(addr) = &self.viewer_addr {
            return Ok(addr.clone());
        }
        let (host, port) = self.addr.rsplit_once(':').ok_or_else(|| format!("--addr {} has no port", self.addr))?;
        let port: u16 = port.parse().map_err(|_| format!("--addr {} has no valid port", self.addr))?;
        let next =
            if port == 0 { 0 } else { port.checked_add(1).ok_or("--addr uses the last port; set --viewer-addr")? };
        Ok(format!("{host}:{next}"))
    }

    /// The settings that cannot work together, said before anything starts.
    pub fn check(&self) -> Result<(), String> {
        if self.public_url.is_some() && self.viewer_public_url.is_none() {
            return Err("with --public-url, set --viewer-public-url too: the clinician's viewer is served on an \
                        origin of its own (its own host name or port), which browsers must be able to reach"
                .to_owned());
        }
        if let (Some(app), Some(viewer)) = (&self.public_url, &self.viewer_public_url)
            && parse_origin(app) == parse_origin(viewer)
        {
            return Err(
                "--viewer-public-url must be another origin than --public-url (another host name or port)".into()
            );
        }
        Ok(())
    }

    /// `--app-origins`, or the origin of `--public-url` when none are given.
    pub fn effective_app_origins(&self) -> Vec<String> {
        if !self.app_origins.is_empty() {
            return self.app_origins.clone();
        }
        self.public_url.as_deref().and_then(|url| parse_origin(url).ok()).into_iter().collect()
    }
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

/// A browser origin: `http(s)://host[:port]`, nothing after it. A URL with a path is cut to its
/// origin; `*` and anything else is refused.
fn parse_origin(value: &str) -> Result<String, String> {
    let url = parse_public_url(value)?;
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let origin = url[..url[scheme_end..].find('/').map_or(url.len(), |i| scheme_end + i)].to_ascii_lowercase();
    if origin.contains(['*', '@']) {
        return Err("must be an origin such as https://app.example".to_owned());
    }
    Ok(origin)
}

/// CSP source expressions, space-separated. Each is one visible ASCII word without `;` or
/// `,`, so a value cannot end the directive and add another (`; script-src *`).
fn parse_csp_sources(value: &str) -> Result<String, String> {
    let sources: Vec<&str> = value.split_whitespace().collect();
    if let Some(bad) = sources.iter().find(|s| s.contains([';', ',']) || !s.bytes().all(|b| b.is_ascii_graphic())) {
        return Err(format!("{bad:?} is not a CSP source such as https://relay.example"));
    }
    Ok(sources.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_sources_cannot_add_directives() {
        assert_eq!(
            parse_csp_sources(" https://a.example  http://127.0.0.1:* ").unwrap(),
            "https://a.example http://127.0.0.1:*"
        );
        assert!(parse_csp_sources("https://a.example; script-src *").is_err());
        assert!(parse_csp_sources("https://a.example,https://b.example").is_err());
    }

    #[test]
    fn origins_are_scheme_host_and_port() {
        assert_eq!(parse_origin("https://App.example/health/").unwrap(), "https://app.example");
        assert_eq!(parse_origin("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        assert!(parse_origin("*").is_err());
        assert!(parse_origin("https://*.example").is_err());
        assert!(parse_origin("app.example").is_err());
    }

    #[test]
    fn the_viewer_listens_on_the_next_port_unless_told() {
        assert_eq!(Config::parse_from(["relay"]).effective_viewer_addr().unwrap(), "127.0.0.1:8081");
        assert_eq!(
            Config::parse_from(["relay", "--addr", "0.0.0.0:9000"]).effective_viewer_addr().unwrap(),
            "0.0.0.0:9001"
        );
        assert_eq!(
            Config::parse_from(["relay", "--addr", "127.0.0.1:0"]).effective_viewer_addr().unwrap(),
            "127.0.0.1:0"
        );
        let told = Config::parse_from(["relay", "--viewer-addr", "127.0.0.1:7000"]);
        assert_eq!(told.effective_viewer_addr().unwrap(), "127.0.0.1:7000");
    }

    #[test]
    fn a_public_app_needs_a_public_viewer_on_another_origin() {
        assert!(Config::parse_from(["relay", "--public-url", "https://relay.example"]).check().is_err());
        let same = ["relay", "--public-url", "https://relay.example", "--viewer-public-url", "https://relay.example/x"];
        assert!(Config::parse_from(same).check().is_err());
        let apart =
            ["relay", "--public-url", "https://relay.example", "--viewer-public-url", "https://view.relay.example"];
        assert!(Config::parse_from(apart).check().is_ok());
        assert!(Config::parse_from(["relay"]).check().is_ok());
    }

    #[test]
    fn app_origins_default_to_the_public_urls() {
        let config = Config::parse_from(["relay", "--public-url", "https://relay.example/health"]);
        assert_eq!(config.effective_app_origins(), ["https://relay.example"]);
        let config = Config::parse_from([
            "relay",
            "--public-url",
            "https://relay.example",
            "--app-origins",
            "https://a.example,https://b.example",
        ]);
        assert_eq!(config.effective_app_origins(), ["https://a.example", "https://b.example"]);
        assert!(Config::parse_from(["relay"]).effective_app_origins().is_empty());
    }
}
