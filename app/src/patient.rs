//! The patient's (or caregiver's) app: create or unlock the binder, then keep it.

use leptos::prelude::*;

use crate::components::UpdateOffer;
use crate::pages::{BinderPage, CreatePage, UnlockPage};
use crate::session::{Screen, SessionState};

#[component]
pub fn PatientApp() -> impl IntoView {
    let state = SessionState::start();
    provide_context(state);
    crate::auto_lock::watch(state);
    let update = RwSignal::new(None::<String>);
    crate::updates::watch(update);
    view! {
        <main id="main">
            {move || update.get().map(|build| view! { <UpdateOffer hash=build/> })}
            {move || match state.screen.get() {
                Screen::Create => view! { <CreatePage/> }.into_any(),
                Screen::Unlock(id) => view! { <UnlockPage binder_id=id/> }.into_any(),
                Screen::Open => view! { <BinderPage/> }.into_any(),
                Screen::Broken(message) => view! {
                    <section class="card">
                        <h1>"Health Binder"</h1>
                        <p role="alert" class="error">{message}</p>
                    </section>
                }.into_any(),
            }}
        </main>
    }
}
