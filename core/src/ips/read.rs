//! Reading an IPS (or any FHIR Bundle carrying medications) into plain lines to show. Tolerant by
//! design: real bundles miss `fullUrl`s, use references instead of codes, or are `searchset`s.

use serde_json::Value;

use super::codes;
use super::resources::Resources;
use super::{DOSE_LOG_NOTE_EXTENSION, MEDICATION_KIND_EXTENSION, SectionKind};
use crate::i18n::fill;
use crate::model::{Frequency, LocalDateTime, MedicationKind, PartialDate, PeriodUnit, TimeOfDay, format_number};
use crate::msg;
use crate::printout::Wording;
use crate::reply::jwe::PublicJwk;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("The shared record is not a FHIR Bundle.")]
    NotABundle,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub patient_name: Option<String>,
    /// As written in the bundle (FHIR `date`, e.g. "1960-05-02"); see `fhir_date_text`.
    pub birth_date: Option<String>,
    /// FHIR administrative gender code: female, male, other, unknown.
    pub gender: Option<String>,
    /// Whom to call, one line each (Patient.contact): "Emergency contact: Joylette Goble
    /// (Daughter), +1 555 0100".
    pub contacts: Vec<String>,
    /// Patient.generalPractitioner, by its display name.
    pub general_practitioner: Option<String>,
    /// When the document was composed (Composition.date, else Bundle.timestamp).
    pub date: Option<String>,
    /// Composition.title.
    pub title: Option<String>,
    /// Whether `title` is the one this app gives a document the patient did not name, in any
    /// language ([`super::DEFAULT_TITLE_EXTENSION`]; before it, the English "Patient summary of …").
    pub title_is_default: bool,
    /// The language the document is written in (Composition.language, else Bundle.language): the
    /// patient's, which may not be the reader's; a viewer marks the document's own texts with it
    /// (`lang`) so a screen reader reads them in that language.
    pub language: Option<String>,
    pub sections: Vec<SectionSummary>,
    pub medications: Vec<MedicationLine>,
    /// The key a reply to this document is encrypted to ([`super::REPLY_KEY_EXTENSION`]), when
    /// the sender takes replies.
    pub reply_key: Option<PublicJwk>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SectionSummary {
    pub loinc: Option<String>,
    pub title: String,
    pub state: SectionState,
    /// One line per entry this reader understands (allergies, medications, conditions,
    /// procedures, immunizations, observations and reports), in the section's order. Empty for
    /// sections of other kinds: show their narrative's existence, not their markup.
    pub lines: Vec<Line>,
}

/// One entry, as text: a title and labelled details ("Reaction" → "Hives").
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub title: String,
    pub details: Vec<(String, String)>,
}

impl Line {
    pub fn detail(&self, label: &str) -> Option<&str> {
        self.details.iter().find(|(l, _)| l == label).map(|(_, v)| v.as_str())
    }
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
    /// The FHIR code as given ("active", "stopped"): compared, not shown (a section's details
    /// show it by its label in the reader's words).
    pub status: String,
    /// How the patient has been taking it, from their dose log, when they shared that.
    pub taking: String,
}

/// The whole document as a summary: every section, its fixed words and dates in English.
pub fn read_document(bundle: &Value) -> Result<Summary, ReadError> {
    read_document_in(bundle, &Wording::ENGLISH)
}

/// The same, written in the reader's words: the fixed words the reader adds ("Yes", "Contact",
/// "to", how often a medication is taken) and the dates of the details, the reader's way. The
/// document's own words (names, notes, its titles) stay as written.
pub fn read_document_in(bundle: &Value, w: &Wording) -> Result<Summary, ReadError> {
    read_sections(bundle, |_| true, w)
}

/// What a viewer paints first: the patient, the allergies, the medications (their section and the
/// list) and the reply key; every other section is left out of `sections`, for
/// [`read_document`] to read once that first frame is on screen. A large binder's thousands of
/// readings then wait for the allergies no longer.
pub fn read_first(bundle: &Value) -> Result<Summary, ReadError> {
    read_first_in(bundle, &Wording::ENGLISH)
}

/// [`read_first`] in the reader's words (see [`read_document_in`]).
pub fn read_first_in(bundle: &Value, w: &Wording) -> Result<Summary, ReadError> {
    let first = |loinc: Option<&str>| loinc == Some(super::ALLERGIES.loinc) || loinc == Some(super::MEDICATIONS.loinc);
    read_sections(bundle, first, w)
}

