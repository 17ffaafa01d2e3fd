//! The binder's readings as series: one per kind of measurement and unit, oldest first.
//!
//! Units are never mixed and never converted: blood glucose typed in mmol/L and in mg/dL makes two
//! series (converting what a patient typed would put numbers in the binder nobody wrote), and a
//! test result is grouped by its LOINC code (else its name) *and* its unit, so an HbA1c in % and
//! one in mmol/mol are two trends.

use crate::model::{Binder, GlucoseUnit, LocalDateTime, Measurement, PartialDate, ResultValue, When, days_from_civil};
use crate::msg;
use crate::order::ordered;

use super::ranges::{self, Range};

/// The kinds of vital sign, one series each (blood glucose once per unit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VitalKind {
    BloodPressure,
    Pulse,
    Weight,
    GlucoseMmol,
    GlucoseMg,
    Temperature,
    OxygenSaturation,
}

impl VitalKind {
    /// In the order the Vitals part shows them.
    pub const ALL: [Self; 7] = [
        Self::BloodPressure,
        Self::Weight,
        Self::Pulse,
        Self::GlucoseMmol,
        Self::GlucoseMg,
        Self::Temperature,
        Self::OxygenSaturation,
    ];

    pub fn of(m: &Measurement) -> (Self, [f64; 2]) {
        match *m {
            Measurement::BloodPressure { systolic, diastolic } => {
                (Self::BloodPressure, [systolic.into(), diastolic.into()])
            }
            Measurement::Pulse { per_minute } => (Self::Pulse, [per_minute.into(), 0.0]),
            Measurement::Weight { kg } => (Self::Weight, [kg, 0.0]),
            Measurement::Glucose { value, unit: GlucoseUnit::MmolPerL } => (Self::GlucoseMmol, [value, 0.0]),
            Measurement::Glucose { value, unit: GlucoseUnit::MgPerDl } => (Self::GlucoseMg, [value, 0.0]),
            Measurement::Temperature { celsius } => (Self::Temperature, [celsius, 0.0]),
            Measurement::OxygenSaturation { percent } => (Self::OxygenSaturation, [percent.into(), 0.0]),
        }
    }

    /// A stable code, for form values.
    pub fn code(self) -> &'static str {
        match self {
            Self::BloodPressure => "blood-pressure",
            Self::Pulse => "pulse",
            Self::Weight => "weight",
            Self::GlucoseMmol => "glucose-mmol",
            Self::GlucoseMg => "glucose-mg",
            Self::Temperature => "temperature",
            Self::OxygenSaturation => "oxygen",
        }
    }

    /// Its name (English, a `msg!` text the app shows through its catalogue).
    pub fn label(self) -> &'static str {
        match self {
            Self::BloodPressure => msg!("Blood pressure"),
            Self::Pulse => msg!("Pulse"),
            Self::Weight => msg!("Weight"),
            Self::GlucoseMmol | Self::GlucoseMg => msg!("Blood glucose"),
            Self::Temperature => msg!("Temperature"),
            Self::OxygenSaturation => msg!("Oxygen saturation"),
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Self::BloodPressure => "mmHg",
            Self::Pulse => "/min",
            Self::Weight => "kg",
            Self::GlucoseMmol => "mmol/L",
            Self::GlucoseMg => "mg/dL",
            Self::Temperature => "\u{b0}C",
            Self::OxygenSaturation => "%",
        }
    }
}

/// Which series a trend is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrendKey {
    Vital(VitalKind),
    /// The journal's "how bad" scores, 0 to 10, whatever the symptom.
    Severity,
    /// A test result by its LOINC code (or its name in lower case) and unit.
    Result {
        code: String,
        unit: String,
    },
}

/// One reading: when, and one value per line of the chart (two for blood pressure).
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The instant, for the time axis (a result known only to the day, month or year: its start).
    pub at_ms: i64,
    /// The day, for the text equivalent: "3 January 2026".
    pub day: String,
    /// When, as the table shows it: "3 January 2026, 08:30".
    pub when: String,
    /// When, for the app to write in the reader's language: the moment it was taken, or the day
    /// (month, year) a result is dated.
    pub moment: When,
    pub values: Vec<f64>,
    /// The range printed with this reading (test results), which it is compared with.
    pub range: Option<Range>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub key: TrendKey,
    /// "Weight", "HbA1c", "Symptom severity".
    pub title: String,
    /// "kg", "mmHg"; empty for a score.
    pub unit: String,
    /// The name of each line: ["Systolic", "Diastolic"], or the title alone.
    pub lines: Vec<String>,
    pub readings: Vec<Reading>,
    /// The shaded normal range of each line, where the binder knows one, and what it is.
    pub band: Option<ranges::Band>,
}

