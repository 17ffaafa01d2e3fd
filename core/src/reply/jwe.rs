//! Replies are compact JWE encrypted to the share's reply key: `alg: ECDH-ES` (direct key
//! agreement on P-256) and `enc: A256GCM` (RFC 7518 §4.6 and §5.3). The clinician's browser makes
//! them with WebCrypto (the viewer carries no elliptic-curve code of its own); the patient's app
//! opens them here. So this module holds the format rules both sides share — the protected
//! header, the Concat KDF's input, assembling and splitting the five parts — and a native
//! implementation (`p256`) for the patient's side and for tests.
//!
//! The content key is `SHA-256(0x00000001 ‖ Z ‖ OtherInfo)`, one round of the Concat KDF (NIST SP
//! 800-56A) with `OtherInfo = AlgorithmID ‖ PartyUInfo ‖ PartyVInfo ‖ SuppPubInfo`: the `enc`
//! value as AlgorithmID (direct key agreement), empty `apu`/`apv`, and 256 (bits) as SuppPubInfo.
//! The encrypted key part is empty; the AAD is the ASCII of the encoded protected header.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::b64;

pub const ALG: &str = "ECDH-ES";
pub const ENC: &str = "A256GCM";

/// A P-256 public key as a JWK (RFC 7518 §6.2.1): what a share carries inside its encrypted
/// document for replies, and the ephemeral key (`epk`) in a reply's header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicJwk {
    pub kty: String,
    pub crv: String,
    /// The affine coordinates, 32 bytes each, base64url.
    pub x: String,
    pub y: String,
}

impl PublicJwk {
    pub fn p256(x: &[u8], y: &[u8]) -> Self {
        Self { kty: "EC".into(), crv: "P-256".into(), x: b64::encode(x), y: b64::encode(y) }
    }

    /// Whether it names a P-256 key with coordinates of the right size (the curve check proper
    /// is made where the point is used).
    pub fn is_p256(&self) -> bool {
        self.kty == "EC"
            && self.crv == "P-256"
            && b64::decode_array::<32>(&self.x).is_some()
            && b64::decode_array::<32>(&self.y).is_some()
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    enc: String,
    epk: PublicJwk,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cty: Option<String>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplyJweError {
    #[error("the reply is not a compact JWE")]
    NotCompact,
    #[error("the reply uses {0}, which Health Binder does not read")]
    Unsupported(String),
    #[error("the reply's key is not a point on P-256")]
    BadKey,
    #[error("the reply could not be decrypted: it was not made for this share, or it was altered")]
    Decrypt,
}

/// The encoded protected header for a reply made with the ephemeral public key `epk`.
pub fn protected_header(epk: &PublicJwk, content_type: &str) -> String {
    let header = Header { alg: ALG.into(), enc: ENC.into(), epk: epk.clone(), cty: Some(content_type.into()) };
    // Cannot fail (strings only); no `expect`, whose error formatting the viewer would carry.
    b64::encode(serde_json::to_vec(&header).unwrap_or_default())
}

/// What SHA-256 turns into the content key: the round counter, the shared secret `z` (the
/// x-coordinate of the ECDH result) and OtherInfo.
pub fn kdf_input(z: &[u8]) -> Zeroizing<Vec<u8>> {
    fn with_length(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        out.extend_from_slice(bytes);
    }
    let mut input = Zeroizing::new(Vec::with_capacity(4 + z.len() + 4 + ENC.len() + 12));
    input.extend_from_slice(&1u32.to_be_bytes());
    input.extend_from_slice(z);
    with_length(&mut input, ENC.as_bytes()); // AlgorithmID
    with_length(&mut input, b""); // PartyUInfo (apu)
    with_length(&mut input, b""); // PartyVInfo (apv)
    input.extend_from_slice(&256u32.to_be_bytes()); // SuppPubInfo: key length in bits
    input
}

/// The five parts joined: header, an empty encrypted key, IV, ciphertext, tag. `sealed` is the
/// AES-GCM output with its 16-byte tag at the end, as WebCrypto and `aes-gcm` both return it.
pub fn compact(header_b64: &str, iv: &[u8; 12], sealed: &[u8]) -> String {
    let (ciphertext, tag) = sealed.split_at(sealed.len().saturating_sub(16));
    format!("{header_b64}..{}.{}.{}", b64::encode(iv), b64::encode(ciphertext), b64::encode(tag))
}

/// A reply's parts, read and checked but not yet decrypted.
pub struct Parts<'a> {
    pub header_b64: &'a str,
    pub epk: PublicJwk,
    pub content_type: Option<String>,
    pub iv: [u8; 12],
    /// Ciphertext followed by the tag.
    pub sealed: Vec<u8>,
}

pub fn split(jwe: &str) -> Result<Parts<'_>, ReplyJweError> {
    let parts: Vec<&str> = jwe.trim().split('.').collect();
    let [header_b64, encrypted_key, iv, ciphertext, tag] = parts[..] else {
        return Err(ReplyJweError::NotCompact);
    };
    let header: Header = b64::decode(header_b64)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or(ReplyJweError::NotCompact)?;
    if header.alg != ALG || !encrypted_key.is_empty() {
        return Err(ReplyJweError::Unsupported(format!("key management {}", header.alg)));
    }
    if header.enc != ENC {
        return Err(ReplyJweError::Unsupported(format!("encryption {}", header.enc)));
    }
    if !header.epk.is_p256() {
        return Err(ReplyJweError::BadKey);
    }
    let iv = b64::decode_array(iv).ok_or(ReplyJweError::NotCompact)?;
    let mut sealed = b64::decode(ciphertext).map_err(|_| ReplyJweError::NotCompact)?;
    let tag = b64::decode(tag).map_err(|_| ReplyJweError::NotCompact)?;
    if tag.len() != 16 {
        return Err(ReplyJweError::NotCompact);
    }
    sealed.extend_from_slice(&tag);
    Ok(Parts { header_b64, epk: header.epk, content_type: header.cty, iv, sealed })
}

