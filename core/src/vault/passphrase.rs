//! The rule for a new passphrase, the same wherever one is chosen (creating a binder, changing it).

/// Shortest passphrase accepted: Argon2id slows guessing, it cannot make "1234" strong.
pub const MIN_PASSPHRASE: usize = 8;

/// Checks a new passphrase and its confirmation, saying what to fix.
pub fn check_new_passphrase(passphrase: &str, confirmation: &str) -> Result<(), String> {
    if passphrase.chars().count() < MIN_PASSPHRASE {
        return Err(format!(
            "Choose a passphrase of at least {MIN_PASSPHRASE} characters; a few words are easy to remember."
        ));
    }
    if passphrase != confirmation {
        return Err("The two passphrases differ. Type the same one twice.".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_mismatched_passphrases_are_refused_with_a_reason() {
        assert!(check_new_passphrase("short", "short").unwrap_err().contains("at least 8"));
        assert!(check_new_passphrase("long enough words", "long enough word").unwrap_err().contains("differ"));
        assert_eq!(check_new_passphrase("correct horse", "correct horse"), Ok(()));
    }
}
