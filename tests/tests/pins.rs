//! Pinned chats belong to the account: a pin made on one device shows on its other
//! devices at once and on a device that was away when it signs in again, and a pin past
//! the plan's limit is refused with the reason and changes nothing.

use std::path::PathBuf;
use std::time::Duration;
use wren_core::{ChatId, Client};
use wren_tests::{client_options, eventually, profile_dir, register, TestServer, PASSWORD};

const WAIT: Duration = Duration::from_secs(20);

/// Signs `user` in on a new device with its own profile; returns it and the profile.
async fn second_device(server: &TestServer, user: &str, name: &str) -> (Client, PathBuf) {
    let dir = profile_dir(server.scratch(), name);
    let client = Client::open(client_options(&dir)).await.expect("open");
    client
        .login(&server.url, user, PASSWORD)
        .await
        .expect("login");
    client.wait_synced(WAIT).await.expect("sync");
    (client, dir)
}

/// Waits until the device shows exactly `expected` as its pinned chats.
async fn shows_pinned(client: &Client, expected: &[ChatId]) {
    let mut expected = expected.to_vec();
    expected.sort();
    eventually(
        client,
        WAIT,
        "the device shows the account's pins",
        || async {
            let mut pinned: Vec<ChatId> = client
                .chats()
                .await
                .ok()?
                .into_iter()
                .filter(|c| c.pinned)
                .map(|c| c.id)
                .collect();
            pinned.sort();
            (pinned == expected).then_some(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pin_follows_the_account_to_every_device_within_the_plan_s_limit() {
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (_bob, _) = register(&server.url, server.scratch(), "bob").await;
    let (laptop, laptop_profile) = second_device(&server, "alice", "alice-laptop").await;
    let mut chats = vec![alice.open_direct("bob").await.expect("open").id];
    for i in 0..5 {
        let group = alice
            .create_group(&format!("Group {i}"), &["bob".into()])
            .await
            .expect("group");
        chats.push(group.id);
    }

    // A pin shows on the other device while it is online, first in its chat list.
    alice.set_pinned(chats[0], true).await.expect("pin");
    shows_pinned(&laptop, &chats[..1]).await;
    let list = laptop.chats().await.expect("chats");
    assert_eq!(list.first().map(|c| c.id), Some(chats[0]), "{list:?}");

    // The laptop is away while four more are pinned and the first is unpinned.
    laptop.close().await;
    for &chat in &chats[1..5] {
        alice.set_pinned(chat, true).await.expect("pin");
    }
    alice.set_pinned(chats[0], false).await.expect("unpin");
    let laptop = Client::open(client_options(&laptop_profile))
        .await
        .expect("reopen");
    laptop.wait_synced(WAIT).await.expect("catch up");
    shows_pinned(&laptop, &chats[1..5]).await;

    // The Free plan's limit is five: the sixth is refused with the reason, nowhere shown.
    laptop
        .set_pinned(chats[0], true)
        .await
        .expect("the fifth pin");
    let refused = alice
        .set_pinned(chats[5], true)
        .await
        .expect_err("a sixth pin on Free");
    assert!(
        refused
            .to_string()
            .contains("5 chats are pinned, the most the Free plan allows"),
        "{refused}"
    );
    shows_pinned(&alice, &chats[..5]).await;
    shows_pinned(&laptop, &chats[..5]).await;
    server.stop().await;
}
