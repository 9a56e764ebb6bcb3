//! The single writer thread with group commit, for every backend.
//!
//! It takes the first queued op, drains up to `batch_cap - 1` more that are already
//! queued, applies each in its own savepoint inside one transaction (so one refused op
//! does not undo the others), commits once, and only then publishes each op's updates and
//! answers its caller, in commit order.

use super::write::{apply, Applied};
use super::{now_ms, Db};
use crate::store::{StoreError, UpdateSink, WriteOp, WriteOutcome, WriteTicket};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

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

/// Applies a batch in one transaction and answers every op.
fn commit_batch<C: WriteConn>(
    conn: &mut C,
    batch: &mut Vec<(WriteOp, Reply)>,
    sink: &dyn UpdateSink,
) {
    if batch.is_empty() {
        return;
    }
    let now = now_ms();
    let mut results: Vec<(OpResult, Reply, &'static str)> = Vec::with_capacity(batch.len());
    let committed = conn.begin().and_then(|()| {
        for (op, reply) in batch.drain(..) {
            let name = op.name();
            let result = apply_one(conn, op, now)?;
            results.push((result, reply, name));
        }
        conn.run("COMMIT")
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
            let _ = conn.run("ROLLBACK");
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

/// Applies one op in its own savepoint: kept when it succeeds, undone when it is refused.
/// The outer error is the connection failing, which fails the whole batch.
fn apply_one<C: WriteConn>(conn: &mut C, op: WriteOp, now: u64) -> Result<OpResult, StoreError> {
    conn.run("SAVEPOINT op")?;
    let before = conn.changes();
    match conn.with_db(|db| apply(db, op, now)) {
        Ok(applied) => {
            let rows = conn.changes().saturating_sub(before);
            conn.run("RELEASE op")?;
            Ok(Ok((applied, rows)))
        }
        Err(refused) => {
            conn.run("ROLLBACK TO op")?;
            conn.run("RELEASE op")?;
            Ok(Err(refused))
        }
    }
}

/// The error every op of a failed commit gets.
fn commit_failed() -> StoreError {
    StoreError::Database("the transaction could not be committed".into())
}
