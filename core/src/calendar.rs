//! Calendar export: the binder's dated items as an iCalendar file (RFC 5545) that phone and desktop
//! calendars import, each with reminders (`VALARM`).
//!
//! - **One list of items.** Anything with a date becomes a [`CalendarItem`]: appointments
//!   ([`appointment_items`]) and open tasks due on a day — clinicians' follow-ups and the care
//!   transition checklist ([`task_items`]); [`binder_items`] is both, and [`to_ics`] writes any list.
//! - **Re-exporting updates, never duplicates.** An event's `UID` is its entry's id, and its
//!   `SEQUENCE` grows with every edit (seconds since the entry was made, rounded up so that an
//!   edit within a second of the entry still counts), so importing a newer file replaces the
//!   events already there.
//! - **Times.** The binder keeps each time as an instant plus the UTC offset it was entered in.
//!   The file writes the instant in UTC (`DTSTART:20261203T083000Z`) and states the entered
//!   offset in the description ("09:30 at UTC+01:00, as entered"). Every calendar reads UTC the
//!   same way and shows it in the phone's own zone — right even after travel — whereas a
//!   `VTIMEZONE` made for an offset has no zone name a calendar knows, and calendars that go by
//!   zone names (Google Calendar among them) put such events in their own default zone, hours off.
//! - **All-day items** (a task due on a day) are `VALUE=DATE` events, as calendars show them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::model::{Binder, LocalDateTime, PartialDate, Provider, ProviderRef, TimeOfDay};
use crate::msg;
use crate::said::Said;

/// Everything of the binder that belongs in a calendar: appointments and open tasks due on a
/// day, soonest first.
pub fn binder_items(binder: &Binder) -> Vec<CalendarItem> {
    let items = appointment_items(binder).into_iter().chain(task_items(binder));
    crate::order::ordered(items.map(|item| (start_key(&item), item)).collect())
}

/// Open tasks with a due day (a follow-up "within 7 days" has one), as all-day events with
/// morning reminders. Ticked tasks and tasks without a full date stay out: a calendar cannot
/// place "March 2027" on a day.
pub fn task_items(binder: &Binder) -> Vec<CalendarItem> {
    binder
        .tasks
        .iter()
        .filter(|entry| entry.data.is_open())
        .filter_map(|entry| {
            let task = &entry.data;
            let due = task.due.filter(|d| d.day_number().is_some())?;
            let mut description = vec!["To do, from your binder.".to_owned()];
            if !task.note.is_empty() {
                description.push(task.note.clone());
            }
            Some(CalendarItem {
                id: entry.id(),
                summary: task.title.clone(),
                description,
                location: String::new(),
                when: ItemTime::Day(due),
                reminders: DAY_REMINDERS.to_vec(),
                created: entry.meta.created_at,
                modified: entry.meta.updated_at,
            })
        })
        .collect()
}

/// How long a medicine time is shown as lasting.
pub const DOSE_MINUTES: i64 = 15;

/// The clock times the active medications taken every day at set times are due, as daily events
/// from `today` (or a later start date) with an alarm at the time: how dose reminders reach the
/// patient when the app is closed. One event per time, naming no medication ("Time for your
/// medicines"): the file and the calendar are outside the vault. Schedules that do not repeat
/// daily at the same clock times (weekly, every few hours or days, monthly) are left out.
pub fn dose_items(binder: &Binder, today: PartialDate) -> Vec<CalendarItem> {
    let mut times: Vec<(TimeOfDay, PartialDate)> = Vec::new();
    for entry in binder.medications.iter().filter(|m| m.data.status.is_active()) {
        let from = entry.data.started.filter(|s| s.day_number().is_some() && *s > today).unwrap_or(today);
        for time in crate::doses::schedule::daily_clock_times(&entry.data) {
            match times.iter_mut().find(|(t, _)| *t == time) {
                Some((_, earliest)) => *earliest = (*earliest).min(from),
                None => times.push((time, from)),
            }
        }
    }
    times.sort_unstable();
    times
        .into_iter()
        .map(|(time, from)| CalendarItem {
            // Stable per binder and time of day: a new export updates the same events.
            id: Uuid::from_u128(
                binder.id.as_u128() ^ ((0xD05E << 16) | (u128::from(time.hour) << 8) | u128::from(time.minute)),
            ),
            summary: "Time for your medicines".to_owned(),
            description: vec!["Open Health Binder to see which, and mark them taken.".to_owned()],
            location: String::new(),
            when: ItemTime::Daily { from, time, minutes: DOSE_MINUTES },
            reminders: vec![0],
            created: binder.created_at,
            modified: binder.updated_at,
        })
        .collect()
}

