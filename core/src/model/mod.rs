//! The binder: plain structs with domain methods (as in Leptos' todomvc), so the UI holds signals
//! only at its edge and every rule is tested natively.

mod binder;
mod entry;
mod medication;
mod share;

pub use binder::{Binder, BinderError, Profile, CURRENT_SCHEMA};
pub use entry::{Entry, EntryMeta, Source, Tombstone};
pub use medication::{format_number, parse_number, rounded, Frequency, Medication, MedicationKind, PeriodUnit, Quantity, ValidationError};
pub use share::ShareRecord;
