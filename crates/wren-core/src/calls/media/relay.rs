//! Connecting to the server's media relay: QUIC to the server's host on the relay's port,
//! the relay's certificate pinned to the SHA-256 the server gave over the signed-in
//! WebSocket, then a join naming the call (see [`wren_proto::media`]). Where QUIC gets no
//! answer (UDP blocked), the same join and the same datagrams go over a WebSocket to the
//! server's `/media`.

use bytes::Bytes;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use quinn::crypto::rustls::QuicClientConfig;
use ring::digest::{digest, SHA256};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use wren_proto::media::{RelayJoin, JOINED, MEDIA_ALPN};
use wren_proto::MediaRelayInfo;

use crate::connection::transport::{tls_connector, Socket};

/// How long connecting and joining over QUIC may take before the WebSocket is tried.
const QUIC_TIMEOUT: Duration = Duration::from_secs(3);
/// How long connecting and joining over the WebSocket may take.
const SOCKET_TIMEOUT: Duration = Duration::from_secs(10);
/// Datagrams waiting for the media socket; past this they are lost, as on a full network.
const SOCKET_QUEUE: usize = 256;
/// The largest datagram the media socket takes.
const MAX_SOCKET_DATAGRAM: usize = 1500;
/// Between attempts to join again after the path was lost: from the first to the most.
const REJOIN_FIRST: Duration = Duration::from_millis(200);
const REJOIN_MOST: Duration = Duration::from_secs(2);
/// The environment variable that picks how media reaches the relay: `auto` (QUIC, and
/// the WebSocket where QUIC gets no answer), `quic` or `websocket`.
pub const TRANSPORT_VARIABLE: &str = "WREN_MEDIA_TRANSPORT";
/// Quiet for this long, the relay connection is given up.
const IDLE: Duration = Duration::from_secs(10);

/// Why the relay could not be reached or joined.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// The server's address does not name a host.
    #[error("the server address {0:?} names no host")]
    NoHost(String),
    /// The host did not resolve, or the socket could not be made.
    #[error("cannot reach the media relay: {0}")]
    Network(String),
    /// QUIC or TLS failed (a certificate other than the pinned one included).
    #[error("cannot connect to the media relay: {0}")]
    Connect(String),
    /// The relay refused the join.
    #[error("the media relay refused the call: {0}")]
    Refused(String),
    /// It took too long.
    #[error("the media relay did not answer in time")]
    Timeout,
    /// The WebSocket to the relay failed.
    #[error("cannot reach the media relay over the WebSocket: {0}")]
    Socket(String),
}

/// How media reaches the relay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transport {
    /// QUIC, and the WebSocket where QUIC gets no answer.
    Auto,
    /// QUIC only.
    Quic,
    /// The WebSocket only.
    WebSocket,
}

impl Transport {
    /// The transport [`TRANSPORT_VARIABLE`] asks for ([`Transport::Auto`] when unset or
    /// unknown).
    pub(crate) fn from_env() -> Transport {
        match std::env::var(TRANSPORT_VARIABLE).as_deref() {
            Ok("quic") => Transport::Quic,
            Ok("websocket") => Transport::WebSocket,
            Ok("auto") | Err(_) => Transport::Auto,
            Ok(other) => {
                tracing::warn!(value = other, "unknown {TRANSPORT_VARIABLE}: using auto");
                Transport::Auto
            }
        }
    }
}

/// Everything needed to join a call's room, again if the path is lost.
#[derive(Clone)]
pub(crate) struct Route {
    /// The server's WebSocket URL.
    pub(crate) server_url: String,
    /// Where the relay listens.
    pub(crate) relay: MediaRelayInfo,
    /// The join: token, chat and call.
    pub(crate) request: RelayJoin,
    /// How to reach it.
    pub(crate) transport: Transport,
}

impl Route {
    /// Joins once: QUIC, then (unless asked for QUIC only) the WebSocket.
    pub(crate) async fn join(&self) -> Result<MediaPath, RelayError> {
        if self.transport != Transport::WebSocket {
            let quic = tokio::time::timeout(
                QUIC_TIMEOUT,
                connect_and_join(&self.server_url, &self.relay, &self.request),
            )
            .await
            .map_err(|_| RelayError::Timeout)
            .and_then(|joined| joined);
            match quic {
                Ok(connection) => return Ok(MediaPath::Quic(connection)),
                Err(e @ RelayError::Refused(_)) => return Err(e),
                Err(e) if self.transport == Transport::Quic => return Err(e),
                Err(e) => {
                    tracing::info!(error = %e, "no QUIC to the media relay: using the WebSocket");
                }
            }
        }
        tokio::time::timeout(SOCKET_TIMEOUT, socket_join(&self.server_url, &self.request))
            .await
            .map_err(|_| RelayError::Timeout)?
    }

