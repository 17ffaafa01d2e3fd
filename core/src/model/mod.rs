//! The binder: plain structs with domain methods (as in Leptos' todomvc), so the UI holds signals
//! only at its edge and every rule is tested natively.

mod binder;
mod entry;
mod medication;
mod share;

pub use binder::{Binder, BinderError, CURRENT_SCHEMA, Profile};
pub use entry::{Entry, EntryMeta, Source, Tombstone};
pub use medication::{
    Frequency, Medication, MedicationKind, PeriodUnit, Quantity, ValidationError, format_number, parse_number, rounded,
};
pub use share::ShareRecord;
