//! PostgreSQL implementation of [`ShareStore`](super::ShareStore), for several relay
//! instances sharing one database (`--database-url postgres://…`).
//!
//! Built on `tokio-postgres` with a `deadpool-postgres` pool: plain runtime queries (no
//! compile-time checking against a live database), pipelined on the relay's own tokio runtime,
//! and a pool that replaces connections that died, so the relay recovers by itself when the
//! database restarts. Every operation that decides something (liveness, a passcode attempt, a
//! use) runs in one transaction that locks the share's row (`SELECT … FOR UPDATE`), so
//! instances never both spend the last attempt or the last use. Acknowledged means committed:
//! PostgreSQL's own durability (`synchronous_commit`, on by default) does the rest.
//!
//! While the database cannot be reached, operations fail with [`StoreError::Unavailable`],
//! which the relay answers with 503.
//!
//! The parts: [`schema`] (versioned migrations, applied at start), [`share_store`] (the
//! trait's operations in SQL) and [`rate_windows`] (per-client rate limits shared by all
//! instances).

mod rate_windows;
mod replies;
mod schema;
mod share_store;

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Config, NoTls};

use super::{StoreError, StoreLimits};
pub use schema::SCHEMA_VERSION;

/// How long a request waits for a free connection, or for a new one to be made, before it
/// is answered 503.
const POOL_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    limits: StoreLimits,
}

impl PgStore {
    /// Connects to the database `url` names (`postgres://user:password@host:port/db`,
    /// libpq's URL form), applies the migrations this relay has that the database lacks, and
    /// opens a pool of at most `pool_size` connections.
    pub async fn connect(url: &str, pool_size: usize, limits: StoreLimits) -> Result<Self, StoreError> {
        let config: Config = url.parse().map_err(|err| StoreError::Config(format!("{err}")))?;
        migrate(&config).await?;
        Self::with_pool(config, pool_size, limits)
    }

    /// A pool on a database that is already migrated ([`migrate`]). Makes no connection yet.
    pub fn with_pool(config: Config, pool_size: usize, limits: StoreLimits) -> Result<Self, StoreError> {
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_TIMEOUT))
            .create_timeout(Some(POOL_TIMEOUT))
            .recycle_timeout(Some(POOL_TIMEOUT))
            .build()
            .map_err(|err| StoreError::Config(err.to_string()))?;
        Ok(Self { pool, limits })
    }

    async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        self.pool.get().await.map_err(|err| match err {
            PoolError::Backend(err) => pg(err),
            err => StoreError::Unavailable(Box::new(err)),
        })
    }

    /// Runs `work` as its own task, so a request that goes away (its client disconnected)
    /// does not stop a transaction half-way: it commits or rolls back as it would have.
    async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        tokio::spawn(work).await.map_err(backend)?
    }
}

/// Applies the migrations on a connection of its own (made and closed here).
pub async fn migrate(config: &Config) -> Result<(), StoreError> {
    let (mut client, connection) = tokio::time::timeout(POOL_TIMEOUT, config.connect(NoTls))
        .await
        .map_err(|_| StoreError::Unavailable("timed out connecting to PostgreSQL".into()))?
        .map_err(pg)?;
    let driver = tokio::spawn(connection);
    let migrated = schema::migrate(&mut client).await;
    drop(client);
    let _ = driver.await;
    migrated
}

pub(super) fn backend(err: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Box::new(err))
}

/// Database errors that mean "not reachable now" (connection refused or lost, the server
/// shutting down or starting up) become [`StoreError::Unavailable`]; the rest are faults.
pub(super) fn pg(err: tokio_postgres::Error) -> StoreError {
    let unavailable = err.is_closed()
        || std::error::Error::source(&err).is_some_and(|source| source.is::<std::io::Error>())
        || err.code().is_some_and(|code| {
            [
                SqlState::ADMIN_SHUTDOWN,
                SqlState::CRASH_SHUTDOWN,
                SqlState::CANNOT_CONNECT_NOW,
                SqlState::TOO_MANY_CONNECTIONS,
                SqlState::CONNECTION_EXCEPTION,
                SqlState::CONNECTION_FAILURE,
            ]
            .contains(code)
        });
    if unavailable { StoreError::Unavailable(Box::new(err)) } else { StoreError::Backend(Box::new(err)) }
}
