//! What every list of entries shares: which entry is being edited, the form's problems, and the
//! Edit / Delete buttons with an inline confirmation (a deletion cannot be undone).

use health_binder_core::model::{BinderError, PartialDate, ValidationError};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, t_text, tf};
use crate::session::SessionState;

#[derive(Clone, Copy, PartialEq)]
pub enum Editing {
    Nothing,
    Adding,
    Existing(Uuid),
}

/// What a refused change tells the form to show.
pub fn problems(err: BinderError) -> Vec<ValidationError> {
    match err {
        BinderError::Invalid(problems) => problems,
        other => vec![ValidationError { field: "form", message: t_text(&other.to_string()) }],
    }
}

/// The id of the entry's visible title, for the buttons' accessible names ("Edit Metformin 500 mg").
pub fn title_id(id: Uuid) -> String {
    format!("entry-{id}-title")
}

/// Where entry `id` came from when the patient did not type it ("From Dr Patel, 3 December
/// 2026"), in the reader's language. The day is core's, as every other day on the entry's card
/// ("Verified on …"): dates written by `Intl` should come to all of them at once.
pub fn source_line(session: SessionState, id: Uuid) -> Option<impl IntoView> {
    let (from, at) = session.binder.with_untracked(|b| b.as_ref().and_then(|b| b.source(id)))?;
    let day = PartialDate::from_utc(at).text();
    let text = tf("From {from}, {date}", &[("from", &from), ("date", &day)]);
    Some(view! { <p class="source muted">{text}</p> })
}

/// The buttons are named by reference (aria-labelledby: their own text, then the entry's visible
/// title, `title_id(id)`), never by a string built from the entry: JavaScript and Blink keep such
/// strings where the lock's wipe of wasm memory cannot reach them. `name` is only shown in the
/// confirmation, as text; `list` names where it is deleted from ("your list"), a text marked
/// `msg!` where it is written and shown here in the current language.
#[component]
pub fn EntryActions(
    name: String,
    list: &'static str,
    id: Uuid,
    editing: RwSignal<Editing>,
    confirming: RwSignal<Option<Uuid>>,
    on_delete: Callback<()>,
) -> impl IntoView {
    let (edit_id, delete_id, title) = (format!("entry-{id}-edit"), format!("entry-{id}-delete"), title_id(id));
    let (edit_by, delete_by) = (format!("{edit_id} {title}"), format!("{delete_id} {title}"));
    view! {
        <Show when=move || confirming.get() == Some(id)
            fallback=move || view! {
                <div class="actions">
                    <button type="button" id=edit_id.clone() aria-labelledby=edit_by.clone()
                        on:click=move |_| editing.set(Editing::Existing(id))>{t("Edit")}</button>
                    <button type="button" class="danger" id=delete_id.clone() aria-labelledby=delete_by.clone()
                        on:click=move |_| confirming.set(Some(id))>{t("Delete")}</button>
                </div>
            }>
            <div class="actions confirm" role="group" aria-label=t("Confirm deletion")>
                <span>{tf("Delete {name} from {list}?", &[("name", &name), ("list", t(list))])}</span>
                <button type="button" class="danger" on:click=move |_| on_delete.run(())>{t("Yes, delete")}</button>
                <button type="button" on:click=move |_| confirming.set(None)>{t("Keep it")}</button>
            </div>
        </Show>
    }
}
