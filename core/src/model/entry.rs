//! What every entry of every section carries: a stable id, when it was made and changed, and where
//! it came from. Import de-duplication, FHIR `urn:uuid`s, reconciliation and any future sync all
//! key on these, so they are settled from the first schema version.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Times are stored as milliseconds since the epoch (UTC): exact, and cheaper to read back in the
/// browser than RFC 3339 text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryMeta {
    pub id: Uuid,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
    pub source: Source,
}

impl EntryMeta {
    pub fn new(source: Source, now: DateTime<Utc>) -> Self {
        Self { id: crate::random::uuid_v4(), created_at: now, updated_at: now, source }
    }
}

/// Who put an entry in the binder. Shown to the patient, and decides what reconciliation trusts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Typed in by the patient or their caregiver.
    Patient,
    /// Read from a file (a FHIR IPS bundle from a portal or EHR).
    Imported { origin: String },
    /// Sent back by a clinician through a share.
    Clinician { name: String },
}

/// One entry of a section: its bookkeeping and its content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry<T> {
    pub meta: EntryMeta,
    pub data: T,
}

impl<T> Entry<T> {
    pub fn id(&self) -> Uuid {
        self.meta.id
    }
}

/// What a deletion leaves behind: the id and when, but none of the content, so that what the
/// patient deleted is gone from every later save and backup, yet an import or a sync can tell
/// "deleted here" from "never seen".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tombstone {
    pub id: Uuid,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub deleted_at: DateTime<Utc>,
}
