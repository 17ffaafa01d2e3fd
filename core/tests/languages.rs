//! Every text of the app in every language (docs/languages.md).
//!
//! The texts are found in the source: the literal arguments of the app's `t("…")`, `tf("…", …)`
//! and `tn(n, "…", "…")`, and core's `msg!("…")` marker. Each must be in every catalogue of
//! `locales/` (English, the texts' own language, excepted), and each catalogue may hold only texts
//! that are used — those, and core's `#[error("…")]` messages without placeholders, which the app
//! shows through `t_text` and which a catalogue may therefore translate.
//!
//! The second half finds English the app shows without the catalogue: a string literal in
//! `app/src` that reads like a sentence or a label and is not an argument of `t`/`tf`/`tn`/`msg!`.
//! The files listed in `CONVERTED` must have none; `cargo test -p health-binder-core --test
//! languages -- --ignored` lists what is left in every file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use health_binder_core::i18n::Catalogue;

/// Files whose every user-visible text goes through the catalogue. A file joins this list when
/// its screen is converted (docs/languages.md); at the end of the sweep every file with a view is here.
const CONVERTED: &[&str] = &[
    "app/src/patient.rs",
    "app/src/pages/create.rs",
    "app/src/pages/unlock.rs",
    "app/src/pages/binder.rs",
    "app/src/components/restore_panel.rs",
    "app/src/components/passphrase_meter.rs",
    "app/src/components/language_picker.rs",
    // sweep A
    "app/src/components/allergy_list.rs",
    "app/src/components/medication_list.rs",
    "app/src/components/entry_actions.rs",
    "app/src/components/task_list.rs",
    "app/src/components/calendar_panel.rs",
    "app/src/components/people_panel.rs",
    "app/src/components/profile_card.rs",
    "app/src/components/update_offer.rs",
    "app/src/components/backup_panel.rs",
    "app/src/components/security_panel.rs",
    "app/src/components/busy.rs",
    "app/src/session.rs",
    "app/src/kdf.rs",
    "app/src/http.rs",
    "app/src/browser.rs",
    "app/src/relay.rs",
    "app/src/auto_lock.rs",
    "app/src/updates.rs",
    // (end of sweep A)
    // sweep B
    "app/src/components/emergency_panel.rs",
    "app/src/components/wallet_card.rs",
    "app/src/components/print_preview.rs",
    "app/src/components/share_list.rs",
    "app/src/components/records_panel.rs",
    "app/src/components/reply_review.rs",
    "app/src/components/reply_composer.rs",
    "app/src/emergency_card.rs",
    // (end of sweep B)
    // sweep C
    "app/src/components/fields_form.rs",
    "app/src/components/section_list.rs",
    // (end of sweep C)
    // sweep D
    "app/src/components/today.rs",
    "app/src/components/medication_form.rs",
    "app/src/components/appointment_reminder.rs",
    "app/src/components/locked_reminder.rs",
    "app/src/pages/viewer.rs",
    // (end of sweep D)
    // sweep E
    "app/src/components/share_panel.rs",
    "app/src/components/trend_chart.rs",
    "app/src/components/trend_share.rs",
    "app/src/components/reply_list.rs",
    // (end of sweep E)
    // sweep F
    "core/src/ips/build.rs",
    "core/src/ips/texts.rs",
    "core/src/ips/trend_section.rs",
    "core/src/sbar.rs",
    "core/src/doses/taking.rs",
    "core/src/trends/describe.rs",
    // (end of sweep F)
    // sweep H
    "core/src/shl.rs",
    "core/src/shl/receive.rs",
    "core/src/jwe.rs",
    "core/src/ips/read.rs",
    "core/src/ips/import.rs",
    // (end of sweep H)
    // sweep J
    "core/src/calendar.rs",
    // (end of sweep J)
    // sweep K
    "core/src/ips/codes.rs",
    // (end of sweep K)
];

