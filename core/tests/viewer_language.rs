//! The viewer speaks the clinician's language (their browser's), whatever language the document
//! is in: why a link did not open, the fixed words and dates its reader adds to the entries, and
//! which title it leaves out (this app's default one, in any language).

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use health_binder_core::i18n::Catalogue;
use health_binder_core::ips::{self, DocumentOptions, Texts};
use health_binder_core::jwe::JweError;
use health_binder_core::model::{Binder, Medication, Source};
use health_binder_core::printout::Wording;
use health_binder_core::shl::receive::{Limit, ReceiveError};
use health_binder_core::shl::{self, LinkError};
use serde_json::{Value, json};

fn spanish() -> Catalogue {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../locales/es.txt");
    Catalogue::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The viewer's wording in Spanish, as the app builds it (dates here from the catalogue, where
/// the app uses the browser's `Intl`).
fn in_spanish<R>(es: &Catalogue, read: impl FnOnce(&Wording) -> R) -> R {
    Texts::new("es", Some(es)).with_wording(read)
}

#[test]
fn why_a_link_did_not_open_reads_in_the_clinicians_language() {
    let es = spanish();
    in_spanish(&es, |w| {
        assert_eq!(
            ReceiveError::Inactive.said().text(w),
            "Este enlace ya no está activo: ha caducado o se ha revocado. Pida al paciente que le muestre un código QR nuevo."
        );
        assert_eq!(
            ReceiveError::WrongPasscode { remaining: Some(3) }.said().text(w),
            "Ese código de acceso no es correcto. Quedan 3 intentos antes de que el enlace se bloquee."
        );
        assert_eq!(
            ReceiveError::TooLarge(Limit::Files).said().text(w),
            "El expediente compartido es demasiado grande para este visor (más de 16 archivos). Pida al paciente que comparta menos."
        );
        assert_eq!(
            ReceiveError::Undecryptable(JweError::Decrypt).said().text(w),
            "No se pudo abrir el expediente: no se pudo descifrar el archivo compartido: clave incorrecta o contenido alterado."
        );
        let damaged = shl::decode("https://x/#shlink:/%%%").unwrap_err();
        assert_eq!(damaged.said().text(w), "Este enlace está dañado: no está en base64url. Pida uno nuevo.");
        assert_eq!(LinkError::NotAShlink.said().text(w), "Esto no es un SMART Health Link.");
        // The server's own words are its own.
        assert_eq!(ReceiveError::Refused("Too many requests".into()).said().text(w), "Too many requests");
        assert_eq!(ReceiveError::Status(503).said().text(w), "El servidor respondió con un error (503).");
    });
    // In English, the same sentences as the errors' own text.
    for e in [
        ReceiveError::Inactive,
        ReceiveError::WrongPasscode { remaining: Some(1) },
        ReceiveError::WrongPasscode { remaining: None },
        ReceiveError::TooLarge(Limit::Decompressed),
        ReceiveError::Undecryptable(JweError::Unsupported("RSA-OAEP".into())),
        ReceiveError::Link(LinkError::Damaged("it is not base64url")),
        ReceiveError::Status(500),
    ] {
        assert_eq!(e.said().english(), e.to_string());
    }
}

/// A document from another sender: a contact without a coded role, a yes/no result, a condition
/// over a period, a medication twice a day.
fn foreign_document(title: &str) -> Value {
    json!({
        "resourceType": "Bundle",
        "type": "document",
        "entry": [
            { "fullUrl": "urn:c", "resource": { "resourceType": "Composition", "title": title, "section": [
                { "title": "Problems", "code": { "coding": [{ "system": "http://loinc.org", "code": ips::PROBLEMS.loinc }] },
                  "entry": [{ "reference": "urn:cond" }] },
                { "title": "Results", "code": { "coding": [{ "system": "http://loinc.org", "code": ips::RESULTS.loinc }] },
                  "entry": [{ "reference": "urn:obs" }] }
            ] } },
            { "fullUrl": "urn:p", "resource": { "resourceType": "Patient", "name": [{ "text": "Ada Lovelace" }],
              "contact": [{ "name": { "text": "Byron" }, "relationship": [{ "text": "Father" }],
                            "telecom": [{ "system": "phone", "value": "+44 20 7946 0000" }] }] } },
            { "fullUrl": "urn:cond", "resource": { "resourceType": "Condition", "code": { "text": "Measles" },
              "onsetPeriod": { "start": "2026-03-14", "end": "2026-03-28" } } },
            { "fullUrl": "urn:obs", "resource": { "resourceType": "Observation", "code": { "text": "Pregnant" },
              "valueBoolean": false, "effectiveDateTime": "2026-03-01T09:30:00+01:00" } },
            { "fullUrl": "urn:m", "resource": { "resourceType": "MedicationStatement",
              "medicationCodeableConcept": { "text": "Metformin" },
              "dosage": [{ "timing": { "repeat": { "frequency": 2, "period": 1, "periodUnit": "d" } } }] } }
        ]
    })
}

#[test]
fn the_readers_own_words_and_dates_read_in_the_clinicians_language() {
    let es = spanish();
    let doc = foreign_document("Referral letter");
    let summary = in_spanish(&es, |w| ips::read_document_in(&doc, w)).unwrap();
    assert_eq!(summary.contacts, ["Contacto: Byron (Father), +44 20 7946 0000"]);
    let condition = &summary.section(ips::PROBLEMS).unwrap().lines[0];
    assert_eq!(condition.detail("Since"), Some("del 14 de marzo de 2026 al 28 de marzo de 2026"));
    let result = &summary.section(ips::RESULTS).unwrap().lines[0];
    assert_eq!(result.detail("Result"), Some("No"));
    assert_eq!(result.detail("Date"), Some("1 de marzo de 2026, 09:30"));
    assert_eq!(summary.medications[0].frequency, "dos veces al día");

    // English, as before: the same details in the code's words.
    let summary = ips::read_document(&doc).unwrap();
    assert_eq!(summary.contacts, ["Contact: Byron (Father), +44 20 7946 0000"]);
    let condition = &summary.section(ips::PROBLEMS).unwrap().lines[0];
    assert_eq!(condition.detail("Since"), Some("14 March 2026 to 28 March 2026"));
    assert_eq!(summary.medications[0].frequency, "twice a day");
}

#[test]
fn the_default_title_is_left_out_in_any_language_and_another_title_is_shown() {
    let es = spanish();
    let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
    let mut binder = Binder::new("Ada Lovelace", now);
    binder.add(Medication { name: "Metformin".into(), ..Medication::default() }, Source::Patient, now).unwrap();
    let spanish_texts = Texts::new("es", Some(&es));
    for texts in [Texts::ENGLISH, spanish_texts] {
        let doc = ips::build_document(&binder, now, &DocumentOptions::default(), &texts);
        let summary = ips::read_document(&doc).unwrap();
        assert!(summary.title.is_some());
        assert_eq!(summary.own_title(), None, "{:?} is this app's default", summary.title);
        let named = DocumentOptions { title: Some("Before my knee surgery".into()), ..Default::default() };
        let summary = ips::read_document(&ips::build_document(&binder, now, &named, &texts)).unwrap();
        assert_eq!(summary.own_title(), Some("Before my knee surgery"));
    }
    // Another sender's title is shown; an English default made before the mark is not.
    assert_eq!(ips::read_document(&foreign_document("Referral letter")).unwrap().own_title(), Some("Referral letter"));
    assert_eq!(ips::read_document(&foreign_document("Patient summary of Ada Lovelace")).unwrap().own_title(), None);
}
