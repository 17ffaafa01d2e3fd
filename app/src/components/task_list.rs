//! Tasks: follow-ups a clinician asked for and the care transition checklist, open ones first
//! with their due dates, ticked when done; each can be edited (what, by when) or deleted. The
//! rules (order, reading the form) are `core::forms::tasks`.

use health_binder_core::forms::{TASK_FIELDS, TaskRow, save_task, task_rows, task_values, tick_task};
use health_binder_core::i18n::fill;
use health_binder_core::model::{PartialDate, Task};
use health_binder_core::msg;
use leptos::prelude::*;
use uuid::Uuid;

use super::entry_actions::{Editing, EntryActions, problems, source_line, title_id};
use super::fields_form::FieldsForm;
use crate::browser;
use crate::i18n::{t, t_text, tn};
use crate::session::SessionState;

fn today() -> PartialDate {
    let now = browser::local_now();
    now.date().unwrap_or_else(|| PartialDate::from_utc(browser::now()))
}

#[component]
pub fn TaskList() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let editing = RwSignal::new(Editing::Nothing);
    let confirming = RwSignal::new(None::<Uuid>);
    let rows = move || session.binder.with(|b| b.as_ref().map(|b| task_rows(b, today())).unwrap_or_default());

    let form = move |id: Option<Uuid>| {
        let initial = session.binder.with_untracked(|b| b.as_ref().map(|b| task_values(b, id)).unwrap_or_default());
        let save = Callback::new(move |values| {
            session.change(|b| save_task(b, id, &values, browser::now())).map_err(problems)?;
            editing.set(Editing::Nothing);
            Ok(())
        });
        let title = if id.is_some() { t("Edit task") } else { t("Add task") };
        view! {
            <FieldsForm id="task" fields=TASK_FIELDS initial=initial title=title.to_owned() save_label=t("Save task").to_owned()
                care_team=Vec::new() on_save=save on_cancel=Callback::new(move |()| editing.set(Editing::Nothing))/>
        }
    };

    let card = move |row: TaskRow| {
        let id = row.id;
        if editing.get() == Editing::Existing(id) {
            return view! { <li>{form(Some(id))}</li> }.into_any();
        }
        let done_text = format!("task-{id}-done");
        let done_by = format!("{done_text} {}", title_id(id));
        let tick = move |ev: leptos::ev::Event| {
            let done = event_target_checked(&ev);
            let _ = session.change(|b| tick_task(b, id, done, today(), browser::now()));
        };
        let delete = move |()| {
            if session.change(|b| b.delete::<Task>(id, browser::now())).is_ok() {
                confirming.set(None);
            }
        };
        let class = match (row.done, row.overdue) {
            (true, _) => "card entry task done",
            (false, true) => "card entry task overdue",
            (false, false) => "card entry task",
        };
        view! {
            <li class=class>
                <div class="entry-head">
                    <h3 id=title_id(id)>{row.title.clone()}</h3>
                    {row.overdue.then(|| view! { <span class="badge">{t("Overdue")}</span> })}
                </div>
                {(!row.when.is_empty()).then(|| view! { <p>{t_text(&row.when)}</p> })}
                {(!row.note.is_empty()).then(|| view! { <p class="muted">{row.note.clone()}</p> })}
                {source_line(session, id)}
                <label class="inline"><input type="checkbox" aria-labelledby=done_by prop:checked=row.done on:change=tick/>
                    " " <span id=done_text>{t("Done")}</span></label>
                <EntryActions name=row.title list=msg!("your tasks") id=id editing=editing confirming=confirming
                    on_delete=Callback::new(delete)/>
            </li>
        }
        .into_any()
    };

    view! {
        <section aria-labelledby="tasks-title" data-section="tasks">
            <div class="section-head">
                <h2 id="tasks-title">{t("To do")}</h2>
                {move || (editing.get() == Editing::Nothing).then(|| view! {
                    <button type="button" class="primary" on:click=move |_| editing.set(Editing::Adding)>{t("Add task")}</button>
                })}
            </div>
            {move || (editing.get() == Editing::Adding).then(|| form(None))}
            {move || {
                let rows = rows();
                if rows.is_empty() {
                    view! { <p class="muted">{t("Nothing to do. Follow-ups from your clinicians and the checklist after a hospital stay appear here.")}</p> }.into_any()
                } else {
                    view! { <ul class="entries tasks">{rows.into_iter().map(card).collect_view()}</ul> }.into_any()
                }
            }}
        </section>
    }
}

/// A line above every part of the binder while tasks are open: how many, and the next one due.
#[component]
pub fn OpenTasks(on_show: Callback<()>) -> impl IntoView {
    let session = expect_context::<SessionState>();
    let open = move || {
        session.binder.with(|b| {
            let rows = b.as_ref().map(|b| task_rows(b, today())).unwrap_or_default();
            let open: Vec<TaskRow> = rows.into_iter().filter(|r| !r.done).collect();
            (!open.is_empty()).then(|| (open.len(), open[0].when.clone()))
        })
    };
    move || {
        open().map(|(count, next)| {
            let count = count as u64;
            let line = if next.is_empty() {
                tn(count, "{n} task to do.", "{n} tasks to do.")
            } else {
                // "Due 14 March" reads "the next due 14 March" mid-sentence: its first letter lowered.
                let next = t_text(&next);
                let mut first = next.chars();
                let when: String = first.next().map(|c| c.to_lowercase().chain(first).collect()).unwrap_or_default();
                let line = tn(count, "{n} task to do, the next {when}.", "{n} tasks to do, the next {when}.");
                fill(&line, &[("when", &when)])
            };
            view! {
                <p class="notice tasks-due">{line}" "
                    <button type="button" on:click=move |_| on_show.run(())>{t("See tasks")}</button>
                </p>
            }
        })
    }
}
