//! "Add to my calendar": the appointments, open tasks due on a day and daily medicine times as an iCalendar file (`core::calendar`) that phone and
//! computer calendars import, with reminders. The app's own reminders work only while it is open;
//! this is how they reach the patient when it is closed.

use health_binder_core::calendar::{binder_items, dose_items, to_ics};
use health_binder_core::ips::Texts;
use leptos::prelude::*;

use crate::browser;
use crate::i18n::{t, tf, tn};
use crate::session::SessionState;

fn today() -> health_binder_core::model::PartialDate {
    let now = browser::local_now();
    now.date().unwrap_or_else(|| health_binder_core::model::PartialDate::from_utc(browser::now()))
}

#[component]
pub fn CalendarPanel() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let message = RwSignal::new(None::<(bool, String)>);
    let none = move || {
        session.binder.with(|b| {
            b.as_ref().is_none_or(|b| {
                b.appointments.is_empty()
                    && !b.tasks.iter().any(|t| t.data.is_open())
                    // Only whether there are any: their words do not matter here.
                    && dose_items(b, today(), &Texts::ENGLISH).is_empty()
            })
        })
    };
    let download = move |_| {
        let outcome = session.binder.with_untracked(|binder| {
            let binder = binder.as_ref().ok_or(t("The binder is locked.").to_owned())?;
            let now = browser::now();
            // The file is the patient's to read in their calendar: in the language shown.
            let texts = crate::i18n::texts();
            let mut items = binder_items(binder, &texts);
            items.extend(dose_items(binder, today(), &texts));
            let day = health_binder_core::model::PartialDate::from_utc(now);
            let name = tf("health-binder-calendar-{day}.ics", &[("day", &day.to_string())]);
            browser::download_file(&name, "text/calendar", &to_ics(&items, now)).map(|()| items.len())
        });
        message.set(Some(match outcome {
            Ok(n) => (
                true,
                tn(
                    n as u64,
                    "Downloaded {n} event. Open the file to add it to your calendar. It is not encrypted: delete it once imported.",
                    "Downloaded {n} events. Open the file to add them to your calendar. It is not encrypted: delete it once imported.",
                ),
            ),
            Err(e) => (false, tf("Nothing was downloaded: {why}", &[("why", &e)])),
        }));
    };
    view! {
        <section class="card" aria-labelledby="calendar-title">
            <h2 id="calendar-title">{t("Add to my calendar")}</h2>
            <p>{t("Your appointments, the to-dos due on a day and the times of your daily medicines, as a calendar file (.ics) for your phone's or computer's calendar, each with reminders (appointments a day and an hour before, to-dos the morning before and on the day, medicines at their time, every day, without their names) — they remind you even when this app is closed. Importing a newer file later updates the same events instead of adding copies. The file is not encrypted.")}</p>
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "success" } else { "error" } role="status">{m}</p> })}
            <div class="actions">
                <button type="button" on:click=download disabled=none>{t("Download calendar file")}</button>
            </div>
            <Show when=none><p class="hint">{t("Add an appointment, a to-do with a due date or a daily medicine first.")}</p></Show>
        </section>
    }
}
