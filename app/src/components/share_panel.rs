//! "Show to my clinician": the patient chooses what to share and how, the snapshot is encrypted in
//! the browser, only ciphertext is uploaded, and the QR code and link are shown.

use chrono::{DateTime, Utc};
use health_binder_core::doses::{SHARED_DAYS, taking_lines};
use health_binder_core::ips::{self, Forwarded, SectionKind};
use health_binder_core::model::ShareRecord;
use health_binder_core::share::{self, DEFAULT_LIFETIME, Hosted, LIFETIMES, Lifetime, MAX_LABEL, ShareOptions};
use health_binder_core::trends::VitalKind;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Busy, QrCode, TrendChoices};
use crate::i18n::{number, t, t_text, tf};
use crate::session::SessionState;
use crate::{browser, relay};

const UNTIL_DATE: &str = "date";

#[derive(Clone, Copy)]
struct Choices {
    sections: RwSignal<Vec<SectionKind>>,
    lifetime: RwSignal<String>,
    until: RwSignal<String>,
    label: RwSignal<String>,
    label_in_link: RwSignal<bool>,
    passcode: RwSignal<String>,
    max_uses: RwSignal<String>,
    manifest: RwSignal<bool>,
    trends: RwSignal<Vec<VitalKind>>,
}

impl Choices {
    fn new() -> Self {
        Self {
            sections: RwSignal::new(ips::SECTIONS.to_vec()),
            lifetime: RwSignal::new(DEFAULT_LIFETIME.code.into()),
            until: RwSignal::new(String::new()),
            label: RwSignal::new(String::new()),
            label_in_link: RwSignal::new(false),
            passcode: RwSignal::new(String::new()),
            max_uses: RwSignal::new(String::new()),
            manifest: RwSignal::new(false),
            trends: RwSignal::new(Vec::new()),
        }
    }

    fn expires_at(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
        let lifetime = self.lifetime.get_untracked();
        if lifetime == UNTIL_DATE {
            // The end of the chosen day, in the patient's time zone.
            return browser::end_of_local_day(&self.until.get_untracked())
                .ok_or_else(|| t("Choose the last day the link works.").to_owned());
        }
        Ok(Lifetime::from_code(&lifetime).expires_at(now))
    }

    fn options(&self, now: DateTime<Utc>) -> Result<ShareOptions, Vec<String>> {
        let expires_at = self.expires_at(now).map_err(|e| vec![e])?;
        let max_uses = self.max_uses.get_untracked();
        let max_uses = match max_uses.trim() {
            "" => None,
            text => Some(text.parse::<u32>().map_err(|_| vec![t("Most openings must be a whole number.").to_owned()])?),
        };
        ShareOptions {
            sections: ips::SECTIONS.into_iter().filter(|s| self.sections.get_untracked().contains(s)).collect(),
            expires_at,
            label: Some(self.label.get_untracked()),
            label_in_link: self.label_in_link.get_untracked(),
            passcode: Some(self.passcode.get_untracked()),
            max_uses,
            manifest: self.manifest.get_untracked(),
            trends: self.trends.get_untracked(),
        }
        .validated_in(now, &|text| t(text).to_owned())
    }
}

/// Encrypts a snapshot (with `forwarded`: what came back from a visit, in a section of its own),
/// uploads it and keeps its record in the vault.
pub(crate) async fn make_share(
    session: SessionState,
    options: ShareOptions,
    forwarded: Option<Forwarded>,
) -> Result<ShareRecord, String> {
    make_share_with(session, options, forwarded, false).await
}

