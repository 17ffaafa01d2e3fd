//! Making a share: the IPS snapshot encrypted under a fresh key, ready to upload; then, with what
//! the relay answered, the record the vault keeps.

use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

use crate::model::{Binder, ShareRecord};
use crate::{b64, ips, jwe};

/// The SHL flag of a direct-file link: `GET url?recipient=…` returns the encrypted file.
pub const FLAG_DIRECT_FILE: &str = "U";

/// An encrypted snapshot not yet uploaded. Only `jwe` and `expires_at` go to the relay.
pub struct PreparedShare {
    pub jwe: String,
    pub expires_at: DateTime<Utc>,
    key: Zeroizing<[u8; 32]>,
}

/// What the relay answered to the upload.
pub struct Hosted {
    pub relay_id: String,
    /// The absolute SHL `url`.
    pub url: String,
    pub management_secret: String,
    /// The viewer address the link opens in.
    pub viewer: String,
}

pub fn prepare(binder: &Binder, now: DateTime<Utc>, expires_at: DateTime<Utc>) -> PreparedShare {
    let key = Zeroizing::new(crate::random::bytes::<32>());
    let document =
        Zeroizing::new(serde_json::to_vec(&ips::build_document(binder, now)).expect("a document serializes"));
    PreparedShare { jwe: jwe::encrypt(&key, &document, ips::MIME_FHIR_JSON), expires_at, key }
}

impl PreparedShare {
    pub fn into_record(self, hosted: Hosted, now: DateTime<Utc>) -> ShareRecord {
        ShareRecord {
            relay_id: hosted.relay_id,
            url: hosted.url,
            key: b64::encode(*self.key),
            management_secret: hosted.management_secret,
            created_at: now,
            expires_at: self.expires_at,
            label: None,
            flag: FLAG_DIRECT_FILE.into(),
            viewer: hosted.viewer,
            revoked_at: None,
        }
    }
}
