//! The emergency card on this device: the one deliberate exception to "no plaintext at rest".
//! While the patient has it on, `localStorage` holds the facts they ticked (and nothing else of the
//! binder) under `core::emergency::CARD_KEY`, outside the vault's keys, so backups never carry it.
//! It is rebuilt after every save of its binder and removed at once when turned off.

use gloo_storage::{LocalStorage, Storage};
use health_binder_core::Binder;
use health_binder_core::emergency::{CARD_KEY, StoredCard, Wording};
use health_binder_core::model::PartialDate;

use crate::i18n::{t, t_text};

fn describe(err: wasm_bindgen::JsValue) -> String {
    js_sys::Error::from(err).message().into()
}

/// The card this device shows, if it is on (an unreadable one counts as off).
pub fn load() -> Option<StoredCard> {
    StoredCard::from_stored(&LocalStorage::raw().get_item(CARD_KEY).ok().flatten()?)
}

pub fn store(card: &StoredCard) -> Result<(), String> {
    LocalStorage::raw().set_item(CARD_KEY, &card.to_stored()).map_err(describe)
}

/// Turns the card off: nothing of it stays on the device.
pub fn remove() -> Result<(), String> {
    LocalStorage::raw().remove_item(CARD_KEY).map_err(describe)
}

/// Today in the patient's time zone: the card's "as of" date.
pub fn today() -> PartialDate {
    crate::browser::local_now().date().unwrap_or_else(|| PartialDate::from_utc(crate::browser::now()))
}

/// A day (or a month, or a year) as the reader writes it in the language shown, through `Intl`
/// ("5 de diciembre de 2026").
pub fn date_text(date: PartialDate) -> String {
    crate::browser::wall_clock_date(date.year_number().into(), date.month_number(), date.day_number(), None, "long")
}

fn translated(text: &str) -> String {
    t_text(text)
}

/// The emergency card's and the printout's words in the language shown: paper and the first
/// screen read in the patient's chosen language.
pub const WORDING: Wording<'static> = Wording { text: &translated, date: &date_text, plural: &crate::i18n::plural_form };

/// Keeps the card in step with `binder` after it was saved or opened, when the card shows it.
/// A card that cannot be rewritten is removed rather than left showing old facts; what to tell
/// the patient then comes back.
pub fn refresh(binder: &Binder) -> Option<String> {
    let stored = load()?;
    let fresh = stored.refreshed(binder, today(), &WORDING)?;
    if fresh == stored {
        return None;
    }
    if store(&fresh).is_ok() {
        return None;
    }
    let _ = remove();
    Some(
        t("The emergency card could not be updated (this device's storage refused), so it was taken off the first \
           screen rather than show old information. Turn it on again under Emergency & paper.")
        .into(),
    )
}
