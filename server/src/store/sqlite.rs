//! SQLite implementation of [`ShareStore`], for a single relay instance.
//!
//! rusqlite is blocking, so every query runs on tokio's blocking pool. One connection
//! behind a mutex serialises writes, which SQLite does anyway. Nothing slow (such as a
//! passcode hash) ever runs while the mutex is held.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::{
    AccessEntry, Action, Liveness, NewShare, OpenStart, Outcome, PasscodeResult, SecretHash, ServedFile, ShareInfo,
    ShareStore, StoreError, hash_matches,
};

/// Bump together with a migration step in [`migrate`].
pub const SCHEMA_VERSION: i64 = 2;

/// The first schema, as version 1 of the relay created it. Kept verbatim: a fresh
/// database is built by running every step from here.
pub const SCHEMA_V1: &str = "
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

/// Version 1 → 2: share options (flag, passcode, use limits, pause), the access log's
/// action, and location tokens. Existing shares become flag-U links without a passcode or
/// use limit, which is exactly what they were.
const MIGRATE_V1_TO_V2: &str = "
ALTER TABLE shares ADD COLUMN flag TEXT NOT NULL DEFAULT 'U';
ALTER TABLE shares ADD COLUMN content_type TEXT NOT NULL DEFAULT 'application/fhir+json';
ALTER TABLE shares ADD COLUMN passcode_hash TEXT NULL;
ALTER TABLE shares ADD COLUMN attempts_left INTEGER NULL;
ALTER TABLE shares ADD COLUMN max_uses INTEGER NULL;
ALTER TABLE shares ADD COLUMN uses INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shares ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE access_log ADD COLUMN action TEXT NOT NULL DEFAULT 'fetch';
CREATE TABLE location_tokens (
    token_hash BLOB PRIMARY KEY,
    share_id   TEXT NOT NULL REFERENCES shares(id),
    recipient  TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX location_tokens_share ON location_tokens(share_id);
";

/// The SQL twin of [`Liveness::is_live`], for counting.
const LIVE_SQL: &str = "jwe IS NOT NULL AND revoked_at IS NULL AND paused = 0 AND exp > ?1
    AND (max_uses IS NULL OR uses < max_uses) AND (attempts_left IS NULL OR attempts_left > 0)";

#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens the database file, creating it and the schema if missing and migrating an
    /// older schema in place.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let mut conn = Connection::open(path).map_err(backend)?;
        configure(&conn).map_err(backend)?;
        migrate(&mut conn)?;
        Ok(Self { conn: Arc::new(Mutex::new(conn)) })
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
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(backend)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::UnsupportedSchema { found, supported: SCHEMA_VERSION });
    }
    if found < 1 {
        tx.execute_batch(SCHEMA_V1).map_err(backend)?;
    }
    if found < 2 {
        if found == 1 {
            tracing::info!("migrating the database schema from version 1 to 2");
        }
        tx.execute_batch(MIGRATE_V1_TO_V2).map_err(backend)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(backend)?;
    tx.commit().map_err(backend)
}

/// One share's row, everything but the management hash.
struct Row {
    jwe: Option<String>,
    revoked_at: Option<i64>,
    flag: String,
    content_type: String,
    passcode_hash: Option<String>,
    liveness: Liveness,
}

impl Row {
    fn file(&self) -> Option<ServedFile> {
        self.jwe.clone().map(|jwe| ServedFile { jwe, content_type: self.content_type.clone() })
    }
}

fn load(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<Option<Row>> {
    tx.query_row(
        "SELECT jwe, exp, revoked_at, paused, uses, max_uses, attempts_left, flag,
                content_type, passcode_hash
         FROM shares WHERE id = ?1",
        params![id],
        |row| {
            let jwe: Option<String> = row.get(0)?;
            let revoked_at: Option<i64> = row.get(2)?;
            Ok(Row {
                liveness: Liveness {
                    revoked: revoked_at.is_some(),
                    paused: row.get(3)?,
                    exp: row.get(1)?,
                    uses: row.get(4)?,
                    max_uses: row.get(5)?,
                    attempts_left: row.get(6)?,
                    purged: jwe.is_none(),
                },
                jwe,
                revoked_at,
                flag: row.get(7)?,
                content_type: row.get(8)?,
                passcode_hash: row.get(9)?,
            })
        },
    )
    .optional()
}

fn log(
    tx: &Transaction<'_>,
    id: &str,
    now: i64,
    recipient: &str,
    action: Action,
    outcome: Outcome,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO access_log (share_id, at, recipient, action, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, now, recipient, action.as_str(), outcome.as_str()],
    )
    .map(drop)
}

