//! Loading a stored binder of any schema version this build knows, migrating it step by step to
//! the current one. Every released version keeps a fixture in `tests/fixtures/` that must load.

use serde_json::Value;

use crate::model::{Binder, CURRENT_SCHEMA};

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("This binder was saved by a newer version of Health Binder (schema {0}). Update the app to open it.")]
    TooNew(u32),
    #[error("The stored binder is not readable: {0}")]
    Malformed(String),
}

/// Just the version, read before the rest so the right migrations can run.
#[derive(serde::Deserialize)]
struct Version {
    schema: Option<u64>,
}

/// Parses stored binder JSON of any known schema version.
pub fn load(json: &[u8]) -> Result<Binder, SchemaError> {
    let malformed = |e: serde_json::Error| SchemaError::Malformed(e.to_string());
    let version = serde_json::from_slice::<Version>(json).map_err(malformed)?.schema;
    let version = version
        .and_then(|v| u32::try_from(v).ok())
        .filter(|&v| v >= 1)
        .ok_or_else(|| SchemaError::Malformed("no schema version".into()))?;
    if version > CURRENT_SCHEMA {
        return Err(SchemaError::TooNew(version));
    }
    if version == CURRENT_SCHEMA {
        // The usual case reads straight into the model, without an intermediate JSON tree.
        return serde_json::from_slice(json).map_err(malformed);
    }
    let mut value: Value = serde_json::from_slice(json).map_err(malformed)?;
    for from in version..CURRENT_SCHEMA {
        value = MIGRATIONS[from as usize - 1](value);
    }
    // Back through bytes rather than `from_value`: one deserializer type for the whole model
    // (a second one doubles every derived `Deserialize` in the browser's download); migrating
    // happens once per stored generation, so the extra pass costs nothing that matters.
    let migrated = serde_json::to_vec(&value).map_err(malformed)?;
    serde_json::from_slice(&migrated).map_err(malformed)
}

/// `MIGRATIONS[n - 1]` rewrites the JSON of schema n into schema n + 1. A step is added here, with
/// a fixture of the old version, whenever the model changes in a way old JSON does not
/// deserialize into.
pub const MIGRATIONS: [fn(Value) -> Value; CURRENT_SCHEMA as usize - 1] = [v1_to_v2, v2_to_v3, v3_to_v4, v4_to_v5];

/// Schema 2 adds the care team, allergies (with their explicit status), conditions, procedures,
/// immunizations, results, appointments, vitals and notes — all required in the stored JSON, so
/// that a binder never silently reads as "nothing recorded" because a section went missing — and
/// gives each medication an explicit status. A v1 binder knew none of this: its allergies were
/// never asked about (`not_recorded`, never "none known") and its medications were all current.
fn v1_to_v2(mut value: Value) -> Value {
    let Some(binder) = value.as_object_mut() else { return value };
    binder.insert("schema".into(), Value::from(2));
    for section in [
        "care_team",
        "allergies",
        "conditions",
        "procedures",
        "immunizations",
        "results",
        "appointments",
        "vitals",
        "notes",
    ] {
        binder.entry(section).or_insert_with(|| Value::Array(Vec::new()));
    }
    binder.entry("allergy_status").or_insert_with(|| Value::from("not_recorded"));
    if let Some(medications) = binder.get_mut("medications").and_then(Value::as_array_mut) {
        for data in medications.iter_mut().filter_map(|m| m.get_mut("data")?.as_object_mut()) {
            data.entry("status").or_insert_with(|| Value::from("active"));
        }
    }
    value
}

/// Schema 3 gives each medication its directions as written (`instructions`, empty for what was
/// typed before): nothing else changes, so the step only moves the version on.
fn v2_to_v3(mut value: Value) -> Value {
    let Some(binder) = value.as_object_mut() else { return value };
    binder.insert("schema".into(), Value::from(3));
    if let Some(medications) = binder.get_mut("medications").and_then(Value::as_array_mut) {
        for data in medications.iter_mut().filter_map(|m| m.get_mut("data")?.as_object_mut()) {
            data.entry("instructions").or_insert_with(|| Value::from(""));
        }
    }
    value
}

/// Schema 4 adds tasks (follow-ups and the care transition checklist), required in the stored
/// JSON like every other section. Share records may now keep a reply key and replies, and a
/// medication's verification where it came from; all three default to nothing, so old JSON needs
/// no rewriting for them.
fn v3_to_v4(mut value: Value) -> Value {
    let Some(binder) = value.as_object_mut() else { return value };
    binder.insert("schema".into(), Value::from(4));
    binder.entry("tasks").or_insert_with(|| Value::Array(Vec::new()));
    value
}

/// Schema 5 adds the dose log and the reminder settings, required in the stored JSON like every
/// section: a binder from before kept no log, and gets the default reminders (doses when due,
/// appointments an hour ahead, no quiet hours, no system notifications).
fn v4_to_v5(mut value: Value) -> Value {
    let Some(binder) = value.as_object_mut() else { return value };
    binder.insert("schema".into(), Value::from(5));
    binder.entry("dose_log").or_insert_with(|| serde_json::json!({ "medications": [] }));
    binder.entry("reminders").or_insert_with(|| {
        serde_json::json!({ "doses": true, "appointment_minutes_before": 60, "quiet": null, "notifications": false })
    });
    value
}

pub fn to_json(binder: &Binder) -> Vec<u8> {
    serde_json::to_vec(binder).expect("a binder always serializes")
}
