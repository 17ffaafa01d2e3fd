//! The emergency card: the patient's choice (off until they turn it on) of a few facts shown on this
//! device's first screen without the passphrase, and that card as the first screen shows it. What
//! is on it, and how it reads, is `core::emergency`; where it is kept, `crate::emergency_card`.

use health_binder_core::emergency::{EmergencyField, StoredCard};
use leptos::prelude::*;

use crate::emergency_card::{self, WORDING};
use crate::i18n::{t, tf};
use crate::session::SessionState;

/// What is ticked when the card is off: what helps most, nothing stored until turned on.
const SUGGESTED: [EmergencyField; 4] =
    [EmergencyField::Name, EmergencyField::Allergies, EmergencyField::Medications, EmergencyField::Contacts];

#[component]
pub fn EmergencyCardPanel() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let binder_id = session.binder.with_untracked(|b| b.as_ref().map(|b| b.id));
    // What the device holds now (re-read after each change here).
    let stored = RwSignal::new(emergency_card::load());
    let mine = move || stored.with(|s| s.as_ref().is_some_and(|s| Some(s.binder) == binder_id));
    let chosen = RwSignal::new(
        stored.get_untracked().filter(|s| Some(s.binder) == binder_id).map_or_else(|| SUGGESTED.to_vec(), |s| s.fields),
    );
    let message = RwSignal::new(None::<(bool, String)>);

    let save = move |_| {
        let made = session.binder.with_untracked(|b| {
            b.as_ref().map(|b| StoredCard::new(b, &chosen.get_untracked(), emergency_card::today(), &WORDING))
        });
        let outcome = match made {
            Some(Ok(card)) => emergency_card::store(&card).map(|()| card),
            Some(Err(why)) => Err(t(why).to_owned()),
            None => Err(t("The binder is locked.").to_owned()),
        };
        message.set(Some(match outcome {
            Ok(card) => {
                stored.set(Some(card));
                (
                    true,
                    t("The card is on. It shows on this device's first screen, and follows every change you make.")
                        .into(),
                )
            }
            Err(e) => (false, tf("The card was not turned on: {why}", &[("why", &e)])),
        }));
    };
    let turn_off = move |_| {
        message.set(Some(match emergency_card::remove() {
            Ok(()) => {
                stored.set(None);
                (true, t("The card is off, and nothing of it is left on this device.").into())
            }
            Err(e) => (false, tf("The card could not be removed: {why}", &[("why", &e)])),
        }));
    };
    let toggle = move |field: EmergencyField| {
        chosen.update(|c| {
            if c.contains(&field) {
                c.retain(|f| *f != field);
            } else {
                c.push(field);
            }
        })
    };

    view! {
        <section class="card" aria-labelledby="emergency-settings-title">
            <h2 id="emergency-settings-title">{t("Emergency card on this device")}</h2>
            <p>{t("If you cannot unlock your binder — you are unconscious, or cannot speak — someone helping you can read a few facts you choose on this device's first screen, without your passphrase.")}</p>
            <p>{t("What you tick is kept on this device unencrypted: the one exception, as the rest of your binder stays encrypted. Anyone holding the device can read it. It is updated whenever you change your binder, is not part of your backups, and is deleted as soon as you turn the card off.")}</p>
            <p class="status" role="status">{move || match stored.get() {
                None => t("The card is off."),
                Some(_) if mine() => t("The card is on, showing your binder."),
                Some(_) => t("The card is on for another person's binder on this device. Turning it on here replaces theirs."),
            }}</p>
            <fieldset>
                <legend>{t("What the card shows")}</legend>
                <div class="choices">
                    {EmergencyField::ALL.map(|field| view! {
                        <label><input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&field))
                            on:change=move |_| toggle(field)/>" " {t(field.choice())}</label>
                    })}
                </div>
            </fieldset>
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "success" } else { "error" } role="alert">{m}</p> })}
            <div class="actions">
                <button type="button" class="primary" on:click=save>
                    {move || if mine() { t("Update the card") } else { t("Turn on the card") }}
                </button>
                <Show when=mine>
                    <button type="button" class="danger" on:click=turn_off>{t("Turn off the card")}</button>
                </Show>
            </div>
        </section>
    }
}

/// The card as the first screen shows it, before any passphrase; nothing when it is off.
#[component]
pub fn EmergencyCardView() -> impl IntoView {
    emergency_card::load().map(|card| {
        let (lines, closing) = card.lines();
        let lines: Vec<(String, String)> = lines.into_iter().map(|(l, t)| (l.to_owned(), t.to_owned())).collect();
        let closing = closing.to_owned();
        view! {
            <section class="card emergency" aria-labelledby="emergency-title">
                <h2 id="emergency-title">{t("Emergency information")}</h2>
                <dl class="details">
                    {lines.into_iter().map(|(label, text)| view! { <div><dt>{label}</dt><dd>{text}</dd></div> }).collect_view()}
                </dl>
                <p class="muted">{closing} " " {t("Shown without the passphrase because the patient chose to.")}</p>
            </section>
        }
    })
}
