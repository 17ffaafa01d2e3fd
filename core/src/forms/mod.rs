//! Forms for the binder's sections, described as data: which fields a section has, what the
//! patient typed into each (as text), and how that text becomes a checked entry.
//!
//! The app renders every section but medications and allergies with one form component driven by
//! these descriptions, so the rules (parsing dates and numbers, which field a problem belongs to)
//! live here, tested natively, and the download carries one form instead of nine.

mod fields;
mod profile;
mod sections;
mod tasks;

pub use fields::{
    Field, FieldKind, date_for_editing, datetime_input, number_for_editing, parse_date, parse_date_in,
    parse_local_datetime, typed_date,
};
pub use profile::{PROFILE_FIELDS, profile_values, save_profile};
pub use sections::{Line, ListSection, Row, SectionText, Value, care_team_choices};
pub use tasks::{TASK_FIELDS, TaskRow, save_task, task_rows, task_values, tick_task};

use crate::model::LocalParts;

/// What the patient typed, by field key. A missing key reads as empty. (A list, not a map: a form
/// has a dozen fields, and a map's code would cost the download more than the lookups cost.)
pub type Values = Vec<(&'static str, String)>;

/// The value of `key`, or "".
pub fn value<'a>(values: &'a Values, key: &str) -> &'a str {
    values.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| v.as_str())
}

/// Sets `key` to `text`, replacing what it held.
pub fn set(values: &mut Values, key: &'static str, text: impl Into<String>) {
    let text = text.into();
    match values.iter_mut().find(|(k, _)| *k == key) {
        Some((_, v)) => *v = text,
        None => values.push((key, text)),
    }
}

/// Minutes east of UTC in the patient's time zone at a local wall-clock time (the browser knows;
/// native tests pass a fixed offset). Asked per time so a summer appointment made in winter keeps
/// its summer offset.
pub type ZoneOffset<'a> = &'a dyn Fn(LocalParts) -> i16;
