//! The vault: how a binder is kept at rest.
//!
//! A random 256-bit data key encrypts the binder with XChaCha20-Poly1305 (fresh random 192-bit
//! nonce per save; format version, binder id and generation bound as associated data). The data
//! key is itself wrapped by a key derived from the passphrase with Argon2id, whose parameters are
//! stored beside it so they can be raised later. A passphrase change re-wraps 32 bytes; a
//! recovery code is simply a second wrapping.

mod backup;
mod crypto;
mod kdf;
mod passphrase;
mod recovery;
mod storage;
mod unlock;

pub use backup::{BACKUP_FORMAT, BACKUP_VERSION, Backup, BackupError, MAX_BACKUP_BYTES, MAX_BINDERS};
pub use crypto::{
    DEFLATE_LEVEL, GENERATION_FORMAT, HEADER_FORMAT, Header, KeySlot, MAX_INFLATED, SealedGeneration, SlotKind,
    UnlockedVault, VaultError,
};
// The vault's DEFLATE into wiped buffers, also for a share too large to upload uncompressed.
pub(crate) use crypto::deflate;
pub use kdf::KdfParams;
pub use passphrase::{Assessment, CommonPasswords, MIN_PASSPHRASE, Strength, assess_passphrase, check_new_passphrase};
pub use recovery::{generate as generate_recovery_code, normalize as normalize_recovery_code};
pub use storage::{KEEP_GENERATIONS, KeyValue, Loaded, MemoryStore, StorageError, VaultStore};
pub use unlock::{Derivation, Secret, SkippedSave, Unlock, UnlockError, Unlocked};
