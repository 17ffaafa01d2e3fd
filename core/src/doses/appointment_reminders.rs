//! Which appointments to remind of now, while the app is open: those starting within the lead
//! time the patient chose ("an hour before", "the day before"), until they start; never in the
//! quiet hours (a reminder whose time falls in them shows when they end, if the appointment is
//! still ahead); not once dismissed. Dismissals are kept in the page's memory only: they hold
//! which appointment, and the binder's sealed copy is the only place that says what it is.
//! When the app is closed, the calendar export's alarms (a day and an hour before) remind.

use uuid::Uuid;

use crate::model::{Binder, LocalDateTime};
use crate::said::Said;

use super::clock::Day;
use super::reminders::quiet_at;

const MS_PER_MINUTE: i64 = 60_000;

/// An appointment reminder dismissed: the appointment, at the time it had then (moved to another
/// time, it is reminded of again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dismissed {
    pub appointment: Uuid,
    pub at_ms: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppointmentReminder {
    pub appointment: Uuid,
    pub at: LocalDateTime,
    /// As the calendar file names it: "Knee follow-up – Dr Chen"; "Appointment" when it has no
    /// purpose (in the reader's language: the app writes it with its wording).
    pub title: Said,
    /// Which day it is on, seen from now on the clock where it was entered. The app writes the
    /// sentence ("today at 09:00", "on 9 December 2026 at 09:00") in the reader's language, with
    /// the date and time of `at.local()` as the reader writes them.
    pub day: WhichDay,
}

/// The day of an appointment, from today, as a reminder says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhichDay {
    Today,
    Tomorrow,
    /// Any later day: named by its date.
    Later,
}

impl AppointmentReminder {
    pub fn dismissed(&self) -> Dismissed {
        Dismissed { appointment: self.appointment, at_ms: self.at.utc_ms }
    }
}

/// The appointments to remind of at `now`, soonest first.
pub fn appointment_reminders_now(
    binder: &Binder,
    now: LocalDateTime,
    dismissed: &[Dismissed],
) -> Vec<AppointmentReminder> {
    let settings = &binder.reminders;
    let Some(lead) = settings.appointment_minutes_before else { return Vec::new() };
    if quiet_at(settings, &now) {
        return Vec::new();
    }
    let until = now.utc_ms + i64::from(lead) * MS_PER_MINUTE;
    let mut due: Vec<AppointmentReminder> = binder
        .appointments
        .iter()
        .filter(|e| e.data.at.utc_ms > now.utc_ms && e.data.at.utc_ms <= until)
        .filter(|e| !dismissed.contains(&Dismissed { appointment: e.id(), at_ms: e.data.at.utc_ms }))
        .map(|e| AppointmentReminder {
            appointment: e.id(),
            at: e.data.at,
            title: crate::calendar::appointment_title_in(binder, &e.data),
            day: which_day(&now, &e.data.at),
        })
        .collect();
    due.sort_by_key(|r| r.at.utc_ms);
    due
}

