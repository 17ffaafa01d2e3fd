//! Updates are never silent (see `public/sw.js`): a new version waits beside the running one, the
//! patient is told it is ready, with its build hash, and it takes over when they agree — or by
//! itself once every tab of the app is closed, which browsers impose. The service worker API is
//! reached through `Reflect`, which costs less wasm than web-sys's bindings for it.

use js_sys::{Array, Function, Object, Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::http;

/// How often an open app asks the relay for a new version (the browser also asks at every start).
const CHECK_EVERY_MS: u32 = 30 * 60 * 1000;

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn call(target: &JsValue, method: &str, args: &[&JsValue]) -> Option<JsValue> {
    let function: Function = get(target, method).dyn_into().ok()?;
    function.apply(target, &args.iter().copied().collect::<Array>()).ok()
}

fn container() -> Option<JsValue> {
    let container = get(&web_sys::window()?.navigator(), "serviceWorker");
    (!container.is_undefined()).then_some(container)
}

fn message(kind: &str) -> JsValue {
    let message = Object::new();
    let _ = Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str(kind));
    message.into()
}

async fn registration(container: &JsValue) -> Option<JsValue> {
    let promise: Promise = call(container, "getRegistration", &[])?.dyn_into().ok()?;
    let registration = JsFuture::from(promise).await.ok()?;
    (!registration.is_undefined()).then_some(registration)
}

/// Installs the service worker, then calls `ready` with the build hash of a new version whenever
/// one is waiting to take over (one found earlier included). Best effort: a browser without
/// service workers runs the app online, and always the version the relay serves.
pub fn watch(ready: impl Fn(String) + 'static) {
    let Some(container) = container() else { return };
    let on_message = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        let data = get(&event, "data");
        if get(&data, "type").as_string().as_deref() == Some("update-ready")
            && let Some(build) = get(&data, "build").as_string()
        {
            ready(build);
        }
    });
    call(&container, "addEventListener", &[&JsValue::from_str("message"), on_message.as_ref()]);
    on_message.forget();
    call(&container, "startMessages", &[]);
    call(&container, "register", &[&JsValue::from_str("/sw.js")]);
    wasm_bindgen_futures::spawn_local(async move {
        let Some(registration) = registration(&container).await else { return };
        let waiting = get(&registration, "waiting");
        if !waiting.is_null() && !waiting.is_undefined() {
            call(&waiting, "postMessage", &[&message("which-build")]);
        }
        gloo_timers::callback::Interval::new(CHECK_EVERY_MS, move || {
            call(&registration, "update", &[]);
        })
        .forget();
    });
}

/// The patient agreed: the waiting version takes over and the page reloads into it.
pub fn use_new_version() {
    let Some(container) = container() else { return };
    let reload = Closure::<dyn Fn()>::new(|| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    call(&container, "addEventListener", &[&JsValue::from_str("controllerchange"), reload.as_ref()]);
    reload.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let Some(registration) = registration(&container).await else { return };
        for state in ["waiting", "installing"] {
            let worker = get(&registration, state);
            if !worker.is_null() && !worker.is_undefined() {
                call(&worker, "postMessage", &[&message("activate")]);
                return;
            }
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