/// Literals in app/src that read like English but are not shown to anyone (found by
/// `unconverted`): "file:text".
const NOT_SHOWN: &[&str] = &[
    // sweep A
    // An HTTP header and browser globals, not texts.
    "app/src/http.rs:Bearer {secret}",
    "app/src/updates.rs:MessageChannel",
    "app/src/browser.rs:Notification",
    // (end of sweep A)
    // sweep B
    // (end of sweep B)
    // sweep C
    // (end of sweep C)
    // sweep D
    // (end of sweep D)
    // sweep E
    // (end of sweep E)
    // sweep F: FHIR resource types and coded values' displays (coded values stay as they are), and
    // the test modules' fixtures and expected English
    "core/src/ips/build.rs:Composition",
    "core/src/ips/build.rs:Patient summary Document",
    "core/src/ips/build.rs:Bundle",
    "core/src/ips/build.rs:AllergyIntolerance",
    "core/src/ips/build.rs:No known allergy",
    "core/src/ips/build.rs:Patient",
    "core/src/ips/build.rs:Emergency Contact",
    "core/src/ips/build.rs:Next-of-Kin",
    "core/src/ips/build.rs:Practitioner",
    "core/src/ips/build.rs:MedicationStatement",
    "core/src/ips/build.rs:Condition",
    "core/src/ips/build.rs:Procedure",
    "core/src/ips/build.rs:Immunization",
    "core/src/ips/build.rs:Observation",
    "core/src/ips/build.rs:Blood pressure panel",
    "core/src/ips/build.rs:Heart rate",
    "core/src/ips/build.rs:Body weight",
    "core/src/ips/build.rs:Glucose [Mass/volume] in Blood",
    "core/src/ips/build.rs:Glucose [Moles/volume] in Blood",
    "core/src/ips/build.rs:Body temperature",
    "core/src/ips/build.rs:Cel",
    "core/src/ips/build.rs:Oxygen saturation in Arterial blood by Pulse oximetry",
    "core/src/ips/build.rs:Systolic blood pressure",
    "core/src/ips/build.rs:Diastolic blood pressure",
    "core/src/ips/trend_section.rs:Ada <script>",
    "core/src/ips/trend_section.rs:When",
    "core/src/ips/trend_section.rs:Systolic (mmHg) · Diastolic (mmHg) · Against the range",
    "core/src/ips/trend_section.rs:Ada",
    "core/src/doses/taking.rs:Ada",
    "core/src/doses/taking.rs:Metformin",
    "core/src/doses/taking.rs:Taken 26 of 28 scheduled doses in the last 14 days (1 late); 2 skipped",
    "core/src/doses/taking.rs:Taken 25 of 28 scheduled doses in the last 14 days (1 late); 2 skipped; 1 not logged",
    "core/src/doses/taking.rs:Ramipril",
    "core/src/doses/taking.rs:Paracetamol",
    "core/src/doses/taking.rs:Taken 0 of 4 scheduled doses since 12 December 2026, when it was added; 4 not logged",
    "core/src/doses/taking.rs:No as-needed doses logged in the last 14 days",
    "core/src/doses/taking.rs:Taken 2 times in the last 14 days, as needed",
    "core/src/doses/taking.rs:Vitamin D",
    // (end of sweep F)
    // sweep H: FHIR resource types and fields, HTTP methods, a fixed English title compared (not
    // shown), and the test modules' fixtures; an `#[error]` text split over lines (the English
    // `Display`; the viewer shows `said()` in the clinician's language)
    "core/src/shl/receive.rs:This link is no longer active: it has expired or been revoked. Ask the patient to show you a new QR code.",
    "core/src/jwe.rs:Metformin 500 mg twice a day. ",
    "core/src/ips/read.rs:Bundle",
    "core/src/ips/read.rs:Composition",
    "core/src/ips/read.rs:Patient",
    "core/src/ips/read.rs:MedicationStatement",
    "core/src/ips/read.rs:MedicationRequest",
    "core/src/ips/read.rs:Patient summary of ",
    "core/src/ips/read.rs:AllergyIntolerance",
    "core/src/ips/read.rs:Condition",
    "core/src/ips/read.rs:Procedure",
    "core/src/ips/read.rs:Immunization",
    "core/src/ips/read.rs:Observation",
    "core/src/ips/read.rs:DiagnosticReport",
    // import.rs: FHIR resource types compared; what an import stores in the binder as the
    // entry's own words (a vaccine's name for a bare CVX code, a coded result's value: data, in
    // the file's terms, like everything else imported); texts compared with a file's, not shown
    "core/src/ips/import.rs:This file is a FHIR {0}, not a Bundle. Import a bundle: an International Patient Summary or your portal's export.",
    "core/src/ips/import.rs:Bundle",
    "core/src/ips/import.rs:Organization",
    "core/src/ips/import.rs:Observation",
    "core/src/ips/import.rs:Composition",
    "core/src/ips/import.rs:Patient",
    "core/src/ips/import.rs:AllergyIntolerance",
    "core/src/ips/import.rs:Condition",
    "core/src/ips/import.rs:MedicationStatement",
    "core/src/ips/import.rs:MedicationRequest",
    "core/src/ips/import.rs:Medication",
    "core/src/ips/import.rs:Procedure",
    "core/src/ips/import.rs:Immunization",
    "core/src/ips/import.rs:Practitioner",
    "core/src/ips/import.rs:PractitionerRole",
    "core/src/ips/import.rs:DiagnosticReport",
    "core/src/ips/import.rs:COVID-19 vaccine, mRNA (Moderna)",
    "core/src/ips/import.rs:COVID-19 vaccine, mRNA (Pfizer-BioNTech)",
    "core/src/ips/import.rs:COVID-19 vaccine, vector (AstraZeneca)",
    "core/src/ips/import.rs:COVID-19 vaccine, vector (Janssen)",
    "core/src/ips/import.rs:COVID-19 vaccine",
    "core/src/ips/import.rs:Influenza vaccine, preservative free",
    "core/src/ips/import.rs:Influenza vaccine",
    "core/src/ips/import.rs:Influenza vaccine, quadrivalent, preservative free",
    "core/src/ips/import.rs:Influenza vaccine, quadrivalent",
    "core/src/ips/import.rs:Tdap (tetanus, diphtheria, pertussis)",
    "core/src/ips/import.rs:Td (tetanus, diphtheria)",
    "core/src/ips/import.rs:Pneumococcal polysaccharide vaccine (PPSV23)",
    "core/src/ips/import.rs:Pneumococcal conjugate vaccine (PCV13)",
    "core/src/ips/import.rs:Hepatitis B vaccine",
    "core/src/ips/import.rs:Hepatitis A vaccine",
    "core/src/ips/import.rs:MMR (measles, mumps, rubella)",
    "core/src/ips/import.rs:Varicella (chickenpox) vaccine",
    "core/src/ips/import.rs:Zoster (shingles) vaccine, recombinant",
    "core/src/ips/import.rs:HPV vaccine",
    "core/src/ips/import.rs:Vaccine (CVX {code})",
    "core/src/ips/import.rs:LOINC {code}",
    "core/src/ips/import.rs:Negative",
    "core/src/ips/import.rs:Positive",
    "core/src/ips/import.rs:Not detected",
    "core/src/ips/import.rs:Detected",
    "core/src/ips/import.rs:SNOMED CT {code}",
    "core/src/ips/import.rs:Code {code}",
    "core/src/ips/import.rs:Reaction not described",
    "core/src/ips/import.rs:Form: ",
    "core/src/ips/import.rs:Yes",
    // (end of sweep H)
    // sweep J: the calendar file's own words (its tests are in core/src/calendar/tests.rs)
    "core/src/calendar.rs:PRODID:-//Health Binder//Calendar export//EN",
    "core/src/calendar.rs:UID:{}@health-binder",
    "core/src/calendar.rs:DTSTAMP:{stamp}",
    "core/src/calendar.rs:SEQUENCE:{sequence}",
    // (end of sweep J)
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `.rs` file the texts can be in, relative to the repository ("app/src/…"), with its
/// source. core/src/i18n is left out: its tests use the marker on texts that are not the app's.
fn sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&root().join("app/src"), &mut files);
    rust_files(&root().join("core/src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
            (relative, std::fs::read_to_string(&path).unwrap())
        })
        .filter(|(relative, _)| !relative.starts_with("core/src/i18n/"))
        .collect()
}

