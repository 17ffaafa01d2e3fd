//! Dose schedules on the patient's calendar (time zones, clock changes, weekly and monthly doses),
//! the dose log, adherence arithmetic, and as-needed doses against their daily maximum.

mod common;

use chrono::{DateTime, Utc};
use common::zones::{at, new_york, paris};
use health_binder_core::Binder;
use health_binder_core::doses::{
    Day, NextDose, Snooze, adherence, as_needed_count, day_plan, due_between, due_on, reminders_now, resolve,
};
use health_binder_core::model::{
    BinderError, DoseMark, DoseRecord, DoseStatus, Frequency, LocalDateTime, LocalParts, Medication, PartialDate,
    PeriodUnit, QuietHours, ReminderSettings, TimeOfDay,
};
use health_binder_core::schema;
use uuid::Uuid;

fn med(frequency: Frequency) -> Medication {
    Medication { name: "Test".into(), frequency, ..Medication::default() }
}

fn at_times(times: &[&str]) -> Frequency {
    Frequency::AtTimes { times: times.iter().map(|t| TimeOfDay::parse(t).unwrap()).collect() }
}

fn every(times: u32, every: u32, unit: PeriodUnit) -> Frequency {
    Frequency::Scheduled { times, every, unit }
}

fn day(y: i64, m: u8, d: u8) -> Day {
    Day::new(y, m, d).unwrap()
}

/// The due times of `med` on a day, as FHIR writes them (with the offset in force).
fn due(med: &Medication, on: Day, zone: &dyn Fn(LocalParts) -> i16) -> Vec<String> {
    due_on(med, on, zone).iter().map(|d| d.fhir()).collect()
}

/// Just the clock times.
fn clock(med: &Medication, on: Day) -> Vec<String> {
    due_on(med, on, &paris).iter().map(|d| d.time_of_day().to_string()).collect()
}

#[test]
fn the_test_zones_answer_as_browsers_do() {
    // Paris 2026: forward on 29 March at 02:00 (to 03:00), back on 25 October at 03:00 (to 02:00).
    assert_eq!(paris(at(2026, 3, 29, 1, 59)), 60);
    assert_eq!(paris(at(2026, 3, 29, 2, 30)), 120, "skipped: read as +01:00, which is past the change");
    assert_eq!(paris(at(2026, 3, 29, 3, 0)), 120);
    assert_eq!(paris(at(2026, 10, 25, 2, 30)), 120, "shown twice: the first, summer time");
    assert_eq!(paris(at(2026, 10, 25, 3, 0)), 60);
    assert_eq!(paris(at(2026, 12, 1, 12, 0)), 60);
    // New York 2026: forward on 8 March, back on 1 November.
    assert_eq!(new_york(at(2026, 3, 8, 1, 59)), -300);
    assert_eq!(new_york(at(2026, 3, 8, 2, 30)), -240);
    assert_eq!(new_york(at(2026, 11, 1, 1, 30)), -240);
    assert_eq!(new_york(at(2026, 11, 1, 2, 0)), -300);
}

#[test]
fn a_skipped_time_moves_on_by_the_jump_and_a_repeated_time_happens_once() {
    let fhir = |p| resolve(p, &paris).fhir();
    assert_eq!(fhir(at(2026, 3, 29, 1, 30)), "2026-03-29T01:30:00+01:00");
    assert_eq!(fhir(at(2026, 3, 29, 2, 0)), "2026-03-29T03:00:00+02:00");
    assert_eq!(fhir(at(2026, 3, 29, 2, 30)), "2026-03-29T03:30:00+02:00");
    assert_eq!(fhir(at(2026, 3, 29, 3, 0)), "2026-03-29T03:00:00+02:00");
    assert_eq!(fhir(at(2026, 3, 29, 3, 30)), "2026-03-29T03:30:00+02:00");
    assert_eq!(fhir(at(2026, 10, 25, 2, 30)), "2026-10-25T02:30:00+02:00");
    assert_eq!(fhir(at(2026, 10, 25, 3, 30)), "2026-10-25T03:30:00+01:00");
    let fhir = |p| resolve(p, &new_york).fhir();
    assert_eq!(fhir(at(2026, 3, 8, 2, 15)), "2026-03-08T03:15:00-04:00");
    assert_eq!(fhir(at(2026, 11, 1, 1, 15)), "2026-11-01T01:15:00-04:00");
    // A fixed offset has no jumps.
    assert_eq!(resolve(at(2026, 3, 29, 2, 30), &|_| 330).fhir(), "2026-03-29T02:30:00+05:30");
}

