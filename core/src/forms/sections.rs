//! The list sections the app shows with the generic form: care team, history, results,
//! appointments, vitals and notes. Each knows its fields, how an entry reads as text values (for
//! editing) and as a row (for the list), and how values become a checked entry.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::fields::{FieldKind::*, datetime_input, field, optional_number, optional_whole, parse_date};
use super::{Field, Values, ZoneOffset, parse_local_datetime, value};
use crate::model::{
    Appointment, Binder, BinderError, ClinicalCode, CodeSystem, Condition, ConditionStatus, GlucoseUnit, Immunization,
    Interpretation, LocalDateTime, Measurement, Note, PartialDate, Problems, Procedure, Provider, ProviderRef,
    Quantity, ResultValue, SectionItem, Source, TestResult, ValidationError, VitalSign, When, format_number,
};
use crate::order::ordered;

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

/// One entry as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: Uuid,
    pub title: String,
    /// Lines under the title; empty ones are left out.
    pub details: Vec<String>,
    /// A word that matters at a glance: "Primary care", "Resolved", "High".
    pub badge: Option<&'static str>,
}

const CARE_TEAM: &[Field] = &[
    field("name", "Name", "(e.g. Dr Priya Patel)", Text),
    field("role", "Role or specialty", "(e.g. GP, cardiologist, pharmacist)", Text),
    field("organisation", "Practice or hospital", "", Text),
    field("phone", "Phone", "", Phone),
    field("fax", "Fax", "", Phone),
    field("email", "Email", "", Email),
    field("address", "Address", "", LongText),
    field("portal", "Patient portal link", "(starts with https://)", Url),
    field("primary_care", "This is my primary care provider", "", Check),
];

const CONDITION_STATUS: &[(&str, &str)] = &[("active", "Active"), ("resolved", "Resolved")];
const CODE_SYSTEMS: &[(&str, &str)] = &[("snomed", "SNOMED CT"), ("icd10", "ICD-10"), ("icd10cm", "ICD-10-CM")];
const CONDITIONS: &[Field] = &[
    field("name", "Condition", "(e.g. Type 2 diabetes, asthma)", Text),
    field("status", "Status", "", Choice(CONDITION_STATUS)),
    field("onset", "Since", "(e.g. 2015 or March 2015)", Date),
    field("resolved", "Resolved", "(if it is over)", Date),
    field("code_system", "Code system", "(optional, from a letter or portal)", Choice(CODE_SYSTEMS)),
    field("code", "Code", "(e.g. E11.9)", Text),
    field("note", "Note", "", LongText),
];

const PROCEDURES: &[Field] = &[
    field("name", "Procedure or surgery", "(e.g. Appendectomy)", Text),
    field("date", "When", "(e.g. 2015 or March 2015)", Date),
    field("performer", "Who did it, or where", "", Text),
    field("note", "Note", "", LongText),
];

const IMMUNIZATIONS: &[Field] = &[
    field("vaccine", "Vaccine", "(e.g. Influenza 2026/27, tetanus booster)", Text),
    field("date", "When", "(e.g. 2019 or 14 March 2019)", Date),
    field("dose_number", "Dose number", "(1 for the first of a series)", Number),
    field("lot", "Lot number", "", Text),
    field("given_by", "Given by", "(clinic or pharmacy)", Text),
];

const INTERPRETATIONS: &[(&str, &str)] = &[
    ("N", "Normal"),
    ("L", "Low"),
    ("H", "High"),
    ("LL", "Critically low"),
    ("HH", "Critically high"),
    ("A", "Abnormal"),
];
const RESULTS: &[Field] = &[
    field("name", "Test", "(e.g. HbA1c, LDL cholesterol)", Text),
    field("value", "Result", "(a number, or words such as Negative)", Text),
    field("unit", "Unit", "(e.g. %, mmol/L)", Text),
    field("when", "Date of the test", "(e.g. 2026-10-02)", Date),
    field("range_low", "Normal range from", "", Number),
    field("range_high", "Normal range to", "", Number),
    field("interpretation", "Flag on the report", "", Choice(INTERPRETATIONS)),
    field("ordered_by", "Ordered by", "", CareTeam),
    field("loinc", "LOINC code", "(optional, e.g. 4548-4)", Text),
];