    /// Joins until it succeeds, waiting longer between attempts (up to 2 s); only a
    /// refusal ends it.
    pub(crate) async fn rejoin(self) -> Result<MediaPath, RelayError> {
        let mut wait = REJOIN_FIRST;
        loop {
            match self.join().await {
                Ok(path) => return Ok(path),
                Err(e @ RelayError::Refused(_)) => return Err(e),
                Err(e) => {
                    tracing::info!(error = %e, "the media relay is not back yet");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(REJOIN_MOST);
                }
            }
        }
    }
}

/// A joined path to the relay: datagrams out and in.
pub(crate) enum MediaPath {
    /// QUIC datagrams.
    Quic(quinn::Connection),
    /// WebSocket binary messages; a task writes what the queue holds.
    Socket {
        queue: mpsc::Sender<Bytes>,
        incoming: SplitStream<Socket>,
        writer: JoinHandle<()>,
    },
}

impl MediaPath {
    /// `"quic"` or `"websocket"`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            MediaPath::Quic(_) => "quic",
            MediaPath::Socket { .. } => "websocket",
        }
    }

    /// Sends one datagram; `false` if the path could not take it now (it is lost, like
    /// any other).
    pub(crate) fn send(&self, datagram: Vec<u8>) -> bool {
        match self {
            MediaPath::Quic(connection) => connection.send_datagram(datagram.into()).is_ok(),
            MediaPath::Socket { queue, .. } => queue.try_send(datagram.into()).is_ok(),
        }
    }

    /// The next datagram; `None` once the path is lost.
    pub(crate) async fn recv(&mut self) -> Option<Bytes> {
        match self {
            MediaPath::Quic(connection) => connection.read_datagram().await.ok(),
            MediaPath::Socket { incoming, .. } => loop {
                match incoming.next().await? {
                    Ok(Message::Binary(datagram)) => return Some(datagram),
                    Ok(Message::Close(_)) | Err(_) => return None,
                    Ok(_) => {}
                }
            },
        }
    }

    /// Closes the path (the relay takes this device out of the room).
    pub(crate) fn close(self) {
        match self {
            MediaPath::Quic(connection) => connection.close(0u32.into(), b"call ended"),
            MediaPath::Socket { writer, .. } => writer.abort(),
        }
    }
}

/// The relay's WebSocket URL: the server's, at `/media` instead of `/ws`.
fn media_url(server_url: &str) -> String {
    let base = server_url.trim_end_matches('/');
    let base = base.strip_suffix("/ws").unwrap_or(base);
    format!("{base}/media")
}

