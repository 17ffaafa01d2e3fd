use chrono::{TimeZone, Utc};

use super::*;
use crate::model::{
    GlucoseUnit, Interpretation, LocalDateTime, Measurement, Note, PartialDate, Quantity, ResultValue, Source as From,
    TestResult, VitalSign, When,
};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap()
}

fn at(month: u8, day: u8) -> LocalDateTime {
    LocalDateTime::from_local(2026, month, day, 8, 30, 60).unwrap()
}

fn binder(born: Option<&str>) -> Binder {
    let mut b = Binder::new("Ada", now());
    b.profile.birth_date = born.map(|d| PartialDate::parse(d).unwrap());
    b
}

fn vital(b: &mut Binder, month: u8, day: u8, measurement: Measurement) {
    b.add(VitalSign { at: at(month, day), measurement }, From::Patient, now()).unwrap();
}

fn weight(b: &mut Binder, month: u8, day: u8, kg: f64) {
    vital(b, month, day, Measurement::Weight { kg });
}

fn pressure(b: &mut Binder, month: u8, day: u8, systolic: u16, diastolic: u16) {
    vital(b, month, day, Measurement::BloodPressure { systolic, diastolic });
}

#[test]
fn series_are_by_kind_sorted_by_time_whatever_the_order_typed() {
    let mut b = binder(None);
    weight(&mut b, 12, 2, 78.5);
    pressure(&mut b, 3, 1, 128, 82);
    weight(&mut b, 1, 3, 82.0);
    weight(&mut b, 10, 14, 78.1);
    let all = series(&b, Source::Vitals);
    let keys: Vec<_> = all.iter().map(|s| s.key.clone()).collect();
    assert_eq!(keys, [TrendKey::Vital(VitalKind::BloodPressure), TrendKey::Vital(VitalKind::Weight)]);
    let weights: Vec<f64> = all[1].readings.iter().map(|r| r.values[0]).collect();
    assert_eq!(weights, [82.0, 78.1, 78.5]);
    assert_eq!(all[0].readings[0].values, [128.0, 82.0]);
    assert_eq!(all[0].lines, ["Systolic", "Diastolic"]);
    // One reading is no trend yet: the part shows only the weights.
    let shown: Vec<_> = trends(&b, Source::Vitals).into_iter().map(|t| t.title).collect();
    assert_eq!(shown, ["Weight"]);
}

#[test]
fn glucose_in_two_units_makes_two_series_never_converted() {
    let mut b = binder(None);
    for (day, value, unit) in
        [(1, 6.1, GlucoseUnit::MmolPerL), (2, 110.0, GlucoseUnit::MgPerDl), (3, 5.8, GlucoseUnit::MmolPerL)]
    {
        vital(&mut b, 5, day, Measurement::Glucose { value, unit });
    }
    let all = series(&b, Source::Vitals);
    assert_eq!(all.len(), 2);
    assert_eq!((all[0].unit.as_str(), all[0].readings.len()), ("mmol/L", 2));
    assert_eq!((all[1].unit.as_str(), all[1].readings.len()), ("mg/dL", 1));
    assert_eq!(all[1].readings[0].values, [110.0]);
}

#[test]
fn nice_scales_use_round_steps_that_cover_the_values() {
    assert_eq!(nice_step(5.1), 2.0);
    assert_eq!(nice_step(90.0), 20.0);
    assert_eq!(nice_step(0.4), 0.1);
    assert_eq!(nice_step(0.0), 1.0);
    let (low, high, ticks) = nice_scale(78.1, 83.2);
    assert_eq!((low, high), (78.0, 84.0));
    assert_eq!(ticks, [78.0, 80.0, 82.0, 84.0]);
    let (_, _, ticks) = nice_scale(5.6, 5.9);
    let labels: Vec<String> = ticks.iter().map(|t| crate::model::format_number(*t)).collect();
    assert_eq!(labels, ["5.6", "5.7", "5.8", "5.9"]);
    // One value: a scale around it, not a division by zero.
    let (low, high, _) = nice_scale(80.0, 80.0);
    assert!(low < 80.0 && high > 80.0);
}