/// The key pair a share's replies are encrypted to. The private half stays in the share's
/// record in the vault; the public half travels inside the share's encrypted document.
pub struct ReplyKey {
    secret: p256::SecretKey,
}

impl ReplyKey {
    /// A fresh random key (rejection sampling: 32 random bytes are a valid scalar but for a
    /// chance of about 2⁻³²).
    pub fn generate() -> Self {
        loop {
            let bytes = Zeroizing::new(crate::random::bytes::<32>());
            if let Ok(secret) = p256::SecretKey::from_slice(&bytes[..]) {
                return Self { secret };
            }
        }
    }

    /// From the stored private scalar (base64url), as the share's record keeps it.
    pub fn from_stored(d: &str) -> Option<Self> {
        let bytes = Zeroizing::new(b64::decode_array::<32>(d)?);
        p256::SecretKey::from_slice(&bytes[..]).ok().map(|secret| Self { secret })
    }

    /// The private scalar, base64url, to keep in the vault.
    pub fn to_stored(&self) -> String {
        b64::encode(Zeroizing::new(self.secret.to_bytes()).as_slice())
    }

    pub fn public_jwk(&self) -> PublicJwk {
        public_jwk(&self.secret.public_key())
    }

    /// Opens a reply: the plaintext and its declared content type.
    pub fn decrypt(&self, jwe: &str) -> Result<(Vec<u8>, Option<String>), ReplyJweError> {
        let parts = split(jwe)?;
        let epk = point(&parts.epk)?;
        let shared = p256::ecdh::diffie_hellman(self.secret.to_nonzero_scalar(), epk.as_affine());
        let key = content_key(shared.raw_secret_bytes());
        let plaintext = Aes256Gcm::new(&(*key).into())
            .decrypt(&Nonce::from(parts.iv), Payload { msg: &parts.sealed, aad: parts.header_b64.as_bytes() })
            .map_err(|_| ReplyJweError::Decrypt)?;
        Ok((plaintext, parts.content_type))
    }
}

