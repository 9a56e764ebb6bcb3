//! Client sync ingest: a device that was offline catches up N messages into its SQLCipher
//! store (network, decoding, store, FTS index included), beside plain SQLite inserts; and
//! the same with every message sealed with MLS, beside the plaintext catch-up.
//!
//! `cargo bench -p wren-tests --bench ingest`

use std::time::{Duration, Instant};
use wren_core::Client;
use wren_tests::bench::{rate, row};
use wren_tests::mls::MlsSender;
use wren_tests::TestServer;

const MESSAGES: usize = 50_000;

fn insert_baseline(rows: usize, key: Option<&str>) -> f64 {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut conn = rusqlite::Connection::open(dir.path().join("baseline.db")).expect("open");
    if let Some(key) = key {
        conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\";"))
            .expect("key");
    }
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE messages (id INTEGER PRIMARY KEY, chat INTEGER, seq INTEGER, text TEXT);",
    )
    .expect("schema");
    let start = Instant::now();
    for batch in (0..rows).collect::<Vec<_>>().chunks(1000) {
        let tx = conn.transaction().expect("tx");
        {
            let mut insert = tx
                .prepare_cached("INSERT INTO messages (chat, seq, text) VALUES (1, ?1, ?2)")
                .expect("prepare");
            for i in batch {
                insert
                    .execute(rusqlite::params![*i as i64, format!("message number {i}")])
                    .expect("insert");
            }
        }
        tx.commit().expect("commit");
    }
    rate(rows, start.elapsed())
}

/// An offline device of `recipient` catches up `MESSAGES` messages from a raw `sender`
/// (sealed with MLS when `encrypted`); returns how long it took.
async fn catch_up(server: &TestServer, recipient: &str, sender: &str, encrypted: bool) -> Duration {
    let (
        wren_tests::OfflineRecipient {
            profile,
            sender: mut raw,
            chat,
        },
        session,
    ) = wren_tests::offline_pair(server, recipient, sender).await;
    let text = |i: usize| format!("message number {i}");
    if encrypted {
        let peer = match raw
            .request(wren_proto::Request::LookupUser {
                username: recipient.into(),
            })
            .await
        {
            Ok(wren_proto::Response::User(user)) => user.id,
            other => panic!("lookup: {other:?}"),
        };
        let mut mls = MlsSender::new(&mut raw, &session).await;
        let packages = MlsSender::claim(&mut raw, peer).await;
        let created = mls.create_group(&mut raw, chat, &packages).await;
        assert!(
            matches!(created, Ok(wren_proto::Response::CommitAccepted { .. })),
            "{created:?}"
        );
        let payloads = mls.seal_texts(chat, (0..MESSAGES).map(text));
        raw.fill_chat_with(chat, payloads).await;
    } else {
        raw.fill_chat(chat, MESSAGES, text).await;
    }

    let start = Instant::now();
    let device = Client::open(wren_tests::client_options(&profile))
        .await
        .expect("open");
    device
        .wait_synced(Duration::from_secs(600))
        .await
        .expect("synced");
    let elapsed = start.elapsed();
    let summary = device.chat(chat).await.expect("store").expect("the chat");
    assert_eq!(
        summary.unread_count as usize, MESSAGES,
        "every message stored"
    );
    let last = summary.last_message.expect("a last message");
    assert!(!last.undecryptable, "{last:?}");
    assert_eq!(
        last.text,
        text(MESSAGES - 1),
        "the last message is readable"
    );
    device.close().await;
    elapsed
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    wren_tests::init_tracing();
    let server = TestServer::start_with(|c| {
        c.max_difference = u64::MAX;
        // The raw sender seals every message before it sends any: minutes of silence.
        c.idle_timeout = Duration::from_secs(3600);
    })
    .await;
    let plaintext = catch_up(&server, "bob", "alice", false).await;
    let encrypted = catch_up(&server, "carol", "dave", true).await;

    let plain = insert_baseline(MESSAGES, None);
    let sqlcipher = insert_baseline(MESSAGES, Some(&"ab".repeat(32)));
    println!("client sync ingest: {MESSAGES} messages caught up by an offline device (network + store + FTS)");
    row(
        "sync ingest into the SQLCipher store",
        rate(MESSAGES, plaintext),
        "msg/s",
        "plain SQLite inserts (1000/tx)",
        plain,
    );
    row(
        "sync ingest into the SQLCipher store",
        rate(MESSAGES, plaintext),
        "msg/s",
        "SQLCipher inserts, no FTS (1000/tx)",
        sqlcipher,
    );
    row(
        "sync ingest with MLS decryption",
        rate(MESSAGES, encrypted),
        "msg/s",
        "sync ingest of plaintext, same run",
        rate(MESSAGES, plaintext),
    );
    server.stop().await;
}
