//! The small toolkit every `validated()` and every form's reading uses: tidy text, collect every
//! problem, answer once.

use super::ValidationError;

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
            self.fail(field, format!("Keep this under {max} characters."));
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
