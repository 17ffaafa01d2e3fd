//! The clinical sections: allergies, conditions, procedures, immunizations and test results.

use crate::i18n::fill;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::dates::{LocalDateTime, PartialDate};
use super::medication::Quantity;
use super::validate::{LONG, Problems, SHORT, trim};
use super::{ValidationError, format_number};

// ---------------------------------------------------------------- allergies

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allergy {
    /// What the patient reacts to: "Penicillin", "Peanuts", "Cat dander".
    pub substance: String,
    #[serde(default)]
    pub category: Option<AllergyCategory>,
    /// What happens, in the patient's words: "hives", "throat swells".
    #[serde(default)]
    pub reaction: String,
    #[serde(default)]
    pub severity: Option<Severity>,
    /// How dangerous a future exposure could be (FHIR criticality).
    #[serde(default)]
    pub criticality: Option<Criticality>,
}

/// FHIR `AllergyIntolerance.category`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllergyCategory {
    Medication,
    Food,
    Environment,
    Biologic,
}

impl AllergyCategory {
    pub const ALL: [AllergyCategory; 4] = [Self::Medication, Self::Food, Self::Environment, Self::Biologic];

    pub fn code(self) -> &'static str {
        match self {
            Self::Medication => "medication",
            Self::Food => "food",
            Self::Environment => "environment",
            Self::Biologic => "biologic",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Medication => crate::msg!("Medication"),
            Self::Food => crate::msg!("Food"),
            Self::Environment => crate::msg!("Environment"),
            Self::Biologic => crate::msg!("Biologic"),
        }
    }
}

/// FHIR `AllergyIntolerance.reaction.severity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Mild,
    Moderate,
    Severe,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Self::Mild, Self::Moderate, Self::Severe];

    pub fn code(self) -> &'static str {
        match self {
            Self::Mild => "mild",
            Self::Moderate => "moderate",
            Self::Severe => "severe",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Mild => crate::msg!("Mild"),
            Self::Moderate => crate::msg!("Moderate"),
            Self::Severe => crate::msg!("Severe"),
        }
    }
}

/// FHIR `AllergyIntolerance.criticality`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criticality {
    Low,
    High,
    UnableToAssess,
}

impl Criticality {
    pub const ALL: [Criticality; 3] = [Self::Low, Self::High, Self::UnableToAssess];

    pub fn code(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::High => "high",
            Self::UnableToAssess => "unable-to-assess",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Low => crate::msg!("Low risk"),
            Self::High => crate::msg!("High risk"),
            Self::UnableToAssess => crate::msg!("Risk unknown"),
        }
    }
}

/// A code that does not read as its system's (a problem with a value: see `translate_problem`).
pub(crate) const NOT_A_CODE: &str = crate::msg!("That is not a {system} code.");

impl Allergy {
    pub fn validated(mut self) -> Result<Self, Vec<ValidationError>> {
        trim(&mut [&mut self.substance, &mut self.reaction]);
        let mut problems = Problems::default();
        problems.require("substance", &self.substance, crate::msg!("Enter what causes the reaction."));
        problems.limit("substance", &self.substance, SHORT);
        problems.limit("reaction", &self.reaction, LONG);
        problems.finish(self)
    }
}

// ---------------------------------------------------------------- conditions

/// A code from a terminology, e.g. SNOMED CT 44054006 for type 2 diabetes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicalCode {
    pub system: CodeSystem,
    pub code: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeSystem {
    Snomed,
    /// WHO ICD-10.
    Icd10,
    /// ICD-10-CM (United States).
    Icd10Cm,
}

