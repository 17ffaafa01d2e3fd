//! The patient's review of a reply, and the rule that applies what they accepted.
//!
//! Medication orders go through reconciliation against the binder's active medications
//! ([`crate::reconcile::reconcile_orders`]): one row per current medication (continue, changed,
//! stop, or unclear) and one per order that pairs with none (new, or unclear), each with what it
//! would do to the binder. The patient or caregiver accepts or rejects each row; nothing is
//! changed before they do. Accepted rows update the binder and record where the line was checked:
//! "Verified on 6 December 2026 from a reply by Dr Grace Hopper, GP". Follow-ups become tasks
//! with a due date when their words give one, the visit note a note, and a discharge adds the care
//! transition checklist.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Reply, days_after, follow_up_due};
use crate::model::{
    AllergyState, Binder, BinderError, LocalDateTime, Medication, MedicationStatus, Note, PartialDate, Source, Task,
    Verification, transition_checklist,
};
use crate::msg;
use crate::printout::Wording;
use crate::reconcile::{Flag, LineResult, Said, Side, Status, current_line, reconcile_orders, stop_order};

/// What accepting a row does to the binder.
#[derive(Clone, Debug, PartialEq)]
pub enum Proposal {
    /// The same as the order: record that it was checked.
    Verify(Uuid),
    /// Take the order's strength, dose, schedule, route (and name, if it changed).
    Change(Uuid, Medication),
    /// Mark it stopped today.
    Stop(Uuid),
    /// Add it.
    Start(Medication),
    /// Nothing the binder can do: a person compares it by hand.
    Nothing,
}

/// One row of the reconciliation screen.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanRow {
    pub status: Status,
    /// The binder's medication and how the binder shows it ("Metformin 500 mg, 1 tablet, twice a
    /// day"), for the screen to write in the reader's words.
    pub current: Option<(Uuid, Said)>,
    /// The order as the clinician wrote it.
    pub order: Option<String>,
    pub flags: Vec<Flag>,
    /// What differs ("strength 500 mg → 1000 mg").
    pub changes: Vec<Said>,
    /// Why a flag or an unclear status was given.
    pub notes: Vec<Said>,
    pub proposal: Proposal,
    /// Whether the screen starts with it accepted: plain continue, change, stop and new lines;
    /// never a flagged or unclear one, which the patient must look at.
    pub suggested: bool,
}

impl PlanRow {
    /// What accepting it does, in the reader's words (the order as the clinician wrote it).
    pub fn action_text(&self, w: &Wording) -> String {
        let order = self.order.clone().unwrap_or_default();
        let said = match &self.proposal {
            Proposal::Verify(_) => Said::new(msg!("Keep taking it as it is")),
            Proposal::Change(..) => Said::new(msg!("Change to: {order}")).typed("order", order),
            Proposal::Stop(_) => Said::new(msg!("Stop taking it")),
            Proposal::Start(_) => Said::new(msg!("Start: {order}")).typed("order", order),
            Proposal::Nothing if self.status == Status::Continue => {
                Said::new(msg!("Not in the orders: stays as it is"))
            }
            Proposal::Nothing => Said::new(msg!("No change here: compare it by hand with the clinician")),
        };
        said.text(w)
    }

    /// What differs, in the reader's words, one after the other.
    pub fn changes_text(&self, w: &Wording) -> String {
        Said::joined(&self.changes, w, "; ")
    }

    /// Why it was flagged or is unclear, in the reader's words.
    pub fn notes_text(&self, w: &Wording) -> String {
        Said::joined(&self.notes, w, " ")
    }

