//! Test results from letters and portals, with the normal range and the report's flag. A result
//! may be a number with a unit or words ("Negative").

use crate::msg;
use uuid::Uuid;

use super::{Line, Row, SectionForm, SectionText, Value, date_text, details, labelled, provider_name, text_of, when};
use crate::forms::fields::{FieldKind::*, field, optional_number, parse_date};
use crate::forms::{Field, Values, ZoneOffset, value};
use crate::model::{
    Binder, Interpretation, LocalDateTime, Problems, Quantity, ResultValue, TestResult, ValidationError, When,
    format_number, parse_number,
};

const INTERPRETATIONS: &[(&str, &str)] = &[
    ("N", msg!("Normal")),
    ("L", msg!("Low")),
    ("H", msg!("High")),
    ("LL", msg!("Critically low")),
    ("HH", msg!("Critically high")),
    ("A", msg!("Abnormal")),
];

/// Sorts day-only and timed results together (a day sorts as its start, UTC).
fn when_key(when: &When) -> i64 {
    match when {
        When::At(at) => at.utc_ms,
        When::Date(d) => LocalDateTime::from_local(
            d.year_number().into(),
            d.month_number().unwrap_or(1),
            d.day_number().unwrap_or(1),
            0,
            0,
            0,
        )
        .map_or(0, |at| at.utc_ms),
    }
}

fn number_text(n: Option<f64>) -> String {
    n.map(format_number).unwrap_or_default()
}

pub(crate) struct Results;

impl SectionForm for Results {
    type Item = TestResult;

    const TEXT: SectionText = SectionText {
        title: msg!("Test results"),
        add: msg!("Add result"),
        edit: msg!("Edit result"),
        save: msg!("Save result"),
        slug: "results",
        empty: msg!("None recorded. Add results from letters and portals, with the normal range."),
    };

    const FIELDS: &'static [Field] = &[
        field("name", msg!("Test"), msg!("(e.g. HbA1c, LDL cholesterol)"), Text),
        field("value", msg!("Result"), msg!("(a number, or words such as Negative)"), Reading),
        field("unit", msg!("Unit"), msg!("(e.g. %, mmol/L)"), Text),
        field("when", msg!("Date of the test"), msg!("(e.g. 2026-10-02)"), Date),
        field("range_low", msg!("Normal range from"), "", Number),
        field("range_high", msg!("Normal range to"), "", Number),
        field("interpretation", msg!("Flag on the report"), "", Choice(INTERPRETATIONS)),
        field("ordered_by", msg!("Ordered by"), "", CareTeam),
        field("loinc", msg!("LOINC code"), msg!("(optional, e.g. 4548-4)"), Text),
    ];

    fn values(t: &TestResult) -> Values {
        let (value, unit) = match &t.value {
            ResultValue::Quantity(q) => (format_number(q.value), q.unit.clone()),
            ResultValue::Text(text) => (text.clone(), String::new()),
        };
        let when = match t.when {
            When::Date(d) => d.text(),
            When::At(at) => date_text(at.date()),
        };
        Values::from([
            ("name", t.name.clone()),
            ("value", value),
            ("unit", unit),
            ("when", when),
            ("range_low", number_text(t.range_low)),
            ("range_high", number_text(t.range_high)),
            ("interpretation", t.interpretation.map(|i| i.code()).unwrap_or_default().to_owned()),
            ("ordered_by", t.ordered_by.map(|id| id.to_string()).unwrap_or_default()),
            ("loinc", t.loinc.clone().unwrap_or_default()),
        ])
    }

    fn read(v: &Values, base: Option<&TestResult>, _zone: ZoneOffset) -> Result<TestResult, Vec<ValidationError>> {
        let mut r = Problems::default();
        let day = r.take(parse_date(value(v, "when"), "when"));
        // A timed result (from an import) keeps its time while its day is unchanged.
        let when = match (day, base.map(|b| b.when)) {
            (Some(day), Some(When::At(at))) if at.date() == Some(day) => Some(When::At(at)),
            (Some(day), _) => Some(When::Date(day)),
            (None, _) => {
                // A date that did not parse was reported by parse_date; an empty one is reported here.
                if value(v, "when").trim().is_empty() {
                    r.fail("when", crate::msg!("Enter the date of the test (the year is enough)."));
                }
                None
            }
        };
        let text = value(v, "value").trim();
        let unit = value(v, "unit").trim();
        let result = match parse_number(text) {
            Some(number) => ResultValue::Quantity(Quantity { value: number, unit: unit.to_owned() }),
            None if !unit.is_empty() && !text.is_empty() => {
                r.fail("value", crate::msg!("A result with a unit must be a number, e.g. 6.8."));
                ResultValue::Text(text.to_owned())
            }
            None => ResultValue::Text(text.to_owned()),
        };
        let range_low = r.take(optional_number(value(v, "range_low"), "range_low"));
        let range_high = r.take(optional_number(value(v, "range_high"), "range_high"));
        let ordered_by = value(v, "ordered_by").parse::<Uuid>().ok();
        let interpretation = Interpretation::from_code(value(v, "interpretation"));
        let loinc = Some(text_of(v, "loinc")).filter(|c| !c.trim().is_empty());
        r.finish_some(when.map(|when| TestResult {
            name: text_of(v, "name"),
            loinc,
            value: result,
            when,
            ordered_by,
            range_low,
            range_high,
            interpretation,
        }))
    }

    fn row(id: Uuid, t: &TestResult, binder: &Binder) -> Row {
        Row {
            id,
            title: Line {
                template: "{name}: {value}",
                values: vec![
                    ("name", Value::Text(t.name.clone())),
                    (
                        "value",
                        match &t.value {
                            ResultValue::Quantity(q) => Value::Number { values: vec![q.value], unit: q.unit.clone() },
                            ResultValue::Text(text) => Value::Text(text.clone()),
                        },
                    ),
                ],
            },
            details: details([
                Some(when(t.when)),
                (t.range_low.is_some() || t.range_high.is_some()).then(|| Line {
                    template: msg!("Normal range {range}"),
                    values: vec![("range", Value::Range { low: t.range_low, high: t.range_high })],
                }),
                labelled(
                    msg!("Ordered by {name}"),
                    "name",
                    &t.ordered_by.and_then(|id| provider_name(binder, id)).unwrap_or_default(),
                ),
                labelled("LOINC {code}", "code", t.loinc.as_deref().unwrap_or_default()),
            ]),
            badge: t.interpretation.filter(|i| *i != Interpretation::Normal).map(|i| i.label()),
        }
    }

    /// The newest first.
    fn order(t: &TestResult) -> i64 {
        -when_key(&t.when)
    }
}
