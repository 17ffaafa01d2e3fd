//! Vault benchmark in the browser: the two goals measured where the app runs, with
//! `localStorage` itself instead of the native benchmark's string map. Not part of the app, of CI
//! or of `scripts/test`: `scripts/bench-vault-browser` builds it (the app's `wasm-release` profile)
//! and `bench/browser/vault.mjs` runs it in headless Chromium; docs/benchmarks.md ("Vault
//! benchmarks", "In the browser") records the figures.
//!
//! The large binder is the one the native benchmark measures, from `health_binder_bench` (the
//! `bench/` crate), and the store is the app's own `BrowserStore`. The patient's allocator
//! (`ZeroOnFree`) is used, as in the app. Everything runs on the page's thread, the KDF included (the app derives in a worker;
//! the work is the same).
//!
//! - **Unlock**: read the header from `localStorage`, Argon2id (`KdfParams::recommended()`), open
//!   the passphrase slot, `VaultStore::load` (read the generations, decrypt, inflate, parse), next
//!   to the bare derivation, taking turns round by round.
//! - **Save**: `VaultStore::save` into `localStorage`, next to `serde_json::to_string(&binder)` and
//!   `localStorage.setItem` of that string under a key of its own (removed between rounds,
//!   untimed), taking turns.
//! - **Load alone** next to `getItem` + `serde_json::from_str` of the plain JSON (no goal), and a
//!   few single steps (the `setItem`/`getItem` calls alone).
//!
//! Query string knobs: `rounds` (unlock/KDF, 7) and `save_rounds` (save/load, 30). The result is
//! one `console.log` line: `BENCH_RESULT ` followed by JSON; progress lines start `BENCH `.

use std::hint::black_box;

use gloo_storage::{LocalStorage, Storage};
use health_binder_app::BrowserStore;
use health_binder_bench::{large_binder, stored_vault, take_turns};
use health_binder_core::Binder;
use health_binder_core::vault::{KdfParams, VaultStore};
use wasm_bindgen::prelude::*;

/// The patient's allocator, as in `src/main.rs`: every free is wiped, which the app pays too.
#[global_allocator]
static ALLOCATOR: health_binder_app::ZeroOnFree = health_binder_app::ZeroOnFree;

/// The plain side's key: outside the vault's `hb/` prefix.
const PLAIN_KEY: &str = "bench/plain";

fn describe(err: JsValue) -> String {
    js_sys::Error::from(err).message().into()
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
    #[wasm_bindgen(js_namespace = console, js_name = log)]
    fn console_log(text: &str);
}

fn main() {
    if let Err(message) = run() {
        console_log(&format!("BENCH_RESULT {}", serde_json::json!({ "error": message })));
    }
}

