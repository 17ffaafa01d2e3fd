//! The trends a patient chose to share (a weight or blood-pressure trend), as a narrative section
//! of the IPS: per trend a heading, its text equivalent and the table of its numbers, so every
//! receiver shows the same words the patient's chart carries. The readings themselves travel as
//! Observations in the vital-signs section when the patient shares it; this section is what a
//! chart says, for a clinician without one.
//!
//! Coded in Health Binder's own code system, as the SBAR is: no LOINC code names a patient's
//! chosen trend. Placed right after the vital signs.

use serde_json::{Value, json};

use super::narrative::escape;
use super::read::Line;
use super::{SBAR_SECTION, Texts, VITAL_SIGNS};
use crate::model::{Binder, LocalDateTime};
use crate::msg;
use crate::trends::{self, MIN_READINGS, Series, Source, TrendKey, VitalKind};

/// The section's code in [`SBAR_SECTION`]'s system.
pub const TRENDS_SECTION: &str = "trends";
pub const TRENDS_TITLE: &str = msg!("Trends the patient chose to share");

/// One trend as the section writes it, in the document's language.
struct Written {
    title: String,
    text: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// The trends of `kinds` that have enough readings, in `texts`' language: the series' words are
/// looked up, and each reading's day and time written again from the binder's own reading (the
/// series keeps them as English text).
fn written(binder: &Binder, kinds: &[VitalKind], texts: &Texts) -> Vec<Written> {
    let all = trends::series(binder, Source::Vitals);
    let mut times: Vec<LocalDateTime> = binder.vitals.iter().map(|v| v.data.at).collect();
    times.sort_by_key(|at| at.utc_ms);
    kinds
        .iter()
        .filter_map(|kind| all.iter().find(|s| s.key == TrendKey::Vital(*kind) && s.readings.len() >= MIN_READINGS))
        .map(|series| {
            let mut series: Series = series.clone();
            for reading in &mut series.readings {
                if let Ok(i) = times.binary_search_by_key(&reading.at_ms, |at| at.utc_ms) {
                    reading.day = times[i].date().map(|d| texts.date(d)).unwrap_or_default();
                    reading.when = texts.date_time(times[i]);
                }
            }
            Written {
                title: texts.get(&series.title).to_owned(),
                text: series.text_in(texts),
                headers: series.headers_in(texts),
                rows: series.rows_in(texts),
            }
        })
        .collect()
}

/// The section for the trends of `kinds` that have enough readings; `None` when none has.
pub fn section(binder: &Binder, kinds: &[VitalKind], texts: &Texts) -> Option<Value> {
    let trends = written(binder, kinds, texts);
    if trends.is_empty() {
        return None;
    }
    let cells =
        |tag: &str, row: &[String]| -> String { row.iter().map(|c| format!("<{tag}>{}</{tag}>", escape(c))).collect() };
    let body: String = trends
        .iter()
        .map(|t| {
            let rows: String = t.rows.iter().map(|r| format!("<tr>{}</tr>", cells("td", r))).collect();
            format!(
                "<h3>{}</h3><p>{}</p><table><thead><tr>{}</tr></thead><tbody>{rows}</tbody></table>",
                escape(&t.title),
                escape(&t.text),
                cells("th", &t.headers)
            )
        })
        .collect();
    let title = texts.get(TRENDS_TITLE);
    Some(json!({
        "title": title,
        "code": { "coding": [{ "system": SBAR_SECTION.0, "code": TRENDS_SECTION, "display": TRENDS_TITLE }], "text": title },
        "text": { "status": "generated", "div": format!(r#"<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>"#) },
    }))
}

/// Puts the trends section (if any) right after the vital signs, or last without them.
pub(super) fn insert(sections: &mut Vec<Value>, binder: &Binder, kinds: &[VitalKind], texts: &Texts) {
    if let Some(section) = section(binder, kinds, texts) {
        let vitals = sections.iter().position(|s| s["code"]["coding"][0]["code"] == VITAL_SIGNS.loinc);
        sections.insert(vitals.map_or(sections.len(), |i| i + 1), section);
    }
}

/// The section read back as text: per trend its title, its text equivalent, the table's columns,
/// then one detail per row ("3 March 2026, 08:30" → "142 · 91 · Above").
pub(super) fn read(div: &str) -> Vec<Line> {
    let unescape = |t: &str| {
        t.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
    };
    let between = |text: &str, open: &str, close: &str| -> Vec<String> {
        text.split(open).skip(1).filter_map(|part| part.split_once(close).map(|(inner, _)| unescape(inner))).collect()
    };
    div.split("<h3>")
        .skip(1)
        .filter_map(|part| {
            let (title, rest) = part.split_once("</h3>")?;
            let mut details: Vec<(String, String)> =
                between(rest, "<p>", "</p>").into_iter().map(|p| (String::new(), p)).collect();
            let headers = between(rest, "<th>", "</th>");
            if headers.len() > 1 {
                details.push((headers[0].clone(), headers[1..].join(" \u{b7} ")));
            }
            for row in rest.split("<tr>").skip(1) {
                let cells = between(row, "<td>", "</td>");
                if let Some((when, values)) = cells.split_first() {
                    let values: Vec<&str> = values.iter().map(String::as_str).filter(|v| !v.is_empty()).collect();
                    details.push((when.clone(), values.join(" \u{b7} ")));
                }
            }
            Some(Line { title: unescape(title), details })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::model::{LocalDateTime, Measurement, PartialDate, Source, VitalSign};

    #[test]
    fn a_shared_trend_reads_back_as_its_words_and_numbers() {
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap();
        let mut b = Binder::new("Ada <script>", now);
        b.profile.birth_date = PartialDate::parse("1960").ok();
        for (day, systolic, diastolic) in [(1, 142, 91), (2, 118, 76)] {
            let at = LocalDateTime::from_local(2026, 3, day, 8, 30, 0).unwrap();
            b.add(
                VitalSign { at, measurement: Measurement::BloodPressure { systolic, diastolic } },
                Source::Patient,
                now,
            )
            .unwrap();
        }
        let at = LocalDateTime::from_local(2026, 3, 1, 8, 0, 0).unwrap();
        b.add(VitalSign { at, measurement: Measurement::Weight { kg: 80.0 } }, Source::Patient, now).unwrap();
        // Weight has one reading: no trend, so only blood pressure goes.
        let section = section(&b, &[VitalKind::Weight, VitalKind::BloodPressure], &Texts::ENGLISH).unwrap();
        let div = section["text"]["div"].as_str().unwrap();
        assert!(div.contains("<th>Systolic (mmHg)</th>") && div.contains("<td>142</td>"));
        assert!(div.contains("the NHS&#39;s ideal blood pressure"), "escaped like every narrative");
        let lines = read(div);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].title, "Blood pressure");
        assert!(lines[0].details[0].1.starts_with("Blood pressure: 2 readings from 1 March 2026 to 2 March 2026."));
        assert!(lines[0].details[0].1.contains("the NHS's ideal"));
        assert_eq!(
            lines[0].details[1],
            ("When".into(), "Systolic (mmHg) · Diastolic (mmHg) · Against the range".into())
        );
        assert_eq!(lines[0].details[2], ("1 March 2026, 08:30".into(), "142 · 91 · Above".into()));
        assert_eq!(lines[0].details.len(), 4);
        assert!(super::section(&b, &[VitalKind::Weight], &Texts::ENGLISH).is_none());
    }

    #[test]
    fn a_document_carries_the_chosen_trend_after_the_vital_signs_and_the_viewer_reads_it() {
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap();
        let mut b = Binder::new("Ada", now);
        for (day, kg) in [(1, 82.0), (9, 80.5)] {
            let at = LocalDateTime::from_local(2026, 3, day, 8, 0, 0).unwrap();
            b.add(VitalSign { at, measurement: Measurement::Weight { kg } }, Source::Patient, now).unwrap();
        }
        let read_back = |options: &crate::ips::DocumentOptions| {
            let doc = crate::ips::build_document(&b, now, options, &Texts::ENGLISH);
            let titles: Vec<String> = doc["entry"][0]["resource"]["section"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["title"].as_str().unwrap().to_owned())
                .collect();
            (titles, crate::ips::read_document(&doc).unwrap())
        };
        let (titles, _) = read_back(&Default::default());
        assert!(!titles.iter().any(|t| t == TRENDS_TITLE), "no trend unless chosen");

        let options = crate::ips::DocumentOptions { trends: vec![VitalKind::Weight], ..Default::default() };
        let (titles, summary) = read_back(&options);
        let vitals = titles.iter().position(|t| t == VITAL_SIGNS.title).unwrap();
        assert_eq!(titles[vitals + 1], TRENDS_TITLE);
        let section = summary.sections.iter().find(|s| s.title == TRENDS_TITLE).unwrap();
        assert_eq!(section.lines[0].title, "Weight");
        assert_eq!(section.lines[0].detail("1 March 2026, 08:00"), Some("82"));
        assert_eq!(section.lines[0].detail("9 March 2026, 08:00"), Some("80.5"));

        // Withheld vital signs: the trend the patient chose still goes, last.
        let options = crate::ips::DocumentOptions {
            sections: vec![crate::ips::ALLERGIES],
            trends: vec![VitalKind::Weight],
            ..Default::default()
        };
        let (titles, _) = read_back(&options);
        assert_eq!(titles.iter().filter(|t| *t == TRENDS_TITLE).count(), 1);
    }
}
