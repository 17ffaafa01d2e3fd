//! The whole binder on paper: every section, in the order a clinic reads a binder (who, what
//! could harm, what is taken, the history, the measurements, the plans, whom to call), each entry
//! as a title and lines of text. The app lays it out for A4 and Letter; what is printed, and that
//! nothing is left out, is decided here. Shares are not printed: their links hold keys.

use crate::forms::ListSection;
use crate::i18n::{Plural, fill, plural};
use crate::model::{AllergyState, Binder, Contact, PartialDate, Sex};
use crate::msg;

/// The notice every printed page carries (English: the app shows it in the patient's language).
pub const PRIVATE_NOTICE: &str =
    msg!("Private health information. Keep this printout safe, and shred it when you no longer need it.");

/// How the fixed words and the dates of what is printed (and of the emergency card) read: paper
/// comes out in the patient's language, so the app passes its catalogue and the browser's date
/// format; [`Wording::ENGLISH`] writes them as in the code. What the patient typed is never passed
/// through it.
pub struct Wording<'a> {
    /// A fixed text (a `msg!` text, a coded value's label) in the reader's language.
    pub text: &'a dyn Fn(&str) -> String,
    /// A day (or a month, or a year) as the reader writes it.
    pub date: &'a dyn Fn(PartialDate) -> String,
    /// The plural form a count takes in the reader's language (`i18n::plural` of its code).
    pub plural: &'a dyn Fn(u64) -> Plural,
}

fn as_written(text: &str) -> String {
    text.to_owned()
}

/// A row's line from the generic form (`forms::Line`) in the reader's language: its template
/// translated, its dates written the reader's way, the patient's words as typed.
fn line_text(w: &Wording, line: &crate::forms::Line) -> String {
    use crate::forms::Value;
    let values: Vec<(&str, String)> =
        line.values.iter().map(|(k, v)| (*k, if let Value::Date(d) = v { (w.date)(*d) } else { v.text() })).collect();
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    crate::i18n::fill(&(w.text)(line.template), &values)
}

fn english_date(date: PartialDate) -> String {
    date.text()
}

fn english_plural(n: u64) -> Plural {
    plural("en", n)
}

impl Wording<'static> {
    pub const ENGLISH: Wording<'static> = Wording { text: &as_written, date: &english_date, plural: &english_plural };
}

/// One section as printed.
#[derive(Clone, Debug, PartialEq)]
pub struct PrintedSection {
    pub title: String,
    pub rows: Vec<PrintedRow>,
    /// What an empty section says (a blank would read as "none").
    pub empty: String,
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

fn about_me(b: &Binder, w: &Wording) -> Vec<PrintedRow> {
    let p = &b.profile;
    let tr = w.text;
    let mut rows = vec![row(tr(msg!("Name")), [p.name.clone()])];
    let mut add = |label: &str, value: String| {
        if !value.is_empty() {
            rows.push(row(tr(label), [value]));
        }
    };
    add(msg!("Date of birth"), p.birth_date.map(|d| (w.date)(d)).unwrap_or_default());
    add(msg!("Sex"), if p.sex == Sex::Unknown { String::new() } else { tr(p.sex.label()) });
    add(msg!("Blood type"), p.blood_type.map(|t| tr(t.label())).unwrap_or_default());
    add(msg!("Preferred language"), p.language.clone());
    for contact in &p.emergency_contacts {
        add(msg!("Emergency contact"), contact_text(contact));
    }
    add(msg!("Caregiver who speaks for me"), p.caregiver.as_ref().map(contact_text).unwrap_or_default());
    add(msg!("Advance directive"), p.advance_directive.clone());
    rows
}

fn allergies(b: &Binder, w: &Wording) -> Vec<PrintedRow> {
    let tr = w.text;
    match b.allergy_state() {
        AllergyState::NotRecorded => Vec::new(),
        AllergyState::NoneKnown { confirmed_at } => vec![row(
            tr(msg!("No known allergies")),
            [fill(
                &tr(msg!("Confirmed by the patient on {date}")),
                &[("date", &(w.date)(PartialDate::from_utc(confirmed_at)))],
            )],
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
                            a.category.map(|c| tr(c.label())).unwrap_or_default(),
                            a.severity.map(|s| tr(s.label())).unwrap_or_default(),
                            a.criticality.map(|c| tr(c.label())).unwrap_or_default(),
                        ]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" \u{b7} "),
                        if a.reaction.is_empty() {
                            String::new()
                        } else {
                            fill(&tr(msg!("Reaction: {reaction}")), &[("reaction", &a.reaction)])
                        },
                        b.source_text(e.id()).unwrap_or_default(),
                    ],
                )
            })
            .collect(),
    }
}

