//! The normal range a chart shades, and how a reading compares with it.
//!
//! Only two kinds of range are shown:
//! - the range printed with a test result (the lab's reference range, which the binder holds);
//! - for an adult's pulse and blood pressure, the NHS's published adult ranges, named with the
//!   band: a resting pulse of 60 to 100 beats a minute (NHS, "How do I check my pulse?") and an
//!   ideal blood pressure between 90/60 and 120/80 mmHg (NHS, "High blood pressure
//!   (hypertension)"). Both are for adults, so they are shown only when the profile's birth date
//!   makes the patient 18 or older at the latest reading (no birth date: no band).
//!
//! Weight has no normal range without a height; blood glucose depends on meals and on the target
//! a clinician set; temperature and oxygen saturation "normals" differ between sources and with
//! lung disease: none of these is shaded. A clinician's own target for this patient would be a
//! better band than any of these, once the binder can hold one.

use crate::i18n::fill;
use crate::model::{PartialDate, civil_from_days, days_from_civil, days_in_month, format_number};
use crate::msg;

use super::series::{Reading, VitalKind};

/// A range with either end open: "3.5–5.1", "< 5.7", "> 40".
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// Where a reading lies against its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    Below,
    Within,
    Above,
}

impl Position {
    pub fn label(self) -> &'static str {
        match self {
            Self::Below => msg!("Below"),
            Self::Within => msg!("Within"),
            Self::Above => msg!("Above"),
        }
    }
}

impl Range {
    /// None when neither end is known.
    pub fn new(low: Option<f64>, high: Option<f64>) -> Option<Self> {
        (low.is_some() || high.is_some()).then_some(Self { low, high })
    }

    pub fn position(&self, value: f64) -> Position {
        if self.high.is_some_and(|h| value > h) {
            Position::Above
        } else if self.low.is_some_and(|l| value < l) {
            Position::Below
        } else {
            Position::Within
        }
    }

    /// "3.5–5.1", "below 5.7", "above 40".
    pub fn text(&self) -> String {
        self.text_in(&Words::ENGLISH)
    }

    /// [`Self::text`] in `words`' language: "3,5–5,1", "por debajo de 5,7".
    pub fn text_in(&self, words: &Words) -> String {
        let number = words.number;
        match (self.low, self.high) {
            (Some(l), Some(h)) => format!("{}\u{2013}{}", number(l), number(h)),
            (Some(l), None) => fill(&(words.text)(msg!("above {value}")), &[("value", &number(l))]),
            (None, Some(h)) => fill(&(words.text)(msg!("below {value}")), &[("value", &number(h))]),
            (None, None) => String::new(),
        }
    }
}

/// The shaded range of a chart: one range per line, and what it is in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub ranges: Vec<Range>,
    /// "the NHS's normal resting range for adults, 60–100 /min" (English).
    pub text: String,
    /// What it is, as a `msg!` template: `{range}` is the first range's text.
    pub wording: &'static str,
}

impl Band {
    /// [`Band::text`] in `words`' language.
    pub fn text_in(&self, words: &Words) -> String {
        let range = self.ranges.first().map(|r| r.text_in(words)).unwrap_or_default();
        fill(&(words.text)(self.wording), &[("range", &range)])
    }

    fn new(ranges: Vec<Range>, wording: &'static str) -> Self {
        let mut band = Self { ranges, text: String::new(), wording };
        band.text = band.text_in(&Words::ENGLISH);
        band
    }
}

/// How the trends' fixed words and numbers are written for a reader: core's English
/// ([`Words::ENGLISH`]) or the app's catalogue and `Intl`.
pub struct Words<'a> {
    /// A `msg!` text in the reader's language.
    pub text: &'a dyn Fn(&'static str) -> String,
    /// A number as the reader writes it ("78,5").
    pub number: &'a dyn Fn(f64) -> String,
}

fn as_written(text: &'static str) -> String {
    text.to_owned()
}

impl Words<'static> {
    pub const ENGLISH: Words<'static> = Words { text: &as_written, number: &format_number };
}

/// The published adult range of `kind`, if this app shades one (see the module's note).
pub fn adult_vital(kind: VitalKind) -> Option<Band> {
    match kind {
        VitalKind::Pulse => Some(Band::new(
            vec![Range { low: Some(60.0), high: Some(100.0) }],
            msg!("the NHS's normal resting pulse for adults, {range} /min"),
        )),
        VitalKind::BloodPressure => Some(Band::new(
            vec![Range { low: Some(90.0), high: Some(120.0) }, Range { low: Some(60.0), high: Some(80.0) }],
            msg!("the NHS's ideal blood pressure for adults, 90/60 to 120/80 mmHg"),
        )),
        _ => None,
    }
}

/// Whether someone born on `birth` (to the year, month or day) is surely 18 or older at `at_ms`:
/// an incomplete birth date counts from the latest day it could be.
pub fn adult_on(birth: Option<PartialDate>, at_ms: i64) -> bool {
    let Some(birth) = birth else { return false };
    let year = i64::from(birth.year_number()) + 18;
    let month = birth.month_number().unwrap_or(12);
    let day = birth.day_number().unwrap_or(31).min(days_in_month(year, month));
    let (y, m, d) = civil_from_days(at_ms.div_euclid(86_400_000));
    days_from_civil(year, month, day) <= days_from_civil(y, m, d)
}

/// The band of a test's results: the reference range their reports printed, when every report
/// that printed one printed the same. When they differ no band is shaded, and each result is
/// still compared with its own report's range.
pub fn reported(readings: &[Reading]) -> Option<Band> {
    let mut printed = readings.iter().filter_map(|r| r.range);
    let first = printed.next()?;
    printed.all(|r| r == first).then(|| Band::new(vec![first], msg!("the reference range, {range}")))
}

/// How `reading` compares with its own range (a result's) or else the band: above if any of its
/// values is above, else below if any is below; `None` with no range to compare with.
pub fn position(reading: &Reading, band: Option<&Band>) -> Option<Position> {
    let mut found = None;
    for (i, value) in reading.values.iter().enumerate() {
        let Some(range) = reading.range.or_else(|| band.and_then(|b| b.ranges.get(i).copied())) else { continue };
        found = Some(match (found, range.position(*value)) {
            (Some(Position::Above), _) | (_, Position::Above) => Position::Above,
            (Some(Position::Below), _) | (_, Position::Below) => Position::Below,
            _ => Position::Within,
        });
    }
    found
}
