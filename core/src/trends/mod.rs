//! Trends: the binder's vital signs, symptom scores and test results over time, as charts with a
//! text equivalent and their numbers in a table.
//!
//! Core does all the work — which readings form a series ([`series`]: by kind and unit, oldest
//! first), the chart's geometry ([`chart`]: scales with nice ticks, points in a fixed `viewBox`,
//! the shaded normal range where the binder knows one, see [`ranges`]), the text equivalent and the
//! table ([`describe`]) — so the app only draws SVG from [`Trend`], and a share carries the same
//! words (`ips` writes them as a narrative section).

mod chart;
mod describe;
mod ranges;
mod series;

use crate::ips::Texts;
use crate::model::{Binder, When, format_number};
use crate::msg;

/// The table's fixed column headings (the app shows them through its catalogue).
pub const WHEN_HEADING: &str = msg!("When");
pub const RANGE_HEADING: &str = msg!("Against the range");

pub use chart::{Chart, ChartLine, HEIGHT, WIDTH, nice_scale, nice_step};
pub use ranges::{Band, Position, Range, Words, adult_on};
pub use series::{Reading, Series, TrendKey, VitalKind};

/// A part of the binder that has trends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Vitals,
    /// The symptom journal's severity scores.
    Notes,
    Results,
}

/// A series ready to show: its chart, its text equivalent and its table.
#[derive(Clone, Debug, PartialEq)]
pub struct Trend {
    pub key: TrendKey,
    pub title: String,
    /// The name of each line, for the legend (two for blood pressure).
    pub lines: Vec<String>,
    /// What the shaded band is ("the NHS's ideal blood pressure for adults, 90/60 to 120/80
    /// mmHg"), when there is one.
    pub band: Option<String>,
    /// The text equivalent.
    pub text: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub chart: Chart,
    /// The unit of every value ("kg"; empty for a score), for the app's table headings.
    pub unit: String,
    /// The shaded band, for the app to word in the reader's language.
    pub shaded: Option<Band>,
    /// The table's rows as values, for the app to write in the reader's language.
    pub table: Vec<Row>,
}

/// A row of the table as values: when, the values (one per line) and, where there is a range to
/// compare with, how the reading compares.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub moment: When,
    pub values: Vec<f64>,
    pub position: Option<Position>,
}

/// A series needs two readings to be a trend; one reading is already in the list.
pub const MIN_READINGS: usize = 2;

impl Trend {
    /// The trend with its text equivalent in English, as the code writes it.
    pub fn of(series: &Series) -> Self {
        Self::written(series, &Texts::ENGLISH, &format_number)
    }

    /// The trend with its text equivalent in `texts`' language, its numbers written by `number`:
    /// what a screen shows its reader (the table's words and numbers the screen writes itself).
    pub fn written(series: &Series, texts: &Texts, number: &dyn Fn(f64) -> String) -> Self {
        let band = series.band.as_ref().filter(|_| !series.readings.is_empty()).map(|b| b.text.clone());
        Self {
            key: series.key.clone(),
            title: series.title.clone(),
            lines: series.lines.clone(),
            band,
            text: describe::text_written(series, texts, number),
            headers: describe::headers(series),
            rows: describe::rows(series),
            chart: chart::chart(series),
            unit: series.unit.clone(),
            shaded: series.band.clone().filter(|_| !series.readings.is_empty()),
            table: series
                .readings
                .iter()
                .map(|r| Row {
                    moment: r.moment,
                    values: r.values.clone(),
                    position: ranges::position(r, series.band.as_ref()),
                })
                .collect(),
        }
    }
}

/// Every series of `source` in the binder, whatever its length.
pub fn series(binder: &Binder, source: Source) -> Vec<Series> {
    match source {
        Source::Vitals => series::vitals(binder),
        Source::Notes => series::severity(binder).into_iter().collect(),
        Source::Results => series::results(binder),
    }
}

/// The trends a part of the binder shows: its series of at least [`MIN_READINGS`] readings.
pub fn trends(binder: &Binder, source: Source) -> Vec<Trend> {
    series(binder, source).iter().filter(|s| s.readings.len() >= MIN_READINGS).map(Trend::of).collect()
}

/// [`trends`] with their text equivalents in the reader's language (`Trend::written`).
pub fn trends_in(binder: &Binder, source: Source, texts: &Texts, number: &dyn Fn(f64) -> String) -> Vec<Trend> {
    series(binder, source)
        .iter()
        .filter(|s| s.readings.len() >= MIN_READINGS)
        .map(|s| Trend::written(s, texts, number))
        .collect()
}

/// The trend of one vital sign (for a share), if it has at least [`MIN_READINGS`] readings.
pub fn vital_trend(binder: &Binder, kind: VitalKind) -> Option<Trend> {
    series::vitals(binder)
        .iter()
        .find(|s| s.key == TrendKey::Vital(kind) && s.readings.len() >= MIN_READINGS)
        .map(Trend::of)
}

#[cfg(test)]
mod tests;
