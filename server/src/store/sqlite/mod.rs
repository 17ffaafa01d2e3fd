//! SQLite implementation of [`ShareStore`](super::ShareStore), for a single relay instance.
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
//!
//! The parts: [`schema`] (creating and migrating the database), [`writer`] (group commit),
//! [`readers`] (the read-only pool), [`share_store`] (the trait's operations in SQL) and
//! [`replies`] (clinicians' replies).

mod readers;
mod replies;
mod schema;
mod share_store;
mod writer;

use std::path::Path;
use std::sync::Arc;

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use self::readers::ReadPool;
use self::writer::{Job, Pending, QUEUE, run_writer};
use super::{StoreError, StoreLimits};
pub use schema::{SCHEMA_V1, SCHEMA_VERSION};

#[derive(Clone)]
pub struct SqliteStore {
    writer: mpsc::Sender<Box<dyn Job>>,
    readers: Arc<ReadPool>,
    limits: StoreLimits,
}

impl SqliteStore {
    /// Opens the database file, creating it and the schema if missing and migrating an
    /// older schema in place; starts the writer thread and opens the read connections.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, StoreLimits::default())
    }

    /// [`Self::open`] with the caps the store enforces.
    pub fn open_with(path: impl AsRef<Path>, limits: StoreLimits) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let mut conn = Connection::open(path).map_err(backend)?;
        schema::configure(&conn).map_err(backend)?;
        schema::migrate(&mut conn)?;
        let size = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8);
        let readers = Arc::new(ReadPool::open(path, size)?);
        let (writer, jobs) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("sqlite-writer".to_owned())
            .spawn(move || run_writer(conn, jobs))
            .map_err(backend)?;
        Ok(Self { writer, readers, limits })
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

pub(super) fn backend(err: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Box::new(err))
}

pub(super) fn writer_gone() -> StoreError {
    StoreError::Backend("the database writer has stopped".into())
}
