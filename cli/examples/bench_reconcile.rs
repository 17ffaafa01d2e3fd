//! Reconciliation time for 50 current lines against 50 new orders (the figure), next to
//! a reference measured in the same run: only reading the same 100 lines (`MedLine::parse`), so
//! the ratio says what pairing, comparing and flagging add. Run:
//! `cargo run --release -p health-binder-cli --example bench_reconcile`.

use std::time::{Duration, Instant};

use health_binder_core::reconcile::{MedLine, reconcile};

const DRUGS: [&str; 50] = [
    "Metformin",
    "Lisinopril",
    "Atorvastatin",
    "Amlodipine",
    "Metoprolol tartrate",
    "Omeprazole",
    "Simvastatin",
    "Losartan",
    "Albuterol",
    "Gabapentin",
    "Hydrochlorothiazide",
    "Sertraline",
    "Furosemide",
    "Acetaminophen",
    "Levothyroxine",
    "Pantoprazole",
    "Escitalopram",
    "Rosuvastatin",
    "Bupropion",
    "Tamsulosin",
    "Montelukast",
    "Trazodone",
    "Pravastatin",
    "Carvedilol",
    "Meloxicam",
    "Clopidogrel",
    "Prednisone",
    "Citalopram",
    "Warfarin",
    "Glipizide",
    "Allopurinol",
    "Fluoxetine",
    "Cyclobenzaprine",
    "Duloxetine",
    "Spironolactone",
    "Tramadol",
    "Venlafaxine",
    "Ondansetron",
    "Zolpidem",
    "Cetirizine",
    "Famotidine",
    "Apixaban",
    "Clonidine",
    "Propranolol",
    "Ezetimibe",
    "Finasteride",
    "Donepezil",
    "Quetiapine",
    "Sitagliptin",
    "Cholecalciferol",
];

fn lists() -> (Vec<String>, Vec<String>) {
    let current = DRUGS.iter().enumerate().map(|(i, d)| format!("{d} {} mg BID", 10 * (i % 5 + 1))).collect();
    // A discharge list: most continue, every fifth has its strength doubled, every seventh is
    // taken three times a day, the last five are replaced by new drugs.
    let new = DRUGS
        .iter()
        .enumerate()
        .map(|(i, d)| match i {
            45.. => {
                format!("{} 5 mg daily", ["Enalapril", "Diltiazem", "Sumatriptan", "Colchicine", "Baclofen"][i - 45])
            }
            _ if i % 5 == 0 => format!("{d} {} mg BID", 20 * (i % 5 + 1)),
            _ if i % 7 == 0 => format!("{d} {} mg TID", 10 * (i % 5 + 1)),
            _ => format!("{d} {} mg twice daily", 10 * (i % 5 + 1)),
        })
        .collect();
    (current, new)
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time(rounds: usize, mut work: impl FnMut()) -> Duration {
    median(
        (0..rounds)
            .map(|_| {
                let started = Instant::now();
                work();
                started.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let (current, new) = lists();
    let current: Vec<&str> = current.iter().map(String::as_str).collect();
    let new: Vec<&str> = new.iter().map(String::as_str).collect();
    let allergies = ["Penicillin", "Sulfa"];
    // The table is read once per process, on first use: measured apart.
    let first = Instant::now();
    let results = reconcile(&current, &new, &allergies);
    let first = first.elapsed();
    assert_eq!(results.len(), 100);
    let whole = time(200, || {
        std::hint::black_box(reconcile(&current, &new, &allergies));
    });
    let parse_only = time(200, || {
        for line in current.iter().chain(&new) {
            std::hint::black_box(MedLine::parse(line));
        }
    });
    println!("reconcile 50 x 50 lines (median of 200): {whole:?}");
    println!("reference, reading the same 100 lines only: {parse_only:?}");
    println!("ratio: {:.2}x", whole.as_secs_f64() / parse_only.as_secs_f64());
    println!("first call, including reading the drug table: {first:?}");
}
