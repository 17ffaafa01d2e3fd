//! Caregivers: the binders of the people they look after, on the same device, opened by the same
//! passphrase, and switched between at the top of the page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::Busy;
use crate::browser;
use crate::i18n::t;
use crate::session::SessionState;

/// "Binder of: [Ada ▾]" — shown once more than one binder is open.
#[component]
pub fn BinderSwitcher() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let current = move || session.binder.with(|b| b.as_ref().map(|b| b.id.to_string()).unwrap_or_default());
    let choose = move |ev: leptos::ev::Event| {
        if let Ok(id) = event_target_value(&ev).parse::<Uuid>() {
            session.switch_to(id);
        }
    };
    move || {
        (session.people.with(Vec::len) > 1).then(|| {
            view! {
                <div class="switcher">
                    <label for="whose-binder">{t("Showing the binder of")}</label>
                    <select id="whose-binder" on:change=choose prop:value=current>
                        {move || session.people.get().into_iter().map(|(id, name)| view! {
                            <option value=id.to_string() selected=id.to_string() == current()>{name}</option>
                        }).collect_view()}
                    </select>
                </div>
            }
        })
    }
}

#[component]
pub fn PeoplePanel() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let name = RwSignal::new(String::new());
    let passphrase = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (who, secret) = (name.get_untracked(), passphrase.get_untracked());
        if who.trim().is_empty() {
            return error.set(Some(t("Enter the name of the person you look after.").into()));
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            browser::let_the_page_paint().await;
            match session.add_person(&who, &secret).await {
                Ok(()) => {
                    name.set(String::new());
                    passphrase.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
            passphrase.set(String::new());
            busy.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="people-title">
            <h2 id="people-title">{t("People you look after")}</h2>
            <p>{t("Keep the binder of someone you care for beside your own. Your passphrase opens both; theirs gets its own recovery code, which you can give them.")}</p>
            <form on:submit=submit novalidate>
                <label for="person-name">{t("Their name")}</label>
                <input id="person-name" type="text" autocomplete="off" bind:value=name/>
                <label for="person-passphrase">{t("Your passphrase")}" " <span class="hint">{t("(to confirm it is you)")}</span></label>
                <input id="person-passphrase" type="password" autocomplete="current-password" bind:value=passphrase/>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <Show when=move || busy.get()><Busy message=t("Creating their binder… this takes a moment.")/></Show>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>{t("Add their binder")}</button>
                </div>
            </form>
        </section>
    }
}