    /// Whether there is anything to accept.
    pub fn acceptable(&self) -> bool {
        self.proposal != Proposal::Nothing
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FollowUp {
    pub text: String,
    pub due: Option<PartialDate>,
}

/// Everything a reply proposes, for the patient to accept line by line.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    pub medications: Vec<PlanRow>,
    /// The orders were the whole list from now on (else: changes only).
    pub complete_list: bool,
    pub follow_ups: Vec<FollowUp>,
    pub note: Option<String>,
    /// A discharge: the care transition checklist is offered.
    pub discharge: bool,
}

/// What the patient accepted: one flag per medication row and per follow-up, the note, and
/// whether to add the care transition checklist.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Choices {
    pub medications: Vec<bool>,
    pub follow_ups: Vec<bool>,
    pub note: bool,
    pub checklist: bool,
}

/// What was done, for the message after saving.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub verified: usize,
    pub changed: usize,
    pub stopped: usize,
    pub started: usize,
    pub tasks: usize,
    pub notes: usize,
}

impl Applied {
    /// The message after saving, in the reader's words: "Saved: 1 medication started, 4 tasks
    /// added.". Each count has its sentence for one and for more, the reader's language choosing.
    pub fn text(&self, w: &Wording) -> String {
        let counts = [
            (self.started, msg!("{n} medication started"), msg!("{n} medications started")),
            (self.changed, msg!("{n} medication changed"), msg!("{n} medications changed")),
            (self.stopped, msg!("{n} medication stopped"), msg!("{n} medications stopped")),
            (self.verified, msg!("{n} medication checked"), msg!("{n} medications checked")),
            (self.tasks, msg!("{n} task added"), msg!("{n} tasks added")),
            (self.notes, msg!("{n} note added"), msg!("{n} notes added")),
        ];
        let parts: Vec<Said> = counts
            .into_iter()
            .filter(|(n, ..)| *n > 0)
            .map(|(n, one, other)| Said::counted(n as u64, one, other))
            .collect();
        if parts.is_empty() {
            (w.text)(msg!("Nothing was changed."))
        } else {
            crate::i18n::fill(&(w.text)(msg!("Saved: {list}.")), &[("list", &Said::joined(&parts, w, ", "))])
        }
    }
}

/// How the binder shows a medication in the review: "Metformin 500 mg, 1 tablet, twice a day",
/// how often in the reader's words.
fn shown(med: &Medication) -> Said {
    let name = [med.name.as_str(), med.strength.as_str()].join(" ").trim().to_owned();
    let dose = med.dose_text();
    // Only placeholders and commas: every language the app has lists the parts so.
    let said = match (name.is_empty(), dose.is_empty()) {
        (false, false) => Said::new("{name}, {dose}, {how_often}").typed("name", name).typed("dose", dose),
        (false, true) => Said::new("{name}, {how_often}").typed("name", name),
        (true, false) => Said::new("{dose}, {how_often}").typed("dose", dose),
        (true, true) => Said::new("{how_often}"),
    };
    said.part("how_often", med.frequency.said())
}

/// The review of `reply` against `binder`, as of `now` on the patient's clock.
pub fn review(binder: &Binder, reply: &Reply, now: LocalDateTime) -> Review {
    Review {
        medications: if reply.orders.is_empty() { Vec::new() } else { plan_medications(binder, reply) },
        complete_list: reply.complete_list,
        follow_ups: reply
            .follow_ups
            .iter()
            .map(|text| FollowUp { text: text.clone(), due: follow_up_due(text, now) })
            .collect(),
        note: Some(reply.note.clone()).filter(|n| !n.is_empty()),
        discharge: reply.discharge,
    }
}

