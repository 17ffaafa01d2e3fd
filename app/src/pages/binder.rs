//! The open binder.

use leptos::prelude::*;

use crate::components::{AllergyList, MedicationList, RecoveryCodeCard, SecurityPanel, ShareList, SharePanel};
use crate::session::SessionState;

#[component]
pub fn BinderPage() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let name = move || session.binder.with(|b| b.as_ref().map(|b| b.profile.name.clone()).unwrap_or_default());
    view! {
        <header class="topbar">
            <h1>{move || format!("{}'s health binder", name())}</h1>
            <button type="button" on:click=move |_| session.lock()>"Lock"</button>
        </header>
        {move || session.notice.get().map(|n| view! { <p class="notice" role="alert">{n}</p> })}
        <RecoveryCodeCard/>
        <AllergyList/>
        <MedicationList/>
        <SharePanel/>
        <ShareList/>
        <SecurityPanel/>
    }
}
