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

use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use serde::Deserialize;
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

/// Calls `handler` on every `event` of `target`, for the life of the page.
fn on(target: &JsValue, event: &str, handler: impl Fn() + 'static) {
    let handler = Closure::<dyn Fn()>::new(handler);
    call(target, "addEventListener", &[&JsValue::from_str(event), handler.as_ref()]);
    handler.forget();
}

fn container() -> Option<JsValue> {
    present(get(&web_sys::window()?.navigator(), "serviceWorker"))
}

fn message(kind: &str) -> JsValue {
    let message = Object::new();
    let _ = Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str(kind));
    message.into()
}

/// The service worker's answer to `kind`, on a channel made for this one question.
async fn ask(worker: &JsValue, kind: &str) -> Option<JsValue> {
    let constructor: Function = get(&js_sys::global(), "MessageChannel").dyn_into().ok()?;
    let channel = Reflect::construct(&constructor, &Array::new()).ok()?;
    let (mine, theirs) = (get(&channel, "port1"), get(&channel, "port2"));
    let reply = Promise::new(&mut |resolve, _| {
        let _ = Reflect::set(&mine, &JsValue::from_str("onmessage"), &resolve);
    });
    call(worker, "postMessage", &[&message(kind), &Array::of1(&theirs)])?;
    let event = JsFuture::from(reply).await.ok()?;
    present(get(&event, "data"))
}

/// Offers `worker` if it is installed beside the version this tab runs, i.e. waits to replace it:
/// it names its build. The first version of all (nothing controls the page yet) starts by itself,
/// so there is nothing to offer then.
fn offer_if_installed(container: &JsValue, worker: &JsValue, ready: &Rc<dyn Fn(String)>) {
    if present(get(container, "controller")).is_none()
        || get(worker, "state").as_string().as_deref() != Some("installed")
    {
        return;
    }
    let (worker, ready) = (worker.clone(), ready.clone());
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(build) = ask(&worker, "which-build").await.and_then(|data| get(&data, "build").as_string()) {
            ready(build);
        }
    });
}

/// Offers `worker` once it is installed: now if it is, else on its `statechange` (the listener is
/// added before the state is read, so the change cannot fall between; an offer made twice is
/// the same offer).
fn consider(container: &JsValue, worker: JsValue, ready: &Rc<dyn Fn(String)>) {
    let (listener_container, listener_worker, listener_ready) = (container.clone(), worker.clone(), ready.clone());
    on(&worker, "statechange", move || offer_if_installed(&listener_container, &listener_worker, &listener_ready));
    offer_if_installed(container, &worker, ready);
}

/// Installs the service worker, then calls `ready` with the build hash of a new version whenever
/// one waits to take over (one found earlier included). Best effort: a browser without service
/// workers runs the app online, and always the version the relay serves.
pub fn watch(ready: impl Fn(String) + 'static) {
    let Some(container) = container() else { return };
    let ready: Rc<dyn Fn(String)> = Rc::new(ready);
    wasm_bindgen_futures::spawn_local(async move {
        let Some(registering) = call(&container, "register", &[&JsValue::from_str("/sw.js")]) else { return };
        let Ok(Some(registration)) = JsFuture::from(Promise::from(registering)).await.map(present) else { return };
        // One task from here on: every new worker is either found below or announced by
        // `updatefound`, never neither.
        {
            let (container, target, ready) = (container.clone(), registration.clone(), ready.clone());
            let registration = registration.clone();
            on(&target, "updatefound", move || {
                if let Some(worker) = present(get(&registration, "installing")) {
                    consider(&container, worker, &ready);
                }
            });
        }
        for state in ["installing", "waiting"] {
            if let Some(worker) = present(get(&registration, state)) {
                consider(&container, worker, &ready);
            }
        }
        // A new version is looked for at every start (browsers also look on their own schedule),
        // then every half hour while the app stays open. Offline, the check just fails.
        let check = move || {
            if let Some(promise) = call(&registration, "update", &[]).and_then(|p| p.dyn_into::<Promise>().ok()) {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = JsFuture::from(promise).await;
                });
            }
        };
        check();
        gloo_timers::callback::Interval::new(CHECK_EVERY_MS, check).forget();
    });
}

/// The patient agreed: the waiting version takes over and the page reloads into it once it
/// controls this page (`controllerchange`, which the service worker's activation fires here).
pub fn use_new_version() {
    let Some(container) = container() else { return };
    let reload = || {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    wasm_bindgen_futures::spawn_local(async move {
        let registration = match call(&container, "getRegistration", &[]).and_then(|p| p.dyn_into::<Promise>().ok()) {
            Some(promise) => JsFuture::from(promise).await.ok().and_then(present),
            None => None,
        };
        match registration.and_then(|registration| present(get(&registration, "waiting"))) {
            Some(waiting) => {
                on(&container, "controllerchange", reload);
                call(&waiting, "postMessage", &[&message("skip-waiting")]);
            }
            // Another tab of the app switched already: this one now runs under the new version,
            // and a reload loads it.
            None => reload(),
        }
    });
}

#[derive(Deserialize)]
struct BuildInfo {
    build: String,
}

/// The build hash of the version running in this tab: the service worker answers `/build.json`
/// from the version it serves (before it is installed, the relay answers for the page it just
/// sent).
pub async fn running_build() -> Option<String> {
    let response = http::send("/build.json", &http::request("GET", None, None)).await.ok()?;
    if !response.ok() {
        return None;
    }
    http::json::<BuildInfo>(&response).await.ok().map(|info| info.build)
}
