//! The vitals log: blood pressure, pulse, weight, glucose, temperature and oxygen, each reading
//! with its time.

use crate::msg;
use uuid::Uuid;

use super::{Line, Row, SectionForm, SectionText, Value, when};
use crate::forms::fields::{FieldKind::*, datetime_input, field, parse_local_datetime};
use crate::forms::{Field, Values, ZoneOffset, value};
use crate::model::{
    Binder, GlucoseUnit, LocalDateTime, Measurement, Problems, ValidationError, VitalSign, format_number, parse_number,
};

const KINDS: &[(&str, &str)] = &[
    ("blood_pressure", msg!("Blood pressure (mmHg)")),
    ("pulse", msg!("Pulse (beats a minute)")),
    ("weight", msg!("Weight (kg)")),
    ("glucose", msg!("Blood glucose")),
    ("temperature", msg!("Temperature (°C)")),
    ("oxygen", msg!("Oxygen saturation (%)")),
];
const GLUCOSE_UNITS: &[(&str, &str)] = &[("mmol/L", "mmol/L"), ("mg/dL", "mg/dL")];

/// A reading's title, whole per measurement so a language words each its own way.
fn title(m: &Measurement) -> &'static str {
    match m {
        Measurement::BloodPressure { .. } => msg!("Blood pressure: {reading}"),
        Measurement::Pulse { .. } => msg!("Pulse: {reading}"),
        Measurement::Weight { .. } => msg!("Weight: {reading}"),
        Measurement::Glucose { .. } => msg!("Blood glucose: {reading}"),
        Measurement::Temperature { .. } => msg!("Temperature: {reading}"),
        Measurement::OxygenSaturation { .. } => msg!("Oxygen saturation: {reading}"),
    }
}

pub(crate) struct Vitals;

impl SectionForm for Vitals {
    type Item = VitalSign;

    const TEXT: SectionText = SectionText {
        title: msg!("Vitals log"),
        add: msg!("Add reading"),
        edit: msg!("Edit reading"),
        save: msg!("Save reading"),
        slug: "vitals",
        empty: msg!("No readings yet. Log blood pressure, pulse, weight, glucose, temperature or oxygen."),
    };

    const FIELDS: &'static [Field] = &[
        field("kind", msg!("Measurement"), "", Choice(KINDS)),
        field("reading", msg!("Reading"), msg!("(blood pressure as 128/82)"), Reading),
        field("glucose_unit", msg!("Glucose unit"), msg!("(for blood glucose only)"), Choice(GLUCOSE_UNITS)),
        field("at", msg!("When"), "", DateTime),
    ];

    fn new_values(now: &LocalDateTime) -> Values {
        Values::from([
            ("at", datetime_input(now)),
            ("kind", "blood_pressure".into()),
            ("glucose_unit", "mmol/L".into()),
        ])
    }

    fn values(s: &VitalSign) -> Values {
        let (kind, reading, unit) = match s.measurement {
            Measurement::BloodPressure { systolic, diastolic } => {
                ("blood_pressure", format!("{systolic}/{diastolic}"), "")
            }
            Measurement::Pulse { per_minute } => ("pulse", per_minute.to_string(), ""),
            Measurement::Weight { kg } => ("weight", format_number(kg), ""),
            Measurement::Glucose { value, unit } => ("glucose", format_number(value), unit.ucum()),
            Measurement::Temperature { celsius } => ("temperature", format_number(celsius), ""),
            Measurement::OxygenSaturation { percent } => ("oxygen", percent.to_string(), ""),
        };
        Values::from([
            ("kind", kind.to_owned()),
            ("reading", reading),
            ("glucose_unit", if unit.is_empty() { "mmol/L" } else { unit }.to_owned()),
            ("at", datetime_input(&s.at)),
        ])
    }

    fn read(v: &Values, _base: Option<&VitalSign>, zone: ZoneOffset) -> Result<VitalSign, Vec<ValidationError>> {
        let mut r = Problems::default();
        let at = r.ok(parse_local_datetime(value(v, "at"), "at", zone));
        let reading = value(v, "reading").trim();
        let whole = |max: u16| reading.parse::<u16>().ok().filter(|n| *n <= max);
        let number = parse_number(reading);
        let not_a_number = crate::msg!("Enter the reading as a number.");
        let measurement = match value(v, "kind") {
            "blood_pressure" => {
                let parts =
                    reading.split_once('/').and_then(|(s, d)| Some((s.trim().parse().ok()?, d.trim().parse().ok()?)));
                parts
                    .map(|(systolic, diastolic)| Measurement::BloodPressure { systolic, diastolic })
                    .ok_or(crate::msg!("Enter blood pressure as two numbers, the upper (systolic) first: 128/82."))
            }
            "pulse" => whole(1000).map(|per_minute| Measurement::Pulse { per_minute }).ok_or(not_a_number),
            "weight" => number.map(|kg| Measurement::Weight { kg }).ok_or(not_a_number),
            "glucose" => {
                let unit =
                    if value(v, "glucose_unit") == "mg/dL" { GlucoseUnit::MgPerDl } else { GlucoseUnit::MmolPerL };
                number.map(|value| Measurement::Glucose { value, unit }).ok_or(not_a_number)
            }
            "temperature" => number.map(|celsius| Measurement::Temperature { celsius }).ok_or(not_a_number),
            "oxygen" => whole(255).map(|p| Measurement::OxygenSaturation { percent: p as u8 }).ok_or(not_a_number),
            _ => Err(crate::msg!("Choose what you measured.")),
        };
        let measurement = measurement.map_err(|m| r.fail("reading", m)).ok();
        r.finish_some(at.zip(measurement).map(|(at, measurement)| VitalSign { at, measurement }))
    }

    fn row(id: Uuid, s: &VitalSign, _binder: &Binder) -> Row {
        Row {
            id,
            title: Line {
                template: title(&s.measurement),
                values: vec![("reading", {
                    let (values, unit) = s.measurement.amounts();
                    Value::Number { values, unit: unit.to_owned() }
                })],
            },
            details: vec![when(s.at)],
            badge: None,
        }
    }

    /// The newest first.
    fn order(s: &VitalSign) -> i64 {
        -s.at.utc_ms
    }
}
