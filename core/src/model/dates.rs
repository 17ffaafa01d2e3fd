//! Dates and times as the binder keeps them, with integer arithmetic only: chrono's text parsers
//! (and the float formatter) would cost the browser bundle kilobytes for a few dozen lines' work.
//!
//! - [`PartialDate`]: "2015", "2015-03" or "2015-03-14" — what patients remember, and FHIR's `date`.
//! - [`TimeOfDay`]: "08:00", for medication schedules.
//! - [`LocalDateTime`]: an instant plus the UTC offset it was entered in, so "8:30 at the clinic"
//!   reads back as 8:30 wherever the binder is opened later.

use std::cmp::Ordering;
use std::fmt;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`.
pub fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Reads exactly `len` ASCII digits.
fn digits(text: &str, len: usize) -> Option<u32> {
    (text.len() == len && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok())?
}

/// A date known to the year, the month or the day. Ordered chronologically, a less precise date
/// first ("2015" < "2015-03" < "2015-03-14" < "2015-04").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("Write the date as a year (2015), a month (2015-03) or a day (2015-03-14).")]
    Format,
    #[error("The year must be between 1000 and 9999.")]
    Year,
    #[error("The month must be between 1 and 12.")]
    Month,
    #[error("That month has no such day.")]
    Day,
}

impl PartialDate {
    /// A date to the year, month or day; a day needs a month.
    pub fn new(year: u16, month: Option<u8>, day: Option<u8>) -> Result<Self, DateError> {
        if !(1000..=9999).contains(&year) {
            return Err(DateError::Year);
        }
        match (month, day) {
            (None, Some(_)) => return Err(DateError::Format),
            (Some(m), _) if !(1..=12).contains(&m) => return Err(DateError::Month),
            (Some(m), Some(d)) if d == 0 || d > days_in_month(year.into(), m) => return Err(DateError::Day),
            _ => {}
        }
        Ok(Self { year, month, day })
    }

    pub fn year(year: u16) -> Result<Self, DateError> {
        Self::new(year, None, None)
    }

    pub fn month(year: u16, month: u8) -> Result<Self, DateError> {
        Self::new(year, Some(month), None)
    }

    pub fn day(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        Self::new(year, Some(month), Some(day))
    }

    /// Today (or any instant's day) in UTC.
    pub fn from_utc(instant: DateTime<Utc>) -> Self {
        let date = instant.date_naive();
        Self {
            year: date.year().clamp(1000, 9999) as u16,
            month: Some(date.month() as u8),
            day: Some(date.day() as u8),
        }
    }

    /// Reads "2015", "2015-03" or "2015-03-14" (FHIR's `date`; also the start of a `dateTime`
    /// when `lenient`, which ignores anything after the day, e.g. "T10:00:00Z").
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let mut parts = text.trim().split('-');
        let year = parts.next().and_then(|y| digits(y, 4)).ok_or(DateError::Format)?;
        let month = parts.next().map(|m| digits(m, 2).ok_or(DateError::Format)).transpose()?;
        let day = parts.next().map(|d| digits(d, 2).ok_or(DateError::Format)).transpose()?;
        if parts.next().is_some() {
            return Err(DateError::Format);
        }
        Self::new(year as u16, month.map(|m| m as u8), day.map(|d| d as u8))
    }

    /// The date part of a FHIR `dateTime` ("2015-03-14T10:00:00Z" → 2015-03-14).
    pub fn parse_lenient(text: &str) -> Option<Self> {
        Self::parse(text.trim().get(..10.min(text.trim().len()))?.split('T').next()?).ok()
    }

    pub fn year_number(&self) -> u16 {
        self.year
    }

    pub fn month_number(&self) -> Option<u8> {
        self.month
    }

    pub fn day_number(&self) -> Option<u8> {
        self.day
    }

    /// "2015", "March 2015", "14 March 2015".
    pub fn text(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[m as usize - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            _ => self.year.to_string(),
        }
    }
}

impl fmt::Display for PartialDate {
    /// The stored and FHIR form: "2015", "2015-03", "2015-03-14".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A time of day on the clock, for schedules: serialized "08:00".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay {
    pub hour: u8,
    pub minute: u8,
}

impl TimeOfDay {
    pub fn new(hour: u8, minute: u8) -> Option<Self> {
        (hour < 24 && minute < 60).then_some(Self { hour, minute })
    }

    /// Reads "8:00", "08:00" or "08:00:00" (FHIR's `time`; seconds are dropped).
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().split(':');
        let hour = parts.next().filter(|h| (1..=2).contains(&h.len()))?;
        let hour = digits(hour, hour.len())?;
        let minute = digits(parts.next()?, 2)?;
        if let Some(seconds) = parts.next() {
            digits(seconds, 2)?;
        }
        if parts.next().is_some() {
            return None;
        }
        Self::new(hour as u8, minute as u8)
    }

    /// FHIR's `time`: "08:00:00".
    pub fn fhir(&self) -> String {
        format!("{self}:00")
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| serde::de::Error::custom("a time of day must read like 08:00"))
    }
}

/// An instant with the UTC offset it was entered in. Stored as `[utc_ms, offset_minutes]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LocalDateTime {
    pub utc_ms: i64,
    /// Minutes east of UTC, e.g. 60 for Paris in winter, -300 for New York.
    pub offset_minutes: i16,
}

