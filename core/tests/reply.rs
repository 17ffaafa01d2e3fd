//! Replies: only the patient can read one, a reply made the way the viewer makes it (WebCrypto)
//! or by an independent JOSE library opens in core, and every share carries its own reply key.

mod common;

use chrono::Duration;
use common::{now, sample_binder};
use health_binder_core::reply::jwe::{self, PublicJwk, ReplyJweError, ReplyKey};
use health_binder_core::reply::{self, Reply};
use health_binder_core::share::{self, Hosted, ShareOptions};
use health_binder_core::{ips, jwe as link_jwe};

#[derive(serde::Deserialize)]
struct Vectors {
    recipient_d: String,
    recipient_public: PublicJwk,
    plaintext: String,
    viewer: String,
    jose: String,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("fixtures/reply/vectors.json")).unwrap()
}

#[test]
fn a_reply_made_with_webcrypto_as_the_viewer_makes_it_opens_in_core() {
    let v = vectors();
    let key = ReplyKey::from_stored(&v.recipient_d).unwrap();
    assert_eq!(key.public_jwk(), v.recipient_public);
    let (plain, cty) = key.decrypt(&v.viewer).unwrap();
    assert_eq!(String::from_utf8(plain).unwrap(), v.plaintext);
    assert_eq!(cty.as_deref(), Some(reply::CONTENT_TYPE));
    let reply = Reply::from_json(v.plaintext.as_bytes()).unwrap();
    assert_eq!(reply.orders, ["Metformin 1000 mg BID", "Stop simvastatin"]);
}

#[test]
fn a_reply_made_by_the_jose_library_opens_in_core() {
    let v = vectors();
    let key = ReplyKey::from_stored(&v.recipient_d).unwrap();
    let (plain, _) = key.decrypt(&v.jose).unwrap();
    assert_eq!(String::from_utf8(plain).unwrap(), v.plaintext);
}

#[test]
fn another_key_or_an_altered_reply_opens_nothing() {
    let v = vectors();
    assert_eq!(ReplyKey::generate().decrypt(&v.viewer), Err(ReplyJweError::Decrypt));
    let key = ReplyKey::from_stored(&v.recipient_d).unwrap();
    let mut parts: Vec<String> = v.viewer.split('.').map(String::from).collect();
    let mut ciphertext = health_binder_core::b64::decode(&parts[3]).unwrap();
    ciphertext[0] ^= 1;
    parts[3] = health_binder_core::b64::encode(ciphertext);
    assert_eq!(key.decrypt(&parts.join(".")), Err(ReplyJweError::Decrypt));
    // A share's link key (the symmetric key every link-holder has) is no key for a reply.
    assert!(link_jwe::decrypt(&[7u8; 32], &v.viewer).is_err());
}

fn options() -> ShareOptions {
    ShareOptions {
        sections: ips::SECTIONS.to_vec(),
        expires_at: now() + Duration::hours(1),
        label: None,
        label_in_link: false,
        passcode: None,
        max_uses: None,
        manifest: false,
        trends: Vec::new(),
    }
}

fn hosted() -> Hosted {
    Hosted {
        relay_id: "abc".into(),
        url: "https://relay.example/shl/abc".into(),
        management_secret: "secret".into(),
        viewer: "https://view.example/view".into(),
    }
}

