//! `scripts/cluster.sh`: PostgreSQL, NATS and two server nodes on loopback, where two real
//! clients on different nodes exchange end-to-end encrypted messages live; SIGTERM stops
//! every process and deletes the data. And the MLS rule of one commit per epoch, with
//! real clients racing their commits through two nodes at once.

#[path = "../../crates/wren-server/tests/common/nats_server.rs"]
mod nats_server;
#[path = "../../crates/wren-server/src/store/pg_cluster.rs"]
mod pg_cluster;

use nats_server::NatsServer;
use pg_cluster::PgCluster;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wren_core::ChatId;
use wren_tests::process::binary;
use wren_tests::{client_options, eventually, profile_dir, register, TestServer, PASSWORD};

const WAIT: Duration = Duration::from_secs(30);

async fn has_message(client: &wren_core::Client, chat: ChatId, text: &str) -> bool {
    client
        .history(chat, None, 50)
        .await
        .is_ok_and(|page| page.iter().any(|m| m.text == text))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cluster_script_runs_two_nodes_that_clients_talk_across() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut script = Command::new("bash")
        .arg(root.join("scripts/cluster.sh"))
        .env("WREN_SERVER_BIN", binary("wren-server"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start scripts/cluster.sh");
    let mut lines = BufReader::new(script.stdout.take().expect("stdout")).lines();
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let line = lines.next().expect("a line per node").expect("read");
        let url = line
            .strip_prefix("node ")
            .unwrap_or_else(|| panic!("unexpected line {line:?}"))
            .to_owned();
        nodes.push(url);
    }
    assert_ne!(nodes[0], nodes[1]);

    let scratch = tempfile::tempdir().expect("tempdir");
    let (alice, _) = register(&nodes[0], scratch.path(), "alice").await;
    let (bob, _) = register(&nodes[1], scratch.path(), "bob").await;
    let chat = alice.open_direct("@bob").await.expect("open direct").id;
    alice.send(chat, "from node one", None).await.expect("send");
    eventually(&bob, WAIT, "bob on node two gets it", || async {
        has_message(&bob, chat, "from node one").await.then_some(())
    })
    .await;
    bob.send(chat, "from node two", None).await.expect("reply");
    eventually(&alice, WAIT, "alice on node one gets the reply", || async {
        has_message(&alice, chat, "from node two")
            .await
            .then_some(())
    })
    .await;
    drop((alice, bob));

    let term = Command::new("kill")
        .args(["-TERM", &script.id().to_string()])
        .status()
        .expect("kill");
    assert!(term.success());
    let deadline = Instant::now() + WAIT;
    while script.try_wait().expect("wait").is_none() {
        assert!(Instant::now() < deadline, "the script stops on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    for url in &nodes {
        let addr = url.trim_start_matches("ws://");
        assert!(
            std::net::TcpStream::connect(addr).is_err(),
            "{addr} still answers after the script stopped"
        );
    }
}

/// Waits until `client` shows `text` in the chat.
async fn reads(client: &wren_core::Client, chat: ChatId, text: &str) {
    eventually(
        client,
        WAIT,
        "the message arrives and is readable",
        || async { has_message(client, chat, text).await.then_some(()) },
    )
    .await;
}

/// A new device of `user`, signed in on `server`.
async fn second_device(server: &TestServer, user: &str, name: &str) -> wren_core::Client {
    let dir = profile_dir(server.scratch(), name);
    let client = wren_core::Client::open(client_options(&dir))
        .await
        .expect("open");
    client
        .login(&server.url, user, PASSWORD)
        .await
        .expect("login");
    client.wait_synced(WAIT).await.expect("sync");
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mls_commits_raced_through_two_nodes_land_one_per_epoch() {
    let postgres = tokio::task::spawn_blocking(PgCluster::start)
        .await
        .expect("PostgreSQL");
    let nats = NatsServer::start();
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let (url, bus) = (postgres.url(), nats.url());
        nodes.push(
            TestServer::start_with(move |c| {
                c.postgres = Some(url);
                c.nats = Some(bus);
            })
            .await,
        );
    }
    let (alice, _) = register(&nodes[0].url, nodes[0].scratch(), "alice").await;
    let (bob, _) = register(&nodes[1].url, nodes[1].scratch(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    eventually(&bob, WAIT, "bob has the chat", || async {
        bob.chat(chat).await.ok()?
    })
    .await;

    // Both write first at the same moment, through different nodes: both devices try to
    // create the chat's group, and one commit per epoch must still hold.
    let (a, b) = tokio::join!(
        alice.send(chat, "from alice", None),
        bob.send(chat, "from bob", None)
    );
    a.expect("alice sends");
    b.expect("bob sends");
    reads(&alice, chat, "from bob").await;
    reads(&bob, chat, "from alice").await;

    // Two new devices sign in at once, one on each node: each joins by external commit.
    let (laptop, tablet) = tokio::join!(
        second_device(&nodes[0], "alice", "alice-laptop"),
        second_device(&nodes[1], "bob", "bob-tablet")
    );
    let devices = [&alice, &bob, &laptop, &tablet];
    let reference = eventually(&alice, WAIT, "all four devices in the group", || async {
        alice
            .encryption(chat)
            .await
            .ok()?
            .filter(|g| g.devices.len() == 4)
    })
    .await;
    for device in devices {
        eventually(device, WAIT, "the same epoch and devices", || async {
            (device.encryption(chat).await.ok()?? == reference).then_some(())
        })
        .await;
    }
    tablet
        .send(chat, "from the tablet on node two", None)
        .await
        .expect("send");
    for device in [&alice, &bob, &laptop] {
        reads(device, chat, "from the tablet on node two").await;
    }
    drop((alice, bob, laptop, tablet));
    for node in nodes {
        node.stop().await;
    }
    tokio::task::spawn_blocking(move || drop(postgres))
        .await
        .expect("stop PostgreSQL");
}
