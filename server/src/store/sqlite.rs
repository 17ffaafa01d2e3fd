//! SQLite implementation of [`ShareStore`], for a single relay instance.
//!
//! rusqlite is blocking, so every query runs on tokio's blocking pool. One connection
//! behind a mutex serialises writes, which SQLite does anyway.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{AccessEntry, NewShare, SecretHash, ShareInfo, ShareStore, StoreError};
use super::{hash_matches, is_live};

/// Bump together with a migration step in [`migrate`].
const SCHEMA_VERSION: i64 = 1;

const SCHEMA_V1: &str = "
CREATE TABLE IF NOT EXISTS shares (
    id          TEXT PRIMARY KEY,
    jwe         TEXT NULL,
    exp         INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    manage_hash BLOB NOT NULL,
    revoked_at  INTEGER NULL
);
CREATE TABLE IF NOT EXISTS access_log (
    id        INTEGER PRIMARY KEY,
    share_id  TEXT NOT NULL REFERENCES shares(id),
    at        INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    outcome   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS access_log_share ON access_log(share_id);
";

/// Stored in `access_log.outcome`; only served copies are logged today.
const OUTCOME_SERVED: &str = "served";

#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens the database file, creating it and the schema if missing.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let mut conn = Connection::open(path).map_err(backend)?;
        configure(&conn).map_err(backend)?;
        migrate(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    async fn with_conn<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock rolled back its transaction when the
            // `Transaction` dropped, so the connection is still usable.
            let mut guard = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut guard)
        })
        .await
        .map_err(backend)?
        .map_err(backend)
    }
}

fn backend(err: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Box::new(err))
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // WAL lets readers proceed during a write; FULL makes every acknowledged share and
    // access-log entry survive a crash or power loss, not just a process kill.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(journal_mode = %mode, "SQLite refused WAL mode");
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(backend)?;
    let found: i64 = tx
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(backend)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::UnsupportedSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    tx.execute_batch(SCHEMA_V1).map_err(backend)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(backend)?;
    tx.commit().map_err(backend)
}

#[async_trait]
impl ShareStore for SqliteStore {
    async fn create(&self, share: NewShare) -> Result<(), StoreError> {
        self.with_conn(move |conn| {
            conn.execute(
                "INSERT INTO shares (id, jwe, exp, created_at, manage_hash, revoked_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
                params![
                    share.id,
                    share.jwe,
                    share.exp,
                    share.created_at,
                    share.manage_hash
                ],
            )
            .map(drop)
        })
        .await
    }

    async fn fetch_for_recipient(
        &self,
        id: &str,
        recipient: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let (id, recipient) = (id.to_owned(), recipient.to_owned());
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let row: Option<(Option<String>, i64, Option<i64>)> = tx
                .query_row(
                    "SELECT jwe, exp, revoked_at FROM shares WHERE id = ?1",
                    params![id],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .optional()?;
            let Some((jwe, exp, revoked_at)) = row else {
                return Ok(None);
            };
            let Some(jwe) = jwe.filter(|_| is_live(revoked_at, exp, false, now)) else {
                return Ok(None);
            };
            tx.execute(
                "INSERT INTO access_log (share_id, at, recipient, outcome)
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, now, recipient, OUTCOME_SERVED],
            )?;
            tx.commit()?;
            Ok(Some(jwe))
        })
        .await
    }

    async fn get_manage(
        &self,
        id: &str,
        secret_hash: &SecretHash,
    ) -> Result<Option<ShareInfo>, StoreError> {
        let (id, secret_hash) = (id.to_owned(), *secret_hash);
        self.with_conn(move |conn| {
            let tx = conn.transaction()?;
            let row: Option<(i64, i64, Option<i64>, bool, Vec<u8>)> = tx
                .query_row(
                    "SELECT exp, created_at, revoked_at, jwe IS NULL, manage_hash
                     FROM shares WHERE id = ?1",
                    params![id],
                    |row| {
                        Ok((
                            row.get(0)?,
                            row.get(1)?,
                            row.get(2)?,
                            row.get(3)?,
                            row.get(4)?,
                        ))
                    },
                )
                .optional()?;
            let Some((exp, created_at, revoked_at, purged, stored_hash)) = row else {
                return Ok(None);
            };
            if !hash_matches(&stored_hash, &secret_hash) {
                return Ok(None);
            }
            let access_log = tx
                .prepare(
                    "SELECT at, recipient FROM access_log
                     WHERE share_id = ?1 AND outcome = ?2 ORDER BY at, id",
                )?
                .query_map(params![id, OUTCOME_SERVED], |row| {
                    Ok(AccessEntry {
                        at: row.get(0)?,
                        recipient: row.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some(ShareInfo {
                id,
                exp,
                created_at,
                revoked_at,
                purged,
                access_log,
            }))
        })
        .await
    }

    async fn revoke(
        &self,
        id: &str,
        secret_hash: &SecretHash,
        now: i64,
    ) -> Result<bool, StoreError> {
        let (id, secret_hash) = (id.to_owned(), *secret_hash);
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let stored: Option<Vec<u8>> = tx
                .query_row(
                    "SELECT manage_hash FROM shares WHERE id = ?1",
                    params![id],
                    |row| row.get(0),
                )
                .optional()?;
            if !stored.is_some_and(|stored| hash_matches(&stored, &secret_hash)) {
                return Ok(false);
            }
            // The ciphertext goes at once: after revoking, nothing is left to leak.
            tx.execute(
                "UPDATE shares SET revoked_at = COALESCE(revoked_at, ?2), jwe = NULL
                 WHERE id = ?1",
                params![id, now],
            )?;
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    async fn purge_expired(&self, now: i64) -> Result<u64, StoreError> {
        self.with_conn(move |conn| {
            let purged = conn.execute(
                "UPDATE shares SET jwe = NULL
                 WHERE jwe IS NOT NULL AND (exp <= ?1 OR revoked_at IS NOT NULL)",
                params![now],
            )?;
            Ok(purged as u64)
        })
        .await
    }
}