const APPOINTMENTS: &[Field] = &[
    field("at", "Date and time", "", DateTime),
    field("with", "With", "", CareTeam),
    field("with_name", "Or with someone not in your care team", "", Text),
    field("purpose", "Purpose", "(e.g. knee follow-up)", Text),
    field("questions", "Questions to ask", "(one per line)", Lines),
    field("follow_up", "Follow-up to do", "(e.g. book a blood test)", LongText),
];

const VITAL_KINDS: &[(&str, &str)] = &[
    ("blood_pressure", "Blood pressure (mmHg)"),
    ("pulse", "Pulse (beats a minute)"),
    ("weight", "Weight (kg)"),
    ("glucose", "Blood glucose"),
    ("temperature", "Temperature (\u{b0}C)"),
    ("oxygen", "Oxygen saturation (%)"),
];
const GLUCOSE_UNITS: &[(&str, &str)] = &[("mmol/L", "mmol/L"), ("mg/dL", "mg/dL")];
const VITALS: &[Field] = &[
    field("kind", "Measurement", "", Choice(VITAL_KINDS)),
    field("reading", "Reading", "(blood pressure as 128/82)", Text),
    field("glucose_unit", "Glucose unit", "(for blood glucose only)", Choice(GLUCOSE_UNITS)),
    field("at", "When", "", DateTime),
];

