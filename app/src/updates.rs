//! Updates are never silent (see `public/sw.js`): a new version waits beside the running one, the
//! patient is told it is ready, with its build hash, and it takes over when they agree — or by
//! itself once every tab of the app is closed, which browsers impose. The service worker API is
//! reached through `Reflect`, which costs less wasm than web-sys's bindings for it.
//!
//! Nothing here depends on timing. The page learns of a new version only from states it reads and
//! events on objects it holds: the registration's `installing` and `waiting` workers, read in the
//! same task that adds the `updatefound` listener (so no new version can slip between the two),
//! and each new worker's `state`, read after its `statechange` listener is added. The waiting
//! version names its build in a reply on a message channel made for that one question, and the
//! page switches on its own `controllerchange`. The service worker never broadcasts: a message
//! sent before the page listens would be lost.

use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::{RwSignal, Set};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::http;

/// How often an open app asks the relay for a new version (it also asks at every start).
const CHECK_EVERY_MS: u32 = 30 * 60 * 1000;

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn present(value: JsValue) -> Option<JsValue> {
    (!value.is_null() && !value.is_undefined()).then_some(value)
}

fn call(target: &JsValue, method: &str, args: &[&JsValue]) -> Option<JsValue> {
    let function: Function = get(target, method).dyn_into().ok()?;
    function.apply(target, &args.iter().copied().collect::<Array>()).ok()
}

/// A JavaScript function calling `handler` with its argument, kept for the life of the page. Of
/// the type of Leptos' own event listeners, so its glue is already in the build (a promise's
/// value passes through it unchecked: only `JsValue`s are read from it).
fn callback(handler: impl Fn(JsValue) + 'static) -> JsValue {
    Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| handler(event.into())).into_js_value()
}

fn on(target: &JsValue, event: &str, handler: impl Fn(JsValue) + 'static) {
    call(target, "addEventListener", &[&JsValue::from_str(event), &callback(handler)]);
}

/// `promise.then(handler)`, its failure ignored (offline, the browser has nothing to say).
fn then(promise: Option<JsValue>, handler: impl Fn(JsValue) + 'static) {
    if let Some(next) = promise.and_then(|promise| call(&promise, "then", &[&callback(handler)])) {
        call(&next, "catch", &[&callback(|_| ())]);
    }
}

fn container() -> Option<JsValue> {
    present(get(&web_sys::window()?.navigator(), "serviceWorker"))
}

fn message(kind: &str) -> JsValue {
    let message = Object::new();
    let _ = Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str(kind));
    message.into()
}

/// Offers `worker` if it is installed beside the version this tab runs, i.e. waits to replace it:
/// it is asked its build on a message channel of its own, and the offer appears with its answer.
/// The first version of all (nothing controls the page yet) starts by itself: nothing to offer.
fn offer_if_installed(container: &JsValue, worker: &JsValue, offer: RwSignal<Option<String>>) {
    if present(get(container, "controller")).is_none()
        || get(worker, "state").as_string().as_deref() != Some("installed")
    {
        return;
    }
    let Ok(constructor) = get(&js_sys::global(), "MessageChannel").dyn_into::<Function>() else { return };
    let Ok(channel) = Reflect::construct(&constructor, &Array::new()) else { return };
    let (mine, theirs) = (get(&channel, "port1"), get(&channel, "port2"));
    // The listener holds its port, so the port outlives the wait for the answer.
    let port = mine.clone();
    on(&mine, "message", move |event| {
        let _ = &port;
        if let Some(build) = get(&get(&event, "data"), "build").as_string() {
            offer.set(Some(build));
        }
    });
    call(&mine, "start", &[]);
    call(worker, "postMessage", &[&message("which-build"), &Array::of1(&theirs)]);
}

/// Offers `worker` once it is installed: now if it is, else on its `statechange` (the listener is
/// added before the state is read, so the change cannot fall between; an offer made twice is
/// the same offer).
fn consider(container: &JsValue, worker: JsValue, offer: RwSignal<Option<String>>) {
    let (listening, installing) = (container.clone(), worker.clone());
    on(&worker, "statechange", move |_| offer_if_installed(&listening, &installing, offer));
    offer_if_installed(container, &worker, offer);
}

/// Installs the service worker, then sets `offer` to the build hash of a new version whenever one
/// waits to take over (one found earlier included). Best effort: a browser without service
/// workers runs the app online, and always the version the relay serves.
pub fn watch(offer: RwSignal<Option<String>>) {
    let Some(container) = container() else { return };
    let registering = call(&container, "register", &[&JsValue::from_str("/sw.js")]);
    then(registering, move |registration| {
        // One task from here on: every new worker is either found below or announced by
        // `updatefound`, never neither.
        let (listening, target) = (container.clone(), registration.clone());
        on(&target, "updatefound", move |_| {
            if let Some(worker) = present(get(&registration, "installing")) {
                consider(&listening, worker, offer);
            }
        });
        for state in ["installing", "waiting"] {
            if let Some(worker) = present(get(&target, state)) {
                consider(&container, worker, offer);
            }
        }
        // A new version is looked for at every start (browsers also look on their own schedule),
        // then every half hour while the app stays open.
        let check = move || then(call(&target, "update", &[]), |_| ());
        check();
        gloo_timers::callback::Interval::new(CHECK_EVERY_MS, check).forget();
    });
}

/// The patient agreed: the waiting version takes over and the page reloads into it once it
/// controls this page (`controllerchange`, which the service worker's activation fires here).
pub fn use_new_version() {
    let Some(container) = container() else { return };
    let reload = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    then(call(&container, "getRegistration", &[]), move |registration| {
        match present(registration).and_then(|registration| present(get(&registration, "waiting"))) {
            Some(waiting) => {
                on(&container, "controllerchange", reload);
                call(&waiting, "postMessage", &[&message("skip-waiting")]);
            }
            // Another tab of the app switched already: this one now runs under the new version,
            // and a reload loads it.
            None => reload(JsValue::UNDEFINED),
        }
    });
}

/// The build hash of the version running in this tab: the service worker answers `/build.json`
/// from the version it serves (before it is installed, the relay answers for the page it just
/// sent). Read with the browser's JSON parser: a serde reader for one field would cost more wasm.
pub async fn running_build() -> Option<String> {
    let response = http::send("/build.json", &http::request("GET", None, None)).await.ok()?;
    if !response.ok() {
        return None;
    }
    let info = JsFuture::from(response.json().ok()?).await.ok()?;
    get(&info, "build").as_string()
}
