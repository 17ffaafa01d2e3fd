//! The database's shape: connection settings, the schema and its migrations.

use rusqlite::{Connection, TransactionBehavior};

use super::backend;
use crate::store::StoreError;

/// Bump together with a migration step in [`migrate`].
pub const SCHEMA_VERSION: i64 = 4;

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

/// Version 2 → 3: bounds. Per share, how many accesses there were by outcome (kept past the
/// access log's cap) and how many log rows it has; whether its personal data (recipients'
/// names, passcode hash) has been cleared; and the running total of stored ciphertext bytes,
/// kept by triggers so the global cap costs no scan. Counts start from the existing log.
/// The JWE is ASCII (checked at upload), so `LENGTH` counts bytes.
const MIGRATE_V2_TO_V3: &str = "
ALTER TABLE shares ADD COLUMN served_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shares ADD COLUMN wrong_passcode_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shares ADD COLUMN inactive_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shares ADD COLUMN log_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shares ADD COLUMN forgotten INTEGER NOT NULL DEFAULT 0;
UPDATE shares SET
    served_count = (SELECT COUNT(*) FROM access_log l WHERE l.share_id = shares.id AND l.outcome = 'served'),
    wrong_passcode_count =
        (SELECT COUNT(*) FROM access_log l WHERE l.share_id = shares.id AND l.outcome = 'wrong-passcode'),
    inactive_count = (SELECT COUNT(*) FROM access_log l WHERE l.share_id = shares.id AND l.outcome = 'inactive'),
    log_rows = (SELECT COUNT(*) FROM access_log l WHERE l.share_id = shares.id);
CREATE TABLE stored_bytes (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    total INTEGER NOT NULL
);
INSERT INTO stored_bytes (id, total) SELECT 1, COALESCE(SUM(LENGTH(jwe)), 0) FROM shares;
CREATE TRIGGER stored_bytes_insert AFTER INSERT ON shares BEGIN
    UPDATE stored_bytes SET total = total + COALESCE(LENGTH(NEW.jwe), 0);
END;
CREATE TRIGGER stored_bytes_update AFTER UPDATE OF jwe ON shares BEGIN
    UPDATE stored_bytes SET total = total - COALESCE(LENGTH(OLD.jwe), 0) + COALESCE(LENGTH(NEW.jwe), 0);
END;
CREATE TRIGGER stored_bytes_delete AFTER DELETE ON shares BEGIN
    UPDATE stored_bytes SET total = total - COALESCE(LENGTH(OLD.jwe), 0);
END;
";

/// Version 3 → 4: clinicians' replies. When a share was first opened (its reply window starts
/// then; existing shares take their first served access), and the replies themselves, counted in
/// the stored-bytes total like shares' ciphertext.
const MIGRATE_V3_TO_V4: &str = "
ALTER TABLE shares ADD COLUMN first_opened_at INTEGER NULL;
UPDATE shares SET first_opened_at =
    (SELECT MIN(at) FROM access_log l WHERE l.share_id = shares.id AND l.outcome = 'served');
CREATE TABLE replies (
    id          TEXT PRIMARY KEY,
    share_id    TEXT NOT NULL REFERENCES shares(id),
    jwe         TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    keep_until  INTEGER NOT NULL
);
CREATE INDEX replies_share ON replies(share_id);
CREATE INDEX replies_keep_until ON replies(keep_until);
CREATE TRIGGER stored_bytes_reply_insert AFTER INSERT ON replies BEGIN
    UPDATE stored_bytes SET total = total + LENGTH(NEW.jwe);
END;
CREATE TRIGGER stored_bytes_reply_delete AFTER DELETE ON replies BEGIN
    UPDATE stored_bytes SET total = total - LENGTH(OLD.jwe);
END;
";

pub(super) fn configure(conn: &Connection) -> rusqlite::Result<()> {
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

pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
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
    if found < 3 {
        if found >= 1 {
            tracing::info!("migrating the database schema to version 3");
        }
        tx.execute_batch(MIGRATE_V2_TO_V3).map_err(backend)?;
    }
    if found < 4 {
        if found >= 1 {
            tracing::info!("migrating the database schema to version 4");
        }
        tx.execute_batch(MIGRATE_V3_TO_V4).map_err(backend)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(backend)?;
    tx.commit().map_err(backend)
}
