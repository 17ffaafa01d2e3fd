//! Medication reconciliation, case by case: realistic current lists against new orders, as a
//! pharmacist would check them. Each case says, for every line, the status, the flags, and a
//! word that must appear in what changed.

use health_binder_core::reconcile::{Flag, LineResult, MedLine, Side, Status, reconcile};

use Flag::*;
use Status::*;

/// What one line must come out as: its text, status, flags (exactly), and a fragment the
/// `changes` (or, for flags, the `notes`) must contain ("" for none).
type Expect<'a> = (&'a str, Status, &'a [Flag], &'a str);

#[track_caller]
fn check(current: &[&str], new: &[&str], allergies: &[&str], expected: &[Expect]) {
    let results = reconcile(current, new, allergies);
    assert_eq!(results.len(), expected.len(), "one result per line: {results:#?}");
    for (result, (line, status, flags, fragment)) in results.iter().zip(expected) {
        let seen = describe(result);
        assert_eq!(result.line, *line);
        assert_eq!(result.status, *status, "status of {seen}");
        assert_eq!(result.flags, *flags, "flags of {seen}");
        let text = result.changes.iter().chain(&result.notes).map(ToString::to_string).collect::<Vec<_>>().join(" | ");
        assert!(text.contains(fragment), "{seen}: expected \u{201c}{fragment}\u{201d} in {text:?}");
    }
}

fn describe(r: &LineResult) -> String {
    format!("{:?} {:?} {:?} {:?} changes={:?} notes={:?}", r.side, r.line, r.ingredients, r.status, r.changes, r.notes)
}

#[test]
fn brand_and_generic_with_the_same_regimen_continue() {
    check(
        &["Glucophage 500 mg BID"],
        &["Metformin 500 mg twice daily"],
        &[],
        &[("Glucophage 500 mg BID", Continue, &[], ""), ("Metformin 500 mg twice daily", Continue, &[], "")],
    );
}

#[test]
fn the_same_line_written_differently_continues() {
    check(
        &["Lisinopril 10 mg p.o. q.d."],
        &["lisinopril 10mg by mouth once daily"],
        &[],
        &[
            ("Lisinopril 10 mg p.o. q.d.", Continue, &[], ""),
            ("lisinopril 10mg by mouth once daily", Continue, &[], ""),
        ],
    );
    check(
        &["  METFORMIN   500MG  bid "],
        &["metformin 500 mg BID"],
        &[],
        &[("METFORMIN   500MG  bid", Continue, &[], ""), ("metformin 500 mg BID", Continue, &[], "")],
    );
}

#[test]
fn a_dose_changed_by_strength_says_so() {
    check(
        &["Metformin 500 mg BID"],
        &["Metformin 1000 mg BID"],
        &[],
        &[
            ("Metformin 500 mg BID", Changed, &[], "strength 500 mg \u{2192} 1000 mg"),
            ("Metformin 1000 mg BID", Changed, &[], "strength 500 mg \u{2192} 1000 mg"),
        ],
    );
}

#[test]
fn a_dose_changed_by_frequency_says_so() {
    check(
        &["Metformin 500 mg BID"],
        &["Metformin 500 mg TID"],
        &[],
        &[
            ("Metformin 500 mg BID", Changed, &[], "how often twice a day \u{2192} 3 times a day"),
            ("Metformin 500 mg TID", Changed, &[], "twice a day \u{2192} 3 times a day"),
        ],
    );
}

#[test]
fn a_dose_changed_by_the_number_of_tablets_says_so() {
    check(
        &["Metformin 500 mg 1 tab BID"],
        &["Metformin 500 mg 2 tabs BID"],
        &[],
        &[
            ("Metformin 500 mg 1 tab BID", Changed, &[], "dose 1 tablet \u{2192} 2 tablet"),
            ("Metformin 500 mg 2 tabs BID", Changed, &[], "dose"),
        ],
    );
}

