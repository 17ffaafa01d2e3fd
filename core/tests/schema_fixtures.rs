//! Every schema version ever stored must still load: one fixture per version.

use health_binder_core::model::{CURRENT_SCHEMA, Frequency, MedicationKind};
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
