//! The patient's session: which screen shows, the open binder, and the unlocked vault. The binder
//! is a plain `core` struct inside one signal; every change goes through `change`, which applies a
//! domain method and saves a new sealed generation.

use health_binder_core::Binder;
use health_binder_core::model::BinderError;
use health_binder_core::order::ordered;
use health_binder_core::vault::{
    KdfParams, Secret, SkippedSave, SlotKind, StorageError, Unlock, UnlockError, UnlockedVault, VaultError, VaultStore,
};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, t_text, tf};
use crate::storage::BrowserStore;
use crate::{browser, kdf};

#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    /// No binder on this device yet.
    Create,
    /// A binder exists and is locked.
    Unlock(Uuid),
    Open,
    /// Storage itself cannot be read: nothing can be done but say so (in the reader's language,
    /// once the catalogue is in: `storage_text`).
    Broken(StorageError),
}

#[derive(Clone, Copy)]
pub struct SessionState {
    pub screen: RwSignal<Screen>,
    /// The binder on screen.
    pub binder: RwSignal<Option<Binder>>,
    /// Every binder the passphrase opened (the one on screen included), by id and name, for
    /// a caregiver to switch between.
    pub people: RwSignal<Vec<(Uuid, String)>>,
    /// Something the patient must know that is not an error of the form they are filling in: a
    /// save that failed, a damaged generation that was skipped.
    pub notice: RwSignal<Option<Notice>>,
    /// A recovery code just made, with whose binder it opens, shown once until the patient
    /// confirms they wrote it down.
    pub recovery_code: RwSignal<Option<(String, String)>>,
    /// Why the binder locked by itself, shown on the unlock screen.
    pub lock_reason: RwSignal<Option<String>>,
    /// The vault of the binder on screen.
    vault: StoredValue<Option<UnlockedVault>>,
    /// The other open binders, with their vaults.
    others: StoredValue<Vec<(UnlockedVault, Binder)>>,
}

/// Something the patient must know, by kind: a failed save is cleared by the next save that
/// works; the others stay until the screen changes.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// The last change is on screen but not stored (storage full or unavailable).
    NotSaved(String),
    /// A damaged newest generation was skipped and an older one opened: core's words for each
    /// binder, in one line.
    SkippedSaves(String),
    /// Everything else worth saying once: restored, opened with the recovery code.
    Info(String),
}

impl Notice {
    pub fn text(&self) -> String {
        match self {
            Self::NotSaved(why) => tf("Not saved: {why}", &[("why", why)]),
            Self::SkippedSaves(text) | Self::Info(text) => text.clone(),
        }
    }
}

/// Storage's refusal in the current language (the browser's own words, when core keeps them, as
/// they are).
pub fn storage_text(e: &StorageError) -> String {
    match e {
        StorageError::Unavailable(why) => {
            tf("This browser's storage is unavailable ({why}). Private browsing can cause this.", &[("why", why)])
        }
        other => t_text(&other.to_string()),
    }
}

/// The vault's refusal in the current language: core's sentences with a detail are rebuilt here,
/// the others are looked up whole.
pub fn vault_text(e: &VaultError) -> String {
    match e {
        VaultError::Malformed(why) => {
            tf("The saved binder is not in a format this app can read: {why}", &[("why", why)])
        }
        VaultError::Storage(e) => storage_text(e),
        other => t_text(&other.to_string()),
    }
}

fn unlock_text(e: &UnlockError) -> String {
    match e {
        UnlockError::Vault(e) => vault_text(e),
        other => t_text(&other.to_string()),
    }
}

/// A newest save that could not be read, in the current language (core's `Display` is English).
fn skipped_text(skipped: &SkippedSave) -> String {
    tf(
        "The latest save of {name}'s binder (number {generation}) could not be read ({why}), so the previous one was opened. Check your most recent changes.",
        &[("name", &skipped.name), ("generation", &skipped.generation.to_string()), ("why", &t_text(&skipped.why))],
    )
}

fn store() -> VaultStore<BrowserStore> {
    VaultStore::new(BrowserStore)
}

impl SessionState {
    pub fn start() -> Self {
        let screen = match store().binder_ids() {
            Ok(ids) => ids.first().map_or(Screen::Create, |id| Screen::Unlock(*id)),
            Err(e) => Screen::Broken(e),
        };
        Self {
            screen: RwSignal::new(screen),
            binder: RwSignal::new(None),
            people: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            recovery_code: RwSignal::new(None),
            lock_reason: RwSignal::new(None),
            vault: StoredValue::new(None),
            others: StoredValue::new(Vec::new()),
        }
    }

    /// Creates and opens a new binder, with a recovery code to show once. Two key derivations,
    /// in the worker.
    pub async fn create(&self, name: &str, passphrase: &str) -> Result<(), String> {
        let binder = Binder::new(name, browser::now());
        let params = KdfParams::recommended();
        let kek = kdf::derive(&params, passphrase.as_bytes()).await?;
        let mut vault = UnlockedVault::create_with_key(binder.id, params, &kek);
        let code = kdf::new_recovery_code(&mut vault).await?;
        store().create(&vault, &binder).map_err(|e| vault_text(&e))?;
        self.recovery_code.set(Some((binder.profile.name.clone(), code)));
        self.open(vec![(vault, binder)], None);
        Ok(())
    }

