//! "Reply to the patient", under the shared record in the viewer: new medication orders (typed as
//! lines, with what the line reader understood of each), follow-ups, a visit note, a discharge
//! flag, and optionally a medication list as a FHIR file. Encrypted here to the patient's reply
//! key (only the patient can read it) and posted to the link's relay.

use health_binder_core::ips::MedicationLine;
use health_binder_core::reply::jwe::PublicJwk;
use health_binder_core::reply::{self, Reply};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::Busy;
use crate::emergency_card::WORDING;
use crate::http::{explain, request, send};
use crate::i18n::{t, t_text};
use crate::{browser, reply_crypto};

/// Where and to whom: the link's reply address and the key from the document.
#[derive(Clone)]
pub struct ReplyTarget {
    pub url: String,
    pub key: PublicJwk,
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// The shared list as order lines the clinician edits: "Metformin 500 mg 1 tablet twice a day".
fn as_orders(medications: &[MedicationLine]) -> String {
    let active = medications.iter().filter(|m| m.status.is_empty() || m.status == "active");
    active.map(|m| [m.name.as_str(), &m.dose, &m.frequency].join(" ").trim().to_owned() + "\n").collect()
}

async fn post(target: &ReplyTarget, reply: &Reply) -> Result<(), String> {
    let jwe = reply_crypto::encrypt(&target.key, &reply.to_json(), reply::CONTENT_TYPE).await?;
    // Five base64url parts and dots: nothing in it needs escaping.
    let body = format!("{{\"jwe\":\"{jwe}\"}}");
    let response = send(&target.url, &request("POST", Some(&body), None)).await?;
    match response.status() {
        201 => Ok(()),
        404 => {
            Err(t("Replies to this record are closed: they are taken for 24 hours after it was first opened.").into())
        }
        _ => Err(explain(&response).await),
    }
}

/// The text of a form field, by its id.
fn field(id: &str) -> String {
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    match element {
        Some(e) => match e.dyn_into::<web_sys::HtmlTextAreaElement>() {
            Ok(area) => area.value(),
            Err(e) => e.dyn_into::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default(),
        },
        None => String::new(),
    }
}

fn checked(id: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// The form's fields are read when it is sent (the browser keeps what was typed): one signal,
/// for the orders shown as understood while they are typed, instead of one per field, keeps the
/// viewer's download smaller.
#[component]
pub fn ReplyComposer(target: ReplyTarget, from: String, medications: Vec<MedicationLine>) -> impl IntoView {
    let shared_list = !medications.is_empty();
    let orders = RwSignal::new(as_orders(&medications));
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let target = StoredValue::new(target);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("reply-file"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
        let draft = Reply {
            from: field("reply-from"),
            written_at: browser::now(),
            orders: lines(&field("reply-orders")),
            complete_list: checked("reply-complete"),
            follow_ups: lines(&field("reply-follow-ups")),
            note: field("reply-note"),
            discharge: checked("reply-discharge"),
            bundle: None,
            bundle_name: None,
        };
        busy.set(true);
        spawn_local(async move {
            let outcome = async {
                let mut draft = draft;
                if let Some(input) = input.as_ref().filter(|i| i.files().is_some_and(|f| f.length() > 0)) {
                    draft.bundle_name = input.files().and_then(|f| f.get(0)).map(|f| f.name());
                    draft.bundle = Some(browser::chosen_file_text(input).await?);
                }
                let reply = draft.validated().map_err(|p| p.iter().map(|p| t_text(p)).collect::<Vec<_>>().join(" "))?;
                post(&target.get_value(), &reply).await
            };
            match outcome.await {
                Ok(()) => {
                    problem.set(None);
                    sent.set(true);
                }
                Err(why) => problem.set(Some(why)),
            }
            busy.set(false);
        });
    };

    let understood = move || {
        orders.with(|text| {
            lines(text).iter().map(|l| view! { <li>{reply::understood(l).text(&WORDING)}</li> }).collect_view()
        })
    };

    view! {
        <section class="card reply no-print" aria-labelledby="reply-title">
            <h2 id="reply-title">{t("Reply to the patient")}</h2>
            <p class="muted">{t("New orders, follow-ups or a note go back to the patient, encrypted so that only they can read it. \
                They review every line before anything changes in their binder.")}</p>
            {move || if sent.get() {
                view! {
                    <p class="success" role="status">{t("Sent. Only the patient can read it; they will review it before anything changes.")}</p>
                    <div class="actions">
                        <button type="button" on:click=move |_| sent.set(false)>{t("Write another reply")}</button>
                    </div>
                }.into_any()
            } else {
                view! {
                <form on:submit=submit novalidate>
                    <label for="reply-from">{t("Your name and role")} " " <span class="hint">{t("(the patient sees it)")}</span></label>
                    <input id="reply-from" type="text" autocomplete="name" value=from.clone()/>
                    <label for="reply-orders">{t("Medication orders")} " " <span class="hint">{t("(one per line, with dose and schedule, e.g. Metformin 1000 mg BID; Stop simvastatin)")}</span></label>
                    <textarea id="reply-orders" rows="6" prop:value=orders.get_untracked()
                        on:input=move |ev| orders.set(event_target_value(&ev))></textarea>
                    <label class="inline"><input id="reply-complete" type="checkbox" checked=shared_list/>
                        " " {t("This is the whole list from now on: a medication left out is to stop")}</label>
                    <div aria-live="polite">
                        <p class="hint" id="reply-understood-title">{t("Understood as:")}</p>
                        <ul class="understood" aria-labelledby="reply-understood-title">{understood}</ul>
                    </div>
                    <label for="reply-follow-ups">{t("Follow-ups")} " " <span class="hint">{t("(one per line, e.g. See PCP within 7 days)")}</span></label>
                    <textarea id="reply-follow-ups" rows="2"></textarea>
                    <label for="reply-note">{t("Visit note")}</label>
                    <textarea id="reply-note" rows="3"></textarea>
                    <label class="inline"><input id="reply-discharge" type="checkbox"/>
                        " " {t("A discharge from hospital (the patient is offered a care transition checklist)")}</label>
                    <label for="reply-file">{t("A medication list as a FHIR file")} " " <span class="hint">{t("(optional)")}</span></label>
                    <input id="reply-file" type="file" accept=".json,application/fhir+json"/>
                    {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                    {move || busy.get().then(|| view! { <Busy message=t("Encrypting and sending…")/> })}
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || busy.get()>{t("Send to the patient")}</button>
                    </div>
                </form>
                }.into_any()
            }}
        </section>
    }
}
