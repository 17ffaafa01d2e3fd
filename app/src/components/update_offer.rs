//! Which version of the app runs here, and the offer of a new one (see `crate::updates`).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::t;
use crate::updates;

/// A new version is ready: named by its build hash, used only when the patient says so.
#[component]
pub fn UpdateOffer(hash: String) -> impl IntoView {
    let switching = RwSignal::new(false);
    view! {
        <section class="card update" aria-labelledby="update-title">
            <h2 id="update-title">{t("A new version of Health Binder is ready")}</h2>
            <p>{t("This tab keeps the version it started with until you switch. The new version's build:")}</p>
            <p class="code build-hash" id="update-build">{hash}</p>
            <p class="muted">{t("Switching reloads the app and locks your binder; everything saved stays. If you do not switch, the new version starts by itself the next time every Health Binder tab is closed.")}</p>
            <div class="actions">
                <button type="button" class="primary" aria-describedby="update-build" disabled=move || switching.get()
                    on:click=move |_| { switching.set(true); updates::use_new_version(); }>{t("Use the new version")}</button>
            </div>
        </section>
    }
}

/// The build hash of the version running in this tab, to compare with the one its publisher
/// announces (and with what `scripts/verify-deployment` finds on the relay).
#[component]
pub fn BuildCard() -> impl IntoView {
    let build = RwSignal::new(None::<String>);
    spawn_local(async move { build.set(Some(updates::running_build().await.unwrap_or_else(|| t("unknown").into()))) });
    view! {
        <section class="card" aria-labelledby="build-title">
            <h2 id="build-title">{t("Version of this app")}</h2>
            <p>{t("Build (SHA-256 of the list of every file of this version):")}</p>
            <p class="code build-hash" id="running-build">{move || build.get()}</p>
            <p class="muted">{t("A new version never replaces this one while the app is open without asking you.")}</p>
        </section>
    }
}
