//! The reminder of an appointment coming up, above every part of the binder while the app is open
//! (which ones and when: `core::doses::appointment_reminders_now`), dismissable; and the choice
//! of how long before. Names come from visible text, never from strings built from the binder.

use health_binder_core::doses::{AppointmentReminder, Dismissed, WhichDay, appointment_reminders_now};
use health_binder_core::model::ReminderSettings;
use health_binder_core::msg;
use leptos::prelude::*;

use super::today::{clock_text, day_text, ticking};
use crate::browser;
use crate::i18n::{t, tf};
use crate::session::SessionState;

/// The lead times offered, in minutes before the appointment ("" is none).
const LEAD_CHOICES: [(&str, &str); 5] = [
    ("", msg!("No appointment reminders")),
    ("60", msg!("An hour before")),
    ("180", msg!("3 hours before")),
    ("1440", msg!("The day before (24 hours)")),
    ("2880", msg!("2 days before")),
];

/// "today at 09:00", "tomorrow at 09:00", "on 9 December 2026 at 09:00": one sentence each, the
/// date and time as the reader writes them, on the clock where the appointment was entered.
fn when_text(reminder: &AppointmentReminder) -> String {
    let time = clock_text(&reminder.at);
    match reminder.day {
        WhichDay::Today => tf("today at {time}", &[("time", &time)]),
        WhichDay::Tomorrow => tf("tomorrow at {time}", &[("time", &time)]),
        WhichDay::Later => tf("on {date} at {time}", &[("date", &day_text(&reminder.at)), ("time", &time)]),
    }
}

#[component]
pub fn AppointmentReminders() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let tick = ticking();
    // In the page's memory only: a reload or an unlock shows a dismissed reminder again.
    let dismissed = RwSignal::new(Vec::<Dismissed>::new());
    let due = Memo::new(move |_| {
        tick.track();
        let now = browser::local_now();
        dismissed.with(|d| {
            session.binder.with(|b| b.as_ref().map(|b| appointment_reminders_now(b, now, d)).unwrap_or_default())
        })
    });
    let row = move |reminder: AppointmentReminder| {
        let key = format!("appointment-reminder-{}", reminder.appointment);
        let (name_id, dismiss_id) = (format!("{key}-name"), format!("{key}-dismiss"));
        let gone = reminder.dismissed();
        let when = when_text(&reminder);
        view! {
            <li>
                <p><strong id=name_id.clone()>{reminder.title.text(&crate::emergency_card::WORDING)}</strong>" · "{when}</p>
                <div class="actions">
                    <button type="button" id=dismiss_id.clone() aria-labelledby=format!("{dismiss_id} {name_id}")
                        on:click=move |_| dismissed.update(|d| d.push(gone))>{t("Dismiss")}</button>
                </div>
            </li>
        }
    };
    move || {
        let items = due.get();
        (!items.is_empty()).then(|| {
            let heading =
                if items.len() == 1 { t("An appointment is coming up") } else { t("Appointments are coming up") };
            view! {
                <section class="card reminder" role="alert" aria-labelledby="appointment-reminder-title">
                    <h2 id="appointment-reminder-title">{heading}</h2>
                    <ul class="entries">{items.into_iter().map(row).collect_view()}</ul>
                </section>
            }
        })
    }
}

/// "Remind me of appointments": how long before, or not at all.
#[component]
pub fn AppointmentLeadChoice() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let settings = move || session.binder.with(|b| b.as_ref().map(|b| b.reminders.clone()).unwrap_or_default());
    let current = move || settings().appointment_minutes_before.map(|m| m.to_string()).unwrap_or_default();
    let change = move |ev: leptos::ev::Event| {
        let minutes = event_target_value(&ev).parse().ok();
        let changed = ReminderSettings { appointment_minutes_before: minutes, ..settings() };
        let _ = session.change(|b| b.update_reminders(changed, browser::now()));
    };
    view! {
        <label for="appointment-lead">{t("Remind me of appointments")}</label>
        <select id="appointment-lead" prop:value=current on:change=change>
            {LEAD_CHOICES.map(|(value, label)| view! { <option value=value selected=move || current() == value>{t(label)}</option> })}
        </select>
    }
}