/// [`make_share`], with a line per medication on how the patient has been taking it when
/// `taking` (`core::doses::taking_lines`, counted on the patient's clock).
async fn make_share_with(
    session: SessionState,
    options: ShareOptions,
    forwarded: Option<Forwarded>,
    taking: bool,
) -> Result<ShareRecord, String> {
    let now = browser::now();
    let prepared = session
        .binder
        .with_untracked(|b| {
            let b = b.as_ref()?;
            let lines = if taking {
                taking_lines(b, browser::local_now(), &browser::zone_offset, &crate::i18n::texts())
            } else {
                Vec::new()
            };
            Some(share::prepare_with_taking(b, now, options, forwarded, lines, &crate::i18n::texts()))
        })
        .ok_or(t("The binder is locked."))?;
    let created = relay::create_share(&prepared).await?;
    let origin = browser::origin();
    let hosted = Hosted {
        relay_id: created.id,
        url: format!("{origin}{}", created.path),
        management_secret: created.management_secret,
        viewer: created.viewer,
    };
    let record = prepared.into_record(hosted, now);
    session
        .change(|b| {
            b.add_share(record.clone(), now);
            Ok(())
        })
        .map_err(|e| t_text(&e.to_string()))?;
    Ok(record)
}

#[component]
pub fn SharePanel() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let choices = Choices::new();
    let busy = RwSignal::new(false);
    let problems = RwSignal::new(Vec::<String>::new());
    let shown = RwSignal::new(None::<ShareRecord>);
    let taking = RwSignal::new(false);

    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let options = match choices.options(browser::now()) {
            Ok(options) => options,
            Err(found) => return problems.set(found),
        };
        busy.set(true);
        problems.set(Vec::new());
        spawn_local(async move {
            match make_share_with(session, options, None, taking.get_untracked()).await {
                Ok(record) => shown.set(Some(record)),
                Err(e) => problems.set(vec![e]),
            }
            busy.set(false);
        });
    };
    let toggle = move |kind: SectionKind| {
        choices.sections.update(|chosen| {
            if chosen.contains(&kind) {
                chosen.retain(|k| *k != kind);
            } else {
                chosen.push(kind);
            }
        })
    };

    view! {
        <section aria-labelledby="share-title" class="card share">
            <h2 id="share-title">{t("Show to my clinician")}</h2>
            <Show when=move || shown.get().is_none()>
                <p class="muted">{t("Makes an encrypted snapshot of your binder. Only someone with the QR code or link can read it, and only until it expires.")}</p>
                <form on:submit=start novalidate>
                    <fieldset>
                        <legend>{t("What to share")}</legend>
                        <div class="choices">
                            {ips::SECTIONS.map(|kind| view! {
                                <label><input type="checkbox" prop:checked=move || choices.sections.with(|s| s.contains(&kind))
                                    on:change=move |_| toggle(kind)/>" " {t(kind.label())}</label>
                            })}
                        </div>
                        {taking_choice(taking)}
                    </fieldset>
                    <TrendChoices chosen=choices.trends/>
                    <label for="share-lifetime">{t("Link works for")}</label>
                    <select id="share-lifetime" bind:value=choices.lifetime>
                        {LIFETIMES.map(|l| view! { <option value=l.code>{t(l.label)}</option> })}
                        <option value=UNTIL_DATE>{t("Until a date…")}</option>
                    </select>
                    <Show when=move || choices.lifetime.get() == UNTIL_DATE>
                        <label for="share-until">{t("Last day the link works")}</label>
                        <input id="share-until" type="date" bind:value=choices.until/>
                    </Show>
                    <details>
                        <summary>{t("More options")}</summary>
                        <label for="share-label">{t("Label")}" " <span class="hint">{t("(optional, e.g. For Dr Patel, cardiology)")}</span></label>
                        <input id="share-label" type="text" maxlength=MAX_LABEL bind:value=choices.label/>
                        <label class="inline"><input type="checkbox" bind:checked=choices.label_in_link/>
                            " " {t("Show the label before the link is opened (anyone holding the link can read it)")}</label>
                        <label for="share-passcode">{t("Passcode")}" " <span class="hint">{t("(optional; tell it to the clinician, not in writing)")}</span></label>
                        <input id="share-passcode" type="text" autocomplete="off" bind:value=choices.passcode/>
                        <label for="share-max-uses">{t("Most openings")}" " <span class="hint">{t("(optional)")}</span></label>
                        <input id="share-max-uses" type="number" min="1" inputmode="numeric" bind:value=choices.max_uses/>
                        <label class="inline"><input type="checkbox" bind:checked=choices.manifest/>
                            " " {t("Make a manifest link, for health systems whose reader needs one")}</label>
                    </details>
                    <Show when=move || !problems.with(Vec::is_empty)>
                        <div class="error" role="alert">
                            <ul>{move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                        </div>
                    </Show>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || busy.get()>{t("Show to my clinician")}</button>
                    </div>
                </form>
            </Show>
            <Show when=move || busy.get()><Busy message=t("Encrypting and uploading the snapshot…")/></Show>
            {move || shown.get().map(|record| view! { <ShareResult record=record on_done=Callback::new(move |()| shown.set(None))/> })}
        </section>
    }
}

