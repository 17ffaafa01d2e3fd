//! The clinician's viewer: opens a SMART Health Link from the address fragment, fetches the
//! encrypted file for a named recipient, decrypts it here, and shows it as text.

use health_binder_core::ips::{self, Line, SectionKind, SectionState, SectionSummary, Summary};
use health_binder_core::jwe::JweError;
use health_binder_core::model::{PartialDate, fhir_date_text};
use health_binder_core::msg;
use health_binder_core::printout::Wording;
use health_binder_core::shl::receive::{Receive, ReceiveError, Received};
use health_binder_core::shl::{self, ShlPayload};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;
use crate::components::{Busy, ReplyComposer, ReplyTarget};
use crate::emergency_card::date_text;
use crate::i18n::{t, t_text, tf, tn};
use crate::{shl_client, shl_crypto};

/// The sections the viewer knows, headed in the clinician's language, with what "none known"
/// (`nilknown`) says for each: a sentence of its own, so no heading is lower-cased into another
/// sentence (which would need Unicode's case tables for accented languages, about 3 KB here).
const SECTION_TEXTS: [(SectionKind, &str, &str); 9] = [
    (ips::ALLERGIES, msg!("Allergies"), msg!("No known allergies.")),
    (ips::MEDICATIONS, msg!("Medications"), msg!("No known medications.")),
    (ips::PROBLEMS, msg!("Problems"), msg!("No known problems.")),
    (ips::PAST_PROBLEMS, msg!("Past problems"), msg!("No known past problems.")),
    (ips::PROCEDURES, msg!("Procedures"), msg!("No known procedures.")),
    (ips::IMMUNIZATIONS, msg!("Immunizations"), msg!("No known immunizations.")),
    (ips::RESULTS, msg!("Test results"), msg!("No known test results.")),
    (ips::VITAL_SIGNS, msg!("Vital signs"), msg!("No known vital signs.")),
    (ips::ADVANCE_DIRECTIVES, msg!("Advance directives"), msg!("No known advance directives.")),
];

/// The labels of the details core's reader gives each entry ("Reaction" → "Hives"). Only these
/// are translated: other labels (a panel's component names) are the document's own words.
const DETAIL_LABELS: [&str; 20] = [
    msg!("Category"),
    msg!("Criticality"),
    msg!("Reaction"),
    msg!("Severity"),
    msg!("Status"),
    msg!("Since"),
    msg!("Dose"),
    msg!("How often"),
    msg!("Kind"),
    msg!("Reason"),
    msg!("Resolved"),
    msg!("Note"),
    msg!("Date"),
    msg!("Performed by"),
    msg!("Lot"),
    msg!("Given by"),
    msg!("Result"),
    msg!("Reference range"),
    msg!("Interpretation"),
    msg!("Conclusion"),
];

/// The patient's hand-off (its section coded `sbar`) always has these four parts, in this order:
/// headed in the clinician's language whatever language the patient wrote it in.
const SBAR_HEADINGS: [&str; 4] = [
    msg!("Situation"),
    msg!("Background"),
    msg!("Assessment (patient-reported)"),
    msg!("Recommendation (the patient's questions)"),
];

/// FHIR's administrative gender codes ("unknown" is not shown at all).
const GENDERS: [(&str, &str); 3] = [("female", msg!("Female")), ("male", msg!("Male")), ("other", msg!("Other"))];

/// A FHIR date ("1960-05-02", "1960-05", "1960") as the clinician writes dates (by `Intl`, through
/// the app's one date writer); anything else as core writes it.
fn fhir_date(text: &str) -> String {
    match PartialDate::parse(text) {
        Ok(day) => date_text(day),
        Err(_) => fhir_date_text(text),
    }
}

fn translated(text: &str) -> String {
    t_text(text)
}

/// The clinician's words for what core writes: why a link did not open, and the fixed words and
/// dates the reader adds to an entry's details ("Yes", "Contact", "14 de marzo de 2026").
const WORDING: Wording<'static> = Wording { text: &translated, date: &date_text, plural: &crate::i18n::plural_form };

#[derive(Clone, PartialEq)]
enum ViewerState {
    NoLink,
    Problem(String),
    AskRecipient,
    Loading,
    Shown(Box<Summary>),
}