#[test]
fn the_chart_places_points_by_time_and_value_inside_its_view_box() {
    let mut b = binder(None);
    weight(&mut b, 1, 1, 80.0);
    weight(&mut b, 1, 3, 84.0);
    weight(&mut b, 1, 11, 82.0);
    let t = &trends(&b, Source::Vitals)[0];
    let c = &t.chart;
    let dots = &c.lines[0].dots;
    assert_eq!(dots.len(), 3);
    // Scale 80–84: the first at the bottom left, the highest at the top, the last at the right.
    assert_eq!(dots[0], (c.left, c.bottom));
    assert_eq!(dots[1].1, c.top);
    assert_eq!(dots[2].0, c.right);
    // Time, not order: the second reading is a fifth of the way along ten days.
    assert_eq!(dots[1].0, c.left + (f64::from(c.right - c.left) / 5.0).round() as i32);
    assert_eq!(c.lines[0].points, dots.iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(" "));
    assert!(dots.iter().all(|(x, y)| (0..=WIDTH).contains(x) && (0..=HEIGHT).contains(y)));
    let values: Vec<f64> = c.y_ticks.iter().map(|(_, v)| *v).collect();
    assert_eq!(values, [80.0, 81.0, 82.0, 83.0, 84.0]);
    let dates: Vec<String> = c.x_ticks.iter().map(|(_, d, _)| d.text()).collect();
    assert_eq!(dates, ["1 January 2026", "11 January 2026"]);
    assert!(c.bands.is_empty(), "weight has no normal range");
    assert_eq!(Chart::view_box(), "0 0 320 180");
}

#[test]
fn the_text_equivalent_says_span_first_last_lowest_and_highest() {
    let mut b = binder(None);
    for (month, day, kg) in [(1, 3, 82.0), (1, 20, 83.2), (10, 14, 78.1), (12, 2, 78.5)] {
        weight(&mut b, month, day, kg);
    }
    let t = &trends(&b, Source::Vitals)[0];
    assert_eq!(
        t.text,
        "Weight: 4 readings from 3 January 2026 to 2 December 2026. First 82 kg, last 78.5 kg. \
         Lowest 78.1 kg on 14 October 2026, highest 83.2 kg on 20 January 2026."
    );
    assert_eq!(t.headers, ["When", "Weight (kg)"]);
    assert_eq!(t.rows[0], ["3 January 2026, 08:30", "82"]);
    assert_eq!(t.rows.len(), 4);
    assert_eq!(t.band, None);
}

#[test]
fn an_adults_blood_pressure_is_compared_with_the_nhs_ideal_range() {
    let mut b = binder(Some("1960-05-02"));
    for (day, s, d) in [(1, 142, 91), (2, 118, 76), (3, 125, 79), (4, 85, 55)] {
        pressure(&mut b, 3, day, s, d);
    }
    let t = &trends(&b, Source::Vitals)[0];
    assert!(t.text.starts_with("Blood pressure: 4 readings from 1 March 2026 to 4 March 2026."), "{}", t.text);
    assert!(t.text.contains(
        "First 142/91 mmHg, last 85/55 mmHg. Lowest 85/55 mmHg on 4 March 2026, highest 142/91 mmHg on 1 March 2026."
    ));
    assert!(
        t.text.ends_with("2 of 4 above and 1 below the NHS's ideal blood pressure for adults, 90/60 to 120/80 mmHg."),
        "{}",
        t.text
    );
    assert_eq!(t.headers, ["When", "Systolic (mmHg)", "Diastolic (mmHg)", "Against the range"]);
    let against: Vec<&str> = t.rows.iter().map(|r| r[3].as_str()).collect();
    assert_eq!(against, ["Above", "Within", "Above", "Below"]);
    // Two bands (systolic 90–120, diastolic 60–80), inside the plot, the systolic one higher.
    let c = &t.chart;
    assert_eq!(c.bands.len(), 2);
    assert!(c.bands.iter().all(|(top, height)| *top >= c.top && top + height <= c.bottom && *height > 0));
    assert!(c.bands[0].0 < c.bands[1].0);
    assert_eq!(c.lines.len(), 2);
}

#[test]
fn adult_ranges_are_shown_only_to_known_adults() {
    let reading = at(3, 1).utc_ms;
    assert!(adult_on(PartialDate::parse("2008-03-01").ok(), reading));
    assert!(!adult_on(PartialDate::parse("2008-03-02").ok(), reading));
    // Born some time in 2008: not surely 18 until the year is out.
    assert!(!adult_on(PartialDate::parse("2008").ok(), reading));
    assert!(!adult_on(None, reading));
    let mut child = binder(Some("2019-06"));
    let mut unknown = binder(None);
    for b in [&mut child, &mut unknown] {
        vital(b, 3, 1, Measurement::Pulse { per_minute: 110 });
        vital(b, 3, 2, Measurement::Pulse { per_minute: 95 });
        let t = &trends(b, Source::Vitals)[0];
        assert!(t.band.is_none() && t.chart.bands.is_empty());
        assert!(!t.text.contains("range"), "{}", t.text);
    }
    let mut adult = binder(Some("1980"));
    vital(&mut adult, 3, 1, Measurement::Pulse { per_minute: 110 });
    vital(&mut adult, 3, 2, Measurement::Pulse { per_minute: 95 });
    let t = &trends(&adult, Source::Vitals)[0];
    assert!(t.text.ends_with("1 of 2 above the NHS's normal resting pulse for adults, 60–100 /min."), "{}", t.text);
}

