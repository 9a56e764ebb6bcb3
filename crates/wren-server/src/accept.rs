//! Accepting connections: a connection slot is taken when the TCP connection is accepted,
//! before a byte of TLS or HTTP is read, so that half-sent requests and unfinished
//! upgrades count toward [`crate::Config::max_connections`] and the per-IP cap like everyone
//! else; the TLS handshake and the HTTP request that asks for the WebSocket must finish
//! within [`crate::Config::upgrade_timeout`]. The slot then travels with the request to the
//! WebSocket task and is given back when the connection ends, whichever part it ended in.

use crate::rate_limit::client_key;
use crate::server::AppState;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// What a plain-HTTP client over the cap is told before the connection is closed.
const FULL: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

/// Connection slots: a global count and a count per client IP (IPv6 per /64).
#[derive(Debug)]
pub(crate) struct Slots {
    global: Arc<Semaphore>,
    per_ip: Mutex<HashMap<IpAddr, usize>>,
    max_per_ip: usize,
}

/// One taken slot; given back when dropped.
#[derive(Debug)]
pub(crate) struct Slot {
    _global: OwnedSemaphorePermit,
    key: IpAddr,
    slots: Arc<Slots>,
}

impl Slots {
    /// `max` slots in all, `max_per_ip` for one client address (0: no per-IP cap).
    pub(crate) fn new(max: usize, max_per_ip: usize) -> Arc<Self> {
        Arc::new(Slots {
            global: Arc::new(Semaphore::new(max)),
            per_ip: Mutex::new(HashMap::new()),
            max_per_ip: if max_per_ip == 0 {
                usize::MAX
            } else {
                max_per_ip
            },
        })
    }

    /// A slot for a connection from `ip`, if both the server and that address have one.
    pub(crate) fn take(self: &Arc<Self>, ip: IpAddr) -> Option<Slot> {
        let key = client_key(ip);
        let mut per_ip = self.per_ip.lock().unwrap_or_else(PoisonError::into_inner);
        let used = per_ip.entry(key).or_insert(0);
        if *used >= self.max_per_ip {
            return None;
        }
        let permit = Arc::clone(&self.global).try_acquire_owned().ok()?;
        *used += 1;
        Some(Slot {
            _global: permit,
            key,
            slots: Arc::clone(self),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut per_ip = self
            .slots
            .per_ip
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(used) = per_ip.get_mut(&self.key) {
            *used -= 1;
            if *used == 0 {
                per_ip.remove(&self.key);
            }
        }
    }
}

/// The handle to a connection's slot that its requests carry (see [`Slot`]); the slot is
/// given back when the last handle is dropped.
#[derive(Clone, Debug)]
pub(crate) struct SlotHandle {
    _slot: Arc<Slot>,
}

impl SlotHandle {
    /// The first handle to `slot`.
    fn new(slot: Slot) -> Self {
        SlotHandle {
            _slot: Arc::new(slot),
        }
    }
}

/// How accepted connections are wrapped.
pub(crate) enum Transport {
    /// Plain TCP (loopback only, `main` makes sure).
    Plain,
    /// TLS with rustls.
    Tls(TlsAcceptor),
}

/// Accepts connections until the server shuts down, serving each on its own task.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    transport: Transport,
    router: Router,
    state: AppState,
    upgrade_timeout: Duration,
) {
    let transport = Arc::new(transport);
    let mut shutdown = state.shutdown.clone();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            stop = shutdown.wait_for(|stop| *stop) => {
                drop(stop);
                return;
            }
        };
        let (tcp, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait instead of spinning.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some(slot) = state.slots.take(peer.ip()) else {
            state.metrics.connection_refused();
            tracing::debug!(%peer, "no connection slot left; closing");
            if let Transport::Plain = *transport {
                // Best effort and never waiting: one non-blocking write, then close.
                let _ = tcp.try_write(FULL);
            }
            continue;
        };
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "cannot set TCP_NODELAY");
        }
        let slot = SlotHandle::new(slot);
        let transport = Arc::clone(&transport);
        let router = router.clone();
        let shutdown = state.shutdown.clone();
        tokio::spawn(async move {
            let served = tokio::time::timeout(
                upgrade_timeout,
                serve_one(
                    tcp,
                    peer,
                    &transport,
                    router,
                    slot,
                    shutdown,
                    upgrade_timeout,
                ),
            )
            .await;
            if served.is_err() {
                tracing::debug!(%peer, "no WebSocket upgrade in time; closing");
            }
        });
    }
}

/// The TLS handshake (when there is one), then HTTP until the connection is upgraded or
/// closed.
async fn serve_one(
    tcp: TcpStream,
    peer: SocketAddr,
    transport: &Transport,
    router: Router,
    slot: SlotHandle,
    shutdown: tokio::sync::watch::Receiver<bool>,
    header_timeout: Duration,
) {
    match transport {
        Transport::Plain => serve_http(tcp, peer, router, slot, shutdown, header_timeout).await,
        Transport::Tls(acceptor) => match acceptor.accept(tcp).await {
            Ok(tls) => serve_http(tls, peer, router, slot, shutdown, header_timeout).await,
            Err(e) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
        },
    }
}

/// Serves HTTP/1.1 with upgrades on one connection; every request carries the peer's
/// address and the connection's slot.
async fn serve_http<IO>(
    io: IO,
    peer: SocketAddr,
    router: Router,
    slot: SlotHandle,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
    header_timeout: Duration,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let mut request = request.map(axum::body::Body::new);
        request.extensions_mut().insert(ConnectInfo(peer));
        request.extensions_mut().insert(slot.clone());
        router.clone().oneshot(request)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let conn = builder
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades();
    tokio::pin!(conn);
    let stopping = tokio::select! {
        result = conn.as_mut() => {
            if let Err(e) = result {
                tracing::debug!(%peer, error = %e, "HTTP connection ended");
            }
            false
        }
        stop = shutdown.wait_for(|stop| *stop) => {
            drop(stop);
            true
        }
    };
    if stopping {
        conn.as_mut().graceful_shutdown();
        let _ = conn.await;
    }
}
