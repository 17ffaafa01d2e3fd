//! HTTP handlers, by audience: the patient's app managing shares, and SMART Health Link
//! receivers fetching files.

pub mod shares;
pub mod shl;

/// Ids and secrets are 32 random bytes in unpadded base64url: 43 characters.
pub(crate) fn is_token(s: &str) -> bool {
    s.len() == 43 && s.bytes().all(is_base64url_byte)
}

pub(crate) fn is_base64url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}