#[test]
fn equivalent_schedules_are_the_same() {
    check(
        &["Amoxicillin 500 mg q12h", "Prednisone 10 mg three times a day"],
        &["Amoxicillin 500 mg BID", "prednisone 10 mg TID"],
        &[],
        &[
            ("Amoxicillin 500 mg q12h", Continue, &[], ""),
            ("Prednisone 10 mg three times a day", Continue, &[], ""),
            ("Amoxicillin 500 mg BID", Continue, &[], ""),
            ("prednisone 10 mg TID", Continue, &[], ""),
        ],
    );
    check(
        &["Warfarin 5 mg every other day", "Alendronate 70 mg weekly"],
        &["Coumadin 5 mg QOD", "Fosamax 70 mg once a week"],
        &[],
        &[
            ("Warfarin 5 mg every other day", Continue, &[], ""),
            ("Alendronate 70 mg weekly", Continue, &[], ""),
            ("Coumadin 5 mg QOD", Continue, &[], ""),
            ("Fosamax 70 mg once a week", Continue, &[], ""),
        ],
    );
}

#[test]
fn weekly_methotrexate_ordered_daily_is_a_change() {
    check(
        &["Methotrexate 15 mg weekly"],
        &["Methotrexate 15 mg daily"],
        &[],
        &[
            ("Methotrexate 15 mg weekly", Changed, &[], "once a week \u{2192} once a day"),
            ("Methotrexate 15 mg daily", Changed, &[], "once a week"),
        ],
    );
}

#[test]
fn strength_units_are_normalised() {
    check(
        &["Levothyroxine 0.1 mg daily", "Amoxicillin 1 g BID", "Insulin glargine 20 units at bedtime"],
        &["Synthroid 100 mcg daily", "Amoxicillin 1000 mg BID", "Lantus 20 IU qhs"],
        &[],
        &[
            ("Levothyroxine 0.1 mg daily", Continue, &[], ""),
            ("Amoxicillin 1 g BID", Continue, &[], ""),
            ("Insulin glargine 20 units at bedtime", Continue, &[], ""),
            ("Synthroid 100 mcg daily", Continue, &[], ""),
            ("Amoxicillin 1000 mg BID", Continue, &[], ""),
            ("Lantus 20 IU qhs", Continue, &[], ""),
        ],
    );
}

#[test]
fn an_insulin_dose_change_is_a_change() {
    check(
        &["Lantus 20 units qhs"],
        &["Lantus 24 units qhs"],
        &[],
        &[
            ("Lantus 20 units qhs", Changed, &[], "dose 20 units \u{2192} 24 units"),
            ("Lantus 24 units qhs", Changed, &[], "24 units"),
        ],
    );
}

#[test]
fn a_drug_absent_from_the_new_orders_stops_and_one_only_there_is_new() {
    check(
        &["Simvastatin 20 mg at bedtime", "Aspirin 81 mg daily"],
        &["Atorvastatin 40 mg daily", "Aspirin 81 mg daily"],
        &[],
        &[
            ("Simvastatin 20 mg at bedtime", Stop, &[], ""),
            ("Aspirin 81 mg daily", Continue, &[], ""),
            ("Atorvastatin 40 mg daily", New, &[], ""),
            ("Aspirin 81 mg daily", Continue, &[], ""),
        ],
    );
}

#[test]
fn combination_products_match_their_generic_combination() {
    check(
        &["Zestoretic 20-12.5 mg daily"],
        &["lisinopril/hydrochlorothiazide 20/12.5 mg daily"],
        &[],
        &[
            ("Zestoretic 20-12.5 mg daily", Continue, &[], ""),
            ("lisinopril/hydrochlorothiazide 20/12.5 mg daily", Continue, &[], ""),
        ],
    );
    check(
        &["Augmentin 875-125 mg BID"],
        &["amoxicillin-clavulanate 875-125 mg q12h"],
        &[],
        &[
            ("Augmentin 875-125 mg BID", Continue, &[], ""),
            ("amoxicillin-clavulanate 875-125 mg q12h", Continue, &[], ""),
        ],
    );
}

