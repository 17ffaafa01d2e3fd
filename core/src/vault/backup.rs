//! A backup of every binder on the device, as one file, to restore on another device.
//!
//! The vault at rest is already only ciphertext, so a backup simply carries what is stored: per
//! binder its id, its [`Header`] (KDF parameters and wrapped data keys) and its sealed generations.
//! Nothing is decrypted to make it and no key is added: the file holds no plaintext beyond what the
//! device already keeps in the clear, and the passphrase or recovery code opens it exactly as it
//! opens the vault. The binder's share records (link keys, management secrets) live inside the
//! sealed binder, so they travel with it, encrypted.
//!
//! # The file
//!
//! One JSON document (UTF-8, no whitespace), keys in this order:
//!
//! ```json
//! {"format":"health-binder-backup","version":1,"created_at":1795428000000,
//!  "binders":[{"id":"<uuid>","header":{…Header…},"head":7,
//!              "generations":[{…SealedGeneration 7…},{…6…},{…5…}]}]}
//! ```
//!
//! - `format` tells the file apart from any other JSON (a FHIR bundle, another app's export).
//! - `version` is [`BACKUP_VERSION`]; bumped only when this envelope changes. A reader refuses a
//!   newer version rather than guess. (The vault's own envelope has its own `format` inside each
//!   header and generation; the binder schema its own version inside the ciphertext.)
//! - `created_at` is milliseconds since the Unix epoch, given by the caller (core has no clock).
//! - `header` and each generation are exactly the JSON the vault stores under `hb/v1/…`.
//! - `generations` are newest first; the first is the `head`, and all lie within the
//!   [`KEEP_GENERATIONS`](super::KEEP_GENERATIONS) the device keeps, so a restored binder looks as if saved on the device.
//!
//! # Restoring
//!
//! [`Backup::parse`] checks the file's shape; [`Backup::open`] then proves the passphrase (or
//! recovery code) and that the content authenticates, *before* [`Backup::restore_into`] writes
//! anything, so a wrong secret or a damaged file never touches the device.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::storage::{INDEX, generation_key, head_key, header_key, kept, read_index};
use super::{Header, KeyValue, Loaded, SealedGeneration, StorageError, UnlockedVault, VaultError};

/// The `format` value that marks a Health Binder backup.
pub const BACKUP_FORMAT: &str = "health-binder-backup";

/// The version of the backup envelope this app writes and the newest it reads.
pub const BACKUP_VERSION: u32 = 1;

/// The largest file [`Backup::parse`] reads. A browser gives an origin about 5–10 MB of
/// `localStorage`, so a real backup is far smaller; the cap keeps a wrongly chosen file (a video,
/// a disk image) from exhausting a phone's memory before it is refused.
pub const MAX_BACKUP_BYTES: usize = 50 * 1024 * 1024;

/// The most binders one backup may hold. A caregiver keeps a handful (a family); the cap bounds the
/// work a hostile or broken file can cause.
pub const MAX_BINDERS: usize = 64;

/// Why a backup could not be made, read or restored, in words for the patient.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("This file is not a Health Binder backup.")]
    NotABackup,
    #[error("This file is too large to be a Health Binder backup.")]
    TooLarge,
    #[error("This backup was made by a newer version of Health Binder; update the app to restore it.")]
    NewerVersion(u64),
    #[error("This backup file is incomplete or damaged ({0}).")]
    Damaged(String),
    #[error("This backup holds no binder to restore.")]
    Empty,
    #[error("This backup holds more binders than Health Binder can restore at once (at most {MAX_BINDERS}).")]
    TooManyBinders,
    #[error(
        "This binder is already on this device. Nothing was restored; to overwrite the copy here with \
         the one in the backup, choose to replace it."
    )]
    AlreadyHere(Uuid),
    #[error("The passphrase or recovery code opens no binder in this backup. Nothing was restored.")]
    NothingOpened,
    #[error("There is no binder on this device to back up.")]
    NothingToBackUp,
    #[error("A binder on this device could not be read, so no backup was made ({0}).")]
    Unreadable(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Every binder of a device, as stored: ids, headers and sealed generations, no plaintext.
///
/// Only [`Backup::from_kv`] and [`Backup::parse`] make one, and both check it, so every entry is
/// consistent (ids agree, the head is present) and [`Backup::restore_into`] never writes a head
/// that points at nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct Backup {
    created_at_ms: i64,
    binders: Vec<BackedUpBinder>,
}

