//! "About me": who the binder is about, who to call, and the advance directive.

use health_binder_core::forms::{PROFILE_FIELDS, profile_values, save_profile, value};
use leptos::prelude::*;

use super::entry_actions::problems;
use super::fields_form::FieldsForm;
use crate::browser;
use crate::i18n::t;
use crate::session::SessionState;

#[component]
pub fn ProfileCard() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let editing = RwSignal::new(false);
    let values = move || session.binder.with(|b| b.as_ref().map(profile_values).unwrap_or_default());
    let save = Callback::new(move |typed| {
        session.change(|b| save_profile(b, &typed, browser::now())).map_err(problems)?;
        editing.set(false);
        Ok(())
    });

    // Each filled-in field as "Label: value", in the form's order; choices by their label.
    let summary = move || {
        let values = values();
        PROFILE_FIELDS
            .iter()
            .filter_map(|f| {
                let text = value(&values, f.key);
                let text = match f.kind {
                    health_binder_core::forms::FieldKind::Choice(choices) => {
                        choices.iter().find(|(code, _)| *code == text).map_or("", |(_, label)| t(label))
                    }
                    _ => text,
                };
                (!text.is_empty()).then(|| view! { <div><dt>{t(f.label)}</dt><dd>{text.to_owned()}</dd></div> })
            })
            .collect_view()
    };

    view! {
        <section aria-labelledby="profile-title">
            <div class="section-head">
                <h2 id="profile-title">{t("About me")}</h2>
                <Show when=move || !editing.get()>
                    <button type="button" class="primary" on:click=move |_| editing.set(true)>{t("Edit details")}</button>
                </Show>
            </div>
            {move || if editing.get() {
                view! {
                    <FieldsForm id="profile" fields=PROFILE_FIELDS initial=values() title=t("Your details").to_owned()
                        save_label=t("Save details").to_owned() care_team=Vec::new() on_save=save
                        on_cancel=Callback::new(move |()| editing.set(false))/>
                }.into_any()
            } else {
                view! { <dl class="card details">{summary}</dl> }.into_any()
            }}
        </section>
    }
}
