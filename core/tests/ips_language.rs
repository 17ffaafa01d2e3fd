//! A shared document is written in the patient's chosen language with coded values: the same
//! binder shared in English and in Spanish carries the same codes and entries, its titles, SBAR,
//! dose-log line and trend in Spanish, says `language: "es"`, and the viewer's reader reads both.

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use health_binder_core::i18n::Catalogue;
use health_binder_core::ips::{self, SBAR_SECTION, SectionState, TRENDS_SECTION, Texts};
use health_binder_core::model::{
    Allergy, Appointment, Binder, Condition, ConditionStatus, LocalDateTime, Measurement, Medication, PartialDate,
    ProviderRef, Sex, Source, VitalSign,
};
use health_binder_core::trends::VitalKind;
use serde_json::Value;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
}

fn spanish() -> Catalogue {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../locales/es.txt");
    Catalogue::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn binder() -> (Binder, uuid::Uuid, uuid::Uuid) {
    let mut b = Binder::new("Ada Lovelace", now());
    let mut profile = b.profile.clone();
    profile.birth_date = PartialDate::parse("1960-12-10").ok();
    profile.sex = Sex::Female;
    b.update_profile(profile, now()).unwrap();
    let med =
        Medication { started: PartialDate::parse("2019-03-14").ok(), form: "tablet".into(), ..Medication::default() };
    let metformin =
        b.add(Medication { name: "Metformin".into(), strength: "500 mg".into(), ..med }, Source::Patient, now());
    let metformin = metformin.unwrap();
    let allergy = Allergy { substance: "Penicillin".into(), reaction: "hives".into(), ..Allergy::default() };
    b.add(allergy, Source::Patient, now()).unwrap();
    let condition = Condition {
        name: "Type 2 diabetes".into(),
        code: None,
        status: ConditionStatus::Active,
        onset: PartialDate::parse("2015-03").ok(),
        resolved: None,
        note: String::new(),
    };
    b.add(condition, Source::Patient, now()).unwrap();
    for (day, kg) in [(1, 82.0), (20, 80.5)] {
        let at = LocalDateTime::from_local(2026, 11, day, 8, 0, 60).unwrap();
        b.add(VitalSign { at, measurement: Measurement::Weight { kg } }, Source::Patient, now()).unwrap();
    }
    let visit = Appointment {
        at: LocalDateTime::from_local(2026, 11, 30, 9, 30, 60).unwrap(),
        with: Some(ProviderRef::Named("Dr Patel".into())),
        purpose: "Dizzy when standing up".into(),
        questions: vec!["Could my pills cause this?".into()],
        follow_up: String::new(),
    };
    let visit = b.add(visit, Source::Patient, now()).unwrap();
    (b, visit, metformin)
}

/// The document for a share, as the app makes it: a visit, the dose log's line, a weight trend.
fn shared(b: &Binder, visit: uuid::Uuid, metformin: uuid::Uuid, texts: &Texts) -> Value {
    let at = LocalDateTime::from_utc(now(), 60);
    let mut taking = health_binder_core::doses::taking_lines(b, at, &|_| 60, texts);
    if taking.is_empty() {
        // Nothing due (the medicine has no schedule): the line still goes, to test its words.
        taking.push((metformin, String::new()));
    }
    let options =
        ips::DocumentOptions { visit: Some(visit), taking, trends: vec![VitalKind::Weight], ..Default::default() };
    ips::build_document(b, now(), &options, texts)
}

fn composition(doc: &Value) -> &Value {
    &doc["entry"][0]["resource"]
}

fn sections(doc: &Value) -> &Vec<Value> {
    composition(doc)["section"].as_array().unwrap()
}

fn section<'a>(doc: &'a Value, code: &str) -> &'a Value {
    sections(doc).iter().find(|s| s["code"]["coding"][0]["code"] == code).unwrap()
}

