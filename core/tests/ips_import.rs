//! Importing FHIR bundles into the binder: every connectathon and vendor bundle in the fixtures
//! imports without an error and accounts for every entry (read + skipped = the independent count
//! in `fixtures/ips/expected-counts.json`); importing twice adds nothing; an export imports back
//! into an empty binder with every field IPS carries; bad files are refused with a plain message
//! and leave the binder unchanged.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use health_binder_core::ips::import::{ImportError, Item, MAX_IMPORT_BYTES, apply, plan_bundle, plan_file};
use health_binder_core::ips::{DocumentOptions, SECTIONS, build_document};
use health_binder_core::model::{
    Allergy, AllergyCategory, Appointment, Binder, Condition, ConditionStatus, Frequency, Immunization, LocalDateTime,
    Measurement, Medication, MedicationKind, Note, PartialDate, Procedure, Provider, ProviderRef, Quantity,
    ResultValue, SectionItem, Severity, Source, TestResult, VitalSign, When,
};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ips")
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
}

fn all_bundles() -> Vec<(String, Vec<u8>)> {
    let expected: BTreeMap<String, BTreeMap<String, usize>> =
        serde_json::from_slice(&std::fs::read(fixtures().join("expected-counts.json")).unwrap()).unwrap();
    let bundles: Vec<(String, Vec<u8>)> =
        expected.keys().map(|name| (name.clone(), std::fs::read(fixtures().join(name)).unwrap())).collect();
    assert_eq!(bundles.len(), 22, "every fixture bundle is counted");
    bundles
}

#[test]
fn every_bundle_imports_and_accounts_for_every_entry_by_the_independent_count() {
    let expected: BTreeMap<String, BTreeMap<String, usize>> =
        serde_json::from_slice(&std::fs::read(fixtures().join("expected-counts.json")).unwrap()).unwrap();
    let mut table = Vec::new();
    for (name, bytes) in all_bundles() {
        let plan = plan_file(&bytes, &name, &Binder::new("Test", now())).unwrap_or_else(|e| panic!("{name}: {e}"));
        let counts: BTreeMap<String, usize> =
            plan.counts().into_iter().map(|(kind, read, skipped)| (kind, read + skipped)).collect();
        assert_eq!(counts, expected[&name], "{name}: read + skipped per resource type");
        assert_eq!(plan.accounted(), plan.entries, "{name}");
        for skipped in &plan.skipped {
            assert!(!skipped.reason.english().is_empty(), "{name}: every skipped entry says why");
        }
        let read: usize = plan.proposed.len() + plan.used.len();
        table.push(format!(
            "{name}: {} entries, {read} read ({} to add), {} skipped",
            plan.entries,
            plan.proposed.len(),
            plan.skipped.len()
        ));
    }
    // The per-bundle figures, for the issue's note (cargo test -- --nocapture).
    println!("{}", table.join("\n"));
}

#[test]
fn facts_a_clinician_needs_come_through_into_binder_entries() {
    let bytes = std::fs::read(fixtures().join("validated/IPS_IG-bundle-01.json")).unwrap();
    let plan = plan_file(&bytes, "IPS_IG-bundle-01.json", &Binder::new("", now())).unwrap();
    let titles = |section: &str| -> Vec<String> {
        plan.proposed.iter().filter(|p| p.item.section() == section).map(|p| p.item.title()).collect()
    };
    assert!(titles("Allergies").iter().any(|t| t.to_lowercase().contains("penicillin")), "{:?}", titles("Allergies"));
    assert!(!titles("Medications").is_empty());
    assert!(!titles("Conditions").is_empty());
    assert!(plan.patient.name.is_some() && plan.patient.birth_date.is_some());
    // A medication referencing a Medication resource gets its name from it.
    let meds: Vec<&Medication> = plan
        .proposed
        .iter()
        .filter_map(|p| match &p.item {
            Item::Medication(m) => Some(m),
            _ => None,
        })
        .collect();
    assert!(meds.iter().all(|m| !m.name.is_empty() && m.name != "Unnamed medication"), "{meds:#?}");
}

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let bytes = std::fs::read(fixtures().join("validated/IPS_IG-bundle-01.json")).unwrap();
    let mut binder = Binder::new("Martha", now());
    let plan = plan_file(&bytes, "IPS_IG-bundle-01.json", &binder).unwrap();
    let include = vec![true; plan.proposed.len()];
    let first = apply(&plan, &include, true, &mut binder, now());
    assert!(first.added > 5, "{first:?}");
    let before = binder.clone();
    let again = plan_file(&bytes, "IPS_IG-bundle-01.json", &binder).unwrap();
    assert_eq!(
        again.new_lines().count(),
        0,
        "every line is already in the binder: {:#?}",
        again.new_lines().collect::<Vec<_>>()
    );
    let second = apply(&again, &vec![true; again.proposed.len()], true, &mut binder, now());
    assert_eq!(second.added, 0);
    assert_eq!(binder, before);
}