impl CodeSystem {
    pub fn uri(self) -> &'static str {
        match self {
            Self::Snomed => "http://snomed.info/sct",
            Self::Icd10 => "http://hl7.org/fhir/sid/icd-10",
            Self::Icd10Cm => "http://hl7.org/fhir/sid/icd-10-cm",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Snomed => "SNOMED CT",
            Self::Icd10 => "ICD-10",
            Self::Icd10Cm => "ICD-10-CM",
        }
    }

    fn valid(self, code: &str) -> bool {
        match self {
            Self::Snomed => (6..=18).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()),
            Self::Icd10 | Self::Icd10Cm => {
                let b = code.as_bytes();
                (3..=8).contains(&b.len())
                    && b[0].is_ascii_uppercase()
                    && b[1..].iter().all(|c| c.is_ascii_alphanumeric() || *c == b'.')
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// "Type 2 diabetes", "Asthma".
    pub name: String,
    #[serde(default)]
    pub code: Option<ClinicalCode>,
    #[serde(default)]
    pub status: ConditionStatus,
    #[serde(default)]
    pub onset: Option<PartialDate>,
    #[serde(default)]
    pub resolved: Option<PartialDate>,
    #[serde(default)]
    pub note: String,
}

/// FHIR `Condition.clinicalStatus`, as far as a patient can tell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionStatus {
    #[default]
    Active,
    Resolved,
}

impl ConditionStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Resolved => "resolved",
        }
    }
}

impl Condition {
    pub fn validated(mut self) -> Result<Self, Vec<ValidationError>> {
        trim(&mut [&mut self.name, &mut self.note]);
        let mut problems = Problems::default();
        problems.require("name", &self.name, crate::msg!("Enter the condition's name."));
        problems.limit("name", &self.name, SHORT);
        problems.limit("note", &self.note, LONG);
        if let Some(code) = &mut self.code {
            code.code = code.code.trim().to_owned();
            if code.system != CodeSystem::Snomed {
                code.code = code.code.to_ascii_uppercase();
            }
            if !code.system.valid(&code.code) {
                problems.fail("code", fill(NOT_A_CODE, &[("system", code.system.label())]));
            }
        }
        if let (Some(onset), Some(resolved)) = (self.onset, self.resolved)
            && resolved < onset
        {
            problems.fail("resolved", crate::msg!("The resolution date is before the onset."));
        }
        if self.resolved.is_some() && self.status == ConditionStatus::Active {
            problems.fail(
                "status",
                crate::msg!("A condition with a resolution date is resolved: mark it so or clear the date."),
            );
        }
        problems.finish(self)
    }
}

// ---------------------------------------------------------------- procedures

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// "Appendectomy", "Knee replacement (left)".
    pub name: String,
    #[serde(default)]
    pub date: Option<PartialDate>,
    /// Who did it, or where: "Dr Chen, St Mary's".
    #[serde(default)]
    pub performer: String,
    #[serde(default)]
    pub note: String,
}

impl Procedure {
    pub fn validated(mut self) -> Result<Self, Vec<ValidationError>> {
        trim(&mut [&mut self.name, &mut self.performer, &mut self.note]);
        let mut problems = Problems::default();
        problems.require("name", &self.name, crate::msg!("Enter what was done."));
        problems.limit("name", &self.name, SHORT);
        problems.limit("performer", &self.performer, SHORT);
        problems.limit("note", &self.note, LONG);
        problems.finish(self)
    }
}

// ---------------------------------------------------------------- immunizations

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Immunization {
    /// "Influenza 2026/27", "Tetanus booster".
    pub vaccine: String,
    #[serde(default)]
    pub date: Option<PartialDate>,
    /// 1 for the first dose of a series.
    #[serde(default)]
    pub dose_number: Option<u32>,
    #[serde(default)]
    pub lot: String,
    /// Who gave it: a pharmacy, a clinic.
    #[serde(default)]
    pub given_by: String,
}

impl Immunization {
    pub fn validated(mut self) -> Result<Self, Vec<ValidationError>> {
        trim(&mut [&mut self.vaccine, &mut self.lot, &mut self.given_by]);
        let mut problems = Problems::default();
        problems.require("vaccine", &self.vaccine, crate::msg!("Enter the vaccine."));
        problems.limit("vaccine", &self.vaccine, SHORT);
        problems.limit("lot", &self.lot, 100);
        problems.limit("given_by", &self.given_by, SHORT);
        if matches!(self.dose_number, Some(0) | Some(101..)) {
            problems.fail("dose_number", crate::msg!("The dose number counts from 1."));
        }
        problems.finish(self)
    }
}

