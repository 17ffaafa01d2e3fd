//! Which binders one secret opens: the rule behind the unlock screen, a caregiver's several
//! binders, proving the current passphrase, and restoring a backup.
//!
//! Deriving a key from a secret is the slow part (Argon2id, 64 MiB), and the browser runs it in a
//! Web Worker, which core cannot start. So an [`Unlock`] goes in two steps around the derivation:
//! it says which derivations it needs ([`Unlock::next_derivation`]), the caller runs each wherever
//! it likes and hands the key back ([`Unlock::derived`]), and [`Unlock::finish`] answers which
//! binders opened and which of their saves had to be skipped — or why nothing opened.
//!
//! Each distinct set of [`KdfParams`] is derived once: the binders a caregiver keeps under one
//! passphrase share theirs, so opening all of them costs one derivation.

use std::fmt;

use uuid::Uuid;
use zeroize::Zeroizing;

use super::{Header, KdfParams, Loaded, SlotKind, UnlockedVault, VaultError, recovery};
use crate::model::Binder;

/// What the person typed, as far as the screen knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secret {
    Passphrase,
    /// However it was retyped: case, spaces and dashes do not matter.
    RecoveryCode,
    /// Tried as a passphrase first, then — only if that opens nothing — as a recovery code.
    PassphraseOrRecoveryCode,
}

/// One key derivation to run: the caller derives 32 bytes from `secret` with `params` (Argon2id)
/// and hands them to [`Unlock::derived`].
pub struct Derivation {
    pub params: KdfParams,
    pub secret: Zeroizing<Vec<u8>>,
}

/// One secret tried against the binders whose headers are given.
pub struct Unlock {
    headers: Vec<Header>,
    secret: Secret,
    typed: Zeroizing<String>,
    /// The slot kinds still to try, the current one first.
    kinds: &'static [SlotKind],
    /// The parameters already derived (and tried) for the current kind.
    derived: Vec<KdfParams>,
    opened: Vec<UnlockedVault>,
    /// A header this app cannot read: nothing more is tried.
    failed: Option<VaultError>,
}

/// What a secret opened, each binder with its vault, in the order of the headers.
pub struct Unlocked {
    pub binders: Vec<(UnlockedVault, Binder)>,
    /// Binders whose newest save could not be read, so an older one was opened: the patient is
    /// told, nothing is dropped silently.
    pub skipped: Vec<SkippedSave>,
}

/// The newest save of a binder that could not be read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedSave {
    pub binder_id: Uuid,
    /// Whose binder it is, as the opened (older) save names them.
    pub name: String,
    pub generation: u64,
    pub why: String,
}