#[test]
fn clock_times_keep_the_clock_across_daylight_saving_changes() {
    let night = med(at_times(&["01:30", "02:30", "08:00", "22:00"]));
    // Paris, the day before, the spring day and the autumn day.
    assert_eq!(
        due(&night, day(2026, 3, 28), &paris),
        [
            "2026-03-28T01:30:00+01:00",
            "2026-03-28T02:30:00+01:00",
            "2026-03-28T08:00:00+01:00",
            "2026-03-28T22:00:00+01:00"
        ]
    );
    assert_eq!(
        due(&night, day(2026, 3, 29), &paris),
        [
            "2026-03-29T01:30:00+01:00",
            "2026-03-29T03:30:00+02:00",
            "2026-03-29T08:00:00+02:00",
            "2026-03-29T22:00:00+02:00"
        ],
        "02:30 does not exist that night: the dose is due when the clock has moved on"
    );
    assert_eq!(
        due(&night, day(2026, 10, 25), &paris),
        [
            "2026-10-25T01:30:00+02:00",
            "2026-10-25T02:30:00+02:00",
            "2026-10-25T08:00:00+01:00",
            "2026-10-25T22:00:00+01:00"
        ],
        "02:30 happens twice that night: one dose, the first time"
    );
    // New York's changes, on other days and at other hours.
    let ny = med(at_times(&["01:30", "02:30", "08:00"]));
    assert_eq!(
        due(&ny, day(2026, 3, 8), &new_york),
        ["2026-03-08T01:30:00-05:00", "2026-03-08T03:30:00-04:00", "2026-03-08T08:00:00-04:00"]
    );
    assert_eq!(
        due(&ny, day(2026, 11, 1), &new_york),
        ["2026-11-01T01:30:00-04:00", "2026-11-01T02:30:00-05:00", "2026-11-01T08:00:00-05:00"]
    );
    // On the spring day Paris's 08:00 is 06:00 UTC, the day before 07:00 UTC: the clock is kept.
    let eight = med(at_times(&["08:00"]));
    let before = due_on(&eight, day(2026, 3, 28), &paris)[0];
    let after = due_on(&eight, day(2026, 3, 29), &paris)[0];
    assert_eq!((after.utc_ms - before.utc_ms) / 3_600_000, 23);
}

#[test]
fn every_hour_on_the_spring_day_is_23_doses_and_two_skipped_times_are_one_dose() {
    let hourly = med(every(1, 1, PeriodUnit::Hour));
    assert_eq!(due_on(&hourly, day(2026, 3, 28), &paris).len(), 24);
    let spring = due_on(&hourly, day(2026, 3, 29), &paris);
    assert_eq!(spring.len(), 23, "the 02:00 dose and the 03:00 dose are the same instant");
    assert!(spring.windows(2).all(|w| w[1].utc_ms - w[0].utc_ms == 3_600_000));
    assert_eq!(due_on(&hourly, day(2026, 10, 25), &paris).len(), 24);
    let two = med(at_times(&["02:00", "03:00"]));
    assert_eq!(due(&two, day(2026, 3, 29), &paris), ["2026-03-29T03:00:00+02:00"]);
}

