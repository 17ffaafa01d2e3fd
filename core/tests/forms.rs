//! The sections' forms: what a patient types becomes an entry, reads back the same for editing,
//! and a mistake is reported under its field without changing the binder.

use chrono::{TimeZone, Utc};
use health_binder_core::Binder;
use health_binder_core::forms::{self, FieldKind, ListSection, Values};
use health_binder_core::model::{
    BinderError, LocalDateTime, LocalParts, Measurement, ProviderRef, ResultValue, format_number,
};

/// A section, what is typed into its form, and what is expected back.
type Case<'a, T> = (ListSection, Vec<(&'static str, &'a str)>, T);

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap()
}

fn zone(_: LocalParts) -> i16 {
    60
}

fn values(pairs: &[(&'static str, &str)]) -> Values {
    pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

fn save(b: &mut Binder, section: ListSection, id: Option<uuid::Uuid>, pairs: &[(&'static str, &str)]) -> uuid::Uuid {
    section.save(b, id, &values(pairs), &zone, now()).unwrap_or_else(|e| panic!("{section:?}: {e:?}"))
}

fn problems(result: Result<uuid::Uuid, BinderError>) -> Vec<&'static str> {
    match result {
        Err(BinderError::Invalid(problems)) => problems.iter().map(|p| p.field).collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn every_section_adds_edits_and_deletes_through_its_form() {
    let mut b = Binder::new("Ada", now());
    let patel = save(
        &mut b,
        ListSection::CareTeam,
        None,
        &[("name", "Dr Priya Patel"), ("role", "GP"), ("phone", "+44 20 7946 0000"), ("primary_care", "true")],
    );
    let patel_text = patel.to_string();
    let cases: Vec<Case<&str>> = vec![
        (ListSection::Conditions, vec![("name", "Asthma"), ("onset", "March 2015"), ("status", "active")], "Asthma"),
        (ListSection::Procedures, vec![("name", "Appendectomy"), ("date", "1998")], "Appendectomy"),
        (
            ListSection::Immunizations,
            vec![("vaccine", "Tetanus"), ("date", "2019-05"), ("dose_number", "2")],
            "Tetanus",
        ),
        (
            ListSection::Results,
            vec![
                ("name", "HbA1c"),
                ("value", "6,8"),
                ("unit", "%"),
                ("when", "2 October 2026"),
                ("range_high", "5.7"),
                ("interpretation", "H"),
                ("ordered_by", &patel_text),
                ("loinc", "4548-4"),
            ],
            "HbA1c: 6.8 %",
        ),
        (
            ListSection::Appointments,
            vec![
                ("at", "2026-12-03T09:30"),
                ("with", &patel_text),
                ("purpose", "Check-up"),
                ("questions", "Can I stop ibuprofen?\n\nWhat about the cough?"),
            ],
            "3 December 2026, 09:30 — Check-up",
        ),
        (
            ListSection::Vitals,
            vec![("kind", "blood_pressure"), ("reading", "128/82"), ("at", "2026-11-24T07:45")],
            "Blood pressure: 128/82 mmHg",
        ),
        (
            ListSection::Notes,
            vec![("at", "2026-11-23T22:10"), ("text", "Headache after lunch"), ("severity", "4")],
            "23 November 2026, 22:10",
        ),
    ];
    for (section, pairs, title) in cases {
        let id = save(&mut b, section, None, &pairs);
        let rows = section.rows(&b);
        assert_eq!(rows.len(), 1, "{section:?}");
        assert_eq!(rows[0].title.text(), title, "{section:?}");
        // What the form shows for editing saves back to the same entry.
        let shown = section.values(&b, Some(id), LocalDateTime::from_utc(now(), 60));
        let before = b.clone();
        assert_eq!(section.save(&mut b, Some(id), &shown, &zone, now()).unwrap(), id);
        assert_eq!(section.rows(&b), section.rows(&before), "{section:?} round trip");
        section.delete(&mut b, id, now()).unwrap();
        assert!(section.rows(&b).is_empty(), "{section:?}");
        assert!(b.tombstones.iter().any(|t| t.id == id));
    }
    assert_eq!(ListSection::CareTeam.rows(&b)[0].badge, Some("Primary care"));
}

#[test]
fn details_read_as_a_clinician_would_want_them() {
    let mut b = Binder::new("Ada", now());
    let patel = save(&mut b, ListSection::CareTeam, None, &[("name", "Dr Patel"), ("role", "GP")]).to_string();
    save(
        &mut b,
        ListSection::Results,
        None,
        &[
            ("name", "LDL"),
            ("value", "3.1"),
            ("unit", "mmol/L"),
            ("when", "2026-10-02"),
            ("range_low", "0"),
            ("range_high", "3"),
            ("interpretation", "H"),
            ("ordered_by", &patel),
        ],
    );
    let row = &ListSection::Results.rows(&b)[0];
    assert_eq!(
        row.details.iter().map(|d| d.text()).collect::<Vec<_>>(),
        ["2 October 2026", "Normal range 0–3", "Ordered by Dr Patel"]
    );
    assert_eq!(row.badge, Some("High"));
    // The numbers stay numbers, for the screen to write as its reader does ("3,1 mmol/L").
    let comma = |n: f64| format_number(n).replace('.', ",");
    assert_eq!(row.title.values[1].1.numbers_text(&comma), "3,1 mmol/L");
    assert_eq!(row.details[1].values[0].1.numbers_text(&comma), "0\u{2013}3");
    let mut weighed = Binder::new("Ada", now());
    save(
        &mut weighed,
        ListSection::Vitals,
        None,
        &[("kind", "weight"), ("reading", "71,5"), ("at", "2026-11-24T09:30")],
    );
    let weight = &ListSection::Vitals.rows(&weighed)[0].title;
    assert_eq!(weight.text(), "Weight: 71.5 kg");
    assert_eq!(weight.values[0].1.numbers_text(&comma), "71,5 kg");
    let value = &b.results[0].data.value;
    assert!(matches!(value, ResultValue::Quantity(q) if q.value == 3.1 && q.unit == "mmol/L"));

    let visit = save(
        &mut b,
        ListSection::Appointments,
        None,
        &[("at", "2026-12-03T09:30"), ("with_name", "Physio at the leisure centre")],
    );
    assert_eq!(
        b.get::<health_binder_core::model::Appointment>(visit).unwrap().data.with,
        Some(ProviderRef::Named("Physio at the leisure centre".into()))
    );
    save(
        &mut b,
        ListSection::Vitals,
        None,
        &[("kind", "glucose"), ("reading", "110"), ("glucose_unit", "mg/dL"), ("at", "2026-11-24T07:45")],
    );
    assert!(matches!(b.vitals[0].data.measurement, Measurement::Glucose { value, .. } if value == 110.0));
}

#[test]
fn mistakes_are_reported_under_their_fields_and_change_nothing() {
    let mut b = Binder::new("Ada", now());
    let before = b.clone();
    let cases: Vec<Case<Vec<&str>>> = vec![
        (ListSection::CareTeam, vec![("name", ""), ("email", "patel at clinic")], vec!["name", "email"]),
        (
            ListSection::Conditions,
            vec![("name", "Asthma"), ("onset", "last spring"), ("code", "J45")],
            vec!["onset", "code_system"],
        ),
        (ListSection::Immunizations, vec![("vaccine", "Flu"), ("dose_number", "two")], vec!["dose_number"]),
        (ListSection::Results, vec![("name", "HbA1c"), ("value", "high"), ("unit", "%")], vec!["when", "value"]),
        (ListSection::Appointments, vec![("at", "")], vec!["at"]),
        (
            ListSection::Vitals,
            vec![("kind", "blood_pressure"), ("reading", "128"), ("at", "2026-11-24T07:45")],
            vec!["reading"],
        ),
        (ListSection::Vitals, vec![("kind", "pulse"), ("reading", "900"), ("at", "2026-11-24T07:45")], vec!["reading"]),
        (
            ListSection::Notes,
            vec![("at", "2026-11-24T07:45"), ("text", ""), ("severity", "11")],
            vec!["text", "severity"],
        ),
    ];
    for (section, pairs, fields) in cases {
        assert_eq!(problems(section.save(&mut b, None, &values(&pairs), &zone, now())), fields, "{section:?}");
    }
    assert_eq!(b, before);
}

#[test]
fn the_profile_form_keeps_what_it_does_not_show() {
    let mut b = Binder::new("Ada", now());
    b.profile.emergency_contacts = (1..=3)
        .map(|n| health_binder_core::model::Contact {
            name: format!("Contact {n}"),
            relationship: String::new(),
            phone: format!("555 000{n}"),
        })
        .collect();
    let mut shown = forms::profile_values(&b);
    assert_eq!(forms::value(&shown, "contact2_name"), "Contact 2");
    forms::set(&mut shown, "birth_date", "14 March 1950");
    forms::set(&mut shown, "blood_type", "o_neg");
    forms::set(&mut shown, "caregiver_name", "Byron");
    forms::set(&mut shown, "caregiver_phone", "555 0100");
    forms::set(&mut shown, "contact1_name", "");
    forms::set(&mut shown, "contact1_phone", "");
    forms::save_profile(&mut b, &shown, now()).unwrap();
    let names: Vec<_> = b.profile.emergency_contacts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Contact 2", "Contact 3"], "a cleared contact goes; the third, not on the form, stays");
    assert_eq!(b.profile.birth_date.unwrap().to_string(), "1950-03-14");
    assert_eq!(b.profile.caregiver.as_ref().unwrap().name, "Byron");
    assert_eq!(forms::value(&forms::profile_values(&b), "blood_type"), "o_neg");

    let before = b.clone();
    forms::set(&mut shown, "name", " ");
    forms::set(&mut shown, "birth_date", "1950-02-30");
    assert!(matches!(forms::save_profile(&mut b, &shown, now()), Err(BinderError::Invalid(_))));
    assert_eq!(b, before);
}

/// Every problem any form can report names one of that form's own fields, so the form shows it
/// under its label and marks the field (the README's promise). Each section is driven with bad
/// text in every field at once, with empty text, and with implausible values its rules refuse.
#[test]
fn every_problem_names_a_field_of_its_own_form() {
    let long = "x".repeat(20_000);
    let bad_for = |kind: FieldKind| -> &str {
        match kind {
            FieldKind::Date => "last spring",
            FieldKind::DateTime => "tomorrow",
            FieldKind::Number => "two",
            FieldKind::Email => "patel at clinic",
            FieldKind::Url => "ftp:nowhere",
            FieldKind::Phone => "call me",
            FieldKind::Choice(_) => "bogus",
            FieldKind::CareTeam => "not-an-id",
            FieldKind::Check => "maybe",
            FieldKind::Text | FieldKind::Reading | FieldKind::LongText | FieldKind::Lines => &long,
        }
    };
    let implausible: &[(ListSection, &[(&str, &str)])] = &[
        (ListSection::Vitals, &[("kind", "pulse"), ("reading", "900"), ("at", "2026-11-24T07:45")]),
        (ListSection::Vitals, &[("kind", "blood_pressure"), ("reading", "400/300"), ("at", "2026-11-24T07:45")]),
        (ListSection::Vitals, &[("kind", "oxygen"), ("reading", "20"), ("at", "2026-11-24T07:45")]),
        (
            ListSection::Results,
            &[("name", "LDL"), ("value", "3"), ("when", "2026"), ("range_low", "9"), ("range_high", "2")],
        ),
        (ListSection::Results, &[("name", "Covid"), ("value", "negative"), ("when", "2026"), ("range_low", "1")]),
        (ListSection::Conditions, &[("name", "Asthma"), ("code", "J45")]),
        (ListSection::Conditions, &[("name", "Asthma"), ("code_system", "snomed"), ("code", "J45")]),
    ];
    let mut seen = 0;
    for section in ListSection::ALL {
        let keys: Vec<&str> = section.fields().iter().map(|f| f.key).collect();
        let garbage: Vec<(&'static str, &str)> = section.fields().iter().map(|f| (f.key, bad_for(f.kind))).collect();
        let empty: Vec<(&'static str, &str)> = section.fields().iter().map(|f| (f.key, "")).collect();
        let cases = [garbage, empty]
            .into_iter()
            .chain(implausible.iter().filter(|(s, _)| *s == section).map(|(_, pairs)| pairs.to_vec()));
        for pairs in cases {
            let mut b = Binder::new("Ada", now());
            if let Err(BinderError::Invalid(problems)) = section.save(&mut b, None, &values(&pairs), &zone, now()) {
                for p in problems {
                    seen += 1;
                    assert!(
                        keys.contains(&p.field),
                        "{section:?}: problem under {:?}, not a field of its form: {}",
                        p.field,
                        p.message
                    );
                }
            }
        }
    }
    assert!(seen > 20, "the inputs above provoke problems in every section ({seen})");
}

/// Lists put first what the patient looks for: the next appointment, the newest reading, note and
/// result (a day-only result sorts at that day's start, among timed ones); entries with the same
/// time keep the order they were added in, and the care team stays as entered.
#[test]
fn lists_show_the_next_and_the_newest_first() {
    let mut b = Binder::new("Ada", now());
    let titles = |b: &Binder, section: ListSection| -> Vec<String> {
        section.rows(b).into_iter().map(|r| r.title.text()).collect()
    };
    for name in ["Dr Zed", "Dr Abel", "Dr May"] {
        save(&mut b, ListSection::CareTeam, None, &[("name", name)]);
    }
    assert_eq!(titles(&b, ListSection::CareTeam), ["Dr Zed", "Dr Abel", "Dr May"]);

    for (at, purpose) in
        [("2026-12-20T10:00", "Later"), ("2026-12-03T09:30", "Sooner"), ("2026-12-20T10:00", "Later too")]
    {
        save(&mut b, ListSection::Appointments, None, &[("at", at), ("purpose", purpose)]);
    }
    let purposes: Vec<String> = titles(&b, ListSection::Appointments)
        .iter()
        .map(|t| t.rsplit(" \u{2014} ").next().unwrap().to_owned())
        .collect();
    assert_eq!(purposes, ["Sooner", "Later", "Later too"]);

    for (at, reading) in [("2026-11-20T08:00", "60"), ("2026-11-24T07:45", "72"), ("2026-11-22T08:00", "65")] {
        save(&mut b, ListSection::Vitals, None, &[("kind", "pulse"), ("reading", reading), ("at", at)]);
    }
    let readings: Vec<String> =
        titles(&b, ListSection::Vitals).iter().map(|t| t.split(": ").nth(1).unwrap().to_owned()).collect();
    assert_eq!(readings, ["72 /min", "65 /min", "60 /min"]);

    for (at, text) in [("2026-11-23T22:10", "Headache"), ("2026-11-24T07:00", "Better")] {
        save(&mut b, ListSection::Notes, None, &[("at", at), ("text", text)]);
    }
    let notes: Vec<String> = ListSection::Notes.rows(&b).into_iter().map(|r| r.details[0].text()).collect();
    assert_eq!(notes, ["Better", "Headache"]);

    for (name, when) in [("Old", "2024"), ("Newest", "2026-10-02"), ("Middle", "March 2025")] {
        save(&mut b, ListSection::Results, None, &[("name", name), ("value", "1"), ("when", when)]);
    }
    let results: Vec<String> =
        titles(&b, ListSection::Results).iter().map(|t| t.split(':').next().unwrap().to_owned()).collect();
    assert_eq!(results, ["Newest", "Middle", "Old"]);
}

#[test]
fn a_number_being_edited_shows_the_readers_decimal_separator_and_reads_back_the_same() {
    let mut b = Binder::new("Ada", now());
    let weight =
        save(&mut b, ListSection::Vitals, None, &[("kind", "weight"), ("reading", "71.5"), ("at", "2026-11-24T09:30")]);
    let pressure = save(
        &mut b,
        ListSection::Vitals,
        None,
        &[("kind", "blood_pressure"), ("reading", "128/82"), ("at", "2026-11-24T09:31")],
    );
    let result = save(
        &mut b,
        ListSection::Results,
        None,
        &[
            ("name", "2.5"),
            ("value", "6.8"),
            ("unit", "%"),
            ("when", "2026-10-02"),
            ("range_low", "4"),
            ("range_high", "5.6"),
        ],
    );
    let at = LocalDateTime::from_local(2026, 11, 24, 9, 0, 60).unwrap();
    // What the form shows a Spanish reader (the app passes the separator of `i18n::number`).
    let shown = |section: ListSection, id| -> Values {
        let values = section.values(&b, Some(id), at);
        section
            .fields()
            .iter()
            .map(|f| (f.key, forms::number_for_editing(f.kind, forms::value(&values, f.key), ',')))
            .collect()
    };
    let spanish_weight = shown(ListSection::Vitals, weight);
    let spanish_result = shown(ListSection::Results, result);
    assert_eq!(forms::value(&spanish_weight, "reading"), "71,5");
    assert_eq!(forms::value(&shown(ListSection::Vitals, pressure), "reading"), "128/82");
    assert_eq!(forms::value(&spanish_result, "value"), "6,8");
    assert_eq!(forms::value(&spanish_result, "range_high"), "5,6");
    assert_eq!(forms::value(&spanish_result, "range_low"), "4");
    assert_eq!(forms::value(&spanish_result, "name"), "2.5", "a text field keeps what was typed");
    // Saved as shown, nothing changes.
    let before = b.clone();
    ListSection::Vitals.save(&mut b, Some(weight), &spanish_weight, &zone, now()).unwrap();
    ListSection::Results.save(&mut b, Some(result), &spanish_result, &zone, now()).unwrap();
    assert_eq!(b.vitals, before.vitals);
    assert_eq!(b.results, before.results);
    // A reader who writes a point, or a separator the forms do not read, sees the point.
    for separator in ['.', '\u{66b}'] {
        assert_eq!(forms::number_for_editing(FieldKind::Reading, "71.5", separator), "71.5");
    }
    assert_eq!(forms::number_for_editing(FieldKind::Number, "-0.25", ','), "-0,25");
    assert_eq!(forms::number_for_editing(FieldKind::Reading, "Negative", ','), "Negative");
}
