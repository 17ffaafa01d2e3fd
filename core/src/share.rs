//! Making a share: the patient's choices, the IPS snapshot encrypted under a fresh key ready to
//! upload, then — with what the relay answered — the record the vault keeps.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::i18n::fill;
use crate::ips::{DocumentOptions, Forwarded, SectionKind};
use crate::model::{Binder, ShareRecord};
use crate::msg;
use crate::reply::jwe::ReplyKey;
use crate::{b64, ips, jwe};

/// Longest label the SHL specification allows.
pub const MAX_LABEL: usize = 80;
/// Shortest passcode accepted: long enough that the relay's attempt budget makes guessing hopeless.
pub const MIN_PASSCODE: usize = 4;
/// The longest file a share uploads uncompressed: under the relay's default upload limit (1 MiB),
/// with room for the request's other fields. Larger ones are compressed (`zip: DEF`), which every
/// receiver we test reads; smaller ones are not, since some receivers cannot inflate.
pub const MAX_UNCOMPRESSED_JWE: usize = 1_000_000;

/// How long a link works, as offered: short for a phone shown at the desk, longer for a printout
/// or a clinic that reads it later. (A chosen last day is the other choice; the app works it out
/// in the patient's own time zone.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifetime {
    /// Stable code for the form's value.
    pub code: &'static str,
    pub minutes: i64,
    pub label: &'static str,
}

pub const LIFETIMES: [Lifetime; 4] = [
    Lifetime { code: "15m", minutes: 15, label: msg!("15 minutes") },
    Lifetime { code: "1h", minutes: 60, label: msg!("1 hour") },
    Lifetime { code: "24h", minutes: 24 * 60, label: msg!("24 hours") },
    Lifetime { code: "7d", minutes: 7 * 24 * 60, label: msg!("7 days") },
];

/// What the share form starts at: long enough for a visit, short enough not to linger.
pub const DEFAULT_LIFETIME: Lifetime = LIFETIMES[1];

impl Lifetime {
    /// The lifetime with `code`, or the default for anything else.
    pub fn from_code(code: &str) -> Self {
        LIFETIMES.into_iter().find(|l| l.code == code).unwrap_or(DEFAULT_LIFETIME)
    }

    pub fn expires_at(self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + chrono::Duration::minutes(self.minutes)
    }
}

/// What the patient chose for one share.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareOptions {
    /// The sections to include; the others are marked withheld in the document.
    pub sections: Vec<SectionKind>,
    pub expires_at: DateTime<Utc>,
    /// A short description. Always inside the encrypted document; in the link too (readable
    /// before opening, by anyone holding the link) only if `label_in_link`.
    pub label: Option<String>,
    pub label_in_link: bool,
    /// Makes a passcode (`P`) link: the receiver must type it, and the relay locks the link after
    /// a budget of wrong attempts.
    pub passcode: Option<String>,
    /// At most this many opens.
    pub max_uses: Option<u32>,
    /// A manifest link (no `U`), for receivers that only speak the manifest flow. Passcode links
    /// always are.
    pub manifest: bool,
    /// The vital signs whose trend goes along, in words and numbers (a weight or blood-pressure
    /// trend): a narrative section of their own, whether or not the vital signs are shared.
    pub trends: Vec<crate::trends::VitalKind>,
}

