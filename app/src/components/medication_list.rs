//! The medication list with add, edit and delete.

use health_binder_core::model::{Entry, Medication};
use health_binder_core::msg;
use leptos::prelude::*;
use uuid::Uuid;

use super::MedicationForm;
use super::entry_actions::{Editing, EntryActions, problems, source_line, title_id};
use crate::browser;
use crate::i18n::{t, t_text, tf};
use crate::session::SessionState;

#[component]
pub fn MedicationList() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let editing = RwSignal::new(Editing::Nothing);
    let confirming_delete = RwSignal::new(None::<Uuid>);
    let medications = move || session.binder.with(|b| b.as_ref().map(|b| b.medications.clone()).unwrap_or_default());

    let add = Callback::new(move |med: Medication| {
        session.change(|b| b.add_medication(med, browser::now())).map_err(problems)?;
        editing.set(Editing::Nothing);
        Ok(())
    });
    let cancel = Callback::new(move |()| editing.set(Editing::Nothing));

    let card = move |entry: Entry<Medication>| {
        let id = entry.id();
        let med = entry.data;
        if editing.get() == Editing::Existing(id) {
            let save = Callback::new(move |changed: Medication| {
                session.change(|b| b.update_medication(id, changed, browser::now())).map_err(problems)?;
                editing.set(Editing::Nothing);
                Ok(())
            });
            return view! { <li><MedicationForm initial=Some(med) on_save=save on_cancel=cancel/></li> }.into_any();
        }
        let name = med.name.clone();
        let title = if med.strength.is_empty() { med.name.clone() } else { format!("{} {}", med.name, med.strength) };
        let how = [med.dose_text(), med.frequency.text_in(&crate::emergency_card::WORDING)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(|s| t_text(&s))
            .collect::<Vec<_>>()
            .join(" · ");
        let delete = move |()| {
            if session.change(|b| b.delete_medication(id, browser::now())).is_ok() {
                confirming_delete.set(None);
            }
        };
        view! {
            <li class="card medication">
                <div class="medication-head">
                    <h3 id=title_id(id)>{title}</h3>
                    <span class="badge">{t(med.kind.label())}</span>
                </div>
                <p>{how}</p>
                {(!med.reason.is_empty()).then(|| view! { <p class="muted">{tf("For: {reason}", &[("reason", &med.reason)])}</p> })}
                {(!med.status.is_active()).then(|| view! { <p class="muted">{t("Stopped")}</p> })}
                {med.verified.as_ref().map(|v| view! { <p class="source muted">{v.text_in(&crate::emergency_card::WORDING)}</p> })}
                {source_line(session, id)}
                <EntryActions name=name list=msg!("your list") id=id editing=editing confirming=confirming_delete
                    on_delete=Callback::new(delete)/>
            </li>
        }
        .into_any()
    };

    view! {
        <section aria-labelledby="medications-title">
            <div class="section-head">
                <h2 id="medications-title">{t("Medications")}</h2>
                <Show when=move || editing.get() == Editing::Nothing>
                    <button type="button" class="primary" on:click=move |_| editing.set(Editing::Adding)>{t("Add medication")}</button>
                </Show>
            </div>
            <Show when=move || editing.get() == Editing::Adding>
                <MedicationForm initial=None on_save=add on_cancel=cancel/>
            </Show>
            <Show when=move || !medications().is_empty()
                fallback=|| view! { <p class="muted">{t("No medications yet. Add each prescription, over-the-counter drug and supplement you take.")}</p> }>
                <ul class="medications">{move || medications().into_iter().map(card).collect_view()}</ul>
            </Show>
        </section>
    }
}
