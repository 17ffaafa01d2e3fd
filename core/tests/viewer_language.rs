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
use health_binder_core::reconcile::{Said, reconcile};
use health_binder_core::reply;
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

/// Codes a document gives bare (an allergy's category, criticality and reaction's severity, a
/// status) read as labels in the clinician's language; a code the reader does not know, and the
/// document's own display, stay as given.
#[test]
fn coded_values_read_as_labels_in_the_clinicians_language() {
    let es = spanish();
    let doc = json!({
        "resourceType": "Bundle",
        "type": "document",
        "entry": [
            { "fullUrl": "urn:c", "resource": { "resourceType": "Composition", "section": [
                { "title": "Allergies", "code": { "coding": [{ "system": "http://loinc.org", "code": ips::ALLERGIES.loinc }] },
                  "entry": [{ "reference": "urn:a" }] },
                { "title": "Medications", "code": { "coding": [{ "system": "http://loinc.org", "code": ips::MEDICATIONS.loinc }] },
                  "entry": [{ "reference": "urn:m" }, { "reference": "urn:m2" }] },
                { "title": "Problems", "code": { "coding": [{ "system": "http://loinc.org", "code": ips::PROBLEMS.loinc }] },
                  "entry": [{ "reference": "urn:cond" }] },
                { "title": "Procedures", "code": { "coding": [{ "system": "http://loinc.org", "code": ips::PROCEDURES.loinc }] },
                  "entry": [{ "reference": "urn:proc" }] }
            ] } },
            { "fullUrl": "urn:a", "resource": { "resourceType": "AllergyIntolerance", "code": { "text": "Peanuts" },
              "category": ["food", "biologic"], "criticality": "high",
              "clinicalStatus": { "coding": [{ "code": "active" }] },
              "reaction": [{ "manifestation": [{ "text": "Hives" }], "severity": "severe" }] } },
            { "fullUrl": "urn:m", "resource": { "resourceType": "MedicationStatement", "status": "on-hold",
              "medicationCodeableConcept": { "text": "Metformin" } } },
            { "fullUrl": "urn:m2", "resource": { "resourceType": "MedicationStatement", "status": "suspended-by-pharmacy",
              "medicationCodeableConcept": { "text": "Ramipril" } } },
            { "fullUrl": "urn:cond", "resource": { "resourceType": "Condition", "code": { "text": "Asthma" },
              "clinicalStatus": { "coding": [{ "code": "remission", "display": "In remission (their words)" }] } } },
            { "fullUrl": "urn:proc", "resource": { "resourceType": "Procedure", "code": { "text": "Knee arthroscopy" },
              "status": "completed" } }
        ]
    });
    let summary = in_spanish(&es, |w| ips::read_document_in(&doc, w)).unwrap();
    let allergy = &summary.section(ips::ALLERGIES).unwrap().lines[0];
    assert_eq!(allergy.detail("Category"), Some("Alimento, Biológico"));
    assert_eq!(allergy.detail("Criticality"), Some("Riesgo alto"));
    assert_eq!(allergy.detail("Severity"), Some("Grave"));
    assert_eq!(allergy.detail("Status"), Some("En curso"));
    // What the patient typed stays as typed.
    assert_eq!(allergy.detail("Reaction"), Some("Hives"));
    let medications = &summary.section(ips::MEDICATIONS).unwrap().lines;
    assert_eq!(medications[0].detail("Status"), Some("En pausa"));
    assert_eq!(medications[1].detail("Status"), Some("suspended-by-pharmacy"), "an unknown code stays as given");
    // The medication list keeps the code (the reply composer picks the active ones by it).
    assert_eq!(summary.medications[0].status, "on-hold");
    let condition = &summary.section(ips::PROBLEMS).unwrap().lines[0];
    assert_eq!(condition.detail("Status"), Some("In remission (their words)"), "the document's display is its own");
    assert_eq!(summary.section(ips::PROCEDURES).unwrap().lines[0].detail("Status"), Some("Completado"));

    // English: labels too, where it showed the bare code before.
    let summary = ips::read_document(&doc).unwrap();
    let allergy = &summary.section(ips::ALLERGIES).unwrap().lines[0];
    assert_eq!(allergy.detail("Category"), Some("Food, Biologic"));
    assert_eq!(allergy.detail("Criticality"), Some("High risk"));
    assert_eq!(summary.section(ips::MEDICATIONS).unwrap().lines[0].detail("Status"), Some("On hold"));
}

/// What the line reader understood of an order the clinician types: its own words (the amount's
/// unit, the route, the time of day) in the clinician's language, what they typed as typed.
#[test]
fn the_line_readers_own_words_read_in_the_clinicians_language() {
    let es = spanish();
    in_spanish(&es, |w| {
        let understood = |line: &str| reply::understood(line).text(w);
        assert_eq!(
            understood("Metformin 1000 mg 1 tab PO BID"),
            "Metformin · 1000 mg · 1 comprimido · por vía oral · dos veces al día"
        );
        assert_eq!(
            understood("Albuterol 2 puffs q4h PRN"),
            "Albuterol · 2 inhalaciones · si es necesario, hasta 6 veces al día"
        );
        assert_eq!(
            understood("Zolpidem 5 mg 1-2 tabs qhs"),
            "Zolpidem · 5 mg · 1-2 comprimidos · una vez al día al acostarse"
        );
        assert_eq!(
            understood("Insulin glargine 20 units SC every evening"),
            "Insulin glargine · 20 unidades · bajo la piel · una vez al día por la noche"
        );
        // Unread words are the clinician's, as typed.
        assert_eq!(understood("Lasix 40 mg daily wibble"), "Lasix · 40 mg · una vez al día (no se entendió: wibble)");
    });
    // English, one and more than one.
    let english = |line: &str| reply::understood(line).text(&Wording::ENGLISH);
    assert_eq!(english("Metformin 1000 mg 1 tab PO BID"), "Metformin · 1000 mg · 1 tablet · by mouth · twice a day");
    assert_eq!(english("Zolpidem 5 mg 0.5 tab qhs"), "Zolpidem · 5 mg · 0.5 tablets · once a day at bedtime");
}

/// The review's reconciliation: what changed, with the line reader's words in the patient's
/// language.
#[test]
fn the_reconciliations_changes_read_in_the_readers_language() {
    let es = spanish();
    let results = reconcile(&["Metformin 500 mg 1 tab PO BID"], &["Metformin 500 mg 2 tabs SL qhs"], &[]);
    let changes = |w: &Wording| Said::joined(&results[0].changes, w, "; ");
    assert_eq!(
        in_spanish(&es, |w| changes(w)),
        "dosis 1 comprimido → 2 comprimidos; vía por vía oral → debajo de la lengua; \
         frecuencia dos veces al día → una vez al día al acostarse"
    );
    assert_eq!(
        changes(&Wording::ENGLISH),
        "dose 1 tablet → 2 tablets; route by mouth → under the tongue; how often twice a day → once a day at bedtime"
    );
}
