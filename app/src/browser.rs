//! Small wrappers over browser APIs the views use.

use wasm_bindgen::JsValue;

fn window() -> web_sys::Window {
    web_sys::window().expect("the app runs in a browser window")
}

pub fn path() -> String {
    window().location().pathname().unwrap_or_default()
}

pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

pub fn hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// Replaces the address (without reloading) so a key read from the fragment no longer sits in
/// the address bar, the history, or a screenshot of the screen.
pub fn replace_address(path: &str) {
    let _ = window().history().and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(path)));
}

pub fn copy_to_clipboard(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// Lets the browser paint (e.g. a "working…" message) before a long synchronous job such as the
/// key derivation, so the page never looks frozen.
pub async fn let_the_page_paint() {
    gloo_timers::future::TimeoutFuture::new(40).await;
}

pub fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono::Local).format("%-d %b %Y, %H:%M").to_string()
}
