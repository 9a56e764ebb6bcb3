//! Two real clients chat through a server that speaks only TLS (`wss://`), trusting its
//! private certificate through `WREN_CA_FILE`.

use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::oneshot;
use wren_tests::{eventually, register};

fn fixture(name: &str) -> PathBuf {
    // `cargo test` sets the variable at run time too; the compile-time path goes stale when
    // a shared target dir holds binaries built from another checkout.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("../crates/wren-server/tests/fixtures")
        .join(name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_chat_over_tls_with_a_private_certificate_authority() {
    // The only test in this binary, so no other test sees the variable.
    std::env::set_var(wren_core::CA_FILE_VARIABLE, fixture("localhost.crt"));
    let scratch = tempfile::tempdir().expect("tempdir");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(wren_server::run_tls(
        listener,
        wren_server::Config::new(scratch.path().join("server")),
        wren_server::TlsFiles {
            cert: fixture("localhost.crt"),
            key: fixture("localhost.key"),
        },
        async move {
            let _ = stopped.await;
        },
    ));
    let url = format!("wss://localhost:{port}");
    let (alice, _) = register(&url, scratch.path(), "alice").await;
    let (bob, _) = register(&url, scratch.path(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    alice.send(chat, "over tls", None).await.expect("send");
    eventually(
        &bob,
        Duration::from_secs(20),
        "bob receives over TLS",
        || async {
            bob.history(chat, None, 5)
                .await
                .ok()?
                .into_iter()
                .find(|m| m.text == "over tls")
        },
    )
    .await;

    // Without the private CA, a client refuses the server's certificate.
    std::env::remove_var(wren_core::CA_FILE_VARIABLE);
    let dir = wren_tests::profile_dir(scratch.path(), "mallory");
    let untrusting = wren_core::Client::open(wren_tests::client_options(&dir))
        .await
        .expect("open");
    let refused = untrusting
        .register(&url, "carol", wren_tests::PASSWORD)
        .await;
    assert!(
        matches!(&refused, Err(e) if e.to_string().contains("certificate")),
        "{refused:?}"
    );
    let _ = stop.send(());
    let _ = server.await;
}
