//! The medication list with add, edit and delete.

use health_binder_core::model::{BinderError, Entry, Medication, ValidationError};
use leptos::prelude::*;
use uuid::Uuid;

use super::MedicationForm;
use crate::browser;
use crate::session::SessionState;

#[derive(Clone, Copy, PartialEq)]
enum Editing {
    Nothing,
    Adding,
    Existing(Uuid),
}

fn problems(err: BinderError) -> Vec<ValidationError> {
    match err {
        BinderError::Invalid(problems) => problems,
        other => vec![ValidationError { field: "form", message: other.to_string() }],
    }
}

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
        let how = [med.dose_text(), med.frequency.text()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        let delete = move |_| {
            if session.change(|b| b.delete_medication(id, browser::now())).is_ok() {
                confirming_delete.set(None);
            }
        };
        view! {
            <li class="card medication">
                <div class="medication-head">
                    <h3>{title}</h3>
                    <span class="badge">{med.kind.label()}</span>
                </div>
                <p>{how}</p>
                {(!med.reason.is_empty()).then(|| view! { <p class="muted">"For: " {med.reason.clone()}</p> })}
                <Show when=move || confirming_delete.get() == Some(id)
                    fallback={
                        let name = name.clone();
                        move || view! {
                            <div class="actions">
                                <button type="button" aria-label=format!("Edit {name}") on:click=move |_| editing.set(Editing::Existing(id))>"Edit"</button>
                                <button type="button" class="danger" aria-label=format!("Delete {name}") on:click=move |_| confirming_delete.set(Some(id))>"Delete"</button>
                            </div>
                        }
                    }>
                    <div class="actions confirm" role="group" aria-label="Confirm deletion">
                        <span>"Delete " {name.clone()} " from your list?"</span>
                        <button type="button" class="danger" on:click=delete>"Yes, delete"</button>
                        <button type="button" on:click=move |_| confirming_delete.set(None)>"Keep it"</button>
                    </div>
                </Show>
            </li>
        }
        .into_any()
    };

    view! {
        <section aria-labelledby="medications-title">
            <div class="section-head">
                <h2 id="medications-title">"Medications"</h2>
                <Show when=move || editing.get() == Editing::Nothing>
                    <button type="button" class="primary" on:click=move |_| editing.set(Editing::Adding)>"Add medication"</button>
                </Show>
            </div>
            <Show when=move || editing.get() == Editing::Adding>
                <MedicationForm initial=None on_save=add on_cancel=cancel/>
            </Show>
            <Show when=move || !medications().is_empty()
                fallback=|| view! { <p class="muted">"No medications yet. Add each prescription, over-the-counter drug and supplement you take."</p> }>
                <ul class="medications">{move || medications().into_iter().map(card).collect_view()}</ul>
            </Show>
        </section>
    }
}