// ---------------------------------------------------------------- test results

/// When something happened: a day (from a paper report) or a moment (a reading at home).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    Date(PartialDate),
    At(LocalDateTime),
}

impl When {
    /// FHIR's `dateTime`.
    pub fn fhir(&self) -> String {
        match self {
            Self::Date(d) => d.to_string(),
            Self::At(at) => at.fhir(),
        }
    }

    pub fn text(&self) -> String {
        match self {
            Self::Date(d) => d.text(),
            Self::At(at) => at.text(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    /// "HbA1c", "LDL cholesterol".
    pub name: String,
    #[serde(default)]
    pub loinc: Option<String>,
    pub value: ResultValue,
    pub when: When,
    /// The care-team entry who ordered it.
    #[serde(default)]
    pub ordered_by: Option<Uuid>,
    /// In the unit of the value.
    #[serde(default)]
    pub range_low: Option<f64>,
    #[serde(default)]
    pub range_high: Option<f64>,
    #[serde(default)]
    pub interpretation: Option<Interpretation>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultValue {
    /// A number and its UCUM unit: 6.8 %, 3.2 mmol/L.
    Quantity(Quantity),
    /// "Negative", "Not detected", "See report".
    Text(String),
}

impl ResultValue {
    pub fn text(&self) -> String {
        match self {
            Self::Quantity(q) => format!("{} {}", format_number(q.value), q.unit).trim_end().to_owned(),
            Self::Text(t) => t.clone(),
        }
    }
}

/// HL7 v3 ObservationInterpretation, the codes labs print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interpretation {
    Normal,
    Low,
    High,
    CriticallyLow,
    CriticallyHigh,
    Abnormal,
}

impl Interpretation {
    pub const ALL: [Self; 6] =
        [Self::Normal, Self::Low, Self::High, Self::CriticallyLow, Self::CriticallyHigh, Self::Abnormal];

    /// The flag with this HL7 code (`H`, `LL`, …), if it is one of [`Interpretation::ALL`].
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Normal => "N",
            Self::Low => "L",
            Self::High => "H",
            Self::CriticallyLow => "LL",
            Self::CriticallyHigh => "HH",
            Self::Abnormal => "A",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Normal => crate::msg!("Normal"),
            Self::Low => crate::msg!("Low"),
            Self::High => crate::msg!("High"),
            Self::CriticallyLow => crate::msg!("Critically low"),
            Self::CriticallyHigh => crate::msg!("Critically high"),
            Self::Abnormal => crate::msg!("Abnormal"),
        }
    }
}

impl TestResult {
    pub fn validated(mut self) -> Result<Self, Vec<ValidationError>> {
        trim(&mut [&mut self.name]);
        self.loinc = self.loinc.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
        let mut problems = Problems::default();
        problems.require("name", &self.name, crate::msg!("Enter the test's name."));
        problems.limit("name", &self.name, SHORT);
        if let Some(code) = &self.loinc
            && !is_loinc(code)
        {
            problems.fail("loinc", crate::msg!("A LOINC code reads like 4548-4: digits, a dash, one check digit."));
        }
        match &mut self.value {
            ResultValue::Quantity(q) => {
                q.unit = q.unit.trim().to_owned();
                if !q.value.is_finite() {
                    problems.fail("value", crate::msg!("The value must be a number."));
                }
                problems.limit("value", &q.unit, 50);
            }
            ResultValue::Text(t) => {
                *t = t.trim().to_owned();
                problems.require("value", t, crate::msg!("Enter the result."));
                problems.limit("value", t, LONG);
            }
        }
        let finite = |v: Option<f64>| v.is_none_or(f64::is_finite);
        if !finite(self.range_low) || !finite(self.range_high) {
            problems.fail("range_low", crate::msg!("The reference range must be numbers."));
        } else if let (Some(low), Some(high)) = (self.range_low, self.range_high)
            && low > high
        {
            problems.fail("range_low", crate::msg!("The low end of the range is above the high end."));
        }
        if (self.range_low.is_some() || self.range_high.is_some()) && matches!(self.value, ResultValue::Text(_)) {
            problems.fail("value", crate::msg!("A reference range needs a numeric result."));
        }
        problems.finish(self)
    }

