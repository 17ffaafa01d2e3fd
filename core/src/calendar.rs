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
//! - **Language.** The file is read by the patient in their own calendar, so its titles and
//!   descriptions are in the patient's language ([`Texts`], as documents for others are); what
//!   they typed (a purpose, a question, a name) stays as typed.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::ips::Texts;
use crate::model::{Binder, LocalDateTime, PartialDate, Provider, ProviderRef, TimeOfDay};
use crate::msg;
use crate::said::Said;

/// Everything of the binder that belongs in a calendar: appointments and open tasks due on a
/// day, soonest first, in the language of `texts`.
pub fn binder_items(binder: &Binder, texts: &Texts) -> Vec<CalendarItem> {
    let items = appointment_items(binder, texts).into_iter().chain(task_items(binder, texts));
    crate::order::ordered(items.map(|item| (start_key(&item), item)).collect())
}

/// Open tasks with a due day (a follow-up "within 7 days" has one), as all-day events with
/// morning reminders. Ticked tasks and tasks without a full date stay out: a calendar cannot
/// place "March 2027" on a day.
pub fn task_items(binder: &Binder, texts: &Texts) -> Vec<CalendarItem> {
    binder
        .tasks
        .iter()
        .filter(|entry| entry.data.is_open())
        .filter_map(|entry| {
            let task = &entry.data;
            let due = task.due.filter(|d| d.day_number().is_some())?;
            let mut description = vec![texts.get(msg!("To do, from your binder.")).to_owned()];
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
pub fn dose_items(binder: &Binder, today: PartialDate, texts: &Texts) -> Vec<CalendarItem> {
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
            summary: texts.get(msg!("Time for your medicines")).to_owned(),
            description: vec![texts.get(msg!("Open Health Binder to see which, and mark them taken.")).to_owned()],
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
/// and a reminder on screen write it in the patient's language.
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

/// The binder's appointments, soonest first, in the language of `texts`.
pub fn appointment_items(binder: &Binder, texts: &Texts) -> Vec<CalendarItem> {
    let items: Vec<CalendarItem> = binder
        .appointments
        .iter()
        .map(|entry| {
            let a = &entry.data;
            let (with, location) = with_and_where(binder, a.with.as_ref());
            let summary = texts.said(&appointment_title(&a.purpose, &with));
            let mut description = Vec::new();
            if !with.is_empty() {
                description.push(texts.fill(msg!("With: {with}"), &[("with", &with)]));
            }
            // A 24-hour clock and the offset's digits read the same in every language.
            let local = a.at.local();
            let time = format!("{:02}:{:02}", local.hour, local.minute);
            description.push(texts.fill(
                msg!("{time} at UTC{offset}, as entered in your binder."),
                &[("time", &time), ("offset", &a.at.offset_text())],
            ));
            if !a.questions.is_empty() {
                description.push(texts.get(msg!("Questions to ask:")).to_owned());
                description.extend(a.questions.iter().map(|q| format!("- {q}")));
            }
            if !a.follow_up.is_empty() {
                description.push(texts.fill(msg!("Follow-up to do: {what}"), &[("what", &a.follow_up)]));
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
mod tests;
