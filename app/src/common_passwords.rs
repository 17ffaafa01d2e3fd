//! The commonest passwords, which a new passphrase may not be (`core::vault::assess_passphrase`).
//! The list (`/kdf/common-passwords.txt`, about 24 KB as brotli) travels with the key worker's
//! files rather than in the wasm: it is fetched only once a passphrase is being chosen, so the
//! first screen's download does not carry it, and the service worker keeps it for offline use.

use std::cell::RefCell;
use std::rc::Rc;

use health_binder_core::vault::{CommonPasswords, check_new_passphrase};

use crate::http::{request, send, text};

const URL: &str = "/kdf/common-passwords.txt";

thread_local! {
    static LOADED: RefCell<Option<Rc<CommonPasswords>>> = const { RefCell::new(None) };
}

/// The list if it has arrived.
pub fn loaded() -> Option<Rc<CommonPasswords>> {
    LOADED.with(|l| l.borrow().clone())
}

/// The list, fetched on first use. `None` when it could not be fetched (offline on a first visit
/// without the service worker): the check then rests on length and the patient's name.
pub async fn load() -> Option<Rc<CommonPasswords>> {
    if let Some(list) = loaded() {
        return Some(list);
    }
    let response = send(URL, &request("GET", None, None)).await.ok().filter(|r| r.ok())?;
    let list = Rc::new(CommonPasswords::parse(&text(&response).await.ok()?));
    LOADED.with(|l| *l.borrow_mut() = Some(list.clone()));
    Some(list)
}

/// The words of a name, which a new passphrase may not be built from.
pub fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// The rule for a new passphrase (and its confirmation) of the binder of `name`, with the list
/// (usually here already: fetched while the passphrase was typed).
pub async fn check(passphrase: &str, confirmation: &str, name: &str) -> Result<(), String> {
    let common = load().await.unwrap_or_default();
    let names = name_words(name);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    check_new_passphrase(passphrase, confirmation, &names, &common)
}
