//! The SQLite store: the shared store suite on a temporary directory, and what only the
//! SQLite store has (its bounded write queue, its reader pool).

#![allow(clippy::unwrap_used)]

use super::SqliteStore;
use crate::store::sql_store::{Engine, SqlStore};
use crate::store::suite::{account, group, open, send, store_suite, Backend};
use crate::store::{Store, UpdateSink, WriteOutcome};
use std::sync::Arc;

/// A store in a temporary directory.
struct Sqlite(tempfile::TempDir);

impl Backend for Sqlite {
    async fn open(&self, sink: Arc<dyn UpdateSink>) -> Arc<dyn Store> {
        Arc::new(SqlStore::new(
            SqliteStore::open(self.0.path(), sink, 64).unwrap(),
        ))
    }

    async fn count_rows(&self, table: &str) -> u64 {
        rusqlite::Connection::open(self.0.path().join(super::DB_FILE))
            .unwrap()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .unwrap()
    }
}

fn sqlite() -> Sqlite {
    Sqlite(tempfile::tempdir().unwrap())
}

store_suite!(sqlite());

/// A concrete SQLite store (for its reader pool) with a sink nobody reads.
fn open_sqlite(dir: &std::path::Path) -> SqliteStore {
    let sink = Arc::new(crate::store::suite::Collect::default());
    SqliteStore::open(dir, sink, 64).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_write_queue_makes_submitters_wait_instead_of_growing() {
    let backend = sqlite();
    let (store, _) = open(&backend).await;
    let dir = &backend.0;
    let a = account(&store, "alice").await;
    let chat = group(&store, a, &[]).await;
    // Another process holds the database: the writer blocks on its first batch.
    let blocker = rusqlite::Connection::open(dir.path().join("wren.db")).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let queued = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let submitter = {
        let (store, queued) = (Arc::clone(&store), Arc::clone(&queued));
        tokio::spawn(async move {
            let mut tickets = Vec::new();
            for n in 0..3000 {
                tickets.push(store.submit(send(a, chat, n)).await);
                queued.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            tickets
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let waiting_at = queued.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        waiting_at <= super::WRITE_QUEUE + 64 + 1,
        "the queue took {waiting_at} writes while the writer was stuck"
    );
    blocker.execute_batch("COMMIT").unwrap();
    let tickets = submitter.await.unwrap();
    let mut committed = 0;
    for ticket in tickets {
        if matches!(ticket.await, Ok(WriteOutcome::Sent { .. })) {
            committed += 1;
        }
    }
    assert_eq!(
        committed, 3000,
        "every write waited its turn and was committed"
    );
    store.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_while_every_reader_is_busy() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_sqlite(dir.path());
    // Every reader of the pool waits until the test lets it go.
    let mut release = Vec::new();
    let mut busy = Vec::new();
    for _ in 0..super::READERS {
        let (go, wait) = std::sync::mpsc::channel::<()>();
        release.push(go);
        let readers = Arc::clone(&store.readers);
        busy.push(tokio::spawn(async move {
            readers
                .with(move |_| {
                    let _ = wait.recv();
                    Ok(())
                })
                .await
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let health = tokio::time::timeout(std::time::Duration::from_secs(10), store.health()).await;
    assert!(
        matches!(health, Ok(Ok(()))),
        "/healthz must not wait for the readers users keep busy"
    );
    drop(release);
    for reader in busy {
        reader.await.unwrap().unwrap();
    }
    store.shutdown().await;
}
