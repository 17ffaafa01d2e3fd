//! Vault benchmark: unlocking and saving a large binder, each next to the work it cannot avoid.
//!
//! Not a test and not run by CI: `scripts/bench-vault` runs it (release build), and
//! docs/benchmarks.md ("Vault benchmarks") says what it measures and records the figures. The
//! large binder comes from this crate's library (`health_binder_bench::large_binder`), shared with
//! the browser benchmark.
//!
//! - **Unlock** as the app does it (`VaultStore::header`, `UnlockedVault::unlock`, `VaultStore::load`
//!   from a store holding the stored strings) next to the bare Argon2id derivation with the same
//!   parameters (`KdfParams::recommended()`), taking turns round by round. Goal: ≤ 1.5×.
//! - **Save** (`VaultStore::save`: serialize, deflate, encrypt, base64, JSON envelope, store write)
//!   next to `serde_json::to_string` of the binder written to the same kind of string map, which
//!   stands in for `localStorage` natively. Goal: ≤ 1.5×.
//! - **Load** alone (the part of an unlock that is not the KDF) next to reading and parsing the plain
//!   JSON, and both save and load step by step, to show where the time goes. No goal.
//! - **Sizes**: the plain JSON, one sealed generation, and all the vault keeps in `localStorage`
//!   (`KEEP_GENERATIONS` generations and the header) against the usual 5 MB budget: how many such
//!   binders fit on one device.
//! - **DEFLATE levels**: what levels 1, 3 and 6 would make of the JSON (size, time to deflate and
//!   to inflate), next to the level the vault uses (`DEFLATE_LEVEL`).
//!
//! Knobs (environment): `BENCH_ROUNDS` (unlock/KDF rounds, 7), `BENCH_SAVE_ROUNDS` (save and load
//! rounds, 30).

use std::hint::black_box;
use std::time::{Duration, Instant};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use health_binder_bench::{PASSPHRASE, large_binder, stored_vault, take_turns};
use health_binder_core::vault::{
    DEFLATE_LEVEL, GENERATION_FORMAT, KEEP_GENERATIONS, KdfParams, KeyValue, MAX_INFLATED, MemoryStore,
    SealedGeneration, VaultStore,
};
use health_binder_core::{Binder, schema};
use zeroize::Zeroize;

/// The figure usually quoted for `localStorage` per origin. Browsers differ in what they count
/// (bytes or UTF-16 code units, keys included or not); every string the vault stores is ASCII.
const LOCAL_STORAGE_BUDGET: usize = 5_000_000;
const PLAIN_KEY: &str = "plain/binder";

