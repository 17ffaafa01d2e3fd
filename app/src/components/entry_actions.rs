//! What every list of entries shares: which entry is being edited, the form's problems, and the
//! Edit / Delete buttons with an inline confirmation (a deletion cannot be undone).

use health_binder_core::model::{BinderError, ValidationError};
use leptos::prelude::*;
use uuid::Uuid;

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
        other => vec![ValidationError { field: "form", message: other.to_string() }],
    }
}

/// `name` labels the buttons for screen readers ("Edit Metformin"); `list` names where it is
/// deleted from ("your list").
#[component]
pub fn EntryActions(
    name: String,
    list: &'static str,
    id: Uuid,
    editing: RwSignal<Editing>,
    confirming: RwSignal<Option<Uuid>>,
    on_delete: Callback<()>,
) -> impl IntoView {
    let question = format!("Delete {name} from {list}?");
    view! {
        <Show when=move || confirming.get() == Some(id)
            fallback={
                let name = name.clone();
                move || view! {
                    <div class="actions">
                        <button type="button" aria-label=format!("Edit {name}") on:click=move |_| editing.set(Editing::Existing(id))>"Edit"</button>
                        <button type="button" class="danger" aria-label=format!("Delete {name}") on:click=move |_| confirming.set(Some(id))>"Delete"</button>
                    </div>
                }
            }>
            <div class="actions confirm" role="group" aria-label="Confirm deletion">
                <span>{question.clone()}</span>
                <button type="button" class="danger" on:click=move |_| on_delete.run(())>"Yes, delete"</button>
                <button type="button" on:click=move |_| confirming.set(None)>"Keep it"</button>
            </div>
        </Show>
    }
}
