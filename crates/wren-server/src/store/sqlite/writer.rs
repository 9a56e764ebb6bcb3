//! The SQLite writer's connection: `BEGIN IMMEDIATE` (so a second process cannot slip a
//! write in between), and the data directory's lock held until the write-ahead log is
//! folded back after the last write.

use super::lock::DirLock;
use crate::store::sql::writer::WriteConn;
use crate::store::sql::Db;
use crate::store::StoreError;
use rusqlite::Connection;

/// The writer's SQLite connection and the data directory's lock.
pub(super) struct SqliteWriter {
    pub(super) conn: Connection,
    pub(super) lock: DirLock,
}

impl WriteConn for SqliteWriter {
    const MAY_CONFLICT: bool = false;

    fn begin(&mut self) -> Result<(), StoreError> {
        self.run("BEGIN IMMEDIATE")
    }

    fn run(&mut self, sql: &str) -> Result<(), StoreError> {
        self.conn.execute_batch(sql).map_err(super::db_err)
    }

    fn changes(&self) -> u64 {
        self.conn.total_changes()
    }

    fn with_db<T>(&mut self, f: impl FnOnce(Db<'_>) -> T) -> T {
        f(Db::Sqlite(&self.conn))
    }

    fn finish(self) {
        // Folds the WAL back into the database file so a stopped server leaves one file.
        if let Err(e) = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)") {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
        drop(self.conn);
        drop(self.lock);
    }
}