impl ShareOptions {
    /// The SHL flags: `P` with a passcode (which implies the manifest flow), else `U` unless the
    /// patient asked for a manifest link.
    pub fn flag(&self) -> &'static str {
        match (&self.passcode, self.manifest) {
            (Some(_), _) => "P",
            (None, true) => "",
            (None, false) => "U",
        }
    }

    /// Tidies the choices and says what is wrong with them, all at once (in English).
    pub fn validated(self, now: DateTime<Utc>) -> Result<Self, Vec<String>> {
        self.validated_in(now, &|text| text.to_owned())
    }

    /// [`Self::validated`], its problems in the reader's language: `words` translates a `msg!`
    /// text (a template: its `{placeholders}` are filled after translating).
    pub fn validated_in(
        mut self,
        now: DateTime<Utc>,
        words: &dyn Fn(&'static str) -> String,
    ) -> Result<Self, Vec<String>> {
        self.label = self.label.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty());
        self.passcode = self.passcode.filter(|p| !p.is_empty());
        let mut problems = Vec::new();
        if self.sections.is_empty() {
            problems.push(words(msg!("Choose at least one section to share.")));
        }
        if self.label.as_ref().is_some_and(|l| l.chars().count() > MAX_LABEL) {
            problems
                .push(fill(&words(msg!("Keep the label to {max} characters.")), &[("max", &MAX_LABEL.to_string())]));
        }
        if self.label.is_none() {
            self.label_in_link = false;
        }
        if self.passcode.as_ref().is_some_and(|p| p.chars().count() < MIN_PASSCODE) {
            problems.push(fill(
                &words(msg!("A passcode needs at least {min} characters.")),
                &[("min", &MIN_PASSCODE.to_string())],
            ));
        }
        if self.max_uses == Some(0) {
            problems.push(words(msg!("Allow at least one opening.")));
        }
        if self.expires_at <= now + chrono::Duration::minutes(1) {
            problems.push(words(msg!("The link must work for at least a few minutes: choose a later date.")));
        }
        if problems.is_empty() { Ok(self) } else { Err(problems) }
    }
}

/// The label of the wallet card's long-lived share: inside the encrypted document only (never in
/// the link, which stays short for the QR code). It is how the patient recognises the share in
/// "Your shares", and how the app finds it again to renew or revoke it.
pub const WALLET_LABEL: &str = "Emergency wallet card";

/// What the wallet card's link opens: the sections an emergency room needs first (with the
/// patient's name, date of birth and contacts, which every document carries).
pub const WALLET_SECTIONS: [SectionKind; 3] = [ips::ALLERGIES, ips::MEDICATIONS, ips::PROBLEMS];

/// The wallet card's share: no passcode (in an emergency nobody knows it), no use limit, a direct
/// (`U`) link, until `expires_at`.
pub fn wallet_options(expires_at: DateTime<Utc>) -> ShareOptions {
    ShareOptions {
        sections: WALLET_SECTIONS.to_vec(),
        expires_at,
        label: Some(WALLET_LABEL.to_owned()),
        label_in_link: false,
        passcode: None,
        max_uses: None,
        manifest: false,
        trends: Vec::new(),
    }
}

/// The expiry to ask for when a link should last as long as the relay allows: its longest
/// lifetime from its own clock (the device's may be off), less a minute for the request's travel.
pub fn longest_expiry(relay_now: i64, max_ttl_secs: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(relay_now + max_ttl_secs - 60, 0)
}

/// The wallet card's share still live, newest first made, if any.
pub fn wallet_share(binder: &Binder, now: DateTime<Utc>) -> Option<&ShareRecord> {
    binder.shares.iter().rev().find(|s| s.label.as_deref() == Some(WALLET_LABEL) && s.is_live(now))
}