/// Reads the link from the address, then removes it so the key is not left in the address bar.
fn take_link() -> Result<Option<ShlPayload>, String> {
    let hash = browser::hash();
    let fragment = hash.trim_start_matches('#');
    if fragment.is_empty() {
        return Ok(None);
    }
    browser::replace_address("/view");
    shl::decode(fragment).map(Some).map_err(|e| e.said().text(&WORDING))
}

/// Why a link did not open: either the patient must be asked again (the link is dead, or
/// unreadable), or the clinician can retry (a mistyped passcode).
enum Failure {
    Final(String),
    Retry(String),
}

impl From<ReceiveError> for Failure {
    fn from(e: ReceiveError) -> Self {
        let why = e.said().text(&WORDING);
        if e.can_retry() { Self::Retry(why) } else { Self::Final(why) }
    }
}

/// Makes the requests core asks for; core decides what the answers mean and reads the record.
async fn open(payload: &ShlPayload, recipient: &str, passcode: Option<&str>) -> Result<Received, Failure> {
    let mut receive = Receive::new(payload, recipient, passcode)?;
    while let Some(wanted) = receive.next_request() {
        let response = shl_client::fetch(&wanted).await.map_err(Failure::Final)?;
        receive.take(response)?;
    }
    // The files are opened by the browser's own AES-GCM and inflater first (asynchronous), then
    // core takes the first readable record from what they gave, in its own order.
    let key = payload.key_bytes().map_err(|e| Failure::Final(e.said().text(&WORDING)))?;
    let mut opened = Vec::new();
    for file in receive.encrypted_files() {
        opened.push(shl_crypto::decrypt(&key, file).await);
    }
    let mut opened = opened.into_iter();
    // Only what is painted first is read now; the rest waits for that first frame.
    Ok(receive.finish_first(move |_, _| opened.next().unwrap_or(Err(JweError::Decrypt)), &WORDING)?)
}