#[test]
fn imported_entries_keep_their_source_and_left_out_lines_are_not_added() {
    let bytes = std::fs::read(fixtures().join("validated/IPS_IG-bundle-01.json")).unwrap();
    let mut binder = Binder::new("Martha", now());
    let plan = plan_file(&bytes, "portal-export.json", &binder).unwrap();
    let mut include = vec![true; plan.proposed.len()];
    let left_out = plan.proposed.iter().position(|p| matches!(p.item, Item::Condition(_))).unwrap();
    include[left_out] = false;
    let conditions = plan.proposed.iter().filter(|p| matches!(p.item, Item::Condition(_))).count();
    apply(&plan, &include, false, &mut binder, now());
    assert_eq!(binder.conditions.len(), conditions - 1);
    assert!(
        binder.conditions.iter().all(|c| c.meta.source == Source::Imported { origin: "portal-export.json".into() })
    );
    assert_eq!(binder.profile.name, "Martha", "the patient's own details are never overwritten");
}

/// A binder with something in every section an export carries.
fn export_binder() -> Binder {
    /// Adds what the patient typed, as the form does.
    fn add<T: SectionItem>(binder: &mut Binder, item: T) -> uuid::Uuid {
        binder.add(item, Source::Patient, now()).unwrap()
    }
    let mut original = Binder::new("Ada Lovelace", now());
    let date = |t| PartialDate::parse(t).ok();
    let gp = add(
        &mut original,
        Provider {
            name: "Dr Grace Hopper".into(),
            role: "GP".into(),
            phone: "+44 20 7946 0000".into(),
            email: "hopper@example.org".into(),
            address: "1 Practice Road, London".into(),
            ..Provider::default()
        },
    );
    original.set_primary_care(Some(gp), now()).unwrap();
    add(
        &mut original,
        Medication {
            rxnorm: Some("860975".into()),
            form: "tablet".into(),
            route: "by mouth".into(),
            started: date("2019-03"),
            ..common::metformin()
        },
    );
    add(
        &mut original,
        Medication {
            name: "Vitamin D3".into(),
            strength: "1000 IU".into(),
            frequency: Frequency::AsNeeded { max_per_day: Some(1) },
            kind: MedicationKind::Supplement,
            ..Medication::default()
        },
    );
    add(
        &mut original,
        Allergy {
            substance: "Penicillin".into(),
            category: Some(AllergyCategory::Medication),
            reaction: "hives".into(),
            severity: Some(Severity::Moderate),
            criticality: None,
        },
    );
    add(
        &mut original,
        Condition {
            name: "Type 2 diabetes".into(),
            status: ConditionStatus::Active,
            onset: date("2015"),
            note: "Diet controlled at first".into(),
            code: None,
            resolved: None,
        },
    );
    add(
        &mut original,
        Procedure {
            name: "Appendectomy".into(),
            date: date("1990-06-02"),
            performer: "St Mary's".into(),
            note: String::new(),
        },
    );
    add(
        &mut original,
        Immunization {
            vaccine: "Influenza 2026/27".into(),
            date: date("2026-10-01"),
            dose_number: Some(1),
            lot: "FL123".into(),
            given_by: "Boots pharmacy".into(),
        },
    );
    add(
        &mut original,
        TestResult {
            name: "HbA1c".into(),
            loinc: Some("4548-4".into()),
            value: ResultValue::Quantity(Quantity { value: 6.8, unit: "%".into() }),
            when: When::Date(date("2026-10-02").unwrap()),
            ordered_by: None,
            range_low: Some(4.0),
            range_high: Some(5.6),
            interpretation: Some(health_binder_core::model::Interpretation::High),
        },
    );
    add(
        &mut original,
        VitalSign {
            at: LocalDateTime::from_local(2026, 11, 20, 8, 30, 60).unwrap(),
            measurement: Measurement::BloodPressure { systolic: 128, diastolic: 82 },
        },
    );
    add(
        &mut original,
        Appointment {
            at: LocalDateTime::from_local(2026, 12, 3, 9, 30, 60).unwrap(),
            with: Some(ProviderRef::CareTeam(gp)),
            purpose: "Diabetes review".into(),
            questions: vec!["Is my HbA1c better?".into()],
            follow_up: "Book a blood test".into(),
        },
    );
    add(
        &mut original,
        Note {
            at: LocalDateTime::from_local(2026, 11, 25, 21, 0, 60).unwrap(),
            text: "Dizzy after dinner".into(),
            severity: Some(4),
        },
    );
    original
}

