//! The [`ShareStore`] operations in SQL for PostgreSQL. Each decision is one transaction that
//! locks the share's row first, the same steps as the SQLite store's writer jobs.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::IsolationLevel;
use tokio_postgres::types::{FromSql, ToSql, Type};

use tokio::sync::oneshot;

use super::fetch_batch::FetchJob;
use super::{PgStore, pg, replies};
use crate::store::{
    AccessCounts, AccessEntry, Action, Flag, Liveness, LogPage, NewReply, NewShare, OpenStart, Outcome,
    PasscodeCheck, PasscodeResult, ReplyOutcome, SecretHash, ServedFile, ShareId, ShareInfo, ShareStore, StoreError,
    StoredReply, hash_matches,
};

/// The SQL twin of [`Liveness::is_live`], for counting.
const LIVE_SQL: &str = "jwe IS NOT NULL AND revoked_at IS NULL AND NOT paused AND exp > $1
    AND (max_uses IS NULL OR uses < max_uses) AND (attempts_left IS NULL OR attempts_left > 0)";

const ROW_COLUMNS: &str = "jwe, exp, revoked_at, paused, uses, max_uses, attempts_left, flag, content_type,
    passcode_hash, log_rows";

/// One share's row, everything but the management hash.
struct Row {
    jwe: Option<String>,
    revoked_at: Option<i64>,
    flag: Flag,
    content_type: String,
    passcode_hash: Option<String>,
    liveness: Liveness,
    log_rows: i64,
}

impl Row {
    fn take_file_if(&mut self, served: bool) -> Option<ServedFile> {
        let jwe = self.jwe.take().filter(|_| served)?;
        Some(ServedFile { jwe: jwe.into(), content_type: std::mem::take(&mut self.content_type) })
    }
}

fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(if value < 0 { 0 } else { u32::MAX })
}

fn parse_row(row: &tokio_postgres::Row) -> Result<Row, StoreError> {
    let jwe: Option<String> = row.try_get(0).map_err(pg)?;
    let revoked_at: Option<i64> = row.try_get(2).map_err(pg)?;
    let flag: Word<Flag> = row.try_get(7).map_err(pg)?;
    Ok(Row {
        liveness: Liveness {
            revoked: revoked_at.is_some(),
            paused: row.try_get(3).map_err(pg)?,
            exp: row.try_get(1).map_err(pg)?,
            uses: count(row.try_get(4).map_err(pg)?),
            max_uses: row.try_get::<_, Option<i64>>(5).map_err(pg)?.map(count),
            attempts_left: row.try_get::<_, Option<i64>>(6).map_err(pg)?.map(count),
            purged: jwe.is_none(),
        },
        jwe,
        revoked_at,
        flag: flag.0,
        content_type: row.try_get(8).map_err(pg)?,
        passcode_hash: row.try_get(9).map_err(pg)?,
        log_rows: row.try_get(10).map_err(pg)?,
    })
}

/// The share's row, locked until the transaction ends: every decision about a share is
/// made by one instance at a time.
async fn load_for_update(tx: &impl GenericClient, id: &ShareId) -> Result<Option<Row>, StoreError> {
    let statement =
        tx.prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM shares WHERE id = $1 FOR UPDATE")).await.map_err(pg)?;
    tx.query_opt(&statement, &[&id.as_str()]).await.map_err(pg)?.as_ref().map(parse_row).transpose()
}

