//! The list sections the app shows with the generic form: care team, history, results,
//! appointments, vitals and notes. Each section is one file implementing `SectionForm` (its
//! words, its fields, how an entry reads as text values for editing and as a row for the list, and
//! how values become a checked entry); [`ListSection`] is the name the app holds, matched to its
//! file in one place (`with_form!`). Adding a section: its file, a variant, a line in `ALL` and an
//! arm in `with_form!`.

mod appointments;
mod care_team;
mod conditions;
mod immunizations;
mod notes;
mod procedures;
mod results;
mod vitals;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Field, Values, ZoneOffset, value};
use crate::model::{
    Binder, BinderError, LocalDateTime, PartialDate, Provider, SectionItem, Source, ValidationError, When,
    format_number,
};
use crate::order::ordered;

/// A section of the binder with the generic form, as the app names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListSection {
    CareTeam,
    Conditions,
    Procedures,
    Immunizations,
    Results,
    Appointments,
    Vitals,
    Notes,
}

/// Runs `$body` with `$form` standing for `$section`'s [`SectionForm`]: the one place a section
/// meets its file. Static dispatch: every use compiles to a jump to that section's own code, with
/// no trait objects in the download.
macro_rules! with_form {
    ($section:expr, |$form:ident| $body:expr) => {
        match $section {
            ListSection::CareTeam => {
                type $form = care_team::CareTeam;
                $body
            }
            ListSection::Conditions => {
                type $form = conditions::Conditions;
                $body
            }
            ListSection::Procedures => {
                type $form = procedures::Procedures;
                $body
            }
            ListSection::Immunizations => {
                type $form = immunizations::Immunizations;
                $body
            }
            ListSection::Results => {
                type $form = results::Results;
                $body
            }
            ListSection::Appointments => {
                type $form = appointments::Appointments;
                $body
            }
            ListSection::Vitals => {
                type $form = vitals::Vitals;
                $body
            }
            ListSection::Notes => {
                type $form = notes::Notes;
                $body
            }
        }
    };
}

/// The words a section is shown with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionText {
    /// The heading: "Care team".
    pub title: &'static str,
    /// The buttons and form headings for one entry: "Add condition", "Edit condition", "Save
    /// condition" (whole texts, not a verb glued to a noun: a language may need to reorder them
    /// or agree the verb with the noun).
    pub add: &'static str,
    pub edit: &'static str,
    pub save: &'static str,
    /// A stable identifier for element ids and test hooks: "care-team".
    pub slug: &'static str,
    /// What the empty list says.
    pub empty: &'static str,
}

/// One entry as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: Uuid,
    pub title: Line,
    /// Lines under the title; empty ones are left out.
    pub details: Vec<Line>,
    /// A word that matters at a glance: "Primary care", "Resolved", "High" (a `msg!` text).
    pub badge: Option<&'static str>,
}

/// A line of a row as a catalogue text and the values of its `{placeholders}`, so the app shows
/// it in the reader's language (`fill(t(template), values)`) and a language may reorder it: "Since
/// {date}" rather than "Since " glued to a date. What the patient typed is a value, never translated.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// A `msg!` text, or "{text}" for a line that is only the patient's words.
    pub template: &'static str,
    pub values: Vec<(&'static str, Value)>,
}

/// A value in a line: words, or a date the app writes the way the reader's language does.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Date(PartialDate),
    /// A wall-clock time, shown as entered (in the zone it was entered in).
    At(LocalDateTime),
    /// A measurement: its numbers (two for a blood pressure, written "128/82") and its unit
    /// ("kg", "mmHg"; empty for none), the numbers written as the reader writes them ("71,5 kg").
    Number {
        values: Vec<f64>,
        unit: String,
    },
    /// A range: "4–6", "> 4" (only a low end), "< 6" (only a high end).
    Range {
        low: Option<f64>,
        high: Option<f64>,
    },
}

