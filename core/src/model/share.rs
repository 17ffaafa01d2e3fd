//! What the vault remembers of each share, so the patient can list, revoke and audit it later —
//! including after restoring a backup on another device.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::reply::Reply;
use crate::shl::ShlPayload;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareRecord {
    /// The relay's id for the share (the last path segment of `url`).
    pub relay_id: String,
    /// The SHL `url` the receiver fetches.
    pub url: String,
    /// The SHL `key`: 32 random bytes, base64url. Lives only here and in the link's fragment.
    pub key: String,
    /// Authorises managing the share at the relay, which keeps only its hash.
    pub management_secret: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub expires_at: DateTime<Utc>,
    /// Also inside the encrypted document; in the link itself only when `label_in_link`.
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub label_in_link: bool,
    /// The SHL flags, e.g. "U".
    pub flag: String,
    /// The address of the viewer the link opens in (`https://relay/view`).
    pub viewer: String,
    /// When the patient revoked it; `None` while it may still be open.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// LOINC codes of the IPS sections included (the others were marked withheld).
    #[serde(default)]
    pub sections: Vec<String>,
    /// Kept so the patient can tell it to the clinician again.
    #[serde(default)]
    pub passcode: Option<String>,
    #[serde(default)]
    pub max_uses: Option<u32>,
    /// The private half (P-256 scalar, base64url) of the key the share's replies are encrypted
    /// to; the public half is inside the shared document. `None` for shares made before replies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_key: Option<String>,
    /// Replies fetched from the relay and decrypted, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replies: Vec<ReceivedReply>,
}

/// A reply kept in the vault: what the clinician sent (unverified: anyone holding the link could
/// have posted it) and whether the patient has reviewed it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceivedReply {
    /// The relay's id for it.
    pub relay_id: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub received_at: DateTime<Utc>,
    pub content: Reply,
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub reviewed_at: Option<DateTime<Utc>>,
}

impl ShareRecord {
    pub fn payload(&self) -> ShlPayload {
        ShlPayload {
            url: self.url.clone(),
            key: self.key.clone(),
            exp: Some(self.expires_at.timestamp()),
            // Always written, empty for a plain manifest link: the spec makes it optional, but the
            // HL7 connectathon IPS viewer reads `flag` without checking it is there and throws.
            flag: Some(self.flag.clone()),
            label: self.label.clone().filter(|_| self.label_in_link),
            v: None,
        }
    }

    /// The link the QR code and the copy button carry: viewer address, then the SHL in the fragment.
    pub fn link(&self) -> String {
        crate::shl::viewer_link(&self.viewer, &self.payload())
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires_at
    }

    /// Whether the link may still open, as far as this device knows (the relay has the last word).
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && !self.is_expired(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn record(flag: &str) -> ShareRecord {
        let at = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        ShareRecord {
            relay_id: "abc".into(),
            url: "https://relay.example/shl/abc".into(),
            key: crate::b64::encode([7u8; 32]),
            management_secret: "secret".into(),
            created_at: at,
            expires_at: at + chrono::Duration::hours(1),
            label: None,
            label_in_link: false,
            flag: flag.into(),
            viewer: "https://relay.example/view".into(),
            revoked_at: None,
            sections: Vec::new(),
            passcode: None,
            max_uses: None,
            reply_key: None,
            replies: Vec::new(),
        }
    }

    #[test]
    fn every_link_writes_its_flag_even_when_empty() {
        // Receivers that read `flag` without checking (the connectathon IPS viewer) must not throw.
        let json = |flag| {
            let payload = record(flag).payload();
            let bytes = crate::b64::decode(payload.to_shlink().trim_start_matches(crate::shl::SCHEME)).unwrap();
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()
        };
        assert_eq!(json("")["flag"], "", "a manifest link");
        assert_eq!(json("U")["flag"], "U");
        assert_eq!(json("P")["flag"], "P");
        let decoded = crate::shl::decode(&record("").link()).unwrap();
        assert!(!decoded.has_flag('U') && !decoded.has_flag('P'));
    }
}
