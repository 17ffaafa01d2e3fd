//! Clinicians' replies in SQL for PostgreSQL, the same rules as the SQLite store's: kept while a
//! share's reply window is open, fetched and deleted by the share's owner, purged with the rest
//! once kept long enough.

use deadpool_postgres::GenericClient;

use super::pg;
use super::share_store::lock_stored_bytes;
use crate::store::{NewReply, ReplyOutcome, ShareId, StoreError, StoredReply};

/// Stores `reply` if share `id` was opened less than the window ago and holds fewer replies than
/// allowed; `None` when the stored-bytes cap would be passed. The byte total is locked first (the
/// order every transaction that changes stored bytes takes), then the share's row, so the window,
/// the per-share count and the cap hold under parallel posts on any instance.
pub(super) async fn add(
    client: &mut deadpool_postgres::Client,
    id: &ShareId,
    reply: &NewReply,
    max_stored_bytes: u64,
) -> Result<Option<ReplyOutcome>, StoreError> {
    let tx = client.transaction().await.map_err(pg)?;
    lock_stored_bytes(&tx).await?;
    let opened: Option<Option<i64>> = tx
        .query_opt("SELECT first_opened_at FROM shares WHERE id = $1 FOR UPDATE", &[&id.as_str()])
        .await
        .map_err(pg)?
        .map(|row| row.get(0));
    let open = opened.flatten().is_some_and(|at| reply.received_at < at.saturating_add(reply.window_secs));
    if !open {
        return Ok(Some(ReplyOutcome::Closed));
    }
    let held: i64 = tx
        .query_one("SELECT COUNT(*) FROM replies WHERE share_id = $1", &[&id.as_str()])
        .await
        .map_err(pg)?
        .get(0);
    if held >= i64::from(reply.max_per_share) {
        return Ok(Some(ReplyOutcome::TooMany));
    }
    let total: i64 = tx.query_one("SELECT total FROM stored_bytes WHERE id = 1", &[]).await.map_err(pg)?.get(0);
    if u64::try_from(total).unwrap_or(0).saturating_add(reply.jwe.len() as u64) > max_stored_bytes {
        return Ok(None);
    }
    // The trigger adds the reply's bytes to the total.
    tx.execute(
        "INSERT INTO replies (id, share_id, jwe, received_at, keep_until) VALUES ($1, $2, $3, $4, $5)",
        &[&reply.id.as_str(), &id.as_str(), &reply.jwe, &reply.received_at, &reply.keep_until],
    )
    .await
    .map_err(pg)?;
    tx.commit().await.map_err(pg)?;
    Ok(Some(ReplyOutcome::Stored))
}

/// The share's replies, oldest first (the caller has checked the owner).
pub(super) async fn list(client: &impl GenericClient, id: &ShareId) -> Result<Vec<StoredReply>, StoreError> {
    let rows = client
        .query(
            "SELECT id, jwe, received_at, keep_until FROM replies WHERE share_id = $1 ORDER BY received_at, id",
            &[&id.as_str()],
        )
        .await
        .map_err(pg)?;
    Ok(rows
        .iter()
        .map(|row| StoredReply { id: row.get(0), jwe: row.get(1), received_at: row.get(2), keep_until: row.get(3) })
        .collect())
}

/// Deletes one reply of share `id` (the caller has checked the owner); false for an unknown one.
pub(super) async fn delete(
    client: &mut deadpool_postgres::Client,
    id: &ShareId,
    reply: &ShareId,
) -> Result<bool, StoreError> {
    let tx = client.transaction().await.map_err(pg)?;
    lock_stored_bytes(&tx).await?;
    let deleted = tx
        .execute("DELETE FROM replies WHERE id = $1 AND share_id = $2", &[&reply.as_str(), &id.as_str()])
        .await
        .map_err(pg)?;
    tx.commit().await.map_err(pg)?;
    Ok(deleted > 0)
}
