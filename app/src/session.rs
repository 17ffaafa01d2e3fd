//! The patient's session: which screen shows, the open binder, and the unlocked vault. The binder
//! is a plain `core` struct inside one signal; every change goes through `change`, which applies a
//! domain method and saves a new sealed generation.

use health_binder_core::Binder;
use health_binder_core::model::BinderError;
use health_binder_core::vault::{Header, KdfParams, UnlockedVault, VaultError, VaultStore};
use leptos::prelude::*;
use uuid::Uuid;

use crate::browser;
use crate::storage::BrowserStore;

#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    /// No binder on this device yet.
    Create,
    /// A binder exists and is locked.
    Unlock(Uuid),
    Open,
    /// Storage itself cannot be read: nothing can be done but say so.
    Broken(String),
}

#[derive(Clone, Copy)]
pub struct SessionState {
    pub screen: RwSignal<Screen>,
    pub binder: RwSignal<Option<Binder>>,
    /// Something the patient must know that is not an error of the form they are filling in: a
    /// save that failed, a damaged generation that was skipped.
    pub notice: RwSignal<Option<String>>,
    /// A recovery code just made, shown once until the patient confirms they wrote it down.
    pub recovery_code: RwSignal<Option<String>>,
    /// Why the binder locked by itself, shown on the unlock screen.
    pub lock_reason: RwSignal<Option<String>>,
    vault: StoredValue<Option<UnlockedVault>>,
}

fn store() -> VaultStore<BrowserStore> {
    VaultStore::new(BrowserStore)
}

impl SessionState {
    pub fn start() -> Self {
        let screen = match store().binder_ids() {
            Ok(ids) => ids.first().map_or(Screen::Create, |id| Screen::Unlock(*id)),
            Err(e) => Screen::Broken(e.to_string()),
        };
        Self {
            screen: RwSignal::new(screen),
            binder: RwSignal::new(None),
            notice: RwSignal::new(None),
            recovery_code: RwSignal::new(None),
            lock_reason: RwSignal::new(None),
            vault: StoredValue::new(None),
        }
    }

    /// Creates and opens a new binder, with a recovery code to show once. Slow (runs the key
    /// derivation twice): call after the page painted.
    pub fn create(&self, name: &str, passphrase: &str) -> Result<(), String> {
        let binder = Binder::new(name, browser::now());
        let mut vault =
            UnlockedVault::create(binder.id, passphrase, KdfParams::recommended()).map_err(|e| e.to_string())?;
        let code = vault.new_recovery_code(KdfParams::recommended()).map_err(|e| e.to_string())?;
        store().create(&vault, &binder).map_err(|e| e.to_string())?;
        self.open(vault, binder);
        self.recovery_code.set(Some(code));
        Ok(())
    }

    /// Opens the binder if the passphrase is right; otherwise changes nothing. Slow, as `create`.
    pub fn unlock(&self, binder_id: Uuid, passphrase: &str) -> Result<(), String> {
        self.unlock_with(binder_id, |header| UnlockedVault::unlock(header, passphrase))
    }

    /// Opens the binder with the recovery code, for a forgotten passphrase, and asks for a new one.
    pub fn unlock_with_recovery_code(&self, binder_id: Uuid, code: &str) -> Result<(), String> {
        self.unlock_with(binder_id, |header| UnlockedVault::unlock_with_recovery_code(header, code))?;
        self.notice.set(Some("Opened with your recovery code. Choose a new passphrase below.".into()));
        Ok(())
    }

    fn unlock_with(
        &self,
        binder_id: Uuid,
        open: impl FnOnce(&Header) -> Result<UnlockedVault, VaultError>,
    ) -> Result<(), String> {
        let store = store();
        let header = store.header(binder_id).map_err(|e| e.to_string())?;
        let vault = open(&header).map_err(|e| e.to_string())?;
        let loaded = store.load(&vault).map_err(|e| match e {
            VaultError::Tampered => "Every saved copy of this binder is damaged or altered, so it cannot be opened. \
                                     Nothing has been deleted."
                .to_owned(),
            other => other.to_string(),
        })?;
        if let Some((generation, why)) = loaded.skipped.first() {
            self.notice.set(Some(format!(
                "The latest save (number {generation}) could not be read ({why}), so the previous one was opened. \
                 Check your most recent changes."
            )));
        }
        self.open(vault, loaded.binder);
        Ok(())
    }

    fn open(&self, vault: UnlockedVault, binder: Binder) {
        self.lock_reason.set(None);
        self.vault.set_value(Some(vault));
        self.binder.set(Some(binder));
        self.screen.set(Screen::Open);
    }

    /// Drops the decrypted binder and the key (the vault wipes its key when dropped).
    pub fn lock(&self) {
        let id = self.binder.with_untracked(|b| b.as_ref().map(|b| b.id));
        self.vault.set_value(None);
        self.binder.set(None);
        self.notice.set(None);
        self.recovery_code.set(None);
        self.screen.set(id.map_or(Screen::Create, Screen::Unlock));
    }

    /// Locks, and says why on the unlock screen.
    pub fn lock_because(&self, reason: String) {
        self.lock();
        self.lock_reason.set(Some(reason));
    }

    pub fn is_open(&self) -> bool {
        self.screen.with_untracked(|s| *s == Screen::Open)
    }

    /// Wraps the data key under a new passphrase (the binder itself is not re-encrypted). Slow.
    pub fn change_passphrase(&self, passphrase: &str) -> Result<(), String> {
        self.rewrap(|vault| vault.change_passphrase(passphrase, KdfParams::recommended()))
    }

    /// Replaces the recovery code and shows the new one. Slow.
    pub fn new_recovery_code(&self) -> Result<(), String> {
        let code = self.rewrap(|vault| vault.new_recovery_code(KdfParams::recommended()))?;
        self.recovery_code.set(Some(code));
        Ok(())
    }

    fn rewrap<T>(&self, change: impl FnOnce(&mut UnlockedVault) -> Result<T, VaultError>) -> Result<T, String> {
        let mut outcome = None;
        self.vault.update_value(|vault| {
            if let Some(vault) = vault {
                outcome = Some(change(vault).and_then(|value| store().save_header(vault).map(|()| value)));
            }
        });
        outcome.ok_or_else(|| "The binder is locked.".to_owned())?.map_err(|e| e.to_string())
    }

    /// Applies a domain change to the open binder and saves it. A refused change leaves the binder
    /// as it was; a failed save keeps the change in memory and says so.
    pub fn change<T>(&self, apply: impl FnOnce(&mut Binder) -> Result<T, BinderError>) -> Result<T, BinderError> {
        let mut outcome = None;
        self.binder.update_untracked(|binder| {
            if let Some(binder) = binder {
                outcome = Some(apply(binder));
            }
        });
        let outcome = outcome.ok_or(BinderError::NotFound)?;
        if outcome.is_ok() {
            self.binder.notify();
            self.save();
        }
        outcome
    }

    fn save(&self) {
        let result = self.binder.with_untracked(|binder| {
            self.vault.with_value(|vault| match (vault, binder) {
                (Some(vault), Some(binder)) => store().save(vault, binder).map(|_| ()),
                _ => Ok(()),
            })
        });
        match result {
            Ok(()) => {}
            Err(e) => self.notice.set(Some(format!("Not saved: {e}"))),
        }
    }
}
