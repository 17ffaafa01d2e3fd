//! Health Binder in the browser: views and browser glue only; every rule lives in
//! `health-binder-core`. Two entry points share this library, so each downloads only what it
//! uses: the patient's app (`src/main.rs`, served at `/`) and the clinician's viewer
//! (`src/bin/viewer.rs`, served at `/view`), which holds no vault, passphrase or QR code.

mod auto_lock;
mod browser;
mod common_passwords;
mod components;
mod emergency_card;
mod first_screen;
mod http;
mod i18n;
mod kdf;
mod pages;
mod patient;
mod relay;
mod reply_crypto;
mod session;
mod shl_client;
mod shl_crypto;
mod storage;
mod updates;
mod zero_on_free;

pub use i18n::Translated;
pub use pages::ViewerPage;
pub use patient::PatientApp;
// The app's localStorage store, also measured by the browser benchmark (src/bin/bench_vault.rs).
pub use storage::BrowserStore;
pub use zero_on_free::ZeroOnFree;