fn export_of(binder: &Binder) -> serde_json::Value {
    export_in(binder, &health_binder_core::ips::Texts::ENGLISH)
}

fn export_in(binder: &Binder, texts: &health_binder_core::ips::Texts) -> serde_json::Value {
    build_document(
        binder,
        now(),
        &DocumentOptions { sections: SECTIONS.to_vec(), extras: true, ..Default::default() },
        texts,
    )
}

fn spanish() -> health_binder_core::i18n::Catalogue {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../locales/es.txt");
    health_binder_core::i18n::Catalogue::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Imports `document` into an empty binder and checks every field IPS carries came back.
fn assert_round_trip(original: &Binder, document: &serde_json::Value) {
    let mut copy = Binder::new("", now());
    let plan = plan_bundle(document, "export.json", &copy).unwrap();
    assert!(plan.skipped.is_empty(), "our own export reads whole: {:#?}", plan.skipped);
    apply(&plan, &vec![true; plan.proposed.len()], true, &mut copy, now());

    assert_eq!(copy.profile.name, "Ada Lovelace");
    let data = |b: &Binder| {
        (
            b.medications.iter().map(|e| e.data.clone()).collect::<Vec<_>>(),
            b.allergies.iter().map(|e| e.data.clone()).collect::<Vec<_>>(),
            b.conditions.iter().map(|e| e.data.clone()).collect::<Vec<_>>(),
            b.procedures.iter().map(|e| e.data.clone()).collect::<Vec<_>>(),
            b.immunizations.iter().map(|e| e.data.clone()).collect::<Vec<_>>(),
            b.results.iter().map(|e| e.data.clone()).collect::<Vec<_>>(),
            b.vitals.iter().map(|e| e.data.clone()).collect::<Vec<_>>(),
        )
    };
    let (mut meds, allergies, conditions, procedures, immunizations, results, vitals) = data(&copy);
    // The directions as written travel in dosage.text and come back as the instructions.
    for med in &mut meds {
        assert!(!med.instructions.is_empty());
        med.instructions.clear();
    }
    let (want_meds, want_allergies, want_conditions, want_procedures, want_immunizations, want_results, want_vitals) =
        data(original);
    assert_eq!(meds, want_meds);
    assert_eq!(allergies, want_allergies);
    assert_eq!(conditions, want_conditions);
    assert_eq!(procedures, want_procedures);
    assert_eq!(immunizations, want_immunizations);
    assert_eq!(results, want_results);
    assert_eq!(vitals, want_vitals);
    // What IPS cannot carry came through the documented extension; the clinician is named in words.
    assert_eq!(copy.appointments.len(), 1);
    let appointment = &copy.appointments[0].data;
    assert_eq!(appointment.with, Some(ProviderRef::Named("Dr Grace Hopper".into())));
    assert_eq!((appointment.purpose.as_str(), appointment.questions.len()), ("Diabetes review", 1));
    assert_eq!(
        copy.notes.iter().map(|n| n.data.clone()).collect::<Vec<_>>(),
        original.notes.iter().map(|n| n.data.clone()).collect::<Vec<_>>()
    );
    let again = plan_bundle(document, "export.json", &copy).unwrap();
    assert_eq!(again.new_lines().count(), 0, "a second import of the export adds nothing");
    let provider = &copy.care_team[0].data;
    assert_eq!(
        (provider.name.as_str(), provider.phone.as_str(), provider.email.as_str()),
        ("Dr Grace Hopper", "+44 20 7946 0000", "hopper@example.org")
    );
}

#[test]
fn an_export_imports_back_with_every_field_ips_carries() {
    let original = export_binder();
    assert_round_trip(&original, &export_of(&original));
}

/// A document written in Spanish (the patient's language) imports back the same: what an import
/// reads back (the form, "no reaction described") is marked, not recognised by its English words.
#[test]
fn an_export_in_the_patients_language_imports_back_the_same() {
    let mut original = export_binder();
    // A severity without a described reaction: the document says so in words, marked absent.
    let reactionless = Allergy { substance: "Latex".into(), severity: Some(Severity::Mild), ..Allergy::default() };
    original.add(reactionless, Source::Patient, now()).unwrap();
    let es = spanish();
    let document = export_in(&original, &health_binder_core::ips::Texts::new("es", Some(&es)));
    let text = document.to_string();
    assert!(text.contains("Forma: tablet") && text.contains("Reacción no descrita"), "written in Spanish");
    assert_round_trip(&original, &document);
    assert_round_trip(&original, &export_of(&original));
}

/// The export is read by an independent FHIR model (the PyPI package fhir.resources, R4B), written
/// back out by it, and still imports with every field: what we write is FHIR, not only what our
/// own reader accepts. `./scripts/test` installs the package.
#[test]
fn an_export_survives_an_independent_fhir_model() {
    let original = export_binder();
    let dir = tempfile::tempdir().unwrap();
    let (exported, reparsed) = (dir.path().join("export.json"), dir.path().join("reparsed.json"));
    // In Spanish: `language`, `lang`/`xml:lang` on the narratives and the marked notes are FHIR too.
    let es = spanish();
    let document = export_in(&original, &health_binder_core::ips::Texts::new("es", Some(&es)));
    std::fs::write(&exported, document.to_string()).unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fhir/roundtrip.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&exported)
        .arg(&reparsed)
        .output()
        .expect("python3 runs (./scripts/test installs fhir.resources)");
    assert!(out.status.success(), "fhir.resources refused our export:\n{}", String::from_utf8_lossy(&out.stderr));
    let document: serde_json::Value = serde_json::from_slice(&std::fs::read(&reparsed).unwrap()).unwrap();
    assert_round_trip(&original, &document);
}

