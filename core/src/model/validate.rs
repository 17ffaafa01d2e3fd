//! The small toolkit every `validated()` uses: tidy text, collect every problem, answer once.

use super::ValidationError;

/// Collects the problems of one item.
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

    pub fn finish<T>(self, value: T) -> Result<T, Vec<ValidationError>> {
        if self.0.is_empty() { Ok(value) } else { Err(self.0) }
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
