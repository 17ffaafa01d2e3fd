//! The SBAR hand-off (Situation, Background, Assessment, Recommendation) built from the binder,
//! deterministically, on the patient's side. It travels as a narrative section of every shared
//! IPS document, so any receiver shows it, and it draws only on the sections the patient chose to
//! share (a withheld section never leaks through the summary).

use chrono::{DateTime, Datelike, Utc};
use uuid::Uuid;

use crate::ips::{ALLERGIES, MEDICATIONS, PROBLEMS, SectionKind, VITAL_SIGNS};
use crate::model::{AllergyState, Appointment, Binder, ConditionStatus, Measurement, MedicationKind, ProviderRef, Sex};
use crate::reconcile::{Flag, list_flags};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sbar {
    pub situation: Vec<String>,
    pub background: Vec<String>,
    pub assessment: Vec<String>,
    pub recommendation: Vec<String>,
}

impl Sbar {
    /// The four parts with their headings, in order.
    pub fn parts(&self) -> [(&'static str, &[String]); 4] {
        [
            ("Situation", &self.situation),
            ("Background", &self.background),
            ("Assessment (patient-reported)", &self.assessment),
            ("Recommendation (the patient's questions)", &self.recommendation),
        ]
    }
}

/// Readings from the last this many days count as recent.
const RECENT_DAYS: i64 = 30;

/// Full years between a birth date and `now`.
fn age(binder: &Binder, now: DateTime<Utc>) -> Option<i32> {
    let born = binder.profile.birth_date?;
    let (year, month, day) =
        (i32::from(born.year_number()), born.month_number().unwrap_or(1), born.day_number().unwrap_or(1));
    let mut years = now.year() - year;
    if (now.month() as u8, now.day() as u8) < (month, day) {
        years -= 1;
    }
    (0..=130).contains(&years).then_some(years)
}

/// Builds the SBAR for a visit (`visit`: the appointment it is for, if the patient chose one),
/// from the `shared` sections only.
pub fn build(binder: &Binder, now: DateTime<Utc>, shared: &[SectionKind], visit: Option<Uuid>) -> Sbar {
    let has = |kind: SectionKind| shared.contains(&kind);
    let mut sbar = Sbar::default();

    // Situation: who, and why today.
    let profile = &binder.profile;
    let mut who = profile.name.clone();
    if let Some(age) = age(binder, now) {
        who.push_str(&format!(", {age} years old"));
    }
    if profile.sex != Sex::Unknown {
        who.push_str(&format!(", {}", profile.sex.label().to_lowercase()));
    }
    sbar.situation.push(format!("{who}."));
    let appointment = visit.and_then(|id| binder.get::<Appointment>(id)).map(|e| &e.data);
    match appointment {
        Some(a) => {
            let with = match &a.with {
                Some(ProviderRef::CareTeam(id)) => {
                    binder.get::<crate::model::Provider>(*id).map(|p| p.data.name.clone())
                }
                Some(ProviderRef::Named(name)) if !name.is_empty() => Some(name.clone()),
                _ => None,
            };
            let reason = if a.purpose.is_empty() { "no reason written".to_owned() } else { a.purpose.clone() };
            let with = with.map(|w| format!(" with {w}")).unwrap_or_default();
            sbar.situation.push(format!("Visit on {}{with}: {reason}.", a.at.text()));
        }
        None => sbar.situation.push("The patient did not write a reason for this visit.".into()),
    }

    // Background: problems, allergies, medications.
    if has(PROBLEMS) {
        let active: Vec<&str> = binder
            .conditions
            .iter()
            .filter(|c| c.data.status == ConditionStatus::Active)
            .map(|c| c.data.name.as_str())
            .collect();
        sbar.background.push(if active.is_empty() {
            "Active problems: none recorded.".into()
        } else {
            format!("Active problems: {}.", active.join("; "))
        });
    }
    if has(ALLERGIES) {
        sbar.background.push(match binder.allergy_state() {
            AllergyState::NotRecorded => "Allergies: not recorded. Ask the patient.".into(),
            AllergyState::NoneKnown { .. } => "Allergies: none known (confirmed by the patient).".into(),
            AllergyState::Listed(_) => {
                let allergies: Vec<String> = binder
                    .allergies
                    .iter()
                    .map(|a| match a.data.reaction.as_str() {
                        "" => a.data.substance.clone(),
                        reaction => format!("{} ({reaction})", a.data.substance),
                    })
                    .collect();
                format!("Allergies: {}.", allergies.join("; "))
            }
        });
    }
    let active: Vec<&crate::model::Medication> =
        binder.medications.iter().map(|m| &m.data).filter(|m| m.status.is_active()).collect();
    if has(MEDICATIONS) {
        let lines: Vec<String> = active
            .iter()
            .map(|m| {
                let mut line = [m.name.as_str(), m.strength.as_str()].join(" ").trim().to_owned();
                line.push_str(&format!(", {}", m.frequency.text()));
                match m.kind {
                    MedicationKind::OverTheCounter => line.push_str(" [over the counter]"),
                    MedicationKind::Supplement => line.push_str(" [supplement]"),
                    MedicationKind::Prescription => {}
                }
                line
            })
            .collect();
        sbar.background.push(if lines.is_empty() {
            "Medications: none recorded.".into()
        } else {
            format!("Medications ({}): {}.", lines.len(), lines.join("; "))
        });
    }

    // Assessment: what the patient measured and what the binder notices.
    if has(VITAL_SIGNS) {
        let since = now.timestamp_millis() - RECENT_DAYS * 86_400_000;
        let mut kinds: Vec<&'static str> = Vec::new();
        for v in &binder.vitals {
            let label = v.data.measurement.label();
            if v.data.at.utc_ms >= since && !kinds.contains(&label) {
                kinds.push(label);
            }
        }
        for label in kinds {
            let mut readings: Vec<&crate::model::VitalSign> = binder
                .vitals
                .iter()
                .map(|v| &v.data)
                .filter(|v| v.measurement.label() == label && v.at.utc_ms >= since)
                .collect();
            readings.sort_by_key(|v| v.at.utc_ms);
            let (first, last) = (readings[0], readings[readings.len() - 1]);
            let mut line = format!("{label}: {} on {}", last.measurement.text(), last.at.text());
            if readings.len() > 1 {
                line.push_str(&format!(
                    " ({} readings in {RECENT_DAYS} days, first {})",
                    readings.len(),
                    first.measurement.text()
                ));
            }
            let problems = match last.measurement {
                Measurement::BloodPressure { .. }
                | Measurement::Pulse { .. }
                | Measurement::OxygenSaturation { .. } => last.measurement.problems(),
                _ => Vec::new(),
            };
            if let Some(problem) = problems.first() {
                line.push_str(&format!(" — {problem}"));
            }
            sbar.assessment.push(format!("{line}."));
        }
    }
    if has(MEDICATIONS) {
        let lines: Vec<String> =
            active.iter().map(|m| [m.name.as_str(), m.strength.as_str()].join(" ").trim().to_owned()).collect();
        let as_str: Vec<&str> = lines.iter().map(String::as_str).collect();
        let allergies: Vec<&str> = if has(ALLERGIES) {
            binder.allergies.iter().map(|a| a.data.substance.as_str()).collect()
        } else {
            Vec::new()
        };
        for (i, flag) in list_flags(&as_str, &allergies) {
            let what = match flag {
                Flag::Allergy => "matches a recorded allergy",
                _ => "same ingredient twice",
            };
            sbar.assessment.push(format!("Check: {} ({what}).", lines[i]));
        }
    }
    if sbar.assessment.is_empty() {
        sbar.assessment.push("Nothing measured or flagged in the shared sections.".into());
    }

    // Recommendation: the patient's own questions for this visit.
    match appointment {
        Some(a) if !a.questions.is_empty() => {
            sbar.recommendation.extend(a.questions.iter().filter(|q| !q.trim().is_empty()).map(|q| q.trim().to_owned()))
        }
        _ => sbar.recommendation.push("The patient wrote no questions for this visit.".into()),
    }
    sbar
}