impl Value {
    /// The value in English ("14 March 2015", "3 December 2026, 09:30", "71.5 kg").
    pub fn text(&self) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::Date(date) => date.text(),
            Value::At(at) => at.text(),
            Value::Number { .. } | Value::Range { .. } => self.numbers_text(&format_number),
        }
    }

    /// A measurement or a range with its numbers written by `number` (the app's `Intl`: "71,5
    /// kg"); any other value as [`Value::text`].
    pub fn numbers_text(&self, number: &dyn Fn(f64) -> String) -> String {
        match self {
            Value::Number { values, unit } => {
                let numbers = values.iter().map(|v| number(*v)).collect::<Vec<_>>().join("/");
                if unit.is_empty() { numbers } else { format!("{numbers} {unit}") }
            }
            Value::Range { low, high } => match (low, high) {
                (Some(l), Some(h)) => format!("{}\u{2013}{}", number(*l), number(*h)),
                (Some(l), None) => format!("> {}", number(*l)),
                (None, Some(h)) => format!("< {}", number(*h)),
                (None, None) => String::new(),
            },
            other => other.text(),
        }
    }
}

impl From<PartialDate> for Value {
    fn from(date: PartialDate) -> Self {
        Value::Date(date)
    }
}

impl From<LocalDateTime> for Value {
    fn from(at: LocalDateTime) -> Self {
        Value::At(at)
    }
}

impl From<When> for Value {
    fn from(when: When) -> Self {
        match when {
            When::Date(date) => Value::Date(date),
            When::At(at) => Value::At(at),
        }
    }
}

impl Line {
    /// The line in English (the template filled in).
    pub fn text(&self) -> String {
        let values: Vec<(&str, String)> = self.values.iter().map(|(k, v)| (*k, v.text())).collect();
        let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        crate::i18n::fill(self.template, &values)
    }
}

/// Everything one section's form knows; the rest (finding entries, storing, deleting, ordering)
/// is the same for every section and lives below.
pub(crate) trait SectionForm {
    /// The binder's entry this section lists.
    type Item: SectionItem + Clone;
    const TEXT: SectionText;
    const FIELDS: &'static [Field];

    /// What a new entry's form starts from (timed entries start now).
    fn new_values(_now: &LocalDateTime) -> Values {
        Values::new()
    }

    /// An entry as text values, for editing.
    fn values(item: &Self::Item) -> Values;

    /// What was typed, as an entry; every problem at once, each under its field's key. `base` is
    /// the entry being edited, for what the form does not show.
    fn read(values: &Values, base: Option<&Self::Item>, zone: ZoneOffset) -> Result<Self::Item, Vec<ValidationError>>;

    /// An entry as the list shows it (`binder` names the care-team members it points to).
    fn row(id: Uuid, item: &Self::Item, binder: &Binder) -> Row;

    /// Where an entry sorts in the list, smallest first; equal keys keep the binder's order.
    fn order(_item: &Self::Item) -> i64 {
        0
    }
}

impl ListSection {
    pub const ALL: [ListSection; 8] = [
        Self::CareTeam,
        Self::Conditions,
        Self::Procedures,
        Self::Immunizations,
        Self::Results,
        Self::Appointments,
        Self::Vitals,
        Self::Notes,
    ];