#[test]
fn times_a_day_fall_in_waking_hours() {
    let today = day(2026, 11, 23);
    assert_eq!(clock(&med(every(1, 1, PeriodUnit::Day)), today), ["08:00"]);
    assert_eq!(clock(&med(every(2, 1, PeriodUnit::Day)), today), ["08:00", "20:00"]);
    assert_eq!(clock(&med(every(3, 1, PeriodUnit::Day)), today), ["08:00", "14:00", "20:00"]);
    assert_eq!(clock(&med(every(4, 1, PeriodUnit::Day)), today), ["08:00", "12:00", "16:00", "20:00"]);
    assert_eq!(
        clock(&med(every(6, 1, PeriodUnit::Day)), today),
        ["00:00", "04:00", "08:00", "12:00", "16:00", "20:00"]
    );
    assert_eq!(clock(&med(every(1, 8, PeriodUnit::Hour)), today), ["00:00", "08:00", "16:00"]);
    assert_eq!(clock(&med(every(1, 12, PeriodUnit::Hour)), today), ["08:00", "20:00"]);
    assert_eq!(clock(&med(every(1000, 1, PeriodUnit::Day)), today).len(), 96, "at most every 15 minutes");
    assert!(clock(&med(Frequency::AsNeeded { max_per_day: Some(3) }), today).is_empty());
}

#[test]
fn every_few_hours_or_days_count_from_the_start_date() {
    let started = |text| PartialDate::parse(text).ok();
    // Every 5 hours from 08:00 on the start date: 08, 13, 18, 23, then 04, 09, 14, 19, 00 …
    let five = Medication { started: started("2026-11-23"), ..med(every(1, 5, PeriodUnit::Hour)) };
    assert_eq!(clock(&five, day(2026, 11, 23)), ["08:00", "13:00", "18:00", "23:00"]);
    assert_eq!(clock(&five, day(2026, 11, 24)), ["04:00", "09:00", "14:00", "19:00"]);
    assert_eq!(clock(&five, day(2026, 11, 25)), ["00:00", "05:00", "10:00", "15:00", "20:00"]);
    assert!(clock(&five, day(2026, 11, 22)).is_empty(), "nothing before the start date");
    // Every other day from the start date.
    let alternate = Medication { started: started("2026-11-23"), ..med(every(1, 2, PeriodUnit::Day)) };
    let days: Vec<bool> = (23..=28).map(|d| !clock(&alternate, day(2026, 11, d)).is_empty()).collect();
    assert_eq!(days, [true, false, true, false, true, false]);
    // A start date known to the month starts on its first day.
    let monthly_start = Medication { started: started("2026-12"), ..med(every(1, 1, PeriodUnit::Day)) };
    assert!(clock(&monthly_start, day(2026, 11, 30)).is_empty());
    assert_eq!(clock(&monthly_start, day(2026, 12, 1)), ["08:00"]);
}

#[test]
fn weekly_doses_fall_on_the_start_dates_weekday_or_spread_over_the_week() {
    let weekdays = |m: &Medication| -> Vec<i64> {
        (0..14)
            .map(|i| day(2026, 11, 23).plus(i))
            .filter(|d| !clock(m, *d).is_empty())
            .map(|d| d.0 - day(2026, 11, 23).0)
            .collect()
    };
    // No start date: Mondays (23 November 2026 is a Monday).
    assert_eq!(weekdays(&med(every(1, 1, PeriodUnit::Week))), [0, 7]);
    // Started on a Wednesday: Wednesdays.
    let wednesday = Medication { started: PartialDate::parse("2026-10-07").ok(), ..med(every(1, 1, PeriodUnit::Week)) };
    assert_eq!(weekdays(&wednesday), [2, 9]);
    assert_eq!(clock(&wednesday, day(2026, 11, 25)), ["08:00"]);
    // Three times a week: Monday, Wednesday, Friday. Every two weeks: every other Monday.
    assert_eq!(weekdays(&med(every(3, 1, PeriodUnit::Week))), [0, 2, 4, 7, 9, 11]);
    assert_eq!(weekdays(&med(every(1, 2, PeriodUnit::Week))).len(), 1);
    // Ten times a week is more than daily: every 16.8 hours.
    assert_eq!(
        (0..7).map(|i| clock(&med(every(10, 1, PeriodUnit::Week)), day(2026, 11, 23).plus(i)).len()).sum::<usize>(),
        10
    );
}

