//! Keeping the binder's keys: the recovery code (shown once), a new passphrase, automatic locking.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Busy, PassphraseMeter};
use crate::i18n::{t, t_text, tf};
use crate::session::SessionState;
use crate::{auto_lock, browser, common_passwords};

/// The recovery code just made: shown until the patient says it is written down.
#[component]
pub fn RecoveryCodeCard() -> impl IntoView {
    let session = expect_context::<SessionState>();
    move || {
        session.recovery_code.get().map(|(name, code)| {
            view! {
                <section class="card recovery" aria-labelledby="recovery-title">
                    <h2 id="recovery-title">{tf("Write down the recovery code of {name}'s binder", &[("name", &name)])}</h2>
                    <p>{t("If the passphrase is ever forgotten, this code opens the binder. Write it on paper and keep it away from this device. It is shown only now.")}</p>
                    <p class="code" aria-label=t("Recovery code")>{code}</p>
                    <div class="actions">
                        <button type="button" class="primary" on:click=move |_| session.recovery_code.set(None)>{t("I have written it down")}</button>
                    </div>
                </section>
            }
        })
    }
}

#[component]
pub fn SecurityPanel() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let current = RwSignal::new(String::new());
    let passphrase = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(None::<&'static str>);
    let idle = RwSignal::new(auto_lock::idle_minutes().to_string());
    Effect::new(move || {
        if let Ok(minutes) = idle.get().parse() {
            auto_lock::set_idle_minutes(minutes);
        }
    });

    let name =
        Signal::derive(move || session.binder.with(|b| b.as_ref().map(|b| b.profile.name.clone()).unwrap_or_default()));
    let change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (new, again) = (passphrase.get_untracked(), confirm.get_untracked());
        busy.set(Some(t("Changing the passphrase…")));
        spawn_local(async move {
            if let Err(problem) = common_passwords::check(&new, &again, &name.get_untracked()).await {
                message.set(Some((false, t_text(&problem))));
                return busy.set(None);
            }
            browser::let_the_page_paint().await;
            match session.change_passphrase(&current.get_untracked(), &new).await {
                Ok(()) => {
                    current.set(String::new());
                    passphrase.set(String::new());
                    confirm.set(String::new());
                    message.set(Some((true, t("Passphrase changed. Use the new one next time.").into())));
                }
                Err(e) => message.set(Some((false, e))),
            }
            busy.set(None);
        });
    };
    let new_code = move |_| {
        busy.set(Some(t("Making a new recovery code…")));
        spawn_local(async move {
            browser::let_the_page_paint().await;
            match session.new_recovery_code(&current.get_untracked()).await {
                Ok(()) => current.set(String::new()),
                Err(e) => message.set(Some((false, e))),
            }
            busy.set(None);
        });
    };

    view! {
        <section class="card" aria-labelledby="security-title">
            <h2 id="security-title">{t("Passphrase and locking")}</h2>
            <form on:submit=change novalidate>
                <p>{t("To change the passphrase or make a new recovery code, first prove it is you: someone at an unlocked device must not be able to lock you out.")}</p>
                <label for="current-secret">{t("Current passphrase or recovery code")}</label>
                <input id="current-secret" type="password" autocomplete="current-password" bind:value=current/>
                <label for="new-passphrase">{t("New passphrase")}</label>
                <input id="new-passphrase" type="password" autocomplete="new-password" aria-describedby="new-strength" bind:value=passphrase/>
                <PassphraseMeter passphrase=passphrase name=name id="new-strength"/>
                <label for="new-passphrase-confirm">{t("Type the new passphrase again")}</label>
                <input id="new-passphrase-confirm" type="password" autocomplete="new-password" bind:value=confirm/>
                <div class="actions">
                    <button type="submit" disabled=move || busy.get().is_some()>{t("Change passphrase")}</button>
                    <button type="button" on:click=new_code disabled=move || busy.get().is_some()>{t("Make a new recovery code")}</button>
                </div>
            </form>
            {move || busy.get().map(|m| view! { <Busy message=m/> })}
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "notice" } else { "error" } role="alert">{m}</p> })}
            <label for="idle-minutes">{t("Lock by itself after")}</label>
            <select id="idle-minutes" bind:value=idle>
                {auto_lock::IDLE_CHOICES.map(|m| view! { <option value=m.to_string()>{auto_lock::choice_text(m)}</option> })}
            </select>
        </section>
    }
}
