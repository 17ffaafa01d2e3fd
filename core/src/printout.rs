//! The whole binder on paper: every section, in the order a clinic reads a binder (who, what
//! could harm, what is taken, the history, the measurements, the plans, whom to call), each entry
//! as a title and lines of text. The app lays it out for A4 and Letter; what is printed, and that
//! nothing is left out, is decided here. Shares are not printed: their links hold keys.

use crate::forms::ListSection;
use crate::model::{AllergyState, Binder, Contact, Sex};

/// The notice every printed page carries.
pub const PRIVATE_NOTICE: &str =
    "Private health information. Keep this printout safe, and shred it when you no longer need it.";

/// One section as printed.
#[derive(Clone, Debug, PartialEq)]
pub struct PrintedSection {
    pub title: &'static str,
    pub rows: Vec<PrintedRow>,
    /// What an empty section says (a blank would read as "none").
    pub empty: &'static str,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PrintedRow {
    pub title: String,
    pub details: Vec<String>,
}

fn row(title: impl Into<String>, details: impl IntoIterator<Item = String>) -> PrintedRow {
    PrintedRow { title: title.into(), details: details.into_iter().filter(|d| !d.is_empty()).collect() }
}

fn contact_text(c: &Contact) -> String {
    [c.name.as_str(), c.relationship.as_str(), c.phone.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

fn about_me(b: &Binder) -> Vec<PrintedRow> {
    let p = &b.profile;
    let mut rows = vec![row("Name", [p.name.clone()])];
    let mut add = |label: &str, value: String| {
        if !value.is_empty() {
            rows.push(row(label, [value]));
        }
    };
    add("Date of birth", p.birth_date.map(|d| d.text()).unwrap_or_default());
    add("Sex", if p.sex == Sex::Unknown { String::new() } else { p.sex.label().to_owned() });
    add("Blood type", p.blood_type.map(|t| t.label().to_owned()).unwrap_or_default());
    add("Preferred language", p.language.clone());
    for contact in &p.emergency_contacts {
        add("Emergency contact", contact_text(contact));
    }
    add("Caregiver who speaks for me", p.caregiver.as_ref().map(contact_text).unwrap_or_default());
    add("Advance directive", p.advance_directive.clone());
    rows
}

fn allergies(b: &Binder) -> Vec<PrintedRow> {
    match b.allergy_state() {
        AllergyState::NotRecorded => Vec::new(),
        AllergyState::NoneKnown { confirmed_at } => vec![row(
            "No known allergies",
            [format!("Confirmed by the patient on {}", crate::model::PartialDate::from_utc(confirmed_at).text())],
        )],
        AllergyState::Listed(_) => b
            .allergies
            .iter()
            .map(|e| {
                let a = &e.data;
                row(
                    a.substance.clone(),
                    [
                        [
                            a.category.map(|c| c.label()).unwrap_or(""),
                            a.severity.map(|s| s.label()).unwrap_or(""),
                            a.criticality.map(|c| c.label()).unwrap_or(""),
                        ]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" \u{b7} "),
                        if a.reaction.is_empty() { String::new() } else { format!("Reaction: {}", a.reaction) },
                        b.source_text(e.id()).unwrap_or_default(),
                    ],
                )
            })
            .collect(),
    }
}

fn medications(b: &Binder) -> Vec<PrintedRow> {
    // Those taken now first, then the stopped ones (which still matter to a clinician).
    let (active, stopped): (Vec<_>, Vec<_>) = b.medications.iter().partition(|e| e.data.status.is_active());
    active
        .into_iter()
        .chain(stopped)
        .map(|e| {
            let m = &e.data;
            let title =
                [m.name.as_str(), m.strength.as_str()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>();
            let how = [m.dose_text(), m.frequency.text(), m.route.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" \u{b7} ");
            let status = match &m.status {
                crate::model::MedicationStatus::Active => String::new(),
                crate::model::MedicationStatus::Stopped { reason } if reason.is_empty() => "Stopped".to_owned(),
                crate::model::MedicationStatus::Stopped { reason } => format!("Stopped: {reason}"),
            };
            row(
                title.join(" "),
                [
                    status,
                    format!("{} \u{b7} {how}", m.kind.label()),
                    if m.instructions.is_empty() { String::new() } else { format!("Directions: {}", m.instructions) },
                    if m.reason.is_empty() { String::new() } else { format!("For: {}", m.reason) },
                    m.started.map(|d| format!("Since {}", d.text())).unwrap_or_default(),
                    m.verified.as_ref().map(|v| v.text()).unwrap_or_default(),
                    b.source_text(e.id()).unwrap_or_default(),
                ],
            )
        })
        .collect()
}

fn list(b: &Binder, section: ListSection) -> Vec<PrintedRow> {
    section
        .rows(b)
        .into_iter()
        .map(|r| {
            let badge = r.badge.map(str::to_owned).unwrap_or_default();
            row(
                r.title.text(),
                [badge].into_iter().chain(r.details.iter().map(|d| d.text())).chain(b.source_text(r.id)),
            )
        })
        .collect()
}

/// Every section of the binder, as printed.
pub fn binder_sections(b: &Binder) -> Vec<PrintedSection> {
    let listed = |section: ListSection| PrintedSection {
        title: section.text().title,
        rows: list(b, section),
        empty: "None recorded.",
    };
    vec![
        PrintedSection { title: "About me", rows: about_me(b), empty: "" },
        PrintedSection {
            title: "Allergies",
            rows: allergies(b),
            empty: "Not recorded: nobody has asked yet. Ask the patient.",
        },
        PrintedSection { title: "Medications", rows: medications(b), empty: "None recorded." },
        listed(ListSection::Conditions),
        listed(ListSection::Procedures),
        listed(ListSection::Immunizations),
        listed(ListSection::Results),
        listed(ListSection::Vitals),
        listed(ListSection::Appointments),
        listed(ListSection::Notes),
        listed(ListSection::CareTeam),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::ListSection;
    use crate::model::{Allergy, Frequency, Medication, MedicationStatus, Profile, Source};
    use chrono::{DateTime, Utc};

    fn now() -> DateTime<Utc> {
        "2026-12-05T10:00:00Z".parse().unwrap()
    }

    /// A binder with one entry in every section, each marked with its section's name.
    fn full_binder() -> Binder {
        let mut b = Binder::new("Ada Lovelace", now());
        b.update_profile(
            Profile {
                name: "Ada Lovelace".into(),
                blood_type: Some(crate::model::BloodType::APos),
                emergency_contacts: vec![Contact {
                    name: "Byron".into(),
                    relationship: "son".into(),
                    phone: "555 0100".into(),
                }],
                advance_directive: "With my GP".into(),
                ..Profile::default()
            },
            now(),
        )
        .unwrap();
        b.add(
            Allergy { substance: "Penicillin".into(), reaction: "hives".into(), ..Allergy::default() },
            Source::Patient,
            now(),
        )
        .unwrap();
        let med = |name: &str, status| Medication {
            name: name.into(),
            frequency: Frequency::Scheduled { times: 2, every: 1, unit: crate::model::PeriodUnit::Day },
            status,
            ..Medication::default()
        };
        b.add_medication(med("Warfarin", MedicationStatus::Stopped { reason: "bleeding".into() }), now()).unwrap();
        b.add_medication(med("Metformin", MedicationStatus::Active), now()).unwrap();
        let values = |pairs: &[(&'static str, &str)]| pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        let zone = |_| 60;
        for (section, pairs) in [
            (ListSection::CareTeam, vec![("name", "Dr Care team")]),
            (ListSection::Conditions, vec![("name", "Conditions entry"), ("status", "active")]),
            (ListSection::Procedures, vec![("name", "Procedures entry")]),
            (ListSection::Immunizations, vec![("vaccine", "Immunizations entry")]),
            (ListSection::Results, vec![("name", "Results entry"), ("value", "5"), ("when", "2026")]),
            (ListSection::Appointments, vec![("at", "2026-12-03T09:30"), ("purpose", "Appointments entry")]),
            (ListSection::Vitals, vec![("kind", "pulse"), ("reading", "72"), ("at", "2026-12-03T09:30")]),
            (ListSection::Notes, vec![("at", "2026-12-03T09:30"), ("text", "Notes entry")]),
        ] {
            section.save(&mut b, None, &values(&pairs), &zone, now()).unwrap();
        }
        b
    }

    #[test]
    fn every_section_is_printed_with_its_entries() {
        let b = full_binder();
        let sections = binder_sections(&b);
        let titles: Vec<&str> = sections.iter().map(|s| s.title).collect();
        assert_eq!(
            titles,
            [
                "About me",
                "Allergies",
                "Medications",
                "Conditions",
                "Procedures and surgeries",
                "Immunizations",
                "Test results",
                "Vitals log",
                "Appointments",
                "Notes and symptom journal",
                "Care team"
            ]
        );
        assert!(sections.iter().all(|s| !s.rows.is_empty()), "{sections:#?}");
        let text = format!("{sections:?}");
        for expected in [
            "Emergency contact",
            "Byron, son, 555 0100",
            "With my GP",
            "A+",
            "Reaction: hives",
            "Stopped: bleeding",
            "Conditions entry",
            "Procedures entry",
            "Immunizations entry",
            "Results entry",
            "Pulse: 72 /min",
            "Appointments entry",
            "Notes entry",
            "Dr Care team",
        ] {
            assert!(text.contains(expected), "{expected} is not printed");
        }
        // Medications taken now come before stopped ones.
        let meds: Vec<&str> = sections[2].rows.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(meds, ["Metformin", "Warfarin"]);
    }

    #[test]
    fn nothing_of_the_shares_is_printed_and_empty_sections_say_so() {
        let mut b = Binder::new("Bo", now());
        b.add_share(
            crate::model::ShareRecord {
                relay_id: "relay-id".into(),
                url: "https://relay.example/shl/relay-id".into(),
                key: "secret-key".into(),
                management_secret: "manage".into(),
                created_at: now(),
                expires_at: now(),
                label: Some("label".into()),
                label_in_link: false,
                flag: "U".into(),
                viewer: "https://relay.example/view".into(),
                revoked_at: None,
                sections: Vec::new(),
                passcode: None,
                max_uses: None,
                reply_key: Some("reply-private-key".into()),
                replies: Vec::new(),
            },
            now(),
        );
        let sections = binder_sections(&b);
        let text = format!("{sections:?}");
        assert!(!text.contains("secret-key") && !text.contains("relay-id") && !text.contains("reply-private-key"));
        let allergies = &sections[1];
        assert!(allergies.rows.is_empty() && allergies.empty.starts_with("Not recorded"));
        b.confirm_no_known_allergies(now()).unwrap();
        assert_eq!(binder_sections(&b)[1].rows[0].title, "No known allergies");
    }
}