/// A Rust string literal starting at `text[at] == '"'`: its value and the index after it.
fn literal(text: &str, at: usize) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let mut value = String::new();
    let mut chars = text[at + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, at + 1 + i + 1)),
            '\\' => match chars.next()?.1 {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                '"' => value.push('"'),
                '\'' => value.push('\''),
                '\\' => value.push('\\'),
                // A line continuation: the break and the next line's indentation are dropped.
                '\n' => {
                    let rest = &text[at + 1 + i + 2..];
                    let skip = rest.len() - rest.trim_start().len();
                    for _ in 0..rest[..skip].chars().count() {
                        chars.next();
                    }
                }
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
}

fn skip_space(text: &str, mut at: usize) -> usize {
    while text[at..].starts_with(|c: char| c.is_whitespace() || c == ',') {
        at += 1;
    }
    at
}

/// The source without its `//` comment lines (doc examples show the API with sample texts).
fn code(source: &str) -> String {
    source.lines().map(|l| if l.trim_start().starts_with("//") { "" } else { l }).collect::<Vec<_>>().join("\n")
}

/// Where a text passed to the catalogue starts: (index of the first literal, how many literals).
/// Core has no `t` (its tests have other functions of that name): there only `msg!` counts.
fn calls(file: &str, code: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let markers: &[(&str, usize)] =
        if file.starts_with("app/") { &[("t(", 1), ("tf(", 1), ("msg!(", 1), ("tn(", 2)] } else { &[("msg!(", 1)] };
    for &(marker, literals) in markers {
        for (at, _) in code.match_indices(marker) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let mut start = skip_space(code, at + marker.len());
            if marker == "tn(" {
                // The count first: the sentences are the next literals.
                match code[start..].find(['"', ')']) {
                    Some(i) if code.as_bytes()[start + i] == b'"' => start += i,
                    _ => continue,
                }
            }
            found.push((start, literals));
        }
    }
    found
}

