//! Records in and out: importing a FHIR file or a SMART Health Card with a review before anything
//! is saved, and downloading the whole binder as an International Patient Summary. The rules
//! (what is read, what matches, what is skipped and why) are `core::ips::import` and `core::shc`;
//! this is the screen.

use health_binder_core::i18n::fill;
use health_binder_core::ips::import::{
    ImportPlan, MAX_IMPORT_BYTES, NO_RESOURCE, apply, plan_bundle, plan_file, why_refused,
};
use health_binder_core::ips::{DocumentOptions, build_document};
use health_binder_core::shc::{TrustList, read_card};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::emergency_card::{WORDING, date_text};
use crate::i18n::{number, t, t_text, tf, tn};
use crate::session::SessionState;

/// Reads the chosen file (refusing an oversized one before reading it) or the pasted card text
/// into a review plan against the open binder.
async fn read_source(
    input: Option<web_sys::HtmlInputElement>,
    pasted: String,
    session: SessionState,
) -> Result<ImportPlan, String> {
    let (name, text) = if !pasted.trim().is_empty() {
        (t("pasted card").to_owned(), pasted)
    } else {
        let file =
            input.and_then(|i| i.files()).and_then(|f| f.get(0)).ok_or(t("Choose a file first, or paste a card."))?;
        if file.size() > MAX_IMPORT_BYTES as f64 {
            return Err(tf(
                "This file is {size} MB; an import may be at most {most} MB. Nothing was imported.",
                &[
                    ("size", &number((file.size() / 1_048_576.0).ceil())),
                    ("most", &number((MAX_IMPORT_BYTES / 1_048_576) as f64)),
                ],
            ));
        }
        let text =
            wasm_bindgen_futures::JsFuture::from(file.text()).await.map_err(|_| t("That file could not be read."))?;
        (file.name(), text.as_string().unwrap_or_default())
    };
    session.binder.with_untracked(|binder| {
        let binder = binder.as_ref().ok_or(t("The binder is locked."))?;
        let trimmed = text.trim_start();
        if trimmed.starts_with("shc:/") || trimmed.contains("verifiableCredential") {
            let card =
                read_card(&text, &TrustList::shipped()).map_err(|e| e.text_in(&crate::emergency_card::WORDING))?;
            plan_bundle(&card.bundle, &card.origin_in(&crate::emergency_card::WORDING), binder)
                .map_err(|e| e.said().text(&WORDING))
        } else {
            plan_file(text.as_bytes(), &tf("file {name}", &[("name", &name)]), binder)
                .map_err(|e| e.said().text(&WORDING))
        }
    })
}

#[component]
pub fn ImportPanel() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let pasted = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let plan = RwSignal::new(None::<ImportPlan>);

    let read = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        done.set(None);
        let input = file_input.get_untracked().map(|i| i.unchecked_into::<web_sys::HtmlInputElement>());
        let text = pasted.get_untracked();
        spawn_local(async move {
            match read_source(input, text, session).await {
                Ok(p) => plan.set(Some(p)),
                Err(e) => {
                    plan.set(None);
                    error.set(Some(e));
                }
            }
        });
    };
    let finished = Callback::new(move |outcome: Result<String, String>| {
        plan.set(None);
        pasted.set(String::new());
        match outcome {
            Ok(message) => done.set(Some(message)),
            Err(e) => error.set(Some(e)),
        }
    });

    view! {
        <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">{t("Import records")}</h2>
            <p>{t("Add what your portal, hospital or pharmacy gave you: a FHIR file (an International Patient Summary or a portal's export) or a SMART Health Card. You see every line before anything is saved; nothing is added twice.")}</p>
            <form on:submit=read novalidate>
                <label for="import-file">{t("FHIR file or SMART Health Card file")}</label>
                <input id="import-file" type="file" accept=".json,.smart-health-card,application/fhir+json" node_ref=file_input/>
                <label for="import-pasted">{t("Or paste a SMART Health Card")} " " <span class="hint">{t("(text starting with shc:/)")}</span></label>
                <textarea id="import-pasted" rows="2" bind:value=pasted></textarea>
                <div class="actions">
                    <button type="submit">{t("Read it")}</button>
                </div>
            </form>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || done.get().map(|m| view! { <p class="success" role="status">{m}</p> })}
            {move || plan.get().map(|p| view! { <ImportReview plan=p on_done=finished on_cancel=Callback::new(move |()| plan.set(None))/> })}
        </section>
    }
}

