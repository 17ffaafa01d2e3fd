//! The dose log: for each scheduled dose, whether it was taken (on time or late, and when) or
//! skipped; and each as-needed dose taken. Part of the binder (sealed, backed up).
//!
//! It is written to stay small, because the whole binder is sealed again at every save and three
//! generations share the browser's storage (README, "Storage size"): a dose is four numbers, and
//! doses are kept one by one only for the current month and the two before it (enough for the
//! 30-day adherence); older months are folded into counts per month.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use super::LocalDateTime;
use super::dates::MAX_OFFSET_MINUTES;

/// A dose taken more than this long after it was due counts as late.
pub const LATE_AFTER_MINUTES: i64 = 60;
/// Months kept dose by dose: the current one and the two before it.
pub const DETAILED_MONTHS: i64 = 3;

const MS_PER_MINUTE: i64 = 60_000;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DoseLog {
    /// One per medication with anything logged.
    pub medications: Vec<MedicationLog>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MedicationLog {
    pub medication: Uuid,
    /// The recent months' doses, in order of due time.
    pub doses: Vec<DoseRecord>,
    /// Older months, as counts, oldest first.
    pub months: Vec<MonthCounts>,
}

/// What the patient said about one dose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoseMark {
    /// Taken, this many minutes after it was due (negative: early).
    Taken {
        minutes_after: i32,
    },
    Skipped,
    /// An as-needed dose, taken at its `due` time.
    AsNeeded,
}

/// A dose as the log shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoseStatus {
    Taken,
    Late,
    Skipped,
    AsNeeded,
}

/// One logged dose. Stored as `[due, offset, kind, minutes after]`: the minute it was due (an
/// as-needed dose: taken) since 1970 in UTC, the patient's UTC offset then, 0 taken, 1 skipped,
/// 2 as needed, and for a taken dose how many minutes after it was due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DoseRecord {
    /// When it was due, to the minute, on the patient's clock.
    pub due: LocalDateTime,
    pub mark: DoseMark,
}

impl DoseRecord {
    pub fn status(&self) -> DoseStatus {
        match self.mark {
            DoseMark::Taken { minutes_after } if i64::from(minutes_after) > LATE_AFTER_MINUTES => DoseStatus::Late,
            DoseMark::Taken { .. } => DoseStatus::Taken,
            DoseMark::Skipped => DoseStatus::Skipped,
            DoseMark::AsNeeded => DoseStatus::AsNeeded,
        }
    }

    /// When it was taken (None when skipped).
    pub fn taken_at(&self) -> Option<LocalDateTime> {
        match self.mark {
            DoseMark::Taken { minutes_after } => Some(LocalDateTime {
                utc_ms: self.due.utc_ms + i64::from(minutes_after) * MS_PER_MINUTE,
                offset_minutes: self.due.offset_minutes,
            }),
            DoseMark::AsNeeded => Some(self.due),
            DoseMark::Skipped => None,
        }
    }

    fn due_minute(&self) -> i64 {
        self.due.utc_ms.div_euclid(MS_PER_MINUTE)
    }

    /// Months since January 1970 of its day on the patient's clock.
    fn month_index(&self) -> i64 {
        let p = self.due.local();
        month_index(p.year, p.month)
    }
}

impl Serialize for DoseRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (kind, after) = match self.mark {
            DoseMark::Taken { minutes_after } => (0u8, minutes_after),
            DoseMark::Skipped => (1, 0),
            DoseMark::AsNeeded => (2, 0),
        };
        (self.due_minute(), self.due.offset_minutes, kind, after).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DoseRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (minute, offset, kind, after) = <(i64, i16, u8, i32)>::deserialize(deserializer)?;
        let mark = match kind {
            0 => DoseMark::Taken { minutes_after: after },
            1 => DoseMark::Skipped,
            2 => DoseMark::AsNeeded,
            _ => return Err(D::Error::custom("a dose is taken (0), skipped (1) or as needed (2)")),
        };
        if offset.abs() > MAX_OFFSET_MINUTES {
            return Err(D::Error::custom("a UTC offset must be within 18 hours"));
        }
        Ok(Self { due: LocalDateTime { utc_ms: minute * MS_PER_MINUTE, offset_minutes: offset }, mark })
    }
}

/// A month folded into counts. Stored as `["2026-09", taken, late, skipped, as needed]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCounts(pub String, pub u32, pub u32, pub u32, pub u32);

