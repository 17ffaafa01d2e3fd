//! The patient's review of a clinician's reply: the reconciliation rows against the binder, and
//! the rule that applies the accepted ones (and nothing else) with where they came from.

use chrono::{DateTime, Utc};
use health_binder_core::Binder;
use health_binder_core::model::{
    Allergy, BinderError, Frequency, LocalDateTime, Medication, MedicationKind, MedicationStatus, PeriodUnit, Quantity,
    Source,
};
use health_binder_core::printout::Wording;
use health_binder_core::reconcile::{Flag, Status};
use health_binder_core::reply::Reply;
use health_binder_core::reply::review::{Choices, Proposal, apply, review};

fn now() -> DateTime<Utc> {
    "2026-12-06T15:00:00Z".parse().unwrap()
}

/// The same instant on a clock in Paris (UTC+1).
fn local() -> LocalDateTime {
    LocalDateTime::from_utc(now(), 60)
}

fn med(name: &str, strength: &str, times: u32, kind: MedicationKind) -> Medication {
    Medication {
        name: name.into(),
        strength: strength.into(),
        dose: Some(Quantity { value: 1.0, unit: "tablet".into() }),
        frequency: Frequency::Scheduled { times, every: 1, unit: PeriodUnit::Day },
        kind,
        reason: format!("{name} reason"),
        ..Medication::default()
    }
}

fn binder() -> Binder {
    let mut b = Binder::new("Ada Lovelace", now());
    b.add_medication(med("Metformin", "500 mg", 2, MedicationKind::Prescription), now()).unwrap();
    b.add_medication(med("Simvastatin", "20 mg", 1, MedicationKind::Prescription), now()).unwrap();
    b.add_medication(med("Aspirin", "81 mg", 1, MedicationKind::OverTheCounter), now()).unwrap();
    b.add(Allergy { substance: "Penicillin".into(), ..Allergy::default() }, Source::Patient, now()).unwrap();
    b
}

fn discharge_reply() -> Reply {
    Reply {
        from: "Dr Grace Hopper, GP".into(),
        written_at: now(),
        orders: vec![
            "Metformin 1000 mg BID".into(),
            "Aspirin 81 mg daily".into(),
            "Atorvastatin 40 mg daily".into(),
            "Amoxicillin 500 mg TID".into(),
            "Zorblaxin 10 mg daily".into(),
        ],
        complete_list: true,
        follow_ups: vec!["See PCP within 7 days".into()],
        note: "Admitted with chest pain; ruled out MI.".into(),
        discharge: true,
        ..Reply::default()
    }
}

#[test]
fn a_discharge_list_comes_out_as_one_row_per_decision() {
    let b = binder();
    let review = review(&b, &discharge_reply(), local());
    let rows: Vec<(Status, Option<&str>, &[Flag], bool)> =
        review.medications.iter().map(|r| (r.status, r.order.as_deref(), r.flags.as_slice(), r.suggested)).collect();
    assert_eq!(
        rows,
        [
            (Status::Changed, Some("Metformin 1000 mg BID"), &[][..], true),
            (Status::Stop, None, &[][..], true),
            (Status::Continue, Some("Aspirin 81 mg daily"), &[][..], true),
            (Status::New, Some("Atorvastatin 40 mg daily"), &[][..], true),
            // Against the penicillin allergy: shown, never ticked for the patient.
            (Status::New, Some("Amoxicillin 500 mg TID"), &[Flag::Allergy][..], false),
            // Not in the drug table: may be added as written, only if the patient ticks it.
            (Status::Unclear, Some("Zorblaxin 10 mg daily"), &[][..], false),
        ]
    );
    assert_eq!(review.medications[0].current.as_ref().unwrap().1.english(), "Metformin 500 mg, 1 tablet, twice a day");
    assert!(review.medications[0].changes[0].to_string().contains("strength 500 mg \u{2192} 1000 mg"));
    assert_eq!(review.medications[1].action_text(&Wording::ENGLISH), "Stop taking it");
    assert!(
        review.medications[4].notes.iter().any(|n| n.to_string().contains("penicillin")),
        "{:?}",
        review.medications[4]
    );
    assert_eq!(review.follow_ups[0].due.unwrap().to_string(), "2026-12-13");
    assert!(review.discharge);
}

