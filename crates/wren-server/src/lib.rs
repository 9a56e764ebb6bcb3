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

mod accept;
mod auth;
mod bus;
mod connection;
mod handlers;
mod http;
mod hub;
mod metrics;
mod mls;
mod password_pool;
mod quota;
mod rate_limit;
mod relay;
mod relay_socket;
mod server;
mod sponsored;
mod store;
mod tls;
mod views;

pub use http::WS_READ_BUFFER;
pub use server::{run, run_tls};
pub use store::postgres::{migrate_postgres, set_plan_postgres};
pub use store::sqlite::{backup, migrate, restore, set_plan, CopyProgress, Migrated, Restored};
pub use store::OpenStoreError;
pub use tls::TlsFiles;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How a server runs.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// Where the SQLite database lives; created if missing. Unused with `postgres`.
    pub data_dir: PathBuf,
    /// A PostgreSQL connection URL (`postgres://user@host/db`): the store lives there
    /// instead of in `data_dir`, and several servers may share it. Default `None`.
    pub postgres: Option<String>,
    /// A NATS server (`nats://host:4222`) through which the nodes that share `postgres`
    /// wake each other after their commits; without it, a node's pushes reach only its own
    /// connections. Default `None`.
    pub nats: Option<String>,
    /// A client further behind than this many updates gets `Difference::TooFarBehind`.
    /// Default 100 000.
    pub max_difference: u64,
    /// Register and login attempts allowed per minute per client IP, IPv6 per /64 (burst =
    /// the same number); 0 turns the limit off. Default 30.
    pub auth_per_minute: u32,
    /// Failed token resumes allowed per minute per client IP; after that the address's
    /// resumes are refused until the minute from the first failure has passed. Valid
    /// tokens never count, so a reconnect storm does not lock anyone out. 0 turns the
    /// limit off. Default 60.
    pub failed_resumes_per_minute: u32,
    /// Wrong passwords allowed per account in 15 minutes, from any IPs; after that every
    /// login to the account is refused until the 15 minutes from the first one have
    /// passed. 0 turns the limit off. Default 10.
    pub failed_logins_per_account: u32,
    /// Group-commit batch cap (writes per transaction). Default 512.
    pub batch_cap: usize,
    /// Connections allowed at once, counted from the TCP accept (unfinished TLS handshakes
    /// and upgrades included); more are closed at once. Default 10 000.
    pub max_connections: usize,
    /// Connections allowed at once from one client IP (IPv6 per /64); 0 means no cap.
    /// Default 64.
    pub max_connections_per_ip: usize,
    /// How long the TLS handshake and the HTTP request asking for the WebSocket may take
    /// (headers included) before the connection is closed. Default 10 s.
    pub upgrade_timeout: Duration,
    /// How long a connection may stay signed out after `Hello` (or after signing out)
    /// before it is closed with `Unauthorized`. Default 60 s.
    pub sign_in_timeout: Duration,
    /// How long a new connection may take to say `Hello` before it gets
    /// `HandshakeRequired` and is closed. Default 30 s.
    pub handshake_timeout: Duration,
    /// A peer that sends nothing for this long, not even the pong to the server's
    /// heartbeat ping (every 60 s), is disconnected. Default 150 s.
    pub idle_timeout: Duration,
    /// Messages (sends, edits, deletes) per second one account may make, sustained; 0
    /// turns the quota off. Default 20.
    pub messages_per_second: u32,
    /// How many messages one account may make in a burst. Default 200.
    pub message_burst: u32,
    /// Groups one account may create per hour; 0 turns the quota off. Default 20.
    pub groups_per_hour: u32,
    /// Direct chats one account may open per hour; 0 turns the quota off. Default 200.
    pub direct_chats_per_hour: u32,
    /// Other people one account may reach per hour (username lookups, members added,
    /// initial members of new groups); 0 turns the quota off. Default 1 000.
    pub reach_per_hour: u32,
    /// Where to serve `/metrics` instead of on the main listener, so that it can be kept
    /// off the public address. `None` serves it on the main listener.
    pub metrics_listen: Option<SocketAddr>,
    /// Sponsored messages are shown only in public channels with at least this many
    /// subscribers. Default 1 000.
    pub sponsored_min_subscribers: u64,
    /// The UDP port of the media relay for calls (QUIC); `Some(0)` picks a free one,
    /// `None` runs no relay. Default `None`.
    pub media_port: Option<u16>,
    /// For tests: the share of media datagrams (in percent) the relay drops. Default 0.
    pub media_loss_percent: u8,
    /// For tests: the relay holds each media datagram back by a random 0 to this many
    /// milliseconds (jitter, and some reordering). Default 0.
    pub media_jitter_ms: u16,
}

impl Config {
    /// The defaults, with the database in `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            data_dir: data_dir.into(),
            postgres: None,
            nats: None,
            max_difference: 100_000,
            auth_per_minute: 30,
            failed_resumes_per_minute: 60,
            failed_logins_per_account: 10,
            batch_cap: 512,
            max_connections: 10_000,
            max_connections_per_ip: 64,
            upgrade_timeout: Duration::from_secs(10),
            sign_in_timeout: Duration::from_secs(60),
            handshake_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(150),
            messages_per_second: 20,
            message_burst: 200,
            groups_per_hour: 20,
            direct_chats_per_hour: 200,
            reach_per_hour: 1000,
            metrics_listen: None,
            sponsored_min_subscribers: 1000,
            media_port: None,
            media_loss_percent: 0,
            media_jitter_ms: 0,
        }
    }

    /// These settings with every per-IP and per-account limit turned off, for benchmarks
    /// and tests that drive many clients from one address.
    pub fn without_limits(mut self) -> Self {
        self.auth_per_minute = 0;
        self.failed_resumes_per_minute = 0;
        self.failed_logins_per_account = 0;
        self.max_connections_per_ip = 0;
        self.messages_per_second = 0;
        self.groups_per_hour = 0;
        self.direct_chats_per_hour = 0;
        self.reach_per_hour = 0;
        self
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
    /// The media relay could not start.
    #[error(transparent)]
    Relay(#[from] relay::RelayError),
    /// The bus to the other nodes could not start.
    #[error(transparent)]
    Bus(#[from] bus::nats::BusError),
}
