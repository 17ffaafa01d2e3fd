//! FHIR R4 International Patient Summary: one builder for every document this app writes (shares
//! now; whole-binder export later) and one tolerant reader for every document it reads (the
//! clinician's viewer now; imports from portals and EHRs later).

mod build;
mod narrative;
mod read;

pub use build::{DocumentOptions, build_document};
pub use read::{MedicationLine, ReadError, SectionState, SectionSummary, Summary, read_document};

/// The IPS sections this app knows, with their LOINC codes and titles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionKind {
    pub loinc: &'static str,
    pub title: &'static str,
}

pub const MEDICATIONS: SectionKind = SectionKind { loinc: "10160-0", title: "Medication Summary" };
pub const ALLERGIES: SectionKind = SectionKind { loinc: "48765-2", title: "Allergies and Intolerances" };
pub const PROBLEMS: SectionKind = SectionKind { loinc: "11450-4", title: "Problem List" };

/// Every section a share can carry, in the order a clinician reads them.
pub const SECTIONS: [SectionKind; 3] = [ALLERGIES, MEDICATIONS, PROBLEMS];

impl SectionKind {
    pub fn from_loinc(code: &str) -> Option<Self> {
        SECTIONS.into_iter().find(|s| s.loinc == code)
    }
}

/// The extension that carries whether a medication is a prescription, over-the-counter or a
/// supplement: FHIR has no standard element for it, and reconciliation needs it back.
pub const MEDICATION_KIND_EXTENSION: &str = "urn:health-binder:fhir:medication-kind";

pub const LOINC: &str = "http://loinc.org";
pub const MIME_FHIR_JSON: &str = "application/fhir+json";