#[test]
fn a_switch_to_a_combination_product_is_a_change_of_ingredients() {
    check(
        &["Lisinopril 20 mg daily"],
        &["Zestoretic 20-12.5 mg daily"],
        &[],
        &[
            (
                "Lisinopril 20 mg daily",
                Changed,
                &[],
                "ingredients lisinopril \u{2192} hydrochlorothiazide + lisinopril",
            ),
            ("Zestoretic 20-12.5 mg daily", Changed, &[], "ingredients"),
        ],
    );
}

#[test]
fn an_ingredient_inside_a_combination_on_the_same_list_is_a_duplicate() {
    check(
        &[],
        &["Lisinopril 20 mg daily", "Zestoretic 20-12.5 mg daily"],
        &[],
        &[
            ("Lisinopril 20 mg daily", New, &[Duplicate], "lisinopril also in \u{201c}Zestoretic"),
            ("Zestoretic 20-12.5 mg daily", New, &[Duplicate], "lisinopril also in \u{201c}Lisinopril"),
        ],
    );
}

#[test]
fn acetaminophen_twice_through_a_brand_and_a_combination_is_a_duplicate() {
    check(
        &["Tylenol 500 mg q6h PRN", "Percocet 5/325 1 tab q6h prn pain"],
        &[],
        &[],
        &[
            ("Tylenol 500 mg q6h PRN", Stop, &[Duplicate], "acetaminophen also in \u{201c}Percocet"),
            ("Percocet 5/325 1 tab q6h prn pain", Stop, &[Duplicate], "acetaminophen also in \u{201c}Tylenol"),
        ],
    );
}

#[test]
fn two_brands_of_one_drug_are_a_duplicate() {
    check(
        &["Advil 200 mg q6h prn", "Motrin 400 mg TID"],
        &["Advil 200 mg q6h prn", "Motrin 400 mg TID"],
        &[],
        &[
            ("Advil 200 mg q6h prn", Continue, &[Duplicate], "ibuprofen also in"),
            ("Motrin 400 mg TID", Continue, &[Duplicate], "ibuprofen also in"),
            ("Advil 200 mg q6h prn", Continue, &[Duplicate], "ibuprofen also in"),
            ("Motrin 400 mg TID", Continue, &[Duplicate], "ibuprofen also in"),
        ],
    );
}

#[test]
fn a_supplement_twice_under_two_names_is_a_duplicate() {
    check(
        &[],
        &["Vitamin D3 1,000 IU daily", "Cholecalciferol 2000 IU daily"],
        &[],
        &[
            ("Vitamin D3 1,000 IU daily", New, &[Duplicate], "cholecalciferol also in"),
            ("Cholecalciferol 2000 IU daily", New, &[Duplicate], "cholecalciferol also in"),
        ],
    );
}

#[test]
fn a_different_salt_of_one_ingredient_is_a_change() {
    check(
        &["Metoprolol tartrate 25 mg BID"],
        &["Metoprolol succinate 25 mg BID"],
        &[],
        &[
            ("Metoprolol tartrate 25 mg BID", Changed, &[], "salt tartrate \u{2192} succinate"),
            ("Metoprolol succinate 25 mg BID", Changed, &[], "salt tartrate \u{2192} succinate"),
        ],
    );
}

#[test]
fn brands_carry_their_salt_and_release_form() {
    check(
        &["Lopressor 50 mg BID"],
        &["Toprol XL 100 mg daily"],
        &[],
        &[
            ("Lopressor 50 mg BID", Changed, &[], "release immediate release \u{2192} extended release"),
            ("Toprol XL 100 mg daily", Changed, &[], "salt tartrate \u{2192} succinate"),
        ],
    );
    check(
        &["Metoprolol succinate ER 50 mg daily"],
        &["Toprol XL 50 mg once daily"],
        &[],
        &[
            ("Metoprolol succinate ER 50 mg daily", Continue, &[], ""),
            ("Toprol XL 50 mg once daily", Continue, &[], ""),
        ],
    );
}