/// Every `coding` in `value`, in order: the coded values, which no language changes.
fn codings(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "coding" {
                    out.push(v.clone());
                }
                codings(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| codings(v, out)),
        _ => {}
    }
}

#[test]
fn the_same_binder_shared_in_spanish_has_the_same_codes_and_entries_in_spanish_words() {
    let (b, visit, metformin) = binder();
    let es = spanish();
    let en_doc = shared(&b, visit, metformin, &Texts::ENGLISH);
    let es_doc = shared(&b, visit, metformin, &Texts::new("es", Some(&es)));

    // The same resources (Composition aside, whose id is new each time), codes and section entries.
    let resources = |doc: &Value| -> Vec<(String, String)> {
        doc["entry"].as_array().unwrap()[1..]
            .iter()
            .map(|e| (e["resource"]["resourceType"].as_str().unwrap().into(), e["fullUrl"].as_str().unwrap().into()))
            .collect()
    };
    assert_eq!(resources(&en_doc), resources(&es_doc));
    let (mut en_codes, mut es_codes) = (Vec::new(), Vec::new());
    codings(&en_doc, &mut en_codes);
    codings(&es_doc, &mut es_codes);
    assert_eq!(en_codes, es_codes, "coded values stay as they are");
    let entries = |doc: &Value| -> Vec<Value> { sections(doc).iter().map(|s| s["entry"].clone()).collect() };
    assert_eq!(entries(&en_doc), entries(&es_doc));
    let medication = |doc: &Value| {
        doc["entry"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["resource"]["resourceType"] == "MedicationStatement")
            .unwrap()["resource"]
            .clone()
    };
    assert_eq!(medication(&en_doc)["medicationCodeableConcept"], medication(&es_doc)["medicationCodeableConcept"]);
    // How often, in the document's words (its structured timing is the same in both).
    assert_eq!(medication(&es_doc)["dosage"][0]["text"], "una vez al día");
    assert_eq!(medication(&en_doc)["dosage"][0]["text"], "once a day");
    assert_eq!(medication(&en_doc)["dosage"][0]["timing"], medication(&es_doc)["dosage"][0]["timing"]);

    // The language, said where FHIR has a place for it.
    assert_eq!((composition(&en_doc)["language"].as_str(), en_doc["language"].as_str()), (Some("en"), Some("en")));
    assert_eq!((composition(&es_doc)["language"].as_str(), es_doc["language"].as_str()), (Some("es"), Some("es")));
    let allergies = section(&es_doc, ips::ALLERGIES.loinc);
    assert_eq!(allergies["title"], "Alergias e intolerancias");
    assert_eq!(section(&en_doc, ips::ALLERGIES.loinc)["title"], "Allergies and Intolerances");
    let div = allergies["text"]["div"].as_str().unwrap();
    assert!(div.contains(r#"lang="es" xml:lang="es""#), "{div}");
    assert!(div.contains("<th>Sustancia</th>") && div.contains("<td>Penicillin</td><td></td><td>hives</td>"), "{div}");
    assert_eq!(composition(&es_doc)["title"], "Resumen de salud de Ada Lovelace");

    // The SBAR: Spanish headings and sentences, what the patient typed as typed, dates in Spanish.
    let sbar = section(&es_doc, SBAR_SECTION.1);
    assert_eq!(sbar["title"], "Resumen de traspaso del paciente (SBAR)");
    assert_eq!(sbar["code"]["coding"][0]["display"], "Patient's hand-off summary (SBAR)", "a code's display stays");
    let div = sbar["text"]["div"].as_str().unwrap();
    for text in [
        "<h3>Situación</h3>",
        "<h3>Antecedentes</h3>",
        "Ada Lovelace, 65 años",
        "Consulta del 30 de noviembre de 2026, 09:30 con Dr Patel: Dizzy when standing up.",
        "Problemas de salud activos: Type 2 diabetes.",
        "Alergias: Penicillin (hives).",
        "Metformin 500 mg, una vez al día.",
        "Could my pills cause this?",
    ] {
        assert!(div.contains(text), "{text} not in {div}");
    }
    let problems = section(&es_doc, ips::PROBLEMS.loinc)["text"]["div"].as_str().unwrap();
    assert!(problems.contains("<td>marzo de 2015</td>"), "{problems}");
    let medications = section(&es_doc, ips::MEDICATIONS.loinc)["text"]["div"].as_str().unwrap();
    assert!(medications.contains("Activo, desde el 14 de marzo de 2019"), "{medications}");
    assert!(medications.contains("<td>una vez al día</td>"), "{medications}");
    assert!(medications.contains("<th>Cómo lo toma (registro de dosis del paciente)</th>"), "{medications}");

    // The trend's words, with its days in Spanish.
    let trend = section(&es_doc, TRENDS_SECTION);
    assert_eq!(trend["title"], "Tendencias que el paciente eligió compartir");
    let div = trend["text"]["div"].as_str().unwrap();
    assert!(div.contains("2 mediciones del 1 de noviembre de 2026 al 20 de noviembre de 2026."), "{div}");
    assert!(div.contains("<td>20 de noviembre de 2026, 08:00</td>"), "{div}");

    // The viewer's reader finds every section by its code in both, with the same entries.
    let en = ips::read_document(&en_doc).unwrap();
    let es = ips::read_document(&es_doc).unwrap();
    let shape = |s: &ips::Summary| -> Vec<(Option<String>, SectionState)> {
        s.sections.iter().map(|s| (s.loinc.clone(), s.state.clone())).collect()
    };
    assert_eq!(shape(&en), shape(&es));
    assert_eq!((en.language.as_deref(), es.language.as_deref()), (Some("en"), Some("es")));
    assert_eq!(es.section(ips::ALLERGIES).unwrap().lines, en.section(ips::ALLERGIES).unwrap().lines);
    let sbar = es.sections.iter().find(|s| s.loinc.as_deref() == Some(SBAR_SECTION.1)).unwrap();
    assert_eq!(sbar.title, "Resumen de traspaso del paciente (SBAR)");
    assert_eq!(sbar.lines[0].title, "Situación");
    assert_eq!(sbar.lines.len(), 4);
    let trend = es.sections.iter().find(|s| s.loinc.as_deref() == Some(TRENDS_SECTION)).unwrap();
    assert_eq!(trend.lines[0].detail("1 de noviembre de 2026, 08:00"), Some("82"));
    assert_eq!(
        en.medications.iter().map(|m| &m.name).collect::<Vec<_>>(),
        es.medications.iter().map(|m| &m.name).collect::<Vec<_>>()
    );
}

#[test]
fn the_dose_log_line_is_written_in_the_patients_language() {
    use health_binder_core::model::{Frequency, PeriodUnit};
    let mut b = Binder::new("Ada", Utc.with_ymd_and_hms(2026, 11, 1, 10, 0, 0).unwrap());
    let daily = Frequency::Scheduled { times: 1, every: 1, unit: PeriodUnit::Day };
    let added = Utc.with_ymd_and_hms(2026, 11, 1, 10, 0, 0).unwrap();
    b.add(Medication { name: "Ramipril".into(), frequency: daily, ..Medication::default() }, Source::Patient, added)
        .unwrap();
    let at = LocalDateTime::from_local(2026, 12, 15, 21, 0, 60).unwrap();
    let es = spanish();
    let es_lines = health_binder_core::doses::taking_lines(&b, at, &|_| 60, &Texts::new("es", Some(&es)));
    let en_lines = health_binder_core::doses::taking_lines(&b, at, &|_| 60, &Texts::ENGLISH);
    assert_eq!(en_lines[0].1, "Taken 0 of 14 scheduled doses in the last 14 days; 14 not logged");
    assert_eq!(es_lines[0].1, "Tomadas 0 de 14 dosis programadas en los últimos 14 días; 14 sin registrar");
}
