//! `scripts/cluster.sh`: PostgreSQL, NATS and two server nodes on loopback, where two real
//! clients on different nodes exchange end-to-end encrypted messages live; SIGTERM stops
//! every process and deletes the data.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wren_core::ChatId;
use wren_tests::process::binary;
use wren_tests::{eventually, register};

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
