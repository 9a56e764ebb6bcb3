//! Call signals: the server forwards them, byte for byte and with the sender it
//! authenticated, to every other online device of the chat's members, keeps no copy,
//! and refuses them from outsiders and above the size limit.

mod common;

use common::{assert_code, Client, TestServer};
use std::time::Duration;
use wren_proto::rules::MAX_CALL_SIGNAL_BYTES;
use wren_proto::{ErrorCode, Request, Response};

#[tokio::test]
async fn signals_reach_the_other_devices_unchanged_and_only_members_send_them() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let mut outsider = Client::register(&server, "mallory").await;
    let opened = alice.direct(bob.id()).await;
    let chat = opened.id;
    let mut alice_other = Client::resume(&server, &alice.token()).await;
    let mut bob_other = Client::resume(&server, &bob.token()).await;

    let sealed: Vec<u8> = (0..=255u8).cycle().take(MAX_CALL_SIGNAL_BYTES).collect();
    let signal = Request::CallSignal {
        chat,
        epoch: 7,
        sealed: sealed.clone(),
    };
    assert_eq!(alice.call(signal).await, Ok(Response::Done));
    for receiver in [&mut bob, &mut bob_other] {
        let notice = receiver.next_call_signal().await;
        assert_eq!(notice.chat, chat);
        assert_eq!(notice.account, alice.id());
        assert_eq!(notice.epoch, 7);
        assert_eq!(notice.sealed, sealed, "forwarded as received");
    }
    // Not echoed to the sending device: `alice_other` resumed alice's token, so it is the
    // same device on another connection.
    let quiet = tokio::time::timeout(Duration::from_millis(300), alice_other.next_call_signal());
    assert!(quiet.await.is_err(), "not echoed to the sending device");

    // Outsiders, empty and oversize signals are refused.
    let refused = outsider
        .call(Request::CallSignal {
            chat,
            epoch: 7,
            sealed: vec![1; 16],
        })
        .await;
    assert_code(&refused, ErrorCode::Forbidden);
    for size in [0, MAX_CALL_SIGNAL_BYTES + 1] {
        let refused = alice
            .call(Request::CallSignal {
                chat,
                epoch: 7,
                sealed: vec![1; size],
            })
            .await;
        assert_code(&refused, ErrorCode::BadRequest);
    }
    // Nothing of a signal is stored: the chat's log did not move.
    match bob.call(Request::GetChat { chat }).await {
        Ok(Response::Chat(info)) => assert_eq!(info.last_seq, opened.last_seq, "{info:?}"),
        other => panic!("chat: {other:?}"),
    }
}
