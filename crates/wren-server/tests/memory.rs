//! A peer that asks for many large pages and does not read them cannot make the server
//! hold more than a bounded amount of memory for it. Alone in its test binary, so that no
//! other test's allocations blur the process's peak resident size it reads.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Client, TestServer};
use std::time::Duration;
use wren_proto::{ClientMsgId, Request, Response, ServerFrame};

/// The process's peak resident set size, in bytes (Linux: `VmHWM`).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kib * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_reader_of_large_pages_holds_bounded_memory() {
    const REQUESTS: u64 = 256;
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let chat = alice.group("archive", &[]).await;
    // 48 messages of 250 KiB: a history page is cut at the 8 MiB frame budget.
    let payload = vec![b'x'; 250 * 1024];
    for n in 0..48 {
        let sent = alice
            .call(Request::SendMessage {
                chat: chat.id,
                client_msg_id: ClientMsgId(n),
                payload: payload.clone(),
                reply_to: None,
            })
            .await;
        assert!(matches!(sent, Ok(Response::Sent { .. })));
    }
    let before = peak_rss();
    let mut slow = Client::connect(&server).await;
    assert!(matches!(
        slow.call(Request::Resume {
            token: alice.token()
        })
        .await,
        Ok(Response::Resumed { .. })
    ));
    // 256 pages of about 8 MiB each, not read: 2 GiB if the server held them all.
    for _ in 0..REQUESTS {
        slow.send(Request::GetHistory {
            chat: chat.id,
            before: None,
            limit: 200,
        })
        .await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    // Meanwhile the account's other connection is served.
    assert!(matches!(
        alice.call(Request::GetChat { chat: chat.id }).await,
        Ok(Response::Chat(_))
    ));
    let grown = peak_rss().saturating_sub(before);
    assert!(
        grown < 400 * 1024 * 1024,
        "the server held {} MiB for one slow reader",
        grown / (1024 * 1024)
    );
    // Once the peer reads, every answer arrives: nothing was dropped to stay bounded.
    let mut answered = 0;
    while answered < REQUESTS {
        match common::recv_frame(&mut slow.ws).await {
            Some(ServerFrame::Response {
                result: Ok(Response::History(page)),
                ..
            }) => {
                assert!(page.len() >= 30, "a full page: {}", page.len());
                answered += 1;
            }
            Some(ServerFrame::Update(_)) => {}
            other => panic!("expected a history page, got {other:?}"),
        }
    }
}
