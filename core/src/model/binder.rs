//! The binder itself and the operations the UI performs on it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Entry, EntryMeta, Medication, ShareRecord, Source, Tombstone, ValidationError};

/// The schema version this build writes. Older versions are migrated on load (see `schema`).
pub const CURRENT_SCHEMA: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Binder {
    pub schema: u32,
    pub id: Uuid,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
    pub profile: Profile,
    #[serde(default)]
    pub medications: Vec<Entry<Medication>>,
    #[serde(default)]
    pub tombstones: Vec<Tombstone>,
    #[serde(default)]
    pub shares: Vec<ShareRecord>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Whose binder this is, as they would be called at the front desk.
    pub name: String,
}

#[derive(Debug, PartialEq, thiserror::Error)]
pub enum BinderError {
    #[error("That entry is no longer in the binder.")]
    NotFound,
    #[error("Please check the highlighted fields.")]
    Invalid(Vec<ValidationError>),
}

impl Binder {
    pub fn new(name: &str, now: DateTime<Utc>) -> Self {
        Self {
            schema: CURRENT_SCHEMA,
            id: crate::random::uuid_v4(),
            created_at: now,
            updated_at: now,
            profile: Profile { name: name.trim().to_owned() },
            medications: Vec::new(),
            tombstones: Vec::new(),
            shares: Vec::new(),
        }
    }

    pub fn add_medication(&mut self, med: Medication, now: DateTime<Utc>) -> Result<Uuid, BinderError> {
        let data = med.validated().map_err(BinderError::Invalid)?;
        let entry = Entry { meta: EntryMeta::new(Source::Patient, now), data };
        let id = entry.id();
        self.medications.push(entry);
        self.updated_at = now;
        Ok(id)
    }

    pub fn update_medication(&mut self, id: Uuid, med: Medication, now: DateTime<Utc>) -> Result<(), BinderError> {
        let data = med.validated().map_err(BinderError::Invalid)?;
        let entry = self.medications.iter_mut().find(|e| e.id() == id).ok_or(BinderError::NotFound)?;
        entry.data = data;
        entry.meta.updated_at = now;
        self.updated_at = now;
        Ok(())
    }

    pub fn delete_medication(&mut self, id: Uuid, now: DateTime<Utc>) -> Result<(), BinderError> {
        let index = self.medications.iter().position(|e| e.id() == id).ok_or(BinderError::NotFound)?;
        self.medications.remove(index);
        self.tombstones.push(Tombstone { id, deleted_at: now });
        self.updated_at = now;
        Ok(())
    }

    pub fn medication(&self, id: Uuid) -> Option<&Entry<Medication>> {
        self.medications.iter().find(|e| e.id() == id)
    }

    pub fn add_share(&mut self, share: ShareRecord, now: DateTime<Utc>) {
        self.shares.push(share);
        self.updated_at = now;
    }

    /// Records that the patient revoked a share (after the relay confirmed it).
    pub fn mark_share_revoked(&mut self, relay_id: &str, now: DateTime<Utc>) -> Result<(), BinderError> {
        let share = self.shares.iter_mut().find(|s| s.relay_id == relay_id).ok_or(BinderError::NotFound)?;
        share.revoked_at.get_or_insert(now);
        self.updated_at = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Frequency, MedicationKind};

    fn now() -> DateTime<Utc> {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    fn aspirin() -> Medication {
        Medication {
            name: "Aspirin".into(),
            strength: "81 mg".into(),
            dose: None,
            frequency: Frequency::AsNeeded { max_per_day: None },
            kind: MedicationKind::OverTheCounter,
            reason: String::new(),
        }
    }

    #[test]
    fn add_edit_delete_keeps_ids_times_and_a_tombstone() {
        let mut binder = Binder::new(" Ada Lovelace ", now());
        assert_eq!(binder.profile.name, "Ada Lovelace");
        let id = binder.add_medication(aspirin(), now()).unwrap();
        let later = now() + chrono::Duration::hours(1);
        binder.update_medication(id, Medication { strength: "325 mg".into(), ..aspirin() }, later).unwrap();
        let entry = binder.medication(id).unwrap();
        assert_eq!(
            (entry.data.strength.as_str(), entry.meta.created_at, entry.meta.updated_at),
            ("325 mg", now(), later)
        );
        assert_eq!(entry.meta.source, Source::Patient);

        binder.delete_medication(id, later).unwrap();
        assert!(binder.medications.is_empty());
        assert_eq!(binder.tombstones, [Tombstone { id, deleted_at: later }]);
        assert_eq!(binder.delete_medication(id, later), Err(BinderError::NotFound));
    }

    #[test]
    fn invalid_medication_changes_nothing() {
        let mut binder = Binder::new("Ada", now());
        let err = binder.add_medication(Medication { name: "".into(), ..aspirin() }, now()).unwrap_err();
        assert!(matches!(err, BinderError::Invalid(ref e) if e[0].field == "name"));
        assert!(binder.medications.is_empty());
    }
}