#[test]
fn monthly_doses_keep_their_day_or_the_months_last() {
    let m = Medication { started: PartialDate::parse("2026-01-31").ok(), ..med(every(1, 1, PeriodUnit::Month)) };
    let due_days = |year, month| -> Vec<u8> {
        (1..=health_binder_core::model::days_in_month(year, month))
            .filter(|d| !clock(&m, day(year, month, *d)).is_empty())
            .collect()
    };
    assert_eq!(due_days(2026, 1), [31]);
    assert_eq!(due_days(2026, 2), [28]);
    assert_eq!(due_days(2026, 4), [30]);
    let quarterly =
        Medication { started: PartialDate::parse("2026-01-15").ok(), ..med(every(1, 3, PeriodUnit::Month)) };
    let months: Vec<u8> = (1..=12).filter(|mo| !clock(&quarterly, day(2026, *mo, 15)).is_empty()).collect();
    assert_eq!(months, [1, 4, 7, 10]);
    let twice = med(every(2, 1, PeriodUnit::Month));
    let days: Vec<u8> = (1..=30).filter(|d| !clock(&twice, day(2026, 11, *d)).is_empty()).collect();
    assert_eq!(days, [1, 16]);
}

#[test]
fn stopped_medications_have_no_doses() {
    let mut stopped = med(every(2, 1, PeriodUnit::Day));
    stopped.status = health_binder_core::model::MedicationStatus::Stopped { reason: String::new() };
    assert!(due_on(&stopped, day(2026, 11, 23), &paris).is_empty());
}

// ---------------------------------------------------------------- the log and the day's list

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// A local time in Paris as the app gives it (the offset the browser says).
fn paris_time(y: i64, mo: u8, d: u8, h: u8, mi: u8) -> LocalDateTime {
    resolve(at(y, mo, d, h, mi), &paris)
}

/// A binder made on 1 October 2026 with a twice-daily medication (08:00 and 20:00) and an
/// as-needed one (at most 3 a day).
fn binder() -> (Binder, Uuid, Uuid) {
    let made = utc("2026-10-01T00:00:00Z");
    let mut binder = Binder::new("Ada", made);
    let twice = binder.add_medication(med(at_times(&["08:00", "20:00"])), made).unwrap();
    let prn = binder.add_medication(med(Frequency::AsNeeded { max_per_day: Some(3) }), made).unwrap();
    (binder, twice, prn)
}

#[test]
fn the_days_list_shows_what_was_logged_and_survives_a_save() {
    let (mut binder, twice, _) = binder();
    let now = paris_time(2026, 11, 23, 9, 30);
    let morning = paris_time(2026, 11, 23, 8, 0);
    binder.log_dose(twice, morning, Some(paris_time(2026, 11, 23, 9, 25)), now).unwrap();
    let evening_before = paris_time(2026, 11, 22, 20, 0);
    binder.log_dose(twice, evening_before, None, now).unwrap();
    let plan = day_plan(&binder, day(2026, 11, 23), &paris);
    assert_eq!(plan.len(), 2, "the as-needed medication is never due");
    assert_eq!(plan[0].record.unwrap().status(), DoseStatus::Late, "taken 85 minutes after it was due");
    assert_eq!(plan[0].record.unwrap().taken_at().unwrap().text(), "23 November 2026, 09:25");
    assert_eq!(plan[1].record, None);
    // Through a save and a load, as the vault keeps it.
    let loaded = schema::load(&schema::to_json(&binder)).unwrap();
    assert_eq!(loaded, binder);
    let yesterday = day_plan(&loaded, day(2026, 11, 22), &paris);
    assert_eq!(yesterday[1].record.unwrap().status(), DoseStatus::Skipped);
    // Within an hour it is on time; marking again corrects the mark.
    binder.log_dose(twice, morning, Some(paris_time(2026, 11, 23, 8, 40)), now).unwrap();
    assert_eq!(day_plan(&binder, day(2026, 11, 23), &paris)[0].record.unwrap().status(), DoseStatus::Taken);
    binder.unlog_dose(twice, &morning, now).unwrap();
    assert_eq!(day_plan(&binder, day(2026, 11, 23), &paris)[0].record, None);
    assert_eq!(binder.unlog_dose(twice, &morning, now), Err(BinderError::NotFound));
    // Reminders look ahead across midnight.
    let ahead = due_between(&binder, paris_time(2026, 11, 23, 19, 0), paris_time(2026, 11, 24, 9, 0).utc_ms, &paris);
    let times: Vec<String> = ahead.iter().map(|d| d.due.text()).collect();
    assert_eq!(times, ["23 November 2026, 20:00", "24 November 2026, 08:00"]);
}

