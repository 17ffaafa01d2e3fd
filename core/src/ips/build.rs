//! Building an IPS `document` Bundle from a binder.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::narrative;
use super::{
    ADVANCE_DIRECTIVES, ALLERGIES, DOSE_LOG_NOTE_EXTENSION, IMMUNIZATIONS, LOINC, MEDICATION_FORM_EXTENSION,
    MEDICATION_KIND_EXTENSION, MEDICATIONS, NO_KNOWN_ALLERGY, PAST_PROBLEMS, PROBLEMS, PROCEDURES, REQUIRED_SECTIONS,
    RESULTS, RXNORM, SECTIONS, SNOMED, SectionKind, Texts, UCUM, VITAL_SIGNS,
};
use crate::model::{
    Allergy, AllergyState, Appointment, Binder, Condition, ConditionStatus, Contact, Entry, Frequency, GlucoseUnit,
    Immunization, Measurement, Medication, MedicationStatus, Note, Procedure, Provider, ProviderRef, ResultValue,
    TestResult, VitalSign, is_language_tag, rounded,
};
use crate::msg;
use crate::reply::jwe::PublicJwk;

/// What goes into a document: the sections the patient chose (the others are marked withheld,
/// never left to look empty) and an optional title.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentOptions {
    pub sections: Vec<SectionKind>,
    /// Shown to the reader above the summary, e.g. "For Dr Patel, cardiology, 3 March".
    pub title: Option<String>,
    /// The appointment this document is for: its purpose and questions go into the SBAR.
    pub visit: Option<Uuid>,
    /// A whole-binder export: appointments and the symptom journal go along, in the
    /// [`super::BINDER_EXTRAS_EXTENSION`] and a narrative section.
    pub extras: bool,
    /// The public key replies to this document are encrypted to ([`super::REPLY_KEY_EXTENSION`]).
    pub reply_key: Option<PublicJwk>,
    /// What came back from a visit, passed on to another member of the care team: a narrative
    /// section right after the medications.
    pub forwarded: Option<Forwarded>,
    /// How the patient has been taking each medication (`doses::taking_lines`), when they chose
    /// to share it: a note on its MedicationStatement and a column of the section's table.
    pub taking: Vec<(Uuid, String)>,
    /// The vital signs whose trend the patient chose to share: their text equivalent and numbers
    /// in a narrative section after the vital signs (`trend_section`).
    pub trends: Vec<crate::trends::VitalKind>,
}

impl Default for DocumentOptions {
    fn default() -> Self {
        Self {
            sections: SECTIONS.to_vec(),
            title: None,
            visit: None,
            extras: false,
            reply_key: None,
            forwarded: None,
            taking: Vec::new(),
            trends: Vec::new(),
        }
    }
}

/// A visit's outcome as a narrative section: a title ("From the visit with Dr Grace Hopper, GP,
/// 6 December 2026") and headed lists (the visit note, the medication orders, the follow-ups).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Forwarded {
    pub title: String,
    pub parts: Vec<(String, Vec<String>)>,
}

/// The forwarded visit section's code, beside the SBAR's in Health Binder's own code system.
pub const VISIT_SECTION: &str = "visit";

/// The SBAR section's code: Health Binder's own (no LOINC code names a patient-made hand-off), so
/// receivers show it by its title and narrative, as they do any section they do not know.
pub const SBAR_SECTION: (&str, &str) = ("urn:health-binder:fhir:section", "sbar");
pub const SBAR_TITLE: &str = msg!("Patient's hand-off summary (SBAR)");

