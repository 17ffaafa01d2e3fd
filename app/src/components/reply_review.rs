//! The review of a clinician's reply, before anything changes in the binder: the medication
//! reconciliation (the binder's list against the new orders, line by line: continue, changed,
//! stop, new, unclear, with duplicate and allergy flags), the follow-ups, the visit note, the care
//! transition checklist for a discharge, and an attached FHIR file through the import review.
//! Each line is accepted or rejected by the patient or caregiver; the rule that applies them is
//! `core::reply::review`.

use health_binder_core::ips::import::{ImportPlan, plan_file};
use health_binder_core::reconcile::{Flag, Status};
use health_binder_core::reply::Reply;
use health_binder_core::reply::review::{Choices, PlanRow, Review, apply, review};
use leptos::prelude::*;

use super::ImportReview;
use crate::browser;
use crate::emergency_card::{WORDING, date_text};
use crate::i18n::{t, t_text, tf};
use crate::session::SessionState;

fn flag_text(flag: Flag) -> &'static str {
    match flag {
        Flag::Duplicate => t("Duplicate"),
        Flag::Allergy => t("Allergy"),
        Flag::Misspelled => t("Spelling"),
    }
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Continue => "recon continue",
        Status::Changed => "recon changed",
        Status::Stop => "recon stop",
        Status::New => "recon new",
        Status::Unclear => "recon unclear",
    }
}

/// One reconciliation row: what the binder has, what the order says, what accepting does.
fn row_view(i: usize, row: PlanRow, accepted: RwSignal<Vec<bool>>) -> impl IntoView {
    let check_id = format!("recon-{i}");
    let what =
        row.current.as_ref().map(|(_, shown)| shown.text(&WORDING)).or_else(|| row.order.clone()).unwrap_or_default();
    let order = row.order.clone().filter(|_| row.current.is_some());
    let acceptable = row.acceptable();
    view! {
        <li class=status_class(row.status)>
            <p class="recon-head">
                <span class="badge">{t_text(row.status.label())}</span>
                {row.flags.iter().map(|f| view! { <span class="badge warning">{flag_text(*f)}</span> }).collect_view()}
            </p>
            <p><strong>{what}</strong></p>
            {order.map(|o| view! { <p>{tf("New order: {order}", &[("order", &o)])}</p> })}
            {(!row.changes.is_empty()).then(|| view! { <p class="muted">{row.changes_text(&WORDING)}</p> })}
            {(!row.notes.is_empty()).then(|| view! { <p class="hint">{row.notes_text(&WORDING)}</p> })}
            {if acceptable {
                view! {
                    <label class="inline">
                        <input id=check_id type="checkbox" prop:checked=move || accepted.with(|a| a.get(i).copied().unwrap_or(false))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                accepted.update(|a| if let Some(v) = a.get_mut(i) { *v = on });
                            }/>
                        " " {tf("Accept: {action}", &[("action", &row.action_text(&WORDING))])}
                    </label>
                }.into_any()
            } else {
                view! { <p class="muted">{row.action_text(&WORDING)}</p> }.into_any()
            }}
        </li>
    }
}

