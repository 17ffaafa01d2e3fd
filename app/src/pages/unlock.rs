//! Later visits: the binder is locked until its passphrase — or, when that is forgotten, the
//! recovery code — is given.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::browser;
use crate::components::{Busy, EmergencyCardView, LockedDoseNotice, RestorePanel};
use crate::first_screen::{self, Typed};
use crate::i18n::{t, t_text, tn};
use crate::session::SessionState;

#[component]
pub fn UnlockPage(binder_id: Uuid) -> impl IntoView {
    let session = expect_context::<SessionState>();
    // What the patient typed on the static first screen while the app loaded (app/index.html).
    let typed = first_screen::take("unlock");
    let secret = RwSignal::new(Typed::value(&typed, "unlock-passphrase"));
    Typed::resume(typed);
    let with_recovery_code = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let kept = session.binders_on_device();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = secret.get_untracked();
        let recovery = with_recovery_code.get_untracked();
        if typed.trim().is_empty() {
            error.set(Some(if recovery { t("Enter your recovery code.") } else { t("Enter your passphrase.") }.into()));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            browser::let_the_page_paint().await;
            let outcome = if recovery {
                session.unlock_with_recovery_code(binder_id, &typed).await
            } else {
                session.unlock(binder_id, &typed).await
            };
            if let Err(e) = outcome {
                secret.set(String::new());
                error.set(Some(t_text(&e)));
            }
            busy.set(false);
        });
    };
    let switch = move |_| {
        with_recovery_code.update(|r| *r = !*r);
        secret.set(String::new());
        error.set(None);
    };

    view! {
        <EmergencyCardView/>
        <section class="card narrow">
            <h1>{t("Unlock your health binder")}</h1>
            {(kept > 1).then(|| view! { <p>{tn(kept as u64, "This device keeps {n} binder. Your passphrase opens the ones it was set for.", "This device keeps {n} binders. Your passphrase opens the ones it was set for.")}</p> })}
            {move || session.lock_reason.get().map(|r| view! { <p class="notice" role="status">{t_text(&r)}</p> })}
            <LockedDoseNotice binder_id=binder_id/>
            <form on:submit=submit novalidate>
                <Show when=move || with_recovery_code.get()
                    fallback=move || view! {
                        <label for="unlock-passphrase">{t("Passphrase")}</label>
                        <input id="unlock-passphrase" type="password" autocomplete="current-password" bind:value=secret/>
                    }>
                    <label for="unlock-recovery">{t("Recovery code")}" "<span class="hint">{t("(as you wrote it down)")}</span></label>
                    <input id="unlock-recovery" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" bind:value=secret/>
                </Show>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <Show when=move || busy.get()>
                    <Busy message=t("Unlocking… this takes a moment.")/>
                </Show>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        {move || if with_recovery_code.get() { t("Unlock with recovery code") } else { t("Unlock") }}
                    </button>
                    <button type="button" class="link" on:click=switch>
                        {move || if with_recovery_code.get() { t("Use my passphrase") } else { t("Forgot your passphrase? Use your recovery code") }}
                    </button>
                </div>
            </form>
        </section>
        <RestorePanel/>
    }
}
