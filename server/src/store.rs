//! Storage of shares behind one trait: SQLite for one relay instance (the default), PostgreSQL
//! when several instances run side by side. Everything SQL-specific lives in the impls.

pub mod postgres;
pub mod sqlite;

use async_trait::async_trait;
use subtle::ConstantTimeEq;

pub use crate::ids::{Flag, SecretHash, ShareId};
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// What the store itself refuses past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreLimits {
    /// Ciphertext bytes kept in total (shares whose ciphertext has not been purged).
    pub max_stored_bytes: u64,
    /// Access-log entries kept per share; past it only the counts grow.
    pub access_log_rows_per_share: u32,
}

impl Default for StoreLimits {
    fn default() -> Self {
        Self { max_stored_bytes: 1 << 30, access_log_rows_per_share: 1_000 }
    }
}

#[derive(Debug, Clone)]
pub struct NewShare {
    pub id: ShareId,
    pub jwe: String,
    pub exp: i64,
    pub created_at: i64,
    pub manage_hash: SecretHash,
    pub flag: Flag,
    pub content_type: String,
    /// Slow hash of the passcode (see [`crate::passcode`]); set exactly when the flag has `P`.
    pub passcode_hash: Option<String>,
    /// Lifetime budget of wrong passcode attempts; set exactly when the flag has `P`.
    pub passcode_attempts: Option<u32>,
    pub max_uses: Option<u32>,
}

/// The facts liveness is derived from. Nothing stores "active": expiry, exhaustion and
/// lock-out take effect without any job running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Liveness {
    pub revoked: bool,
    pub paused: bool,
    pub exp: i64,
    pub uses: u32,
    pub max_uses: Option<u32>,
    /// `None` for shares without a passcode.
    pub attempts_left: Option<u32>,
    /// The ciphertext has been deleted; the share can never be served again.
    pub purged: bool,
}

impl Liveness {
    /// Whether the link may be opened (a direct fetch or a manifest) at `now`.
    pub fn is_live(&self, now: i64) -> bool {
        self.is_live_ignoring_uses(now) && self.max_uses.is_none_or(|max| self.uses < max)
    }

    /// Whether a `location` URL issued by an earlier, already counted open may still be
    /// fetched: the same as [`Self::is_live`] except that the use was counted already.
    pub fn is_live_ignoring_uses(&self, now: i64) -> bool {
        !self.revoked
            && !self.paused
            && now < self.exp
            && self.attempts_left.is_none_or(|left| left > 0)
            && !self.purged
    }
}

/// What the owner of a share (holder of its management secret) may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareInfo {
    pub id: ShareId,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub flag: Flag,
    pub content_type: String,
    pub liveness: Liveness,
    /// One page of the access log, oldest first.
    pub access_log: Vec<AccessEntry>,
    /// The cursor of the next older page, if there is one.
    pub access_log_before: Option<i64>,
    /// Every access, also those past the log's cap.
    pub access_counts: AccessCounts,
}

/// How many accesses a share had, by outcome, logged or not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccessCounts {
    pub served: u64,
    pub wrong_passcode: u64,
    pub inactive: u64,
}

/// Which part of an access log to read: the newest `limit` entries older than `before` (an
/// earlier page's cursor), or the newest of all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogPage {
    pub before: Option<i64>,
    pub limit: u32,
}

impl ShareInfo {
    pub fn is_live(&self, now: i64) -> bool {
        self.liveness.is_live(now)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `GET /shl/{id}` of a flag-U link.
    Fetch,
    /// `POST /shl/{id}`.
    Manifest,
    /// `GET /shl/{id}/file/{token}`.
    Location,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Fetch => "fetch",
            Action::Manifest => "manifest",
            Action::Location => "location",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Action::Fetch, Action::Manifest, Action::Location].into_iter().find(|action| action.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Served,
    WrongPasscode,
    Inactive,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Served => "served",
            Outcome::WrongPasscode => "wrong-passcode",
            Outcome::Inactive => "inactive",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Outcome::Served, Outcome::WrongPasscode, Outcome::Inactive].into_iter().find(|outcome| outcome.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub at: i64,
    pub recipient: String,
    pub action: Action,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedFile {
    pub jwe: String,
    pub content_type: String,
}

/// First half of opening a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenStart {
    /// Unknown or not live; a known id got an `inactive` log entry.
    Inactive,
    /// No passcode needed: the use was counted and logged.
    Served(ServedFile),
    /// One passcode attempt has been taken from the budget; the caller verifies the
    /// passcode against `passcode_hash` and must then call
    /// [`ShareStore::finish_manifest`], which refunds the attempt if it was right.
    PasscodeReserved {
        passcode_hash: String,
        /// The budget left after this reservation: what a wrong passcode reports.
        attempts_left: u32,
    },
}

/// What checking a presented passcode came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasscodeCheck {
    Right,
    /// Wrong or missing: the reserved attempt stays spent.
    Wrong,
    /// The check itself failed (a malformed stored hash, a crashed task): not the
    /// receiver's fault, so the reserved attempt is given back and nothing is logged.
    Failed,
}

/// Second half of opening a manifest with a passcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasscodeResult {
    Served(ServedFile),
    /// The reserved attempt stays spent.
    Wrong,
    Inactive,
    /// After [`PasscodeCheck::Failed`]: the attempt was given back, nothing was logged.
    NotChecked,
}

