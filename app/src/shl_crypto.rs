//! The viewer opens a link's files with the browser's own cryptography: AES-GCM through WebCrypto
//! and raw DEFLATE through `DecompressionStream`, by core's format rules (`jwe::unseal`, the same
//! checks as `jwe::decrypt`). Native code instead of compiled-in crates: the viewer downloads
//! less and opens a large record sooner.

use health_binder_core::jwe::{self, JweError, MAX_INFLATED};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CryptoKey, ReadableStream, ReadableStreamDefaultReader, ReadableWritablePair, WritableStream};

// `DecompressionStream` (every current browser has it) is behind web-sys' unstable-API flag, so
// the three members used are declared here.
#[wasm_bindgen]
extern "C" {
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> WritableStream;
}

use crate::reply_crypto::{algorithm, bytes, subtle, wait};

/// Opens one compact JWE (`dir`, `A256GCM`, perhaps `zip: DEF`) with `key`.
pub async fn decrypt(key: &[u8; 32], file: &str) -> Result<(Vec<u8>, Option<String>), JweError> {
    let sealed = jwe::unseal(file)?;
    let plaintext = aes_gcm(key, &sealed).await.ok_or(JweError::Decrypt)?;
    if !sealed.deflated {
        return Ok((plaintext, sealed.content_type));
    }
    Ok((inflate(&plaintext).await?, sealed.content_type))
}

/// `None` when the file does not authenticate under `key` (or WebCrypto is missing).
async fn aes_gcm(key: &[u8; 32], sealed: &jwe::Sealed) -> Option<Vec<u8>> {
    let subtle = subtle().ok()?;
    let aes = algorithm(&[("name", &"AES-GCM".into())]);
    let raw: Object = Uint8Array::from(key.as_slice()).into();
    let key: CryptoKey = wait(subtle.import_key_with_object("raw", &raw, &aes, false, &Array::of1(&"decrypt".into())))
        .await
        .ok()?
        .unchecked_into();
    let params = algorithm(&[
        ("name", &"AES-GCM".into()),
        ("iv", &Uint8Array::from(sealed.iv.as_slice()).into()),
        ("additionalData", &Uint8Array::from(sealed.aad.as_bytes()).into()),
        ("tagLength", &JsValue::from_f64(128.0)),
    ]);
    let opened = wait(subtle.decrypt_with_object_and_u8_array(&params, &key, &sealed.ciphertext_and_tag)).await.ok()?;
    Some(bytes(&opened))
}

/// Raw DEFLATE, read chunk by chunk and stopped past [`MAX_INFLATED`], so a small file cannot
/// expand into gigabytes in the clinician's browser.
async fn inflate(deflated: &[u8]) -> Result<Vec<u8>, JweError> {
    let parts = Array::of1(&Uint8Array::from(deflated));
    let blob = Blob::new_with_u8_array_sequence(&parts).map_err(|_| JweError::Decompress)?;
    let inflater = DecompressionStream::new("deflate-raw").map_err(|_| JweError::Decompress)?;
    let stream = blob.stream().pipe_through(&ReadableWritablePair::new(&inflater.readable(), &inflater.writable()));
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(|_| JweError::Decompress)?;
        if Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            return Ok(out);
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into()).map_err(|_| JweError::Decompress)?.unchecked_into();
        if out.len() + value.length() as usize > MAX_INFLATED {
            let _ = reader.cancel();
            return Err(JweError::TooLarge);
        }
        let start = out.len();
        out.resize(start + value.length() as usize, 0);
        value.copy_to(&mut out[start..]);
    }
}
