//! Full-text search latency over 1,000,000 stored messages, and the client's memory with
//! that store open, beside a LIKE scan of the same store.
//!
//! `cargo bench -p wren-tests --bench search` (about 2 minutes; `WREN_BENCH_MESSAGES` sets
//! the count)

use std::process::Command;
use std::time::{Duration, Instant};
use wren_core::{ChatId, Client};
use wren_tests::bench::{memory_mib, percentile_ms, row};
use wren_tests::TestServer;

const WORDS: &[&str] = &[
    "meeting",
    "tomorrow",
    "project",
    "coffee",
    "deadline",
    "weekend",
    "train",
    "budget",
    "kitchen",
    "garden",
    "concert",
    "invoice",
    "holiday",
    "doctor",
    "birthday",
    "report",
    "مرحبا",
    "شكرا",
    "غدا",
    "اجتماع",
    "قهوة",
    "مشروع",
    "café",
    "naïve",
    "résumé",
    "Zürich",
];

fn text(i: usize) -> String {
    let mut rng = fastrand::Rng::with_seed(i as u64);
    let n = 4 + rng.usize(0..8);
    let mut words: Vec<String> = (0..n)
        .map(|_| WORDS[rng.usize(0..WORDS.len())].to_string())
        .collect();
    words.push(format!("n{i}"));
    words.join(" ")
}

/// The child process: open the profile offline, use it like a person would, report memory.
async fn measure(profile: &str, chat: u64) {
    let client = Client::open(wren_tests::client_options(std::path::Path::new(profile)))
        .await
        .expect("open");
    let chats = client.chats().await.expect("chats");
    let history = client
        .history(ChatId(chat), None, 50)
        .await
        .expect("history");
    for word in ["meeting", "مرحبا", "cafe"] {
        client.search(word, 20).await.expect("search");
    }
    let (rss, peak) = memory_mib().expect("/proc/self/status");
    println!(
        "MEMORY {rss:.1} {peak:.1} {} {}",
        chats.len(),
        history.len()
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--measure-rss") {
        let chat = args[at + 2].parse().expect("chat id");
        measure(&args[at + 1], chat).await;
        return;
    }
    let count: usize = std::env::var("WREN_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let server = TestServer::start_with(|c| c.max_difference = u64::MAX).await;
    let wren_tests::OfflineRecipient {
        profile: bob_dir,
        sender: mut alice,
        chat,
    } = wren_tests::offline_recipient(&server).await;
    let fill = Instant::now();
    alice.fill_chat(chat, count, text).await;
    let bob = Client::open(wren_tests::client_options(&bob_dir))
        .await
        .expect("reopen");
    bob.wait_synced(Duration::from_secs(1800))
        .await
        .expect("synced");
    println!(
        "filled {count} messages in {:.1} s (server + client sync)",
        fill.elapsed().as_secs_f64()
    );

    let mut rng = fastrand::Rng::with_seed(42);
    let mut samples = Vec::new();
    for _ in 0..200 {
        let query = match rng.usize(0..3) {
            0 => WORDS[rng.usize(0..WORDS.len())].to_string(),
            1 => format!(
                "{} {}",
                WORDS[rng.usize(0..WORDS.len())],
                WORDS[rng.usize(0..WORDS.len())]
            ),
            _ => format!("n{}", rng.usize(0..count)),
        };
        let start = Instant::now();
        bob.search(&query, 20).await.expect("search");
        samples.push(start.elapsed());
    }
    let like = {
        let start = Instant::now();
        let hits = bob.history(chat, None, 1).await.expect("warm");
        drop(hits);
        let dir = bob_dir.clone();
        bob.clone().close().await;
        let out = Command::new(std::env::current_exe().expect("exe"))
            .arg("--measure-rss")
            .arg(&dir)
            .arg(chat.0.to_string())
            .output()
            .expect("measure child");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let line = stdout
            .lines()
            .find(|l| l.starts_with("MEMORY"))
            .unwrap_or("MEMORY nan nan");
        let fields: Vec<f64> = line
            .split_whitespace()
            .skip(1)
            .filter_map(|f| f.parse().ok())
            .collect();
        (start.elapsed(), fields)
    };
    let (rss, peak) = (
        like.1.first().copied().unwrap_or(f64::NAN),
        like.1.get(1).copied().unwrap_or(f64::NAN),
    );
    println!("search over {count} stored messages (FTS5, unicode61 remove_diacritics 2), 200 queries, 20 hits each");
    let scan = like_scan_ms(&bob_dir);
    row(
        "search p50",
        percentile_ms(&mut samples, 50.0),
        "ms",
        "LIKE '%word%' scan, same store",
        scan,
    );
    row(
        "search p99",
        percentile_ms(&mut samples, 99.0),
        "ms",
        "LIKE '%word%' scan, same store",
        scan,
    );
    println!("client process with the {count}-message store open, chat list + history + 3 searches: RSS {rss:.1} MiB, peak {peak:.1} MiB");
    server.stop().await;
}

/// One LIKE scan over the whole store, through SQLCipher directly.
fn like_scan_ms(profile: &std::path::Path) -> f64 {
    let key = wren_core::profile::ProfileDir::new(profile)
        .unlock_or_create(Some(wren_tests::PASSCODE))
        .expect("key");
    let conn = rusqlite::Connection::open(profile.join("wren.db")).expect("open");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.to_hex()))
        .expect("key");
    let start = Instant::now();
    let _: i64 = conn
        .query_row(
            "SELECT count(*) FROM messages WHERE text LIKE '%deadline%'",
            [],
            |r| r.get(0),
        )
        .expect("scan");
    start.elapsed().as_secs_f64() * 1000.0
}
