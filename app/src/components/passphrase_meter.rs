//! How strong a new passphrase is, said in words (and a colour) while it is typed (`core::vault::assess_passphrase`):
//! too short, one of the commonest passwords, built from the patient's name, fair or strong.

use health_binder_core::vault::{Strength, assess_passphrase};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common_passwords;
use crate::i18n::t_text;

/// The meter for the passphrase in `passphrase`, judged against the words of `name`. `id` names
/// the sentence, for the field's `aria-describedby`. Starts fetching the common-password list the
/// first time something is typed.
#[component]
pub fn PassphraseMeter(
    passphrase: RwSignal<String>,
    #[prop(into)] name: Signal<String>,
    id: &'static str,
) -> impl IntoView {
    // Whether the list has arrived (it lives in `common_passwords`; the signal only says when).
    let arrived = RwSignal::new(common_passwords::loaded().is_some());
    let fetching = StoredValue::new(false);
    Effect::new(move || {
        if !passphrase.get().is_empty() && !arrived.get_untracked() && !fetching.get_value() {
            fetching.set_value(true);
            spawn_local(async move { arrived.set(common_passwords::load().await.is_some()) });
        }
    });
    let assessment = Memo::new(move |_| {
        arrived.track();
        let names = common_passwords::name_words(&name.get());
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assess_passphrase(&passphrase.get(), &names, common_passwords::loaded().as_deref())
    });
    let level = move || match assessment.with(|a| a.strength) {
        _ if passphrase.with(String::is_empty) => "",
        Strength::Weak => "strength weak",
        Strength::Fair => "strength fair",
        Strength::Strong => "strength strong",
    };
    // Always there (empty until something is typed), so the field's aria-describedby always
    // points at something; the colour bar beside it comes from the class.
    view! {
        <p id=id class=level aria-live="polite">
            {move || (!passphrase.get().is_empty()).then(|| assessment.with(|a| t_text(&a.reason)))}
        </p>
    }
}
