//! The media relay: a QUIC endpoint on its own UDP port that forwards each datagram of a
//! call's device, unread, to the other devices in the same room (the chat and the call's
//! id). A device joins with its session token on its connection's first stream (see
//! [`wren_proto::media`]); the relay checks the token and that the device's account is a
//! member of the chat, and keeps nothing: rooms live in memory and go with their last
//! device. Media is end-to-end encrypted (SFrame) by the devices; the relay could not read
//! it if it tried.
//!
//! Its certificate is self-signed and made at start; devices learn its SHA-256 over their
//! authenticated WebSocket (`GetMediaRelay`) and pin it.
//!
//! Where UDP is blocked, a device joins the same rooms over a WebSocket at `/media`
//! ([`crate::relay_socket`]): the same join, then one binary message per datagram.
//!
//! In a cluster, a call's devices may be on the relays of different nodes; the relays hand
//! each other their datagrams through NATS ([`crate::bus::media`]).

use crate::auth::token_hash;
use crate::bus::media::MediaBridge;
use crate::metrics::Metrics;
use crate::store::Store;
use bytes::Bytes;
use quinn::crypto::rustls::QuicServerConfig;
use ring::digest::{digest, SHA256};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::sync::watch;
use wren_proto::media::{RelayJoin, JOINED, MAX_JOIN_BYTES, MEDIA_ALPN};
use wren_proto::{ChatId, DeviceId, ErrorCode};

/// Devices in one room at most (one-to-one calls now; group calls later).
const ROOM_CAPACITY: usize = 8;

/// Where the relay listens, the certificate devices pin, and its rooms.
#[derive(Clone)]
pub(crate) struct RelayInfo {
    /// The UDP port.
    pub(crate) port: u16,
    /// The SHA-256 of the certificate.
    pub(crate) cert_sha256: [u8; 32],
    /// The rooms (the WebSocket fallback joins them too).
    pub(crate) relay: Arc<Relay>,
}

/// Why the relay could not start.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// The certificate could not be made.
    #[error("cannot make the media relay's certificate: {0}")]
    Certificate(String),
    /// The UDP port could not be bound.
    #[error("cannot listen for media on UDP port {port}: {source}")]
    Bind {
        /// The port asked for.
        port: u16,
        /// Why.
        source: std::io::Error,
    },
}

/// A call's room: its chat and the call's id.
pub(crate) type RoomKey = (ChatId, u64);

/// How the relay reaches one device in a room.
#[derive(Clone)]
pub(crate) enum Link {
    /// QUIC datagrams.
    Quic(quinn::Connection),
    /// Binary messages on a WebSocket (where UDP is blocked); the channel feeds the task
    /// that writes them.
    Socket(mpsc::Sender<Bytes>),
}

impl Link {
    /// Sends one datagram; one that does not fit or finds a full buffer is lost, as on any
    /// network, and media copes.
    fn send(&self, datagram: Bytes) {
        match self {
            Link::Quic(connection) => {
                let _ = connection.send_datagram(datagram);
            }
            Link::Socket(queue) => {
                let _ = queue.try_send(datagram);
            }
        }
    }
}

/// One device's link in a room.
struct Member {
    id: usize,
    link: Link,
}

/// Impairment for tests: what the relay does to the datagrams it forwards.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Impairment {
    /// The share of datagrams (in percent) dropped.
    pub(crate) loss_percent: u8,
    /// Each datagram is held back by a random 0 to this long.
    pub(crate) jitter: Duration,
}

/// The rooms, shared by the QUIC endpoint and the WebSocket fallback (`/media`).
pub(crate) struct Relay {
    store: Arc<dyn Store>,
    rooms: Mutex<HashMap<RoomKey, Vec<Member>>>,
    metrics: Arc<Metrics>,
    impairment: Impairment,
    next_id: AtomicUsize,
    /// The other nodes' relays, in a cluster.
    bridge: OnceLock<MediaBridge>,
}

impl Relay {
    /// From now on, shares the datagrams of calls with the other nodes' relays through
    /// `client`.
    pub(crate) fn bridge_through(self: &Arc<Self>, client: async_nats::Client) {
        let bridge = MediaBridge::start(client, Arc::downgrade(self));
        if self.bridge.set(bridge).is_err() {
            tracing::error!("the media relay already has its bridge");
        }
    }

