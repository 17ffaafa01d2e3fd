//! Clinicians' replies in SQL: kept while a share's reply window is open, fetched and deleted by
//! the share's owner, purged with everything else once kept long enough.

use rusqlite::{Connection, params};

use crate::store::{NewReply, ReplyOutcome, ShareId, StoredReply};

/// Stores `reply` if share `id` was opened less than the window ago and holds fewer replies than
/// allowed; `None` when the stored-bytes cap would be passed. Runs in the writer, so the window,
/// the per-share count and the cap hold under parallel posts.
pub(super) fn add(
    conn: &Connection,
    id: &ShareId,
    reply: &NewReply,
    max_stored_bytes: u64,
) -> rusqlite::Result<Option<ReplyOutcome>> {
    let opened: Option<Option<i64>> = conn
        .prepare_cached("SELECT first_opened_at FROM shares WHERE id = ?1")?
        .query_row(params![id], |row| row.get(0))
        .map(Some)
        .or_else(|err| if err == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(err) })?;
    let open = opened.flatten().is_some_and(|at| reply.received_at < at.saturating_add(reply.window_secs));
    if !open {
        return Ok(Some(ReplyOutcome::Closed));
    }
    let held: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM replies WHERE share_id = ?1")?
        .query_row(params![id], |r| r.get(0))?;
    if held >= i64::from(reply.max_per_share) {
        return Ok(Some(ReplyOutcome::TooMany));
    }
    let total: i64 = conn.prepare_cached("SELECT total FROM stored_bytes")?.query_row([], |row| row.get(0))?;
    if u64::try_from(total).unwrap_or(0).saturating_add(reply.jwe.len() as u64) > max_stored_bytes {
        return Ok(None);
    }
    conn.prepare_cached(
        "INSERT INTO replies (id, share_id, jwe, received_at, keep_until) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![reply.id, id, reply.jwe, reply.received_at, reply.keep_until])?;
    Ok(Some(ReplyOutcome::Stored))
}

pub(super) fn list(conn: &Connection, id: &ShareId) -> rusqlite::Result<Vec<StoredReply>> {
    conn.prepare_cached(
        "SELECT id, jwe, received_at, keep_until FROM replies WHERE share_id = ?1 ORDER BY received_at, rowid",
    )?
    .query_map(params![id], |row| {
        Ok(StoredReply { id: row.get(0)?, jwe: row.get(1)?, received_at: row.get(2)?, keep_until: row.get(3)? })
    })?
    .collect()
}

pub(super) fn delete(conn: &Connection, id: &ShareId, reply: &ShareId) -> rusqlite::Result<bool> {
    conn.prepare_cached("DELETE FROM replies WHERE id = ?1 AND share_id = ?2")?
        .execute(params![reply, id])
        .map(|deleted| deleted > 0)
}
