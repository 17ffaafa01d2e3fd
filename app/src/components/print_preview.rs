//! "Emergency & paper": the emergency card's settings, the wallet card and the printed binder —
//! and a preview of what will be printed in place of those panels, with "Print" and "Close". On
//! paper only the printout appears (see the print rules in style/main.css); what is printed is
//! decided in core (`printout`, `emergency`).

use health_binder_core::printout::{PRIVATE_NOTICE, binder_sections};
use leptos::prelude::*;

use super::emergency_panel::EmergencyCardPanel;
use super::wallet_card::{WalletCard, WalletCardPanel};
use crate::emergency_card::{self, WORDING, date_text};
use crate::i18n::{t, tf};
use crate::session::SessionState;

/// What the preview shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Printout {
    Binder,
    WalletCard,
}

/// Which printout is open, if any (provided by [`PaperPart`]).
pub type Printing = RwSignal<Option<Printout>>;

/// The binder's "Emergency & paper" part: its panels, or the print preview one of them opened.
#[component]
pub fn PaperPart() -> impl IntoView {
    let printing: Printing = RwSignal::new(None);
    provide_context(printing);
    move || {
        match printing.get() {
        Some(what) => view! { <PrintPreview what=what/> }.into_any(),
        None => view! {
            <EmergencyCardPanel/>
            <WalletCardPanel/>
            <section class="card" aria-labelledby="print-binder-title">
                <h2 id="print-binder-title">{t("Print your binder")}</h2>
                <p>{t("Every section on paper, for A4 or Letter, for clinics that ask for a printed binder. Each page is dated and marked as private health information.")}</p>
                <div class="actions">
                    <button type="button" class="primary" on:click=move |_| printing.set(Some(Printout::Binder))>{t("Print my binder")}</button>
                </div>
            </section>
        }
        .into_any(),
    }
    }
}

/// Sets (or clears) a CSS custom property on the root element, where the printed page's margin
/// boxes read it: through the CSSOM, which the strict CSP allows.
fn set_root_property(name: &str, value: Option<&str>) {
    use wasm_bindgen::JsCast;
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    if let Some(root) = root.and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok()) {
        let style = root.style();
        let _ = match value {
            Some(value) => style.set_property(name, value),
            None => style.remove_property(name).map(|_| ()),
        };
    }
}

/// `text` as a CSS string.
fn css_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', " "))
}

/// "Page {page} of {pages}" in the language shown, as CSS content with the page counters where
/// the language puts the numbers.
fn page_of() -> String {
    css_string(t("Page {page} of {pages}"))
        .replace("{pages}", "\" counter(pages) \"")
        .replace("{page}", "\" counter(page) \"")
}

#[component]
fn PrintPreview(what: Printout) -> impl IntoView {
    let printing = expect_context::<Printing>();
    let print = |_| {
        let _ = web_sys::window().map(|w| w.print());
    };
    let (title, hint) = match what {
        Printout::Binder => (
            t("Print your binder"),
            t("Every section, for A4 or Letter paper. Each page says it is private health information."),
        ),
        Printout::WalletCard => (
            t("Print your wallet card"),
            t("Print at actual size (100 %), cut along the solid line and fold along the dashed one."),
        ),
    };
    view! {
        <div class="print-toolbar card">
            <h2>{title}</h2>
            <p>{hint}</p>
            <div class="actions">
                <button type="button" class="primary" on:click=print>{t("Print")}</button>
                <button type="button" on:click=move |_| printing.set(None)>{t("Close the preview")}</button>
            </div>
        </div>
        {match what {
            Printout::Binder => view! { <PrintedBinder/> }.into_any(),
            Printout::WalletCard => view! { <WalletCard/> }.into_any(),
        }}
    }
}

/// The whole binder on paper: who it belongs to, when it was printed, the notice, every section.
#[component]
fn PrintedBinder() -> impl IntoView {
    let session = expect_context::<SessionState>();
    let (name, sections) = session
        .binder
        .with_untracked(|b| b.as_ref().map(|b| (b.profile.name.clone(), binder_sections(b, &WORDING))))
        .unwrap_or_default();
    let printed = tf("Printed {date}", &[("date", &date_text(emergency_card::today()))]);
    // Every page's header and footer say what it is, the date and the page, in the patient's
    // language (the page's margin boxes read them from the root).
    let margins = [
        ("--printed", css_string(&printed)),
        ("--private-header", css_string(t("Private health information"))),
        ("--page-of", page_of()),
    ];
    for (name, value) in &margins {
        set_root_property(name, Some(value));
    }
    on_cleanup(move || {
        for (name, _) in margins {
            set_root_property(name, None);
        }
    });
    view! {
        <article class="printout binder-printout" aria-labelledby="printout-title">
            <header>
                <h2 id="printout-title">{tf("Health binder of {name}", &[("name", &name)])}</h2>
                <p>{printed}</p>
                <p class="private-notice">{t(PRIVATE_NOTICE)}</p>
            </header>
            {sections.into_iter().map(|section| view! {
                <section>
                    <h3>{section.title}</h3>
                    {section.rows.is_empty().then_some(view! { <p class="muted">{section.empty}</p> })}
                    <ul class="printed-rows">
                        {section.rows.into_iter().map(|row| view! {
                            <li><strong>{row.title}</strong>{row.details.into_iter().map(|d| view! { <span class="detail">{d}</span> }).collect_view()}</li>
                        }).collect_view()}
                    </ul>
                </section>
            }).collect_view()}
        </article>
    }
}