/// What one section holds.
enum Content {
    /// A table and one resource per row.
    Entries { div: String, resources: Vec<(String, Value)> },
    /// Narrative only (advance directives).
    Narrative(String),
    /// Nothing, for a coded reason, said in words too.
    Empty { reason: &'static str, text: String },
    /// Nothing, and the section is optional: left out.
    Omitted,
}

/// The IPS document for `binder` as of `now`: a Composition, the Patient, the care team as
/// Practitioners, and one resource per entry of every chosen section.
///
/// The three required sections are always written. Allergies distinguish "none known" (an
/// AllergyIntolerance coded SNOMED 716186003, when the patient confirmed it) from "not recorded"
/// (emptyReason `unavailable`); problems without entries say `unavailable`, medications
/// `nilknown`. Optional sections appear when the binder has something for them. A section the
/// patient did not choose says "withheld" (emptyReason `withheld`) and carries no entries.
///
/// Written in `texts`' language (`Composition.language`, and `lang` on every section's narrative):
/// titles, table headers, the SBAR and every sentence core writes; codes, and what the patient
/// typed, stay as they are, so a reader finds the sections by code in any language.
pub fn build_document(binder: &Binder, now: DateTime<Utc>, options: &DocumentOptions, texts: &Texts) -> Value {
    let patient_ref = urn(binder.id);
    let composition_id = crate::random::uuid_v4();
    let when = now.to_rfc3339_opts(SecondsFormat::Secs, true);

    let mut sections = Vec::new();
    let mut resources: Vec<(String, Value)> = Vec::new();
    for kind in SECTIONS {
        // The SBAR hand-off comes right after the safety sections (allergies, medications), and
        // what came back from a visit before it.
        if kind == PROBLEMS
            && let Some(visit) = &options.forwarded
        {
            let parts: Vec<(&str, &[String])> = visit.parts.iter().map(|(h, l)| (h.as_str(), l.as_slice())).collect();
            sections.push(json!({
                "title": visit.title,
                "code": { "coding": [{ "system": SBAR_SECTION.0, "code": VISIT_SECTION, "display": visit.title }], "text": visit.title },
                "text": { "status": "generated", "div": narrative::headed_lists(&parts) },
            }));
        }
        if kind == PROBLEMS {
            let sbar = crate::sbar::build(binder, now, &options.sections, options.visit, texts);
            let title = texts.get(SBAR_TITLE);
            sections.push(json!({
                "title": title,
                "code": { "coding": [{ "system": SBAR_SECTION.0, "code": SBAR_SECTION.1, "display": SBAR_TITLE }], "text": title },
                "text": { "status": "generated", "div": narrative::headed_lists(&sbar.parts(texts)) },
            }));
        }
        if !options.sections.contains(&kind) {
            sections.push(withheld_section(kind, texts));
            continue;
        }
        match content(kind, binder, &patient_ref, &options.taking, texts) {
            Content::Entries { div, resources: mut more } => {
                sections.push(json!({
                    "title": texts.get(kind.title),
                    "code": section_code(kind),
                    "text": { "status": "generated", "div": div },
                    "entry": more.iter().map(|(url, _)| json!({ "reference": url })).collect::<Vec<_>>(),
                }));
                resources.append(&mut more);
            }
            Content::Narrative(div) => sections.push(json!({
                "title": texts.get(kind.title),
                "code": section_code(kind),
                "text": { "status": "generated", "div": div },
            })),
            Content::Empty { reason, text } => sections.push(empty_section(kind, reason, &text, texts)),
            Content::Omitted if REQUIRED_SECTIONS.contains(&kind) => sections.push(empty_section(
                kind,
                "unavailable",
                texts.get(msg!("Not recorded in this binder. Ask the patient.")),
                texts,
            )),
            Content::Omitted => {}
        }
    }

    super::trend_section::insert(&mut sections, binder, &options.trends, texts);
    let extras = options.extras.then(|| binder_extras(binder, texts)).flatten();
    if let Some((div, _)) = &extras {
        let title = texts.get(EXTRAS_TITLE);
        sections.push(json!({
            "title": title,
            "code": { "coding": [{ "system": SBAR_SECTION.0, "code": "extras", "display": EXTRAS_TITLE }], "text": title },
            "text": { "status": "generated", "div": div },
        }));
    }
    for section in &mut sections {
        if let Some(div) = section["text"]["div"].as_str() {
            section["text"]["div"] = json!(narrative::with_language(div, texts.language));
        }
    }
    let mut composition = json!({
        "resourceType": "Composition",
        "id": composition_id.to_string(),
        "language": texts.language,
        "status": "final",
        "type": { "coding": [{ "system": LOINC, "code": "60591-5", "display": "Patient summary Document" }] },
        "subject": { "reference": patient_ref },
        "date": when,
        "author": [{ "reference": patient_ref }],
        "title": options
            .title
            .clone()
            .unwrap_or_else(|| texts.fill(msg!("Patient summary of {name}"), &[("name", &binder.profile.name)])),
        "confidentiality": "N",
        "section": sections,
    });

    let mut extensions = Vec::new();
    if let Some((_, json)) = extras {
        extensions.push(json!({ "url": super::BINDER_EXTRAS_EXTENSION, "valueString": json }));
    }
    if let Some(key) = &options.reply_key {
        let jwk = serde_json::to_string(key).expect("a key serializes");
        extensions.push(json!({ "url": super::REPLY_KEY_EXTENSION, "valueString": jwk }));
    }
    // Last: readers that know the others find them where they were before it.
    if options.title.is_none() {
        extensions.push(json!({ "url": super::DEFAULT_TITLE_EXTENSION, "valueBoolean": true }));
    }
    if !extensions.is_empty() {
        composition["extension"] = Value::Array(extensions);
    }
    let mut entries = vec![
        json!({ "fullUrl": urn(composition_id), "resource": composition }),
        json!({ "fullUrl": patient_ref, "resource": patient(binder) }),
    ];
    entries
        .extend(binder.care_team.iter().map(|e| json!({ "fullUrl": urn(e.id()), "resource": practitioner(e, texts) })));
    entries.extend(resources.into_iter().map(|(url, resource)| json!({ "fullUrl": url, "resource": resource })));
    json!({
        "resourceType": "Bundle",
        "language": texts.language,
        "identifier": { "system": "urn:ietf:rfc:3986", "value": urn(crate::random::uuid_v4()) },
        "type": "document",
        "timestamp": when,
        "entry": entries,
    })
}

fn content(kind: SectionKind, binder: &Binder, patient: &str, taking: &[(Uuid, String)], texts: &Texts) -> Content {
    // One table and one resource per entry, or `Omitted` when there is none.
    fn table<T>(
        texts: &Texts,
        entries: &[&Entry<T>],
        headers: &[&str],
        row: impl Fn(&Entry<T>) -> Vec<String>,
        resource: impl Fn(&Entry<T>) -> Value,
    ) -> Content {
        if entries.is_empty() {
            return Content::Omitted;
        }
        let rows: Vec<Vec<String>> = entries.iter().map(|e| row(e)).collect();
        Content::Entries {
            div: narrative::table(&headers.iter().map(|h| texts.get(h)).collect::<Vec<_>>(), &rows),
            resources: entries.iter().map(|e| (urn(e.id()), resource(e))).collect(),
        }
    }
    let conditions = |status: ConditionStatus| -> Vec<&Entry<Condition>> {
        binder.conditions.iter().filter(|e| e.data.status == status).collect()
    };
    let provider_name = |id: Option<Uuid>| {
        id.and_then(|id| binder.get::<Provider>(id)).map(|p| p.data.name.clone()).unwrap_or_default()
    };
    match kind {
        ALLERGIES => match binder.allergy_state() {
            AllergyState::Listed(_) => table(
                texts,
                &binder.allergies.iter().collect::<Vec<_>>(),
                &[msg!("Substance"), msg!("Category"), msg!("Reaction"), msg!("Severity"), msg!("Criticality")],
                |e| allergy_row(&e.data, texts),
                |e| allergy_intolerance(e, patient, texts),
            ),
            AllergyState::NoneKnown { confirmed_at } => {
                let id = no_known_allergy_id(binder.id);
                let resource = json!({
                    "resourceType": "AllergyIntolerance",
                    "id": id.to_string(),
                    "clinicalStatus": clinical_status("allergyintolerance-clinical", "active"),
                    "verificationStatus": {
                        "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "code": "confirmed" }],
                    },
                    "code": {
                        "coding": [{ "system": SNOMED, "code": NO_KNOWN_ALLERGY, "display": "No known allergy" }],
                        "text": "No known allergy",
                    },
                    "patient": { "reference": patient },
                    "recordedDate": confirmed_at.to_rfc3339_opts(SecondsFormat::Secs, true),
                    "recorder": { "reference": patient },
                });
                let text = texts.fill(
                    msg!("No known allergies, as confirmed by the patient on {date}."),
                    &[("date", &texts.date(crate::model::PartialDate::from_utc(confirmed_at)))],
                );
                Content::Entries { div: narrative::paragraph(&text), resources: vec![(urn(id), resource)] }
            }
            AllergyState::NotRecorded => Content::Empty {
                reason: "unavailable",
                text: texts.get(msg!("Allergies are not recorded in this binder. Ask the patient.")).to_owned(),
            },
        },
        MEDICATIONS => match table(
            texts,
            &binder.medications.iter().collect::<Vec<_>>(),
            &[
                msg!("Medication"),
                msg!("Dose"),
                msg!("How often"),
                msg!("Kind"),
                msg!("Status"),
                msg!("Reason"),
                msg!("Prescriber"),
                msg!("As taken (patient's dose log)"),
            ][..if taking.is_empty() { 7 } else { 8 }],
            |e| {
                let mut row = medication_row(&e.data, texts);
                row.push(provider_name(e.data.prescriber));
                if !taking.is_empty() {
                    row.push(taking_of(taking, e.id()).unwrap_or_default().to_owned());
                }
                row
            },
            |e| medication_statement(e, patient, taking_of(taking, e.id()), texts),
        ) {
            Content::Omitted => {
                // An empty list is not a statement that the patient takes nothing: "nilknown" would
                // tell a clinician exactly that. Until the patient can confirm "no medications",
                // it is "not recorded".
                Content::Empty {
                    reason: "unavailable",
                    text: texts.get(msg!("No medications are recorded in this binder. Ask the patient.")).to_owned(),
                }
            }
            content => content,
        },
        PROBLEMS => match table(
            texts,
            &conditions(ConditionStatus::Active),
            &[msg!("Problem"), msg!("Since"), msg!("Note")],
            |e| vec![e.data.name.clone(), date_text(texts, e.data.onset), e.data.note.clone()],
            |e| condition(e, patient),
        ) {
            Content::Omitted => Content::Empty {
                reason: "unavailable",
                text: texts.get(msg!("No current problems are recorded in this binder. Ask the patient.")).to_owned(),
            },
            content => content,
        },
        PAST_PROBLEMS => table(
            texts,
            &conditions(ConditionStatus::Resolved),
            &[msg!("Problem"), msg!("From"), msg!("Resolved"), msg!("Note")],
            |e| {
                vec![
                    e.data.name.clone(),
                    date_text(texts, e.data.onset),
                    date_text(texts, e.data.resolved),
                    e.data.note.clone(),
                ]
            },
            |e| condition(e, patient),
        ),
        PROCEDURES => table(
            texts,
            &binder.procedures.iter().collect::<Vec<_>>(),
            &[msg!("Procedure"), msg!("Date"), msg!("By"), msg!("Note")],
            |e| vec![e.data.name.clone(), date_text(texts, e.data.date), e.data.performer.clone(), e.data.note.clone()],
            |e| procedure(e, patient),
        ),
        IMMUNIZATIONS => table(
            texts,
            &binder.immunizations.iter().collect::<Vec<_>>(),
            &[msg!("Vaccine"), msg!("Date"), msg!("Dose"), msg!("Lot"), msg!("Given by")],
            |e| {
                let i = &e.data;
                vec![
                    i.vaccine.clone(),
                    date_text(texts, i.date),
                    i.dose_number.map(|n| n.to_string()).unwrap_or_default(),
                    i.lot.clone(),
                    i.given_by.clone(),
                ]
            },
            |e| immunization(e, patient),
        ),
        RESULTS => table(
            texts,
            &binder.results.iter().collect::<Vec<_>>(),
            &[
                msg!("Test"),
                msg!("Result"),
                msg!("Reference range"),
                msg!("Interpretation"),
                msg!("Date"),
                msg!("Ordered by"),
            ],
            |e| {
                let r = &e.data;
                vec![
                    r.name.clone(),
                    r.value.text(),
                    r.range_text(),
                    r.interpretation.map(|i| texts.get(i.label()).to_owned()).unwrap_or_default(),
                    texts.when(r.when),
                    provider_name(r.ordered_by),
                ]
            },
            |e| result_observation(e, patient),
        ),
        VITAL_SIGNS => table(
            texts,
            &binder.vitals.iter().collect::<Vec<_>>(),
            &[msg!("Measurement"), msg!("Value"), msg!("When")],
            |e| {
                let m = &e.data.measurement;
                vec![texts.get(m.label()).to_owned(), m.text(), texts.date_time(e.data.at)]
            },
            |e| vital_observation(e, patient),
        ),
        ADVANCE_DIRECTIVES if !binder.profile.advance_directive.is_empty() => {
            Content::Narrative(narrative::paragraph(&binder.profile.advance_directive))
        }
        _ => Content::Omitted,
    }
}

/// The id of a binder's "no known allergies" statement: the same in every document made from it,
/// so a receiver that keeps documents sees one statement, not a new one each time. Derived from
/// the binder's id (XOR with "no-known-allergy" in ASCII), so different binders never share it.
pub fn no_known_allergy_id(binder: Uuid) -> Uuid {
    Uuid::from_u128(binder.as_u128() ^ u128::from_be_bytes(*b"no-known-allergy"))
}

const EXTRAS_TITLE: &str = msg!("Appointments and symptom journal");

/// The appointments and notes in words and as the extension's JSON; `None` when there are none.
fn binder_extras(binder: &Binder, texts: &Texts) -> Option<(String, String)> {
    if binder.appointments.is_empty() && binder.notes.is_empty() {
        return None;
    }
    let appointments: Vec<Appointment> = binder
        .appointments
        .iter()
        .map(|e| {
            let mut a = e.data.clone();
            if let Some(ProviderRef::CareTeam(id)) = a.with {
                a.with = binder.get::<Provider>(id).map(|p| ProviderRef::Named(p.data.name.clone()));
            }
            a
        })
        .collect();
    let notes: Vec<&Note> = binder.notes.iter().map(|e| &e.data).collect();
    let mut rows: Vec<Vec<String>> = appointments
        .iter()
        .map(|a| {
            let with = match &a.with {
                Some(ProviderRef::Named(name)) => name.clone(),
                _ => String::new(),
            };
            let what = [a.purpose.as_str(), with.as_str()].join(" ").trim().to_owned();
            vec![texts.get(msg!("Appointment")).to_owned(), texts.date_time(a.at), what]
        })
        .collect();
    rows.extend(notes.iter().map(|n| {
        let what = match n.severity {
            Some(s) => {
                texts.fill(msg!("{text} (how bad: {severity}/10)"), &[("text", &n.text), ("severity", &s.to_string())])
            }
            None => n.text.clone(),
        };
        vec![texts.get(msg!("Journal")).to_owned(), texts.date_time(n.at), what]
    }));
    let json = json!({ "appointments": appointments, "notes": notes }).to_string();
    let headers = [msg!("Kind"), msg!("When"), msg!("What")].map(|h| texts.get(h));
    Some((narrative::table(&headers, &rows), json))
}

fn urn(id: Uuid) -> String {
    format!("urn:uuid:{id}")
}

fn date_text(texts: &Texts, date: Option<crate::model::PartialDate>) -> String {
    texts.optional_date(date)
}

fn section_code(kind: SectionKind) -> Value {
    json!({ "coding": [{ "system": LOINC, "code": kind.loinc, "display": kind.title }] })
}

fn empty_section(kind: SectionKind, reason: &str, text: &str, texts: &Texts) -> Value {
    json!({
        "title": texts.get(kind.title),
        "code": section_code(kind),
        "text": { "status": "generated", "div": narrative::paragraph(text) },
        "emptyReason": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/list-empty-reason", "code": reason }] },
    })
}

fn withheld_section(kind: SectionKind, texts: &Texts) -> Value {
    empty_section(kind, "withheld", texts.get(msg!("The patient chose not to share this section.")), texts)
}

fn clinical_status(system: &str, code: &str) -> Value {
    json!({ "coding": [{ "system": format!("http://terminology.hl7.org/CodeSystem/{system}"), "code": code }] })
}

/// `{ "text": … }`, with a coding first when there is a code.
fn concept(text: &str, coding: Option<(&str, &str)>) -> Value {
    let mut concept = json!({ "text": text });
    if let Some((system, code)) = coding {
        concept["coding"] = json!([{ "system": system, "code": code }]);
    }
    concept
}

/// An element FHIR requires that the binder does not know: the data-absent-reason extension.
fn absent() -> Value {
    json!({ "extension": [{ "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown" }] })
}

fn notes(texts: &[&str]) -> Option<Value> {
    let notes: Vec<Value> = texts.iter().filter(|t| !t.is_empty()).map(|t| json!({ "text": t })).collect();
    (!notes.is_empty()).then_some(Value::Array(notes))
}

// ---------------------------------------------------------------- patient and care team

fn patient(binder: &Binder) -> Value {
    let profile = &binder.profile;
    let mut patient = json!({
        "resourceType": "Patient",
        "id": binder.id.to_string(),
        "name": [{ "text": profile.name }],
        "gender": profile.sex.code(),
    });
    if let Some(born) = profile.birth_date {
        patient["birthDate"] = json!(born.to_string());
    }
    let contact = |c: &Contact, code: &str, display: &str| {
        let mut relationship = vec![json!({
            "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": code, "display": display }],
        })];
        if !c.relationship.is_empty() {
            relationship.push(json!({ "text": c.relationship }));
        }
        let mut contact = json!({ "relationship": relationship, "name": { "text": c.name } });
        if !c.phone.is_empty() {
            contact["telecom"] = json!([{ "system": "phone", "value": c.phone }]);
        }
        contact
    };
    let contacts: Vec<Value> = profile
        .emergency_contacts
        .iter()
        .map(|c| contact(c, "C", "Emergency Contact"))
        .chain(profile.caregiver.iter().map(|c| contact(c, "N", "Next-of-Kin")))
        .collect();
    if !contacts.is_empty() {
        patient["contact"] = Value::Array(contacts);
    }
    if !profile.language.is_empty() {
        let language = if is_language_tag(&profile.language) {
            json!({ "coding": [{ "system": "urn:ietf:bcp:47", "code": profile.language }], "text": profile.language })
        } else {
            json!({ "text": profile.language })
        };
        patient["communication"] = json!([{ "language": language, "preferred": true }]);
    }
    if let Some(primary) = binder.primary_care() {
        patient["generalPractitioner"] = json!([{ "reference": urn(primary.id()), "display": primary.data.name }]);
    }
    patient
}

