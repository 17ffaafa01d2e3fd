//! The calendar export read by an independent iCalendar parser (PyPI `icalendar`, installed by
//! `./scripts/test`, through `tests/calendar/read_ics.py`): the file parses, every event starts
//! at the instant the patient entered, in UTC, with its reminders, and a re-export after an edit
//! keeps every UID.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use health_binder_core::calendar::{CalendarItem, DAY_REMINDERS, ItemTime, appointment_items, to_ics};
use health_binder_core::ips::Texts;
use health_binder_core::model::{Appointment, LocalDateTime, PartialDate, Provider, ProviderRef};
use health_binder_core::{Binder, Source};
use serde_json::Value;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// The events as the independent parser reads them.
fn parse(ics: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("binder.ics");
    std::fs::write(&file, ics).unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/calendar/read_ics.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&file)
        .output()
        .expect("python3 runs (./scripts/test installs icalendar)");
    assert!(out.status.success(), "the parser refused the file: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

#[test]
fn an_independent_parser_reads_times_zones_reminders_and_stable_uids() {
    let made = at("2026-11-01T10:00:00Z");
    let mut binder = Binder::new("Ada", made);
    let clinic = Provider {
        name: "Dr Priya Patel".into(),
        role: "GP".into(),
        organisation: "Riverside Surgery".into(),
        address: "1 River Road\nLondon".into(),
        ..Provider::default()
    };
    let gp = binder.add(clinic, Source::Patient, made).unwrap();
    // Entered in Paris in winter (+01:00), in New York in summer (-04:00) and in India (+05:30).
    let times = [
        (LocalDateTime::from_local(2026, 12, 3, 9, 30, 60).unwrap(), "2026-12-03T08:30:00+00:00"),
        (LocalDateTime::from_local(2026, 7, 1, 8, 0, -240).unwrap(), "2026-07-01T12:00:00+00:00"),
        (LocalDateTime::from_local(2027, 1, 15, 17, 45, 330).unwrap(), "2027-01-15T12:15:00+00:00"),
    ];
    let mut ids = Vec::new();
    for (when, _) in times {
        let appointment = Appointment {
            at: when,
            with: Some(ProviderRef::CareTeam(gp)),
            purpose: "Diabetes review; bring meter, list".into(),
            questions: vec!["Can I stop the evening dose?".into()],
            follow_up: String::new(),
        };
        ids.push(binder.add(appointment, Source::Patient, made).unwrap());
    }
    let mut items = appointment_items(&binder, &Texts::ENGLISH);
    // A task due on a day, as another section may add (all-day, morning reminders).
    items.push(CalendarItem {
        id: health_binder_core::random::uuid_v4(),
        summary: "Book the blood test".into(),
        description: vec!["Before the review".into()],
        location: String::new(),
        when: ItemTime::Day(PartialDate::day(2026, 11, 30).unwrap()),
        reminders: DAY_REMINDERS.to_vec(),
        created: made,
        modified: made,
    });
    let events = parse(&to_ics(&items, at("2026-11-02T09:00:00Z")));
    assert_eq!(events.len(), 4);

    // Soonest first: New York, Paris, India, then the task (the list's order).
    for (event, (entered, utc)) in events.iter().zip([times[1], times[0], times[2]]) {
        assert_eq!(event["start"]["at"], utc, "{event}");
        assert_eq!(event["start"]["utc_offset_minutes"], 0);
        assert_eq!(event["summary"], "Diabetes review; bring meter, list \u{2013} Dr Priya Patel");
        assert_eq!(event["location"], "Riverside Surgery, 1 River Road, London");
        let local = entered.local();
        let stated = format!("{:02}:{:02} at UTC{}, as entered", local.hour, local.minute, entered.offset_text());
        assert!(event["description"].as_str().unwrap().contains(&stated), "{stated} not in {event}");
        let alarms: Vec<(&str, i64)> = event["alarms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["action"].as_str().unwrap(), a["seconds"].as_i64().unwrap()))
            .collect();
        assert_eq!(alarms, [("DISPLAY", -86_400), ("DISPLAY", -3_600)]);
        let start = DateTime::parse_from_rfc3339(event["start"]["at"].as_str().unwrap()).unwrap();
        let end = DateTime::parse_from_rfc3339(event["end"]["at"].as_str().unwrap()).unwrap();
        assert_eq!((end - start).num_minutes(), 60);
    }
    assert!(events[0]["description"].as_str().unwrap().contains("08:00 at UTC-04:00"));
    assert!(events[2]["description"].as_str().unwrap().contains("17:45 at UTC+05:30"));
    let task = &events[3];
    assert_eq!(
        (task["start"]["date"].as_str(), task["end"]["date"].as_str()),
        (Some("2026-11-30"), Some("2026-12-01"))
    );
    let triggers: Vec<i64> =
        task["alarms"].as_array().unwrap().iter().map(|a| a["seconds"].as_i64().unwrap()).collect();
    assert_eq!(triggers, [-15 * 3600, 9 * 3600]);

    // Moving one appointment and exporting again: the same UIDs, the moved one's sequence higher.
    let uids = |events: &[Value]| events.iter().map(|e| e["uid"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let before = uids(&events[..3]);
    let mut moved = binder.get::<Appointment>(ids[0]).unwrap().data.clone();
    moved.at = LocalDateTime::from_local(2026, 12, 10, 9, 30, 60).unwrap();
    binder.update(ids[0], moved, at("2026-11-05T10:00:00Z")).unwrap();
    let again = parse(&to_ics(&appointment_items(&binder, &Texts::ENGLISH), at("2026-11-05T10:01:00Z")));
    let mut after = uids(&again);
    let mut sorted_before = before.clone();
    sorted_before.sort();
    after.sort();
    assert_eq!(after, sorted_before, "every event keeps its UID");
    let moved_event = again.iter().find(|e| e["uid"] == format!("{}@health-binder", ids[0])).unwrap();
    assert_eq!(moved_event["start"]["at"], "2026-12-10T08:30:00+00:00");
    assert!(moved_event["sequence"].as_i64().unwrap() > 0, "a newer version of the event");
}

#[test]
fn daily_medicine_times_read_as_floating_daily_events_with_an_alarm_at_the_time() {
    use health_binder_core::calendar::dose_items;
    use health_binder_core::model::{Frequency, Medication, TimeOfDay};
    let made = at("2026-11-01T10:00:00Z");
    let mut binder = Binder::new("Ada", made);
    let times = vec![TimeOfDay::parse("08:00").unwrap(), TimeOfDay::parse("20:30").unwrap()];
    let metformin =
        Medication { name: "Metformin".into(), frequency: Frequency::AtTimes { times }, ..Medication::default() };
    binder.add_medication(metformin, made).unwrap();
    let events = parse(&to_ics(
        &dose_items(&binder, PartialDate::day(2026, 12, 7).unwrap(), &Texts::ENGLISH),
        at("2026-12-07T06:00:00Z"),
    ));
    let starts: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["start"]["floating"].as_str().unwrap(),
                e["end"]["floating"].as_str().unwrap(),
                e["rrule"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        starts,
        [
            ("2026-12-07T08:00:00", "2026-12-07T08:15:00", "FREQ=DAILY"),
            ("2026-12-07T20:30:00", "2026-12-07T20:45:00", "FREQ=DAILY")
        ]
    );
    for event in &events {
        assert_eq!(event["summary"], "Time for your medicines");
        assert_eq!(event["alarms"][0]["seconds"], 0);
        assert!(!event.to_string().contains("Metformin"));
    }
}

fn spanish() -> health_binder_core::i18n::Catalogue {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../locales/es.txt");
    health_binder_core::i18n::Catalogue::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_spanish_patients_file_reads_in_spanish_and_stays_valid() {
    use health_binder_core::calendar::{binder_items, dose_items};
    use health_binder_core::model::{Frequency, Medication, Task, TimeOfDay};
    let es = spanish();
    let es = Texts::new("es", Some(&es));
    let made = at("2026-11-01T10:00:00Z");
    let mut binder = Binder::new("Ada", made);
    // What the patient typed stays as typed, accents and all; long enough that lines fold near
    // the multi-byte characters.
    let questions = vec![
        "¿Puedo dejar la dosis de la noche si la glucosa en ayunas sigue por debajo de lo esperado… señal?".into(),
        "¿Análisis en ayunas, sí o no?".into(),
    ];
    let visit = Appointment {
        at: LocalDateTime::from_local(2026, 12, 3, 9, 30, 60).unwrap(),
        with: Some(ProviderRef::Named("Dra. Núñez (Cardióloga)".into())),
        purpose: String::new(),
        questions,
        follow_up: "Pedir la ecografía; llamar a la farmacia".into(),
    };
    binder.add(visit, Source::Patient, made).unwrap();
    let task =
        Task { title: "Llamar al ambulatorio".into(), due: PartialDate::day(2026, 11, 4).ok(), ..Task::default() };
    binder.add(task, Source::Patient, made).unwrap();
    let times = vec![TimeOfDay::parse("08:00").unwrap()];
    binder
        .add_medication(
            Medication { name: "Metformina".into(), frequency: Frequency::AtTimes { times }, ..Medication::default() },
            made,
        )
        .unwrap();
    let mut items = binder_items(&binder, &es);
    items.extend(dose_items(&binder, PartialDate::day(2026, 11, 1).unwrap(), &es));
    let ics = to_ics(&items, made);

    // Folded by octets, never inside a character: every physical line is at most 75 octets and
    // whole UTF-8 on its own.
    for physical in ics.as_bytes().split(|b| *b == b'\n') {
        assert!(physical.len() <= 76, "{} octets: {:?}", physical.len(), String::from_utf8_lossy(physical));
        assert!(std::str::from_utf8(physical).is_ok(), "a character split across lines");
    }
    assert!(ics.matches("\r\n ").count() > 2, "long Spanish lines were folded");

    let events = parse(&ics);
    let summaries: Vec<&str> = events.iter().map(|e| e["summary"].as_str().unwrap()).collect();
    assert_eq!(summaries, ["Llamar al ambulatorio", "Cita \u{2013} Dra. Núñez", "Hora de sus medicamentos"]);
    assert_eq!(events[0]["description"], "Pendiente, anotado en su carpeta.");
    assert_eq!(
        events[1]["description"],
        "Con: Dra. Núñez (Cardióloga)\n09:30 en UTC+01:00, tal como figura en su carpeta.\nPreguntas que hacer:\n\
         - ¿Puedo dejar la dosis de la noche si la glucosa en ayunas sigue por debajo de lo esperado… señal?\n\
         - ¿Análisis en ayunas, sí o no?\nQué hacer después: Pedir la ecografía; llamar a la farmacia"
    );
    assert_eq!(events[2]["description"], "Abra Health Binder para ver cuáles y marcarlos como tomados.");
    assert!(!ics.contains("Metformina"), "no medication name in the file");
}
