//! Under each share in "Your shares": what clinicians sent back. "Check for replies" fetches them
//! from the share's relay, opens each with the share's reply key (kept in the vault), keeps it in
//! the vault and only then deletes it at the relay. Each reply can be reviewed (line by line,
//! nothing changes before) and passed on to the primary care provider as a share made in one step.

use chrono::{DateTime, Duration};
use health_binder_core::ips;
use health_binder_core::model::{ReceivedReply, ShareRecord};
use health_binder_core::reply::{self, Reply};
use health_binder_core::share::{MAX_LABEL, ShareOptions};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::ReplyReview;
use super::share_panel::{ShareResult, around, make_share};
use crate::i18n::{t, tf, tn};
use crate::session::{Notice, SessionState};
use crate::{browser, relay};

/// How long a share passed on to the primary care provider works: long enough to be read between
/// visits, and the longest the share form offers.
const FORWARD_DAYS: i64 = 7;

/// Fetches the replies the share's relay holds, keeps the readable ones in the vault and deletes
/// each at the relay once kept (an unreadable one too: nobody can ever open it). Says what came.
async fn check(session: SessionState, share: ShareRecord) -> Result<String, String> {
    let key = share.reply_key.clone().ok_or(t("This share was made before replies existed."))?;
    let waiting = relay::fetch_replies(&share.url, &share.relay_id, &share.management_secret).await?;
    let (mut new, mut unreadable) = (0usize, 0u64);
    for found in waiting {
        match reply::open(&key, &found.jwe) {
            Ok(content) => {
                let received_at = DateTime::from_timestamp(found.received_at, 0).unwrap_or_else(browser::now);
                let kept = ReceivedReply { relay_id: found.id.clone(), received_at, content, reviewed_at: None };
                let added = session.change(|b| b.add_reply(&share.relay_id, kept, browser::now()));
                // Deleted at the relay only once it is really stored on this device.
                let stored = session.notice.with_untracked(|n| !matches!(n, Some(Notice::NotSaved(_))));
                if added.is_err() || !stored {
                    return Err(
                        t("A reply could not be saved on this device; it stays on the relay. Try again.").into()
                    );
                }
                new += usize::from(added == Ok(true));
            }
            Err(_) => unreadable += 1,
        }
        relay::delete_reply(&share.url, &share.relay_id, &share.management_secret, &found.id).await?;
    }
    let mut message = match new {
        0 => t("No new replies.").to_owned(),
        n => tn(n as u64, "{n} new reply.", "{n} new replies."),
    };
    if unreadable > 0 {
        // A second sentence of its own.
        message.push(' ');
        message.push_str(&tn(
            unreadable,
            "{n} could not be opened (not made for this share, or damaged) and was deleted.",
            "{n} could not be opened (not made for this share, or damaged) and were deleted.",
        ));
    }
    Ok(message)
}

/// A share of the whole binder with what came back from the visit, for the primary care provider.
async fn forward(session: SessionState, content: Reply) -> Result<ShareRecord, String> {
    let now = browser::now();
    let pcp = session.binder.with_untracked(|b| b.as_ref().and_then(|b| b.primary_care()).map(|p| p.data.name.clone()));
    let mut label = match pcp {
        Some(name) => tf("For {name}: visit with {from}", &[("name", &name), ("from", &content.from)]),
        None => tf("Visit with {from}", &[("from", &content.from)]),
    };
    if label.chars().count() > MAX_LABEL {
        label = label.chars().take(MAX_LABEL - 1).collect::<String>() + "\u{2026}";
    }
    let options = ShareOptions {
        sections: ips::SECTIONS.to_vec(),
        expires_at: now + Duration::days(FORWARD_DAYS),
        label: Some(label),
        label_in_link: false,
        passcode: None,
        max_uses: None,
        manifest: false,
        trends: Vec::new(),
    }
    .validated_in(now, &|text| t(text).to_owned())
    .map_err(|problems| problems.join(" "))?;
    make_share(session, options, Some(reply::forwarded(&content))).await
}

/// What "Your shares" shows above its list: the outcome of the last check for replies, a reply
/// under review, or a share just passed on. Held by the list (whose items are redrawn whenever
/// the binder changes) and set from each share's replies.
#[derive(Clone, Copy)]
pub struct ReplyPanel {
    message: RwSignal<Option<(bool, String)>>,
    reviewing: RwSignal<Option<(String, String)>>,
    forwarded: RwSignal<Option<ShareRecord>>,
    busy: RwSignal<bool>,
}

