//! Argon2id key derivation, with its parameters stored in the vault.

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Always "argon2id" today; named so a later algorithm can be told apart.
    pub alg: String,
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes over memory.
    pub t: u32,
    /// Lanes.
    pub p: u32,
    #[serde(with = "crate::b64::serde_bytes")]
    pub salt: Vec<u8>,
}

/// Bounds on parameters read back: four times the recommended memory and passes at most (a
/// minute on a slow phone), and no less than tests use (8 KiB, argon2's own floor).
pub const MIN_M_KIB: u32 = 8;
pub const MAX_M_KIB: u32 = 256 * 1024;
pub const MAX_T: u32 = 12;
pub const MAX_P: u32 = 4;
const MIN_SALT: usize = 16;
const MAX_SALT: usize = 64;

impl KdfParams {
    /// Bitwarden's default, above OWASP's minimum (19 MiB, 2 passes): about 0.3–0.6 s in a phone
    /// browser, which a patient pays once per unlock.
    pub fn recommended() -> Self {
        Self::with_cost(64 * 1024, 3)
    }

    /// Cheap parameters for tests only; real vaults use [`KdfParams::recommended`].
    pub fn with_cost(m_kib: u32, t: u32) -> Self {
        Self { alg: "argon2id".into(), m_kib, t, p: 1, salt: crate::random::bytes::<16>().to_vec() }
    }

    /// Parameters read from storage or a backup are checked before anything derives with them:
    /// a crafted file must not make a phone spend gigabytes or minutes on one guess, nor weaken
    /// the derivation below what this app ever writes.
    pub fn check(&self) -> Result<(), KdfError> {
        if self.alg != "argon2id" {
            return Err(KdfError::Unsupported(self.alg.clone()));
        }
        let within = MIN_M_KIB..=MAX_M_KIB;
        let costs = within.contains(&self.m_kib) && (1..=MAX_T).contains(&self.t) && (1..=MAX_P).contains(&self.p);
        if !costs || !(MIN_SALT..=MAX_SALT).contains(&self.salt.len()) {
            return Err(KdfError::Params("its costs or salt are outside what this app uses".to_owned()));
        }
        Ok(())
    }

    pub fn derive(&self, secret: &[u8]) -> Result<Zeroizing<[u8; 32]>, KdfError> {
        self.check()?;
        let params = Params::new(self.m_kib, self.t, self.p, Some(32)).map_err(|e| KdfError::Params(e.to_string()))?;
        let mut key = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(secret, &self.salt, key.as_mut())
            .map_err(|e| KdfError::Params(e.to_string()))?;
        Ok(key)
    }
}

#[derive(Debug, PartialEq, thiserror::Error)]
pub enum KdfError {
    #[error("unsupported key derivation {0}")]
    Unsupported(String),
    #[error("invalid key derivation parameters: {0}")]
    Params(String),
}
