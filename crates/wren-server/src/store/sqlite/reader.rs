//! A small pool of read connections used from blocking threads (WAL allows many readers).

use super::schema::open_connection;
use crate::store::sql::Db;
use crate::store::StoreError;
use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Read connections, each used by one blocking task at a time.
#[derive(Debug)]
pub(super) struct ReaderPool {
    idle: Mutex<Vec<Connection>>,
    permits: Semaphore,
}

impl ReaderPool {
    /// Opens `size` read connections to the database at `path`.
    pub(super) fn open(path: &Path, size: usize) -> Result<Arc<Self>, StoreError> {
        let idle = (0..size)
            .map(|_| open_connection(path))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Arc::new(ReaderPool {
            idle: Mutex::new(idle),
            permits: Semaphore::new(size),
        }))
    }

    /// Runs `f` in a read transaction (one consistent snapshot, however many queries it
    /// makes) on a pooled connection, on a blocking thread.
    pub(super) async fn snapshot<T, F>(self: &Arc<Self>, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(Db<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        self.with(move |conn| {
            let tx = conn.transaction().map_err(super::db_err)?;
            f(Db::Sqlite(&tx))
        })
        .await
    }

    /// Runs `f` with a read connection on a blocking thread.
    pub(super) async fn with<T, F>(self: &Arc<Self>, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::Closed)?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let taken = pool.idle.lock().map(|mut idle| idle.pop());
            let Ok(Some(mut conn)) = taken else {
                return Err(StoreError::Corrupt("reader pool is empty".into()));
            };
            let result = f(&mut conn);
            if let Ok(mut idle) = pool.idle.lock() {
                idle.push(conn);
            }
            result
        })
        .await
        .map_err(|e| StoreError::Database(Box::new(e)))?
    }
}
