//! A medication as the patient takes it: prescriptions, over-the-counter drugs and supplements.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::dates::{PartialDate, TimeOfDay};
use crate::msg;
use crate::printout::Wording;
use crate::said::Said;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Medication {
    /// As on the label, e.g. "Metformin".
    pub name: String,
    /// e.g. "500 mg". Free text: labels write strengths in too many ways to force a structure.
    #[serde(default)]
    pub strength: String,
    /// How much per intake, e.g. 1 tablet, 5 mL. None when the patient does not know.
    #[serde(default)]
    pub dose: Option<Quantity>,
    pub frequency: Frequency,
    pub kind: MedicationKind,
    /// Why the patient takes it, in their words.
    #[serde(default)]
    pub reason: String,
    /// RxNorm concept id (RXCUI), digits only, when known.
    #[serde(default)]
    pub rxnorm: Option<String>,
    /// Tablet, capsule, liquid, inhaler… as on the label.
    #[serde(default)]
    pub form: String,
    /// By mouth, inhaled, topical, injection… in the patient's words.
    #[serde(default)]
    pub route: String,
    /// The care-team entry who prescribed it.
    #[serde(default)]
    pub prescriber: Option<Uuid>,
    #[serde(default)]
    pub started: Option<PartialDate>,
    #[serde(default)]
    pub stopped: Option<PartialDate>,
    #[serde(default)]
    pub status: MedicationStatus,
    /// When the patient last checked this line against the bottle or a clinician's list, and who.
    #[serde(default)]
    pub verified: Option<Verification>,
    /// The directions as the prescriber or the imported record wrote them ("1 tablet twice daily
    /// with food"), kept beside the structured fields, which cannot say everything. Schema 3.
    #[serde(default)]
    pub instructions: String,
}

/// Whether the patient still takes it. Stopped medications stay listed: "I took X until March"
/// matters to a clinician.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MedicationStatus {
    #[default]
    Active,
    Stopped {
        #[serde(default)]
        reason: String,
    },
}

impl MedicationStatus {
    pub fn is_active(&self) -> bool {
        matches!(self, Self::Active)
    }

    /// FHIR `MedicationStatement.status`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Stopped { .. } => "stopped",
        }
    }
}

/// "Last verified on 14 March 2026 by Dr Patel", or "Verified on 6 December 2026 from a reply by
/// Dr Grace Hopper, GP" when a line was accepted from a clinician's reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub on: PartialDate,
    pub by: String,
    /// Where it was checked against: "a reply by Dr Grace Hopper, GP". Empty for a check the
    /// patient recorded by hand. Schema 4.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from: String,
}

impl Verification {
    /// As written in the code (English).
    pub fn text(&self) -> String {
        self.text_in(&Wording::ENGLISH)
    }

    /// In the reader's words. A line accepted from a reply keeps "a reply by <name>" as its
    /// source (stored so since schema 4): that one is read back into its own sentence.
    pub fn text_in(&self, w: &Wording) -> String {
        let on = (w.date)(self.on);
        let said = if let Some(name) = self.from.strip_prefix("a reply by ") {
            Said::new(msg!("Verified on {date} from a reply by {name}")).typed("name", name)
        } else if !self.from.is_empty() {
            Said::new(msg!("Verified on {date} from {source}")).typed("source", &self.from)
        } else if self.by.is_empty() {
            Said::new(msg!("Last verified on {date}"))
        } else {
            Said::new(msg!("Last verified on {date} by {name}")).typed("name", &self.by)
        };
        said.typed("date", on).text(w)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub value: f64,
    pub unit: String,
}

/// How often. Structured (not free text) so that reconciliation can compare daily doses and the
/// FHIR `Timing` can be written without guessing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// `times` intakes every `every` `unit`s: 2 every 1 day, 1 every 8 hours, 1 every 1 week.
    Scheduled { times: u32, every: u32, unit: PeriodUnit },
    /// Only when needed, optionally with a most-per-day limit.
    AsNeeded { max_per_day: Option<u32> },
    /// Every day at these clock times, e.g. 08:00 and 20:00.
    AtTimes { times: Vec<TimeOfDay> },
}

impl Default for Frequency {
    fn default() -> Self {
        Self::Scheduled { times: 1, every: 1, unit: PeriodUnit::Day }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    Hour,
    Day,
    Week,
    Month,
}

impl PeriodUnit {
    pub const ALL: [PeriodUnit; 4] = [Self::Hour, Self::Day, Self::Week, Self::Month];