fn practitioner(entry: &Entry<Provider>, texts: &Texts) -> Value {
    let p = &entry.data;
    let mut practitioner = json!({
        "resourceType": "Practitioner",
        "id": entry.id().to_string(),
        "name": [{ "text": p.name }],
    });
    let telecom: Vec<Value> = [("phone", &p.phone), ("fax", &p.fax), ("email", &p.email), ("url", &p.portal)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(system, value)| json!({ "system": system, "value": value, "use": "work" }))
        .collect();
    if !telecom.is_empty() {
        practitioner["telecom"] = Value::Array(telecom);
    }
    if !p.address.is_empty() {
        practitioner["address"] = json!([{ "text": p.address }]);
    }
    if !p.role.is_empty() {
        practitioner["qualification"] = json!([{ "code": { "text": p.role } }]);
    }
    let mut lines = vec![p.text()];
    if p.primary_care {
        lines.push(texts.get(msg!("Primary care")).to_owned());
    }
    practitioner["text"] = json!({ "status": "generated", "div": narrative::paragraph(&lines.join(". ")) });
    practitioner
}

// ---------------------------------------------------------------- allergies

/// Labels of coded values (a category, a severity) in the document's language: the model marks
/// them `msg!` for the app, so the catalogue has them.
fn allergy_row(a: &Allergy, texts: &Texts) -> Vec<String> {
    vec![
        a.substance.clone(),
        a.category.map(|c| texts.get(c.label()).to_owned()).unwrap_or_default(),
        a.reaction.clone(),
        a.severity.map(|s| texts.get(s.label()).to_owned()).unwrap_or_default(),
        a.criticality.map(|c| texts.get(c.label()).to_owned()).unwrap_or_default(),
    ]
}

