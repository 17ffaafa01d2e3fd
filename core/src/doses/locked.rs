//! Reminders while the binder is locked, when the patient opts in: a schedule kept outside the
//! vault that holds times only — the instants doses are due, and the quiet hours — never which
//! medication, how many of them, or anything else from the binder. The lock screen reads it to
//! say "A dose is due — unlock to see which". Turning the option off deletes it.

use serde::{Deserialize, Serialize};

use crate::forms::ZoneOffset;
use crate::model::{Binder, LocalDateTime, QuietHours};

use super::plan::due_between;
use super::reminders::REMIND_FOR_HOURS;

/// How far ahead the schedule reaches: a binder left locked a week still reminds.
pub const LOCKED_AHEAD_DAYS: i64 = 7;
const MS_PER_HOUR: i64 = 3_600_000;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LockedSchedule {
    /// When unmarked doses are due (UTC milliseconds), each instant once however many medications
    /// are due then, in order.
    pub due: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet: Option<QuietHours>,
}

impl LockedSchedule {
    /// The schedule as of `now`: unmarked doses due from [`REMIND_FOR_HOURS`] ago (still reminded
    /// of) to [`LOCKED_AHEAD_DAYS`] ahead. Empty when dose reminders are off.
    pub fn of(binder: &Binder, now: LocalDateTime, zone: ZoneOffset) -> Self {
        let settings = &binder.reminders;
        if !settings.doses {
            return Self::default();
        }
        let from = LocalDateTime { utc_ms: now.utc_ms - REMIND_FOR_HOURS * MS_PER_HOUR, ..now };
        let until = now.utc_ms + LOCKED_AHEAD_DAYS * 24 * MS_PER_HOUR;
        let mut due: Vec<i64> = due_between(binder, from, until, zone)
            .into_iter()
            .filter(|dose| dose.record.is_none())
            .filter(|dose| {
                binder
                    .medication(dose.medication)
                    .is_some_and(|m| m.meta.created_at.timestamp_millis() <= dose.due.utc_ms)
            })
            .map(|dose| dose.due.utc_ms)
            .collect();
        due.sort_unstable();
        due.dedup();
        Self { due, quiet: settings.quiet }
    }

    /// Whether the lock screen says a dose is due at `now`: one came due within the last
    /// [`REMIND_FOR_HOURS`], and it is not the quiet hours (as reminders in the app).
    pub fn due_now(&self, now: LocalDateTime) -> bool {
        if self.quiet.is_some_and(|q| q.contains(now.time_of_day())) {
            return false;
        }
        self.due.iter().any(|&at| at <= now.utc_ms && now.utc_ms - at < REMIND_FOR_HOURS * MS_PER_HOUR)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a schedule serializes")
    }

    /// What was stored; `None` for anything else (read as no schedule).
    pub fn from_json(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::model::{Frequency, Medication, PeriodUnit, Source, TimeOfDay};

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn paris(d: u8, h: u8, m: u8) -> LocalDateTime {
        LocalDateTime::from_local(2026, 12, d, h, m, 60).unwrap()
    }

    fn binder() -> (Binder, [uuid::Uuid; 2]) {
        let mut binder = Binder::new("Ada", utc("2026-12-01T10:00:00Z"));
        let twice = Frequency::Scheduled { times: 2, every: 1, unit: PeriodUnit::Day };
        let once = Frequency::Scheduled { times: 1, every: 1, unit: PeriodUnit::Day };
        let made = utc("2026-12-01T10:00:00Z");
        let a = binder.add(
            Medication { name: "Metformin".into(), frequency: twice, ..Default::default() },
            Source::Patient,
            made,
        );
        let b = binder.add(
            Medication { name: "Ramipril".into(), frequency: once, ..Default::default() },
            Source::Patient,
            made,
        );
        (binder, [a.unwrap(), b.unwrap()])
    }

    #[test]
    fn holds_each_due_time_once_and_nothing_else() {
        let (mut binder, [metformin, ramipril]) = binder();
        let now = paris(7, 7, 57);
        let schedule = LockedSchedule::of(&binder, now, &|_| 60);
        // 08:00 (both medicines: once) and 20:00, for 7 days; last night's 20:00 dose too, unmarked.
        assert_eq!(schedule.due.len(), 1 + 7 * 2);
        assert_eq!(schedule.due[0], paris(6, 20, 0).utc_ms);
        assert_eq!(schedule.due[1], paris(7, 8, 0).utc_ms);
        let json = schedule.to_json();
        assert!(json.starts_with(r#"{"due":["#) && !json.contains("Metformin") && !json.contains("Ramipril"));
        assert_eq!(LockedSchedule::from_json(&json), Some(schedule.clone()));
        assert_eq!(LockedSchedule::from_json("Metformin"), None);

        // Marked, a time goes once every medication due then is marked.
        binder.log_dose(metformin, paris(7, 8, 0), Some(paris(7, 8, 5)), now).unwrap();
        assert!(
            LockedSchedule::of(&binder, now, &|_| 60).due.contains(&paris(7, 8, 0).utc_ms),
            "Ramipril is still due"
        );
        binder.log_dose(ramipril, paris(7, 8, 0), None, now).unwrap();
        binder.log_dose(metformin, paris(6, 20, 0), None, now).unwrap();
        assert_eq!(LockedSchedule::of(&binder, now, &|_| 60).due[0], paris(7, 20, 0).utc_ms);

        binder.reminders.doses = false;
        assert_eq!(LockedSchedule::of(&binder, now, &|_| 60), LockedSchedule::default());
    }

    #[test]
    fn the_lock_screen_says_a_dose_is_due_from_its_time_for_a_while_and_not_in_the_quiet_hours() {
        let (mut binder, _) = binder();
        binder.reminders.quiet =
            Some(QuietHours { from: TimeOfDay::new(22, 0).unwrap(), until: TimeOfDay::new(7, 0).unwrap() });
        let written = LockedSchedule::of(&binder, paris(7, 10, 0), &|_| 60);
        assert!(written.to_json().contains(r#""quiet":{"from":"22:00","until":"07:00"}"#));
        // The 20:00 dose alone.
        let schedule = LockedSchedule { due: vec![paris(7, 20, 0).utc_ms], ..written };
        assert!(!schedule.due_now(paris(7, 19, 59)));
        assert!(schedule.due_now(paris(7, 20, 0)));
        assert!(schedule.due_now(paris(7, 21, 59)));
        assert!(!schedule.due_now(paris(7, 23, 0)), "quiet");
        assert!(schedule.due_now(paris(8, 7, 0)), "after the quiet hours, still unmarked");
        assert!(schedule.due_now(paris(8, 7, 59)));
        assert!(!LockedSchedule::default().due_now(paris(8, 8, 0)));
        // Twelve hours on, a dose is no longer reminded of (in the app either).
        let one = LockedSchedule { due: vec![paris(7, 8, 0).utc_ms], quiet: None };
        assert!(one.due_now(paris(7, 19, 59)) && !one.due_now(paris(7, 20, 0)));
    }
}
