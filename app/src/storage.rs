//! The vault's key–value store in the browser: `localStorage` through gloo-storage. It only ever
//! sees sealed generations and the key-wrapping header, never plaintext.

use gloo_storage::{LocalStorage, Storage};
use health_binder_core::vault::{KeyValue, StorageError};

#[derive(Clone, Copy, Default)]
pub struct BrowserStore;

fn describe(err: wasm_bindgen::JsValue) -> String {
    js_sys::Error::from(err).message().into()
}

impl KeyValue for BrowserStore {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        LocalStorage::raw().get_item(key).map_err(|e| StorageError::Unavailable(describe(e)))
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        // Quota exceeded lands here: the caller keeps the binder in memory and says so.
        LocalStorage::raw().set_item(key, value).map_err(|e| StorageError::Write(describe(e)))
    }

    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        LocalStorage::raw().remove_item(key).map_err(|e| StorageError::Write(describe(e)))
    }
}
