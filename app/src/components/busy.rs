use leptos::prelude::*;

use crate::i18n::t;
use crate::kdf;

/// A status line with a spinner, announced to screen readers, and — while a key is being derived
/// in the worker — a progress bar estimated from how long the last derivation took here.
#[component]
pub fn Busy(#[prop(into)] message: String) -> impl IntoView {
    let progress = RwSignal::new(None::<f64>);
    if let Ok(timer) =
        set_interval_with_handle(move || progress.set(kdf::progress()), std::time::Duration::from_millis(100))
    {
        on_cleanup(move || timer.clear());
    }
    view! {
        <div class="busy" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{message}</span>
            {move || progress.get().map(|p| view! {
                <progress max="100" value=(p * 100.0) as u32 aria-label=t("Checking the key")></progress>
            })}
        </div>
    }
}
