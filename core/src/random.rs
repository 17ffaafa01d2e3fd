//! The one source of randomness: the OS generator natively, `crypto.getRandomValues` in the browser.

use uuid::Uuid;

pub fn bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    // Without a working random source no key can be made safely: failing loudly is the only
    // honest answer, and both targets we build for always have one.
    getrandom::fill(&mut out).expect("the platform's random number generator is unavailable");
    out
}

pub fn uuid_v4() -> Uuid {
    uuid::Builder::from_random_bytes(bytes()).into_uuid()
}