#[test]
fn a_deleted_medication_takes_its_log_with_it() {
    let (mut binder, twice, _) = binder();
    let now = paris_time(2026, 11, 23, 9, 0);
    binder.log_dose(twice, paris_time(2026, 11, 23, 8, 0), Some(now), now).unwrap();
    binder.delete_medication(twice, now.utc().unwrap()).unwrap();
    assert!(binder.dose_log.medications.is_empty());
    assert_eq!(binder.log_dose(twice, now, None, now), Err(BinderError::NotFound));
}

#[test]
fn logging_folds_old_months_into_counts() {
    let (mut binder, twice, _) = binder();
    for d in 1..=31 {
        let now = paris_time(2026, 10, d, 21, 0);
        binder.log_dose(twice, paris_time(2026, 10, d, 8, 0), Some(paris_time(2026, 10, d, 8, 5)), now).unwrap();
        binder.log_dose(twice, paris_time(2026, 10, d, 20, 0), None, now).unwrap();
    }
    assert_eq!(binder.dose_log.of(twice).unwrap().doses.len(), 62);
    // The first dose logged in January 2027 folds October, which is no longer among the last three months.
    let january = paris_time(2027, 1, 2, 8, 0);
    binder.log_dose(twice, january, Some(january), january).unwrap();
    let log = binder.dose_log.of(twice).unwrap();
    assert_eq!(log.doses.len(), 1);
    assert_eq!((log.months[0].month(), log.months[0].taken(), log.months[0].skipped()), ("2026-10", 31, 31));
}

// ---------------------------------------------------------------- adherence

#[test]
fn adherence_counts_the_last_7_and_30_days() {
    let (mut binder, twice, prn) = binder();
    // 23 November 2026, 21:30 in Paris, and 31 days of doses before it.
    let now = paris_time(2026, 11, 23, 21, 30);
    for d in 0..=30 {
        let date = day(2026, 11, 23).plus(-d).date();
        let morning = paris_time(date.0, date.1, date.2, 8, 0);
        let evening = paris_time(date.0, date.1, date.2, 20, 0);
        // Mornings: taken on time, but two hours late every 5th day. Evenings: skipped every
        // 3rd day, nothing logged every 10th (missed), taken otherwise.
        let late = d % 5 == 0;
        let taken_at = LocalDateTime { utc_ms: morning.utc_ms + if late { 7_200_000 } else { 300_000 }, ..morning };
        binder.log_dose(twice, morning, Some(taken_at), now).unwrap();
        if d % 10 == 0 {
            continue;
        }
        binder.log_dose(twice, evening, if d % 3 == 0 { None } else { Some(evening) }, now).unwrap();
    }
    let week = adherence(&binder, twice, 7, now, &paris).unwrap();
    // Days 0–6: 14 doses. Late mornings on days 0 and 5; evening of day 0 missed; evenings 3 and 6 skipped.
    assert_eq!((week.due, week.taken, week.late, week.skipped, week.missed), (14, 9, 2, 2, 1));
    assert_eq!(week.percent(), Some(79), "11 of 14");
    let month = adherence(&binder, twice, 30, now, &paris).unwrap();
    // 30 × 24 hours back from 23 November 21:30 is 24 October 22:30 on the wall clock (the clock
    // went back on the 25th): the doses of 25 October to 23 November, 60, and none of the 24th.
    assert_eq!(month.due, 60, "the doses of 24 October are before the window");
    assert_eq!((month.late, month.missed), (6, 3));
    assert_eq!(month.skipped, (0..30).filter(|d| d % 3 == 0 && d % 10 != 0).count() as u32);
    assert_eq!(month.taken + month.late + month.skipped + month.missed, month.due);
    assert_eq!(adherence(&binder, prn, 7, now, &paris).unwrap().due, 0, "as-needed doses are not due");
    assert_eq!(adherence(&binder, prn, 7, now, &paris).unwrap().percent(), None);
    assert_eq!(adherence(&binder, Uuid::from_u128(9), 7, now, &paris), None);
}