/// The document with only the sections whose LOINC code `keep` accepts.
fn read_sections(bundle: &Value, keep: impl Fn(Option<&str>) -> bool, w: &Wording) -> Result<Summary, ReadError> {
    if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(ReadError::NotABundle);
    }
    let resources = Resources::new(
        bundle
            .get("entry")
            .and_then(Value::as_array)
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|e| Some((e.get("fullUrl").and_then(Value::as_str).unwrap_or(""), e.get("resource")?)))
                    .collect()
            })
            .unwrap_or_default(),
    );
    let of_type = |t: &'static str| resources.iter().filter(move |(_, r)| r["resourceType"] == t);

    let composition = of_type("Composition").map(|(_, r)| *r).next();
    let patient = of_type("Patient").map(|(_, r)| *r).next();
    let sections = composition
        .and_then(|c| c.get("section")?.as_array())
        .map(|s| {
            s.iter().filter(|s| keep(section_loinc(s).as_deref())).map(|s| section_summary(s, &resources, w)).collect()
        })
        .unwrap_or_default();
    let medications = resources
        .iter()
        .filter(|(_, r)| matches!(r["resourceType"].as_str(), Some("MedicationStatement" | "MedicationRequest")))
        .map(|(_, r)| medication_line(r, &resources, w))
        .collect();

    Ok(Summary {
        patient_name: patient.and_then(person_name),
        birth_date: patient.and_then(|p| text(p.get("birthDate"))),
        gender: patient.and_then(|p| text(p.get("gender"))),
        contacts: patient
            .and_then(|p| p.get("contact")?.as_array())
            .map(|c| c.iter().filter_map(|c| contact_line(c, w)).collect())
            .unwrap_or_default(),
        general_practitioner: patient
            .and_then(|p| p.get("generalPractitioner")?.as_array()?.first().and_then(|g| text(g.get("display")))),
        date: composition.and_then(|c| text(c.get("date"))).or_else(|| text(bundle.get("timestamp"))),
        title: composition.and_then(|c| text(c.get("title"))),
        title_is_default: composition.is_some_and(has_default_title),
        language: composition.and_then(|c| text(c.get("language"))).or_else(|| text(bundle.get("language"))),
        sections,
        medications,
        reply_key: composition.and_then(reply_key),
    })
}

/// Whether the Composition's title is the one this app gives an unnamed document: marked so in
/// any language, or (documents made before the mark) its English wording.
fn has_default_title(composition: &Value) -> bool {
    let marked = composition["extension"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["url"] == super::DEFAULT_TITLE_EXTENSION && e["valueBoolean"] == true);
    marked || composition["title"].as_str().is_some_and(|t| t.starts_with(ENGLISH_DEFAULT_TITLE))
}

/// How the default title started before it was marked (compared, not shown).
const ENGLISH_DEFAULT_TITLE: &str = "Patient summary of ";

/// The reply key from the Composition's extension, if it is a usable P-256 key. Read through
/// `Value` (which the reader already carries) rather than a derived deserializer of its own.
fn reply_key(composition: &Value) -> Option<PublicJwk> {
    let extension = composition
        .get("extension")?
        .as_array()?
        .iter()
        .find(|e| e.get("url").and_then(Value::as_str) == Some(super::REPLY_KEY_EXTENSION))?;
    let jwk: Value = serde_json::from_slice(extension.get("valueString")?.as_str()?.as_bytes()).ok()?;
    let part = |name: &str| jwk.get(name).and_then(Value::as_str).map(str::to_owned);
    let jwk = PublicJwk { kty: part("kty")?, crv: part("crv")?, x: part("x")?, y: part("y")? };
    jwk.is_p256().then_some(jwk)
}

impl Summary {
    pub fn section(&self, kind: SectionKind) -> Option<&SectionSummary> {
        self.sections.iter().find(|s| s.loinc.as_deref() == Some(kind.loinc))
    }

    /// The document's title when it says something the page does not: another sender's, or one
    /// the patient chose; never this app's default ("Patient summary of …", in any language).
    pub fn own_title(&self) -> Option<&str> {
        self.title.as_deref().filter(|_| !self.title_is_default)
    }
}