    /// Checks a join request: the room it names, and the device it speaks for.
    pub(crate) async fn admit(&self, bytes: &[u8]) -> Result<(RoomKey, DeviceId), Refusal> {
        let join: RelayJoin = postcard::from_bytes(bytes)
            .map_err(|_| Refusal(ErrorCode::BadRequest, "not a join request".into()))?;
        let internal = |e: crate::store::StoreError| Refusal(ErrorCode::Internal, e.to_string());
        let owner = self
            .store
            .token_owner(token_hash(&join.token))
            .await
            .map_err(internal)?
            .ok_or_else(|| Refusal(ErrorCode::Unauthorized, "unknown or revoked token".into()))?;
        self.store
            .member_ids(owner.account, join.chat)
            .await
            .map_err(|e| Refusal(ErrorCode::Forbidden, e.to_body().message))?;
        Ok(((join.chat, join.call), owner.device))
    }

    /// Puts a device's link in a room; its id, to leave with.
    pub(crate) fn enter(&self, room: RoomKey, link: Link) -> Result<usize, Refusal> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut rooms = lock(&self.rooms);
        let members = rooms.entry(room).or_default();
        if members.len() >= ROOM_CAPACITY {
            return Err(Refusal(ErrorCode::Forbidden, "the call is full".into()));
        }
        if members.is_empty() {
            self.metrics.media_room(true);
            if let Some(bridge) = self.bridge.get() {
                bridge.room_opened(room);
            }
        }
        members.push(Member { id, link });
        Ok(id)
    }

    /// Takes a device's link out of its room; the room goes with its last device.
    pub(crate) fn leave(&self, room: RoomKey, id: usize) {
        let mut rooms = lock(&self.rooms);
        if let Some(members) = rooms.get_mut(&room) {
            members.retain(|m| m.id != id);
            if members.is_empty() {
                rooms.remove(&room);
                self.metrics.media_room(false);
                if let Some(bridge) = self.bridge.get() {
                    bridge.room_closed(room);
                }
            }
        }
    }

    /// Hands a datagram from member `id` to the room's other devices, unread.
    pub(crate) fn hand_on(&self, room: RoomKey, id: usize, datagram: Bytes) {
        let impairment = self.impairment;
        if impairment.loss_percent > 0 && fastrand::u8(0..100) < impairment.loss_percent {
            return;
        }
        let others: Vec<Link> = lock(&self.rooms)
            .get(&room)
            .into_iter()
            .flatten()
            .filter(|m| m.id != id)
            .map(|m| m.link.clone())
            .collect();
        self.metrics.media_forwarded(datagram.len(), others.len());
        if let Some(bridge) = self.bridge.get() {
            bridge.send(room, datagram.clone());
        }
        if impairment.jitter.is_zero() {
            send_to(&others, &datagram);
        } else {
            let held = impairment.jitter.mul_f64(fastrand::f64());
            tokio::spawn(async move {
                tokio::time::sleep(held).await;
                send_to(&others, &datagram);
            });
        }
    }
}

impl Relay {
    /// Hands a datagram another node's relay received for `room` to this relay's devices
    /// in it.
    pub(crate) fn hand_on_from_peer(&self, room: RoomKey, datagram: Bytes) {
        let here: Vec<Link> = lock(&self.rooms)
            .get(&room)
            .into_iter()
            .flatten()
            .map(|m| m.link.clone())
            .collect();
        self.metrics.media_forwarded(datagram.len(), here.len());
        send_to(&here, &datagram);
    }
}

/// Why a device may not join: the code and reason it is told.
#[derive(Debug)]
pub(crate) struct Refusal(pub(crate) ErrorCode, pub(crate) String);

impl Refusal {
    /// The answer's bytes: the code, then the reason.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = vec![self.0 as u8];
        bytes.extend_from_slice(self.1.as_bytes());
        bytes
    }
}

