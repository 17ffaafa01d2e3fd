//! Wall-clock time as an injectable dependency, so tests can move time past an expiry
//! instead of sleeping.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Returns the current time in Unix seconds.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            // A clock before 1970 is a broken host; treating it as the epoch makes every
            // share look expired rather than crashing the relay.
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    })
}
