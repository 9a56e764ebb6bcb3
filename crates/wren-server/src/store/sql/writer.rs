//! The single writer thread with group commit, for every backend.
//!
//! It takes the first queued op, drains up to `batch_cap - 1` more that are already
//! queued, applies each in its own savepoint inside one transaction (so one refused op
//! does not undo the others), commits once, and only then publishes each op's updates and
//! answers its caller, in commit order.
//!
//! On PostgreSQL other nodes write to the same database. Order there comes from the
//! database (counters bumped with `UPDATE … RETURNING`, which locks their row until the
//! commit; unique keys), and a conflict with another writer (a deadlock, a serialization
//! failure, a unique key the other inserted first) rolls the batch back and tries it again.

use super::write::{apply, lock_in_order, Applied};
use super::{now_ms, Db};
use crate::store::{StoreError, UpdateSink, WriteOp, WriteOutcome, WriteTicket};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// How many times an op is tried again after a conflict with another writer.
const CONFLICT_RETRIES: u32 = 5;

/// What ends an op that succeeded: for the last op of a batch, and for one with more after
/// it.
const KEEP: [&str; 2] = ["RELEASE op", "RELEASE op; SAVEPOINT op"];
/// What ends an op that was refused, likewise.
const UNDO: [&str; 2] = [
    "ROLLBACK TO op; RELEASE op",
    "ROLLBACK TO op; RELEASE op; SAVEPOINT op",
];

/// Where a write's result goes.
pub(crate) type Reply = oneshot::Sender<Result<WriteOutcome, StoreError>>;

/// What the writer is asked to do.
#[derive(Debug)]
pub(crate) enum Command {
    /// Apply a write.
    Write(WriteOp, Reply),
    /// Finish the queued writes and stop.
    Stop(oneshot::Sender<()>),
}

/// The writer's connection: transactions and savepoints as statements, and the shared
/// SQL run on it.
pub(crate) trait WriteConn: Send + 'static {
    /// Whether other writers share the database, so that an op may meet a
    /// [`StoreError::Conflict`] and be tried again.
    const MAY_CONFLICT: bool;
    /// Starts a write transaction.
    fn begin(&mut self) -> Result<(), StoreError>;
    /// Runs a statement without parameters (`SAVEPOINT`, `RELEASE`, `COMMIT`…).
    fn run(&mut self, sql: &str) -> Result<(), StoreError>;
    /// Rows inserted, changed or deleted on this connection so far.
    fn changes(&self) -> u64;
    /// Runs `f` with the connection as a [`Db`].
    fn with_db<T>(&mut self, f: impl FnOnce(Db<'_>) -> T) -> T;
    /// Called once after the last write (SQLite folds its write-ahead log back).
    fn finish(self);
}

/// The way to a running writer: queue writes, stop it.
#[derive(Debug)]
pub(crate) struct Writer(mpsc::Sender<Command>);

impl Writer {
    /// Starts `run` on a thread of its own, with a queue of `queue` writes.
    pub(crate) fn spawn<C: WriteConn>(
        conn: C,
        sink: Arc<dyn UpdateSink>,
        batch_cap: usize,
        queue: usize,
    ) -> std::io::Result<Writer> {
        let (commands, rx) = mpsc::channel(queue);
        std::thread::Builder::new()
            .name("wren-store-writer".into())
            .spawn(move || run(conn, rx, sink, batch_cap.max(1)))?;
        Ok(Writer(commands))
    }

    /// Queues `op`, waiting while the queue is full; the ticket resolves at its commit.
    pub(crate) async fn submit(&self, op: WriteOp) -> WriteTicket {
        let (reply, ticket) = WriteTicket::new();
        // If the writer is gone the reply is dropped and the ticket resolves to `Closed`.
        let _ = self.0.send(Command::Write(op, reply)).await;
        ticket
    }

    /// Applies every queued write and stops the writer.
    pub(crate) async fn shutdown(&self) {
        let (done, stopped) = oneshot::channel();
        if self.0.send(Command::Stop(done)).await.is_ok() {
            let _ = stopped.await;
        }
    }
}

/// Runs the writer until it is stopped or every sender is gone.
fn run<C: WriteConn>(
    mut conn: C,
    mut commands: mpsc::Receiver<Command>,
    sink: Arc<dyn UpdateSink>,
    batch_cap: usize,
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
            conn.finish();
            let _ = done.send(());
            return;
        }
    }
    conn.finish();
}