/// Starts the relay on `port` (0: any free one) on every address of `ip`; it runs until
/// `shutdown` turns true.
pub(crate) fn start(
    ip: std::net::IpAddr,
    port: u16,
    store: Arc<dyn Store>,
    metrics: Arc<Metrics>,
    impairment: Impairment,
    mut shutdown: watch::Receiver<bool>,
) -> Result<RelayInfo, RelayError> {
    let certified = rcgen::generate_simple_self_signed(vec!["wren-relay".to_string()])
        .map_err(|e| RelayError::Certificate(e.to_string()))?;
    let cert = certified.cert.der().clone();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let mut fingerprint = [0u8; 32];
    fingerprint.copy_from_slice(digest(&SHA256, &cert).as_ref());
    let mut tls = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS13])
    .map_err(|e| RelayError::Certificate(e.to_string()))?
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .map_err(|e| RelayError::Certificate(e.to_string()))?;
    tls.alpn_protocols = vec![MEDIA_ALPN.to_vec()];
    let crypto =
        QuicServerConfig::try_from(tls).map_err(|e| RelayError::Certificate(e.to_string()))?;
    let config = quinn::ServerConfig::with_crypto(Arc::new(crypto));
    let endpoint = quinn::Endpoint::server(config, SocketAddr::new(ip, port))
        .map_err(|source| RelayError::Bind { port, source })?;
    let port = endpoint
        .local_addr()
        .map_err(|source| RelayError::Bind { port, source })?
        .port();
    tracing::info!(port, "media relay listening");
    let relay = Arc::new(Relay {
        store,
        rooms: Mutex::new(HashMap::new()),
        metrics,
        impairment,
        next_id: AtomicUsize::new(0),
        bridge: OnceLock::new(),
    });
    let serving = Arc::clone(&relay);
    tokio::spawn(async move {
        loop {
            let incoming = tokio::select! {
                incoming = endpoint.accept() => match incoming {
                    Some(incoming) => incoming,
                    None => break,
                },
                _ = shutdown.wait_for(|stop| *stop) => break,
            };
            let relay = Arc::clone(&serving);
            tokio::spawn(async move {
                if let Err(e) = serve(incoming, &relay).await {
                    tracing::debug!(error = %e, "media relay connection ended");
                }
            });
        }
        endpoint.close(0u32.into(), b"server stopping");
        endpoint.wait_idle().await;
    });
    Ok(RelayInfo {
        port,
        cert_sha256: fingerprint,
        relay,
    })
}

/// Why a relay connection ended.
#[derive(Debug, thiserror::Error)]
enum Ended {
    #[error("QUIC: {0}")]
    Connection(#[from] quinn::ConnectionError),
    #[error("the join request: {0}")]
    Join(String),
    #[error("refused: {0}")]
    Refused(String),
}

async fn serve(incoming: quinn::Incoming, relay: &Relay) -> Result<(), Ended> {
    let connection = incoming.await?;
    let (mut send, mut recv) = connection.accept_bi().await?;
    let bytes = recv
        .read_to_end(MAX_JOIN_BYTES)
        .await
        .map_err(|e| Ended::Join(e.to_string()))?;
    let entered = match relay.admit(&bytes).await {
        Ok((room, device)) => relay
            .enter(room, Link::Quic(connection.clone()))
            .map(|id| (room, device, id)),
        Err(refusal) => Err(refusal),
    };
    let (room, device, id) = match entered {
        Ok(entered) => entered,
        Err(refusal) => {
            let _ = send.write_all(&refusal.to_bytes()).await;
            let _ = send.finish();
            let _ = send.stopped().await;
            return Err(Ended::Refused(refusal.1));
        }
    };
    let _ = send.write_all(&[JOINED]).await;
    let _ = send.finish();
    tracing::debug!(chat = %room.0, device = %device, "joined a call's media room over QUIC");
    let forwarded = forward(&connection, relay, room, id).await;
    relay.leave(room, id);
    forwarded
}

/// Hands every datagram of `connection` to the room's other devices until it closes.
async fn forward(
    connection: &quinn::Connection,
    relay: &Relay,
    room: RoomKey,
    id: usize,
) -> Result<(), Ended> {
    loop {
        match connection.read_datagram().await {
            Ok(datagram) => relay.hand_on(room, id, datagram),
            Err(quinn::ConnectionError::ApplicationClosed(_))
            | Err(quinn::ConnectionError::LocallyClosed) => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    }
}

/// Sends `datagram`, as it came, to each of `others`.
fn send_to(others: &[Link], datagram: &Bytes) {
    for other in others {
        other.send(datagram.clone());
    }
}

fn lock<T>(rooms: &Mutex<T>) -> MutexGuard<'_, T> {
    rooms
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
