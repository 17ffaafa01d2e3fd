//! The patient's choice of language, reachable on every screen (before unlocking too). Each
//! language is named in itself, and marked with its own `lang` so a screen reader says it right.

use leptos::prelude::*;

use crate::i18n::{LANGUAGES, LanguageChoice, language, t};

#[component]
pub fn LanguagePicker() -> impl IntoView {
    let choice = expect_context::<LanguageChoice>();
    let current = language();
    let options = LANGUAGES
        .iter()
        .map(|(code, name)| view! { <option value=*code lang=*code selected=*code == current>{*name}</option> })
        .collect_view();
    view! {
        <footer class="language no-print">
            <label for="language">{t("Language")}</label>
            <select id="language" on:change=move |ev| choice.choose(&event_target_value(&ev))>{options}</select>
        </footer>
    }
}