fn medications(b: &Binder, w: &Wording) -> Vec<PrintedRow> {
    let tr = w.text;
    // Those taken now first, then the stopped ones (which still matter to a clinician).
    let (active, stopped): (Vec<_>, Vec<_>) = b.medications.iter().partition(|e| e.data.status.is_active());
    active
        .into_iter()
        .chain(stopped)
        .map(|e| {
            let m = &e.data;
            let title =
                [m.name.as_str(), m.strength.as_str()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>();
            let how = [m.dose_text(), m.frequency.text_in(w), m.route.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" \u{b7} ");
            let status = match &m.status {
                crate::model::MedicationStatus::Active => String::new(),
                crate::model::MedicationStatus::Stopped { reason } if reason.is_empty() => tr(msg!("Stopped")),
                crate::model::MedicationStatus::Stopped { reason } => {
                    fill(&tr(msg!("Stopped: {reason}")), &[("reason", reason)])
                }
            };
            row(
                title.join(" "),
                [
                    status,
                    format!("{} \u{b7} {how}", tr(m.kind.label())),
                    if m.instructions.is_empty() {
                        String::new()
                    } else {
                        fill(&tr(msg!("Directions: {directions}")), &[("directions", &m.instructions)])
                    },
                    if m.reason.is_empty() {
                        String::new()
                    } else {
                        fill(&tr(msg!("For: {reason}")), &[("reason", &m.reason)])
                    },
                    m.started.map(|d| fill(&tr(msg!("Since {date}")), &[("date", &(w.date)(d))])).unwrap_or_default(),
                    m.verified.as_ref().map(|v| v.text_in(w)).unwrap_or_default(),
                    b.source_text(e.id()).unwrap_or_default(),
                ],
            )
        })
        .collect()
}

fn list(b: &Binder, section: ListSection, w: &Wording) -> Vec<PrintedRow> {
    section
        .rows(b)
        .into_iter()
        .map(|r| {
            let badge = r.badge.map(w.text).unwrap_or_default();
            row(
                line_text(w, &r.title),
                [badge].into_iter().chain(r.details.iter().map(|d| line_text(w, d))).chain(b.source_text(r.id)),
            )
        })
        .collect()
}

/// Every section of the binder, as printed, its fixed words and dates in `w`'s language.
pub fn binder_sections(b: &Binder, w: &Wording) -> Vec<PrintedSection> {
    let tr = w.text;
    let listed = |section: ListSection| PrintedSection {
        title: tr(section.text().title),
        rows: list(b, section, w),
        empty: tr(msg!("None recorded.")),
    };
    vec![
        PrintedSection { title: tr(msg!("About me")), rows: about_me(b, w), empty: String::new() },
        PrintedSection {
            title: tr(msg!("Allergies")),
            rows: allergies(b, w),
            empty: tr(msg!("Not recorded: nobody has asked yet. Ask the patient.")),
        },
        PrintedSection { title: tr(msg!("Medications")), rows: medications(b, w), empty: tr(msg!("None recorded.")) },
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
        let sections = binder_sections(&b, &Wording::ENGLISH);
        let titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
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
    fn the_printout_is_in_the_readers_language_and_what_the_patient_typed_stays_as_typed() {
        let text = |s: &str| match s {
            "About me" => "Sobre mí".to_owned(),
            "Emergency contact" => "Contacto de emergencia".to_owned(),
            "Reaction: {reaction}" => "Reacción: {reaction}".to_owned(),
            "Stopped: {reason}" => "Suspendido: {reason}".to_owned(),
            "None recorded." => "No hay nada registrado.".to_owned(),
            other => other.to_owned(),
        };
        let date = |d: PartialDate| format!("[{}]", d.text());
        let sections = binder_sections(&full_binder(), &Wording { text: &text, date: &date, plural: &|n| plural("es", n) });
        assert_eq!(sections[0].title, "Sobre mí");
        let printed = format!("{sections:?}");
        for expected in ["Contacto de emergencia", "Byron, son, 555 0100", "Reacción: hives", "Suspendido: bleeding"] {
            assert!(printed.contains(expected), "{expected} is not printed");
        }
        let empty = binder_sections(&Binder::new("Bo", now()), &Wording { text: &text, date: &date, plural: &|n| plural("es", n) });
        assert_eq!(empty[2].empty, "No hay nada registrado.");
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
        let sections = binder_sections(&b, &Wording::ENGLISH);
        let text = format!("{sections:?}");
        assert!(!text.contains("secret-key") && !text.contains("relay-id") && !text.contains("reply-private-key"));
        let allergies = &sections[1];
        assert!(allergies.rows.is_empty() && allergies.empty.starts_with("Not recorded"));
        b.confirm_no_known_allergies(now()).unwrap();
        assert_eq!(binder_sections(&b, &Wording::ENGLISH)[1].rows[0].title, "No known allergies");
    }
}
