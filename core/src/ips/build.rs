//! Building an IPS `document` Bundle from a binder.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::narrative;
use super::{ALLERGIES, LOINC, MEDICATION_KIND_EXTENSION, MEDICATIONS, PROBLEMS, SECTIONS, SectionKind};
use crate::model::{Binder, Entry, Frequency, Medication, rounded};

/// What goes into a document: the sections the patient chose (the others are marked withheld,
/// never left to look empty) and an optional title.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentOptions {
    pub sections: Vec<SectionKind>,
    /// Shown to the reader above the summary, e.g. "For Dr Patel, cardiology, 3 March".
    pub title: Option<String>,
}

impl Default for DocumentOptions {
    fn default() -> Self {
        Self { sections: SECTIONS.to_vec(), title: None }
    }
}

/// The IPS document for `binder` as of `now`: a Composition, the Patient, and one
/// MedicationStatement per medication. Allergies and problems are required IPS sections the binder
/// does not record yet: they say "not recorded" (emptyReason `unavailable`), never "none known".
/// A section the patient did not choose says "withheld" (emptyReason `withheld`) and carries no
/// entries.
pub fn build_document(binder: &Binder, now: DateTime<Utc>, options: &DocumentOptions) -> Value {
    let patient_ref = urn(binder.id);
    let composition_id = crate::random::uuid_v4();
    let when = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let chosen = |kind: SectionKind| options.sections.contains(&kind);

    let medications: &[Entry<Medication>] = if chosen(MEDICATIONS) { &binder.medications } else { &[] };
    let med_statements: Vec<(String, Value)> =
        medications.iter().map(|entry| (urn(entry.id()), medication_statement(entry, &patient_ref))).collect();
    let med_rows: Vec<Vec<String>> = medications.iter().map(|e| medication_row(&e.data)).collect();
    let med_section = if !chosen(MEDICATIONS) {
        withheld_section(MEDICATIONS)
    } else if med_statements.is_empty() {
        empty_section(MEDICATIONS, "nilknown", "No current medications are recorded in this binder.")
    } else {
        json!({
            "title": MEDICATIONS.title,
            "code": section_code(MEDICATIONS),
            "text": { "status": "generated", "div": narrative::table(&["Medication", "Dose", "How often", "Kind", "Reason"], &med_rows) },
            "entry": med_statements.iter().map(|(url, _)| json!({ "reference": url })).collect::<Vec<_>>(),
        })
    };
    let not_recorded = |kind: SectionKind, text: &str| {
        if chosen(kind) { empty_section(kind, "unavailable", text) } else { withheld_section(kind) }
    };
    let sections = vec![
        not_recorded(ALLERGIES, "Allergies are not recorded in this binder. Ask the patient."),
        med_section,
        not_recorded(PROBLEMS, "Problems are not recorded in this binder. Ask the patient."),
    ];

    let composition = json!({
        "resourceType": "Composition",
        "id": composition_id.to_string(),
        "status": "final",
        "type": { "coding": [{ "system": LOINC, "code": "60591-5", "display": "Patient summary Document" }] },
        "subject": { "reference": patient_ref },
        "date": when,
        "author": [{ "reference": patient_ref }],
        "title": options.title.clone().unwrap_or_else(|| format!("Patient summary of {}", binder.profile.name)),
        "confidentiality": "N",
        "section": sections,
    });
    let patient = json!({
        "resourceType": "Patient",
        "id": binder.id.to_string(),
        "name": [{ "text": binder.profile.name }],
    });

    let mut entries = vec![
        json!({ "fullUrl": urn(composition_id), "resource": composition }),
        json!({ "fullUrl": patient_ref, "resource": patient }),
    ];
    entries.extend(med_statements.into_iter().map(|(url, resource)| json!({ "fullUrl": url, "resource": resource })));
    json!({
        "resourceType": "Bundle",
        "identifier": { "system": "urn:ietf:rfc:3986", "value": urn(crate::random::uuid_v4()) },
        "type": "document",
        "timestamp": when,
        "entry": entries,
    })
}

fn urn(id: Uuid) -> String {
    format!("urn:uuid:{id}")
}

fn section_code(kind: SectionKind) -> Value {
    json!({ "coding": [{ "system": LOINC, "code": kind.loinc }] })
}

fn empty_section(kind: SectionKind, reason: &str, text: &str) -> Value {
    json!({
        "title": kind.title,
        "code": section_code(kind),
        "text": { "status": "generated", "div": narrative::paragraph(text) },
        "emptyReason": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/list-empty-reason", "code": reason }] },
    })
}

fn withheld_section(kind: SectionKind) -> Value {
    empty_section(kind, "withheld", "The patient chose not to share this section.")
}

fn display_name(med: &Medication) -> String {
    if med.strength.is_empty() { med.name.clone() } else { format!("{} {}", med.name, med.strength) }
}

fn medication_row(med: &Medication) -> Vec<String> {
    vec![display_name(med), med.dose_text(), med.frequency.text(), med.kind.label().into(), med.reason.clone()]
}

fn medication_statement(entry: &Entry<Medication>, patient_ref: &str) -> Value {
    let med = &entry.data;
    let instructions: Vec<String> =
        [med.dose_text(), med.frequency.text()].into_iter().filter(|s| !s.is_empty()).collect();
    let mut dosage = json!({ "text": instructions.join(", ") });
    match med.frequency {
        Frequency::Scheduled { times, every, unit } => {
            dosage["timing"] = json!({ "repeat": { "frequency": times, "period": every, "periodUnit": unit.ucum() } });
        }
        Frequency::AsNeeded { max_per_day } => {
            dosage["asNeededBoolean"] = json!(true);
            if let Some(max) = max_per_day {
                dosage["maxDosePerPeriod"] = json!({
                    "numerator": { "value": max },
                    "denominator": { "value": 1, "unit": "d", "system": "http://unitsofmeasure.org", "code": "d" },
                });
            }
        }
    }
    if let Some(dose) = &med.dose {
        dosage["doseAndRate"] = json!([{ "doseQuantity": { "value": rounded(dose.value), "unit": dose.unit } }]);
    }
    let mut statement = json!({
        "resourceType": "MedicationStatement",
        "id": entry.id().to_string(),
        "status": "active",
        "extension": [{ "url": MEDICATION_KIND_EXTENSION, "valueCode": med.kind.code() }],
        "medicationCodeableConcept": { "text": display_name(med) },
        "subject": { "reference": patient_ref },
        "dateAsserted": entry.meta.updated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "informationSource": { "reference": patient_ref },
        "dosage": [dosage],
    });
    if !med.reason.is_empty() {
        statement["reasonCode"] = json!([{ "text": med.reason }]);
    }
    statement
}
