//! The doses of a day, or of a stretch of time, across the binder's medications, with what the
//! log says of each: the list the patient marks doses in, and what reminders remind of.

use uuid::Uuid;

use crate::forms::ZoneOffset;
use crate::model::{Binder, DoseRecord, LocalDateTime};

use super::clock::Day;
use super::schedule::due_on;

/// One scheduled dose.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlannedDose {
    pub medication: Uuid,
    pub due: LocalDateTime,
    /// What the patient said about it, if anything yet.
    pub record: Option<DoseRecord>,
}

/// Every dose due on `day`, in order of time (then of the medications' order in the binder).
pub fn day_plan(binder: &Binder, day: Day, zone: ZoneOffset) -> Vec<PlannedDose> {
    let mut plan = Vec::new();
    for entry in &binder.medications {
        let log = binder.dose_log.of(entry.id());
        for due in due_on(&entry.data, day, zone) {
            plan.push(PlannedDose { medication: entry.id(), due, record: log.and_then(|l| l.find(&due)).copied() });
        }
    }
    // Stable: medications due at the same time stay in the binder's order.
    plan.sort_by_key(|d| d.due.utc_ms);
    plan
}

/// Every dose due from `from` until before `until` (UTC milliseconds), read on the days of the
/// patient's clock around them.
pub fn due_between(binder: &Binder, from: LocalDateTime, until: i64, zone: ZoneOffset) -> Vec<PlannedDose> {
    let first = Day::of(&from).plus(-1);
    let last = Day::of(&LocalDateTime { utc_ms: until, ..from }).plus(1);
    (first.0..=last.0)
        .flat_map(|d| day_plan(binder, Day(d), zone))
        .filter(|d| d.due.utc_ms >= from.utc_ms && d.due.utc_ms < until)
        .collect()
}
