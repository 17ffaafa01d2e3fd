//! "Show to my clinician": encrypt a snapshot in the browser, upload only ciphertext, show the QR.

use chrono::Duration;
use health_binder_core::model::ShareRecord;
use health_binder_core::share::{self, Hosted};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Busy, QrCode};
use crate::session::SessionState;
use crate::{browser, relay};

/// How long a link works, as offered to the patient: short for a phone shown at the desk.
const LIFETIMES: [(&str, i64, &str); 4] =
    [("15m", 15, "15 minutes"), ("1h", 60, "1 hour"), ("24h", 24 * 60, "24 hours"), ("7d", 7 * 24 * 60, "7 days")];

async fn make_share(session: SessionState, minutes: i64) -> Result<ShareRecord, String> {
    let now = browser::now();
    let prepared = session
        .binder
        .with_untracked(|b| b.as_ref().map(|b| share::prepare(b, now, now + Duration::minutes(minutes))))
        .ok_or("The binder is locked.")?;
    let created = relay::create_share(&prepared.jwe, prepared.expires_at.timestamp()).await?;
    let origin = browser::origin();
    let hosted = Hosted {
        relay_id: created.id,
        url: format!("{origin}{}", created.path),
        management_secret: created.management_secret,
        viewer: format!("{origin}/view"),
    };
    let record = prepared.into_record(hosted, now);
    session
        .change(|b| {
            b.add_share(record.clone(), now);
            Ok(())
        })
        .map_err(|e| e.to_string())?;
    Ok(record)
}

#[component]
pub fn SharePanel() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let lifetime = RwSignal::new("1h".to_owned());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let shown = RwSignal::new(None::<ShareRecord>);

    let start = move |_| {
        let minutes = LIFETIMES.iter().find(|(code, ..)| *code == lifetime.get_untracked()).map_or(60, |l| l.1);
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match make_share(session, minutes).await {
                Ok(record) => shown.set(Some(record)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <section aria-labelledby="share-title" class="card share">
            <h2 id="share-title">"Show to my clinician"</h2>
            <p class="muted">"Makes an encrypted snapshot of your medication list. Only someone with the QR code or link can read it, and only until it expires."</p>
            <Show when=move || shown.get().is_none()>
                <label for="share-lifetime">"Link works for"</label>
                <select id="share-lifetime" bind:value=lifetime>
                    {LIFETIMES.map(|(code, _, label)| view! { <option value=code>{label}</option> })}
                </select>
                <div class="actions">
                    <button type="button" class="primary" on:click=start disabled=move || busy.get()>"Show to my clinician"</button>
                </div>
            </Show>
            <Show when=move || busy.get()><Busy message="Encrypting and uploading the snapshot…"/></Show>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || shown.get().map(|record| {
                let link = record.link();
                let copy_link = link.clone();
                view! {
                    <div class="share-result">
                        <QrCode text=link.clone() label="QR code of the share link: let your clinician scan it"/>
                        <p>"Link works until " <strong>{browser::local_time(record.expires_at)}</strong>"."</p>
                        <label for="share-link">"Link"</label>
                        <input id="share-link" type="text" readonly prop:value=link/>
                        <div class="actions">
                            <button type="button" on:click=move |_| browser::copy_to_clipboard(&copy_link)>"Copy link"</button>
                            <button type="button" on:click=move |_| shown.set(None)>"Done"</button>
                        </div>
                    </div>
                }
            })}
        </section>
    }
}
