//! Allergies: listed ones, or an explicit "no known allergies" — which a clinician must be able to
//! tell apart from "nobody asked".

use health_binder_core::model::{Allergy, AllergyCategory, AllergyState, Entry, Severity, Source, ValidationError};
use health_binder_core::msg;
use leptos::prelude::*;
use uuid::Uuid;

use super::entry_actions::{Editing, EntryActions, problems, source_line, title_id};
use crate::browser;
use crate::i18n::{t, t_text, tf};
use crate::session::SessionState;

#[component]
pub fn AllergyList() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let editing = RwSignal::new(Editing::Nothing);
    let confirming_delete = RwSignal::new(None::<Uuid>);
    let allergies = move || session.binder.with(|b| b.as_ref().map(|b| b.allergies.clone()).unwrap_or_default());
    let state = move || session.binder.with(|b| b.as_ref().map(|b| b.allergy_state()));

    let add = Callback::new(move |allergy: Allergy| {
        session.change(|b| b.add(allergy, Source::Patient, browser::now())).map_err(problems)?;
        editing.set(Editing::Nothing);
        Ok(())
    });
    let cancel = Callback::new(move |()| editing.set(Editing::Nothing));
    let none_known = move |_| {
        let _ = session.change(|b| b.confirm_no_known_allergies(browser::now()));
    };
    let undo_none_known = move |_| {
        let _ = session.change(|b| {
            b.clear_allergy_status(browser::now());
            Ok(())
        });
    };

    let card = move |entry: Entry<Allergy>| {
        let id = entry.id();
        let allergy = entry.data;
        if editing.get() == Editing::Existing(id) {
            let save = Callback::new(move |changed: Allergy| {
                session.change(|b| b.update(id, changed, browser::now())).map_err(problems)?;
                editing.set(Editing::Nothing);
                Ok(())
            });
            return view! { <li><AllergyForm initial=Some(allergy) on_save=save on_cancel=cancel/></li> }.into_any();
        }
        let name = allergy.substance.clone();
        let details = [
            allergy.category.map(|c| t(c.label()).to_owned()),
            (!allergy.reaction.is_empty()).then(|| allergy.reaction.clone()),
            allergy.severity.map(|s| t(s.label()).to_owned()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
        let delete = move |()| {
            if session.change(|b| b.delete::<Allergy>(id, browser::now())).is_ok() {
                confirming_delete.set(None);
            }
        };
        view! {
            <li class="card medication">
                <h3 id=title_id(id)>{allergy.substance.clone()}</h3>
                {(!details.is_empty()).then(|| view! { <p>{details}</p> })}
                {source_line(session, id)}
                <EntryActions name=name list=msg!("your allergies") id=id editing=editing confirming=confirming_delete
                    on_delete=Callback::new(delete)/>
            </li>
        }
        .into_any()
    };

    view! {
        <section aria-labelledby="allergies-title">
            <div class="section-head">
                <h2 id="allergies-title">{t("Allergies")}</h2>
                <Show when=move || editing.get() == Editing::Nothing>
                    <button type="button" class="primary" on:click=move |_| editing.set(Editing::Adding)>{t("Add allergy")}</button>
                </Show>
            </div>
            <Show when=move || editing.get() == Editing::Adding>
                <AllergyForm initial=None on_save=add on_cancel=cancel/>
            </Show>
            {move || match state() {
                Some(AllergyState::NotRecorded) => view! {
                    <div class="card">
                        <p>{t("Not recorded yet. Add each allergy, or confirm that you have none, so a clinician never has to guess.")}</p>
                        <button type="button" on:click=none_known>{t("I have no known allergies")}</button>
                    </div>
                }.into_any(),
                Some(AllergyState::NoneKnown { confirmed_at }) => view! {
                    <div class="card">
                        <p><strong>{t("No known allergies")}</strong></p>
                        <p>{tf("Confirmed {time}.", &[("time", &browser::local_time(confirmed_at))])}</p>
                        <button type="button" on:click=undo_none_known>{t("Undo")}</button>
                    </div>
                }.into_any(),
                _ => view! { <ul class="medications">{move || allergies().into_iter().map(card).collect_view()}</ul> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn AllergyForm(
    initial: Option<Allergy>,
    on_save: Callback<Allergy, Result<(), Vec<ValidationError>>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let editing = initial.is_some();
    let base = StoredValue::new(initial.clone().unwrap_or_default());
    let substance = RwSignal::new(initial.as_ref().map(|a| a.substance.clone()).unwrap_or_default());
    let category = RwSignal::new(initial.as_ref().and_then(|a| a.category).map_or("", |c| c.code()).to_owned());
    let reaction = RwSignal::new(initial.as_ref().map(|a| a.reaction.clone()).unwrap_or_default());
    let severity = RwSignal::new(initial.as_ref().and_then(|a| a.severity).map_or("", |s| s.code()).to_owned());
    let errors = RwSignal::new(Vec::<ValidationError>::new());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let allergy = Allergy {
            substance: substance.get_untracked(),
            category: AllergyCategory::ALL.into_iter().find(|c| c.code() == category.get_untracked()),
            reaction: reaction.get_untracked(),
            severity: Severity::ALL.into_iter().find(|s| s.code() == severity.get_untracked()),
            ..base.get_value()
        };
        errors.set(on_save.run(allergy).err().unwrap_or_default());
    };

    view! {
        <form class="card medication-form" on:submit=submit novalidate>
            <h3>{if editing { t("Edit allergy") } else { t("Add an allergy") }}</h3>
            <Show when=move || errors.with(|e| !e.is_empty())>
                <div class="error" role="alert">
                    <ul>{move || errors.get().into_iter().map(|e| view! { <li>{t_text(&e.message)}</li> }).collect_view()}</ul>
                </div>
            </Show>
            <label for="allergy-substance">{t("Substance")}" " <span class="hint">{t("(e.g. penicillin, peanuts)")}</span></label>
            <input id="allergy-substance" type="text" autocomplete="off" bind:value=substance/>
            <label for="allergy-category">{t("Kind")}</label>
            <select id="allergy-category" bind:value=category>
                <option value="">{t("Not sure")}</option>
                {AllergyCategory::ALL.map(|c| view! { <option value=c.code()>{t(c.label())}</option> })}
            </select>
            <label for="allergy-reaction">{t("What happens")}" " <span class="hint">{t("(e.g. hives, throat swells)")}</span></label>
            <input id="allergy-reaction" type="text" bind:value=reaction/>
            <label for="allergy-severity">{t("How bad")}</label>
            <select id="allergy-severity" bind:value=severity>
                <option value="">{t("Not sure")}</option>
                {Severity::ALL.map(|s| view! { <option value=s.code()>{t(s.label())}</option> })}
            </select>
            <div class="actions">
                <button type="submit" class="primary">{t("Save allergy")}</button>
                <button type="button" on:click=move |_| on_cancel.run(())>{t("Cancel")}</button>
            </div>
        </form>
    }
}
