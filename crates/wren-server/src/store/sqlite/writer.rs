//! The single writer thread with group commit.
//!
//! It takes the first queued op, drains up to `batch_cap - 1` more that are already
//! queued, applies each in its own savepoint inside one transaction (so one refused op
//! does not undo the others), commits once, and only then publishes each op's updates and
//! answers its caller, in commit order.

use super::lock::DirLock;
use crate::store::sql::write::{apply, Applied};
use crate::store::sql::Db;
use crate::store::{StoreError, UpdateSink, WriteOp, WriteOutcome};
use rusqlite::{Connection, TransactionBehavior};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::{mpsc, oneshot};

/// Where a write's result goes.
pub(super) type Reply = oneshot::Sender<Result<WriteOutcome, StoreError>>;

/// What the writer is asked to do.
#[derive(Debug)]
pub(super) enum Command {
    /// Apply a write.
    Write(WriteOp, Reply),
    /// Finish the queued writes, checkpoint the WAL and stop.
    Stop(oneshot::Sender<()>),
}

/// Runs the writer until it is stopped or every sender is gone, holding the data
/// directory's `lock` until the last write is on disk.
pub(super) fn run(
    mut conn: Connection,
    mut commands: mpsc::Receiver<Command>,
    sink: Arc<dyn UpdateSink>,
    batch_cap: usize,
    lock: DirLock,
) {
    let mut batch = Vec::with_capacity(batch_cap);
    while let Some(first) = commands.blocking_recv() {
        let mut stop = None;
        let mut next = Some(first);
        while let Some(command) = next.take() {
            match command {
                Command::Write(op, reply) => batch.push((op, reply)),
                Command::Stop(done) => {
                    stop = Some(done);
                    break;
                }
            }
            if batch.len() < batch_cap {
                next = commands.try_recv().ok();
            }
        }
        commit_batch(&mut conn, &mut batch, sink.as_ref());
        if let Some(done) = stop {
            checkpoint(&conn);
            drop(conn);
            drop(lock);
            let _ = done.send(());
            return;
        }
    }
    checkpoint(&conn);
}

/// What one op of a batch did, with the rows it wrote.
type OpResult = Result<(Applied, u64), StoreError>;

/// Applies a batch in one transaction and answers every op.
fn commit_batch(conn: &mut Connection, batch: &mut Vec<(WriteOp, Reply)>, sink: &dyn UpdateSink) {
    if batch.is_empty() {
        return;
    }
    let now = now_ms();
    let mut results: Vec<(OpResult, Reply, &'static str)> = Vec::with_capacity(batch.len());
    let committed = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .and_then(|mut tx| {
            for (op, reply) in batch.drain(..) {
                let name = op.name();
                let result = tx.savepoint().map_err(super::db_err).and_then(|sp| {
                    let before = sp.total_changes();
                    let applied = apply(Db::Sqlite(&sp), op, now)?;
                    let rows = sp.total_changes().saturating_sub(before);
                    sp.commit().map_err(super::db_err)?;
                    Ok((applied, rows))
                });
                results.push((result, reply, name));
            }
            tx.commit()
        });
    match committed {
        Ok(()) => {
            sink.committed(results.len());
            for (result, reply, name) in results {
                let answer = result.map(|(applied, rows)| {
                    sink.rows_written(name, rows);
                    sink.publish(&applied.deliveries);
                    if let WriteOutcome::Channel(outcome) = &applied.outcome {
                        if let Some(push) = outcome.push() {
                            sink.publish_channel(push);
                        }
                    }
                    applied.outcome
                });
                if let Err(e @ (StoreError::Database(_) | StoreError::Corrupt(_))) = &answer {
                    tracing::error!(error = %e, "write failed");
                }
                let _ = reply.send(answer);
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "group commit failed");
            // Ops whose transaction failed to start never made it into `results`.
            for (_, reply) in batch.drain(..) {
                let _ = reply.send(Err(commit_failed()));
            }
            for (_, reply, _) in results {
                let _ = reply.send(Err(commit_failed()));
            }
        }
    }
}

/// The error every op of a failed commit gets.
fn commit_failed() -> StoreError {
    StoreError::Database("the transaction could not be committed".into())
}

/// Folds the WAL back into the database file so a stopped server leaves one file.
fn checkpoint(conn: &Connection) {
    if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)") {
        tracing::warn!(error = %e, "WAL checkpoint failed");
    }
}

/// The current time in Unix milliseconds.
pub(super) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}