    /// The UCUM unit FHIR's `Timing.repeat.periodUnit` uses.
    pub fn ucum(self) -> &'static str {
        match self {
            Self::Hour => "h",
            Self::Day => "d",
            Self::Week => "wk",
            Self::Month => "mo",
        }
    }

    pub fn from_ucum(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.ucum() == code)
    }

    pub fn label(self, count: u32) -> &'static str {
        match (self, count == 1) {
            (Self::Hour, true) => "hour",
            (Self::Hour, false) => "hours",
            (Self::Day, true) => "day",
            (Self::Day, false) => "days",
            (Self::Week, true) => "week",
            (Self::Week, false) => "weeks",
            (Self::Month, true) => "month",
            (Self::Month, false) => "months",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MedicationKind {
    #[default]
    Prescription,
    OverTheCounter,
    Supplement,
}

impl MedicationKind {
    pub const ALL: [MedicationKind; 3] = [Self::Prescription, Self::OverTheCounter, Self::Supplement];

    pub fn label(self) -> &'static str {
        match self {
            Self::Prescription => msg!("Prescription"),
            Self::OverTheCounter => msg!("Over-the-counter"),
            Self::Supplement => msg!("Supplement"),
        }
    }

    /// Stable code used in storage, form values and the FHIR extension.
    pub fn code(self) -> &'static str {
        match self {
            Self::Prescription => "prescription",
            Self::OverTheCounter => "over_the_counter",
            Self::Supplement => "supplement",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A field the patient has to fix, with a message to show next to it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl Medication {
    /// Tidies what was typed (trims whitespace) and checks it makes sense. Every problem is
    /// reported at once so the form can mark all of them.
    pub fn validated(mut self) -> Result<Self, Vec<ValidationError>> {
        self.name = self.name.trim().to_owned();
        self.strength = self.strength.trim().to_owned();
        self.reason = self.reason.trim().to_owned();
        self.instructions = self.instructions.trim().to_owned();
        super::validate::trim(&mut [&mut self.form, &mut self.route]);
        self.rxnorm = self.rxnorm.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
        if let MedicationStatus::Stopped { reason } = &mut self.status {
            *reason = reason.trim().to_owned();
        }
        if let Some(v) = &mut self.verified {
            v.by = v.by.trim().to_owned();
        }
        if let Frequency::AtTimes { times } = &mut self.frequency {
            times.sort();
            times.dedup();
        }
        let mut problems = super::validate::Problems::default();
        let mut fail = |field, message: &str| problems.fail(field, message);
        if self.name.is_empty() {
            fail("name", crate::msg!("Enter the medication's name."));
        }
        if self.name.chars().count() > 200 {
            fail("name", crate::msg!("Keep the name under 200 characters."));
        }
        if let Some(dose) = &mut self.dose {
            dose.unit = dose.unit.trim().to_owned();
            if !(dose.value.is_finite() && dose.value > 0.0) {
                fail("dose", crate::msg!("The dose must be a number above zero."));
            }
            if dose.unit.is_empty() {
                fail("dose", crate::msg!("Say what the dose is counted in (tablet, mL, puff…)."));
            }
        }
        match self.frequency {
            Frequency::Scheduled { times, every, .. } => {
                if times == 0 || every == 0 {
                    fail("frequency", crate::msg!("How often must be at least once every 1 period."));
                }
            }
            Frequency::AsNeeded { max_per_day: Some(0) } => {
                fail("frequency", crate::msg!("A most-per-day limit must be at least 1."));
            }
            Frequency::AsNeeded { .. } => {}
            Frequency::AtTimes { ref times } => {
                if times.is_empty() {
                    fail("frequency", crate::msg!("Add at least one time of day."));
                }
            }
        }
        if self.rxnorm.as_ref().is_some_and(|c| c.len() > 12 || !c.bytes().all(|b| b.is_ascii_digit())) {
            fail("rxnorm", crate::msg!("An RxNorm code is a number of up to 12 digits."));
        }
        if self.form.chars().count() > 200 || self.route.chars().count() > 200 {
            fail("form", crate::msg!("Keep the form and route under 200 characters."));
        }
        if let (Some(start), Some(stop)) = (self.started, self.stopped)
            && stop < start
        {
            fail("stopped", crate::msg!("The stop date is before the start date."));
        }
        if self.stopped.is_some() && self.status.is_active() {
            fail("status", crate::msg!("A medication with a stop date is stopped: mark it stopped or clear the date."));
        }
        problems.finish(self)
    }

    /// e.g. "1 tablet". Empty when no dose is recorded.
    pub fn dose_text(&self) -> String {
        self.dose.as_ref().map(|d| format!("{} {}", format_number(d.value), d.unit)).unwrap_or_default()
    }
}

impl Frequency {
    /// e.g. "2 times a day", "once every 8 hours", "as needed, at most 4 a day" (English).
    pub fn text(&self) -> String {
        self.said().english()
    }

    /// The same in the reader's words.
    pub fn text_in(&self, w: &Wording) -> String {
        self.said().text(w)
    }

    /// One template per sentence: how many times (once, twice, {n} times) inside a sentence per
    /// unit, so that a language can word "a day" and "every 3 weeks" its own way.
    pub fn said(&self) -> Said {
        match *self {
            Frequency::Scheduled { times, every, unit } => {
                let how_many = match times {
                    1 => Said::new(msg!("once")),
                    2 => Said::new(msg!("twice")),
                    n => Said::new(msg!("{n} times")).typed("n", n.to_string()),
                };
                let template = match (unit, every == 1) {
                    (PeriodUnit::Hour, true) => msg!("{how_many} a hour"),
                    (PeriodUnit::Day, true) => msg!("{how_many} a day"),
                    (PeriodUnit::Week, true) => msg!("{how_many} a week"),
                    (PeriodUnit::Month, true) => msg!("{how_many} a month"),
                    (PeriodUnit::Hour, false) => msg!("{how_many} every {every} hours"),
                    (PeriodUnit::Day, false) => msg!("{how_many} every {every} days"),
                    (PeriodUnit::Week, false) => msg!("{how_many} every {every} weeks"),
                    (PeriodUnit::Month, false) => msg!("{how_many} every {every} months"),
                };
                Said::new(template).part("how_many", how_many).typed("every", every.to_string())
            }
            Frequency::AsNeeded { max_per_day: None } => Said::new(msg!("as needed")),
            Frequency::AsNeeded { max_per_day: Some(n) } => {
                Said::new(msg!("as needed, at most {n} a day")).typed("n", n.to_string())
            }
            Frequency::AtTimes { ref times } => {
                let times: Vec<String> = times.iter().map(ToString::to_string).collect();
                match times.split_last() {
                    None => Said::new(msg!("at set times")),
                    Some((last, [])) => Said::new(msg!("daily at {time}")).typed("time", last),
                    Some((last, rest)) => Said::new(msg!("daily at {times} and {last}"))
                        .typed("times", rest.join(", "))
                        .typed("last", last),
                }
            }
        }
    }
}

/// Numbers as people write them, to at most three decimals: 1, 0.5, 2.25 — never 1.0 or
/// 0.30000000000000004. (Integer arithmetic: the float formatter costs ~25 KB of wasm.)
pub fn format_number(value: f64) -> String {
    let thousandths = round_to_thousandths(value);
    let sign = if thousandths < 0.0 { "-" } else { "" };
    let thousandths = thousandths.abs() as u64;
    let (whole, fraction) = (thousandths / 1000, thousandths % 1000);
    if fraction == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{}", format!("{fraction:03}").trim_end_matches('0'))
    }
}

fn round_to_thousandths(value: f64) -> f64 {
    (value * 1000.0).round()
}

/// `value` rounded to the three decimals `format_number` shows.
pub fn rounded(value: f64) -> f64 {
    round_to_thousandths(value) / 1000.0
}

/// Reads a number as a patient types it: "1", "0.5", ".5", "2,5" (decimal comma), " 3 ".
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim().replace(',', ".");
    let text = text.strip_suffix('.').unwrap_or(&text);
    let text = if text.starts_with('.') { format!("0{text}") } else { text.to_owned() };
    // serde_json's parser is already in the binary; core's `f64::from_str` would add its own.
    serde_json::from_slice::<f64>(text.as_bytes()).ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn med() -> Medication {
        Medication {
            name: "  Metformin ".into(),
            strength: "500 mg".into(),
            dose: Some(Quantity { value: 1.0, unit: "tablet".into() }),
            frequency: Frequency::Scheduled { times: 2, every: 1, unit: PeriodUnit::Day },
            kind: MedicationKind::Prescription,
            reason: "Type 2 diabetes".into(),
            ..Medication::default()
        }
    }

    #[test]
    fn validation_trims_and_reports_every_problem() {
        assert_eq!(med().validated().unwrap().name, "Metformin");
        let bad = Medication {
            name: " ".into(),
            dose: Some(Quantity { value: 0.0, unit: "".into() }),
            frequency: Frequency::Scheduled { times: 0, every: 1, unit: PeriodUnit::Day },
            ..med()
        };
        let fields: Vec<_> = bad.validated().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "dose", "dose", "frequency"]);
    }

    #[test]
    fn frequencies_read_as_people_say_them() {
        let every = |times, every, unit| Frequency::Scheduled { times, every, unit }.text();
        assert_eq!(every(2, 1, PeriodUnit::Day), "twice a day");
        assert_eq!(every(1, 8, PeriodUnit::Hour), "once every 8 hours");
        assert_eq!(every(3, 1, PeriodUnit::Week), "3 times a week");
        assert_eq!(Frequency::AsNeeded { max_per_day: Some(4) }.text(), "as needed, at most 4 a day");
        let at = |t: &[&str]| Frequency::AtTimes { times: t.iter().map(|t| TimeOfDay::parse(t).unwrap()).collect() };
        assert_eq!(at(&["8:00"]).text(), "daily at 08:00");
        assert_eq!(at(&["08:00", "14:00", "20:00"]).text(), "daily at 08:00, 14:00 and 20:00");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(2.0), "2");
        assert_eq!(format_number(0.125), "0.125");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(-1.05), "-1.05");
    }

    #[test]
    fn new_fields_are_checked_and_tidied() {
        let date = |t| PartialDate::parse(t).ok();
        let ok = Medication {
            rxnorm: Some(" 860975 ".into()),
            route: " by mouth ".into(),
            frequency: Frequency::AtTimes {
                times: vec![
                    TimeOfDay::new(20, 0).unwrap(),
                    TimeOfDay::new(8, 0).unwrap(),
                    TimeOfDay::new(8, 0).unwrap(),
                ],
            },
            started: date("2019"),
            stopped: date("2024-05"),
            status: MedicationStatus::Stopped { reason: " side effects ".into() },
            verified: Some(Verification {
                on: date("2026-03-14").unwrap(),
                by: " Dr Patel ".into(),
                from: String::new(),
            }),
            ..med()
        }
        .validated()
        .unwrap();
        assert_eq!(ok.rxnorm.as_deref(), Some("860975"));
        assert_eq!(ok.route, "by mouth");
        assert_eq!(ok.frequency.text(), "daily at 08:00 and 20:00");
        assert_eq!(ok.status, MedicationStatus::Stopped { reason: "side effects".into() });
        assert_eq!(ok.verified.unwrap().text(), "Last verified on 14 March 2026 by Dr Patel");

        let bad = Medication {
            rxnorm: Some("RX-1".into()),
            frequency: Frequency::AtTimes { times: vec![] },
            started: date("2024-05"),
            stopped: date("2019"),
            ..med()
        };
        let fields: Vec<_> = bad.validated().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["frequency", "rxnorm", "stopped", "status"]);
    }

    #[test]
    fn a_v1_medication_reads_with_defaults() {
        let json = r#"{"name":"Aspirin","frequency":{"as_needed":{"max_per_day":null}},"kind":"over_the_counter"}"#;
        let med: Medication = serde_json::from_str(json).unwrap();
        assert_eq!((med.status, med.prescriber, med.started), (MedicationStatus::Active, None, None));
        let stopped = serde_json::to_value(MedicationStatus::Stopped { reason: "done".into() }).unwrap();
        assert_eq!(stopped, serde_json::json!({ "stopped": { "reason": "done" } }));
    }

    #[test]
    fn numbers_parse_as_patients_type_them() {
        assert_eq!(parse_number(" 1 "), Some(1.0));
        assert_eq!(parse_number("0.5"), Some(0.5));
        assert_eq!(parse_number(".5"), Some(0.5));
        assert_eq!(parse_number("2,5"), Some(2.5));
        assert_eq!(parse_number("1."), Some(1.0));
        assert_eq!(parse_number("two"), None);
        assert_eq!(parse_number(""), None);
    }
}
