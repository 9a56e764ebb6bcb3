//! The store runs on its own thread and owns the only connection; everything else sends it
//! closures and awaits their results. One owner means no locking and a clear order of writes.

use crate::error::StoreError;
use crate::profile::DatabaseKey;
use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::{mpsc, Arc};
use tokio::sync::{oneshot, Mutex};

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// What the store thread is asked to do.
enum Message {
    Run(Job),
    /// Finish the job at hand, close the database and end the thread.
    Close,
}

/// A handle to the store thread; cheap to clone. The thread ends when the last handle drops
/// or when [`close`](StoreActor::close) is called.
#[derive(Clone)]
pub(crate) struct StoreActor {
    jobs: mpsc::Sender<Message>,
    /// Resolves (as an error) when the thread has closed the database and ended.
    finished: Arc<Mutex<Option<oneshot::Receiver<()>>>>,
    /// Waits for the thread when the last handle goes.
    _joiner: Arc<Joiner>,
}

/// When the last handle is dropped without [`StoreActor::close`], lets the job at hand
/// finish and the database close before going on: a process that exits right after
/// (a test, a command) must not exit while the thread is inside SQLCipher.
struct Joiner {
    jobs: mpsc::Sender<Message>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Joiner {
    fn drop(&mut self) {
        let _ = self.jobs.send(Message::Close);
        if let Some(thread) = self.thread.take() {
            // A job holding the last handle must not wait for its own thread.
            if thread.thread().id() != std::thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}

impl StoreActor {
    /// Opens the database on a new thread and waits until it is open (or failed to open).
    pub(crate) async fn open(path: PathBuf, key: DatabaseKey) -> Result<StoreActor, StoreError> {
        let (jobs, queue) = mpsc::channel::<Message>();
        let (opened_tx, opened) = oneshot::channel();
        let (finished_tx, finished) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
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
                while let Ok(Message::Run(job)) = queue.recv() {
                    job(&mut conn);
                }
                drop(conn);
                drop(finished_tx);
                tracing::debug!("store thread finished");
            })
            .map_err(|e| StoreError::Corrupt(format!("cannot start the store thread: {e}")))?;
        opened.await.map_err(|_| StoreError::Closed)??;
        Ok(StoreActor {
            _joiner: Arc::new(Joiner {
                jobs: jobs.clone(),
                thread: Some(thread),
            }),
            jobs,
            finished: Arc::new(Mutex::new(Some(finished))),
        })
    }

    /// Runs `f` on the store thread and returns its result.
    pub(crate) async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send(Message::Run(Box::new(move |conn| {
                let _ = tx.send(f(conn));
            })))
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Lets the job at hand finish, closes the database and waits for the thread to end.
    /// Jobs queued behind it, and every later call, fail with [`StoreError::Closed`]. A
    /// process must not exit while the thread is inside SQLCipher: the crypto library's
    /// exit handlers would pull the ground from under it.
    pub(crate) async fn close(&self) {
        let _ = self.jobs.send(Message::Close);
        // The lock is held until the thread ended, so a second caller waits too.
        let mut finished = self.finished.lock().await;
        if let Some(ended) = finished.take() {
            let _ = ended.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn close_waits_for_the_job_at_hand_and_refuses_later_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let actor = StoreActor::open(dir.path().join("wren.db"), DatabaseKey([7; 32]))
            .await
            .expect("open");
        let finished = Arc::new(AtomicBool::new(false));
        let slow = tokio::spawn({
            let actor = actor.clone();
            let finished = finished.clone();
            async move {
                actor
                    .call(move |conn| {
                        std::thread::sleep(Duration::from_millis(300));
                        conn.execute_batch("CREATE TABLE written_late (x)")?;
                        finished.store(true, Ordering::SeqCst);
                        Ok(())
                    })
                    .await
            }
        });
        // Let the slow job reach the thread before closing.
        tokio::time::sleep(Duration::from_millis(50)).await;
        actor.close().await;
        assert!(finished.load(Ordering::SeqCst), "close returned mid-job");
        assert!(slow.await.expect("join").is_ok());
        let later = actor.call(|_| Ok(())).await;
        assert!(matches!(later, Err(StoreError::Closed)), "{later:?}");
    }
}
