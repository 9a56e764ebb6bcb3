//! Starting and stopping: the shared state, the plain and TLS entry points, graceful shutdown.

use crate::accept::{accept_loop, Slots, Transport};
use crate::bus::inbound::Inbound;
use crate::hub::Hub;
use crate::metrics::Metrics;
use crate::password_pool::PasswordPool;
use crate::quota::Quotas;
use crate::rate_limit::{AuthLimiter, Failures};
use crate::store::postgres::PostgresStore;
use crate::store::sql_store::SqlStore;
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, WriteOp, WriteOutcome};
use crate::tls::{server_config, TlsFiles};
use crate::views::ViewCounter;
use crate::{http, Config, ServerError};
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};
use wren_proto::AccountId;

/// How often the update log is pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(600);
/// Update-log rows one pruning write deletes at most; the writer serves other writes
/// between two of them.
const PRUNE_BATCH: u64 = 2_000;
/// The window of [`Config::failed_resumes_per_minute`].
const FAILED_RESUME_WINDOW: Duration = Duration::from_secs(60);
/// The most accounts or addresses the failure tables remember at once.
const FAILURE_TABLE_CAPACITY: usize = 100_000;
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
    /// Password sign-in rate limit per IP.
    pub(crate) limiter: AuthLimiter,
    /// Failed passwords per account.
    pub(crate) failed_logins: Failures<AccountId>,
    /// Failed token resumes per client IP (see [`crate::rate_limit::client_key`]).
    pub(crate) failed_resumes: Failures<IpAddr>,
    /// Per-account quotas.
    pub(crate) quotas: Quotas,
    /// Post views waiting for the next flush.
    pub(crate) views: ViewCounter,
    /// Sponsored-message events counted lately, so that one account counts once.
    pub(crate) sponsored_seen: crate::sponsored::SeenOnce,
    /// See [`Config::sponsored_min_subscribers`].
    pub(crate) sponsored_min_subscribers: u64,
    /// Where Argon2id runs.
    pub(crate) passwords: PasswordPool,
    /// See [`Config::max_difference`].
    pub(crate) max_difference: u64,
    /// See [`Config::handshake_timeout`].
    pub(crate) handshake_timeout: Duration,
    /// See [`Config::idle_timeout`].
    pub(crate) idle_timeout: Duration,
    /// See [`Config::sign_in_timeout`].
    pub(crate) sign_in_timeout: Duration,
    /// Connection slots, taken at accept; see [`Config::max_connections`].
    pub(crate) slots: Arc<Slots>,
    /// The media relay, when one runs.
    pub(crate) relay: Option<crate::relay::RelayInfo>,
    /// The bus to the other nodes, when there are any.
    pub(crate) bus: Option<crate::bus::nats::Bus>,
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

/// Opens the store (SQLite in the data directory, or the PostgreSQL database configured),
/// publishing committed updates to `hub`.
async fn open_store(config: &Config, hub: &Arc<Hub>) -> Result<Arc<dyn Store>, ServerError> {
    let batch_cap = config.batch_cap;
    Ok(match &config.postgres {
        None => Arc::new(SqlStore::new(SqliteStore::open(
            &config.data_dir,
            hub.clone(),
            batch_cap,
        )?)),
        Some(url) => {
            let (url, sink) = (url.clone(), hub.clone());
            // The postgres client blocks (on a runtime of its own): not on an async task.
            let opened =
                tokio::task::spawn_blocking(move || PostgresStore::open(&url, sink, batch_cap))
                    .await
                    .map_err(std::io::Error::other)??;
            Arc::new(SqlStore::new(opened))
        }
    })
}