/// Which day `at` is, seen from `now`, on the patient's clock where they entered it.
fn which_day(now: &LocalDateTime, at: &LocalDateTime) -> WhichDay {
    let here = LocalDateTime { offset_minutes: at.offset_minutes, ..*now };
    match Day::of(at).0 - Day::of(&here).0 {
        0 => WhichDay::Today,
        1 => WhichDay::Tomorrow,
        _ => WhichDay::Later,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::model::{Appointment, ProviderRef, QuietHours, Source, TimeOfDay};

    fn paris(d: u8, h: u8, m: u8) -> LocalDateTime {
        LocalDateTime::from_local(2026, 12, d, h, m, 60).unwrap()
    }

    fn made() -> DateTime<Utc> {
        "2026-12-01T10:00:00Z".parse().unwrap()
    }

    fn binder_with(at: &[LocalDateTime]) -> (Binder, Vec<Uuid>) {
        let mut binder = Binder::new("Ada", made());
        let ids = at
            .iter()
            .map(|&at| {
                let a = Appointment {
                    at,
                    with: Some(ProviderRef::Named("Dr Chen".into())),
                    purpose: "Knee follow-up".into(),
                    questions: Vec::new(),
                    follow_up: String::new(),
                };
                binder.add(a, Source::Patient, made()).unwrap()
            })
            .collect();
        (binder, ids)
    }

    /// Title, day, and the wall-clock time the app shows.
    fn reminded(binder: &Binder, now: LocalDateTime, dismissed: &[Dismissed]) -> Vec<(String, WhichDay, String)> {
        appointment_reminders_now(binder, now, dismissed)
            .into_iter()
            .map(|r| (r.title.english(), r.day, r.at.time_of_day().to_string()))
            .collect()
    }

    #[test]
    fn an_appointment_is_reminded_of_from_the_lead_time_until_it_starts() {
        let (mut binder, _) = binder_with(&[paris(7, 9, 0)]);
        assert_eq!(binder.reminders.appointment_minutes_before, Some(60), "an hour before, unless changed");
        assert!(reminded(&binder, paris(7, 7, 59), &[]).is_empty(), "not before the lead time");
        let shown = [("Knee follow-up \u{2013} Dr Chen".to_owned(), WhichDay::Today, "09:00".to_owned())];
        assert_eq!(reminded(&binder, paris(7, 8, 0), &[]), shown);
        assert_eq!(reminded(&binder, paris(7, 8, 59), &[]), shown);
        assert!(reminded(&binder, paris(7, 9, 0), &[]).is_empty(), "not once it has started");

        binder.reminders.appointment_minutes_before = Some(24 * 60);
        assert!(reminded(&binder, paris(6, 8, 59), &[]).is_empty());
        assert_eq!(reminded(&binder, paris(6, 9, 0), &[])[0].1, WhichDay::Tomorrow);
        binder.reminders.appointment_minutes_before = Some(3 * 24 * 60);
        let later = appointment_reminders_now(&binder, paris(4, 12, 0), &[]).remove(0);
        assert_eq!(later.day, WhichDay::Later);
        assert_eq!(later.at.date().map(|d| d.to_string()).as_deref(), Some("2026-12-07"), "named by its date");
        // Late at night on the 6th, the 7th is tomorrow on the clock where it was entered.
        assert_eq!(reminded(&binder, paris(6, 23, 59), &[])[0].1, WhichDay::Tomorrow);

        binder.reminders.appointment_minutes_before = None;
        assert!(reminded(&binder, paris(7, 8, 30), &[]).is_empty(), "no appointment reminders when turned off");
    }

    #[test]
    fn quiet_hours_hold_a_reminder_back_and_a_dismissal_ends_it_until_the_time_moves() {
        let (mut binder, ids) = binder_with(&[paris(7, 9, 0), paris(7, 8, 45)]);
        binder.reminders.quiet =
            Some(QuietHours { from: TimeOfDay::new(22, 0).unwrap(), until: TimeOfDay::new(8, 30).unwrap() });
        assert!(reminded(&binder, paris(7, 8, 10), &[]).is_empty(), "quiet until 08:30");
        let now = paris(7, 8, 30);
        let both = appointment_reminders_now(&binder, now, &[]);
        assert_eq!(both.iter().map(|r| r.appointment).collect::<Vec<_>>(), [ids[1], ids[0]], "soonest first");

        let dismissed = [both[1].dismissed()];
        let left = appointment_reminders_now(&binder, now, &dismissed);
        assert_eq!(left.iter().map(|r| r.appointment).collect::<Vec<_>>(), [ids[1]]);
        // Moved to 09:15, the dismissed one is reminded of again.
        binder.appointments[0].data.at = paris(7, 9, 15);
        assert_eq!(appointment_reminders_now(&binder, paris(7, 8, 40), &dismissed).len(), 2);
    }

    #[test]
    fn an_appointment_without_a_purpose_is_titled_in_the_readers_language() {
        let (mut binder, _) = binder_with(&[paris(7, 9, 0), paris(7, 9, 30)]);
        binder.appointments[0].data.purpose.clear();
        binder.appointments[1].data.purpose.clear();
        binder.appointments[1].data.with = None;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../locales/es.txt");
        let es = crate::i18n::Catalogue::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
        let spanish = |t: &str| es.get(t).to_owned();
        let w = crate::printout::Wording { text: &spanish, date: &|d| d.text(), plural: &|n| crate::i18n::plural("es", n) };
        let titles = |binder: &Binder, w: &crate::printout::Wording| -> Vec<String> {
            appointment_reminders_now(binder, paris(7, 8, 40), &[]).iter().map(|r| r.title.text(w)).collect()
        };
        assert_eq!(titles(&binder, &w), ["Cita – Dr Chen", "Cita"]);
        assert_eq!(titles(&binder, &crate::printout::Wording::ENGLISH), ["Appointment – Dr Chen", "Appointment"]);
        // What the patient wrote stays as written, in any language.
        binder.appointments[1].data.purpose = "Knee follow-up".into();
        assert_eq!(titles(&binder, &w)[1], "Knee follow-up");
    }
}