#[component]
pub fn ReplyReview(share: String, reply: String, on_close: Callback<()>) -> impl IntoView {
    let session = expect_context::<SessionState>();
    let found: Option<(Reply, Review, bool)> = session.binder.with_untracked(|b| {
        let b = b.as_ref()?;
        let kept = b.shares.iter().find(|s| s.relay_id == share)?.replies.iter().find(|r| r.relay_id == reply)?;
        Some((kept.content.clone(), review(b, &kept.content, browser::local_now()), kept.reviewed_at.is_some()))
    });
    let Some((content, plan, reviewed)) = found else {
        return view! { <p class="error" role="alert">{t("That reply is no longer in the binder.")}</p> }.into_any();
    };
    let Choices { medications, follow_ups, note, checklist } = plan.suggested();
    let accepted = RwSignal::new(medications);
    let follow_ups = RwSignal::new(follow_ups);
    let take_note = RwSignal::new(note);
    let checklist = RwSignal::new(checklist);
    let saved = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let bundle_plan = RwSignal::new(None::<ImportPlan>);
    let bundle_done = RwSignal::new(None::<String>);
    let reply_data = StoredValue::new((content.clone(), plan.clone()));

    let save = move |_| {
        let choices = Choices {
            medications: accepted.get_untracked(),
            follow_ups: follow_ups.get_untracked(),
            note: take_note.get_untracked(),
            checklist: checklist.get_untracked(),
        };
        let (share, reply) = (share.clone(), reply.clone());
        let outcome = reply_data.with_value(|(content, plan)| {
            session.change(|b| {
                let applied = apply(b, content, plan, &choices, browser::now(), browser::local_now(), &WORDING)?;
                b.mark_reply_reviewed(&share, &reply, browser::now())?;
                Ok(applied)
            })
        });
        match outcome {
            Ok(applied) => saved.set(Some(applied.text(&WORDING))),
            Err(e) => problem.set(Some(tf("Nothing was saved: {why}", &[("why", &t_text(&e.to_string()))]))),
        }
    };
    let read_bundle = move |_| {
        let outcome = reply_data.with_value(|(content, _)| {
            let text = content.bundle.clone().unwrap_or_default();
            let origin = tf("a reply by {name}", &[("name", &content.from)]);
            session.binder.with_untracked(|b| {
                let b = b.as_ref().ok_or(t("The binder is locked.").to_owned())?;
                plan_file(text.as_bytes(), &origin, b).map_err(|e| t_text(&e.to_string()))
            })
        });
        match outcome {
            Ok(p) => bundle_plan.set(Some(p)),
            Err(e) => problem.set(Some(e)),
        }
    };
    let bundle_finished = Callback::new(move |outcome: Result<String, String>| {
        bundle_plan.set(None);
        match outcome {
            Ok(message) => bundle_done.set(Some(message)),
            Err(e) => problem.set(Some(e)),
        }
    });

    let rows = plan.medications.clone();
    let has_rows = !rows.is_empty();
    let follow_up_items = plan.follow_ups.clone();
    let bundle_name =
        content.bundle.as_ref().map(|_| content.bundle_name.clone().unwrap_or_else(|| t("a FHIR file").into()));
    view! {
        <section class="card reply-review" aria-labelledby="reply-review-title">
            <h3 id="reply-review-title">{tf("Review the reply from {name}", &[("name", &content.from)])}</h3>
            <p class="warning">{t("Not verified: anyone who had the link could have sent this. Nothing changes in your binder until you accept it, line by line. If something looks wrong, ask your clinician.")}</p>
            {reviewed.then(|| view! { <p class="muted">{t("You reviewed this reply before; accepting a line again records it again.")}</p> })}
            {plan.note.clone().map(|n| view! {
                <h4>{t("Visit note")}</h4>
                <p class="visit-note">{n}</p>
                <label class="inline"><input type="checkbox" bind:checked=take_note/>" " {t("Keep it in my notes")}</label>
            })}
            {has_rows.then(|| view! {
                <h4>{t("Medication reconciliation")}</h4>
                <p class="muted">{if plan.complete_list {
                    t("The new orders are the whole list from now on: a medication they leave out is to stop.")
                } else {
                    t("The new orders are changes only: what they do not mention stays as it is.")
                }}</p>
                <ul class="reconciliation">
                    {rows.into_iter().enumerate().map(|(i, row)| row_view(i, row, accepted)).collect_view()}
                </ul>
            })}
            {(!follow_up_items.is_empty()).then(|| view! {
                <h4>{t("Follow-ups")}</h4>
                <ul class="follow-ups">
                    {follow_up_items.into_iter().enumerate().map(|(i, f)| {
                        let id = format!("follow-up-{i}");
                        view! {
                            <li>
                                <label class="inline">
                                    <input id=id type="checkbox" prop:checked=move || follow_ups.with(|a| a.get(i).copied().unwrap_or(false))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            follow_ups.update(|a| if let Some(v) = a.get_mut(i) { *v = on });
                                        }/>
                                    " " {match f.due {
                                        Some(d) => tf("Add to my tasks: {task} (due {date})", &[("task", &f.text), ("date", &date_text(d))]),
                                        None => tf("Add to my tasks: {task}", &[("task", &f.text)]),
                                    }}
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {plan.discharge.then(|| view! {
                <label class="inline"><input type="checkbox" bind:checked=checklist/>
                    " " {t("Add the checklist for leaving hospital: a follow-up call within 3 days, a visit to my primary care provider (or a home visit) within 7 days")}</label>
            })}
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {move || match saved.get() {
                None => view! {
                    <div class="actions">
                        <button type="button" class="primary" on:click=save.clone()>{t("Save what I accepted")}</button>
                        <button type="button" on:click=move |_| on_close.run(())>{t("Not now")}</button>
                    </div>
                }.into_any(),
                Some(message) => view! {
                    <p class="success" role="status">{message}</p>
                    <div class="actions"><button type="button" on:click=move |_| on_close.run(())>{t("Close")}</button></div>
                }.into_any(),
            }}
            {bundle_name.map(|name| view! {
                <h4>{t("Attached file")}</h4>
                <p>{tf("{name} — a FHIR file: review its lines before anything is added.", &[("name", &name)])}</p>
                <div class="actions"><button type="button" on:click=read_bundle>{t("Review the attached file")}</button></div>
                {move || bundle_done.get().map(|m| view! { <p class="success" role="status">{m}</p> })}
                {move || bundle_plan.get().map(|p| view! {
                    <ImportReview plan=p on_done=bundle_finished on_cancel=Callback::new(move |()| bundle_plan.set(None))/>
                })}
            })}
        </section>
    }
    .into_any()
}
