//! Languages: the catalogue of one language's texts, looked up by their English text.
//!
//! gettext style: the English text *is* the key, so English needs no catalogue (and costs the
//! wasm nothing beyond the texts it already held), and a text missing from a catalogue shows in
//! English rather than as a blank or a code. The app (`app/src/i18n.rs`) holds the current
//! catalogue and the browser glue (fetching a catalogue, `navigator.languages`, `Intl` for dates
//! and numbers); everything here is pure, so it is tested natively.
//!
//! A catalogue is one file per language, `locales/<code>.txt` (see [`Catalogue::parse`] and
//! docs/languages.md). Texts that are data in core — form labels, messages shown to the patient —
//! are written `msg!("…")`, an identity marker that lets the completeness test
//! (core/tests/languages.rs) find them; the app translates them when it shows them.

mod negotiate;
mod plural;

pub use negotiate::negotiate;
pub use plural::{Plural, plural};

/// Marks a text that core hands to the app to show (a form label, a message): the text itself,
/// unchanged. The app passes it through its `t` when it shows it; the completeness test finds it
/// by this marker and checks that every catalogue translates it.
#[macro_export]
macro_rules! msg {
    ($text:literal) => {
        $text
    };
}

/// One language's texts: English key → translation, in the file's order. Looked up by a plain
/// scan: a few hundred comparisons per text are nothing beside drawing it, and a sort or a map
/// type would cost the wasm kilobytes (std's sort alone is several).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Catalogue {
    /// The language's name in itself ("Español"), for the language picker.
    pub name: String,
    entries: Vec<(String, String)>,
}

/// Why a catalogue file could not be read (the completeness test reports it; the app falls back
/// to English).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("line {0}: a translation (\"= …\") without an English text before it")]
    TranslationWithoutKey(usize),
    #[error("line {0}: the English text has no translation (\"= …\") on the next line")]
    KeyWithoutTranslation(usize),
    #[error("the catalogue has no \"@name\" line naming its language")]
    NoName,
}

impl Catalogue {
    /// Reads a catalogue file. Its lines:
    ///
    /// ```text
    /// @name Español
    /// # A comment (ignored), as are blank lines.
    /// Create binder
    /// = Crear el archivo
    /// ```
    ///
    /// An English text on one line, its translation on the next after `= `. `\n` in either stands
    /// for a line break (a text holds no real one). Placeholders such as `{n}` are kept as written.
    pub fn parse(text: &str) -> Result<Self, CatalogueError> {
        let mut name = None;
        let mut entries: Vec<(String, String)> = Vec::new();
        let mut pending: Option<(usize, String)> = None;
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let line = line.trim_end_matches('\r');
            if let Some(translation) = line.strip_prefix("= ").or_else(|| (line == "=").then_some("")) {
                let (_, key) = pending.take().ok_or(CatalogueError::TranslationWithoutKey(number))?;
                entries.push((key, unescape(translation)));
                continue;
            }
            if let Some((at, _)) = pending {
                return Err(CatalogueError::KeyWithoutTranslation(at));
            }
            if let Some(own_name) = line.strip_prefix("@name ") {
                name = Some(own_name.trim().to_owned());
            } else if !line.trim().is_empty() && !line.starts_with('#') {
                pending = Some((number, unescape(line)));
            }
        }
        if let Some((at, _)) = pending {
            return Err(CatalogueError::KeyWithoutTranslation(at));
        }
        Ok(Self { name: name.ok_or(CatalogueError::NoName)?, entries })
    }

    /// The translation of `english`, or `english` itself when this catalogue lacks it (or
    /// translates it as empty, which would leave a blank on the screen).
    pub fn get<'a>(&'a self, english: &'a str) -> &'a str {
        match self.entries.iter().find(|(key, _)| key == english) {
            Some((_, translation)) if !translation.is_empty() => translation,
            _ => english,
        }
    }

    /// Every English text this catalogue translates, in the file's order (for the completeness
    /// test, which also finds a text translated twice: the first translation would win).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(key, _)| key.as_str())
    }
}

fn unescape(text: &str) -> String {
    text.replace("\\n", "\n")
}

/// `template` with each `{name}` replaced by its value from `values`; a placeholder without a
/// value stays as written (visible, so a missing value is noticed rather than silently dropped).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            values.iter().find(|(key, _)| *key == name).map(|(_, value)| (close, *value))
        }) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ES: &str = "@name Español\n# comment\n\nCreate binder\n= Crear el archivo\nLine\\nbreak\n= Línea\\nnueva\nUntranslated\n=\n";

    #[test]
    fn a_catalogue_translates_its_texts_and_leaves_others_in_english() {
        let es = Catalogue::parse(ES).unwrap();
        assert_eq!(es.name, "Español");
        assert_eq!(es.get("Create binder"), "Crear el archivo");
        assert_eq!(es.get("Line\nbreak"), "Línea\nnueva");
        assert_eq!(es.get("Not in the catalogue"), "Not in the catalogue");
        // An empty translation would blank the screen: English shows instead.
        assert_eq!(es.get("Untranslated"), "Untranslated");
        assert_eq!(es.keys().count(), 3);
    }

    #[test]
    fn a_malformed_catalogue_says_which_line() {
        assert_eq!(Catalogue::parse("@name X\n= orphan\n"), Err(CatalogueError::TranslationWithoutKey(2)));
        assert_eq!(Catalogue::parse("@name X\nKey\nOther\n= y\n"), Err(CatalogueError::KeyWithoutTranslation(2)));
        assert_eq!(Catalogue::parse("@name X\nKey\n"), Err(CatalogueError::KeyWithoutTranslation(2)));
        assert_eq!(Catalogue::parse("A\n= b\n"), Err(CatalogueError::NoName));
    }

    #[test]
    fn placeholders_are_filled_by_name_in_any_order() {
        assert_eq!(fill("{n} de {total}", &[("total", "5"), ("n", "2")]), "2 de 5");
        assert_eq!(fill("{missing} stays", &[("n", "1")]), "{missing} stays");
        assert_eq!(fill("a { b", &[]), "a { b");
        assert_eq!(fill("{n}{n}", &[("n", "7")]), "77");
    }

    #[test]
    fn msg_is_the_text_itself() {
        assert_eq!(crate::msg!("Name"), "Name");
    }
}