const NOTES: &[Field] = &[
    field("at", "When", "", DateTime),
    field("text", "Note", "(symptoms, how you felt, what helped)", LongText),
    field("severity", "How bad, from 0 to 10", "(optional)", Number),
];

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

    pub fn title(self) -> &'static str {
        match self {
            Self::CareTeam => "Care team",
            Self::Conditions => "Conditions",
            Self::Procedures => "Procedures and surgeries",
            Self::Immunizations => "Immunizations",
            Self::Results => "Test results",
            Self::Appointments => "Appointments",
            Self::Vitals => "Vitals log",
            Self::Notes => "Notes and symptom journal",
        }
    }

    /// What one entry is called: "Add a provider", "Edit condition".
    pub fn item(self) -> &'static str {
        match self {
            Self::CareTeam => "provider",
            Self::Conditions => "condition",
            Self::Procedures => "procedure",
            Self::Immunizations => "immunization",
            Self::Results => "result",
            Self::Appointments => "appointment",
            Self::Vitals => "reading",
            Self::Notes => "note",
        }
    }

    /// A stable identifier for element ids and test hooks: "care-team".
    pub fn slug(self) -> &'static str {
        match self {
            Self::CareTeam => "care-team",
            Self::Conditions => "conditions",
            Self::Procedures => "procedures",
            Self::Immunizations => "immunizations",
            Self::Results => "results",
            Self::Appointments => "appointments",
            Self::Vitals => "vitals",
            Self::Notes => "notes",
        }
    }

    /// What the empty list says.
    pub fn empty_text(self) -> &'static str {
        match self {
            Self::CareTeam => "Add the doctors, nurses and pharmacists who look after you, with how to reach them.",
            Self::Conditions => "None recorded. Add long-term conditions and past illnesses that still matter.",
            Self::Procedures => "None recorded. Add operations and procedures, even if you only know the year.",
            Self::Immunizations => "None recorded. Add vaccines from your card or your pharmacy's record.",
            Self::Results => "None recorded. Add results from letters and portals, with the normal range.",
            Self::Appointments => "No appointments. Add one, with the questions you want to ask.",
            Self::Vitals => "No readings yet. Log blood pressure, pulse, weight, glucose, temperature or oxygen.",
            Self::Notes => "No notes yet. Write down symptoms as they happen: clinicians ask when and how bad.",
        }
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Self::CareTeam => CARE_TEAM,
            Self::Conditions => CONDITIONS,
            Self::Procedures => PROCEDURES,
            Self::Immunizations => IMMUNIZATIONS,
            Self::Results => RESULTS,
            Self::Appointments => APPOINTMENTS,
            Self::Vitals => VITALS,
            Self::Notes => NOTES,
        }
    }

    /// The section's entries as the list shows them, in the order that helps: upcoming
    /// appointments first, the newest readings, notes and results first.
    pub fn rows(self, b: &Binder) -> Vec<Row> {
        let provider = |id: Option<Uuid>| id.and_then(|id| b.get::<Provider>(id)).map(|e| e.data.name.clone());
        match self {
            Self::CareTeam => b.care_team.iter().map(|e| provider_row(e.id(), &e.data)).collect(),
            Self::Conditions => b.conditions.iter().map(|e| condition_row(e.id(), &e.data)).collect(),
            Self::Procedures => b.procedures.iter().map(|e| procedure_row(e.id(), &e.data)).collect(),
            Self::Immunizations => b.immunizations.iter().map(|e| immunization_row(e.id(), &e.data)).collect(),
            Self::Results => ordered(
                b.results
                    .iter()
                    .map(|e| (-when_key(&e.data.when), result_row(e.id(), &e.data, provider(e.data.ordered_by))))
                    .collect(),
            ),
            Self::Appointments => ordered(
                b.appointments
                    .iter()
                    .map(|e| {
                        let with = match &e.data.with {
                            Some(ProviderRef::CareTeam(id)) => provider(Some(*id)),
                            Some(ProviderRef::Named(name)) => Some(name.clone()),
                            None => None,
                        };
                        (e.data.at.utc_ms, appointment_row(e.id(), &e.data, with))
                    })
                    .collect(),
            ),
            Self::Vitals => ordered(
                b.vitals
                    .iter()
                    .map(|e| {
                        let row = Row {
                            id: e.id(),
                            title: format!("{}: {}", e.data.measurement.label(), e.data.measurement.text()),
                            details: vec![e.data.at.text()],
                            badge: None,
                        };
                        (-e.data.at.utc_ms, row)
                    })
                    .collect(),
            ),
            Self::Notes => ordered(
                b.notes
                    .iter()
                    .map(|e| {
                        let row = Row {
                            id: e.id(),
                            title: e.data.at.text(),
                            details: details([
                                e.data.text.clone(),
                                e.data.severity.map(|s| format!("How bad: {s} out of 10")).unwrap_or_default(),
                            ]),
                            badge: None,
                        };
                        (-e.data.at.utc_ms, row)
                    })
                    .collect(),
            ),
        }
    }

    /// The values a form starts from: entry `id`'s, or a new entry's (timed entries start now).
    pub fn values(self, b: &Binder, id: Option<Uuid>, now: LocalDateTime) -> Values {
        let Some(id) = id else {
            let mut values = Values::new();
            if matches!(self, Self::Vitals | Self::Notes) {
                values.push(("at", datetime_input(&now)));
            }
            if self == Self::Vitals {
                values.push(("kind", "blood_pressure".into()));
                values.push(("glucose_unit", "mmol/L".into()));
            }
            if self == Self::Conditions {
                values.push(("status", "active".into()));
            }
            return values;
        };
        match self {
            Self::CareTeam => b.get::<Provider>(id).map(|e| provider_values(&e.data)),
            Self::Conditions => b.get::<Condition>(id).map(|e| condition_values(&e.data)),
            Self::Procedures => b.get::<Procedure>(id).map(|e| procedure_values(&e.data)),
            Self::Immunizations => b.get::<Immunization>(id).map(|e| immunization_values(&e.data)),
            Self::Results => b.get::<TestResult>(id).map(|e| result_values(&e.data)),
            Self::Appointments => b.get::<Appointment>(id).map(|e| appointment_values(&e.data)),
            Self::Vitals => b.get::<VitalSign>(id).map(|e| vital_values(&e.data)),
            Self::Notes => b.get::<Note>(id).map(|e| note_values(&e.data)),
        }
        .unwrap_or_default()
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
        match self {
            Self::CareTeam => store(b, id, now, |base| read_provider(values, base)),
            Self::Conditions => store(b, id, now, |_| read_condition(values)),
            Self::Procedures => store(b, id, now, |_| read_procedure(values)),
            Self::Immunizations => store(b, id, now, |_| read_immunization(values)),
            Self::Results => store(b, id, now, |base| read_result(values, base)),
            Self::Appointments => store(b, id, now, |_| read_appointment(values, zone)),
            Self::Vitals => store(b, id, now, |_| read_vital(values, zone)),
            Self::Notes => store(b, id, now, |_| read_note(values, zone)),
        }
    }

    pub fn delete(self, b: &mut Binder, id: Uuid, now: DateTime<Utc>) -> Result<(), BinderError> {
        match self {
            Self::CareTeam => b.delete::<Provider>(id, now),
            Self::Conditions => b.delete::<Condition>(id, now),
            Self::Procedures => b.delete::<Procedure>(id, now),
            Self::Immunizations => b.delete::<Immunization>(id, now),
            Self::Results => b.delete::<TestResult>(id, now),
            Self::Appointments => b.delete::<Appointment>(id, now),
            Self::Vitals => b.delete::<VitalSign>(id, now),
            Self::Notes => b.delete::<Note>(id, now),
        }
    }
}

