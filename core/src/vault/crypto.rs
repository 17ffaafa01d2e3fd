//! Wrapping the data key and sealing binder generations.
//!
//! # Formats
//!
//! Headers and sealed generations each carry a `format`, bound into the associated data of what
//! they encrypt, so relabelling one (say a format-2 generation as format 1) fails authentication
//! ([`VaultError::Tampered`]) rather than being read the wrong way.
//!
//! - **Header: format 1** ([`HEADER_FORMAT`]), the only one so far. The key slots have not changed
//!   since the first vault, so headers stay 1 and every existing vault still unlocks; a slot's
//!   associated data is `health-binder/vault/v1/binder/{id}/slot/{kind}`.
//! - **Sealed generation: format 2** ([`GENERATION_FORMAT`]), written by [`UnlockedVault::seal`]:
//!   the binder's JSON ([`schema::to_json`]) compressed with raw DEFLATE (level
//!   [`DEFLATE_LEVEL`]), then encrypted with XChaCha20-Poly1305 under the associated data
//!   `health-binder/vault/v2/binder/{id}/generation/{n}`. A large binder's generation shrinks to
//!   about a quarter of its JSON instead of 1.33 × (base64 of the uncompressed ciphertext).
//! - **Sealed generation: format 1**, written before compression: the JSON encrypted as is, under
//!   `…/v1/…/generation/{n}`. Still opened, never written; it is replaced by format 2 as the
//!   binder is saved (only the last few generations are kept).
//!
//! Any other format is refused ([`VaultError::Malformed`]). Decompression stops at
//! [`MAX_INFLATED`] so that a generation which authenticates but is corrupt cannot exhaust memory;
//! a binder's JSON is far below it (a generation that large could not be kept in `localStorage`).
//! The binder's own schema version lives inside the plaintext and is handled by [`schema::load`].

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use miniz_oxide::deflate::core::{CompressorOxide, TDEFLFlush, TDEFLStatus, create_comp_flags_from_zip_params};
use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::unlock::{Secret, Unlock, UnlockError};
use super::{KdfParams, recovery};
use crate::model::Binder;
use crate::schema::{self, SchemaError};

/// The format of a [`Header`]: bumped only when the key slots' envelope changes (see the module
/// documentation). Unchanged since the first vault.
pub const HEADER_FORMAT: u32 = 1;

/// The format [`UnlockedVault::seal`] writes: the binder's JSON deflated, then encrypted. Format 1
/// (the JSON encrypted as is) still opens.
pub const GENERATION_FORMAT: u32 = 2;

/// The DEFLATE level of a format-2 generation. Measured with `scripts/bench-vault` on its large
/// binder (837 KB of JSON), natively / with the app's size-optimised build (`wasm-release`):
///
/// | level | deflated | one generation | deflate           | inflate         |
/// |-------|----------|----------------|-------------------|-----------------|
/// | 1     | 18.4 %   | 206 KB         | 1.7 ms / 3.2 ms   | 0.9 ms / 1.3 ms |
/// | 3     | 15.8 %   | 177 KB         | 5.0 ms / 6.1 ms   | 0.8 ms / 1.1 ms |
/// | 6     | 15.1 %   | 169 KB         | 11.8 ms / 13.4 ms | 0.8 ms / 1.1 ms |
///
/// Level 1: every save pays for it, and at level 1 a save costs no more than it did uncompressed
/// (the deflate time is won back by encrypting and base64-encoding a fifth of the bytes), while
/// level 3 would add 3 ms (more than the rest of a native save) to shrink a generation by a
/// further 14 %. Already at level 1, `localStorage` holds seven such binders instead of one. The
/// level is not stored: any level opens.
pub const DEFLATE_LEVEL: u8 = 1;

/// The most a format-2 generation may inflate to: far above any binder that fits in the browser's
/// storage, far below what could exhaust memory.
pub const MAX_INFLATED: usize = 64 * 1024 * 1024;

/// What unlocks a binder: everything but the binder itself. Stored in the clear, it holds no
/// health data: only ids, KDF parameters and wrapped keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: u32,
    pub binder_id: Uuid,
    pub slots: Vec<KeySlot>,
}

