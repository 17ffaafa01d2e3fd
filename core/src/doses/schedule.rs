//! When each medication's doses are due on a day of the patient's calendar.
//!
//! - "At set times" (08:00 and 20:00): those clock times, every day.
//! - "n times a day": in waking hours — once at 08:00, twice at 08:00 and 20:00, three times at
//!   08:00, 14:00 and 20:00, four times at 08:00, 12:00, 16:00 and 20:00; more often, spread
//!   evenly round the clock from 08:00. (A patient who takes them at other times sets the times.)
//! - Every so many hours or days ("every 8 hours", "every 2 days"): on the clock from 08:00 of
//!   the start date (or of 1 January 1970 without one), so every 8 hours is 00:00, 08:00, 16:00.
//! - Weekly ("once a week", "3 times a week", "every 2 weeks"): at 08:00 on days spread evenly
//!   over the period from the start date's weekday (Monday without a start date).
//! - Monthly: on the start date's day of the month (the 1st without one; the month's last day
//!   when it is shorter), several times a month spread evenly over it.
//! - As needed: never due (see `as_needed`).
//!
//! Times are wall-clock times: a dose at 08:00 is at 08:00 on the day the clock changes too, and
//! a dose in the hour the clock skips is due when the clock has moved on (`clock::resolve`).
//! Nothing is due before the start date, and a stopped medication has no doses.

use crate::forms::ZoneOffset;
use crate::model::{Frequency, LocalDateTime, Medication, PartialDate, PeriodUnit, TimeOfDay, days_in_month};

use super::clock::{Day, MINUTES_PER_DAY, resolve};

/// The first dose of the day, on the clock.
pub const FIRST_DOSE_MINUTE: i64 = 8 * 60;
/// Doses closer together than this are read as a slip in the frequency, not as a schedule.
const SHORTEST_INTERVAL_MINUTES: i64 = 15;
/// A Monday: weekly schedules without a start date begin on Mondays.
const A_MONDAY: Day = Day(4);

/// When the doses of `med` are due on `day`, in order, each once.
pub fn due_on(med: &Medication, day: Day, zone: ZoneOffset) -> Vec<LocalDateTime> {
    if !med.status.is_active() || med.started.is_some_and(|start| day < first_day(start)) {
        return Vec::new();
    }
    let mut due: Vec<LocalDateTime> =
        clock_minutes(med, day).into_iter().map(|m| resolve(day.at_minute(m), zone)).collect();
    due.sort_by_key(|at| at.utc_ms);
    // Two clock times in the hour the clock skipped may land on one instant: one dose.
    due.dedup_by_key(|at| at.utc_ms);
    due
}

