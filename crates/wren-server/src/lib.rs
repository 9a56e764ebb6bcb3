//! The Wren sync server: accounts, devices, chats with per-chat logs, per-account update
//! logs with gap-free `pts`, live push over one WebSocket per device.
//!
//! [`run`] serves plain WebSocket and HTTP on an already-bound listener (tests bind
//! `127.0.0.1:0`); [`run_tls`] does the same behind rustls. Both stop accepting when the
//! `shutdown` future resolves, close every connection gracefully and flush the store.
//!
//! How a request flows:
//! - `http` routes `GET /ws` to `connection`, one task per socket (plus a writer task),
//!   which does the handshake, decodes frames and hands requests to `handlers`;
//! - `handlers` validate and turn each request into a store read, or a `WriteOp` queued on
//!   the store at once (so one connection's writes keep their order);
//! - `store` is a trait; `store::sqlite` applies writes on one thread with group commit
//!   and, after each commit, hands the account-log updates to `hub` in commit order;
//! - `hub` knows which connections are online for each account and queues the pushes.

mod auth;
mod connection;
mod handlers;
mod http;
mod hub;
mod metrics;
mod rate_limit;
mod server;
mod store;
mod tls;

pub use server::{run, run_tls};
pub use store::OpenStoreError;
pub use tls::TlsFiles;

use std::path::PathBuf;
use std::time::Duration;

/// How a server runs.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// Where the database lives; created if missing.
    pub data_dir: PathBuf,
    /// A client further behind than this many updates gets `Difference::TooFarBehind`.
    /// Default 100 000.
    pub max_difference: u64,
    /// Register/login/resume attempts allowed per minute per client IP (burst = the same
    /// number); 0 turns the limit off. Default 30.
    pub auth_per_minute: u32,
    /// Wrong passwords allowed per account in 15 minutes, from any IPs; after that every
    /// login to the account is refused until the 15 minutes from the first one have
    /// passed. 0 turns the limit off. Default 10.
    pub failed_logins_per_account: u32,
    /// Group-commit batch cap (writes per transaction). Default 512.
    pub batch_cap: usize,
    /// Open WebSocket connections allowed at once; more get HTTP 503. Default 10 000.
    pub max_connections: usize,
    /// How long a new connection may take to say `Hello` before it gets
    /// `HandshakeRequired` and is closed. Default 30 s.
    pub handshake_timeout: Duration,
    /// A peer that sends nothing for this long, not even the pong to the server's
    /// heartbeat ping (every 60 s), is disconnected. Default 150 s.
    pub idle_timeout: Duration,
}

impl Config {
    /// The defaults, with the database in `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            data_dir: data_dir.into(),
            max_difference: 100_000,
            auth_per_minute: 30,
            failed_logins_per_account: 10,
            batch_cap: 512,
            max_connections: 10_000,
            handshake_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(150),
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] OpenStoreError),
    /// Serving failed (the listener or the socket layer).
    #[error("serving failed: {0}")]
    Io(#[from] std::io::Error),
    /// The TLS certificate or key could not be loaded.
    #[error("TLS setup failed: {0}")]
    Tls(String),
}
