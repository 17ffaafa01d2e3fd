//! Slow hashing of share passcodes with Argon2id. Only the hash is stored, with its
//! parameters, so they can be raised later without breaking existing shares:
//! `argon2id$m=<KiB>,t=<passes>,p=<lanes>$<salt b64url>$<hash b64url>`.

use std::sync::{Mutex, PoisonError};

use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq as _;
use zeroize::Zeroize as _;

const HASH_LEN: usize = 32;
const SALT_LEN: usize = 16;

/// Argon2id cost for new passcodes (not the vault's key derivation in core, which is the
/// patient's device's business). The default is OWASP's minimum (19 MiB, 2 passes):
/// every wrong guess costs this much on the relay, so it stays modest, and the lifetime
/// attempt budget and the rate limit are what stop guessing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasscodeKdf {
    pub memory_kib: u32,
    pub passes: u32,
}

impl Default for PasscodeKdf {
    fn default() -> Self {
        Self { memory_kib: 19_456, passes: 2 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PasscodeError {
    #[error("invalid Argon2 parameters: {0}")]
    Params(String),
    #[error("stored passcode hash is malformed")]
    Malformed,
    #[error("no randomness: {0}")]
    Random(String),
}

fn argon2(memory_kib: u32, passes: u32, lanes: u32) -> Result<Argon2<'static>, PasscodeError> {
    let params =
        Params::new(memory_kib, passes, lanes, Some(HASH_LEN)).map_err(|err| PasscodeError::Params(err.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Argon2's working memory (its memory cost, 19 MiB by default), kept for the next hash instead of
/// freed. Allocated anew for every hash, glibc's allocator kept the freed memory in the arena of
/// whichever blocking thread had run it (a freed block that large raises its threshold for giving
/// memory back): under a load of passcode guesses the relay's RSS grew by hundreds of MB. Now at
/// most as many buffers exist as hashes run at once (`AppState::passcode_slots`, 2 per core),
/// each wiped after every use, since it held values derived from a passcode.
static MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// `hash_password_into` with memory from [`MEMORY`].
fn hash_into(argon2: &Argon2<'_>, passcode: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), PasscodeError> {
    let blocks = argon2.params().block_count();
    let mut memory = MEMORY.lock().unwrap_or_else(PoisonError::into_inner).pop().unwrap_or_default();
    if memory.len() < blocks {
        memory.resize(blocks, Block::new());
    }
    let hashed = argon2.hash_password_into_with_memory(passcode, salt, out, &mut memory[..blocks]);
    memory.iter_mut().for_each(|block| block.zeroize());
    MEMORY.lock().unwrap_or_else(PoisonError::into_inner).push(memory);
    hashed.map_err(|err| PasscodeError::Params(err.to_string()))
}

/// Hashes a passcode with a fresh random salt. Slow: call it off the async threads.
pub fn hash(passcode: &str, kdf: PasscodeKdf) -> Result<String, PasscodeError> {
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt).map_err(|err| PasscodeError::Random(err.to_string()))?;
    let mut out = [0u8; HASH_LEN];
    hash_into(&argon2(kdf.memory_kib, kdf.passes, 1)?, passcode.as_bytes(), &salt, &mut out)?;
    Ok(format!(
        "argon2id$m={},t={},p=1${}${}",
        kdf.memory_kib,
        kdf.passes,
        URL_SAFE_NO_PAD.encode(salt),
        URL_SAFE_NO_PAD.encode(out)
    ))
}

/// Whether `passcode` matches `stored`, compared in constant time. Slow: call it off the
/// async threads.
pub fn verify(passcode: &str, stored: &str) -> Result<bool, PasscodeError> {
    let mut parts = stored.split('$');
    let (Some("argon2id"), Some(params), Some(salt), Some(expected), None) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(PasscodeError::Malformed);
    };
    let mut values = [0u32; 3];
    for (slot, (field, name)) in values.iter_mut().zip(params.split(',').zip(["m=", "t=", "p="])) {
        *slot = field.strip_prefix(name).and_then(|v| v.parse().ok()).ok_or(PasscodeError::Malformed)?;
    }
    let salt = URL_SAFE_NO_PAD.decode(salt).map_err(|_| PasscodeError::Malformed)?;
    let expected = URL_SAFE_NO_PAD.decode(expected).map_err(|_| PasscodeError::Malformed)?;
    let mut out = [0u8; HASH_LEN];
    hash_into(&argon2(values[0], values[1], values[2])?, passcode.as_bytes(), &salt, &mut out)?;
    Ok(out.ct_eq(expected.as_slice()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_passcode_verifies_and_wrong_does_not() {
        let kdf = PasscodeKdf { memory_kib: 64, passes: 1 };
        let stored = hash("1234 abc", kdf).unwrap();
        assert!(stored.starts_with("argon2id$m=64,t=1,p=1$"), "{stored}");
        assert!(!stored.contains("1234 abc"));
        assert!(verify("1234 abc", &stored).unwrap());
        assert!(!verify("1234 abd", &stored).unwrap());
        assert!(!verify("", &stored).unwrap());
        assert_ne!(hash("1234 abc", kdf).unwrap(), stored, "fresh salt each time");
        assert!(verify("x", "plain").is_err());
    }
}
