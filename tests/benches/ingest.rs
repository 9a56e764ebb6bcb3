//! Client sync ingest: a device that was offline catches up N messages into its SQLCipher
//! store (network, decoding, store, FTS index included), beside plain SQLite inserts.
//!
//! `cargo bench -p wren-tests --bench ingest`

use std::time::{Duration, Instant};
use wren_core::Client;
use wren_tests::bench::{rate, row};
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

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let server = TestServer::start_with(|c| c.max_difference = u64::MAX).await;
    let wren_tests::OfflineRecipient {
        profile: bob_dir,
        sender: mut alice,
        chat,
    } = wren_tests::offline_recipient(&server).await;
    alice
        .fill_chat(chat, MESSAGES, |i| format!("message number {i}"))
        .await;

    let start = Instant::now();
    let bob = Client::open(wren_tests::client_options(&bob_dir))
        .await
        .expect("open");
    bob.wait_synced(Duration::from_secs(600))
        .await
        .expect("synced");
    let elapsed = start.elapsed();
    let unread = bob
        .chat(chat)
        .await
        .expect("store")
        .map(|c| c.unread_count)
        .unwrap_or(0);
    assert_eq!(unread as usize, MESSAGES, "every message stored");

    let plain = insert_baseline(MESSAGES, None);
    let encrypted = insert_baseline(MESSAGES, Some(&"ab".repeat(32)));
    println!("client sync ingest: {MESSAGES} messages caught up by an offline device (network + store + FTS)");
    row(
        "sync ingest into the SQLCipher store",
        rate(MESSAGES, elapsed),
        "msg/s",
        "plain SQLite inserts (1000/tx)",
        plain,
    );
    row(
        "sync ingest into the SQLCipher store",
        rate(MESSAGES, elapsed),
        "msg/s",
        "SQLCipher inserts, no FTS (1000/tx)",
        encrypted,
    );
    bob.close().await;
    server.stop().await;
}