fn allergy_intolerance(entry: &Entry<Allergy>, patient: &str, texts: &Texts) -> Value {
    let a = &entry.data;
    let mut resource = json!({
        "resourceType": "AllergyIntolerance",
        "id": entry.id().to_string(),
        "clinicalStatus": clinical_status("allergyintolerance-clinical", "active"),
        "code": { "text": a.substance },
        "patient": { "reference": patient },
        "recordedDate": entry.meta.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
    });
    if let Some(category) = a.category {
        resource["category"] = json!([category.code()]);
    }
    if let Some(criticality) = a.criticality {
        resource["criticality"] = json!(criticality.code());
    }
    if !a.reaction.is_empty() || a.severity.is_some() {
        // No reaction described: FHIR needs a manifestation, so the words say so, marked absent
        // (an import then reads no reaction, in any language).
        let manifestation = if a.reaction.is_empty() {
            json!({ "extension": absent()["extension"], "text": texts.get(msg!("Reaction not described")) })
        } else {
            json!({ "text": a.reaction })
        };
        let mut reaction = json!({ "manifestation": [manifestation] });
        if let Some(severity) = a.severity {
            reaction["severity"] = json!(severity.code());
        }
        resource["reaction"] = json!([reaction]);
    }
    resource
}

// ---------------------------------------------------------------- medications