#[test]
fn immediate_and_extended_release_are_a_change() {
    check(
        &["Metformin 500 mg BID"],
        &["Metformin ER 500 mg BID"],
        &[],
        &[
            ("Metformin 500 mg BID", Changed, &[], "release immediate release \u{2192} extended release"),
            ("Metformin ER 500 mg BID", Changed, &[], "release"),
        ],
    );
    check(
        &["Glucophage XR 500 mg daily"],
        &["Metformin 500 mg daily"],
        &[],
        &[
            ("Glucophage XR 500 mg daily", Changed, &[], "extended release \u{2192} immediate release"),
            ("Metformin 500 mg daily", Changed, &[], "release"),
        ],
    );
    check(
        &["Wellbutrin XL 300 mg daily"],
        &["bupropion ER 300 mg daily"],
        &[],
        &[("Wellbutrin XL 300 mg daily", Continue, &[], ""), ("bupropion ER 300 mg daily", Continue, &[], "")],
    );
}

#[test]
fn as_needed_inhalers_match_across_brand_and_wording() {
    check(
        &["Albuterol inhaler 2 puffs q4h PRN"],
        &["ProAir HFA 2 puffs every 4 hours as needed"],
        &[],
        &[
            ("Albuterol inhaler 2 puffs q4h PRN", Continue, &[], ""),
            ("ProAir HFA 2 puffs every 4 hours as needed", Continue, &[], ""),
        ],
    );
    check(
        &["Advair 250/50 1 puff BID"],
        &["fluticasone/salmeterol 250/50 mcg 1 puff twice daily"],
        &[],
        &[
            ("Advair 250/50 1 puff BID", Continue, &[], ""),
            ("fluticasone/salmeterol 250/50 mcg 1 puff twice daily", Continue, &[], ""),
        ],
    );
}

#[test]
fn as_needed_to_scheduled_is_a_change() {
    check(
        &["Ibuprofen 400 mg q6h prn"],
        &["Ibuprofen 400 mg TID"],
        &[],
        &[
            ("Ibuprofen 400 mg q6h prn", Changed, &[], "as needed, up to 4 times a day \u{2192} 3 times a day"),
            ("Ibuprofen 400 mg TID", Changed, &[], "how often"),
        ],
    );
}

#[test]
fn a_route_change_is_a_change() {
    check(
        &["Ondansetron 4 mg PO q8h prn"],
        &["Ondansetron 4 mg IV q8h prn"],
        &[],
        &[
            ("Ondansetron 4 mg PO q8h prn", Changed, &[], "route by mouth \u{2192} into a vein"),
            ("Ondansetron 4 mg IV q8h prn", Changed, &[], "route"),
        ],
    );
}

#[test]
fn the_time_of_day_is_part_of_the_schedule() {
    check(
        &["Atorvastatin 40 mg at bedtime"],
        &["Atorvastatin 40 mg every morning"],
        &[],
        &[
            ("Atorvastatin 40 mg at bedtime", Changed, &[], "at bedtime \u{2192} once a day in the morning"),
            ("Atorvastatin 40 mg every morning", Changed, &[], "how often"),
        ],
    );
}

#[test]
fn a_misspelling_one_slip_away_is_read_and_flagged() {
    check(
        &["Metfromin 500 mg BID"],
        &["Metformin 500 mg BID"],
        &[],
        &[
            ("Metfromin 500 mg BID", Continue, &[Misspelled], "Read \u{201c}Metfromin\u{201d} as metformin"),
            ("Metformin 500 mg BID", Continue, &[], ""),
        ],
    );
    check(&["Lisinoprill 10 mg daily"], &[], &[], &[("Lisinoprill 10 mg daily", Stop, &[Misspelled], "as lisinopril")]);
}

#[test]
fn paracetamol_and_acetaminophen_are_one_drug() {
    check(
        &["Paracetamol 500 mg q6h prn"],
        &["Tylenol 500 mg every 6 hours as needed"],
        &[],
        &[
            ("Paracetamol 500 mg q6h prn", Continue, &[], ""),
            ("Tylenol 500 mg every 6 hours as needed", Continue, &[], ""),
        ],
    );
}

#[test]
fn a_new_order_of_a_recorded_allergen_is_flagged() {
    check(
        &[],
        &["Tylenol with Codeine 1 tab q6h prn"],
        &["Codeine"],
        &[("Tylenol with Codeine 1 tab q6h prn", New, &[Allergy], "codeine matches the recorded allergy to Codeine")],
    );
}