/// The document as written; `Backup` keeps the same data minus the format tag.
#[derive(Serialize, Deserialize)]
struct Document {
    format: String,
    version: u32,
    created_at: i64,
    binders: Vec<BackedUpBinder>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct BackedUpBinder {
    id: Uuid,
    header: Header,
    head: u64,
    /// Newest first; the first is `head`.
    generations: Vec<SealedGeneration>,
}

impl Backup {
    /// Collects every binder listed on the device, as stored, without decrypting anything.
    ///
    /// Takes the raw store rather than a `VaultStore` so the app can pass the same storage it
    /// wraps. A binder whose header or every kept generation cannot be read refuses the whole
    /// backup, rather than leaving it out unnoticed. Generations that could never open (unreadable,
    /// or filed under the wrong binder or number) are left out, as `VaultStore::load` would skip
    /// them; the head becomes the newest one that remains.
    pub fn from_kv<S: KeyValue>(kv: &S, now_ms: i64) -> Result<Backup, BackupError> {
        let ids = read_index(kv)?;
        if ids.is_empty() {
            return Err(BackupError::NothingToBackUp);
        }
        if ids.len() > MAX_BINDERS {
            return Err(BackupError::TooManyBinders);
        }
        let mut binders = Vec::with_capacity(ids.len());
        for id in ids {
            let unreadable = |what: &str| BackupError::Unreadable(format!("binder {id}: {what}"));
            let text = kv.get(&header_key(id))?.ok_or_else(|| unreadable("its key header is missing"))?;
            let header: Header =
                serde_json::from_slice(text.as_bytes()).map_err(|_| unreadable("its key header is unreadable"))?;
            if header.binder_id != id {
                return Err(unreadable("its key header belongs to another binder"));
            }
            let head: u64 = kv
                .get(&head_key(id))?
                .and_then(|text| text.parse().ok())
                .ok_or_else(|| unreadable("it has no saved state"))?;
            let mut generations = Vec::new();
            for generation in kept(head) {
                let Some(text) = kv.get(&generation_key(id, generation))? else { continue };
                match serde_json::from_slice::<SealedGeneration>(text.as_bytes()) {
                    Ok(sealed) if sealed.binder_id == id && sealed.generation == generation => generations.push(sealed),
                    _ => {}
                }
            }
            let head =
                generations.first().ok_or_else(|| unreadable("none of its saved states can be read"))?.generation;
            binders.push(BackedUpBinder { id, header, head, generations });
        }
        Ok(Backup { created_at_ms: now_ms, binders })
    }

    /// The backup as one file's text (see the module documentation for its shape).
    pub fn to_text(&self) -> String {
        let document = Document {
            format: BACKUP_FORMAT.to_owned(),
            version: BACKUP_VERSION,
            created_at: self.created_at_ms,
            binders: self.binders.clone(),
        };
        serde_json::to_string(&document).expect("a backup always serializes")
    }

