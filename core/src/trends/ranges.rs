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

use crate::model::{PartialDate, civil_from_days, days_from_civil, days_in_month, format_number};

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
            Self::Below => "Below",
            Self::Within => "Within",
            Self::Above => "Above",
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
        match (self.low, self.high) {
            (Some(l), Some(h)) => format!("{}\u{2013}{}", format_number(l), format_number(h)),
            (Some(l), None) => format!("above {}", format_number(l)),
            (None, Some(h)) => format!("below {}", format_number(h)),
            (None, None) => String::new(),
        }
    }
}

/// The shaded range of a chart: one range per line, and what it is in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub ranges: Vec<Range>,
    /// "the NHS's normal resting range for adults, 60–100 /min".
    pub text: String,
}

/// The published adult range of `kind`, if this app shades one (see the module's note).
pub fn adult_vital(kind: VitalKind) -> Option<Band> {
    match kind {
        VitalKind::Pulse => Some(Band {
            ranges: vec![Range { low: Some(60.0), high: Some(100.0) }],
            text: "the NHS's normal resting pulse for adults, 60\u{2013}100 /min".into(),
        }),
        VitalKind::BloodPressure => Some(Band {
            ranges: vec![Range { low: Some(90.0), high: Some(120.0) }, Range { low: Some(60.0), high: Some(80.0) }],
            text: "the NHS's ideal blood pressure for adults, 90/60 to 120/80 mmHg".into(),
        }),
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
    printed.all(|r| r == first).then(|| Band { ranges: vec![first], text: format!("the reference range, {}", first.text()) })
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