async fn socket_join(server_url: &str, request: &RelayJoin) -> Result<MediaPath, RelayError> {
    let url = media_url(server_url);
    let mut config = WebSocketConfig::default();
    config.max_message_size = Some(MAX_SOCKET_DATAGRAM);
    config.max_frame_size = Some(MAX_SOCKET_DATAGRAM);
    let connector = if url.starts_with("wss://") {
        Some(tls_connector().map_err(|e| RelayError::Socket(e.to_string()))?)
    } else {
        None
    };
    let (mut socket, _) = tokio_tungstenite::connect_async_tls_with_config(
        url.as_str(),
        Some(config),
        true,
        connector,
    )
    .await
    .map_err(|e| RelayError::Socket(e.to_string()))?;
    let bytes = postcard::to_stdvec(request).map_err(|e| RelayError::Socket(e.to_string()))?;
    socket
        .send(Message::Binary(bytes.into()))
        .await
        .map_err(|e| RelayError::Socket(e.to_string()))?;
    let answer = loop {
        match socket.next().await {
            Some(Ok(Message::Binary(answer))) => break answer,
            Some(Ok(Message::Close(_))) | None => {
                return Err(RelayError::Refused("the relay closed the socket".into()))
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(RelayError::Socket(e.to_string())),
        }
    };
    match answer.split_first() {
        Some((&JOINED, _)) => {}
        Some((_, reason)) => {
            return Err(RelayError::Refused(
                String::from_utf8_lossy(reason).into_owned(),
            ))
        }
        None => return Err(RelayError::Refused("no answer".into())),
    }
    let (sink, incoming) = socket.split();
    let (queue, outgoing) = mpsc::channel(SOCKET_QUEUE);
    let writer = tokio::spawn(write_all(sink, outgoing));
    Ok(MediaPath::Socket {
        queue,
        incoming,
        writer,
    })
}

/// Writes what the queue holds to the socket until either ends.
async fn write_all(mut sink: SplitSink<Socket, Message>, mut outgoing: mpsc::Receiver<Bytes>) {
    while let Some(datagram) = outgoing.recv().await {
        if sink.send(Message::Binary(datagram)).await.is_err() {
            return;
        }
    }
    let _ = sink.close().await;
}

pub(crate) async fn connect_and_join(
    server_url: &str,
    relay: &MediaRelayInfo,
    request: &RelayJoin,
) -> Result<quinn::Connection, RelayError> {
    let host = host_of(server_url).ok_or_else(|| RelayError::NoHost(server_url.into()))?;
    let address = tokio::net::lookup_host((host.as_str(), relay.port))
        .await
        .map_err(|e| RelayError::Network(e.to_string()))?
        .next()
        .ok_or_else(|| RelayError::Network(format!("{host} has no address")))?;
    let local: SocketAddr = if address.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        ([0u16; 8], 0).into()
    };
    let mut endpoint =
        quinn::Endpoint::client(local).map_err(|e| RelayError::Network(e.to_string()))?;
    endpoint.set_default_client_config(client_config(&relay.cert_sha256)?);
    let connection = endpoint
        .connect(address, "wren-relay")
        .map_err(|e| RelayError::Connect(e.to_string()))?
        .await
        .map_err(|e| RelayError::Connect(e.to_string()))?;
    let (mut send, mut recv) = connection
        .open_bi()
        .await
        .map_err(|e| RelayError::Connect(e.to_string()))?;
    let bytes = postcard::to_stdvec(request).map_err(|e| RelayError::Connect(e.to_string()))?;
    send.write_all(&bytes)
        .await
        .map_err(|e| RelayError::Connect(e.to_string()))?;
    send.finish()
        .map_err(|e| RelayError::Connect(e.to_string()))?;
    let answer = recv
        .read_to_end(1024)
        .await
        .map_err(|e| RelayError::Connect(e.to_string()))?;
    match answer.split_first() {
        Some((&JOINED, _)) => Ok(connection),
        Some((_, reason)) => Err(RelayError::Refused(
            String::from_utf8_lossy(reason).into_owned(),
        )),
        None => Err(RelayError::Refused("no answer".into())),
    }
}

/// The host of a `ws://` or `wss://` URL.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split_once(']')?.0
    } else {
        authority.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_string())
}

fn client_config(pin: &[u8]) -> Result<quinn::ClientConfig, RelayError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| RelayError::Connect(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedCertificate {
            sha256: pin.to_vec(),
            provider,
        }))
        .with_no_client_auth();
    tls.alpn_protocols = vec![MEDIA_ALPN.to_vec()];
    let crypto = QuicClientConfig::try_from(tls).map_err(|e| RelayError::Connect(e.to_string()))?;
    let mut config = quinn::ClientConfig::new(Arc::new(crypto));
    let mut transport = quinn::TransportConfig::default();
    transport.max_idle_timeout(IDLE.try_into().ok());
    transport.keep_alive_interval(Some(Duration::from_secs(2)));
    config.transport_config(Arc::new(transport));
    Ok(config)
}

/// Accepts exactly the certificate whose SHA-256 the server gave.
#[derive(Debug)]
struct PinnedCertificate {
    sha256: Vec<u8>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PinnedCertificate {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if digest(&SHA256, end_entity).as_ref() == self.sha256.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "not the media relay's certificate".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::{host_of, media_url};

    #[test]
    fn the_media_socket_is_beside_the_server_s() {
        assert_eq!(
            media_url("ws://127.0.0.1:8080/ws"),
            "ws://127.0.0.1:8080/media"
        );
        assert_eq!(
            media_url("wss://chat.example.org/ws/"),
            "wss://chat.example.org/media"
        );
    }

    #[test]
    fn the_relay_is_on_the_server_s_host() {
        assert_eq!(host_of("ws://127.0.0.1:8080").as_deref(), Some("127.0.0.1"));
        assert_eq!(
            host_of("wss://chat.example.org/ws").as_deref(),
            Some("chat.example.org")
        );
        assert_eq!(host_of("ws://[::1]:80").as_deref(), Some("::1"));
        assert_eq!(host_of("ws://:80"), None);
    }
}
