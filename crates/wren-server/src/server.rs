//! Starting and stopping: the shared state, the plain and TLS entry points, graceful shutdown.

use crate::hub::Hub;
use crate::metrics::Metrics;
use crate::rate_limit::{AuthLimiter, FailedLogins};
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, WriteOp};
use crate::tls::{server_config, NoDelay, TlsFiles};
use crate::{http, Config, ServerError};
use axum::serve::ListenerExt;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch, Semaphore};

/// How long TLS connections get to finish after shutdown starts.
const GRACE: Duration = Duration::from_secs(10);
/// How often the update log is pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(600);
/// How often the rate limiters forget idle IPs and accounts.
const LIMITER_SWEEP: Duration = Duration::from_secs(60);
/// The window of [`Config::failed_logins_per_account`].
const FAILED_LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Everything request handling shares.
pub(crate) struct Shared {
    /// The storage.
    pub(crate) store: Arc<dyn Store>,
    /// Online connections.
    pub(crate) hub: Arc<Hub>,
    /// Metrics.
    pub(crate) metrics: Arc<Metrics>,
    /// Sign-in rate limit per IP.
    pub(crate) limiter: AuthLimiter,
    /// Failed passwords per account.
    pub(crate) failed_logins: FailedLogins,
    /// See [`Config::max_difference`].
    pub(crate) max_difference: u64,
    /// See [`Config::handshake_timeout`].
    pub(crate) handshake_timeout: Duration,
    /// See [`Config::idle_timeout`].
    pub(crate) idle_timeout: Duration,
    /// One permit per WebSocket connection; see [`Config::max_connections`].
    pub(crate) connection_slots: Arc<Semaphore>,
    /// Becomes `true` when the server shuts down.
    pub(crate) shutdown: watch::Receiver<bool>,
    /// Held by every connection task; the server waits until all are dropped.
    pub(crate) tracker: mpsc::Sender<()>,
}

/// The shared state handed to handlers.
pub(crate) type AppState = Arc<Shared>;

/// A started server, before and after serving.
struct Running {
    state: AppState,
    stop: Arc<watch::Sender<bool>>,
    ended: mpsc::Receiver<()>,
}

/// Opens the store and builds the shared state.
fn start(config: &Config) -> Result<Running, ServerError> {
    let metrics = Arc::new(Metrics::new());
    let hub = Arc::new(Hub::new(Arc::clone(&metrics)));
    let store = SqliteStore::open(&config.data_dir, hub.clone(), config.batch_cap)?;
    let (stop, shutdown) = watch::channel(false);
    let (tracker, ended) = mpsc::channel(1);
    let state = Arc::new(Shared {
        store: Arc::new(store),
        hub,
        metrics,
        limiter: AuthLimiter::new(config.auth_per_minute),
        failed_logins: FailedLogins::new(config.failed_logins_per_account, FAILED_LOGIN_WINDOW),
        max_difference: config.max_difference,
        handshake_timeout: config.handshake_timeout,
        idle_timeout: config.idle_timeout,
        connection_slots: Arc::new(Semaphore::new(config.max_connections)),
        shutdown,
        tracker,
    });
    tokio::spawn(sweep_limiter(Arc::downgrade(&state)));
    tokio::spawn(prune_updates(Arc::downgrade(&state)));
    Ok(Running {
        state,
        stop: Arc::new(stop),
        ended,
    })
}

/// Periodically deletes update-log rows too old to be asked for, until the server is gone.
async fn prune_updates(state: Weak<Shared>) {
    let mut tick = tokio::time::interval(PRUNE_EVERY);
    loop {
        tick.tick().await;
        let Some(state) = state.upgrade() else { return };
        if state.max_difference == u64::MAX {
            return;
        }
        let op = WriteOp::PruneUpdates {
            keep: state.max_difference,
        };
        if let Err(e) = state.store.write(op).await {
            tracing::warn!(error = %e, "cannot prune the update log");
        }
    }
}

/// Periodically forgets idle IPs and accounts in the rate limiters, until the server is
/// gone.
async fn sweep_limiter(state: Weak<Shared>) {
    let mut tick = tokio::time::interval(LIMITER_SWEEP);
    tick.tick().await;
    loop {
        tick.tick().await;
        match state.upgrade() {
            Some(state) => {
                state.limiter.forget_idle();
                state.failed_logins.forget_idle(Instant::now());
            }
            None => return,
        }
    }
}

impl Running {
    /// Tells every connection to close, waits for them, then flushes the store.
    async fn finish(self) {
        let Running {
            state,
            stop,
            mut ended,
        } = self;
        let _ = stop.send(true);
        let store = Arc::clone(&state.store);
        drop(state);
        while ended.recv().await.is_some() {}
        store.shutdown().await;
        tracing::info!("server stopped");
    }
}

/// Serves plain WebSocket + HTTP on an already-bound listener until `shutdown` resolves,
/// then closes connections gracefully and flushes the store.
pub async fn run(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let running = start(&config)?;
    let app = http::router(Arc::clone(&running.state));
    let stop = Arc::clone(&running.stop);
    // Small frames must not wait for the peer's delayed ACK (Nagle).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "cannot set TCP_NODELAY");
        }
    });
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stop.send(true);
    })
    .await;
    running.finish().await;
    Ok(served?)
}

/// Like [`run`], but TLS (rustls, ring provider) on a bound std listener.
pub async fn run_tls(
    listener: std::net::TcpListener,
    config: Config,
    tls: TlsFiles,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let rustls = server_config(&tls)?;
    listener.set_nonblocking(true)?;
    let running = start(&config)?;
    let app = http::router(Arc::clone(&running.state));
    let handle = axum_server::Handle::new();
    let stop = Arc::clone(&running.stop);
    let on_stop = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
        on_stop.graceful_shutdown(Some(GRACE));
    });
    let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(rustls).acceptor(NoDelay);
    let served = match axum_server::from_tcp(listener).map(|server| server.acceptor(acceptor)) {
        Ok(server) => {
            server
                .handle(handle)
                .serve(app.into_make_service_with_connect_info::<SocketAddr>())
                .await
        }
        Err(e) => Err(e),
    };
    running.finish().await;
    Ok(served?)
}