fn display_name(med: &Medication) -> String {
    if med.strength.is_empty() { med.name.clone() } else { format!("{} {}", med.name, med.strength) }
}

fn status_text(med: &Medication, texts: &Texts) -> String {
    match &med.status {
        MedicationStatus::Active => match med.started {
            Some(d) => texts.fill(msg!("Active, since {date}"), &[("date", &texts.date(d))]),
            None => texts.get(msg!("Active")).to_owned(),
        },
        MedicationStatus::Stopped { reason } => {
            let text = match med.stopped {
                Some(d) => texts.fill(msg!("Stopped {date}"), &[("date", &texts.date(d))]),
                None => texts.get(msg!("Stopped")).to_owned(),
            };
            // The reason is the patient's words: beside the sentence, not inside it.
            if reason.is_empty() { text } else { format!("{text} ({reason})") }
        }
    }
}

fn medication_row(med: &Medication, texts: &Texts) -> Vec<String> {
    let how = [med.dose_text(), med.form.clone(), med.route.clone()];
    let dose = how.into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
    let kind = texts.get(med.kind.label()).to_owned();
    vec![display_name(med), dose, texts.said(&med.frequency.said()), kind, status_text(med, texts), med.reason.clone()]
}

fn taking_of(taking: &[(Uuid, String)], id: Uuid) -> Option<&str> {
    taking.iter().find(|(m, _)| *m == id).map(|(_, line)| line.as_str())
}

