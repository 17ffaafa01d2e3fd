//! Which doses to remind of now, while the app is open: those due in the last
//! [`REMIND_FOR_HOURS`] hours with nothing logged yet, not snoozed, never in the patient's quiet
//! hours (a dose due then is reminded of when they end), and none due before the medication was
//! added to the binder. When the app is closed, the calendar export's alarms are the answer.

use uuid::Uuid;

use crate::forms::ZoneOffset;
use crate::model::{Binder, LocalDateTime, ReminderSettings};

use super::plan::{PlannedDose, due_between};

/// How long an unmarked dose keeps being reminded of (long enough to outlast a night's quiet
/// hours); after that it is only on the day's list.
pub const REMIND_FOR_HOURS: i64 = 12;
/// How long "Snooze" puts a reminder off.
pub const SNOOZE_MINUTES: i64 = 10;

const MS_PER_MINUTE: i64 = 60_000;

/// A reminder put off: the dose of `medication` due at `due_ms` (UTC milliseconds), until
/// `until_ms`. Kept in the page's memory only, never stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snooze {
    pub medication: Uuid,
    pub due_ms: i64,
    pub until_ms: i64,
}

impl Snooze {
    /// Puts off the reminder of `dose` for [`SNOOZE_MINUTES`] from `now`.
    pub fn of(dose: &PlannedDose, now: &LocalDateTime) -> Self {
        Self {
            medication: dose.medication,
            due_ms: dose.due.utc_ms,
            until_ms: now.utc_ms + SNOOZE_MINUTES * MS_PER_MINUTE,
        }
    }
}

/// Whether `now` is in the patient's quiet hours: no reminder of any kind shows then.
pub(crate) fn quiet_at(settings: &ReminderSettings, now: &LocalDateTime) -> bool {
    settings.quiet.is_some_and(|q| q.contains(now.time_of_day()))
}

/// The doses to remind of at `now`, oldest first.
pub fn reminders_now(binder: &Binder, now: LocalDateTime, zone: ZoneOffset, snoozed: &[Snooze]) -> Vec<PlannedDose> {
    let settings = &binder.reminders;
    if !settings.doses {
        return Vec::new();
    }
    if quiet_at(settings, &now) {
        return Vec::new();
    }
    let from = LocalDateTime { utc_ms: now.utc_ms - REMIND_FOR_HOURS * 60 * MS_PER_MINUTE, ..now };
    due_between(binder, from, now.utc_ms + 1, zone)
        .into_iter()
        .filter(|dose| dose.record.is_none())
        .filter(|dose| {
            binder.medication(dose.medication).is_some_and(|m| m.meta.created_at.timestamp_millis() <= dose.due.utc_ms)
        })
        .filter(|dose| {
            !snoozed
                .iter()
                .any(|s| s.medication == dose.medication && s.due_ms == dose.due.utc_ms && s.until_ms > now.utc_ms)
        })
        .collect()
}