fn plan_medications(binder: &Binder, reply: &Reply) -> Vec<PlanRow> {
    let active: Vec<(Uuid, &Medication)> =
        binder.medications.iter().filter(|e| e.data.status.is_active()).map(|e| (e.id(), &e.data)).collect();
    let lines: Vec<String> = active.iter().map(|(_, m)| current_line(m)).collect();
    let allergies: Vec<&str> = match binder.allergy_state() {
        AllergyState::Listed(_) => binder.allergies.iter().map(|a| a.data.substance.as_str()).collect(),
        _ => Vec::new(),
    };
    let current: Vec<&str> = lines.iter().map(String::as_str).collect();
    let orders: Vec<&str> = reply.orders.iter().map(String::as_str).collect();
    let results = reconcile_orders(&current, &orders, reply.complete_list, &allergies);

    let mut rows = Vec::new();
    let mut paired = vec![false; results.len()];
    // The current list first, each with the order it was paired with.
    for (i, (id, med)) in active.iter().enumerate() {
        let mine = &results[i];
        let other = mine.counterpart.map(|n| &results[n]);
        if let Some(n) = mine.counterpart {
            paired[n] = true;
        }
        let proposal = match (mine.status, other) {
            // Paired with an order that says the same: checked. (Unpaired, it was only not
            // mentioned in a list of changes: nobody checked it.)
            (Status::Continue, Some(_)) => Proposal::Verify(*id),
            (Status::Changed, Some(order)) => Proposal::Change(*id, changed(med, order)),
            (Status::Stop, _) => Proposal::Stop(*id),
            _ => Proposal::Nothing,
        };
        rows.push(row(mine, other, Some((*id, shown(med))), proposal));
    }
    // Then the orders that pair with nothing on the list.
    for (n, result) in results.iter().enumerate().skip(active.len()) {
        if paired[n] || result.side != Side::New {
            continue;
        }
        let proposal = match result.status {
            Status::New => Proposal::Start(started(result)),
            // A drug the table does not know may still be started as written, if the patient
            // checks it; a stop order that names nothing on the list has nothing to do.
            Status::Unclear if !result.read.name.is_empty() && stop_order(&result.line).is_none() => {
                Proposal::Start(started(result))
            }
            _ => Proposal::Nothing,
        };
        rows.push(row(result, None, None, proposal));
    }
    rows
}

fn row(mine: &LineResult, other: Option<&LineResult>, current: Option<(Uuid, Said)>, proposal: Proposal) -> PlanRow {
    let mut flags = mine.flags.clone();
    let mut notes = mine.notes.clone();
    if let Some(other) = other {
        for flag in &other.flags {
            if !flags.contains(flag) {
                flags.push(*flag);
            }
        }
        for note in &other.notes {
            if !notes.contains(note) {
                notes.push(note.clone());
            }
        }
    }
    let order = match (mine.side, other) {
        (Side::New, _) => Some(mine.line.clone()),
        (Side::Current, Some(order)) => Some(order.line.clone()),
        (Side::Current, None) => None,
    };
    let suggested = proposal != Proposal::Nothing && mine.status != Status::Unclear && flags.is_empty();
    PlanRow { status: mine.status, current, order, flags, changes: mine.changes.clone(), notes, proposal, suggested }
}

/// The binder's medication as the order has it: its strength, amount, schedule, route and form
/// where the order says them, the order's name, and the order itself as the directions. What the
/// order does not say (why it is taken, the prescriber, the kind) stays.
fn changed(med: &Medication, order: &LineResult) -> Medication {
    let ordered = order.read.to_medication();
    let mut next = med.clone();
    if !ordered.name.is_empty() && ordered.name.to_lowercase() != med.name.to_lowercase() {
        next.name = ordered.name;
        // A code names the old product, not necessarily the new one.
        next.rxnorm = None;
    }
    if !ordered.strength.is_empty() {
        next.strength = ordered.strength;
    }
    if ordered.dose.is_some() {
        next.dose = ordered.dose;
    }
    if order.read.schedule.is_some() || order.read.as_needed {
        next.frequency = ordered.frequency;
    }
    if !ordered.route.is_empty() {
        next.route = ordered.route;
    }
    if !ordered.form.is_empty() {
        next.form = ordered.form;
    }
    next.instructions = order.line.clone();
    next
}

fn started(order: &LineResult) -> Medication {
    Medication { instructions: order.line.clone(), ..order.read.to_medication() }
}

