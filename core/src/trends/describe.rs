//! A series in words and as a table: the text equivalent every chart carries (what a screen reader
//! reads, and what a share holds), and the numbers themselves.

use crate::ips::Texts;
use crate::model::{When, format_number};
use crate::msg;

use super::ranges::{Position, Words, position};
use super::series::{Reading, Series};

/// A value with its unit: "78.5 kg", "128/82 mmHg", "6 /min", "7" for a score; the numbers
/// written by `number`.
fn with_unit(series: &Series, reading: &Reading, number: &dyn Fn(f64) -> String) -> String {
    let value = reading.values.iter().map(|v| number(*v)).collect::<Vec<_>>().join("/");
    if series.unit.is_empty() { value } else { format!("{value} {}", series.unit) }
}

/// The day a reading was taken, in `texts`' language (the local day of a timed reading).
fn day(reading: &Reading, texts: &Texts) -> String {
    match reading.moment {
        When::Date(d) => texts.date(d),
        When::At(at) => at.date().map(|d| texts.date(d)).unwrap_or_else(|| reading.day.clone()),
    }
}

/// The text equivalent: how many readings over what time, first and last, lowest and highest
/// (by the first value: the systolic pressure), and how many lie outside the shaded range.
///
/// "Weight: 12 readings from 3 January 2026 to 2 December 2026. First 82 kg, last 78.5 kg.
/// Lowest 78.1 kg on 14 October 2026, highest 83.2 kg on 20 January 2026."
///
/// In `texts`' language (a share's trend section). The series' title, line names and
/// band are the model's English, marked `msg!` where they are written, so looked up here; the
/// days are written in that language from each reading's own moment.
pub fn text_in(series: &Series, texts: &Texts) -> String {
    text_written(series, texts, &format_number)
}

/// [`text_in`] with the numbers written by `number` (on screen: the reader's `Intl`, "78,5 kg").
pub fn text_written(series: &Series, texts: &Texts, number: &dyn Fn(f64) -> String) -> String {
    let with_unit = |series: &Series, reading: &Reading| with_unit(series, reading, number);
    let title = texts.get(&series.title);
    let readings = &series.readings;
    let (Some(first), Some(last)) = (readings.first(), readings.last()) else {
        return texts.fill(msg!("{title}: no readings yet."), &[("title", title)]);
    };
    if readings.len() == 1 {
        let mut out = texts.fill(
            msg!("{title}: 1 reading, {value} on {day}."),
            &[("title", title), ("value", &with_unit(series, first)), ("day", &day(first, texts))],
        );
        if let Some(p) = position(first, series.band.as_ref()) {
            let sentence = match p {
                Position::Above => msg!("Above {range}."),
                Position::Below => msg!("Below {range}."),
                Position::Within => msg!("Within {range}."),
            };
            out += " ";
            out += &texts.fill(sentence, &[("range", &range_words(series, texts, number))]);
        }
        return out;
    }
    let mut lowest = first;
    let mut highest = first;
    for r in readings {
        // The first of equal readings is named: the earliest time it happened.
        if r.values[0] < lowest.values[0] {
            lowest = r;
        }
        if r.values[0] > highest.values[0] {
            highest = r;
        }
    }
    let mut out = texts.fill(
        msg!("{title}: {n} readings from {from} to {to}. First {first}, last {last}. Lowest {lowest} on {lowest_day}, highest {highest} on {highest_day}."),
        &[
            ("title", title),
            ("n", &readings.len().to_string()),
            ("from", &day(first, texts)),
            ("to", &day(last, texts)),
            ("first", &with_unit(series, first)),
            ("last", &with_unit(series, last)),
            ("lowest", &with_unit(series, lowest)),
            ("lowest_day", &day(lowest, texts)),
            ("highest", &with_unit(series, highest)),
            ("highest_day", &day(highest, texts)),
        ],
    );
    let positions: Vec<Position> = readings.iter().filter_map(|r| position(r, series.band.as_ref())).collect();
    if !positions.is_empty() {
        let count = |p: Position| positions.iter().filter(|q| **q == p).count();
        let (above, below) = (count(Position::Above), count(Position::Below));
        let (of, range) = (positions.len().to_string(), range_words(series, texts, number));
        let (a, b) = (above.to_string(), below.to_string());
        let values = [("of", of.as_str()), ("range", range.as_str()), ("above", a.as_str()), ("below", b.as_str())];
        out += " ";
        out += &texts.fill(
            match (above, below) {
                (0, 0) => msg!("All {of} within {range}."),
                (_, 0) => msg!("{above} of {of} above {range}."),
                (0, _) => msg!("{below} of {of} below {range}."),
                _ => msg!("{above} of {of} above and {below} below {range}."),
            },
            &values,
        );
    }
    out
}

/// What the readings were compared with: the band's own words in `texts`' language, its numbers
/// written by `number`.
fn range_words(series: &Series, texts: &Texts, number: &dyn Fn(f64) -> String) -> String {
    match &series.band {
        Some(band) => band.text_in(&Words { text: &|t| texts.get(t).to_owned(), number }),
        None => texts.get(msg!("the range printed with each result")).to_owned(),
    }
}

/// The table's header row: when, one column per line (with the unit), and the comparison when
/// there is a range.
pub fn headers(series: &Series) -> Vec<String> {
    headers_in(series, &Texts::ENGLISH)
}

/// [`headers`] in `texts`' language.
pub fn headers_in(series: &Series, texts: &Texts) -> Vec<String> {
    let unit = if series.unit.is_empty() { String::new() } else { format!(" ({})", series.unit) };
    let mut out = vec![texts.get(msg!("When")).to_owned()];
    out.extend(series.lines.iter().map(|l| format!("{}{unit}", texts.get(l))));
    if series.readings.iter().any(|r| position(r, series.band.as_ref()).is_some()) {
        out.push(texts.get(msg!("Against the range")).into());
    }
    out
}

/// The table's rows, oldest first, as the chart runs.
pub fn rows(series: &Series) -> Vec<Vec<String>> {
    rows_in(series, &Texts::ENGLISH)
}

/// [`rows`] in `texts`' language (the comparison's word; the times are the readings' own).
pub fn rows_in(series: &Series, texts: &Texts) -> Vec<Vec<String>> {
    let compared = series.readings.iter().any(|r| position(r, series.band.as_ref()).is_some());
    series
        .readings
        .iter()
        .map(|r| {
            let mut row = vec![r.when.clone()];
            row.extend(r.values.iter().map(|v| format_number(*v)));
            if compared {
                row.push(
                    position(r, series.band.as_ref()).map(|p| texts.get(p.label()).to_owned()).unwrap_or_default(),
                );
            }
            row
        })
        .collect()
}

/// What a share writes of a series: the `_in` functions as methods, for `ips` (this module is the
/// trends' own; the methods are how a document reaches it).
impl Series {
    pub fn text_in(&self, texts: &Texts) -> String {
        text_in(self, texts)
    }

    pub fn headers_in(&self, texts: &Texts) -> Vec<String> {
        headers_in(self, texts)
    }

    pub fn rows_in(&self, texts: &Texts) -> Vec<Vec<String>> {
        rows_in(self, texts)
    }
}