#[test]
fn every_share_carries_a_fresh_reply_key_whose_private_half_stays_in_the_record() {
    let binder = sample_binder();
    let first = share::prepare(&binder, now(), options());
    let second = share::prepare(&binder, now(), options());
    let (jwe_a, jwe_b) = (first.jwe.clone(), second.jwe.clone());
    let (record_a, record_b) = (first.into_record(hosted(), now()), second.into_record(hosted(), now()));
    let document_key = |jwe: &str, record: &health_binder_core::model::ShareRecord| {
        let key = health_binder_core::b64::decode_array::<32>(&record.key).unwrap();
        let (plain, _) = link_jwe::decrypt(&key, jwe).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&plain).unwrap();
        let extension = &doc["entry"][0]["resource"]["extension"][0];
        assert_eq!(extension["url"], ips::REPLY_KEY_EXTENSION);
        ips::read_document(&doc).unwrap().reply_key.unwrap()
    };
    let (public_a, public_b) = (document_key(&jwe_a, &record_a), document_key(&jwe_b, &record_b));
    assert_ne!(public_a, public_b, "a fresh key per share");
    let private_a = ReplyKey::from_stored(record_a.reply_key.as_deref().unwrap()).unwrap();
    assert_eq!(private_a.public_jwk(), public_a);
    // A reply to share A opens with A's record and not with B's.
    let sent = jwe::encrypt(&public_a, b"{}", reply::CONTENT_TYPE).unwrap();
    assert!(private_a.decrypt(&sent).is_ok());
    let private_b = ReplyKey::from_stored(record_b.reply_key.as_deref().unwrap()).unwrap();
    assert_eq!(private_b.decrypt(&sent), Err(ReplyJweError::Decrypt));
}

#[test]
fn a_document_without_a_usable_reply_key_offers_no_reply() {
    let mut doc =
        ips::build_document(&sample_binder(), now(), &Default::default(), &health_binder_core::ips::Texts::ENGLISH);
    assert_eq!(ips::read_document(&doc).unwrap().reply_key, None, "the export carries none");
    doc["entry"][0]["resource"]["extension"] = serde_json::json!([{
        "url": ips::REPLY_KEY_EXTENSION,
        "valueString": r#"{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}"#,
    }]);
    assert_eq!(ips::read_document(&doc).unwrap().reply_key, None);
}

#[test]
fn a_forwarded_visit_travels_as_a_section_every_receiver_reads_as_text() {
    let reply = Reply {
        from: "Dr Grace Hopper, GP".into(),
        written_at: now(),
        orders: vec!["Metformin 1000 mg BID".into(), "Stop <b>simvastatin</b>".into()],
        follow_ups: vec!["See PCP within 7 days".into()],
        note: "Seen for dizziness.".into(),
        ..Reply::default()
    };
    let options = ips::DocumentOptions { forwarded: Some(reply::forwarded(&reply)), ..Default::default() };
    let doc = ips::build_document(&sample_binder(), now(), &options, &health_binder_core::ips::Texts::ENGLISH);
    let summary = ips::read_document(&doc).unwrap();
    let visit = summary.sections.iter().find(|s| s.title.starts_with("From the visit with Dr Grace Hopper")).unwrap();
    let headings: Vec<&str> = visit.lines.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(headings, ["Visit note", "Medication changes", "Follow-ups"]);
    assert_eq!(visit.lines[1].details[1].1, "Stop <b>simvastatin</b>", "read back as the text it was");
    let div = serde_json::to_string(&doc).unwrap();
    assert!(!div.contains("<b>simvastatin"), "escaped in the narrative");
}

#[test]
fn a_reply_opens_with_the_stored_key_and_only_as_a_reply() {
    let key = ReplyKey::generate();
    let stored = key.to_stored();
    let made = Reply {
        from: "Dr Grace Hopper, GP".into(),
        written_at: now(),
        note: "See you soon.".into(),
        ..Reply::default()
    };
    let jwe = jwe::encrypt(&key.public_jwk(), &made.to_json(), reply::CONTENT_TYPE).unwrap();
    assert_eq!(reply::open(&stored, &jwe).unwrap(), made);
    let other = ReplyKey::generate().to_stored();
    assert!(reply::open(&other, &jwe).unwrap_err().to_string().contains("not made for this share"));
    let not_a_reply =
        jwe::encrypt(&key.public_jwk(), b"{\"resourceType\":\"Bundle\"}", "application/fhir+json").unwrap();
    assert_eq!(reply::open(&stored, &not_a_reply), Err(reply::ReplyError::Unreadable));
}