/// "Include how I have been taking my medicines": unticked unless the patient ticks it, for a log
/// is theirs to show or not.
fn taking_choice(taking: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="inline"><input type="checkbox" bind:checked=taking/>
            " " {tf(
                "Include how I have been taking my medicines (doses taken and skipped over the last {days} days, from Today)",
                &[("days", &number(SHARED_DAYS as f64))],
            )}</label>
    }
}

#[component]
pub(crate) fn ShareResult(
    record: ShareRecord,
    on_done: Callback<()>,
    /// Prefixes the link field's id, so two results can be on one page.
    #[prop(default = "share")]
    id: &'static str,
) -> impl IntoView {
    let link = record.link();
    let field = format!("{id}-link");
    let full_screen = RwSignal::new(false);
    let (copy_link, share_link, big_link) = (link.clone(), link.clone(), link.clone());
    view! {
        <div class="share-result">
            <QrCode text=link.clone() label=t("QR code of the share link: let your clinician scan it")/>
            <p>{around(t("Link works until {time}."), "time", view! { <strong>{browser::local_time(record.expires_at)}</strong> })}</p>
            {record.passcode.clone().map(|p| view! {
                <p class="notice">{around(t("Tell the clinician the passcode: {passcode}"), "passcode", view! { <strong>{p}</strong> })}</p>
            })}
            <label for=field.clone()>{t("Link")}</label>
            <input id=field type="text" readonly prop:value=link/>
            <div class="actions">
                <button type="button" class="primary" on:click=move |_| full_screen.set(true)>{t("Show full screen")}</button>
                <button type="button" on:click=move |_| browser::copy_to_clipboard(&copy_link)>{t("Copy link")}</button>
                {browser::can_share().then(|| view! {
                    <button type="button" on:click=move |_| browser::share_link(t("Health Binder"), &share_link)>{t("Share…")}</button>
                })}
                <button type="button" on:click=move |_| on_done.run(())>{t("Done")}</button>
            </div>
            <Show when=move || full_screen.get()>
                <div class="fullscreen-qr" role="dialog" aria-modal="true" aria-label=t("QR code, full screen")>
                    <QrCode text=big_link.clone() label=t("QR code of the share link, full screen")/>
                    <button type="button" class="primary" autofocus on:click=move |_| full_screen.set(false)>{t("Close")}</button>
                </div>
            </Show>
        </div>
    }
}

/// A translated sentence with an element in place of its `{name}` placeholder (the time in bold,
/// the patient's passcode, a name from the binder): one key per sentence, wherever the language
/// puts the placeholder, and the binder's text never copied into a string.
pub(crate) fn around(template: &str, name: &str, element: impl IntoView) -> impl IntoView {
    let marker = format!("{{{name}}}");
    let (before, after) = template.split_once(&marker).unwrap_or((template, ""));
    (before.to_owned(), element, after.to_owned())
}