/// Every text the source passes to the catalogue, with where: text → ["file:line"].
fn used_texts() -> BTreeMap<String, Vec<String>> {
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (file, source) in sources() {
        let code = code(&source);
        for (mut at, count) in calls(&file, &code) {
            for _ in 0..count {
                let Some((text, end)) = literal(&code, at) else { break };
                let line = code[..at].lines().count().max(1);
                texts.entry(text).or_default().push(format!("{file}:{line}"));
                at = skip_space(&code, end);
            }
        }
    }
    for (text, place) in first_screen_texts() {
        texts.entry(text).or_default().push(place);
    }
    texts
}

/// The static first screen's texts (app/index.html, before the wasm arrives): each element marked
/// `data-t` (its English text, spaces folded, is the key) and each `t('…')` of
/// public/first-screen.js, found as scripts/first-screen-texts.mjs finds them for the build.
fn first_screen_texts() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let page = std::fs::read_to_string(root().join("app/index.html")).unwrap();
    for (at, _) in page.match_indices(" data-t") {
        let after = &page[at + " data-t".len()..];
        if !after.starts_with(['>', ' ', '=']) {
            continue;
        }
        let Some(open) = after.find('>') else { continue };
        let text = &after[open + 1..];
        let text = &text[..text.find('<').unwrap_or(text.len())];
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let entities = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")];
        let text = entities.iter().fold(text, |t, (from, to)| t.replace(from, to));
        if !text.is_empty() {
            found.push((text, "app/index.html".to_owned()));
        }
    }
    let script = std::fs::read_to_string(root().join("public/first-screen.js")).unwrap();
    for (at, _) in script.match_indices("t('") {
        if script[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let rest = &script[at + "t('".len()..];
        if let Some(end) = rest.find("')") {
            found.push((rest[..end].to_owned(), "public/first-screen.js".to_owned()));
        }
    }
    found
}

