//! The binder: plain structs with domain methods (as in Leptos' todomvc), so the UI holds signals
//! only at its edge and every rule is tested natively.

mod binder;
mod care_team;
mod clinical;
mod dates;
mod dose_log;
mod entry;
mod journal;
mod medication;
mod profile;
mod reminders;
mod share;
mod task;
mod validate;

pub use binder::{AllergyState, AllergyStatus, Binder, BinderError, CURRENT_SCHEMA, SectionItem};
pub use care_team::Provider;
pub use clinical::{
    Allergy, AllergyCategory, ClinicalCode, CodeSystem, Condition, ConditionStatus, Criticality, Immunization,
    Interpretation, Procedure, ResultValue, Severity, TestResult, When, is_loinc,
};
pub use dates::{DateError, LocalDateTime, LocalParts, PartialDate, TimeOfDay, days_in_month, fhir_date_text};
pub(crate) use dates::{civil_from_days, days_from_civil};
pub use dose_log::{
    DETAILED_MONTHS, DoseLog, DoseMark, DoseRecord, DoseStatus, LATE_AFTER_MINUTES, MedicationLog, MonthCounts,
};
pub use entry::{Entry, EntryMeta, Source, Tombstone};
pub use journal::{Appointment, GlucoseUnit, Measurement, Note, ProviderRef, VitalSign};
pub use medication::{
    Frequency, Medication, MedicationKind, MedicationStatus, PeriodUnit, Quantity, ValidationError, Verification,
    format_number, parse_number, rounded,
};
pub use profile::{BloodType, Contact, Profile, Sex, is_language_tag};
pub use reminders::{MAX_APPOINTMENT_MINUTES_BEFORE, QuietHours, ReminderSettings};
pub use share::{ReceivedReply, ShareRecord};
pub use task::{Task, transition_checklist};
pub(crate) use validate::Problems;
pub use validate::translate_problem;