/// Applies what the patient accepted, all or nothing: a change the binder refuses leaves it as it
/// was and says which. `now` is the time of saving; `local` the same instant on the patient's
/// clock (for "today" and the due dates). The sentences it stores (a stop reason, a task's note,
/// the visit note's heading, the checklist) are written in `w`, the reader's language at that
/// moment, and stay so: they are the binder's text from then on, as the patient's own would be.
pub fn apply(
    binder: &mut Binder,
    reply: &Reply,
    review: &Review,
    choices: &Choices,
    now: DateTime<Utc>,
    local: LocalDateTime,
    w: &Wording,
) -> Result<Applied, BinderError> {
    let by = |template: &'static str| Said::new(template).typed("name", &reply.from);
    let today = local.date().unwrap_or_else(|| PartialDate::from_utc(now));
    let verified = Some(Verification { on: today, by: String::new(), from: format!("a reply by {}", reply.from) });
    let clinician = Source::Clinician { name: reply.from.clone() };
    let accepted = |list: &[bool], i: usize| list.get(i).copied().unwrap_or(false);
    let mut next = binder.clone();
    let mut applied = Applied::default();

    for (i, row) in review.medications.iter().enumerate() {
        if !accepted(&choices.medications, i) {
            continue;
        }
        let existing = |id: Uuid| next.get::<Medication>(id).map(|e| e.data.clone()).ok_or(BinderError::NotFound);
        match &row.proposal {
            Proposal::Verify(id) => {
                let med = Medication { verified: verified.clone(), ..existing(*id)? };
                next.update(*id, med, now)?;
                applied.verified += 1;
            }
            Proposal::Change(id, med) => {
                existing(*id)?;
                next.update(*id, Medication { verified: verified.clone(), ..med.clone() }, now)?;
                applied.changed += 1;
            }
            Proposal::Stop(id) => {
                let med = Medication {
                    status: MedicationStatus::Stopped { reason: by(msg!("Stopped in a reply by {name}")).text(w) },
                    stopped: Some(today),
                    verified: verified.clone(),
                    ..existing(*id)?
                };
                next.update(*id, med, now)?;
                applied.stopped += 1;
            }
            Proposal::Start(med) => {
                next.add(Medication { verified: verified.clone(), ..med.clone() }, clinician.clone(), now)?;
                applied.started += 1;
            }
            Proposal::Nothing => {}
        }
    }
    for (i, follow_up) in review.follow_ups.iter().enumerate() {
        if accepted(&choices.follow_ups, i) {
            let task = Task {
                title: follow_up.text.clone(),
                due: follow_up.due,
                done: None,
                note: by(msg!("Asked for in a reply by {name}.")).text(w),
            };
            next.add(task, clinician.clone(), now)?;
            applied.tasks += 1;
        }
    }
    if let Some(note) = review.note.as_ref().filter(|_| choices.note) {
        let text = by(msg!("Visit note from {name}: {note}")).typed("note", note).text(w);
        let note = Note { at: local, text, severity: None };
        next.add(note, clinician.clone(), now)?;
        applied.notes += 1;
    }
    if choices.checklist {
        let (in_3, in_7) = (days_after(local, 3).unwrap_or(today), days_after(local, 7).unwrap_or(today));
        for task in transition_checklist(today, in_3, in_7, w) {
            next.add(task, Source::Patient, now)?;
            applied.tasks += 1;
        }
    }
    *binder = next;
    Ok(applied)
}

impl Review {
    /// The choices the screen starts with: the suggested medication rows, every follow-up and
    /// the note, and the checklist for a discharge.
    pub fn suggested(&self) -> Choices {
        Choices {
            medications: self.medications.iter().map(|r| r.suggested).collect(),
            follow_ups: vec![true; self.follow_ups.len()],
            note: self.note.is_some(),
            checklist: self.discharge,
        }
    }
}