/// An encrypted snapshot not yet uploaded. Only `jwe`, the expiry and the relay-side settings go
/// to the relay; the key stays here.
pub struct PreparedShare {
    pub jwe: String,
    pub options: ShareOptions,
    key: Zeroizing<[u8; 32]>,
    /// The private half of the key replies come encrypted to; its public half is in the document.
    reply_key: ReplyKey,
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

pub fn prepare(binder: &Binder, now: DateTime<Utc>, options: ShareOptions) -> PreparedShare {
    prepare_with(binder, now, options, None)
}

/// [`prepare`], passing on what came back from a visit (`forwarded`) in a section of its own.
pub fn prepare_with(
    binder: &Binder,
    now: DateTime<Utc>,
    options: ShareOptions,
    forwarded: Option<Forwarded>,
) -> PreparedShare {
    prepare_with_taking(binder, now, options, forwarded, Vec::new(), &ips::Texts::ENGLISH)
}

/// [`prepare_with`], with how the patient has been taking each medication (`doses::taking_lines`)
/// when they chose to include it, the document written in `texts`' language (the patient's).
pub fn prepare_with_taking(
    binder: &Binder,
    now: DateTime<Utc>,
    options: ShareOptions,
    forwarded: Option<Forwarded>,
    taking: Vec<(Uuid, String)>,
    texts: &ips::Texts,
) -> PreparedShare {
    let key = Zeroizing::new(crate::random::bytes::<32>());
    let reply_key = ReplyKey::generate();
    let document = DocumentOptions {
        sections: options.sections.clone(),
        title: options.label.clone(),
        reply_key: Some(reply_key.public_jwk()),
        forwarded,
        taking,
        trends: options.trends.clone(),
        ..DocumentOptions::default()
    };
    let json =
        Zeroizing::new(serde_json::to_vec(&ips::build_document(binder, now, &document, texts)).expect("serializes"));
    let mut file = jwe::encrypt(&key, &json, ips::MIME_FHIR_JSON);
    if file.len() > MAX_UNCOMPRESSED_JWE {
        file = jwe::encrypt_deflated(&key, &json, ips::MIME_FHIR_JSON);
    }
    PreparedShare { jwe: file, options, key, reply_key }
}

impl PreparedShare {
    pub fn into_record(self, hosted: Hosted, now: DateTime<Utc>) -> ShareRecord {
        let options = self.options;
        ShareRecord {
            relay_id: hosted.relay_id,
            url: hosted.url,
            key: b64::encode(*self.key),
            management_secret: hosted.management_secret,
            created_at: now,
            expires_at: options.expires_at,
            flag: options.flag().into(),
            label: options.label.clone(),
            label_in_link: options.label_in_link,
            viewer: hosted.viewer,
            revoked_at: None,
            sections: options.sections.iter().map(|s| s.loinc.to_owned()).collect(),
            passcode: options.passcode,
            max_uses: options.max_uses,
            reply_key: Some(self.reply_key.to_stored()),
            replies: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn lifetimes_are_offered_shortest_first_with_one_hour_by_default() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        assert!(LIFETIMES.windows(2).all(|w| w[0].minutes < w[1].minutes));
        assert_eq!(DEFAULT_LIFETIME.label, "1 hour");
        assert_eq!(Lifetime::from_code("7d").expires_at(now), now + chrono::Duration::days(7));
        assert_eq!(Lifetime::from_code("nonsense"), DEFAULT_LIFETIME);
    }

    #[test]
    fn the_wallet_card_share_is_long_lived_short_linked_and_found_again() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        // The relay's clock runs 10 minutes ahead of this device's; it allows 31 days.
        let relay_now = now.timestamp() + 600;
        let until = longest_expiry(relay_now, 31 * 86_400).unwrap();
        assert_eq!(until.timestamp(), relay_now + 31 * 86_400 - 60);
        let options = wallet_options(until).validated(now).unwrap();
        assert_eq!((options.flag(), options.label_in_link), ("U", false));

        let mut binder = Binder::new("Ada", now);
        assert!(wallet_share(&binder, now).is_none());
        let hosted = |id: &str| Hosted {
            relay_id: id.into(),
            url: format!("https://relay.example/shl/{id}"),
            management_secret: "secret".into(),
            viewer: "https://viewer.example/view".into(),
        };
        for id in ["old", "new"] {
            let record = prepare(&binder, now, wallet_options(until)).into_record(hosted(id), now);
            binder.add_share(record, now);
        }
        let ordinary = prepare(&binder, now, wallet_options(until)).into_record(hosted("other"), now);
        binder.add_share(ShareRecord { label: Some("For Dr Patel".into()), ..ordinary }, now);
        assert_eq!(wallet_share(&binder, now).map(|s| s.relay_id.as_str()), Some("new"));
        binder.mark_share_revoked("new", now).unwrap();
        assert_eq!(wallet_share(&binder, now).map(|s| s.relay_id.as_str()), Some("old"));
        assert!(wallet_share(&binder, until).is_none(), "an expired one is no card's link");
        // The label stays out of the link, which the QR code carries.
        let link = binder.shares[0].link();
        assert_eq!(crate::shl::decode(&link).unwrap().label, None);
    }
}
