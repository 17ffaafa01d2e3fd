//! SMART Health Links (HL7 SMART Health Cards and Links IG, STU1): `shlink:/` followed by the
//! base64url of a small JSON payload, usually behind a viewer's address in the URL fragment —
//! which browsers never send to a server, so the key never leaves the two devices.

use serde::{Deserialize, Serialize};

use crate::b64;
use crate::msg;
use crate::said::Said;

pub mod receive;

pub const SCHEME: &str = "shlink:/";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShlPayload {
    /// Where the (encrypted) content lives.
    pub url: String,
    /// 32 random bytes, base64url: 43 characters.
    pub key: String,
    /// Expiry hint, seconds since the epoch. The relay enforces its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// Flags in alphabetical order: `L`ong-term, `P`asscode, `U` direct file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<u32>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("This is not a SMART Health Link.")]
    NotAShlink,
    /// What is wrong with it: a `msg!` text.
    #[error("This link is damaged: {0}. Ask for a new one.")]
    Damaged(&'static str),
}

impl LinkError {
    /// The reason as a sentence the viewer writes in the clinician's language.
    pub fn said(&self) -> Said {
        match self {
            Self::NotAShlink => Said::new(msg!("This is not a SMART Health Link.")),
            Self::Damaged(why) => Said::new(msg!("This link is damaged: {why}. Ask for a new one.")).fixed("why", why),
        }
    }
}

impl ShlPayload {
    pub fn has_flag(&self, flag: char) -> bool {
        self.flag.as_deref().is_some_and(|f| f.contains(flag))
    }

    /// Whether the link says it has expired at `now` (seconds since the epoch): then it is not
    /// even tried. A link without `exp` never says so; the server decides.
    pub fn has_expired(&self, now: i64) -> bool {
        self.exp.is_some_and(|exp| exp <= now)
    }

    pub fn key_bytes(&self) -> Result<[u8; 32], LinkError> {
        b64::decode_array(&self.key).ok_or(LinkError::Damaged(msg!("its key is not 32 bytes of base64url")))
    }

    pub fn to_shlink(&self) -> String {
        format!("{SCHEME}{}", b64::encode(serde_json::to_vec(self).expect("payload serializes")))
    }
}

/// `https://viewer/path#shlink:/…`: opens our viewer, or any SHL-aware app that strips the prefix.
pub fn viewer_link(viewer: &str, payload: &ShlPayload) -> String {
    format!("{viewer}#{}", payload.to_shlink())
}

/// Reads a link in any of its forms: bare `shlink:/…`, or behind a viewer address and `#`.
pub fn decode(link: &str) -> Result<ShlPayload, LinkError> {
    let link = link.trim();
    let encoded = match link.find(SCHEME) {
        Some(at) if at == 0 || link[..at].ends_with('#') => &link[at + SCHEME.len()..],
        _ => return Err(LinkError::NotAShlink),
    };
    let json = b64::decode(encoded).map_err(|_| LinkError::Damaged(msg!("it is not base64url")))?;
    let payload: ShlPayload =
        serde_json::from_slice(&json).map_err(|_| LinkError::Damaged(msg!("its contents are not readable")))?;
    payload.key_bytes()?;
    if !(payload.url.starts_with("https://") || payload.url.starts_with("http://")) {
        return Err(LinkError::Damaged(msg!("it does not say where the record is")));
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(key: &str) -> ShlPayload {
        ShlPayload {
            url: "https://relay.example/shl/abc".into(),
            key: key.into(),
            exp: Some(1_800_000_000),
            flag: Some("U".into()),
            label: None,
            v: None,
        }
    }

    #[test]
    fn round_trips_keys_with_url_safe_characters() {
        // fb ef be encodes to `----` and ff ff ff to `____`: the characters that receivers
        // decoding keys with `atob` got wrong.
        let mut bytes = [1u8; 32];
        bytes[..6].copy_from_slice(&[0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff]);
        let key = b64::encode(bytes);
        assert!(key.contains('-') && key.contains('_'));
        let link = viewer_link("https://relay.example/view", &payload(&key));
        assert!(link.starts_with("https://relay.example/view#shlink:/"));
        let back = decode(&link).unwrap();
        assert_eq!(back, payload(&key));
        assert_eq!(back.key_bytes().unwrap(), bytes);
        assert_eq!(decode(&payload(&key).to_shlink()).unwrap(), back);
    }

    #[test]
    fn payload_json_is_minimal_and_as_specified() {
        let key = b64::encode([9u8; 32]);
        let json = serde_json::to_string(&payload(&key)).unwrap();
        assert_eq!(
            json,
            format!(r#"{{"url":"https://relay.example/shl/abc","key":"{key}","exp":1800000000,"flag":"U"}}"#)
        );
    }

    #[test]
    fn damaged_links_say_so() {
        assert_eq!(decode("https://example.com/"), Err(LinkError::NotAShlink));
        assert_eq!(decode("https://x/#shlink:/%%%"), Err(LinkError::Damaged("it is not base64url")));
        let short_key = payload(&b64::encode([1u8; 16])).to_shlink();
        assert!(matches!(decode(&short_key), Err(LinkError::Damaged(_))));
    }
}
