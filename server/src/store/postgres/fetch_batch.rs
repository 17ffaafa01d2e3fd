//! Group commit of direct fetches (`GET /shl/{id}` of U links), one per relay instance.
//!
//! Every fetch counts a use and logs the access before it is answered, and a commit waits for
//! PostgreSQL's WAL to reach the disk (~5 ms here). One transaction per fetch, each holding the
//! share's row lock until its commit, meant that fetches of one share followed each other at the
//! disk's flush rate (about 320 per second however many instances). Here one task per instance
//! takes every fetch that is waiting (up to [`MAX_BATCH`]) into ONE transaction:
//!
//! 1. it locks the rows of every share the batch asks for, in id order (`ORDER BY id FOR UPDATE`),
//!    so two instances' batches never wait on each other in a cycle, and reads what liveness is
//!    derived from (not the ciphertext);
//! 2. it decides each fetch in arrival order, exactly as one transaction per fetch would (a use
//!    counted by an earlier fetch of the batch counts against `maxUses` for the next);
//! 3. it writes every count with one `UPDATE` and every access-log row with one `INSERT`, reads
//!    the ciphertext of served shares it does not keep in memory ([`FileCache`]), commits once,
//!    and only then answers each fetch.
//!
//! So an answered fetch is still committed (durable) with its count and log entry, and uses are
//! still counted exactly across instances (the row lock is held from the decision to the
//! commit); only the flush is shared. If the batch fails, every fetch in it gets the error and
//! nothing of it was written. A deadlock with another transaction (the purge updates many rows
//! in no particular order) rolls the batch back and it is run again.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use deadpool_postgres::{Pool, PoolError};
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::error::SqlState;

use super::{backend, pg};
use crate::store::file_cache::FileCache;
use crate::store::{Flag, Liveness, ServedFile, ShareId, StoreError};

/// Most fetches one transaction takes; more wait for the next. Bounds how long the first fetch
/// of a batch waits for the others to be decided and written.
pub(super) const MAX_BATCH: usize = 512;
/// Fetches waiting for the batcher; senders wait (asynchronously) when it is full.
pub(super) const QUEUE: usize = 4_096;
/// How often a batch is run again after PostgreSQL rolled it back to break a deadlock.
const DEADLOCK_RETRIES: usize = 3;

pub(super) struct FetchJob {
    pub(super) id: ShareId,
    pub(super) recipient: String,
    pub(super) now: i64,
    pub(super) reply: oneshot::Sender<Result<Option<ServedFile>, StoreError>>,
}

/// Runs batches until every sender is gone (the store was dropped).
pub(super) async fn run(pool: Pool, log_cap: u32, cache: Arc<FileCache>, mut jobs: mpsc::Receiver<FetchJob>) {
    let mut batch: Vec<FetchJob> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = jobs.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut outcome = run_batch(&pool, log_cap, &cache, &batch).await;
        for _ in 0..DEADLOCK_RETRIES {
            match &outcome {
                Err(Retry::Deadlock(_)) => outcome = run_batch(&pool, log_cap, &cache, &batch).await,
                _ => break,
            }
        }
        match outcome {
            Ok(files) => {
                for (job, file) in batch.drain(..).zip(files) {
                    // The client may have gone away; its fetch is counted all the same.
                    let _ = job.reply.send(Ok(file));
                }
            }
            Err(Retry::Deadlock(err) | Retry::Failed(err)) => {
                tracing::error!(error = %err, fetches = batch.len(), "a batch of fetches was not committed");
                let unavailable = matches!(err, StoreError::Unavailable(_));
                for job in batch.drain(..) {
                    let err = if unavailable {
                        StoreError::Unavailable("the database is unavailable".into())
                    } else {
                        StoreError::Backend("the fetch was not committed".into())
                    };
                    let _ = job.reply.send(Err(err));
                }
            }
        }
    }
}

enum Retry {
    /// PostgreSQL rolled the batch back to break a deadlock: nothing was written.
    Deadlock(StoreError),
    Failed(StoreError),
}

