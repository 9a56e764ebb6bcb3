//! The store runs on its own thread and owns the only connection; everything else sends it
//! closures and awaits their results. One owner means no locking and a clear order of writes.

use crate::error::StoreError;
use crate::profile::DatabaseKey;
use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::mpsc;
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// A handle to the store thread; cheap to clone. The thread ends when the last handle drops.
#[derive(Clone)]
pub(crate) struct StoreActor {
    jobs: mpsc::Sender<Job>,
}

impl StoreActor {
    /// Opens the database on a new thread and waits until it is open (or failed to open).
    pub(crate) async fn open(path: PathBuf, key: DatabaseKey) -> Result<StoreActor, StoreError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let (opened_tx, opened) = oneshot::channel();
        std::thread::Builder::new()
            .name("wren-store".into())
            .spawn(move || {
                let mut conn = match super::schema::open(&path, &key) {
                    Ok(conn) => {
                        let _ = opened_tx.send(Ok(()));
                        conn
                    }
                    Err(e) => {
                        let _ = opened_tx.send(Err(e));
                        return;
                    }
                };
                while let Ok(job) = queue.recv() {
                    job(&mut conn);
                }
                tracing::debug!("store thread finished");
            })
            .map_err(|e| StoreError::Corrupt(format!("cannot start the store thread: {e}")))?;
        opened.await.map_err(|_| StoreError::Closed)??;
        Ok(StoreActor { jobs })
    }

    /// Runs `f` on the store thread and returns its result.
    pub(crate) async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send(Box::new(move |conn| {
                let _ = tx.send(f(conn));
            }))
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }
}
