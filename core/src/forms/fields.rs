//! One field of a form, and reading the text of the few kinds that are not plain text.

use super::ZoneOffset;
use crate::ips::Texts;
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
    /// Text that is a number when it is one: a reading ("71.5", or "128/82"), a result ("6.8", or
    /// "Negative"). A text input (a decimal keypad could not type "/" or words).
    Reading,
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

/// The month names as catalogue texts (the documents' own, `ips::Texts::date`), for reading a
/// date in the reader's language.
const TEXT_MONTHS: [&str; 12] = [
    crate::msg!("January"),
    crate::msg!("February"),
    crate::msg!("March"),
    crate::msg!("April"),
    crate::msg!("May"),
    crate::msg!("June"),
    crate::msg!("July"),
    crate::msg!("August"),
    crate::msg!("September"),
    crate::msg!("October"),
    crate::msg!("November"),
    crate::msg!("December"),
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

/// A date field's value as the forms write it ("14 March 2015", "March 2015", "2015") in the
/// reader's words, for the field being edited: "14 de marzo de 2015". [`parse_date_in`] reads it
/// back. What is not a date stays as it is.
pub fn date_for_editing(text: &str, texts: &Texts) -> String {
    match parse_date(text, "") {
        Ok(Some(date)) => texts.date(date),
        _ => text.to_owned(),
    }
}

/// A field's value for the field being edited: in a field that holds numbers
/// ([`FieldKind::Number`], [`FieldKind::Reading`]), a number as the forms write it ("71.5") with
/// the reader's decimal separator ("71,5" for a Spanish reader), which `parse_number` reads
/// back. Other text ("128/82", "Negative", a name) and other fields stay as they are; so does a
/// separator `parse_number` does not read (then the point, which it does).
pub fn number_for_editing(kind: FieldKind, text: &str, separator: char) -> String {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let decimal = text
        .strip_prefix('-')
        .unwrap_or(text)
        .split_once('.')
        .is_some_and(|(whole, fraction)| digits(whole) && digits(fraction));
    let holds_numbers = matches!(kind, FieldKind::Number | FieldKind::Reading);
    if holds_numbers && decimal && separator == ',' { text.replacen('.', ",", 1) } else { text.to_owned() }
}

/// What the reader typed into a date field, in the words [`parse_date`] reads: a date written the
/// reader's way ("3 de marzo de 2026", "03/2026") becomes "3 March 2026" (a day that does not
/// exist too, so that `parse_date` says so); anything else stays as typed, for `parse_date` to
/// read or to refuse.
pub fn typed_date(text: &str, texts: &Texts) -> String {
    if parse_date(text, "").is_ok() {
        return text.to_owned();
    }
    match readers_date(text, texts) {
        Some((year, None, _)) => year.to_string(),
        Some((year, Some(month), None)) => format!("{} {year}", TEXT_MONTHS[usize::from(month) - 1]),
        Some((year, Some(month), Some(day))) => format!("{day} {} {year}", TEXT_MONTHS[usize::from(month) - 1]),
        None => text.to_owned(),
    }
}

/// [`parse_date`], also reading a date written in the reader's language: its month names and the
/// words of its date sentences ("3 de marzo de 2026", "marzo de 2026"), and numbers in the
/// reader's order ("3/3/2026", "03/2026").
pub fn parse_date_in(text: &str, key: &'static str, texts: &Texts) -> Result<Option<PartialDate>, ValidationError> {
    parse_date(&typed_date(text, texts), key)
}

/// The year, month and day of a date in the reader's words, not yet checked to exist.
fn readers_date(text: &str, texts: &Texts) -> Option<(u16, Option<u8>, Option<u8>)> {
    let lower = |s: &str| s.to_lowercase();
    let day_first = texts.get(crate::msg!("{day} {month} {year}"));
    let month_first = texts.get(crate::msg!("{month} {year}"));
    // The words the reader's date sentences put between the numbers ("de"): not part of a date.
    let joining: Vec<String> = [day_first, month_first]
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric() && c != '{' && c != '}'))
        .filter(|w| !w.is_empty() && !w.starts_with('{'))
        .map(lower)
        .collect();
    // The reader's month names, then English's (lower case already): a name's place, mod 12.
    let names: Vec<String> =
        TEXT_MONTHS.iter().map(|m| lower(texts.get(m))).chain(MONTHS.iter().map(|m| (*m).to_owned())).collect();
    enum Part {
        Number(u16, usize),
        Month(u8),
    }
    let mut parts = Vec::new();
    for word in lower(text).split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '/' | '-')) {
        if word.is_empty() || joining.iter().any(|j| *j == word) {
            continue;
        }
        if word.chars().all(|c| c.is_ascii_digit()) {
            parts.push(Part::Number(word.parse().ok()?, word.len()));
            continue;
        }
        let found = (word.chars().count() >= 3).then(|| names.iter().position(|m| m.starts_with(word))).flatten()?;
        parts.push(Part::Month((found % 12) as u8 + 1));
    }
    let year = |n: u16, digits: usize| (digits == 4).then_some(n);
    let month = |n: u16| (1..=12).contains(&n).then_some(n as u8);
    let day = |n: u16| (1..=31).contains(&n).then_some(n as u8);
    use Part::*;
    match parts.as_slice() {
        [Number(y, 4)] => Some((*y, None, None)),
        [Month(m), Number(y, n)] => Some((year(*y, *n)?, Some(*m), None)),
        [Number(m, _), Number(y, n)] => Some((year(*y, *n)?, Some(month(*m)?), None)),
        [Number(d, _), Month(m), Number(y, n)] | [Month(m), Number(d, _), Number(y, n)] => {
            Some((year(*y, *n)?, Some(*m), Some(day(*d)?)))
        }
        [Number(y, 4), Number(m, _), Number(d, _)] => Some((*y, Some(month(*m)?), Some(day(*d)?))),
        // Three numbers in the reader's order. The code's English sentence puts the day first,
        // which American readers do not: English asks for 2015-03-14 instead (its hint says so).
        [Number(a, _), Number(b, _), Number(y, n)] if texts.language != "en" => {
            let (d, m) = if day_first.find("{day}") < day_first.find("{month}") { (*a, *b) } else { (*b, *a) };
            Some((year(*y, *n)?, Some(month(m)?), Some(day(d)?)))
        }
        _ => None,
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
    fn a_date_being_edited_reads_in_spanish_and_back() {
        let catalogue = crate::i18n::Catalogue::parse(include_str!("../../../locales/es.txt")).unwrap();
        let es = Texts::new("es", Some(&catalogue));
        let read = |t| parse_date_in(t, "d", &es).map(|d| d.map(|d| d.to_string()));
        assert_eq!(read("3 de marzo de 2026").unwrap().as_deref(), Some("2026-03-03"));
        assert_eq!(read("marzo de 2026").unwrap().as_deref(), Some("2026-03"));
        assert_eq!(read("03/2026").unwrap().as_deref(), Some("2026-03"));
        assert_eq!(read("2026").unwrap().as_deref(), Some("2026"));
        assert_eq!(read("3/4/2026").unwrap().as_deref(), Some("2026-04-03"), "day first, as Spanish writes it");
        assert_eq!(read("14 abr 2026").unwrap().as_deref(), Some("2026-04-14"));
        assert_eq!(read("Diciembre 2026").unwrap().as_deref(), Some("2026-12"));
        // What parse_date read before still reads.
        assert_eq!(read("2026-03-14").unwrap().as_deref(), Some("2026-03-14"));
        assert_eq!(read("14 March 2026").unwrap().as_deref(), Some("2026-03-14"));
        assert_eq!(read("").unwrap(), None);
        assert!(read("31 de febrero de 2026").unwrap_err().message.contains("does not exist"));
        assert!(read("13/2026").is_err());
        assert!(read("la primavera pasada").unwrap_err().message.contains("March 2015"));
        // The field shows the date in Spanish, which reads back to the same date, whole or partial.
        for stored in ["2026-03-03", "2026-03", "2026"] {
            let date = PartialDate::parse(stored).unwrap();
            let shown = date_for_editing(&date.text(), &es);
            assert_eq!(parse_date_in(&shown, "d", &es).unwrap(), Some(date), "{shown}");
        }
        assert_eq!(date_for_editing("3 March 2026", &es), "3 de marzo de 2026");
        assert_eq!(date_for_editing("March 2026", &es), "marzo de 2026");
        // What the form hands core is what parse_date reads.
        assert_eq!(typed_date("3 de marzo de 2026", &es), "3 March 2026");
        assert_eq!(typed_date("sin fecha", &es), "sin fecha");
    }

    #[test]
    fn english_dates_being_edited_read_as_before() {
        let en = Texts::ENGLISH;
        let read = |t| parse_date_in(t, "d", &en).map(|d| d.map(|d| d.to_string()));
        assert_eq!(date_for_editing("3 March 2026", &en), "3 March 2026");
        assert_eq!(read("3 March 2026").unwrap().as_deref(), Some("2026-03-03"));
        assert_eq!(read("March 3, 2026").unwrap().as_deref(), Some("2026-03-03"));
        assert_eq!(read("03/2026").unwrap().as_deref(), Some("2026-03"));
        assert_eq!(read("March 2026").unwrap().as_deref(), Some("2026-03"));
        assert_eq!(read("2026").unwrap().as_deref(), Some("2026"));
        // Three numbers could be either order to an English reader: refused, not guessed.
        assert!(read("3/4/2026").is_err());
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