#[test]
fn bad_files_are_refused_with_a_plain_message_and_change_nothing() {
    let binder = Binder::new("Ada", now());
    let refused = |bytes: &[u8]| plan_file(bytes, "bad.json", &binder).unwrap_err();
    assert_eq!(refused(b"<html>not json</html>"), ImportError::NotJson);
    assert_eq!(refused(br#"{"resourceType":"Patient","id":"x"}"#), ImportError::NotABundle("Patient".into()));
    assert_eq!(refused(br#"{"hello":"world"}"#), ImportError::NotFhir);
    assert_eq!(refused(br#"{"resourceType":"Bundle","type":"collection","entry":[]}"#), ImportError::Empty);
    let huge = vec![b' '; 20 * 1024 * 1024];
    assert_eq!(refused(&huge), ImportError::TooLarge { size_mb: 20 });
    assert!(huge.len() > MAX_IMPORT_BYTES);
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(refused(deep.as_bytes()), ImportError::TooDeep);
    let deep_bundle = format!(
        r#"{{"resourceType":"Bundle","entry":[{{"resource":{}1{}}}]}}"#,
        "{\"a\":".repeat(10_000),
        "}".repeat(10_000)
    );
    assert_eq!(refused(deep_bundle.as_bytes()), ImportError::TooDeep);
    for e in [ImportError::NotJson, ImportError::TooDeep, ImportError::NotFhir, ImportError::Empty] {
        assert!(e.to_string().ends_with('.'), "a sentence: {e}");
    }
}

#[test]
fn references_that_point_nowhere_are_reported_not_fatal() {
    let bundle = serde_json::json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            { "fullUrl": "urn:uuid:1", "resource": { "resourceType": "MedicationStatement", "status": "active",
              "medicationReference": { "reference": "Medication/missing" } } },
            { "fullUrl": "urn:uuid:2", "resource": { "resourceType": "Condition", "code": { "text": "Asthma" },
              "subject": { "reference": "Patient/nowhere" } } },
            { "fullUrl": "urn:uuid:3", "resource": { "resourceType": "Device", "id": "d" } },
            { "fullUrl": "urn:uuid:4" }
        ]
    });
    let plan = plan_bundle(&bundle, "broken.json", &Binder::new("Ada", now())).unwrap();
    assert_eq!(plan.proposed.len(), 1, "the asthma condition still comes through");
    let reasons: Vec<String> = plan.skipped.iter().map(|s| s.reason.english()).collect();
    assert_eq!(
        reasons,
        [
            "Its medication reference (Medication/missing) points to nothing in the file.",
            "The binder does not keep device records.",
            "The entry holds no resource."
        ]
    );
}

#[test]
fn no_known_allergies_is_a_statement_that_never_overrides_a_listed_allergy() {
    let bytes = std::fs::read(fixtures().join("vendors/Bundle-aups-noknownx.json")).unwrap();
    let mut binder = Binder::new("Ada", now());
    binder.add(Allergy { substance: "Peanuts".into(), ..Allergy::default() }, Source::Patient, now()).unwrap();
    let plan = plan_file(&bytes, "noknown.json", &binder).unwrap();
    let nka = plan.proposed.iter().position(|p| p.item == Item::NoKnownAllergies).expect("read as a statement");
    assert!(plan.proposed[nka].conflict.unwrap().contains("lists allergies"));
    let mut include = vec![true; plan.proposed.len()];
    include[nka] = true;
    let applied = apply(&plan, &include, false, &mut binder, now());
    assert_eq!(binder.allergies.len(), 1, "the listed allergy stays");
    assert!(applied.refused.iter().any(|(i, _)| *i == nka), "{applied:?}");
}

#[test]
fn imported_entries_say_where_they_came_from_typed_ones_do_not() {
    let bytes = std::fs::read(fixtures().join("validated/IPS_IG-bundle-01.json")).unwrap();
    let mut binder = Binder::new("Martha", now());
    let typed =
        binder.add(Allergy { substance: "Peanuts".into(), ..Allergy::default() }, Source::Patient, now()).unwrap();
    let plan = plan_file(&bytes, "file IPS_IG-bundle-01.json", &binder).unwrap();
    apply(&plan, &vec![true; plan.proposed.len()], false, &mut binder, now());
    let imported = binder.conditions[0].id();
    assert_eq!(binder.source_text(imported).unwrap(), "From file IPS_IG-bundle-01.json, 28 November 2026");
    assert_eq!(binder.source_text(typed), None);
}

/// The report in the patient's language: its reasons and sections, the lines' fixed words and
/// dates; what the file says stays as it says it.
#[test]
fn the_import_report_reads_in_the_patients_language() {
    use health_binder_core::i18n::Catalogue;
    use health_binder_core::ips::Texts;
    use health_binder_core::printout::Wording;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../locales/es.txt");
    let es = Catalogue::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let texts = Texts::new("es", Some(&es));
    let text = |t: &str| es.get(t).to_owned();
    let date = |d: PartialDate| texts.date(d);
    let w = Wording { text: &text, date: &date, plural: &|n| health_binder_core::i18n::plural("es", n) };

    let bundle = serde_json::json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            { "fullUrl": "urn:uuid:1", "resource": { "resourceType": "MedicationStatement", "status": "active",
              "medicationReference": { "reference": "Medication/missing" } } },
            { "fullUrl": "urn:uuid:2", "resource": { "resourceType": "Condition", "code": { "text": "Asthma" } } },
            { "fullUrl": "urn:uuid:3", "resource": { "resourceType": "Device", "id": "d" } },
            { "fullUrl": "urn:uuid:4", "resource": { "resourceType": "Condition", "code": { "text": "Flu" },
              "verificationStatus": { "coding": [{ "code": "entered-in-error" }] } } },
            { "fullUrl": "urn:uuid:5", "resource": { "resourceType": "AllergyIntolerance",
              "code": { "coding": [{ "system": "http://snomed.info/sct", "code": "716186003" }] } } },
            { "fullUrl": "urn:uuid:6", "resource": { "resourceType": "Observation", "status": "final",
              "code": { "text": "Heart rate" }, "effectiveDateTime": "2026-03-14T08:30:00+01:00",
              "valueQuantity": { "value": 72, "unit": "/min" } } }
        ]
    });
    let mut binder = Binder::new("Ada", now());
    binder.add(Allergy { substance: "Peanuts".into(), ..Allergy::default() }, Source::Patient, now()).unwrap();
    let plan = plan_bundle(&bundle, "broken.json", &binder).unwrap();
    let reasons: Vec<String> = plan.skipped.iter().map(|s| s.reason.text(&w)).collect();
    assert_eq!(
        reasons,
        [
            "Su referencia al medicamento (Medication/missing) no apunta a nada del archivo.",
            "La carpeta no guarda registros de tipo device.",
            "Marcado como introducido por error o refutado por quien lo envió."
        ]
    );
    let lines: Vec<(String, String)> =
        plan.proposed.iter().map(|p| (text(p.item.section()), p.item.title_in(&w))).collect();
    assert!(lines.contains(&("Enfermedades".to_owned(), "Asthma".to_owned())), "{lines:?}");
    assert!(lines.contains(&("Alergias".to_owned(), "Sin alergias conocidas".to_owned())), "{lines:?}");
    let conflict = plan.proposed.iter().find_map(|p| p.conflict).unwrap();
    assert_eq!(text(conflict), "Su carpeta tiene alergias anotadas; este archivo dice que no se conoce ninguna.");
    assert_eq!(
        ImportError::NotABundle("Patient".into()).said().text(&w),
        "Este archivo es un Patient de FHIR, no un Bundle. Importe un Bundle: un Resumen Internacional del Paciente o la exportación de su portal."
    );
    // English, as the errors and the report said before.
    assert_eq!(plan.skipped[1].reason.english(), "The binder does not keep device records.");
    let e = ImportError::TooLarge { size_mb: 12 };
    assert_eq!(e.said().english(), e.to_string());
}

