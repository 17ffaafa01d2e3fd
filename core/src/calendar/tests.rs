//! The calendar file's own tests (a file of their own: their fixtures are English the file
//! never shows, and core/tests/languages.rs checks core/src/calendar.rs for English left).

use super::*;
use crate::model::{Appointment, Source};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn appointment(at: LocalDateTime, purpose: &str) -> Appointment {
    Appointment {
        at,
        with: Some(ProviderRef::Named("Dr Chen".into())),
        purpose: purpose.into(),
        questions: vec!["Is the new dose working?".into(), "Blood test, fasting?".into()],
        follow_up: "Book the scan; call the pharmacy".into(),
    }
}

#[test]
fn appointments_become_events_in_utc_with_the_entered_offset_stated() {
    let mut binder = Binder::new("Ada", at("2026-11-01T10:00:00Z"));
    // 09:30 in Paris in winter (+01:00) and 08:00 in New York in summer (-04:00).
    let paris = LocalDateTime::from_local(2026, 12, 3, 9, 30, 60).unwrap();
    let ny = LocalDateTime::from_local(2026, 7, 1, 8, 0, -240).unwrap();
    let later = binder.add(appointment(paris, "Knee follow-up"), Source::Patient, at("2026-11-01T10:00:00Z"));
    let sooner = binder.add(appointment(ny, ""), Source::Patient, at("2026-11-01T10:00:00Z"));
    let items = appointment_items(&binder, &Texts::ENGLISH);
    assert_eq!(items.iter().map(|i| i.id).collect::<Vec<_>>(), [sooner.unwrap(), later.unwrap()], "soonest first");
    let ics = to_ics(&items, at("2026-11-02T12:00:00Z"));
    // Long lines are folded; a reader unfolds them first.
    let ics = ics.replace("\r\n ", "");
    for expected in [
        "UID:",
        "DTSTART:20261203T083000Z\r\n",
        "DTEND:20261203T093000Z\r\n",
        "DTSTART:20260701T120000Z\r\n",
        "SUMMARY:Knee follow-up \u{2013} Dr Chen\r\n",
        "SUMMARY:Appointment \u{2013} Dr Chen\r\n",
        "09:30 at UTC+01:00\\, as entered in your binder.",
        "08:00 at UTC-04:00",
        "Questions to ask:\\n- Is the new dose working?\\n- Blood test\\, fasting?",
        "Follow-up to do: Book the scan\\; call the pharmacy",
        "TRIGGER:-P1D\r\n",
        "TRIGGER:-PT1H\r\n",
        "DTSTAMP:20261102T120000Z\r\n",
    ] {
        assert!(ics.contains(expected), "{expected:?} missing from\n{ics}");
    }
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VALARM").count(), 4);
}

#[test]
fn a_re_export_keeps_each_uid_and_raises_the_sequence_of_what_changed() {
    let made = at("2026-11-01T10:00:00Z");
    let mut binder = Binder::new("Ada", made);
    let when = LocalDateTime::from_local(2026, 12, 3, 9, 30, 60).unwrap();
    let id = binder.add(appointment(when, "Check-up"), Source::Patient, made).unwrap();
    let first = to_ics(&appointment_items(&binder, &Texts::ENGLISH), made);
    let moved = LocalDateTime::from_local(2026, 12, 4, 11, 0, 60).unwrap();
    binder.update(id, appointment(moved, "Check-up"), at("2026-11-01T12:30:00Z")).unwrap();
    let second = to_ics(&appointment_items(&binder, &Texts::ENGLISH), at("2026-11-01T12:31:00Z"));
    let uid = format!("UID:{id}@health-binder\r\n");
    assert!(first.contains(&uid) && second.contains(&uid));
    assert!(first.contains("SEQUENCE:0\r\n") && second.contains("SEQUENCE:9000\r\n"));
    assert!(second.contains("DTSTART:20261204T100000Z"));
}

#[test]
fn an_edit_within_a_second_of_the_entry_still_raises_the_sequence() {
    let made = at("2026-11-01T10:00:00Z");
    let mut binder = Binder::new("Ada", made);
    let when = LocalDateTime::from_local(2026, 12, 3, 9, 30, 60).unwrap();
    let id = binder.add(appointment(when, "Check-up"), Source::Patient, made).unwrap();
    let moved = LocalDateTime::from_local(2026, 12, 4, 11, 0, 60).unwrap();
    let soon = made + chrono::Duration::milliseconds(40);
    binder.update(id, appointment(moved, "Check-up"), soon).unwrap();
    let ics = to_ics(&appointment_items(&binder, &Texts::ENGLISH), soon);
    assert!(ics.contains("SEQUENCE:1\r\n"), "{ics}");
}

#[test]
fn open_tasks_due_on_a_day_join_the_appointments_and_ticked_ones_do_not() {
    use crate::model::Task;
    let made = at("2026-11-01T10:00:00Z");
    let mut binder = Binder::new("Ada", made);
    let task = |title: &str, due: Option<PartialDate>, done: Option<PartialDate>| Task {
        title: title.into(),
        due,
        done,
        note: "From the ward".into(),
    };
    let call =
        binder.add(task("Follow-up call", PartialDate::day(2026, 11, 4).ok(), None), Source::Patient, made).unwrap();
    binder
        .add(
            task("Ticked", PartialDate::day(2026, 11, 5).ok(), PartialDate::day(2026, 11, 2).ok()),
            Source::Patient,
            made,
        )
        .unwrap();
    binder.add(task("Some month", PartialDate::month(2026, 12).ok(), None), Source::Patient, made).unwrap();
    let visit = binder
        .add(appointment(LocalDateTime::from_local(2026, 11, 3, 9, 30, 60).unwrap(), "GP"), Source::Patient, made)
        .unwrap();
    let items = binder_items(&binder, &Texts::ENGLISH);
    assert_eq!(
        items.iter().map(|i| i.id).collect::<Vec<_>>(),
        [visit, call],
        "soonest first, open tasks with a day only"
    );
    let ics = to_ics(&items, made).replace("\r\n ", "");
    assert!(ics.contains("SUMMARY:Follow-up call\r\n"), "{ics}");
    assert!(ics.contains("DTSTART;VALUE=DATE:20261104\r\n"), "{ics}");
    assert!(ics.contains(&format!("UID:{call}@health-binder")));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
}