/// Opens the store and builds the shared state.
async fn start(config: &Config, relay_ip: std::net::IpAddr) -> Result<Running, ServerError> {
    let metrics = Arc::new(Metrics::new());
    let hub = Arc::new(Hub::new(Arc::clone(&metrics)));
    let store = open_store(config, &hub).await?;
    let (stop, shutdown) = watch::channel(false);
    let (tracker, ended) = mpsc::channel(1);
    let relay = match config.media_port {
        Some(port) => Some(crate::relay::start(
            relay_ip,
            port,
            Arc::clone(&store),
            Arc::clone(&metrics),
            crate::relay::Impairment {
                loss_percent: config.media_loss_percent.min(100),
                jitter: Duration::from_millis(u64::from(config.media_jitter_ms)),
            },
            shutdown.clone(),
        )?),
        None => None,
    };
    let bus = match &config.nats {
        Some(url) => {
            let inbound = Inbound::new(Arc::clone(&hub), Arc::clone(&store), config.max_difference);
            let (bus, peers) =
                crate::bus::nats::start(url, inbound, Arc::clone(&metrics), shutdown.clone())
                    .await?;
            hub.set_peers(peers);
            if let Some(relay) = &relay {
                relay.relay.bridge_through(bus.client().clone());
            }
            Some(bus)
        }
        None => {
            if config.postgres.is_some() {
                tracing::warn!(
                    "no NATS: this node's pushes reach only its own connections; \
                     give every node that shares the database the same --nats"
                );
            }
            None
        }
    };
    let state = Arc::new(Shared {
        store,
        hub,
        metrics,
        limiter: AuthLimiter::new(config.auth_per_minute),
        failed_logins: Failures::new(
            config.failed_logins_per_account,
            FAILED_LOGIN_WINDOW,
            FAILURE_TABLE_CAPACITY,
        ),
        failed_resumes: Failures::new(
            config.failed_resumes_per_minute,
            FAILED_RESUME_WINDOW,
            FAILURE_TABLE_CAPACITY,
        ),
        quotas: Quotas::new(config),
        views: ViewCounter::default(),
        sponsored_seen: crate::sponsored::SeenOnce::default(),
        sponsored_min_subscribers: config.sponsored_min_subscribers,
        passwords: PasswordPool::start(PasswordPool::threads_for_this_machine())?,
        max_difference: config.max_difference,
        handshake_timeout: config.handshake_timeout,
        idle_timeout: config.idle_timeout,
        sign_in_timeout: config.sign_in_timeout,
        slots: Slots::new(config.max_connections, config.max_connections_per_ip),
        relay,
        bus,
        shutdown,
        tracker,
    });
    tokio::spawn(sweep_limiter(Arc::downgrade(&state)));
    tokio::spawn(prune_updates(Arc::downgrade(&state)));
    tokio::spawn(crate::views::flush_views(Arc::downgrade(&state)));
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
        let Some(store) = state.upgrade().and_then(|s| {
            (s.max_difference != u64::MAX).then(|| (Arc::clone(&s.store), s.max_difference))
        }) else {
            return;
        };
        prune_in_batches(store.0.as_ref(), store.1).await;
    }
}

/// One pass over the update log, in writes of at most [`PRUNE_BATCH`] rows.
pub(crate) async fn prune_in_batches(store: &dyn Store, keep: u64) -> u64 {
    let mut after = AccountId(0);
    let mut total = 0;
    loop {
        let op = WriteOp::PruneUpdates {
            keep,
            after,
            batch: PRUNE_BATCH,
        };
        match store.write(op).await {
            Ok(WriteOutcome::Pruned {
                deleted,
                resume_after,
            }) => {
                total += deleted;
                match resume_after {
                    Some(next) => after = next,
                    None => break,
                }
            }
            Ok(other) => {
                tracing::error!(?other, "unexpected answer to pruning");
                break;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot prune the update log");
                break;
            }
        }
    }
    if total > 0 {
        tracing::info!(deleted = total, keep, "pruned the update log");
    }
    total
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
                state.quotas.forget_idle();
                state.failed_logins.forget_idle(Instant::now());
                state.failed_resumes.forget_idle(Instant::now());
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
    serve(listener, Transport::Plain, config, shutdown).await
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
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let acceptor = tokio_rustls::TlsAcceptor::from(rustls);
    serve(listener, Transport::Tls(acceptor), config, shutdown).await
}

/// Serves on `listener` (and `/metrics` on its own address when configured) until
/// `shutdown` resolves, then ends every connection and flushes the store.
async fn serve(
    listener: tokio::net::TcpListener,
    transport: Transport,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let metrics_listener = match config.metrics_listen {
        Some(addr) => Some(tokio::net::TcpListener::bind(addr).await?),
        None => None,
    };
    let running = start(&config, listener.local_addr()?.ip()).await?;
    let router = http::router(Arc::clone(&running.state), metrics_listener.is_none());
    if let Some(metrics_listener) = metrics_listener {
        let app = http::metrics_router(Arc::clone(&running.state));
        let mut stop = running.state.shutdown.clone();
        tokio::spawn(async move {
            let served = axum::serve(metrics_listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|stop| *stop).await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "the metrics listener failed");
            }
        });
    }
    let stop = Arc::clone(&running.stop);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    accept_loop(
        listener,
        transport,
        router,
        Arc::clone(&running.state),
        config.upgrade_timeout,
    )
    .await;
    running.finish().await;
    Ok(())
}
