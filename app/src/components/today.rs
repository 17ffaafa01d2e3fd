//! Every day: the doses due today, each marked taken or skipped (`core::doses`), as-needed doses
//! counted against their daily maximum, adherence over 7 and 30 days, and how reminders work. The
//! reminder itself (`DoseReminder`) shows above every part of the binder while a dose is due.
//!
//! Names come from visible text (`aria-labelledby`), never from strings built from the binder.

use health_binder_core::doses::{
    Adherence, AsNeededCount, Day, NextDose, PlannedDose, SNOOZE_MINUTES, Snooze, adherence, as_needed_count, day_plan,
    reminders_now,
};
use health_binder_core::model::{
    Binder, DoseStatus, Frequency, LocalDateTime, QuietHours, ReminderSettings, TimeOfDay,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::browser;
use crate::i18n::{number, t, t_text, tf};
use crate::session::SessionState;

/// How often the open app looks for a dose that became due.
const CHECK_EVERY_MS: u32 = 15_000;

fn medication_title(binder: &Binder, id: Uuid) -> String {
    binder
        .medication(id)
        .map(|m| {
            if m.data.strength.is_empty() {
                m.data.name.clone()
            } else {
                format!("{} {}", m.data.name, m.data.strength)
            }
        })
        .unwrap_or_default()
}

/// "08:05": the app's clock is 24-hour in every language, as the dose times are typed
/// ("08:00, 14:00, 22:00"), with the reader's digits and separator; `at` on the wall clock where
/// it was set (a dose's own time, not moved to another zone).
pub(super) fn clock_text(at: &LocalDateTime) -> String {
    let p = at.local();
    browser::wall_clock_time(p.hour, p.minute)
}

/// "7 December 2026", "7 de diciembre de 2026": the day of `at`, as the reader writes a date.
pub(super) fn day_text(at: &LocalDateTime) -> String {
    let p = at.local();
    browser::wall_clock_date(p.year, Some(p.month), Some(p.day), None, "long")
}

/// "Taken at 08:05", "Taken late, at 09:35", "Skipped", or "Not marked yet".
fn status_text(dose: &PlannedDose) -> String {
    let Some(record) = dose.record else { return t("Not marked yet").into() };
    let at = record.taken_at().map(|t| clock_text(&t)).unwrap_or_default();
    match record.status() {
        DoseStatus::Taken | DoseStatus::AsNeeded => tf("Taken at {time}", &[("time", &at)]),
        DoseStatus::Late => tf("Taken late, at {time}", &[("time", &at)]),
        DoseStatus::Skipped => t("Skipped").into(),
    }
}

/// A refusal from core, in the language shown (core's messages are whole sentences, `msg!`).
fn refusal(e: health_binder_core::model::BinderError) -> String {
    super::entry_actions::problems(e).into_iter().map(|p| t_text(&p.message)).collect::<Vec<_>>().join(" ")
}

fn mark(session: SessionState, medication: Uuid, due: LocalDateTime, taken: bool) {
    let now = browser::local_now();
    let _ = session.change(|b| b.log_dose(medication, due, taken.then_some(now), now));
}

/// A tick every few seconds while the binder is open, for what depends on the time.
pub(super) fn ticking() -> RwSignal<f64> {
    let tick = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || tick.set(js_sys::Date::now()),
        std::time::Duration::from_millis(u64::from(CHECK_EVERY_MS)),
    ) {
        on_cleanup(move || handle.clear());
    }
    tick
}

