//! Argon2id in a Web Worker (`src/bin/kdf_worker.rs`): the page stays responsive, and shows how far
//! along a derivation probably is from how long the last one took on this device.

use std::cell::Cell;

use gloo_storage::{SessionStorage, Storage};
use health_binder_core::vault::{
    Derivation, KdfParams, SlotKind, Unlock, UnlockedVault, generate_recovery_code, normalize_recovery_code,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::i18n::{t, t_text};

/// How long the last derivation took here (ms): a timing, not a secret, kept for the tab only
/// (sessionStorage) so that a failed unlock leaves the stored vault byte-for-byte as it was.
const LAST_DURATION: &str = "hb/v1/settings/kdf-ms";
/// Trunk's loader for the worker (see app/index.html).
const WORKER_URL: &str = "/kdf/kdf_worker_loader.js";

thread_local! {
    /// When the running derivation started, and how long it is expected to take (ms).
    static RUNNING: Cell<Option<(f64, f64)>> = const { Cell::new(None) };
}

fn expected_ms() -> f64 {
    SessionStorage::raw()
        .get_item(LAST_DURATION)
        .ok()
        .flatten()
        .and_then(|t| t.parse::<u32>().ok())
        .map_or(1500.0, f64::from)
}

/// How far along the running derivation probably is (0–0.95), or `None` when none runs. An
/// estimate from the last one's duration, never shown as done before it is.
pub fn progress() -> Option<f64> {
    let (started, expected) = RUNNING.with(Cell::get)?;
    Some(((js_sys::Date::now() - started) / expected).clamp(0.0, 0.95))
}

/// Derives the 32-byte key for `secret` with `params`, in a worker.
pub async fn derive(params: &KdfParams, secret: &[u8]) -> Result<Zeroizing<[u8; 32]>, String> {
    let worker = web_sys::Worker::new(WORKER_URL).map_err(|_| t("This browser could not start the key worker."))?;
    let answer = js_sys::Promise::new(&mut |resolve, reject| {
        let on_message = Closure::once_into_js(move |event: web_sys::MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &event.data());
        });
        let on_error = Closure::once_into_js(move |_: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(t("The key worker failed.")));
        });
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(on_error.unchecked_ref()));
    });
    let message = js_sys::Array::new();
    message.push(&JsValue::from_str(&params.alg));
    message.push(&JsValue::from(params.m_kib));
    message.push(&JsValue::from(params.t));
    message.push(&JsValue::from(params.p));
    message.push(&js_sys::Uint8Array::from(params.salt.as_slice()));
    // The secret's bytes are handed over, not copied: transferring the buffer empties (detaches)
    // the page's copy, so no JavaScript array here keeps the passphrase after the worker has it.
    let secret = js_sys::Uint8Array::from(secret);
    message.push(&secret);
    let started = js_sys::Date::now();
    RUNNING.with(|r| r.set(Some((started, expected_ms()))));
    let posted = worker.post_message_with_transfer(&message, &js_sys::Array::of1(&secret.buffer()));
    let result = match posted {
        Ok(()) => wasm_bindgen_futures::JsFuture::from(answer).await,
        Err(e) => Err(e),
    };
    worker.terminate();
    RUNNING.with(|r| r.set(None));
    let value = result.map_err(|e| e.as_string().unwrap_or_else(|| t("The key worker failed.").into()))?;
    if let Some(problem) = value.as_string() {
        return Err(t_text(&problem));
    }
    let bytes = js_sys::Uint8Array::new(&value);
    let mut key = Zeroizing::new([0u8; 32]);
    if bytes.length() != 32 {
        return Err(t("The key worker answered something unexpected.").into());
    }
    bytes.copy_to(key.as_mut());
    bytes.fill(0, 0, 32);
    let _ = SessionStorage::raw().set_item(LAST_DURATION, &((js_sys::Date::now() - started) as u64).to_string());
    Ok(key)
}

/// Runs the derivations `unlock` asks for, one worker each; core then answers what they opened.
pub async fn run(mut unlock: Unlock) -> Result<Unlock, String> {
    while let Some(Derivation { params, secret }) = unlock.next_derivation() {
        let key = derive(&params, &secret).await?;
        unlock.derived(&params, key);
    }
    Ok(unlock)
}

/// Gives `vault` a new recovery code (replacing any earlier one) and returns it, to show once.
pub async fn new_recovery_code(vault: &mut UnlockedVault) -> Result<String, String> {
    let code = generate_recovery_code();
    let params = KdfParams::recommended();
    let kek = derive(&params, normalize_recovery_code(&code).as_bytes()).await?;
    vault.replace_slot_with_key(SlotKind::RecoveryCode, params, &kek);
    Ok(code)
}
