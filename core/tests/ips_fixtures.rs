//! The reader against real IPS bundles (HL7 connectathon samples and EHR output, copied into
//! `tests/fixtures/ips/` with their licence): none may fail, and the facts a clinician needs
//! come through as text.

use std::path::PathBuf;

use health_binder_core::ips::{self, Line, SectionState, Summary};

fn dir(kind: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ips").join(kind)
}

fn read(kind: &str, name: &str) -> Summary {
    let text = std::fs::read_to_string(dir(kind).join(name)).unwrap_or_else(|e| panic!("{kind}/{name}: {e}"));
    ips::read_document(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn lines<'a>(summary: &'a Summary, loinc: &str) -> &'a [Line] {
    summary.sections.iter().find(|s| s.loinc.as_deref() == Some(loinc)).map_or(&[], |s| &s.lines)
}

fn titles(summary: &Summary, loinc: &str) -> Vec<String> {
    lines(summary, loinc).iter().map(|l| l.title.clone()).collect()
}

#[test]
fn every_sample_bundle_reads_without_failing() {
    let mut read_count = 0;
    for kind in ["validated", "vendors"] {
        let mut names: Vec<_> = std::fs::read_dir(dir(kind))
            .unwrap_or_else(|e| panic!("the IPS fixtures are expected in {}: {e}", dir(kind).display()))
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        for name in names {
            let summary = read(kind, &name);
            assert!(!summary.sections.is_empty(), "{name}: every sample has a Composition with sections");
            for section in &summary.sections {
                if let SectionState::Empty { .. } = section.state {
                    assert!(section.lines.is_empty(), "{name}: an empty section has no lines");
                }
                assert!(section.lines.iter().all(|l| !l.title.is_empty()), "{name}: {}", section.title);
            }
            read_count += 1;
        }
    }
    assert_eq!(read_count, 22, "10 validated and 12 vendor bundles");
}

#[test]
fn facts_come_through_from_the_ips_examples() {
    let minimal = read("validated", "IPS_IG_bundle-minimal.json");
    assert_eq!((minimal.birth_date.as_deref(), minimal.gender.as_deref()), (Some("1972-05-01"), Some("female")));
    let allergy = &lines(&minimal, "48765-2")[0];
    assert!(allergy.title.contains("penicillin"), "{}", allergy.title);
    assert_eq!(allergy.detail("Criticality"), Some("High risk"));
    // The medication's name is on a referenced Medication resource (urn:uuid, no `id`).
    assert_eq!(titles(&minimal, "10160-0"), ["Product containing anastrozole (medicinal product)"]);
    assert_eq!(lines(&minimal, "10160-0")[0].detail("Dose"), Some("1 tablet"));
    assert_eq!(titles(&minimal, "11450-4"), ["Menopausal flushing (finding)"]);
}

#[test]
fn facts_come_through_from_national_and_vendor_bundles() {
    let nl = read("validated", "NL_Curavista_01.json");
    assert_eq!(titles(&nl, "48765-2"), ["PARACETAMOL", "Barbituraten"]);
    let glucose = lines(&nl, "30954-2").iter().find(|l| l.title.starts_with("glucose")).unwrap();
    assert_eq!(glucose.detail("Result"), Some("12.5 mmol/L"));
    assert_eq!(glucose.detail("Date"), Some("25 March 2021, 09:12"));
    // A medicationReference that resolves nowhere still shows its display.
    assert!(titles(&nl, "10160-0").contains(&"METFORMINE 1000MG TABLET".to_owned()));

    let epic = read("vendors", "US_Epic_Jan_idrefs.json");
    let penicillins = lines(&epic, "48765-2").iter().find(|l| l.title == "PENICILLINS").unwrap();
    let reactions: Vec<_> =
        penicillins.details.iter().filter(|(l, _)| l == "Reaction").map(|(_, v)| v.as_str()).collect();
    assert_eq!(reactions, ["Hives", "Shortness of Breath"]);
    let metformin = &lines(&epic, "10160-0")[0];
    assert_eq!(metformin.title, "metformin (GLUCOPHAGE) tablet");
    assert_eq!(metformin.detail("How often"), Some("daily at 08:00 and 18:00"));
    let peritonitis = lines(&epic, "11450-4").iter().find(|l| l.title == "Peritonitis").unwrap();
    assert_eq!(peritonitis.detail("Resolved"), Some("10 May 2024"));

    let nz = read("vendors", "Bundle-IosefaFuimaono-Bundle.json");
    let bp = lines(&nz, "8716-3").iter().find(|l| l.title == "Blood pressure").unwrap();
    assert_eq!(bp.detail("Systolic blood pressure"), Some("136 mmHg"));
    assert_eq!(bp.detail("Diastolic blood pressure"), Some("88 mmHg"));
    assert_eq!(titles(&nz, "48765-2"), ["Diazepam"]);

    // "No known allergy" written as an entry reads as that entry, never as an empty section.
    let aups = read("vendors", "Bundle-aups-noknownx.json");
    assert_eq!(titles(&aups, "48765-2"), ["No known allergy"]);

    // Resources without ids, referenced by urn:uuid only.
    let at = read("validated", "AT_ELGA_GmbH_01.json");
    assert!(lines(&at, "8716-3").iter().any(|l| l.detail("Result") == Some("60 /min")));
    assert!(lines(&at, "10160-0").iter().all(|l| l.title != "Unnamed medication"));
}
