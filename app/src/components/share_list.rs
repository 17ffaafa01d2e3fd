//! The patient's shares, from the records the vault keeps: when each expires, who opened it, and
//! a way to revoke it at once.

use health_binder_core::model::ShareRecord;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;
use crate::relay::{self, ShareStatus};
use crate::session::SessionState;

#[component]
pub fn ShareList() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let shares = move || {
        let mut shares = session.binder.with(|b| b.as_ref().map(|b| b.shares.clone()).unwrap_or_default());
        shares.reverse();
        shares
    };
    view! {
        <Show when=move || !shares().is_empty()>
            <section aria-labelledby="shares-title" class="card">
                <h2 id="shares-title">"Your shares"</h2>
                <ul class="shares">{move || shares().into_iter().map(|s| view! { <ShareItem share=s/> }).collect_view()}</ul>
            </section>
        </Show>
    }
}

#[component]
fn ShareItem(share: ShareRecord) -> impl IntoView {
    let session = expect_context::<SessionState>();
    let status = RwSignal::new(None::<ShareStatus>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let live = share.is_live(browser::now());
    let state = if share.revoked_at.is_some() {
        "Revoked".to_owned()
    } else if live {
        format!("Works until {}", browser::local_time(share.expires_at))
    } else {
        format!("Expired {}", browser::local_time(share.expires_at))
    };
    let (id, secret) = (share.relay_id.clone(), share.management_secret.clone());

    let check = {
        let (id, secret) = (id.clone(), secret.clone());
        move |_| {
            let (id, secret) = (id.clone(), secret.clone());
            busy.set(true);
            spawn_local(async move {
                match relay::share_status(&id, &secret).await {
                    Ok(s) => {
                        status.set(Some(s));
                        problem.set(None);
                    }
                    Err(e) => problem.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let revoke = move |_| {
        let (id, secret) = (id.clone(), secret.clone());
        busy.set(true);
        spawn_local(async move {
            match relay::revoke(&id, &secret).await {
                Ok(()) => {
                    let _ = session.change(|b| b.mark_share_revoked(&id, browser::now()));
                }
                Err(e) => problem.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <li class="share-item">
            <p><strong>{format!("Shared {}", browser::local_time(share.created_at))}</strong>" · "{state}</p>
            <div class="actions">
                <button type="button" on:click=check disabled=move || busy.get()>"Who opened it?"</button>
                {live.then(|| view! {
                    <button type="button" class="danger" on:click=revoke disabled=move || busy.get()>"Revoke now"</button>
                })}
            </div>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {move || status.get().map(|s| {
                let opened: Vec<_> = s.access_log.into_iter().filter(|a| a.outcome.as_deref().is_none_or(|o| o == "served")).collect();
                view! {
                    <div role="status">
                        <p>{match opened.len() { 0 => "Nobody has opened it yet.".to_owned(), 1 => "Opened once:".to_owned(), n => format!("Opened {n} times:") }}</p>
                        <ul class="access-log">
                            {opened.into_iter().map(|a| view! {
                                <li>{browser::local_time(chrono::DateTime::from_timestamp(a.at, 0).unwrap_or_default())}" — "{a.recipient}</li>
                            }).collect_view()}
                        </ul>
                    </div>
                }
            })}
        </li>
    }
}