/// "Emergency contact: Joylette Goble (Daughter), +1 555 0100" from a Patient.contact.
fn contact_line(contact: &Value, w: &Wording) -> Option<String> {
    let name = human_name(contact.get("name")?)?;
    // The relationship's display is the document's word; without one, the reader's.
    let mut role = (w.text)(msg!("Contact"));
    let mut relationship = None;
    for r in contact.get("relationship").and_then(Value::as_array).into_iter().flatten() {
        match r.get("coding").and_then(|c| c.get(0)?.get("display")?.as_str()) {
            Some(display) => role = display.to_owned(),
            None => relationship = text(r.get("text")),
        }
    }
    let phone = contact
        .get("telecom")
        .and_then(Value::as_array)
        .and_then(|t| t.iter().find(|t| t["system"] == "phone"))
        .and_then(|t| text(t.get("value")));
    let who = match relationship {
        Some(relationship) => format!("{name} ({relationship})"),
        None => name,
    };
    let mut line = fill(&(w.text)(msg!("{role}: {name}")), &[("role", &role), ("name", &who)]);
    if let Some(phone) = phone {
        line = line + ", " + &phone;
    }
    Some(line)
}

pub(super) fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

pub(super) fn person_name(patient: &Value) -> Option<String> {
    human_name(patient.get("name")?.as_array()?.first()?)
}

/// A FHIR HumanName as one line: its text, else given names and family.
pub(super) fn human_name(name: &Value) -> Option<String> {
    text(name.get("text")).or_else(|| {
        let given: Vec<&str> =
            name.get("given").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let parts: Vec<&str> = given.into_iter().chain(name.get("family").and_then(Value::as_str)).collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    })
}

pub(super) fn concept_text(concept: &Value) -> Option<String> {
    text(concept.get("text")).or_else(|| concept.get("coding")?.as_array()?.iter().find_map(|c| text(c.get("display"))))
}

/// A Composition section's code (a LOINC code for the IPS sections).
fn section_loinc(section: &Value) -> Option<String> {
    section["code"]["coding"].as_array().and_then(|c| c.iter().find_map(|c| text(c.get("code"))))
}

fn section_summary(section: &Value, resources: &Resources, w: &Wording) -> SectionSummary {
    let loinc = section_loinc(section);
    let entries = section.get("entry").and_then(Value::as_array).map_or(0, Vec::len);
    let state = if entries > 0 {
        SectionState::Entries(entries)
    } else {
        let reason =
            section["emptyReason"]["coding"].as_array().and_then(|c| c.iter().find_map(|c| text(c.get("code"))));
        SectionState::Empty { reason }
    };
    let ours = &section["code"]["coding"][0];
    let trends = ours["code"] == super::TRENDS_SECTION;
    if ours["system"] == super::SBAR_SECTION.0
        && (ours["code"] == super::SBAR_SECTION.1 || ours["code"] == super::VISIT_SECTION || trends)
    {
        // Our own hand-off, a visit's outcome passed on, or the trends the patient chose: read
        // back as text (never shown as markup).
        let read = if trends { super::trend_section::read } else { headed_lists };
        let lines = section["text"]["div"].as_str().map(read).unwrap_or_default();
        return SectionSummary {
            loinc,
            title: text(section.get("title")).unwrap_or_else(|| (w.text)(super::SBAR_TITLE)),
            state: SectionState::Entries(lines.len()),
            lines,
        };
    }
    let lines = section
        .get("entry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| resolve(e.get("reference")?.as_str()?, resources))
        .flat_map(|r| lines(r, resources, w))
        .collect();
    SectionSummary {
        loinc,
        title: text(section.get("title")).unwrap_or_else(|| (w.text)(msg!("Untitled section"))),
        state,
        lines,
    }
}

/// The text of `narrative::headed_lists`: one line per heading, its items as unlabelled details.
fn headed_lists(div: &str) -> Vec<Line> {
    let unescape = |t: &str| {
        t.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
    };
    let between = |text: &str, open: &str, close: &str| -> Vec<String> {
        text.split(open).skip(1).filter_map(|part| part.split_once(close).map(|(inner, _)| unescape(inner))).collect()
    };
    div.split("<h3>")
        .skip(1)
        .filter_map(|part| {
            let (heading, rest) = part.split_once("</h3>")?;
            let details = between(rest, "<li>", "</li>").into_iter().map(|item| (String::new(), item)).collect();
            Some(Line { title: unescape(heading), details })
        })
        .collect()
}

pub(super) fn resolve<'a>(reference: &str, resources: &Resources<'a>) -> Option<&'a Value> {
    resources.resolve(reference)
}

