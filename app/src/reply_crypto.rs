//! A clinician's reply, encrypted in the viewer with the browser's own WebCrypto: ECDH on P-256
//! with a fresh ephemeral key, SHA-256 over the Concat KDF input, AES-256-GCM. The format rules
//! (header, KDF input, the five parts) are `core::reply::jwe`'s; only the arithmetic is the
//! browser's, so the viewer's download carries no elliptic-curve code. `core` opens the result
//! natively (`core/tests/reply.rs` holds a reply made by these same calls).

use health_binder_core::reply::jwe::{PublicJwk, compact, kdf_input, protected_header};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

const FAILED: &str = "This browser could not encrypt the reply (it needs a secure page: https or localhost).";

pub(crate) fn subtle() -> Result<SubtleCrypto, String> {
    let crypto = web_sys::window().ok_or(FAILED)?.crypto().map_err(|_| FAILED)?;
    Ok(crypto.subtle())
}

/// `{name, …}` as the algorithm objects WebCrypto takes.
pub(crate) fn algorithm(entries: &[(&str, &JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in entries {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object
}

pub(crate) async fn wait(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, String> {
    JsFuture::from(promise.map_err(|_| FAILED)?).await.map_err(|_| FAILED.to_owned())
}

pub(crate) fn bytes(value: &JsValue) -> Vec<u8> {
    Uint8Array::new(value).to_vec()
}

fn text(object: &JsValue, key: &str) -> String {
    Reflect::get(object, &JsValue::from_str(key)).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// Encrypts `plaintext` to the patient's reply key: a compact JWE (`ECDH-ES`, `A256GCM`).
pub async fn encrypt(recipient: &PublicJwk, plaintext: &[u8], content_type: &str) -> Result<String, String> {
    let subtle = subtle()?;
    let ecdh = algorithm(&[("name", &"ECDH".into()), ("namedCurve", &"P-256".into())]);
    let derive = Array::of1(&"deriveBits".into());
    let pair = wait(subtle.generate_key_with_object(&ecdh, true, &derive)).await?;
    let private: CryptoKey = Reflect::get(&pair, &"privateKey".into()).map_err(|_| FAILED)?.unchecked_into();
    let public: CryptoKey = Reflect::get(&pair, &"publicKey".into()).map_err(|_| FAILED)?.unchecked_into();
    let exported = wait(subtle.export_key("jwk", &public)).await?;
    let epk = PublicJwk { kty: "EC".into(), crv: "P-256".into(), x: text(&exported, "x"), y: text(&exported, "y") };

    let jwk = js_sys::JSON::parse(&serde_json::to_string(recipient).map_err(|_| FAILED)?).map_err(|_| FAILED)?;
    let them = wait(subtle.import_key_with_object("jwk", jwk.unchecked_ref(), &ecdh, false, &Array::new())).await?;
    let agreement = algorithm(&[("name", &"ECDH".into()), ("public", &them)]);
    let z = bytes(&wait(subtle.derive_bits_with_object(&agreement, &private, 256)).await?);
    let key_bytes = bytes(&wait(subtle.digest_with_str_and_u8_array("SHA-256", &kdf_input(&z))).await?);

    let aes = algorithm(&[("name", &"AES-GCM".into())]);
    let raw: Object = Uint8Array::from(key_bytes.as_slice()).into();
    let key: CryptoKey = wait(subtle.import_key_with_object("raw", &raw, &aes, false, &Array::of1(&"encrypt".into())))
        .await?
        .unchecked_into();
    let header = protected_header(&epk, content_type);
    let iv = health_binder_core::random::bytes::<12>();
    let params = algorithm(&[
        ("name", &"AES-GCM".into()),
        ("iv", &Uint8Array::from(iv.as_slice()).into()),
        ("additionalData", &Uint8Array::from(header.as_bytes()).into()),
        ("tagLength", &JsValue::from_f64(128.0)),
    ]);
    let sealed = bytes(&wait(subtle.encrypt_with_object_and_u8_array(&params, &key, plaintext)).await?);
    Ok(compact(&header, &iv, &sealed))
}