impl ReplyPanel {
    pub fn new() -> Self {
        Self {
            message: RwSignal::new(None),
            reviewing: RwSignal::new(None),
            forwarded: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    fn show(&self, outcome: Result<String, String>) {
        self.message.set(Some(match outcome {
            Ok(text) => (true, text),
            Err(text) => (false, text),
        }));
    }
}

#[component]
pub fn RepliesPanel(panel: ReplyPanel) -> impl IntoView {
    let ReplyPanel { message, reviewing, forwarded, .. } = panel;
    view! {
        {move || message.get().map(|(ok, m)| view! { <p class=if ok { "success" } else { "error" } role="status">{m}</p> })}
        {move || reviewing.get().map(|(share, reply)| view! {
            <ReplyReview share=share reply=reply on_close=Callback::new(move |()| reviewing.set(None))/>
        })}
        {move || forwarded.get().map(|record| view! {
            <div class="forwarded">
                <p class="success" role="status">{t("A share for your care team is ready: show them the QR code or send them the link. It works for 7 days.")}</p>
                <ShareResult record=record id="forward" on_done=Callback::new(move |()| forwarded.set(None))/>
            </div>
        })}
    }
}

/// The replies kept for one share, with "Check for replies", "Review" and "Forward".
#[component]
pub fn ReplyList(share: ShareRecord) -> impl IntoView {
    let session = expect_context::<SessionState>();
    let panel = expect_context::<ReplyPanel>();
    // Shares made before replies existed take none.
    share.reply_key.as_ref()?;
    let pcp = session.binder.with_untracked(|b| b.as_ref().and_then(|b| b.primary_care()).map(|p| p.data.name.clone()));
    // The name as an element of its own rather than in one string built from binder text (see
    // entry_actions.rs).
    let forward_to = if pcp.is_some() { t("Forward to {name}") } else { t("Forward to another clinician") };
    let replies = share.replies.clone();
    let share_id = share.relay_id.clone();
    let share = StoredValue::new(share);

    let check_now = move |_| {
        panel.busy.set(true);
        panel.message.set(None);
        spawn_local(async move {
            panel.show(check(session, share.get_value()).await);
            panel.busy.set(false);
        });
    };
    let forward_now = move |content: Reply| {
        panel.busy.set(true);
        panel.message.set(None);
        spawn_local(async move {
            match forward(session, content).await {
                Ok(record) => panel.forwarded.set(Some(record)),
                Err(e) => panel.show(Err(e)),
            }
            panel.busy.set(false);
        });
    };

    let item = move |kept: ReceivedReply| {
        let id = kept.relay_id.clone();
        let content = kept.content;
        let title_id = format!("reply-{id}-title");
        let (review_by, forward_by) =
            (format!("reply-{id}-review {title_id}"), format!("reply-{id}-forward {title_id}"));
        let what: Vec<&str> = [
            (!content.orders.is_empty()).then(|| t("medication orders")),
            (!content.follow_ups.is_empty()).then(|| t("follow-ups")),
            (!content.note.is_empty()).then(|| t("a visit note")),
            content.bundle.as_ref().map(|_| t("a FHIR file")),
            content.discharge.then(|| t("a discharge")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let review_this = (share_id.clone(), id.clone());
        view! {
            <li class="reply-item">
                <p id=title_id><strong>{around(t("Reply from {name}"), "name", content.from.clone())}</strong></p>
                <p class="muted">{tf("Received {time}", &[("time", &browser::local_time(kept.received_at))])}
                    {kept.reviewed_at.map(|_| (" · ", t("reviewed")))}" · "{t("not verified")}</p>
                <p>{what.join(", ")}</p>
                <div class="actions">
                    <button type="button" id=format!("reply-{id}-review") aria-labelledby=review_by
                        on:click=move |_| panel.reviewing.set(Some(review_this.clone()))>{t("Review")}</button>
                    <button type="button" id=format!("reply-{id}-forward") aria-labelledby=forward_by disabled=move || panel.busy.get()
                        on:click=move |_| forward_now(content.clone())>{around(forward_to, "name", pcp.clone())}</button>
                </div>
            </li>
        }
    };

    Some(view! {
        <div class="replies">
            <div class="actions">
                <button type="button" on:click=check_now disabled=move || panel.busy.get()>{t("Check for replies")}</button>
            </div>
            {(!replies.is_empty()).then(|| view! { <ul class="reply-list">{replies.into_iter().map(item).collect_view()}</ul> })}
        </div>
    })
}
