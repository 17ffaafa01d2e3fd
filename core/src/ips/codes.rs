//! The FHIR codes a document gives as bare values (an allergy's category and criticality, a
//! reaction's severity, a status), shown to the reader by a label in their language. A code this
//! table does not know, and any text or display the document wrote itself, stays as given.

use crate::msg;
use crate::printout::Wording;

/// Code and label. One table for every field: the codes the reader shows do not collide (a
/// criticality's "low" is never a result's), and one table costs the viewer least.
const LABELS: [(&str, &str); 30] = [
    // AllergyIntolerance.category (the labels the patient's allergy form uses).
    ("food", msg!("Food")),
    ("medication", msg!("Medication")),
    ("environment", msg!("Environment")),
    ("biologic", msg!("Biologic")),
    // AllergyIntolerance.criticality.
    ("low", msg!("Low risk")),
    ("high", msg!("High risk")),
    ("unable-to-assess", msg!("Risk unknown")),
    // AllergyIntolerance.reaction.severity.
    ("mild", msg!("Mild")),
    ("moderate", msg!("Moderate")),
    ("severe", msg!("Severe")),
    // Clinical statuses (allergies, conditions).
    ("active", msg!("Active")),
    ("inactive", msg!("Inactive")),
    ("resolved", msg!("Resolved")),
    ("recurrence", msg!("Recurrence")),
    ("relapse", msg!("Relapse")),
    ("remission", msg!("Remission")),
    // A medication's, a procedure's, an immunization's or a report's status.
    ("completed", msg!("Completed")),
    ("stopped", msg!("Stopped")),
    ("on-hold", msg!("On hold")),
    ("intended", msg!("Intended")),
    ("not-taken", msg!("Not taken")),
    ("entered-in-error", msg!("Entered in error")),
    ("cancelled", msg!("Cancelled")),
    ("draft", msg!("Draft")),
    ("unknown", msg!("Unknown")),
    ("not-done", msg!("Not done")),
    ("in-progress", msg!("In progress")),
    ("final", msg!("Final")),
    ("preliminary", msg!("Preliminary")),
    ("amended", msg!("Amended")),
];

/// `value` in the reader's words when it is a code the table knows; as given otherwise.
pub(super) fn label(w: &Wording, value: String) -> String {
    match LABELS.iter().find(|(code, _)| *code == value) {
        Some((_, label)) => (w.text)(label),
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
    }
}