fn count_use(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<()> {
    tx.execute("UPDATE shares SET uses = uses + 1 WHERE id = ?1", params![id]).map(drop)
}

/// The stored management hash, if `id` exists and `secret_hash` matches it.
fn owner_matches(tx: &Transaction<'_>, id: &str, secret_hash: &SecretHash) -> rusqlite::Result<bool> {
    let stored: Option<Vec<u8>> =
        tx.query_row("SELECT manage_hash FROM shares WHERE id = ?1", params![id], |row| row.get(0)).optional()?;
    Ok(stored.is_some_and(|stored| hash_matches(&stored, secret_hash)))
}

#[async_trait]
impl ShareStore for SqliteStore {
    async fn create(&self, share: NewShare) -> Result<(), StoreError> {
        self.with_conn(move |conn| {
            conn.execute(
                "INSERT INTO shares (id, jwe, exp, created_at, manage_hash, revoked_at, flag,
                                     content_type, passcode_hash, attempts_left, max_uses)
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?8, ?9, ?10)",
                params![
                    share.id,
                    share.jwe,
                    share.exp,
                    share.created_at,
                    share.manage_hash,
                    share.flag,
                    share.content_type,
                    share.passcode_hash,
                    share.passcode_attempts,
                    share.max_uses,
                ],
            )
            .map(drop)
        })
        .await
    }

    async fn fetch_for_recipient(&self, id: &str, recipient: &str, now: i64) -> Result<Option<ServedFile>, StoreError> {
        let (id, recipient) = (id.to_owned(), recipient.to_owned());
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(row) = load(&tx, &id)? else {
                return Ok(None);
            };
            // A direct fetch exists only for U links; for others it is not an attempt to
            // open the link the way it was handed out, so it is not logged either.
            if row.flag != "U" {
                return Ok(None);
            }
            let file = row.file().filter(|_| row.liveness.is_live(now));
            if file.is_some() {
                count_use(&tx, &id)?;
                log(&tx, &id, now, &recipient, Action::Fetch, Outcome::Served)?;
            } else {
                log(&tx, &id, now, &recipient, Action::Fetch, Outcome::Inactive)?;
            }
            tx.commit()?;
            Ok(file)
        })
        .await
    }

    async fn begin_manifest(&self, id: &str, recipient: &str, now: i64) -> Result<OpenStart, StoreError> {
        let (id, recipient) = (id.to_owned(), recipient.to_owned());
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let Some(row) = load(&tx, &id)? else {
                return Ok(OpenStart::Inactive);
            };
            let start = match (row.file().filter(|_| row.liveness.is_live(now)), row.passcode_hash) {
                (None, _) => {
                    log(&tx, &id, now, &recipient, Action::Manifest, Outcome::Inactive)?;
                    OpenStart::Inactive
                }
                (Some(file), None) => {
                    count_use(&tx, &id)?;
                    log(&tx, &id, now, &recipient, Action::Manifest, Outcome::Served)?;
                    OpenStart::Served(file)
                }
                (Some(_), Some(passcode_hash)) => {
                    // Reserve one attempt before the slow check runs outside this lock.
                    // Live implies attempts_left > 0, so this never goes below zero.
                    let attempts_left = tx.query_row(
                        "UPDATE shares SET attempts_left = attempts_left - 1 WHERE id = ?1
                         RETURNING attempts_left",
                        params![id],
                        |row| row.get(0),
                    )?;
                    OpenStart::PasscodeReserved { passcode_hash, attempts_left }
                }
            };
            tx.commit()?;
            Ok(start)
        })
        .await
    }

    async fn finish_manifest(
        &self,
        id: &str,
        recipient: &str,
        now: i64,
        passcode_ok: bool,
    ) -> Result<PasscodeResult, StoreError> {
        let (id, recipient) = (id.to_owned(), recipient.to_owned());
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if passcode_ok {
                // The right passcode gives its reserved attempt back.
                tx.execute(
                    "UPDATE shares SET attempts_left = attempts_left + 1
                     WHERE id = ?1 AND attempts_left IS NOT NULL",
                    params![id],
                )?;
            }
            let Some(row) = load(&tx, &id)? else {
                return Ok(PasscodeResult::Inactive);
            };
            let result = if passcode_ok {
                // Re-checked: the share may have been revoked, paused or used up while
                // the passcode was being verified.
                match row.file().filter(|_| row.liveness.is_live(now)) {
                    Some(file) => {
                        count_use(&tx, &id)?;
                        log(&tx, &id, now, &recipient, Action::Manifest, Outcome::Served)?;
                        PasscodeResult::Served(file)
                    }
                    None => {
                        log(&tx, &id, now, &recipient, Action::Manifest, Outcome::Inactive)?;
                        PasscodeResult::Inactive
                    }
                }
            } else {
                log(&tx, &id, now, &recipient, Action::Manifest, Outcome::WrongPasscode)?;
                PasscodeResult::Wrong
            };
            tx.commit()?;
            Ok(result)
        })
        .await
    }

    async fn issue_location(
        &self,
        id: &str,
        token_hash: &SecretHash,
        recipient: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let (id, token_hash, recipient) = (id.to_owned(), *token_hash, recipient.to_owned());
        self.with_conn(move |conn| {
            conn.execute(
                // Never past the share's own expiry.
                "INSERT INTO location_tokens (token_hash, share_id, recipient, expires_at)
                 SELECT ?1, id, ?3, MIN(?4, exp) FROM shares WHERE id = ?2",
                params![token_hash, id, recipient, expires_at],
            )
            .map(drop)
        })
        .await
    }

    async fn fetch_location(
        &self,
        id: &str,
        token_hash: &SecretHash,
        now: i64,
    ) -> Result<Option<ServedFile>, StoreError> {
        let (id, token_hash) = (id.to_owned(), *token_hash);
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let token: Option<(String, i64)> = tx
                .query_row(
                    "SELECT recipient, expires_at FROM location_tokens
                     WHERE token_hash = ?1 AND share_id = ?2",
                    params![token_hash, id],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let Some((recipient, expires_at)) = token else {
                return Ok(None);
            };
            let Some(row) = load(&tx, &id)? else {
                return Ok(None);
            };
            let file = row.file().filter(|_| now < expires_at && row.liveness.is_live_ignoring_uses(now));
            let outcome = if file.is_some() { Outcome::Served } else { Outcome::Inactive };
            log(&tx, &id, now, &recipient, Action::Location, outcome)?;
            tx.commit()?;
            Ok(file)
        })
        .await
    }

    async fn get_manage(&self, id: &str, secret_hash: &SecretHash) -> Result<Option<ShareInfo>, StoreError> {
        let (id, secret_hash) = (id.to_owned(), *secret_hash);
        self.with_conn(move |conn| {
            let tx = conn.transaction()?;
            if !owner_matches(&tx, &id, &secret_hash)? {
                return Ok(None);
            }
            let Some(row) = load(&tx, &id)? else {
                return Ok(None);
            };
            let created_at: i64 =
                tx.query_row("SELECT created_at FROM shares WHERE id = ?1", params![id], |r| r.get(0))?;
            let access_log = tx
                .prepare(
                    "SELECT at, recipient, action, outcome FROM access_log
                     WHERE share_id = ?1 ORDER BY at, id",
                )?
                .query_map(params![id], |row| {
                    Ok(AccessEntry {
                        at: row.get(0)?,
                        recipient: row.get(1)?,
                        action: row.get(2)?,
                        outcome: row.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some(ShareInfo {
                id,
                created_at,
                revoked_at: row.revoked_at,
                flag: row.flag,
                content_type: row.content_type,
                liveness: row.liveness,
                access_log,
            }))
        })
        .await
    }

    async fn set_paused(&self, id: &str, secret_hash: &SecretHash, paused: bool) -> Result<bool, StoreError> {
        let (id, secret_hash) = (id.to_owned(), *secret_hash);
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if !owner_matches(&tx, &id, &secret_hash)? {
                return Ok(false);
            }
            tx.execute("UPDATE shares SET paused = ?2 WHERE id = ?1", params![id, paused])?;
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    async fn revoke(&self, id: &str, secret_hash: &SecretHash, now: i64) -> Result<bool, StoreError> {
        let (id, secret_hash) = (id.to_owned(), *secret_hash);
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if !owner_matches(&tx, &id, &secret_hash)? {
                return Ok(false);
            }
            // The ciphertext goes at once: after revoking, nothing is left to leak.
            tx.execute(
                "UPDATE shares SET revoked_at = COALESCE(revoked_at, ?2), jwe = NULL
                 WHERE id = ?1",
                params![id, now],
            )?;
            tx.execute("DELETE FROM location_tokens WHERE share_id = ?1", params![id])?;
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    async fn purge_expired(&self, now: i64) -> Result<u64, StoreError> {
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute("DELETE FROM location_tokens WHERE expires_at <= ?1", params![now])?;
            // A used-up share keeps its ciphertext while a location URL from its last
            // open may still be fetched. Paused shares keep it: they can be resumed. A
            // locked-out share keeps it until it expires, because a budget of zero may be
            // a right passcode's reserved attempt that is about to be refunded.
            let purged = tx.execute(
                "UPDATE shares SET jwe = NULL
                 WHERE jwe IS NOT NULL AND (
                     exp <= ?1 OR revoked_at IS NOT NULL
                     OR (max_uses IS NOT NULL AND uses >= max_uses AND NOT EXISTS (
                         SELECT 1 FROM location_tokens t WHERE t.share_id = shares.id)))",
                params![now],
            )?;
            tx.commit()?;
            Ok(purged as u64)
        })
        .await
    }

    async fn count_live(&self, now: i64) -> Result<u64, StoreError> {
        self.with_conn(move |conn| {
            conn.query_row(&format!("SELECT COUNT(*) FROM shares WHERE {LIVE_SQL}"), params![now], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| u64::try_from(n).unwrap_or(0))
        })
        .await
    }
}
