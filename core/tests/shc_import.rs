//! SMART Health Cards into the binder: the framework's example cards (signed with its published
//! test key) read from the file and from QR text, checked against a trust list the test makes,
//! shown as "not checked" without it, refused when altered; their bundles import like any other.

use chrono::{TimeZone, Utc};
use health_binder_core::ips::import::{Item, apply, plan_bundle};
use health_binder_core::model::Binder;
use health_binder_core::shc::{CardError, CardSignature, TrustList, read_card};

const EXAMPLE_ISSUER: &str = "https://spec.smarthealth.cards/examples/issuer";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/shc/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn trusting_the_example_issuer() -> TrustList {
    TrustList::shipped()
        .with_issuer(EXAMPLE_ISSUER, "SMART Health Cards example issuer", &fixture("issuer-jwks.json"))
        .unwrap()
}

#[test]
fn a_card_from_a_trusted_issuer_is_checked_and_its_immunizations_import() {
    let card = read_card(&fixture("immunizations.smart-health-card"), &trusting_the_example_issuer()).unwrap();
    assert_eq!(card.signature, CardSignature::Checked);
    assert_eq!(card.issuer, EXAMPLE_ISSUER);
    assert!(card.origin().ends_with("signature checked"), "{}", card.origin());
    let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
    let mut binder = Binder::new("John B. Anyperson", now);
    let plan = plan_bundle(&card.bundle, &card.origin(), &binder).unwrap();
    let vaccines: Vec<String> =
        plan.proposed.iter().filter(|p| matches!(p.item, Item::Immunization(_))).map(|p| p.item.title()).collect();
    assert_eq!(vaccines.len(), 3, "{plan:#?}");
    assert_eq!(plan.proposed.len() + plan.used.len() + plan.skipped.len(), plan.entries);
    apply(&plan, &vec![true; plan.proposed.len()], false, &mut binder, now);
    assert_eq!(binder.immunizations.len(), 3);
    assert!(binder.immunizations[0].data.date.is_some() && !binder.immunizations[0].data.lot.is_empty());
}

#[test]
fn the_qr_text_holds_the_same_card_as_the_file() {
    let trust = trusting_the_example_issuer();
    let from_qr = read_card(&fixture("immunizations.shc.txt"), &trust).unwrap();
    let from_file = read_card(&fixture("immunizations.smart-health-card"), &trust).unwrap();
    assert_eq!(from_qr, from_file);
    let lab = read_card(&fixture("lab-result.shc.txt"), &trust).unwrap();
    assert_eq!(lab.signature, CardSignature::Checked);
    let plan = plan_bundle(
        &lab.bundle,
        &lab.origin(),
        &Binder::new("", Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()),
    )
    .unwrap();
    // Every observation with a value becomes a result (panels only group them).
    let with_value = lab.bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resource"]["resourceType"] == "Observation")
        .filter(|e| e["resource"].as_object().unwrap().keys().any(|k| k.starts_with("value")))
        .count();
    assert!(with_value > 40);
    assert_eq!(plan.proposed.iter().filter(|p| matches!(p.item, Item::Result(_))).count(), with_value);
    assert_eq!(plan.proposed.len() + plan.used.len() + plan.skipped.len(), plan.entries);
}

#[test]
fn a_card_from_an_issuer_not_on_the_list_is_signed_but_not_checked() {
    let card = read_card(&fixture("immunizations.smart-health-card"), &TrustList::shipped()).unwrap();
    assert_eq!(card.signature, CardSignature::NotChecked);
    assert_eq!(card.origin(), format!("SMART Health Card signed by {EXAMPLE_ISSUER}, not checked"));
}

#[test]
fn an_altered_card_is_refused() {
    let refused = read_card(&fixture("tampered.smart-health-card"), &trusting_the_example_issuer()).unwrap_err();
    assert!(matches!(refused, CardError::BadSignature(_) | CardError::Damaged(_)), "{refused:?}");
    assert!(refused.to_string().contains("Nothing was imported"));
}

#[test]
fn what_is_not_a_card_says_so() {
    let trust = TrustList::shipped();
    assert_eq!(read_card("hello", &trust), Err(CardError::NotACard));
    assert!(matches!(read_card("shc:/12a4", &trust), Err(CardError::Damaged(_))));
    assert!(matches!(read_card("shc:/1/2/5676", &trust), Err(CardError::Damaged(_))));
    assert!(matches!(read_card(r#"{"verifiableCredential":["a.b"]}"#, &trust), Err(CardError::Damaged(_))));
    assert!(matches!(read_card(r#"{"verifiableCredential":["e30.e30.e30"]}"#, &trust), Err(CardError::Damaged(_))));
    let huge = format!("shc:/{}", "56".repeat(300_000));
    assert!(matches!(read_card(&huge, &trust), Err(CardError::Damaged(_))));
}
