//! Recovery codes: 128 random bits written as 26 base32 letters and digits in groups of four,
//! easy to copy by hand onto paper and to type back (no 0/O or 1/I/L confusion: base32 uses A–Z
//! and 2–7 only).

use data_encoding::BASE32_NOPAD;

/// A fresh code such as `K3QF-7ZLA-…`.
pub fn generate() -> String {
    let text = BASE32_NOPAD.encode(&crate::random::bytes::<16>());
    text.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).expect("base32 is ASCII")).collect::<Vec<_>>().join("-")
}

/// The code as the key derivation sees it: upper case, without spaces or dashes.
pub fn normalize(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_random_and_forgiving_to_retype() {
        let code = generate();
        assert_eq!(normalize(&code).len(), 26);
        assert_ne!(code, generate());
        assert_eq!(normalize(&code.to_lowercase().replace('-', " ")), normalize(&code));
    }
}
