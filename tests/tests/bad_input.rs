//! Malformed frames, oversize frames and a wrong protocol version get a clear error and a
//! closed connection, while everyone else keeps chatting.

use std::time::Duration;
use wren_proto::{ClientFrame, ErrorCode, Hello, ServerFrame, Version};
use wren_tests::raw::RawClient;
use wren_tests::{eventually, register, TestServer};

async fn fatal_then_closed(client: &mut RawClient) -> ErrorCode {
    let code = match client.next_frame().await {
        Some(ServerFrame::Fatal(body)) => body.code,
        other => panic!("expected a Fatal frame, got {other:?}"),
    };
    assert!(
        client.next_frame().await.is_none(),
        "the connection is closed"
    );
    code
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_peers_are_cut_off_and_good_ones_are_unaffected() {
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;

    let mut garbage = RawClient::connect(&server.url).await;
    garbage.send_bytes(vec![0xff; 64]).await;
    assert_eq!(
        fatal_then_closed(&mut garbage).await,
        ErrorCode::MalformedFrame
    );

    let mut future = RawClient::connect_bare(&server.url).await;
    future
        .send_frame(&ClientFrame::Hello(Hello {
            version: Version {
                major: 99,
                minor: 0,
            },
            client: "from the future".into(),
        }))
        .await;
    assert_eq!(
        fatal_then_closed(&mut future).await,
        ErrorCode::UnsupportedVersion
    );

    let mut huge = RawClient::connect(&server.url).await;
    huge.send_bytes(vec![1; wren_proto::codec::MAX_CLIENT_FRAME_BYTES + 1024])
        .await;
    let closed = tokio::time::timeout(Duration::from_secs(10), huge.next_frame()).await;
    match closed {
        Ok(None) | Ok(Some(ServerFrame::Fatal(_))) => {}
        other => panic!("an oversize frame must end the connection, got {other:?}"),
    }

    alice.send(chat, "still working", None).await.expect("send");
    eventually(
        &bob,
        Duration::from_secs(20),
        "bob still gets messages",
        || async {
            bob.history(chat, None, 5)
                .await
                .ok()?
                .into_iter()
                .find(|m| m.text == "still working")
        },
    )
    .await;
    server.stop().await;
}
