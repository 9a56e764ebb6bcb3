//! A device that was offline while 10,000 messages arrived catches up through
//! `get_difference`, page by page, with progress.

use std::time::Duration;
use wren_core::{Client, ClientEvent};
use wren_tests::TestServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_device_catches_up_ten_thousand_messages() {
    const COUNT: usize = 10_000;
    let server = TestServer::start().await;
    let wren_tests::OfflineRecipient {
        profile: bob_dir,
        sender: mut alice,
        chat,
    } = wren_tests::offline_recipient(&server).await;
    alice
        .fill_chat(chat, COUNT, |i| format!("message {i}"))
        .await;

    let bob = Client::open(wren_tests::client_options(&bob_dir))
        .await
        .expect("reopen");
    let mut events = bob.events();
    let progress = tokio::spawn(async move {
        let mut last = (0, 0);
        while let Ok(event) = events.recv().await {
            if let ClientEvent::SyncProgress { done, total } = event {
                last = (done, total);
                if done == total {
                    break;
                }
            }
        }
        last
    });
    bob.wait_synced(Duration::from_secs(120))
        .await
        .expect("caught up");
    let (done, total) = tokio::time::timeout(Duration::from_secs(10), progress)
        .await
        .expect("progress reported")
        .expect("progress task");
    assert!(total as usize > COUNT, "progress total {total}");
    assert_eq!(done, total);

    let summary = bob
        .chat(chat)
        .await
        .expect("store")
        .expect("the chat arrived");
    assert_eq!(
        summary.unread_count as usize, COUNT,
        "every message is stored locally"
    );
    assert_eq!(
        summary.last_message.map(|m| m.text).as_deref(),
        Some("message 9999")
    );
    let hits = bob.search("message 4321", 5).await.expect("search");
    assert!(hits.iter().any(|h| h.message.text == "message 4321"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_too_far_behind_starts_over_and_still_pages_back_to_the_first_message() {
    const COUNT: usize = 500;
    let server = TestServer::start_with(|c| c.max_difference = 100).await;
    let wren_tests::OfflineRecipient {
        profile: bob_dir,
        sender: mut alice,
        chat,
    } = wren_tests::offline_recipient(&server).await;
    alice
        .fill_chat(chat, COUNT, |i| format!("message {i}"))
        .await;

    let bob = Client::open(wren_tests::client_options(&bob_dir))
        .await
        .expect("reopen");
    bob.wait_synced(Duration::from_secs(60))
        .await
        .expect("caught up");
    assert!(
        bob.chat(chat).await.expect("store").is_some(),
        "the chat list was refetched"
    );
    let mut texts = Vec::new();
    let mut before = None;
    loop {
        let page = bob.history(chat, before, 100).await.expect("page");
        let Some(last) = page.last() else { break };
        before = last.seq;
        texts.extend(page.into_iter().map(|m| m.text));
    }
    texts.reverse();
    let expected: Vec<String> = (0..COUNT).map(|i| format!("message {i}")).collect();
    assert_eq!(texts.len(), expected.len());
    assert_eq!(texts, expected);
    server.stop().await;
}
