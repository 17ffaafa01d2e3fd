//! The wallet card: credit-card size (85.6 × 54 mm), two panels side by side to fold back to
//! back. The front says who, what could harm and whom to call; the back has two QR codes — the
//! card's long-lived share (the binder's allergies, medications and problems online, for as long
//! as the relay keeps a link), and the card's own text, which any phone camera shows with no
//! network and no app. The card says when it was printed and when its link ends.

use health_binder_core::emergency::{QR_TEXT_BUDGET, WALLET_FIELDS, build};
use health_binder_core::model::{LocalDateTime, PartialDate};
use health_binder_core::share::{self, wallet_share};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::print_preview::{Printing, Printout};
use super::share_panel::make_share;
use super::{Busy, QrCode};
use crate::emergency_card::{WORDING, date_text};
use crate::i18n::{t, tf};
use crate::relay::{self, Control};
use crate::session::SessionState;
use crate::{browser, emergency_card};

/// A day in the patient's time zone, as they write it: "5 January 2027", "5 de enero de 2027".
fn local_day(at: chrono::DateTime<chrono::Utc>) -> String {
    let offset = browser::zone_offset(LocalDateTime::from_utc(at, 0).local());
    date_text(LocalDateTime::from_utc(at, offset).date().unwrap_or_else(|| PartialDate::from_utc(at)))
}

/// Makes the card's share, lasting as long as the relay allows, and revokes the one it replaces.
/// Answers what to tell the patient beyond "done", if anything.
async fn issue_link(session: SessionState) -> Result<Option<String>, String> {
    let limits = relay::share_limits().await?;
    let until =
        share::longest_expiry(limits.now, limits.max_ttl_secs).ok_or(t("The relay's limits are unreadable."))?;
    let now = browser::now();
    let options = share::wallet_options(until).validated(now).map_err(|problems| problems.join(" "))?;
    let old = session.binder.with_untracked(|b| b.as_ref().and_then(|b| wallet_share(b, now).cloned()));
    make_share(session, options, None).await?;
    let Some(old) = old else { return Ok(None) };
    match relay::control(&old.url, &old.relay_id, &old.management_secret, Control::Revoke).await {
        Ok(()) => {
            let _ = session.change(|b| b.mark_share_revoked(&old.relay_id, browser::now()));
            Ok(None)
        }
        Err(why) => Ok(Some(tf(
            "The new link is made, but the old card's link could not be revoked: {why} Revoke it under Share, in \
             Your shares.",
            &[("why", &why)],
        ))),
    }
}

#[component]
pub fn WalletCardPanel() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let printing = expect_context::<Printing>();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let current = move || session.binder.with(|b| b.as_ref().and_then(|b| wallet_share(b, browser::now()).cloned()));

    let make = move |_| {
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            match issue_link(session).await {
                Ok(None) => printing.set(Some(Printout::WalletCard)),
                Ok(Some(warning)) => problem.set(Some(warning)),
                Err(e) => problem.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card" aria-labelledby="wallet-title">
            <h2 id="wallet-title">{t("Wallet card")}</h2>
            <p>{t("A card to print, cut out and fold to credit-card size: your name, date of birth, allergies, key conditions, medications and emergency contact, with two QR codes. One opens your allergies, medications and problems online for as long as the relay keeps a link; the other holds the card's own text, which any phone camera shows with no internet.")}</p>
            {move || match current() {
                Some(link) => view! {
                    <p>{tf("Your card's link works until {date}. You can revoke it any time under Share, in Your shares.", &[("date", &local_day(link.expires_at))])}</p>
                    <div class="actions">
                        <button type="button" class="primary" on:click=move |_| printing.set(Some(Printout::WalletCard))>{t("Print the card")}</button>
                        <button type="button" on:click=make disabled=move || busy.get()>{t("Make a new link")}</button>
                    </div>
                    <p class="hint">{t("A new link shows your binder as it is now and ends later. The old one is revoked: cards printed before keep their text, but their link stops working.")}</p>
                }.into_any(),
                None => view! {
                    <p class="muted">{t("Making the card creates its link: an encrypted snapshot only the QR code opens.")}</p>
                    <div class="actions">
                        <button type="button" class="primary" on:click=make disabled=move || busy.get()>{t("Make the card")}</button>
                    </div>
                }.into_any(),
            }}
            <Show when=move || busy.get()><Busy message=t("Encrypting and uploading the card's snapshot…")/></Show>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
        </section>
    }
}

/// The card itself, as printed.
#[component]
pub fn WalletCard() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let now = browser::now();
    let (card, link) = session
        .binder
        .with_untracked(|b| {
            b.as_ref().map(|b| {
                let card = build(b, &WALLET_FIELDS, emergency_card::today(), &WORDING).fitted(QR_TEXT_BUDGET);
                (card, wallet_share(b, now).map(|s| (s.link(), local_day(s.expires_at))))
            })
        })
        .unzip();
    let Some(card) = card else { return ().into_any() };
    let text = card.text();
    let printed = tf("Written by the patient. Printed {date}.", &[("date", &date_text(card.as_of))]);
    view! {
        <article class="printout wallet-printout" aria-labelledby="wallet-card-title">
            <h2 id="wallet-card-title" class="wallet-instructions">{t("Emergency wallet card — cut along the solid line, fold along the dashed line")}</h2>
            <div class="wallet-card">
                <section class="wallet-front" aria-labelledby="wallet-front-title">
                    <h3 id="wallet-front-title">{t("Emergency health information")}</h3>
                    <dl>
                        {card.lines.into_iter().map(|line| view! {
                            <div><dt>{line.label.clone()}</dt><dd>{line.text()}</dd></div>
                        }).collect_view()}
                    </dl>
                    <p class="wallet-small">{printed}</p>
                </section>
                <section class="wallet-back" aria-labelledby="wallet-back-title">
                    <h3 id="wallet-back-title" class="wallet-small">{t("Scan with a phone camera")}</h3>
                    <div class="wallet-codes">
                        {link.flatten().map(|(link, until)| view! {
                            <figure>
                                <QrCode text=link label=t("QR code: opens my health summary online")/>
                                <figcaption>{tf("My summary online, until {date}", &[("date", &until)])}</figcaption>
                            </figure>
                        })}
                        <figure>
                            <QrCode text=text label=t("QR code: the text of this card, readable with no internet")/>
                            <figcaption>{t("This card's text, no internet needed")}</figcaption>
                        </figure>
                    </div>
                </section>
            </div>
        </article>
    }
    .into_any()
}
