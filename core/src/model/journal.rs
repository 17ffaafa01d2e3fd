//! What the patient keeps between visits: appointments, a vitals log and a symptom journal.

use crate::i18n::fill;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::dates::LocalDateTime;
use super::validate::{LONG, Problems, SHORT, trim};
use super::{ValidationError, format_number};

// ---------------------------------------------------------------- appointments

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Appointment {
    pub at: LocalDateTime,
    #[serde(default)]
    pub with: Option<ProviderRef>,
    /// "Check-up", "Knee follow-up".
    #[serde(default)]
    pub purpose: String,
    /// What to ask while there.
    #[serde(default)]
    pub questions: Vec<String>,
    /// What to do afterwards: "book blood test", "pick up prescription".
    #[serde(default)]
    pub follow_up: String,
}

/// A care-team entry, or just a name typed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderRef {
    CareTeam(Uuid),
    Named(String),
}

impl Appointment {
    pub fn validated(mut self) -> Result<Self, Vec<ValidationError>> {
        trim(&mut [&mut self.purpose, &mut self.follow_up]);
        let mut problems = Problems::default();
        if let Some(ProviderRef::Named(name)) = &mut self.with {
            *name = name.trim().to_owned();
            problems.limit("with", name, SHORT);
            if name.is_empty() {
                self.with = None;
            }
        }
        self.questions = self.questions.into_iter().map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()).collect();
        problems.limit("purpose", &self.purpose, SHORT);
        problems.limit("follow_up", &self.follow_up, LONG);
        if self.questions.iter().any(|q| q.chars().count() > 1000) {
            problems.fail("questions", crate::msg!("Keep each question under 1000 characters."));
        }
        problems.finish(self)
    }
}

// ---------------------------------------------------------------- vitals

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VitalSign {
    pub at: LocalDateTime,
    pub measurement: Measurement,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measurement {
    BloodPressure { systolic: u16, diastolic: u16 },
    Pulse { per_minute: u16 },
    Weight { kg: f64 },
    Glucose { value: f64, unit: GlucoseUnit },
    Temperature { celsius: f64 },
    OxygenSaturation { percent: u8 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GlucoseUnit {
    MmolPerL,
    MgPerDl,
}

impl GlucoseUnit {
    /// UCUM.
    pub fn ucum(self) -> &'static str {
        match self {
            Self::MmolPerL => "mmol/L",
            Self::MgPerDl => "mg/dL",
        }
    }
}

impl Measurement {
    /// "Blood pressure", "Pulse"…
    pub fn label(&self) -> &'static str {
        match self {
            Self::BloodPressure { .. } => "Blood pressure",
            Self::Pulse { .. } => "Pulse",
            Self::Weight { .. } => "Weight",
            Self::Glucose { .. } => "Blood glucose",
            Self::Temperature { .. } => "Temperature",
            Self::OxygenSaturation { .. } => "Oxygen saturation",
        }
    }

    /// "128/82 mmHg", "72 /min", "71.5 kg", "6.1 mmol/L", "37.2 °C", "97 %".
    pub fn text(&self) -> String {
        let (values, unit) = self.amounts();
        format!("{} {unit}", values.iter().map(|v| format_number(*v)).collect::<Vec<_>>().join("/"))
    }

    /// Its numbers (two for a blood pressure, upper first) and their unit: for a screen that
    /// writes the numbers as its reader does.
    pub fn amounts(&self) -> (Vec<f64>, &'static str) {
        match *self {
            Self::BloodPressure { systolic, diastolic } => (vec![systolic.into(), diastolic.into()], "mmHg"),
            Self::Pulse { per_minute } => (vec![per_minute.into()], "/min"),
            Self::Weight { kg } => (vec![kg], "kg"),
            Self::Glucose { value, unit } => (vec![value], unit.ucum()),
            Self::Temperature { celsius } => (vec![celsius], "\u{b0}C"),
            Self::OxygenSaturation { percent } => (vec![percent.into()], "%"),
        }
    }

    /// What is implausible about it (a typing slip, usually), if anything.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut check = |ok: bool, template: &str, values: &[(&str, &str)]| {
            if !ok {
                out.push(fill(template, values));
            }
        };
        let within = |v: f64, low: f64, high: f64| v.is_finite() && v >= low && v <= high;
        let [systolic_text, diastolic_text, pulse_text, weight_text, glucose_text, temperature_text, oxygen_text] =
            IMPLAUSIBLE;
        match *self {
            Self::BloodPressure { systolic, diastolic } => {
                check((50..=300).contains(&systolic), systolic_text, &[("systolic", &systolic.to_string())]);
                check((20..=200).contains(&diastolic), diastolic_text, &[("diastolic", &diastolic.to_string())]);
                check(
                    diastolic < systolic,
                    crate::msg!("The diastolic (lower) number must be below the systolic (upper) one."),
                    &[],
                );
            }
            Self::Pulse { per_minute } => {
                check((20..=300).contains(&per_minute), pulse_text, &[("pulse", &per_minute.to_string())]);
            }
            Self::Weight { kg } => {
                check(within(kg, 0.3, 700.0), weight_text, &[("weight", &format_number(kg))]);
            }
            Self::Glucose { value, unit } => {
                let (low, high) = match unit {
                    GlucoseUnit::MmolPerL => (0.5, 60.0),
                    GlucoseUnit::MgPerDl => (10.0, 1100.0),
                };
                check(
                    within(value, low, high),
                    glucose_text,
                    &[
                        ("glucose", &format_number(value)),
                        ("unit", unit.ucum()),
                        ("low", &format_number(low)),
                        ("high", &format_number(high)),
                    ],
                );
            }
            Self::Temperature { celsius } => {
                check(within(celsius, 25.0, 45.0), temperature_text, &[("temperature", &format_number(celsius))]);
            }
            Self::OxygenSaturation { percent } => {
                check((50..=100).contains(&percent), oxygen_text, &[("percent", &percent.to_string())]);
            }
        }
        out
    }
}

