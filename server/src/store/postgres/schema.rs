//! The PostgreSQL database's shape and its versioned migrations, applied at start.
//!
//! The version lives in `hb_schema_version` (one row). Every step runs in one transaction
//! under an advisory lock, so instances starting together migrate once, and a failed step
//! leaves the database as it was (PostgreSQL's DDL is transactional). A database whose
//! version is newer than this relay's is refused, never misread.

use tokio_postgres::Client;

use super::backend;
use crate::store::StoreError;

/// Bump together with a new entry in [`MIGRATIONS`].
pub const SCHEMA_VERSION: i64 = 2;

/// Any number, the same for every instance: the key of the advisory lock migrations hold.
const MIGRATION_LOCK: i64 = 0x4842_5f6d_6967;

/// Version 1: what SQLite's version 3 holds, plus the shared rate-limit windows.
///
/// - `stored_bytes` is the running total of ciphertext kept (the global cap). A create adds its
///   own bytes in the statement that inserts it, only if the total stays within the cap; the
///   triggers subtract whatever revoking and purging remove. Every transaction that changes
///   `jwe` locks that row first, so they never wait on each other in a cycle.
/// - `rate_windows` is UNLOGGED: no WAL, so counting a request costs no disk write; a crash of
///   the database empties it, which only forgives the current minute.
const V1: &str = "
CREATE TABLE shares (
    id                   TEXT PRIMARY KEY,
    jwe                  TEXT NULL,
    exp                  BIGINT NOT NULL,
    created_at           BIGINT NOT NULL,
    manage_hash          BYTEA NOT NULL,
    revoked_at           BIGINT NULL,
    flag                 TEXT NOT NULL,
    content_type         TEXT NOT NULL,
    passcode_hash        TEXT NULL,
    attempts_left        BIGINT NULL,
    max_uses             BIGINT NULL,
    uses                 BIGINT NOT NULL DEFAULT 0,
    paused               BOOLEAN NOT NULL DEFAULT FALSE,
    served_count         BIGINT NOT NULL DEFAULT 0,
    wrong_passcode_count BIGINT NOT NULL DEFAULT 0,
    inactive_count       BIGINT NOT NULL DEFAULT 0,
    log_rows             BIGINT NOT NULL DEFAULT 0,
    forgotten            BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE access_log (
    id        BIGSERIAL PRIMARY KEY,
    share_id  TEXT NOT NULL REFERENCES shares(id),
    at        BIGINT NOT NULL,
    recipient TEXT NOT NULL,
    action    TEXT NOT NULL,
    outcome   TEXT NOT NULL
);
CREATE INDEX access_log_share ON access_log(share_id, id);
CREATE TABLE location_tokens (
    token_hash BYTEA PRIMARY KEY,
    share_id   TEXT NOT NULL REFERENCES shares(id),
    recipient  TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX location_tokens_share ON location_tokens(share_id);
CREATE TABLE stored_bytes (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    total BIGINT NOT NULL
);
INSERT INTO stored_bytes (id, total) VALUES (1, 0);
CREATE FUNCTION hb_stored_bytes_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE stored_bytes SET total = total - COALESCE(octet_length(OLD.jwe), 0) WHERE id = 1;
        RETURN OLD;
    END IF;
    IF NEW.jwe IS DISTINCT FROM OLD.jwe THEN
        UPDATE stored_bytes
        SET total = total - COALESCE(octet_length(OLD.jwe), 0) + COALESCE(octet_length(NEW.jwe), 0)
        WHERE id = 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER stored_bytes_update AFTER UPDATE OF jwe ON shares
    FOR EACH ROW EXECUTE FUNCTION hb_stored_bytes_change();
CREATE TRIGGER stored_bytes_delete AFTER DELETE ON shares
    FOR EACH ROW EXECUTE FUNCTION hb_stored_bytes_change();
CREATE UNLOGGED TABLE rate_windows (
    scope      TEXT NOT NULL,
    client     TEXT NOT NULL,
    started_ms BIGINT NOT NULL,
    hits       BIGINT NOT NULL,
    PRIMARY KEY (scope, client)
);
";

/// Version 2: clinicians' replies, as SQLite's version 4. When a share was first opened (its
/// reply window starts then; existing shares take their first served access), and the replies,
/// counted in `stored_bytes` like shares' ciphertext by triggers of their own.
const V2: &str = "
ALTER TABLE shares ADD COLUMN first_opened_at BIGINT NULL;
UPDATE shares SET first_opened_at =
    (SELECT MIN(at) FROM access_log l WHERE l.share_id = shares.id AND l.outcome = 'served');
CREATE TABLE replies (
    id          TEXT PRIMARY KEY,
    share_id    TEXT NOT NULL REFERENCES shares(id),
    jwe         TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    keep_until  BIGINT NOT NULL
);
CREATE INDEX replies_share ON replies(share_id, received_at);
CREATE INDEX replies_keep_until ON replies(keep_until);
CREATE FUNCTION hb_reply_bytes_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE stored_bytes SET total = total - octet_length(OLD.jwe) WHERE id = 1;
        RETURN OLD;
    END IF;
    UPDATE stored_bytes SET total = total + octet_length(NEW.jwe) WHERE id = 1;
    RETURN NEW;
END $$;
CREATE TRIGGER stored_bytes_reply AFTER INSERT OR DELETE ON replies
    FOR EACH ROW EXECUTE FUNCTION hb_reply_bytes_change();
";

/// Every step, in order: step `n` takes version `n - 1` to `n`.
const MIGRATIONS: &[&str] = &[V1, V2];

pub(super) async fn migrate(client: &mut Client) -> Result<(), StoreError> {
    const _: () = assert!(MIGRATIONS.len() as i64 == SCHEMA_VERSION);
    let tx = client.transaction().await.map_err(backend)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(backend)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS hb_schema_version (version BIGINT NOT NULL)")
        .await
        .map_err(backend)?;
    let found: i64 =
        tx.query_opt("SELECT version FROM hb_schema_version", &[]).await.map_err(backend)?.map_or(0, |row| row.get(0));
    if found > SCHEMA_VERSION {
        return Err(StoreError::UnsupportedSchema { found, supported: SCHEMA_VERSION });
    }
    for (step, sql) in MIGRATIONS.iter().enumerate().skip(usize::try_from(found).unwrap_or(0)) {
        if found > 0 {
            tracing::info!(to = step + 1, "migrating the PostgreSQL schema");
        }
        tx.batch_execute(sql).await.map_err(backend)?;
    }
    tx.execute("DELETE FROM hb_schema_version", &[]).await.map_err(backend)?;
    tx.execute("INSERT INTO hb_schema_version (version) VALUES ($1)", &[&SCHEMA_VERSION]).await.map_err(backend)?;
    tx.commit().await.map_err(backend)
}
