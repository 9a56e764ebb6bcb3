//! Opening a WebSocket to the server (plain on loopback, TLS with rustls elsewhere) and
//! doing the version handshake.

use crate::error::CoreError;
use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use wren_proto::{codec, ClientFrame, Hello, ServerFrame, PROTOCOL_VERSION};

/// The socket type the driver owns.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Turns what a user typed (`127.0.0.1:8080`, `http://host`, `wss://host/ws`) into the
/// server's WebSocket URL.
pub fn websocket_url(input: &str) -> Result<String, CoreError> {
    let input = input.trim().trim_end_matches('/');
    if input.is_empty() {
        return Err(CoreError::Invalid("the server address is empty".into()));
    }
    let (scheme, rest) = match input.split_once("://") {
        Some(("ws" | "http", rest)) => ("ws", rest),
        Some(("wss" | "https", rest)) => ("wss", rest),
        Some((other, _)) => {
            return Err(CoreError::Invalid(format!(
            "unsupported server address scheme {other:?}; use ws://, wss://, http:// or https://"
        )))
        }
        None => ("ws", input),
    };
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err(CoreError::Invalid(format!(
            "{input:?} is not a server address"
        )));
    }
    let path = if rest.ends_with("/ws") { "" } else { "/ws" };
    Ok(format!("{scheme}://{rest}{path}"))
}

/// The environment variable naming a PEM file of extra trusted certificates, for servers
/// with a private certificate authority (self-hosted, tests).
pub const CA_FILE_VARIABLE: &str = "WREN_CA_FILE";

fn tls_connector() -> Result<Connector, CoreError> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = std::env::var_os(CA_FILE_VARIABLE) {
        add_roots(&mut roots, std::path::Path::new(&path))?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| CoreError::Offline(format!("TLS setup failed: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(Connector::Rustls(Arc::new(config)))
}

fn add_roots(roots: &mut rustls::RootCertStore, path: &std::path::Path) -> Result<(), CoreError> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let bad = |e: &dyn std::fmt::Display| {
        CoreError::Invalid(format!("{CA_FILE_VARIABLE}={}: {e}", path.display()))
    };
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| bad(&e))? {
        roots.add(cert.map_err(|e| bad(&e))?).map_err(|e| bad(&e))?;
    }
    Ok(())
}

/// Connects and completes the `Hello` / `Welcome` handshake.
pub(crate) async fn connect(url: &str, client_name: &str) -> Result<Socket, CoreError> {
    let mut config = WebSocketConfig::default();
    config.max_message_size = Some(codec::MAX_SERVER_FRAME_BYTES);
    config.max_frame_size = Some(codec::MAX_SERVER_FRAME_BYTES);
    let connector = if url.starts_with("wss://") {
        Some(tls_connector()?)
    } else {
        None
    };
    let connecting =
        tokio_tungstenite::connect_async_tls_with_config(url, Some(config), true, connector);
    let (mut socket, _) = tokio::time::timeout(HANDSHAKE_TIMEOUT, connecting)
        .await
        .map_err(|_| CoreError::Offline(format!("{url}: no answer within {HANDSHAKE_TIMEOUT:?}")))?
        .map_err(|e| CoreError::Offline(format!("cannot reach {url}: {e}")))?;
    let hello = ClientFrame::Hello(Hello {
        version: PROTOCOL_VERSION,
        client: client_name.into(),
    });
    let bytes = wren_proto::encode(&hello).map_err(|e| CoreError::Protocol(e.to_string()))?;
    socket
        .send(WsMessage::Binary(bytes.into()))
        .await
        .map_err(|e| CoreError::Offline(format!("{url}: {e}")))?;
    let answer = tokio::time::timeout(HANDSHAKE_TIMEOUT, socket.next())
        .await
        .map_err(|_| CoreError::Offline(format!("{url}: no handshake answer")))?;
    match answer {
        Some(Ok(WsMessage::Binary(bytes))) => match wren_proto::decode_server(&bytes) {
            Ok(ServerFrame::Welcome(_)) => Ok(socket),
            Ok(ServerFrame::Fatal(body)) => Err(CoreError::Server(body)),
            Ok(other) => Err(CoreError::Protocol(format!(
                "expected Welcome, got {other:?}"
            ))),
            Err(e) => Err(CoreError::Protocol(e.to_string())),
        },
        Some(Ok(other)) => Err(CoreError::Protocol(format!(
            "unexpected handshake answer {other:?}"
        ))),
        Some(Err(e)) => Err(CoreError::Offline(format!("{url}: {e}"))),
        None => Err(CoreError::Offline(format!(
            "{url}: closed during the handshake"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::websocket_url;

    #[test]
    fn addresses_people_type_become_websocket_urls() {
        assert_eq!(
            websocket_url("127.0.0.1:8080").ok().as_deref(),
            Some("ws://127.0.0.1:8080/ws")
        );
        assert_eq!(
            websocket_url("http://h:1/").ok().as_deref(),
            Some("ws://h:1/ws")
        );
        assert_eq!(
            websocket_url("https://h").ok().as_deref(),
            Some("wss://h/ws")
        );
        assert_eq!(
            websocket_url("ws://h/ws").ok().as_deref(),
            Some("ws://h/ws")
        );
        assert!(websocket_url("ftp://h").is_err());
        assert!(websocket_url(" ").is_err());
    }
}
