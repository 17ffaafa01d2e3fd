//! Later visits: the binder is locked until its passphrase is given.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::browser;
use crate::components::Busy;
use crate::session::SessionState;

#[component]
pub fn UnlockPage(binder_id: Uuid) -> impl IntoView {
    let session = expect_context::<SessionState>();
    let passphrase = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let secret = passphrase.get_untracked();
        if secret.is_empty() {
            error.set(Some("Enter your passphrase.".into()));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            browser::let_the_page_paint().await;
            if let Err(e) = session.unlock(binder_id, &secret) {
                passphrase.set(String::new());
                error.set(Some(e));
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card narrow">
            <h1>"Unlock your health binder"</h1>
            <form on:submit=submit novalidate>
                <label for="unlock-passphrase">"Passphrase"</label>
                <input id="unlock-passphrase" type="password" autocomplete="current-password" bind:value=passphrase/>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <Show when=move || busy.get()>
                    <Busy message="Unlocking… this takes a moment."/>
                </Show>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>"Unlock"</button>
                </div>
            </form>
        </section>
    }
}
