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

use crate::auth::token_hash;
use crate::metrics::Metrics;
use crate::store::Store;
use quinn::crypto::rustls::QuicServerConfig;
use ring::digest::{digest, SHA256};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;
use wren_proto::media::{RelayJoin, JOINED, MAX_JOIN_BYTES, MEDIA_ALPN};
use wren_proto::{ChatId, DeviceId, ErrorCode};

/// Devices in one room at most (one-to-one calls now; group calls later).
const ROOM_CAPACITY: usize = 8;

/// Where the relay listens and the certificate devices pin.
#[derive(Clone, Debug)]
pub(crate) struct RelayInfo {
    /// The UDP port.
    pub(crate) port: u16,
    /// The SHA-256 of the certificate.
    pub(crate) cert_sha256: [u8; 32],
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

type RoomKey = (ChatId, u64);

/// One device's connection in a room.
struct Member {
    id: usize,
    connection: quinn::Connection,
}

/// The rooms, and what the relay has counted.
#[derive(Default)]
struct Rooms {
    rooms: HashMap<RoomKey, Vec<Member>>,
}

/// Impairment for tests: what the relay does to the datagrams it forwards.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Impairment {
    /// The share of datagrams (in percent) dropped.
    pub(crate) loss_percent: u8,
    /// Each datagram is held back by a random 0 to this long.
    pub(crate) jitter: Duration,
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
    let rooms = Arc::new(Mutex::new(Rooms::default()));
    tokio::spawn(async move {
        let mut next_id = 0usize;
        loop {
            let incoming = tokio::select! {
                incoming = endpoint.accept() => match incoming {
                    Some(incoming) => incoming,
                    None => break,
                },
                _ = shutdown.wait_for(|stop| *stop) => break,
            };
            next_id += 1;
            let (store, rooms, id) = (Arc::clone(&store), Arc::clone(&rooms), next_id);
            let metrics = Arc::clone(&metrics);
            tokio::spawn(async move {
                let relay = Relay {
                    store,
                    rooms,
                    metrics,
                    impairment,
                };
                if let Err(e) = serve(incoming, &relay, id).await {
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

/// What every relay connection shares.
struct Relay {
    store: Arc<dyn Store>,
    rooms: Arc<Mutex<Rooms>>,
    metrics: Arc<Metrics>,
    impairment: Impairment,
}

async fn serve(incoming: quinn::Incoming, relay: &Relay, id: usize) -> Result<(), Ended> {
    let connection = incoming.await?;
    let (mut send, mut recv) = connection.accept_bi().await?;
    let bytes = recv
        .read_to_end(MAX_JOIN_BYTES)
        .await
        .map_err(|e| Ended::Join(e.to_string()))?;
    let answer = match admit(&bytes, &relay.store).await {
        Ok(admitted) => admitted,
        Err((code, reason)) => {
            let mut refusal = vec![code as u8];
            refusal.extend_from_slice(reason.as_bytes());
            let _ = send.write_all(&refusal).await;
            let _ = send.finish();
            let _ = send.stopped().await;
            return Err(Ended::Refused(reason));
        }
    };
    let (room, device) = answer;
    {
        let mut rooms = lock(&relay.rooms);
        let members = rooms.rooms.entry(room).or_default();
        if members.len() >= ROOM_CAPACITY {
            return Err(Ended::Refused("the call is full".into()));
        }
        if members.is_empty() {
            relay.metrics.media_room(true);
        }
        members.push(Member {
            id,
            connection: connection.clone(),
        });
    }
    let _ = send.write_all(&[JOINED]).await;
    let _ = send.finish();
    tracing::debug!(chat = %room.0, device = %device, "joined a call's media room");
    let forwarded = forward(&connection, relay, room, id).await;
    let mut rooms = lock(&relay.rooms);
    if let Some(members) = rooms.rooms.get_mut(&room) {
        members.retain(|m| m.id != id);
        if members.is_empty() {
            rooms.rooms.remove(&room);
            relay.metrics.media_room(false);
        }
    }
    forwarded
}

/// Checks a join request: the room it names, and the device it speaks for.
async fn admit(
    bytes: &[u8],
    store: &Arc<dyn Store>,
) -> Result<(RoomKey, DeviceId), (ErrorCode, String)> {
    let join: RelayJoin = postcard::from_bytes(bytes)
        .map_err(|_| (ErrorCode::BadRequest, "not a join request".to_string()))?;
    let internal = |e: crate::store::StoreError| (ErrorCode::Internal, e.to_string());
    let owner = store
        .token_owner(token_hash(&join.token))
        .await
        .map_err(internal)?
        .ok_or_else(|| {
            (
                ErrorCode::Unauthorized,
                "unknown or revoked token".to_string(),
            )
        })?;
    store
        .member_ids(owner.account, join.chat)
        .await
        .map_err(|e| (ErrorCode::Forbidden, e.to_body().message))?;
    Ok(((join.chat, join.call), owner.device))
}

/// Hands every datagram of `connection` to the room's other devices until it closes.
async fn forward(
    connection: &quinn::Connection,
    relay: &Relay,
    room: RoomKey,
    id: usize,
) -> Result<(), Ended> {
    loop {
        let datagram = match connection.read_datagram().await {
            Ok(datagram) => datagram,
            Err(quinn::ConnectionError::ApplicationClosed(_))
            | Err(quinn::ConnectionError::LocallyClosed) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let impairment = relay.impairment;
        if impairment.loss_percent > 0 && fastrand::u8(0..100) < impairment.loss_percent {
            continue;
        }
        let others: Vec<quinn::Connection> = lock(&relay.rooms)
            .rooms
            .get(&room)
            .into_iter()
            .flatten()
            .filter(|m| m.id != id)
            .map(|m| m.connection.clone())
            .collect();
        relay.metrics.media_forwarded(datagram.len(), others.len());
        if impairment.jitter.is_zero() {
            hand_on(&others, &datagram);
        } else {
            let held = impairment.jitter.mul_f64(fastrand::f64());
            tokio::spawn(async move {
                tokio::time::sleep(held).await;
                hand_on(&others, &datagram);
            });
        }
    }
}

/// Sends `datagram`, as it came, to each of `others`.
fn hand_on(others: &[quinn::Connection], datagram: &bytes::Bytes) {
    for other in others {
        // A datagram that does not fit or finds a full buffer is lost, as on any network;
        // media copes.
        let _ = other.send_datagram(datagram.clone());
    }
}

fn lock(rooms: &Mutex<Rooms>) -> MutexGuard<'_, Rooms> {
    rooms
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
