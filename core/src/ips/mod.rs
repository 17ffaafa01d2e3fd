//! FHIR R4 International Patient Summary: one builder for every document this app writes (shares
//! now; whole-binder export later) and one tolerant reader for every document it reads (the
//! clinician's viewer now; imports from portals and EHRs later).

mod build;
mod codes;
pub mod import;
mod narrative;
mod read;
mod resources;
mod texts;
mod trend_section;

pub use build::{
    DocumentOptions, Forwarded, SBAR_SECTION, SBAR_TITLE, VISIT_SECTION, build_document, no_known_allergy_id,
};
pub use texts::Texts;
pub use trend_section::{TRENDS_SECTION, TRENDS_TITLE};

use crate::msg;
pub use read::{
    Line, MedicationLine, ReadError, SectionState, SectionSummary, Summary, read_document, read_document_in,
    read_first, read_first_in,
};

/// The IPS sections this app knows, with their LOINC codes and titles (in English: a document
/// writes its titles in its language through [`Texts`], and readers find sections by code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionKind {
    pub loinc: &'static str,
    pub title: &'static str,
}

pub const MEDICATIONS: SectionKind = SectionKind { loinc: "10160-0", title: msg!("Medication Summary") };
pub const ALLERGIES: SectionKind = SectionKind { loinc: "48765-2", title: msg!("Allergies and Intolerances") };
pub const PROBLEMS: SectionKind = SectionKind { loinc: "11450-4", title: msg!("Problem List") };
pub const PAST_PROBLEMS: SectionKind = SectionKind { loinc: "11348-0", title: msg!("History of Past Illness") };
pub const PROCEDURES: SectionKind = SectionKind { loinc: "47519-4", title: msg!("History of Procedures") };
pub const IMMUNIZATIONS: SectionKind = SectionKind { loinc: "11369-6", title: msg!("History of Immunizations") };
pub const RESULTS: SectionKind = SectionKind { loinc: "30954-2", title: msg!("Diagnostic Results") };
pub const VITAL_SIGNS: SectionKind = SectionKind { loinc: "8716-3", title: msg!("Vital Signs") };
pub const ADVANCE_DIRECTIVES: SectionKind = SectionKind { loinc: "42348-3", title: msg!("Advance Directives") };

/// Every section a share can carry, in the order a clinician reads them: the three IPS requires
/// (always written, saying plainly when there is nothing), then the others (written when the
/// binder has something for them, or as withheld when not chosen).
pub const SECTIONS: [SectionKind; 9] = [
    ALLERGIES,
    MEDICATIONS,
    PROBLEMS,
    RESULTS,
    VITAL_SIGNS,
    IMMUNIZATIONS,
    PROCEDURES,
    PAST_PROBLEMS,
    ADVANCE_DIRECTIVES,
];

/// The sections IPS requires in every document.
pub const REQUIRED_SECTIONS: [SectionKind; 3] = [ALLERGIES, MEDICATIONS, PROBLEMS];

impl SectionKind {
    pub fn from_loinc(code: &str) -> Option<Self> {
        SECTIONS.into_iter().find(|s| s.loinc == code)
    }

    /// The section's name as patients and clinicians say it ("Test results", not the IPS
    /// title "Diagnostic Results").
    pub fn label(self) -> &'static str {
        match self.loinc {
            "48765-2" => msg!("Allergies"),
            "10160-0" => msg!("Medications"),
            "11450-4" => msg!("Problems"),
            "11348-0" => msg!("Past problems"),
            "47519-4" => msg!("Procedures"),
            "11369-6" => msg!("Immunizations"),
            "30954-2" => msg!("Test results"),
            "8716-3" => msg!("Vital signs"),
            "42348-3" => msg!("Advance directives"),
            _ => self.title,
        }
    }
}

/// The extension that carries whether a medication is a prescription, over-the-counter or a
/// supplement: FHIR has no standard element for it, and reconciliation needs it back.
pub const MEDICATION_KIND_EXTENSION: &str = "urn:health-binder:fhir:medication-kind";

/// What IPS has no place for — the patient's appointments and symptom journal — travels in a
/// whole-binder export as this extension of the Composition: `valueString` holds
/// `{"appointments": [Appointment…], "notes": [Note…]}` in the binder model's JSON (appointments
/// name their clinician as text, since care-team ids mean nothing in another binder). A section
/// titled "Appointments and symptom journal" shows the same in words for other receivers.
/// Shares never carry it.
pub const BINDER_EXTRAS_EXTENSION: &str = "urn:health-binder:fhir:binder-extras";

/// The key a clinician's reply is encrypted to: a Composition extension whose `valueString` is a
/// P-256 public JWK (`{"kty":"EC","crv":"P-256","x":…,"y":…}`). The private half stays in the
/// patient's vault. Replies are posted, as compact JWE (`ECDH-ES`, `A256GCM`), to the link's
/// `url` followed by `/replies` (see `docs/relay.md`). Receivers that do not know it ignore it, as
/// FHIR lets them.
pub const REPLY_KEY_EXTENSION: &str = "urn:health-binder:fhir:reply-key";

/// Says that the Composition's `title` is the one this app gives a document the patient did not
/// name ("Patient summary of Ada Lovelace", in the document's language): `valueBoolean: true`. A
/// viewer leaves such a title out (it says nothing the page does not) in any language, without
/// knowing that language's words; another sender's title, or one the patient chose, is shown.
pub const DEFAULT_TITLE_EXTENSION: &str = "urn:health-binder:fhir:default-title";

/// Marks the `MedicationStatement.note` that says how the patient has been taking it, from their
/// dose log ("Taken 26 of 28 scheduled doses in the last 14 days; 2 skipped"), so a viewer can
/// show it apart from the other notes. Any IPS receiver shows it as a note, and the medications
/// section's narrative has it in a column. (IPS is FHIR R4: `MedicationStatement.adherence` is R5,
/// and one `MedicationAdministration` per dose would be hundreds of resources a receiver lists
/// one by one.)
pub const DOSE_LOG_NOTE_EXTENSION: &str = "urn:health-binder:fhir:dose-log-summary";

/// Marks the `MedicationStatement.note` that gives the medication's form ("Form: tablet", in the
/// document's language), with the form as the patient typed it in `valueString`: an import reads
/// it back from there in any language. (FHIR has `Medication.form`, but the statement names its
/// medication by a concept, not a Medication resource.)
pub const MEDICATION_FORM_EXTENSION: &str = "urn:health-binder:fhir:medication-form";

pub const LOINC: &str = "http://loinc.org";
pub const SNOMED: &str = "http://snomed.info/sct";
pub const UCUM: &str = "http://unitsofmeasure.org";
pub const RXNORM: &str = "http://www.nlm.nih.gov/research/umls/rxnorm";
/// SNOMED CT 716186003 "No known allergy": how IPS says the patient has none.
pub const NO_KNOWN_ALLERGY: &str = "716186003";
pub const MIME_FHIR_JSON: &str = "application/fhir+json";