/// The care team as choices: (id, "Dr Patel (Cardiologist)").
pub fn care_team_choices(b: &Binder) -> Vec<(String, String)> {
    b.care_team.iter().map(|e| (e.id().to_string(), e.data.text())).collect()
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

fn details<const N: usize>(lines: [String; N]) -> Vec<String> {
    lines.into_iter().filter(|l| !l.is_empty()).collect()
}

fn date_text(date: Option<PartialDate>) -> String {
    date.map(|d| d.text()).unwrap_or_default()
}

fn text_of(values: &Values, key: &str) -> String {
    value(values, key).to_owned()
}

fn choice_code(choices: &[(&'static str, &'static str)], code: &str) -> Option<&'static str> {
    choices.iter().find(|(c, _)| *c == code).map(|(c, _)| *c)
}

// ---------------------------------------------------------------- care team

fn provider_values(p: &Provider) -> Values {
    Values::from([
        ("name", p.name.clone()),
        ("role", p.role.clone()),
        ("organisation", p.organisation.clone()),
        ("phone", p.phone.clone()),
        ("fax", p.fax.clone()),
        ("email", p.email.clone()),
        ("address", p.address.clone()),
        ("portal", p.portal.clone()),
        ("primary_care", if p.primary_care { "true".into() } else { String::new() }),
    ])
}

fn read_provider(v: &Values, _base: Option<&Provider>) -> Result<Provider, Vec<ValidationError>> {
    Ok(Provider {
        name: text_of(v, "name"),
        role: text_of(v, "role"),
        organisation: text_of(v, "organisation"),
        phone: text_of(v, "phone"),
        fax: text_of(v, "fax"),
        email: text_of(v, "email"),
        address: text_of(v, "address"),
        portal: text_of(v, "portal"),
        primary_care: value(v, "primary_care") == "true",
    })
}

fn provider_row(id: Uuid, p: &Provider) -> Row {
    let about = [p.role.as_str(), p.organisation.as_str()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>();
    let labelled = |label: &str, text: &str| if text.is_empty() { String::new() } else { format!("{label}: {text}") };
    Row {
        id,
        title: p.name.clone(),
        details: details([
            about.join(", "),
            labelled("Phone", &p.phone),
            labelled("Fax", &p.fax),
            labelled("Email", &p.email),
            p.address.clone(),
            labelled("Portal", &p.portal),
        ]),
        badge: p.primary_care.then_some("Primary care"),
    }
}

// ---------------------------------------------------------------- history

fn code_system_code(system: CodeSystem) -> &'static str {
    match system {
        CodeSystem::Snomed => "snomed",
        CodeSystem::Icd10 => "icd10",
        CodeSystem::Icd10Cm => "icd10cm",
    }
}

fn condition_values(c: &Condition) -> Values {
    Values::from([
        ("name", c.name.clone()),
        ("status", c.status.code().to_owned()),
        ("onset", date_text(c.onset)),
        ("resolved", date_text(c.resolved)),
        ("code_system", c.code.as_ref().map(|c| code_system_code(c.system)).unwrap_or_default().to_owned()),
        ("code", c.code.as_ref().map(|c| c.code.clone()).unwrap_or_default()),
        ("note", c.note.clone()),
    ])
}

fn read_condition(v: &Values) -> Result<Condition, Vec<ValidationError>> {
    let mut r = Problems::default();
    let onset = r.take(parse_date(value(v, "onset"), "onset"));
    let resolved = r.take(parse_date(value(v, "resolved"), "resolved"));
    let code_text = value(v, "code").trim();
    let system = [CodeSystem::Snomed, CodeSystem::Icd10, CodeSystem::Icd10Cm]
        .into_iter()
        .find(|s| code_system_code(*s) == value(v, "code_system"));
    let code = match (system, code_text.is_empty()) {
        (Some(system), false) => Some(ClinicalCode { system, code: code_text.to_owned() }),
        (None, false) => {
            r.fail("code_system", "Choose which code system the code is from.");
            None
        }
        _ => None,
    };
    let status = if value(v, "status") == "resolved" { ConditionStatus::Resolved } else { ConditionStatus::Active };
    r.finish(Condition { name: text_of(v, "name"), code, status, onset, resolved, note: text_of(v, "note") })
}

