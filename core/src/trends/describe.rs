//! A series in words and as a table: the text equivalent every chart carries (what a screen reader
//! reads, and what a share holds), and the numbers themselves.

use crate::model::format_number;

use super::ranges::{Position, position};
use super::series::{Reading, Series};

/// "128/82" or "78.5": a reading's values as the patient wrote them.
pub fn values_text(reading: &Reading) -> String {
    reading.values.iter().map(|v| format_number(*v)).collect::<Vec<_>>().join("/")
}

/// A value with its unit: "78.5 kg", "128/82 mmHg", "6 /min", "7" for a score.
fn with_unit(series: &Series, reading: &Reading) -> String {
    let value = values_text(reading);
    if series.unit.is_empty() { value } else { format!("{value} {}", series.unit) }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The text equivalent: how many readings over what time, first and last, lowest and highest
/// (by the first value: the systolic pressure), and how many lie outside the shaded range.
///
/// "Weight: 12 readings from 3 January 2026 to 2 December 2026. First 82 kg, last 78.5 kg.
/// Lowest 78.1 kg on 14 October 2026, highest 83.2 kg on 20 January 2026."
pub fn text(series: &Series) -> String {
    let title = &series.title;
    let readings = &series.readings;
    let (Some(first), Some(last)) = (readings.first(), readings.last()) else {
        return format!("{title}: no readings yet.");
    };
    if readings.len() == 1 {
        let mut out = format!("{title}: 1 reading, {} on {}.", with_unit(series, first), first.day);
        if let Some(p) = position(first, series.band.as_ref()) {
            out += &format!(" {} {}.", p.label(), range_words(series));
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
    let mut out = format!(
        "{title}: {} from {} to {}. First {}, last {}. Lowest {} on {}, highest {} on {}.",
        plural(readings.len(), "reading", "readings"),
        first.day,
        last.day,
        with_unit(series, first),
        with_unit(series, last),
        with_unit(series, lowest),
        lowest.day,
        with_unit(series, highest),
        highest.day,
    );
    let positions: Vec<Position> = readings.iter().filter_map(|r| position(r, series.band.as_ref())).collect();
    if !positions.is_empty() {
        let count = |p: Position| positions.iter().filter(|q| **q == p).count();
        let (above, below) = (count(Position::Above), count(Position::Below));
        let of = positions.len();
        out += &match (above, below) {
            (0, 0) => format!(" All {of} within {}.", range_words(series)),
            (a, 0) => format!(" {a} of {of} above {}.", range_words(series)),
            (0, b) => format!(" {b} of {of} below {}.", range_words(series)),
            (a, b) => format!(" {a} of {of} above and {b} below {}.", range_words(series)),
        };
    }
    out
}

/// What the readings were compared with.
fn range_words(series: &Series) -> String {
    match &series.band {
        Some(band) => band.text.clone(),
        None => "the range printed with each result".into(),
    }
}

/// The table's header row: when, one column per line (with the unit), and the comparison when
/// there is a range.
pub fn headers(series: &Series) -> Vec<String> {
    let unit = if series.unit.is_empty() { String::new() } else { format!(" ({})", series.unit) };
    let mut out = vec!["When".to_owned()];
    out.extend(series.lines.iter().map(|l| format!("{l}{unit}")));
    if series.readings.iter().any(|r| position(r, series.band.as_ref()).is_some()) {
        out.push("Against the range".into());
    }
    out
}

/// The table's rows, oldest first, as the chart runs.
pub fn rows(series: &Series) -> Vec<Vec<String>> {
    let compared = series.readings.iter().any(|r| position(r, series.band.as_ref()).is_some());
    series
        .readings
        .iter()
        .map(|r| {
            let mut row = vec![r.when.clone()];
            row.extend(r.values.iter().map(|v| format_number(*v)));
            if compared {
                row.push(position(r, series.band.as_ref()).map(|p| p.label().to_owned()).unwrap_or_default());
            }
            row
        })
        .collect()
}
