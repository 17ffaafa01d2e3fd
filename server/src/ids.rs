//! The relay's words as types: share ids, bearer secrets and link flags. A handler turns
//! request text into these once, at the edge; everything behind it (the store included)
//! takes only values that are already valid.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// SHA-256 of a management secret or a location token. Only this is stored, so a leaked
/// database does not let anyone revoke or inspect shares, or fetch their files.
pub type SecretHash = [u8; 32];

/// Ids and secrets are 32 random bytes in unpadded base64url: 43 characters.
const TOKEN_CHARS: usize = 43;

fn is_token(s: &str) -> bool {
    s.len() == TOKEN_CHARS && s.bytes().all(is_base64url_byte)
}

pub(crate) fn is_base64url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn random_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// A share's public id: the last segment of its link. Public, so it may be logged and shown.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShareId(String);

impl ShareId {
    /// `None` for anything that cannot be an id this relay issued.
    pub fn parse(s: &str) -> Option<Self> {
        is_token(s).then(|| Self(s.to_owned()))
    }

    pub fn random() -> Result<Self, getrandom::Error> {
        random_token().map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ShareId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A bearer capability: a share's management secret or a `location` token. Never stored
/// (only its [`SecretHash`]) and never printed: `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn parse(s: &str) -> Option<Self> {
        is_token(s).then(|| Self(s.to_owned()))
    }

    /// A presented bearer secret, as sent. Not checked for shape: a wrong one simply does
    /// not match any stored hash.
    pub fn presented(s: &str) -> Self {
        Self(s.to_owned())
    }

    pub fn random() -> Result<Self, getrandom::Error> {
        random_token().map(Self)
    }

    pub fn hash(&self) -> SecretHash {
        Sha256::digest(self.0.as_bytes()).into()
    }

    /// The secret itself, for the one place it leaves the relay: the answer that hands it
    /// to its owner (or the `location` URL).
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The SMART Health Links flag of a share. `L` (long-lived) is not offered, and `U` never
/// combines with `P`, so these three are all there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// `"U"`: the file is fetched directly with `GET /shl/{id}`.
    U,
    /// `""`: the manifest flow, `POST /shl/{id}`.
    Manifest,
    /// `"P"`: the manifest flow with a passcode.
    P,
}

impl Flag {
    /// The flag as the SHL payload and the API spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::U => "U",
            Flag::Manifest => "",
            Flag::P => "P",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "U" => Some(Flag::U),
            "" => Some(Flag::Manifest),
            "P" => Some(Flag::P),
            _ => None,
        }
    }

    pub fn has_passcode(self) -> bool {
        self == Flag::P
    }
}

impl serde::Serialize for Flag {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_secrets_are_43_base64url_characters() {
        let id = ShareId::random().unwrap();
        assert_eq!(ShareId::parse(id.as_str()), Some(id.clone()));
        assert!(ShareId::parse("short").is_none());
        assert!(ShareId::parse(&"a".repeat(42)).is_none());
        assert!(ShareId::parse(&format!("{}=", "a".repeat(42))).is_none());
        let secret = Secret::random().unwrap();
        assert_eq!(format!("{secret:?}"), "Secret(…)", "never printed");
        assert_eq!(secret.hash(), Secret::presented(secret.reveal()).hash());
    }

    #[test]
    fn flags_round_trip_their_spelling() {
        for flag in [Flag::U, Flag::Manifest, Flag::P] {
            assert_eq!(Flag::parse(flag.as_str()), Some(flag));
        }
        assert_eq!(Flag::parse("UP"), None);
        assert_eq!(Flag::parse("L"), None);
    }
}