fn condition_row(id: Uuid, c: &Condition) -> Row {
    Row {
        id,
        title: c.name.clone(),
        details: details([
            c.onset.map(|d| format!("Since {}", d.text())).unwrap_or_default(),
            c.resolved.map(|d| format!("Resolved {}", d.text())).unwrap_or_default(),
            c.code.as_ref().map(|c| format!("{} {}", c.system.label(), c.code)).unwrap_or_default(),
            c.note.clone(),
        ]),
        badge: (c.status == ConditionStatus::Resolved).then_some("Resolved"),
    }
}

fn procedure_values(p: &Procedure) -> Values {
    Values::from([
        ("name", p.name.clone()),
        ("date", date_text(p.date)),
        ("performer", p.performer.clone()),
        ("note", p.note.clone()),
    ])
}

fn read_procedure(v: &Values) -> Result<Procedure, Vec<ValidationError>> {
    let mut r = Problems::default();
    let date = r.take(parse_date(value(v, "date"), "date"));
    r.finish(Procedure { name: text_of(v, "name"), date, performer: text_of(v, "performer"), note: text_of(v, "note") })
}

fn procedure_row(id: Uuid, p: &Procedure) -> Row {
    Row {
        id,
        title: p.name.clone(),
        details: details([date_text(p.date), p.performer.clone(), p.note.clone()]),
        badge: None,
    }
}

fn immunization_values(i: &Immunization) -> Values {
    Values::from([
        ("vaccine", i.vaccine.clone()),
        ("date", date_text(i.date)),
        ("dose_number", i.dose_number.map(|n| n.to_string()).unwrap_or_default()),
        ("lot", i.lot.clone()),
        ("given_by", i.given_by.clone()),
    ])
}

fn read_immunization(v: &Values) -> Result<Immunization, Vec<ValidationError>> {
    let mut r = Problems::default();
    let date = r.take(parse_date(value(v, "date"), "date"));
    let dose_number = r.take(optional_whole(value(v, "dose_number"), "dose_number"));
    r.finish(Immunization {
        vaccine: text_of(v, "vaccine"),
        date,
        dose_number,
        lot: text_of(v, "lot"),
        given_by: text_of(v, "given_by"),
    })
}

fn immunization_row(id: Uuid, i: &Immunization) -> Row {
    Row {
        id,
        title: i.vaccine.clone(),
        details: details([
            date_text(i.date),
            i.dose_number.map(|n| format!("Dose {n}")).unwrap_or_default(),
            if i.lot.is_empty() { String::new() } else { format!("Lot {}", i.lot) },
            i.given_by.clone(),
        ]),
        badge: None,
    }
}

// ---------------------------------------------------------------- results

/// Sorts day-only and timed results together (a day sorts as its start, UTC).
fn when_key(when: &When) -> i64 {
    match when {
        When::At(at) => at.utc_ms,
        When::Date(d) => LocalDateTime::from_local(
            d.year_number().into(),
            d.month_number().unwrap_or(1),
            d.day_number().unwrap_or(1),
            0,
            0,
            0,
        )
        .map_or(0, |at| at.utc_ms),
    }
}

fn number_text(n: Option<f64>) -> String {
    n.map(format_number).unwrap_or_default()
}

fn result_values(t: &TestResult) -> Values {
    let (value, unit) = match &t.value {
        ResultValue::Quantity(q) => (format_number(q.value), q.unit.clone()),
        ResultValue::Text(text) => (text.clone(), String::new()),
    };
    let when = match t.when {
        When::Date(d) => d.text(),
        When::At(at) => date_text(at.date()),
    };
    Values::from([
        ("name", t.name.clone()),
        ("value", value),
        ("unit", unit),
        ("when", when),
        ("range_low", number_text(t.range_low)),
        ("range_high", number_text(t.range_high)),
        ("interpretation", t.interpretation.map(|i| i.code()).unwrap_or_default().to_owned()),
        ("ordered_by", t.ordered_by.map(|id| id.to_string()).unwrap_or_default()),
        ("loinc", t.loinc.clone().unwrap_or_default()),
    ])
}