fn medication_line(resource: &Value, resources: &Resources, w: &Wording) -> MedicationLine {
    let name = resource
        .get("medicationCodeableConcept")
        .and_then(concept_text)
        .or_else(|| {
            let reference = resource["medicationReference"]["reference"].as_str()?;
            resolve(reference, resources).and_then(|m| m.get("code")).and_then(concept_text)
        })
        .or_else(|| text(resource["medicationReference"].get("display")))
        .unwrap_or_else(|| (w.text)(msg!("Unnamed medication")));
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
    let frequency = dosage.map(|d| frequency_text(d, w)).unwrap_or_default();
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
    let taking = resource["note"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|n| n["extension"].as_array().is_some_and(|e| e.iter().any(|e| e["url"] == DOSE_LOG_NOTE_EXTENSION)))
        .and_then(|n| text(n.get("text")))
        .unwrap_or_default();
    let status = text(resource.get("status")).unwrap_or_default();
    MedicationLine { name, dose, frequency, kind, reason, status, taking }
}

fn frequency_text(dosage: &Value, w: &Wording) -> String {
    let repeat = &dosage["timing"]["repeat"];
    let at_times: Vec<TimeOfDay> =
        repeat["timeOfDay"].as_array().into_iter().flatten().filter_map(|t| TimeOfDay::parse(t.as_str()?)).collect();
    if !at_times.is_empty() {
        return Frequency::AtTimes { times: at_times }.text_in(w);
    }
    let structured = match (repeat["frequency"].as_u64(), repeat["period"].as_f64(), repeat["periodUnit"].as_str()) {
        (Some(times), Some(every), Some(unit)) if every.fract() == 0.0 => PeriodUnit::from_ucum(unit)
            .map(|unit| Frequency::Scheduled { times: times as u32, every: every as u32, unit }.text_in(w)),
        _ if dosage["asNeededBoolean"] == true => {
            let max = dosage["maxDosePerPeriod"]["numerator"]["value"].as_f64().map(|v| v as u32);
            Some(Frequency::AsNeeded { max_per_day: max }.text_in(w))
        }
        _ => None,
    };
    structured
        .or_else(|| text(dosage["timing"]["code"].get("text")))
        .or_else(|| text(dosage.get("text")))
        .unwrap_or_default()
}

