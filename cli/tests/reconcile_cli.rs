//! The command line as a pharmacist runs it: two list files in, one JSON object per line out.

use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_health-binder")).args(args).output().expect("runs")
}

#[test]
fn reconcile_prints_one_object_per_input_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let current = file("current.txt", "Glucophage 500 mg BID\nSimvastatin 20 mg at bedtime\nZorblatin 10 mg daily\n");
    let new = file("new.txt", "Metformin 1000 mg BID\nAmoxicillin 500 mg TID\n");
    let allergies = file("allergies.txt", "Penicillin\n");
    let out = run(&["reconcile", "--current", &current, "--new", &new, "--allergies", &allergies]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = json.as_array().unwrap();
    let summary: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["line"].as_str().unwrap().into(),
                r["side"].as_str().unwrap().into(),
                r["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    let row = |l: &str, s: &str, st: &str| (l.to_owned(), s.to_owned(), st.to_owned());
    assert_eq!(
        summary,
        [
            row("Glucophage 500 mg BID", "current", "changed"),
            row("Simvastatin 20 mg at bedtime", "current", "stop"),
            row("Zorblatin 10 mg daily", "current", "unclear"),
            row("Metformin 1000 mg BID", "new", "changed"),
            row("Amoxicillin 500 mg TID", "new", "new"),
        ]
    );
    assert_eq!(rows[0]["ingredients"], serde_json::json!(["metformin"]));
    assert_eq!(rows[2]["ingredients"], serde_json::json!([]));
    assert_eq!(rows[4]["flags"], serde_json::json!(["allergy"]));
    assert!(rows[3]["changes"][0].as_str().unwrap().contains("strength 500 mg"));
}

#[test]
fn a_missing_or_oversized_file_is_a_plain_error() {
    let out = run(&["reconcile", "--current", "/nonexistent/current.txt", "--new", "/nonexistent/new.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/current.txt"));
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    std::fs::write(&big, vec![b'a'; 2 * 1024 * 1024]).unwrap();
    let big = big.to_str().unwrap();
    let out = run(&["reconcile", "--current", big, "--new", big]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("should be under"));
}
