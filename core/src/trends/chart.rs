//! A series' chart as geometry: the app draws it as inline SVG without computing anything. All
//! coordinates are whole units of a fixed `viewBox` (the SVG scales to the screen), so neither
//! side needs a float formatter, which would cost every patient's download more than this file.

use crate::model::{PartialDate, When};

use super::ranges::Band;
use super::series::{Reading, Series};

/// The `viewBox` (wide enough that 12-unit labels read at a phone's width).
pub const WIDTH: i32 = 320;
pub const HEIGHT: i32 = 180;
/// The plot inside it: room for the value labels on the left and the dates below.
const LEFT: i32 = 40;
const RIGHT: i32 = WIDTH - 12;
const TOP: i32 = 10;
const BOTTOM: i32 = HEIGHT - 24;

#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// The plot's edges, for the axes.
    pub left: i32,
    pub right: i32,
    pub top: i32,
    pub bottom: i32,
    /// Value gridlines: y and value (the app writes it as the reader writes numbers).
    pub y_ticks: Vec<(i32, f64)>,
    /// Date labels: x, the reading's day (month, year: a result's date) and its SVG `text-anchor`.
    pub x_ticks: Vec<(i32, PartialDate, &'static str)>,
    /// The shaded normal ranges: y of the top edge and height.
    pub bands: Vec<(i32, i32)>,
    /// One per line of the series (systolic, diastolic): the polyline and its dots.
    pub lines: Vec<ChartLine>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChartLine {
    /// SVG `points`: "40,120 80,96".
    pub points: String,
    pub dots: Vec<(i32, i32)>,
}

impl Chart {
    pub fn view_box() -> String {
        format!("0 0 {WIDTH} {HEIGHT}")
    }
}

/// A "nice" step (1, 2 or 5 times a power of ten) that cuts `span` into about five parts.
pub fn nice_step(span: f64) -> f64 {
    let raw = span / 5.0;
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let mut magnitude = 1.0;
    while magnitude > raw {
        magnitude /= 10.0;
    }
    while magnitude * 10.0 <= raw {
        magnitude *= 10.0;
    }
    let residual = raw / magnitude;
    magnitude
        * if residual <= 1.0 {
            1.0
        } else if residual <= 2.0 {
            2.0
        } else if residual <= 5.0 {
            5.0
        } else {
            10.0
        }
}

/// The value axis: from a multiple of the step at or below `low` to one at or above `high`, and
/// the ticks between (as multiples, so 0.1 + 0.2 never shows as 0.30000000000000004).
pub fn nice_scale(low: f64, high: f64) -> (f64, f64, Vec<f64>) {
    let (low, high) = if high > low { (low, high) } else { (low - 1.0, high + 1.0) };
    let step = nice_step(high - low);
    // A hair of tolerance: 5.6 / 0.1 is 55.99999999999999 in binary.
    let first = (low / step + 1e-9).floor() as i64;
    let last = (high / step - 1e-9).ceil() as i64;
    let ticks = (first..=last).map(|k| k as f64 * step).collect();
    (first as f64 * step, last as f64 * step, ticks)
}

/// The day (month, year) a reading is dated: the local day it was taken, or a result's date.
fn day_of(reading: &Reading) -> Option<PartialDate> {
    match reading.moment {
        When::At(at) => at.date(),
        When::Date(d) => Some(d),
    }
}

/// The chart of `series`. Scores (0 to 10) keep their whole scale; other values span their
/// readings and the shaded range, so the band shows even when every reading is inside it.
pub fn chart(series: &Series) -> Chart {
    let values = series.readings.iter().flat_map(|r| r.values.iter().copied());
    let band_edges = series.band.iter().flat_map(|b: &Band| b.ranges.iter().flat_map(|r| [r.low, r.high])).flatten();
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.chain(band_edges) {
        low = low.min(v);
        high = high.max(v);
    }
    if series.key == super::TrendKey::Severity {
        (low, high) = (0.0, 10.0);
    }
    if !low.is_finite() {
        (low, high) = (0.0, 1.0);
    }
    let (low, high, ticks) = nice_scale(low, high);
    let y = |v: f64| (f64::from(BOTTOM) - (v - low) / (high - low) * f64::from(BOTTOM - TOP)).round() as i32;

    let (start, end) = match (series.readings.first(), series.readings.last()) {
        (Some(a), Some(b)) => (a.at_ms, b.at_ms),
        _ => (0, 0),
    };
    let x = |ms: i64| {
        if end == start {
            (LEFT + RIGHT) / 2
        } else {
            LEFT + ((ms - start) as f64 / (end - start) as f64 * f64::from(RIGHT - LEFT)).round() as i32
        }
    };
    let (first, last) = (series.readings.first().and_then(day_of), series.readings.last().and_then(day_of));
    let x_ticks = match (first, last) {
        (Some(a), _) if end == start => vec![(x(start), a, "middle")],
        (Some(a), Some(b)) => vec![(LEFT, a, "start"), (RIGHT, b, "end")],
        _ => Vec::new(),
    };
    let lines = (0..series.lines.len())
        .map(|i| {
            let dots: Vec<(i32, i32)> =
                series.readings.iter().filter_map(|r| Some((x(r.at_ms), y(*r.values.get(i)?)))).collect();
            let points = dots.iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(" ");
            ChartLine { points, dots }
        })
        .collect();
    let bands = series
        .band
        .iter()
        .flat_map(|b| &b.ranges)
        .map(|r| {
            let top = r.high.map_or(TOP, y);
            let bottom = r.low.map_or(BOTTOM, y);
            (top, bottom - top)
        })
        .collect();
    Chart {
        left: LEFT,
        right: RIGHT,
        top: TOP,
        bottom: BOTTOM,
        y_ticks: ticks.into_iter().map(|t| (y(t), t)).collect(),
        x_ticks,
        bands,
        lines,
    }
}
