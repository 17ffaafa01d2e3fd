//! The SBAR hand-off a shared document carries: built from the binder, deterministic, drawing only
//! on the sections the patient chose, with the visit's reason and questions when one is chosen.

use chrono::{TimeZone, Utc};
use health_binder_core::ips::{self, ALLERGIES, MEDICATIONS, PROBLEMS, SBAR_TITLE, VITAL_SIGNS};
use health_binder_core::model::{
    Allergy, Appointment, Binder, Condition, ConditionStatus, Frequency, LocalDateTime, Measurement, Medication,
    MedicationKind, PartialDate, PeriodUnit, ProviderRef, Sex, Source, VitalSign,
};
use health_binder_core::sbar;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
}

fn binder() -> (Binder, uuid::Uuid) {
    let mut b = Binder::new("Ada Lovelace", now());
    let mut profile = b.profile.clone();
    profile.birth_date = PartialDate::parse("1960-12-10").ok();
    profile.sex = Sex::Female;
    b.update_profile(profile, now()).unwrap();
    let med = |name: &str, strength: &str, kind| Medication {
        name: name.into(),
        strength: strength.into(),
        frequency: Frequency::Scheduled { times: 2, every: 1, unit: PeriodUnit::Day },
        kind,
        ..Medication::default()
    };
    b.add(med("Metformin", "500 mg", MedicationKind::Prescription), Source::Patient, now()).unwrap();
    b.add(med("Tylenol", "500 mg", MedicationKind::OverTheCounter), Source::Patient, now()).unwrap();
    b.add(med("Percocet", "5/325", MedicationKind::Prescription), Source::Patient, now()).unwrap();
    b.add(med("Vitamin D3", "1000 IU", MedicationKind::Supplement), Source::Patient, now()).unwrap();
    b.add(
        Allergy { substance: "Penicillin".into(), reaction: "hives".into(), ..Allergy::default() },
        Source::Patient,
        now(),
    )
    .unwrap();
    b.add(
        Condition {
            name: "Type 2 diabetes".into(),
            code: None,
            status: ConditionStatus::Active,
            onset: None,
            resolved: None,
            note: String::new(),
        },
        Source::Patient,
        now(),
    )
    .unwrap();
    for (day, systolic) in [(10, 128), (20, 142), (27, 151)] {
        let at = LocalDateTime::from_local(2026, 11, day, 8, 0, 60).unwrap();
        b.add(
            VitalSign { at, measurement: Measurement::BloodPressure { systolic, diastolic: 90 } },
            Source::Patient,
            now(),
        )
        .unwrap();
    }
    let visit = b
        .add(
            Appointment {
                at: LocalDateTime::from_local(2026, 11, 30, 9, 30, 60).unwrap(),
                with: Some(ProviderRef::Named("Dr Patel".into())),
                purpose: "Dizzy when standing up".into(),
                questions: vec![
                    "Could my blood pressure pills cause this?".into(),
                    "Should I keep taking Tylenol?".into(),
                ],
                follow_up: String::new(),
            },
            Source::Patient,
            now(),
        )
        .unwrap();
    (b, visit)
}

#[test]
fn situation_background_assessment_recommendation_come_from_the_binder() {
    let (b, visit) = binder();
    let s = sbar::build(
        &b,
        now(),
        &[ALLERGIES, MEDICATIONS, PROBLEMS, VITAL_SIGNS],
        Some(visit),
        &health_binder_core::ips::Texts::ENGLISH,
    );
    assert_eq!(s.situation[0], "Ada Lovelace, 65 years old, female.");
    assert!(s.situation[1].contains("with Dr Patel: Dizzy when standing up."), "{:?}", s.situation);
    assert_eq!(s.background[0], "Active problems: Type 2 diabetes.");
    assert_eq!(s.background[1], "Allergies: Penicillin (hives).");
    assert!(s.background[2].starts_with("Medications (4): Metformin 500 mg, twice a day;"), "{:?}", s.background);
    assert!(s.background[2].contains("Tylenol 500 mg, twice a day [over the counter]"));
    assert!(s.background[2].contains("Vitamin D3 1000 IU, twice a day [supplement]"));
    assert!(s.assessment[0].starts_with("Blood pressure: 151/90 mmHg"), "{:?}", s.assessment);
    assert!(s.assessment[0].contains("3 readings in 30 days, first 128/90 mmHg"));
    assert!(s.assessment.iter().any(|a| a == "Check: Tylenol 500 mg (same ingredient twice)."), "{:?}", s.assessment);
    assert!(s.assessment.iter().any(|a| a == "Check: Percocet 5/325 (same ingredient twice)."));
    assert_eq!(s.recommendation, ["Could my blood pressure pills cause this?", "Should I keep taking Tylenol?"]);
    // Deterministic: the same binder gives the same words.
    assert_eq!(
        s,
        sbar::build(
            &b,
            now(),
            &[ALLERGIES, MEDICATIONS, PROBLEMS, VITAL_SIGNS],
            Some(visit),
            &health_binder_core::ips::Texts::ENGLISH
        )
    );
}

#[test]
fn a_withheld_section_never_shows_through_the_summary() {
    let (b, _) = binder();
    let s = sbar::build(&b, now(), &[MEDICATIONS], None, &health_binder_core::ips::Texts::ENGLISH);
    let all =
        [s.situation.clone(), s.background.clone(), s.assessment.clone(), s.recommendation.clone()].concat().join(" ");
    for secret in ["Penicillin", "diabetes", "151/90", "Dizzy"] {
        assert!(!all.contains(secret), "{secret} leaked: {all}");
    }
    assert!(all.contains("Metformin"));
}

#[test]
fn the_summary_travels_as_a_narrative_section_every_receiver_shows() {
    let (b, visit) = binder();
    let options = ips::DocumentOptions { visit: Some(visit), ..Default::default() };
    let doc = ips::build_document(&b, now(), &options, &health_binder_core::ips::Texts::ENGLISH);
    let sections = doc["entry"][0]["resource"]["section"].as_array().unwrap();
    let section = sections.iter().find(|s| s["title"] == SBAR_TITLE).expect("an SBAR section");
    let div = section["text"]["div"].as_str().unwrap();
    for heading in ["Situation", "Background", "Assessment", "Recommendation"] {
        assert!(div.contains(&format!("<h3>{heading}")), "{div}");
    }
    assert!(div.contains("Should I keep taking Tylenol?"));
    assert!(section.get("entry").is_none(), "narrative only");
}

#[test]
fn the_summary_reads_back_as_text_in_the_viewer() {
    let (mut b, visit) = binder();
    let mut profile = b.profile.clone();
    profile.name = "Ada <b>Lovelace</b> & co".into();
    b.update_profile(profile, now()).unwrap();
    let doc = ips::build_document(
        &b,
        now(),
        &ips::DocumentOptions { visit: Some(visit), ..Default::default() },
        &health_binder_core::ips::Texts::ENGLISH,
    );
    let summary = ips::read_document(&doc).unwrap();
    let section = summary.sections.iter().find(|s| s.title == SBAR_TITLE).unwrap();
    let titles: Vec<&str> = section.lines.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Situation", "Background", "Assessment (patient-reported)", "Recommendation (the patient's questions)"]
    );
    assert_eq!(section.lines[0].details[0].1, "Ada <b>Lovelace</b> & co, 65 years old, female.", "as typed, as text");
    assert_eq!(section.lines[3].details[1].1, "Should I keep taking Tylenol?");
}
