//! Import time of the largest fixture bundle, next to a reference measured in the same run:
//! parsing the same bytes as JSON only, so the ratio is what reading entries into a review plan
//! adds. Run: `cargo run --release -p health-binder-cli --example bench_import`.

use std::time::{Duration, Instant};

use health_binder_core::Binder;
use health_binder_core::ips::import::plan_file;

fn median(rounds: usize, mut work: impl FnMut()) -> Duration {
    let mut runs: Vec<Duration> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    runs.sort();
    runs[rounds / 2]
}

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/fixtures/ips");
    let mut files: Vec<std::path::PathBuf> = ["validated", "vendors"]
        .iter()
        .flat_map(|d| std::fs::read_dir(format!("{dir}/{d}")).unwrap().map(|e| e.unwrap().path()))
        .collect();
    files.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).unwrap().len()));
    let largest = &files[0];
    let bytes = std::fs::read(largest).unwrap();
    let binder = Binder::new("Bench", chrono::Utc::now());
    let plan = plan_file(&bytes, "bench", &binder).unwrap();
    let import = median(50, || {
        std::hint::black_box(plan_file(&bytes, "bench", &binder).unwrap());
    });
    let parse = median(50, || {
        std::hint::black_box(serde_json::from_slice::<serde_json::Value>(&bytes).unwrap());
    });
    println!(
        "{} ({} KB, {} entries, {} lines to review)",
        largest.display(),
        bytes.len() / 1024,
        plan.entries,
        plan.proposed.len()
    );
    println!("import into a review plan (median of 50): {import:?}");
    println!("reference, JSON parse only: {parse:?}");
    println!("ratio: {:.2}x", import.as_secs_f64() / parse.as_secs_f64());
}