/// The parts of a local date and time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalParts {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
}

const MS_PER_MINUTE: i64 = 60_000;
const MINUTES_PER_DAY: i64 = 24 * 60;
/// ±18 hours, as ISO 8601 and FHIR allow.
pub const MAX_OFFSET_MINUTES: i16 = 18 * 60;

impl LocalDateTime {
    /// The local wall-clock time `year-month-day hour:minute` at `offset_minutes` east of UTC.
    pub fn from_local(year: i64, month: u8, day: u8, hour: u8, minute: u8, offset_minutes: i16) -> Option<Self> {
        let valid = (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
            && hour < 24
            && minute < 60
            && offset_minutes.abs() <= MAX_OFFSET_MINUTES;
        if !valid {
            return None;
        }
        let local_minutes =
            days_from_civil(year, month, day) * MINUTES_PER_DAY + i64::from(hour) * 60 + i64::from(minute);
        Some(Self { utc_ms: (local_minutes - i64::from(offset_minutes)) * MS_PER_MINUTE, offset_minutes })
    }

    pub fn from_utc(instant: DateTime<Utc>, offset_minutes: i16) -> Self {
        Self { utc_ms: instant.timestamp_millis(), offset_minutes }
    }

    pub fn utc(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_millis(self.utc_ms)
    }

    /// The wall-clock date and time where it was entered.
    pub fn local(&self) -> LocalParts {
        let local_minutes = self.utc_ms.div_euclid(MS_PER_MINUTE) + i64::from(self.offset_minutes);
        let (year, month, day) = civil_from_days(local_minutes.div_euclid(MINUTES_PER_DAY));
        let minute_of_day = local_minutes.rem_euclid(MINUTES_PER_DAY);
        LocalParts { year, month, day, hour: (minute_of_day / 60) as u8, minute: (minute_of_day % 60) as u8 }
    }

    /// The local day, as a [`PartialDate`] (None outside years 1000–9999).
    pub fn date(&self) -> Option<PartialDate> {
        let p = self.local();
        PartialDate::day(u16::try_from(p.year).ok()?, p.month, p.day).ok()
    }

    pub fn time_of_day(&self) -> TimeOfDay {
        let p = self.local();
        TimeOfDay { hour: p.hour, minute: p.minute }
    }

    /// "+01:00", "-05:00", "+00:00".
    pub fn offset_text(&self) -> String {
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let abs = self.offset_minutes.unsigned_abs();
        format!("{sign}{:02}:{:02}", abs / 60, abs % 60)
    }

    /// FHIR's `dateTime` in the entered offset: "2026-11-23T08:30:00+01:00".
    pub fn fhir(&self) -> String {
        let p = self.local();
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:00{}", p.year, p.month, p.day, p.hour, p.minute, self.offset_text())
    }

    /// "23 November 2026, 08:30".
    pub fn text(&self) -> String {
        let p = self.local();
        format!("{} {} {}, {:02}:{:02}", p.day, MONTHS[p.month as usize - 1], p.year, p.hour, p.minute)
    }

    /// Reads a FHIR `dateTime` with a time and an offset ("2026-11-23T08:30:00+01:00",
    /// "2026-11-23T07:30:00.000Z"); seconds and fractions are dropped.
    pub fn parse_fhir(text: &str) -> Option<Self> {
        let text = text.trim();
        let (date, rest) = text.split_once('T')?;
        let date = PartialDate::parse(date).ok()?;
        let (hm, offset) = if let Some(clock) = rest.strip_suffix('Z') {
            (clock, 0)
        } else {
            let at = rest.rfind(['+', '-'])?;
            let (clock, zone) = rest.split_at(at);
            let sign: i16 = if zone.starts_with('-') { -1 } else { 1 };
            let zone = TimeOfDay::parse(&zone[1..])?;
            (clock, sign * (i16::from(zone.hour) * 60 + i16::from(zone.minute)))
        };
        let clock = hm.split('.').next()?;
        let time = TimeOfDay::parse(clock)?;
        Self::from_local(date.year.into(), date.month?, date.day?, time.hour, time.minute, offset)
    }
}

impl PartialOrd for LocalDateTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Chronological (by the instant; the offset only breaks ties).
impl Ord for LocalDateTime {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.utc_ms, self.offset_minutes).cmp(&(other.utc_ms, other.offset_minutes))
    }
}

impl Serialize for LocalDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.utc_ms, self.offset_minutes).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for LocalDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (utc_ms, offset_minutes) = <(i64, i16)>::deserialize(deserializer)?;
        if offset_minutes.abs() > MAX_OFFSET_MINUTES {
            return Err(serde::de::Error::custom("a UTC offset must be within 18 hours"));
        }
        Ok(Self { utc_ms, offset_minutes })
    }
}

