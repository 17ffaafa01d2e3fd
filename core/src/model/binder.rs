//! The binder itself and the operations the UI performs on it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    Allergy, Appointment, Condition, DoseLog, Entry, EntryMeta, Immunization, Medication, Note, Procedure, Profile,
    Provider, ProviderRef, ReceivedReply, ReminderSettings, ShareRecord, Source, Task, TestResult, Tombstone,
    ValidationError, VitalSign,
};

/// The schema version this build writes. Older versions are migrated on load (see `schema`).
pub const CURRENT_SCHEMA: u32 = 5;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Binder {
    pub schema: u32,
    pub id: Uuid,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
    pub profile: Profile,
    pub care_team: Vec<Entry<Provider>>,
    #[serde(default)]
    pub medications: Vec<Entry<Medication>>,
    /// What the patient said about allergies while none is listed. Read it through
    /// [`Binder::allergy_state`], which lets listed allergies win.
    pub allergy_status: AllergyStatus,
    pub allergies: Vec<Entry<Allergy>>,
    pub conditions: Vec<Entry<Condition>>,
    pub procedures: Vec<Entry<Procedure>>,
    pub immunizations: Vec<Entry<Immunization>>,
    pub results: Vec<Entry<TestResult>>,
    pub appointments: Vec<Entry<Appointment>>,
    pub vitals: Vec<Entry<VitalSign>>,
    pub notes: Vec<Entry<Note>>,
    /// Follow-ups and the care transition checklist (schema 4).
    pub tasks: Vec<Entry<Task>>,
    /// Which doses were taken, late or skipped (schema 5; see `doses`).
    pub dose_log: DoseLog,
    /// When to remind of doses and appointments (schema 5).
    pub reminders: ReminderSettings,
    #[serde(default)]
    pub tombstones: Vec<Tombstone>,
    #[serde(default)]
    pub shares: Vec<ShareRecord>,
}

/// The patient's statement about allergies when the list is empty. Stored apart from the list,
/// but never shown beside listed allergies: adding one resets it, and confirming "none known"
/// is refused while any is listed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllergyStatus {
    /// Nobody asked yet: a clinician must ask.
    #[default]
    NotRecorded,
    /// The patient confirmed they know of no allergy.
    NoneKnown {
        #[serde(with = "chrono::serde::ts_milliseconds")]
        confirmed_at: DateTime<Utc>,
    },
}

/// What the binder says about allergies, all things considered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllergyState {
    NotRecorded,
    NoneKnown {
        confirmed_at: DateTime<Utc>,
    },
    /// This many allergies are listed.
    Listed(usize),
}

#[derive(Debug, PartialEq, thiserror::Error)]
pub enum BinderError {
    #[error("That entry is no longer in the binder.")]
    NotFound,
    #[error("Please check the highlighted fields.")]
    Invalid(Vec<ValidationError>),
    #[error("Allergies are listed: remove them before saying there are none known.")]
    AllergiesListed,
}

/// A kind of entry the binder keeps a list of. One implementation per section gives every
/// section the same add / update / delete / get, with ids, times, tombstones and validation.
pub trait SectionItem: Sized {
    fn entries(binder: &Binder) -> &Vec<Entry<Self>>;
    fn entries_mut(binder: &mut Binder) -> &mut Vec<Entry<Self>>;
    /// Tidied, or every problem at once.
    fn validated(self) -> Result<Self, Vec<ValidationError>>;
    /// The care-team entries this item points to, with the field that holds each.
    fn care_team_refs(&self) -> Vec<(&'static str, Uuid)> {
        Vec::new()
    }
    /// Keeps the binder's rules after entry `id` was added or changed.
    fn settle(_binder: &mut Binder, _id: Uuid) {}
    /// Keeps the binder's rules after entry `id` was deleted.
    fn deleted(_binder: &mut Binder, _id: Uuid) {}
}

macro_rules! section_item {
    ($type:ty, $field:ident $(, refs: |$item:ident| $refs:expr)? $(, settle: $settle:path)? $(, deleted: $deleted:path)?) => {
        impl SectionItem for $type {
            fn entries(binder: &Binder) -> &Vec<Entry<Self>> {
                &binder.$field
            }
            fn entries_mut(binder: &mut Binder) -> &mut Vec<Entry<Self>> {
                &mut binder.$field
            }
            fn validated(self) -> Result<Self, Vec<ValidationError>> {
                <$type>::validated(self)
            }
            $(fn care_team_refs(&self) -> Vec<(&'static str, Uuid)> {
                let $item = self;
                $refs
            })?
            $(fn settle(binder: &mut Binder, id: Uuid) {
                $settle(binder, id)
            })?
            $(fn deleted(binder: &mut Binder, id: Uuid) {
                $deleted(binder, id)
            })?
        }
    };
}

