//! Per-client rate limits that every instance on the database counts together: one row per
//! (limit, client) in the UNLOGGED table `rate_windows`, a fixed one-minute window started by
//! the client's first request in it, timed by the database's clock so instances whose clocks
//! differ still agree.

use std::net::IpAddr;

use async_trait::async_trait;

use super::{PgStore, pg};
use crate::rate_limit::{SharedWindows, key};
use crate::store::StoreError;

#[async_trait]
impl SharedWindows for PgStore {
    async fn hit(
        &self,
        scope: &'static str,
        client: IpAddr,
        per_window: u32,
        window_secs: u32,
    ) -> Result<Result<(), u64>, StoreError> {
        let store = self.clone();
        self.run(async move {
            let conn = store.client().await?;
            // Counts the request; a window that ended restarts at this one. Refused requests
            // count too, which changes nothing: the window is full either way.
            let statement = conn
                .prepare_cached(
                    "INSERT INTO rate_windows AS w (scope, client, started_ms, hits)
                     VALUES ($1, $2, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, 1)
                     ON CONFLICT (scope, client) DO UPDATE SET
                         started_ms = CASE WHEN w.started_ms <= EXCLUDED.started_ms - $3
                                           THEN EXCLUDED.started_ms ELSE w.started_ms END,
                         hits = CASE WHEN w.started_ms <= EXCLUDED.started_ms - $3 THEN 1 ELSE w.hits + 1 END
                     RETURNING hits, started_ms + $3 - (extract(epoch FROM clock_timestamp()) * 1000)::bigint",
                )
                .await
                .map_err(pg)?;
            let window_ms = i64::from(window_secs) * 1000;
            let row = conn.query_one(&statement, &[&scope, &key(client).to_string(), &window_ms]).await.map_err(pg)?;
            let (hits, left_ms): (i64, i64) = (row.get(0), row.get(1));
            if hits <= i64::from(per_window) {
                return Ok(Ok(()));
            }
            let left_secs = u64::try_from(left_ms).unwrap_or(0).div_ceil(1000);
            Ok(Err(left_secs.max(1)))
        })
        .await
    }
}
