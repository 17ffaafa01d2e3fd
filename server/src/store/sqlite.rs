//! SQLite implementation of [`ShareStore`], for a single relay instance.
//!
//! **Writes go through one writer thread with group commit.** The thread owns the only
//! write connection. Handlers send it jobs (create a share, log an access, reserve a
//! passcode attempt, …) over a channel; it takes every job that is queued, runs each in its
//! own savepoint inside ONE transaction, commits that transaction (one fsync with
//! `synchronous = FULL`) and only then answers each job. So an answer still means "durable",
//! but under load one fsync covers many requests instead of one each. A job that fails rolls
//! back to its savepoint and does not disturb the others in its batch.
//!
//! **Management reads use a small pool of read-only connections** on tokio's blocking pool
//! (`GET /api/shares/{id}`, the live-shares gauge); WAL lets them run while the writer
//! commits. Opening a link (a fetch, a manifest, a location) reads the ciphertext in the
//! writer's job itself: the writer must read the row anyway to decide liveness and count the
//! use, and one hand-over per request measured about twice as fast as a reader's plus the
//! writer's. Nothing slow (such as a passcode hash) ever runs in the writer.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use tokio::sync::{Semaphore, mpsc, oneshot};

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

/// Most jobs one transaction takes; more wait for the next commit. Bounds how long the
/// first job of a batch waits for the last one to run.
const MAX_BATCH: usize = 1_024;
/// Jobs waiting for the writer; senders wait (asynchronously) when it is full.
const QUEUE: usize = 4_096;

#[derive(Clone)]
pub struct SqliteStore {
    writer: mpsc::Sender<Box<dyn Job>>,
    readers: Arc<ReadPool>,
}

impl SqliteStore {
    /// Opens the database file, creating it and the schema if missing and migrating an
    /// older schema in place; starts the writer thread and opens the read connections.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let mut conn = Connection::open(path).map_err(backend)?;
        configure(&conn).map_err(backend)?;
        migrate(&mut conn)?;
        let size = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8);
        let readers = Arc::new(ReadPool::open(path, size)?);
        let (writer, jobs) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("sqlite-writer".to_owned())
            .spawn(move || run_writer(conn, jobs))
            .map_err(backend)?;
        Ok(Self { writer, readers })
    }

    /// Runs `work` in the writer's next transaction; answers once that transaction is
    /// committed (or with an error if `work` or the commit failed).
    async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Pending { work: Some(work), outcome: None, reply });
        self.writer.send(job).await.map_err(|_| writer_gone())?;
        // A caller that goes away meanwhile does not cancel the job: it still commits.
        answer.await.map_err(|_| writer_gone())?
    }

    async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        self.readers.run(work).await
    }
}

fn backend(err: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Box::new(err))
}