/// The implausible readings' problems, with the reading as a value (so `translate_problem` can
/// word them in another language): blood pressure's two, pulse, weight, glucose, temperature,
/// oxygen.
pub(crate) const IMPLAUSIBLE: [&str; 7] = [
    crate::msg!("A systolic pressure of {systolic} mmHg is not plausible (50–300)."),
    crate::msg!("A diastolic pressure of {diastolic} mmHg is not plausible (20–200)."),
    crate::msg!("A pulse of {pulse} a minute is not plausible (20–300)."),
    crate::msg!("A weight of {weight} kg is not plausible (0.3–700)."),
    crate::msg!("A glucose of {glucose} {unit} is not plausible ({low}–{high}); check the unit."),
    crate::msg!("A temperature of {temperature} °C is not plausible (25–45); use Celsius."),
    crate::msg!("An oxygen saturation of {percent} % is not plausible (50–100)."),
];

impl VitalSign {
    pub fn validated(self) -> Result<Self, Vec<ValidationError>> {
        let mut problems = Problems::default();
        for message in self.measurement.problems() {
            // Under the form's field, so the form can mark it (the form calls it "reading").
            problems.fail("reading", message);
        }
        problems.finish(self)
    }
}

// ---------------------------------------------------------------- notes

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub at: LocalDateTime,
    pub text: String,
    /// How bad the symptom was, 0 (none) to 10 (worst imaginable).
    #[serde(default)]
    pub severity: Option<u8>,
}

impl Note {
    pub fn validated(mut self) -> Result<Self, Vec<ValidationError>> {
        trim(&mut [&mut self.text]);
        let mut problems = Problems::default();
        problems.require("text", &self.text, crate::msg!("Write something in the note."));
        problems.limit("text", &self.text, LONG);
        if self.severity.is_some_and(|s| s > 10) {
            problems.fail("severity", crate::msg!("Severity goes from 0 (none) to 10 (worst)."));
        }
        problems.finish(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> LocalDateTime {
        LocalDateTime::from_local(2026, 11, 23, 8, 30, 60).unwrap()
    }

    fn vital(measurement: Measurement) -> Result<VitalSign, Vec<ValidationError>> {
        VitalSign { at: at(), measurement }.validated()
    }

    #[test]
    fn implausible_vitals_say_what_is_wrong() {
        assert!(vital(Measurement::Pulse { per_minute: 72 }).is_ok());
        for bad in [0, 900] {
            let err = vital(Measurement::Pulse { per_minute: bad }).unwrap_err();
            assert_eq!(err[0].message, format!("A pulse of {bad} a minute is not plausible (20–300)."));
        }
        let bp = vital(Measurement::BloodPressure { systolic: 80, diastolic: 120 }).unwrap_err();
        assert!(bp[0].message.contains("diastolic (lower)"));
        assert!(vital(Measurement::BloodPressure { systolic: 128, diastolic: 82 }).is_ok());
        assert!(vital(Measurement::Temperature { celsius: 98.6 }).unwrap_err()[0].message.contains("use Celsius"));
        assert!(vital(Measurement::Temperature { celsius: f64::NAN }).is_err());
        assert!(vital(Measurement::Glucose { value: 110.0, unit: GlucoseUnit::MmolPerL }).is_err());
        assert!(vital(Measurement::Glucose { value: 110.0, unit: GlucoseUnit::MgPerDl }).is_ok());
        assert!(vital(Measurement::Weight { kg: 0.0 }).is_err());
        assert!(vital(Measurement::OxygenSaturation { percent: 101 }).is_err());
        assert_eq!(Measurement::Temperature { celsius: 37.25 }.text(), "37.25 °C");
    }

    #[test]
    fn notes_and_appointments_are_tidied() {
        let note = Note { at: at(), text: " headache ".into(), severity: Some(11) };
        assert_eq!(note.clone().validated().unwrap_err()[0].field, "severity");
        assert_eq!(Note { severity: Some(4), ..note }.validated().unwrap().text, "headache");
        let visit = Appointment {
            at: at(),
            with: Some(ProviderRef::Named("  ".into())),
            purpose: " Check-up ".into(),
            questions: vec![" Can I stop the ibuprofen? ".into(), "   ".into()],
            follow_up: String::new(),
        }
        .validated()
        .unwrap();
        assert_eq!(visit.with, None);
        assert_eq!(visit.questions, ["Can I stop the ibuprofen?"]);
    }
}
