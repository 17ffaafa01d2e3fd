//! Adherence: of the doses due over the last 7 or 30 days, how many the patient took.
//!
//! Counted from the current schedule and the log: every dose due in the window (since the
//! medication was added to the binder, and not before its start date) is taken, late, skipped or
//! missed (nothing logged). A dose due within the last hour with nothing logged yet is not counted
//! (it may still be taken on time). Logged doses that the schedule no longer has (it changed) are
//! counted as logged. Percent = (taken + late) / due.

use uuid::Uuid;

use crate::forms::ZoneOffset;
use crate::model::{Binder, DoseStatus, LATE_AFTER_MINUTES, LocalDateTime};

use super::clock::Day;
use super::schedule::due_on;

const MS_PER_DAY: i64 = 86_400_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Adherence {
    /// Doses due in the window (taken + late + skipped + missed).
    pub due: u32,
    pub taken: u32,
    pub late: u32,
    pub skipped: u32,
    pub missed: u32,
}

impl Adherence {
    /// Doses taken (on time or late) out of those due, in whole percent; none when none was due.
    pub fn percent(&self) -> Option<u32> {
        (self.due > 0).then(|| ((self.taken + self.late) * 200 + self.due) / (2 * self.due))
    }

    fn count(&mut self, status: Option<DoseStatus>) {
        self.due += 1;
        match status {
            Some(DoseStatus::Taken) => self.taken += 1,
            Some(DoseStatus::Late) => self.late += 1,
            Some(DoseStatus::Skipped) => self.skipped += 1,
            Some(DoseStatus::AsNeeded) => self.due -= 1,
            None => self.missed += 1,
        }
    }
}

/// Adherence to medication `medication` over the `days` days up to `now`. `None` when the
/// medication is not in the binder.
pub fn adherence(
    binder: &Binder,
    medication: Uuid,
    days: i64,
    now: LocalDateTime,
    zone: ZoneOffset,
) -> Option<Adherence> {
    let entry = binder.medication(medication)?;
    let from = (now.utc_ms - days * MS_PER_DAY).max(entry.meta.created_at.timestamp_millis());
    let open_since = now.utc_ms - LATE_AFTER_MINUTES * 60_000;
    let log = binder.dose_log.of(medication);
    let mut counts = Adherence::default();
    let mut scheduled = Vec::new();
    let first = Day::of(&LocalDateTime { utc_ms: from, ..now }).plus(-1);
    for day in first.0..=Day::of(&now).0 {
        for due in due_on(&entry.data, Day(day), zone) {
            if due.utc_ms < from || due.utc_ms > now.utc_ms {
                continue;
            }
            scheduled.push(due.utc_ms);
            match log.and_then(|l| l.find(&due)) {
                Some(record) => counts.count(Some(record.status())),
                None if due.utc_ms > open_since => {}
                None => counts.count(None),
            }
        }
    }
    for record in log.into_iter().flat_map(|l| l.between(from, now.utc_ms + 1)) {
        if !scheduled.contains(&record.due.utc_ms) {
            counts.count(Some(record.status()));
        }
    }
    Some(counts)
}
