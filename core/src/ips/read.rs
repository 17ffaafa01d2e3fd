//! Reading an IPS (or any FHIR Bundle carrying medications) into plain lines to show. Tolerant by
//! design: real bundles miss `fullUrl`s, use references instead of codes, or are `searchset`s.

use serde_json::Value;

use super::{MEDICATION_KIND_EXTENSION, SectionKind};
use crate::model::{Frequency, MedicationKind, PeriodUnit, format_number};

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("The shared record is not a FHIR Bundle.")]
    NotABundle,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub patient_name: Option<String>,
    pub birth_date: Option<String>,
    /// When the document was composed (Composition.date, else Bundle.timestamp).
    pub date: Option<String>,
    /// Composition.title.
    pub title: Option<String>,
    pub sections: Vec<SectionSummary>,
    pub medications: Vec<MedicationLine>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SectionSummary {
    pub loinc: Option<String>,
    pub title: String,
    pub state: SectionState,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SectionState {
    /// The section lists this many entries.
    Entries(usize),
    /// The section is empty, with the coded reason (`nilknown`, `unavailable`, `withheld`, …).
    Empty { reason: Option<String> },
}

#[derive(Clone, Debug, PartialEq)]
pub struct MedicationLine {
    pub name: String,
    pub dose: String,
    pub frequency: String,
    pub kind: Option<MedicationKind>,
    pub reason: String,
    pub status: String,
}

pub fn read_document(bundle: &Value) -> Result<Summary, ReadError> {
    if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(ReadError::NotABundle);
    }
    let resources: Vec<(&str, &Value)> = bundle
        .get("entry")
        .and_then(Value::as_array)
        .map(|entries| {
            entries
                .iter()
                .filter_map(|e| Some((e.get("fullUrl").and_then(Value::as_str).unwrap_or(""), e.get("resource")?)))
                .collect()
        })
        .unwrap_or_default();
    let of_type = |t: &'static str| resources.iter().filter(move |(_, r)| r["resourceType"] == t);

    let composition = of_type("Composition").map(|(_, r)| *r).next();
    let patient = of_type("Patient").map(|(_, r)| *r).next();
    let sections = composition
        .and_then(|c| c.get("section")?.as_array())
        .map(|s| s.iter().map(section_summary).collect())
        .unwrap_or_default();
    let medications = resources
        .iter()
        .filter(|(_, r)| matches!(r["resourceType"].as_str(), Some("MedicationStatement" | "MedicationRequest")))
        .map(|(_, r)| medication_line(r, &resources))
        .collect();

    Ok(Summary {
        patient_name: patient.and_then(person_name),
        birth_date: patient.and_then(|p| text(p.get("birthDate"))),
        date: composition.and_then(|c| text(c.get("date"))).or_else(|| text(bundle.get("timestamp"))),
        title: composition.and_then(|c| text(c.get("title"))),
        sections,
        medications,
    })
}

impl Summary {
    pub fn section(&self, kind: SectionKind) -> Option<&SectionSummary> {
        self.sections.iter().find(|s| s.loinc.as_deref() == Some(kind.loinc))
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

fn person_name(patient: &Value) -> Option<String> {
    let name = patient.get("name")?.as_array()?.first()?;
    text(name.get("text")).or_else(|| {
        let given: Vec<&str> =
            name.get("given").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let parts: Vec<&str> = given.into_iter().chain(name.get("family").and_then(Value::as_str)).collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    })
}

fn concept_text(concept: &Value) -> Option<String> {
    text(concept.get("text")).or_else(|| concept.get("coding")?.as_array()?.iter().find_map(|c| text(c.get("display"))))
}

fn section_summary(section: &Value) -> SectionSummary {
    let loinc = section["code"]["coding"].as_array().and_then(|c| c.iter().find_map(|c| text(c.get("code"))));
    let entries = section.get("entry").and_then(Value::as_array).map_or(0, Vec::len);
    let state = if entries > 0 {
        SectionState::Entries(entries)
    } else {
        let reason =
            section["emptyReason"]["coding"].as_array().and_then(|c| c.iter().find_map(|c| text(c.get("code"))));
        SectionState::Empty { reason }
    };
    SectionSummary { loinc, title: text(section.get("title")).unwrap_or_else(|| "Untitled section".into()), state }
}

fn resolve<'a>(reference: &str, resources: &'a [(&str, &'a Value)]) -> Option<&'a Value> {
    resources.iter().find_map(|(full_url, r)| {
        let relative = format!("{}/{}", r["resourceType"].as_str()?, r["id"].as_str()?);
        (*full_url == reference || relative == reference || full_url.ends_with(&format!("/{reference}"))).then_some(*r)
    })
}

fn medication_line(resource: &Value, resources: &[(&str, &Value)]) -> MedicationLine {
    let name = resource
        .get("medicationCodeableConcept")
        .and_then(concept_text)
        .or_else(|| {
            let reference = resource["medicationReference"]["reference"].as_str()?;
            resolve(reference, resources).and_then(|m| m.get("code")).and_then(concept_text)
        })
        .or_else(|| text(resource["medicationReference"].get("display")))
        .unwrap_or_else(|| "Unnamed medication".into());
    let dosage =
        resource.get("dosage").or_else(|| resource.get("dosageInstruction")).and_then(|d| d.as_array()?.first());
    let dose = dosage
        .and_then(|d| d["doseAndRate"].as_array()?.first()?.get("doseQuantity"))
        .and_then(|q| {
            let value = q.get("value")?.as_f64()?;
            let unit = text(q.get("unit")).or_else(|| text(q.get("code"))).unwrap_or_default();
            Some(format!("{} {unit}", format_number(value)).trim().to_owned())
        })
        .unwrap_or_default();
    let frequency = dosage.map(frequency_text).unwrap_or_default();
    let kind = resource
        .get("extension")
        .and_then(Value::as_array)
        .and_then(|exts| exts.iter().find(|e| e["url"] == MEDICATION_KIND_EXTENSION))
        .and_then(|e| MedicationKind::from_code(e["valueCode"].as_str()?));
    let reason = resource
        .get("reasonCode")
        .and_then(Value::as_array)
        .map(|codes| codes.iter().filter_map(concept_text).collect::<Vec<_>>().join("; "))
        .unwrap_or_default();
    MedicationLine { name, dose, frequency, kind, reason, status: text(resource.get("status")).unwrap_or_default() }
}

fn frequency_text(dosage: &Value) -> String {
    let repeat = &dosage["timing"]["repeat"];
    let structured = match (repeat["frequency"].as_u64(), repeat["period"].as_f64(), repeat["periodUnit"].as_str()) {
        (Some(times), Some(every), Some(unit)) if every.fract() == 0.0 => PeriodUnit::from_ucum(unit)
            .map(|unit| Frequency::Scheduled { times: times as u32, every: every as u32, unit }.text()),
        _ if dosage["asNeededBoolean"] == true => {
            let max = dosage["maxDosePerPeriod"]["numerator"]["value"].as_f64().map(|v| v as u32);
            Some(Frequency::AsNeeded { max_per_day: max }.text())
        }
        _ => None,
    };
    structured
        .or_else(|| text(dosage["timing"]["code"].get("text")))
        .or_else(|| text(dosage.get("text")))
        .unwrap_or_default()
}