#[test]
fn empty_and_single_readings_still_make_sense() {
    let b = binder(None);
    assert!(series(&b, Source::Vitals).is_empty() && trends(&b, Source::Notes).is_empty());
    let empty = Series {
        key: TrendKey::Vital(VitalKind::Weight),
        title: "Weight".into(),
        unit: "kg".into(),
        lines: vec!["Weight".into()],
        readings: Vec::new(),
        band: None,
    };
    let t = Trend::of(&empty);
    assert_eq!(t.text, "Weight: no readings yet.");
    assert!(t.rows.is_empty() && t.chart.lines[0].dots.is_empty() && t.chart.x_ticks.is_empty());

    let mut b = binder(Some("1970"));
    vital(&mut b, 4, 9, Measurement::Pulse { per_minute: 72 });
    let one = Trend::of(&series(&b, Source::Vitals)[0]);
    assert_eq!(
        one.text,
        "Pulse: 1 reading, 72 /min on 9 April 2026. Within the NHS's normal resting pulse for adults, 60–100 /min."
    );
    let c = &one.chart;
    assert_eq!(c.lines[0].dots, [((c.left + c.right) / 2, c.lines[0].dots[0].1)]);
    assert_eq!(c.x_ticks, [((c.left + c.right) / 2, PartialDate::day(2026, 4, 9).unwrap(), "middle")]);
    assert!(vital_trend(&b, VitalKind::Pulse).is_none(), "one reading is not shared as a trend");
}