impl MonthCounts {
    /// "2026-09".
    pub fn month(&self) -> &str {
        &self.0
    }
    pub fn taken(&self) -> u32 {
        self.1
    }
    pub fn late(&self) -> u32 {
        self.2
    }
    pub fn skipped(&self) -> u32 {
        self.3
    }
    pub fn as_needed(&self) -> u32 {
        self.4
    }

    fn count(&mut self, status: DoseStatus) {
        let field = match status {
            DoseStatus::Taken => &mut self.1,
            DoseStatus::Late => &mut self.2,
            DoseStatus::Skipped => &mut self.3,
            DoseStatus::AsNeeded => &mut self.4,
        };
        *field += 1;
    }
}

fn month_index(year: i64, month: u8) -> i64 {
    (year - 1970) * 12 + i64::from(month) - 1
}

fn month_text(index: i64) -> String {
    format!("{:04}-{:02}", 1970 + index.div_euclid(12), index.rem_euclid(12) + 1)
}

impl MedicationLog {
    /// The record of the dose due at `due` (to the minute), if any.
    pub fn find(&self, due: &LocalDateTime) -> Option<&DoseRecord> {
        let minute = due.utc_ms.div_euclid(MS_PER_MINUTE);
        self.doses.iter().find(|d| d.due_minute() == minute)
    }

    /// The doses due (as-needed: taken) from `from` until before `until` (UTC milliseconds).
    pub fn between(&self, from: i64, until: i64) -> impl Iterator<Item = &DoseRecord> {
        self.doses.iter().filter(move |d| d.due.utc_ms >= from && d.due.utc_ms < until)
    }
}

impl DoseLog {
    pub fn of(&self, medication: Uuid) -> Option<&MedicationLog> {
        self.medications.iter().find(|m| m.medication == medication)
    }

    fn of_mut(&mut self, medication: Uuid) -> &mut MedicationLog {
        let index = match self.medications.iter().position(|m| m.medication == medication) {
            Some(index) => index,
            None => {
                self.medications.push(MedicationLog { medication, doses: Vec::new(), months: Vec::new() });
                self.medications.len() - 1
            }
        };
        &mut self.medications[index]
    }

    /// Records what happened to the dose due at `due` (to the minute), replacing what was said
    /// about it before: the patient may correct a mark.
    pub fn record(&mut self, medication: Uuid, due: LocalDateTime, mark: DoseMark) {
        let due = LocalDateTime { utc_ms: due.utc_ms.div_euclid(MS_PER_MINUTE) * MS_PER_MINUTE, ..due };
        let log = self.of_mut(medication);
        let record = DoseRecord { due, mark };
        match log.doses.binary_search_by_key(&record.due_minute(), DoseRecord::due_minute) {
            Ok(at) => log.doses[at] = record,
            Err(at) => log.doses.insert(at, record),
        }
    }

    /// Forgets what was said about the dose due at `due`. Returns whether there was anything.
    pub fn unrecord(&mut self, medication: Uuid, due: &LocalDateTime) -> bool {
        let minute = due.utc_ms.div_euclid(MS_PER_MINUTE);
        let Some(log) = self.medications.iter_mut().find(|m| m.medication == medication) else { return false };
        let before = log.doses.len();
        log.doses.retain(|d| d.due_minute() != minute);
        let removed = log.doses.len() != before;
        self.drop_empty();
        removed
    }

    /// A deleted medication leaves nothing of its log behind.
    pub fn forget(&mut self, medication: Uuid) {
        self.medications.retain(|m| m.medication != medication);
    }

    fn drop_empty(&mut self) {
        self.medications.retain(|m| !m.doses.is_empty() || !m.months.is_empty());
    }

