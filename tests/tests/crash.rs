//! Nothing acknowledged is lost and nothing appears twice when the server or a client is
//! killed with SIGKILL in the middle of traffic.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;
use wren_core::{ChatId, Client, ClientEvent};
use wren_tests::process::{free_port, wait_until, Cli, ServerProcess};
use wren_tests::{eventually, register};

const WAIT: Duration = Duration::from_secs(60);

/// Every message of a chat as `client` reads it, paged back to the first: text -> seqs.
async fn history_by_text(client: &Client, chat: ChatId) -> HashMap<String, Vec<u64>> {
    let mut seen: HashMap<String, Vec<u64>> = HashMap::new();
    let mut before = None;
    loop {
        let page = client.history(chat, before, 200).await.expect("history");
        let Some(last) = page.last() else { break };
        before = last.seq;
        for m in page {
            seen.entry(m.text)
                .or_default()
                .push(m.seq.map(|s| s.0).unwrap_or(0));
        }
    }
    seen
}

/// How many messages the server has in a chat, counted from a fresh device of `user`
/// (which can read none of them: they were encrypted before it joined).
async fn messages_on_server(url: &str, root: &std::path::Path, user: &str, chat: ChatId) -> usize {
    let dir = wren_tests::profile_dir(root, "verifier");
    let client = Client::open(wren_tests::client_options(&dir))
        .await
        .expect("open");
    client
        .login(url, user, wren_tests::PASSWORD)
        .await
        .expect("login");
    client.wait_synced(WAIT).await.expect("sync");
    let seqs: std::collections::BTreeSet<u64> = history_by_text(&client, chat)
        .await
        .into_values()
        .flatten()
        .collect();
    client.close().await;
    seqs.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_traffic_loses_no_acknowledged_message_and_duplicates_none() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let data = scratch.path().join("server");
    let port = free_port();
    let server = ServerProcess::start(&data, port);
    let url = server.url.clone();
    let (alice, _) = register(&url, scratch.path(), "alice").await;
    let (bob, _) = register(&url, scratch.path(), "bob").await;
    let (carol, _) = register(&url, scratch.path(), "carol").await;
    let group = alice
        .create_group("load", &["bob".into(), "carol".into()])
        .await
        .expect("group")
        .id;
    for client in [&bob, &carol] {
        eventually(client, WAIT, "the group appears", || async {
            client.chat(group).await.ok()?
        })
        .await;
    }

    const PER_CLIENT: usize = 60;
    let mut senders = Vec::new();
    for (name, client) in [
        ("alice", alice.clone()),
        ("bob", bob.clone()),
        ("carol", carol.clone()),
    ] {
        senders.push(tokio::spawn(async move {
            for i in 0..PER_CLIENT {
                client
                    .send(group, &format!("{name}-{i}"), None)
                    .await
                    .expect("queue");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }));
    }
    // Kill the server once some messages are acknowledged, restart it on the same data.
    eventually(&alice, WAIT, "some messages acknowledged", || async {
        let stored = alice.history(group, None, 200).await.ok()?;
        (stored.iter().filter(|m| m.seq.is_some()).count() >= 20).then_some(())
    })
    .await;
    server.kill();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let server = ServerProcess::start(&data, port);
    for sender in senders {
        sender.await.expect("sender task");
    }
    for client in [&alice, &bob, &carol] {
        client
            .wait_outbox_empty(WAIT)
            .await
            .expect("outbox drained after the restart");
    }

    // What each sender recorded as acknowledged is what bob's device decrypted, at the same
    // place, once each; and the server has no other message.
    let on_server = history_by_text(&bob, group).await;
    for (name, client) in [("alice", &alice), ("bob", &bob), ("carol", &carol)] {
        let mine = client.history(group, None, 200).await.expect("history");
        for i in 0..PER_CLIENT {
            let text = format!("{name}-{i}");
            let acked = mine
                .iter()
                .find(|m| m.text == text)
                .and_then(|m| m.seq)
                .unwrap_or_else(|| panic!("{text} was never acknowledged"));
            assert_eq!(
                on_server.get(&text),
                Some(&vec![acked.0]),
                "{text}: lost, moved or duplicated"
            );
        }
    }
    assert_eq!(on_server.len(), 3 * PER_CLIENT);
    assert_eq!(
        messages_on_server(&url, scratch.path(), "bob", group).await,
        3 * PER_CLIENT
    );
    drop(server);
}

fn wait_for_stderr_line(child: &mut std::process::Child, needle: &str) {
    let stderr = child.stderr.take().expect("piped stderr");
    let (found, seen) = std::sync::mpsc::channel();
    let needle = needle.to_string();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains(&needle) {
                let _ = found.send(());
            }
        }
    });
    seen.recv_timeout(Duration::from_secs(30))
        .expect("the CLI reported the message as queued");
}

#[test]
fn a_cli_killed_with_queued_messages_delivers_each_exactly_once_after_restart() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let data = scratch.path().join("server");
    let port = free_port();
    let server = ServerProcess::start(&data, port);
    let alice = Cli {
        profile: scratch.path().join("alice"),
        server: server.url.clone(),
    };
    let bob = Cli {
        profile: scratch.path().join("bob"),
        server: server.url.clone(),
    };
    alice.ok(&["register", "alice"]);
    bob.ok(&["register", "bob"]);
    alice.ok(&["send", "@bob", "before the outage"]);
    server.kill();

    for text in ["queued one", "queued two"] {
        let mut child = alice
            .command(&["send", "@bob", text])
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn wren send");
        wait_for_stderr_line(&mut child, "queued on this device");
        child.kill().expect("SIGKILL the CLI");
        let _ = child.wait();
    }

    let _server = ServerProcess::start(&data, port);
    alice.ok(&["chats"]);
    alice.ok(&["chats"]);
    let texts = || -> Vec<String> {
        let out = bob.ok(&["--json", "history", "@alice"]);
        let messages: serde_json::Value = serde_json::from_str(&out).expect("JSON history");
        messages
            .as_array()
            .expect("an array")
            .iter()
            .filter_map(|m| m["text"].as_str().map(String::from))
            .collect()
    };
    assert!(wait_until(Duration::from_secs(20), || texts().len() >= 3));
    assert_eq!(texts(), ["before the outage", "queued one", "queued two"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_written_while_the_server_is_down_arrive_when_it_returns() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let data = scratch.path().join("server");
    let port = free_port();
    let server = ServerProcess::start(&data, port);
    let (alice, _) = register(&server.url, scratch.path(), "alice").await;
    let (bob, _) = register(&server.url, scratch.path(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    let url = server.url.clone();
    server.kill();

    let mut events = bob.events();
    for i in 0..5 {
        alice
            .send(chat, &format!("offline {i}"), None)
            .await
            .expect("queued while offline");
    }
    assert_eq!(alice.outbox_len().await, 5);
    let _server = ServerProcess::start(&data, port);
    alice
        .wait_outbox_empty(WAIT)
        .await
        .expect("delivered after reconnect");
    let mut arrived = Vec::new();
    while arrived.len() < 5 {
        let text = wren_tests::next_event(&mut events, WAIT, |e| match e {
            ClientEvent::MessageUpserted { message } if !message.outgoing => Some(message.text),
            _ => None,
        })
        .await
        .expect("bob receives the queued messages");
        arrived.push(text);
    }
    let expected: Vec<String> = (0..5).map(|i| format!("offline {i}")).collect();
    assert_eq!(arrived, expected);
    assert_eq!(url, format!("ws://127.0.0.1:{port}"));
}
