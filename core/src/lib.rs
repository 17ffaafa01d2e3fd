//! Health Binder's rules, free of any browser API so that they compile natively (where most tests
//! run) and to wasm32 (where the app runs them).
//!
//! - [`forms`]: the sections' forms described as data, and reading what the patient typed.
//! - [`model`]: the binder and its entries, with the domain methods the UI calls.
//! - [`doses`]: when doses are due (time zones, clock changes), the day's list, adherence, as-needed limits.
//! - [`schema`]: loading stored binders of every schema version (migrations).
//! - [`vault`]: Argon2id-wrapped data key, XChaCha20-Poly1305 sealed generations.
//! - [`jwe`], [`shl`], [`ips`]: the SMART Health Link share format and its FHIR IPS payload.
//! - [`shc`]: SMART Health Cards read and checked against a shipped trust list of issuers.
//! - [`calendar`]: appointments (and other dated items) as an iCalendar file with reminders.
//! - [`emergency`]: the emergency card readable without the passphrase, and its plain text.
//! - [`printout`]: the whole binder as printed, every section.
//! - [`reconcile`]: medication reconciliation (current list against new orders) and its drug table.
//! - [`reply`]: what a clinician sends back (encrypted to the share's reply key) and its review.
//! - [`order`]: the one stable ordering of the short lists the app shows.
//! - [`i18n`]: language catalogues (English text as the key), placeholders, plurals, language choice.
//! - [`trends`]: vitals, symptom scores and results over time: chart geometry, text equivalent, table.

pub mod b64;
pub mod calendar;
pub mod doses;
pub mod emergency;
pub mod forms;
pub mod i18n;
pub mod ips;
pub mod jwe;
pub mod model;
pub mod order;
pub mod printout;
pub mod random;
pub mod reconcile;
pub mod reply;
pub mod said;
pub mod sbar;
pub mod schema;
pub mod share;
pub mod shc;
pub mod shl;
pub mod trends;
pub mod vault;

pub use model::{Binder, Entry, EntryMeta, Medication, Source};