#[test]
fn adherence_waits_an_hour_and_starts_when_the_medication_was_added() {
    let added = paris_time(2026, 11, 20, 12, 0);
    let mut binder = Binder::new("Ada", added.utc().unwrap());
    let id = binder.add_medication(med(at_times(&["08:00", "20:00"])), added.utc().unwrap()).unwrap();
    // At 20:30 on the 23rd: due since the 20th noon are 20 (evening), 21, 22 (two each), 23 (morning) = 6;
    // the 20:00 dose, 30 minutes ago, may still be taken on time.
    let now = paris_time(2026, 11, 23, 20, 30);
    let counts = adherence(&binder, id, 7, now, &paris).unwrap();
    assert_eq!((counts.due, counts.missed), (6, 6));
    let later = paris_time(2026, 11, 23, 21, 5);
    assert_eq!(adherence(&binder, id, 7, later, &paris).unwrap().due, 7);
    // A dose logged at a time the schedule no longer has (it changed) still counts.
    binder.log_dose(id, paris_time(2026, 11, 22, 12, 0), Some(paris_time(2026, 11, 22, 12, 0)), later).unwrap();
    let counts = adherence(&binder, id, 7, later, &paris).unwrap();
    assert_eq!((counts.due, counts.taken), (8, 1));
}

#[test]
fn adherence_over_a_spring_forward_day_counts_each_dose_once() {
    let made = paris_time(2026, 3, 1, 0, 0);
    let mut binder = Binder::new("Ada", made.utc().unwrap());
    let id = binder.add_medication(med(at_times(&["02:30", "08:00"])), made.utc().unwrap()).unwrap();
    let now = paris_time(2026, 3, 31, 12, 0);
    for d in 25..=31 {
        for due in due_on(&binder.medication(id).unwrap().data.clone(), day(2026, 3, d), &paris) {
            binder.log_dose(id, due, Some(due), now).unwrap();
        }
    }
    let week = adherence(&binder, id, 7, now, &paris).unwrap();
    // 7 × 24 h back from 31 March 12:00 is 24 March 11:00 (the clock moved on the 29th): the doses
    // of the 25th to the 31st, 14, all taken.
    assert_eq!((week.due, week.taken, week.percent()), (14, 14, Some(100)));
}

// ---------------------------------------------------------------- as needed

