//! The patient's (or caregiver's) app: create or unlock the binder, then keep it.

use leptos::prelude::*;

use crate::components::{LanguagePicker, UpdateOffer};
use crate::i18n::{Translated, t};
use crate::pages::{BinderPage, CreatePage, UnlockPage};
use crate::session::{Screen, SessionState};

#[component]
pub fn PatientApp() -> impl IntoView {
    let state = SessionState::start();
    provide_context(state);
    crate::auto_lock::watch(state);
    let update = RwSignal::new(None::<String>);
    crate::updates::watch(update);
    // The session is above the translated part: switching language redraws the screens, and the
    // open binder stays open. Each screen takes the static first screen off the page as it
    // appears (app/src/first_screen.rs): create and unlock with what was typed on it.
    view! {
        <Translated remember=true base="/locales/">
            <main id="main">
                {move || update.get().map(|build| view! { <UpdateOffer hash=build/> })}
                {move || match state.screen.get() {
                    Screen::Create => view! { <CreatePage/> }.into_any(),
                    Screen::Unlock(id) => view! { <UnlockPage binder_id=id/> }.into_any(),
                    Screen::Open => {
                        crate::first_screen::remove();
                        view! { <BinderPage/> }.into_any()
                    }
                    Screen::Broken(message) => {
                        crate::first_screen::remove();
                        view! {
                            <section class="card">
                                <h1>{t("Health Binder")}</h1>
                                <p role="alert" class="error">{crate::session::storage_text(&message)}</p>
                            </section>
                        }.into_any()
                    }
                }}
            </main>
            <LanguagePicker/>
        </Translated>
    }
}