fn writer_gone() -> StoreError {
    StoreError::Backend("the database writer has stopped".into())
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // WAL lets readers proceed during a write; FULL makes every acknowledged share and
    // access-log entry survive a crash or power loss, not just a process kill. Group
    // commit (see the module documentation) keeps that affordable.
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

// ---------------------------------------------------------------------------------------
// The writer: group commit.

/// A write waiting for the writer thread, with the channel its caller waits on.
trait Job: Send {
    /// Runs the work in its own savepoint of the batch's transaction, keeping the outcome.
    /// An error means the transaction can no longer be committed.
    fn run(&mut self, conn: &Connection) -> Result<(), String>;
    /// Answers the caller once the batch's fate is known.
    fn settle(self: Box<Self>, committed: Result<(), &str>);
}

struct Pending<T, F> {
    work: Option<F>,
    outcome: Option<Result<T, StoreError>>,
    reply: oneshot::Sender<Result<T, StoreError>>,
}

impl<T, F> Job for Pending<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> rusqlite::Result<T> + Send,
{
    fn run(&mut self, conn: &Connection) -> Result<(), String> {
        let Some(work) = self.work.take() else { return Ok(()) };
        // The savepoint statements are cached: rusqlite's `Savepoint` would parse them
        // anew for every job.
        let statement = |sql: &str| conn.prepare_cached(sql).and_then(|mut statement| statement.execute([]));
        if let Err(err) = statement("SAVEPOINT job") {
            self.outcome = Some(Err(backend(err)));
            return Ok(());
        }
        let outcome = match std::panic::catch_unwind(AssertUnwindSafe(|| work(conn))) {
            Ok(Ok(value)) => statement("RELEASE job").map(|_| value).map_err(backend),
            Ok(Err(err)) => Err(backend(err)),
            Err(_) => Err(StoreError::Backend("a database job panicked".into())),
        };
        if outcome.is_err() {
            // Undo just this job's changes. If even that fails, the transaction is in an
            // unknown state and the whole batch must not be committed.
            statement("ROLLBACK TO job")
                .and_then(|_| statement("RELEASE job"))
                .map_err(|err| format!("cannot roll back a failed job: {err}"))?;
        }
        self.outcome = Some(outcome);
        Ok(())
    }

    fn settle(self: Box<Self>, committed: Result<(), &str>) {
        let answer = match (self.outcome, committed) {
            // Its own failure: rolled back to its savepoint, whatever became of the batch.
            (Some(Err(err)), _) => Err(err),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (_, Err(why)) => Err(StoreError::Backend(format!("the transaction was not committed: {why}").into())),
            (None, Ok(())) => Err(StoreError::Backend("the database job never ran".into())),
        };
        // The caller may have gone away; its job is done all the same.
        let _ = self.reply.send(answer);
    }
}

/// Takes every queued job (up to [`MAX_BATCH`]), runs them in one transaction, commits,
/// answers them, and repeats. Returns when every [`SqliteStore`] clone is gone.
fn run_writer(mut conn: Connection, mut jobs: mpsc::Receiver<Box<dyn Job>>) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let committed = run_batch(&mut conn, &mut batch);
        if let Err(err) = &committed {
            tracing::error!(error = %err, jobs = batch.len(), "database commit failed");
        }
        let committed = committed.as_ref().map(drop).map_err(String::as_str);
        for job in batch.drain(..) {
            job.settle(committed);
        }
    }
}

fn run_batch(conn: &mut Connection, batch: &mut [Box<dyn Job>]) -> Result<(), String> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|err| err.to_string())?;
    for job in batch.iter_mut() {
        job.run(&tx)?;
    }
    tx.commit().map_err(|err| err.to_string())
}

// ---------------------------------------------------------------------------------------
// The readers.

struct ReadPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// One permit per connection in `idle`.
    slots: Arc<Semaphore>,
}

impl ReadPool {
    fn open(path: &Path, size: usize) -> Result<Self, StoreError> {
        let idle = (0..size).map(|_| open_reader(path)).collect::<rusqlite::Result<Vec<_>>>().map_err(backend)?;
        Ok(Self { path: path.to_owned(), idle: Mutex::new(idle), slots: Arc::new(Semaphore::new(size)) })
    }

    async fn run<T, F>(self: &Arc<Self>, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let permit = Arc::clone(&self.slots).acquire_owned().await.map_err(backend)?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            // Only empty if a panic in `work` lost a connection: open a replacement.
            let idle = pool.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let mut conn = match idle {
                Some(conn) => conn,
                None => open_reader(&pool.path).map_err(backend)?,
            };
            let result = work(&mut conn);
            pool.idle.lock().unwrap_or_else(PoisonError::into_inner).push(conn);
            drop(permit);
            result.map_err(backend)
        })
        .await
        .map_err(backend)?
    }
}

fn open_reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
    )?;
    conn.execute_batch("PRAGMA busy_timeout = 5000;")?;
    Ok(conn)
}

// ---------------------------------------------------------------------------------------
// Queries shared by the operations.

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
    /// The file if `served` (and not purged), moved out of the row: the ciphertext is
    /// large, so it is never copied.
    fn take_file_if(&mut self, served: bool) -> Option<ServedFile> {
        let jwe = self.jwe.take().filter(|_| served)?;
        Some(ServedFile { jwe, content_type: std::mem::take(&mut self.content_type) })
    }
}