/// Most key slots a header may hold: today a passphrase and a recovery code.
pub const MAX_SLOTS: usize = 8;

impl Header {
    /// The slot of that kind (a header keeps at most one of each).
    pub fn slot(&self, kind: SlotKind) -> Option<&KeySlot> {
        self.slots.iter().find(|s| s.kind == kind)
    }

    /// The shape of a header read from storage or a backup, checked before any key is derived
    /// from it: its format, a bounded number of slots, each with sane KDF parameters and a
    /// wrapped key of the right size.
    pub fn check(&self) -> Result<(), VaultError> {
        let malformed = |what: String| Err(VaultError::Malformed(what));
        if self.format != HEADER_FORMAT {
            return malformed(format!("vault format {}", self.format));
        }
        if self.slots.is_empty() || self.slots.len() > MAX_SLOTS {
            return malformed("a key header with no keys or too many".to_owned());
        }
        for slot in &self.slots {
            slot.kdf.check().map_err(|e| VaultError::Malformed(e.to_string()))?;
            if slot.nonce.len() != 24 || slot.wrapped.len() != 32 + 16 {
                return malformed("a wrapped key of the wrong size".to_owned());
            }
        }
        Ok(())
    }
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
        Self { header: Header { format: HEADER_FORMAT, binder_id, slots: vec![slot] }, data_key }
    }

    /// Opens the vault through one slot with its key already derived (with `slot.kdf`); `None`
    /// when the key does not open it (a wrong passphrase or recovery code).
    pub fn open_slot(header: &Header, slot: &KeySlot, kek: &[u8; 32]) -> Result<Option<Self>, VaultError> {
        header.check()?;
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
        Self::unlock_here(header, Secret::Passphrase, passphrase, VaultError::WrongPassphrase)
    }

    /// Opens a vault with the recovery code shown when it was set, however it was retyped
    /// (case, spaces and dashes do not matter).
    pub fn unlock_with_recovery_code(header: &Header, code: &str) -> Result<Self, VaultError> {
        Self::unlock_here(header, Secret::RecoveryCode, code, VaultError::WrongRecoveryCode)
    }

    fn unlock_here(header: &Header, secret: Secret, typed: &str, wrong: VaultError) -> Result<Self, VaultError> {
        let mut unlock = Unlock::new(vec![header.clone()], secret, typed);
        unlock.derive_here()?;
        match unlock.opened() {
            Ok(mut vaults) => Ok(vaults.remove(0)),
            Err(UnlockError::Vault(e)) => Err(e),
            Err(_) => Err(wrong),
        }
    }

    /// A new binder's vault that the caregiver's passphrase also opens, with the same derivation
    /// parameters as its slot in `header` (so unlocking both costs one derivation). `kek` is that
    /// passphrase's key; one that does not open `header` (a mistyped passphrase) is refused.
    pub fn create_beside(header: &Header, kek: &[u8; 32], binder_id: Uuid) -> Result<Self, VaultError> {
        let slot = header.slot(SlotKind::Passphrase).ok_or(VaultError::WrongPassphrase)?;
        Self::open_slot(header, slot, kek)?.ok_or(VaultError::WrongPassphrase)?;
        Ok(Self::create_with_key(binder_id, slot.kdf.clone(), kek))
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

    /// Seals the binder as a new generation, in the current format ([`GENERATION_FORMAT`]).
    pub fn seal(&self, binder: &Binder, generation: u64) -> SealedGeneration {
        let json = Zeroizing::new(schema::to_json(binder));
        let deflated = deflate(&json, DEFLATE_LEVEL);
        drop(json);
        let nonce = crate::random::bytes::<24>();
        let aad = generation_aad(GENERATION_FORMAT, self.header.binder_id, generation);
        let ciphertext = cipher(&self.data_key)
            .encrypt(&XNonce::from(nonce), Payload { msg: &deflated, aad: &aad })
            .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory sizes");
        SealedGeneration {
            format: GENERATION_FORMAT,
            binder_id: self.header.binder_id,
            generation,
            nonce: nonce.to_vec(),
            ciphertext,
        }
    }

    /// Opens a sealed generation of format 2 (deflated JSON) or 1 (plain JSON).
    pub fn open(&self, sealed: &SealedGeneration) -> Result<Binder, VaultError> {
        // 1: the JSON as is; 2 (GENERATION_FORMAT): the JSON deflated.
        if !matches!(sealed.format, 1 | GENERATION_FORMAT) {
            return Err(VaultError::Malformed(format!("vault format {}", sealed.format)));
        }
        if sealed.binder_id != self.header.binder_id {
            return Err(VaultError::Tampered);
        }
        let nonce: [u8; 24] = sealed.nonce.as_slice().try_into().map_err(|_| VaultError::Tampered)?;
        // The format is part of the associated data: a generation relabelled fails here.
        let aad = generation_aad(sealed.format, sealed.binder_id, sealed.generation);
        let plaintext = cipher(&self.data_key)
            .decrypt(&XNonce::from(nonce), Payload { msg: &sealed.ciphertext, aad: &aad })
            .map(Zeroizing::new)
            .map_err(|_| VaultError::Tampered)?;
        let json = if sealed.format == 1 { plaintext } else { inflate(&plaintext, MAX_INFLATED)? };
        let binder = schema::load(&json)?;
        if binder.id != sealed.binder_id {
            return Err(VaultError::Tampered);
        }
        Ok(binder)
    }
}

