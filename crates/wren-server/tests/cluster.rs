//! Two `wren-server` processes on one PostgreSQL database, woken by a real nats-server:
//! clients on either node talk live, a revocation on one node cuts a device off on the
//! other, a call's media crosses from one node's relay to the other's, presence is known
//! across the nodes, a node killed mid-conversation loses no acknowledged message, NATS
//! can die and come back, and concurrent sends from both nodes keep a chat's `seq`
//! gap-free.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../src/store/pg_cluster.rs"]
mod pg_cluster;

use common::nats_server::NatsServer;
use common::{expect_fatal, listening_port, recv_frame, Client, Endpoint, Ws, WAIT};
use futures_util::{SinkExt, StreamExt};
use pg_cluster::PgCluster;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use wren_proto::{
    AccountId, ChatId, ClientFrame, ClientMsgId, Difference, ErrorCode, Message, Pts, Request,
    RequestFrame, RequestId, Response, Seq, ServerFrame, Update, UpdateEnvelope,
};

const BIN: &str = env!("CARGO_BIN_EXE_wren-server");

/// A `wren-server` process on the shared database and NATS.
struct Node {
    child: Child,
    addr: SocketAddr,
    dir: tempfile::TempDir,
}

impl Node {
    /// Starts a node and waits for its listening line.
    fn start(database: &str, nats: &str) -> Node {
        let dir = tempfile::tempdir().unwrap();
        let log = std::fs::File::create(dir.path().join("node.log")).unwrap();
        let mut child = Command::new(BIN)
            .args(["--database", database, "--nats", nats])
            .args([
                "--listen",
                "127.0.0.1:0",
                "--media-port",
                "0",
                "--no-limits",
            ])
            .env("RUST_LOG", "wren_server=info")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let addr = SocketAddr::from(([127, 0, 0, 1], listening_port(&mut child)));
        Node { child, addr, dir }
    }