/// The reminder of the doses due now, above every part of the binder, with "Taken", "Skip" and
/// "Snooze". While reminders are on as system notifications (and the browser allows them), a dose
/// that becomes due also shows one — saying only that a dose is due, never which.
#[component]
pub fn DoseReminder() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let tick = ticking();
    let snoozed = RwSignal::new(Vec::<Snooze>::new());
    let notified = StoredValue::new(Vec::<(Uuid, i64)>::new());
    let due = Memo::new(move |_| {
        tick.track();
        let now = browser::local_now();
        snoozed.with(|s| {
            session
                .binder
                .with(|b| b.as_ref().map(|b| reminders_now(b, now, &browser::zone_offset, s)).unwrap_or_default())
        })
    });
    Effect::new(move || {
        let doses = due.get();
        let wants = session.binder.with_untracked(|b| b.as_ref().is_some_and(|b| b.reminders.notifications));
        let fresh = notified.with_value(|n| doses.iter().any(|d| !n.contains(&(d.medication, d.due.utc_ms))));
        notified.set_value(doses.iter().map(|d| (d.medication, d.due.utc_ms)).collect());
        if wants && fresh {
            browser::notify(t("Health Binder"), t("A dose is due."));
        }
    });
    let row = move |dose: PlannedDose| {
        let key = format!("reminder-{}-{}", dose.medication, dose.due.utc_ms);
        let title = session.binder.with_untracked(|b| b.as_ref().map(|b| medication_title(b, dose.medication)));
        let (name_id, taken_id, skip_id, snooze_id) =
            (format!("{key}-name"), format!("{key}-taken"), format!("{key}-skip"), format!("{key}-snooze"));
        let labelled = |own: &str| format!("{own} {name_id}");
        view! {
            <li>
                <p><strong id=name_id.clone()>{title}</strong>" · "{tf("due at {time}", &[("time", &clock_text(&dose.due))])}</p>
                <div class="actions">
                    <button type="button" class="primary" id=taken_id.clone() aria-labelledby=labelled(&taken_id)
                        on:click=move |_| mark(session, dose.medication, dose.due, true)>{t("Taken")}</button>
                    <button type="button" id=skip_id.clone() aria-labelledby=labelled(&skip_id)
                        on:click=move |_| mark(session, dose.medication, dose.due, false)>{t("Skip")}</button>
                    <button type="button" id=snooze_id.clone() aria-labelledby=labelled(&snooze_id)
                        on:click=move |_| snoozed.update(|s| s.push(Snooze::of(&dose, &browser::local_now())))>
                        {tf("Snooze {n} minutes", &[("n", &number(SNOOZE_MINUTES as f64))])}</button>
                </div>
            </li>
        }
    };
    move || {
        let doses = due.get();
        (!doses.is_empty()).then(|| {
            let heading = if doses.len() == 1 { t("A dose is due") } else { t("Doses are due") };
            view! {
                <section class="card reminder" role="alert" aria-labelledby="reminder-title">
                    <h2 id="reminder-title">{heading}</h2>
                    <ul class="entries">{doses.into_iter().map(row).collect_view()}</ul>
                </section>
            }
        })
    }
}

/// Today's doses, as-needed doses, adherence, and the reminder settings.
#[component]
pub fn TodayPart() -> impl IntoView {
    view! { <TodayList/><AsNeededList/><AdherenceTable/><ReminderSettingsPanel/> }
}

#[component]
fn TodayList() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let tick = ticking();
    let plan = move || {
        tick.track();
        let today = Day::of(&browser::local_now());
        session.binder.with(|b| b.as_ref().map(|b| day_plan(b, today, &browser::zone_offset)).unwrap_or_default())
    };
    let row = move |(index, dose): (usize, PlannedDose)| {
        let title = session.binder.with_untracked(|b| b.as_ref().map(|b| medication_title(b, dose.medication)));
        let base = format!("dose-{index}");
        let (name_id, time_id, taken_id, skip_id, undo_id) = (
            format!("{base}-name"),
            format!("{base}-time"),
            format!("{base}-taken"),
            format!("{base}-skip"),
            format!("{base}-undo"),
        );
        let labelled = |own: &str| format!("{own} {name_id} {time_id}");
        let marked = dose.record.is_some();
        let undo = move |_| {
            let now = browser::local_now();
            let _ = session.change(|b| b.unlog_dose(dose.medication, &dose.due, now));
        };
        view! {
            <li class="card entry dose" class:marked=marked>
                <div class="entry-head">
                    <h3 id=name_id.clone()>{title}</h3>
                    <span class="badge" id=time_id.clone()>{clock_text(&dose.due)}</span>
                </div>
                <p class="dose-status">{status_text(&dose)}</p>
                <div class="actions">
                    {if marked {
                        view! {
                            <button type="button" id=undo_id.clone() aria-labelledby=labelled(&undo_id) on:click=undo>{t("Undo")}</button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="primary" id=taken_id.clone() aria-labelledby=labelled(&taken_id)
                                on:click=move |_| mark(session, dose.medication, dose.due, true)>{t("Taken")}</button>
                            <button type="button" id=skip_id.clone() aria-labelledby=labelled(&skip_id)
                                on:click=move |_| mark(session, dose.medication, dose.due, false)>{t("Skipped")}</button>
                        }.into_any()
                    }}
                </div>
            </li>
        }
    };
    view! {
        <section aria-labelledby="today-title" data-section="today">
            <h2 id="today-title">{t("Today's doses")}</h2>
            {move || {
                let plan = plan();
                if plan.is_empty() {
                    let part = t("Medicines & allergies");
                    view! { <p class="muted">{tf("No scheduled doses today. Doses come from your medications' schedules ({part}).", &[("part", part)])}</p> }.into_any()
                } else {
                    view! { <ul class="entries doses">{plan.into_iter().enumerate().map(row).collect_view()}</ul> }.into_any()
                }
            }}
        </section>
    }
}

