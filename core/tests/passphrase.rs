//! A new passphrase: long enough, not one of the commonest passwords however dressed up, not
//! built from the patient's name; the meter says why.

use health_binder_core::vault::{CommonPasswords, Strength, assess_passphrase, check_new_passphrase};

const LIST: &str = include_str!("../data/common-passwords.txt");
const NAME: &[&str] = &["Mary", "Jackson"];

fn common() -> CommonPasswords {
    CommonPasswords::parse(LIST)
}

#[test]
fn the_shipped_list_is_the_ten_thousand_commonest_sorted_for_searching() {
    let list = common();
    assert_eq!(list.len(), 10_000);
    let lines: Vec<&str> = LIST.lines().collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "sorted by bytes, no repeats: the search relies on it");
    assert!(lines.iter().all(|l| *l == l.to_lowercase()));
}

#[test]
fn the_commonest_passwords_are_refused_even_dressed_up() {
    let list = common();
    for weak in [
        "password1",
        "Password1!",
        "P@ssw0rd",
        "p@ssw0rd123",
        "iloveyou",
        "12345678",
        "qwertyuiop",
        "Sunshine2024",
        "letmein!!",
        "trustno1",
        "pass word",
    ] {
        let assessment = assess_passphrase(weak, NAME, Some(&list));
        assert_eq!(assessment.strength, Strength::Weak, "{weak}");
        assert!(assessment.reason.contains("commonest"), "{weak}: {}", assessment.reason);
        let refused = check_new_passphrase(weak, weak, NAME, &list).unwrap_err();
        assert!(refused.contains("commonest"), "{weak}: {refused}");
    }
}

#[test]
fn a_passphrase_built_from_the_patients_name_is_refused() {
    let list = common();
    for weak in ["MaryJackson", "maryjackson1960", "Jackson Mary!", "M@ryJ@ckson", "jacksonjackson"] {
        let assessment = assess_passphrase(weak, NAME, Some(&list));
        assert_eq!(assessment.strength, Strength::Weak, "{weak}");
        assert!(assessment.reason.contains("your name"), "{weak}: {}", assessment.reason);
    }
    // Someone else's name in the phrase is only a word.
    assert_ne!(
        assess_passphrase("mary keeps bees on tuesdays", &["Ada", "Lovelace"], Some(&list)).strength,
        Strength::Weak
    );
    // A name inside a real phrase leaves enough else to guess.
    assert_eq!(assess_passphrase("jackson garden ladder", NAME, Some(&list)).strength, Strength::Fair);
}

#[test]
fn too_short_or_mostly_digits_is_refused_with_its_reason() {
    let list = common();
    assert!(assess_passphrase("short", NAME, Some(&list)).reason.contains("at least 8"));
    assert!(assess_passphrase("19600314#", NAME, Some(&list)).reason.contains("digits"));
    assert!(check_new_passphrase("long enough words", "long enough word", NAME, &list).unwrap_err().contains("differ"));
}

#[test]
fn phrases_of_unrelated_words_pass_and_the_meter_grades_them() {
    let list = common();
    assert_eq!(assess_passphrase("correct horse", NAME, Some(&list)).strength, Strength::Fair);
    assert_eq!(assess_passphrase("correct horse battery staple", NAME, Some(&list)).strength, Strength::Strong);
    assert_eq!(assess_passphrase("Blue-kettle-Tuesday", NAME, Some(&list)).strength, Strength::Strong);
    assert_eq!(
        check_new_passphrase("correct horse battery staple", "correct horse battery staple", NAME, &list),
        Ok(())
    );
}

#[test]
fn while_the_list_is_still_loading_length_and_name_still_count() {
    assert_ne!(assess_passphrase("password1", NAME, None).strength, Strength::Weak, "not known yet without the list");
    assert_eq!(assess_passphrase("MaryJackson", NAME, None).strength, Strength::Weak);
}