const ALL_INTERPRETATIONS: [Interpretation; 6] = [
    Interpretation::Normal,
    Interpretation::Low,
    Interpretation::High,
    Interpretation::CriticallyLow,
    Interpretation::CriticallyHigh,
    Interpretation::Abnormal,
];

fn read_result(v: &Values, base: Option<&TestResult>) -> Result<TestResult, Vec<ValidationError>> {
    let mut r = Problems::default();
    let day = r.take(parse_date(value(v, "when"), "when"));
    // A timed result (from an import) keeps its time while its day is unchanged.
    let when = match (day, base.map(|b| b.when)) {
        (Some(day), Some(When::At(at))) if at.date() == Some(day) => Some(When::At(at)),
        (Some(day), _) => Some(When::Date(day)),
        (None, _) => {
            // A date that did not parse was reported by parse_date; an empty one is reported here.
            if value(v, "when").trim().is_empty() {
                r.fail("when", "Enter the date of the test (the year is enough).");
            }
            None
        }
    };
    let text = value(v, "value").trim();
    let unit = value(v, "unit").trim();
    let result = match crate::model::parse_number(text) {
        Some(number) => ResultValue::Quantity(Quantity { value: number, unit: unit.to_owned() }),
        None if !unit.is_empty() && !text.is_empty() => {
            r.fail("value", "A result with a unit must be a number, e.g. 6.8.");
            ResultValue::Text(text.to_owned())
        }
        None => ResultValue::Text(text.to_owned()),
    };
    let range_low = r.take(optional_number(value(v, "range_low"), "range_low"));
    let range_high = r.take(optional_number(value(v, "range_high"), "range_high"));
    let ordered_by = value(v, "ordered_by").parse::<Uuid>().ok();
    let interpretation = ALL_INTERPRETATIONS.into_iter().find(|i| i.code() == value(v, "interpretation"));
    let loinc = Some(text_of(v, "loinc")).filter(|c| !c.trim().is_empty());
    r.finish_some(when.map(|when| TestResult {
        name: text_of(v, "name"),
        loinc,
        value: result,
        when,
        ordered_by,
        range_low,
        range_high,
        interpretation,
    }))
}

fn result_row(id: Uuid, t: &TestResult, ordered_by: Option<String>) -> Row {
    let range = t.range_text();
    Row {
        id,
        title: format!("{}: {}", t.name, t.value.text()),
        details: details([
            t.when.text(),
            if range.is_empty() { String::new() } else { format!("Normal range {range}") },
            ordered_by.map(|name| format!("Ordered by {name}")).unwrap_or_default(),
            t.loinc.as_ref().map(|c| format!("LOINC {c}")).unwrap_or_default(),
        ]),
        badge: t.interpretation.filter(|i| *i != Interpretation::Normal).map(|i| i.label()),
    }
}

// ---------------------------------------------------------------- appointments

fn appointment_values(a: &Appointment) -> Values {
    let (with, with_name) = match &a.with {
        Some(ProviderRef::CareTeam(id)) => (id.to_string(), String::new()),
        Some(ProviderRef::Named(name)) => (String::new(), name.clone()),
        None => (String::new(), String::new()),
    };
    Values::from([
        ("at", datetime_input(&a.at)),
        ("with", with),
        ("with_name", with_name),
        ("purpose", a.purpose.clone()),
        ("questions", a.questions.join("\n")),
        ("follow_up", a.follow_up.clone()),
    ])
}

fn read_appointment(v: &Values, zone: ZoneOffset) -> Result<Appointment, Vec<ValidationError>> {
    let mut r = Problems::default();
    let at = r.ok(parse_local_datetime(value(v, "at"), "at", zone));
    let with = match value(v, "with").parse::<Uuid>() {
        Ok(id) => Some(ProviderRef::CareTeam(id)),
        Err(_) => Some(ProviderRef::Named(text_of(v, "with_name"))),
    };
    let questions = value(v, "questions").lines().map(str::to_owned).collect();
    r.finish_some(at.map(|at| Appointment {
        at,
        with,
        purpose: text_of(v, "purpose"),
        questions,
        follow_up: text_of(v, "follow_up"),
    }))
}

