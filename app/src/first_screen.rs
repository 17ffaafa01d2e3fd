//! The hand-over from the static first screen (app/index.html, public/first-screen.js), which the
//! patient sees and types into while this wasm downloads. When the create or unlock page mounts
//! it takes what was typed there, where the focus was and whether a press is waiting, and removes
//! the static screen in the same task, so no frame shows two forms (or none) and a label names one
//! field at a time. The passphrase passes from one input to the other in memory only: the static
//! inputs are emptied as they are read, and nothing is stored.

use wasm_bindgen::JsCast;

const ROOT_ID: &str = "first-screen";

/// What the patient did on the static first screen of one page.
pub struct Typed {
    values: Vec<(String, String)>,
    focused: Option<String>,
    pending: bool,
}

impl Typed {
    /// What was typed into the field with this id (empty if nothing).
    pub fn value(typed: &Option<Self>, id: &str) -> String {
        typed
            .as_ref()
            .and_then(|t| t.values.iter().find(|(field, _)| field == id))
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }

    /// Once the page's own form is on the page (a microtask: after the render that called
    /// [`take`]), focus goes back to the field that had it, and a press made before the app was
    /// ready submits the form, as a press of its button does. (A microtask rather than an effect
    /// on a node reference: the same, for a fraction of the code.)
    pub fn resume(typed: Option<Self>) {
        let Some(typed) = typed else { return };
        leptos::prelude::queue_microtask(move || {
            let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
            let field = |id: &str| document.get_element_by_id(id);
            if let Some(focused) = typed.focused.as_deref().and_then(field)
                && let Ok(focused) = focused.dyn_into::<web_sys::HtmlElement>()
            {
                let _ = focused.focus();
            }
            if typed.pending
                && let Some((id, _)) = typed.values.first()
                && let Some(form) = field(id).and_then(|f| f.dyn_into::<web_sys::HtmlInputElement>().ok()?.form())
            {
                let _ = form.request_submit();
            }
        });
    }
}

/// Takes the static first screen off the page, with what was typed if it showed `screen`
/// ("create" or "unlock"). `None` when there is none (already taken) or it showed another screen.
pub fn take(screen: &str) -> Option<Typed> {
    let document = web_sys::window()?.document()?;
    let root = document.get_element_by_id(ROOT_ID)?;
    let shown = root.query_selector("[data-screen]").ok().flatten().and_then(|s| s.get_attribute("data-screen"));
    let active = document.active_element().filter(|a| root.contains(Some(a))).map(|a| a.id());
    let mut values = Vec::new();
    if let Ok(inputs) = root.query_selector_all("input") {
        for input in (0..inputs.length()).filter_map(|i| inputs.get(i)?.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            values.push((input.id(), input.value()));
            input.set_value("");
        }
    }
    let pending = root.has_attribute("data-pending");
    root.remove();
    (shown.as_deref() == Some(screen)).then(|| Typed { values, focused: active.filter(|id| !id.is_empty()), pending })
}

/// Removes the static first screen when a screen that takes nothing from it shows (the open
/// binder, storage that cannot be read).
pub fn remove() {
    drop(take(""));
}