    /// Folds the doses of months before the last [`DETAILED_MONTHS`] (counted back from `today`,
    /// a date on the patient's clock) into counts per month.
    pub fn archive(&mut self, today: (i64, u8, u8)) {
        let first_kept = month_index(today.0, today.1) - (DETAILED_MONTHS - 1);
        for log in &mut self.medications {
            let mut kept = Vec::with_capacity(log.doses.len());
            for dose in log.doses.drain(..) {
                let month = dose.month_index();
                if month >= first_kept {
                    kept.push(dose);
                    continue;
                }
                let text = month_text(month);
                let at = match log.months.binary_search_by(|m| m.0.as_str().cmp(text.as_str())) {
                    Ok(at) => at,
                    Err(at) => {
                        log.months.insert(at, MonthCounts(text, 0, 0, 0, 0));
                        at
                    }
                };
                log.months[at].count(dose.status());
            }
            log.doses = kept;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i64, mo: u8, d: u8, h: u8, mi: u8) -> LocalDateTime {
        LocalDateTime::from_local(y, mo, d, h, mi, 60).unwrap()
    }

    #[test]
    fn a_dose_is_four_numbers_and_reads_back() {
        let mut log = DoseLog::default();
        let med = Uuid::from_u128(7);
        log.record(med, at(2026, 11, 23, 8, 0), DoseMark::Taken { minutes_after: 95 });
        log.record(med, at(2026, 11, 22, 20, 0), DoseMark::Skipped);
        let json = serde_json::to_string(&log).unwrap();
        assert_eq!(
            json,
            r#"{"medications":[{"medication":"00000000-0000-0000-0000-000000000007","doses":[[29922900,60,1,0],[29923620,60,0,95]],"months":[]}]}"#
        );
        let back: DoseLog = serde_json::from_str(&json).unwrap();
        assert_eq!(back, log);
        let dose = back.of(med).unwrap().find(&at(2026, 11, 23, 8, 0)).unwrap();
        assert_eq!(dose.status(), DoseStatus::Late);
        assert_eq!(dose.taken_at().unwrap().text(), "23 November 2026, 09:35");
        assert!(serde_json::from_str::<DoseRecord>("[1,60,9,0]").is_err());
        assert!(serde_json::from_str::<DoseRecord>("[1,5000,0,0]").is_err());
    }

    #[test]
    fn marking_again_corrects_and_unmarking_forgets() {
        let mut log = DoseLog::default();
        let med = Uuid::from_u128(1);
        let due = at(2026, 11, 23, 8, 0);
        log.record(med, due, DoseMark::Skipped);
        log.record(med, LocalDateTime { utc_ms: due.utc_ms + 30_000, ..due }, DoseMark::Taken { minutes_after: 5 });
        assert_eq!(log.of(med).unwrap().doses.len(), 1, "the same minute is the same dose");
        assert_eq!(log.of(med).unwrap().doses[0].status(), DoseStatus::Taken);
        assert!(log.unrecord(med, &due));
        assert!(!log.unrecord(med, &due));
        assert_eq!(log, DoseLog::default(), "nothing left of a medication with nothing logged");
    }

    #[test]
    fn old_months_fold_into_counts() {
        let mut log = DoseLog::default();
        let med = Uuid::from_u128(2);
        for day in 1..=30 {
            log.record(
                med,
                at(2026, 8, day, 8, 0),
                DoseMark::Taken { minutes_after: if day % 10 == 0 { 120 } else { 0 } },
            );
            log.record(
                med,
                at(2026, 9, day, 8, 0),
                if day % 5 == 0 { DoseMark::Skipped } else { DoseMark::Taken { minutes_after: 0 } },
            );
            log.record(med, at(2026, 11, day, 8, 0), DoseMark::Taken { minutes_after: 0 });
        }
        log.record(med, at(2026, 9, 3, 14, 0), DoseMark::AsNeeded);
        // In November the detail goes back to September.
        log.archive((2026, 11, 30));
        assert_eq!(log.of(med).unwrap().months, [MonthCounts("2026-08".into(), 27, 3, 0, 0)]);
        assert_eq!(log.of(med).unwrap().doses.len(), 61);
        // In December, September goes too; counts add up.
        log.archive((2026, 12, 1));
        let counts = &log.of(med).unwrap().months;
        assert_eq!(counts[1], MonthCounts("2026-09".into(), 24, 0, 6, 1));
        assert_eq!((counts[1].taken(), counts[1].skipped(), counts[1].as_needed()), (24, 6, 1));
        assert_eq!(log.of(med).unwrap().doses.len(), 30);
        // A dose from an archived month logged later goes straight to its month's counts.
        log.record(med, at(2026, 8, 31, 8, 0), DoseMark::Skipped);
        log.archive((2026, 12, 1));
        assert_eq!(log.of(med).unwrap().months[0], MonthCounts("2026-08".into(), 27, 3, 1, 0));
    }
}