/// Raw DEFLATE (no zlib wrapper, as `zip: DEF` in share links): the same bytes as
/// `miniz_oxide::deflate::compress_to_vec`, but into buffers that are wiped when dropped or
/// outgrown, and with the compressor reset afterwards, which zeroes its window of recent input
/// (best effort: miniz_oxide frees its other buffers without wiping them).
pub(crate) fn deflate(input: &[u8], level: u8) -> Zeroizing<Vec<u8>> {
    let mut compressor = CompressorOxide::new(create_comp_flags_from_zip_params(level.into(), 0, 0));
    // JSON deflates to well under half its size, so this rarely grows.
    let mut out = Zeroizing::new(vec![0; (input.len() / 2).max(64)]);
    let (mut rest, mut len) = (input, 0);
    loop {
        let (status, read, written) =
            miniz_oxide::deflate::core::compress(&mut compressor, rest, &mut out[len..], TDEFLFlush::Finish);
        len += written;
        rest = &rest[read..];
        match status {
            TDEFLStatus::Done => break,
            TDEFLStatus::Okay => {
                if out.len() - len < 64 {
                    out = grown(&out[..len], out.len() * 2);
                }
            }
            status => unreachable!("DEFLATE of an in-memory buffer failed: {status:?}"),
        }
    }
    compressor.reset();
    out.truncate(len);
    out
}

/// Inflates raw DEFLATE into a buffer wiped when dropped or outgrown. Refuses a stream that would
/// inflate to more than `limit` bytes (it stops there, without allocating more), one that does not
/// end, and anything after its end.
fn inflate(input: &[u8], limit: usize) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut decompressor = Box::<DecompressorOxide>::default();
    // JSON deflates to a fifth or a sixth of its size: one buffer is usually enough.
    let mut out = Zeroizing::new(vec![0; input.len().saturating_mul(8).max(1024).min(limit)]);
    let (mut rest, mut len) = (input, 0);
    loop {
        let (status, read, written) = decompress(&mut decompressor, rest, &mut out, len, flags);
        len += written;
        rest = &rest[read..];
        match status {
            TINFLStatus::Done if rest.is_empty() => break,
            TINFLStatus::HasMoreOutput if out.len() >= limit => {
                return Err(VaultError::Malformed(format!("the binder would be over {limit} bytes decompressed")));
            }
            TINFLStatus::HasMoreOutput => out = grown(&out[..len], out.len().saturating_mul(2).min(limit)),
            _ => return Err(VaultError::Malformed("the binder could not be decompressed".into())),
        }
    }
    out.truncate(len);
    Ok(out)
}

/// `filled` copied into a new zeroed buffer of `size` bytes; the caller's old buffer is wiped as
/// it is dropped.
fn grown(filled: &[u8], size: usize) -> Zeroizing<Vec<u8>> {
    let mut bigger = Zeroizing::new(vec![0; size]);
    bigger[..filled.len()].copy_from_slice(filled);
    bigger
}

fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&(*key).into())
}

