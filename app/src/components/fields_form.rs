//! One form for every section described in `core::forms`: a labelled input per field, every
//! problem listed at once and marked on its field. Values stay as typed until the save succeeds.
//! Labels, hints, choices and problems are core's `msg!` texts, shown in the reader's language.

use health_binder_core::forms::{Field, FieldKind, Values, date_for_editing, number_for_editing, typed_date, value};
use health_binder_core::model::{ValidationError, translate_problem};
use leptos::prelude::*;

use crate::i18n::{t, t_text, tf};

/// `id` prefixes the inputs' ids (unique on the page); `care_team` is the (id, name) list a
/// care-team field chooses from.
#[component]
pub fn FieldsForm(
    id: &'static str,
    fields: &'static [Field],
    initial: Values,
    title: String,
    save_label: String,
    care_team: Vec<(String, String)>,
    on_save: Callback<Values, Result<(), Vec<ValidationError>>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    // A date shows in the reader's words ("3 de marzo de 2026") and goes back to core in the
    // words its forms read; a number shows with the reader's decimal separator ("71,5"), which
    // core reads as it is: the rules are core's (`forms::fields`).
    let texts = crate::i18n::texts();
    let separator = crate::i18n::decimal_separator();
    let is_date = |f: &Field| f.kind == FieldKind::Date;
    let inputs: Vec<RwSignal<String>> = fields
        .iter()
        .map(|f| {
            let text = value(&initial, f.key);
            RwSignal::new(if is_date(f) {
                date_for_editing(text, &texts)
            } else {
                number_for_editing(f.kind, text, separator)
            })
        })
        .collect();
    let errors = RwSignal::new(Vec::<ValidationError>::new());
    let collected = inputs.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let texts = crate::i18n::texts();
        let values: Values = fields
            .iter()
            .zip(&collected)
            .map(|(f, s)| {
                let typed = s.get_untracked();
                (f.key, if is_date(f) { typed_date(&typed, &texts) } else { typed })
            })
            .collect();
        errors.set(on_save.run(values).err().unwrap_or_default());
    };
    let label_of = move |key: &str| fields.iter().find(|f| f.key == key).map(|f| f.label);
    let controls = fields
        .iter()
        .zip(inputs)
        .map(|(field, input)| {
            let input_id = format!("{id}-{}", field.key);
            let invalid = move || errors.with(|e| e.iter().any(|e| e.field == field.key)).then_some("true");
            let hint = (!field.hint.is_empty()).then(|| view! { " " <span class="hint">{t(field.hint)}</span> });
            let label = view! { <label for=input_id.clone()>{t(field.label)}{hint}</label> };
            let control = match field.kind {
                FieldKind::Check => {
                    return view! {
                        <label class="check">
                            <input id=input_id type="checkbox" prop:checked=move || input.get() == "true"
                                on:change=move |ev| input.set(if event_target_checked(&ev) { "true".into() } else { String::new() })/>
                            {t(field.label)}
                        </label>
                    }
                    .into_any();
                }
                FieldKind::LongText | FieldKind::Lines => {
                    view! { <textarea id=input_id rows="3" aria-invalid=invalid bind:value=input></textarea> }.into_any()
                }
                FieldKind::Choice(choices) => view! {
                    <select id=input_id aria-invalid=invalid bind:value=input>
                        <option value="">"\u{2014}"</option>
                        {choices.iter().map(|(code, label)| view! { <option value=*code>{t(label)}</option> }).collect_view()}
                    </select>
                }
                .into_any(),
                FieldKind::CareTeam => view! {
                    <select id=input_id aria-invalid=invalid bind:value=input>
                        <option value="">{t("Not in my care team")}</option>
                        {care_team.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                    </select>
                }
                .into_any(),
                kind => {
                    let (kind, mode) = match kind {
                        FieldKind::DateTime => ("datetime-local", "text"),
                        FieldKind::Number => ("text", "decimal"),
                        FieldKind::Phone => ("tel", "tel"),
                        FieldKind::Email => ("email", "email"),
                        FieldKind::Url => ("url", "url"),
                        _ => ("text", "text"),
                    };
                    view! { <input id=input_id type=kind inputmode=mode aria-invalid=invalid bind:value=input/> }.into_any()
                }
            };
            view! { {label}{control} }.into_any()
        })
        .collect_view();

    view! {
        <form class="card entry-form" on:submit=submit novalidate>
            <h3>{title}</h3>
            <Show when=move || errors.with(|e| !e.is_empty())>
                <div class="error" role="alert">
                    <ul>
                        {move || errors.get().into_iter().map(|e| {
                            let problem = translate_problem(&e.message, t_text);
                            let text = match label_of(e.field) {
                                Some(label) => tf("{field}: {problem}", &[("field", t(label)), ("problem", &problem)]),
                                None => problem,
                            };
                            view! { <li>{text}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
            {controls}
            <div class="actions">
                <button type="submit" class="primary">{save_label}</button>
                <button type="button" on:click=move |_| on_cancel.run(())>{t("Cancel")}</button>
            </div>
        </form>
    }
}