fn medication_statement(entry: &Entry<Medication>, patient_ref: &str, taking: Option<&str>, texts: &Texts) -> Value {
    let med = &entry.data;
    let instructions: Vec<String> = [med.dose_text(), texts.said(&med.frequency.said()), med.route.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
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
                    "denominator": { "value": 1, "unit": "d", "system": UCUM, "code": "d" },
                });
            }
        }
        Frequency::AtTimes { ref times } => {
            dosage["timing"] = json!({ "repeat": { "timeOfDay": times.iter().map(|t| t.fhir()).collect::<Vec<_>>() } });
        }
    }
    if let Some(dose) = &med.dose {
        dosage["doseAndRate"] = json!([{ "doseQuantity": { "value": rounded(dose.value), "unit": dose.unit } }]);
    }
    if !med.route.is_empty() {
        dosage["route"] = json!({ "text": med.route });
    }
    let mut statement = json!({
        "resourceType": "MedicationStatement",
        "id": entry.id().to_string(),
        "status": med.status.code(),
        "extension": [{ "url": MEDICATION_KIND_EXTENSION, "valueCode": med.kind.code() }],
        "medicationCodeableConcept": concept(&display_name(med), med.rxnorm.as_deref().map(|c| (RXNORM, c))),
        "subject": { "reference": patient_ref },
        "dateAsserted": entry.meta.updated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "informationSource": { "reference": patient_ref },
        "dosage": [dosage],
    });
    let mut period = Map::new();
    if let Some(start) = med.started {
        period.insert("start".into(), json!(start.to_string()));
    }
    if let Some(end) = med.stopped {
        period.insert("end".into(), json!(end.to_string()));
    }
    if period.is_empty() {
        statement["_effectiveDateTime"] = absent();
    } else {
        statement["effectivePeriod"] = Value::Object(period);
    }
    if let MedicationStatus::Stopped { reason } = &med.status
        && !reason.is_empty()
    {
        statement["statusReason"] = json!([{ "text": reason }]);
    }
    if !med.reason.is_empty() {
        statement["reasonCode"] = json!([{ "text": med.reason }]);
    }
    let verified = med.verified.as_ref().map(|v| v.text()).unwrap_or_default();
    let form =
        if med.form.is_empty() { String::new() } else { texts.fill(msg!("Form: {form}"), &[("form", &med.form)]) };
    if let Some(mut notes) = notes(&[&form, &verified]) {
        if !med.form.is_empty() {
            notes[0]["extension"] = json!([{ "url": MEDICATION_FORM_EXTENSION, "valueString": med.form }]);
        }
        statement["note"] = notes;
    }
    if let Some(line) = taking {
        let note = json!({ "extension": [{ "url": DOSE_LOG_NOTE_EXTENSION, "valueBoolean": true }], "text": line });
        match statement["note"].as_array_mut() {
            Some(notes) => notes.push(note),
            None => statement["note"] = json!([note]),
        }
    }
    statement
}