/// core's error messages that hold no placeholder: a catalogue may translate them (the app shows
/// them through `t_text`), so they count as used.
fn error_texts() -> BTreeSet<String> {
    let mut texts = BTreeSet::new();
    for (_, source) in sources() {
        for (at, _) in source.match_indices("#[error(") {
            let start = skip_space(&source, at + "#[error(".len());
            if let Some((text, _)) = literal(&source, start).filter(|(t, _)| !t.contains('{')) {
                texts.insert(text);
            }
        }
    }
    texts
}

/// Every catalogue but English: (code, catalogue).
fn catalogues() -> Vec<(String, Catalogue)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root().join("locales")).unwrap() {
        let path = entry.unwrap().path();
        let code = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let catalogue = Catalogue::parse(&text).unwrap_or_else(|e| panic!("locales/{code}.txt: {e}"));
        if code != "en" {
            found.push((code, catalogue));
        }
    }
    assert!(!found.is_empty(), "no catalogue besides English in locales/");
    found
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
}

#[test]
fn every_text_the_app_shows_is_in_every_catalogue() {
    let used = used_texts();
    assert!(used.contains_key("Create binder"), "the scan found none of the app's texts");
    let mut report = String::new();
    for (code, catalogue) in catalogues() {
        let have: BTreeSet<&str> = catalogue.keys().collect();
        for (text, places) in &used {
            if !have.contains(text.as_str()) {
                report.push_str(&format!("locales/{code}.txt lacks {text:?} (used at {})\n", places.join(", ")));
            }
        }
    }
    assert!(report.is_empty(), "texts missing from a catalogue (add them, docs/languages.md):\n{report}");
}

#[test]
fn every_catalogue_text_is_used() {
    let used = used_texts();
    let errors = error_texts();
    let mut report = String::new();
    for (code, catalogue) in catalogues() {
        for key in catalogue.keys() {
            if !used.contains_key(key) && !errors.contains(key) {
                report.push_str(&format!("locales/{code}.txt: {key:?} is used nowhere\n"));
            }
        }
    }
    assert!(report.is_empty(), "catalogue texts no code uses (remove them, or the code lost its t()):\n{report}");
}

#[test]
fn no_text_is_translated_twice() {
    let mut report = String::new();
    for (code, catalogue) in catalogues() {
        let mut seen = BTreeSet::new();
        for key in catalogue.keys() {
            if !seen.insert(key) {
                report.push_str(&format!("locales/{code}.txt: {key:?}\n"));
            }
        }
    }
    assert!(report.is_empty(), "texts translated twice (the first translation wins; keep one):\n{report}");
}

#[test]
fn a_translation_keeps_the_placeholders_of_its_text() {
    let mut report = String::new();
    for (code, catalogue) in catalogues() {
        for key in catalogue.keys() {
            let translated = catalogue.get(key);
            if placeholders(key) != placeholders(translated) {
                report.push_str(&format!("locales/{code}.txt: {key:?} → {translated:?}\n"));
            }
        }
    }
    assert!(report.is_empty(), "a translation with other {{placeholders}} than its text:\n{report}");
}