fn appointment_row(id: Uuid, a: &Appointment, with: Option<String>) -> Row {
    Row {
        id,
        title: if a.purpose.is_empty() { a.at.text() } else { format!("{} \u{2014} {}", a.at.text(), a.purpose) },
        details: details([
            with.map(|w| format!("With {w}")).unwrap_or_default(),
            if a.questions.is_empty() { String::new() } else { format!("Ask: {}", a.questions.join(" \u{2022} ")) },
            if a.follow_up.is_empty() { String::new() } else { format!("Afterwards: {}", a.follow_up) },
        ]),
        badge: None,
    }
}

// ---------------------------------------------------------------- vitals

fn vital_values(s: &VitalSign) -> Values {
    let (kind, reading, unit) = match s.measurement {
        Measurement::BloodPressure { systolic, diastolic } => ("blood_pressure", format!("{systolic}/{diastolic}"), ""),
        Measurement::Pulse { per_minute } => ("pulse", per_minute.to_string(), ""),
        Measurement::Weight { kg } => ("weight", format_number(kg), ""),
        Measurement::Glucose { value, unit } => ("glucose", format_number(value), unit.ucum()),
        Measurement::Temperature { celsius } => ("temperature", format_number(celsius), ""),
        Measurement::OxygenSaturation { percent } => ("oxygen", percent.to_string(), ""),
    };
    Values::from([
        ("kind", kind.to_owned()),
        ("reading", reading),
        ("glucose_unit", if unit.is_empty() { "mmol/L" } else { unit }.to_owned()),
        ("at", datetime_input(&s.at)),
    ])
}

fn read_vital(v: &Values, zone: ZoneOffset) -> Result<VitalSign, Vec<ValidationError>> {
    let mut r = Problems::default();
    let at = r.ok(parse_local_datetime(value(v, "at"), "at", zone));
    let reading = value(v, "reading").trim();
    let whole = |max: u16| reading.parse::<u16>().ok().filter(|n| *n <= max);
    let number = crate::model::parse_number(reading);
    let not_a_number = "Enter the reading as a number.";
    let measurement = match choice_code(VITAL_KINDS, value(v, "kind")) {
        Some("blood_pressure") => {
            let parts =
                reading.split_once('/').and_then(|(s, d)| Some((s.trim().parse().ok()?, d.trim().parse().ok()?)));
            parts
                .map(|(systolic, diastolic)| Measurement::BloodPressure { systolic, diastolic })
                .ok_or("Enter blood pressure as two numbers, the upper (systolic) first: 128/82.")
        }
        Some("pulse") => whole(1000).map(|per_minute| Measurement::Pulse { per_minute }).ok_or(not_a_number),
        Some("weight") => number.map(|kg| Measurement::Weight { kg }).ok_or(not_a_number),
        Some("glucose") => {
            let unit = if value(v, "glucose_unit") == "mg/dL" { GlucoseUnit::MgPerDl } else { GlucoseUnit::MmolPerL };
            number.map(|value| Measurement::Glucose { value, unit }).ok_or(not_a_number)
        }
        Some("temperature") => number.map(|celsius| Measurement::Temperature { celsius }).ok_or(not_a_number),
        Some("oxygen") => whole(255).map(|p| Measurement::OxygenSaturation { percent: p as u8 }).ok_or(not_a_number),
        _ => Err("Choose what you measured."),
    };
    let measurement = measurement.map_err(|m| r.fail("reading", m)).ok();
    r.finish_some(at.zip(measurement).map(|(at, measurement)| VitalSign { at, measurement }))
}

// ---------------------------------------------------------------- notes

fn note_values(n: &Note) -> Values {
    Values::from([
        ("at", datetime_input(&n.at)),
        ("text", n.text.clone()),
        ("severity", n.severity.map(|s| s.to_string()).unwrap_or_default()),
    ])
}

fn read_note(v: &Values, zone: ZoneOffset) -> Result<Note, Vec<ValidationError>> {
    let mut r = Problems::default();
    let at = r.ok(parse_local_datetime(value(v, "at"), "at", zone));
    let severity = r.take(optional_whole::<u8>(value(v, "severity"), "severity"));
    r.finish_some(at.map(|at| Note { at, text: text_of(v, "text"), severity }))
}