    /// Reads a backup file, refusing anything that is not a complete, consistent backup this app
    /// understands. Authenticity is checked later, by [`Backup::open`], which needs the secret.
    pub fn parse(text: &str) -> Result<Backup, BackupError> {
        if text.len() > MAX_BACKUP_BYTES {
            return Err(BackupError::TooLarge);
        }
        // An editor that saved the file again may have added a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // First only the envelope (other fields skipped), with the same parser as the document,
        // so no second set of deserializers (serde_json::Value's) is compiled in.
        #[derive(Deserialize)]
        struct Envelope {
            format: Option<String>,
            version: Option<u64>,
        }
        let envelope: Envelope = match serde_json::from_slice(text.as_bytes()) {
            Ok(envelope) => envelope,
            // Well-formed JSON of another shape (an array, a string) is not a backup, unless it
            // says it is one and only its version is wrong.
            Err(e) if e.is_data() => {
                #[derive(Deserialize)]
                struct Format {
                    format: Option<String>,
                }
                return Err(match serde_json::from_slice::<Format>(text.as_bytes()) {
                    Ok(f) if f.format.as_deref() == Some(BACKUP_FORMAT) => {
                        BackupError::Damaged("its version is missing or invalid".to_owned())
                    }
                    _ => BackupError::NotABackup,
                });
            }
            Err(e) if text.contains(BACKUP_FORMAT) => {
                return Err(BackupError::Damaged(if e.is_eof() {
                    "the file ends too early; copy it again from where it was saved".to_owned()
                } else {
                    format!("it is not valid JSON: {e}")
                }));
            }
            Err(_) => return Err(BackupError::NotABackup),
        };
        if envelope.format.as_deref() != Some(BACKUP_FORMAT) {
            return Err(BackupError::NotABackup);
        }
        match envelope.version {
            Some(version) if version > u64::from(BACKUP_VERSION) => return Err(BackupError::NewerVersion(version)),
            Some(version) if version >= 1 => {}
            _ => return Err(BackupError::Damaged("its version is missing or invalid".to_owned())),
        }
        let document: Document =
            serde_json::from_slice(text.as_bytes()).map_err(|e| BackupError::Damaged(e.to_string()))?;
        match u64::from(document.version) {
            version if version > u64::from(BACKUP_VERSION) => return Err(BackupError::NewerVersion(version)),
            version if version >= 1 => {}
            _ => return Err(BackupError::Damaged("its version is missing or invalid".to_owned())),
        }
        let backup = Backup { created_at_ms: document.created_at, binders: document.binders };
        backup.check()?;
        Ok(backup)
    }

    /// The shape every backup must have: what `from_kv` produces and `restore_into` relies on.
    fn check(&self) -> Result<(), BackupError> {
        if self.binders.is_empty() {
            return Err(BackupError::Empty);
        }
        if self.binders.len() > MAX_BINDERS {
            return Err(BackupError::TooManyBinders);
        }
        let mut seen = BTreeSet::new();
        for binder in &self.binders {
            let id = binder.id;
            let damaged = |what: &str| BackupError::Damaged(format!("binder {id}: {what}"));
            if !seen.insert(id) {
                return Err(damaged("it appears twice"));
            }
            if binder.header.binder_id != id {
                return Err(damaged("its key header belongs to another binder"));
            }
            if binder.header.slots.is_empty() {
                return Err(damaged("its key header holds no key"));
            }
            binder.header.check().map_err(|e| damaged(&e.to_string()))?;
            if binder.generations.first().map(|g| g.generation) != Some(binder.head) {
                return Err(damaged("its newest saved state is missing"));
            }
            // Newest first, no repeats, only the ones the device would keep for this head: each
            // number must come later in `kept(head)` than the one before, which consumes it.
            let mut expected = kept(binder.head);
            for sealed in &binder.generations {
                if sealed.binder_id != id {
                    return Err(damaged(&format!("saved state {} belongs to another binder", sealed.generation)));
                }
                if !expected.any(|n| n == sealed.generation) {
                    return Err(damaged(&format!("saved state {} is out of place", sealed.generation)));
                }
            }
        }
        Ok(())
    }

    /// When the backup was made, in milliseconds since the Unix epoch.
    pub fn created_at_ms(&self) -> i64 {
        self.created_at_ms
    }

    /// The binders in the backup, in the order of the device they came from.
    pub fn binder_ids(&self) -> Vec<Uuid> {
        self.binders.iter().map(|b| b.id).collect()
    }

    /// What unlocks one binder of the backup: pass it to [`UnlockedVault::unlock`] or
    /// [`UnlockedVault::unlock_with_recovery_code`].
    pub fn header(&self, id: Uuid) -> Option<&Header> {
        self.binders.iter().find(|b| b.id == id).map(|b| &b.header)
    }

