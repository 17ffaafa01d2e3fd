//! SMART Health Cards: a FHIR Bundle signed by its issuer (a JWS, ES256, with a raw-DEFLATE
//! payload), as a `.smart-health-card` file (`{"verifiableCredential": ["<JWS>"]}`) or as QR text
//! (`shc:/` and two digits per JWS character).
//!
//! A card is checked against a **trust list** of issuers' keys shipped as data
//! (`core/data/trusted-issuers.json`; the tests add the framework's example issuer): a card from a
//! listed issuer whose signature matches is *checked*; one whose signature does not match is
//! refused (it was altered); one from an issuer not on the list is *signed by <iss>, not
//! checked*. A key fetched from the card's own issuer URL alone proves nothing (whoever made the
//! card controls that URL), so it is never called verified.

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde::Deserialize;
use serde_json::Value;

use crate::b64;
use crate::msg;
use crate::printout::Wording;
use crate::said::Said;

/// A card is a few kilobytes (it must fit a QR code); a file much larger is not one.
pub const MAX_CARD_BYTES: usize = 256 * 1024;
/// The inflated payload of a laboratory card can be large, but not this large.
const MAX_PAYLOAD: usize = 4 * 1024 * 1024;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("This is not a SMART Health Card (it should start with shc:/ or be a .smart-health-card file).")]
    NotACard,
    #[error("This SMART Health Card is damaged: {0}. Nothing was imported.")]
    Damaged(&'static str),
    #[error(
        "This SMART Health Card's signature does not match its issuer's key ({0}): it may have been altered. Nothing was imported."
    )]
    BadSignature(String),
}

/// How far the card's signature could be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardSignature {
    /// Signed by a trusted issuer, and the signature matches.
    Checked,
    /// The issuer is not on the trust list: the signature could not be checked.
    NotChecked,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// The issuer's URL (`iss`).
    pub issuer: String,
    /// The trusted issuer's name, when it is on the list.
    pub issuer_name: Option<String>,
    pub signature: CardSignature,
    /// The FHIR Bundle it carries.
    pub bundle: Value,
}

impl Card {
    /// What the import records as the source of every entry, and the review shows (English).
    pub fn origin(&self) -> String {
        self.origin_in(&Wording::ENGLISH)
    }

    /// The same in the reader's words (the issuer's URL and name as the card gives them).
    pub fn origin_in(&self, w: &Wording) -> String {
        let said = match (&self.signature, &self.issuer_name) {
            (CardSignature::Checked, Some(name)) => {
                Said::new(msg!("SMART Health Card from {name} ({issuer}), signature checked")).typed("name", name)
            }
            (CardSignature::Checked, None) => Said::new(msg!("SMART Health Card from {issuer}, signature checked")),
            (CardSignature::NotChecked, _) => Said::new(msg!("SMART Health Card signed by {issuer}, not checked")),
        };
        said.typed("issuer", &self.issuer).text(w)
    }
}

impl CardError {
    /// The error in the reader's words (what is damaged is a sentence of its own; a signature's
    /// key id stays as the card has it).
    pub fn text_in(&self, w: &Wording) -> String {
        let said = match self {
            Self::NotACard => Said::new(msg!(
                "This is not a SMART Health Card (it should start with shc:/ or be a .smart-health-card file)."
            )),
            Self::Damaged(why) => {
                Said::new(msg!("This SMART Health Card is damaged: {why}. Nothing was imported.")).fixed("why", why)
            }
            Self::BadSignature(key) => Said::new(msg!(
                "This SMART Health Card's signature does not match its issuer's key ({key}): it may have been altered. Nothing was imported."
            ))
            .typed("key", key),
        };
        said.text(w)
    }
}

