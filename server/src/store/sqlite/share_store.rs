//! The [`ShareStore`] operations in SQL: writes as jobs for the writer, management reads on
//! the read pool.

use async_trait::async_trait;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, ToSql, params};

use super::{SqliteStore, replies};
use crate::store::{
    AccessCounts, AccessEntry, Action, Flag, Liveness, LogPage, NewReply, NewShare, OpenStart, Outcome, PasscodeCheck,
    PasscodeResult, ReplyOutcome, SecretHash, ServedFile, ShareId, ShareInfo, ShareStore, StoreError, StoredReply,
    hash_matches,
};

/// The SQL twin of [`Liveness::is_live`], for counting.
const LIVE_SQL: &str = "jwe IS NOT NULL AND revoked_at IS NULL AND paused = 0 AND exp > ?1
    AND (max_uses IS NULL OR uses < max_uses) AND (attempts_left IS NULL OR attempts_left > 0)";

/// One share's row, everything but the management hash.
struct Row {
    jwe: Option<String>,
    revoked_at: Option<i64>,
    flag: Flag,
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

fn load(conn: &Connection, id: &ShareId) -> rusqlite::Result<Option<Row>> {
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

/// Counts an access of a known share and logs it while the share has fewer than `cap` log
/// rows. Past the cap only the count grows, so a flood of requests on one link cannot fill
/// the disk, and the owner still learns how many there were.
fn log(
    conn: &Connection,
    cap: u32,
    id: &ShareId,
    now: i64,
    recipient: &str,
    action: Action,
    outcome: Outcome,
) -> rusqlite::Result<()> {
    let count = match outcome {
        Outcome::Served => "UPDATE shares SET served_count = served_count + 1 WHERE id = ?1 RETURNING log_rows",
        Outcome::WrongPasscode => {
            "UPDATE shares SET wrong_passcode_count = wrong_passcode_count + 1 WHERE id = ?1 RETURNING log_rows"
        }
        Outcome::Inactive => "UPDATE shares SET inactive_count = inactive_count + 1 WHERE id = ?1 RETURNING log_rows",
    };
    let rows: u32 = conn.prepare_cached(count)?.query_row(params![id], |row| row.get(0))?;
    if rows >= cap {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO access_log (share_id, at, recipient, action, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, now, recipient, action, outcome])?;
    conn.prepare_cached("UPDATE shares SET log_rows = log_rows + 1 WHERE id = ?1")?.execute(params![id]).map(drop)
}

/// Counts a successful open; the first one also opens the share's reply window.
fn count_use(conn: &Connection, id: &ShareId, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE shares SET uses = uses + 1, first_opened_at = COALESCE(first_opened_at, ?2) WHERE id = ?1",
    )?
    .execute(params![id, now])
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
                ])
                .map(|_| true)
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
        let cap = self.limits.access_log_rows_per_share;
        self.write(move |conn| {
            let Some(mut row) = load(conn, &id)? else {
                return Ok(None);
            };
            // A direct fetch exists only for U links; for others it is not an attempt to
            // open the link the way it was handed out, so it is not logged either.
            if row.flag != Flag::U {
                return Ok(None);
            }
            let file = row.take_file_if(row.liveness.is_live(now));
            if file.is_some() {
                count_use(conn, &id, now)?;
                log(conn, cap, &id, now, &recipient, Action::Fetch, Outcome::Served)?;
            } else {
                log(conn, cap, &id, now, &recipient, Action::Fetch, Outcome::Inactive)?;
            }
            Ok(file)
        })
        .await
    }

    async fn begin_manifest(&self, id: &ShareId, recipient: &str, now: i64) -> Result<OpenStart, StoreError> {
        let (id, recipient) = (id.clone(), recipient.to_owned());
        let cap = self.limits.access_log_rows_per_share;
        self.write(move |conn| {
            let Some(mut row) = load(conn, &id)? else {
                return Ok(OpenStart::Inactive);
            };
            Ok(match (row.take_file_if(row.liveness.is_live(now)), row.passcode_hash) {
                (None, _) => {
                    log(conn, cap, &id, now, &recipient, Action::Manifest, Outcome::Inactive)?;
                    OpenStart::Inactive
                }
                (Some(file), None) => {
                    count_use(conn, &id, now)?;
                    log(conn, cap, &id, now, &recipient, Action::Manifest, Outcome::Served)?;
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
        id: &ShareId,
        recipient: &str,
        now: i64,
        check: PasscodeCheck,
    ) -> Result<PasscodeResult, StoreError> {
        let (id, recipient) = (id.clone(), recipient.to_owned());
        let cap = self.limits.access_log_rows_per_share;
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
                match row.take_file_if(row.liveness.is_live(now)) {
                    Some(file) => {
                        count_use(conn, &id, now)?;
                        log(conn, cap, &id, now, &recipient, Action::Manifest, Outcome::Served)?;
                        PasscodeResult::Served(file)
                    }
                    None => {
                        log(conn, cap, &id, now, &recipient, Action::Manifest, Outcome::Inactive)?;
                        PasscodeResult::Inactive
                    }
                }
            } else {
                log(conn, cap, &id, now, &recipient, Action::Manifest, Outcome::WrongPasscode)?;
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
        let cap = self.limits.access_log_rows_per_share;
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
            log(conn, cap, &id, now, &recipient, Action::Location, outcome)?;
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
                "SELECT created_at, served_count, wrong_passcode_count, inactive_count FROM shares WHERE id = ?1",
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
        let (id, secret_hash) = (id.clone(), *secret_hash);
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

    async fn purge_expired(&self, now: i64, retention_secs: i64) -> Result<u64, StoreError> {
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
            conn.query_row(&format!("SELECT COUNT(*) FROM shares WHERE {LIVE_SQL}"), params![now], |row| {
                row.get::<_, i64>(0)
            })
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