/// Encrypts `plaintext` to `recipient` with a fresh ephemeral key, exactly as the viewer does
/// with WebCrypto. Used by native tests and by anyone replying without a browser.
pub fn encrypt(recipient: &PublicJwk, plaintext: &[u8], content_type: &str) -> Result<String, ReplyJweError> {
    let recipient = point(recipient)?;
    let ephemeral = ReplyKey::generate();
    let header_b64 = protected_header(&ephemeral.public_jwk(), content_type);
    let shared = p256::ecdh::diffie_hellman(ephemeral.secret.to_nonzero_scalar(), recipient.as_affine());
    let key = content_key(shared.raw_secret_bytes());
    let iv = crate::random::bytes::<12>();
    let sealed = Aes256Gcm::new(&(*key).into())
        .encrypt(&Nonce::from(iv), Payload { msg: plaintext, aad: header_b64.as_bytes() })
        .expect("AES-GCM encryption cannot fail for in-memory sizes");
    Ok(compact(&header_b64, &iv, &sealed))
}

fn content_key(z: &[u8]) -> Zeroizing<[u8; 32]> {
    Zeroizing::new(Sha256::digest(kdf_input(z).as_slice()).into())
}

/// The point a JWK names, checked to be on the curve (a point off it would leak the private key
/// to whoever chose it: the invalid-curve attack).
fn point(jwk: &PublicJwk) -> Result<p256::PublicKey, ReplyJweError> {
    if !jwk.is_p256() {
        return Err(ReplyJweError::BadKey);
    }
    let (x, y) = (b64::decode_array::<32>(&jwk.x), b64::decode_array::<32>(&jwk.y));
    let (Some(x), Some(y)) = (x, y) else { return Err(ReplyJweError::BadKey) };
    let encoded = p256::EncodedPoint::from_affine_coordinates(&x.into(), &y.into(), false);
    p256::PublicKey::from_sec1_bytes(encoded.as_bytes()).map_err(|_| ReplyJweError::BadKey)
}

fn public_jwk(key: &p256::PublicKey) -> PublicJwk {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let encoded = key.to_encoded_point(false);
    PublicJwk::p256(encoded.x().expect("uncompressed"), encoded.y().expect("uncompressed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_to_a_fresh_key_and_not_to_another() {
        let key = ReplyKey::generate();
        let jwe = encrypt(&key.public_jwk(), b"{\"note\":\"see PCP\"}", "application/json").unwrap();
        assert_eq!(jwe.split('.').nth(1), Some(""), "no encrypted key with direct agreement");
        let (plain, cty) = key.decrypt(&jwe).unwrap();
        assert_eq!(plain, b"{\"note\":\"see PCP\"}");
        assert_eq!(cty.as_deref(), Some("application/json"));
        assert_eq!(ReplyKey::generate().decrypt(&jwe), Err(ReplyJweError::Decrypt));
        let stored = ReplyKey::from_stored(&key.to_stored()).unwrap();
        assert_eq!(stored.public_jwk(), key.public_jwk());
    }

    #[test]
    fn a_point_off_the_curve_is_refused() {
        let key = ReplyKey::generate();
        let mut bad = key.public_jwk();
        bad.y = b64::encode([7u8; 32]);
        assert_eq!(encrypt(&bad, b"x", "text/plain"), Err(ReplyJweError::BadKey));
        // The same in a reply's header.
        let jwe = encrypt(&key.public_jwk(), b"x", "text/plain").unwrap();
        let mut parts: Vec<String> = jwe.split('.').map(String::from).collect();
        parts[0] = protected_header(&bad, "text/plain");
        assert_eq!(key.decrypt(&parts.join(".")), Err(ReplyJweError::BadKey));
    }

    #[test]
    fn the_kdf_input_is_as_rfc_7518_lays_it_out() {
        let input = kdf_input(&[0xAB; 32]);
        let mut expected = vec![0, 0, 0, 1];
        expected.extend([0xAB; 32]);
        expected.extend([0, 0, 0, 7]);
        expected.extend(b"A256GCM");
        expected.extend([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
        assert_eq!(input.as_slice(), expected.as_slice());
    }
}