#[test]
fn a_new_order_in_an_allergys_class_is_flagged() {
    check(
        &[],
        &["Amoxicillin 500 mg TID", "Metformin 500 mg BID"],
        &["Penicillin"],
        &[
            ("Amoxicillin 500 mg TID", New, &[Allergy], "amoxicillin is one of the penicillins"),
            ("Metformin 500 mg BID", New, &[], ""),
        ],
    );
    check(
        &[],
        &["Bactrim DS 1 tab BID"],
        &["Sulfa"],
        &[("Bactrim DS 1 tab BID", New, &[Allergy], "sulfonamide antibiotics")],
    );
    check(&[], &["Naproxen 500 mg BID"], &["NSAIDs"], &[("Naproxen 500 mg BID", New, &[Allergy], "nsaids")]);
}

#[test]
fn an_allergy_to_one_drug_flags_its_cross_reacting_class_but_not_others() {
    check(
        &[],
        &["Augmentin 875 mg BID", "Ampicillin 500 mg QID", "Cephalexin 500 mg QID"],
        &["Amoxicillin (hives)"],
        &[
            ("Augmentin 875 mg BID", New, &[Allergy], "amoxicillin matches the recorded allergy"),
            ("Ampicillin 500 mg QID", New, &[Allergy], "ampicillin is one of the penicillins"),
            ("Cephalexin 500 mg QID", New, &[], ""),
        ],
    );
    check(&[], &["Naproxen 500 mg BID"], &["ibuprofen"], &[("Naproxen 500 mg BID", New, &[Allergy], "nsaids")]);
    check(&[], &["Metformin 500 mg BID"], &["Peanuts", "Latex"], &[("Metformin 500 mg BID", New, &[], "")]);
}

#[test]
fn drugs_not_in_the_table_are_unclear_on_both_sides_never_continue() {
    let unknown = [
        "Zorblatin 10 mg daily",
        "Xeljanz 5 mg BID",
        "Otezla 30 mg BID",
        "Rinvoq 15 mg daily",
        "Nurtec ODT 75 mg prn",
        "Ubrelvy 50 mg prn",
        "Jakafi 5 mg BID",
        "Trikafta 2 tabs every morning",
        "Ashwagandha 500 mg daily",
        "Elderberry syrup 10 mL daily",
        "Kevzara 200 mg every 2 weeks",
        "Entyvio 300 mg IV every 8 weeks",
    ];
    let results = reconcile(&unknown, &unknown, &[]);
    assert_eq!(results.len(), 2 * unknown.len());
    for r in &results {
        assert_eq!(r.status, Unclear, "{}", describe(r));
        assert!(r.ingredients.is_empty(), "{}", describe(r));
        assert!(r.notes.iter().any(|n| n.to_string().contains("not in the drug table")), "{}", describe(r));
    }
}

#[test]
fn a_line_without_a_drug_is_unclear() {
    check(&["take as directed"], &[], &[], &[("take as directed", Unclear, &[], "")]);
    check(&["500 mg BID"], &[], &[], &[("500 mg BID", Unclear, &[], "")]);
}

#[test]
fn lines_are_read_into_the_structured_medication() {
    let metformin = MedLine::parse("Metformin 500 mg BID");
    assert_eq!(metformin.ingredients, ["metformin"]);
    assert_eq!(metformin.strength.as_ref().unwrap().text(), "500 mg");
    assert_eq!(metformin.schedule.as_ref().unwrap().per_day(), 2.0);
    let med = metformin.to_medication();
    assert_eq!(
        (med.name.as_str(), med.strength.as_str(), med.frequency.text().as_str()),
        ("Metformin", "500 mg", "twice a day")
    );

    let zestoretic = MedLine::parse("Zestoretic 20-12.5 mg daily");
    assert_eq!(zestoretic.ingredients, ["hydrochlorothiazide", "lisinopril"]);
    assert_eq!(zestoretic.strength.as_ref().unwrap().values, [20.0, 12.5]);

    let albuterol = MedLine::parse("Albuterol inhaler 2 puffs q4h PRN");
    assert!(albuterol.as_needed);
    assert_eq!(albuterol.route, Some("inhaled"));
    assert_eq!(albuterol.dose.as_ref().unwrap().text(), "2 puffs");
    assert_eq!(albuterol.to_medication().frequency.text(), "as needed, at most 6 a day");

    let unread = MedLine::parse("Metformin 500 mg BID with food for sugar");
    assert_eq!(unread.unread, ["with", "food", "for", "sugar"], "what was not understood is kept");
}

