//! The PostgreSQL store: the same shape as SQLite's (one writer thread per node with group
//! commit, a pool of readers, a health connection of its own) on `postgres` clients. Several
//! nodes may write to one database at once, so the order of `seq` and `pts` comes from the
//! row locks the shared SQL takes (`UPDATE … RETURNING`), not from the writer being alone.

use crate::store::sql::postgres::PgConn;
use crate::store::sql::writer::{WriteConn, Writer};
use crate::store::sql::Db;
use crate::store::sql_store::Engine;
use crate::store::{OpenStoreError, StoreError, UpdateSink, WriteOp, WriteTicket};
use std::cell::RefCell;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// The migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[include_str!("migrations/001_init.sql")];
/// How many read connections to keep.
const READERS: usize = 4;
/// Writes queued for the writer before submitters wait (back-pressure).
const WRITE_QUEUE: usize = 1024;

/// The engine of a [`Store`](crate::store::Store) on a PostgreSQL database.
pub(crate) struct PostgresStore {
    writer: Writer,
    readers: Arc<Readers>,
    health: Arc<Mutex<Option<PgConn>>>,
}

/// Writes per transaction at most. Nodes that write to the same chats wait for each
/// other's whole transaction, so shorter ones mean shorter waits: with each chat's members
/// on different nodes, going from 512 to 60 took two nodes from 1,137 to 3,311 msg/s
/// (`docs/PERFORMANCE.md`). It also keeps a transaction's savepoints (one per op) within
/// the 64 subtransactions PostgreSQL caches per backend.
const MAX_BATCH: usize = 60;

impl PostgresStore {
    /// Connects to `url` (`postgres://…`), migrates the schema if needed and starts the
    /// writer, which publishes committed updates to `sink`.
    pub(crate) fn open(
        url: &str,
        sink: Arc<dyn UpdateSink>,
        batch_cap: usize,
    ) -> Result<Self, OpenStoreError> {
        let writer = migrate(connect(url)?)?;
        let readers = (0..READERS)
            .map(|_| connect(url))
            .collect::<Result<Vec<_>, _>>()?;
        let health = Arc::new(Mutex::new(Some(connect(url)?)));
        let batch_cap = batch_cap.min(MAX_BATCH);
        let writer = Writer::spawn(PgWriter(RefCell::new(writer)), sink, batch_cap, WRITE_QUEUE)?;
        Ok(PostgresStore {
            writer,
            readers: Arc::new(Readers {
                idle: Mutex::new(readers),
                permits: Semaphore::new(READERS),
            }),
            health,
        })
    }
}

fn connect(url: &str) -> Result<PgConn, OpenStoreError> {
    postgres::Client::connect(url, postgres::NoTls)
        .map(PgConn::new)
        .map_err(|e| OpenStoreError::Database(Box::new(e)))
}

/// Creates or upgrades the schema of the PostgreSQL database at `url` (`wren-server
/// migrate`; several servers may run on it meanwhile, the migration waits for their
/// lock).
pub fn migrate_postgres(url: &str) -> Result<(), OpenStoreError> {
    let conn = migrate(connect(url)?)?;
    close_elsewhere(vec![conn]);
    Ok(())
}

/// Grants the Business plan to `username` until `until` (Unix ms; `None`: no end), or
/// revokes it, in the PostgreSQL database at `url` (`wren-server admin plan`).
pub fn set_plan_postgres(
    url: &str,
    username: &str,
    grant: bool,
    until: Option<u64>,
) -> Result<wren_proto::AccountId, OpenStoreError> {
    let cell = RefCell::new(migrate(connect(url)?)?);
    let set = crate::store::sql::plans::set_plan(Db::Postgres(&cell), username, grant, until);
    close_elsewhere(vec![cell.into_inner()]);
    set.map_err(|e| OpenStoreError::Database(Box::new(e)))
}