/// The lines of one resource: usually one; a report or a panel adds its results after it.
fn lines(resource: &Value, resources: &Resources, w: &Wording) -> Vec<Line> {
    let mut details: Vec<(String, String)> = Vec::new();
    let mut add = |label: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            details.push((label.to_owned(), value));
        }
    };
    let status = |field: &str| {
        resource.get(field).and_then(|s| {
            concept_text(s)
                .or_else(|| s.get("coding")?.get(0)?.get("code").and_then(Value::as_str).map(String::from))
                .or_else(|| text(Some(s)))
                .map(|s| codes::label(w, s))
        })
    };
    // A code the document gives bare ("high", "completed"), in the reader's words.
    let coded = |value: Option<&Value>| text(value).map(|v| codes::label(w, v));
    let mut more = Vec::new();
    let kind = resource["resourceType"].as_str().unwrap_or("");
    let title = match kind {
        "AllergyIntolerance" => {
            let categories: Vec<&str> =
                resource["category"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            let categories: Vec<String> = categories.into_iter().map(|c| codes::label(w, c.to_owned())).collect();
            add(msg!("Category"), Some(categories.join(", ")));
            add(msg!("Criticality"), coded(resource.get("criticality")));
            for reaction in resource["reaction"].as_array().into_iter().flatten() {
                let signs: Vec<String> =
                    reaction["manifestation"].as_array().into_iter().flatten().filter_map(concept_text).collect();
                add(msg!("Reaction"), Some(signs.join(", ")));
                add(msg!("Severity"), coded(reaction.get("severity")));
            }
            add(msg!("Status"), status("clinicalStatus"));
            add(msg!("Since"), date_of(w, resource, "onset"));
            resource.get("code").and_then(concept_text).unwrap_or_else(|| (w.text)(msg!("Unnamed allergy")))
        }
        "MedicationStatement" | "MedicationRequest" => {
            let m = medication_line(resource, resources, w);
            add(msg!("Dose"), Some(m.dose));
            add(msg!("How often"), Some(m.frequency));
            add(msg!("Kind"), m.kind.map(|k| (w.text)(k.label())));
            add(msg!("Status"), Some(codes::label(w, m.status)));
            add(
                msg!("Since"),
                date_of(w, resource, "effective")
                    .or_else(|| text(resource.get("authoredOn")).map(|d| date_text(w, &d))),
            );
            add(msg!("Reason"), Some(m.reason));
            m.name
        }
        "Condition" => {
            add(msg!("Status"), status("clinicalStatus"));
            add(msg!("Since"), date_of(w, resource, "onset"));
            add(msg!("Resolved"), date_of(w, resource, "abatement"));
            add(msg!("Severity"), resource.get("severity").and_then(concept_text));
            add(msg!("Note"), notes(resource));
            resource.get("code").and_then(concept_text).unwrap_or_else(|| (w.text)(msg!("Unnamed condition")))
        }
        "Procedure" => {
            add(msg!("Date"), date_of(w, resource, "performed"));
            add(msg!("Status"), coded(resource.get("status")));
            add(msg!("Performed by"), Some(performer_names(resource, resources)));
            add(msg!("Note"), notes(resource));
            resource.get("code").and_then(concept_text).unwrap_or_else(|| (w.text)(msg!("Unnamed procedure")))
        }
        "Immunization" => {
            add(msg!("Date"), date_of(w, resource, "occurrence"));
            let protocol = &resource["protocolApplied"][0];
            add(
                msg!("Dose"),
                protocol["doseNumberPositiveInt"]
                    .as_u64()
                    .map(|n| n.to_string())
                    .or_else(|| text(protocol.get("doseNumberString"))),
            );
            add(msg!("Lot"), text(resource.get("lotNumber")));
            add(msg!("Status"), coded(resource.get("status")));
            add(msg!("Given by"), Some(performer_names(resource, resources)));
            resource.get("vaccineCode").and_then(concept_text).unwrap_or_else(|| (w.text)(msg!("Unnamed vaccine")))
        }
        "Observation" => {
            add(msg!("Result"), observation_value(resource, w));
            for component in resource["component"].as_array().into_iter().flatten() {
                let label = component.get("code").and_then(concept_text).unwrap_or_else(|| (w.text)(msg!("Component")));
                add(&label, observation_value(component, w));
            }
            add(msg!("Reference range"), resource["referenceRange"].get(0).and_then(range_text));
            add(
                msg!("Interpretation"),
                resource["interpretation"]
                    .get(0)
                    .and_then(concept_text)
                    .or_else(|| text(resource["interpretation"][0]["coding"][0].get("code"))),
            );
            add(msg!("Date"), date_of(w, resource, "effective"));
            add(msg!("Note"), notes(resource));
            more = members(resource, "hasMember", resources, w);
            resource.get("code").and_then(concept_text).unwrap_or_else(|| (w.text)(msg!("Unnamed observation")))
        }
        "DiagnosticReport" => {
            add(msg!("Date"), date_of(w, resource, "effective"));
            add(msg!("Status"), coded(resource.get("status")));
            add(msg!("Conclusion"), text(resource.get("conclusion")));
            more = members(resource, "result", resources, w);
            resource.get("code").and_then(concept_text).unwrap_or_else(|| (w.text)(msg!("Unnamed report")))
        }
        _ => return Vec::new(),
    };
    let mut out = vec![Line { title, details }];
    out.append(&mut more);
    out
}

/// The lines of the resources `field` references (a report's results, a panel's members), once.
fn members(resource: &Value, field: &str, resources: &Resources, w: &Wording) -> Vec<Line> {
    resource[field]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| resolve(r.get("reference")?.as_str()?, resources))
        // One level only: a member's own members or reports are not followed (no cycles).
        .filter(|r| r["resourceType"] == "Observation")
        .flat_map(|r| lines_shallow(r, resources, w))
        .collect()
}

fn lines_shallow(resource: &Value, resources: &Resources, w: &Wording) -> Vec<Line> {
    if resource["resourceType"] == "Observation" && resource.get("hasMember").is_some() {
        let mut copy = resource.clone();
        copy.as_object_mut().map(|o| o.remove("hasMember"));
        lines(&copy, resources, w)
    } else {
        lines(resource, resources, w)
    }
}