    /// What unlocks each binder of the backup, in its order: what an [`super::Unlock`] tries the
    /// restorer's secret on.
    pub fn headers(&self) -> Vec<Header> {
        self.binders.iter().map(|b| b.header.clone()).collect()
    }

    /// Opens the newest generation of the vault's binder that authenticates, reporting any newer
    /// that did not, as `VaultStore::load` does — so the app can show the patient what the backup
    /// holds before anything is written.
    pub fn open(&self, vault: &UnlockedVault) -> Result<Loaded, VaultError> {
        let binder = self.binders.iter().find(|b| b.id == vault.binder_id()).ok_or(VaultError::NotFound)?;
        let mut skipped = Vec::new();
        for sealed in &binder.generations {
            match vault.open(sealed) {
                Ok(opened) => return Ok(Loaded { binder: opened, generation: sealed.generation, skipped }),
                Err(e) => skipped.push((sealed.generation, e.to_string())),
            }
        }
        Err(VaultError::Tampered)
    }

    /// Writes every binder of the backup to the device's store and lists it, returning their ids.
    ///
    /// A binder already listed on the device is refused with [`BackupError::AlreadyHere`] unless
    /// `replace` is set, and then nothing at all is written. With `replace`, the device's copy —
    /// its passphrase, recovery code and every kept generation — gives way to the backup's.
    ///
    /// Per binder, generations are written first, then the header, then the head, and the index
    /// last: a failure midway leaves the device's previous head pointing at a generation that still
    /// exists, and a binder not yet in the index is invisible, so a retry simply writes it again.
    ///
    /// Only the binders `opened` proves the restorer can open are written (a vault opened from
    /// that very binder's header in this backup): a backup of several people's binders restored
    /// with one person's passphrase writes that person's binders and no one else's, so a crafted
    /// file cannot overwrite or roll back a binder its restorer never authenticated.
    pub fn restore_into<S: KeyValue>(
        &self,
        kv: &mut S,
        opened: &[&UnlockedVault],
        replace: bool,
    ) -> Result<Vec<Uuid>, BackupError> {
        let authenticated: Vec<&BackedUpBinder> = self
            .binders
            .iter()
            .filter(|b| opened.iter().any(|v| v.binder_id() == b.id && *v.header() == b.header))
            .collect();
        if authenticated.is_empty() {
            return Err(BackupError::NothingOpened);
        }
        let mut index = read_index(kv)?;
        // Check all before writing any.
        if !replace && let Some(binder) = authenticated.iter().find(|b| index.contains(&b.id)) {
            return Err(BackupError::AlreadyHere(binder.id));
        }
        for binder in &authenticated {
            let id = binder.id;
            // Records left from a previous copy (listed, or left over by an interrupted restore).
            let previous_head: Option<u64> = kv.get(&head_key(id))?.and_then(|text| text.parse().ok());
            for sealed in &binder.generations {
                let text = serde_json::to_string(sealed).expect("a generation always serializes");
                kv.set(&generation_key(id, sealed.generation), &text)?;
            }
            let header = serde_json::to_string(&binder.header).expect("a header always serializes");
            kv.set(&header_key(id), &header)?;
            kv.set(&head_key(id), &binder.head.to_string())?;
            // The previous copy's generations must not outlive it: they may hold entries the
            // patient deleted since. Best effort, as in `VaultStore::save`: the head no longer
            // reaches them, so a leftover wastes space but is never read.
            if let Some(previous_head) = previous_head {
                for generation in kept(previous_head) {
                    if !binder.generations.iter().any(|g| g.generation == generation) {
                        let _ = kv.remove(&generation_key(id, generation));
                    }
                }
            }
        }
        let ids: Vec<Uuid> = authenticated.iter().map(|b| b.id).collect();
        let missing: Vec<Uuid> = ids.iter().copied().filter(|id| !index.contains(id)).collect();
        if !missing.is_empty() {
            index.extend(missing);
            kv.set(INDEX, &serde_json::to_string(&index).expect("ids serialize"))?;
        }
        Ok(ids)
    }
}