#[test]
fn symptom_scores_chart_on_their_whole_scale() {
    let mut b = binder(None);
    for (day, severity) in [(1, Some(7)), (2, None), (3, Some(4)), (5, Some(2))] {
        let note = Note { at: at(6, day), text: "Headache".into(), severity };
        b.add(note, From::Patient, now()).unwrap();
    }
    let t = &trends(&b, Source::Notes)[0];
    assert_eq!(t.rows.len(), 3, "notes without a score are not readings");
    assert_eq!(
        t.text,
        "Symptom severity: 3 readings from 1 June 2026 to 5 June 2026. First 7, last 2. Lowest 2 on 5 June 2026, highest 7 on 1 June 2026."
    );
    let values: Vec<f64> = t.chart.y_ticks.iter().map(|(_, v)| *v).collect();
    assert_eq!(values, [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    assert_eq!(t.headers, ["When", "How bad, 0 to 10"]);
}

fn result(
    name: &str,
    loinc: Option<&str>,
    value: f64,
    unit: &str,
    date: &str,
    range: (Option<f64>, Option<f64>),
) -> TestResult {
    TestResult {
        name: name.into(),
        loinc: loinc.map(Into::into),
        value: ResultValue::Quantity(Quantity { value, unit: unit.into() }),
        when: When::Date(PartialDate::parse(date).unwrap()),
        ordered_by: None,
        range_low: range.0,
        range_high: range.1,
        interpretation: Some(Interpretation::High),
    }
}

#[test]
fn results_trend_by_test_and_unit_against_their_printed_range() {
    let mut b = binder(None);
    let add = |b: &mut Binder, r| {
        b.add(r, From::Patient, now()).unwrap();
    };
    add(&mut b, result("HbA1c", Some("4548-4"), 6.8, "%", "2026-10-02", (None, Some(5.7))));
    add(&mut b, result("HbA1c", Some("4548-4"), 7.4, "%", "2026-01-15", (None, Some(5.7))));
    add(&mut b, result("HbA1c", Some("4548-4"), 53.0, "mmol/mol", "2026-06", (None, Some(42.0))));
    add(&mut b, result("Potassium", None, 4.1, "mmol/L", "2026-02-01", (Some(3.5), Some(5.1))));
    add(&mut b, result("potassium", None, 5.4, "mmol/L", "2026-03-01", (Some(3.5), Some(5.3))));
    let all = series(&b, Source::Results);
    assert_eq!(all.len(), 3, "HbA1c in % and in mmol/mol are two series");
    let hba1c = Trend::of(&all[0]);
    assert!(hba1c.text.starts_with("HbA1c: 2 readings from 15 January 2026 to 2 October 2026."), "{}", hba1c.text);
    assert!(hba1c.text.ends_with("2 of 2 above the reference range, below 5.7."), "{}", hba1c.text);
    assert_eq!(hba1c.band.as_deref(), Some("the reference range, below 5.7"));
    // Normal is below 5.7: the band runs from 5.7 down to the bottom of the plot.
    let (top, height) = hba1c.chart.bands[0];
    assert_eq!(top + height, hba1c.chart.bottom);
    assert!(top > hba1c.chart.top);
    // Reports with different ranges: no band, each compared with its own.
    let potassium = Trend::of(&all[2]);
    assert_eq!(potassium.title, "potassium");
    assert!(potassium.chart.bands.is_empty());
    assert!(potassium.text.ends_with("1 of 2 above the range printed with each result."), "{}", potassium.text);
    let shown: Vec<_> = trends(&b, Source::Results).into_iter().map(|t| t.title).collect();
    assert_eq!(shown, ["HbA1c", "potassium"]);
}

#[test]
fn fixed_words_and_numbers_follow_the_readers_language() {
    // A reader whose catalogue translates the band's words and writes a decimal comma.
    let text = |t: &'static str| match t {
        "the reference range, {range}" => "el intervalo de referencia, {range}".to_owned(),
        "below {value}" => "por debajo de {value}".to_owned(),
        other => other.to_owned(),
    };
    let number = |v: f64| crate::model::format_number(v).replace('.', ",");
    let words = Words { text: &text, number: &number };
    let band = ranges::reported(&[Reading {
        at_ms: 0,
        day: String::new(),
        when: String::new(),
        moment: When::Date(PartialDate::parse("2026").unwrap()),
        values: vec![6.1],
        range: Range::new(None, Some(5.7)),
    }])
    .unwrap();
    assert_eq!(band.text, "the reference range, below 5.7", "core's own words stay English");
    assert_eq!(band.text_in(&words), "el intervalo de referencia, por debajo de 5,7");
    assert_eq!(Range::new(Some(3.5), Some(5.1)).unwrap().text_in(&words), "3,5\u{2013}5,1");
}

#[test]
fn the_caption_on_screen_is_in_the_readers_words_dates_and_numbers() {
    let catalogue = crate::i18n::Catalogue::parse(include_str!("../../../locales/es.txt")).unwrap();
    let es = crate::ips::Texts::new("es", Some(&catalogue));
    let comma = |v: f64| crate::model::format_number(v).replace('.', ",");
    let mut b = binder(Some("1970"));
    for (month, day, kg) in [(1, 3, 82.0), (12, 2, 78.5)] {
        weight(&mut b, month, day, kg);
    }
    vital(&mut b, 4, 9, Measurement::Pulse { per_minute: 72 });
    vital(&mut b, 4, 10, Measurement::Pulse { per_minute: 104 });
    let shown = trends_in(&b, Source::Vitals, &es, &comma);
    let weight = shown.iter().find(|t| t.unit == "kg").unwrap();
    assert!(weight.text.contains("3 de enero de 2026"), "{}", weight.text);
    assert!(weight.text.contains("78,5 kg"), "{}", weight.text);
    assert!(!weight.text.contains("Weight"), "{}", weight.text);
    let pulse = shown.iter().find(|t| t.unit == "/min").unwrap();
    assert!(!pulse.text.contains("the NHS"), "the band's words too: {}", pulse.text);
    // English reads as the code writes it.
    let english = trends_in(&b, Source::Vitals, &crate::ips::Texts::ENGLISH, &crate::model::format_number);
    assert_eq!(english, trends(&b, Source::Vitals));
}

#[test]
fn the_table_as_values_compares_each_reading() {
    let mut b = binder(Some("1970"));
    vital(&mut b, 4, 9, Measurement::Pulse { per_minute: 72 });
    vital(&mut b, 4, 10, Measurement::Pulse { per_minute: 104 });
    let t = &trends(&b, Source::Vitals)[0];
    assert_eq!(t.unit, "/min");
    let positions: Vec<Option<Position>> = t.table.iter().map(|r| r.position).collect();
    assert_eq!(positions, [Some(Position::Within), Some(Position::Above)]);
    assert_eq!(t.table[1].values, [104.0]);
    assert_eq!(t.table[0].moment, When::At(at(4, 9)));
    assert_eq!(t.shaded.as_ref().map(|b| b.text.as_str()), t.band.as_deref());
}
