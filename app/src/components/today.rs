//! Every day: the doses due today, each marked taken or skipped (`core::doses`), as-needed doses
//! counted against their daily maximum, adherence over 7 and 30 days, and how reminders work. The
//! reminder itself (`DoseReminder`) shows above every part of the binder while a dose is due.
//!
//! Names come from visible text (`aria-labelledby`), never from strings built from the binder.

use health_binder_core::doses::{
    Adherence, AsNeededCount, Day, NextDose, PlannedDose, Snooze, adherence, as_needed_count, day_plan, reminders_now,
};
use health_binder_core::model::{
    Binder, DoseStatus, Frequency, LocalDateTime, QuietHours, ReminderSettings, TimeOfDay,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::browser;
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

fn clock_text(at: &LocalDateTime) -> String {
    let p = at.local();
    format!("{:02}:{:02}", p.hour, p.minute)
}

/// "Taken at 08:05", "Taken late, at 09:35", "Skipped", or "Not marked yet".
fn status_text(dose: &PlannedDose) -> String {
    let Some(record) = dose.record else { return "Not marked yet".into() };
    let at = record.taken_at().map(|t| clock_text(&t)).unwrap_or_default();
    match record.status() {
        DoseStatus::Taken | DoseStatus::AsNeeded => format!("Taken at {at}"),
        DoseStatus::Late => format!("Taken late, at {at}"),
        DoseStatus::Skipped => "Skipped".into(),
    }
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
            browser::notify("Health Binder", "A dose is due.");
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
                <p><strong id=name_id.clone()>{title}</strong>" · due at "{clock_text(&dose.due)}</p>
                <div class="actions">
                    <button type="button" class="primary" id=taken_id.clone() aria-labelledby=labelled(&taken_id)
                        on:click=move |_| mark(session, dose.medication, dose.due, true)>"Taken"</button>
                    <button type="button" id=skip_id.clone() aria-labelledby=labelled(&skip_id)
                        on:click=move |_| mark(session, dose.medication, dose.due, false)>"Skip"</button>
                    <button type="button" id=snooze_id.clone() aria-labelledby=labelled(&snooze_id)
                        on:click=move |_| snoozed.update(|s| s.push(Snooze::of(&dose, &browser::local_now())))>
                        "Snooze 10 minutes"</button>
                </div>
            </li>
        }
    };
    move || {
        let doses = due.get();
        (!doses.is_empty()).then(|| {
            let heading = if doses.len() == 1 { "A dose is due" } else { "Doses are due" };
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
                            <button type="button" id=undo_id.clone() aria-labelledby=labelled(&undo_id) on:click=undo>"Undo"</button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="primary" id=taken_id.clone() aria-labelledby=labelled(&taken_id)
                                on:click=move |_| mark(session, dose.medication, dose.due, true)>"Taken"</button>
                            <button type="button" id=skip_id.clone() aria-labelledby=labelled(&skip_id)
                                on:click=move |_| mark(session, dose.medication, dose.due, false)>"Skipped"</button>
                        }.into_any()
                    }}
                </div>
            </li>
        }
    };
    view! {
        <section aria-labelledby="today-title" data-section="today">
            <h2 id="today-title">"Today's doses"</h2>
            {move || {
                let plan = plan();
                if plan.is_empty() {
                    view! { <p class="muted">"No scheduled doses today. Doses come from your medications' schedules (Medicines & allergies)."</p> }.into_any()
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
                Err(e) => problem.set(Some((
                    id,
                    super::entry_actions::problems(e).into_iter().map(|p| p.message).collect::<Vec<_>>().join(" "),
                ))),
            }
        };
        let counted = match count.max {
            Some(max) => format!("{} in the last 24 hours, at most {max} a day.", count.taken),
            None => format!("{} in the last 24 hours.", count.taken),
        };
        let warning = match count.next() {
            NextDose::Allowed => None,
            NextDose::LastAllowed => Some("One more is the last your directions allow in 24 hours.".to_owned()),
            NextDose::OverMax => Some(match count.next_allowed_at {
                Some(at) => format!(
                    "Another now would be more than your directions allow. The next is within them at {}.",
                    clock_text(&at)
                ),
                None => "Another now would be more than your directions allow.".to_owned(),
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
                            on:click=move |_| log(true)>"Log another anyway"</button> }.into_any()
                    } else {
                        view! { <button type="button" id=log_id.clone() aria-labelledby=format!("{log_id} {name_id}")
                            on:click=move |_| log(false)>"Took a dose now"</button> }.into_any()
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
                    <h2 id="as-needed-title">"As needed"</h2>
                    <ul class="entries">{items.into_iter().map(row).collect_view()}</ul>
                </section>
            }
        })
    }
}