/// The clock times of a medication taken every day at the same times ("at set times", "n times
/// a day"); none for any other schedule (as needed, weekly, every few hours or days, monthly).
pub fn daily_clock_times(med: &Medication) -> Vec<TimeOfDay> {
    match med.frequency {
        Frequency::AtTimes { .. } | Frequency::Scheduled { every: 1, unit: PeriodUnit::Day, .. } => {
            clock_minutes(med, Day(0))
                .into_iter()
                .filter_map(|m| TimeOfDay::new((m / 60) as u8, (m % 60) as u8))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The first day a partial date covers: 2015 → 1 January 2015, March 2015 → 1 March 2015.
fn first_day(date: PartialDate) -> Day {
    let year = i64::from(date.year_number());
    Day::new(year, date.month_number().unwrap_or(1), date.day_number().unwrap_or(1)).expect("a valid date")
}

/// The minutes after `day`'s midnight (on the clock) at which doses are due.
fn clock_minutes(med: &Medication, day: Day) -> Vec<i64> {
    let anchor = med.started.map(first_day);
    match med.frequency {
        Frequency::AsNeeded { .. } => Vec::new(),
        Frequency::AtTimes { ref times } => {
            times.iter().map(|t| i64::from(t.hour) * 60 + i64::from(t.minute)).collect()
        }
        Frequency::Scheduled { times: 0, .. } | Frequency::Scheduled { every: 0, .. } => Vec::new(),
        Frequency::Scheduled { times, every: 1, unit: PeriodUnit::Day } => times_a_day(i64::from(times)),
        Frequency::Scheduled { times, every, unit } => {
            let (times, every) = (i64::from(times), i64::from(every));
            match unit {
                PeriodUnit::Hour => on_interval(every * 60, times, anchor.unwrap_or(Day(0)), day),
                PeriodUnit::Day => on_interval(every * MINUTES_PER_DAY, times, anchor.unwrap_or(Day(0)), day),
                PeriodUnit::Week => weekly(every * 7, times, anchor.unwrap_or(A_MONDAY), day),
                PeriodUnit::Month => monthly(every, times, anchor, day),
            }
        }
    }
}

fn times_a_day(times: i64) -> Vec<i64> {
    match times {
        1 => vec![8 * 60],
        2 => vec![8 * 60, 20 * 60],
        3 => vec![8 * 60, 14 * 60, 20 * 60],
        4 => vec![8 * 60, 12 * 60, 16 * 60, 20 * 60],
        _ => {
            let interval = (MINUTES_PER_DAY / times).max(SHORTEST_INTERVAL_MINUTES);
            let mut minutes: Vec<i64> =
                (0..MINUTES_PER_DAY / interval).map(|k| (FIRST_DOSE_MINUTE + k * interval) % MINUTES_PER_DAY).collect();
            minutes.sort_unstable();
            minutes
        }
    }
}

/// `times` doses every `period` minutes, evenly, counted on the clock from 08:00 of `anchor`.
fn on_interval(period: i64, times: i64, anchor: Day, day: Day) -> Vec<i64> {
    let interval = (period / times).max(SHORTEST_INTERVAL_MINUTES);
    let start = anchor.0 * MINUTES_PER_DAY + FIRST_DOSE_MINUTE;
    let midnight = day.0 * MINUTES_PER_DAY;
    // The first dose at or after midnight, and none before the first one.
    let mut at = start + (midnight - start).div_euclid(interval) * interval;
    if at < midnight {
        at += interval;
    }
    at = at.max(start);
    let mut minutes = Vec::new();
    while at < midnight + MINUTES_PER_DAY {
        minutes.push(at - midnight);
        at += interval;
    }
    minutes
}

/// `times` doses every `period_days` days at 08:00, on days spread evenly from `anchor`.
fn weekly(period_days: i64, times: i64, anchor: Day, day: Day) -> Vec<i64> {
    if times > period_days {
        return on_interval(period_days * MINUTES_PER_DAY, times, anchor, day);
    }
    let into = (day.0 - anchor.0).rem_euclid(period_days);
    let due = (0..times).any(|k| k * period_days / times == into);
    if due { vec![FIRST_DOSE_MINUTE] } else { Vec::new() }
}

/// `times` doses every `every` months at 08:00: on the anchor's day of the month (or the month's
/// last day), several a month spread evenly over its days.
fn monthly(every: i64, times: i64, anchor: Option<Day>, day: Day) -> Vec<i64> {
    let (year, month, date) = day.date();
    let length = i64::from(days_in_month(year, month));
    let (anchor_month, anchor_date) = anchor.map_or((0, 1), |a| (a.month_index(), a.date().2));
    let due = if times == 1 {
        (day.month_index() - anchor_month).rem_euclid(every) == 0
            && i64::from(date) == i64::from(anchor_date).min(length)
    } else if every == 1 && times <= 28 {
        (0..times).any(|k| (i64::from(anchor_date) - 1 + k * length / times) % length + 1 == i64::from(date))
    } else {
        return on_interval(every * 30 * MINUTES_PER_DAY, times, anchor.unwrap_or(Day(0)), day);
    };
    if due { vec![FIRST_DOSE_MINUTE] } else { Vec::new() }
}