fn reading_at(at: &LocalDateTime, values: Vec<f64>) -> Reading {
    let day = at.date().map(|d| d.text()).unwrap_or_default();
    Reading { at_ms: at.utc_ms, day, when: at.text(), moment: When::At(*at), values, range: None }
}

/// The start of a date known to the year, month or day, in UTC milliseconds.
fn start_of(date: PartialDate) -> i64 {
    let days =
        days_from_civil(date.year_number().into(), date.month_number().unwrap_or(1), date.day_number().unwrap_or(1));
    days * 86_400_000
}

/// Every vital-sign series the binder has readings for, in [`VitalKind::ALL`]'s order.
pub fn vitals(binder: &Binder) -> Vec<Series> {
    let birth = binder.profile.birth_date;
    VitalKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let keyed: Vec<(i64, Reading)> = binder
                .vitals
                .iter()
                .filter_map(|e| {
                    let (k, [a, b]) = VitalKind::of(&e.data.measurement);
                    let values = if k == VitalKind::BloodPressure { vec![a, b] } else { vec![a] };
                    (k == kind).then(|| (e.data.at.utc_ms, reading_at(&e.data.at, values)))
                })
                .collect();
            let readings = ordered(keyed);
            let last = readings.last()?;
            let lines = if kind == VitalKind::BloodPressure {
                vec![msg!("Systolic").to_owned(), msg!("Diastolic").to_owned()]
            } else {
                vec![kind.label().to_owned()]
            };
            let adult = ranges::adult_on(birth, last.at_ms);
            Some(Series {
                key: TrendKey::Vital(kind),
                title: kind.label().to_owned(),
                unit: kind.unit().to_owned(),
                lines,
                band: if adult { ranges::adult_vital(kind) } else { None },
                readings,
            })
        })
        .collect()
}

/// The journal's severity scores as one series, if any note has one.
pub fn severity(binder: &Binder) -> Option<Series> {
    let keyed: Vec<(i64, Reading)> = binder
        .notes
        .iter()
        .filter_map(|e| Some((e.data.at.utc_ms, reading_at(&e.data.at, vec![e.data.severity?.into()]))))
        .collect();
    let readings = ordered(keyed);
    (!readings.is_empty()).then(|| Series {
        key: TrendKey::Severity,
        title: msg!("Symptom severity").to_owned(),
        unit: String::new(),
        lines: vec![msg!("How bad, 0 to 10").to_owned()],
        readings,
        band: None,
    })
}

/// Numeric test results, one series per test and unit, in the order each test first appears.
pub fn results(binder: &Binder) -> Vec<Series> {
    let mut out: Vec<(Series, Vec<(i64, Reading)>)> = Vec::new();
    for e in &binder.results {
        let r = &e.data;
        let ResultValue::Quantity(q) = &r.value else { continue };
        let code = r.loinc.clone().unwrap_or_else(|| r.name.to_lowercase());
        let key = TrendKey::Result { code, unit: q.unit.clone() };
        let reading = match r.when {
            When::At(at) => reading_at(&at, vec![q.value]),
            When::Date(d) => Reading {
                at_ms: start_of(d),
                day: d.text(),
                when: d.text(),
                moment: When::Date(d),
                values: vec![q.value],
                range: None,
            },
        };
        let range = Range::new(r.range_low, r.range_high);
        let reading = Reading { range, ..reading };
        match out.iter_mut().find(|(s, _)| s.key == key) {
            Some((series, keyed)) => {
                // The latest entry's name stands for the test.
                series.title = r.name.clone();
                keyed.push((reading.at_ms, reading));
            }
            None => out.push((
                Series {
                    key,
                    title: r.name.clone(),
                    unit: q.unit.clone(),
                    lines: vec![r.name.clone()],
                    readings: Vec::new(),
                    band: None,
                },
                vec![(reading.at_ms, reading)],
            )),
        }
    }
    out.into_iter()
        .map(|(mut series, keyed)| {
            series.readings = ordered(keyed);
            series.lines = vec![series.title.clone()];
            series.band = ranges::reported(&series.readings);
            series
        })
        .collect()
}
