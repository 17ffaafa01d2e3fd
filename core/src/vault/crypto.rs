//! Wrapping the data key and sealing binder generations.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{KdfParams, recovery};
use crate::model::Binder;
use crate::schema::{self, SchemaError};

/// The stored vault format. Bumped only when the envelope (not the binder schema) changes.
pub const FORMAT_VERSION: u32 = 1;

/// What unlocks a binder: everything but the binder itself. Stored in the clear, it holds no
/// health data: only ids, KDF parameters and wrapped keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: u32,
    pub binder_id: Uuid,
    pub slots: Vec<KeySlot>,
}

/// The data key, encrypted under a key derived from one secret (the passphrase, or later the
/// recovery code).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeySlot {
    pub kind: SlotKind,
    pub kdf: KdfParams,
    #[serde(with = "crate::b64::serde_bytes")]
    pub nonce: Vec<u8>,
    #[serde(with = "crate::b64::serde_bytes")]
    pub wrapped: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    Passphrase,
    RecoveryCode,
}

/// One saved state of the binder, encrypted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SealedGeneration {
    pub format: u32,
    pub binder_id: Uuid,
    pub generation: u64,
    #[serde(with = "crate::b64::serde_bytes")]
    pub nonce: Vec<u8>,
    #[serde(with = "crate::b64::serde_bytes")]
    pub ciphertext: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("That passphrase does not open this binder. Check it and try again.")]
    WrongPassphrase,
    #[error("That recovery code does not open this binder. Check it against the one you wrote down.")]
    WrongRecoveryCode,
    #[error("The saved binder has been damaged or altered and cannot be opened.")]
    Tampered,
    #[error("The saved binder is not in a format this app can read: {0}")]
    Malformed(String),
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error(transparent)]
    Storage(#[from] super::StorageError),
    #[error("No saved binder was found on this device.")]
    NotFound,
}

/// An open vault: the header and the data key. Dropping it wipes the key from memory.
pub struct UnlockedVault {
    header: Header,
    data_key: Zeroizing<[u8; 32]>,
}

impl UnlockedVault {
    /// A new vault with a fresh data key wrapped by `passphrase`. Slow: runs the KDF once.
    pub fn create(binder_id: Uuid, passphrase: &str, kdf: KdfParams) -> Result<Self, VaultError> {
        let kek = kdf.derive(passphrase.as_bytes()).map_err(|e| VaultError::Malformed(e.to_string()))?;
        Ok(Self::create_with_key(binder_id, kdf, &kek))
    }

    /// As [`UnlockedVault::create`], with the passphrase's key already derived with `kdf` (the
    /// browser derives it in a Web Worker, so the page never freezes).
    pub fn create_with_key(binder_id: Uuid, kdf: KdfParams, kek: &[u8; 32]) -> Self {
        let data_key = Zeroizing::new(crate::random::bytes::<32>());
        let slot = wrap(kek, &data_key, binder_id, SlotKind::Passphrase, kdf);
        Self { header: Header { format: FORMAT_VERSION, binder_id, slots: vec![slot] }, data_key }
    }

    /// Opens the vault through one slot with its key already derived (with `slot.kdf`); `None`
    /// when the key does not open it (a wrong passphrase or recovery code).
    pub fn open_slot(header: &Header, slot: &KeySlot, kek: &[u8; 32]) -> Result<Option<Self>, VaultError> {
        if header.format != FORMAT_VERSION {
            return Err(VaultError::Malformed(format!("vault format {}", header.format)));
        }
        Ok(unwrap(kek, slot, header.binder_id).map(|data_key| Self { header: header.clone(), data_key }))
    }

    /// Wraps the data key under a key already derived with `kdf`, replacing the slot of that
    /// kind (a new passphrase or recovery code). Save the header afterwards.
    pub fn replace_slot_with_key(&mut self, kind: SlotKind, kdf: KdfParams, kek: &[u8; 32]) {
        let slot = wrap(kek, &self.data_key, self.header.binder_id, kind, kdf);
        self.header.slots.retain(|s| s.kind != kind);
        self.header.slots.push(slot);
    }

    /// Opens a vault with its passphrase. Slow: runs the KDF once per passphrase slot.
    pub fn unlock(header: &Header, passphrase: &str) -> Result<Self, VaultError> {
        Self::unlock_slot(header, SlotKind::Passphrase, passphrase.as_bytes()).ok_or(VaultError::WrongPassphrase)?
    }

    /// Opens a vault with the recovery code shown when it was set, however it was retyped
    /// (case, spaces and dashes do not matter).
    pub fn unlock_with_recovery_code(header: &Header, code: &str) -> Result<Self, VaultError> {
        let code = recovery::normalize(code);
        Self::unlock_slot(header, SlotKind::RecoveryCode, code.as_bytes()).ok_or(VaultError::WrongRecoveryCode)?
    }