/// How long an appointment is shown as lasting: the binder keeps no end time.
pub const APPOINTMENT_MINUTES: i64 = 60;
/// Appointments remind a day before (time to gather the questions) and an hour before.
pub const APPOINTMENT_REMINDERS: [i64; 2] = [-24 * 60, -60];
/// All-day items remind at 09:00 the day before and at 09:00 on the day.
pub const DAY_REMINDERS: [i64; 2] = [-15 * 60, 9 * 60];

/// When an item happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemTime {
    /// A moment, lasting `minutes`.
    At { start: LocalDateTime, minutes: i64 },
    /// A whole day (a task due that day). Must be a full date.
    Day(PartialDate),
    /// Every day from `from` (a full date) at `time` on the wall clock wherever the phone is
    /// ("floating" time: 08:00 stays 08:00 across clock changes and travel), lasting `minutes`.
    Daily { from: PartialDate, time: TimeOfDay, minutes: i64 },
}

/// One event of the calendar file.
#[derive(Clone, Debug, PartialEq)]
pub struct CalendarItem {
    /// The entry's id: the event's `UID`, the same in every export.
    pub id: Uuid,
    pub summary: String,
    /// Lines of the description.
    pub description: Vec<String>,
    pub location: String,
    pub when: ItemTime,
    /// Reminders, in minutes from the start (negative: before it).
    pub reminders: Vec<i64>,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// An appointment's title: "Knee follow-up – Dr Chen", its purpose and whom it is with (without
/// their role), as the patient wrote them; "Appointment" when it has no purpose. The calendar file
/// writes it in English; a reminder on screen in the patient's language.
pub fn appointment_title(purpose: &str, with: &str) -> Said {
    let short_with = with.split(" (").next().unwrap_or_default();
    match (purpose.is_empty(), short_with.is_empty()) {
        (true, true) => Said::new(msg!("Appointment")),
        (true, false) => Said::new(msg!("Appointment – {with}")).typed("with", short_with),
        (false, true) => Said::new("{what}").typed("what", purpose),
        (false, false) => Said::new("{what} – {with}").typed("what", purpose).typed("with", short_with),
    }
}

/// Whom an appointment is with, in full ("Dr Chen (Cardiologist)"), and where.
fn with_and_where(binder: &Binder, with: Option<&ProviderRef>) -> (String, String) {
    let provider = |id: Uuid| binder.get::<Provider>(id).map(|e| &e.data);
    match with {
        Some(ProviderRef::CareTeam(id)) => provider(*id).map_or((String::new(), String::new()), |p| {
            let place: Vec<&str> =
                [p.organisation.as_str(), p.address.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
            (p.text(), place.join(", ").replace('\n', ", "))
        }),
        Some(ProviderRef::Named(name)) => (name.clone(), String::new()),
        None => (String::new(), String::new()),
    }
}

/// An appointment's title from the binder (see [`appointment_title`]).
pub fn appointment_title_in(binder: &Binder, appointment: &crate::model::Appointment) -> Said {
    appointment_title(&appointment.purpose, &with_and_where(binder, appointment.with.as_ref()).0)
}

/// The binder's appointments, soonest first.
pub fn appointment_items(binder: &Binder) -> Vec<CalendarItem> {
    let items: Vec<CalendarItem> = binder
        .appointments
        .iter()
        .map(|entry| {
            let a = &entry.data;
            let (with, location) = with_and_where(binder, a.with.as_ref());
            let summary = appointment_title(&a.purpose, &with).english();
            let mut description = Vec::new();
            if !with.is_empty() {
                description.push(format!("With: {with}"));
            }
            let local = a.at.local();
            description.push(format!(
                "{:02}:{:02} at UTC{}, as entered in your binder.",
                local.hour,
                local.minute,
                a.at.offset_text()
            ));
            if !a.questions.is_empty() {
                description.push("Questions to ask:".to_owned());
                description.extend(a.questions.iter().map(|q| format!("- {q}")));
            }
            if !a.follow_up.is_empty() {
                description.push(format!("Follow-up to do: {}", a.follow_up));
            }
            CalendarItem {
                id: entry.id(),
                summary,
                description,
                location,
                when: ItemTime::At { start: a.at, minutes: APPOINTMENT_MINUTES },
                reminders: APPOINTMENT_REMINDERS.to_vec(),
                created: entry.meta.created_at,
                modified: entry.meta.updated_at,
            }
        })
        .collect();
    crate::order::ordered(items.into_iter().map(|item| (start_key(&item), item)).collect())
}

fn start_key(item: &CalendarItem) -> i64 {
    match item.when {
        ItemTime::At { start, .. } => start.utc_ms,
        ItemTime::Day(day) => day_start(day).map_or(0, |d| d.utc_ms),
        ItemTime::Daily { from, time, .. } => {
            day_start(from).map_or(0, |d| d.utc_ms + (i64::from(time.hour) * 60 + i64::from(time.minute)) * 60_000)
        }
    }
}

/// Midnight UTC of a full date, for arithmetic on days.
fn day_start(day: PartialDate) -> Option<LocalDateTime> {
    LocalDateTime::from_local(day.year_number().into(), day.month_number()?, day.day_number()?, 0, 0, 0)
}

/// `20261203T083000Z`.
fn utc_stamp(utc_ms: i64) -> String {
    let p = LocalDateTime { utc_ms, offset_minutes: 0 }.local();
    let seconds = utc_ms.div_euclid(1000).rem_euclid(60);
    format!("{:04}{:02}{:02}T{:02}{:02}{seconds:02}Z", p.year, p.month, p.day, p.hour, p.minute)
}

/// `20261203`.
fn date_stamp(at: LocalDateTime) -> String {
    let p = at.local();
    format!("{:04}{:02}{:02}", p.year, p.month, p.day)
}

/// An RFC 5545 duration: `-P1D`, `-PT1H`, `PT9H`, `-PT1H30M`.
fn duration(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs();
    if m.is_multiple_of(24 * 60) && m > 0 {
        return format!("{sign}P{}D", m / (24 * 60));
    }
    let (hours, rest) = (m / 60, m % 60);
    match (hours, rest) {
        (0, r) => format!("{sign}PT{r}M"),
        (h, 0) => format!("{sign}PT{h}H"),
        (h, r) => format!("{sign}PT{h}H{r}M"),
    }
}

/// TEXT as RFC 5545 escapes it: backslash, semicolon, comma and newline.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so no physical line passes 75 octets (never inside a UTF-8
/// character), each ending in CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// The calendar file for `items`, stamped `now`.
pub fn to_ics(items: &[CalendarItem], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let mut line = |text: &str| push_line(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Health Binder//Calendar export//EN");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    let stamp = utc_stamp(now.timestamp_millis());
    for item in items {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}@health-binder", item.id));
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!("CREATED:{}", utc_stamp(item.created.timestamp_millis())));
        line(&format!("LAST-MODIFIED:{}", utc_stamp(item.modified.timestamp_millis())));
        // Grows with every edit, so an import replaces the older copy of the event.
        // Rounded up: an edit in the same second as the entry (a quick fix just after saving) must
        // still raise it, or calendars keep the old copy.
        let sequence = ((item.modified - item.created).num_milliseconds().max(0) + 999) / 1000;
        line(&format!("SEQUENCE:{sequence}"));
        match item.when {
            ItemTime::At { start, minutes } => {
                line(&format!("DTSTART:{}", utc_stamp(start.utc_ms)));
                line(&format!("DTEND:{}", utc_stamp(start.utc_ms + minutes * 60_000)));
            }
            ItemTime::Day(day) => {
                if let Some(start) = day_start(day) {
                    let next = LocalDateTime { utc_ms: start.utc_ms + 86_400_000, offset_minutes: 0 };
                    line(&format!("DTSTART;VALUE=DATE:{}", date_stamp(start)));
                    line(&format!("DTEND;VALUE=DATE:{}", date_stamp(next)));
                    line("TRANSP:TRANSPARENT");
                }
            }
            ItemTime::Daily { from, time, minutes } => {
                if let Some(start) = day_start(from) {
                    // No `Z` and no zone: floating time, read on the phone's own clock.
                    let start = start.utc_ms + (i64::from(time.hour) * 60 + i64::from(time.minute)) * 60_000;
                    let floating = |ms: i64| utc_stamp(ms).trim_end_matches('Z').to_owned();
                    line(&format!("DTSTART:{}", floating(start)));
                    line(&format!("DTEND:{}", floating(start + minutes * 60_000)));
                    line("RRULE:FREQ=DAILY");
                }
            }
        }
        line(&format!("SUMMARY:{}", escape(&item.summary)));
        if !item.description.is_empty() {
            line(&format!("DESCRIPTION:{}", escape(&item.description.join("\n"))));
        }
        if !item.location.is_empty() {
            line(&format!("LOCATION:{}", escape(&item.location)));
        }
        for minutes in &item.reminders {
            line("BEGIN:VALARM");
            line("ACTION:DISPLAY");
            line(&format!("DESCRIPTION:{}", escape(&item.summary)));
            line(&format!("TRIGGER:{}", duration(*minutes)));
            line("END:VALARM");
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
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
        let items = appointment_items(&binder);
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
        let first = to_ics(&appointment_items(&binder), made);
        let moved = LocalDateTime::from_local(2026, 12, 4, 11, 0, 60).unwrap();
        binder.update(id, appointment(moved, "Check-up"), at("2026-11-01T12:30:00Z")).unwrap();
        let second = to_ics(&appointment_items(&binder), at("2026-11-01T12:31:00Z"));
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
        let ics = to_ics(&appointment_items(&binder), soon);
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
        let call = binder
            .add(task("Follow-up call", PartialDate::day(2026, 11, 4).ok(), None), Source::Patient, made)
            .unwrap();
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
        let items = binder_items(&binder);
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
        for expected in [
            "DTSTART;VALUE=DATE:20261231\r\n",
            "DTEND;VALUE=DATE:20270101\r\n",
            "TRIGGER:-PT15H\r\n",
            "TRIGGER:PT9H\r\n",
        ] {
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
        let items = dose_items(&binder, today);
        // 08:00 and 20:00 once each for two medications; 14:00 from its start date; weekly and
        // as-needed doses left out.
        let whens: Vec<ItemTime> = items.iter().map(|i| i.when).collect();
        let daily = |from, time| ItemTime::Daily { from, time: t(time), minutes: DOSE_MINUTES };
        assert_eq!(whens, [daily(today, "08:00"), daily(later, "14:00"), daily(today, "20:00")]);
        assert_eq!(dose_items(&binder, today)[0].id, items[0].id, "the same event in every export");
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
}
