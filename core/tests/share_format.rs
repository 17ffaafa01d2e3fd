//! The share as a receiver sees it: an SHL whose file decrypts to an IPS document that lists the
//! patient's medications — and says plainly what it does not know.

mod common;

use common::{now, sample_binder};
use health_binder_core::ips::{self, SectionState};
use health_binder_core::model::MedicationKind;
use health_binder_core::{b64, jwe, shl};

#[test]
fn ips_document_has_the_required_shape() {
    let binder = sample_binder();
    let doc = ips::build_document(&binder, now(), &Default::default(), &health_binder_core::ips::Texts::ENGLISH);
    assert_eq!(doc["type"], "document");
    let entries = doc["entry"].as_array().unwrap();
    assert_eq!(entries[0]["resource"]["resourceType"], "Composition");
    assert_eq!(entries[0]["resource"]["type"]["coding"][0]["code"], "60591-5");
    assert!(entries.iter().all(|e| e["fullUrl"].as_str().unwrap().starts_with("urn:uuid:")));
    assert_eq!(entries.iter().filter(|e| e["resource"]["resourceType"] == "Patient").count(), 1);
    let codes: Vec<&str> = entries[0]["resource"]["section"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"]["coding"][0]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["48765-2", "10160-0", "sbar", "11450-4"], "the three IPS requires, and the SBAR hand-off");
    // Stable entry ids travel as urn:uuids, so a receiver can match them across shares.
    let first_med = binder.medications[0].id();
    assert!(entries.iter().any(|e| e["fullUrl"] == format!("urn:uuid:{first_med}")));
}

#[test]
fn a_reader_sees_every_medication_and_no_false_no_known_allergies() {
    let doc =
        ips::build_document(&sample_binder(), now(), &Default::default(), &health_binder_core::ips::Texts::ENGLISH);
    let summary = ips::read_document(&doc).unwrap();
    assert_eq!(summary.patient_name.as_deref(), Some("Ada Lovelace"));
    let lines: Vec<(String, String, String)> =
        summary.medications.iter().map(|m| (m.name.clone(), m.dose.clone(), m.frequency.clone())).collect();
    assert_eq!(
        lines,
        [
            ("Metformin 500 mg".into(), "1 tablet".into(), "twice a day".into()),
            ("Ibuprofen 200 mg".into(), "2 tablet".into(), "as needed, at most 3 a day".into()),
            ("Vitamin D3 1000 IU".into(), "".into(), "once a week".into()),
        ]
    );
    assert_eq!(summary.medications[1].kind, Some(MedicationKind::OverTheCounter));
    assert_eq!(summary.medications[0].reason, "Type 2 diabetes");
    let allergies = summary.section(ips::ALLERGIES).unwrap();
    assert_eq!(allergies.state, SectionState::Empty { reason: Some("unavailable".into()) });
}

#[test]
fn markup_typed_by_the_patient_stays_text_in_the_narrative() {
    let mut binder = sample_binder();
    binder.medications[0].data.name = "<script>alert(1)</script>".into();
    let doc = ips::build_document(&binder, now(), &Default::default(), &health_binder_core::ips::Texts::ENGLISH);
    let div = doc["entry"][0]["resource"]["section"][1]["text"]["div"].as_str().unwrap();
    assert!(div.contains("&lt;script&gt;") && !div.contains("<script>"));
}

#[test]
fn the_shared_file_decrypts_with_the_link_key_only() {
    let key = health_binder_core::random::bytes::<32>();
    let doc =
        ips::build_document(&sample_binder(), now(), &Default::default(), &health_binder_core::ips::Texts::ENGLISH);
    let file = jwe::encrypt(&key, &serde_json::to_vec(&doc).unwrap(), ips::MIME_FHIR_JSON);
    let payload = shl::ShlPayload {
        url: "https://relay.example/shl/x".into(),
        key: b64::encode(key),
        exp: Some(now().timestamp() + 3600),
        flag: Some("U".into()),
        label: None,
        v: None,
    };
    let link = shl::viewer_link("https://relay.example/view", &payload);
    let read_back = shl::decode(&link).unwrap();
    let (plain, cty) = jwe::decrypt(&read_back.key_bytes().unwrap(), &file).unwrap();
    assert_eq!(cty.as_deref(), Some("application/fhir+json"));
    let summary = ips::read_document(&serde_json::from_slice(&plain).unwrap()).unwrap();
    assert_eq!(summary.medications.len(), 3);
    assert!(jwe::decrypt(&[0u8; 32], &file).is_err());
}

#[test]
fn a_section_not_chosen_is_withheld_never_empty() {
    let options = ips::DocumentOptions {
        sections: vec![ips::ALLERGIES, ips::PROBLEMS],
        title: Some("For the pharmacist".into()),
        ..Default::default()
    };
    let doc = ips::build_document(&sample_binder(), now(), &options, &health_binder_core::ips::Texts::ENGLISH);
    let summary = ips::read_document(&doc).unwrap();
    assert!(summary.medications.is_empty(), "no medication travels when the section is withheld");
    let medications = summary.section(ips::MEDICATIONS).unwrap();
    assert_eq!(medications.state, SectionState::Empty { reason: Some("withheld".into()) });
    assert_eq!(summary.title.as_deref(), Some("For the pharmacist"));
    assert!(!serde_json::to_string(&doc).unwrap().contains("Metformin"));
}

mod options {
    use super::common::now;
    use health_binder_core::ips;
    use health_binder_core::share::ShareOptions;

    fn options() -> ShareOptions {
        ShareOptions {
            sections: ips::SECTIONS.to_vec(),
            expires_at: now() + chrono::Duration::hours(1),
            label: Some("  For Dr Patel  ".into()),
            label_in_link: false,
            passcode: None,
            max_uses: None,
            manifest: false,
            trends: Vec::new(),
        }
    }

    #[test]
    fn flags_follow_the_choices() {
        assert_eq!(options().flag(), "U");
        assert_eq!(ShareOptions { manifest: true, ..options() }.flag(), "");
        assert_eq!(ShareOptions { passcode: Some("4711".into()), ..options() }.flag(), "P");
    }

    #[test]
    fn choices_are_checked_all_at_once() {
        assert_eq!(options().validated(now()).unwrap().label.as_deref(), Some("For Dr Patel"));
        let bad = ShareOptions {
            sections: vec![],
            label: Some("x".repeat(81)),
            passcode: Some("12".into()),
            max_uses: Some(0),
            expires_at: now(),
            ..options()
        };
        assert_eq!(bad.validated(now()).unwrap_err().len(), 5);
    }
}

#[test]
fn the_label_is_in_the_link_only_when_the_patient_wants_it_there() {
    use health_binder_core::share::{self, Hosted, ShareOptions};
    let binder = sample_binder();
    let make = |label_in_link| {
        let options = ShareOptions {
            sections: ips::SECTIONS.to_vec(),
            expires_at: now() + chrono::Duration::hours(1),
            label: Some("Cardiology visit".into()),
            label_in_link,
            passcode: None,
            max_uses: None,
            manifest: false,
            trends: Vec::new(),
        };
        let hosted = Hosted {
            relay_id: "r".into(),
            url: "https://relay.example/shl/r".into(),
            management_secret: "s".into(),
            viewer: "https://relay.example/view".into(),
        };
        share::prepare(&binder, now(), options).into_record(hosted, now())
    };
    assert_eq!(shl::decode(&make(false).link()).unwrap().label, None);
    assert_eq!(shl::decode(&make(true).link()).unwrap().label.as_deref(), Some("Cardiology visit"));
}

#[test]
fn an_empty_medication_list_is_not_a_claim_of_no_medications() {
    let binder = health_binder_core::Binder::new("Ada", now());
    let summary = ips::read_document(&ips::build_document(
        &binder,
        now(),
        &Default::default(),
        &health_binder_core::ips::Texts::ENGLISH,
    ))
    .unwrap();
    let medications = summary.section(ips::MEDICATIONS).unwrap();
    assert_eq!(medications.state, SectionState::Empty { reason: Some("unavailable".into()) });
}

#[test]
fn no_known_allergies_keeps_one_id_across_documents() {
    let mut binder = health_binder_core::Binder::new("Ada", now());
    binder.confirm_no_known_allergies(now()).unwrap();
    let nka_ids = |doc: &serde_json::Value| -> Vec<String> {
        doc["entry"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["resource"]["resourceType"] == "AllergyIntolerance")
            .map(|e| e["fullUrl"].as_str().unwrap().to_owned())
            .collect()
    };
    let first =
        nka_ids(&ips::build_document(&binder, now(), &Default::default(), &health_binder_core::ips::Texts::ENGLISH));
    let second = nka_ids(&ips::build_document(
        &binder,
        now() + chrono::Duration::days(30),
        &Default::default(),
        &health_binder_core::ips::Texts::ENGLISH,
    ));
    assert_eq!(first.len(), 1);
    assert_eq!(first, second, "the same statement, the same id");
    let other = health_binder_core::Binder::new("Bob", now());
    assert_ne!(ips::no_known_allergy_id(other.id), ips::no_known_allergy_id(binder.id));
}

#[test]
fn a_share_too_large_to_upload_plain_is_compressed_and_a_small_one_is_not() {
    let options = || health_binder_core::share::ShareOptions {
        sections: ips::SECTIONS.to_vec(),
        expires_at: now() + chrono::Duration::hours(1),
        label: None,
        label_in_link: false,
        passcode: None,
        max_uses: None,
        manifest: false,
        trends: Vec::new(),
    };
    let zip = |jwe: &str| {
        let header: serde_json::Value =
            serde_json::from_slice(&b64::decode(jwe.split('.').next().unwrap()).unwrap()).unwrap();
        header.get("zip").cloned()
    };
    let small = health_binder_core::share::prepare(&sample_binder(), now(), options());
    assert_eq!(zip(&small.jwe), None, "receivers that cannot inflate still read a typical share");

    let mut large = sample_binder();
    for i in 0..1_200 {
        let med = health_binder_core::model::Medication {
            name: format!("Medication number {i}"),
            reason: "A reason long enough to make the document large. ".repeat(12),
            ..common::metformin()
        };
        large.add_medication(med, now()).unwrap();
    }
    let prepared = health_binder_core::share::prepare(&large, now(), options());
    assert_eq!(zip(&prepared.jwe), Some(serde_json::json!("DEF")));
    assert!(prepared.jwe.len() <= health_binder_core::share::MAX_UNCOMPRESSED_JWE, "{} bytes", prepared.jwe.len());
    let jwe = prepared.jwe.clone();
    let record = prepared.into_record(
        health_binder_core::share::Hosted {
            relay_id: "a".into(),
            url: "https://relay.example/shl/a".into(),
            management_secret: "s".into(),
            viewer: "https://view.example/view".into(),
        },
        now(),
    );
    let (plain, _) = jwe::decrypt(&b64::decode_array(&record.key).unwrap(), &jwe).unwrap();
    let summary = ips::read_document(&serde_json::from_slice(&plain).unwrap()).unwrap();
    assert_eq!(summary.medications.len(), 1_203);
}
