//! A small pool of read-only connections for management reads, run on tokio's blocking
//! pool; WAL lets them read while the writer commits.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

use super::backend;
use crate::store::StoreError;

pub(super) struct ReadPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// One permit per connection in `idle`.
    slots: Arc<Semaphore>,
}

impl ReadPool {
    pub(super) fn open(path: &Path, size: usize) -> Result<Self, StoreError> {
        let idle = (0..size).map(|_| open_reader(path)).collect::<rusqlite::Result<Vec<_>>>().map_err(backend)?;
        Ok(Self { path: path.to_owned(), idle: Mutex::new(idle), slots: Arc::new(Semaphore::new(size)) })
    }

    pub(super) async fn run<T, F>(self: &Arc<Self>, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let permit = Arc::clone(&self.slots).acquire_owned().await.map_err(backend)?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            // Only empty if a panic in `work` lost a connection: open a replacement.
            let idle = pool.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let mut conn = match idle {
                Some(conn) => conn,
                None => open_reader(&pool.path).map_err(backend)?,
            };
            let result = work(&mut conn);
            pool.idle.lock().unwrap_or_else(PoisonError::into_inner).push(conn);
            drop(permit);
            result.map_err(backend)
        })
        .await
        .map_err(backend)?
    }
}

fn open_reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
    )?;
    conn.execute_batch("PRAGMA busy_timeout = 5000;")?;
    Ok(conn)
}