/// The review of an import before anything is saved: every line with a box to leave it out,
/// what is already in the binder, what could not be read and why. Also what a clinician's reply
/// attached (a discharge list as a FHIR file) goes through it.
#[component]
pub fn ImportReview(
    plan: ImportPlan,
    on_done: Callback<Result<String, String>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let session = expect_context::<SessionState>();
    // One per proposed line: kept (true) or left out.
    let keep =
        RwSignal::new(plan.proposed.iter().map(|l| l.already.is_none() && l.conflict.is_none()).collect::<Vec<bool>>());
    let details = RwSignal::new(false);
    let p = StoredValue::new(plan);

    let accept = move |_| {
        let include = keep.get_untracked();
        let fill_in = details.get_untracked();
        let outcome =
            p.with_value(|p| session.change(|binder| Ok(apply(p, &include, fill_in, binder, browser::now()))));
        on_done.run(match outcome {
            Ok(applied) => p.with_value(|p| {
                let mut message = fill(
                    &tn(applied.added as u64, "Added {n} entry from {origin}.", "Added {n} entries from {origin}."),
                    &[("origin", &p.origin)],
                );
                if !applied.refused.is_empty() {
                    let entries: Vec<String> = applied
                        .refused
                        .iter()
                        .map(|(i, why)| {
                            format!("{} ({})", p.proposed[*i].item.title_in(&WORDING), why_refused(why, t_text))
                        })
                        .collect();
                    let count = applied.refused.len() as u64;
                    let refused = tn(count, "{n} could not be added: {entries}.", "{n} could not be added: {entries}.");
                    message.push(' ');
                    message.push_str(&fill(&refused, &[("entries", &entries.join("; "))]));
                }
                Ok(message)
            }),
            Err(e) => Err(t_text(&e.to_string())),
        });
    };

    p.with_value(|p| {
        let adding = p.new_lines().count();
        let already = p.proposed.iter().filter(|l| l.already.is_some()).count();
        let offer = &p.patient;
        let offer_text: Vec<String> = [
            offer.name.clone(),
            offer.birth_date.map(|d| tf("born {date}", &[("date", &date_text(d))])),
            offer.sex.map(|s| t_text(s.label()).to_lowercase()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let lines = p
            .proposed
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let title = format!("{}: {}", t(line.item.section()), line.item.title_in(&WORDING));
                match (&line.already, &line.conflict) {
                    (Some(_), _) => view! { <li class="muted">{title}" \u{2014} "{t("already in your binder")}</li> }.into_any(),
                    (None, conflict) => {
                        let conflict = *conflict;
                        view! {
                            <li>
                                <label class="inline">
                                    <input type="checkbox" prop:checked=move || keep.with(|k| k.get(i).copied().unwrap_or(false))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            keep.update(|k| if let Some(v) = k.get_mut(i) { *v = on });
                                        }/>
                                    {title}
                                </label>
                                {conflict.map(|c| view! { <p class="hint">{t(c)}</p> })}
                            </li>
                        }
                        .into_any()
                    }
                }
            })
            .collect_view();
        let skipped = p
            .skipped
            .iter()
            .map(|s| view! { <li>{tf("Entry {number} ({kind}): {reason}", &[("number", &number((s.entry + 1) as f64)), ("kind", if s.resource_type == NO_RESOURCE { t(NO_RESOURCE) } else { &s.resource_type }), ("reason", &s.reason.text(&WORDING))])}</li> })
            .collect_view();
        let skipped_count = p.skipped.len();
        view! {
            <section class="import-review" aria-labelledby="import-review-title">
                <h3 id="import-review-title">{t("Review before saving")}</h3>
                <p>{fill(
                    &tn(
                        p.entries as u64,
                        "From {origin}: {n} entry in the file. {adding} to add, {already} already in your binder, {skipped} not read.",
                        "From {origin}: {n} entries in the file. {adding} to add, {already} already in your binder, {skipped} not read.",
                    ),
                    &[("origin", &p.origin), ("adding", &number(adding as f64)), ("already", &number(already as f64)), ("skipped", &number(skipped_count as f64))],
                )}</p>
                <ul class="import-lines">{lines}</ul>
                {(!offer_text.is_empty()).then(|| view! {
                    <label class="inline">
                        <input type="checkbox" prop:checked=move || details.get()
                            on:change=move |ev| details.set(event_target_checked(&ev))/>
                        {tf("Fill in what About me leaves empty from this file ({details})", &[("details", &offer_text.join(", "))])}
                    </label>
                })}
                {(skipped_count > 0).then(|| view! {
                    <details>
                        <summary>{tn(skipped_count as u64, "{n} entry not read, and why", "{n} entries not read, and why")}</summary>
                        <ul>{skipped}</ul>
                    </details>
                })}
                <div class="actions">
                    <button type="button" class="primary" on:click=accept>{t("Add the ticked lines to my binder")}</button>
                    <button type="button" on:click=move |_| on_cancel.run(())>{t("Cancel")}</button>
                </div>
            </section>
        }
    })
}

#[component]
pub fn ExportPanel() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let message = RwSignal::new(None::<(bool, String)>);
    let download = move |_| {
        let outcome = session.binder.with_untracked(|binder| {
            let binder = binder.as_ref().ok_or(t("The binder is locked.").to_owned())?;
            let now = browser::now();
            let options = DocumentOptions { extras: true, ..Default::default() };
            let text = build_document(binder, now, &options, &crate::i18n::texts()).to_string();
            let day = health_binder_core::model::PartialDate::from_utc(now);
            browser::download_text(&format!("health-binder-summary-{day}.json"), &text)
        });
        message.set(Some(match outcome {
            Ok(()) => (true, t("Downloaded. This file is not encrypted: anyone who has it can read it.").into()),
            Err(e) => (false, tf("Nothing was downloaded: {why}", &[("why", &e)])),
        }));
    };
    view! {
        <section class="card" aria-labelledby="export-title">
            <h2 id="export-title">{t("Export for a doctor or another app")}</h2>
            <p>{t("Your whole binder as an International Patient Summary (FHIR), the format hospital systems and other health apps read. Appointments and your journal go along in a part of the file other apps may ignore. The file is not encrypted.")}</p>
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "success" } else { "error" } role="status">{m}</p> })}
            <div class="actions">
                <button type="button" on:click=download>{t("Download my summary (FHIR)")}</button>
            </div>
        </section>
    }
}
