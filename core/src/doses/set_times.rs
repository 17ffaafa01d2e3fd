//! Dose times the patient sets in the medication form ("08:00, 14:00, 22:00"): read here, so the
//! form, the reminders and the calendar file agree on what was meant. Without them a daily
//! medication is due at the fixed waking-hours times (`schedule`).

use crate::model::{Frequency, PeriodUnit, TimeOfDay};

/// The form's field these rules speak of.
pub const FIELD: &str = "dose_times";
/// More than this a day is a slip of the keyboard, not a schedule.
pub const MOST_A_DAY: usize = 24;

/// A slip in the typed dose times. The messages are English; the app shows each variant in the
/// reader's language with its own placeholders filled (docs/languages.md: a message with values
/// cannot be looked up whole).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DoseTimesError {
    /// What was typed, as typed.
    #[error("Dose times: “{0}” is not a time on the clock. Write them like 08:00, 14:00, 22:00.")]
    NotATime(String),
    #[error("Dose times: {0} is there twice.")]
    Twice(TimeOfDay),
    #[error("Dose times: at most {MOST_A_DAY} times a day.")]
    TooMany,
    #[error("Dose times are for a medicine taken every day: set it to every 1 day, or clear the times.")]
    NotDaily,
    /// `given` times typed for a medicine taken `taken` times a day.
    #[error("Dose times: you gave {given} for a medicine taken {taken} a day. Give one time for each dose.", given = plural(*.given, "time"), taken = plural(*.taken as usize, "time"))]
    CountDiffers { given: usize, taken: u32 },
}

/// The times as the form shows them: "08:00, 20:00"; empty for a schedule without set times.
pub fn dose_times_text(frequency: &Frequency) -> String {
    match frequency {
        Frequency::AtTimes { times } => times.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        _ => String::new(),
    }
}

/// The schedule the form describes: `scheduled` (its "Times … every … period"), or, when the
/// patient typed dose times, every day at those times. Times are separated by commas, semicolons
/// or spaces, and written 8:00, 08:00 or 8.00. One time for each dose: a count that disagrees with
/// the times is a slip to point out, not to guess at.
pub fn with_dose_times(scheduled: Frequency, typed: &str) -> Result<Frequency, DoseTimesError> {
    let pieces: Vec<&str> = typed.split([',', ';', ' ']).filter(|p| !p.trim().is_empty()).collect();
    if pieces.is_empty() {
        return Ok(scheduled);
    }
    let mut times = Vec::new();
    for piece in pieces {
        let time = TimeOfDay::parse(&piece.trim().replace('.', ":"))
            .ok_or_else(|| DoseTimesError::NotATime(piece.trim().to_owned()))?;
        if times.contains(&time) {
            return Err(DoseTimesError::Twice(time));
        }
        times.push(time);
    }
    if times.len() > MOST_A_DAY {
        return Err(DoseTimesError::TooMany);
    }
    let Frequency::Scheduled { times: count, every: 1, unit: PeriodUnit::Day } = scheduled else {
        return Err(DoseTimesError::NotDaily);
    };
    if count as usize != times.len() {
        return Err(DoseTimesError::CountDiffers { given: times.len(), taken: count });
    }
    times.sort();
    Ok(Frequency::AtTimes { times })
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doses::{Day, due_on};
    use crate::model::Medication;

    fn daily(times: u32) -> Frequency {
        Frequency::Scheduled { times, every: 1, unit: PeriodUnit::Day }
    }

    fn message(result: Result<Frequency, DoseTimesError>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn typed_times_become_the_schedule_the_reminders_and_calendar_use() {
        let frequency = with_dose_times(daily(3), " 22:00, 8:00;14.30 ").unwrap();
        assert_eq!(frequency.text(), "daily at 08:00, 14:30 and 22:00");
        assert_eq!(dose_times_text(&frequency), "08:00, 14:30, 22:00");
        // Read back as typed: the form shows the times it saved.
        assert_eq!(with_dose_times(daily(3), &dose_times_text(&frequency)).unwrap(), frequency);

        let med = Medication { name: "Metformin".into(), frequency, ..Medication::default() };
        let due: Vec<String> = due_on(&med, Day::new(2026, 12, 7).unwrap(), &|_| 60).iter().map(|d| d.fhir()).collect();
        assert_eq!(due, ["2026-12-07T08:00:00+01:00", "2026-12-07T14:30:00+01:00", "2026-12-07T22:00:00+01:00"]);
        assert_eq!(crate::doses::schedule::daily_clock_times(&med).len(), 3);
    }

    #[test]
    fn no_times_keeps_the_schedule() {
        assert_eq!(with_dose_times(daily(2), "  ").unwrap(), daily(2));
        let weekly = Frequency::Scheduled { times: 1, every: 1, unit: PeriodUnit::Week };
        assert_eq!(with_dose_times(weekly.clone(), "").unwrap(), weekly);
        assert_eq!(dose_times_text(&daily(2)), "");
    }

    #[test]
    fn slips_are_told_apart_and_read_in_english_too() {
        assert_eq!(
            message(with_dose_times(daily(2), "08:00, 25:00")),
            "Dose times: “25:00” is not a time on the clock. Write them like 08:00, 14:00, 22:00."
        );
        assert!(message(with_dose_times(daily(2), "morning")).contains("“morning”"));
        assert_eq!(message(with_dose_times(daily(2), "08:00, 8:00")), "Dose times: 08:00 is there twice.");
        assert_eq!(
            message(with_dose_times(daily(1), "08:00, 20:00")),
            "Dose times: you gave 2 times for a medicine taken 1 time a day. Give one time for each dose."
        );
        let weekly = Frequency::Scheduled { times: 1, every: 1, unit: PeriodUnit::Week };
        assert!(message(with_dose_times(weekly, "08:00")).starts_with("Dose times are for a medicine taken every day"));
        let every_other = Frequency::Scheduled { times: 1, every: 2, unit: PeriodUnit::Day };
        assert!(with_dose_times(every_other, "08:00").is_err());
        let many: Vec<String> = (0..25).map(|m| format!("08:{m:02}")).collect();
        assert_eq!(message(with_dose_times(daily(25), &many.join(","))), "Dose times: at most 24 times a day.");
        // The app shows each in the reader's language from the variant and its values.
        assert_eq!(with_dose_times(daily(2), " 7h ").unwrap_err(), DoseTimesError::NotATime("7h".into()));
        assert_eq!(
            with_dose_times(daily(3), "08:00, 20:00").unwrap_err(),
            DoseTimesError::CountDiffers { given: 2, taken: 3 }
        );
    }
}
