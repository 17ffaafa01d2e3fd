//! Every day, not only at appointments: when doses are due (`schedule`, on the patient's calendar
//! with its clock changes, `clock`), the day's list with what was logged (`plan`), adherence over
//! the last days (`adherence`), and as-needed doses against their daily maximum (`as_needed`).
//! What to remind of now (`reminders`), while the app is open. Dose times the patient sets
//! (`set_times`). Appointments coming up, at the lead time the patient chose
//! (`appointment_reminders`). How each medication has been taken, in a line for a share
//! (`taking`). The times-only schedule the lock screen reminds from, when the patient opts in
//! (`locked`).
//! The log itself is part of the binder (`model::DoseLog`); the binder's methods here keep it.

pub mod adherence;
pub mod appointment_reminders;
pub mod as_needed;
pub mod clock;
pub mod locked;
pub mod plan;
pub mod reminders;
pub mod schedule;
pub mod set_times;
pub mod taking;

pub use adherence::{Adherence, adherence};
pub use appointment_reminders::{AppointmentReminder, Dismissed, WhichDay, appointment_reminders_now};
pub use as_needed::{AsNeededCount, NextDose, as_needed_count};
pub use clock::{Day, resolve};
pub use locked::LockedSchedule;
pub use plan::{PlannedDose, day_plan, due_between};
pub use reminders::{REMIND_FOR_HOURS, SNOOZE_MINUTES, Snooze, reminders_now};
pub use schedule::due_on;
pub use set_times::{DoseTimesError, dose_times_text, with_dose_times};
pub use taking::{SHARED_DAYS, taking_lines};

use uuid::Uuid;

use crate::model::{Binder, BinderError, DoseMark, Frequency, LocalDateTime, ValidationError};

const MS_PER_MINUTE: i64 = 60_000;

/// A refusal with a message the app shows through its catalogue (`t_text`): a whole sentence
/// with no values in it, so it can be looked up.
fn invalid(field: &'static str, message: &'static str) -> BinderError {
    BinderError::Invalid(vec![ValidationError { field, message: message.to_owned() }])
}

impl Binder {
    /// Logs the dose of `medication` due at `due` as taken at `taken_at`, or skipped (`None`),
    /// replacing what was logged for it before. Months past the kept detail fold into counts.
    pub fn log_dose(
        &mut self,
        medication: Uuid,
        due: LocalDateTime,
        taken_at: Option<LocalDateTime>,
        now: LocalDateTime,
    ) -> Result<(), BinderError> {
        let med = self.medication(medication).ok_or(BinderError::NotFound)?;
        if matches!(med.data.frequency, Frequency::AsNeeded { .. }) {
            return Err(invalid(
                "dose",
                crate::msg!("This medication is taken as needed: log each dose when it is taken."),
            ));
        }
        let mark = match taken_at {
            Some(at) => {
                let minutes = (at.utc_ms - due.utc_ms).div_euclid(MS_PER_MINUTE);
                DoseMark::Taken { minutes_after: minutes.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32 }
            }
            None => DoseMark::Skipped,
        };
        self.dose_log.record(medication, due, mark);
        self.logged(now);
        Ok(())
    }

    /// Logs an as-needed dose of `medication` taken at `at`. One that would exceed the daily
    /// maximum is refused with the reason, unless the patient confirmed it after the warning.
    pub fn log_as_needed(
        &mut self,
        medication: Uuid,
        at: LocalDateTime,
        over_max_confirmed: bool,
        now: LocalDateTime,
    ) -> Result<(), BinderError> {
        let count = as_needed_count(self, medication, at).ok_or(BinderError::NotFound)?;
        // The counts are on the screen beside the button (`as_needed_count`): the refusal says
        // what they mean, in a sentence the catalogue can translate whole.
        if let (NextDose::OverMax, false) = (count.next(), over_max_confirmed) {
            return Err(invalid(
                "dose",
                crate::msg!(
                    "Another dose now would be more than your directions allow in 24 hours. Log it only if your clinician said so."
                ),
            ));
        }
        self.dose_log.record(medication, at, DoseMark::AsNeeded);
        self.logged(now);
        Ok(())
    }

    /// Forgets what was logged for the dose of `medication` due (or, as needed, taken) at `due`.
    pub fn unlog_dose(&mut self, medication: Uuid, due: &LocalDateTime, now: LocalDateTime) -> Result<(), BinderError> {
        if !self.dose_log.unrecord(medication, due) {
            return Err(BinderError::NotFound);
        }
        self.logged(now);
        Ok(())
    }

    fn logged(&mut self, now: LocalDateTime) {
        let today = now.local();
        self.dose_log.archive((today.year, today.month, today.day));
        if let Some(utc) = now.utc() {
            self.updated_at = utc;
        }
    }
}