#[test]
fn every_input_line_gets_exactly_one_result_in_order() {
    let results = reconcile(&["Metformin 500 mg BID", "", "Aspirin 81 mg daily"], &["Aspirin 81 mg daily"], &[]);
    let sides: Vec<(Side, &str)> = results.iter().map(|r| (r.side, r.line.as_str())).collect();
    assert_eq!(
        sides,
        [
            (Side::Current, "Metformin 500 mg BID"),
            (Side::Current, "Aspirin 81 mg daily"),
            (Side::New, "Aspirin 81 mg daily")
        ]
    );
}

// ---------------------------------------------------------------- orders from a reply

/// Like `check`, for a reply's orders (`complete`: the whole list from now on).
#[track_caller]
fn check_orders(current: &[&str], orders: &[&str], complete: bool, expected: &[Expect]) {
    let results = health_binder_core::reconcile::reconcile_orders(current, orders, complete, &[]);
    assert_eq!(results.len(), expected.len(), "one result per line: {results:#?}");
    for (result, (line, status, flags, fragment)) in results.iter().zip(expected) {
        let seen = describe(result);
        assert_eq!(result.line, *line);
        assert_eq!(result.status, *status, "status of {seen}");
        assert_eq!(result.flags, *flags, "flags of {seen}");
        let text = result.changes.iter().chain(&result.notes).map(ToString::to_string).collect::<Vec<_>>().join(" | ");
        assert!(text.contains(fragment), "{seen}: expected \u{201c}{fragment}\u{201d} in {text:?}");
    }
}

#[test]
fn a_list_of_changes_leaves_what_it_does_not_mention_and_stops_only_what_it_says() {
    check_orders(
        &["Metformin 500 mg BID", "Simvastatin 20 mg at bedtime", "Aspirin 81 mg daily"],
        &["Metformin 1000 mg BID", "Stop simvastatin"],
        false,
        &[
            ("Metformin 500 mg BID", Changed, &[], "strength 500 mg \u{2192} 1000 mg"),
            ("Simvastatin 20 mg at bedtime", Stop, &[], "Stop order: \u{201c}Stop simvastatin\u{201d}"),
            ("Aspirin 81 mg daily", Continue, &[], "Not mentioned in the new orders"),
            ("Metformin 1000 mg BID", Changed, &[], "strength"),
        ],
    );
}

#[test]
fn in_a_whole_list_a_missing_drug_stops_and_a_stop_line_is_folded_in() {
    check_orders(
        &["Metformin 500 mg BID", "Aspirin 81 mg daily", "Omeprazole 20 mg daily"],
        &["Metformin 500 mg BID", "D/C aspirin"],
        true,
        &[
            ("Metformin 500 mg BID", Continue, &[], ""),
            ("Aspirin 81 mg daily", Stop, &[], "Stop order"),
            ("Omeprazole 20 mg daily", Stop, &[], ""),
            ("Metformin 500 mg BID", Continue, &[], ""),
        ],
    );
}

#[test]
fn a_stop_order_for_something_not_taken_or_also_ordered_is_unclear() {
    check_orders(
        &["Metformin 500 mg BID"],
        &["Stop warfarin", "Metformin 500 mg BID", "Discontinue metformin"],
        false,
        &[
            ("Metformin 500 mg BID", Unclear, &[], "Both ordered and stopped"),
            ("Metformin 500 mg BID", Unclear, &[], "Both ordered and stopped"),
            ("Stop warfarin", Unclear, &[], "not on the current list"),
        ],
    );
}
