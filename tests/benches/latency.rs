//! Send → receive latency on loopback, beside a raw WebSocket echo round trip; then the
//! server push on PostgreSQL (a throwaway cluster with its default durability) with both
//! clients on one node, and with the sender on one node and the receiver on another,
//! woken through a throwaway nats-server.
//!
//! `cargo bench -p wren-tests --bench latency` (the PostgreSQL runs need the `postgresql`
//! and `nats-server` packages; `WREN_BENCH_SQLITE_ONLY=1` skips them).

#[path = "../../crates/wren-server/tests/common/nats_server.rs"]
mod nats_server;
#[path = "../../crates/wren-server/src/store/pg_cluster.rs"]
mod pg_cluster;

use futures_util::{SinkExt, StreamExt};
use nats_server::NatsServer;
use pg_cluster::PgCluster;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use wren_core::ClientEvent;
use wren_proto::{ClientMsgId, Request, Response, ServerFrame};
use wren_tests::bench::{percentile_ms, row};
use wren_tests::raw::RawClient;
use wren_tests::{register, TestServer};

const ROUNDS: usize = 1000;

async fn echo_baseline() -> Vec<Duration> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.expect("accept");
        stream.set_nodelay(true).expect("nodelay");
        let mut ws = tokio_tungstenite::accept_async(stream)
            .await
            .expect("upgrade");
        while let Some(Ok(message)) = ws.next().await {
            if message.is_binary() && ws.send(message).await.is_err() {
                break;
            }
        }
    });
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}"))
        .await
        .expect("connect");
    let payload = vec![7u8; 100];
    let mut samples = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        ws.send(WsMessage::Binary(payload.clone().into()))
            .await
            .expect("send");
        ws.next().await.expect("echo").expect("echo");
        samples.push(start.elapsed());
    }
    samples
}

/// Raw protocol: alice's request (on `from`) until bob's connection (on `to`) gets the
/// pushed update; `tag` keeps the usernames of several runs on one database apart.
async fn raw_protocol(from: &TestServer, to: &TestServer, tag: &str) -> Vec<Duration> {
    let (mut alice, _) = RawClient::register(&from.url, &format!("rawalice{tag}")).await;
    let (mut bob, bob_session) = RawClient::register(&to.url, &format!("rawbob{tag}")).await;
    let chat = match alice
        .request(Request::OpenDirect {
            peer: bob_session.account.id,
        })
        .await
    {
        Ok(Response::Chat(info)) => info.id,
        other => panic!("{other:?}"),
    };
    let (arrived_tx, mut arrived) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(frame) = bob.next_frame().await {
            if let ServerFrame::Update(update) = frame {
                if matches!(update.update, wren_proto::Update::NewMessage(_)) {
                    let _ = arrived_tx.send(Instant::now());
                }
            }
        }
    });
    let mut samples = Vec::with_capacity(ROUNDS);
    for i in 0..ROUNDS {
        let start = Instant::now();
        let body = Request::SendMessage {
            chat,
            client_msg_id: ClientMsgId(i as u64 + 1),
            payload: vec![1; 100],
            reply_to: None,
        };
        alice.request(body).await.expect("sent");
        let at = arrived.recv().await.expect("pushed");
        samples.push(at.saturating_duration_since(start));
    }
    samples
}

/// The whole engine: alice's `send()` (outbox, encrypted store) until bob's client has
/// stored the message and emitted it to its UI.
async fn engine(server: &TestServer) -> Vec<Duration> {
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    let mut events = bob.events();
    let mut samples = Vec::with_capacity(ROUNDS);
    for i in 0..ROUNDS {
        let text = format!("ping {i}");
        let start = Instant::now();
        alice.send(chat, &text, None).await.expect("send");
        loop {
            match events.recv().await {
                Ok(ClientEvent::MessageUpserted { message }) if message.text == text => break,
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(e) => panic!("{e}"),
            }
        }
        samples.push(start.elapsed());
    }
    samples
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut echo = echo_baseline().await;
    let server = TestServer::start().await;
    let mut raw = raw_protocol(&server, &server, "").await;
    let mut full = engine(&server).await;
    println!("send -> receive latency on loopback, {ROUNDS} messages of 100 bytes, one at a time");
    for p in [50.0, 99.0] {
        let echo_p = percentile_ms(&mut echo, p);
        row(
            &format!("p{p} server push (raw protocol clients)"),
            percentile_ms(&mut raw, p),
            "ms",
            "raw WebSocket echo round trip",
            echo_p,
        );
        row(
            &format!("p{p} client send -> peer client stored"),
            percentile_ms(&mut full, p),
            "ms",
            "raw WebSocket echo round trip",
            echo_p,
        );
    }
    server.stop().await;
    if std::env::var_os("WREN_BENCH_SQLITE_ONLY").is_some() || !PgCluster::available() {
        println!("PostgreSQL runs skipped (WREN_BENCH_SQLITE_ONLY, or no postgresql package)");
        return;
    }
    let cluster = tokio::task::spawn_blocking(PgCluster::start_durable)
        .await
        .expect("start PostgreSQL");
    let nats = NatsServer::start();
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let (url, bus) = (cluster.url(), nats.url());
        nodes.push(
            TestServer::start_with(move |c| {
                c.postgres = Some(url);
                c.nats = Some(bus);
            })
            .await,
        );
    }
    // A first run warms the database's caches and each node's prepared statements.
    raw_protocol(&nodes[1], &nodes[0], "warm").await;
    let mut one_node = raw_protocol(&nodes[0], &nodes[0], "one").await;
    let mut across = raw_protocol(&nodes[0], &nodes[1], "two").await;
    println!("the same server push on PostgreSQL, two nodes woken through NATS");
    for p in [50.0, 99.0] {
        let echo_p = percentile_ms(&mut echo, p);
        row(
            &format!("p{p} push, both clients on one node"),
            percentile_ms(&mut one_node, p),
            "ms",
            "raw WebSocket echo round trip",
            echo_p,
        );
        row(
            &format!("p{p} push, sender and receiver on two nodes"),
            percentile_ms(&mut across, p),
            "ms",
            "raw WebSocket echo round trip",
            echo_p,
        );
    }
    for node in nodes {
        node.stop().await;
    }
    tokio::task::spawn_blocking(move || drop(cluster))
        .await
        .expect("stop PostgreSQL");
}
