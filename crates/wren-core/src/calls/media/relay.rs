//! Connecting to the server's media relay: QUIC to the server's host on the relay's port,
//! the relay's certificate pinned to the SHA-256 the server gave over the signed-in
//! WebSocket, then a join naming the call (see [`wren_proto::media`]).

use quinn::crypto::rustls::QuicClientConfig;
use ring::digest::{digest, SHA256};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use wren_proto::media::{RelayJoin, JOINED, MEDIA_ALPN};
use wren_proto::MediaRelayInfo;

/// How long connecting and joining may take.
const JOIN_TIMEOUT: Duration = Duration::from_secs(10);
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
}

/// Connects to the relay of the server at `server_url` (the WebSocket URL) and joins.
pub(crate) async fn join(
    server_url: &str,
    relay: &MediaRelayInfo,
    request: &RelayJoin,
) -> Result<quinn::Connection, RelayError> {
    tokio::time::timeout(JOIN_TIMEOUT, connect_and_join(server_url, relay, request))
        .await
        .map_err(|_| RelayError::Timeout)?
}

async fn connect_and_join(
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
    use super::host_of;

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
