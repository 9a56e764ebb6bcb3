//! Server throughput with 100 connected clients (messages stored and delivered per
//! second), beside a raw SQLite insert loop with the same durability and batch size, and
//! the database bytes each stored message costs; then the same on PostgreSQL (a
//! throwaway cluster with its default durability) with one node, and with two nodes woken
//! through a throwaway nats-server: once with both members of each chat on one node (half
//! the chats on each), once with them on different nodes (every message crosses).
//!
//! `cargo bench -p wren-tests --bench throughput` (the PostgreSQL runs need the
//! `postgresql` and `nats-server` packages; `WREN_BENCH_SQLITE_ONLY=1` skips them).

#[path = "../../crates/wren-server/tests/common/nats_server.rs"]
mod nats_server;
#[path = "../../crates/wren-server/src/store/pg_cluster.rs"]
mod pg_cluster;

use nats_server::NatsServer;
use pg_cluster::PgCluster;
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

/// What one run measured.
struct Run {
    stored: usize,
    delivered: usize,
    elapsed: Duration,
}

/// How the clients are spread over several nodes.
#[derive(Clone, Copy)]
enum Spread {
    /// Both members of a chat on one node, the chats alternating between the nodes.
    ChatsPerNode,
    /// The two members of every chat on different nodes.
    MembersApart,
}

/// 100 clients in 50 direct chats (clients `2k` and `2k + 1`), spread over `servers`.
async fn run(servers: &[TestServer], spread: Spread) -> Run {
    let mut clients = Vec::with_capacity(CLIENTS);
    for i in 0..CLIENTS {
        let node = match spread {
            Spread::ChatsPerNode => (i / 2) % servers.len(),
            Spread::MembersApart => i % servers.len(),
        };
        let url = &servers[node].url;
        clients.push(RawClient::register(url, &format!("user{i}")).await);
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
    let mut last = start;
    for task in tasks {
        let (s, d, at) = task.await.expect("client task");
        stored += s;
        delivered += d;
        last = last.max(at);
    }
    Run {
        stored,
        delivered,
        elapsed: last.duration_since(start),
    }
}

/// Prints a run's figures beside `baseline`.
fn report(what: &str, run: &Run, baseline: (&str, f64)) {
    println!("{what}:");
    row(
        "  messages stored per second",
        rate(run.stored, run.elapsed),
        "msg/s",
        baseline.0,
        baseline.1,
    );
    row(
        "  messages delivered (live push) per second",
        rate(run.delivered, run.elapsed),
        "msg/s",
        baseline.0,
        baseline.1,
    );
    println!(
        "  stored {} of {}, pushed to the peer {} of {} in {:.2} s",
        run.stored,
        CLIENTS * PER_CLIENT,
        run.delivered,
        CLIENTS * PER_CLIENT,
        run.elapsed.as_secs_f64()
    );
}

/// `nodes` servers on a fresh PostgreSQL cluster (and a nats-server when more than one).
async fn on_postgres(nodes: usize, spread: Spread) -> Run {
    let cluster = tokio::task::spawn_blocking(PgCluster::start_durable)
        .await
        .expect("start PostgreSQL");
    let nats = (nodes > 1).then(NatsServer::start);
    let mut servers = Vec::with_capacity(nodes);
    for _ in 0..nodes {
        let (url, bus) = (cluster.url(), nats.as_ref().map(NatsServer::url));
        servers.push(
            TestServer::start_with(move |c| {
                c.postgres = Some(url);
                c.nats = bus;
            })
            .await,
        );
    }
    let result = run(&servers, spread).await;
    for server in servers {
        server.stop().await;
    }
    tokio::task::spawn_blocking(move || drop(cluster))
        .await
        .expect("stop PostgreSQL");
    result
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    println!(
        "server throughput: {CLIENTS} clients in {} direct chats, {PER_CLIENT} messages each, {WINDOW} in flight per client",
        CLIENTS / 2
    );
    let server = TestServer::start().await;
    let sqlite = run(std::slice::from_ref(&server), Spread::ChatsPerNode).await;
    let bytes = database_bytes(&server.scratch().join("server").join("wren.db"));
    server.stop().await;
    let baseline = sqlite_baseline(CLIENTS * PER_CLIENT);
    let raw = ("raw SQLite inserts (WAL, FULL, 512/tx)", baseline);
    report("one node on SQLite", &sqlite, raw);
    println!(
        "  database after the run: {:.1} MiB, {:.0} bytes per stored 100-byte message (chat log, both members' update logs, indexes)",
        bytes as f64 / (1024.0 * 1024.0),
        bytes as f64 / sqlite.stored.max(1) as f64
    );
    if std::env::var_os("WREN_BENCH_SQLITE_ONLY").is_some() || !PgCluster::available() {
        println!("PostgreSQL runs skipped (WREN_BENCH_SQLITE_ONLY, or no postgresql package)");
        return;
    }
    let one = on_postgres(1, Spread::ChatsPerNode).await;
    let sqlite_rate = rate(sqlite.stored, sqlite.elapsed);
    report(
        "one node on PostgreSQL",
        &one,
        ("one node on SQLite, this run", sqlite_rate),
    );
    let one_rate = rate(one.stored, one.elapsed);
    let together = on_postgres(2, Spread::ChatsPerNode).await;
    report(
        "two nodes on PostgreSQL + NATS, each chat's members on one node",
        &together,
        ("one node on PostgreSQL, this run", one_rate),
    );
    let apart = on_postgres(2, Spread::MembersApart).await;
    report(
        "two nodes on PostgreSQL + NATS, each chat's members on different nodes",
        &apart,
        ("one node on PostgreSQL, this run", one_rate),
    );
}