#[test]
fn all_day_items_are_dates_with_morning_reminders() {
    let item = CalendarItem {
        id: Uuid::nil(),
        summary: "Book the blood test".into(),
        description: Vec::new(),
        location: String::new(),
        when: ItemTime::Day(PartialDate::day(2026, 12, 31).unwrap()),
        reminders: DAY_REMINDERS.to_vec(),
        created: at("2026-11-01T10:00:00Z"),
        modified: at("2026-11-01T10:00:00Z"),
    };
    let ics = to_ics(&[item], at("2026-11-01T10:00:00Z"));
    for expected in
        ["DTSTART;VALUE=DATE:20261231\r\n", "DTEND;VALUE=DATE:20270101\r\n", "TRIGGER:-PT15H\r\n", "TRIGGER:PT9H\r\n"]
    {
        assert!(ics.contains(expected), "{expected:?} missing from\n{ics}");
    }
}

#[test]
fn long_lines_fold_at_75_octets_without_splitting_a_character() {
    let mut out = String::new();
    let text = format!("SUMMARY:{}", "é".repeat(100));
    push_line(&mut out, &text);
    for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(physical.len() <= 75, "{} octets", physical.len());
    }
    // Unfolding (removing CRLF + one space) gives the line back.
    assert_eq!(out.replace("\r\n ", "").trim_end(), text);
    assert_eq!(duration(-90), "-PT1H30M");
    assert_eq!(duration(-15), "-PT15M");
    assert_eq!(duration(2 * 24 * 60), "P2D");
    assert_eq!(escape("a\\b;c,d\r\ne"), "a\\\\b\\;c\\,d\\ne");
}

#[test]
fn daily_medicine_times_repeat_in_floating_time_and_name_no_medication() {
    use crate::model::{Frequency, Medication, PeriodUnit, TimeOfDay};
    let made = at("2026-11-01T10:00:00Z");
    let mut binder = Binder::new("Ada", made);
    let med = |name: &str, frequency| Medication { name: name.into(), frequency, ..Medication::default() };
    let t = |s: &str| TimeOfDay::parse(s).unwrap();
    let at_times = |times: &[&str]| Frequency::AtTimes { times: times.iter().map(|s| t(s)).collect() };
    binder.add_medication(med("Metformin", at_times(&["08:00", "20:00"])), made).unwrap();
    let twice = Frequency::Scheduled { times: 2, every: 1, unit: PeriodUnit::Day };
    binder.add_medication(med("Lisinopril", twice), made).unwrap();
    let weekly = Frequency::Scheduled { times: 1, every: 1, unit: PeriodUnit::Week };
    binder.add_medication(med("Alendronate", weekly), made).unwrap();
    binder.add_medication(med("Paracetamol", Frequency::AsNeeded { max_per_day: Some(4) }), made).unwrap();
    let later = PartialDate::parse("2026-12-20").unwrap();
    let started = Medication { started: Some(later), ..med("Amoxicillin", at_times(&["14:00"])) };
    binder.add_medication(started, made).unwrap();

    let today = PartialDate::parse("2026-12-07").unwrap();
    let items = dose_items(&binder, today, &Texts::ENGLISH);
    // 08:00 and 20:00 once each for two medications; 14:00 from its start date; weekly and
    // as-needed doses left out.
    let whens: Vec<ItemTime> = items.iter().map(|i| i.when).collect();
    let daily = |from, time| ItemTime::Daily { from, time: t(time), minutes: DOSE_MINUTES };
    assert_eq!(whens, [daily(today, "08:00"), daily(later, "14:00"), daily(today, "20:00")]);
    assert_eq!(dose_items(&binder, today, &Texts::ENGLISH)[0].id, items[0].id, "the same event in every export");
    let ics = to_ics(&items, at("2026-12-07T06:00:00Z")).replace("\r\n ", "");
    for expected in [
        "DTSTART:20261207T080000\r\nDTEND:20261207T081500\r\nRRULE:FREQ=DAILY\r\n",
        "SUMMARY:Time for your medicines\r\n",
        "TRIGGER:PT0M\r\n",
    ] {
        assert!(ics.contains(expected), "{expected} in {ics}");
    }
    for name in ["Metformin", "Lisinopril", "Amoxicillin"] {
        assert!(!ics.contains(name), "no medication name in the file");
    }
}

#[test]
fn spanish_lines_fold_by_octets_at_every_position_without_splitting_a_character() {
    // Two-octet (ñ, á, ¿) and three-octet (…) characters landing on every fold position.
    for pad in 0..4 {
        let text = format!(
            "DESCRIPTION:{}Preguntas que hacer:\\n- ¿Sigo con la dosis… señal… mañana? Análisis en ayunas… ¿sí?",
            "x".repeat(pad)
        );
        let text = text.repeat(3);
        let mut out = String::new();
        push_line(&mut out, &text);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        assert!(out.matches("\r\n ").count() >= 3, "folded");
        assert_eq!(out.replace("\r\n ", "").trim_end(), text);
    }
}
