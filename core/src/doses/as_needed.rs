//! As-needed doses against their daily maximum. "At most 4 a day" is counted over the last 24
//! hours, not the calendar day: four at 23:00 and four more at 01:00 would be eight in two hours.

use uuid::Uuid;

use crate::model::{Binder, DoseMark, Frequency, LocalDateTime};

const MS_PER_DAY: i64 = 86_400_000;

/// What one more as-needed dose now would be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextDose {
    /// Within the limit (or there is none).
    Allowed,
    /// It would be the last one the limit allows in 24 hours: say so before it is taken.
    LastAllowed,
    /// It would exceed the limit: warn, and take it only when the patient confirms.
    OverMax,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsNeededCount {
    /// As-needed doses logged in the 24 hours up to now.
    pub taken: u32,
    /// The most per day the directions allow, if they say.
    pub max: Option<u32>,
    /// When the oldest of them leaves the 24 hours (one more is then within the limit again),
    /// when the limit is reached.
    pub next_allowed_at: Option<LocalDateTime>,
}

impl AsNeededCount {
    pub fn next(&self) -> NextDose {
        match self.max {
            Some(max) if self.taken >= max => NextDose::OverMax,
            Some(max) if self.taken + 1 == max => NextDose::LastAllowed,
            _ => NextDose::Allowed,
        }
    }
}

/// The as-needed doses of `medication` in the 24 hours up to `now`; `None` for a medication not
/// in the binder or not taken as needed.
pub fn as_needed_count(binder: &Binder, medication: Uuid, now: LocalDateTime) -> Option<AsNeededCount> {
    let Frequency::AsNeeded { max_per_day } = binder.medication(medication)?.data.frequency else { return None };
    let since = now.utc_ms - MS_PER_DAY;
    let mut taken: Vec<LocalDateTime> = binder
        .dose_log
        .of(medication)
        .into_iter()
        .flat_map(|l| l.between(since + 1, now.utc_ms + 1))
        .filter(|d| d.mark == DoseMark::AsNeeded)
        .map(|d| d.due)
        .collect();
    taken.sort();
    let count = taken.len() as u32;
    let next_allowed_at = max_per_day.filter(|&max| count >= max).and_then(|max| {
        // The dose whose leaving brings the count below the limit.
        let oldest = taken.get((count - max) as usize)?;
        Some(LocalDateTime { utc_ms: oldest.utc_ms + MS_PER_DAY, offset_minutes: now.offset_minutes })
    });
    Some(AsNeededCount { taken: count, max: max_per_day, next_allowed_at })
}
