use leptos::prelude::*;

/// A status line with a spinner, announced to screen readers. The spinner animates on the
/// compositor, so it keeps turning while the key derivation holds the main thread.
#[component]
pub fn Busy(#[prop(into)] message: String) -> impl IntoView {
    view! {
        <p class="busy" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {message}
        </p>
    }
}
