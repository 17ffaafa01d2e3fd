//! The tasks' form and list: follow-ups and the care transition checklist, open ones first by
//! due date, each editable (what, by when, a note) and ticked when done. Kept apart from the
//! other sections' forms: tasks are ticked from the list, not only edited through the form.

use crate::msg;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::fields::{FieldKind::*, field, parse_date};
use super::{Field, Values, value};
use crate::model::{Binder, BinderError, PartialDate, Source, Task, ValidationError};

pub const TASK_FIELDS: &[Field] = &[
    field("title", msg!("What to do"), msg!("(e.g. See my GP)"), Text),
    field("due", msg!("Due by"), msg!("(e.g. 2026-12-13 or 13 December 2026)"), Date),
    field("note", msg!("Note"), "", LongText),
];

/// A task as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskRow {
    pub id: Uuid,
    pub title: String,
    /// "Due 13 December 2026", "Done 9 December 2026".
    pub when: String,
    pub note: String,
    pub done: bool,
    /// Open and past its due date on `today`.
    pub overdue: bool,
}

/// Open tasks first, soonest due first (those without a date after them), then the done ones,
/// most recently done first.
pub fn task_rows(b: &Binder, today: PartialDate) -> Vec<TaskRow> {
    let keyed: Vec<((u8, String), TaskRow)> = b
        .tasks
        .iter()
        .map(|e| {
            let t = &e.data;
            let key = match (t.done, t.due) {
                (None, Some(due)) => (0, due.to_string()),
                (None, None) => (1, String::new()),
                // Newest first: order by the complement of each digit.
                (Some(done), _) => (2, done.to_string().bytes().map(|c| (b'9' + b'0' - c) as char).collect()),
            };
            let row = TaskRow {
                id: e.id(),
                title: t.title.clone(),
                when: t.when_text(),
                note: t.note.clone(),
                done: !t.is_open(),
                overdue: t.is_open() && t.due.is_some_and(|due| due < today),
            };
            (key, row)
        })
        .collect();
    crate::order::ordered(keyed)
}

pub fn task_values(b: &Binder, id: Option<Uuid>) -> Values {
    id.and_then(|id| b.get::<Task>(id))
        .map(|e| {
            Values::from([
                ("title", e.data.title.clone()),
                ("due", e.data.due.map(|d| d.to_string()).unwrap_or_default()),
                ("note", e.data.note.clone()),
            ])
        })
        .unwrap_or_default()
}

fn read_task(v: &Values, base: Option<Task>) -> Result<Task, Vec<ValidationError>> {
    let due = parse_date(value(v, "due"), "due").map_err(|e| vec![e])?;
    let base = base.unwrap_or_default();
    Ok(Task { title: value(v, "title").to_owned(), due, note: value(v, "note").to_owned(), ..base })
}

/// Adds (`id` None) or changes task `id` from the form. Every problem comes back at once.
pub fn save_task(b: &mut Binder, id: Option<Uuid>, values: &Values, now: DateTime<Utc>) -> Result<Uuid, BinderError> {
    let base = match id {
        Some(id) => Some(b.get::<Task>(id).ok_or(BinderError::NotFound)?.data.clone()),
        None => None,
    };
    let task = read_task(values, base).map_err(BinderError::Invalid)?;
    match id {
        Some(id) => b.update(id, task, now).map(|()| id),
        None => b.add(task, Source::Patient, now),
    }
}

/// Ticks task `id` done on `today`, or opens it again.
pub fn tick_task(
    b: &mut Binder,
    id: Uuid,
    done: bool,
    today: PartialDate,
    now: DateTime<Utc>,
) -> Result<(), BinderError> {
    let task = b.get::<Task>(id).ok_or(BinderError::NotFound)?.data.clone();
    b.update(id, Task { done: done.then_some(today), ..task }, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Source, transition_checklist};

    fn date(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    #[test]
    fn open_tasks_come_first_by_due_date_and_ticking_moves_them_down() {
        let now: DateTime<Utc> = "2026-12-06T10:00:00Z".parse().unwrap();
        let mut b = Binder::new("Ada", now);
        for task in transition_checklist(
            date("2026-12-06"),
            date("2026-12-09"),
            date("2026-12-13"),
            &crate::printout::Wording::ENGLISH,
        ) {
            b.add(task, Source::Patient, now).unwrap();
        }
        let mut values = Values::new();
        crate::forms::set(&mut values, "title", "Book a blood test");
        let blood = save_task(&mut b, None, &values, now).unwrap();
        let titles = |b: &Binder, today| {
            task_rows(b, date(today)).into_iter().map(|r| (r.title, r.when, r.overdue)).collect::<Vec<_>>()
        };
        assert_eq!(
            titles(&b, "2026-12-10"),
            [
                ("Follow-up call".into(), "Due 9 December 2026".into(), true),
                ("Visit your primary care provider (or a home visit)".into(), "Due 13 December 2026".into(), false),
                ("Book a blood test".into(), String::new(), false),
                ("Medication reconciliation after leaving hospital".into(), "Done 6 December 2026".into(), false),
            ]
        );
        let call = task_rows(&b, date("2026-12-10"))[0].id;
        tick_task(&mut b, call, true, date("2026-12-10"), now).unwrap();
        let rows = task_rows(&b, date("2026-12-10"));
        assert_eq!(rows[2].title, "Follow-up call", "done tasks go below the open ones, newest first");
        assert!(rows[2].done && rows[3].done);

        // Editing keeps what the form does not show (its done date), and bad input changes nothing.
        crate::forms::set(&mut values, "due", "13 December 2026");
        save_task(&mut b, Some(blood), &values, now).unwrap();
        assert_eq!(b.get::<Task>(blood).unwrap().data.due, Some(date("2026-12-13")));
        crate::forms::set(&mut values, "due", "someday");
        let err = save_task(&mut b, Some(blood), &values, now).unwrap_err();
        assert!(matches!(err, BinderError::Invalid(ref e) if e[0].field == "due"));
        crate::forms::set(&mut values, "title", "  ");
        crate::forms::set(&mut values, "due", "");
        assert!(
            matches!(save_task(&mut b, None, &values, now), Err(BinderError::Invalid(ref e)) if e[0].field == "title")
        );
    }
}