    /// "3.5–5.1", "< 5.7", "> 40"; empty without a range.
    pub fn range_text(&self) -> String {
        match (self.range_low, self.range_high) {
            (Some(l), Some(h)) => format!("{}\u{2013}{}", format_number(l), format_number(h)),
            (Some(l), None) => format!("> {}", format_number(l)),
            (None, Some(h)) => format!("< {}", format_number(h)),
            (None, None) => String::new(),
        }
    }
}

/// A LOINC code: digits, a dash and the check digit (which is verified: mod 10).
pub fn is_loinc(code: &str) -> bool {
    let Some((body, check)) = code.split_once('-') else { return false };
    if body.is_empty() || body.len() > 7 || check.len() != 1 || !code.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return false;
    }
    // Luhn-style "mod 10" as LOINC defines it: double every other digit from the right.
    let mut sum = 0;
    for (i, d) in body.bytes().rev().map(|b| u32::from(b - b'0')).enumerate() {
        sum += if i % 2 == 0 {
            let doubled = d * 2;
            doubled / 10 + doubled % 10
        } else {
            d
        };
    }
    (10 - sum % 10) % 10 == u32::from(check.as_bytes()[0] - b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allergies_need_a_substance() {
        let ok = Allergy { substance: " Penicillin ".into(), reaction: " hives ".into(), ..Allergy::default() };
        let ok = ok.validated().unwrap();
        assert_eq!((ok.substance.as_str(), ok.reaction.as_str()), ("Penicillin", "hives"));
        assert_eq!(Allergy::default().validated().unwrap_err()[0].field, "substance");
    }

    #[test]
    fn conditions_check_codes_and_dates() {
        let date = |t| PartialDate::parse(t).ok();
        let condition = Condition {
            name: "Type 2 diabetes".into(),
            code: Some(ClinicalCode { system: CodeSystem::Icd10, code: " e11.9 ".into() }),
            status: ConditionStatus::Active,
            onset: date("2015-03"),
            resolved: None,
            note: String::new(),
        };
        assert_eq!(condition.clone().validated().unwrap().code.unwrap().code, "E11.9");
        let bad = Condition {
            code: Some(ClinicalCode { system: CodeSystem::Snomed, code: "abc".into() }),
            resolved: date("2014"),
            ..condition
        };
        let fields: Vec<_> = bad.validated().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["code", "resolved", "status"]);
    }

    #[test]
    fn procedures_and_immunizations() {
        assert_eq!(Procedure::default().validated().unwrap_err()[0].field, "name");
        let shot = Immunization { vaccine: "Tetanus".into(), dose_number: Some(0), ..Immunization::default() };
        assert_eq!(shot.validated().unwrap_err()[0].field, "dose_number");
    }

    #[test]
    fn results_check_codes_values_and_ranges() {
        let hba1c = TestResult {
            name: "HbA1c".into(),
            loinc: Some("4548-4".into()),
            value: ResultValue::Quantity(Quantity { value: 6.8, unit: "%".into() }),
            when: When::Date(PartialDate::parse("2026-10-02").unwrap()),
            ordered_by: None,
            range_low: None,
            range_high: Some(5.7),
            interpretation: Some(Interpretation::High),
        };
        let ok = hba1c.clone().validated().unwrap();
        assert_eq!((ok.value.text(), ok.range_text()), ("6.8 %".to_owned(), "< 5.7".to_owned()));
        assert!(is_loinc("8480-6") && is_loinc("85354-9") && is_loinc("2339-0") && is_loinc("59408-5"));
        assert!(!is_loinc("4548-5") && !is_loinc("4548") && !is_loinc("ab-1"));
        let bad = TestResult {
            loinc: Some("4548-5".into()),
            value: ResultValue::Text(" ".into()),
            range_low: Some(9.0),
            range_high: Some(5.0),
            ..hba1c
        };
        let fields: Vec<_> = bad.validated().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["loinc", "value", "range_low", "value"]);
    }
}
