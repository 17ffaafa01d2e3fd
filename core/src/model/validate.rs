//! The small toolkit every `validated()` and every form's reading uses: tidy text, collect every
//! problem, answer once.

use super::ValidationError;
use super::clinical::NOT_A_CODE;
use super::journal::IMPLAUSIBLE;
use crate::i18n::fill;

/// A text longer than its field allows.
const TOO_LONG: &str = crate::msg!("Keep this under {max} characters.");

/// The problems whose message holds values (numbers the patient typed, a limit): a
/// `ValidationError` carries the English sentence with its values filled in, and
/// [`translate_problem`] finds which of these it is to word it in another language.
const WITH_VALUES: [&str; 2] = [TOO_LONG, NOT_A_CODE];

/// A problem's `message` in another language: `translate` gives a catalogue text's translation,
/// or the text itself when the catalogue lacks it (the app's `t_text`). A message with values is
/// matched to its template (the values read back from the English), the template translated and
/// filled again; any other message is translated whole.
pub fn translate_problem(message: &str, translate: impl Fn(&str) -> String) -> String {
    for template in WITH_VALUES.into_iter().chain(IMPLAUSIBLE) {
        if let Some(values) = unfill(template, message) {
            let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            return fill(&translate(template), &values);
        }
    }
    translate(message)
}

/// The values of `template`'s `{placeholders}` in `text`, if `text` is `template` filled in
/// (each value runs to the first place the template's next words appear).
fn unfill(template: &'static str, text: &str) -> Option<Vec<(&'static str, String)>> {
    let mut pieces = template.split('{');
    let mut rest = text.strip_prefix(pieces.next()?)?;
    let mut values = Vec::new();
    for piece in pieces {
        let (name, words) = piece.split_once('}')?;
        let end = if words.is_empty() { rest.len() } else { rest.find(words)? };
        values.push((name, rest[..end].to_owned()));
        rest = &rest[end + words.len()..];
    }
    rest.is_empty().then_some(values)
}

/// Collects the problems of one item, so that every field's is reported at once: the one
/// collector for the model's checks and the forms' reading of typed text.
#[derive(Default)]
pub(crate) struct Problems(Vec<ValidationError>);

impl Problems {
    pub fn fail(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(ValidationError { field, message: message.into() });
    }

    /// `field` must not be empty.
    pub fn require(&mut self, field: &'static str, value: &str, message: &str) {
        if value.is_empty() {
            self.fail(field, message);
        }
    }

    /// `field` must be at most `max` characters.
    pub fn limit(&mut self, field: &'static str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.fail(field, fill(TOO_LONG, &[("max", &max.to_string())]));
        }
    }

    /// The value `result` read, or none after recording its problem (reading goes on).
    pub fn ok<T>(&mut self, result: Result<T, ValidationError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    /// The value `result` read, or its default after recording its problem (reading goes on).
    pub fn take<T: Default>(&mut self, result: Result<T, ValidationError>) -> T {
        self.ok(result).unwrap_or_default()
    }

    pub fn finish<T>(self, value: T) -> Result<T, Vec<ValidationError>> {
        if self.0.is_empty() { Ok(value) } else { Err(self.0) }
    }

    /// As `finish`, for an item that could not be built because a part of it failed to read:
    /// `None` only ever follows a recorded problem.
    pub fn finish_some<T>(self, value: Option<T>) -> Result<T, Vec<ValidationError>> {
        debug_assert!(value.is_some() || !self.0.is_empty(), "an item is missing with no problem recorded");
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(self.0),
        }
    }
}

/// Trims every string in place.
pub(crate) fn trim(fields: &mut [&mut String]) {
    for field in fields {
        let trimmed = field.trim();
        if trimmed.len() != field.len() {
            **field = trimmed.to_owned();
        }
    }
}

/// Short texts (names, phones) and long ones (notes).
pub(crate) const SHORT: usize = 200;
pub(crate) const LONG: usize = 10_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Catalogue;

    #[test]
    fn a_problem_with_values_is_worded_in_the_readers_language_with_its_values() {
        let es = Catalogue::parse(
            "@name Español\nA pulse of {pulse} a minute is not plausible (20–300).\n= Un pulso de {pulse} por minuto no es plausible (20–300).\nEnter a whole number.\n= Escriba un número entero.\n",
        )
        .unwrap();
        let translate = |text: &str| es.get(text).to_owned();
        let problem = crate::model::Measurement::Pulse { per_minute: 900 }.problems().remove(0);
        assert_eq!(translate_problem(&problem, translate), "Un pulso de 900 por minuto no es plausible (20–300).");
        assert_eq!(translate_problem("Enter a whole number.", translate), "Escriba un número entero.");
        // Not in the catalogue: as it was.
        assert_eq!(translate_problem("Keep this under 200 characters.", translate), "Keep this under 200 characters.");
        assert_eq!(unfill(TOO_LONG, "Keep this under 200 characters."), Some(vec![("max", "200".to_owned())]));
        assert_eq!(unfill(TOO_LONG, "Keep this short."), None);
    }
}
