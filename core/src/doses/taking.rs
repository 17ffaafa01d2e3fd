//! How the patient has been taking each medication, in one line for a share, from the dose log:
//! "Taken 26 of 28 scheduled doses in the last 14 days; 2 skipped". Shared only when the patient
//! ticks it (`ips::DocumentOptions::taking`): a log is theirs to show or not.

use uuid::Uuid;

use crate::forms::ZoneOffset;
use crate::ips::Texts;
use crate::model::{Binder, DoseMark, Frequency, LocalDateTime, PartialDate};
use crate::msg;

use super::adherence::adherence;

/// The days a share looks back over: two weeks, the usual "how has it been going" at a visit.
pub const SHARED_DAYS: i64 = 14;
const MS_PER_DAY: i64 = 86_400_000;

/// The line for every active medication that has one, in the binder's order, in `texts`'
/// language (the share's).
pub fn taking_lines(binder: &Binder, now: LocalDateTime, zone: ZoneOffset, texts: &Texts) -> Vec<(Uuid, String)> {
    binder
        .medications
        .iter()
        .filter(|m| m.data.status.is_active())
        .filter_map(|m| Some((m.id(), taking_line(binder, m.id(), now, zone, texts)?)))
        .collect()
}

/// The line for one medication; none when nothing was due in the time (or it is not in the binder).
/// One sentence per case, whole, so a language can order its parts as it needs.
pub fn taking_line(
    binder: &Binder,
    medication: Uuid,
    now: LocalDateTime,
    zone: ZoneOffset,
    texts: &Texts,
) -> Option<String> {
    let entry = binder.medication(medication)?;
    let added = entry.meta.created_at;
    let from = now.utc_ms - SHARED_DAYS * MS_PER_DAY;
    // Counting starts when the medication was added: say so, rather than imply two weeks of log.
    let span = if added.timestamp_millis() > from {
        texts.fill(msg!("since {date}, when it was added"), &[("date", &texts.date(PartialDate::from_utc(added)))])
    } else {
        texts.fill(msg!("in the last {days} days"), &[("days", &SHARED_DAYS.to_string())])
    };
    let span = span.as_str();
    if let Frequency::AsNeeded { .. } = entry.data.frequency {
        let taken = binder
            .dose_log
            .of(medication)
            .into_iter()
            .flat_map(|l| l.between(from, now.utc_ms + 1))
            .filter(|d| d.mark == DoseMark::AsNeeded)
            .count();
        return Some(match taken {
            0 => texts.fill(msg!("No as-needed doses logged {span}"), &[("span", span)]),
            1 => texts.fill(msg!("Taken once {span}, as needed"), &[("span", span)]),
            n => texts.fill(msg!("Taken {n} times {span}, as needed"), &[("n", &n.to_string()), ("span", span)]),
        });
    }
    let counts = adherence(binder, medication, SHARED_DAYS, now, zone)?;
    if counts.due == 0 {
        return None;
    }
    let (taken, due) = ((counts.taken + counts.late).to_string(), counts.due.to_string());
    let mut line = texts.fill(
        msg!("Taken {taken} of {due} scheduled doses {span}"),
        &[("taken", &taken), ("due", &due), ("span", span)],
    );
    // The counts that follow are each a phrase of their own, in a fixed order ("(1 late); 2
    // skipped; 1 not logged"): a list, which every language writes the same way.
    if counts.late > 0 {
        line.push_str(&texts.fill(msg!(" ({n} late)"), &[("n", &counts.late.to_string())]));
    }
    for (n, what) in [(counts.skipped, msg!("; {n} skipped")), (counts.missed, msg!("; {n} not logged"))] {
        if n > 0 {
            line.push_str(&texts.fill(what, &[("n", &n.to_string())]));
        }
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doses::Day;
    use crate::model::{Medication, PeriodUnit, Source};
    use chrono::{DateTime, Utc};

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    /// In Paris (UTC+1 in winter): `d` December 2026 at `h`:00.
    fn paris(d: u8, h: u8) -> LocalDateTime {
        LocalDateTime::from_local(2026, 12, d, h, 0, 60).unwrap()
    }

    fn medication(name: &str, frequency: Frequency) -> Medication {
        Medication { name: name.into(), frequency, ..Medication::default() }
    }

    #[test]
    fn two_weeks_of_a_twice_daily_medicine_in_one_line() {
        let mut binder = Binder::new("Ada", utc("2026-11-01T10:00:00Z"));
        let twice = Frequency::Scheduled { times: 2, every: 1, unit: PeriodUnit::Day };
        let id = binder.add(medication("Metformin", twice), Source::Patient, utc("2026-11-01T10:00:00Z")).unwrap();
        let now = paris(15, 21);
        // 14 days back from 21:00 on the 15th: the 20:00 dose of the 1st to the 20:00 dose of the 15th.
        let due: Vec<LocalDateTime> = (1..=15)
            .flat_map(|d| crate::doses::due_on(&binder.medications[0].data, Day::new(2026, 12, d).unwrap(), &|_| 60))
            .filter(|d| d.utc_ms > now.utc_ms - SHARED_DAYS * MS_PER_DAY && d.utc_ms <= now.utc_ms)
            .collect();
        assert_eq!(due.len(), 28);
        for (i, at) in due.iter().enumerate() {
            let taken_at = match i {
                3 | 9 => None,                                                          // skipped
                17 => Some(LocalDateTime { utc_ms: at.utc_ms + 3 * 3_600_000, ..*at }), // 3 hours late
                _ => Some(*at),
            };
            binder.log_dose(id, *at, taken_at, now).unwrap();
        }
        assert_eq!(
            taking_line(&binder, id, now, &|_| 60, &Texts::ENGLISH).unwrap(),
            "Taken 26 of 28 scheduled doses in the last 14 days (1 late); 2 skipped"
        );
        binder.unlog_dose(id, &due[27], now).unwrap();
        assert_eq!(
            taking_lines(&binder, now, &|_| 60, &Texts::ENGLISH),
            [(id, "Taken 25 of 28 scheduled doses in the last 14 days (1 late); 2 skipped; 1 not logged".to_owned())]
        );
    }

    #[test]
    fn a_recent_medicine_says_since_when_and_as_needed_ones_count_doses() {
        let mut binder = Binder::new("Ada", utc("2026-11-01T10:00:00Z"));
        let daily = Frequency::Scheduled { times: 1, every: 1, unit: PeriodUnit::Day };
        let new = binder.add(medication("Ramipril", daily), Source::Patient, utc("2026-12-12T07:00:00Z")).unwrap();
        let prn = Frequency::AsNeeded { max_per_day: Some(4) };
        let pain = binder.add(medication("Paracetamol", prn), Source::Patient, utc("2026-11-01T10:00:00Z")).unwrap();
        let now = paris(15, 21);
        assert_eq!(
            taking_line(&binder, new, now, &|_| 60, &Texts::ENGLISH).unwrap(),
            "Taken 0 of 4 scheduled doses since 12 December 2026, when it was added; 4 not logged"
        );
        assert_eq!(
            taking_line(&binder, pain, now, &|_| 60, &Texts::ENGLISH).unwrap(),
            "No as-needed doses logged in the last 14 days"
        );
        binder.log_as_needed(pain, paris(14, 9), false, now).unwrap();
        binder.log_as_needed(pain, paris(15, 9), false, now).unwrap();
        assert_eq!(
            taking_line(&binder, pain, now, &|_| 60, &Texts::ENGLISH).unwrap(),
            "Taken 2 times in the last 14 days, as needed"
        );
        // Nothing due yet: no line.
        let later = Frequency::Scheduled { times: 1, every: 1, unit: PeriodUnit::Day };
        let fresh = binder.add(medication("Vitamin D", later), Source::Patient, utc("2026-12-15T19:30:00Z")).unwrap();
        assert_eq!(taking_line(&binder, fresh, now, &|_| 60, &Texts::ENGLISH), None);
    }
}
