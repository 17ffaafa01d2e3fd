//! Importing a FHIR R4 Bundle (an IPS `document`, or a portal's `collection` / `searchset`) into
//! the binder, with a review first: what would be added, what matches an entry already there
//! (importing the same file twice adds nothing), and what could not be read, each with a reason.
//!
//! **Nothing is dropped silently:** every entry of the bundle ends in exactly one of three lists:
//! `proposed` (becomes a binder entry), `used` (read for what it says about other entries: the
//! Composition, the Patient whose details are offered, a Practitioner or Organization named by an
//! entry, a Medication a statement refers to), or `skipped` with a reason. So for every bundle,
//! proposed + used + skipped = entries in the file.
//!
//! **The match rule** (an imported line that matches is shown as "already in your binder" and
//! not added): allergies by substance; conditions by name and onset; medications by RxNorm code,
//! else by name and strength; procedures and immunizations by name and date; results by test,
//! date and value; vitals by kind and time; care-team members by name. Names compare ignoring
//! case, spacing and punctuation; a missing date matches any date.

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::read::{concept_text, human_name, person_name, resolve, text};
use super::resources::Resources;
use super::{MEDICATION_KIND_EXTENSION, NO_KNOWN_ALLERGY};
use crate::i18n::fill;
use crate::model::{
    Allergy, AllergyCategory, Appointment, Binder, BinderError, ClinicalCode, CodeSystem, Condition, ConditionStatus,
    Criticality, Frequency, GlucoseUnit, Immunization, Interpretation, LocalDateTime, Measurement, Medication,
    MedicationKind, MedicationStatus, Note, PartialDate, PeriodUnit, Procedure, Provider, Quantity, ResultValue,
    SectionItem, Severity, Sex, Source, TestResult, TimeOfDay, VitalSign, When, format_number,
};
use crate::msg;
use crate::printout::Wording;
use crate::said::Said;

/// A portal's export of a whole record is a few megabytes at most; more is the wrong file.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("This file is {size_mb} MB; an import may be at most {} MB. Export a summary rather than the whole record.", MAX_IMPORT_BYTES / 1024 / 1024)]
    TooLarge { size_mb: usize },
    #[error("This file is not JSON, so it is not a FHIR record. Nothing was imported.")]
    NotJson,
    #[error("This file is nested too deeply to be a FHIR record. Nothing was imported.")]
    TooDeep,
    #[error("This file is JSON but not a FHIR resource (it has no resourceType). Nothing was imported.")]
    NotFhir,
    #[error(
        "This file is a FHIR {0}, not a Bundle. Import a bundle: an International Patient Summary or your portal's export."
    )]
    NotABundle(String),
    #[error("This bundle holds no entries: there is nothing to import.")]
    Empty,
}

impl ImportError {
    /// Why nothing was imported, as a sentence the app writes in the patient's language (the
    /// `Display` text is the same in English).
    pub fn said(&self) -> Said {
        match self {
            Self::TooLarge { size_mb } => Said::new(msg!(
                "This file is {size} MB; an import may be at most {max} MB. Export a summary rather than the whole record."
            ))
            .typed("size", size_mb.to_string())
            .typed("max", (MAX_IMPORT_BYTES / 1024 / 1024).to_string()),
            Self::NotJson => Said::new(msg!("This file is not JSON, so it is not a FHIR record. Nothing was imported.")),
            Self::TooDeep => {
                Said::new(msg!("This file is nested too deeply to be a FHIR record. Nothing was imported."))
            }
            Self::NotFhir => Said::new(msg!(
                "This file is JSON but not a FHIR resource (it has no resourceType). Nothing was imported."
            )),
            Self::NotABundle(kind) => Said::new(msg!(
                "This file is a FHIR {kind}, not a Bundle. Import a bundle: an International Patient Summary or your portal's export."
            ))
            .typed("kind", kind),
            Self::Empty => Said::new(msg!("This bundle holds no entries: there is nothing to import.")),
        }
    }
}

/// What an imported entry becomes.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Allergy(Allergy),
    /// "No known allergies", as a statement.
    NoKnownAllergies,
    Condition(Condition),
    Medication(Medication),
    Procedure(Procedure),
    Immunization(Immunization),
    Result(TestResult),
    Vital(VitalSign),
    Provider(Provider),
    /// From a whole-binder export's extension (IPS has no place for them).
    Appointment(Appointment),
    Note(Note),
}