// ---------------------------------------------------------------- conditions, procedures, immunizations

fn condition(entry: &Entry<Condition>, patient: &str) -> Value {
    let c = &entry.data;
    let mut resource = json!({
        "resourceType": "Condition",
        "id": entry.id().to_string(),
        "clinicalStatus": clinical_status("condition-clinical", c.status.code()),
        "category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "problem-list-item" }] }],
        "code": concept(&c.name, c.code.as_ref().map(|code| (code.system.uri(), code.code.as_str()))),
        "subject": { "reference": patient },
    });
    if let Some(onset) = c.onset {
        resource["onsetDateTime"] = json!(onset.to_string());
    }
    if let Some(resolved) = c.resolved {
        resource["abatementDateTime"] = json!(resolved.to_string());
    }
    if let Some(notes) = notes(&[&c.note]) {
        resource["note"] = notes;
    }
    resource
}

fn procedure(entry: &Entry<Procedure>, patient: &str) -> Value {
    let p: &Procedure = &entry.data;
    let mut resource = json!({
        "resourceType": "Procedure",
        "id": entry.id().to_string(),
        "status": "completed",
        "code": { "text": p.name },
        "subject": { "reference": patient },
    });
    match p.date {
        Some(date) => resource["performedDateTime"] = json!(date.to_string()),
        None => resource["_performedDateTime"] = absent(),
    }
    if !p.performer.is_empty() {
        resource["performer"] = json!([{ "actor": { "display": p.performer } }]);
    }
    if let Some(notes) = notes(&[&p.note]) {
        resource["note"] = notes;
    }
    resource
}

