//! Locking by itself: after a while without input, and when the tab has been hidden a while (a
//! phone put back in a pocket, a shared computer left open). Locking drops the key and the
//! decrypted binder, exactly as the Lock button does.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

use crate::i18n::{t, tn};
use crate::session::SessionState;

/// The choices offered, in minutes.
pub const IDLE_CHOICES: [u32; 4] = [1, 5, 15, 30];
const DEFAULT_IDLE_MINUTES: u32 = 5;
/// How long the tab may stay hidden before the binder locks.
const HIDDEN_GRACE_MS: f64 = 2.0 * 60_000.0;
const CHECK_EVERY_MS: u32 = 5_000;
/// A preference, not health data: kept in the clear so it applies before unlocking.
const SETTING: &str = "hb/v1/settings/idle-minutes";

pub fn idle_minutes() -> u32 {
    LocalStorage::get::<u32>(SETTING).ok().filter(|m| IDLE_CHOICES.contains(m)).unwrap_or(DEFAULT_IDLE_MINUTES)
}

/// A choice of the setting, as the patient reads it in the list.
pub fn choice_text(minutes: u32) -> String {
    let n = u64::from(minutes);
    tn(n, "{n} minute without use", "{n} minutes without use")
}

pub fn set_idle_minutes(minutes: u32) {
    let _ = LocalStorage::set(SETTING, minutes);
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn tab_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// Starts watching for the whole life of the page.
pub fn watch(session: SessionState) {
    let last_input = StoredValue::new(now_ms());
    let hidden_since = StoredValue::new(None::<f64>);
    let touch = move || last_input.set_value(now_ms());
    let _ = window_event_listener(leptos::ev::pointerdown, move |_| touch());
    let _ = window_event_listener(leptos::ev::keydown, move |_| touch());
    let _ = window_event_listener(leptos::ev::visibilitychange, move |_| {
        hidden_since.set_value(tab_hidden().then(now_ms));
    });
    gloo_timers::callback::Interval::new(CHECK_EVERY_MS, move || {
        if !session.is_open() {
            last_input.set_value(now_ms());
            return;
        }
        let now = now_ms();
        let idle_limit = f64::from(idle_minutes()) * 60_000.0;
        if now - last_input.get_value() >= idle_limit {
            let minutes = idle_minutes().into();
            session.lock_because(tn(
                minutes,
                "Locked after {n} minute without use.",
                "Locked after {n} minutes without use.",
            ));
        } else if hidden_since.get_value().is_some_and(|since| now - since >= HIDDEN_GRACE_MS) {
            session.lock_because(t("Locked because the page was in the background.").into());
        }
    })
    .forget();
}
