//! Every schema version ever stored must still load: one fixture per version.

use health_binder_core::model::{
    AllergyState, AllergyStatus, Binder, CURRENT_SCHEMA, ConditionStatus, Frequency, GlucoseUnit, Measurement,
    MedicationKind, MedicationStatus, PartialDate, ProviderRef, ReminderSettings, ResultValue, Sex, TimeOfDay, When,
};
use health_binder_core::schema::{self, SchemaError};

#[test]
fn schema_v1_fixture_loads() {
    let binder = schema::load(include_bytes!("fixtures/binder-v1.json")).unwrap();
    assert_eq!(binder.profile.name, "Ada Lovelace");
    assert_eq!(binder.medications.len(), 2);
    let prn = &binder.medications[1].data;
    assert_eq!(prn.kind, MedicationKind::OverTheCounter);
    assert_eq!(prn.frequency, Frequency::AsNeeded { max_per_day: Some(3) });
    assert_eq!(binder.tombstones.len(), 1);
    assert_eq!(binder.shares[0].flag, "U");
    // Migrated to the current schema with its data intact and the new sections empty.
    assert_eq!(binder.schema, CURRENT_SCHEMA);
    assert_eq!(binder.medications[0].data.name, "Metformin");
    assert_eq!(binder.medications[0].data.status, MedicationStatus::Active);
    assert_eq!(binder.medications[1].meta.created_at.timestamp_millis(), 1793610300000);
    assert_eq!(binder.allergy_state(), AllergyState::NotRecorded, "never asked is not 'none known'");
    assert!(binder.care_team.is_empty() && binder.allergies.is_empty() && binder.vitals.is_empty());
    assert_eq!(binder.profile.sex, Sex::Unknown);
}

#[test]
fn schema_v1_needs_its_migration() {
    let v1 = include_bytes!("fixtures/binder-v1.json");
    assert!(serde_json::from_slice::<Binder>(v1).is_err(), "v1 JSON lacks the sections v2 requires");
    let migrated = schema::MIGRATIONS[0](serde_json::from_slice(v1).unwrap());
    assert_eq!(migrated["schema"], 2);
    assert_eq!(migrated["allergy_status"], "not_recorded");
    assert_eq!(migrated["medications"][1]["data"]["status"], "active");
    // Re-saved, it loads straight as v2.
    let binder = schema::load(v1).unwrap();
    assert_eq!(schema::load(&schema::to_json(&binder)).unwrap(), binder);
}

#[test]
fn schema_v2_fixture_loads_every_section() {
    let binder = schema::load(include_bytes!("fixtures/binder-v2.json")).unwrap();
    let date = |t| PartialDate::parse(t).unwrap();
    let p = &binder.profile;
    assert_eq!((p.name.as_str(), p.birth_date, p.sex), ("Ada Lovelace", Some(date("1960-12-10")), Sex::Female));
    assert_eq!(p.blood_type.unwrap().label(), "O−");
    assert_eq!(p.emergency_contacts[0].relationship, "Son");
    assert_eq!(p.caregiver.as_ref().unwrap().name, "Mary Somerville");

    let gp = binder.primary_care().unwrap();
    assert_eq!(gp.data.name, "Dr Grace Hopper");
    assert_eq!(binder.care_team.len(), 2);

    let metformin = &binder.medications[0].data;
    assert_eq!(
        metformin.frequency,
        Frequency::AtTimes { times: vec![TimeOfDay::new(8, 0).unwrap(), TimeOfDay::new(20, 0).unwrap()] }
    );
    assert_eq!(metformin.prescriber, Some(gp.id()));
    assert_eq!(metformin.verified.as_ref().unwrap().text(), "Last verified on 1 November 2026 by Dr Grace Hopper");
    let statin = &binder.medications[1].data;
    assert_eq!(statin.status, MedicationStatus::Stopped { reason: "muscle pain".into() });
    assert_eq!(statin.stopped, Some(date("2024-05-02")));

    assert_eq!(binder.allergy_status, AllergyStatus::NotRecorded);
    assert_eq!(binder.allergy_state(), AllergyState::Listed(1));
    assert_eq!(binder.allergies[0].data.substance, "Penicillin");
    assert_eq!(binder.conditions[1].data.status, ConditionStatus::Resolved);
    assert_eq!(binder.procedures[0].data.date, Some(date("1978")));
    assert_eq!(binder.immunizations[0].data.dose_number, Some(1));
    assert!(matches!(binder.results[0].data.value, ResultValue::Quantity(ref q) if q.value == 6.8));
    assert!(matches!(binder.results[1].data.when, When::At(at) if at.fhir() == "2026-10-02T08:30:00+01:00"));
    assert_eq!(binder.appointments[0].data.with, Some(ProviderRef::CareTeam(binder.care_team[1].id())));
    assert_eq!(binder.appointments[0].data.at.text(), "3 December 2026, 08:30");
    assert_eq!(binder.vitals.len(), 6);
    assert_eq!(binder.vitals[3].data.measurement, Measurement::Glucose { value: 6.1, unit: GlucoseUnit::MmolPerL });
    assert_eq!(binder.notes[0].data.severity, Some(4));
    assert_eq!(binder.tombstones.len(), 1);
    assert_eq!(binder.shares[0].max_uses, Some(3));

    // Every entry is valid by the rules the forms apply, and the binder round-trips unchanged.
    assert!(binder.medications.iter().all(|e| e.data.clone().validated().is_ok()));
    assert!(binder.vitals.iter().all(|e| e.data.clone().validated().is_ok()));
    assert!(binder.results.iter().all(|e| e.data.clone().validated().is_ok()));
    assert!(binder.profile.clone().validated().is_ok());
    assert_eq!(schema::load(&schema::to_json(&binder)).unwrap(), binder);
}