    /// What it logged so far.
    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("node.log")).unwrap_or_default()
    }

    /// Kills it at once (SIGKILL), as a crash would.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Its `/healthz` response, or why there is none.
    fn health(&self) -> String {
        let ask = || -> std::io::Result<String> {
            let mut stream = std::net::TcpStream::connect(self.addr)?;
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: wren\r\nConnection: close\r\n\r\n")?;
            let mut response = String::new();
            stream.read_to_string(&mut response)?;
            Ok(response)
        };
        ask().unwrap_or_else(|e| e.to_string())
    }

    /// Waits until its `/healthz` says it is connected to NATS.
    async fn wait_for_nats(&self) {
        let deadline = Instant::now() + WAIT;
        loop {
            let health = self.health();
            if health.ends_with("ok\ndatabase: ok\nnats: connected\n") {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no NATS: {health}; the node's log: {}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Endpoint for Node {
    fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// PostgreSQL, NATS and two nodes, both connected to NATS.
struct Cluster {
    nodes: [Node; 2],
    nats: NatsServer,
    postgres: Option<PgCluster>,
}

impl Cluster {
    async fn start() -> Cluster {
        Self::start_with(|bus| bus.to_owned()).await
    }

    /// A cluster whose second node reaches NATS at `second_bus(the NATS URL)`.
    async fn start_with(second_bus: impl FnOnce(&str) -> String) -> Cluster {
        let postgres = tokio::task::spawn_blocking(PgCluster::start).await.unwrap();
        let nats = NatsServer::start();
        let (url, bus) = (postgres.url(), nats.url());
        // Both migrate the empty database at once: an advisory lock lets one do it.
        let first = Node::start(&url, &bus);
        let second = Node::start(&url, &second_bus(&bus));
        for node in [&first, &second] {
            node.wait_for_nats().await;
        }
        Cluster {
            nodes: [first, second],
            nats,
            postgres: Some(postgres),
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            node.kill();
        }
        // PostgreSQL stops by a blocking command; fine here, outside the runtime's tasks.
        drop(self.postgres.take());
    }
}

/// Waits for the message `text` among `client`'s pushes; returns it.
async fn expect_message(client: &mut Client, text: &str) -> Message {
    loop {
        if let Update::NewMessage(m) = client.next_update().await.update {
            if m.payload == text.as_bytes() {
                return m;
            }
        }
    }
}

#[tokio::test]
async fn chats_groups_typing_and_revocations_cross_the_nodes() {
    let cluster = Cluster::start().await;
    let [one, two] = &cluster.nodes;
    let mut alice = Client::register(one, "alice").await;
    let mut bob = Client::register(two, "bob").await;

    let chat = alice.direct(bob.id()).await.id;
    alice.say(chat, 1, "hello from node one").await;
    assert_eq!(
        expect_message(&mut bob, "hello from node one").await.chat,
        chat
    );
    bob.say(chat, 1, "hello from node two").await;
    assert_eq!(
        expect_message(&mut alice, "hello from node two")
            .await
            .sender,
        bob.id()
    );

    let mut carol = Client::register(one, "carol").await;
    let group = bob.group("both nodes", &[alice.id(), carol.id()]).await.id;
    alice.say(group, 2, "to the whole group").await;
    expect_message(&mut bob, "to the whole group").await;
    expect_message(&mut carol, "to the whole group").await;
    bob.say(group, 2, "back from node two").await;
    expect_message(&mut alice, "back from node two").await;
    expect_message(&mut carol, "back from node two").await;

    let typing = bob.call(Request::SetTyping { chat: group }).await;
    assert!(matches!(typing, Ok(Response::Done)), "{typing:?}");
    let notice = carol.next_typing().await;
    assert_eq!((notice.chat, notice.account.id), (group, bob.id()));

    // Alice's second device, on node two, is signed out from her first, on node one.
    let mut laptop = Client::connect(two).await;
    let session = match laptop
        .call(Request::Login {
            username: "alice".into(),
            password: "password123".into(),
            device_name: "laptop".into(),
        })
        .await
    {
        Ok(Response::Session(session)) => session,
        other => panic!("login: {other:?}"),
    };
    let revoked = alice
        .call(Request::RevokeDevice {
            device: session.device,
        })
        .await;
    assert!(revoked.is_ok(), "{revoked:?}");
    let fatal = expect_fatal(&mut laptop.ws).await;
    assert_eq!(fatal.code, ErrorCode::Unauthorized, "{fatal:?}");
}

/// What a sender knows of its messages: acknowledged ones by client id, and the first
/// one not acknowledged when the connection died.
struct Sent {
    acked: BTreeMap<u64, Seq>,
    died_at: Option<u64>,
}

/// Sends `ids` into `chat` one by one, as an outbox does, until the connection dies.
async fn send_until_dead(
    client: &mut Client,
    chat: ChatId,
    ids: &[u64],
    mut tick: impl FnMut(usize),
) -> Sent {
    let mut sent = Sent {
        acked: BTreeMap::new(),
        died_at: None,
    };
    for (n, &id) in ids.iter().enumerate() {
        let request = RequestId(1_000_000 + id);
        let body = Request::SendMessage {
            chat,
            client_msg_id: ClientMsgId(id),
            payload: format!("message {id}").into_bytes(),
            reply_to: None,
        };
        let frame = ClientFrame::Request(RequestFrame { id: request, body });
        let written = futures_util::SinkExt::send(
            &mut client.ws,
            tokio_tungstenite::tungstenite::Message::Binary(
                wren_proto::encode(&frame).unwrap().into(),
            ),
        )
        .await;
        if written.is_err() {
            sent.died_at = Some(id);
            return sent;
        }
        loop {
            match recv_frame(&mut client.ws).await {
                Some(ServerFrame::Response { id: got, result }) if got == request => {
                    match result {
                        Ok(Response::Sent { seq, .. }) => sent.acked.insert(id, seq),
                        other => panic!("send {id}: {other:?}"),
                    };
                    break;
                }
                Some(ServerFrame::Update(u)) => client.updates.push_back(u),
                Some(_) => {}
                None => {
                    sent.died_at = Some(id);
                    return sent;
                }
            }
        }
        tick(n + 1);
    }
    sent
}

/// Every update of `client`'s account after `since`, by difference pages.
async fn difference(client: &mut Client, since: Pts) -> Vec<UpdateEnvelope> {
    let mut since = since;
    let mut all = Vec::new();
    loop {
        match client
            .call(Request::GetDifference { since, limit: 1000 })
            .await
        {
            Ok(Response::Difference(Difference::Updates { updates, current })) => {
                since = updates.last().map_or(current, |u| u.pts);
                let done = since >= current || updates.is_empty();
                all.extend(updates);
                if done {
                    return all;
                }
            }
            other => panic!("difference: {other:?}"),
        }
    }
}

/// The texts of the new messages from `sender` among `updates`, counted once per `pts`
/// (as a client applies them).
fn texts_from(updates: &[UpdateEnvelope], sender: AccountId) -> BTreeMap<String, usize> {
    let mut by_pts = BTreeMap::new();
    for u in updates {
        by_pts.insert(u.pts, u.update.clone());
    }
    let mut texts = BTreeMap::new();
    for update in by_pts.values() {
        if let Update::NewMessage(m) = update {
            if m.sender == sender {
                *texts
                    .entry(String::from_utf8_lossy(&m.payload).into_owned())
                    .or_insert(0) += 1;
            }
        }
    }
    texts
}

#[tokio::test]
async fn a_killed_node_loses_no_acknowledged_message() {
    let mut cluster = Cluster::start().await;
    let [one, two] = &cluster.nodes;
    let mut alice = Client::register(one, "alice").await;
    let mut bob = Client::register(two, "bob").await;
    let chat = alice.direct(bob.id()).await.id;
    let (bob_id, bob_token) = (bob.id(), bob.token());
    let ids: Vec<u64> = (1..=150).collect();

    // Both send at once; node two dies under Bob after his 40th acknowledgement.
    let (dead_tx, dead_rx) = tokio::sync::oneshot::channel();
    let mut dead_tx = Some(dead_tx);
    let bob_ids = ids.clone();
    let bob_task = tokio::spawn(async move {
        let sent = send_until_dead(&mut bob, chat, &bob_ids, |n| {
            if n == 40 {
                if let Some(tx) = dead_tx.take() {
                    let _ = tx.send(());
                }
            }
        })
        .await;
        (bob, sent)
    });
    let alice_ids = ids.clone();
    let alice_task = tokio::spawn(async move {
        let sent = send_until_dead(&mut alice, chat, &alice_ids, |_| {}).await;
        (alice, sent)
    });
    dead_rx.await.unwrap();
    cluster.nodes[1].kill();
    let (_, bob_sent) = bob_task.await.unwrap();
    let (mut alice, alice_sent) = alice_task.await.unwrap();
    assert_eq!(
        alice_sent.acked.len(),
        ids.len(),
        "node one kept serving Alice"
    );
    let died_at = bob_sent.died_at.expect("Bob's node died under him");
    assert!(bob_sent.acked.len() >= 40);

    // Bob reconnects to node one and his outbox sends what was not acknowledged again.
    let one = &cluster.nodes[0];
    let mut bob = Client::resume(one, &bob_token).await;
    let rest: Vec<u64> = ids.iter().copied().filter(|id| *id >= died_at).collect();
    let resent = send_until_dead(&mut bob, chat, &rest, |_| {}).await;
    assert!(resent.died_at.is_none());
    for (id, seq) in &bob_sent.acked {
        if let Some(again) = resent.acked.get(id) {
            assert_eq!(again, seq, "a resent message keeps its place");
        }
    }

    // Alice saw each of Bob's messages once: live, or by catching up on a gap.
    let mut seen: Vec<UpdateEnvelope> = alice.updates.drain(..).collect();
    seen.extend(difference(&mut alice, Pts(0)).await);
    let expected: BTreeMap<String, usize> =
        ids.iter().map(|id| (format!("message {id}"), 1)).collect();
    assert_eq!(texts_from(&seen, bob_id), expected);
    let everything = difference(&mut bob, Pts(0)).await;
    assert_eq!(texts_from(&everything, alice.id()), expected);
    assert_eq!(texts_from(&everything, bob_id), expected);
}

#[tokio::test]
async fn nats_dying_and_coming_back_loses_nothing_and_catches_up_by_itself() {
    let mut cluster = Cluster::start().await;
    let [one, two] = &cluster.nodes;
    let mut alice = Client::register(one, "alice").await;
    let mut bob = Client::register(two, "bob").await;
    let chat = alice.direct(bob.id()).await.id;
    alice.say(chat, 1, "before").await;
    let before = expect_message(&mut bob, "before").await;

    cluster.nats.kill();
    let deadline = Instant::now() + WAIT;
    while !cluster.nodes[0]
        .health()
        .ends_with("degraded\ndatabase: ok\nnats: disconnected\n")
    {
        assert!(Instant::now() < deadline, "health does not show NATS gone");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for n in 1..=3 {
        alice.say(chat, 1 + n, &format!("during {n}")).await;
    }
    cluster.nats.restart();
    for node in &cluster.nodes {
        node.wait_for_nats().await;
    }
    // What was sent during the outage arrives by itself once NATS is back, each once.
    let mut seen: Vec<UpdateEnvelope> = Vec::new();
    while !texts_from(&seen, alice.id()).contains_key("during 3") {
        seen.push(bob.next_update().await);
    }
    let counts = texts_from(&seen, alice.id());
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
    for text in ["during 1", "during 2", "during 3"] {
        assert!(counts.contains_key(text), "{text} missing from {counts:?}");
    }

    // And live pushes go on.
    alice.say(chat, 9, "after").await;
    let after = expect_message(&mut bob, "after").await;
    assert!(after.seq > before.seq);
}

#[tokio::test]
async fn concurrent_sends_on_both_nodes_keep_one_gap_free_order() {
    let cluster = Cluster::start().await;
    let [one, two] = &cluster.nodes;
    let mut alice = Client::register(one, "alice").await;
    let bob = Client::register(two, "bob").await;
    let group = alice.group("busy", &[bob.id()]).await.id;
    const EACH: u64 = 200;

    let pipeline = |mut client: Client, tag: &'static str| async move {
        let mut requests = Vec::new();
        for n in 1..=EACH {
            let body = Request::SendMessage {
                chat: group,
                client_msg_id: ClientMsgId(n),
                payload: format!("{tag} {n}").into_bytes(),
                reply_to: None,
            };
            requests.push(client.send(body).await);
        }
        let answers = client.responses(&requests).await;
        let seqs: Vec<Seq> = answers
            .into_iter()
            .map(|a| match a {
                Ok(Response::Sent { seq, .. }) => seq,
                other => panic!("{tag}: {other:?}"),
            })
            .collect();
        (client, seqs)
    };
    let (alice_done, bob_done) = tokio::join!(
        tokio::spawn(pipeline(alice, "alice")),
        tokio::spawn(pipeline(bob, "bob"))
    );
    let (mut alice, alice_seqs) = alice_done.unwrap();
    let (bob, bob_seqs) = bob_done.unwrap();
    for seqs in [&alice_seqs, &bob_seqs] {
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "one sender's order kept"
        );
    }
    let all: BTreeSet<u64> = alice_seqs.iter().chain(&bob_seqs).map(|s| s.0).collect();
    assert_eq!(all.len() as u64, 2 * EACH, "no seq given twice");
    let (low, high) = (*all.first().unwrap(), *all.last().unwrap());
    assert_eq!(high - low + 1, 2 * EACH, "no gap between {low} and {high}");

    // The same device resending one message on both nodes at once stores it once.
    let mut again_one = Client::resume(one, &bob.token()).await;
    let mut again_two = Client::resume(two, &bob.token()).await;
    let resend = || Request::SendMessage {
        chat: group,
        client_msg_id: ClientMsgId(EACH + 1),
        payload: b"sent twice".to_vec(),
        reply_to: None,
    };
    let (first, second) = (
        again_one.send(resend()).await,
        again_two.send(resend()).await,
    );
    let (first, second) = tokio::join!(again_one.response(first), again_two.response(second));
    let seq_of = |r: Result<Response, _>| match r {
        Ok(Response::Sent { seq, .. }) => seq,
        other => panic!("resend: {other:?}"),
    };
    assert_eq!(seq_of(first), seq_of(second));
    let history = match alice
        .call(Request::GetHistory {
            chat: group,
            before: None,
            limit: 10,
        })
        .await
    {
        Ok(Response::History(page)) => page,
        other => panic!("history: {other:?}"),
    };
    let twice = history
        .iter()
        .filter(|m| m.payload == b"sent twice")
        .count();
    assert_eq!(twice, 1);
}

/// A device's media socket (the relay's WebSocket way in) joined to call 1 of `chat`.
async fn media_socket(node: &Node, token: &str, chat: ChatId) -> Ws {
    let url = format!("ws://{}/media", node.addr);
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let join = wren_proto::media::RelayJoin {
        token: token.into(),
        chat,
        call: 1,
    };
    let bytes = wren_proto::encode(&join).unwrap();
    ws.send(WsMessage::Binary(bytes.into())).await.unwrap();
    match tokio::time::timeout(WAIT, ws.next()).await.unwrap() {
        Some(Ok(WsMessage::Binary(answer))) => {
            assert_eq!(answer.as_ref(), [wren_proto::media::JOINED], "joined");
        }
        other => panic!("join: {other:?}"),
    }
    ws
}

/// Sends `datagram` from one socket until the other receives it (the relays start
/// listening for each other a moment after a device joins).
async fn crosses(from: &mut Ws, to: &mut Ws, datagram: &'static [u8]) {
    let deadline = Instant::now() + WAIT;
    loop {
        assert!(Instant::now() < deadline, "the datagram never crossed");
        from.send(WsMessage::Binary(datagram.into())).await.unwrap();
        let heard = tokio::time::timeout(Duration::from_millis(100), to.next()).await;
        if let Ok(Some(Ok(WsMessage::Binary(got)))) = heard {
            assert_eq!(got.as_ref(), datagram);
            return;
        }
    }
}

#[tokio::test]
async fn a_calls_media_and_presence_cross_the_nodes() {
    let cluster = Cluster::start().await;
    let [one, two] = &cluster.nodes;
    let mut alice = Client::register(one, "alice").await;
    let mut bob = Client::register(two, "bob").await;
    let chat = alice.direct(bob.id()).await.id;

    let mut alice_media = media_socket(one, &alice.token(), chat).await;
    let mut bob_media = media_socket(two, &bob.token(), chat).await;
    crosses(&mut alice_media, &mut bob_media, b"sealed frame from alice").await;
    crosses(&mut bob_media, &mut alice_media, b"sealed frame from bob").await;

    // Bob, on node two, sees Alice online on node one; when she leaves, he is told.
    let presence = bob
        .call(Request::GetPresence {
            accounts: vec![alice.id()],
        })
        .await;
    let Ok(Response::Presence(seen)) = presence else {
        panic!("presence: {presence:?}");
    };
    assert_eq!(seen[0].presence, wren_proto::Presence::Online);
    let alice_id = alice.id();
    drop((alice, alice_media));
    loop {
        let info = bob.next_presence().await;
        if info.account == alice_id && matches!(info.presence, wren_proto::Presence::LastSeen(_)) {
            break;
        }
    }
}

/// A TCP relay to NATS that can be cut and restored, to take one node off the bus while
/// the other stays on it.
struct Cuttable {
    port: u16,
    upstream: u16,
    relay: Option<tokio::task::JoinHandle<()>>,
}

impl Cuttable {
    /// Starts relaying to the NATS server at `upstream` (inside the test's runtime).
    fn start(upstream: &str) -> Cuttable {
        let upstream = upstream.rsplit(':').next().unwrap().parse().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        Cuttable {
            port,
            upstream,
            relay: Some(tokio::spawn(relay(listener, upstream))),
        }
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Closes every relayed connection and refuses new ones.
    fn cut(&mut self) {
        if let Some(relay) = self.relay.take() {
            relay.abort();
        }
    }

    /// Relays again, on the same port.
    async fn restore(&mut self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port))
            .await
            .unwrap();
        self.relay = Some(tokio::spawn(relay(listener, self.upstream)));
    }
}

/// Relays every connection to `upstream`; dropping it (aborted) drops them all.
async fn relay(listener: tokio::net::TcpListener, upstream: u16) {
    let mut connections = tokio::task::JoinSet::new();
    while let Ok((mut down, _)) = listener.accept().await {
        connections.spawn(async move {
            if let Ok(mut up) = tokio::net::TcpStream::connect(("127.0.0.1", upstream)).await {
                let _ = tokio::io::copy_bidirectional(&mut down, &mut up).await;
            }
        });
    }
}

#[tokio::test]
async fn a_node_back_on_nats_catches_its_clients_up_by_itself() {
    // The second node reaches NATS through a link the test cuts, while the first stays
    // on it: what the first publishes meanwhile never reaches the second.
    let mut link = None;
    let cluster = Cluster::start_with(|bus| {
        let cuttable = Cuttable::start(bus);
        let url = cuttable.url();
        link = Some(cuttable);
        url
    })
    .await;
    let mut link = link.unwrap();
    let [one, two] = &cluster.nodes;
    let mut alice = Client::register(one, "alice").await;
    let mut bob = Client::register(two, "bob").await;
    let chat = alice.direct(bob.id()).await.id;
    alice.say(chat, 1, "before").await;
    expect_message(&mut bob, "before").await;

    link.cut();
    let deadline = Instant::now() + WAIT;
    while !two.health().ends_with("nats: disconnected\n") {
        assert!(
            Instant::now() < deadline,
            "node two does not notice the cut"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for n in 1..=3 {
        alice.say(chat, 1 + n, &format!("while cut off {n}")).await;
    }
    link.restore().await;

    // Nothing else is sent: node two catches Bob up from the database once it is back.
    let mut seen: Vec<UpdateEnvelope> = Vec::new();
    while !texts_from(&seen, alice.id()).contains_key("while cut off 3") {
        seen.push(bob.next_update().await);
    }
    let counts = texts_from(&seen, alice.id());
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
    assert_eq!(counts.len(), 3, "{counts:?}");
}
