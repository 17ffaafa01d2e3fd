//! One field of a form, and reading the text of the few kinds that are not plain text.

use super::ZoneOffset;
use crate::model::{LocalDateTime, LocalParts, PartialDate, ValidationError, parse_number};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldKind {
    Text,
    /// Several lines: notes, addresses.
    LongText,
    /// One item per line (an appointment's questions).
    Lines,
    /// A date the patient may only roughly know: "2015", "March 2015", "2015-03-14".
    Date,
    /// A wall-clock date and time (`<input type="datetime-local">`).
    DateTime,
    Number,
    Phone,
    Email,
    Url,
    /// One of these (code, label) pairs; "" means not chosen.
    Choice(&'static [(&'static str, &'static str)]),
    /// A member of the care team (by id), or none.
    CareTeam,
    /// Yes ("true") or no ("").
    Check,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field {
    /// The key of the value, and the `field` of its validation problems.
    pub key: &'static str,
    pub label: &'static str,
    /// Shown after the label, e.g. "(e.g. GP, cardiologist)"; empty for none.
    pub hint: &'static str,
    pub kind: FieldKind,
}

pub(crate) const fn field(key: &'static str, label: &'static str, hint: &'static str, kind: FieldKind) -> Field {
    Field { key, label, hint, kind }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Reads "2015", "2015-03", "2015-03-14", "March 2015", "Mar 2015" or "14 March 2015"; "" is none.
pub fn parse_date(text: &str, key: &'static str) -> Result<Option<PartialDate>, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let problem = |message: &str| ValidationError { field: key, message: message.to_owned() };
    if let Ok(date) = PartialDate::parse(text) {
        return Ok(Some(date));
    }
    let words: Vec<&str> = text.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let month = |word: &str| {
        let word = word.to_ascii_lowercase();
        (word.len() >= 3).then(|| MONTHS.iter().position(|m| m.starts_with(&word))).flatten().map(|i| i as u8 + 1)
    };
    let number = |word: &str| word.parse::<u16>().ok();
    let parsed = match words.as_slice() {
        [m, y] => month(m).zip(number(y)).map(|(m, y)| PartialDate::month(y, m)),
        [d, m, y] => match (number(d), month(m), number(y)) {
            (Some(d), Some(m), Some(y)) if d <= 31 => Some(PartialDate::day(y, m, d as u8)),
            _ => None,
        },
        _ => None,
    };
    match parsed {
        Some(Ok(date)) => Ok(Some(date)),
        Some(Err(_)) => Err(problem(crate::msg!("That date does not exist. Check the day and the year."))),
        None => Err(problem(crate::msg!("Write a date as 2015, March 2015 or 2015-03-14."))),
    }
}

/// Reads `<input type="datetime-local">`'s "2026-11-24T09:30" (seconds ignored) in the zone
/// `offset_at` gives for that wall-clock time.
pub fn parse_local_datetime(
    text: &str,
    key: &'static str,
    offset_at: ZoneOffset,
) -> Result<LocalDateTime, ValidationError> {
    let problem = |message: &str| ValidationError { field: key, message: message.to_owned() };
    let text = text.trim();
    if text.is_empty() {
        return Err(problem(crate::msg!("Enter the date and time.")));
    }
    let parsed = text.split_once('T').and_then(|(date, time)| {
        let date = PartialDate::parse(date).ok()?;
        let mut clock = time.split(':').map(|p| p.parse::<u8>().ok());
        let (hour, minute) = (clock.next()??, clock.next()??);
        let parts = LocalParts {
            year: date.year_number().into(),
            month: date.month_number()?,
            day: date.day_number()?,
            hour,
            minute,
        };
        LocalDateTime::from_local(parts.year, parts.month, parts.day, hour, minute, offset_at(parts))
    });
    parsed.ok_or_else(|| problem(crate::msg!("Enter a date and a time, e.g. 24/11/2026 09:30.")))
}

/// The value `<input type="datetime-local">` shows for a stored time, in the zone it was entered.
pub fn datetime_input(at: &LocalDateTime) -> String {
    let p = at.local();
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", p.year, p.month, p.day, p.hour, p.minute)
}

/// "" is none; otherwise a number ("1,5" and "1.5" both read).
pub(crate) fn optional_number(text: &str, key: &'static str) -> Result<Option<f64>, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    parse_number(text)
        .map(Some)
        .ok_or_else(|| ValidationError { field: key, message: crate::msg!("Enter a number, e.g. 6.8.").to_owned() })
}

/// A whole number in `range`, or none.
pub(crate) fn optional_whole<T: TryFrom<u64>>(text: &str, key: &'static str) -> Result<Option<T>, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u64>()
        .ok()
        .and_then(|n| T::try_from(n).ok())
        .map(Some)
        .ok_or_else(|| ValidationError { field: key, message: crate::msg!("Enter a whole number.").to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_the_way_people_write_them() {
        let read = |t| parse_date(t, "d").map(|d| d.map(|d| d.to_string()));
        assert_eq!(read("2015").unwrap().as_deref(), Some("2015"));
        assert_eq!(read(" March 2015 ").unwrap().as_deref(), Some("2015-03"));
        assert_eq!(read("mar 2015").unwrap().as_deref(), Some("2015-03"));
        assert_eq!(read("14 March 2015").unwrap().as_deref(), Some("2015-03-14"));
        assert_eq!(read("2015-03-14").unwrap().as_deref(), Some("2015-03-14"));
        assert_eq!(read("").unwrap(), None);
        assert!(read("31 February 2015").unwrap_err().message.contains("does not exist"));
        assert!(read("last spring").unwrap_err().message.contains("March 2015"));
        // What `text()` shows reads back to the same date.
        let date = PartialDate::parse("2015-03-14").unwrap();
        assert_eq!(parse_date(&date.text(), "d").unwrap(), Some(date));
    }

    #[test]
    fn datetimes_take_the_offset_of_their_own_wall_clock_time() {
        // A zone on +01:00 in winter and +02:00 from April to October.
        let zone = |p: LocalParts| if (4..=10).contains(&p.month) { 120 } else { 60 };
        let summer = parse_local_datetime("2026-07-01T09:30", "at", &zone).unwrap();
        assert_eq!(summer.fhir(), "2026-07-01T09:30:00+02:00");
        let winter = parse_local_datetime("2026-11-24T09:30:00", "at", &zone).unwrap();
        assert_eq!(winter.fhir(), "2026-11-24T09:30:00+01:00");
        assert_eq!(datetime_input(&winter), "2026-11-24T09:30");
        assert!(parse_local_datetime("2026-02-30T09:30", "at", &zone).is_err());
        assert_eq!(parse_local_datetime("", "at", &zone).unwrap_err().field, "at");
    }
}
