//! Which of the app's languages to show, from the reader's preferences (`navigator.languages`).

/// The first of `preferred` (BCP 47 tags, most wanted first, e.g. `["es-MX", "en"]`) that
/// `supported` (language codes such as `"es"`) has: the exact tag, else its language ("es-MX" →
/// "es"). `None` when none is supported (the app then shows English).
pub fn negotiate<'a>(preferred: &[String], supported: &[&'a str]) -> Option<&'a str> {
    preferred.iter().find_map(|tag| {
        let tag = tag.trim();
        let language = tag.split(['-', '_']).next().unwrap_or(tag);
        supported
            .iter()
            .find(|code| code.eq_ignore_ascii_case(tag))
            .or_else(|| supported.iter().find(|code| code.eq_ignore_ascii_case(language)))
            .copied()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_first_supported_preference_wins() {
        let supported = ["en", "es"];
        assert_eq!(negotiate(&tags(&["es-MX", "en-US"]), &supported), Some("es"));
        assert_eq!(negotiate(&tags(&["de-DE", "en-GB", "es"]), &supported), Some("en"));
        assert_eq!(negotiate(&tags(&["ES"]), &supported), Some("es"));
        assert_eq!(negotiate(&tags(&["fr", "de"]), &supported), None);
        assert_eq!(negotiate(&[], &supported), None);
    }

    #[test]
    fn a_regional_catalogue_is_preferred_to_the_language_when_there_is_one() {
        assert_eq!(negotiate(&tags(&["pt-BR"]), &["pt", "pt-BR"]), Some("pt-BR"));
        assert_eq!(negotiate(&tags(&["pt-PT"]), &["pt", "pt-BR"]), Some("pt"));
    }
}
