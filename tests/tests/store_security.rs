//! The local store is encrypted: a wrong key is refused cleanly and the file holds no
//! plaintext.

use std::time::Duration;
use wren_core::{Client, CoreError, StoreError};
use wren_tests::{client_options, eventually, register, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_passcode_is_refused_and_the_database_holds_no_plaintext() {
    const SECRET: &str = "the eagle lands at midnight";
    let server = TestServer::start().await;
    let (alice, alice_dir) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    alice.send(chat, SECRET, None).await.expect("send");
    alice
        .wait_outbox_empty(Duration::from_secs(20))
        .await
        .expect("delivered");
    eventually(&bob, Duration::from_secs(20), "bob got it", || async {
        bob.history(chat, None, 5)
            .await
            .ok()?
            .into_iter()
            .find(|m| m.text == SECRET)
    })
    .await;
    alice.close().await;

    let mut wrong = client_options(&alice_dir);
    wrong.passcode = Some("not the passcode".into());
    match Client::open(wrong).await {
        Err(CoreError::Store(StoreError::WrongKey)) => {}
        Err(other) => panic!("expected WrongKey, got {other}"),
        Ok(_) => panic!("a wrong passcode opened the store"),
    }

    for name in ["wren.db", "wren.db-wal"] {
        let path = alice_dir.join(name);
        if let Ok(bytes) = std::fs::read(&path) {
            let found = bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes());
            assert!(!found, "{} contains the message text", path.display());
            let header = bytes.starts_with(b"SQLite format 3");
            assert!(
                !header || name != "wren.db",
                "wren.db has a plaintext SQLite header"
            );
        }
    }

    // The right passcode still opens everything, nothing was damaged by the attempt.
    let again = Client::open(client_options(&alice_dir))
        .await
        .expect("reopen");
    let history = again.history(chat, None, 5).await.expect("history");
    assert!(history.iter().any(|m| m.text == SECRET));
    again.close().await;
    server.stop().await;
}