/// `<prefix>DateTime`, `<prefix>Period.start`, `<prefix>String`, `<prefix>Age`… as text.
/// A FHIR date or date-time ("2026-03-14", "2026-03", "2026-03-14T09:30:00+01:00") as the reader
/// writes dates (its wall-clock time as written); anything else as it is.
fn date_text(w: &Wording, text: &str) -> String {
    if let Some(at) = LocalDateTime::parse_fhir(text) {
        return match at.date() {
            Some(day) => fill(
                &(w.text)(msg!("{date}, {time}")),
                &[("date", &(w.date)(day)), ("time", &at.time_of_day().to_string())],
            ),
            None => at.text(),
        };
    }
    match PartialDate::parse(text).ok().or_else(|| PartialDate::parse_lenient(text)) {
        Some(day) => (w.date)(day),
        None => text.trim().to_owned(),
    }
}

fn date_of(w: &Wording, resource: &Value, prefix: &str) -> Option<String> {
    if let Some(d) = text(resource.get(format!("{prefix}DateTime").as_str())) {
        return Some(date_text(w, &d));
    }
    let period = resource.get(format!("{prefix}Period").as_str());
    if let Some(period) = period {
        let start = text(period.get("start")).map(|d| date_text(w, &d));
        let end = text(period.get("end")).map(|d| date_text(w, &d));
        return match (start, end) {
            (Some(s), Some(e)) => Some(fill(&(w.text)(msg!("{start} to {end}")), &[("start", &s), ("end", &e)])),
            (Some(s), None) => Some(s),
            (None, Some(e)) => Some(fill(&(w.text)(msg!("until {end}")), &[("end", &e)])),
            (None, None) => None,
        };
    }
    if let Some(age) = resource.get(format!("{prefix}Age").as_str()) {
        return quantity_text(age).map(|a| fill(&(w.text)(msg!("at age {age}")), &[("age", &a)]));
    }
    text(resource.get(format!("{prefix}String").as_str()))
}

fn quantity_text(q: &Value) -> Option<String> {
    let value = q.get("value")?.as_f64()?;
    let comparator = text(q.get("comparator")).map(|c| format!("{c} ")).unwrap_or_default();
    let unit = text(q.get("unit")).or_else(|| text(q.get("code"))).unwrap_or_default();
    Some(format!("{comparator}{} {unit}", format_number(value)).trim().to_owned())
}

fn observation_value(o: &Value, w: &Wording) -> Option<String> {
    if let Some(q) = o.get("valueQuantity") {
        return quantity_text(q);
    }
    if let Some(c) = o.get("valueCodeableConcept") {
        return concept_text(c);
    }
    if let Some(b) = o.get("valueBoolean").and_then(Value::as_bool) {
        return Some((w.text)(if b { msg!("Yes") } else { msg!("No") }));
    }
    if let Some(n) = o.get("valueInteger").and_then(Value::as_i64) {
        return Some(n.to_string());
    }
    if let Some(r) = o.get("valueRange") {
        return range_text(r);
    }
    if let Some(d) = text(o.get("valueDateTime")) {
        return Some(date_text(w, &d));
    }
    text(o.get("valueString")).or_else(|| {
        let reason = o.get("dataAbsentReason")?;
        concept_text(reason).map(|r| fill(&(w.text)(msg!("Not available ({reason})")), &[("reason", &r)]))
    })
}

fn range_text(range: &Value) -> Option<String> {
    let low = range.get("low").and_then(quantity_text);
    let high = range.get("high").and_then(quantity_text);
    match (low, high) {
        (Some(l), Some(h)) => Some(format!("{l} \u{2013} {h}")),
        (Some(l), None) => Some(format!("\u{2265} {l}")),
        (None, Some(h)) => Some(format!("\u{2264} {h}")),
        (None, None) => text(range.get("text")),
    }
}

fn notes(resource: &Value) -> Option<String> {
    let notes: Vec<String> =
        resource["note"].as_array().into_iter().flatten().filter_map(|n| text(n.get("text"))).collect();
    (!notes.is_empty()).then(|| notes.join(" "))
}

/// The name of whoever a Reference points to: its `display`, else the resource's name.
/// Who performed a procedure or gave an immunization (`performer[].actor`), by name.
fn performer_names(resource: &Value, resources: &Resources) -> String {
    let names: Vec<String> = resource["performer"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| reference_name(&p["actor"], resources))
        .collect();
    names.join(", ")
}

fn reference_name(reference: &Value, resources: &Resources) -> Option<String> {
    text(reference.get("display")).or_else(|| {
        let target = resolve(reference.get("reference")?.as_str()?, resources)?;
        match target["name"] {
            Value::String(ref name) => Some(name.clone()),
            Value::Array(_) => person_name(target),
            _ => None,
        }
    })
}