fn adherence_text(counts: Option<Adherence>) -> String {
    match counts.and_then(|c| Some((c.percent()?, c))) {
        Some((percent, c)) => format!("{percent} % ({} of {})", c.taken + c.late, c.due),
        None => "Nothing due yet".into(),
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
                <h2 id="adherence-title">"Doses taken"</h2>
                <table class="medication-table">
                        <caption class="muted">"Of the doses due since each medication was added (late ones count as taken)."</caption>
                        <thead><tr><th scope="col">"Medication"</th><th scope="col">"Last 7 days"</th><th scope="col">"Last 30 days"</th></tr></thead>
                        <tbody>{rows.into_iter().map(|(name, week, month)| view! {
                            <tr><th scope="row">{name}</th><td data-label="Last 7 days">{week}</td><td data-label="Last 30 days">{month}</td></tr>
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
        Err(e) => message.set(Some((
            false,
            super::entry_actions::problems(e).into_iter().map(|p| p.message).collect::<Vec<_>>().join(" "),
        ))),
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
                save(ReminderSettings { notifications: true, ..settings() }, "System notifications are on.");
            } else {
                message.set(Some((
                    false,
                    "This browser did not allow notifications. Reminders still show here while the app is open.".into(),
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
            _ => return message.set(Some((false, "Give both times of the quiet hours, or neither.".into()))),
        };
        let done = if quiet.is_some() { "Quiet hours saved." } else { "No quiet hours." };
        save(ReminderSettings { quiet, ..settings() }, done);
    };
    view! {
        <section class="card" aria-labelledby="reminders-title">
            <h2 id="reminders-title">"Reminders"</h2>
            <p>"Reminders show in Health Binder while it is open and the binder is unlocked. When the app is closed it cannot remind you: download the calendar file (Appointments, \"Add to my calendar\") for your phone's calendar. It holds your daily medicine times (not the medicines' names), appointments and to-dos, with alarms that ring when Health Binder is closed. Download it again after changing a schedule."</p>
            <label class="inline"><input type="checkbox" prop:checked=move || settings().doses on:change=toggle_doses/>
                " Remind me when a dose is due"</label>
            <label class="inline"><input type="checkbox" prop:checked=move || settings().notifications on:change=toggle_notifications/>
                " Also as a system notification (it says only that a dose is due, not which)"</label>
            <super::locked_reminder::LockedReminderChoice/>
            <super::appointment_reminder::AppointmentLeadChoice/>
            <form on:submit=save_quiet novalidate>
                <h3>"Quiet hours"</h3>
                <p class="muted">"No reminder shows then; a dose due in them is reminded of when they end. Leave both empty for none."</p>
                <label for="quiet-from">"Quiet from"</label>
                <input id="quiet-from" type="time" bind:value=quiet_from/>
                <label for="quiet-until">"Quiet until"</label>
                <input id="quiet-until" type="time" bind:value=quiet_until/>
                <div class="actions"><button type="submit">"Save quiet hours"</button></div>
            </form>
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "notice" } else { "error" } role="alert">{m}</p> })}
        </section>
    }
}
