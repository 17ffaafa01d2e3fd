//! The [`ShareStore`] operations in SQL: writes as jobs for the writer, management reads on
//! the read pool.

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, ToSql, params};

use super::{SqliteStore, replies};
use crate::store::file_cache::FileCache;
use crate::store::{
    AccessCounts, AccessEntry, Action, Flag, Liveness, LogPage, NewReply, NewShare, OpenStart, Outcome, PasscodeCheck,
    PasscodeResult, ReplyOutcome, SecretHash, ServedFile, ShareId, ShareInfo, ShareStore, StoreError, StoredReply,
    hash_matches,
};

/// The SQL twin of [`Liveness::is_live`], for counting (over `shares` joined with
/// `share_counts`, which has `uses`).
const LIVE_SQL: &str = "jwe IS NOT NULL AND revoked_at IS NULL AND paused = 0 AND exp > ?1
    AND (max_uses IS NULL OR uses < max_uses) AND (attempts_left IS NULL OR attempts_left > 0)";

/// One share's row, everything but the management hash and the ciphertext: the ciphertext is
/// read only when it is served (and then from the [`FileCache`] when kept there), so deciding
/// an open never copies 20 KB out of the database.
struct Row {
    revoked_at: Option<i64>,
    flag: Flag,
    content_type: String,
    passcode_hash: Option<String>,
    liveness: Liveness,
    log_rows: i64,
}

