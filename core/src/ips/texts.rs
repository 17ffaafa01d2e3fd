//! The language a document is written in: what core writes for others (a share, an export, the
//! SBAR, the dose log's line, a trend's words) reads in the patient's chosen language, while coded
//! values (LOINC, SNOMED, `code.coding`) and what the patient typed stay as they are.
//!
//! The texts are looked up in a [`Catalogue`] by their English text, marked `msg!` where they are
//! written so the completeness test (core/tests/languages.rs) finds them. English needs none:
//! [`Texts::ENGLISH`] is what native tests and the CLI pass.
//!
//! Dates: core has no `Intl`, so a document's dates are written from the catalogue — the month's
//! name and the order of day, month and year ("3 March 2026", "3 de marzo de 2026") — with a
//! 24-hour clock ("08:30"), which every language reads.

use crate::i18n::{Catalogue, Plural, fill, plural};
use crate::model::{LocalDateTime, PartialDate, When};
use crate::msg;
use crate::printout::Wording;
use crate::said::Said;

const MONTHS: [&str; 12] = [
    msg!("January"),
    msg!("February"),
    msg!("March"),
    msg!("April"),
    msg!("May"),
    msg!("June"),
    msg!("July"),
    msg!("August"),
    msg!("September"),
    msg!("October"),
    msg!("November"),
    msg!("December"),
];

/// A language's code (BCP 47, written into the document's `language`) and its catalogue (none for
/// English, the texts' own language).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Texts<'a> {
    pub language: &'a str,
    catalogue: Option<&'a Catalogue>,
}

impl Default for Texts<'_> {
    fn default() -> Self {
        Texts::ENGLISH
    }
}

impl<'a> Texts<'a> {
    pub const ENGLISH: Texts<'static> = Texts { language: "en", catalogue: None };

    pub fn new(language: &'a str, catalogue: Option<&'a Catalogue>) -> Self {
        Self { language, catalogue }
    }

    /// `english` in this language (as given when the catalogue lacks it).
    pub fn get<'b>(&self, english: &'b str) -> &'b str
    where
        'a: 'b,
    {
        match self.catalogue {
            Some(catalogue) => catalogue.get(english),
            None => english,
        }
    }

    /// `english` in this language with its `{placeholders}` filled.
    pub fn fill(&self, english: &str, values: &[(&str, &str)]) -> String {
        fill(self.get(english), values)
    }

    /// A sentence about `n` things in this language's form for `n` (`{n}` filled, digits as
    /// written in a document: no grouping, whatever the language).
    pub fn count(&self, n: u64, one: &str, other: &str, values: &[(&str, &str)]) -> String {
        let english = if plural(self.language, n) == Plural::One { one } else { other };
        let n = n.to_string();
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(values);
        fill(self.get(english), &all)
    }

    /// "14 March 2015", "March 2015", "2015" in this language.
    pub fn date(&self, date: PartialDate) -> String {
        let year = date.year_number().to_string();
        let month = date.month_number().map(|m| self.get(MONTHS[usize::from(m) - 1]));
        match (month, date.day_number()) {
            (Some(month), Some(day)) => {
                self.fill(msg!("{day} {month} {year}"), &[("day", &day.to_string()), ("month", month), ("year", &year)])
            }
            (Some(month), None) => self.fill(msg!("{month} {year}"), &[("month", month), ("year", &year)]),
            _ => year,
        }
    }

    /// "23 November 2026, 08:30" in this language (the local time it was entered in).
    pub fn date_time(&self, at: LocalDateTime) -> String {
        let time = at.time_of_day().to_string();
        match at.date() {
            Some(date) => self.fill(msg!("{date}, {time}"), &[("date", &self.date(date)), ("time", &time)]),
            None => at.text(),
        }
    }

    pub fn when(&self, when: When) -> String {
        match when {
            When::Date(d) => self.date(d),
            When::At(at) => self.date_time(at),
        }
    }

    pub fn optional_date(&self, date: Option<PartialDate>) -> String {
        date.map(|d| self.date(d)).unwrap_or_default()
    }

    /// This language as a [`Wording`] (its texts, its dates), for what core writes through one:
    /// a document says "twice a day" in its own language, as the app's screens do in theirs.
    pub fn with_wording<R>(&self, write: impl FnOnce(&Wording) -> R) -> R {
        let text = |english: &str| self.get(english).to_owned();
        let date = |d: PartialDate| self.date(d);
        let plural = |n: u64| plural(self.language, n);
        write(&Wording { text: &text, date: &date, plural: &plural })
    }

    /// A sentence kept as a template and its values (a medication's frequency) in this language.
    pub fn said(&self, said: &Said) -> String {
        self.with_wording(|w| said.text(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_dates_read_as_the_binder_writes_them() {
        let en = Texts::ENGLISH;
        let day = PartialDate::parse("2026-03-14").unwrap();
        assert_eq!(en.date(day), day.text());
        assert_eq!(en.date(PartialDate::parse("2026-03").unwrap()), "March 2026");
        assert_eq!(en.date(PartialDate::parse("2026").unwrap()), "2026");
        let at = LocalDateTime::from_local(2026, 11, 23, 8, 30, 60).unwrap();
        assert_eq!(en.date_time(at), at.text());
    }

    #[test]
    fn spanish_dates_use_the_catalogues_months_and_order() {
        let es = Catalogue::parse(
            "@name Español\nMarch\n= marzo\n{day} {month} {year}\n= {day} de {month} de {year}\n{month} {year}\n= {month} de {year}\n",
        )
        .unwrap();
        let es = Texts::new("es", Some(&es));
        assert_eq!(es.date(PartialDate::parse("2026-03-14").unwrap()), "14 de marzo de 2026");
        assert_eq!(es.date(PartialDate::parse("2026-03").unwrap()), "marzo de 2026");
        let at = LocalDateTime::from_local(2026, 3, 1, 8, 5, 60).unwrap();
        assert_eq!(es.date_time(at), "1 de marzo de 2026, 08:05");
        assert_eq!(es.count(1, "{n} reading", "{n} readings", &[]), "1 reading");
    }

    #[test]
    fn a_frequency_reads_in_the_documents_language() {
        use crate::model::{Frequency, PeriodUnit};
        let es =
            Catalogue::parse("@name Español\ntwice\n= dos veces\n{how_many} a day\n= {how_many} al día\n").unwrap();
        let twice = Frequency::Scheduled { times: 2, every: 1, unit: PeriodUnit::Day }.said();
        assert_eq!(Texts::new("es", Some(&es)).said(&twice), "dos veces al día");
        assert_eq!(Texts::ENGLISH.said(&twice), "twice a day");
    }
}
