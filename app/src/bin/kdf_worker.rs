//! The key-derivation worker: runs Argon2id (64 MiB, 3 passes) off the page's thread, so the page
//! keeps painting and answering while a passphrase is checked. One worker per derivation: it is
//! terminated afterwards, which also hands its 64 MiB back to the phone.
//!
//! Message in: `[alg, m_kib, t, p, salt: Uint8Array, secret: Uint8Array]`.
//! Message out: the 32-byte key as a `Uint8Array`, or an error as a string.

use health_binder_core::vault::KdfParams;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};
use zeroize::Zeroize;

fn derive(data: &js_sys::Array) -> Result<js_sys::Uint8Array, String> {
    let number = |i: u32| data.get(i).as_f64().map(|n| n as u32).ok_or("bad parameters");
    let params = KdfParams {
        alg: data.get(0).as_string().ok_or("bad parameters")?,
        m_kib: number(1)?,
        t: number(2)?,
        p: number(3)?,
        salt: js_sys::Uint8Array::new(&data.get(4)).to_vec(),
    };
    // Read, then wiped where it arrived (the page transferred it here rather than copying it).
    let arrived = js_sys::Uint8Array::new(&data.get(5));
    let mut secret = arrived.to_vec();
    arrived.fill(0, 0, arrived.length());
    let key = params.derive(&secret).map_err(|e| e.to_string());
    secret.zeroize();
    Ok(js_sys::Uint8Array::from(key?.as_slice()))
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let answer = match derive(&event.data().unchecked_into()) {
            Ok(key) => JsValue::from(key),
            Err(e) => JsValue::from_str(&e),
        };
        let _ = reply.post_message(&answer);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}