fn main() {
    if cfg!(debug_assertions) {
        eprintln!();
        eprintln!("!!! bench_vault was built WITHOUT optimizations: its figures would mean nothing.");
        eprintln!("!!! Run it with --release:  scripts/bench-vault");
        eprintln!("!!!   (or cargo run --release -p health-binder-bench --bin bench_vault)");
        eprintln!();
        std::process::exit(2);
    }
    let rounds = env_count("BENCH_ROUNDS", 7);
    let save_rounds = env_count("BENCH_SAVE_ROUNDS", 30);

    let binder = large_binder();
    let plain = serde_json::to_string(&binder).expect("a binder serializes");

    // The device as the app leaves it (see `stored_vault`).
    let kdf = KdfParams::recommended();
    let mut store = stored_vault(MemoryStore::default(), &binder, &kdf).expect("vault");
    let id = binder.id;

    println!("Health Binder vault benchmark (native {}, optimized build)", std::env::consts::ARCH);
    println!(
        "binder: {} medications, {} vitals, {} results, {} conditions, {} allergies, {} procedures, \
         {} immunizations, {} appointments, {} notes, {} care-team entries",
        binder.medications.len(),
        binder.vitals.len(),
        binder.results.len(),
        binder.conditions.len(),
        binder.allergies.len(),
        binder.procedures.len(),
        binder.immunizations.len(),
        binder.appointments.len(),
        binder.notes.len(),
        binder.care_team.len(),
    );
    println!("plain JSON: {} bytes", group(plain.len()));
    println!(
        "KDF: {} m={} KiB t={} p={}; {} unlock rounds, {} save/load rounds; {} CPUs available",
        kdf.alg,
        kdf.m_kib,
        kdf.t,
        kdf.p,
        rounds,
        save_rounds,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    println!();

    // ------------------------------------------------------------------ unlock vs bare KDF
    let unlock = || health_binder_bench::unlock(&store, &binder).expect("unlock");
    let bare_kdf = || kdf.derive(PASSPHRASE.as_bytes()).expect("derive");

    // Once untimed: checks the round trip and warms caches and the allocator.
    let (vault, loaded) = unlock();
    drop(loaded);
    black_box(bare_kdf());

    let (unlock_times, kdf_times) = interleaved(rounds, unlock, bare_kdf);

    // ------------------------------------------------------------------ save vs plain JSON write
    let mut plain_store = MemoryStore::default();
    let save = |store: &mut VaultStore<MemoryStore>| store.save(&vault, &binder).expect("save");
    let plain_write = |plain_store: &mut MemoryStore| {
        let json = serde_json::to_string(&binder).expect("a binder serializes");
        plain_store.set(PLAIN_KEY, &json).expect("write");
    };
    save(&mut store);
    plain_write(&mut plain_store);
    let (save_times, plain_times) =
        take_turns(save_rounds, || timed(|| save(&mut store)), || timed(|| plain_write(&mut plain_store)));

    // ------------------------------------------------------------------ load alone vs plain parse
    // Not a goal of the issue: the part of an unlock that is not the KDF, measured on its own.
    let load = || store.load(&vault).expect("load");
    let plain_read = || {
        let text = plain_store.get(PLAIN_KEY).expect("read").expect("stored");
        serde_json::from_str::<Binder>(&text).expect("parse")
    };
    assert!(load().binder == binder && plain_read() == binder);
    let (load_times, parse_times) = interleaved(save_rounds, load, plain_read);

    // ------------------------------------------------------------------ report
    println!("{:<58}{:>7}{:>12}{:>12}", "measurement", "rounds", "median ms", "min ms");
    let row = |label: &str, times: &[Duration]| {
        println!("{label:<58}{:>7}{:>12.3}{:>12.3}", times.len(), ms(median(times)), ms(min(times)));
    };
    row("bare KDF: Argon2id derive (reference)", &kdf_times);
    row("unlock: header + KDF + unwrap + load (decrypt, parse)", &unlock_times);
    row("plain: serde_json::to_string + map write (reference)", &plain_times);
    row("save: serialize + deflate + encrypt + base64 + env. + write", &save_times);
    row("plain: map read + serde_json::from_str (reference)", &parse_times);
    row("load alone: read + env. + base64 + decrypt + inflate + parse", &load_times);
    println!();

    let per_round: Vec<String> =
        unlock_times.iter().zip(&kdf_times).map(|(u, k)| format!("{:.3}", ratio(*u, *k))).collect();
    println!(
        "unlock / KDF:  {:.3}x medians, {:.3}x minimums (per round: {})   (goal <= 1.5x)",
        ratio(median(&unlock_times), median(&kdf_times)),
        ratio(min(&unlock_times), min(&kdf_times)),
        per_round.join(" "),
    );
    println!(
        "               unlock minus KDF (medians): {:.3} ms; the same work timed alone (load, below): {:.3} ms",
        ms(median(&unlock_times)) - ms(median(&kdf_times)),
        ms(median(&load_times)),
    );
    let save_ratios = spread(&save_times, &plain_times);
    println!(
        "save / plain:  {:.3}x medians, {:.3}x minimums (per round: {:.2}x to {:.2}x)   (goal <= 1.5x)",
        ratio(median(&save_times), median(&plain_times)),
        ratio(min(&save_times), min(&plain_times)),
        save_ratios.0,
        save_ratios.1,
    );
    println!(
        "load / parse:  {:.3}x medians, {:.3}x minimums   (no goal)",
        ratio(median(&load_times), median(&parse_times)),
        ratio(min(&load_times), min(&parse_times)),
    );
    println!();

    // ------------------------------------------------------------------ where the time goes
    // The steps of `VaultStore::save` and `VaultStore::load` one at a time, with the same sizes
    // (medians of `save_rounds`, not interleaved): why the vault costs what it does beyond JSON.
    let plaintext = schema::to_json(&binder);
    let deflated = miniz_oxide::deflate::compress_to_vec(&plaintext, DEFLATE_LEVEL);
    let sealed = vault.seal(&binder, KEEP_GENERATIONS + 1);
    assert_eq!(sealed.format, GENERATION_FORMAT);
    let envelope = serde_json::to_string(&sealed).expect("a generation serializes");
    let cipher = XChaCha20Poly1305::new(&[7u8; 32].into());
    let nonce = XNonce::from([9u8; 24]);
    let aad = format!("health-binder/vault/v{GENERATION_FORMAT}/binder/{id}/generation/{}", KEEP_GENERATIONS + 1)
        .into_bytes();
    let ciphertext = cipher.encrypt(&nonce, Payload { msg: &deflated, aad: &aad }).expect("encrypt");
    let mut scratch = MemoryStore::default();
    scratch.set("generation", &envelope).expect("write");
    let n = save_rounds;
    let deflate_label =
        format!("deflate (miniz_oxide level {DEFLATE_LEVEL}, to {:.0} %)", percent(deflated.len(), plain.len()));
    let save_steps = [
        ("serialize the binder (schema::to_json)".to_owned(), median_of(n, || schema::to_json(&binder))),
        (deflate_label, median_of(n, || miniz_oxide::deflate::compress_to_vec(&plaintext, DEFLATE_LEVEL))),
        (
            "encrypt the deflated bytes (XChaCha20-Poly1305)".to_owned(),
            median_of(n, || cipher.encrypt(&nonce, Payload { msg: &deflated, aad: &aad }).expect("encrypt")),
        ),
        (
            "wipe the JSON and the deflated bytes (Zeroizing drop)".to_owned(),
            wipe_time(n, &plaintext) + wipe_time(n, &deflated),
        ),
        (
            "envelope: base64url + JSON (serde_json::to_string)".to_owned(),
            median_of(n, || serde_json::to_string(&sealed).expect("serialize")),
        ),
        (
            "store write: copy into the map".to_owned(),
            median_of(n, || scratch.set("generation", &envelope).expect("write")),
        ),
    ];
    let load_steps = [
        ("store read: copy out of the map".to_owned(), median_of(n, || scratch.get("generation").expect("read"))),
        (
            "envelope: JSON + base64url (serde_json::from_str)".to_owned(),
            median_of(n, || serde_json::from_str::<SealedGeneration>(&envelope).expect("parse")),
        ),
        (
            "decrypt (XChaCha20-Poly1305)".to_owned(),
            median_of(n, || cipher.decrypt(&nonce, Payload { msg: &ciphertext, aad: &aad }).expect("decrypt")),
        ),
        ("inflate (miniz_oxide, capped)".to_owned(), median_of(n, || inflate(&deflated))),
        (
            "schema::load, 1: read the version (a full pass)".to_owned(),
            median_of(n, || serde_json::from_slice::<SchemaVersion>(&plaintext).expect("parse")),
        ),
        (
            "schema::load, 2: parse the binder".to_owned(),
            median_of(n, || serde_json::from_slice::<Binder>(&plaintext).expect("parse")),
        ),
        (
            "wipe the deflated bytes and the JSON (Zeroizing drop)".to_owned(),
            wipe_time(n, &deflated) + wipe_time(n, &plaintext),
        ),
    ];
    for (title, steps, whole) in [("save", &save_steps[..], &save_times), ("load", &load_steps[..], &load_times)] {
        println!("where {title}'s time goes (medians of {n}, step by step)");
        for (label, time) in steps {
            println!("  {label:<56}{:>12.3} ms", ms(*time));
        }
        let sum: Duration = steps.iter().map(|(_, t)| *t).sum();
        println!("  {:<56}{:>12.3} ms (measured whole: {:.3} ms)", "sum", ms(sum), ms(median(whole)));
    }
    println!();

    // ------------------------------------------------------------------ sizes
    drop(vault);
    let stored = store.into_inner().0;
    let generation_bytes =
        stored.iter().filter(|(k, _)| k.contains("/gen/")).map(|(_, v)| v.len()).max().expect("a generation");
    let generations = stored.keys().filter(|k| k.contains("/gen/")).count();
    let total: usize = stored.iter().map(|(k, v)| k.len() + v.len()).sum();
    let header_bytes = stored.iter().find(|(k, _)| k.ends_with("/header")).map_or(0, |(_, v)| v.len());
    let ascii = stored.values().all(|v| v.is_ascii());
    println!(
        "one sealed generation (format {GENERATION_FORMAT}, DEFLATE level {DEFLATE_LEVEL}): {} bytes ({:.2}x the plain \
         JSON's {}); header {} bytes",
        group(generation_bytes),
        generation_bytes as f64 / plain.len() as f64,
        group(plain.len()),
        group(header_bytes),
    );
    println!(
        "kept by the vault (keys + values: {generations} generations = KEEP_GENERATIONS, header, head, index): \
         {} bytes = {:.0} % of a {} byte localStorage budget{}",
        group(total),
        percent(total, LOCAL_STORAGE_BUDGET),
        group(LOCAL_STORAGE_BUDGET),
        if ascii { " (all ASCII: bytes = characters)" } else { "" },
    );
    // `VaultStore::save` writes the new generation before it removes the oldest: for a moment the
    // store holds one generation more, and that moment is what must fit.
    let generation_key = stored.keys().find(|k| k.contains("/gen/")).map_or(0, String::len);
    let peak = total + generation_key + generation_bytes;
    println!(
        "peak during a save (the new generation is written before the oldest is removed): {} bytes = {:.0} %",
        group(peak),
        percent(peak, LOCAL_STORAGE_BUDGET),
    );
    println!(
        "so a binder of this shape still saves up to about {:.2}x this one's size (peak within the budget)",
        LOCAL_STORAGE_BUDGET as f64 / peak as f64,
    );
    // Several binders on one device (a caregiver's): each keeps what this one keeps (its index
    // entry is about 39 bytes more), and one save at a time needs room for one generation more.
    let per_binder = total + 39;
    let binders = (LOCAL_STORAGE_BUDGET - (generation_key + generation_bytes)) / per_binder;
    println!(
        "binders like this one that fit, {KEEP_GENERATIONS} generations each, with room for the one being \
         written: {binders} ({} bytes each)",
        group(per_binder),
    );
    println!();

    // ------------------------------------------------------------------ DEFLATE levels
    // Why `DEFLATE_LEVEL`: what each level makes of this binder's JSON, and at what cost. A
    // generation is the base64url of the deflated bytes and the tag, plus the rest of the envelope.
    const TAG: usize = 16;
    let base64_len = |n: usize| (n * 4).div_ceil(3);
    let envelope_overhead = envelope.len() - base64_len(sealed.ciphertext.len());
    println!(
        "DEFLATE levels on the plain JSON (medians of {}); the vault uses level {DEFLATE_LEVEL}",
        save_rounds.min(10)
    );
    for level in [1u8, 3, 6] {
        let deflated = miniz_oxide::deflate::compress_to_vec(plain.as_bytes(), level);
        let deflate_time =
            median_of(save_rounds.min(10), || miniz_oxide::deflate::compress_to_vec(plain.as_bytes(), level));
        let inflate_time = median_of(save_rounds.min(10), || inflate(&deflated));
        let generation = base64_len(deflated.len() + TAG) + envelope_overhead;
        println!(
            "  level {level}: {:>9} bytes ({:>4.1} %), a generation of ~{:>9} bytes; deflate {:>6.2} ms, inflate {:.2} ms{}",
            group(deflated.len()),
            percent(deflated.len(), plain.len()),
            group(generation),
            ms(deflate_time),
            ms(inflate_time),
            if level == DEFLATE_LEVEL { "   <- the vault's" } else { "" },
        );
    }
}

/// Inflating as the vault does (raw DEFLATE, capped at `MAX_INFLATED`), through miniz_oxide's own loop.
fn inflate(deflated: &[u8]) -> Vec<u8> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, MAX_INFLATED).expect("inflate")
}

fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole as f64
}

// ---------------------------------------------------------------------- timing

fn env_count(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text.trim().parse().ok().filter(|&n| n > 0).unwrap_or_else(|| {
            eprintln!("{name}={text:?} is not a positive whole number");
            std::process::exit(2)
        }),
        Err(_) => default,
    }
}

/// Time of `f` alone: its result is dropped after the clock stops (the app keeps what it gets).
fn timed<T>(f: impl FnOnce() -> T) -> Duration {
    let start = Instant::now();
    let out = f();
    let elapsed = start.elapsed();
    drop(black_box(out));
    elapsed
}

/// Median time of `f` over `rounds` calls in a row.
fn median_of<T>(rounds: usize, mut f: impl FnMut() -> T) -> Duration {
    black_box(f());
    let times: Vec<Duration> = (0..rounds).map(|_| timed(&mut f)).collect();
    median(&times)
}

/// Median time `Zeroizing` takes to wipe a copy of `bytes` when it is dropped (the copy is made
/// before the clock starts).
fn wipe_time(rounds: usize, bytes: &[u8]) -> Duration {
    let times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let mut copy = bytes.to_vec();
            let start = Instant::now();
            copy.zeroize();
            let elapsed = start.elapsed();
            black_box(copy);
            elapsed
        })
        .collect();
    median(&times)
}

/// What `schema::load` reads first, to pick the migrations: the same struct as there.
#[derive(serde::Deserialize)]
struct SchemaVersion {
    #[allow(dead_code)]
    schema: Option<u64>,
}

/// `rounds` timings of `a` and of `b`, taking turns (see `health_binder_bench::take_turns`).
fn interleaved<A, B>(rounds: usize, a: impl Fn() -> A, b: impl Fn() -> B) -> (Vec<Duration>, Vec<Duration>) {
    take_turns(rounds, || timed(&a), || timed(&b))
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    let n = sorted.len();
    if n.is_multiple_of(2) { (sorted[n / 2 - 1] + sorted[n / 2]) / 2 } else { sorted[n / 2] }
}

fn min(times: &[Duration]) -> Duration {
    times.iter().copied().min().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

/// Lowest and highest round-by-round ratio.
fn spread(a: &[Duration], b: &[Duration]) -> (f64, f64) {
    a.iter().zip(b).map(|(a, b)| ratio(*a, *b)).fold((f64::INFINITY, 0.0), |(lo, hi), r| (lo.min(r), hi.max(r)))
}

/// 1234567 -> "1 234 567".
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}