#[test]
fn as_needed_doses_warn_before_the_daily_maximum_is_exceeded() {
    let (mut binder, twice, prn) = binder();
    let t = |h, m| paris_time(2026, 11, 23, h, m);
    let count = |b: &Binder, now| as_needed_count(b, prn, now).unwrap();
    assert_eq!(count(&binder, t(8, 0)).next(), NextDose::Allowed);
    binder.log_as_needed(prn, t(8, 0), false, t(8, 0)).unwrap();
    binder.log_as_needed(prn, t(12, 0), false, t(12, 0)).unwrap();
    let two = count(&binder, t(13, 0));
    assert_eq!((two.taken, two.max, two.next()), (2, Some(3), NextDose::LastAllowed), "the third is the last allowed");
    binder.log_as_needed(prn, t(16, 0), false, t(16, 0)).unwrap();
    let three = count(&binder, t(17, 0));
    assert_eq!(three.next(), NextDose::OverMax);
    assert_eq!(three.next_allowed_at.unwrap().text(), "24 November 2026, 08:00");
    // A fourth is refused with the reason, and logged only once confirmed.
    let Err(BinderError::Invalid(problems)) = binder.log_as_needed(prn, t(17, 0), false, t(17, 0)) else { panic!() };
    assert!(problems[0].message.contains("more than your directions allow"), "{}", problems[0].message);
    assert_eq!(count(&binder, t(17, 0)).taken, 3, "nothing logged");
    binder.log_as_needed(prn, t(17, 0), true, t(17, 0)).unwrap();
    assert_eq!(count(&binder, t(17, 1)).taken, 4);
    // Counted over 24 hours, not the calendar day: at 00:30 the four are still counted; at 08:01
    // the first has left the window.
    assert_eq!(count(&binder, paris_time(2026, 11, 24, 0, 30)).taken, 4);
    assert_eq!(count(&binder, paris_time(2026, 11, 24, 8, 1)).taken, 3);
    assert_eq!(count(&binder, paris_time(2026, 11, 24, 17, 1)).next(), NextDose::Allowed);
    // Scheduled medications have no as-needed count, and as-needed ones no scheduled dose.
    assert_eq!(as_needed_count(&binder, twice, t(9, 0)), None);
    assert!(matches!(binder.log_dose(prn, t(9, 0), None, t(9, 0)), Err(BinderError::Invalid(_))));
    // No limit: always allowed.
    let free = binder.add_medication(med(Frequency::AsNeeded { max_per_day: None }), t(9, 0).utc().unwrap()).unwrap();
    for h in 9..15 {
        binder.log_as_needed(free, t(h, 0), false, t(h, 0)).unwrap();
    }
    assert_eq!(as_needed_count(&binder, free, t(15, 0)).unwrap().next(), NextDose::Allowed);
}

// ---------------------------------------------------------------- tables

#[test]
fn schedules_table() {
    let started = |text| PartialDate::parse(text).ok();
    // (frequency, start date, day, zone, the doses due that day in the patient's zone)
    type Zone = fn(LocalParts) -> i16;
    type Row = (Frequency, Option<PartialDate>, Day, Zone, &'static [&'static str]);
    let rows: [Row; 9] = [
        (
            every(2, 1, PeriodUnit::Day),
            None,
            day(2026, 7, 1),
            paris,
            &["2026-07-01T08:00:00+02:00", "2026-07-01T20:00:00+02:00"],
        ),
        (
            every(2, 1, PeriodUnit::Day),
            None,
            day(2026, 1, 1),
            paris,
            &["2026-01-01T08:00:00+01:00", "2026-01-01T20:00:00+01:00"],
        ),
        (every(1, 1, PeriodUnit::Day), None, day(2026, 3, 8), new_york, &["2026-03-08T08:00:00-04:00"]),
        (at_times(&["02:15"]), None, day(2026, 3, 8), new_york, &["2026-03-08T03:15:00-04:00"]),
        (at_times(&["01:45"]), None, day(2026, 11, 1), new_york, &["2026-11-01T01:45:00-04:00"]),
        // Weekly from a Friday start date: Fridays only.
        (
            every(1, 1, PeriodUnit::Week),
            started("2026-11-20"),
            day(2026, 11, 27),
            paris,
            &["2026-11-27T08:00:00+01:00"],
        ),
        (every(1, 1, PeriodUnit::Week), started("2026-11-20"), day(2026, 11, 26), paris, &[]),
        // As needed: never due. Before the start date: nothing.
        (Frequency::AsNeeded { max_per_day: Some(4) }, None, day(2026, 11, 27), paris, &[]),
        (every(1, 1, PeriodUnit::Day), started("2026-12-01"), day(2026, 11, 30), paris, &[]),
    ];
    for (i, (frequency, start, on, zone, expected)) in rows.into_iter().enumerate() {
        let m = Medication { started: start, ..med(frequency) };
        assert_eq!(due(&m, on, &zone), expected, "row {i}");
    }
}

