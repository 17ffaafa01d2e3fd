//! Who the binder is about, and who to call: the front page of the binder.

use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::dates::PartialDate;
use super::validate::{LONG, Problems, SHORT, trim};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Whose binder this is, as they would be called at the front desk.
    pub name: String,
    #[serde(default)]
    pub birth_date: Option<PartialDate>,
    #[serde(default)]
    pub sex: Sex,
    #[serde(default)]
    pub blood_type: Option<BloodType>,
    /// The language they prefer to be spoken to in: a BCP-47 tag ("en-GB") or plain words.
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub emergency_contacts: Vec<Contact>,
    /// The caregiver who speaks with clinicians on the patient's behalf.
    #[serde(default)]
    pub caregiver: Option<Contact>,
    /// Where the advance directive is, or what it says, in the patient's words.
    #[serde(default)]
    pub advance_directive: String,
}

/// FHIR administrative gender.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    Other,
    #[default]
    Unknown,
}

impl Sex {
    pub const ALL: [Sex; 4] = [Self::Female, Self::Male, Self::Other, Self::Unknown];

    /// FHIR `Patient.gender` (and the stored code).
    pub fn code(self) -> &'static str {
        match self {
            Self::Female => "female",
            Self::Male => "male",
            Self::Other => "other",
            Self::Unknown => "unknown",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Female => "Female",
            Self::Male => "Male",
            Self::Other => "Other",
            Self::Unknown => "Not stated",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BloodType {
    APos,
    ANeg,
    BPos,
    BNeg,
    AbPos,
    AbNeg,
    OPos,
    ONeg,
}

impl BloodType {
    pub const ALL: [BloodType; 8] =
        [Self::APos, Self::ANeg, Self::BPos, Self::BNeg, Self::AbPos, Self::AbNeg, Self::OPos, Self::ONeg];

    /// "A+", "O−" (with a true minus sign).
    pub fn label(self) -> &'static str {
        match self {
            Self::APos => "A+",
            Self::ANeg => "A\u{2212}",
            Self::BPos => "B+",
            Self::BNeg => "B\u{2212}",
            Self::AbPos => "AB+",
            Self::AbNeg => "AB\u{2212}",
            Self::OPos => "O+",
            Self::ONeg => "O\u{2212}",
        }
    }
}

/// Someone to call: an emergency contact or the caregiver.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    /// "Daughter", "Neighbour", "Husband".
    #[serde(default)]
    pub relationship: String,
    #[serde(default)]
    pub phone: String,
}

impl Contact {
    fn tidy(&mut self, field: &'static str, problems: &mut Problems) {
        trim(&mut [&mut self.name, &mut self.relationship, &mut self.phone]);
        problems.require(field, &self.name, crate::msg!("Enter the contact's name."));
        if self.phone.is_empty() {
            problems.fail(field, crate::msg!("Enter a phone number to reach them."));
        } else if !is_phone(&self.phone) {
            problems.fail(field, crate::msg!("A phone number has digits, and may have + ( ) - . and spaces."));
        }
        for text in [&self.name, &self.relationship, &self.phone] {
            problems.limit(field, text, SHORT);
        }
    }
}

/// Digits with the usual punctuation; at least three digits.
pub(crate) fn is_phone(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_digit() || " +-().#*/".contains(c))
        && text.chars().filter(char::is_ascii_digit).count() >= 3
}

/// A plausible BCP-47 tag ("en", "en-GB", "zh-Hant-TW"), as opposed to words ("English").
pub fn is_language_tag(text: &str) -> bool {
    let mut parts = text.split('-');
    parts.next().is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

impl Profile {
    pub fn validated(mut self) -> Result<Self, Vec<ValidationError>> {
        trim(&mut [&mut self.name, &mut self.language, &mut self.advance_directive]);
        let mut problems = Problems::default();
        problems.require("name", &self.name, crate::msg!("Enter the name of the person this binder is about."));
        problems.limit("name", &self.name, SHORT);
        problems.limit("language", &self.language, SHORT);
        problems.limit("advance_directive", &self.advance_directive, LONG);
        for contact in &mut self.emergency_contacts {
            contact.tidy("emergency_contacts", &mut problems);
        }
        if let Some(caregiver) = &mut self.caregiver {
            caregiver.tidy("caregiver", &mut problems);
        }
        problems.finish(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_is_tidied_and_checked() {
        let profile = Profile {
            name: " Ada ".into(),
            language: " en-GB ".into(),
            emergency_contacts: vec![Contact {
                name: " Byron ".into(),
                relationship: "Father".into(),
                phone: "+44 20 7946 0000".into(),
            }],
            ..Profile::default()
        }
        .validated()
        .unwrap();
        assert_eq!((profile.name.as_str(), profile.language.as_str()), ("Ada", "en-GB"));
        assert_eq!(profile.emergency_contacts[0].name, "Byron");

        let bad = Profile {
            name: "".into(),
            emergency_contacts: vec![Contact {
                name: "Byron".into(),
                relationship: String::new(),
                phone: "call me".into(),
            }],
            caregiver: Some(Contact::default()),
            ..Profile::default()
        };
        let fields: Vec<_> = bad.validated().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "emergency_contacts", "caregiver", "caregiver"]);
    }

    #[test]
    fn codes_and_labels() {
        assert_eq!(serde_json::to_string(&BloodType::ONeg).unwrap(), "\"o_neg\"");
        assert_eq!(BloodType::AbNeg.label(), "AB−");
        assert_eq!(Sex::from_code("female"), Some(Sex::Female));
        assert!(is_language_tag("en-GB") && is_language_tag("zh-Hant-TW") && is_language_tag("fr"));
        assert!(!is_language_tag("English") && !is_language_tag("en GB") && !is_language_tag(""));
    }
}