impl From<tokio_postgres::Error> for Retry {
    fn from(err: tokio_postgres::Error) -> Self {
        let deadlock = err.code().is_some_and(|code| *code == SqlState::T_R_DEADLOCK_DETECTED);
        if deadlock { Retry::Deadlock(pg(err)) } else { Retry::Failed(pg(err)) }
    }
}

/// What the batch knows of one share while it decides: its row, and what the batch adds to it.
struct Share {
    flag: Flag,
    content_type: String,
    liveness: Liveness,
    log_rows: i64,
    added_uses: i64,
    added_served: i64,
    added_inactive: i64,
    added_log_rows: i64,
    /// When the batch served the share first: its reply window opens then, if not open yet.
    first_served_at: Option<i64>,
}

/// One transaction for the whole batch; the answers in the batch's order.
async fn run_batch(
    pool: &Pool,
    log_cap: u32,
    cache: &FileCache,
    batch: &[FetchJob],
) -> Result<Vec<Option<ServedFile>>, Retry> {
    let mut client = pool.get().await.map_err(|err| {
        Retry::Failed(match err {
            PoolError::Backend(err) => pg(err),
            err => StoreError::Unavailable(Box::new(err)),
        })
    })?;
    let tx = client.transaction().await?;

    let mut ids: Vec<&str> = batch.iter().map(|job| job.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let lock = tx
        .prepare_cached(
            "SELECT id, jwe IS NULL, exp, revoked_at, paused, uses, max_uses, attempts_left, flag, content_type,
                    log_rows
             FROM shares WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        )
        .await?;
    let mut shares: HashMap<String, Share> = HashMap::with_capacity(ids.len());
    for row in tx.query(&lock, &[&ids]).await? {
        let count = |value: i64| u32::try_from(value.max(0)).unwrap_or(u32::MAX);
        let revoked_at: Option<i64> = row.try_get(3)?;
        let flag: &str = row.try_get(8)?;
        let Some(flag) = Flag::parse(flag) else {
            return Err(Retry::Failed(StoreError::Backend(format!("unknown stored flag {flag:?}").into())));
        };
        let share = Share {
            flag,
            content_type: row.try_get(9)?,
            liveness: Liveness {
                revoked: revoked_at.is_some(),
                paused: row.try_get(4)?,
                exp: row.try_get(2)?,
                uses: count(row.try_get(5)?),
                max_uses: row.try_get::<_, Option<i64>>(6)?.map(count),
                attempts_left: row.try_get::<_, Option<i64>>(7)?.map(count),
                purged: row.try_get(1)?,
            },
            log_rows: row.try_get(10)?,
            added_uses: 0,
            added_served: 0,
            added_inactive: 0,
            added_log_rows: 0,
            first_served_at: None,
        };
        shares.insert(row.try_get(0)?, share);
    }

    // Decided in arrival order, each seeing the counts of those before it.
    let mut served = vec![false; batch.len()];
    let mut log = AccessLogRows::default();
    for (job, served) in batch.iter().zip(&mut served) {
        // Unknown ids, and direct fetches of links that are not U links, are neither served nor
        // logged (as with one transaction per fetch).
        let Some(share) = shares.get_mut(job.id.as_str()).filter(|share| share.flag == Flag::U) else {
            continue;
        };
        *served = share.liveness.is_live(job.now);
        if *served {
            share.liveness.uses = share.liveness.uses.saturating_add(1);
            share.added_uses += 1;
            share.added_served += 1;
            share.first_served_at.get_or_insert(job.now);
        } else {
            share.added_inactive += 1;
        }
        if share.log_rows < i64::from(log_cap) {
            share.log_rows += 1;
            share.added_log_rows += 1;
            log.push(job, *served);
        }
    }

    let changed: Vec<(&String, &Share)> =
        shares.iter().filter(|(_, share)| share.added_served + share.added_inactive > 0).collect();
    if !changed.is_empty() {
        let update = tx
            .prepare_cached(
                "UPDATE shares s SET uses = s.uses + d.uses, served_count = s.served_count + d.served,
                        inactive_count = s.inactive_count + d.inactive, log_rows = s.log_rows + d.logged,
                        first_opened_at = COALESCE(s.first_opened_at, d.first_served)
                 FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[])
                      AS d(id, uses, served, inactive, logged, first_served)
                 WHERE s.id = d.id",
            )
            .await?;
        let column = |field: fn(&Share) -> i64| changed.iter().map(|(_, share)| field(share)).collect::<Vec<i64>>();
        let changed_ids: Vec<&str> = changed.iter().map(|(id, _)| id.as_str()).collect();
        tx.execute(
            &update,
            &[
                &changed_ids,
                &column(|share| share.added_uses),
                &column(|share| share.added_served),
                &column(|share| share.added_inactive),
                &column(|share| share.added_log_rows),
                &changed.iter().map(|(_, share)| share.first_served_at).collect::<Vec<Option<i64>>>(),
            ],
        )
        .await?;
    }
    if !log.share_ids.is_empty() {
        let insert = tx
            .prepare_cached(
                "INSERT INTO access_log (share_id, at, recipient, action, outcome)
                 SELECT id, at, recipient, 'fetch', outcome
                 FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY
                      AS l(id, at, recipient, outcome, n)
                 ORDER BY n",
            )
            .await?;
        tx.execute(&insert, &[&log.share_ids, &log.at, &log.recipients, &log.outcomes]).await?;
    }

    // The ciphertext of served shares, from memory when kept there; the rest in this
    // transaction, while the rows are locked (not purged or revoked meanwhile).
    let mut files: HashMap<&str, (&ShareId, Option<Bytes>)> = HashMap::new();
    for job in batch.iter().zip(&served).filter_map(|(job, served)| served.then_some(job)) {
        files.entry(job.id.as_str()).or_insert_with(|| (&job.id, cache.get(&job.id)));
    }
    let missing: Vec<&str> = files.iter().filter(|(_, (_, jwe))| jwe.is_none()).map(|(id, _)| *id).collect();
    if !missing.is_empty() {
        let read = tx.prepare_cached("SELECT id, jwe FROM shares WHERE id = ANY($1) AND jwe IS NOT NULL").await?;
        for row in tx.query(&read, &[&missing]).await? {
            let (id, jwe): (&str, &str) = (row.try_get(0)?, row.try_get(1)?);
            if let Some((id, file)) = files.get_mut(id) {
                let jwe = Bytes::copy_from_slice(jwe.as_bytes());
                cache.insert(id, &jwe);
                *file = Some(jwe);
            }
        }
    }
    tx.commit().await?;

    // Shares found not servable keep no copy in memory.
    for (job, _) in batch.iter().zip(&served).filter(|(_, served)| !**served) {
        cache.remove(&job.id);
    }
    batch
        .iter()
        .zip(served)
        .map(|(job, served)| {
            if !served {
                return Ok(None);
            }
            let jwe = files.get(job.id.as_str()).and_then(|(_, jwe)| jwe.clone()).ok_or_else(|| {
                Retry::Failed(backend(std::io::Error::other("a served share's ciphertext was not found")))
            })?;
            let content_type = shares.get(job.id.as_str()).map(|share| share.content_type.clone()).unwrap_or_default();
            Ok(Some(ServedFile { jwe, content_type }))
        })
        .collect()
}

/// The access-log rows of a batch, as the columns `unnest` takes.
#[derive(Default)]
struct AccessLogRows<'a> {
    share_ids: Vec<&'a str>,
    at: Vec<i64>,
    recipients: Vec<&'a str>,
    outcomes: Vec<&'static str>,
}

impl<'a> AccessLogRows<'a> {
    fn push(&mut self, job: &'a FetchJob, served: bool) {
        self.share_ids.push(job.id.as_str());
        self.at.push(job.now);
        self.recipients.push(&job.recipient);
        self.outcomes.push(if served { "served" } else { "inactive" });
    }
}