fn load(conn: &Connection, id: &str) -> rusqlite::Result<Option<Row>> {
    conn.prepare_cached(
        "SELECT jwe, exp, revoked_at, paused, uses, max_uses, attempts_left, flag,
                content_type, passcode_hash
         FROM shares WHERE id = ?1",
    )?
    .query_row(params![id], |row| {
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
    })
    .optional()
}

fn log(
    conn: &Connection,
    id: &str,
    now: i64,
    recipient: &str,
    action: Action,
    outcome: Outcome,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO access_log (share_id, at, recipient, action, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, now, recipient, action.as_str(), outcome.as_str()])
    .map(drop)
}

fn count_use(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE shares SET uses = uses + 1 WHERE id = ?1")?.execute(params![id]).map(drop)
}

/// The stored management hash, if `id` exists and `secret_hash` matches it.
fn owner_matches(conn: &Connection, id: &str, secret_hash: &SecretHash) -> rusqlite::Result<bool> {
    let stored: Option<Vec<u8>> = conn
        .prepare_cached("SELECT manage_hash FROM shares WHERE id = ?1")?
        .query_row(params![id], |row| row.get(0))
        .optional()?;
    Ok(stored.is_some_and(|stored| hash_matches(&stored, secret_hash)))
}

#[async_trait]
impl ShareStore for SqliteStore {
    async fn create(&self, share: NewShare) -> Result<(), StoreError> {
        self.write(move |conn| {
            conn.prepare_cached(
                "INSERT INTO shares (id, jwe, exp, created_at, manage_hash, revoked_at, flag,
                                     content_type, passcode_hash, attempts_left, max_uses)
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
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
            ])
            .map(drop)
        })
        .await
    }

    async fn fetch_for_recipient(&self, id: &str, recipient: &str, now: i64) -> Result<Option<ServedFile>, StoreError> {
        let (id, recipient) = (id.to_owned(), recipient.to_owned());
        // All in the writer, although it reads the ciphertext: the writer has to read the
        // row anyway (liveness, use count), and one hand-over per request is cheaper than a
        // reader's and then the writer's (measured: see docs/benchmarks.md).
        self.write(move |conn| {
            let Some(mut row) = load(conn, &id)? else {
                return Ok(None);
            };
            // A direct fetch exists only for U links; for others it is not an attempt to
            // open the link the way it was handed out, so it is not logged either.
            if row.flag != "U" {
                return Ok(None);
            }
            let file = row.take_file_if(row.liveness.is_live(now));
            if file.is_some() {
                count_use(conn, &id)?;
                log(conn, &id, now, &recipient, Action::Fetch, Outcome::Served)?;
            } else {
                log(conn, &id, now, &recipient, Action::Fetch, Outcome::Inactive)?;
            }
            Ok(file)
        })
        .await
    }

    async fn begin_manifest(&self, id: &str, recipient: &str, now: i64) -> Result<OpenStart, StoreError> {
        let (id, recipient) = (id.to_owned(), recipient.to_owned());
        self.write(move |conn| {
            let Some(mut row) = load(conn, &id)? else {
                return Ok(OpenStart::Inactive);
            };
            Ok(match (row.take_file_if(row.liveness.is_live(now)), row.passcode_hash) {
                (None, _) => {
                    log(conn, &id, now, &recipient, Action::Manifest, Outcome::Inactive)?;
                    OpenStart::Inactive
                }
                (Some(file), None) => {
                    count_use(conn, &id)?;
                    log(conn, &id, now, &recipient, Action::Manifest, Outcome::Served)?;
                    OpenStart::Served(file)
                }
                (Some(_), Some(passcode_hash)) => {
                    // Reserve one attempt, in the same transaction as the liveness check,
                    // before the slow check runs outside the writer. Live implies
                    // attempts_left > 0, so this never goes below zero.
                    let attempts_left = conn
                        .prepare_cached(
                            "UPDATE shares SET attempts_left = attempts_left - 1 WHERE id = ?1
                             RETURNING attempts_left",
                        )?
                        .query_row(params![id], |row| row.get(0))?;
                    OpenStart::PasscodeReserved { passcode_hash, attempts_left }
                }
            })
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
        self.write(move |conn| {
            if passcode_ok {
                // The right passcode gives its reserved attempt back.
                conn.execute(
                    "UPDATE shares SET attempts_left = attempts_left + 1
                     WHERE id = ?1 AND attempts_left IS NOT NULL",
                    params![id],
                )?;
            }
            let Some(mut row) = load(conn, &id)? else {
                return Ok(PasscodeResult::Inactive);
            };
            Ok(if passcode_ok {
                // Re-checked: the share may have been revoked, paused or used up while
                // the passcode was being verified.
                match row.take_file_if(row.liveness.is_live(now)) {
                    Some(file) => {
                        count_use(conn, &id)?;
                        log(conn, &id, now, &recipient, Action::Manifest, Outcome::Served)?;
                        PasscodeResult::Served(file)
                    }
                    None => {
                        log(conn, &id, now, &recipient, Action::Manifest, Outcome::Inactive)?;
                        PasscodeResult::Inactive
                    }
                }
            } else {
                log(conn, &id, now, &recipient, Action::Manifest, Outcome::WrongPasscode)?;
                PasscodeResult::Wrong
            })
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
        self.write(move |conn| {
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
        self.write(move |conn| {
            let token: Option<(String, i64)> = conn
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
            let Some(mut row) = load(conn, &id)? else {
                return Ok(None);
            };
            let file = row.take_file_if(now < expires_at && row.liveness.is_live_ignoring_uses(now));
            let outcome = if file.is_some() { Outcome::Served } else { Outcome::Inactive };
            log(conn, &id, now, &recipient, Action::Location, outcome)?;
            Ok(file)
        })
        .await
    }

    async fn get_manage(&self, id: &str, secret_hash: &SecretHash) -> Result<Option<ShareInfo>, StoreError> {
        let (id, secret_hash) = (id.to_owned(), *secret_hash);
        self.read(move |conn| {
            // One snapshot for the row and its log.
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
        self.write(move |conn| {
            if !owner_matches(conn, &id, &secret_hash)? {
                return Ok(false);
            }
            conn.execute("UPDATE shares SET paused = ?2 WHERE id = ?1", params![id, paused])?;
            Ok(true)
        })
        .await
    }

    async fn revoke(&self, id: &str, secret_hash: &SecretHash, now: i64) -> Result<bool, StoreError> {
        let (id, secret_hash) = (id.to_owned(), *secret_hash);
        self.write(move |conn| {
            if !owner_matches(conn, &id, &secret_hash)? {
                return Ok(false);
            }
            // The ciphertext goes at once: after revoking, nothing is left to leak.
            conn.execute(
                "UPDATE shares SET revoked_at = COALESCE(revoked_at, ?2), jwe = NULL
                 WHERE id = ?1",
                params![id, now],
            )?;
            conn.execute("DELETE FROM location_tokens WHERE share_id = ?1", params![id])?;
            Ok(true)
        })
        .await
    }

    async fn purge_expired(&self, now: i64) -> Result<u64, StoreError> {
        self.write(move |conn| {
            conn.execute("DELETE FROM location_tokens WHERE expires_at <= ?1", params![now])?;
            // A used-up share keeps its ciphertext while a location URL from its last
            // open may still be fetched. Paused shares keep it: they can be resumed. A
            // locked-out share keeps it until it expires, because a budget of zero may be
            // a right passcode's reserved attempt that is about to be refunded.
            let purged = conn.execute(
                "UPDATE shares SET jwe = NULL
                 WHERE jwe IS NOT NULL AND (
                     exp <= ?1 OR revoked_at IS NOT NULL
                     OR (max_uses IS NOT NULL AND uses >= max_uses AND NOT EXISTS (
                         SELECT 1 FROM location_tokens t WHERE t.share_id = shares.id)))",
                params![now],
            )?;
            Ok(purged as u64)
        })
        .await
    }

    async fn count_live(&self, now: i64) -> Result<u64, StoreError> {
        self.read(move |conn| {
            conn.query_row(&format!("SELECT COUNT(*) FROM shares WHERE {LIVE_SQL}"), params![now], |row| {
                row.get::<_, i64>(0)
            })
            .map(|n| u64::try_from(n).unwrap_or(0))
        })
        .await
    }
}
