//! A fixed pool of threads for Argon2id, the server's most expensive work per request
//! (19 MiB of memory and tens of milliseconds of CPU per password).
//!
//! On tokio's blocking pool, concurrent sign-ins would each get a thread of their own (up
//! to 512), and the allocator keeps each thread's 19 MiB around afterwards: a burst of
//! logins, wrong passwords included, grew the server to gigabytes. Here at most one hash
//! runs per thread, the threads are few and always the same, and jobs wait in a bounded
//! queue, which pushes back on the connections asking.

use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// Jobs waiting for a thread before submitters wait too.
const QUEUE: usize = 256;

type Job = Box<dyn FnOnce() + Send>;

/// Threads that run password hashing and verification.
#[derive(Debug, Clone)]
pub(crate) struct PasswordPool {
    jobs: mpsc::Sender<Job>,
}

/// The pool is gone (the server is shutting down).
#[derive(Debug, thiserror::Error)]
#[error("the password pool has stopped")]
pub(crate) struct PoolStopped;

impl PasswordPool {
    /// Starts `threads` threads (at least one).
    pub(crate) fn start(threads: usize) -> std::io::Result<Self> {
        let (jobs, rx) = mpsc::channel::<Job>(QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..threads.max(1) {
            let rx = Arc::clone(&rx);
            std::thread::Builder::new()
                .name(format!("wren-argon2-{n}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(mut rx) => rx.blocking_recv(),
                        Err(_) => None,
                    };
                    match job {
                        Some(job) => job(),
                        None => return,
                    }
                })?;
        }
        Ok(PasswordPool { jobs })
    }

    /// One thread per core, at most 4: hashing is CPU-bound.
    pub(crate) fn threads_for_this_machine() -> usize {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    }

    /// Runs `f` on a pool thread, waiting for a place in the queue first.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PoolStopped> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        self.jobs.send(job).await.map_err(|_| PoolStopped)?;
        rx.await.map_err(|_| PoolStopped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_on_the_pools_own_threads() {
        let pool = PasswordPool::start(2).expect("pool");
        let names = futures_util::future::join_all(
            (0..20).map(|_| pool.run(|| std::thread::current().name().map(str::to_owned))),
        )
        .await;
        for name in names {
            let name = name.expect("ran").expect("named thread");
            assert!(name.starts_with("wren-argon2-"), "{name}");
        }
    }
}
