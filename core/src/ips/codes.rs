//! The FHIR codes a document gives as bare values (an allergy's category and criticality, a
//! reaction's severity, a status), shown to the reader by a label in their language. A code this
//! table does not know, and any text or display the document wrote itself, stays as given.

use crate::msg;
use crate::printout::Wording;

/// The labels of the codes the reader shows, each its code written as words ("on-hold" is "On
/// hold"): the code is read off the label, so the viewer carries each word once. One list for
/// every field: the codes the reader shows do not collide.
const LABELS: [&str; 27] = [
    // AllergyIntolerance.category (the labels the patient's allergy form uses).
    msg!("Food"),
    msg!("Medication"),
    msg!("Environment"),
    msg!("Biologic"),
    // AllergyIntolerance.reaction.severity.
    msg!("Mild"),
    msg!("Moderate"),
    msg!("Severe"),
    // Clinical statuses (allergies, conditions).
    msg!("Active"),
    msg!("Inactive"),
    msg!("Resolved"),
    msg!("Recurrence"),
    msg!("Relapse"),
    msg!("Remission"),
    // A medication's, a procedure's, an immunization's or a report's status.
    msg!("Completed"),
    msg!("Stopped"),
    msg!("On hold"),
    msg!("Intended"),
    msg!("Not taken"),
    msg!("Entered in error"),
    msg!("Cancelled"),
    msg!("Draft"),
    msg!("Unknown"),
    msg!("Not done"),
    msg!("In progress"),
    msg!("Final"),
    msg!("Preliminary"),
    msg!("Amended"),
];

/// Whether `label` is `code` written as words: the same letters, a space for each hyphen.
fn spells(label: &str, code: &str) -> bool {
    label.len() == code.len()
        && label.bytes().zip(code.bytes()).all(|(l, c)| if l == b' ' { c == b'-' } else { l.to_ascii_lowercase() == c })
}

/// `value` in the reader's words when it is a code the reader knows; as given otherwise.
pub(super) fn label(w: &Wording, value: String) -> String {
    // AllergyIntolerance.criticality: words of their own (the patient's allergy form's).
    let criticality = match value.as_str() {
        "low" => Some(msg!("Low risk")),
        "high" => Some(msg!("High risk")),
        "unable-to-assess" => Some(msg!("Risk unknown")),
        _ => None,
    };
    match criticality.or_else(|| LABELS.into_iter().find(|label| spells(label, &value))) {
        Some(label) => (w.text)(label),
        None => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_read_as_labels_and_anything_else_as_given() {
        let w = Wording::ENGLISH;
        assert_eq!(label(&w, "unable-to-assess".into()), "Risk unknown");
        assert_eq!(label(&w, "entered-in-error".into()), "Entered in error");
        // A document's own display, and a code from elsewhere, are its words.
        assert_eq!(label(&w, "Active".into()), "Active");
        assert_eq!(label(&w, "suspended".into()), "suspended");
        assert_eq!(label(&w, "on hold".into()), "on hold", "a code has hyphens");
        // Every label spells a FHIR code in lower case with hyphens.
        for l in LABELS {
            assert!(spells(l, &l.to_ascii_lowercase().replace(' ', "-")), "{l}");
        }
    }
}