impl fmt::Display for SkippedSave {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { name, generation, why, .. } = self;
        write!(
            f,
            "The latest save of {name}'s binder (number {generation}) could not be read ({why}), so the previous one \
             was opened. Check your most recent changes."
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    /// The secret opens none of the binders it was tried on; nothing was changed.
    #[error("{}", wrong_text(*.0))]
    Wrong(Secret),
    /// A binder opened, but none of its kept saves can be read.
    #[error("Every saved copy of this binder is damaged or altered, so it cannot be opened. Nothing has been deleted.")]
    EverySaveDamaged(Uuid),
    #[error(transparent)]
    Vault(#[from] VaultError),
}

fn wrong_text(secret: Secret) -> String {
    match secret {
        Secret::Passphrase => VaultError::WrongPassphrase.to_string(),
        Secret::RecoveryCode => VaultError::WrongRecoveryCode.to_string(),
        Secret::PassphraseOrRecoveryCode => {
            crate::msg!("That passphrase or recovery code does not open this binder. Check it and try again.")
                .to_owned()
        }
    }
}

impl Unlock {
    /// Tries `typed` as `secret` on every binder of `headers` (a device's, or a backup's).
    pub fn new(headers: Vec<Header>, secret: Secret, typed: &str) -> Self {
        let kinds: &'static [SlotKind] = match secret {
            Secret::Passphrase => &[SlotKind::Passphrase],
            Secret::RecoveryCode => &[SlotKind::RecoveryCode],
            Secret::PassphraseOrRecoveryCode => &[SlotKind::Passphrase, SlotKind::RecoveryCode],
        };
        let typed = Zeroizing::new(typed.to_owned());
        // Checked before any derivation: a crafted header must not cost a phone minutes or
        // gigabytes on one guess (the store and backups check too; this holds for any caller).
        let failed = headers.iter().find_map(|h| h.check().err());
        let mut unlock = Self { headers, secret, typed, kinds, derived: Vec::new(), opened: Vec::new(), failed };
        unlock.advance();
        unlock
    }

    /// The next key to derive, or `None` when every one needed has been handed in.
    pub fn next_derivation(&self) -> Option<Derivation> {
        let params = self.pending()?.clone();
        let secret = match self.kinds[0] {
            SlotKind::Passphrase => self.typed.as_bytes().to_vec(),
            // However it was retyped: the derivation sees it upper case, without spaces or dashes.
            SlotKind::RecoveryCode => recovery::normalize(&self.typed).into_bytes(),
        };
        Some(Derivation { params, secret: Zeroizing::new(secret) })
    }

    /// The key derived for `params` (as [`Unlock::next_derivation`] asked): every slot of the
    /// current kind with those parameters is tried with it at once.
    pub fn derived(&mut self, params: &KdfParams, key: Zeroizing<[u8; 32]>) {
        let Some(&kind) = self.kinds.first() else { return };
        if self.failed.is_some() || self.derived.contains(params) {
            return;
        }
        self.derived.push(params.clone());
        for header in &self.headers {
            for slot in &header.slots {
                if slot.kind != kind || slot.kdf != *params {
                    continue;
                }
                match UnlockedVault::open_slot(header, slot, &key) {
                    Ok(Some(vault)) => self.opened.push(vault),
                    Ok(None) => {}
                    Err(e) => {
                        self.failed = Some(e);
                        return;
                    }
                }
            }
        }
        self.advance();
    }

    /// Runs every derivation here, on this thread (native tools and tests; the browser derives in
    /// a worker instead).
    pub fn derive_here(&mut self) -> Result<(), VaultError> {
        while let Some(Derivation { params, secret }) = self.next_derivation() {
            let key = params.derive(&secret).map_err(|e| VaultError::Malformed(e.to_string()))?;
            self.derived(&params, key);
        }
        Ok(())
    }

    /// The vaults the secret opened, without reading any binder (enough to prove a passphrase).
    pub fn opened(self) -> Result<Vec<UnlockedVault>, UnlockError> {
        if let Some(failure) = self.failed {
            return Err(failure.into());
        }
        if self.opened.is_empty() {
            return Err(UnlockError::Wrong(self.secret));
        }
        Ok(self.opened)
    }

    /// Opens every binder the secret opened through `load` (the device's store, or a backup),
    /// noting newest saves that had to be skipped. (`load` is a trait object so that the app,
    /// which loads from its store and from backups, carries this once.)
    pub fn finish(
        self,
        load: &mut dyn FnMut(&UnlockedVault) -> Result<Loaded, VaultError>,
    ) -> Result<Unlocked, UnlockError> {
        let mut unlocked = Unlocked { binders: Vec::new(), skipped: Vec::new() };
        for vault in self.opened()? {
            let loaded = load(&vault).map_err(|e| match e {
                // `load` answers this only when no kept save authenticates.
                VaultError::Tampered => UnlockError::EverySaveDamaged(vault.binder_id()),
                other => other.into(),
            })?;
            if let Some((generation, why)) = loaded.skipped.into_iter().next() {
                let name = loaded.binder.profile.name.clone();
                unlocked.skipped.push(SkippedSave { binder_id: vault.binder_id(), name, generation, why });
            }
            unlocked.binders.push((vault, loaded.binder));
        }
        Ok(unlocked)
    }

    /// The parameters of a slot of the current kind not derived yet (a plain loop: this runs in
    /// the patient's app, where iterator adapters weigh more).
    fn pending(&self) -> Option<&KdfParams> {
        if self.failed.is_some() {
            return None;
        }
        let kind = *self.kinds.first()?;
        for header in &self.headers {
            for slot in &header.slots {
                if slot.kind == kind && !self.derived.contains(&slot.kdf) {
                    return Some(&slot.kdf);
                }
            }
        }
        None
    }

    /// Once every key of the current kind is in: stops if they opened anything, and otherwise
    /// moves on to the next kind.
    fn advance(&mut self) {
        while self.failed.is_none() && !self.kinds.is_empty() && self.pending().is_none() {
            self.kinds = if self.opened.is_empty() { &self.kinds[1..] } else { &[] };
            self.derived.clear();
        }
    }
}