#[test]
fn dose_status_table() {
    let due = paris_time(2026, 11, 23, 8, 0);
    // (mark, status, taken at)
    let rows = [
        (DoseMark::Taken { minutes_after: -20 }, DoseStatus::Taken, Some("23 November 2026, 07:40")),
        (DoseMark::Taken { minutes_after: 0 }, DoseStatus::Taken, Some("23 November 2026, 08:00")),
        (DoseMark::Taken { minutes_after: 60 }, DoseStatus::Taken, Some("23 November 2026, 09:00")),
        (DoseMark::Taken { minutes_after: 61 }, DoseStatus::Late, Some("23 November 2026, 09:01")),
        (DoseMark::Skipped, DoseStatus::Skipped, None),
        (DoseMark::AsNeeded, DoseStatus::AsNeeded, Some("23 November 2026, 08:00")),
    ];
    for (mark, status, taken_at) in rows {
        let record = DoseRecord { due, mark };
        assert_eq!(record.status(), status, "{mark:?}");
        assert_eq!(record.taken_at().map(|t| t.text()).as_deref(), taken_at, "{mark:?}");
    }
}

#[test]
fn reminders_table() {
    let (mut binder, twice, _) = binder();
    let t = |h, m| paris_time(2026, 11, 23, h, m);
    let hm = |s| TimeOfDay::parse(s).unwrap();
    let night = Some(QuietHours { from: hm("22:00"), until: hm("07:00") });
    let morning = Some(QuietHours { from: hm("06:00"), until: hm("09:00") });
    let snoozed = [Snooze { medication: twice, due_ms: t(8, 0).utc_ms, until_ms: t(8, 10).utc_ms }];
    // Yesterday evening's dose was taken; today's are not logged.
    binder.log_dose(twice, paris_time(2026, 11, 22, 20, 0), Some(paris_time(2026, 11, 22, 20, 5)), t(7, 0)).unwrap();
    // (now, reminders on, quiet hours, snoozes, the doses reminded of)
    type Row<'a> = (LocalDateTime, bool, Option<QuietHours>, &'a [Snooze], &'static [&'static str]);
    let rows: [Row; 10] = [
        (t(7, 59), true, None, &[], &[]),
        (t(8, 0), true, None, &[], &["23 November 2026, 08:00"]),
        (t(8, 5), true, None, &snoozed, &[]),
        (t(8, 10), true, None, &snoozed, &["23 November 2026, 08:00"]),
        (t(8, 5), false, None, &[], &[]),
        (t(8, 5), true, morning, &[], &[]),
        (t(9, 0), true, morning, &[], &["23 November 2026, 08:00"]),
        (t(20, 0), true, None, &[], &["23 November 2026, 08:00", "23 November 2026, 20:00"]),
        // Twelve hours on, the morning's dose is only on the day's list.
        (t(21, 0), true, night, &[], &["23 November 2026, 20:00"]),
        (t(23, 0), true, night, &[], &[]),
    ];
    for (i, (now, on, quiet, snoozes, expected)) in rows.into_iter().enumerate() {
        binder.reminders = ReminderSettings { doses: on, quiet, ..ReminderSettings::default() };
        let shown: Vec<String> = reminders_now(&binder, now, &paris, snoozes).iter().map(|d| d.due.text()).collect();
        assert_eq!(shown, expected, "row {i}");
    }
    // After the night's quiet hours the evening dose is still reminded of; 12 hours on it is not.
    binder.reminders.quiet = night;
    let next = |h, m| paris_time(2026, 11, 24, h, m);
    let shown: Vec<String> = reminders_now(&binder, next(7, 0), &paris, &[]).iter().map(|d| d.due.text()).collect();
    assert_eq!(shown, ["23 November 2026, 20:00"]);
    assert_eq!(reminders_now(&binder, next(8, 1), &paris, &[]).len(), 1, "only the new morning dose");
    // Marked: no longer reminded of. Doses due before the medication was added never are.
    binder.log_dose(twice, next(8, 0), None, next(8, 1)).unwrap();
    assert!(reminders_now(&binder, next(8, 2), &paris, &[]).is_empty());
    let late_add = binder.add_medication(med(at_times(&["08:00"])), next(8, 30).utc().unwrap()).unwrap();
    assert!(reminders_now(&binder, next(8, 31), &paris, &[]).iter().all(|d| d.medication != late_add));
}