#[test]
fn why_a_line_was_refused_reads_in_the_patients_language() {
    use health_binder_core::i18n::Catalogue;
    use health_binder_core::ips::import::why_refused;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../locales/es.txt");
    let es = Catalogue::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let bundle = serde_json::json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            { "fullUrl": "urn:uuid:1", "resource": { "resourceType": "Observation", "status": "final",
              "code": { "coding": [{ "system": "http://loinc.org", "code": "29463-7" }], "text": "Body weight" },
              "effectiveDateTime": "2026-11-01T08:00:00+01:00",
              "valueQuantity": { "value": 900, "unit": "kg" } } },
            { "fullUrl": "urn:uuid:2", "resource": { "resourceType": "Condition",
              "code": { "text": "x".repeat(5000) } } }
        ]
    });
    let mut binder = Binder::new("Ada", now());
    let plan = plan_bundle(&bundle, "portal.json", &binder).unwrap();
    assert_eq!(plan.proposed.len(), 2, "{plan:?}");
    let applied = apply(&plan, &[true, true], false, &mut binder, now());
    assert_eq!(applied.added, 0);
    let why: Vec<String> =
        applied.refused.iter().map(|(_, problems)| why_refused(problems, |t| es.get(t).to_owned())).collect();
    let english: Vec<String> =
        applied.refused.iter().map(|(_, problems)| why_refused(problems, str::to_owned)).collect();
    assert_eq!(english[0], "A weight of 900 kg is not plausible (0.3–700).");
    assert_eq!(why[0], "Un peso de 900 kg no es plausible (0,3–700).");
    let max = english[1].trim_start_matches("Keep this under ").trim_end_matches(" characters.");
    assert!(max.parse::<usize>().is_ok(), "{}", english[1]);
    assert_eq!(why[1], format!("Use menos de {max} caracteres."));
}
