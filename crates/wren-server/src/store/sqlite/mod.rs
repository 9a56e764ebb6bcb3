//! The SQLite store: one writer thread with group commit, a pool of readers, WAL mode.

mod lock;
mod maintenance;
mod reader;
mod schema;
mod writer;

pub use maintenance::{backup, migrate, restore, CopyProgress, Migrated, Restored};

use crate::store::sql::writer::Writer;
use crate::store::sql::{plans, Db};
use crate::store::sql_store::Engine;
use crate::store::{OpenStoreError, StoreError, UpdateSink, WriteOp, WriteTicket};
use reader::ReaderPool;
use std::path::Path;
use std::sync::{Arc, Mutex};
use wren_proto::AccountId;
use writer::SqliteWriter;

/// The database file inside the data directory.
const DB_FILE: &str = "wren.db";
/// How many read connections to keep.
const READERS: usize = 4;
/// Writes queued for the writer before submitters wait (back-pressure).
pub(super) const WRITE_QUEUE: usize = 1024;

/// Wraps a SQLite error.
fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Database(Box::new(e))
}

/// The engine of a [`Store`](crate::store::Store) on one SQLite file.
#[derive(Debug)]
pub(crate) struct SqliteStore {
    writer: Writer,
    readers: Arc<ReaderPool>,
    /// The health check's own connection, outside the reader pool.
    health: Arc<Mutex<rusqlite::Connection>>,
}

impl SqliteStore {
    /// Opens (creating and migrating if needed) the store in `data_dir` and starts its
    /// writer, which publishes committed updates to `sink`.
    pub(crate) fn open(
        data_dir: &Path,
        sink: Arc<dyn UpdateSink>,
        batch_cap: usize,
    ) -> Result<Self, OpenStoreError> {
        std::fs::create_dir_all(data_dir)?;
        let lock = lock::DirLock::acquire(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let open_err = |e: StoreError| OpenStoreError::Database(Box::new(e));
        let mut conn = schema::open_connection(&path).map_err(open_err)?;
        schema::migrate(&mut conn)?;
        let readers = ReaderPool::open(&path, READERS).map_err(open_err)?;
        let health = Arc::new(Mutex::new(
            schema::open_connection(&path).map_err(open_err)?,
        ));
        let writer = Writer::spawn(SqliteWriter { conn, lock }, sink, batch_cap, WRITE_QUEUE)?;
        Ok(SqliteStore {
            writer,
            readers,
            health,
        })
    }
}

impl Engine for SqliteStore {
    async fn snapshot<T, F>(&self, read: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(Db<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        self.readers.snapshot(read).await
    }

    async fn submit(&self, op: WriteOp) -> WriteTicket {
        self.writer.submit(op).await
    }

    async fn health(&self) -> Result<(), StoreError> {
        let health = Arc::clone(&self.health);
        tokio::task::spawn_blocking(move || {
            let conn = health
                .lock()
                .map_err(|_| StoreError::Corrupt("health connection poisoned".into()))?;
            conn.query_row("SELECT 1", [], |_| Ok(())).map_err(db_err)
        })
        .await
        .map_err(|e| StoreError::Database(Box::new(e)))?
    }

    async fn shutdown(&self) {
        self.writer.shutdown().await
    }
}

#[cfg(test)]
mod tests;

/// Grants the Business plan to `username` until `until` (Unix ms; `None`: no end), or
/// revokes it, in the database of the server's data directory (`wren-server admin plan`;
/// a running server sees the change at once).
pub fn set_plan(
    data_dir: &Path,
    username: &str,
    grant: bool,
    until: Option<u64>,
) -> Result<AccountId, OpenStoreError> {
    let open_err = |e: StoreError| OpenStoreError::Database(Box::new(e));
    let mut conn = schema::open_connection(&data_dir.join(DB_FILE)).map_err(open_err)?;
    schema::migrate(&mut conn)?;
    plans::set_plan(Db::Sqlite(&conn), username, grant, until).map_err(open_err)
}
