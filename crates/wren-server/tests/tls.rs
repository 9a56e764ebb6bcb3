//! TLS: the same protocol over `wss://` with rustls (ring provider).

#![allow(clippy::unwrap_used)]

mod common;

use common::{hello, recv_frame, send_frame, WAIT};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::oneshot;
use wren_proto::{ServerFrame, PROTOCOL_VERSION};
use wren_server::{Config, ServerError, TlsFiles};

fn fixture(name: &str) -> PathBuf {
    // `cargo test` sets the variable at run time too; the compile-time path goes stale when
    // a shared target dir holds binaries built from another checkout.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("tests/fixtures")
        .join(name)
}

fn files() -> TlsFiles {
    TlsFiles {
        cert: fixture("localhost.crt"),
        key: fixture("localhost.key"),
    }
}

#[tokio::test]
async fn the_handshake_works_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(wren_server::run_tls(
        listener,
        Config::new(dir.path()),
        files(),
        async move {
            let _ = stopped.await;
        },
    ));

    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(fixture("localhost.crt")).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let client = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let (mut ws, _) = tokio_tungstenite::connect_async_tls_with_config(
        format!("wss://localhost:{port}/ws"),
        None,
        false,
        Some(tokio_tungstenite::Connector::Rustls(Arc::new(client))),
    )
    .await
    .unwrap();
    send_frame(&mut ws, &hello(PROTOCOL_VERSION)).await;
    assert!(matches!(
        recv_frame(&mut ws).await,
        Some(ServerFrame::Welcome(_))
    ));

    stop.send(()).unwrap();
    tokio::time::timeout(WAIT, server)
        .await
        .expect("server stops in time")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_missing_key_is_a_clear_startup_error() {
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut tls = files();
    tls.key = fixture("missing.key");
    let result = wren_server::run_tls(listener, Config::new(dir.path()), tls, async {}).await;
    match result {
        Err(ServerError::Tls(message)) => assert!(message.contains("missing.key"), "{message}"),
        other => panic!("expected a TLS error, got {other:?}"),
    }
}
