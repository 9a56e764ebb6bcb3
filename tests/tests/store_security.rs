//! The local store is encrypted: a wrong key is refused cleanly and the file holds no
//! plaintext.

use std::time::Duration;
use wren_core::{Client, CoreError, StoreError};
use wren_tests::{client_options, eventually, register, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_passcode_is_refused_and_the_database_holds_no_plaintext() {
    const SECRET: &str = "the eagle lands at midnight";
    const DRAFT: &str = "half a thought about the eagle";
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
    alice.set_draft(chat, DRAFT).await.expect("draft");
    alice.close().await;

    let mut wrong = client_options(&alice_dir);
    wrong.passcode = Some("not the passcode".into());
    match Client::open(wrong).await {
        Err(CoreError::Store(StoreError::WrongKey)) => {}
        Err(other) => panic!("expected WrongKey, got {other}"),
        Ok(_) => panic!("a wrong passcode opened the store"),
    }

    // No file of the profile holds the message or the draft in the clear.
    for entry in std::fs::read_dir(&alice_dir).expect("profile dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if let Ok(bytes) = std::fs::read(&path) {
            for text in [SECRET, DRAFT] {
                let found = bytes.windows(text.len()).any(|w| w == text.as_bytes());
                assert!(!found, "{} contains {text:?}", path.display());
            }
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
    // The draft survived the restart, inside the encrypted store.
    let summary = again.chat(chat).await.expect("store").expect("chat");
    assert_eq!(summary.draft, DRAFT);
    again.set_draft(chat, "").await.expect("clear");
    assert_eq!(
        again.chat(chat).await.expect("store").expect("chat").draft,
        ""
    );
    again.close().await;
    server.stop().await;
}
