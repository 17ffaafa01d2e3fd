//! Trends on screen: each series as an inline SVG chart drawn from core's geometry
//! (`core::trends`: scales, points, the shaded range, the text equivalent, the table), with its
//! text equivalent visible beside it and its numbers in a table. No chart library and nothing
//! fetched: the SVG is built here from whole numbers.
//!
//! The chart is an image named by its visible text equivalent (`aria-labelledby`), never by a
//! label string assembled from binder text (which would leave a copy in the browser's heap that
//! the wipe on lock cannot reach). Colour is never the only cue: the second line is dashed with
//! square dots, and the table says which readings lie outside the range.

use health_binder_core::model::{PartialDate, When};
use health_binder_core::trends::{self, Chart, RANGE_HEADING, Source, Trend, TrendKey, WHEN_HEADING, Words};
use leptos::prelude::*;

use crate::i18n::{number, t, t_text, tf};

use crate::session::SessionState;

/// Dark enough on white (and on the band) for WCAG's 3:1 for graphics.
const LINE_COLOURS: [&str; 2] = ["#17496b", "#a4161a"];
const BAND_FILL: &str = "#d6eedc";
const GRID: &str = "#c9d3dc";
const LABEL: &str = "#4a5560";

/// The trends of one part of the binder (vitals, notes, results), under a heading; nothing while
/// no series has two readings.
#[component]
pub fn TrendsPart(source: Source) -> impl IntoView {
    let session = expect_context::<SessionState>();
    let slug = match source {
        Source::Vitals => "vitals",
        Source::Notes => "notes",
        Source::Results => "results",
    };
    // The text equivalents in the reader's words, dates and numbers.
    let trends = move || {
        session.binder.with(|b| {
            b.as_ref().map(|b| trends::trends_in(b, source, &crate::i18n::texts(), &number)).unwrap_or_default()
        })
    };
    move || {
        let trends = trends();
        (!trends.is_empty()).then(|| {
            let title = format!("{slug}-trends-title");
            let labelled_by = title.clone();
            view! {
                <section class="trends" aria-labelledby=labelled_by data-trends=slug>
                    <h2 id=title>{t("Trends")}</h2>
                    {trends.into_iter().enumerate().map(|(i, t)| view! {
                        <TrendChart trend=t id=format!("{slug}-trend-{i}")/>
                    }).collect_view()}
                </section>
            }
        })
    }
}