#[component]
pub fn ViewerPage() -> impl IntoView {
    // Another link opened in this tab changes only the fragment: start afresh for it.
    let _ = window_event_listener(leptos::ev::hashchange, |_| {
        let _ = web_sys::window().map(|w| w.location().reload());
    });
    let link = take_link();
    let (initial, payload) = match link {
        Ok(None) => (ViewerState::NoLink, None),
        Err(problem) => (ViewerState::Problem(problem), None),
        Ok(Some(p)) if p.has_expired(browser::now().timestamp()) => {
            (ViewerState::Problem(ReceiveError::Inactive.said().text(&WORDING)), None)
        }
        Ok(Some(p)) => (ViewerState::AskRecipient, Some(p)),
    };
    let label = payload.as_ref().and_then(|p| p.label.clone());
    let needs_passcode = payload.as_ref().is_some_and(|p| p.has_flag('P'));
    let payload = StoredValue::new(payload);
    let record = StoredValue::new(None::<String>);
    // The parsed record, until the sections after the first frame are read from it.
    let document = StoredValue::new(None::<serde_json::Value>);
    // Where a reply goes (the link's relay), to whom (the key in the document), and from whom.
    let reply_to = StoredValue::new(None::<ReplyTarget>);
    let opener = StoredValue::new(String::new());
    let state = RwSignal::new(initial);
    let recipient = RwSignal::new(String::new());
    let recipient_error = RwSignal::new(None::<String>);
    let passcode = RwSignal::new(String::new());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = recipient.get_untracked().trim().to_owned();
        if name.is_empty() {
            recipient_error.set(Some(t("Enter your name: the patient sees who opened their record.").into()));
            return;
        }
        let code = passcode.get_untracked();
        if needs_passcode && code.is_empty() {
            recipient_error.set(Some(t("Enter the passcode the patient gave you.").into()));
            return;
        }
        recipient_error.set(None);
        let Some(link) = payload.get_value() else { return };
        state.set(ViewerState::Loading);
        spawn_local(async move {
            match open(&link, &name, needs_passcode.then_some(code.as_str())).await {
                Ok(Received { summary, record: plain, document: parsed }) => {
                    let url = format!("{}/replies", link.url.trim_end_matches('/'));
                    reply_to.set_value(summary.reply_key.clone().map(|key| ReplyTarget { url, key }));
                    opener.set_value(name);
                    // The key has done its job; forget it.
                    payload.set_value(None);
                    record.set_value(String::from_utf8(plain).ok());
                    document.set_value(Some(parsed));
                    state.set(ViewerState::Shown(Box::new(summary)));
                }
                Err(Failure::Retry(problem)) => {
                    passcode.set(String::new());
                    recipient_error.set(Some(problem));
                    state.set(ViewerState::AskRecipient);
                }
                Err(Failure::Final(problem)) => state.set(ViewerState::Problem(problem)),
            }
        });
    };

    view! {
        <main id="main" class="viewer">
            {move || match state.get() {
                ViewerState::NoLink => view! {
                    <section class="card narrow">
                        <h1>{t("Health Binder viewer")}</h1>
                        <p>{t("Scan the QR code the patient shows you to open their summary here.")}</p>
                    </section>
                }.into_any(),
                ViewerState::Problem(problem) => view! {
                    <section class="card narrow">
                        <h1>{t("Health Binder viewer")}</h1>
                        <p class="error" role="alert">{problem}</p>
                    </section>
                }.into_any(),
                ViewerState::AskRecipient | ViewerState::Loading => view! {
                    <section class="card narrow">
                        <h1>{t("Open a shared health record")}</h1>
                        {label.clone().map(|l| view! { <p>{t("Shared as:")}" "<strong>{l}</strong></p> })}
                        <form on:submit=submit novalidate>
                            <label for="recipient">{t("Your name and role")}" "<span class="hint">{t("(shown to the patient)")}</span></label>
                            <input id="recipient" type="text" autocomplete="name" bind:value=recipient/>
                            {needs_passcode.then(|| view! {
                                <label for="passcode">{t("Passcode")}" "<span class="hint">{t("(the patient tells you)")}</span></label>
                                <input id="passcode" type="password" autocomplete="off" bind:value=passcode/>
                            })}
                            {move || recipient_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                            <Show when=move || state.get() == ViewerState::Loading>
                                <Busy message=t("Opening the record…")/>
                            </Show>
                            <div class="actions">
                                <button type="submit" class="primary" disabled=move || state.get() == ViewerState::Loading>{t("Open record")}</button>
                            </div>
                        </form>
                    </section>
                }.into_any(),
                ViewerState::Shown(summary) => view! {
                    <SummaryView summary=*summary record=record document=document reply_to=reply_to.get_value() opener=opener.get_value()/>
                }.into_any(),
            }}
        </main>
    }
}

/// A section's heading: the viewer's own for a section it knows, else the document's title.
fn heading(loinc: Option<&str>, title: &str) -> String {
    match SECTION_TEXTS.iter().find(|(kind, _, _)| Some(kind.loinc) == loinc) {
        Some((_, heading, _)) => t(heading).to_owned(),
        None if loinc == Some(ips::SBAR_SECTION.1) => t("Patient's hand-off summary (SBAR)").to_owned(),
        None => title.to_owned(),
    }
}

/// What an empty (or missing) section says, headed `section`; `loinc` picks the section's own
/// "none known" sentence.
fn empty_text(state: Option<&SectionState>, loinc: Option<&str>, section: &str) -> String {
    let named = |text: &'static str| tf(text, &[("section", section)]);
    match state {
        None => named(msg!("{section}: not included in this summary.")),
        Some(SectionState::Entries(_)) => String::new(),
        Some(SectionState::Empty { reason }) => match reason.as_deref() {
            Some("nilknown") => match SECTION_TEXTS.iter().find(|(kind, _, _)| Some(kind.loinc) == loinc) {
                Some((_, _, none_known)) => t(none_known).to_owned(),
                None => named(msg!("{section}: none known.")),
            },
            Some("withheld") => named(msg!("{section}: withheld by the patient.")),
            Some("unavailable" | "notasked") => named(msg!("{section}: not recorded. Ask the patient.")),
            // No entries and no reason: the sender kept it as free text, which is not rendered here.
            _ => named(msg!("{section}: nothing listed that this viewer can show. Ask the patient.")),
        },
    }
}

