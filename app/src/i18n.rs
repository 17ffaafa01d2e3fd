//! The app's side of languages (the rules are in `health_binder_core::i18n`): the current
//! catalogue, `t`/`tf`/`tn` to show a text in it, fetching a catalogue, the reader's preferences
//! (`navigator.languages`, the patient's stored choice) and the browser's `Intl` for numbers.
//!
//! A non-English catalogue is fetched when chosen (`locales/<code>.txt`, precached by the service
//! worker), not compiled in: each language costs its readers only its own bytes. Switching
//! re-renders everything under [`Translated`] (the session lives above it and survives), so a
//! view writes plain `t("…")` and needs no closure per text. See docs/languages.md.

use std::cell::{Cell, RefCell};

use health_binder_core::i18n::{Catalogue, Plural, fill, negotiate, plural};
use leptos::prelude::*;
use leptos::task::spawn_local;

include!(concat!(env!("OUT_DIR"), "/languages.rs"));

/// Where the patient's choice is kept (a language code is not health data).
const CHOICE_KEY: &str = "health-binder-language";

thread_local! {
    /// The current language's code and catalogue (none for English). Catalogues are leaked once
    /// loaded, so `t` can hand out `&'static str`: a reader loads one or two in a visit.
    static CURRENT: Cell<(&'static str, Option<&'static Catalogue>)> = const { Cell::new(("en", None)) };
    static LOADED: RefCell<Vec<(&'static str, &'static Catalogue)>> = const { RefCell::new(Vec::new()) };
}

/// `english` in the current language (English when the catalogue lacks it). The argument must be
/// a literal (or `msg!`-marked text from core): the completeness test finds keys by this call.
pub fn t(english: &'static str) -> &'static str {
    match CURRENT.get().1 {
        Some(catalogue) => catalogue.get(english),
        None => english,
    }
}

/// A text made at run time (e.g. a core error's `to_string()` whose `#[error]` text is in the
/// catalogues) in the current language; as given when the catalogue lacks it.
pub fn t_text(english: &str) -> String {
    match CURRENT.get().1 {
        Some(catalogue) => catalogue.get(english).to_owned(),
        None => english.to_owned(),
    }
}

/// `english` in the current language with its `{name}` placeholders filled:
/// `tf("Saved {n} entries.", &[("n", &count)])`.
pub fn tf(english: &'static str, values: &[(&str, &str)]) -> String {
    fill(t(english), values)
}

/// A sentence about `n` things, in the form the current language uses for `n` ("one" or "other"
/// English key, see `core::i18n::plural`), with `{n}` filled with the number as the reader writes
/// it: `tn(kept, "This device keeps {n} binder.", "This device keeps {n} binders.")`.
pub fn tn(n: u64, one: &'static str, other: &'static str) -> String {
    let english = if plural(language(), n) == Plural::One { one } else { other };
    fill(t(english), &[("n", &number(n as f64))])
}

/// The form a count takes in the current language (for a `Wording` core writes through).
pub fn plural_form(n: u64) -> Plural {
    plural(language(), n)
}

/// The current language's code ("en", "es").
pub fn language() -> &'static str {
    CURRENT.get().0
}

/// The current language for what core writes for others (a share, an export: the document is
/// written in the patient's language).
pub fn texts() -> health_binder_core::ips::Texts<'static> {
    let (code, catalogue) = CURRENT.get();
    health_binder_core::ips::Texts::new(code, catalogue)
}

/// The reader's locale for dates, times and numbers in the current language: their own regional
/// variant when they prefer one (`es-MX` writes dates differently from `es-ES`), else the code.
pub fn locale() -> String {
    let language = language();
    preferred()
        .into_iter()
        .find(|tag| tag.split('-').next().is_some_and(|l| l.eq_ignore_ascii_case(language)))
        .unwrap_or_else(|| language.to_owned())
}

/// A number as the reader writes it (`1,5` in Spanish), through `Intl`.
pub fn number(value: f64) -> String {
    js_sys::Number::from(value).to_locale_string(&locale()).into()
}

/// The reader's decimal separator ("," in Spanish), as `number` writes it.
pub fn decimal_separator() -> char {
    number(0.5).chars().find(|c| !c.is_ascii_digit()).unwrap_or('.')
}

fn preferred() -> Vec<String> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    window.navigator().languages().iter().filter_map(|tag| tag.as_string()).collect()
}

fn codes() -> Vec<&'static str> {
    LANGUAGES.iter().map(|(code, _)| *code).collect()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The language to start in: the patient's stored choice (`remember`), else the browser's.
fn initial(remember: bool) -> &'static str {
    let supported = codes();
    let stored = remember.then(|| storage()?.get_item(CHOICE_KEY).ok()?).flatten();
    stored
        .and_then(|code| supported.iter().find(|s| **s == code).copied())
        .or_else(|| negotiate(&preferred(), &supported))
        .unwrap_or("en")
}

/// Makes `code` current (fetching its catalogue from `base` unless already loaded) and says so in
/// `<html lang>`, which screen readers read the page with. Stays in the current language when the
/// catalogue cannot be had (offline before it was ever cached).
async fn switch_to(code: &'static str, base: &str) {
    let catalogue = if code == "en" {
        None
    } else if let Some(loaded) = LOADED.with_borrow(|l| l.iter().find(|(c, _)| *c == code).map(|(_, cat)| *cat)) {
        Some(loaded)
    } else {
        let Some(catalogue) = fetch(&format!("{base}{code}.txt")).await else { return };
        let catalogue: &'static Catalogue = Box::leak(Box::new(catalogue));
        LOADED.with_borrow_mut(|l| l.push((code, catalogue)));
        Some(catalogue)
    };
    CURRENT.set((code, catalogue));
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", code);
    }
}

async fn fetch(url: &str) -> Option<Catalogue> {
    let response = crate::http::send(url, &crate::http::request("GET", None, None)).await.ok()?;
    if !response.ok() {
        return None;
    }
    Catalogue::parse(&crate::http::text(&response).await.ok()?).ok()
}

/// The language picker's handle (in context under [`Translated`]).
#[derive(Clone, Copy)]
pub struct LanguageChoice {
    /// The language shown; `None` until the first catalogue is in.
    shown: RwSignal<Option<&'static str>>,
    remember: bool,
    base: &'static str,
}

impl LanguageChoice {
    /// Switches to `code` (one of [`LANGUAGES`]) and, in the patient's app, keeps the choice.
    pub fn choose(self, code: &str) {
        let Some(code) = codes().into_iter().find(|c| *c == code) else { return };
        if self.remember
            && let Some(storage) = storage()
        {
            let _ = storage.set_item(CHOICE_KEY, code);
        }
        spawn_local(async move {
            switch_to(code, self.base).await;
            self.shown.set(Some(language()));
        });
    }
}

/// Renders `children` in the reader's language, again whenever it changes. `remember`: the
/// patient's app keeps the patient's choice; the clinician's viewer (false) follows the
/// clinician's browser only. `base`: where the catalogues are served ("/locales/").
#[component]
pub fn Translated(remember: bool, base: &'static str, children: ChildrenFn) -> impl IntoView {
    let shown = RwSignal::new(None);
    provide_context(LanguageChoice { shown, remember, base });
    let first = initial(remember);
    if first == "en" {
        // Nothing to fetch: English is built in.
        shown.set(Some("en"));
    } else {
        spawn_local(async move {
            switch_to(first, base).await;
            shown.set(Some(language()));
        });
    }
    move || shown.get().map(|_| children())
}
