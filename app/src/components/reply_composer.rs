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
use crate::http::{explain, request, send};
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
        404 => Err("Replies to this record are closed: they are taken for 24 hours after it was first opened.".into()),
        _ => Err(explain(&response).await),
    }
}

#[component]
pub fn ReplyComposer(target: ReplyTarget, from: String, medications: Vec<MedicationLine>) -> impl IntoView {
    let shared_list = !medications.is_empty();
    let from = RwSignal::new(from);
    let orders = RwSignal::new(as_orders(&medications));
    let complete = RwSignal::new(shared_list);
    let follow_ups = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let discharge = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let target = StoredValue::new(target);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = file_input.get_untracked().map(|i| i.unchecked_into::<web_sys::HtmlInputElement>());
        let draft = Reply {
            from: from.get_untracked(),
            written_at: browser::now(),
            orders: lines(&orders.get_untracked()),
            complete_list: complete.get_untracked(),
            follow_ups: lines(&follow_ups.get_untracked()),
            note: note.get_untracked(),
            discharge: discharge.get_untracked(),
            bundle: None,
            bundle_name: None,
        };
        busy.set(true);
        spawn_local(async move {
            let outcome = async {
                let file = input.as_ref().and_then(|i| i.files()).and_then(|f| f.get(0));
                let mut draft = draft;
                if let Some(file) = file {
                    draft.bundle_name = Some(file.name());
                    draft.bundle = Some(browser::chosen_file_text(input.as_ref().expect("has a file")).await?);
                }
                let reply = draft.validated().map_err(|p| p.join(" "))?;
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
        orders.with(|text| lines(text).iter().map(|l| view! { <li>{reply::understood(l)}</li> }).collect_view())
    };

    view! {
        <section class="card reply no-print" aria-labelledby="reply-title">
            <h2 id="reply-title">"Reply to the patient"</h2>
            <p class="muted">"New orders, follow-ups or a note go back to the patient, encrypted so that only they can read it. \
                They review every line before anything changes in their binder."</p>
            {move || if sent.get() {
                view! {
                    <p class="success" role="status">"Sent. Only the patient can read it; they will review it before anything changes."</p>
                    <div class="actions">
                        <button type="button" on:click=move |_| sent.set(false)>"Write another reply"</button>
                    </div>
                }.into_any()
            } else {
                view! {
                <form on:submit=submit novalidate>
                    <label for="reply-from">"Your name and role " <span class="hint">"(the patient sees it)"</span></label>
                    <input id="reply-from" type="text" autocomplete="name" bind:value=from/>
                    <label for="reply-orders">"Medication orders " <span class="hint">"(one per line, with dose and schedule, e.g. Metformin 1000 mg BID; Stop simvastatin)"</span></label>
                    <textarea id="reply-orders" rows="6" bind:value=orders></textarea>
                    <label class="inline"><input type="checkbox" bind:checked=complete/>
                        " This is the whole list from now on: a medication left out is to stop"</label>
                    <div aria-live="polite">
                        <p class="hint" id="reply-understood-title">"Understood as:"</p>
                        <ul class="understood" aria-labelledby="reply-understood-title">{understood}</ul>
                    </div>
                    <label for="reply-follow-ups">"Follow-ups " <span class="hint">"(one per line, e.g. See PCP within 7 days)"</span></label>
                    <textarea id="reply-follow-ups" rows="2" bind:value=follow_ups></textarea>
                    <label for="reply-note">"Visit note"</label>
                    <textarea id="reply-note" rows="3" bind:value=note></textarea>
                    <label class="inline"><input type="checkbox" bind:checked=discharge/>
                        " A discharge from hospital (the patient is offered a care transition checklist)"</label>
                    <label for="reply-file">"A medication list as a FHIR file " <span class="hint">"(optional)"</span></label>
                    <input id="reply-file" type="file" accept=".json,application/fhir+json" node_ref=file_input/>
                    {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                    {move || busy.get().then(|| view! { <Busy message="Encrypting and sending…"/> })}
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || busy.get()>"Send to the patient"</button>
                    </div>
                </form>
                }.into_any()
            }}
        </section>
    }
}