/// As-needed medications: how many in the last 24 hours against the daily maximum, warned before
/// the maximum would be exceeded (one more is then logged only when the patient confirms).
#[component]
fn AsNeededList() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let problem = RwSignal::new(None::<(Uuid, String)>);
    let items = move || {
        let now = browser::local_now();
        session.binder.with(|b| {
            let Some(b) = b.as_ref() else { return Vec::new() };
            b.medications
                .iter()
                .filter(|m| m.data.status.is_active() && matches!(m.data.frequency, Frequency::AsNeeded { .. }))
                .filter_map(|m| Some((m.id(), medication_title(b, m.id()), as_needed_count(b, m.id(), now)?)))
                .collect::<Vec<_>>()
        })
    };
    let row = move |(id, title, count): (Uuid, String, AsNeededCount)| {
        let (name_id, log_id, again_id) =
            (format!("prn-{id}-name"), format!("prn-{id}-log"), format!("prn-{id}-again"));
        let log = move |confirmed: bool| {
            let now = browser::local_now();
            match session.change(|b| b.log_as_needed(id, now, confirmed, now)) {
                Ok(()) => problem.set(None),
                Err(e) => problem.set(Some((id, refusal(e)))),
            }
        };
        let taken = number(f64::from(count.taken));
        let counted = match count.max {
            Some(max) => {
                tf("{n} in the last 24 hours, at most {max} a day.", &[("n", &taken), ("max", &number(f64::from(max)))])
            }
            None => tf("{n} in the last 24 hours.", &[("n", &taken)]),
        };
        let warning = match count.next() {
            NextDose::Allowed => None,
            NextDose::LastAllowed => Some(t("One more is the last your directions allow in 24 hours.").to_owned()),
            NextDose::OverMax => Some(match count.next_allowed_at {
                Some(at) => tf(
                    "Another now would be more than your directions allow. The next is within them at {time}.",
                    &[("time", &clock_text(&at))],
                ),
                None => t("Another now would be more than your directions allow.").to_owned(),
            }),
        };
        let over = count.next() == NextDose::OverMax;
        view! {
            <li class="card entry">
                <h3 id=name_id.clone()>{title}</h3>
                <p>{counted}</p>
                {warning.map(|w| view! { <p class="warning">{w}</p> })}
                {move || problem.get().filter(|(p, _)| *p == id).map(|(_, m)| view! { <p class="error" role="alert">{m}</p> })}
                <div class="actions">
                    {if over {
                        view! { <button type="button" id=again_id.clone() aria-labelledby=format!("{again_id} {name_id}")
                            on:click=move |_| log(true)>{t("Log another anyway")}</button> }.into_any()
                    } else {
                        view! { <button type="button" id=log_id.clone() aria-labelledby=format!("{log_id} {name_id}")
                            on:click=move |_| log(false)>{t("Took a dose now")}</button> }.into_any()
                    }}
                </div>
            </li>
        }
    };
    move || {
        let items = items();
        (!items.is_empty()).then(|| {
            view! {
                <section aria-labelledby="as-needed-title">
                    <h2 id="as-needed-title">{t("As needed")}</h2>
                    <ul class="entries">{items.into_iter().map(row).collect_view()}</ul>
                </section>
            }
        })
    }
}

fn adherence_text(counts: Option<Adherence>) -> String {
    match counts.and_then(|c| Some((c.percent()?, c))) {
        Some((percent, c)) => tf(
            "{percent} % ({taken} of {due})",
            &[
                ("percent", &number(f64::from(percent))),
                ("taken", &number(f64::from(c.taken + c.late))),
                ("due", &number(f64::from(c.due))),
            ],
        ),
        None => t("Nothing due yet").into(),
    }
}

/// Per scheduled medication: of the doses due over the last 7 and 30 days, how many were taken.
#[component]
fn AdherenceTable() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let rows = move || {
        let now = browser::local_now();
        session.binder.with(|b| {
            let Some(b) = b.as_ref() else { return Vec::new() };
            b.medications
                .iter()
                .filter(|m| m.data.status.is_active() && !matches!(m.data.frequency, Frequency::AsNeeded { .. }))
                .map(|m| {
                    let of = |days| adherence(b, m.id(), days, now, &browser::zone_offset);
                    (medication_title(b, m.id()), adherence_text(of(7)), adherence_text(of(30)))
                })
                .collect::<Vec<_>>()
        })
    };
    move || {
        let rows = rows();
        (!rows.is_empty()).then(|| view! {
            <section aria-labelledby="adherence-title">
                <h2 id="adherence-title">{t("Doses taken")}</h2>
                <table class="medication-table">
                        <caption class="muted">{t("Of the doses due since each medication was added (late ones count as taken).")}</caption>
                        <thead><tr><th scope="col">{t("Medication")}</th><th scope="col">{t("Last 7 days")}</th><th scope="col">{t("Last 30 days")}</th></tr></thead>
                        <tbody>{rows.into_iter().map(|(name, week, month)| view! {
                            <tr><th scope="row">{name}</th><td data-label=t("Last 7 days")>{week}</td><td data-label=t("Last 30 days")>{month}</td></tr>
                        }).collect_view()}</tbody>
                </table>
            </section>
        })
    }
}

