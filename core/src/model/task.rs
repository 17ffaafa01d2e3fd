//! Tasks: what the patient has to do by a date — a follow-up a clinician asked for ("see PCP
//! within 7 days"), or a step of the care transition checklist made when a discharge
//! reconciliation is done. Shown as open tasks with their due dates until ticked. Schema 4.

use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::dates::PartialDate;
use super::validate::{LONG, Problems, SHORT, trim};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// What to do: "Follow-up call from the ward or your GP's practice".
    pub title: String,
    #[serde(default)]
    pub due: Option<PartialDate>,
    /// When it was ticked; `None` while open.
    #[serde(default)]
    pub done: Option<PartialDate>,
    #[serde(default)]
    pub note: String,
}

impl Task {
    pub fn validated(mut self) -> Result<Self, Vec<ValidationError>> {
        trim(&mut [&mut self.title, &mut self.note]);
        let mut problems = Problems::default();
        problems.require("title", &self.title, crate::msg!("Say what is to be done."));
        problems.limit("title", &self.title, SHORT);
        problems.limit("note", &self.note, LONG);
        problems.finish(self)
    }

    pub fn is_open(&self) -> bool {
        self.done.is_none()
    }

    /// "Due 13 December 2026", "Done 9 December 2026", or "" for an open task without a date.
    pub fn when_text(&self) -> String {
        self.when_text_in(&crate::printout::Wording::ENGLISH)
    }

    /// The same in the reader's words and date format.
    pub fn when_text_in(&self, w: &crate::printout::Wording) -> String {
        let (template, date) = match (self.done, self.due) {
            (Some(done), _) => (crate::msg!("Done {date}"), done),
            (None, Some(due)) => (crate::msg!("Due {date}"), due),
            (None, None) => return String::new(),
        };
        crate::said::Said::new(template).typed("date", (w.date)(date)).text(w)
    }
}

/// The care transition checklist's three steps, as made when a discharge reconciliation is done
/// on `today`: the reconciliation itself (done), a follow-up call within 3 days, and a visit to
/// the primary care provider (or a home visit) within 7 days — both dates editable afterwards.
/// Written in the reader's language of that moment (`w`): they become the patient's own tasks,
/// kept as text like the ones they type.
pub fn transition_checklist(
    today: PartialDate,
    in_3_days: PartialDate,
    in_7_days: PartialDate,
    w: &crate::printout::Wording,
) -> [Task; 3] {
    use crate::msg;
    [
        Task {
            title: (w.text)(msg!("Medication reconciliation after leaving hospital")),
            due: Some(today),
            done: Some(today),
            note: (w.text)(msg!("Your list was compared with the discharge orders.")),
        },
        Task {
            title: (w.text)(msg!("Follow-up call")),
            due: Some(in_3_days),
            done: None,
            note: (w.text)(msg!(
                "A call from the hospital or your primary care practice, within 3 days of leaving hospital. If nobody has called, call them."
            )),
        },
        Task {
            title: (w.text)(msg!("Visit your primary care provider (or a home visit)")),
            due: Some(in_7_days),
            done: None,
            note: (w.text)(msg!("Within 7 days of leaving hospital. Bring your updated medication list.")),
        },
    ]
}