impl Item {
    /// The section it goes into, as the review groups it (a `msg!` text: the app translates it).
    pub fn section(&self) -> &'static str {
        match self {
            Self::Allergy(_) | Self::NoKnownAllergies => msg!("Allergies"),
            Self::Condition(_) => msg!("Conditions"),
            Self::Medication(_) => msg!("Medications"),
            Self::Procedure(_) => msg!("Procedures"),
            Self::Immunization(_) => msg!("Immunizations"),
            Self::Result(_) => msg!("Test results"),
            Self::Vital(_) => msg!("Vitals"),
            Self::Provider(_) => msg!("Care team"),
            Self::Appointment(_) => msg!("Appointments"),
            Self::Note(_) => msg!("Notes"),
        }
    }

    /// One line for the review (English).
    pub fn title(&self) -> String {
        self.title_in(&Wording::ENGLISH)
    }

    /// One line for the review in the reader's words: the fixed words and dates theirs, what the
    /// file says as it says it.
    pub fn title_in(&self, w: &Wording) -> String {
        let labelled =
            |label: &str, value: &str| fill(&(w.text)(msg!("{label}: {value}")), &[("label", label), ("value", value)]);
        let at = |at: &LocalDateTime| match at.date() {
            Some(day) => fill(
                &(w.text)(msg!("{date}, {time}")),
                &[("date", &(w.date)(day)), ("time", &at.time_of_day().to_string())],
            ),
            None => at.text(),
        };
        match self {
            Self::Allergy(a) => a.substance.clone(),
            Self::NoKnownAllergies => (w.text)(msg!("No known allergies")),
            Self::Condition(c) => c.name.clone(),
            Self::Medication(m) => [m.name.as_str(), m.strength.as_str()].join(" ").trim().to_owned(),
            Self::Procedure(p) => p.name.clone(),
            Self::Immunization(i) => i.vaccine.clone(),
            Self::Result(r) => labelled(&r.name, &r.value.text()),
            Self::Vital(v) => labelled(&(w.text)(v.measurement.label()), &v.measurement.text()),
            Self::Provider(p) => p.text(),
            Self::Appointment(a) => labelled(&at(&a.at), &a.purpose),
            Self::Note(n) => labelled(&at(&n.at), &n.text),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Proposed {
    /// Index of the bundle entry it was read from.
    pub entry: usize,
    pub resource_type: String,
    pub item: Item,
    /// The binder entry it matches: shown as "already in your binder", never added twice.
    pub already: Option<Uuid>,
    /// Read from the Composition's Health Binder extension rather than from an entry of its own.
    pub from_extension: bool,
    /// Why it is left out unless the patient includes it (e.g. "no known allergies" while the
    /// binder lists some): a `msg!` text.
    pub conflict: Option<&'static str>,
}

/// The resource type of an entry that holds none (shown in the patient's language).
pub const NO_RESOURCE: &str = msg!("(no resource)");

#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub entry: usize,
    pub resource_type: String,
    /// Why, as a sentence the app writes in the patient's language.
    pub reason: Said,
}

/// The patient's details as the file gives them, offered only for fields the binder leaves empty.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PatientOffer {
    pub name: Option<String>,
    pub birth_date: Option<PartialDate>,
    pub sex: Option<Sex>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportPlan {
    /// Where it came from, kept as every imported entry's source: "file IPS.json", "SMART Health
    /// Card from https://issuer (signature checked)".
    pub origin: String,
    /// Entries in the bundle.
    pub entries: usize,
    pub proposed: Vec<Proposed>,
    /// Entries read for what they say about others, with their resource type.
    pub used: Vec<(usize, String)>,
    pub skipped: Vec<Skipped>,
    pub patient: PatientOffer,
}

impl ImportPlan {
    /// (read, skipped) per resource type: read = proposed + used.
    pub fn counts(&self) -> Vec<(String, usize, usize)> {
        let mut counts: Vec<(String, usize, usize)> = Vec::new();
        let mut add = |kind: &str, read: usize, skipped: usize| match counts.iter_mut().find(|c| c.0 == kind) {
            Some(c) => {
                c.1 += read;
                c.2 += skipped;
            }
            None => counts.push((kind.to_owned(), read, skipped)),
        };
        self.proposed.iter().filter(|p| !p.from_extension).for_each(|p| add(&p.resource_type, 1, 0));
        self.used.iter().for_each(|(_, kind)| add(kind, 1, 0));
        self.skipped.iter().for_each(|s| add(&s.resource_type, 0, 1));
        counts.sort();
        counts
    }

    /// Entries accounted for: read into a line, used, or skipped. Always `entries`.
    pub fn accounted(&self) -> usize {
        self.proposed.iter().filter(|p| !p.from_extension).count() + self.used.len() + self.skipped.len()
    }

    /// Lines that would add something: not already in the binder, and not in conflict with it.
    pub fn new_lines(&self) -> impl Iterator<Item = (usize, &Proposed)> {
        self.proposed.iter().enumerate().filter(|(_, p)| p.already.is_none() && p.conflict.is_none())
    }
}

/// Reads a file's bytes into a review plan. Refuses what is not a FHIR Bundle, with a reason.
pub fn plan_file(bytes: &[u8], origin: &str, binder: &Binder) -> Result<ImportPlan, ImportError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge { size_mb: bytes.len().div_ceil(1024 * 1024) });
    }
    // serde_json refuses nesting deeper than 128 levels before it can exhaust the stack.
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        if e.to_string().contains("recursion limit") { ImportError::TooDeep } else { ImportError::NotJson }
    })?;
    plan_bundle(&value, origin, binder)
}