/// Allergies and medications first, then every other section in the document's order.
fn reading_order(summary: Summary) -> Vec<SectionSummary> {
    let is = |s: &SectionSummary, kind: SectionKind| s.loinc.as_deref() == Some(kind.loinc);
    let has_problems = summary.section(ips::PROBLEMS).is_some();
    let mut rest: Vec<SectionSummary> =
        summary.sections.into_iter().filter(|s| !is(s, ips::ALLERGIES) && !is(s, ips::MEDICATIONS)).collect();
    if !has_problems {
        // A required IPS section: say it is missing rather than leave a silent gap.
        rest.insert(
            0,
            SectionSummary {
                loinc: Some(ips::PROBLEMS.loinc.into()),
                // Headed by its code (`heading`); the title is the document's, and it has none.
                title: String::new(),
                state: SectionState::Empty { reason: None },
                lines: Vec::new(),
            },
        );
    }
    rest
}

#[component]
fn SummaryView(
    summary: Summary,
    record: StoredValue<Option<String>>,
    document: StoredValue<Option<serde_json::Value>>,
    reply_to: Option<ReplyTarget>,
    opener: String,
) -> impl IntoView {
    // A patient given someone else's link keeps the record by importing this file into their own
    // binder: the patient's app never fetches from other origins itself.
    let save = move |_| {
        record.with_value(|r| {
            if let Some(text) = r {
                let day = health_binder_core::model::PartialDate::from_utc(browser::now()).to_string();
                let _ = browser::download_text(&tf("health-record-{day}.json", &[("day", &day)]), text);
            }
        })
    };
    let state = |kind: SectionKind| summary.section(kind).map(|s| s.state.clone());
    let allergies = summary.section(ips::ALLERGIES).cloned();
    let allergies_title = t("Allergies");
    let no_allergies = empty_text(state(ips::ALLERGIES).as_ref(), Some(ips::ALLERGIES.loinc), allergies_title);
    let no_medications = empty_text(state(ips::MEDICATIONS).as_ref(), Some(ips::MEDICATIONS.loinc), t("Medications"));
    let medications = summary.medications.clone();
    // Only when the patient shared how they have been taking them.
    let taking_column = medications.iter().any(|m| !m.taking.is_empty());
    let shared_medications = summary.medications.clone();
    let reply = move || {
        reply_to.clone().map(|target| {
            view! { <ReplyComposer target=target from=opener.clone() medications=shared_medications.clone()/> }
        })
    };
    // Every section but allergies and medications, read from the record once the first frame is
    // painted (then the parsed record is dropped).
    let rest = RwSignal::new(false);
    let others = move || {
        let mut parsed = None;
        document.update_value(|d| parsed = d.take());
        parsed.and_then(|d| ips::read_document_in(&d, &WORDING).ok()).map(reading_order).unwrap_or_default()
    };
    // The second frame callback runs after the first frame, with allergies in it, was painted.
    request_animation_frame(move || request_animation_frame(move || rest.set(true)));
    // "unknown" is FHIR's default gender, not something worth a line.
    let gender =
        summary.gender.clone().filter(|g| g != "unknown").map(|g| match GENDERS.iter().find(|(code, _)| *code == g) {
            Some((_, label)) => t(label).to_owned(),
            None => g,
        });
    let about: Vec<String> =
        [summary.birth_date.clone().map(|d| tf("Born {date}", &[("date", &fhir_date(&d))])), gender]
            .into_iter()
            .flatten()
            .collect();
    // Who they are, then whom to call: one line each.
    let who: Vec<String> = (!about.is_empty())
        .then(|| about.join(" · "))
        .into_iter()
        .chain(summary.general_practitioner.clone().map(|gp| tf("Primary care: {name}", &[("name", &gp)])))
        .chain(summary.contacts.clone())
        .collect();
    let made = match summary.date.clone() {
        Some(d) => tf(
            "Patient-held summary, made {date}. Verify with the patient.",
            &[("date", &browser::local_date_text(&d))],
        ),
        None => t("Patient-held summary. Verify with the patient.").to_owned(),
    };
    view! {
        <article class="summary">
            <header class="card">
                <h1>{summary.patient_name.clone().unwrap_or_else(|| t("Unnamed patient").into())}</h1>
                {who.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
                // The title this app gives every share says nothing the page does not; another
                // sender's title is shown.
                {summary.own_title().map(|t| view! { <p class="label">{t.to_owned()}</p> })}
                <p class="muted">{made}</p>
                <div class="actions">
                    <button type="button" on:click=|_| { let _ = web_sys::window().map(|w| w.print()); }>{t("Print")}</button>
                    <button type="button" on:click=save>{t("Save for my binder")}</button>
                </div>
            </header>
            <section class="card" aria-labelledby="allergies-title">
                <h2 id="allergies-title">{allergies_title}</h2>
                {match allergies.filter(|a| !a.lines.is_empty()) {
                    Some(section) => view! { <Lines lines=section.lines/> }.into_any(),
                    None => view! { <p class="warning">{no_allergies}</p> }.into_any(),
                }}
            </section>
            <section class="card" aria-labelledby="active-medications-title">
                <h2 id="active-medications-title">{t("Active medications")}</h2>
                {if medications.is_empty() {
                    view! { <p>{if no_medications.is_empty() { t("None listed.").to_owned() } else { no_medications }}</p> }.into_any()
                } else {
                    let (dose, often, kind, reason, taken) =
                        (t("Dose"), t("How often"), t("Kind"), t("Reason"), t("As taken (patient's log)"));
                    view! {
                        <table class="medication-table">
                            <thead><tr><th scope="col">{t("Medication")}</th><th scope="col">{dose}</th><th scope="col">{often}</th><th scope="col">{kind}</th><th scope="col">{reason}</th>
                                {taking_column.then(|| view! { <th scope="col">{taken}</th> })}</tr></thead>
                            <tbody>
                                {medications.into_iter().map(|m| view! {
                                    <tr>
                                        <th scope="row">{m.name}</th>
                                        <td data-label=dose>{m.dose}</td>
                                        <td data-label=often>{m.frequency}</td>
                                        // Core's kind names (`msg!` there).
                                        <td data-label=kind>{m.kind.map(|k| t(k.label())).unwrap_or("")}</td>
                                        <td data-label=reason>{m.reason}</td>
                                        {taking_column.then(|| view! { <td data-label=taken>{m.taking}</td> })}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>
            // Allergies and medications paint first; everything else (a large binder's thousands
            // of readings) right after that frame.
            {move || rest.get().then(|| others().into_iter().enumerate().map(|(i, section)| {
                let id = format!("section-{i}");
                let loinc = section.loinc.as_deref();
                let title = heading(loinc, &section.title);
                let mut lines = section.lines;
                if loinc == Some(ips::SBAR_SECTION.1) && lines.len() == SBAR_HEADINGS.len() {
                    for (line, part) in lines.iter_mut().zip(SBAR_HEADINGS) {
                        line.title = t(part).to_owned();
                    }
                }
                let body = if !lines.is_empty() {
                    view! { <Lines lines=lines/> }.into_any()
                } else if let SectionState::Entries(n) = section.state {
                    let text = tn(n as u64, "{n} entry this viewer cannot show; ask the patient.", "{n} entries this viewer cannot show; ask the patient.");
                    view! { <p class="muted">{text}</p> }.into_any()
                } else {
                    view! { <p>{empty_text(Some(&section.state), loinc, &title)}</p> }.into_any()
                };
                let labelled_by = id.clone();
                view! {
                    <section class="card" aria-labelledby=labelled_by>
                        <h2 id=id>{title}</h2>
                        {body}
                    </section>
                }
            }).collect_view())}
            {move || rest.get().then(reply.clone())}
        </article>
    }
}

/// A detail's label in the clinician's language when it is one of the reader's own.
fn detail_label(label: String) -> String {
    match DETAIL_LABELS.iter().find(|known| **known == label) {
        Some(known) => t(known).to_owned(),
        None => label,
    }
}

/// Entries as text: a title, then labelled details.
#[component]
fn Lines(lines: Vec<Line>) -> impl IntoView {
    view! {
        <ul class="lines">
            {lines.into_iter().map(|line| view! {
                <li>
                    <strong>{line.title}</strong>
                    {(!line.details.is_empty()).then(|| view! {
                        <span class="details">{line.details.into_iter().map(|(label, value)| view! {
                            <span class="detail">{(!label.is_empty()).then(|| view! { <span class="muted">{detail_label(label)}": "</span> })}{value}</span>
                        }).collect_view()}</span>
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
}