fn load(conn: &Connection, id: &ShareId) -> rusqlite::Result<Option<Row>> {
    // Two lookups by primary key rather than a join: SQLite re-prepares a join's statement
    // whenever its parameter is bound anew (a parse and a query plan for every open).
    let Some((uses, log_rows)) = conn
        .prepare_cached("SELECT uses, log_rows FROM share_counts WHERE share_id = ?1")?
        .query_row(params![id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?
    else {
        return Ok(None);
    };
    // `jwe IS NULL` reads only the column's type from the record header, not its bytes.
    conn.prepare_cached(
        "SELECT jwe IS NULL, exp, revoked_at, paused, max_uses, attempts_left, flag, content_type, passcode_hash
         FROM shares WHERE id = ?1",
    )?
    .query_row(params![id], |row| {
        let revoked_at: Option<i64> = row.get(2)?;
        Ok(Row {
            liveness: Liveness {
                revoked: revoked_at.is_some(),
                paused: row.get(3)?,
                exp: row.get(1)?,
                uses,
                max_uses: row.get(4)?,
                attempts_left: row.get(5)?,
                purged: row.get(0)?,
            },
            revoked_at,
            flag: row.get(6)?,
            content_type: row.get(7)?,
            passcode_hash: row.get(8)?,
            log_rows,
        })
    })
    .optional()
}

/// The share's file if `served` was decided, from the cache or else the database (and then
/// kept). A share found not servable loses any copy the cache kept.
fn serve_if(
    conn: &Connection,
    cache: &FileCache,
    id: &ShareId,
    row: &mut Row,
    served: bool,
) -> rusqlite::Result<Option<ServedFile>> {
    if !served {
        cache.remove(id);
        return Ok(None);
    }
    let jwe = match cache.get(id) {
        Some(jwe) => jwe,
        None => {
            // One copy, straight from SQLite's buffer: the JWE is ASCII (checked at upload), so
            // it is taken as bytes, without a UTF-8 check. Live implies not purged: never NULL.
            let jwe = conn
                .prepare_cached("SELECT jwe FROM shares WHERE id = ?1")?
                .query_row(params![id], |r| Ok(Bytes::copy_from_slice(r.get_ref(0)?.as_bytes()?)))?;
            cache.insert(id, &jwe);
            jwe
        }
    };
    Ok(Some(ServedFile { jwe, content_type: std::mem::take(&mut row.content_type) }))
}

/// Counts an access of a known share (`row` was loaded in this job) and logs it while the share
/// has fewer than `cap` log rows; past the cap only the count grows, so a flood of requests on
/// one link cannot fill the disk, and the owner still learns how many there were. A served open
/// also counts a use when `counts_use`. One `UPDATE` of the share's narrow row of counts
/// (`share_counts`): SQLite rewrites a whole row on `UPDATE`, and the `shares` row holds the
/// ciphertext.
#[allow(clippy::too_many_arguments)]
fn record(
    conn: &Connection,
    row: &Row,
    cap: u32,
    id: &ShareId,
    now: i64,
    recipient: &str,
    action: Action,
    outcome: Outcome,
    counts_use: bool,
) -> rusqlite::Result<()> {
    let logged = row.log_rows < i64::from(cap);
    let count = match outcome {
        Outcome::Served => {
            "UPDATE share_counts SET served_count = served_count + 1, uses = uses + ?2, log_rows = log_rows + ?3
             WHERE share_id = ?1"
        }
        Outcome::WrongPasscode => {
            "UPDATE share_counts SET wrong_passcode_count = wrong_passcode_count + 1, uses = uses + ?2,
             log_rows = log_rows + ?3 WHERE share_id = ?1"
        }
        Outcome::Inactive => {
            "UPDATE share_counts SET inactive_count = inactive_count + 1, uses = uses + ?2, log_rows = log_rows + ?3
             WHERE share_id = ?1"
        }
    };
    let uses = counts_use && outcome == Outcome::Served;
    conn.prepare_cached(count)?.execute(params![id, uses, logged])?;
    if uses {
        // The first counted open starts the share's reply window. Only that first one rewrites
        // the `shares` row: later ones do not match `first_opened_at IS NULL`.
        conn.prepare_cached("UPDATE shares SET first_opened_at = ?2 WHERE id = ?1 AND first_opened_at IS NULL")?
            .execute(params![id, now])?;
    }
    if !logged {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO access_log (share_id, at, recipient, action, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, now, recipient, action, outcome])
    .map(drop)
}

/// The stored management hash, if `id` exists and `secret_hash` matches it.
fn owner_matches(conn: &Connection, id: &ShareId, secret_hash: &SecretHash) -> rusqlite::Result<bool> {
    let stored: Option<Vec<u8>> = conn
        .prepare_cached("SELECT manage_hash FROM shares WHERE id = ?1")?
        .query_row(params![id], |row| row.get(0))
        .optional()?;
    Ok(stored.is_some_and(|stored| hash_matches(&stored, secret_hash)))
}

#[async_trait]
impl ShareStore for SqliteStore {
    async fn create(&self, share: NewShare) -> Result<(), StoreError> {
        let max_stored_bytes = self.limits.max_stored_bytes;
        let stored = self
            .write(move |conn| {
                // Checked in the writer, so parallel creates cannot pass the cap together.
                let total: i64 =
                    conn.prepare_cached("SELECT total FROM stored_bytes")?.query_row([], |row| row.get(0))?;
                if u64::try_from(total).unwrap_or(0).saturating_add(share.jwe.len() as u64) > max_stored_bytes {
                    return Ok(false);
                }
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
                ])?;
                conn.prepare_cached("INSERT INTO share_counts (share_id) VALUES (?1)")?.execute(params![share.id])?;
                Ok(true)
            })
            .await?;
        if stored { Ok(()) } else { Err(StoreError::Full) }
    }

    async fn fetch_for_recipient(
        &self,
        id: &ShareId,
        recipient: &str,
        now: i64,
    ) -> Result<Option<ServedFile>, StoreError> {
        let (id, recipient) = (id.clone(), recipient.to_owned());
        // All in the writer, although it reads the ciphertext: the writer has to read the
        // row anyway (liveness, use count), and one hand-over per request is cheaper than a
        // reader's and then the writer's (measured: see docs/benchmarks.md).
        let (cap, cache) = (self.limits.access_log_rows_per_share, Arc::clone(&self.cache));
        self.write(move |conn| {
            let Some(mut row) = load(conn, &id)? else {
                return Ok(None);
            };
            // A direct fetch exists only for U links; for others it is not an attempt to
            // open the link the way it was handed out, so it is not logged either.
            if row.flag != Flag::U {
                return Ok(None);
            }
            let served = row.liveness.is_live(now);
            let outcome = if served { Outcome::Served } else { Outcome::Inactive };
            record(conn, &row, cap, &id, now, &recipient, Action::Fetch, outcome, true)?;
            serve_if(conn, &cache, &id, &mut row, served)
        })
        .await
    }

    async fn begin_manifest(&self, id: &ShareId, recipient: &str, now: i64) -> Result<OpenStart, StoreError> {
        let (id, recipient) = (id.clone(), recipient.to_owned());
        let (cap, cache) = (self.limits.access_log_rows_per_share, Arc::clone(&self.cache));
        self.write(move |conn| {
            let Some(mut row) = load(conn, &id)? else {
                return Ok(OpenStart::Inactive);
            };
            Ok(match (row.liveness.is_live(now), row.passcode_hash.take()) {
                (false, _) => {
                    record(conn, &row, cap, &id, now, &recipient, Action::Manifest, Outcome::Inactive, true)?;
                    cache.remove(&id);
                    OpenStart::Inactive
                }
                (true, None) => {
                    record(conn, &row, cap, &id, now, &recipient, Action::Manifest, Outcome::Served, true)?;
                    match serve_if(conn, &cache, &id, &mut row, true)? {
                        Some(file) => OpenStart::Served(file),
                        None => OpenStart::Inactive,
                    }
                }
                (true, Some(passcode_hash)) => {
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
        id: &ShareId,
        recipient: &str,
        now: i64,
        check: PasscodeCheck,
    ) -> Result<PasscodeResult, StoreError> {
        let (id, recipient) = (id.clone(), recipient.to_owned());
        let (cap, cache) = (self.limits.access_log_rows_per_share, Arc::clone(&self.cache));
        self.write(move |conn| {
            if check != PasscodeCheck::Wrong {
                // The right passcode gives its reserved attempt back, and so does a check
                // that could not be made.
                conn.execute(
                    "UPDATE shares SET attempts_left = attempts_left + 1
                     WHERE id = ?1 AND attempts_left IS NOT NULL",
                    params![id],
                )?;
            }
            if check == PasscodeCheck::Failed {
                return Ok(PasscodeResult::NotChecked);
            }
            let Some(mut row) = load(conn, &id)? else {
                return Ok(PasscodeResult::Inactive);
            };
            Ok(if check == PasscodeCheck::Right {
                // Re-checked: the share may have been revoked, paused or used up while
                // the passcode was being verified.
                let served = row.liveness.is_live(now);
                let outcome = if served { Outcome::Served } else { Outcome::Inactive };
                record(conn, &row, cap, &id, now, &recipient, Action::Manifest, outcome, true)?;
                match serve_if(conn, &cache, &id, &mut row, served)? {
                    Some(file) => PasscodeResult::Served(file),
                    None => PasscodeResult::Inactive,
                }
            } else {
                record(conn, &row, cap, &id, now, &recipient, Action::Manifest, Outcome::WrongPasscode, true)?;
                PasscodeResult::Wrong
            })
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
        let (id, token_hash, recipient) = (id.clone(), *token_hash, recipient.to_owned());
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
        id: &ShareId,
        token_hash: &SecretHash,
        now: i64,
    ) -> Result<Option<ServedFile>, StoreError> {
        let (id, token_hash) = (id.clone(), *token_hash);
        let (cap, cache) = (self.limits.access_log_rows_per_share, Arc::clone(&self.cache));
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
            // The use was counted when the location was issued.
            let served = now < expires_at && row.liveness.is_live_ignoring_uses(now);
            let outcome = if served { Outcome::Served } else { Outcome::Inactive };
            record(conn, &row, cap, &id, now, &recipient, Action::Location, outcome, false)?;
            serve_if(conn, &cache, &id, &mut row, served)
        })
        .await
    }

    async fn get_manage(
        &self,
        id: &ShareId,
        secret_hash: &SecretHash,
        page: LogPage,
    ) -> Result<Option<ShareInfo>, StoreError> {
        let (id, secret_hash) = (id.clone(), *secret_hash);
        self.read(move |conn| {
            // One snapshot for the row and its log.
            let tx = conn.transaction()?;
            if !owner_matches(&tx, &id, &secret_hash)? {
                return Ok(None);
            }
            let Some(row) = load(&tx, &id)? else {
                return Ok(None);
            };
            let (created_at, access_counts) = tx.query_row(
                "SELECT s.created_at, c.served_count, c.wrong_passcode_count, c.inactive_count
                 FROM shares s JOIN share_counts c ON c.share_id = s.id WHERE s.id = ?1",
                params![id],
                |r| {
                    let count = |i: usize| r.get::<_, i64>(i).map(|n| u64::try_from(n).unwrap_or(0));
                    let counts = AccessCounts { served: count(1)?, wrong_passcode: count(2)?, inactive: count(3)? };
                    Ok((r.get::<_, i64>(0)?, counts))
                },
            )?;
            // Newest first, one more than asked to learn whether an older page exists.
            let mut page_rows = tx
                .prepare(
                    "SELECT id, at, recipient, action, outcome FROM access_log
                     WHERE share_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
                )?
                .query_map(params![id, page.before.unwrap_or(i64::MAX), i64::from(page.limit) + 1], |row| {
                    let entry = AccessEntry {
                        at: row.get(1)?,
                        recipient: row.get(2)?,
                        action: row.get(3)?,
                        outcome: row.get(4)?,
                    };
                    Ok((row.get::<_, i64>(0)?, entry))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
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
        let (id, secret_hash) = (id.clone(), *secret_hash);
        self.write(move |conn| {
            if !owner_matches(conn, &id, &secret_hash)? {
                return Ok(false);
            }
            conn.execute("UPDATE shares SET paused = ?2 WHERE id = ?1", params![id, paused])?;
            Ok(true)
        })
        .await
    }

    async fn revoke(&self, id: &ShareId, secret_hash: &SecretHash, now: i64) -> Result<bool, StoreError> {
        let (id, secret_hash, cache) = (id.clone(), *secret_hash, Arc::clone(&self.cache));
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
            cache.remove(&id);
            Ok(true)
        })
        .await
    }

    async fn purge_expired(&self, now: i64, retention_secs: i64) -> Result<u64, StoreError> {
        let cache = Arc::clone(&self.cache);
        self.write(move |conn| {
            // Who opened a share, and its passcode's hash, are kept for its owner a while
            // after it ended, then cleared; the counts and times stay.
            let ended_before = now.saturating_sub(retention_secs);
            let forgotten: Vec<String> = conn
                .prepare_cached(
                    "UPDATE shares SET forgotten = 1, passcode_hash = NULL
                     WHERE forgotten = 0 AND MIN(exp, COALESCE(revoked_at, exp)) <= ?1
                     RETURNING id",
                )?
                .query_map(params![ended_before], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in &forgotten {
                conn.prepare_cached("UPDATE access_log SET recipient = '' WHERE share_id = ?1")?
                    .execute(params![id])?;
                conn.prepare_cached("UPDATE location_tokens SET recipient = '' WHERE share_id = ?1")?
                    .execute(params![id])?;
            }
            conn.execute("DELETE FROM location_tokens WHERE expires_at <= ?1", params![now])?;
            conn.execute("DELETE FROM replies WHERE keep_until <= ?1", params![now])?;
            // A used-up share keeps its ciphertext while a location URL from its last
            // open may still be fetched. Paused shares keep it: they can be resumed. A
            // locked-out share keeps it until it expires, because a budget of zero may be
            // a right passcode's reserved attempt that is about to be refunded.
            let purged: Vec<ShareId> = conn
                .prepare_cached(
                    "UPDATE shares SET jwe = NULL
                     WHERE jwe IS NOT NULL AND (
                         exp <= ?1 OR revoked_at IS NOT NULL
                         OR (max_uses IS NOT NULL
                             AND (SELECT c.uses FROM share_counts c WHERE c.share_id = shares.id) >= max_uses
                             AND NOT EXISTS (SELECT 1 FROM location_tokens t WHERE t.share_id = shares.id)))
                     RETURNING id",
                )?
                .query_map(params![now], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            // Nor kept in memory.
            for id in &purged {
                cache.remove(id);
            }
            Ok(purged.len() as u64)
        })
        .await
    }

    async fn add_reply(&self, id: &ShareId, reply: NewReply) -> Result<ReplyOutcome, StoreError> {
        let (id, max_stored_bytes) = (id.clone(), self.limits.max_stored_bytes);
        let outcome = self.write(move |conn| replies::add(conn, &id, &reply, max_stored_bytes)).await?;
        outcome.ok_or(StoreError::Full)
    }

    async fn list_replies(
        &self,
        id: &ShareId,
        secret_hash: &SecretHash,
    ) -> Result<Option<Vec<StoredReply>>, StoreError> {
        let (id, secret_hash) = (id.clone(), *secret_hash);
        self.read(move |conn| {
            if !owner_matches(conn, &id, &secret_hash)? {
                return Ok(None);
            }
            replies::list(conn, &id).map(Some)
        })
        .await
    }

    async fn delete_reply(&self, id: &ShareId, secret_hash: &SecretHash, reply: &ShareId) -> Result<bool, StoreError> {
        let (id, secret_hash, reply) = (id.clone(), *secret_hash, reply.clone());
        self.write(move |conn| Ok(owner_matches(conn, &id, &secret_hash)? && replies::delete(conn, &id, &reply)?)).await
    }

    async fn count_live(&self, now: i64) -> Result<u64, StoreError> {
        self.read(move |conn| {
            conn.query_row(
                &format!("SELECT COUNT(*) FROM shares JOIN share_counts ON share_id = id WHERE {LIVE_SQL}"),
                params![now],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| u64::try_from(n).unwrap_or(0))
        })
        .await
    }
}

// ---------------------------------------------------------------------------------------
// The relay's types as columns: stored as the text the API spells them with.

impl ToSql for ShareId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl ToSql for Flag {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl ToSql for Action {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl ToSql for Outcome {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

/// A stored word this relay does not know (a newer relay wrote it, or the file was edited)
/// is an error, not a guess.
fn from_text<T>(value: ValueRef<'_>, parse: impl FnOnce(&str) -> Option<T>) -> FromSqlResult<T> {
    let text = value.as_str()?;
    parse(text).ok_or_else(|| FromSqlError::Other(format!("unknown stored value {text:?}").into()))
}

impl FromSql for ShareId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        from_text(value, ShareId::parse)
    }
}

impl FromSql for Flag {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        from_text(value, Flag::parse)
    }
}

impl FromSql for Action {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        from_text(value, Action::parse)
    }
}

impl FromSql for Outcome {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        from_text(value, Outcome::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreLimits;

    fn share(id: &ShareId) -> NewShare {
        NewShare {
            id: id.clone(),
            jwe: "eyJhbGciOiJkaXIifQ..iv.ciphertext.tag".to_owned(),
            exp: 1_000_000,
            created_at: 0,
            manage_hash: [7; 32],
            flag: Flag::U,
            content_type: "application/fhir+json".to_owned(),
            passcode_hash: None,
            passcode_attempts: None,
            max_uses: None,
        }
    }

    /// Revoking deletes the ciphertext at once (docs/relay.md): from the relay's memory too, not
    /// only from the database. So does the purge.
    #[tokio::test]
    async fn revoking_or_purging_a_share_drops_its_ciphertext_from_memory() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open_with(dir.path().join("relay.sqlite3"), StoreLimits::default()).unwrap();
        let (revoked, expired) = (ShareId::random().unwrap(), ShareId::random().unwrap());
        store.create(share(&revoked)).await.unwrap();
        store.create(NewShare { exp: 100, ..share(&expired) }).await.unwrap();
        for id in [&revoked, &expired] {
            let file = store.fetch_for_recipient(id, "Dr Ada", 10).await.unwrap().unwrap();
            assert_eq!(store.cache.get(id), Some(file.jwe), "kept after an open");
        }

        assert!(store.revoke(&revoked, &[7; 32], 20).await.unwrap());
        assert_eq!(store.cache.get(&revoked), None);
        assert_eq!(store.purge_expired(200, 1_000).await.unwrap(), 1);
        assert_eq!(store.cache.get(&expired), None);
    }
}