/// Reads a parsed Bundle into a review plan.
pub fn plan_bundle(bundle: &Value, origin: &str, binder: &Binder) -> Result<ImportPlan, ImportError> {
    match bundle.get("resourceType").and_then(Value::as_str) {
        Some("Bundle") => {}
        Some(other) => return Err(ImportError::NotABundle(other.chars().take(60).collect())),
        None => return Err(ImportError::NotFhir),
    }
    let entries: &[Value] = bundle.get("entry").and_then(Value::as_array).map_or(&[], Vec::as_slice);
    if entries.is_empty() {
        return Err(ImportError::Empty);
    }
    let resources = Resources::new(
        entries
            .iter()
            .map(|e| {
                (e.get("fullUrl").and_then(Value::as_str).unwrap_or(""), e.get("resource").unwrap_or(&Value::Null))
            })
            .collect(),
    );
    let mut plan = ImportPlan {
        origin: origin.to_owned(),
        entries: entries.len(),
        proposed: Vec::new(),
        used: Vec::new(),
        skipped: Vec::new(),
        patient: PatientOffer::default(),
    };
    let referenced = referenced_targets(&resources);
    let patients_own = patients_providers(&resources);
    let parent_dates = parent_dates(&resources);
    for (index, (_, resource)) in resources.iter().enumerate() {
        let kind = resource.get("resourceType").and_then(Value::as_str).unwrap_or("").to_owned();
        let outcome = match kind.as_str() {
            // Organisations are mostly labs and hospitals named by results: read when used, and
            // offered for the care team only when they are the patient's own practice.
            "Organization" if !patients_own.contains(&index) => match referenced.contains(&index) {
                true => Outcome::Used,
                false => Outcome::Skip(Said::new(msg!("An organisation no entry refers to."))),
            },
            "Observation" => observation(resource, parent_dates[index]),
            _ => read_entry(&kind, resource, &resources, referenced.contains(&index)),
        };
        match outcome {
            Outcome::Item(item) => {
                let already = find_existing(binder, &item);
                let conflict = match &item {
                    Item::NoKnownAllergies if !binder.allergies.is_empty() => {
                        Some(msg!("Your binder lists allergies; this file says there are none known."))
                    }
                    _ => None,
                };
                plan.proposed.push(Proposed {
                    entry: index,
                    resource_type: kind,
                    item,
                    already,
                    conflict,
                    from_extension: false,
                });
            }
            Outcome::Used if kind == "Composition" => {
                for item in extras(resource) {
                    let already = find_existing(binder, &item);
                    let resource_type = kind.clone();
                    plan.proposed.push(Proposed {
                        entry: index,
                        resource_type,
                        item,
                        already,
                        conflict: None,
                        from_extension: true,
                    });
                }
                plan.used.push((index, kind));
            }
            Outcome::Used => {
                if kind == "Patient" && plan.patient == PatientOffer::default() {
                    plan.patient = patient_offer(resource);
                }
                plan.used.push((index, kind));
            }
            Outcome::Skip(reason) => {
                let kind = if kind.is_empty() { NO_RESOURCE.to_owned() } else { kind };
                plan.skipped.push(Skipped { entry: index, resource_type: kind, reason });
            }
        }
    }
    // A file that lists allergies and also says "none known" contradicts itself: the listed
    // allergies win, the statement is left out unless the patient ticks it.
    if plan.proposed.iter().any(|p| matches!(p.item, Item::Allergy(_))) {
        for p in plan.proposed.iter_mut().filter(|p| p.item == Item::NoKnownAllergies && p.conflict.is_none()) {
            p.conflict =
                Some(msg!("This file also lists allergies; a listed allergy is never replaced by \"none known\"."));
        }
    }
    // The same thing listed twice in one file is added once.
    for i in 0..plan.proposed.len() {
        if plan.proposed[i].already.is_none()
            && plan.proposed[..i].iter().any(|p| p.already.is_none() && same(&p.item, &plan.proposed[i].item))
        {
            plan.proposed[i].conflict = Some(msg!("Listed twice in this file; added once."));
        }
    }
    Ok(plan)
}

/// The appointments and notes of a whole-binder export (see [`super::BINDER_EXTRAS_EXTENSION`]).
fn extras(composition: &Value) -> Vec<Item> {
    #[derive(serde::Deserialize)]
    struct Extras {
        #[serde(default)]
        appointments: Vec<Appointment>,
        #[serde(default)]
        notes: Vec<Note>,
    }
    let json = composition["extension"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["url"] == super::BINDER_EXTRAS_EXTENSION)
        .and_then(|e| e["valueString"].as_str());
    let Some(extras) = json.and_then(|j| serde_json::from_str::<Extras>(j).ok()) else { return Vec::new() };
    let mut items: Vec<Item> = extras.appointments.into_iter().map(Item::Appointment).collect();
    items.extend(extras.notes.into_iter().map(Item::Note));
    items
}

// Short-lived, one per entry: boxing the item would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Outcome {
    Item(Item),
    Used,
    Skip(Said),
}

/// For each entry, the `effectiveDateTime` of a panel or report that lists it, if any: members
/// of a panel often carry no date of their own (a SMART Health Card's laboratory results).
fn parent_dates<'a>(resources: &Resources<'a>) -> Vec<Option<&'a Value>> {
    let mut dates = vec![None; resources.len()];
    for (_, parent) in resources.iter() {
        let Some(date) = parent.get("effectiveDateTime") else { continue };
        let members = parent["hasMember"].as_array().into_iter().chain(parent["result"].as_array()).flatten();
        for i in members.filter_map(|m| resources.position(m["reference"].as_str()?)) {
            dates[i].get_or_insert(date);
        }
    }
    dates
}