/// Counts an access of a known share (`row` was loaded and locked in this transaction) and
/// logs it while the share has fewer than `cap` log rows; past the cap only the count grows.
/// A served open also counts a use when `counts_use`.
#[allow(clippy::too_many_arguments)]
async fn record(
    tx: &impl GenericClient,
    row: &Row,
    cap: u32,
    id: &ShareId,
    now: i64,
    recipient: &str,
    action: Action,
    outcome: Outcome,
    counts_use: bool,
) -> Result<(), StoreError> {
    let logged = row.log_rows < i64::from(cap);
    let counter = match outcome {
        Outcome::Served => "served_count",
        Outcome::WrongPasscode => "wrong_passcode_count",
        Outcome::Inactive => "inactive_count",
    };
    let update = tx
        .prepare_cached(&format!(
            "UPDATE shares SET {counter} = {counter} + 1, uses = uses + $2, log_rows = log_rows + $3,
                 first_opened_at = CASE WHEN $2 > 0 THEN COALESCE(first_opened_at, $4) ELSE first_opened_at END
             WHERE id = $1"
        ))
        .await
        .map_err(pg)?;
    let uses: i64 = (counts_use && outcome == Outcome::Served).into();
    let rows: i64 = logged.into();
    let id = id.as_str();
    // A counted open also opens the share's reply window, at its first time.
    let counts: [&(dyn ToSql + Sync); 4] = [&id, &uses, &rows, &now];
    if !logged {
        return tx.execute(&update, &counts).await.map(drop).map_err(pg);
    }
    let insert = tx
        .prepare_cached("INSERT INTO access_log (share_id, at, recipient, action, outcome) VALUES ($1, $2, $3, $4, $5)")
        .await
        .map_err(pg)?;
    let (action, outcome) = (action.as_str(), outcome.as_str());
    let entry: [&(dyn ToSql + Sync); 5] = [&id, &now, &recipient, &action, &outcome];
    // Both statements go out together (tokio-postgres pipelines them on the connection).
    tokio::try_join!(tx.execute(&update, &counts), tx.execute(&insert, &entry)).map(drop).map_err(pg)
}

/// Whether `id` exists and `secret_hash` is its management hash (compared in constant time).
/// The hash never changes, so no lock is needed.
pub(super) async fn owner_matches(
    client: &impl GenericClient,
    id: &ShareId,
    secret_hash: &SecretHash,
) -> Result<bool, StoreError> {
    let statement = client.prepare_cached("SELECT manage_hash FROM shares WHERE id = $1").await.map_err(pg)?;
    let stored: Option<Vec<u8>> =
        client.query_opt(&statement, &[&id.as_str()]).await.map_err(pg)?.map(|row| row.get(0));
    Ok(stored.is_some_and(|stored| hash_matches(&stored, secret_hash)))
}

/// Locks the byte total first: every transaction that changes `jwe` does (see the schema), so
/// they queue in one order and never deadlock.
pub(super) async fn lock_stored_bytes(tx: &impl GenericClient) -> Result<(), StoreError> {
    tx.execute("SELECT total FROM stored_bytes WHERE id = 1 FOR UPDATE", &[]).await.map(drop).map_err(pg)
}

