//! The rule for a new passphrase, the same wherever one is chosen (creating a binder, changing it).
//!
//! Argon2id makes each guess cost about a second, but a backup file can be guessed at offline for
//! as long as someone likes, and the first guesses anyone tries are the commonest passwords and the
//! owner's own name. So a new passphrase must be long enough, not one of the commonest passwords
//! (even dressed up as "Password1!" or "p@ssw0rd"), and not built from the patient's name. The
//! rule applies only when a passphrase is chosen: an existing one always unlocks.

/// Shortest passphrase accepted: Argon2id slows guessing, it cannot make "1234" strong.
pub const MIN_PASSPHRASE: usize = 8;

/// The commonest passwords, one per line, lower case, sorted by bytes (core/data/
/// common-passwords.txt, from @zxcvbn-ts/language-common). The app fetches the file with the key
/// worker's files, so it is not part of the first screen's download.
#[derive(Default)]
pub struct CommonPasswords {
    sorted: Vec<String>,
}

impl CommonPasswords {
    pub fn parse(text: &str) -> Self {
        Self { sorted: text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect() }
    }

    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    fn contains(&self, candidate: &str) -> bool {
        !candidate.is_empty() && self.sorted.binary_search_by(|p| p.as_str().cmp(candidate)).is_ok()
    }
}

/// How strong a new passphrase is, for the meter beside the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strength {
    /// Refused: the reason says why.
    Weak,
    /// Accepted, though a longer phrase would be better.
    Fair,
    Strong,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub strength: Strength,
    /// What the meter says, in a sentence.
    pub reason: String,
}

/// Assesses a new passphrase. `names` are the words of the patient's name (and anything else
/// about them a guesser would try first); `common` is the list once loaded (`None` while it is
/// still coming: the check is then only as good as length and name).
pub fn assess_passphrase(passphrase: &str, names: &[&str], common: Option<&CommonPasswords>) -> Assessment {
    let weak = |reason: &str| Assessment { strength: Strength::Weak, reason: reason.to_owned() };
    let length = passphrase.chars().count();
    if length < MIN_PASSPHRASE {
        // MIN_PASSPHRASE, written out: a format! here would cost the first screen's download.
        return weak(crate::msg!(
            "Too short: choose a passphrase of at least 8 characters; a few words are easy to remember."
        ));
    }
    let lower = passphrase.to_lowercase();
    // The letters, with the digits and symbols around them dropped and the usual disguises
    // undone inside: "P@ssw0rd1!" → "password", "MaryJackson1960" → "maryjackson".
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    let letters: String = undisguised(core).filter(|c| c.is_alphabetic()).collect();
    if let Some(common) = common {
        let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
        if [lower.as_str(), squeezed.as_str(), letters.as_str()].into_iter().any(|c| common.contains(c)) {
            return weak(crate::msg!(
                "One of the commonest passwords, which are tried first: choose a few words that belong together only for you."
            ));
        }
    }
    if built_from(&letters, names) {
        return weak(crate::msg!(
            "Built from your name, which is tried first: choose words that have nothing to do with you."
        ));
    }
    if lower.chars().filter(|c| c.is_alphabetic()).count() < 4 {
        return weak(crate::msg!("Mostly digits or symbols, which are quick to guess: use a few words."));
    }
    // The patient's name inside a phrase adds little a guesser would not try: grade what is left.
    let mut rest = lower.clone();
    for name in names.iter().map(|n| n.to_lowercase()).filter(|n| n.chars().count() >= 3) {
        rest = rest.replace(&name, "");
    }
    let words = rest.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).count();
    if rest.trim().chars().count() >= 16 || words >= 4 {
        Assessment { strength: Strength::Strong, reason: crate::msg!("Strong.").to_owned() }
    } else {
        Assessment {
            strength: Strength::Fair,
            reason: crate::msg!("Fair: a longer phrase of a few unrelated words is stronger.").to_owned(),
        }
    }
}

/// Undoes the disguises people use for letters (p@ssw0rd, l3tm31n).
fn undisguised(lower: &str) -> impl Iterator<Item = char> + '_ {
    lower.chars().map(|c| match c {
        '@' | '4' => 'a',
        '8' => 'b',
        '3' => 'e',
        '1' | '!' => 'i',
        '0' => 'o',
        '$' | '5' => 's',
        '7' | '+' => 't',
        other => other,
    })
}

/// Whether the letters are the patient's name (in any order, repeated, with little else).
fn built_from(letters: &str, names: &[&str]) -> bool {
    let mut rest = letters.to_owned();
    let mut found = false;
    for name in names {
        let name: String = undisguised(&name.to_lowercase()).filter(|c| c.is_alphabetic()).collect();
        if name.len() >= 3 && rest.contains(&name) {
            rest = rest.replace(&name, "");
            found = true;
        }
    }
    found && rest.len() < 4
}

/// Checks a new passphrase and its confirmation, saying what to fix.
pub fn check_new_passphrase(
    passphrase: &str,
    confirmation: &str,
    names: &[&str],
    common: &CommonPasswords,
) -> Result<(), String> {
    let assessment = assess_passphrase(passphrase, names, Some(common));
    if assessment.strength == Strength::Weak {
        return Err(assessment.reason);
    }
    if passphrase != confirmation {
        return Err(crate::msg!("The two passphrases differ. Type the same one twice.").to_owned());
    }
    Ok(())
}
