//! Background deletion of ciphertext that can no longer be served.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::store::ShareStore;

/// Purges at once and then every `every`. Failures are logged and retried next round:
/// expired shares are already refused, so a late purge only delays freeing space.
/// Recipients' names and passcode hashes of shares that ended `retention_secs` ago are
/// cleared in the same round.
pub fn spawn(store: Arc<dyn ShareStore>, clock: Clock, every: Duration, retention_secs: i64) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match store.purge_expired(clock(), retention_secs).await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "purged ciphertext of inactive shares"),
                Err(err) => tracing::error!(error = %err, "purge failed"),
            }
        }
    })
}
