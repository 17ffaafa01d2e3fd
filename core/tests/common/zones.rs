//! Two real time zones' rules, answering as a browser's `Date` does for a wall-clock time
//! (ECMAScript): a time the clock skipped is read with the offset from before the jump (and so
//! lands in summer time), a time shown twice is its first occurrence (summer time).

use health_binder_core::doses::Day;
use health_binder_core::doses::clock::{MINUTES_PER_DAY, wall_minutes};
use health_binder_core::model::{LocalParts, days_in_month};

/// UTC minutes since 1970 of the `n`th `weekday` (0 = Monday; `n` 0: the last) of `month`, at
/// `hour`:00 UTC.
fn nth_weekday_utc(year: i64, month: u8, weekday: i64, n: i64, hour: i64) -> i64 {
    let first = Day::new(year, month, 1).unwrap();
    let day = if n == 0 {
        let last = Day::new(year, month, days_in_month(year, month)).unwrap();
        last.plus(-((last.weekday() - weekday).rem_euclid(7)))
    } else {
        first.plus((weekday - first.weekday()).rem_euclid(7) + 7 * (n - 1))
    };
    day.0 * MINUTES_PER_DAY + hour * 60
}

/// A zone on `standard` minutes east of UTC, an hour more between the two change instants (UTC).
fn answer(local: LocalParts, standard: i64, (forward, back): (i64, i64)) -> i16 {
    let wall = wall_minutes(local);
    let (as_standard, as_summer) = (wall - standard, wall - (standard + 60));
    let offset = if as_standard < forward || as_summer >= back { standard } else { standard + 60 };
    offset as i16
}

/// Europe/Paris: +01:00; +02:00 from the last Sunday of March to the last of October, 01:00 UTC.
pub fn paris(local: LocalParts) -> i16 {
    let changes = (nth_weekday_utc(local.year, 3, 6, 0, 1), nth_weekday_utc(local.year, 10, 6, 0, 1));
    answer(local, 60, changes)
}

/// America/New_York: −05:00; −04:00 from the second Sunday of March (07:00 UTC) to the first
/// Sunday of November (06:00 UTC).
pub fn new_york(local: LocalParts) -> i16 {
    let changes = (nth_weekday_utc(local.year, 3, 6, 2, 7), nth_weekday_utc(local.year, 11, 6, 1, 6));
    answer(local, -300, changes)
}

pub fn at(year: i64, month: u8, day: u8, hour: u8, minute: u8) -> LocalParts {
    LocalParts { year, month, day, hour, minute }
}