#[test]
fn a_binder_from_a_newer_app_is_refused_clearly() {
    let json = format!(r#"{{"schema": {}}}"#, CURRENT_SCHEMA + 1);
    let err = schema::load(json.as_bytes()).unwrap_err();
    assert!(matches!(err, SchemaError::TooNew(_)));
    assert!(err.to_string().contains("newer version of Health Binder"));
}

#[test]
fn garbage_is_refused() {
    assert!(matches!(schema::load(b"{\"no\": 1}"), Err(SchemaError::Malformed(_))));
    assert!(matches!(schema::load(b"\xff"), Err(SchemaError::Malformed(_))));
}

#[test]
fn schema_v2_migrates_to_v3_with_empty_directions() {
    let v2 = include_bytes!("fixtures/binder-v2.json");
    let migrated = schema::MIGRATIONS[1](serde_json::from_slice(v2).unwrap());
    assert_eq!(migrated["schema"], 3);
    assert_eq!(migrated["medications"][0]["data"]["instructions"], "");
    let binder = schema::load(v2).unwrap();
    assert_eq!(binder.schema, CURRENT_SCHEMA);
    assert!(binder.medications.iter().all(|m| m.data.instructions.is_empty()));
    assert_eq!(schema::load(&schema::to_json(&binder)).unwrap(), binder);
}

#[test]
fn schema_v3_fixture_loads_and_gains_an_empty_task_list() {
    let v3 = include_bytes!("fixtures/binder-v3.json");
    assert!(serde_json::from_slice::<Binder>(v3).is_err(), "v3 JSON lacks the tasks v4 requires");
    let migrated = schema::MIGRATIONS[2](serde_json::from_slice(v3).unwrap());
    assert_eq!(migrated["schema"], 4);
    assert_eq!(migrated["tasks"], serde_json::json!([]));
    let binder = schema::load(v3).unwrap();
    assert_eq!(binder.schema, CURRENT_SCHEMA);
    assert!(binder.tasks.is_empty());
    assert_eq!(binder.medications[0].data.instructions, "1 tablet with breakfast and supper");
    assert_eq!(binder.shares[0].reply_key, None, "a share made before replies takes none");
    assert!(binder.shares[0].replies.is_empty());
    assert_eq!(
        binder.medications[0].data.verified.as_ref().unwrap().text(),
        "Last verified on 1 November 2026 by Dr Grace Hopper"
    );
    assert_eq!(schema::load(&schema::to_json(&binder)).unwrap(), binder);
}

#[test]
fn schema_v4_fixture_loads_with_an_empty_dose_log_and_default_reminders() {
    let v4 = include_bytes!("fixtures/binder-v4.json");
    assert!(serde_json::from_slice::<Binder>(v4).is_err(), "v4 JSON lacks the dose log v5 requires");
    let migrated = schema::MIGRATIONS[3](serde_json::from_slice(v4).unwrap());
    assert_eq!(migrated["schema"], 5);
    assert_eq!(migrated["dose_log"], serde_json::json!({ "medications": [] }));
    let binder = schema::load(v4).unwrap();
    assert_eq!(binder.schema, CURRENT_SCHEMA);
    assert!(binder.dose_log.medications.is_empty());
    assert_eq!(binder.reminders, ReminderSettings::default());
    assert!(binder.reminders.doses && binder.reminders.quiet.is_none() && !binder.reminders.notifications);
    // What schema 4 brought is intact.
    assert_eq!(binder.tasks.len(), 2);
    assert!(!binder.tasks[0].data.is_open() && binder.tasks[1].data.is_open());
    assert_eq!(binder.tasks[1].data.when_text(), "Due 8 December 2026");
    assert_eq!(binder.shares[0].reply_key.as_deref(), Some("q0Vx3k1n8mM0pQ4Jc2b9yT7uW5sR1aZ6dE3fG8hH2iI"));
    assert_eq!(
        binder.medications[0].data.verified.as_ref().unwrap().text(),
        "Verified on 1 December 2026 from a reply by Dr Grace Hopper, GP"
    );
    assert_eq!(schema::load(&schema::to_json(&binder)).unwrap(), binder);
}
