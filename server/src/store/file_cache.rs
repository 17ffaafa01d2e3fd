//! Ciphertext that was served recently, kept in memory as shared [`Bytes`], so opening a link
//! that is opened often neither reads its 20 KB out of the database again nor allocates and
//! copies it for every answer: each answer holds one more reference to the same bytes.
//!
//! **It never decides anything.** A share's ciphertext never changes once stored; it only goes
//! away (revocation, purge). Whether a link may be opened is still decided from the share's row,
//! in the same transaction that counts the use and logs the access, on every request: the cache
//! is consulted only after that decision said "serve", so a revoked, paused, expired, used-up or
//! locked-out link answers 404 at once whatever the cache holds. Entries are dropped when the
//! store revokes or purges a share, and whenever a store finds a share no longer servable, so
//! ciphertext the database no longer keeps does not stay in memory either (on PostgreSQL another
//! instance may revoke: this instance drops its copy the next time the link is asked for, or when
//! it is evicted).
//!
//! Bounded by bytes, least recently used first out.

use std::sync::Mutex;

use bytes::Bytes;
use lru::LruCache;

use crate::ids::ShareId;

/// Ciphertext kept in memory per store (per relay instance): about 800 shares of 20 KB. Part of
/// the relay's memory budget (docs/benchmarks.md: RSS with 100 000 shares stays under 64 MB).
pub const FILE_CACHE_BYTES: usize = 16 << 20;

pub struct FileCache {
    budget: usize,
    inner: Mutex<Lru>,
}

struct Lru {
    files: LruCache<ShareId, Bytes>,
    bytes: usize,
}

impl FileCache {
    pub fn new(budget: usize) -> Self {
        Self { budget, inner: Mutex::new(Lru { files: LruCache::unbounded(), bytes: 0 }) }
    }

    /// The share's ciphertext, if kept (a clone of `Bytes`: a reference, not a copy).
    pub fn get(&self, id: &ShareId) -> Option<Bytes> {
        self.lock().files.get(id).cloned()
    }

    /// Keeps `jwe` for `id`, evicting the least recently used files past the budget. A file
    /// larger than an eighth of the budget is not kept: it would push out many others.
    pub fn insert(&self, id: &ShareId, jwe: &Bytes) {
        if jwe.len() > self.budget / 8 {
            return;
        }
        let mut lru = self.lock();
        if let Some(old) = lru.files.put(id.clone(), jwe.clone()) {
            lru.bytes -= old.len();
        }
        lru.bytes += jwe.len();
        while lru.bytes > self.budget {
            let Some((_, evicted)) = lru.files.pop_lru() else { break };
            lru.bytes -= evicted.len();
        }
    }

    /// Forgets the share's ciphertext (revoked, purged, or found no longer servable).
    pub fn remove(&self, id: &ShareId) {
        let mut lru = self.lock();
        if let Some(old) = lru.files.pop(id) {
            lru.bytes -= old.len();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Lru> {
        // Every update above leaves the map and its byte count consistent before anything can
        // panic, so a poisoned lock still guards a usable cache.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ShareId {
        ShareId::parse(&format!("{:A>43}", n)).unwrap()
    }

    #[test]
    fn keeps_files_within_the_budget_dropping_the_least_recently_used() {
        let cache = FileCache::new(80);
        let file = |byte: u8| Bytes::from(vec![byte; 10]);
        for n in 0..8 {
            cache.insert(&id(n), &file(n));
        }
        assert!(cache.get(&id(0)).is_some(), "0 is now the most recently used");
        cache.insert(&id(8), &file(8));
        assert!(cache.get(&id(1)).is_none(), "the least recently used went");
        assert_eq!(cache.get(&id(0)).as_deref(), Some(&[0u8; 10][..]));
        assert_eq!(cache.get(&id(8)).as_deref(), Some(&[8u8; 10][..]));
        cache.remove(&id(8));
        assert!(cache.get(&id(8)).is_none());
        assert_eq!(cache.lock().bytes, 70);
    }

    #[test]
    fn a_file_larger_than_an_eighth_of_the_budget_is_not_kept() {
        let cache = FileCache::new(80);
        cache.insert(&id(1), &Bytes::from(vec![1u8; 11]));
        assert!(cache.get(&id(1)).is_none());
    }
}
