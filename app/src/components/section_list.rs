//! A section of the binder as a list of entries with add / edit / delete — one component for the
//! care team, history, results, appointments, vitals and notes (their fields come from
//! `core::forms`).

use health_binder_core::forms::{Line, ListSection, Row, Value, care_team_choices};
use health_binder_core::i18n::fill;
use leptos::prelude::*;
use uuid::Uuid;

use super::entry_actions::{Editing, EntryActions, problems};
use super::fields_form::FieldsForm;
use crate::browser;
use crate::i18n::t;
use crate::session::SessionState;

#[component]
pub fn SectionList(section: ListSection) -> impl IntoView {
    let session = expect_context::<SessionState>();
    let editing = RwSignal::new(Editing::Nothing);
    let confirming_delete = RwSignal::new(None::<Uuid>);
    let rows = move || session.binder.with(|b| b.as_ref().map(|b| section.rows(b)).unwrap_or_default());
    let text = section.text();
    let title_id = format!("{}-title", text.slug);

    // The form for a new entry (None) or entry `id`.
    let form = move |id: Option<Uuid>| {
        let (initial, care_team) = session
            .binder
            .with_untracked(|b| b.as_ref().map(|b| (section.values(b, id, browser::local_now()), care_team_choices(b))))
            .unwrap_or_default();
        let save = Callback::new(move |values| {
            session
                .change(|b| section.save(b, id, &values, &browser::zone_offset, browser::now()))
                .map_err(problems)?;
            editing.set(Editing::Nothing);
            Ok(())
        });
        let title = if id.is_some() { text.edit } else { text.add };
        view! {
            <FieldsForm id=text.slug fields=section.fields() initial=initial
                title=t(title).to_owned() save_label=t(text.save).to_owned()
                care_team=care_team on_save=save on_cancel=Callback::new(move |()| editing.set(Editing::Nothing))/>
        }
    };

    let card = move |row: Row| {
        let id = row.id;
        let title = line(&row.title);
        if editing.get() == Editing::Existing(id) {
            return view! { <li>{form(Some(id))}</li> }.into_any();
        }
        let delete = move |()| {
            if session.change(|b| section.delete(b, id, browser::now())).is_ok() {
                confirming_delete.set(None);
            }
        };
        view! {
            <li class="card entry">
                <div class="entry-head">
                    <h3 id=super::entry_actions::title_id(id)>{title.clone()}</h3>
                    {row.badge.map(|b| view! { <span class="badge">{t(b)}</span> })}
                </div>
                {row.details.iter().map(|l| view! { <p>{line(l)}</p> }).collect_view()}
                {session.binder.with_untracked(|b| b.as_ref().and_then(|b| b.source_text(id))).map(|s| view! { <p class="source muted">{s}</p> })}
                <EntryActions name=title list=t(text.title) id=id editing=editing confirming=confirming_delete
                    on_delete=Callback::new(delete)/>
            </li>
        }
        .into_any()
    };

    view! {
        <section aria-labelledby=format!("{}-title", text.slug) data-section=text.slug>
            <div class="section-head">
                <h2 id=title_id>{t(text.title)}</h2>
                <Show when=move || editing.get() == Editing::Nothing>
                    <button type="button" class="primary" on:click=move |_| editing.set(Editing::Adding)>
                        {t(text.add)}
                    </button>
                </Show>
            </div>
            <Show when=move || editing.get() == Editing::Adding>{move || form(None)}</Show>
            {move || {
                let rows = rows();
                if rows.is_empty() {
                    view! { <p class="muted">{t(text.empty)}</p> }.into_any()
                } else {
                    view! { <ul class="entries">{rows.into_iter().map(card).collect_view()}</ul> }.into_any()
                }
            }}
        </section>
    }
}

/// A row's line in the reader's language: its template translated, the patient's words and the
/// dates filled in.
fn line(line: &Line) -> String {
    let values: Vec<(&str, String)> = line.values.iter().map(|(k, v)| (*k, value_text(v))).collect();
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    fill(t(line.template), &values)
}

/// Words as typed; a date and a number as the reader's language writes them. English keeps
/// core's own wording ("14 March 2015", "3 December 2026, 09:30", "71.5 kg"), which every English
/// reader can read.
fn value_text(value: &Value) -> String {
    match value {
        Value::Text(text) => text.clone(),
        _ if crate::i18n::language() == "en" => value.text(),
        Value::Number { .. } | Value::Range { .. } => value.numbers_text(&crate::i18n::number),
        Value::Date(date) => crate::browser::wall_clock_date(
            date.year_number().into(),
            date.month_number(),
            date.day_number(),
            None,
            "long",
        ),
        Value::At(at) => {
            let p = at.local();
            crate::browser::wall_clock_date(p.year, Some(p.month), Some(p.day), Some((p.hour, p.minute)), "long")
        }
    }
}
