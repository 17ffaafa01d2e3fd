//! How many ciphertext bytes each client keeps in shares that have not expired, so one client
//! cannot fill the relay. In memory, per relay instance: several instances each count what
//! reached them, and a restart forgets (the store's global cap still holds). A share counts
//! against its creator until the end of the UTC day it expires on, whether or not it was
//! revoked or purged earlier: the count is kept per client and expiry day, so a client costs
//! at most one entry per day of the longest lifetime.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

use crate::rate_limit;

const DAY: i64 = 86_400;
/// Forget clients with nothing left once the table grows past this many.
const CLEANUP_THRESHOLD: usize = 4_096;

pub struct ClientBytes {
    cap: u64,
    /// client → (day the shares expire on → bytes).
    table: Mutex<HashMap<IpAddr, BTreeMap<i64, u64>>>,
}

/// Over the cap: what the client keeps now, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverCap {
    pub cap: u64,
}

impl ClientBytes {
    pub fn new(cap: u64) -> Self {
        Self { cap, table: Mutex::new(HashMap::new()) }
    }

    /// Counts `bytes` expiring at `exp` against `client`, unless that would take it past the
    /// cap. A reservation whose share is then not stored must be [`Self::release`]d.
    pub fn reserve(&self, client: IpAddr, bytes: u64, exp: i64, now: i64) -> Result<(), OverCap> {
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        if table.len() >= CLEANUP_THRESHOLD {
            table.retain(|_, days| {
                forget_ended(days, now);
                !days.is_empty()
            });
        }
        let days = table.entry(rate_limit::key(client)).or_default();
        forget_ended(days, now);
        let kept: u64 = days.values().sum();
        if kept.saturating_add(bytes) > self.cap {
            return Err(OverCap { cap: self.cap });
        }
        *days.entry(exp.div_euclid(DAY)).or_default() += bytes;
        Ok(())
    }

    pub fn release(&self, client: IpAddr, bytes: u64, exp: i64) {
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(kept) = table.get_mut(&rate_limit::key(client)).and_then(|days| days.get_mut(&exp.div_euclid(DAY)))
        {
            *kept = kept.saturating_sub(bytes);
        }
    }
}

/// Drops the days that have ended by `now`.
fn forget_ended(days: &mut BTreeMap<i64, u64>, now: i64) {
    let today = now.div_euclid(DAY);
    days.retain(|day, bytes| *day >= today && *bytes > 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_750_000_000;

    #[test]
    fn a_client_keeps_up_to_its_cap_until_its_shares_expire() {
        let counts = ClientBytes::new(1_000);
        let (a, b) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        assert_eq!(counts.reserve(a, 600, NOW + DAY, NOW), Ok(()));
        assert_eq!(counts.reserve(a, 400, NOW + 3 * DAY, NOW), Ok(()));
        assert_eq!(counts.reserve(a, 1, NOW + DAY, NOW), Err(OverCap { cap: 1_000 }));
        assert_eq!(counts.reserve(b, 1_000, NOW + DAY, NOW), Ok(()), "another client has its own cap");
        // Two days on, the first share has expired (and its day ended): its bytes are free.
        assert_eq!(counts.reserve(a, 600, NOW + 5 * DAY, NOW + 2 * DAY), Ok(()));
        assert_eq!(counts.reserve(a, 1, NOW + 5 * DAY, NOW + 2 * DAY), Err(OverCap { cap: 1_000 }));
        counts.release(a, 600, NOW + 5 * DAY);
        assert_eq!(counts.reserve(a, 600, NOW + 5 * DAY, NOW + 2 * DAY), Ok(()), "a released reservation is free");
    }
}
