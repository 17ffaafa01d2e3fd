//! Compact JWE with direct AES-256-GCM (`alg: dir`, `enc: A256GCM`): the encryption SMART Health
//! Links prescribe for their files. Small enough to write here; interoperability is tested against
//! an independent implementation (the npm package `kill-the-clipboard`) in `tests/`.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use serde::{Deserialize, Serialize};

use crate::b64;
use crate::msg;
use crate::said::Said;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum JweError {
    #[error("the shared file is not a compact JWE")]
    NotCompact,
    /// The algorithm's name, as the file gives it ("RSA-OAEP", "GZIP").
    #[error("the shared file uses {0}, which this viewer does not support")]
    Unsupported(String),
    #[error("the shared file could not be decrypted: wrong key or altered content")]
    Decrypt,
    #[error("the shared file is compressed in a way that could not be read")]
    Decompress,
    #[error("the shared file would be over {} MB decompressed", MAX_INFLATED >> 20)]
    TooLarge,
}

impl JweError {
    /// The reason as a sentence the viewer writes in the clinician's language (the `#[error]`
    /// text is the same in English).
    pub fn said(&self) -> Said {
        match self {
            Self::NotCompact => Said::new(msg!("the shared file is not a compact JWE")),
            Self::Unsupported(what) => {
                Said::new(msg!("the shared file uses {what}, which this viewer does not support")).typed("what", what)
            }
            Self::Decrypt => Said::new(msg!("the shared file could not be decrypted: wrong key or altered content")),
            Self::Decompress => Said::new(msg!("the shared file is compressed in a way that could not be read")),
            Self::TooLarge => Said::new(msg!("the shared file would be over {n} MB decompressed"))
                .typed("n", (MAX_INFLATED >> 20).to_string()),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct ProtectedHeader {
    alg: String,
    enc: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    cty: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zip: Option<String>,
}

/// Encrypts `plaintext` under `key` with a fresh random IV, uncompressed (several receivers fail on
/// `zip: DEF`).
pub fn encrypt(key: &[u8; 32], plaintext: &[u8], content_type: &str) -> String {
    seal(key, plaintext, content_type, None)
}

/// As [`encrypt`], with the plaintext compressed first (`zip: DEF`, raw DEFLATE, as RFC 7516
/// §4.1.3 has it), as other SHL servers write by default; shares use it for a file that would not
/// fit the relay's upload limit otherwise (some receivers cannot inflate).
pub fn encrypt_deflated(key: &[u8; 32], plaintext: &[u8], content_type: &str) -> String {
    // The vault's compressor: buffers wiped when dropped, and no second copy of DEFLATE's code.
    seal(key, &crate::vault::deflate(plaintext, 6), content_type, Some("DEF"))
}

fn seal(key: &[u8; 32], plaintext: &[u8], content_type: &str, zip: Option<&str>) -> String {
    let header = ProtectedHeader {
        alg: "dir".into(),
        enc: "A256GCM".into(),
        cty: Some(content_type.into()),
        zip: zip.map(Into::into),
    };
    let header_b64 = b64::encode(serde_json::to_vec(&header).expect("header serializes"));
    let iv = crate::random::bytes::<12>();
    // The AAD of a compact JWE is the ASCII of the encoded protected header.
    let mut sealed = Aes256Gcm::new(&(*key).into())
        .encrypt(&Nonce::from(iv), Payload { msg: plaintext, aad: header_b64.as_bytes() })
        .expect("AES-GCM encryption cannot fail for in-memory sizes");
    let tag = sealed.split_off(sealed.len() - 16);
    format!("{header_b64}..{}.{}.{}", b64::encode(iv), b64::encode(&sealed), b64::encode(&tag))
}

/// A compact JWE (`dir`, `A256GCM`) taken apart and checked, ready for AES-GCM: what a platform's
/// own cryptography (the viewer's WebCrypto) needs to open it, by the same rules as [`decrypt`].
pub struct Sealed {
    /// The protected header as sent (base64url): the additional authenticated data.
    pub aad: String,
    pub iv: [u8; 12],
    /// The ciphertext with its 16-byte tag after it.
    pub ciphertext_and_tag: Vec<u8>,
    /// `zip: DEF`: the plaintext is raw DEFLATE, to be inflated within [`MAX_INFLATED`].
    pub deflated: bool,
    pub content_type: Option<String>,
}

/// Takes a compact JWE apart, refusing what this format does not use.
pub fn unseal(jwe: &str) -> Result<Sealed, JweError> {
    let parts: Vec<&str> = jwe.trim().split('.').collect();
    let [header_b64, encrypted_key, iv, ciphertext, tag] = parts[..] else {
        return Err(JweError::NotCompact);
    };
    let header: ProtectedHeader = b64::decode(header_b64)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or(JweError::NotCompact)?;
    if header.alg != "dir" || !encrypted_key.is_empty() {
        return Err(JweError::Unsupported(header.alg.clone()));
    }
    if header.enc != "A256GCM" {
        return Err(JweError::Unsupported(header.enc.clone()));
    }
    let deflated = match header.zip.as_deref() {
        None => false,
        Some("DEF") => true,
        Some(other) => return Err(JweError::Unsupported(other.to_string())),
    };
    let iv: [u8; 12] = b64::decode_array(iv).ok_or(JweError::NotCompact)?;
    let mut ciphertext_and_tag = b64::decode(ciphertext).map_err(|_| JweError::NotCompact)?;
    let tag = b64::decode(tag).map_err(|_| JweError::NotCompact)?;
    if tag.len() != 16 {
        return Err(JweError::NotCompact);
    }
    ciphertext_and_tag.extend_from_slice(&tag);
    Ok(Sealed { aad: header_b64.to_owned(), iv, ciphertext_and_tag, deflated, content_type: header.cty })
}

/// Decrypts a compact JWE, returning the plaintext and its declared content type.
pub fn decrypt(key: &[u8; 32], jwe: &str) -> Result<(Vec<u8>, Option<String>), JweError> {
    let sealed = unseal(jwe)?;
    let plaintext = Aes256Gcm::new(&(*key).into())
        .decrypt(&Nonce::from(sealed.iv), Payload { msg: &sealed.ciphertext_and_tag, aad: sealed.aad.as_bytes() })
        .map_err(|_| JweError::Decrypt)?;
    if sealed.deflated {
        // Raw DEFLATE, as other SHL implementations write by default. Bounded, so a small file
        // cannot expand into gigabytes.
        let inflated =
            miniz_oxide::inflate::decompress_to_vec_with_limit(&plaintext, MAX_INFLATED).map_err(|e| {
                match e.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => JweError::TooLarge,
                    _ => JweError::Decompress,
                }
            })?;
        return Ok((inflated, sealed.content_type));
    }
    Ok((plaintext, sealed.content_type))
}

/// The most a compressed file may expand to: far above any binder, far below a zip bomb.
pub const MAX_INFLATED: usize = 32 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsealed_parts_open_with_any_aes_gcm_as_decrypt_does() {
        // What the viewer hands to WebCrypto: the header as AAD, the IV, ciphertext then tag.
        let key = [9u8; 32];
        for file in [
            encrypt(&key, b"{\"a\":1}", "application/fhir+json"),
            encrypt_deflated(&key, b"{\"a\":1}", "application/fhir+json"),
        ] {
            let sealed = unseal(&file).unwrap();
            let opened = Aes256Gcm::new(&key.into())
                .decrypt(
                    &Nonce::from(sealed.iv),
                    Payload { msg: &sealed.ciphertext_and_tag, aad: sealed.aad.as_bytes() },
                )
                .unwrap();
            let plain =
                if sealed.deflated { miniz_oxide::inflate::decompress_to_vec(&opened).unwrap() } else { opened };
            assert_eq!(plain, decrypt(&key, &file).unwrap().0);
            assert_eq!(sealed.content_type.as_deref(), Some("application/fhir+json"));
        }
        let gzip = format!(
            "{}..AAAAAAAAAAAAAAAA.AA.AAAAAAAAAAAAAAAAAAAAAA",
            b64::encode(br#"{"alg":"dir","enc":"A256GCM","zip":"GZIP"}"#)
        );
        assert!(
            matches!(unseal(&gzip), Err(JweError::Unsupported(_))),
            "compression the viewer cannot inflate is refused"
        );
    }

    #[test]
    fn round_trip_with_a_fresh_iv_each_time() {
        let key = [7u8; 32];
        let a = encrypt(&key, b"{\"resourceType\":\"Bundle\"}", "application/fhir+json");
        let b = encrypt(&key, b"{\"resourceType\":\"Bundle\"}", "application/fhir+json");
        assert_ne!(a, b, "IVs must differ");
        let (plain, cty) = decrypt(&key, &a).unwrap();
        assert_eq!(plain, b"{\"resourceType\":\"Bundle\"}");
        assert_eq!(cty.as_deref(), Some("application/fhir+json"));
        let header = String::from_utf8(b64::decode(a.split('.').next().unwrap()).unwrap()).unwrap();
        assert_eq!(header, r#"{"alg":"dir","enc":"A256GCM","cty":"application/fhir+json"}"#);
    }

    #[test]
    fn wrong_key_and_tampering_are_refused() {
        let jwe = encrypt(&[1u8; 32], b"secret", "text/plain");
        assert_eq!(decrypt(&[2u8; 32], &jwe), Err(JweError::Decrypt));
        let mut parts: Vec<String> = jwe.split('.').map(String::from).collect();
        // Re-encode the header with a different cty: the AAD changes, so authentication fails.
        parts[0] = b64::encode(br#"{"alg":"dir","enc":"A256GCM","cty":"text/html"}"#);
        assert_eq!(decrypt(&[1u8; 32], &parts.join(".")), Err(JweError::Decrypt));
        assert_eq!(decrypt(&[1u8; 32], "not.a.jwe"), Err(JweError::NotCompact));
    }

    #[test]
    fn a_compressed_file_says_so_and_round_trips() {
        let key = [3u8; 32];
        let text = "Metformin 500 mg twice a day. ".repeat(200);
        let jwe = encrypt_deflated(&key, text.as_bytes(), "application/fhir+json");
        let header = String::from_utf8(b64::decode(jwe.split('.').next().unwrap()).unwrap()).unwrap();
        assert!(header.contains(r#""zip":"DEF""#), "{header}");
        assert!(jwe.len() < text.len() / 4, "compressed: {} bytes for {}", jwe.len(), text.len());
        assert_eq!(decrypt(&key, &jwe).unwrap().0, text.as_bytes());
    }

    #[test]
    fn decrypts_a_compressed_file_from_kill_the_clipboard() {
        // Made by the npm package kill-the-clipboard 1.1.0 (encryptSHLFile, enableCompression:
        // true, which it uses by default for FHIR resources) with the key 0x00..0x1f.
        let key: [u8; 32] = core::array::from_fn(|i| i as u8);
        let jwe = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoiYXBwbGljYXRpb24vZmhpcitqc29uIiwiemlwIjoiREVGIn0..VkSARPyPqw3OdBXP.OwWS_IR3pooOY8XGZhEiVhbSGgjUNMn9Z0ZQoDo6aM2TUYt2gOhmp3jJEaE0tyAeclUPozw.mJoPi-JIvmmDu5a6K-LXGg";
        let (plain, cty) = decrypt(&key, jwe).unwrap();
        assert_eq!(plain, br#"{"resourceType":"Bundle","type":"collection","entry":[]}"#);
        assert_eq!(cty.as_deref(), Some("application/fhir+json"));
    }

    #[test]
    fn decrypts_a_known_vector() {
        // Produced independently by the npm package `jose` 6 (CompactEncrypt, alg dir / A256GCM)
        // with the key 0x00..0x1f and the plaintext "Health Binder".
        let key: [u8; 32] = core::array::from_fn(|i| i as u8);
        let jwe = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..E3wtlHuSM5rkbuWi.Hew1Jmt0lqg0B9eGcQ.Fe_0sa1Co7hy52M6xVsLrg";
        match decrypt(&key, jwe) {
            Ok((plain, _)) => assert_eq!(plain, b"Health Binder"),
            Err(e) => panic!("known vector failed: {e}"),
        }
    }
}
