//! The languages the app offers, from the catalogue files in `locales/` (one per language, named
//! by its code, with an `@name` line giving the language's own name): adding a language is adding
//! a file, and the language picker lists it without a change to the code (docs/languages.md).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read when the script runs, not baked in when it is compiled: a build directory shared by
    // several checkouts may run a script another checkout compiled.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("../locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut languages = Vec::new();
    for file in std::fs::read_dir(&dir).expect("locales/ is readable") {
        let path = file.expect("locales/ is readable").path();
        if path.extension().is_none_or(|ext| ext != "txt") {
            continue;
        }
        let code = path.file_stem().and_then(|s| s.to_str()).expect("a catalogue is named <code>.txt").to_owned();
        let text = std::fs::read_to_string(&path).expect("a catalogue is UTF-8 text");
        let name = text
            .lines()
            .find_map(|line| line.strip_prefix("@name "))
            .unwrap_or_else(|| panic!("{} has no \"@name\" line", path.display()))
            .trim()
            .to_owned();
        println!("cargo:rerun-if-changed={}", path.display());
        languages.push((code, name));
    }
    // English first (the texts' own language), then by code.
    languages.sort_by_key(|(code, _)| (code != "en", code.clone()));
    let mut out = String::from(
        "/// Every language there is a catalogue for: (code, its own name).\npub const LANGUAGES: &[(&str, &str)] = &[\n",
    );
    for (code, name) in &languages {
        writeln!(out, "    ({code:?}, {name:?}),").unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("languages.rs");
    std::fs::write(dest, out).unwrap();
}
