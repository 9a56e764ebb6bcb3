//! Server throughput with 100 connected clients (messages stored and delivered per
//! second), beside a raw SQLite insert loop with the same durability and batch size, and
//! the database bytes each stored message costs.
//!
//! `cargo bench -p wren-tests --bench throughput`; with `WREN_BENCH_POSTGRES=postgres://…`
//! the server's store is that (empty) PostgreSQL database instead of SQLite.

use std::time::{Duration, Instant};
use wren_proto::{AccountId, ClientMsgId, Request, Response, ServerFrame, Update};
use wren_tests::bench::{rate, row};
use wren_tests::raw::RawClient;
use wren_tests::TestServer;

const CLIENTS: usize = 100;
const PER_CLIENT: usize = 1000;
const WINDOW: usize = 32;

fn sqlite_baseline(rows: usize) -> f64 {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = rusqlite::Connection::open(dir.path().join("baseline.db")).expect("open");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE messages (chat INTEGER, seq INTEGER, sender INTEGER, payload BLOB,
                                PRIMARY KEY (chat, seq));",
    )
    .expect("schema");
    let payload = vec![1u8; 100];
    let start = Instant::now();
    let mut conn = conn;
    for batch in (0..rows).collect::<Vec<_>>().chunks(512) {
        let tx = conn.transaction().expect("tx");
        {
            let mut insert = tx
                .prepare_cached("INSERT INTO messages VALUES (?1, ?2, ?3, ?4)")
                .expect("prepare");
            for i in batch {
                insert
                    .execute(rusqlite::params![(*i % 50) as i64, *i as i64, 1, payload])
                    .expect("insert");
            }
        }
        tx.commit().expect("commit");
    }
    rate(rows, start.elapsed())
}

/// The size of the database as committed (WAL included): its pages times the page size.
fn database_bytes(path: &std::path::Path) -> u64 {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the server's database");
    let pages: u64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .expect("page count");
    let size: u64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .expect("page size");
    pages * size
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let postgres = std::env::var("WREN_BENCH_POSTGRES").ok();
    let server = TestServer::start_with(|c| c.postgres.clone_from(&postgres)).await;
    let mut clients = Vec::with_capacity(CLIENTS);
    for i in 0..CLIENTS {
        clients.push(RawClient::register(&server.url, &format!("user{i}")).await);
    }
    let ids: Vec<AccountId> = clients.iter().map(|(_, s)| s.account.id).collect();
    let mut pairs = Vec::new();
    for i in (0..CLIENTS).step_by(2) {
        let chat = match clients[i]
            .0
            .request(Request::OpenDirect { peer: ids[i + 1] })
            .await
        {
            Ok(Response::Chat(info)) => info.id,
            other => panic!("{other:?}"),
        };
        pairs.push(chat);
    }
    for (client, _) in clients.iter_mut() {
        client.pushes.clear();
    }

    let start = Instant::now();
    let mut tasks = Vec::new();
    for (i, (mut client, session)) in clients.into_iter().enumerate() {
        let chat = pairs[i / 2];
        let me = session.account.id;
        tasks.push(tokio::spawn(async move {
            let sends = (0..PER_CLIENT)
                .map(|n| Request::SendMessage {
                    chat,
                    client_msg_id: ClientMsgId(n as u64 + 1),
                    payload: vec![1; 100],
                    reply_to: None,
                })
                .collect();
            let stored = client
                .pipeline(sends, WINDOW)
                .await
                .into_iter()
                .filter(|a| matches!(a, Ok(Response::Sent { .. })))
                .count();
            let incoming = |pushes: &[wren_proto::UpdateEnvelope]| {
                pushes
                    .iter()
                    .filter(|u| matches!(&u.update, Update::NewMessage(m) if m.sender != me))
                    .count()
            };
            let mut delivered = incoming(&client.pushes);
            let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
            while delivered < PER_CLIENT {
                match tokio::time::timeout_at(deadline, client.next_frame()).await {
                    Ok(Some(ServerFrame::Update(u))) => {
                        if matches!(&u.update, Update::NewMessage(m) if m.sender != me) {
                            delivered += 1;
                        }
                    }
                    Ok(Some(_)) => {}
                    Ok(None) | Err(_) => break,
                }
            }
            (stored, delivered, Instant::now())
        }));
    }
    let mut stored = 0;
    let mut delivered = 0;
    let mut last_store = start;
    for task in tasks {
        let (s, d, at) = task.await.expect("client task");
        stored += s;
        delivered += d;
        last_store = last_store.max(at);
    }
    let elapsed = last_store.duration_since(start);
    let baseline = sqlite_baseline(CLIENTS * PER_CLIENT);
    println!(
        "server throughput: {CLIENTS} clients in {} direct chats, {PER_CLIENT} messages each, {WINDOW} in flight per client",
        CLIENTS / 2
    );
    row(
        "messages stored per second",
        rate(stored, elapsed),
        "msg/s",
        "raw SQLite inserts (WAL, FULL, 512/tx)",
        baseline,
    );
    row(
        "messages delivered (live push) per second",
        rate(delivered, elapsed),
        "msg/s",
        "raw SQLite inserts (WAL, FULL, 512/tx)",
        baseline,
    );
    println!(
        "stored {stored} of {}, pushed to the peer {delivered} of {} in {:.2} s",
        CLIENTS * PER_CLIENT,
        CLIENTS * PER_CLIENT,
        elapsed.as_secs_f64()
    );
    if postgres.is_some() {
        println!("store: PostgreSQL");
        server.stop().await;
        return;
    }
    let bytes = database_bytes(&server.scratch().join("server").join("wren.db"));
    server.stop().await;
    println!(
        "database after the run: {:.1} MiB, {:.0} bytes per stored 100-byte message (chat log, both members' update logs, indexes)",
        bytes as f64 / (1024.0 * 1024.0),
        bytes as f64 / stored.max(1) as f64
    );
}
