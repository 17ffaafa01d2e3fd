//! How the patient wants to be reminded: of doses when due, of appointments ahead of time, and
//! never in their quiet hours. Kept in the binder (sealed, backed up), like the schedules it
//! reminds of.

use serde::{Deserialize, Serialize};

use super::{Problems, TimeOfDay, ValidationError};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReminderSettings {
    /// Remind of each scheduled dose when it is due.
    pub doses: bool,
    /// Remind of an appointment this many minutes before it (none: no reminder).
    pub appointment_minutes_before: Option<u32>,
    /// No reminder shows between these clock times (e.g. 22:00 to 07:00); those due then wait
    /// until the quiet hours end.
    pub quiet: Option<QuietHours>,
    /// Also show reminders as the system's notifications (the browser asks the patient's
    /// permission when this is turned on, never before). They say "A dose is due", never which.
    #[serde(default)]
    pub notifications: bool,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self { doses: true, appointment_minutes_before: Some(60), quiet: None, notifications: false }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub from: TimeOfDay,
    pub until: TimeOfDay,
}

/// An appointment reminder at most a week ahead.
pub const MAX_APPOINTMENT_MINUTES_BEFORE: u32 = 7 * 24 * 60;

impl QuietHours {
    /// Whether `time` is in the quiet hours (which may run past midnight: 22:00 to 07:00).
    pub fn contains(&self, time: TimeOfDay) -> bool {
        if self.from <= self.until {
            self.from <= time && time < self.until
        } else {
            time >= self.from || time < self.until
        }
    }
}

impl ReminderSettings {
    pub fn validated(self) -> Result<Self, Vec<ValidationError>> {
        let mut problems = Problems::default();
        if self.quiet.is_some_and(|q| q.from == q.until) {
            problems.fail("quiet", crate::msg!("Quiet hours must end at another time than they start."));
        }
        if self.appointment_minutes_before.is_some_and(|m| m == 0 || m > MAX_APPOINTMENT_MINUTES_BEFORE) {
            problems.fail(
                "appointment_minutes_before",
                crate::msg!("Remind of an appointment between 1 minute and 7 days before."),
            );
        }
        problems.finish(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_may_run_past_midnight() {
        let t = |s| TimeOfDay::parse(s).unwrap();
        let night = QuietHours { from: t("22:00"), until: t("07:00") };
        assert!(night.contains(t("23:30")) && night.contains(t("00:00")) && night.contains(t("06:59")));
        assert!(!night.contains(t("07:00")) && !night.contains(t("12:00")) && !night.contains(t("21:59")));
        let nap = QuietHours { from: t("13:00"), until: t("14:00") };
        assert!(nap.contains(t("13:30")) && !nap.contains(t("14:00")));
        let none =
            ReminderSettings { quiet: Some(QuietHours { from: t("13:00"), until: t("13:00") }), ..Default::default() };
        assert_eq!(none.validated().unwrap_err()[0].field, "quiet");
    }
}