/// Literals in `file` that read like English shown to someone and do not go through the
/// catalogue: "file:line: text".
fn unconverted(file: &str, source: &str) -> Vec<String> {
    let code = code(source);
    let mut passed = BTreeSet::new();
    for (mut at, count) in calls(file, &code) {
        for _ in 0..count {
            let Some((_, end)) = literal(&code, at) else { break };
            passed.insert(at);
            at = skip_space(&code, end);
        }
    }
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = code[at..].find('"') {
        let start = at + i;
        // A char literal '"' is not a string.
        if code[..start].ends_with('\'') {
            at = start + 1;
            continue;
        }
        let Some((text, end)) = literal(&code, start) else { break };
        at = end;
        let line_start = code[..start].rfind('\n').map_or(0, |i| i + 1);
        let line = &code[line_start..start];
        let reads_as_english = text.starts_with(|c: char| c.is_ascii_uppercase())
            && text.chars().filter(|c| c.is_ascii_lowercase()).count() >= 2;
        let not_shown = line.trim_start().starts_with("#[")
            || [".expect(", "panic!(", "unreachable!(", "debug_assert", "assert"].iter().any(|m| line.contains(m))
            || NOT_SHOWN.contains(&format!("{file}:{text}").as_str());
        if reads_as_english && !not_shown && !passed.contains(&start) {
            let number = code[..start].lines().count().max(1);
            found.push(format!("{file}:{number}: {text:?}"));
        }
    }
    found
}

#[test]
fn converted_files_show_no_english_outside_the_catalogue() {
    let sources: BTreeMap<String, String> = sources().into_iter().collect();
    let mut report = Vec::new();
    for file in CONVERTED {
        let source = sources.get(*file).unwrap_or_else(|| panic!("{file} is in CONVERTED but does not exist"));
        report.extend(unconverted(file, source));
    }
    assert!(report.is_empty(), "English shown without t() in a converted file:\n{}", report.join("\n"));
}

/// The sweep's progress: every unconverted text of app/src, by file. Run with `--ignored`.
#[test]
#[ignore = "lists what the languages sweep has left; passes when it is done"]
fn no_screen_shows_english_outside_the_catalogue() {
    let mut report = Vec::new();
    let mut per_file = Vec::new();
    for (file, source) in sources().into_iter().filter(|(f, _)| f.starts_with("app/src/")) {
        let found = unconverted(&file, &source);
        if !found.is_empty() {
            per_file.push(format!("{:4}  {file}", found.len()));
        }
        report.extend(found);
    }
    assert!(
        report.is_empty(),
        "{}\n\nunconverted texts per file ({} in all):\n{}",
        report.join("\n"),
        report.len(),
        per_file.join("\n")
    );
}

/// The texts of core's forms as the app shows them (every field's label, hint and choice, every
/// section's words): each in every catalogue. Catches a label written without `msg!`, which the
/// scan above cannot see. Codes and units that read the same in every language (ICD-10, A+,
/// mmol/L) are left out: they do not start as a sentence or a hint does, or hold no words.
#[test]
fn every_form_text_is_in_every_catalogue() {
    use health_binder_core::forms::{FieldKind, ListSection, PROFILE_FIELDS, TASK_FIELDS};
    let mut texts = Vec::new();
    let fields = ListSection::ALL.iter().flat_map(|s| s.fields()).chain(PROFILE_FIELDS).chain(TASK_FIELDS);
    for field in fields {
        texts.extend([field.label, field.hint]);
        if let FieldKind::Choice(choices) = field.kind {
            texts.extend(choices.iter().map(|(_, label)| *label));
        }
    }
    for section in ListSection::ALL {
        let text = section.text();
        texts.extend([text.title, text.add, text.edit, text.save, text.empty]);
    }
    let words = |t: &&&str| {
        t.starts_with(|c: char| c.is_uppercase() || c == '(') && t.chars().filter(|c| c.is_lowercase()).count() >= 2
    };
    let mut report = String::new();
    for (code, catalogue) in catalogues() {
        let have: BTreeSet<&str> = catalogue.keys().collect();
        for text in texts.iter().filter(words) {
            if !have.contains(text) {
                report.push_str(&format!("locales/{code}.txt lacks {text:?} (mark it msg! where core writes it)\n"));
            }
        }
    }
    assert!(texts.contains(&"Condition"), "the forms' texts were not found");
    assert!(report.is_empty(), "form texts missing from a catalogue:\n{report}");
}