/// Indexes of the entries the Patient names as its general practitioner or managing organisation.
fn patients_providers(resources: &Resources) -> Vec<usize> {
    let Some((_, patient)) = resources.iter().find(|(_, r)| r["resourceType"] == "Patient") else { return Vec::new() };
    patient["generalPractitioner"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(patient.get("managingOrganization"))
        .filter_map(|r| resources.position(r["reference"].as_str()?))
        .collect()
}

/// Indexes of entries another entry points to (performers, medications, report results…).
fn referenced_targets(resources: &Resources) -> Vec<usize> {
    fn walk(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("reference") {
                    out.push(r.clone());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut references = Vec::new();
    for (_, resource) in resources.iter() {
        walk(resource, &mut references);
    }
    let mut targets: Vec<usize> = references.iter().filter_map(|r| resources.position(r)).collect();
    targets.sort_unstable();
    targets.dedup();
    targets
}

fn read_entry(kind: &str, r: &Value, resources: &Resources, referenced: bool) -> Outcome {
    let entered_in_error = ["verificationStatus", "clinicalStatus"]
        .iter()
        .any(|f| matches!(code_of(&r[*f]).as_deref(), Some("entered-in-error" | "refuted")))
        || matches!(r["status"].as_str(), Some("entered-in-error" | "not-done" | "cancelled"));
    if entered_in_error {
        // The status is FHIR's code ("entered-in-error", "not-done"), as the file gives it.
        return Outcome::Skip(match r["status"].as_str() {
            Some(status) => Said::new(msg!("Marked {status} by its sender.")).typed("status", status),
            None => Said::new(msg!("Marked entered in error or refuted by its sender.")),
        });
    }
    match kind {
        "Composition" => Outcome::Used,
        "Patient" => Outcome::Used,
        "AllergyIntolerance" => allergy(r),
        "Condition" => condition(r),
        "MedicationStatement" | "MedicationRequest" => medication(r, resources),
        "Medication" if referenced => Outcome::Used,
        "Medication" => Outcome::Skip(Said::new(msg!("A medication no statement or prescription refers to."))),
        "Procedure" => procedure(r, resources),
        "Immunization" => immunization(r, resources),
        "Practitioner" | "Organization" => provider(kind, r),
        "PractitionerRole" if referenced => Outcome::Used,
        "DiagnosticReport" if r.get("result").is_some() => {
            Outcome::Skip(Said::new(msg!("A report: its results are imported one by one.")))
        }
        "" => Outcome::Skip(Said::new(msg!("The entry holds no resource."))),
        other => Outcome::Skip(
            Said::new(msg!("The binder does not keep {kind} records.")).typed("kind", readable_kind(other)),
        ),
    }
}

/// "DeviceUseStatement" → "device use statement".
fn readable_kind(kind: &str) -> String {
    let mut out = String::new();
    for (i, c) in kind.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// CVX vaccine codes that SMART Health Cards carry without a display name (the cards are minified
/// to fit a QR code): the common ones by name, the rest as "Vaccine (CVX n)".
const CVX: &[(&str, &str)] = &[
    ("207", "COVID-19 vaccine, mRNA (Moderna)"),
    ("208", "COVID-19 vaccine, mRNA (Pfizer-BioNTech)"),
    ("210", "COVID-19 vaccine, vector (AstraZeneca)"),
    ("212", "COVID-19 vaccine, vector (Janssen)"),
    ("213", "COVID-19 vaccine"),
    ("140", "Influenza vaccine, preservative free"),
    ("141", "Influenza vaccine"),
    ("150", "Influenza vaccine, quadrivalent, preservative free"),
    ("158", "Influenza vaccine, quadrivalent"),
    ("115", "Tdap (tetanus, diphtheria, pertussis)"),
    ("113", "Td (tetanus, diphtheria)"),
    ("33", "Pneumococcal polysaccharide vaccine (PPSV23)"),
    ("133", "Pneumococcal conjugate vaccine (PCV13)"),
    ("43", "Hepatitis B vaccine"),
    ("83", "Hepatitis A vaccine"),
    ("03", "MMR (measles, mumps, rubella)"),
    ("21", "Varicella (chickenpox) vaccine"),
    ("187", "Zoster (shingles) vaccine, recombinant"),
    ("62", "HPV vaccine"),
];

/// A concept's words, or — for a bare code, as SMART Health Cards write them — a name from the
/// CVX list or "code n (system)", so that nothing coded is skipped for want of a display.
fn named(concept: &Value) -> Option<String> {
    concept_text(concept).or_else(|| {
        let coding = concept["coding"].as_array()?.iter().find(|c| c.get("code").is_some())?;
        let code = text(coding.get("code"))?;
        let system = coding["system"].as_str().unwrap_or("");
        Some(match system {
            "http://hl7.org/fhir/sid/cvx" => {
                CVX.iter().find(|(c, _)| *c == code).map_or(format!("Vaccine (CVX {code})"), |(_, n)| (*n).to_owned())
            }
            super::LOINC => format!("LOINC {code}"),
            super::SNOMED => match code.as_str() {
                // The qualifiers laboratory cards code their results with.
                "260385009" => "Negative".to_owned(),
                "10828004" => "Positive".to_owned(),
                "260415000" => "Not detected".to_owned(),
                "260373001" => "Detected".to_owned(),
                _ => format!("SNOMED CT {code}"),
            },
            _ => format!("Code {code}"),
        })
    })
}

fn code_of(concept: &Value) -> Option<String> {
    concept.get("coding")?.as_array()?.iter().find_map(|c| text(c.get("code")))
}

fn has_code(concept: &Value, codes: &[&str]) -> bool {
    concept["coding"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["code"].as_str().is_some_and(|code| codes.contains(&code)))
}

/// A FHIR date or dateTime as the (partial) date it names.
fn partial_date(value: Option<&Value>) -> Option<PartialDate> {
    let text = value?.as_str()?;
    PartialDate::parse(text.get(..10).unwrap_or(text)).ok()
}

/// `<prefix>DateTime`, else `<prefix>Period.start`.
fn date_field(r: &Value, prefix: &str) -> Option<PartialDate> {
    partial_date(r.get(format!("{prefix}DateTime").as_str()))
        .or_else(|| partial_date(r[format!("{prefix}Period")].get("start")))
}

fn notes(r: &Value) -> String {
    r["note"].as_array().into_iter().flatten().filter_map(|n| text(n.get("text"))).collect::<Vec<_>>().join(" ")
}

/// Codes IPS uses to say "none known" or "no information" instead of listing something.
const ABSENT_OR_UNKNOWN: &[&str] = &[
    "no-allergy-info",
    "no-known-allergies",
    "no-medication-info",
    "no-known-medications",
    "no-problem-info",
    "no-known-problems",
    "no-procedure-info",
    "no-known-procedures",
    "no-immunization-info",
    "no-known-immunizations",
    "160245001",
    "1287696008",
];

fn allergy(r: &Value) -> Outcome {
    let code = &r["code"];
    if has_code(code, &[NO_KNOWN_ALLERGY, "409137002", "428607008", "429625007", "no-known-allergies"]) {
        return Outcome::Item(Item::NoKnownAllergies);
    }
    if has_code(code, ABSENT_OR_UNKNOWN) {
        return Outcome::Skip(Said::new(msg!("Says allergies are not known; nothing to add.")));
    }
    let Some(substance) = concept_text(code) else {
        return Outcome::Skip(Said::new(msg!("An allergy without a substance.")));
    };
    let category = r["category"][0].as_str().and_then(|c| AllergyCategory::ALL.into_iter().find(|k| k.code() == c));
    let reaction = &r["reaction"][0];
    // A manifestation marked absent (data-absent-reason: ours says "Reaction not described" in
    // the document's language) is no reaction.
    let manifestations: Vec<String> = reaction["manifestation"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m.get("extension").is_none())
        .filter_map(concept_text)
        .collect();
    let severity = reaction["severity"].as_str().and_then(|s| Severity::ALL.into_iter().find(|k| k.code() == s));
    let criticality = r["criticality"].as_str().and_then(|s| Criticality::ALL.into_iter().find(|k| k.code() == s));
    let reaction = manifestations.join(", ");
    let reaction = if reaction == "Reaction not described" { String::new() } else { reaction };
    Outcome::Item(Item::Allergy(Allergy { substance, category, reaction, severity, criticality }))
}

fn clinical_code(concept: &Value) -> Option<ClinicalCode> {
    concept["coding"].as_array().into_iter().flatten().find_map(|c| {
        let system = [CodeSystem::Snomed, CodeSystem::Icd10, CodeSystem::Icd10Cm]
            .into_iter()
            .find(|s| c["system"].as_str() == Some(s.uri()))?;
        Some(ClinicalCode { system, code: text(c.get("code"))? })
    })
}

fn condition(r: &Value) -> Outcome {
    if has_code(&r["code"], ABSENT_OR_UNKNOWN) {
        return Outcome::Skip(Said::new(msg!("Says there are no known problems; nothing to add.")));
    }
    let Some(name) = r.get("code").and_then(named) else {
        return Outcome::Skip(Said::new(msg!("A condition without a name.")));
    };
    let status = match code_of(&r["clinicalStatus"]).as_deref() {
        Some("resolved" | "inactive" | "remission") => ConditionStatus::Resolved,
        _ if r.get("abatementDateTime").is_some() => ConditionStatus::Resolved,
        _ => ConditionStatus::Active,
    };
    Outcome::Item(Item::Condition(Condition {
        name,
        code: clinical_code(&r["code"]),
        status,
        onset: date_field(r, "onset"),
        resolved: date_field(r, "abatement"),
        note: notes(r),
    }))
}

fn medication(r: &Value, resources: &Resources) -> Outcome {
    // The drug: a code right here, or a Medication contained in it or elsewhere in the bundle.
    let referenced = r["medicationReference"]["reference"].as_str();
    let medication_resource = referenced.and_then(|reference| match reference.strip_prefix('#') {
        Some(id) => r["contained"].as_array().into_iter().flatten().find(|c| c["id"] == id),
        None => resolve(reference, resources),
    });
    let concept = r.get("medicationCodeableConcept").or_else(|| medication_resource.map(|m| &m["code"]));
    if concept.is_some_and(|c| has_code(c, ABSENT_OR_UNKNOWN)) {
        return Outcome::Skip(Said::new(msg!("Says medications are not known; nothing to add.")));
    }
    let name = concept.and_then(concept_text).or_else(|| text(r["medicationReference"].get("display")));
    let Some(display) = name else {
        return Outcome::Skip(match referenced {
            Some(reference) => Said::new(msg!("Its medication reference ({reference}) points to nothing in the file."))
                .typed("reference", reference),
            None => Said::new(msg!("A medication without a name.")),
        });
    };
    let rxnorm = concept
        .and_then(|c| c["coding"].as_array())
        .into_iter()
        .flatten()
        .find(|c| c["system"] == super::RXNORM)
        .and_then(|c| text(c.get("code")))
        .filter(|c| c.len() <= 12 && c.bytes().all(|b| b.is_ascii_digit()));
    let (name, strength) = split_strength(&display);
    let dosage = r.get("dosage").or_else(|| r.get("dosageInstruction")).and_then(|d| d.as_array()?.first());
    let dosage = dosage.unwrap_or(&Value::Null);
    let dose = dosage["doseAndRate"][0]["doseQuantity"].as_object().and_then(|q| {
        let value = q.get("value")?.as_f64().filter(|v| *v > 0.0)?;
        let unit = text(q.get("unit")).or_else(|| text(q.get("code")))?;
        Some(Quantity { value, unit })
    });
    let kind = r["extension"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["url"] == MEDICATION_KIND_EXTENSION)
        .and_then(|e| MedicationKind::from_code(e["valueCode"].as_str()?))
        .unwrap_or_default();
    let stopped = date_field(r, "effective").and(partial_date(r["effectivePeriod"].get("end")));
    let status = match r["status"].as_str() {
        Some("stopped" | "completed" | "not-taken" | "cancelled") => {
            MedicationStatus::Stopped { reason: r["statusReason"].get(0).and_then(concept_text).unwrap_or_default() }
        }
        _ => MedicationStatus::Active,
    };
    let status = if stopped.is_some() && status.is_active() {
        MedicationStatus::Stopped { reason: String::new() }
    } else {
        status
    };
    // Our own documents mark the form's note (in any language); others' may say "Form: …".
    let form = r["note"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|n| n["extension"].as_array().into_iter().flatten())
        .find(|e| e["url"] == super::MEDICATION_FORM_EXTENSION)
        .and_then(|e| text(e.get("valueString")))
        .or_else(|| notes(r).strip_prefix("Form: ").map(|f| f.split(". ").next().unwrap_or(f).to_owned()));
    let medication = Medication {
        name,
        strength,
        dose,
        frequency: frequency(dosage).unwrap_or_default(),
        kind,
        reason: r["reasonCode"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(concept_text)
            .collect::<Vec<_>>()
            .join("; "),
        rxnorm,
        form: form.unwrap_or_default(),
        route: dosage.get("route").and_then(concept_text).unwrap_or_default(),
        prescriber: None,
        started: date_field(r, "effective").or_else(|| partial_date(r.get("authoredOn"))),
        stopped,
        status,
        verified: None,
        instructions: text(dosage.get("text")).unwrap_or_default(),
    };
    Outcome::Item(Item::Medication(medication))
}

/// "Metformin 500 mg" → ("Metformin", "500 mg"): the name and the strength apart, as the binder
/// keeps them (and as our own export joins them). The strength starts at the first word after the
/// name that starts with a digit ("Vitamin D3 1000 IU": "D3" is part of the name).
fn split_strength(display: &str) -> (String, String) {
    let mut offset = 0;
    for (i, word) in display.split(' ').enumerate() {
        if i > 0 && word.starts_with(|c: char| c.is_ascii_digit()) {
            return (display[..offset].trim().to_owned(), display[offset..].trim().to_owned());
        }
        offset += word.len() + 1;
    }
    (display.trim().to_owned(), String::new())
}

/// A dosage's timing as the model's structured frequency, when it is structured.
fn frequency(dosage: &Value) -> Option<Frequency> {
    let repeat = &dosage["timing"]["repeat"];
    let at: Vec<TimeOfDay> =
        repeat["timeOfDay"].as_array().into_iter().flatten().filter_map(|t| TimeOfDay::parse(t.as_str()?)).collect();
    if !at.is_empty() {
        return Some(Frequency::AtTimes { times: at });
    }
    if dosage["asNeededBoolean"] == true || dosage.get("asNeededCodeableConcept").is_some() {
        let max = dosage["maxDosePerPeriod"]["numerator"]["value"].as_f64().map(|v| v as u32).filter(|v| *v > 0);
        return Some(Frequency::AsNeeded { max_per_day: max });
    }
    let times = repeat["frequency"].as_u64().unwrap_or(1);
    let every = repeat["period"].as_f64().filter(|p| p.fract() == 0.0 && *p >= 1.0)?;
    let unit = PeriodUnit::from_ucum(repeat["periodUnit"].as_str()?)?;
    Some(Frequency::Scheduled { times: u32::try_from(times).ok()?, every: every as u32, unit })
}

fn performer_names(r: &Value, resources: &Resources) -> String {
    let names: Vec<String> = r["performer"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let actor = &p["actor"];
            text(actor.get("display")).or_else(|| {
                let target = resolve(actor["reference"].as_str()?, resources)?;
                person_name(target).or_else(|| text(target.get("name")))
            })
        })
        .collect();
    names.join(", ")
}

fn procedure(r: &Value, resources: &Resources) -> Outcome {
    if has_code(&r["code"], ABSENT_OR_UNKNOWN) {
        return Outcome::Skip(Said::new(msg!("Says there are no known procedures; nothing to add.")));
    }
    let Some(name) = r.get("code").and_then(named) else {
        return Outcome::Skip(Said::new(msg!("A procedure without a name.")));
    };
    Outcome::Item(Item::Procedure(Procedure {
        name,
        date: date_field(r, "performed"),
        performer: performer_names(r, resources),
        note: notes(r),
    }))
}

fn immunization(r: &Value, resources: &Resources) -> Outcome {
    if has_code(&r["vaccineCode"], ABSENT_OR_UNKNOWN) {
        return Outcome::Skip(Said::new(msg!("Says immunizations are not known; nothing to add.")));
    }
    let Some(vaccine) = r.get("vaccineCode").and_then(named) else {
        return Outcome::Skip(Said::new(msg!("An immunization without a vaccine.")));
    };
    Outcome::Item(Item::Immunization(Immunization {
        vaccine,
        date: date_field(r, "occurrence"),
        dose_number: r["protocolApplied"][0]["doseNumberPositiveInt"].as_u64().and_then(|n| u32::try_from(n).ok()),
        lot: text(r.get("lotNumber")).unwrap_or_default(),
        given_by: performer_names(r, resources),
    }))
}

fn loinc_code(concept: &Value) -> Option<String> {
    concept["coding"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["system"] == super::LOINC)
        .and_then(|c| text(c.get("code")))
}

fn observation(r: &Value, parent_date: Option<&Value>) -> Outcome {
    let Some(name) = r.get("code").and_then(named) else {
        return Outcome::Skip(Said::new(msg!("A result without a name.")));
    };
    let loinc = loinc_code(&r["code"]);
    if let Some(vital) = vital(r, loinc.as_deref()) {
        return Outcome::Item(Item::Vital(vital));
    }
    // A panel's member without a date of its own takes the panel's (or the report's).
    let effective = r.get("effectiveDateTime").or(parent_date);
    let day = date_field(r, "effective").or_else(|| partial_date(effective)).or_else(|| partial_date(r.get("issued")));
    let when = match (effective.and_then(Value::as_str), day) {
        (Some(at), day) if at.len() > 10 => LocalDateTime::parse_fhir(at).map(When::At).or(day.map(When::Date)),
        (_, Some(day)) => Some(When::Date(day)),
        _ => None,
    };
    let Some(when) = when else {
        return Outcome::Skip(Said::new(msg!("A result without a date.")));
    };
    let value = if let Some(q) = r.get("valueQuantity") {
        match q["value"].as_f64() {
            Some(v) => ResultValue::Quantity(Quantity {
                value: v,
                unit: text(q.get("code")).or_else(|| text(q.get("unit"))).unwrap_or_default(),
            }),
            None => return Outcome::Skip(Said::new(msg!("A result whose quantity has no number."))),
        }
    } else if let Some(text_value) =
        r.get("valueCodeableConcept").and_then(named).or_else(|| text(r.get("valueString")))
    {
        ResultValue::Text(text_value)
    } else if let Some(b) = r["valueBoolean"].as_bool() {
        ResultValue::Text(if b { "Yes" } else { "No" }.into())
    } else if let Some(n) = r["valueInteger"].as_i64() {
        ResultValue::Quantity(Quantity { value: n as f64, unit: String::new() })
    } else if r.get("hasMember").is_some() || r.get("component").is_some() {
        // A panel whose parts are listed: components become one line of text.
        let parts: Vec<String> = r["component"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| {
                let label = c.get("code").and_then(concept_text)?;
                let q = c.get("valueQuantity")?;
                Some(
                    format!(
                        "{label} {} {}",
                        format_number(q["value"].as_f64()?),
                        text(q.get("unit")).unwrap_or_default()
                    )
                    .trim()
                    .to_owned(),
                )
            })
            .collect();
        if parts.is_empty() {
            return Outcome::Skip(Said::new(msg!("A panel: its results are imported one by one.")));
        }
        ResultValue::Text(parts.join("; "))
    } else {
        return Outcome::Skip(Said::new(msg!("A result without a value.")));
    };
    let range = &r["referenceRange"][0];
    let interpretation = code_of(&r["interpretation"][0]).and_then(|code| Interpretation::from_code(&code));
    Outcome::Item(Item::Result(TestResult {
        name,
        loinc: loinc.filter(|c| crate::model::is_loinc(c)),
        value,
        when,
        ordered_by: None,
        range_low: range["low"]["value"].as_f64(),
        range_high: range["high"]["value"].as_f64(),
        interpretation,
    }))
}

/// A vital sign the binder's log knows, measured at a known time.
fn vital(r: &Value, loinc: Option<&str>) -> Option<VitalSign> {
    let at = LocalDateTime::parse_fhir(r["effectiveDateTime"].as_str().filter(|t| t.len() > 10)?)?;
    let q = |v: &Value| v["valueQuantity"]["value"].as_f64();
    let component = |code: &str| {
        r["component"].as_array()?.iter().find(|c| loinc_code(&c["code"]).as_deref() == Some(code)).and_then(q)
    };
    let measurement = match loinc? {
        "85354-9" | "55284-4" => {
            Measurement::BloodPressure { systolic: component("8480-6")? as u16, diastolic: component("8462-4")? as u16 }
        }
        "8867-4" => Measurement::Pulse { per_minute: q(r)? as u16 },
        "29463-7" => Measurement::Weight { kg: q(r)? },
        "2339-0" => Measurement::Glucose { value: q(r)?, unit: GlucoseUnit::MgPerDl },
        "15074-8" => Measurement::Glucose { value: q(r)?, unit: GlucoseUnit::MmolPerL },
        "8310-5" => Measurement::Temperature { celsius: q(r)? },
        "59408-5" | "2708-6" => Measurement::OxygenSaturation { percent: q(r)? as u8 },
        _ => return None,
    };
    Some(VitalSign { at, measurement })
}

fn provider(kind: &str, r: &Value) -> Outcome {
    let name = if kind == "Practitioner" { person_name(r) } else { text(r.get("name")) };
    let Some(name) = name else {
        return Outcome::Skip(Said::new(match kind {
            "Practitioner" => msg!("A practitioner without a name."),
            _ => msg!("An organisation without a name."),
        }));
    };
    let telecom = |system: &str| {
        r["telecom"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["system"] == system)
            .and_then(|t| text(t.get("value")))
            .unwrap_or_default()
    };
    let address = r["address"][0].as_object().map(|a| {
        text(a.get("text")).unwrap_or_else(|| {
            let lines = a.get("line").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
            let rest = ["city", "postalCode", "country"].into_iter().filter_map(|f| a.get(f)?.as_str());
            lines.chain(rest).collect::<Vec<_>>().join(", ")
        })
    });
    let role = r["qualification"][0].get("code").and_then(concept_text).unwrap_or_default();
    let (name, organisation) = if kind == "Organization" { (name.clone(), name) } else { (name, String::new()) };
    Outcome::Item(Item::Provider(Provider {
        name,
        role,
        organisation,
        phone: telecom("phone"),
        fax: telecom("fax"),
        email: telecom("email"),
        address: address.unwrap_or_default(),
        portal: telecom("url"),
        primary_care: false,
    }))
}

fn patient_offer(r: &Value) -> PatientOffer {
    PatientOffer {
        name: person_name(r).or_else(|| r["name"].as_array()?.iter().find_map(human_name)),
        birth_date: partial_date(r.get("birthDate")),
        sex: r["gender"].as_str().and_then(Sex::from_code),
    }
}

/// Names compare ignoring case, spacing and punctuation.
fn key(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn same_date(a: Option<PartialDate>, b: Option<PartialDate>) -> bool {
    a.is_none() || b.is_none() || a == b
}

/// The match rule (see the module's documentation).
fn same(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (Item::Allergy(a), Item::Allergy(b)) => key(&a.substance) == key(&b.substance),
        (Item::NoKnownAllergies, Item::NoKnownAllergies) => true,
        (Item::Condition(a), Item::Condition(b)) => key(&a.name) == key(&b.name) && same_date(a.onset, b.onset),
        (Item::Medication(a), Item::Medication(b)) => match (&a.rxnorm, &b.rxnorm) {
            (Some(x), Some(y)) => x == y,
            _ => key(&a.name) == key(&b.name) && key(&a.strength) == key(&b.strength),
        },
        (Item::Procedure(a), Item::Procedure(b)) => key(&a.name) == key(&b.name) && same_date(a.date, b.date),
        (Item::Immunization(a), Item::Immunization(b)) => {
            key(&a.vaccine) == key(&b.vaccine) && same_date(a.date, b.date)
        }
        (Item::Result(a), Item::Result(b)) => {
            (key(&a.name) == key(&b.name) || a.loinc.is_some() && a.loinc == b.loinc)
                && a.when.fhir().get(..10) == b.when.fhir().get(..10)
                && key(&a.value.text()) == key(&b.value.text())
        }
        (Item::Vital(a), Item::Vital(b)) => {
            a.measurement.label() == b.measurement.label() && a.at.utc_ms == b.at.utc_ms
        }
        (Item::Provider(a), Item::Provider(b)) => key(&a.name) == key(&b.name),
        (Item::Appointment(a), Item::Appointment(b)) => {
            a.at.utc_ms == b.at.utc_ms && key(&a.purpose) == key(&b.purpose)
        }
        (Item::Note(a), Item::Note(b)) => a.at.utc_ms == b.at.utc_ms && key(&a.text) == key(&b.text),
        _ => false,
    }
}

fn find_in<T: SectionItem>(binder: &Binder, wrap: impl Fn(&T) -> Item, item: &Item) -> Option<Uuid> {
    T::entries(binder).iter().find(|e| same(&wrap(&e.data), item)).map(|e| e.id())
}

fn find_existing(binder: &Binder, item: &Item) -> Option<Uuid> {
    match item {
        Item::Allergy(_) => find_in::<Allergy>(binder, |a| Item::Allergy(a.clone()), item),
        Item::NoKnownAllergies => {
            matches!(binder.allergy_state(), crate::model::AllergyState::NoneKnown { .. }).then_some(binder.id)
        }
        Item::Condition(_) => find_in::<Condition>(binder, |c| Item::Condition(c.clone()), item),
        Item::Medication(_) => find_in::<Medication>(binder, |m| Item::Medication(m.clone()), item),
        Item::Procedure(_) => find_in::<Procedure>(binder, |p| Item::Procedure(p.clone()), item),
        Item::Immunization(_) => find_in::<Immunization>(binder, |i| Item::Immunization(i.clone()), item),
        Item::Result(_) => find_in::<TestResult>(binder, |r| Item::Result(r.clone()), item),
        Item::Vital(_) => find_in::<VitalSign>(binder, |v| Item::Vital(v.clone()), item),
        Item::Provider(_) => find_in::<Provider>(binder, |p| Item::Provider(p.clone()), item),
        Item::Appointment(_) => find_in::<Appointment>(binder, |a| Item::Appointment(a.clone()), item),
        Item::Note(_) => find_in::<Note>(binder, |n| Item::Note(n.clone()), item),
    }
}

/// What applying a plan did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub added: usize,
    /// Lines that matched the binder (or an earlier line) and were not added again.
    pub already: usize,
    /// Lines the binder's own rules refused, with why (e.g. a result of an impossible size): each
    /// problem's English sentence with its values, as the binder's checks word it, for the app to
    /// write in the patient's language ([`why_refused`]).
    pub refused: Vec<(usize, Vec<String>)>,
}

/// Why a line was refused, in the reader's language: each problem through
/// `model::validate::translate_problem` (a template with values matched and filled again) with
/// `translate` (the app's `t_text`; a catalogue lookup in tests), one sentence after another.
pub fn why_refused(problems: &[String], translate: impl Fn(&str) -> String) -> String {
    problems.iter().map(|p| crate::model::translate_problem(p, &translate)).collect::<Vec<_>>().join(" ")
}

/// Adds the proposed lines the patient kept (`include[i]` for `plan.proposed[i]`; lines with a
/// conflict are added only when included explicitly) and, when asked, the patient's details
/// into empty fields of About me. Every added entry's source is the plan's origin. Matches are
/// checked again as lines are added, so nothing is ever added twice.
pub fn apply(plan: &ImportPlan, include: &[bool], details: bool, binder: &mut Binder, now: DateTime<Utc>) -> Applied {
    let mut applied = Applied::default();
    let source = Source::Imported { origin: plan.origin.clone() };
    for (i, proposed) in plan.proposed.iter().enumerate() {
        if !include.get(i).copied().unwrap_or(false) {
            continue;
        }
        if find_existing(binder, &proposed.item).is_some() {
            applied.already += 1;
            continue;
        }
        let added = match proposed.item.clone() {
            Item::Allergy(a) => binder.add(a, source.clone(), now).map(|_| ()),
            Item::NoKnownAllergies => binder.confirm_no_known_allergies(now),
            Item::Condition(c) => binder.add(c, source.clone(), now).map(|_| ()),
            Item::Medication(m) => binder.add(m, source.clone(), now).map(|_| ()),
            Item::Procedure(p) => binder.add(p, source.clone(), now).map(|_| ()),
            Item::Immunization(m) => binder.add(m, source.clone(), now).map(|_| ()),
            Item::Result(r) => binder.add(r, source.clone(), now).map(|_| ()),
            Item::Vital(v) => binder.add(v, source.clone(), now).map(|_| ()),
            Item::Provider(p) => binder.add(p, source.clone(), now).map(|_| ()),
            Item::Appointment(a) => binder.add(a, source.clone(), now).map(|_| ()),
            Item::Note(n) => binder.add(n, source.clone(), now).map(|_| ()),
        };
        match added {
            Ok(()) => applied.added += 1,
            Err(BinderError::Invalid(problems)) => {
                applied.refused.push((i, problems.into_iter().map(|p| p.message).collect()))
            }
            Err(other) => applied.refused.push((i, vec![other.to_string()])),
        }
    }
    if details {
        let mut profile = binder.profile.clone();
        let offer = &plan.patient;
        if profile.name.trim().is_empty()
            && let Some(name) = &offer.name
        {
            profile.name = name.clone();
        }
        if profile.birth_date.is_none() {
            profile.birth_date = offer.birth_date;
        }
        if profile.sex == Sex::Unknown
            && let Some(sex) = offer.sex
        {
            profile.sex = sex;
        }
        if profile != binder.profile {
            // Only empty fields were filled; a refusal leaves About me as the patient typed it.
            let _ = binder.update_profile(profile, now);
        }
    }
    applied
}