/// Issuers whose keys were obtained out of band, with their keys (JWK sets).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TrustList {
    pub issuers: Vec<TrustedIssuer>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TrustedIssuer {
    pub iss: String,
    pub name: String,
    pub keys: Vec<Jwk>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Jwk {
    pub kid: String,
    #[serde(default)]
    pub crv: String,
    #[serde(default)]
    pub x: String,
    #[serde(default)]
    pub y: String,
}

const TRUSTED_ISSUERS: &str = include_str!("../data/trusted-issuers.json");

impl TrustList {
    /// The list the app ships.
    pub fn shipped() -> Self {
        serde_json::from_str(TRUSTED_ISSUERS).expect("the shipped trust list parses")
    }

    /// Adds an issuer with its JWK set (`{"keys": […]}`, as served at `<iss>/.well-known/jwks.json`).
    pub fn with_issuer(mut self, iss: &str, name: &str, jwks: &str) -> Result<Self, serde_json::Error> {
        #[derive(Deserialize)]
        struct Jwks {
            keys: Vec<Jwk>,
        }
        let Jwks { keys } = serde_json::from_str(jwks)?;
        self.issuers.push(TrustedIssuer { iss: iss.to_owned(), name: name.to_owned(), keys });
        Ok(self)
    }
}

/// The JWS inside `.smart-health-card` file text or `shc:/…` QR text.
fn jws_of(text: &str) -> Result<String, CardError> {
    let text = text.trim();
    if let Some(digits) = text.strip_prefix("shc:/") {
        if digits.contains('/') {
            return Err(CardError::Damaged(msg!("it is one part of a card split over several QR codes")));
        }
        let bytes = digits.as_bytes();
        if bytes.len() % 2 != 0 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(CardError::Damaged(msg!("its QR text is not pairs of digits")));
        }
        return bytes
            .chunks(2)
            .map(|pair| {
                let n = (pair[0] - b'0') * 10 + (pair[1] - b'0');
                char::from_u32(u32::from(n) + 45)
                    .filter(|_| n <= 77)
                    .ok_or(CardError::Damaged(msg!("its QR text is out of range")))
            })
            .collect();
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct CardFile {
        verifiable_credential: Vec<String>,
    }
    let file: CardFile = serde_json::from_str(text).map_err(|_| CardError::NotACard)?;
    file.verifiable_credential.into_iter().next().ok_or(CardError::Damaged(msg!("the file holds no card")))
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    zip: Option<String>,
    kid: String,
}

/// Reads a card and checks its signature against `trust`.
pub fn read_card(text: &str, trust: &TrustList) -> Result<Card, CardError> {
    if text.len() > MAX_CARD_BYTES {
        return Err(CardError::Damaged(msg!("it is far larger than a card can be")));
    }
    let jws = jws_of(text)?;
    let parts: Vec<&str> = jws.split('.').collect();
    let [header_b64, payload_b64, signature_b64] = parts[..] else {
        return Err(CardError::Damaged(msg!("its signed content is not in three parts")));
    };
    let header: Header = b64::decode(header_b64)
        .ok()
        .and_then(|h| serde_json::from_slice(&h).ok())
        .ok_or(CardError::Damaged(msg!("its header is unreadable")))?;
    if header.alg != "ES256" {
        return Err(CardError::Damaged(msg!("it is not signed with ES256")));
    }
    let compressed = b64::decode(payload_b64).map_err(|_| CardError::Damaged(msg!("its payload is not base64url")))?;
    let payload = match header.zip.as_deref() {
        Some("DEF") => miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_PAYLOAD)
            .map_err(|_| CardError::Damaged(msg!("its payload does not decompress")))?,
        _ => compressed,
    };
    let payload: Value =
        serde_json::from_slice(&payload).map_err(|_| CardError::Damaged(msg!("its payload is not readable JSON")))?;
    let issuer = payload["iss"].as_str().ok_or(CardError::Damaged(msg!("it does not name its issuer")))?.to_owned();
    let bundle = payload["vc"]["credentialSubject"]["fhirBundle"].clone();
    if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(CardError::Damaged(msg!("it carries no FHIR bundle")));
    }
    let Some(trusted) = trust.issuers.iter().find(|i| i.iss == issuer) else {
        return Ok(Card { issuer, issuer_name: None, signature: CardSignature::NotChecked, bundle });
    };
    let key = trusted
        .keys
        .iter()
        .find(|k| k.kid == header.kid && k.crv == "P-256")
        .ok_or_else(|| CardError::BadSignature(format!("no key {} among {}'s", header.kid, trusted.name)))?;
    let signature = b64::decode(signature_b64).ok().and_then(|s| Signature::from_slice(&s).ok());
    let verifying_key = verifying_key(key);
    let signed = format!("{header_b64}.{payload_b64}");
    match (signature, verifying_key) {
        (Some(signature), Some(key)) if key.verify(signed.as_bytes(), &signature).is_ok() => {
            Ok(Card { issuer, issuer_name: Some(trusted.name.clone()), signature: CardSignature::Checked, bundle })
        }
        _ => Err(CardError::BadSignature(trusted.name.clone())),
    }
}

fn verifying_key(jwk: &Jwk) -> Option<VerifyingKey> {
    let (x, y) = (b64::decode_array::<32>(&jwk.x)?, b64::decode_array::<32>(&jwk.y)?);
    let mut sec1 = [0u8; 65];
    sec1[0] = 4;
    sec1[1..33].copy_from_slice(&x);
    sec1[33..].copy_from_slice(&y);
    VerifyingKey::from_sec1_bytes(&sec1).ok()
}