    /// `None` when no slot of that kind opens with `secret`.
    fn unlock_slot(header: &Header, kind: SlotKind, secret: &[u8]) -> Option<Result<Self, VaultError>> {
        if header.format != FORMAT_VERSION {
            return Some(Err(VaultError::Malformed(format!("vault format {}", header.format))));
        }
        for slot in header.slots.iter().filter(|s| s.kind == kind) {
            let kek = match slot.kdf.derive(secret) {
                Ok(kek) => kek,
                Err(e) => return Some(Err(VaultError::Malformed(e.to_string()))),
            };
            if let Some(vault) = Self::open_slot(header, slot, &kek).transpose() {
                return Some(vault);
            }
        }
        None
    }

    /// Wraps the same data key under a new passphrase, replacing the old one: 32 bytes are
    /// re-encrypted, the binder is not. Slow: runs the KDF once. Save the header afterwards.
    pub fn change_passphrase(&mut self, passphrase: &str, kdf: KdfParams) -> Result<(), VaultError> {
        self.replace_slot(SlotKind::Passphrase, passphrase.as_bytes(), kdf)
    }

    /// Makes a new recovery code that also opens the vault (replacing any earlier one) and
    /// returns it to be shown once. Slow: runs the KDF once. Save the header afterwards.
    pub fn new_recovery_code(&mut self, kdf: KdfParams) -> Result<String, VaultError> {
        let code = recovery::generate();
        self.replace_slot(SlotKind::RecoveryCode, recovery::normalize(&code).as_bytes(), kdf)?;
        Ok(code)
    }

    fn replace_slot(&mut self, kind: SlotKind, secret: &[u8], kdf: KdfParams) -> Result<(), VaultError> {
        let kek = kdf.derive(secret).map_err(|e| VaultError::Malformed(e.to_string()))?;
        self.replace_slot_with_key(kind, kdf, &kek);
        Ok(())
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    pub fn binder_id(&self) -> Uuid {
        self.header.binder_id
    }

    pub fn seal(&self, binder: &Binder, generation: u64) -> SealedGeneration {
        let plaintext = Zeroizing::new(schema::to_json(binder));
        let nonce = crate::random::bytes::<24>();
        let aad = generation_aad(self.header.binder_id, generation);
        let ciphertext = cipher(&self.data_key)
            .encrypt(&XNonce::from(nonce), Payload { msg: &plaintext, aad: &aad })
            .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory sizes");
        SealedGeneration {
            format: FORMAT_VERSION,
            binder_id: self.header.binder_id,
            generation,
            nonce: nonce.to_vec(),
            ciphertext,
        }
    }

    pub fn open(&self, sealed: &SealedGeneration) -> Result<Binder, VaultError> {
        if sealed.format != FORMAT_VERSION {
            return Err(VaultError::Malformed(format!("vault format {}", sealed.format)));
        }
        if sealed.binder_id != self.header.binder_id {
            return Err(VaultError::Tampered);
        }
        let nonce: [u8; 24] = sealed.nonce.as_slice().try_into().map_err(|_| VaultError::Tampered)?;
        let aad = generation_aad(sealed.binder_id, sealed.generation);
        let plaintext = cipher(&self.data_key)
            .decrypt(&XNonce::from(nonce), Payload { msg: &sealed.ciphertext, aad: &aad })
            .map(Zeroizing::new)
            .map_err(|_| VaultError::Tampered)?;
        let binder = schema::load(&plaintext)?;
        if binder.id != sealed.binder_id {
            return Err(VaultError::Tampered);
        }
        Ok(binder)
    }
}

fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&(*key).into())
}

fn generation_aad(binder_id: Uuid, generation: u64) -> Vec<u8> {
    format!("health-binder/vault/v{FORMAT_VERSION}/binder/{binder_id}/generation/{generation}").into_bytes()
}

fn slot_aad(binder_id: Uuid, kind: SlotKind) -> Vec<u8> {
    format!("health-binder/vault/v{FORMAT_VERSION}/binder/{binder_id}/slot/{kind:?}").into_bytes()
}

fn wrap(kek: &[u8; 32], data_key: &[u8; 32], binder_id: Uuid, kind: SlotKind, kdf: KdfParams) -> KeySlot {
    let nonce = crate::random::bytes::<24>();
    let wrapped = cipher(kek)
        .encrypt(&XNonce::from(nonce), Payload { msg: data_key, aad: &slot_aad(binder_id, kind) })
        .expect("wrapping 32 bytes cannot fail");
    KeySlot { kind, kdf, nonce: nonce.to_vec(), wrapped }
}

fn unwrap(kek: &[u8; 32], slot: &KeySlot, binder_id: Uuid) -> Option<Zeroizing<[u8; 32]>> {
    let nonce: [u8; 24] = slot.nonce.as_slice().try_into().ok()?;
    let key = cipher(kek)
        .decrypt(&XNonce::from(nonce), Payload { msg: &slot.wrapped, aad: &slot_aad(binder_id, slot.kind) })
        .ok()
        .map(Zeroizing::new)?;
    let key: [u8; 32] = key.as_slice().try_into().ok()?;
    Some(Zeroizing::new(key))
}