#[test]
fn accepted_lines_change_the_binder_with_their_source_and_rejected_ones_do_not() {
    let mut b = binder();
    let reply = discharge_reply();
    let review = review(&b, &reply, local());
    let mut choices = review.suggested();
    assert_eq!(choices.medications, [true, true, true, true, false, false]);
    choices.medications[3] = false; // the patient rejects the atorvastatin line
    choices.medications[5] = true; // and accepts the unknown drug as written
    let applied = apply(&mut b, &reply, &review, &choices, now(), local(), &Wording::ENGLISH).unwrap();
    assert_eq!(
        applied.text(&Wording::ENGLISH),
        "Saved: 1 medication started, 1 medication changed, 1 medication stopped, 1 medication checked, 4 tasks added, \
         1 note added."
    );

    let find = |name: &str| b.medications.iter().find(|e| e.data.name.starts_with(name)).unwrap();
    let verified = "Verified on 6 December 2026 from a reply by Dr Grace Hopper, GP";
    let metformin = find("Metformin");
    assert_eq!(
        (metformin.data.strength.as_str(), metformin.data.instructions.as_str()),
        ("1000 mg", "Metformin 1000 mg BID")
    );
    assert_eq!(metformin.data.reason, "Metformin reason", "what the order does not say stays");
    assert_eq!(metformin.data.verified.as_ref().unwrap().text(), verified);
    let statin = find("Simvastatin");
    assert!(
        matches!(statin.data.status, MedicationStatus::Stopped { ref reason } if reason.contains("Dr Grace Hopper"))
    );
    assert_eq!(statin.data.stopped.unwrap().to_string(), "2026-12-06");
    assert_eq!(find("Aspirin").data.verified.as_ref().unwrap().text(), verified);
    assert!(
        b.medications
            .iter()
            .all(|e| !e.data.name.starts_with("Atorvastatin") && !e.data.name.starts_with("Amoxicillin"))
    );
    let added = find("Zorblaxin");
    assert_eq!(added.meta.source, Source::Clinician { name: "Dr Grace Hopper, GP".into() });
    assert_eq!(b.source_text(added.id()).unwrap(), "From Dr Grace Hopper, GP, 6 December 2026");
    assert_eq!(added.data.instructions, "Zorblaxin 10 mg daily");

    // The follow-up and the care transition checklist, with their due dates.
    let tasks: Vec<(String, String)> = b.tasks.iter().map(|t| (t.data.title.clone(), t.data.when_text())).collect();
    assert_eq!(
        tasks,
        [
            ("See PCP within 7 days".into(), "Due 13 December 2026".into()),
            ("Medication reconciliation after leaving hospital".into(), "Done 6 December 2026".into()),
            ("Follow-up call".into(), "Due 9 December 2026".into()),
            ("Visit your primary care provider (or a home visit)".into(), "Due 13 December 2026".into()),
        ]
    );
    assert_eq!(b.notes[0].data.text, "Visit note from Dr Grace Hopper, GP: Admitted with chest pain; ruled out MI.");
}

#[test]
fn nothing_accepted_changes_nothing() {
    let mut b = binder();
    let before = b.clone();
    let reply = discharge_reply();
    let review = review(&b, &reply, local());
    let applied = apply(&mut b, &reply, &review, &Choices::default(), now(), local(), &Wording::ENGLISH).unwrap();
    assert_eq!(applied.text(&Wording::ENGLISH), "Nothing was changed.");
    assert_eq!(b, before);
}

#[test]
fn a_change_the_binder_refuses_leaves_it_as_it_was() {
    let mut b = binder();
    let reply = discharge_reply();
    let review = review(&b, &reply, local());
    // The metformin entry is deleted on the device while the review is open.
    let metformin = b.medications[0].id();
    b.delete_medication(metformin, now()).unwrap();
    let before = b.clone();
    let result = apply(&mut b, &reply, &review, &review.suggested(), now(), local(), &Wording::ENGLISH);
    assert_eq!(result, Err(BinderError::NotFound));
    assert_eq!(b, before, "all or nothing: not even the lines before the failing one");
}

#[test]
fn changes_only_leave_the_unmentioned_medications_unchecked() {
    let b = binder();
    let reply = Reply {
        from: "Dr Grace Hopper, GP".into(),
        written_at: now(),
        orders: vec!["Stop simvastatin".into()],
        complete_list: false,
        ..Reply::default()
    };
    let review = review(&b, &reply, local());
    let proposals: Vec<&Proposal> = review.medications.iter().map(|r| &r.proposal).collect();
    let ids: Vec<_> = b.medications.iter().map(|e| e.id()).collect();
    assert_eq!(proposals, [&Proposal::Nothing, &Proposal::Stop(ids[1]), &Proposal::Nothing]);
    assert_eq!(review.medications[0].action_text(&Wording::ENGLISH), "Not in the orders: stays as it is");
    assert_eq!(review.suggested().medications, [false, true, false]);
    assert!(!review.discharge && !review.suggested().checklist);
}

#[test]
fn a_patient_reading_spanish_sees_the_review_and_stores_what_they_accept_in_spanish() {
    let catalogue = health_binder_core::i18n::Catalogue::parse(include_str!("../../locales/es.txt")).unwrap();
    let text = |t: &str| catalogue.get(t).to_owned();
    let date = |d: health_binder_core::model::PartialDate| d.text();
    let plural = |n| health_binder_core::i18n::plural("es", n);
    let es = Wording { text: &text, date: &date, plural: &plural };
    let mut b = binder();
    let reply = discharge_reply();
    let review = review(&b, &reply, local());
    // The binder's line, how often in Spanish; the patient's words as typed.
    assert_eq!(
        review.medications[0].current.as_ref().unwrap().1.text(&es),
        "Metformin 500 mg, 1 tablet, dos veces al día"
    );
    let mut choices = review.suggested();
    choices.medications = vec![true; review.medications.len()];
    let applied = apply(&mut b, &reply, &review, &choices, now(), local(), &es).unwrap();
    // One and more than one, each in its own Spanish form.
    let saved = applied.text(&es);
    assert!(
        saved.starts_with("Guardado: 3 medicamentos iniciados, 1 medicamento cambiado, 1 medicamento suspendido"),
        "{saved}"
    );
    let stopped = b.medications.iter().find(|e| e.data.name.starts_with("Simvastatin")).unwrap();
    assert!(
        format!("{:?}", stopped.data.status).contains("Suspendido en una respuesta de Dr Grace Hopper, GP"),
        "{:?}",
        stopped.data.status
    );
    assert!(b.notes.iter().any(|n| n.data.text.starts_with("Nota de la consulta de Dr Grace Hopper, GP: ")));
    assert!(b.tasks.iter().any(|t| t.data.title == "Llamada de seguimiento"));
}
