//! Storage of shares behind one trait, so a shared database can replace SQLite when
//! several relay instances run side by side. Everything SQL-specific lives in the impls.

pub mod sqlite;

use async_trait::async_trait;
use subtle::ConstantTimeEq;

pub use sqlite::SqliteStore;

/// SHA-256 of a management secret. Only this is stored, so a leaked database does not
/// let anyone revoke or inspect shares.
pub type SecretHash = [u8; 32];

#[derive(Debug, Clone)]
pub struct NewShare {
    pub id: String,
    pub jwe: String,
    pub exp: i64,
    pub created_at: i64,
    pub manage_hash: SecretHash,
}

/// What the owner of a share (holder of its management secret) may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareInfo {
    pub id: String,
    pub exp: i64,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    /// The ciphertext has been deleted; the share can never be served again.
    pub purged: bool,
    pub access_log: Vec<AccessEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub at: i64,
    pub recipient: String,
}

/// Liveness is derived from these facts rather than stored, so expiry needs no job to
/// take effect: the purge only reclaims space and removes ciphertext.
pub fn is_live(revoked_at: Option<i64>, exp: i64, purged: bool, now: i64) -> bool {
    revoked_at.is_none() && now < exp && !purged
}

impl ShareInfo {
    pub fn is_live(&self, now: i64) -> bool {
        is_live(self.revoked_at, self.exp, self.purged, now)
    }
}

/// Constant-time so response timing does not reveal how much of a guessed secret's hash
/// matched.
pub fn hash_matches(stored: &[u8], presented: &SecretHash) -> bool {
    stored.ct_eq(presented.as_slice()).into()
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage backend failed")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("database schema version {found} is newer than this relay understands ({supported})")]
    UnsupportedSchema { found: i64, supported: i64 },
}

#[async_trait]
pub trait ShareStore: Send + Sync + 'static {
    /// Stores a new share. Must be durable when this returns.
    async fn create(&self, share: NewShare) -> Result<(), StoreError>;

    /// Returns the ciphertext if the share is live at `now`, and records the access in
    /// the same transaction, so the owner's log never misses a served copy.
    async fn fetch_for_recipient(
        &self,
        id: &str,
        recipient: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError>;

    /// `None` for an unknown id and for a wrong secret alike.
    async fn get_manage(
        &self,
        id: &str,
        secret_hash: &SecretHash,
    ) -> Result<Option<ShareInfo>, StoreError>;

    /// Marks the share revoked and drops its ciphertext. Returns false for an unknown id
    /// or a wrong secret. Revoking twice is not an error and keeps the first time.
    async fn revoke(
        &self,
        id: &str,
        secret_hash: &SecretHash,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// Deletes the ciphertext of expired and revoked shares, keeping their rows and
    /// access logs. Returns how many were purged.
    async fn purge_expired(&self, now: i64) -> Result<u64, StoreError>;
}
