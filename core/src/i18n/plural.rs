//! Plural forms. English and Spanish have two (one, other), which is all the app's `tn` asks a
//! catalogue for: its English keys are the "one" and the "other" sentence. A language with more
//! forms (Polish, Arabic, Russian…) needs more keys per sentence and its rule here; until then it
//! would show the "other" form for every count but one.

/// The plural form a count takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    One,
    Other,
}

/// The form `n` takes in `language` (a code such as "es"), by the CLDR rules for the languages
/// the app has.
pub fn plural(language: &str, n: u64) -> Plural {
    let one = match language.split('-').next().unwrap_or(language) {
        // CLDR: French and Portuguese (Brazil) count 0 as "one" too.
        "fr" | "pt" => n <= 1,
        _ => n == 1,
    };
    if one { Plural::One } else { Plural::Other }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_in_english_and_spanish() {
        for language in ["en", "es", "es-MX"] {
            assert_eq!(plural(language, 1), Plural::One);
            assert_eq!(plural(language, 0), Plural::Other);
            assert_eq!(plural(language, 2), Plural::Other);
        }
        assert_eq!(plural("fr", 0), Plural::One);
    }
}