/// A clinician's reply to a share: ciphertext the relay cannot read (encrypted to a key of the
/// patient's that only the share's document carries), kept for the patient to fetch.
#[derive(Debug, Clone)]
pub struct NewReply {
    pub id: ShareId,
    pub jwe: String,
    pub received_at: i64,
    /// Deleted then, if the patient has not fetched and deleted it before.
    pub keep_until: i64,
    /// Accepted only until this long after the share's first successful open, whatever became
    /// of the link since (expired, paused or revoked).
    pub window_secs: i64,
    /// Replies one share may hold at once.
    pub max_per_share: u32,
}

/// What became of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyOutcome {
    Stored,
    /// Unknown share, never opened, or its reply window has closed.
    Closed,
    /// The share already holds `max_per_share` replies.
    TooMany,
}

/// A reply as its owner fetches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReply {
    pub id: String,
    pub jwe: String,
    pub received_at: i64,
    pub keep_until: i64,
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
    /// Storing the share would take the relay past its byte cap.
    #[error("the relay's storage is full")]
    Full,
    #[error("database schema version {found} is newer than this relay understands ({supported})")]
    UnsupportedSchema { found: i64, supported: i64 },
    /// The database cannot be reached now (down, restarting, or no connection free in time).
    #[error("the database is unavailable")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The database settings cannot be used (a malformed URL).
    #[error("invalid database settings: {0}")]
    Config(String),
}

#[async_trait]
pub trait ShareStore: Send + Sync + 'static {
    /// Stores a new share. Must be durable when this returns. [`StoreError::Full`] when its
    /// ciphertext would take the stored total past the cap.
    async fn create(&self, share: NewShare) -> Result<(), StoreError>;

    /// Direct fetch of a flag-U link: returns the ciphertext if the share is a U link and
    /// live at `now`, counting the use and logging the access in the same transaction, so
    /// the owner's log never misses a served copy. A refused fetch of a live-able U link
    /// is logged as `inactive`.
    async fn fetch_for_recipient(
        &self,
        id: &ShareId,
        recipient: &str,
        now: i64,
    ) -> Result<Option<ServedFile>, StoreError>;

    /// Starts a manifest request (any flag). See [`OpenStart`].
    async fn begin_manifest(&self, id: &ShareId, recipient: &str, now: i64) -> Result<OpenStart, StoreError>;

    /// Finishes a manifest request after [`OpenStart::PasscodeReserved`]: with the right
    /// passcode the reserved attempt is refunded and, if the share is still live, the use
    /// counted; with a wrong one the attempt stays spent; a failed check gives it back.
    async fn finish_manifest(
        &self,
        id: &ShareId,
        recipient: &str,
        now: i64,
        check: PasscodeCheck,
    ) -> Result<PasscodeResult, StoreError>;

    /// Records a location token (by its hash) for a share, valid until `expires_at`.
    async fn issue_location(
        &self,
        id: &ShareId,
        token_hash: &SecretHash,
        recipient: &str,
        expires_at: i64,
    ) -> Result<(), StoreError>;

    /// The file behind a location token, if the token belongs to `id`, has not expired and
    /// the share is still live (its use was counted when the token was issued).
    async fn fetch_location(
        &self,
        id: &ShareId,
        token_hash: &SecretHash,
        now: i64,
    ) -> Result<Option<ServedFile>, StoreError>;

    /// `None` for an unknown id and for a wrong secret alike.
    async fn get_manage(
        &self,
        id: &ShareId,
        secret_hash: &SecretHash,
        page: LogPage,
    ) -> Result<Option<ShareInfo>, StoreError>;

    /// Pauses or resumes (re-arms) a share. Returns false for an unknown id or a wrong
    /// secret. Resuming does not undo a revocation, an expiry or a lock-out.
    async fn set_paused(&self, id: &ShareId, secret_hash: &SecretHash, paused: bool) -> Result<bool, StoreError>;

    /// Marks the share revoked and drops its ciphertext. Returns false for an unknown id
    /// or a wrong secret. Revoking twice is not an error and keeps the first time.
    async fn revoke(&self, id: &ShareId, secret_hash: &SecretHash, now: i64) -> Result<bool, StoreError>;

    /// Deletes the ciphertext of shares that can never be served again (expired, revoked,
    /// locked out, or used up with no location URL outstanding), keeping their rows and
    /// access logs, forgets expired location tokens, and deletes replies kept past their
    /// `keep_until`. Shares that ended (expired or were
    /// revoked) `retention_secs` or more ago lose their recipients' names and passcode hash.
    /// Returns how many shares were purged.
    async fn purge_expired(&self, now: i64, retention_secs: i64) -> Result<u64, StoreError>;

    /// How many shares are live at `now` (for the metrics gauge).
    async fn count_live(&self, now: i64) -> Result<u64, StoreError>;

    /// Keeps a reply to share `id` while its reply window is open (see [`NewReply`]), counted
    /// against the stored-bytes cap like a share ([`StoreError::Full`] past it). Replies are
    /// deleted by [`Self::purge_expired`] once `keep_until` has passed.
    async fn add_reply(&self, id: &ShareId, reply: NewReply) -> Result<ReplyOutcome, StoreError>;

    /// The replies a share holds, oldest first. `None` for an unknown id or a wrong secret.
    async fn list_replies(
        &self,
        id: &ShareId,
        secret_hash: &SecretHash,
    ) -> Result<Option<Vec<StoredReply>>, StoreError>;

    /// Deletes one reply. False for an unknown share, a wrong secret or an unknown reply.
    async fn delete_reply(&self, id: &ShareId, secret_hash: &SecretHash, reply: &ShareId) -> Result<bool, StoreError>;
}