/// Binds a generation's format, binder and number. For format 1 these are the bytes format 1
/// always used, so stored format-1 generations still authenticate.
fn generation_aad(format: u32, binder_id: Uuid, generation: u64) -> Vec<u8> {
    format!("health-binder/vault/v{format}/binder/{binder_id}/generation/{generation}").into_bytes()
}

/// Binds a key slot to its binder and kind, under the header's format (still 1).
fn slot_aad(binder_id: Uuid, kind: SlotKind) -> Vec<u8> {
    format!("health-binder/vault/v{HEADER_FORMAT}/binder/{binder_id}/slot/{kind:?}").into_bytes()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn json_like(n: usize) -> Vec<u8> {
        (0..n).map(|i| format!("{{\"id\":{i},\"name\":\"entry {}\",\"ok\":true}},", i % 37)).collect::<String>().into()
    }

    #[test]
    fn deflate_writes_what_compress_to_vec_writes_and_inflates_back() {
        // Random bytes do not compress: the output buffer has to grow.
        let random: Vec<u8> = (0..40).flat_map(|_| crate::random::bytes::<1024>()).collect();
        for input in [Vec::new(), b"{}".to_vec(), json_like(3_000), random] {
            for level in [1, 3, 6] {
                let deflated = deflate(&input, level);
                assert_eq!(*deflated, miniz_oxide::deflate::compress_to_vec(&input, level));
                assert_eq!(*inflate(&deflated, MAX_INFLATED).unwrap(), input);
            }
        }
    }

    #[test]
    fn inflate_stops_at_the_limit_and_refuses_a_broken_stream() {
        let input = json_like(2_000);
        let deflated = deflate(&input, DEFLATE_LEVEL);
        assert!(input.len() > 8 * deflated.len(), "the output buffer has to grow");
        assert_eq!(*inflate(&deflated, input.len()).unwrap(), input, "exactly the limit is allowed");
        let err = inflate(&deflated, input.len() - 1).unwrap_err();
        assert!(err.to_string().contains(&format!("over {} bytes", input.len() - 1)), "{err}");
        // 1 MiB of zeros from a 1 KiB stream: refused long before memory runs out.
        let bomb = deflate(&vec![0; 1 << 20], 6);
        assert!(bomb.len() < 2048);
        assert!(matches!(inflate(&bomb, 64 * 1024), Err(VaultError::Malformed(_))));

        let truncated = &deflated[..deflated.len() / 2];
        assert!(matches!(inflate(truncated, MAX_INFLATED), Err(VaultError::Malformed(_))));
        let mut trailing = deflated.to_vec();
        trailing.push(0);
        assert!(matches!(inflate(&trailing, MAX_INFLATED), Err(VaultError::Malformed(_))));
        assert!(matches!(inflate(b"", MAX_INFLATED), Err(VaultError::Malformed(_))));
        assert!(matches!(inflate(&[0xff; 64], MAX_INFLATED), Err(VaultError::Malformed(_))));
    }

    #[test]
    fn a_generation_that_authenticates_but_does_not_inflate_is_malformed() {
        let binder = Binder::new("Ada", "2026-11-23T10:00:00Z".parse().unwrap());
        let vault = UnlockedVault::create_with_key(binder.id, KdfParams::with_cost(1024, 1), &[3; 32]);
        let mut sealed = vault.seal(&binder, 1);
        let nonce = crate::random::bytes::<24>();
        let aad = generation_aad(GENERATION_FORMAT, binder.id, 1);
        sealed.ciphertext = cipher(&vault.data_key)
            .encrypt(&XNonce::from(nonce), Payload { msg: b"not deflate at all", aad: &aad })
            .unwrap();
        sealed.nonce = nonce.to_vec();
        assert!(matches!(vault.open(&sealed), Err(VaultError::Malformed(_))));

        // The slot's associated data is still the one every existing header was written with.
        assert_eq!(
            slot_aad(binder.id, SlotKind::Passphrase),
            format!("health-binder/vault/v1/binder/{}/slot/Passphrase", binder.id).into_bytes()
        );
        assert_eq!(
            generation_aad(1, binder.id, 7),
            format!("health-binder/vault/v1/binder/{}/generation/7", binder.id).into_bytes()
        );
    }
}