fn immunization(entry: &Entry<Immunization>, patient: &str) -> Value {
    let i = &entry.data;
    let mut resource = json!({
        "resourceType": "Immunization",
        "id": entry.id().to_string(),
        "status": "completed",
        "vaccineCode": { "text": i.vaccine },
        "patient": { "reference": patient },
        "primarySource": false,
    });
    match i.date {
        Some(date) => resource["occurrenceDateTime"] = json!(date.to_string()),
        None => resource["_occurrenceDateTime"] = absent(),
    }
    if !i.lot.is_empty() {
        resource["lotNumber"] = json!(i.lot);
    }
    if !i.given_by.is_empty() {
        resource["performer"] = json!([{ "actor": { "display": i.given_by } }]);
    }
    if let Some(dose) = i.dose_number {
        resource["protocolApplied"] = json!([{ "doseNumberPositiveInt": dose }]);
    }
    resource
}

// ---------------------------------------------------------------- observations

fn observation(id: Uuid, category: &str, code: Value, effective: String, patient: &str) -> Value {
    json!({
        "resourceType": "Observation",
        "id": id.to_string(),
        "status": "final",
        "category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": category }] }],
        "code": code,
        "subject": { "reference": patient },
        "effectiveDateTime": effective,
    })
}

fn quantity(value: f64, unit: &str) -> Value {
    json!({ "value": rounded(value), "unit": unit, "system": UCUM, "code": unit })
}

fn result_observation(entry: &Entry<TestResult>, patient: &str) -> Value {
    let r = &entry.data;
    let code = concept(&r.name, r.loinc.as_deref().map(|c| (LOINC, c)));
    let mut resource = observation(entry.id(), "laboratory", code, r.when.fhir(), patient);
    let unit = match &r.value {
        ResultValue::Quantity(q) => {
            resource["valueQuantity"] = quantity(q.value, &q.unit);
            q.unit.as_str()
        }
        ResultValue::Text(text) => {
            resource["valueString"] = json!(text);
            ""
        }
    };
    let mut range = Map::new();
    if let Some(low) = r.range_low {
        range.insert("low".into(), quantity(low, unit));
    }
    if let Some(high) = r.range_high {
        range.insert("high".into(), quantity(high, unit));
    }
    if !range.is_empty() {
        resource["referenceRange"] = json!([Value::Object(range)]);
    }
    if let Some(i) = r.interpretation {
        resource["interpretation"] = json!([{
            "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "code": i.code(), "display": i.label() }],
            "text": i.label(),
        }]);
    }
    resource
}

fn loinc(code: &str, display: &str) -> Value {
    json!({ "coding": [{ "system": LOINC, "code": code, "display": display }], "text": display })
}

fn vital_observation(entry: &Entry<VitalSign>, patient: &str) -> Value {
    let v = &entry.data;
    let (code, value): (Value, Option<Value>) = match v.measurement {
        Measurement::BloodPressure { .. } => (loinc("85354-9", "Blood pressure panel"), None),
        Measurement::Pulse { per_minute } => (loinc("8867-4", "Heart rate"), Some(quantity(per_minute.into(), "/min"))),
        Measurement::Weight { kg } => (loinc("29463-7", "Body weight"), Some(quantity(kg, "kg"))),
        Measurement::Glucose { value, unit: GlucoseUnit::MgPerDl } => {
            (loinc("2339-0", "Glucose [Mass/volume] in Blood"), Some(quantity(value, "mg/dL")))
        }
        Measurement::Glucose { value, unit: GlucoseUnit::MmolPerL } => {
            (loinc("15074-8", "Glucose [Moles/volume] in Blood"), Some(quantity(value, "mmol/L")))
        }
        Measurement::Temperature { celsius } => (loinc("8310-5", "Body temperature"), Some(quantity(celsius, "Cel"))),
        Measurement::OxygenSaturation { percent } => (
            loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
            Some(quantity(percent.into(), "%")),
        ),
    };
    let mut resource = observation(entry.id(), "vital-signs", code, v.at.fhir(), patient);
    if let Some(value) = value {
        resource["valueQuantity"] = value;
    }
    if let Measurement::BloodPressure { systolic, diastolic } = v.measurement {
        resource["component"] = json!([
            { "code": loinc("8480-6", "Systolic blood pressure"), "valueQuantity": quantity(systolic.into(), "mm[Hg]") },
            { "code": loinc("8462-4", "Diastolic blood pressure"), "valueQuantity": quantity(diastolic.into(), "mm[Hg]") },
        ]);
    }
    resource
}