/// One trend: its title, the chart, the text equivalent, a legend when there is more than a line,
/// and the numbers. Fixed words through the catalogue, numbers and dates as the reader writes them
/// (`Intl`); a test result's name as the patient typed it.
#[component]
pub fn TrendChart(trend: Trend, id: String) -> impl IntoView {
    let text_id = format!("{id}-text");
    // Vital signs and scores are named by core's msg! texts; a result by what the patient typed.
    let typed = matches!(trend.key, TrendKey::Result { .. });
    let name = |s: &String| if typed { s.clone() } else { t_text(s) };
    let lines: Vec<String> = trend.lines.iter().map(name).collect();
    let two_lines = lines.len() > 1;
    let legend = two_lines.then(|| {
        tf(
            "Solid line with round dots: {first}. Dashed line with square dots: {second}.",
            &[("first", &lines[0]), ("second", &lines[1])],
        )
    });
    let words = Words { text: &|s| t(s).to_owned(), number: &number };
    let band = trend.shaded.as_ref().map(|b| tf("Shaded: {band}.", &[("band", &b.text_in(&words))]));
    let compared = trend.table.iter().any(|r| r.position.is_some());
    let unit = trend.unit.clone();
    let mut headers = vec![t(WHEN_HEADING).to_owned()];
    headers.extend(lines.iter().map(|l| if unit.is_empty() { l.clone() } else { format!("{l} ({unit})") }));
    if compared {
        headers.push(t(RANGE_HEADING).to_owned());
    }
    let rows: Vec<Vec<String>> = trend
        .table
        .iter()
        .map(|r| {
            let mut row = vec![moment_text(&r.moment)];
            row.extend(r.values.iter().map(|v| number(*v)));
            if compared {
                row.push(r.position.map(|p| t(p.label()).to_owned()).unwrap_or_default());
            }
            row
        })
        .collect();
    view! {
        <figure class="card trend" data-trend=id.clone()>
            <h3>{name(&trend.title)}</h3>
            <svg class="chart" viewBox=Chart::view_box() width="100%" role="img" aria-labelledby=text_id.clone()
                inner_html=chart_markup(&trend.chart)>
            </svg>
            <figcaption id=text_id>{trend.text.clone()}</figcaption>
            {(legend.is_some() || band.is_some()).then(|| view! {
                <p class="muted">{legend}{(two_lines && band.is_some()).then_some(" ")}{band}</p>
            })}
            <details>
                <summary>{t("Show the numbers")}</summary>
                <table class="medication-table">
                    <thead><tr>{headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr></thead>
                    <tbody>{rows.into_iter().map(|row| {
                        let mut cells = row.into_iter().zip(headers.clone());
                        let when = cells.next().map(|(c, _)| c).unwrap_or_default();
                        view! {
                            <tr>
                                <th scope="row">{when}</th>
                                {cells.map(|(c, h)| view! { <td data-label=h>{c}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            </details>
        </figure>
    }
}

/// When a reading was taken, as the table shows it. English keeps core's wording ("3 January 2026,
/// 08:30"), as the text equivalent writes it; another language its own (`Intl`).
fn moment_text(moment: &When) -> String {
    match moment {
        _ if crate::i18n::language() == "en" => match moment {
            When::At(at) => at.text(),
            When::Date(d) => d.text(),
        },
        When::At(at) => {
            let p = at.local();
            crate::browser::wall_clock_date(p.year, Some(p.month), Some(p.day), Some((p.hour, p.minute)), "long")
        }
        When::Date(d) => {
            crate::browser::wall_clock_date(d.year_number().into(), d.month_number(), d.day_number(), None, "long")
        }
    }
}

/// A chart's date label: the day (month, year) in the reader's language, the month abbreviated.
fn tick_date(d: &PartialDate) -> String {
    crate::browser::wall_clock_date(d.year_number().into(), d.month_number(), d.day_number(), None, "short")
}

/// The SVG's content — band, gridlines with their values, the dates, then the lines and dots on
/// top — as markup built from core's whole-number geometry and the numbers and dates of its labels
/// only (never binder text; written by `Intl`, which escapes nothing we need: digits, punctuation
/// and month names), set as the element's content: typed views for every shape cost the
/// download several times more.
fn chart_markup(c: &Chart) -> String {
    let mut out = String::new();
    for (y, height) in &c.bands {
        out += &format!(
            r#"<rect x="{}" y="{y}" width="{}" height="{height}" fill="{BAND_FILL}"/>"#,
            c.left,
            c.right - c.left
        );
    }
    for (y, value) in &c.y_ticks {
        let label = number(*value);
        out += &format!(
            r#"<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="{GRID}"/><text x="{}" y="{}" text-anchor="end" font-size="13" fill="{LABEL}">{label}</text>"#,
            c.left - 5,
            y + 4,
            l = c.left,
            r = c.right
        );
    }
    out += &format!(r#"<line x1="{}" x2="{}" y1="{b}" y2="{b}" stroke="{LABEL}"/>"#, c.left, c.right, b = c.bottom);
    for (x, day, anchor) in &c.x_ticks {
        let label = tick_date(day);
        out += &format!(
            r#"<text x="{x}" y="{}" text-anchor="{anchor}" font-size="13" fill="{LABEL}">{label}</text>"#,
            c.bottom + 18
        );
    }
    for (i, line) in c.lines.iter().enumerate() {
        let colour = LINE_COLOURS[i % 2];
        let dash = if i > 0 { r#" stroke-dasharray="6 4""# } else { "" };
        out += &format!(r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#, line.points);
        for (x, y) in &line.dots {
            out += &if i == 0 {
                format!(r#"<circle cx="{x}" cy="{y}" r="3.5" fill="{colour}"/>"#)
            } else {
                format!(r#"<rect x="{}" y="{}" width="6" height="6" fill="{colour}"/>"#, x - 3, y - 3)
            };
        }
    }
    out
}
