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
    serde_json::from_value(value).map_err(malformed)
}

/// `MIGRATIONS[n - 1]` rewrites the JSON of schema n into schema n + 1. Schema 1 is the first
/// released one, so there are none yet; a step is added here, with a fixture of the old version,
/// whenever the model changes in a way old JSON does not deserialize into.
const MIGRATIONS: [fn(Value) -> Value; CURRENT_SCHEMA as usize - 1] = [];

pub fn to_json(binder: &Binder) -> Vec<u8> {
    serde_json::to_vec(binder).expect("a binder always serializes")
}