/// What one op of a batch did, with the rows it wrote.
type OpResult = Result<(Applied, u64), StoreError>;

/// Why a batch's transaction did not commit.
enum Failed {
    /// Another writer got in the way: the whole batch is tried again (its locks released,
    /// so that the other writer finishes first).
    Conflict,
    /// The connection failed.
    Database(StoreError),
}

/// Applies a batch in one transaction and answers every op; after a conflict with another
/// writer of the database the transaction is rolled back and the batch tried again, up to
/// [`CONFLICT_RETRIES`] times (then a conflicting op is refused like any failed op).
fn commit_batch<C: WriteConn>(
    conn: &mut C,
    batch: &mut Vec<(WriteOp, Reply)>,
    sink: &dyn UpdateSink,
) {
    if batch.is_empty() {
        return;
    }
    let (mut ops, replies): (Vec<WriteOp>, Vec<Reply>) = batch.drain(..).unzip();
    let names: Vec<&'static str> = ops.iter().map(WriteOp::name).collect();
    let mut retries = 0;
    let outcome = loop {
        let last_try = !C::MAY_CONFLICT || retries == CONFLICT_RETRIES;
        // A copy is kept only while a retry may need it.
        let attempt = if last_try {
            std::mem::take(&mut ops)
        } else {
            ops.clone()
        };
        match try_batch(conn, attempt, now_ms(), last_try) {
            Err(Failed::Conflict) => {
                let _ = conn.run("ROLLBACK");
                retries += 1;
                tracing::debug!(
                    retries,
                    "write conflict with another node; batch tried again"
                );
            }
            other => break other,
        }
    };
    match outcome {
        Ok(results) => {
            sink.committed(results.len());
            for ((result, reply), name) in results.into_iter().zip(replies).zip(names) {
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
                if let Err(
                    e
                    @ (StoreError::Database(_) | StoreError::Conflict(_) | StoreError::Corrupt(_)),
                ) = &answer
                {
                    tracing::error!(error = %e, "write failed");
                }
                let _ = reply.send(answer);
            }
        }
        Err(failed) => {
            if let Failed::Database(e) = failed {
                tracing::error!(error = %e, "group commit failed");
            }
            let _ = conn.run("ROLLBACK");
            for reply in replies {
                let _ = reply.send(Err(commit_failed()));
            }
        }
    }
}

/// One attempt at a batch: every op in its own savepoint (kept when it succeeds, undone
/// when it is refused), then the commit. A conflict fails the attempt unless it is the
/// last one, where it only refuses its op.
fn try_batch<C: WriteConn>(
    conn: &mut C,
    ops: Vec<WriteOp>,
    now: u64,
    last_try: bool,
) -> Result<Vec<OpResult>, Failed> {
    conn.begin().map_err(Failed::Database)?;
    if C::MAY_CONFLICT {
        match conn.with_db(|db| lock_in_order(db, &ops)) {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) if !last_try => return Err(Failed::Conflict),
            Err(e) => return Err(Failed::Database(e)),
        }
    }
    let count = ops.len();
    let mut results = Vec::with_capacity(count);
    // Closing an op's savepoint and opening the next one's is one round trip.
    conn.run("SAVEPOINT op").map_err(Failed::Database)?;
    for (i, op) in ops.into_iter().enumerate() {
        let more = usize::from(i + 1 < count);
        let before = conn.changes();
        let result = match conn.with_db(|db| apply(db, op, now)) {
            Ok(applied) => {
                let rows = conn.changes().saturating_sub(before);
                conn.run(KEEP[more]).map_err(Failed::Database)?;
                Ok((applied, rows))
            }
            Err(StoreError::Conflict(_)) if !last_try => return Err(Failed::Conflict),
            Err(refused) => {
                conn.run(UNDO[more]).map_err(Failed::Database)?;
                Err(refused)
            }
        };
        results.push(result);
    }
    match conn.run("COMMIT") {
        Ok(()) => Ok(results),
        Err(StoreError::Conflict(_)) if !last_try => Err(Failed::Conflict),
        Err(e) => Err(Failed::Database(e)),
    }
}

/// The error every op of a failed commit gets.
fn commit_failed() -> StoreError {
    StoreError::Database("the transaction could not be committed".into())
}
