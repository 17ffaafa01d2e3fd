//! The patient's shares, from the records the vault keeps: what each contains, when it ends, who
//! opened it — and pause, re-arm or revoke it at once.

use health_binder_core::ips::SectionKind;
use health_binder_core::model::ShareRecord;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{RepliesPanel, ReplyList, ReplyPanel};
use crate::browser;
use crate::i18n::{t, t_text, tf, tn};
use crate::relay::{self, Control, ShareStatus};
use crate::session::SessionState;

#[component]
pub fn ShareList() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let panel = ReplyPanel::new();
    provide_context(panel);
    let shares = move || {
        let mut shares = session.binder.with(|b| b.as_ref().map(|b| b.shares.clone()).unwrap_or_default());
        shares.reverse();
        shares
    };
    view! {
        <Show when=move || !shares().is_empty()>
            <section aria-labelledby="shares-title" class="card">
                <h2 id="shares-title">{t("Your shares")}</h2>
                // Drawn once, above the list (which is redrawn whenever the binder changes): a reply
                // under review, a share just passed on, what the last check for replies found.
                <RepliesPanel panel=panel/>
                <ul class="shares">{move || shares().into_iter().map(|s| view! { <ShareItem share=s/> }).collect_view()}</ul>
            </section>
        </Show>
    }
}

fn describe(share: &ShareRecord) -> String {
    // The sections' names are the IPS's own labels, shown in the patient's language.
    let sections: Vec<String> = share
        .sections
        .iter()
        .filter_map(|code| SectionKind::from_loinc(code))
        .map(|kind| t_text(kind.label()))
        .collect();
    let mut parts = vec![if sections.is_empty() { t("Medications").to_owned() } else { sections.join(", ") }];
    if let Some(label) = &share.label {
        parts.push(format!("“{label}”"));
    }
    if share.passcode.is_some() {
        parts.push(t("passcode").into());
    }
    if let Some(max) = share.max_uses {
        parts.push(tn(max as u64, "at most {n} opening", "at most {n} openings"));
    }
    parts.join(" · ")
}

/// Why an opening was not served, if it was not.
fn outcome_text(outcome: Option<&str>) -> Option<&'static str> {
    match outcome {
        None | Some("served") => None,
        Some("wrong-passcode") => Some(t("(wrong passcode)")),
        Some(_) => Some(t("(refused: link not active)")),
    }
}

#[component]
fn ShareItem(share: ShareRecord) -> impl IntoView {
    let session = expect_context::<SessionState>();
    let status = RwSignal::new(None::<ShareStatus>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let live = share.is_live(browser::now());
    let ends = if share.revoked_at.is_some() {
        t("Revoked").to_owned()
    } else if live {
        tf("Works until {time}", &[("time", &browser::local_time(share.expires_at))])
    } else {
        tf("Expired {time}", &[("time", &browser::local_time(share.expires_at))])
    };
    let id = StoredValue::new((share.url.clone(), share.relay_id.clone(), share.management_secret.clone()));
    let reply_share = share.clone();

    let refresh = move || {
        let (url, id, secret) = id.get_value();
        spawn_local(async move {
            match relay::share_status(&url, &id, &secret).await {
                Ok(s) => {
                    status.set(Some(s));
                    problem.set(None);
                }
                Err(e) => problem.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let act = move |what: Control| {
        let (url, relay_id, secret) = id.get_value();
        busy.set(true);
        spawn_local(async move {
            match relay::control(&url, &relay_id, &secret, what).await {
                Ok(()) if what == Control::Revoke => {
                    let _ = session.change(|b| b.mark_share_revoked(&relay_id, browser::now()));
                    busy.set(false);
                }
                Ok(()) => refresh(),
                Err(e) => {
                    problem.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    let paused = move || status.with(|s| s.as_ref().is_some_and(|s| s.paused));

    view! {
        <li class="share-item">
            <p><strong>{tf("Shared {time}", &[("time", &browser::local_time(share.created_at))])}</strong>" · "{ends}</p>
            <p class="muted">{describe(&share)}</p>
            <div class="actions">
                <button type="button" on:click=move |_| { busy.set(true); refresh() } disabled=move || busy.get()>{t("Who opened it?")}</button>
                {live.then(|| view! {
                    <Show when=paused fallback=move || view! {
                        <button type="button" on:click=move |_| act(Control::Pause) disabled=move || busy.get()>{t("Pause")}</button>
                    }>
                        <button type="button" on:click=move |_| act(Control::Resume) disabled=move || busy.get()>{t("Re-arm")}</button>
                    </Show>
                    <button type="button" class="danger" on:click=move |_| act(Control::Revoke) disabled=move || busy.get()>{t("Revoke now")}</button>
                })}
            </div>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            <ReplyList share=reply_share/>
            {move || status.get().map(|s| {
                let opened = s.uses;
                view! {
                    <div role="status">
                        <p>
                            {s.paused.then(|| t("Paused: nobody can open it until you re-arm it."))}
                            {s.paused.then_some(" ")}
                            {match opened { 0 => t("Nobody has opened it yet.").to_owned(), 1 => t("Opened once.").to_owned(), n => tn(n as u64, "Opened {n} time.", "Opened {n} times.") }}
                            {s.remaining_attempts.map(|n| format!(" {}", tn(n as u64, "{n} wrong passcode attempt left.", "{n} wrong passcode attempts left.")))}
                        </p>
                        <ul class="access-log">
                            {s.access_log.into_iter().map(|a| view! {
                                <li>{browser::local_time(chrono::DateTime::from_timestamp(a.at, 0).unwrap_or_default())}" — "
                                    {a.recipient}{outcome_text(a.outcome.as_deref()).map(|why| format!(" {why}"))}</li>
                            }).collect_view()}
                        </ul>
                    </div>
                }
            })}
        </li>
    }
}
