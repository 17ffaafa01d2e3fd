//! First visit: create a binder protected by a passphrase.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{Busy, PassphraseMeter, RestorePanel};
use crate::first_screen::{self, Typed};
use crate::i18n::{t, t_text};
use crate::session::SessionState;
use crate::{browser, common_passwords};

#[component]
pub fn CreatePage() -> impl IntoView {
    let session = expect_context::<SessionState>();
    // What the patient typed on the static first screen while the app loaded (app/index.html).
    let typed = first_screen::take("create");
    let name = RwSignal::new(Typed::value(&typed, "create-name"));
    let passphrase = RwSignal::new(Typed::value(&typed, "create-passphrase"));
    let confirm = RwSignal::new(Typed::value(&typed, "create-confirm"));
    Typed::resume(typed);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (who, secret, again) = (name.get_untracked(), passphrase.get_untracked(), confirm.get_untracked());
        if who.trim().is_empty() {
            return error.set(Some(t("Enter whose binder this is.").to_owned()));
        }
        busy.set(true);
        spawn_local(async move {
            let problem = common_passwords::check(&secret, &again, &who).await.err();
            error.set(problem.as_deref().map(t_text));
            if problem.is_none() {
                browser::let_the_page_paint().await;
                if let Err(e) = session.create(&who, &secret).await {
                    error.set(Some(t_text(&e)));
                }
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card narrow">
            <h1>{t("Create your health binder")}</h1>
            <p>{t("Your binder stays on this device, encrypted with a passphrase only you know. Nobody, including us, can open it without the passphrase.")}</p>
            <form on:submit=submit novalidate>
                <label for="create-name">{t("Whose binder is this?")}</label>
                <input id="create-name" type="text" autocomplete="name" bind:value=name/>
                <label for="create-passphrase">{t("Passphrase")}</label>
                <input id="create-passphrase" type="password" autocomplete="new-password" aria-describedby="create-strength" bind:value=passphrase/>
                <PassphraseMeter passphrase=passphrase name=name id="create-strength"/>
                <label for="create-confirm">{t("Type the passphrase again")}</label>
                <input id="create-confirm" type="password" autocomplete="new-password" bind:value=confirm/>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <Show when=move || busy.get()>
                    <Busy message=t("Securing your binder… this takes a moment.")/>
                </Show>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>{t("Create binder")}</button>
                </div>
            </form>
        </section>
        <RestorePanel/>
    }
}
