//! The SBAR hand-off (Situation, Background, Assessment, Recommendation) built from the binder,
//! deterministically, on the patient's side. It travels as a narrative section of every shared
//! IPS document, so any receiver shows it, and it draws only on the sections the patient chose to
//! share (a withheld section never leaks through the summary).

use chrono::{DateTime, Datelike, Utc};
use uuid::Uuid;

use crate::ips::{ALLERGIES, MEDICATIONS, PROBLEMS, SectionKind, Texts, VITAL_SIGNS};
use crate::model::{AllergyState, Appointment, Binder, ConditionStatus, Measurement, MedicationKind, ProviderRef, Sex};
use crate::msg;
use crate::reconcile::{Flag, list_flags};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sbar {
    pub situation: Vec<String>,
    pub background: Vec<String>,
    pub assessment: Vec<String>,
    pub recommendation: Vec<String>,
}

impl Sbar {
    /// The four parts with their headings in `texts`' language, in order.
    pub fn parts<'t>(&self, texts: &Texts<'t>) -> [(&'t str, &[String]); 4] {
        [
            (texts.get(msg!("Situation")), &self.situation),
            (texts.get(msg!("Background")), &self.background),
            (texts.get(msg!("Assessment (patient-reported)")), &self.assessment),
            (texts.get(msg!("Recommendation (the patient's questions)")), &self.recommendation),
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
/// from the `shared` sections only, in `texts`' language (what the patient typed stays as typed).
pub fn build(binder: &Binder, now: DateTime<Utc>, shared: &[SectionKind], visit: Option<Uuid>, texts: &Texts) -> Sbar {
    let has = |kind: SectionKind| shared.contains(&kind);
    let mut sbar = Sbar::default();

    // Situation: who, and why today.
    let profile = &binder.profile;
    let name = profile.name.as_str();
    let age = age(binder, now).map(|a| a.to_string());
    let sex = (profile.sex != Sex::Unknown).then(|| texts.get(profile.sex.label()).to_lowercase());
    sbar.situation.push(match (&age, &sex) {
        (Some(age), Some(sex)) => {
            texts.fill(msg!("{name}, {age} years old, {sex}."), &[("name", name), ("age", age), ("sex", sex)])
        }
        (Some(age), None) => texts.fill(msg!("{name}, {age} years old."), &[("name", name), ("age", age)]),
        (None, Some(sex)) => texts.fill(msg!("{name}, {sex}."), &[("name", name), ("sex", sex)]),
        (None, None) => format!("{name}."),
    });
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
            let reason = if a.purpose.is_empty() { texts.get(msg!("no reason written")) } else { a.purpose.as_str() };
            let day = texts.date_time(a.at);
            sbar.situation.push(match with {
                Some(with) => texts.fill(
                    msg!("Visit on {date} with {clinician}: {reason}."),
                    &[("date", &day), ("clinician", &with), ("reason", reason)],
                ),
                None => texts.fill(msg!("Visit on {date}: {reason}."), &[("date", &day), ("reason", reason)]),
            });
        }
        None => sbar.situation.push(texts.get(msg!("The patient did not write a reason for this visit.")).into()),
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
            texts.get(msg!("Active problems: none recorded.")).into()
        } else {
            texts.fill(msg!("Active problems: {list}."), &[("list", &active.join("; "))])
        });
    }
    if has(ALLERGIES) {
        sbar.background.push(match binder.allergy_state() {
            AllergyState::NotRecorded => texts.get(msg!("Allergies: not recorded. Ask the patient.")).into(),
            AllergyState::NoneKnown { .. } => {
                texts.get(msg!("Allergies: none known (confirmed by the patient).")).into()
            }
            AllergyState::Listed(_) => {
                let allergies: Vec<String> = binder
                    .allergies
                    .iter()
                    .map(|a| match a.data.reaction.as_str() {
                        "" => a.data.substance.clone(),
                        reaction => format!("{} ({reaction})", a.data.substance),
                    })
                    .collect();
                texts.fill(msg!("Allergies: {list}."), &[("list", &allergies.join("; "))])
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
                line.push_str(&format!(", {}", texts.said(&m.frequency.said())));
                match m.kind {
                    MedicationKind::OverTheCounter => line.push_str(texts.get(msg!(" [over the counter]"))),
                    MedicationKind::Supplement => line.push_str(texts.get(msg!(" [supplement]"))),
                    MedicationKind::Prescription => {}
                }
                line
            })
            .collect();
        sbar.background.push(if lines.is_empty() {
            texts.get(msg!("Medications: none recorded.")).into()
        } else {
            texts.fill(
                msg!("Medications ({n}): {list}."),
                &[("n", &lines.len().to_string()), ("list", &lines.join("; "))],
            )
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
            let (value, at) = (last.measurement.text(), texts.date_time(last.at));
            let values = [("label", texts.get(label)), ("value", value.as_str()), ("date", at.as_str())];
            let mut line = if readings.len() > 1 {
                let (n, days, first) = (readings.len().to_string(), RECENT_DAYS.to_string(), first.measurement.text());
                texts.fill(
                    msg!("{label}: {value} on {date} ({n} readings in {days} days, first {first})"),
                    &[values[0], values[1], values[2], ("n", &n), ("days", &days), ("first", &first)],
                )
            } else {
                texts.fill(msg!("{label}: {value} on {date}"), &values)
            };
            let problems = match last.measurement {
                Measurement::BloodPressure { .. }
                | Measurement::Pulse { .. }
                | Measurement::OxygenSaturation { .. } => last.measurement.problems(),
                _ => Vec::new(),
            };
            if let Some(problem) = problems.first() {
                line.push_str(&format!(" — {}", texts.get(problem)));
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
                Flag::Allergy => msg!("Check: {medication} (matches a recorded allergy)."),
                _ => msg!("Check: {medication} (same ingredient twice)."),
            };
            sbar.assessment.push(texts.fill(what, &[("medication", &lines[i])]));
        }
    }
    if sbar.assessment.is_empty() {
        sbar.assessment.push(texts.get(msg!("Nothing measured or flagged in the shared sections.")).into());
    }

    // Recommendation: the patient's own questions for this visit.
    match appointment {
        Some(a) if !a.questions.is_empty() => {
            sbar.recommendation.extend(a.questions.iter().filter(|q| !q.trim().is_empty()).map(|q| q.trim().to_owned()))
        }
        _ => sbar.recommendation.push(texts.get(msg!("The patient wrote no questions for this visit.")).into()),
    }
    sbar
}
