//! The one writer thread and its group commit: every queued job runs in its own savepoint
//! of one transaction, which is committed once before any job is answered.

use std::panic::AssertUnwindSafe;

use rusqlite::{Connection, TransactionBehavior};
use tokio::sync::{mpsc, oneshot};

use super::backend;
use crate::store::StoreError;

/// Most jobs one transaction takes; more wait for the next commit. Bounds how long the
/// first job of a batch waits for the last one to run.
pub(super) const MAX_BATCH: usize = 1_024;
/// Jobs waiting for the writer; senders wait (asynchronously) when it is full.
pub(super) const QUEUE: usize = 4_096;

/// A write waiting for the writer thread, with the channel its caller waits on.
pub(super) trait Job: Send {
    /// Runs the work in its own savepoint of the batch's transaction, keeping the outcome.
    /// An error means the transaction can no longer be committed.
    fn run(&mut self, conn: &Connection) -> Result<(), String>;
    /// Answers the caller once the batch's fate is known.
    fn settle(self: Box<Self>, committed: Result<(), &str>);
}

pub(super) struct Pending<T, F> {
    pub(super) work: Option<F>,
    pub(super) outcome: Option<Result<T, StoreError>>,
    pub(super) reply: oneshot::Sender<Result<T, StoreError>>,
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
pub(super) fn run_writer(mut conn: Connection, mut jobs: mpsc::Receiver<Box<dyn Job>>) {
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
