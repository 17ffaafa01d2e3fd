//! Keeping sealed generations in a key–value store (the browser's storage in the app, a map in
//! tests). A save writes a new generation and only then moves the head to it, keeping the last
//! few, so a crash mid-save or a damaged record costs at most the newest change — never the binder.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::{Header, SealedGeneration, UnlockedVault, VaultError};
use crate::model::Binder;

/// How many generations stay on the device: the head and the ones before it.
pub const KEEP_GENERATIONS: u64 = 3;

/// The few string operations the vault needs from a store.
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError>;
    fn remove(&mut self, key: &str) -> Result<(), StorageError>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StorageError {
    /// The browser's own words are kept for the developer console, not shown: they name storage
    /// keys and quotas, which tell a patient nothing.
    #[error(
        "This device's storage refused to save (it may be full). Your binder is still open: free some space, or download a backup."
    )]
    Write(String),
    #[error("This browser's storage is unavailable ({0}). Private browsing can cause this.")]
    Unavailable(String),
}

/// A binder read back from storage, and any newer generations that could not be read.
#[derive(Debug)]
pub struct Loaded {
    pub binder: Binder,
    pub generation: u64,
    /// Newer generations that failed to open, with why: shown to the patient, never dropped silently.
    pub skipped: Vec<(u64, String)>,
}

pub struct VaultStore<S> {
    kv: S,
}

// The keys under which a device keeps its binders. A backup reads and writes the same keys
// (backup.rs), so they are shared with it, and only with it.
pub(super) const INDEX: &str = "hb/v1/index";

pub(super) fn header_key(id: Uuid) -> String {
    format!("hb/v1/binder/{id}/header")
}
pub(super) fn head_key(id: Uuid) -> String {
    format!("hb/v1/binder/{id}/head")
}
pub(super) fn generation_key(id: Uuid, generation: u64) -> String {
    format!("hb/v1/binder/{id}/gen/{generation}")
}

/// The generations the device keeps for a head, newest first: the ones [`VaultStore::load`] reads.
pub(super) fn kept(head: u64) -> impl Iterator<Item = u64> {
    (head.saturating_sub(KEEP_GENERATIONS - 1).max(1)..=head).rev()
}

/// The binders listed on a device, oldest first; an unreadable index counts as empty.
pub(super) fn read_index<S: KeyValue>(kv: &S) -> Result<Vec<Uuid>, StorageError> {
    Ok(kv.get(INDEX)?.and_then(|text| serde_json::from_slice(text.as_bytes()).ok()).unwrap_or_default())
}

impl<S: KeyValue> VaultStore<S> {
    pub fn new(kv: S) -> Self {
        Self { kv }
    }

    pub fn into_inner(self) -> S {
        self.kv
    }

    /// The binders kept on this device, oldest first.
    pub fn binder_ids(&self) -> Result<Vec<Uuid>, StorageError> {
        read_index(&self.kv)
    }

    pub fn header(&self, id: Uuid) -> Result<Header, VaultError> {
        let text = self.kv.get(&header_key(id))?.ok_or(VaultError::NotFound)?;
        let header: Header =
            serde_json::from_slice(text.as_bytes()).map_err(|e| VaultError::Malformed(e.to_string()))?;
        header.check()?;
        Ok(header)
    }

    /// The header of every binder on this device, in the order of [`VaultStore::binder_ids`]:
    /// what an [`super::Unlock`] tries a secret on.
    pub fn headers(&self) -> Result<Vec<Header>, VaultError> {
        let mut headers = Vec::new();
        for id in self.binder_ids()? {
            headers.push(self.header(id)?);
        }
        Ok(headers)
    }

    /// Stores a new vault and its first generation, then lists it in the index.
    pub fn create(&mut self, vault: &UnlockedVault, binder: &Binder) -> Result<u64, VaultError> {
        let id = vault.binder_id();
        self.save_header(vault)?;
        let generation = self.save(vault, binder)?;
        let mut ids = self.binder_ids()?;
        if !ids.contains(&id) {
            ids.push(id);
            self.kv.set(INDEX, &serde_json::to_string(&ids).expect("ids serialize"))?;
        }
        Ok(generation)
    }

    /// Stores a changed header (new passphrase or recovery code). The data key is unchanged, so
    /// every generation stays readable.
    pub fn save_header(&mut self, vault: &UnlockedVault) -> Result<(), VaultError> {
        let header = serde_json::to_string(vault.header()).expect("a header always serializes");
        Ok(self.kv.set(&header_key(vault.binder_id()), &header)?)
    }

    /// Writes the binder as a new generation, moves the head to it, and drops the oldest.
    pub fn save(&mut self, vault: &UnlockedVault, binder: &Binder) -> Result<u64, VaultError> {
        let id = vault.binder_id();
        let generation = self.head(id)?.map_or(1, |head| head + 1);
        let sealed = serde_json::to_string(&vault.seal(binder, generation)).expect("a generation always serializes");
        self.kv.set(&generation_key(id, generation), &sealed)?;
        self.kv.set(&head_key(id), &generation.to_string())?;
        if generation > KEEP_GENERATIONS {
            // Best effort: a leftover old generation wastes space but loses nothing.
            let _ = self.kv.remove(&generation_key(id, generation - KEEP_GENERATIONS));
        }
        Ok(generation)
    }

    /// Opens the newest generation that decrypts and parses, reporting any newer that did not.
    pub fn load(&self, vault: &UnlockedVault) -> Result<Loaded, VaultError> {
        let id = vault.binder_id();
        let head = self.head(id)?.ok_or(VaultError::NotFound)?;
        let mut skipped = Vec::new();
        for generation in kept(head) {
            match self.open_generation(vault, generation) {
                Ok(binder) => return Ok(Loaded { binder, generation, skipped }),
                Err(e) => skipped.push((generation, e.to_string())),
            }
        }
        Err(VaultError::Tampered)
    }

    fn open_generation(&self, vault: &UnlockedVault, generation: u64) -> Result<Binder, VaultError> {
        let text = self.kv.get(&generation_key(vault.binder_id(), generation))?.ok_or(VaultError::NotFound)?;
        let sealed: SealedGeneration = serde_json::from_slice(text.as_bytes()).map_err(|_| VaultError::Tampered)?;
        if sealed.generation != generation {
            return Err(VaultError::Tampered);
        }
        vault.open(&sealed)
    }

    fn head(&self, id: Uuid) -> Result<Option<u64>, StorageError> {
        Ok(self.kv.get(&head_key(id))?.and_then(|text| text.parse().ok()))
    }
}

/// An in-memory store, for tests and benchmarks.
#[derive(Default, Debug, Clone)]
pub struct MemoryStore(pub BTreeMap<String, String>);

impl KeyValue for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        Ok(self.0.get(key).cloned())
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        self.0.insert(key.to_owned(), value.to_owned());
        Ok(())
    }
    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        self.0.remove(key);
        Ok(())
    }
}