fn time_value(time: Option<TimeOfDay>) -> String {
    time.map(|t| format!("{:02}:{:02}", t.hour, t.minute)).unwrap_or_default()
}

/// Reminders on or off, as system notifications too (the browser's permission is asked only
/// when that is turned on), and quiet hours.
#[component]
fn ReminderSettingsPanel() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let message = RwSignal::new(None::<(bool, String)>);
    let settings = move || session.binder.with(|b| b.as_ref().map(|b| b.reminders.clone()).unwrap_or_default());
    let initial = settings();
    let quiet_from = RwSignal::new(time_value(initial.quiet.map(|q| q.from)));
    let quiet_until = RwSignal::new(time_value(initial.quiet.map(|q| q.until)));
    let save = move |changed: ReminderSettings, done: &str| match session
        .change(|b| b.update_reminders(changed, browser::now()))
    {
        Ok(()) => message.set((!done.is_empty()).then(|| (true, done.to_owned()))),
        Err(e) => message.set(Some((false, refusal(e)))),
    };
    let toggle_doses = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        save(ReminderSettings { doses: on, ..settings() }, "");
    };
    let toggle_notifications = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        if !on {
            return save(ReminderSettings { notifications: false, ..settings() }, "");
        }
        spawn_local(async move {
            if browser::ask_notification_permission().await {
                save(ReminderSettings { notifications: true, ..settings() }, t("System notifications are on."));
            } else {
                message.set(Some((
                    false,
                    t("This browser did not allow notifications. Reminders still show here while the app is open.")
                        .into(),
                )));
            }
        });
    };
    let save_quiet = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (from, until) =
            (TimeOfDay::parse(&quiet_from.get_untracked()), TimeOfDay::parse(&quiet_until.get_untracked()));
        let quiet = match (quiet_from.get_untracked().is_empty() && quiet_until.get_untracked().is_empty(), from, until)
        {
            (true, _, _) => None,
            (false, Some(from), Some(until)) => Some(QuietHours { from, until }),
            _ => return message.set(Some((false, t("Give both times of the quiet hours, or neither.").into()))),
        };
        let done = if quiet.is_some() { t("Quiet hours saved.") } else { t("No quiet hours.") };
        save(ReminderSettings { quiet, ..settings() }, done);
    };
    view! {
        <section class="card" aria-labelledby="reminders-title">
            <h2 id="reminders-title">{t("Reminders")}</h2>
            // The part and the heading are named as the reader sees them on their own screens.
            <p>{tf(
                "Reminders show in Health Binder while it is open and the binder is unlocked. When the app is closed it cannot remind you: download the calendar file ({part}, \"{heading}\") for your phone's calendar. It holds your daily medicine times (not the medicines' names), appointments and to-dos, with alarms that ring when Health Binder is closed. Download it again after changing a schedule.",
                &[("part", t("Appointments")), ("heading", t("Add to my calendar"))],
            )}</p>
            <label class="inline"><input type="checkbox" prop:checked=move || settings().doses on:change=toggle_doses/>
                " "{t("Remind me when a dose is due")}</label>
            <label class="inline"><input type="checkbox" prop:checked=move || settings().notifications on:change=toggle_notifications/>
                " "{t("Also as a system notification (it says only that a dose is due, not which)")}</label>
            <super::locked_reminder::LockedReminderChoice/>
            <super::appointment_reminder::AppointmentLeadChoice/>
            <form on:submit=save_quiet novalidate>
                <h3>{t("Quiet hours")}</h3>
                <p class="muted">{t("No reminder shows then; a dose due in them is reminded of when they end. Leave both empty for none.")}</p>
                <label for="quiet-from">{t("Quiet from")}</label>
                <input id="quiet-from" type="time" bind:value=quiet_from/>
                <label for="quiet-until">{t("Quiet until")}</label>
                <input id="quiet-until" type="time" bind:value=quiet_until/>
                <div class="actions"><button type="submit">{t("Save quiet hours")}</button></div>
            </form>
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "notice" } else { "error" } role="alert">{m}</p> })}
        </section>
    }
}