#[async_trait]
impl ShareStore for PgStore {
    async fn create(&self, share: NewShare) -> Result<(), StoreError> {
        let store = self.clone();
        self.run(async move {
            let client = store.client().await?;
            // One statement, so one implicit transaction: the total grows only if it stays
            // within the cap, and the row is inserted only if it did. Parallel creates queue on
            // the total's row, so together they cannot pass the cap either.
            let statement = client
                .prepare_cached(
                    "WITH room AS (
                         UPDATE stored_bytes SET total = total + $11 WHERE id = 1 AND total + $11 <= $12
                         RETURNING 1)
                     INSERT INTO shares (id, jwe, exp, created_at, manage_hash, flag, content_type,
                                         passcode_hash, attempts_left, max_uses)
                     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM room",
                )
                .await
                .map_err(pg)?;
            let bytes = i64::try_from(share.jwe.len()).unwrap_or(i64::MAX);
            let cap = i64::try_from(store.limits.max_stored_bytes).unwrap_or(i64::MAX);
            let inserted = client
                .execute(
                    &statement,
                    &[
                        &share.id.as_str(),
                        &share.jwe,
                        &share.exp,
                        &share.created_at,
                        &share.manage_hash.as_slice(),
                        &share.flag.as_str(),
                        &share.content_type,
                        &share.passcode_hash,
                        &share.passcode_attempts.map(i64::from),
                        &share.max_uses.map(i64::from),
                        &bytes,
                        &cap,
                    ],
                )
                .await
                .map_err(pg)?;
            if inserted == 1 { Ok(()) } else { Err(StoreError::Full) }
        })
        .await
    }

    async fn fetch_for_recipient(
        &self,
        id: &ShareId,
        recipient: &str,
        now: i64,
    ) -> Result<Option<ServedFile>, StoreError> {
        // Decided, counted, logged and committed together with the other fetches waiting at
        // this instance (see `fetch_batch`); answered after the commit.
        let (reply, answer) = oneshot::channel();
        let job = FetchJob { id: id.clone(), recipient: recipient.to_owned(), now, reply };
        let gone = || StoreError::Backend("the fetch batcher has stopped".into());
        self.fetches().send(job).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }

    async fn begin_manifest(&self, id: &ShareId, recipient: &str, now: i64) -> Result<OpenStart, StoreError> {
        let (store, id, recipient) = (self.clone(), id.clone(), recipient.to_owned());
        self.run(async move {
            let mut client = store.client().await?;
            let tx = client.transaction().await.map_err(pg)?;
            let Some(mut row) = load_for_update(&tx, &id).await? else {
                return Ok(OpenStart::Inactive);
            };
            let cap = store.limits.access_log_rows_per_share;
            let start = match (row.take_file_if(row.liveness.is_live(now)), row.passcode_hash.take()) {
                (None, _) => {
                    record(&tx, &row, cap, &id, now, &recipient, Action::Manifest, Outcome::Inactive, false).await?;
                    OpenStart::Inactive
                }
                (Some(file), None) => {
                    record(&tx, &row, cap, &id, now, &recipient, Action::Manifest, Outcome::Served, true).await?;
                    OpenStart::Served(file)
                }
                (Some(_), Some(passcode_hash)) => {
                    // Reserve one attempt under the row's lock, before the slow check runs
                    // outside any transaction. Live implies attempts_left > 0.
                    let left: i64 = tx
                        .query_one(
                            "UPDATE shares SET attempts_left = attempts_left - 1 WHERE id = $1 RETURNING attempts_left",
                            &[&id.as_str()],
                        )
                        .await
                        .map_err(pg)?
                        .get(0);
                    OpenStart::PasscodeReserved { passcode_hash, attempts_left: count(left) }
                }
            };
            tx.commit().await.map_err(pg)?;
            Ok(start)
        })
        .await
    }

    async fn finish_manifest(
        &self,
        id: &ShareId,
        recipient: &str,
        now: i64,
        check: PasscodeCheck,
    ) -> Result<PasscodeResult, StoreError> {
        let (store, id, recipient) = (self.clone(), id.clone(), recipient.to_owned());
        self.run(async move {
            let mut client = store.client().await?;
            let tx = client.transaction().await.map_err(pg)?;
            let Some(mut row) = load_for_update(&tx, &id).await? else {
                return Ok(PasscodeResult::Inactive);
            };
            if check != PasscodeCheck::Wrong && row.liveness.attempts_left.is_some() {
                // The right passcode gives its reserved attempt back, and so does a check
                // that could not be made.
                tx.execute("UPDATE shares SET attempts_left = attempts_left + 1 WHERE id = $1", &[&id.as_str()])
                    .await
                    .map_err(pg)?;
                row.liveness.attempts_left = row.liveness.attempts_left.map(|left| left.saturating_add(1));
            }
            let cap = store.limits.access_log_rows_per_share;
            let result = match check {
                PasscodeCheck::Failed => PasscodeResult::NotChecked,
                // Re-checked: the share may have been revoked, paused or used up while the
                // passcode was being verified.
                PasscodeCheck::Right => match row.take_file_if(row.liveness.is_live(now)) {
                    Some(file) => {
                        record(&tx, &row, cap, &id, now, &recipient, Action::Manifest, Outcome::Served, true).await?;
                        PasscodeResult::Served(file)
                    }
                    None => {
                        record(&tx, &row, cap, &id, now, &recipient, Action::Manifest, Outcome::Inactive, false)
                            .await?;
                        PasscodeResult::Inactive
                    }
                },
                PasscodeCheck::Wrong => {
                    record(&tx, &row, cap, &id, now, &recipient, Action::Manifest, Outcome::WrongPasscode, false)
                        .await?;
                    PasscodeResult::Wrong
                }
            };
            tx.commit().await.map_err(pg)?;
            Ok(result)
        })
        .await
    }

    async fn issue_location(
        &self,
        id: &ShareId,
        token_hash: &SecretHash,
        recipient: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let (store, id, token_hash, recipient) = (self.clone(), id.clone(), *token_hash, recipient.to_owned());
        self.run(async move {
            let client = store.client().await?;
            // Never past the share's own expiry.
            client
                .execute(
                    "INSERT INTO location_tokens (token_hash, share_id, recipient, expires_at)
                     SELECT $1, id, $3, LEAST($4, exp) FROM shares WHERE id = $2",
                    &[&token_hash.as_slice(), &id.as_str(), &recipient, &expires_at],
                )
                .await
                .map(drop)
                .map_err(pg)
        })
        .await
    }

    async fn fetch_location(
        &self,
        id: &ShareId,
        token_hash: &SecretHash,
        now: i64,
    ) -> Result<Option<ServedFile>, StoreError> {
        let (store, id, token_hash) = (self.clone(), id.clone(), *token_hash);
        self.run(async move {
            let mut client = store.client().await?;
            let tx = client.transaction().await.map_err(pg)?;
            let token = tx
                .query_opt(
                    "SELECT recipient, expires_at FROM location_tokens WHERE token_hash = $1 AND share_id = $2",
                    &[&token_hash.as_slice(), &id.as_str()],
                )
                .await
                .map_err(pg)?;
            let Some(token) = token else {
                return Ok(None);
            };
            let (recipient, expires_at): (String, i64) = (token.get(0), token.get(1));
            let Some(mut row) = load_for_update(&tx, &id).await? else {
                return Ok(None);
            };
            let file = row.take_file_if(now < expires_at && row.liveness.is_live_ignoring_uses(now));
            let outcome = if file.is_some() { Outcome::Served } else { Outcome::Inactive };
            let cap = store.limits.access_log_rows_per_share;
            record(&tx, &row, cap, &id, now, &recipient, Action::Location, outcome, false).await?;
            tx.commit().await.map_err(pg)?;
            Ok(file)
        })
        .await
    }

    async fn get_manage(
        &self,
        id: &ShareId,
        secret_hash: &SecretHash,
        page: LogPage,
    ) -> Result<Option<ShareInfo>, StoreError> {
        let (store, id, secret_hash) = (self.clone(), id.clone(), *secret_hash);
        self.run(async move {
            let mut client = store.client().await?;
            // One snapshot for the row and its log.
            let tx = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .await
                .map_err(pg)?;
            if !owner_matches(&tx, &id, &secret_hash).await? {
                return Ok(None);
            }
            let statement = tx
                .prepare_cached(&format!(
                    "SELECT {ROW_COLUMNS}, created_at, served_count, wrong_passcode_count, inactive_count
                     FROM shares WHERE id = $1"
                ))
                .await
                .map_err(pg)?;
            let Some(found) = tx.query_opt(&statement, &[&id.as_str()]).await.map_err(pg)? else {
                return Ok(None);
            };
            let row = parse_row(&found)?;
            let created_at: i64 = found.try_get(11).map_err(pg)?;
            let tally = |i: usize| found.try_get::<_, i64>(i).map(|n| u64::try_from(n).unwrap_or(0)).map_err(pg);
            let access_counts = AccessCounts { served: tally(12)?, wrong_passcode: tally(13)?, inactive: tally(14)? };
            // Newest first, one more than asked to learn whether an older page exists.
            let entries = tx
                .prepare_cached(
                    "SELECT id, at, recipient, action, outcome FROM access_log
                     WHERE share_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
                )
                .await
                .map_err(pg)?;
            let before = page.before.unwrap_or(i64::MAX);
            let limit = i64::from(page.limit) + 1;
            let mut page_rows = Vec::new();
            for entry in tx.query(&entries, &[&id.as_str(), &before, &limit]).await.map_err(pg)? {
                let action: Word<Action> = entry.try_get(3).map_err(pg)?;
                let outcome: Word<Outcome> = entry.try_get(4).map_err(pg)?;
                let at = entry.try_get(1).map_err(pg)?;
                let recipient = entry.try_get(2).map_err(pg)?;
                let row_id: i64 = entry.try_get(0).map_err(pg)?;
                page_rows.push((row_id, AccessEntry { at, recipient, action: action.0, outcome: outcome.0 }));
            }
            tx.commit().await.map_err(pg)?;
            let has_older = page_rows.len() > page.limit as usize;
            page_rows.truncate(page.limit as usize);
            let access_log_before = page_rows.last().map(|(row_id, _)| *row_id).filter(|_| has_older);
            let access_log = page_rows.into_iter().rev().map(|(_, entry)| entry).collect();
            Ok(Some(ShareInfo {
                id,
                created_at,
                revoked_at: row.revoked_at,
                flag: row.flag,
                content_type: row.content_type,
                liveness: row.liveness,
                access_log,
                access_log_before,
                access_counts,
            }))
        })
        .await
    }

    async fn set_paused(&self, id: &ShareId, secret_hash: &SecretHash, paused: bool) -> Result<bool, StoreError> {
        let (store, id, secret_hash) = (self.clone(), id.clone(), *secret_hash);
        self.run(async move {
            let client = store.client().await?;
            if !owner_matches(&client, &id, &secret_hash).await? {
                return Ok(false);
            }
            client
                .execute("UPDATE shares SET paused = $2 WHERE id = $1", &[&id.as_str(), &paused])
                .await
                .map_err(pg)?;
            Ok(true)
        })
        .await
    }

    async fn revoke(&self, id: &ShareId, secret_hash: &SecretHash, now: i64) -> Result<bool, StoreError> {
        let (store, id, secret_hash) = (self.clone(), id.clone(), *secret_hash);
        self.run(async move {
            let mut client = store.client().await?;
            if !owner_matches(&client, &id, &secret_hash).await? {
                return Ok(false);
            }
            let tx = client.transaction().await.map_err(pg)?;
            lock_stored_bytes(&tx).await?;
            // The ciphertext goes at once: after revoking, nothing is left to leak.
            tx.execute(
                "UPDATE shares SET revoked_at = COALESCE(revoked_at, $2), jwe = NULL WHERE id = $1",
                &[&id.as_str(), &now],
            )
            .await
            .map_err(pg)?;
            tx.execute("DELETE FROM location_tokens WHERE share_id = $1", &[&id.as_str()]).await.map_err(pg)?;
            tx.commit().await.map_err(pg)?;
            // Not kept in this instance's memory either (others drop theirs when next asked).
            store.cache.remove(&id);
            Ok(true)
        })
        .await
    }

    async fn purge_expired(&self, now: i64, retention_secs: i64) -> Result<u64, StoreError> {
        let store = self.clone();
        self.run(async move {
            let mut client = store.client().await?;
            let tx = client.transaction().await.map_err(pg)?;
            // One instance purges at a time; the others skip this round.
            let first: bool = tx.query_one("SELECT pg_try_advisory_xact_lock(4842)", &[]).await.map_err(pg)?.get(0);
            if !first {
                return Ok(0);
            }
            lock_stored_bytes(&tx).await?;
            // Who opened a share, and its passcode's hash, are kept for its owner a while
            // after it ended, then cleared; the counts and times stay.
            let ended_before = now.saturating_sub(retention_secs);
            let forgotten: Vec<String> = tx
                .query(
                    "UPDATE shares SET forgotten = TRUE, passcode_hash = NULL
                     WHERE NOT forgotten AND LEAST(exp, COALESCE(revoked_at, exp)) <= $1
                     RETURNING id",
                    &[&ended_before],
                )
                .await
                .map_err(pg)?
                .iter()
                .map(|row| row.get(0))
                .collect();
            if !forgotten.is_empty() {
                tx.execute("UPDATE access_log SET recipient = '' WHERE share_id = ANY($1)", &[&forgotten])
                    .await
                    .map_err(pg)?;
                tx.execute("UPDATE location_tokens SET recipient = '' WHERE share_id = ANY($1)", &[&forgotten])
                    .await
                    .map_err(pg)?;
            }
            tx.execute("DELETE FROM location_tokens WHERE expires_at <= $1", &[&now]).await.map_err(pg)?;
            tx.execute("DELETE FROM replies WHERE keep_until <= $1", &[&now]).await.map_err(pg)?;
            // As in SQLite: a used-up share keeps its ciphertext while a location URL from its
            // last open may still be fetched; paused shares keep it (they can be resumed); a
            // locked-out one keeps it until it expires (a right passcode's reserved attempt may
            // be about to be refunded).
            let purged: Vec<String> = tx
                .query(
                    "UPDATE shares SET jwe = NULL
                     WHERE jwe IS NOT NULL AND (
                         exp <= $1 OR revoked_at IS NOT NULL
                         OR (max_uses IS NOT NULL AND uses >= max_uses AND NOT EXISTS (
                             SELECT 1 FROM location_tokens t WHERE t.share_id = shares.id)))
                     RETURNING id",
                    &[&now],
                )
                .await
                .map_err(pg)?
                .iter()
                .map(|row| row.get(0))
                .collect();
            // Rate-limit windows that ended long ago (the limiter restarts them itself too).
            tx.execute(
                "DELETE FROM rate_windows
                 WHERE started_ms < (extract(epoch FROM clock_timestamp()) * 1000)::bigint - 3600000",
                &[],
            )
            .await
            .map_err(pg)?;
            tx.commit().await.map_err(pg)?;
            for id in purged.iter().filter_map(|id| ShareId::parse(id)) {
                store.cache.remove(&id);
            }
            Ok(purged.len() as u64)
        })
        .await
    }

    async fn add_reply(&self, id: &ShareId, reply: NewReply) -> Result<ReplyOutcome, StoreError> {
        let (store, id) = (self.clone(), id.clone());
        self.run(async move {
            let mut client = store.client().await?;
            replies::add(&mut client, &id, &reply, store.limits.max_stored_bytes).await?.ok_or(StoreError::Full)
        })
        .await
    }

    async fn list_replies(
        &self,
        id: &ShareId,
        secret_hash: &SecretHash,
    ) -> Result<Option<Vec<StoredReply>>, StoreError> {
        let (store, id, secret_hash) = (self.clone(), id.clone(), *secret_hash);
        self.run(async move {
            let client = store.client().await?;
            if !owner_matches(&client, &id, &secret_hash).await? {
                return Ok(None);
            }
            replies::list(&client, &id).await.map(Some)
        })
        .await
    }

    async fn delete_reply(&self, id: &ShareId, secret_hash: &SecretHash, reply: &ShareId) -> Result<bool, StoreError> {
        let (store, id, secret_hash, reply) = (self.clone(), id.clone(), *secret_hash, reply.clone());
        self.run(async move {
            let mut client = store.client().await?;
            if !owner_matches(&client, &id, &secret_hash).await? {
                return Ok(false);
            }
            replies::delete(&mut client, &id, &reply).await
        })
        .await
    }

    async fn count_live(&self, now: i64) -> Result<u64, StoreError> {
        let store = self.clone();
        self.run(async move {
            let client = store.client().await?;
            let live: i64 = client
                .query_one(&format!("SELECT COUNT(*) FROM shares WHERE {LIVE_SQL}"), &[&now])
                .await
                .map_err(pg)?
                .get(0);
            Ok(u64::try_from(live).unwrap_or(0))
        })
        .await
    }
}

/// A stored word (flag, action, outcome) read back into the relay's type. A word this relay
/// does not know (a newer relay wrote it) is an error, not a guess.
struct Word<T>(T);

trait Spelled: Sized {
    fn parse(s: &str) -> Option<Self>;
}

impl Spelled for Flag {
    fn parse(s: &str) -> Option<Self> {
        Flag::parse(s)
    }
}
impl Spelled for Action {
    fn parse(s: &str) -> Option<Self> {
        Action::parse(s)
    }
}
impl Spelled for Outcome {
    fn parse(s: &str) -> Option<Self> {
        Outcome::parse(s)
    }
}

impl<'a, T: Spelled> FromSql<'a> for Word<T> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let text = <&str as FromSql>::from_sql(ty, raw)?;
        T::parse(text).map(Word).ok_or_else(|| format!("unknown stored value {text:?}").into())
    }

    fn accepts(ty: &Type) -> bool {
        <&str as FromSql>::accepts(ty)
    }
}
