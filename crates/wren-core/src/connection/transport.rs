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

/// Turns what a user typed (`chat.example.org`, `https://host`, `ws://127.0.0.1:8080`) into
/// the server's WebSocket URL.
///
/// An address without a scheme uses TLS (`wss://`), as does `https://`. A cleartext address
/// (`ws://`, or `http://`, which becomes `ws://`) is refused with [`CoreError::Insecure`]
/// for any host but this computer (127.0.0.0/8, `::1`, `localhost`) unless
/// `allow_insecure`: the password and the session token would cross the network readable.
pub fn websocket_url(input: &str, allow_insecure: bool) -> Result<String, CoreError> {
    let input = input.trim().trim_end_matches('/');
    if input.is_empty() {
        return Err(CoreError::Invalid("the server address is empty".into()));
    }
    let (scheme, rest) = match input.split_once("://") {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("ws") || scheme.eq_ignore_ascii_case("http") =>
        {
            ("ws", rest)
        }
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("wss") || scheme.eq_ignore_ascii_case("https") =>
        {
            ("wss", rest)
        }
        Some((other, _)) => {
            return Err(CoreError::Invalid(format!(
            "unsupported server address scheme {other:?}; use wss://, https://, ws:// or http://"
        )))
        }
        None => ("wss", input),
    };
    let not_an_address = || CoreError::Invalid(format!("{input:?} is not a server address"));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    // Host names, IPv4 and bracketed IPv6 literals, a port: nothing that could make this
    // check and the WebSocket library see different hosts (user info, escapes).
    let plain =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']');
    if authority.is_empty() || !authority.chars().all(plain) || rest.contains(char::is_whitespace) {
        return Err(not_an_address());
    }
    if scheme == "ws" && !allow_insecure && !is_loopback(host_of(authority)) {
        return Err(CoreError::Insecure(input.to_string()));
    }
    let path = if rest.ends_with("/ws") { "" } else { "/ws" };
    Ok(format!("{scheme}://{rest}{path}"))
}

/// The host of `host[:port]` or `[ipv6][:port]`.
fn host_of(authority: &str) -> &str {
    if let Some(bracketed) = authority.strip_prefix('[') {
        return bracketed
            .split_once(']')
            .map_or(bracketed, |(host, _)| host);
    }
    authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host)
}

/// Whether `host` is this computer: `localhost`, 127.0.0.0/8 or `::1`.
fn is_loopback(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    host.eq_ignore_ascii_case("localhost")
        || match host.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
            Ok(std::net::IpAddr::V6(ip)) => {
                ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            }
            Err(_) => false,
        }
}

/// The environment variable naming a PEM file of extra trusted certificates, for servers
/// with a private certificate authority (self-hosted, tests).
pub const CA_FILE_VARIABLE: &str = "WREN_CA_FILE";

pub(crate) fn tls_connector() -> Result<Connector, CoreError> {
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
    use crate::error::CoreError;

    fn url(input: &str) -> Option<String> {
        websocket_url(input, false).ok()
    }

    fn refused_as_insecure(input: &str) -> bool {
        matches!(websocket_url(input, false), Err(CoreError::Insecure(_)))
    }

    #[test]
    fn addresses_people_type_become_websocket_urls() {
        assert_eq!(
            url("ws://127.0.0.1:8080").as_deref(),
            Some("ws://127.0.0.1:8080/ws")
        );
        assert_eq!(
            url("http://localhost:1/").as_deref(),
            Some("ws://localhost:1/ws")
        );
        assert_eq!(url("https://h").as_deref(), Some("wss://h/ws"));
        assert_eq!(url("HTTPS://h").as_deref(), Some("wss://h/ws"));
        assert_eq!(url("wss://h/ws").as_deref(), Some("wss://h/ws"));
        assert!(websocket_url("ftp://h", true).is_err());
        assert!(websocket_url(" ", true).is_err());
    }

    #[test]
    fn an_address_without_a_scheme_uses_tls() {
        assert_eq!(
            url("chat.example.org").as_deref(),
            Some("wss://chat.example.org/ws")
        );
        assert_eq!(
            url("10.0.0.5:8443").as_deref(),
            Some("wss://10.0.0.5:8443/ws")
        );
        assert_eq!(
            url("127.0.0.1:8080").as_deref(),
            Some("wss://127.0.0.1:8080/ws")
        );
    }

    #[test]
    fn cleartext_goes_only_to_this_computer_unless_allowed() {
        for loopback in [
            "ws://127.0.0.1:1",
            "ws://127.9.8.7",
            "http://LOCALHOST:8080",
            "ws://localhost.:1",
            "ws://[::1]:8080",
            "ws://[::ffff:127.0.0.1]:1",
        ] {
            assert!(url(loopback).is_some(), "{loopback} is this computer");
        }
        for remote in [
            "ws://example.org",
            "http://10.0.0.5:8080",
            "ws://128.0.0.1",
            "ws://[::2]:1",
            "ws://localhost.example.org",
            "ws://127.0.0.1.example.org",
        ] {
            assert!(refused_as_insecure(remote), "{remote} must be refused");
            assert_eq!(
                websocket_url(remote, true)
                    .ok()
                    .map(|u| u.starts_with("ws://")),
                Some(true),
                "{remote} is allowed when the user says so"
            );
        }
    }

    #[test]
    fn addresses_that_could_hide_another_host_are_refused() {
        for tricky in [
            "ws://127.0.0.1@example.org",
            "ws://example.org\\@127.0.0.1",
            "ws://user:pw@localhost",
            "ws://exa%6dple.org",
            "ws:///ws",
        ] {
            assert!(
                matches!(websocket_url(tricky, true), Err(CoreError::Invalid(_))),
                "{tricky}"
            );
        }
        assert!(refused_as_insecure("ws://example.org#@127.0.0.1"));
    }
}
