//! The IPS document built from a full binder: every section, the patient, the care team — and
//! "none known", "not recorded" and "withheld" never confused.

mod common;

use common::now;
use health_binder_core::ips::{self, SectionState, Summary};
use health_binder_core::model::{Allergy, Binder, Source};
use health_binder_core::schema;
use serde_json::Value;

fn full_binder() -> Binder {
    schema::load(include_bytes!("fixtures/binder-v2.json")).unwrap()
}

fn resources<'a>(doc: &'a Value, kind: &str) -> Vec<&'a Value> {
    doc["entry"].as_array().unwrap().iter().map(|e| &e["resource"]).filter(|r| r["resourceType"] == kind).collect()
}

fn section<'a>(doc: &'a Value, loinc: &str) -> Option<&'a Value> {
    doc["entry"][0]["resource"]["section"].as_array().unwrap().iter().find(|s| s["code"]["coding"][0]["code"] == loinc)
}

fn read(doc: &Value) -> Summary {
    ips::read_document(doc).unwrap()
}

#[test]
fn every_section_is_written_with_its_entries() {
    let binder = full_binder();
    let doc = ips::build_document(&binder, now(), &Default::default(), &health_binder_core::ips::Texts::ENGLISH);
    let codes: Vec<&str> = doc["entry"][0]["resource"]["section"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"]["coding"][0]["code"].as_str().unwrap())
        .collect();
    let mut all: Vec<&str> = ips::SECTIONS.iter().map(|s| s.loinc).collect();
    // The patient's SBAR hand-off follows the safety sections (allergies, medications).
    all.insert(2, ips::SBAR_SECTION.1);
    assert_eq!(codes, all, "every section, in the clinician's reading order");
    let entries = doc["entry"].as_array().unwrap();
    assert!(entries.iter().all(|e| e["fullUrl"].as_str().unwrap().starts_with("urn:uuid:")));
    // Every reference from a section resolves to an entry of the bundle, by the stable entry id.
    for s in doc["entry"][0]["resource"]["section"].as_array().unwrap() {
        for r in s["entry"].as_array().into_iter().flatten() {
            assert!(entries.iter().any(|e| e["fullUrl"] == r["reference"]), "{r}");
        }
    }
    let allergy_id = binder.allergies[0].id();
    assert_eq!(section(&doc, "48765-2").unwrap()["entry"][0]["reference"], format!("urn:uuid:{allergy_id}"));

    let counts = |kind| resources(&doc, kind).len();
    assert_eq!(counts("AllergyIntolerance"), 1);
    assert_eq!(counts("MedicationStatement"), 2);
    assert_eq!(counts("Condition"), 2);
    assert_eq!(counts("Procedure"), 1);
    assert_eq!(counts("Immunization"), 1);
    assert_eq!(counts("Observation"), 2 + 6);
    assert_eq!(counts("Practitioner"), 2);
    assert_eq!(section(&doc, "11450-4").unwrap()["entry"].as_array().unwrap().len(), 1, "active problems");
    assert_eq!(section(&doc, "11348-0").unwrap()["entry"].as_array().unwrap().len(), 1, "past problems");

    let patient = resources(&doc, "Patient")[0];
    assert_eq!((patient["birthDate"].as_str(), patient["gender"].as_str()), (Some("1960-12-10"), Some("female")));
    assert_eq!(patient["contact"].as_array().unwrap().len(), 2);
    assert_eq!(patient["contact"][0]["telecom"][0]["value"], "+44 20 7946 0001");
    assert_eq!(patient["communication"][0]["language"]["coding"][0]["code"], "en-GB");
    let gp = binder.primary_care().unwrap().id();
    assert_eq!(patient["generalPractitioner"][0]["reference"], format!("urn:uuid:{gp}"));

    let meds = resources(&doc, "MedicationStatement");
    assert_eq!(meds[0]["medicationCodeableConcept"]["coding"][0]["code"], "861007");
    assert_eq!(meds[0]["dosage"][0]["timing"]["repeat"]["timeOfDay"], serde_json::json!(["08:00:00", "20:00:00"]));
    assert_eq!(meds[1]["status"], "stopped");
    assert_eq!(meds[1]["effectivePeriod"], serde_json::json!({ "start": "2020", "end": "2024-05-02" }));
    assert_eq!(meds[1]["statusReason"][0]["text"], "muscle pain");

    let observations = resources(&doc, "Observation");
    let code = |o: &Value| o["code"]["coding"][0]["code"].as_str().unwrap_or("").to_owned();
    let vital_codes: Vec<String> = observations
        .iter()
        .filter(|o| o["category"][0]["coding"][0]["code"] == "vital-signs")
        .map(|o| code(o))
        .collect();
    assert_eq!(vital_codes, ["85354-9", "8867-4", "29463-7", "15074-8", "8310-5", "59408-5"]);
    let bp = observations.iter().find(|o| code(o) == "85354-9").unwrap();
    assert_eq!(bp["component"][0]["code"]["coding"][0]["code"], "8480-6");
    assert_eq!(bp["component"][1]["valueQuantity"]["value"], 82.0);
    assert_eq!(bp["effectiveDateTime"], "2026-11-20T08:30:00+01:00");
    let hba1c = observations.iter().find(|o| code(o) == "4548-4").unwrap();
    assert_eq!(hba1c["referenceRange"][0]["high"]["value"], 5.7);
    assert_eq!(hba1c["interpretation"][0]["coding"][0]["code"], "H");

    // The reader gets every fact back as text.
    let summary = read(&doc);
    assert_eq!((summary.birth_date.as_deref(), summary.gender.as_deref()), (Some("1960-12-10"), Some("female")));
    let lines = |kind: ips::SectionKind| summary.section(kind).unwrap().lines.clone();
    assert_eq!(lines(ips::ALLERGIES)[0].title, "Penicillin");
    assert_eq!(lines(ips::ALLERGIES)[0].detail("Reaction"), Some("Hives"));
    assert_eq!(lines(ips::MEDICATIONS)[0].detail("How often"), Some("daily at 08:00 and 20:00"));
    assert_eq!(lines(ips::MEDICATIONS)[1].detail("Status"), Some("Stopped"));
    assert_eq!(lines(ips::PAST_PROBLEMS)[0].detail("Resolved"), Some("February 2019"));
    assert_eq!(lines(ips::PROCEDURES)[0].detail("Performed by"), Some("St Mary's Hospital"));
    assert_eq!(lines(ips::IMMUNIZATIONS)[0].detail("Lot"), Some("FL2026-113"));
    assert_eq!(lines(ips::RESULTS)[0].detail("Result"), Some("6.8 %"));
    assert_eq!(lines(ips::RESULTS)[1].detail("Result"), Some("No growth"));
    let vitals = lines(ips::VITAL_SIGNS);
    assert_eq!(vitals[0].detail("Systolic blood pressure"), Some("128 mm[Hg]"));
    assert_eq!(vitals[4].detail("Result"), Some("37.2 Cel"));
    assert!(summary.section(ips::ADVANCE_DIRECTIVES).is_some());
}

#[test]
fn narrative_escapes_everything_the_patient_typed() {
    let mut binder = full_binder();
    binder.allergies[0].data.substance = "<img src=x onerror=alert(1)>".into();
    binder.conditions[0].data.note = "a & b".into();
    let doc = ips::build_document(&binder, now(), &Default::default(), &health_binder_core::ips::Texts::ENGLISH);
    let allergies = section(&doc, "48765-2").unwrap()["text"]["div"].as_str().unwrap();
    assert!(allergies.contains("&lt;img src=x onerror=alert(1)&gt;") && !allergies.contains("<img"));
    assert!(section(&doc, "11450-4").unwrap()["text"]["div"].as_str().unwrap().contains("a &amp; b"));
    let directive = section(&doc, "42348-3").unwrap()["text"]["div"].as_str().unwrap();
    assert!(directive.contains("&lt;DNR&gt;") && !directive.contains("<DNR>"));
}

#[test]
fn no_known_allergies_not_recorded_and_withheld_stay_apart() {
    let mut binder = Binder::new("Ada", now());
    let state = |b: &Binder, options: &ips::DocumentOptions| {
        let doc = ips::build_document(b, now(), options, &health_binder_core::ips::Texts::ENGLISH);
        let summary = read(&doc);
        let s = summary.section(ips::ALLERGIES).unwrap().clone();
        (doc, s)
    };
    let everything = ips::DocumentOptions::default();

    // Not recorded: empty, "unavailable", no AllergyIntolerance.
    let (doc, s) = state(&binder, &everything);
    assert_eq!(s.state, SectionState::Empty { reason: Some("unavailable".into()) });
    assert!(resources(&doc, "AllergyIntolerance").is_empty());

    // None known: the IPS way, an AllergyIntolerance coded 716186003.
    binder.confirm_no_known_allergies(now()).unwrap();
    let (doc, s) = state(&binder, &everything);
    assert_eq!(s.state, SectionState::Entries(1));
    let nka = resources(&doc, "AllergyIntolerance");
    assert_eq!(nka[0]["code"]["coding"][0]["code"], "716186003");
    assert_eq!(nka[0]["code"]["coding"][0]["system"], "http://snomed.info/sct");
    assert_eq!(s.lines[0].title, "No known allergy");
    assert!(section(&doc, "48765-2").unwrap().get("emptyReason").is_none());

    // Withheld: neither, whatever the binder says.
    let only_meds = ips::DocumentOptions { sections: vec![ips::MEDICATIONS], ..Default::default() };
    let (doc, s) = state(&binder, &only_meds);
    assert_eq!(s.state, SectionState::Empty { reason: Some("withheld".into()) });
    assert!(resources(&doc, "AllergyIntolerance").is_empty());

    // Listing an allergy replaces "none known" in the document too.
    binder.add(Allergy { substance: "Latex".into(), ..Allergy::default() }, Source::Patient, now()).unwrap();
    let (doc, s) = state(&binder, &everything);
    assert_eq!(s.lines.iter().map(|l| l.title.as_str()).collect::<Vec<_>>(), ["Latex"]);
    assert!(!serde_json::to_string(&doc).unwrap().contains("716186003"));
}

#[test]
fn optional_sections_are_left_out_when_empty_and_withheld_when_not_chosen() {
    let binder = Binder::new("Ada", now());
    let doc = ips::build_document(&binder, now(), &Default::default(), &health_binder_core::ips::Texts::ENGLISH);
    assert!(section(&doc, "30954-2").is_none(), "no results, no section");
    assert_eq!(section(&doc, "11450-4").unwrap()["emptyReason"]["coding"][0]["code"], "unavailable");

    let full = full_binder();
    let options = ips::DocumentOptions { sections: vec![ips::ALLERGIES], ..Default::default() };
    let doc = ips::build_document(&full, now(), &options, &health_binder_core::ips::Texts::ENGLISH);
    for kind in ips::SECTIONS.iter().filter(|k| **k != ips::ALLERGIES) {
        let s = section(&doc, kind.loinc).unwrap();
        assert_eq!(s["emptyReason"]["coding"][0]["code"], "withheld", "{}", kind.title);
        assert!(s.get("entry").is_none());
    }
    let text = serde_json::to_string(&doc).unwrap();
    for secret in ["Metformin", "HbA1c", "Appendectomy", "Influenza", "Pneumonia", "Living will", "MedicationStatement"]
    {
        assert!(!text.contains(secret), "{secret} must not travel");
    }
}

/// Whom to call reaches the clinician: emergency contacts, the caregiver and the primary care
/// provider, as lines the viewer shows under the patient's name.
#[test]
fn contacts_and_primary_care_are_read_back() {
    use health_binder_core::model::{Contact, Provider};
    let mut binder = Binder::new("Ada", now());
    binder.profile.emergency_contacts =
        vec![Contact { name: "Joylette Goble".into(), relationship: "Daughter".into(), phone: "+1 555 0100".into() }];
    binder.profile.caregiver =
        Some(Contact { name: "Byron".into(), relationship: String::new(), phone: String::new() });
    let gp = Provider { name: "Dr Priya Patel".into(), primary_care: true, ..Provider::default() };
    binder.add(gp, Source::Patient, now()).unwrap();
    let summary =
        read(&ips::build_document(&binder, now(), &Default::default(), &health_binder_core::ips::Texts::ENGLISH));
    assert_eq!(summary.contacts, ["Emergency Contact: Joylette Goble (Daughter), +1 555 0100", "Next-of-Kin: Byron"]);
    assert_eq!(summary.general_practitioner.as_deref(), Some("Dr Priya Patel"));
}

#[test]
fn how_the_patient_took_a_medication_travels_only_when_chosen_as_a_note_and_a_column() {
    let binder = full_binder();
    let med = binder.medications[0].id();
    let line = "Taken 26 of 28 scheduled doses in the last 14 days; 2 skipped";
    let plain = ips::build_document(&binder, now(), &Default::default(), &health_binder_core::ips::Texts::ENGLISH);
    let options = ips::DocumentOptions { taking: vec![(med, line.to_owned())], ..Default::default() };
    let shared = ips::build_document(&binder, now(), &options, &health_binder_core::ips::Texts::ENGLISH);

    let note_of = |doc: &Value| {
        resources(doc, "MedicationStatement")
            .iter()
            .flat_map(|r| r["note"].as_array().cloned().unwrap_or_default())
            .find(|n| n["extension"][0]["url"] == ips::DOSE_LOG_NOTE_EXTENSION)
    };
    assert_eq!(note_of(&plain), None, "not shared unless chosen");
    assert_eq!(note_of(&shared).unwrap()["text"], line, "every IPS receiver shows a note");
    let table = |doc: &Value| section(doc, ips::MEDICATIONS.loinc).unwrap()["text"]["div"].as_str().unwrap().to_owned();
    assert!(!table(&plain).contains("dose log"));
    assert!(
        table(&shared).contains("As taken (patient&#39;s dose log)")
            || table(&shared).contains("As taken (patient's dose log)")
    );
    assert!(table(&shared).contains(line), "the narrative has it too");

    // The viewer reads it back apart from the other notes.
    let lines = read(&shared).medications;
    assert_eq!(lines.iter().filter(|m| m.taking == line).count(), 1);
    assert!(read(&plain).medications.iter().all(|m| m.taking.is_empty()));
}
