//! A sentence core says about an entry (the reconciliation about a line: "strength {was} → {now}"; a medication's "twice a day"), kept as a
//! template and its values so that the screen can write it in the reader's language: the
//! template is a `msg!` text, a value is either a fixed word (translated too: "not given",
//! "extended release") or what someone wrote (a medicine's name, an order: never translated).

use serde::{Serialize, Serializer};

use crate::i18n::{Plural, fill};
use crate::printout::Wording;

/// One value of a [`Said`].
#[derive(Clone, Debug, PartialEq)]
pub enum Word {
    /// A `msg!` text: translated with the sentence.
    Fixed(&'static str),
    /// A name, an order, a number: shown as it is.
    Typed(String),
    /// A sentence of its own inside this one ("as needed, up to 6 times a day").
    Part(Box<Said>),
}

/// A sentence as a template and its values.
#[derive(Clone, Debug, PartialEq)]
pub struct Said {
    /// The sentence (for a count: the one for one thing).
    pub template: &'static str,
    pub values: Vec<(&'static str, Word)>,
    /// A sentence about a number of things: the count and the sentence for more than one, both
    /// written out in English so that each is a key of its own; the reader's language picks one
    /// by its plural rule (`Wording::plural`).
    pub other: Option<(u64, &'static str)>,
}

impl Said {
    pub fn new(template: &'static str) -> Self {
        Self { template, values: Vec::new(), other: None }
    }

    /// A sentence about `n` things ("{n} task added", "{n} tasks added"), `{n}` the count.
    pub fn counted(n: u64, one: &'static str, other: &'static str) -> Self {
        Self { template: one, values: vec![("n", Word::Typed(n.to_string()))], other: Some((n, other)) }
    }

    /// `template` with `values`, no count (the reconciliation's "{what} {was} → {now}").
    pub fn with(template: &'static str, values: Vec<(&'static str, Word)>) -> Self {
        Self { template, values, other: None }
    }

    /// Adds a value someone wrote.
    pub fn typed(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.values.push((name, Word::Typed(value.into())));
        self
    }

    /// Adds a sentence of its own.
    pub fn part(mut self, name: &'static str, value: Said) -> Self {
        self.values.push((name, Word::Part(Box::new(value))));
        self
    }

    /// Adds a fixed word (a `msg!` text).
    pub fn fixed(mut self, name: &'static str, value: &'static str) -> Self {
        self.values.push((name, Word::Fixed(value)));
        self
    }

    /// The sentence in the reader's language.
    pub fn text(&self, w: &Wording) -> String {
        let values: Vec<(&str, String)> = self
            .values
            .iter()
            .map(|(k, v)| {
                (
                    *k,
                    match v {
                        Word::Fixed(text) => (w.text)(text),
                        Word::Typed(text) => text.clone(),
                        Word::Part(said) => said.text(w),
                    },
                )
            })
            .collect();
        let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let template = match self.other {
            Some((n, other)) if (w.plural)(n) == Plural::Other => other,
            _ => self.template,
        };
        fill(&(w.text)(template), &values)
    }

    /// Sentences one after the other (a reconciliation row's changes, the lines of a list), in
    /// the reader's words.
    pub fn joined(said: &[Said], w: &Wording, separator: &str) -> String {
        said.iter().map(|s| s.text(w)).collect::<Vec<_>>().join(separator)
    }

    /// The sentence as written in the code (tests, logs, the JSON of a result).
    pub fn english(&self) -> String {
        self.text(&Wording::ENGLISH)
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}

impl Serialize for Said {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.english())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::plural;

    #[test]
    fn fixed_words_are_translated_and_typed_ones_are_not() {
        let said = Said::new("{what} {was} → {now}")
            .fixed("what", "strength")
            .typed("was", "500 mg")
            .fixed("now", "not given");
        assert_eq!(said.english(), "strength 500 mg → not given");
        let spanish = |t: &str| match t {
            "{what} {was} → {now}" => "{what}: {was} → {now}".to_owned(),
            "strength" => "concentración".to_owned(),
            "not given" => "sin indicar".to_owned(),
            other => other.to_owned(),
        };
        let w = Wording { text: &spanish, date: &|d| d.text(), plural: &|n| plural("es", n) };
        assert_eq!(said.text(&w), "concentración: 500 mg → sin indicar");
    }

    #[test]
    fn a_count_takes_the_form_the_readers_language_gives_it() {
        let spanish = |t: &str| match t {
            "{n} medication stopped" => "{n} medicamento suspendido".to_owned(),
            "{n} medications stopped" => "{n} medicamentos suspendidos".to_owned(),
            other => other.to_owned(),
        };
        let es = Wording { text: &spanish, date: &|d| d.text(), plural: &|n| plural("es", n) };
        let stopped = |n| Said::counted(n, "{n} medication stopped", "{n} medications stopped");
        assert_eq!(stopped(1).text(&es), "1 medicamento suspendido");
        assert_eq!(stopped(3).text(&es), "3 medicamentos suspendidos");
        assert_eq!(stopped(0).text(&es), "0 medicamentos suspendidos");
        assert_eq!(stopped(1).english(), "1 medication stopped");
        assert_eq!(stopped(2).english(), "2 medications stopped");
        // French counts 0 as one: the language's rule decides, not `n == 1`.
        let fr = Wording { text: &|t: &str| t.to_owned(), date: &|d| d.text(), plural: &|n| plural("fr", n) };
        assert_eq!(stopped(0).text(&fr), "0 medication stopped");
    }
}
