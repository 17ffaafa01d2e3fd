//! Command-line and environment configuration.

use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "health-binder-relay",
    version,
    about = "Health Binder blind relay"
)]
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
}