    /// A caregiver adds a binder for someone they look after. The caregiver's passphrase (checked
    /// against the open binder first) also opens the new one — with the same key-derivation
    /// parameters, so unlocking both costs one derivation — and the new binder gets its own
    /// recovery code to hand over.
    pub async fn add_person(&self, name: &str, passphrase: &str) -> Result<(), String> {
        let header =
            self.vault.with_value(|v| v.as_ref().map(|v| v.header().clone())).ok_or(t("The binder is locked."))?;
        let params =
            header.slot(SlotKind::Passphrase).map(|s| s.kdf.clone()).ok_or(t("This binder has no passphrase."))?;
        let kek = kdf::derive(&params, passphrase.as_bytes()).await?;
        let binder = Binder::new(name, browser::now());
        let mut vault = UnlockedVault::create_beside(&header, &kek, binder.id).map_err(|e| vault_text(&e))?;
        let code = kdf::new_recovery_code(&mut vault).await?;
        // Locked while the keys were derived: nothing is created, and no key is kept.
        if !self.is_open() {
            return Err(t("The binder locked before their binder was created. Unlock and try again.").into());
        }
        store().create(&vault, &binder).map_err(|e| vault_text(&e))?;
        self.recovery_code.set(Some((binder.profile.name.clone(), code)));
        let id = binder.id;
        self.others.update_value(|others| others.push((vault, binder)));
        self.switch_to(id);
        Ok(())
    }

    /// Shows another open binder.
    pub fn switch_to(&self, id: Uuid) {
        let Some(index) = self.others.with_value(|o| o.iter().position(|(_, b)| b.id == id)) else { return };
        let mut next = None;
        self.others.update_value(|o| next = Some(o.remove(index)));
        let (vault, binder) = next.expect("found above");
        if let (Some(current_vault), Some(current)) =
            (self.vault.try_update_value(Option::take).flatten(), self.binder.get_untracked())
        {
            self.others.update_value(|o| o.push((current_vault, current)));
        }
        self.vault.set_value(Some(vault));
        self.binder.set(Some(binder));
        self.notice.set(None);
        self.refresh_people();
    }

    fn refresh_people(&self) {
        let mut people: Vec<(Uuid, String)> =
            self.binder.with_untracked(|b| b.iter().map(|b| (b.id, b.profile.name.clone())).collect());
        self.others.with_value(|o| people.extend(o.iter().map(|(_, b)| (b.id, b.profile.name.clone()))));
        let people = ordered(people.into_iter().map(|(id, name)| (name.clone(), (id, name))).collect());
        // Called after every change: the switcher re-renders only when a name or binder changed.
        if self.people.with_untracked(|p| *p != people) {
            self.people.set(people);
        }
    }

    /// Opens every binder on this device that the passphrase opens (a caregiver's own and those
    /// of the people they look after), showing `preferred` if it is one of them. A wrong
    /// passphrase changes nothing.
    pub async fn unlock(&self, preferred: Uuid, passphrase: &str) -> Result<(), String> {
        self.unlock_with(preferred, Secret::Passphrase, passphrase).await
    }

    /// Opens the binder this recovery code belongs to, for a forgotten passphrase, and asks for a
    /// new one.
    pub async fn unlock_with_recovery_code(&self, preferred: Uuid, code: &str) -> Result<(), String> {
        self.unlock_with(preferred, Secret::RecoveryCode, code).await?;
        self.notice.set(Some(Notice::Info(
            t("Opened with your recovery code. Choose a new passphrase under Security.").into(),
        )));
        Ok(())
    }

    /// Core decides what the secret opens; this only runs its derivations in the worker.
    async fn unlock_with(&self, preferred: Uuid, secret: Secret, typed: &str) -> Result<(), String> {
        let store = store();
        let headers = store.headers().map_err(|e| vault_text(&e))?;
        let unlock = kdf::run(Unlock::new(headers, secret, typed)).await?;
        let unlocked = unlock.finish(&mut |vault| store.load(vault)).map_err(|e| unlock_text(&e))?;
        self.open(unlocked.binders, Some(preferred));
        if !unlocked.skipped.is_empty() {
            let each: Vec<String> = unlocked.skipped.iter().map(skipped_text).collect();
            self.notice.set(Some(Notice::SkippedSaves(each.join(" "))));
        }
        Ok(())
    }