/// Makes a FHIR date or dateTime readable: "2015-03-14" → "14 March 2015",
/// "2026-11-23T08:30:00+01:00" → "23 November 2026, 08:30"; anything else as it came.
pub fn fhir_date_text(text: &str) -> String {
    if let Some(at) = LocalDateTime::parse_fhir(text) {
        return at.text();
    }
    match PartialDate::parse(text).ok().or_else(|| PartialDate::parse_lenient(text)) {
        Some(date) => date.text(),
        None => text.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_round_trip_order_and_read_well() {
        for text in ["2015", "2015-03", "2015-03-14", "2024-02-29"] {
            let date = PartialDate::parse(text).unwrap();
            assert_eq!(date.to_string(), text);
            assert_eq!(serde_json::to_string(&date).unwrap(), format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<PartialDate>(&format!("\"{text}\"")).unwrap(), date);
        }
        assert_eq!(PartialDate::parse("2015").unwrap().text(), "2015");
        assert_eq!(PartialDate::parse("2015-03").unwrap().text(), "March 2015");
        assert_eq!(PartialDate::parse("2015-03-14").unwrap().text(), "14 March 2015");
        let mut dates: Vec<_> =
            ["2015-04", "2015-03-14", "2015", "2014-12-31", "2015-03"].map(|t| PartialDate::parse(t).unwrap()).to_vec();
        dates.sort();
        let sorted: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(sorted, ["2014-12-31", "2015", "2015-03", "2015-03-14", "2015-04"]);
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(PartialDate::parse("2023-02-29"), Err(DateError::Day));
        assert_eq!(PartialDate::parse("2015-13"), Err(DateError::Month));
        assert_eq!(PartialDate::parse("2015-00"), Err(DateError::Month));
        assert_eq!(PartialDate::parse("0999"), Err(DateError::Year));
        for bad in ["15", "2015-3", "2015-03-14T10:00", "March 2015", "", "2015--01", "+015"] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(PartialDate::new(2015, None, Some(3)), Err(DateError::Format));
        assert!(serde_json::from_str::<PartialDate>("\"2015-02-30\"").is_err());
        assert_eq!(PartialDate::parse_lenient("2015-03-14T10:00:00Z"), PartialDate::day(2015, 3, 14).ok());
    }

    #[test]
    fn times_of_day_read_and_write_as_clock_times() {
        let t = TimeOfDay::parse("8:05").unwrap();
        assert_eq!((t.to_string(), t.fhir()), ("08:05".to_owned(), "08:05:00".to_owned()));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"08:05\"");
        assert_eq!(TimeOfDay::parse("20:30:00"), TimeOfDay::new(20, 30));
        for bad in ["24:00", "12:60", "12", "12:5", "ab:cd", "1:00:00:00"] {
            assert_eq!(TimeOfDay::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn local_date_times_keep_their_wall_clock() {
        let at = LocalDateTime::from_local(2026, 11, 23, 8, 30, 60).unwrap();
        let utc: DateTime<Utc> = "2026-11-23T07:30:00Z".parse().unwrap();
        assert_eq!(at.utc(), Some(utc));
        assert_eq!(at.fhir(), "2026-11-23T08:30:00+01:00");
        assert_eq!(at.text(), "23 November 2026, 08:30");
        assert_eq!(serde_json::to_string(&at).unwrap(), format!("[{},60]", utc.timestamp_millis()));
        assert_eq!(serde_json::from_str::<LocalDateTime>(&serde_json::to_string(&at).unwrap()).unwrap(), at);
        assert_eq!(LocalDateTime::parse_fhir("2026-11-23T08:30:00+01:00"), Some(at));
        assert_eq!(LocalDateTime::parse_fhir("2026-11-23T07:30:00.000Z").unwrap().utc(), Some(utc));

        // Across midnight and the year, west of UTC.
        let ny = LocalDateTime::from_utc("2027-01-01T02:15:00Z".parse().unwrap(), -300);
        assert_eq!(ny.fhir(), "2026-12-31T21:15:00-05:00");
        assert_eq!(ny.date(), PartialDate::day(2026, 12, 31).ok());
        assert_eq!(LocalDateTime::from_local(1969, 12, 31, 23, 59, 0).unwrap().utc_ms, -60_000);
        assert_eq!(LocalDateTime::from_local(2026, 2, 29, 0, 0, 0), None);
        assert!(serde_json::from_str::<LocalDateTime>("[0, 5000]").is_err());
        assert_eq!(fhir_date_text("2015-03-14"), "14 March 2015");
        assert_eq!(fhir_date_text("2015-03-14T10:00:00Z"), "14 March 2015, 10:00");
        assert_eq!(fhir_date_text("yesterday"), "yesterday");
    }

    #[test]
    fn civil_day_arithmetic_matches_chrono() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            let date = chrono::DateTime::from_timestamp(days * 86_400, 0).unwrap().date_naive();
            assert_eq!((y, m, d), (date.year() as i64, date.month() as u8, date.day() as u8));
        }
    }
}
