//! Reminders while the binder is locked, when the patient opts in: the option, keeping the
//! schedule (`core::doses::LockedSchedule`: due times and quiet hours only) up to date on this
//! device while the binder is open, and the lock screen's "A dose is due — unlock to see which".

use gloo_storage::{LocalStorage, Storage};
use health_binder_core::doses::LockedSchedule;
use health_binder_core::model::Binder;
use leptos::prelude::*;
use uuid::Uuid;

use super::today::ticking;
use crate::browser;
use crate::i18n::t;
use crate::session::SessionState;

/// Per binder: a device may keep several. Outside the vault by design (read while locked).
fn key(binder: Uuid) -> String {
    format!("hb/v1/settings/reminder-times/{binder}")
}

fn stored(binder: Uuid) -> Option<LockedSchedule> {
    LocalStorage::raw().get_item(&key(binder)).ok().flatten().and_then(|t| LockedSchedule::from_json(&t))
}

fn write(binder: &Binder) {
    let schedule = LockedSchedule::of(binder, browser::local_now(), &browser::zone_offset);
    let _ = LocalStorage::raw().set_item(&key(binder.id), &schedule.to_json());
}

/// "Remind me even when the binder is locked": on writes the schedule, off deletes it.
#[component]
pub fn LockedReminderChoice() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let id = session.binder.with_untracked(|b| b.as_ref().map(|b| b.id));
    let on = RwSignal::new(id.is_some_and(|id| stored(id).is_some()));
    let change = move |ev: leptos::ev::Event| {
        let wanted = event_target_checked(&ev);
        session.binder.with_untracked(|b| match (b, wanted) {
            (Some(b), true) => write(b),
            (Some(b), false) => {
                let _ = LocalStorage::raw().remove_item(&key(b.id));
            }
            (None, _) => {}
        });
        on.set(wanted);
    };
    view! {
        <label class="inline"><input type="checkbox" prop:checked=on on:change=change/>
            " "{t("Remind me even when the binder is locked (this device then keeps the times doses are due outside the vault, never which medicines)")}</label>
    }
}

/// Rewrites the schedule whenever the open binder changes (a dose marked, a schedule edited), if
/// the patient opted in.
#[component]
pub fn LockedReminderSync() -> impl IntoView {
    let session = expect_context::<SessionState>();
    Effect::new(move || {
        session.binder.with(|b| {
            if let Some(b) = b.as_ref().filter(|b| stored(b.id).is_some()) {
                write(b);
            }
        })
    });
}

/// On the lock screen, while a dose is due.
#[component]
pub fn LockedDoseNotice(binder_id: Uuid) -> impl IntoView {
    let tick = ticking();
    let due = Memo::new(move |_| {
        tick.track();
        stored(binder_id).is_some_and(|s| s.due_now(browser::local_now()))
    });
    move || {
        due.get()
            .then(|| view! { <p class="notice reminder" role="alert">{t("A dose is due — unlock to see which.")}</p> })
    }
}