fn run() -> Result<(), String> {
    let rounds = query_count("rounds", 7);
    let save_rounds = query_count("save_rounds", 30);
    let storage = LocalStorage::raw();
    storage.clear().map_err(describe)?;

    let binder = large_binder();
    let plain = serde_json::to_string(&binder).map_err(|e| e.to_string())?;
    progress(&format!("binder built: {} bytes of JSON", plain.len()));

    // The device as the app leaves it (see `stored_vault`).
    let kdf = KdfParams::recommended();
    let mut store = stored_vault(BrowserStore, &binder, &kdf).map_err(|e| e.to_string())?;
    let id = binder.id;
    let vault_chars = stored_chars();
    storage.set_item(PLAIN_KEY, &plain).map_err(|e| format!("the plain JSON does not fit: {}", describe(e)))?;
    let both_chars = stored_chars();
    storage.remove_item(PLAIN_KEY).map_err(describe)?;
    progress(&format!("vault stored: {vault_chars} characters; with the plain JSON: {both_chars}"));

    // ------------------------------------------------------------------ unlock vs bare KDF
    let unlock = || health_binder_bench::unlock(&store, &binder).expect("unlock");
    let bare_kdf = || kdf.derive(health_binder_bench::PASSPHRASE.as_bytes()).expect("derive");
    // Once untimed: checks the round trip and warms the allocator (64 MiB for Argon2).
    let (vault, loaded) = unlock();
    drop(loaded);
    black_box(bare_kdf());
    let (unlock_times, kdf_times) = interleaved(rounds, unlock, bare_kdf);
    progress("unlock done");

    // ------------------------------------------------------------------ save vs plain JSON + setItem
    let save = |store: &mut VaultStore<BrowserStore>| store.save(&vault, &binder).expect("save");
    let plain_write = || {
        let text = serde_json::to_string(&binder).expect("serialize");
        storage.set_item(PLAIN_KEY, &text).expect("setItem");
    };
    let plain_clear = || storage.remove_item(PLAIN_KEY).expect("removeItem");
    save(&mut store);
    plain_write();
    plain_clear();
    let (save_times, plain_times) = take_turns(
        save_rounds,
        || timed(|| save(&mut store)),
        || {
            let time = timed(plain_write);
            plain_clear();
            time
        },
    );
    progress("save done");

    // ------------------------------------------------------------------ load alone vs plain read
    storage.set_item(PLAIN_KEY, &plain).map_err(describe)?;
    let load = || store.load(&vault).expect("load");
    let plain_read = || {
        let text = storage.get_item(PLAIN_KEY).expect("getItem").expect("stored");
        serde_json::from_str::<Binder>(&text).expect("parse")
    };
    if !(load().binder == binder && plain_read() == binder) {
        return Err("a read differs from the binder".into());
    }
    let (load_times, parse_times) = interleaved(save_rounds, load, plain_read);

    // ------------------------------------------------------------------ single steps (no goal)
    // The newest generation, by the head (the vault's keys: `hb/v1/binder/{id}/head`, `…/gen/{n}`).
    let head = storage.get_item(&format!("hb/v1/binder/{id}/head")).map_err(describe)?.unwrap_or_default();
    let generation_key = Some(format!("hb/v1/binder/{id}/gen/{}", head.trim()));
    let generation = generation_key.as_ref().and_then(|k| storage.get_item(k).ok().flatten()).unwrap_or_default();
    let scratch = "bench/scratch";
    let n = save_rounds;
    let steps = serde_json::json!({
        "generation_key": generation_key,
        "generation_chars": generation.len(),
        "plain_to_string_ms": median_of(n, || serde_json::to_string(&binder).expect("serialize")),
        "plain_set_item_ms": median_of(n, || {
            let t = timed(|| storage.set_item(scratch, &plain).expect("setItem"));
            storage.remove_item(scratch).expect("removeItem");
            t
        }),
        "plain_get_item_ms": median_of(n, || timed(|| storage.get_item(PLAIN_KEY).expect("getItem"))),
        "plain_from_str_ms": median_of(n, || timed(|| serde_json::from_str::<Binder>(&plain).expect("parse"))),
        "generation_set_item_ms": median_of(n, || {
            let t = timed(|| storage.set_item(scratch, &generation).expect("setItem"));
            storage.remove_item(scratch).expect("removeItem");
            t
        }),
        "generation_get_item_ms": generation_key.as_ref().map(|k| {
            median_of(n, || timed(|| storage.get_item(k).expect("getItem")))
        }),
    });

    let result = serde_json::json!({
        "binder": {
            "medications": binder.medications.len(),
            "vitals": binder.vitals.len(),
            "results": binder.results.len(),
            "plain_json_bytes": plain.len(),
        },
        "kdf": { "alg": kdf.alg, "m_kib": kdf.m_kib, "t": kdf.t, "p": kdf.p },
        "stored_chars": { "vault": vault_chars, "vault_and_plain": both_chars },
        "user_agent": web_sys::window().map(|w| w.navigator().user_agent().unwrap_or_default()),
        "times_ms": {
            "kdf": kdf_times,
            "unlock": unlock_times,
            "plain_write": plain_times,
            "save": save_times,
            "plain_read": parse_times,
            "load": load_times,
        },
        "steps_median_ms": steps,
    });
    console_log(&format!("BENCH_RESULT {result}"));
    Ok(())
}

fn progress(text: &str) {
    console_log(&format!("BENCH {text}"));
}

/// Characters of keys and values in `localStorage` (what Chromium's quota counts, as UTF-16).
fn stored_chars() -> usize {
    let storage = LocalStorage::raw();
    (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .map(|k| k.encode_utf16().count() + storage.get_item(&k).ok().flatten().map_or(0, |v| v.encode_utf16().count()))
        .sum()
}

fn query_count(name: &str, default: usize) -> usize {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(default)
}

// ---------------------------------------------------------------------- timing

/// Milliseconds `f` takes (`performance.now()`); its result is dropped after the clock stops.
fn timed<T>(f: impl FnOnce() -> T) -> f64 {
    let start = performance_now();
    let out = f();
    let elapsed = performance_now() - start;
    drop(black_box(out));
    elapsed
}

/// Median of `rounds` calls of `f`, after one untimed call. `f` returns either what it makes (then
/// it is timed whole) or, for steps that need untimed clean-up, its own time as `f64`.
fn median_of<T: Timing>(rounds: usize, mut f: impl FnMut() -> T) -> f64 {
    black_box(f());
    let times: Vec<f64> = (0..rounds).map(|_| T::time(&mut f)).collect();
    median(&times)
}

trait Timing: Sized {
    fn time(f: &mut impl FnMut() -> Self) -> f64;
}

impl Timing for f64 {
    fn time(f: &mut impl FnMut() -> f64) -> f64 {
        f()
    }
}

impl Timing for String {
    fn time(f: &mut impl FnMut() -> String) -> f64 {
        timed(f)
    }
}

/// `rounds` timings of `a` and of `b`, taking turns (see `health_binder_bench::take_turns`).
fn interleaved<A, B>(rounds: usize, a: impl Fn() -> A, b: impl Fn() -> B) -> (Vec<f64>, Vec<f64>) {
    take_turns(rounds, || timed(&a), || timed(&b))
}

fn median(times: &[f64]) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n.is_multiple_of(2) { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 } else { sorted[n / 2] }
}