    pub fn text(self) -> &'static SectionText {
        with_form!(self, |Form| &Form::TEXT)
    }

    pub fn fields(self) -> &'static [Field] {
        with_form!(self, |Form| Form::FIELDS)
    }

    /// The section's entries as the list shows them, in the order that helps: upcoming
    /// appointments first, the newest readings, notes and results first.
    pub fn rows(self, b: &Binder) -> Vec<Row> {
        with_form!(self, |Form| rows::<Form>(b))
    }

    /// The values a form starts from: entry `id`'s, or a new entry's.
    pub fn values(self, b: &Binder, id: Option<Uuid>, now: LocalDateTime) -> Values {
        with_form!(self, |Form| values::<Form>(b, id, &now))
    }

    /// Adds (`id` None) or changes entry `id` from the form's values. Every problem comes back at
    /// once, each under its field's key; a refused save changes nothing.
    pub fn save(
        self,
        b: &mut Binder,
        id: Option<Uuid>,
        values: &Values,
        zone: ZoneOffset,
        now: DateTime<Utc>,
    ) -> Result<Uuid, BinderError> {
        with_form!(self, |Form| store(b, id, now, |base| Form::read(values, base, zone)))
    }

    pub fn delete(self, b: &mut Binder, id: Uuid, now: DateTime<Utc>) -> Result<(), BinderError> {
        with_form!(self, |Form| b.delete::<<Form as SectionForm>::Item>(id, now))
    }
}

fn rows<F: SectionForm>(b: &Binder) -> Vec<Row> {
    ordered(F::Item::entries(b).iter().map(|e| (F::order(&e.data), F::row(e.id(), &e.data, b))).collect())
}

fn values<F: SectionForm>(b: &Binder, id: Option<Uuid>, now: &LocalDateTime) -> Values {
    match id {
        None => F::new_values(now),
        Some(id) => b.get::<F::Item>(id).map(|e| F::values(&e.data)).unwrap_or_default(),
    }
}

fn store<T: SectionItem + Clone>(
    b: &mut Binder,
    id: Option<Uuid>,
    now: DateTime<Utc>,
    read: impl FnOnce(Option<&T>) -> Result<T, Vec<ValidationError>>,
) -> Result<Uuid, BinderError> {
    let base = match id {
        Some(id) => Some(b.get::<T>(id).ok_or(BinderError::NotFound)?.data.clone()),
        None => None,
    };
    let item = read(base.as_ref()).map_err(BinderError::Invalid)?;
    match id {
        Some(id) => b.update(id, item, now).map(|()| id),
        None => b.add(item, Source::Patient, now),
    }
}

/// The care team as choices: (id, "Dr Patel (Cardiologist)").
pub fn care_team_choices(b: &Binder) -> Vec<(String, String)> {
    b.care_team.iter().map(|e| (e.id().to_string(), e.data.text())).collect()
}

// What several sections' files share.

/// The name of care-team member `id`, if they are still in the binder.
fn provider_name(b: &Binder, id: Uuid) -> Option<String> {
    b.get::<Provider>(id).map(|e| e.data.name.clone())
}

/// The lines that are there (a line whose value is empty is left out).
fn details<const N: usize>(lines: [Option<Line>; N]) -> Vec<Line> {
    lines.into_iter().flatten().collect()
}

/// A title that is only the patient's words.
fn own(text: String) -> Line {
    Line { template: "{text}", values: vec![("text", Value::Text(text))] }
}

/// A line (or a title) that is only a date or a time.
fn when(value: impl Into<Value>) -> Line {
    Line { template: "{date}", values: vec![("date", value.into())] }
}

/// `template` with `{date}` filled by `date`, or nothing without a date.
fn dated(template: &'static str, date: Option<PartialDate>) -> Option<Line> {
    date.map(|d| Line { template, values: vec![("date", Value::Date(d))] })
}

/// A line holding only the patient's words, or nothing when they are empty.
fn plain(text: &str) -> Option<Line> {
    labelled("{text}", "text", text)
}

/// `template` with `key` filled by `text` ("Lot {lot}"), or nothing when `text` is empty.
fn labelled(template: &'static str, key: &'static str, text: &str) -> Option<Line> {
    (!text.is_empty()).then(|| Line { template, values: vec![(key, Value::Text(text.to_owned()))] })
}

fn date_text(date: Option<PartialDate>) -> String {
    date.map(|d| d.text()).unwrap_or_default()
}

fn text_of(values: &Values, key: &str) -> String {
    value(values, key).to_owned()
}