    /// Opens binders already unlocked (after a restore, a creation or an unlock).
    pub fn open(&self, mut opened: Vec<(UnlockedVault, Binder)>, preferred: Option<Uuid>) {
        // A restored binder may differ from what the emergency card last showed.
        opened.iter().for_each(|(_, binder)| self.refresh_emergency_card(binder));
        let index = preferred.and_then(|id| opened.iter().position(|(_, b)| b.id == id)).unwrap_or(0);
        let (vault, binder) = opened.remove(index);
        self.lock_reason.set(None);
        self.vault.set_value(Some(vault));
        self.binder.set(Some(binder));
        self.others.set_value(opened);
        self.refresh_people();
        self.screen.set(Screen::Open);
    }

    /// Drops the decrypted binder and the key (the vault wipes its key when dropped).
    pub fn lock(&self) {
        let id = self.binder.with_untracked(|b| b.as_ref().map(|b| b.id));
        self.vault.set_value(None);
        self.others.set_value(Vec::new());
        self.binder.set(None);
        self.people.set(Vec::new());
        self.notice.set(None);
        self.recovery_code.set(None);
        self.screen.set(id.map_or(Screen::Create, Screen::Unlock));
    }

    /// Locks, and says why on the unlock screen.
    pub fn lock_because(&self, reason: String) {
        self.lock();
        self.lock_reason.set(Some(reason));
    }

    /// How many binders this device keeps (0 when storage cannot be read).
    pub fn binders_on_device(&self) -> usize {
        store().binder_ids().map_or(0, |ids| ids.len())
    }

    pub fn is_open(&self) -> bool {
        self.screen.with_untracked(|s| *s == Screen::Open)
    }

    /// Proves that whoever is at the device knows the current passphrase or the recovery code of
    /// the binder on screen, before a change that could lock its owner out (a new passphrase, a
    /// new recovery code). One key derivation, in the worker; nothing is changed here.
    async fn prove_current(&self, secret: &str) -> Result<(), String> {
        if secret.is_empty() {
            return Err(t("Enter your current passphrase (or your recovery code) first.").into());
        }
        let header =
            self.vault.with_value(|v| v.as_ref().map(|v| v.header().clone())).ok_or(t("The binder is locked."))?;
        let unlock = kdf::run(Unlock::new(vec![header], Secret::PassphraseOrRecoveryCode, secret)).await?;
        match unlock.opened() {
            Ok(_) => Ok(()),
            Err(UnlockError::Wrong(_)) => {
                Err(t("That is not the current passphrase or recovery code of this binder. Nothing was changed.")
                    .into())
            }
            Err(e) => Err(unlock_text(&e)),
        }
    }

    /// Wraps the data key under a new passphrase (the binder itself is not re-encrypted). Slow.
    /// Every open binder takes the new passphrase (one derivation, shared), so one passphrase
    /// keeps opening them all. The binders themselves are not re-encrypted.
    pub async fn change_passphrase(&self, current: &str, passphrase: &str) -> Result<(), String> {
        self.prove_current(current).await?;
        let params = KdfParams::recommended();
        let kek = kdf::derive(&params, passphrase.as_bytes()).await?;
        let mut outcome = Ok(());
        let mut rewrap = |vault: &mut UnlockedVault| {
            vault.replace_slot_with_key(SlotKind::Passphrase, params.clone(), &kek);
            if outcome.is_ok() {
                outcome = store().save_header(vault);
            }
        };
        self.vault.update_value(|vault| vault.iter_mut().for_each(&mut rewrap));
        self.others.update_value(|others| others.iter_mut().for_each(|(vault, _)| rewrap(vault)));
        outcome.map_err(|e| vault_text(&e))
    }

    /// Replaces the recovery code of the binder on screen and shows the new one.
    pub async fn new_recovery_code(&self, current: &str) -> Result<(), String> {
        self.prove_current(current).await?;
        let mut vault = self.vault.try_update_value(Option::take).flatten().ok_or(t("The binder is locked."))?;
        let outcome = kdf::new_recovery_code(&mut vault)
            .await
            .and_then(|code| store().save_header(&vault).map(|()| code).map_err(|e| vault_text(&e)));
        // Locked meanwhile: the key stays dropped.
        if self.is_open() {
            self.vault.set_value(Some(vault));
        }
        let name = self.binder.with_untracked(|b| b.as_ref().map(|b| b.profile.name.clone()).unwrap_or_default());
        self.recovery_code.set(Some((name, outcome?)));
        Ok(())
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
            self.refresh_people();
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
            // A save that works again ends an earlier "Not saved" (this save holds that change too).
            Ok(()) => {
                if self.notice.with_untracked(|n| matches!(n, Some(Notice::NotSaved(_)))) {
                    self.notice.set(None);
                }
                self.binder.with_untracked(|b| b.iter().for_each(|b| self.refresh_emergency_card(b)));
            }
            Err(e) => self.notice.set(Some(Notice::NotSaved(vault_text(&e)))),
        }
    }

    /// The emergency card (when on, and showing this binder) follows every save.
    fn refresh_emergency_card(&self, binder: &Binder) {
        if let Some(problem) = crate::emergency_card::refresh(binder) {
            self.notice.set(Some(Notice::Info(problem)));
        }
    }
}