section_item!(Provider, care_team, settle: Binder::keep_one_primary_care, deleted: Binder::forget_provider);
section_item!(Medication, medications, refs: |m| m.prescriber.map(|id| ("prescriber", id)).into_iter().collect(),
    deleted: Binder::forget_doses);
section_item!(Allergy, allergies, settle: Binder::allergy_listed);
section_item!(Condition, conditions);
section_item!(Procedure, procedures);
section_item!(Immunization, immunizations);
section_item!(TestResult, results, refs: |r| r.ordered_by.map(|id| ("ordered_by", id)).into_iter().collect());
section_item!(Appointment, appointments, refs: |a| match a.with {
    Some(ProviderRef::CareTeam(id)) => vec![("with", id)],
    _ => Vec::new(),
});
section_item!(VitalSign, vitals);
section_item!(Note, notes);
section_item!(Task, tasks);

impl Binder {
    /// Where entry `id` came from, in words, for entries the patient did not type: "From file
    /// IPS.json, 28 November 2026", "From Dr Patel, 3 December 2026". `None` for typed entries.
    /// English (the printout's); the app writes the sentence in the reader's language from
    /// [`Binder::source`].
    pub fn source_text(&self, id: Uuid) -> Option<String> {
        let (from, at) = self.source(id)?;
        Some(format!("From {from}, {}", super::PartialDate::from_utc(at).text()))
    }

    /// Who or what entry `id` came from ("file IPS.json", "Dr Patel") and when it was added, for
    /// entries the patient did not type; `None` for typed entries.
    pub fn source(&self, id: Uuid) -> Option<(String, DateTime<Utc>)> {
        fn meta<T>(entries: &[Entry<T>], id: Uuid) -> Option<&EntryMeta> {
            entries.iter().find(|e| e.id() == id).map(|e| &e.meta)
        }
        let meta = meta(&self.medications, id)
            .or_else(|| meta(&self.allergies, id))
            .or_else(|| meta(&self.care_team, id))
            .or_else(|| meta(&self.conditions, id))
            .or_else(|| meta(&self.procedures, id))
            .or_else(|| meta(&self.immunizations, id))
            .or_else(|| meta(&self.results, id))
            .or_else(|| meta(&self.appointments, id))
            .or_else(|| meta(&self.vitals, id))
            .or_else(|| meta(&self.notes, id))
            .or_else(|| meta(&self.tasks, id))?;
        let from = match &meta.source {
            Source::Patient => return None,
            Source::Imported { origin } => origin.clone(),
            Source::Clinician { name } => name.clone(),
        };
        Some((from, meta.created_at))
    }

    pub fn new(name: &str, now: DateTime<Utc>) -> Self {
        Self {
            schema: CURRENT_SCHEMA,
            id: crate::random::uuid_v4(),
            created_at: now,
            updated_at: now,
            profile: Profile { name: name.trim().to_owned(), ..Profile::default() },
            care_team: Vec::new(),
            medications: Vec::new(),
            allergy_status: AllergyStatus::NotRecorded,
            allergies: Vec::new(),
            conditions: Vec::new(),
            procedures: Vec::new(),
            immunizations: Vec::new(),
            results: Vec::new(),
            appointments: Vec::new(),
            vitals: Vec::new(),
            notes: Vec::new(),
            tasks: Vec::new(),
            dose_log: DoseLog::default(),
            reminders: ReminderSettings::default(),
            tombstones: Vec::new(),
            shares: Vec::new(),
        }
    }

    /// Checks `item` (its fields, and that the care-team entries it names exist).
    fn checked<T: SectionItem>(&self, item: T) -> Result<T, BinderError> {
        let item = item.validated().map_err(BinderError::Invalid)?;
        let missing = self.missing_providers(item.care_team_refs());
        if missing.is_empty() { Ok(item) } else { Err(BinderError::Invalid(missing)) }
    }

