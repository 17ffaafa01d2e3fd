//! Wall-clock arithmetic for schedules: calendar days, minutes on the clock, and the instant a
//! clock time names in the patient's zone — including on the two days a year the clock jumps.
//!
//! Core knows no time-zone database. The app asks the browser (`Intl`, through `Date`) for the
//! offset in force at a wall-clock time (`forms::ZoneOffset`), and browsers answer as ECMAScript
//! says: a time the clock skipped is read with the offset from before the jump, and a time the
//! clock showed twice is its first occurrence. [`resolve`] turns those answers into instants.

use crate::forms::ZoneOffset;
use crate::model::{LocalDateTime, LocalParts, civil_from_days, days_from_civil, days_in_month};

pub const MINUTES_PER_DAY: i64 = 24 * 60;
const MS_PER_MINUTE: i64 = 60_000;
/// How far from a time to look for the offset "before" it: longer than any clock change there is.
const LOOK_BACK_MINUTES: i64 = 3 * 60;

/// A calendar day on the patient's wall clock, counted from 1970-01-01 (day 0, a Thursday).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    /// `None` for a date that does not exist.
    pub fn new(year: i64, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then(|| Self(days_from_civil(year, month, day)))
    }

    /// The day `at` falls on, on the wall clock where it was entered.
    pub fn of(at: &LocalDateTime) -> Self {
        let p = at.local();
        Self(days_from_civil(p.year, p.month, p.day))
    }

    /// (year, month, day).
    pub fn date(self) -> (i64, u8, u8) {
        civil_from_days(self.0)
    }

    /// 0 for Monday … 6 for Sunday.
    pub fn weekday(self) -> i64 {
        (self.0 + 3).rem_euclid(7)
    }

    /// Months since January 1970 (for "every 3 months").
    pub fn month_index(self) -> i64 {
        let (year, month, _) = self.date();
        (year - 1970) * 12 + i64::from(month) - 1
    }

    pub fn plus(self, days: i64) -> Self {
        Self(self.0 + days)
    }

    /// `minute` minutes after this day's midnight, on the wall clock (may run into the next day).
    pub fn at_minute(self, minute: i64) -> LocalParts {
        wall_parts(self.0 * MINUTES_PER_DAY + minute)
    }
}

/// Minutes on the wall clock since 1970-01-01 00:00, in no particular zone.
pub fn wall_minutes(p: LocalParts) -> i64 {
    days_from_civil(p.year, p.month, p.day) * MINUTES_PER_DAY + i64::from(p.hour) * 60 + i64::from(p.minute)
}

/// The wall-clock date and time `minutes` after 1970-01-01 00:00.
pub fn wall_parts(minutes: i64) -> LocalParts {
    let (year, month, day) = civil_from_days(minutes.div_euclid(MINUTES_PER_DAY));
    let minute_of_day = minutes.rem_euclid(MINUTES_PER_DAY);
    LocalParts { year, month, day, hour: (minute_of_day / 60) as u8, minute: (minute_of_day % 60) as u8 }
}

/// The instant the wall-clock time `local` names in the patient's zone, with the offset in force
/// then. A time the clock skipped when it moved forward (02:30 when 02:00 became 03:00) happens as
/// late as the jump (03:30): a dose due then is still due, an hour on. A time the clock showed
/// twice when it moved back is its first occurrence, so a dose is due once.
pub fn resolve(local: LocalParts, zone: ZoneOffset) -> LocalDateTime {
    let wall = wall_minutes(local);
    let offset = i64::from(zone(local));
    let before = i64::from(zone(wall_parts(wall - LOOK_BACK_MINUTES)));
    // Moved forward by `offset - before` lately: `local` is in the skipped hour exactly when the
    // time that much earlier still had the old offset (the browser read `local` with that one).
    let skipped = before < offset && i64::from(zone(wall_parts(wall - (offset - before)))) == before;
    let utc_minutes = wall - if skipped { before } else { offset };
    LocalDateTime { utc_ms: utc_minutes * MS_PER_MINUTE, offset_minutes: offset as i16 }
}

/// The first instant of `day` in the patient's zone (its midnight, or the end of a jump over it).
pub fn start_of(day: Day, zone: ZoneOffset) -> LocalDateTime {
    resolve(day.at_minute(0), zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i64, mo: u8, d: u8, h: u8, mi: u8) -> LocalParts {
        LocalParts { year: y, month: mo, day: d, hour: h, minute: mi }
    }

    #[test]
    fn days_count_weekdays_and_months() {
        let day = Day::new(2026, 11, 23).unwrap();
        assert_eq!(day.weekday(), 0, "23 November 2026 is a Monday");
        assert_eq!(day.plus(6).weekday(), 6);
        assert_eq!(day.plus(9).date(), (2026, 12, 2));
        assert_eq!(Day::new(2026, 2, 29), None);
        assert_eq!(Day::new(1970, 1, 1).unwrap().month_index(), 0);
        assert_eq!(day.month_index(), 56 * 12 + 10);
        assert_eq!(Day::of(&resolve(at(2026, 11, 23, 23, 30), &|_| 60)), day);
        assert_eq!(Day::of(&resolve(at(2026, 11, 23, 23, 30), &|_| -300)), day);
        assert_eq!(start_of(day, &|_| 60).fhir(), "2026-11-23T00:00:00+01:00");
    }
}
