//! The top level: the clinician's viewer at `/view`, the patient's binder everywhere else.

use leptos::prelude::*;

use crate::browser;
use crate::pages::{BinderPage, CreatePage, UnlockPage, ViewerPage};
use crate::session::{Screen, SessionState};

#[component]
pub fn App() -> impl IntoView {
    if browser::path() == "/view" { view! { <ViewerPage/> }.into_any() } else { view! { <PatientApp/> }.into_any() }
}

#[component]
fn PatientApp() -> impl IntoView {
    let state = SessionState::start();
    provide_context(state);
    view! {
        <main id="main">
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