/// Brings the schema to the newest version, one migration per transaction, with an
/// advisory lock so that nodes starting together migrate once.
fn migrate(conn: PgConn) -> Result<PgConn, OpenStoreError> {
    let open_err = |e: StoreError| OpenStoreError::Database(Box::new(e));
    let cell = RefCell::new(conn);
    let batch = |sql: &str| cell.borrow_mut().batch(sql).map_err(open_err);
    // Even `IF NOT EXISTS` races with itself: the version table too is made under the lock.
    batch(
        "BEGIN; SELECT pg_advisory_xact_lock(7263); \
         CREATE TABLE IF NOT EXISTS wren_schema (version BIGINT NOT NULL)",
    )?;
    let found: i64 = Db::Postgres(&cell)
        .query_opt("SELECT version FROM wren_schema", &[], |r| r.get(0))
        .map_err(open_err)?
        .unwrap_or(0);
    let supported = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    if found > supported {
        batch("ROLLBACK")?;
        return Err(OpenStoreError::TooNew {
            found: u32::try_from(found).unwrap_or(u32::MAX),
            supported: u32::try_from(supported).unwrap_or(u32::MAX),
        });
    }
    for (version, sql) in (found..).zip(MIGRATIONS.iter().skip(found as usize)) {
        batch(sql)?;
        batch(&format!(
            "DELETE FROM wren_schema; INSERT INTO wren_schema VALUES ({})",
            version + 1
        ))?;
        tracing::info!(version = version + 1, "migrated database schema");
    }
    batch("COMMIT")?;
    Ok(cell.into_inner())
}

/// The writer's connection.
struct PgWriter(RefCell<PgConn>);

impl WriteConn for PgWriter {
    const MAY_CONFLICT: bool = true;

    fn begin(&mut self) -> Result<(), StoreError> {
        self.run("BEGIN")
    }

    fn run(&mut self, sql: &str) -> Result<(), StoreError> {
        self.0.get_mut().batch(sql)
    }

    fn changes(&self) -> u64 {
        self.0.borrow().changes()
    }

    fn with_db<T>(&mut self, f: impl FnOnce(Db<'_>) -> T) -> T {
        f(Db::Postgres(&self.0))
    }

    fn finish(self) {}
}

/// A pool of read connections.
struct Readers {
    idle: Mutex<Vec<PgConn>>,
    permits: Semaphore,
}

/// The `postgres` client runs a small runtime of its own, which may not be dropped on an
/// async task: connections are closed on a thread of their own.
fn close_elsewhere(conns: Vec<PgConn>) {
    let _ = std::thread::Builder::new()
        .name("wren-store-close".into())
        .spawn(move || drop(conns));
}

impl Drop for Readers {
    fn drop(&mut self) {
        if let Ok(mut idle) = self.idle.lock() {
            close_elsewhere(std::mem::take(&mut *idle));
        }
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        if let Ok(mut health) = self.health.lock() {
            close_elsewhere(health.take().into_iter().collect());
        }
    }
}

impl Engine for PostgresStore {
    async fn snapshot<T, F>(&self, read: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(Db<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        let _permit = self
            .readers
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::Closed)?;
        let readers = Arc::clone(&self.readers);
        tokio::task::spawn_blocking(move || {
            let taken = readers.idle.lock().map(|mut idle| idle.pop());
            let Ok(Some(mut conn)) = taken else {
                return Err(StoreError::Corrupt("reader pool is empty".into()));
            };
            conn.batch("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
            let cell = RefCell::new(conn);
            let result = read(Db::Postgres(&cell));
            let mut conn = cell.into_inner();
            let ended = conn.batch(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
            if ended.is_ok() {
                if let Ok(mut idle) = readers.idle.lock() {
                    idle.push(conn);
                }
            }
            let value = result?;
            ended.map(|()| value)
        })
        .await
        .map_err(|e| StoreError::Database(Box::new(e)))?
    }

    async fn submit(&self, op: WriteOp) -> WriteTicket {
        self.writer.submit(op).await
    }

    async fn health(&self) -> Result<(), StoreError> {
        let health = Arc::clone(&self.health);
        tokio::task::spawn_blocking(move || {
            let mut conn = health
                .lock()
                .map_err(|_| StoreError::Corrupt("health connection poisoned".into()))?;
            conn.as_mut().ok_or(StoreError::Closed)?.batch("SELECT 1")
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