    /// The references that point to no care-team entry. Not generic, so one copy serves every
    /// section (each generic copy costs the download).
    fn missing_providers(&self, refs: Vec<(&'static str, Uuid)>) -> Vec<ValidationError> {
        refs.into_iter()
            .filter(|(_, id)| self.get::<Provider>(*id).is_none())
            .map(|(field, _)| ValidationError { field, message: "That provider is no longer in the care team.".into() })
            .collect()
    }

    /// Adds an entry to its section, with a new id.
    pub fn add<T: SectionItem>(&mut self, item: T, source: Source, now: DateTime<Utc>) -> Result<Uuid, BinderError> {
        let data = self.checked(item)?;
        let entry = Entry { meta: EntryMeta::new(source, now), data };
        let id = entry.id();
        T::entries_mut(self).push(entry);
        T::settle(self, id);
        self.updated_at = now;
        Ok(id)
    }

    /// Replaces the content of entry `id`, keeping its id, creation time and source.
    pub fn update<T: SectionItem>(&mut self, id: Uuid, item: T, now: DateTime<Utc>) -> Result<(), BinderError> {
        if self.get::<T>(id).is_none() {
            return Err(BinderError::NotFound);
        }
        let data = self.checked(item)?;
        let entry = T::entries_mut(self).iter_mut().find(|e| e.id() == id).ok_or(BinderError::NotFound)?;
        entry.data = data;
        entry.meta.updated_at = now;
        T::settle(self, id);
        self.updated_at = now;
        Ok(())
    }

    /// Removes entry `id`, leaving a tombstone. Entries that pointed to a deleted care-team entry
    /// drop the reference (so no id ever points nowhere).
    pub fn delete<T: SectionItem>(&mut self, id: Uuid, now: DateTime<Utc>) -> Result<(), BinderError> {
        let entries = T::entries_mut(self);
        let index = entries.iter().position(|e| e.id() == id).ok_or(BinderError::NotFound)?;
        entries.remove(index);
        T::deleted(self, id);
        self.tombstones.push(Tombstone { id, deleted_at: now });
        self.updated_at = now;
        Ok(())
    }

    pub fn get<T: SectionItem>(&self, id: Uuid) -> Option<&Entry<T>> {
        T::entries(self).iter().find(|e| e.id() == id)
    }

    pub fn add_medication(&mut self, med: Medication, now: DateTime<Utc>) -> Result<Uuid, BinderError> {
        self.add(med, Source::Patient, now)
    }

    pub fn update_medication(&mut self, id: Uuid, med: Medication, now: DateTime<Utc>) -> Result<(), BinderError> {
        self.update(id, med, now)
    }

    pub fn delete_medication(&mut self, id: Uuid, now: DateTime<Utc>) -> Result<(), BinderError> {
        self.delete::<Medication>(id, now)
    }

    pub fn medication(&self, id: Uuid) -> Option<&Entry<Medication>> {
        self.get(id)
    }

    pub fn update_profile(&mut self, profile: Profile, now: DateTime<Utc>) -> Result<(), BinderError> {
        self.profile = profile.validated().map_err(BinderError::Invalid)?;
        self.updated_at = now;
        Ok(())
    }

    /// The provider in charge of primary care, if one is marked.
    pub fn primary_care(&self) -> Option<&Entry<Provider>> {
        self.care_team.iter().find(|e| e.data.primary_care)
    }

    /// Marks `id` as primary care (unmarking any other), or unmarks all with `None`.
    pub fn set_primary_care(&mut self, id: Option<Uuid>, now: DateTime<Utc>) -> Result<(), BinderError> {
        if id.is_some_and(|id| self.get::<Provider>(id).is_none()) {
            return Err(BinderError::NotFound);
        }
        for entry in &mut self.care_team {
            let primary = Some(entry.id()) == id;
            if entry.data.primary_care != primary {
                entry.data.primary_care = primary;
                entry.meta.updated_at = now;
            }
        }
        self.updated_at = now;
        Ok(())
    }

    /// A provider just saved as primary care is the only one.
    fn keep_one_primary_care(&mut self, id: Uuid) {
        if self.get::<Provider>(id).is_some_and(|e| e.data.primary_care) {
            for entry in self.care_team.iter_mut().filter(|e| e.id() != id) {
                entry.data.primary_care = false;
            }
        }
    }

    /// A deleted medication's dose log goes with it.
    fn forget_doses(&mut self, id: Uuid) {
        self.dose_log.forget(id);
    }

    /// Changes how reminders work.
    pub fn update_reminders(&mut self, settings: ReminderSettings, now: DateTime<Utc>) -> Result<(), BinderError> {
        self.reminders = settings.validated().map_err(BinderError::Invalid)?;
        self.updated_at = now;
        Ok(())
    }

    fn forget_provider(&mut self, id: Uuid) {
        for entry in &mut self.medications {
            if entry.data.prescriber == Some(id) {
                entry.data.prescriber = None;
            }
        }
        for entry in &mut self.results {
            if entry.data.ordered_by == Some(id) {
                entry.data.ordered_by = None;
            }
        }
        for entry in &mut self.appointments {
            if entry.data.with == Some(ProviderRef::CareTeam(id)) {
                entry.data.with = None;
            }
        }
    }

    /// Listing an allergy replaces any "none known".
    fn allergy_listed(&mut self, _id: Uuid) {
        self.allergy_status = AllergyStatus::NotRecorded;
    }

    /// What the binder says about allergies: listed ones win over any stored statement.
    pub fn allergy_state(&self) -> AllergyState {
        match (&self.allergy_status, self.allergies.len()) {
            (_, n) if n > 0 => AllergyState::Listed(n),
            (AllergyStatus::NoneKnown { confirmed_at }, _) => AllergyState::NoneKnown { confirmed_at: *confirmed_at },
            (AllergyStatus::NotRecorded, _) => AllergyState::NotRecorded,
        }
    }

    /// The patient confirms they know of no allergy. Refused while allergies are listed.
    pub fn confirm_no_known_allergies(&mut self, now: DateTime<Utc>) -> Result<(), BinderError> {
        if !self.allergies.is_empty() {
            return Err(BinderError::AllergiesListed);
        }
        self.allergy_status = AllergyStatus::NoneKnown { confirmed_at: now };
        self.updated_at = now;
        Ok(())
    }

    /// Back to "not recorded" (the patient is no longer sure).
    pub fn clear_allergy_status(&mut self, now: DateTime<Utc>) {
        self.allergy_status = AllergyStatus::NotRecorded;
        self.updated_at = now;
    }

    pub fn add_share(&mut self, share: ShareRecord, now: DateTime<Utc>) {
        self.shares.push(share);
        self.updated_at = now;
    }

    /// Keeps a reply that came back to share `relay_id` (fetched and decrypted), once: a reply
    /// already kept (the same relay id) is not added again. Returns whether it was new.
    pub fn add_reply(&mut self, relay_id: &str, reply: ReceivedReply, now: DateTime<Utc>) -> Result<bool, BinderError> {
        let share = self.shares.iter_mut().find(|s| s.relay_id == relay_id).ok_or(BinderError::NotFound)?;
        if share.replies.iter().any(|r| r.relay_id == reply.relay_id) {
            return Ok(false);
        }
        share.replies.push(reply);
        self.updated_at = now;
        Ok(true)
    }

    /// Marks a reply reviewed (what the patient accepted is in the binder by now). An attached
    /// bundle has been through the import review and is dropped, so the vault does not carry it.
    pub fn mark_reply_reviewed(&mut self, share: &str, reply: &str, now: DateTime<Utc>) -> Result<(), BinderError> {
        let found = self
            .shares
            .iter_mut()
            .find(|s| s.relay_id == share)
            .and_then(|s| s.replies.iter_mut().find(|r| r.relay_id == reply))
            .ok_or(BinderError::NotFound)?;
        found.reviewed_at.get_or_insert(now);
        found.content.bundle = None;
        self.updated_at = now;
        Ok(())
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
    use crate::model::{Allergy, Provider};
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
            ..Medication::default()
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

    fn provider(name: &str, primary_care: bool) -> Provider {
        Provider { name: name.into(), primary_care, ..Provider::default() }
    }

    #[test]
    fn at_most_one_provider_is_primary_care() {
        let mut binder = Binder::new("Ada", now());
        let a = binder.add(provider("Dr A", true), Source::Patient, now()).unwrap();
        let b = binder.add(provider("Dr B", false), Source::Patient, now()).unwrap();
        assert_eq!(binder.primary_care().map(|e| e.id()), Some(a));
        let c = binder.add(provider("Dr C", true), Source::Patient, now()).unwrap();
        assert_eq!(binder.care_team.iter().filter(|e| e.data.primary_care).count(), 1);
        assert_eq!(binder.primary_care().map(|e| e.id()), Some(c));
        binder.update(b, provider("Dr B", true), now()).unwrap();
        assert_eq!(binder.primary_care().map(|e| e.id()), Some(b));
        binder.set_primary_care(Some(a), now()).unwrap();
        assert_eq!(binder.primary_care().map(|e| e.id()), Some(a));
        binder.set_primary_care(None, now()).unwrap();
        assert!(binder.primary_care().is_none());
        assert_eq!(binder.set_primary_care(Some(binder.id), now()), Err(BinderError::NotFound));
    }

    #[test]
    fn no_known_allergies_never_sits_beside_a_listed_allergy() {
        let mut binder = Binder::new("Ada", now());
        assert_eq!(binder.allergy_state(), AllergyState::NotRecorded);
        binder.confirm_no_known_allergies(now()).unwrap();
        assert_eq!(binder.allergy_state(), AllergyState::NoneKnown { confirmed_at: now() });

        let penicillin = Allergy { substance: "Penicillin".into(), ..Allergy::default() };
        let id = binder.add(penicillin, Source::Patient, now()).unwrap();
        assert_eq!(binder.allergy_state(), AllergyState::Listed(1));
        assert_eq!(binder.allergy_status, AllergyStatus::NotRecorded, "listing one resets the statement");
        assert_eq!(binder.confirm_no_known_allergies(now()), Err(BinderError::AllergiesListed));

        // Removing the last allergy does not make it "none known": that takes the patient's word.
        binder.delete::<Allergy>(id, now()).unwrap();
        assert_eq!(binder.allergy_state(), AllergyState::NotRecorded);

        // Even a stored binder with both (edited by hand) reads as listed.
        binder.add(Allergy { substance: "Latex".into(), ..Allergy::default() }, Source::Patient, now()).unwrap();
        binder.allergy_status = AllergyStatus::NoneKnown { confirmed_at: now() };
        assert_eq!(binder.allergy_state(), AllergyState::Listed(1));
    }

    #[test]
    fn references_to_the_care_team_must_exist_and_are_dropped_with_it() {
        let mut binder = Binder::new("Ada", now());
        let stranger = crate::random::uuid_v4();
        let err = binder.add_medication(Medication { prescriber: Some(stranger), ..aspirin() }, now()).unwrap_err();
        assert!(matches!(err, BinderError::Invalid(ref e) if e[0].field == "prescriber"));
        let doctor = binder.add(provider("Dr A", false), Source::Patient, now()).unwrap();
        let med = binder.add_medication(Medication { prescriber: Some(doctor), ..aspirin() }, now()).unwrap();
        binder.delete::<Provider>(doctor, now()).unwrap();
        assert_eq!(binder.medication(med).unwrap().data.prescriber, None);
        assert_eq!(binder.tombstones.len(), 1);
    }

    #[test]
    fn every_section_shares_the_same_bookkeeping() {
        use crate::model::{LocalDateTime, Measurement, Note, VitalSign};
        let mut binder = Binder::new("Ada", now());
        let at = LocalDateTime::from_utc(now(), 60);
        let source = Source::Imported { origin: "portal.example".into() };
        let id = binder
            .add(VitalSign { at, measurement: Measurement::Pulse { per_minute: 72 } }, source.clone(), now())
            .unwrap();
        assert_eq!(binder.get::<VitalSign>(id).unwrap().meta.source, source);
        let err = binder.update(id, VitalSign { at, measurement: Measurement::Pulse { per_minute: 900 } }, now());
        assert!(matches!(err, Err(BinderError::Invalid(_))));
        assert_eq!(binder.get::<VitalSign>(id).unwrap().data.measurement, Measurement::Pulse { per_minute: 72 });
        assert_eq!(binder.update(id, Note { at, text: "x".into(), severity: None }, now()), Err(BinderError::NotFound));
        assert!(binder.get::<Note>(id).is_none(), "ids are looked up in their own section");
        binder.delete::<VitalSign>(id, now()).unwrap();
        assert!(binder.vitals.is_empty());
        assert_eq!(binder.tombstones[0].id, id);
    }

    #[test]
    fn invalid_medication_changes_nothing() {
        let mut binder = Binder::new("Ada", now());
        let err = binder.add_medication(Medication { name: "".into(), ..aspirin() }, now()).unwrap_err();
        assert!(matches!(err, BinderError::Invalid(ref e) if e[0].field == "name"));
        assert!(binder.medications.is_empty());
    }
}
