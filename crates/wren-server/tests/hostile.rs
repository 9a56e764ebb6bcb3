//! Hostile peers: each test applies one attack found in the hardening review with frames
//! written by hand, checks that the server refuses or absorbs it, and then checks that a
//! normal client (from another loopback address, so that per-IP limits on the attacker do
//! not apply to it) is still served. "Still served" means its requests are answered within
//! the suite's usual wait; these are not latency measurements (the load test is).

#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_code, expect_fatal, hello, raw, send_frame, Client, TestServer, WAIT};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;
use wren_proto::{
    ChatId, ClientMsgId, Difference, ErrorCode, GroupAdds, Hello, Privacy, Pts, Request, Response,
    Seq, ServerFrame, Update, PROTOCOL_VERSION,
};

/// Where the normal client connects from.
const BYSTANDER: [u8; 4] = [127, 0, 0, 9];

/// Registers a fresh account from [`BYSTANDER`] and has it send a message to itself in a
/// new group: the whole path (sign-in, a write, a push) still works.
async fn still_serves(server: &TestServer, name: &str) {
    let mut client = Client::register_from(server, BYSTANDER, name).await;
    let chat = client.group("notes", &[]).await;
    let seq = client.say(chat.id, 1, "still here").await;
    assert!(seq > Seq(1));
}

fn send(chat: ChatId, n: u64, text: &str) -> Request {
    Request::SendMessage {
        chat,
        client_msg_id: ClientMsgId(n),
        payload: text.as_bytes().to_vec(),
        reply_to: None,
    }
}

#[tokio::test]
async fn a_removed_member_learns_nothing_of_the_chat_after_the_removal() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let chat = alice.group("Plans", &[bob.id()]).await;
    let seen = alice.say(chat.id, 1, "meet at noon").await;
    let edited_before = alice.say(chat.id, 2, "bring snacks").await;
    alice
        .call(Request::EditMessage {
            chat: chat.id,
            seq: edited_before,
            payload: b"bring drinks".to_vec(),
        })
        .await
        .unwrap();
    alice
        .call(Request::RemoveMember {
            chat: chat.id,
            account: bob.id(),
        })
        .await
        .unwrap();
    // Everything below happens after bob is out.
    alice
        .call(Request::RenameChat {
            chat: chat.id,
            title: "Surprise for bob".into(),
        })
        .await
        .unwrap();
    for (seq, text) in [
        (seen, "meet at 3, bob must not know"),
        (edited_before, "no drinks"),
    ] {
        alice
            .call(Request::EditMessage {
                chat: chat.id,
                seq,
                payload: text.as_bytes().to_vec(),
            })
            .await
            .unwrap();
    }
    alice.say(chat.id, 3, "secret").await;

    let Ok(Response::Difference(Difference::Updates { updates, .. })) = bob
        .call(Request::GetDifference {
            since: Pts(0),
            limit: 1000,
        })
        .await
    else {
        panic!("bob gets his difference");
    };
    let mut removal = None;
    for envelope in &updates {
        match &envelope.update {
            Update::ChatJoined(info) => {
                assert_eq!(info.title, "Plans", "the title he knew");
                assert!(
                    info.members.is_empty(),
                    "no member list for a former member"
                );
                assert!(info.last_seq < Seq(10), "not the chat's length now");
            }
            Update::NewMessage(m) if m.seq == seen => assert_eq!(m.payload, b"meet at noon"),
            Update::NewMessage(m) if m.seq == edited_before => {
                assert_eq!(
                    m.payload, b"bring drinks",
                    "the edit he saw, not the later one"
                );
            }
            Update::NewMessage(m) => panic!("a message after his removal: {m:?}"),
            Update::MessageEdited { payload, .. } => assert_eq!(payload, b"bring drinks"),
            Update::MemberRemoved {
                account, log_seq, ..
            } if *account == bob.id() => {
                removal = Some(*log_seq);
            }
            Update::MemberRemoved { .. } | Update::MemberAdded { .. } => {}
            other => panic!("something of the chat bob may not learn: {other:?}"),
        }
    }
    let removal = removal.expect("the removal itself reaches him");
    for envelope in &updates {
        if let Update::ChatJoined(info) = &envelope.update {
            assert!(info.last_seq <= removal);
        }
    }
    assert_code(
        &bob.call(Request::GetHistory {
            chat: chat.id,
            before: None,
            limit: 50,
        })
        .await,
        ErrorCode::Forbidden,
    );
}

#[tokio::test]
async fn nobody_can_put_someone_into_a_group_who_said_nobody_may() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    assert_eq!(
        bob.call(Request::GetPrivacy).await,
        Ok(Response::Privacy(Privacy {
            group_adds: GroupAdds::Everybody,
            ..Privacy::default()
        }))
    );
    assert_eq!(
        bob.call(Request::SetGroupAdds {
            allowed: GroupAdds::Nobody
        })
        .await,
        Ok(Response::Privacy(Privacy {
            group_adds: GroupAdds::Nobody,
            ..Privacy::default()
        }))
    );
    let refused = alice
        .call(Request::CreateGroup {
            title: "spam".into(),
            members: vec![bob.id()],
        })
        .await;
    assert_code(&refused, ErrorCode::PrivacyRestricted);
    assert!(refused.unwrap_err().message.contains("@bob"));
    let chat = alice.group("fine", &[]).await;
    assert_code(
        &alice
            .call(Request::AddMember {
                chat: chat.id,
                account: bob.id(),
            })
            .await,
        ErrorCode::PrivacyRestricted,
    );
    let Ok(Response::Chats { chats, more: false }) =
        bob.call(Request::GetChats { after: None }).await
    else {
        panic!("bob's chats");
    };
    assert!(chats.is_empty(), "bob is in no group");
}

#[tokio::test]
async fn groups_and_new_contacts_are_bounded_per_account() {
    let server = TestServer::start_with(|c| {
        c.groups_per_hour = 2;
        c.reach_per_hour = 3;
    })
    .await;
    let mut mallory = Client::register(&server, "mallory").await;
    mallory.group("one", &[]).await;
    mallory.group("two", &[]).await;
    let third = mallory
        .call(Request::CreateGroup {
            title: "three".into(),
            members: vec![],
        })
        .await;
    assert_code(&third, ErrorCode::RateLimited);
    assert!(third.unwrap_err().retry_after_ms.is_some_and(|ms| ms > 0));
    for n in 0..3 {
        let lookup = mallory
            .call(Request::LookupUser {
                username: format!("victim{n}"),
            })
            .await;
        assert_code(&lookup, ErrorCode::NotFound);
    }
    assert_code(
        &mallory
            .call(Request::LookupUser {
                username: "victim9".into(),
            })
            .await,
        ErrorCode::RateLimited,
    );
    still_serves(&server, "bystander").await;
}

#[tokio::test]
async fn half_sent_http_requests_are_closed_and_count_toward_the_cap() {
    let server = TestServer::start_with(|c| {
        c.max_connections = 3;
        c.upgrade_timeout = Duration::from_millis(500);
    })
    .await;
    let mut half_sent = Vec::new();
    for _ in 0..3 {
        let mut tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        tcp.write_all(b"GET /ws HTTP/1.1\r\nHost: wren\r\n")
            .await
            .unwrap();
        half_sent.push(tcp);
    }
    // While they hold every slot, a real client is refused.
    match tokio_tungstenite::connect_async(server.url()).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 503);
        }
        other => panic!("expected HTTP 503 while the slots are held, got {other:?}"),
    }
    // The server closes each of them instead of waiting forever.
    for mut tcp in half_sent {
        let mut buf = [0u8; 256];
        let read = tokio::time::timeout(WAIT, tcp.read(&mut buf))
            .await
            .expect("the server closes a half-sent request");
        assert!(matches!(read, Ok(0) | Err(_)), "closed, not answered");
    }
    still_serves(&server, "bystander").await;
}

#[tokio::test]
async fn connections_from_one_address_are_capped() {
    let server = TestServer::start_with(|c| c.max_connections_per_ip = 4).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(raw(&server).await);
    }
    match tokio_tungstenite::connect_async(server.url()).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 503);
        }
        other => panic!("expected HTTP 503 beyond the per-IP cap, got {other:?}"),
    }
    still_serves(&server, "bystander").await;
    drop(held.pop());
    // The freed slot can be taken again once the server has noticed the close.
    let mut reconnected = None;
    for _ in 0..50 {
        if let Ok((ws, _)) = tokio_tungstenite::connect_async(server.url()).await {
            reconnected = Some(ws);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        reconnected.is_some(),
        "a closed connection gives its slot back"
    );
}

#[tokio::test]
async fn an_anonymous_connection_must_sign_in_in_time() {
    let server = TestServer::start_with(|c| c.sign_in_timeout = Duration::from_millis(300)).await;
    let mut idler = Client::connect(&server).await;
    // Pings keep a connection alive, but not a signed-out one past the deadline.
    for _ in 0..3 {
        assert_eq!(
            idler.call(Request::Ping).await,
            Ok(Response::Pong { pts: Pts(0) })
        );
    }
    assert_eq!(
        expect_fatal(&mut idler.ws).await.code,
        ErrorCode::Unauthorized
    );
    still_serves(&server, "bystander").await;
}

#[tokio::test]
async fn bogus_resumes_do_not_lock_out_a_valid_token_and_stay_bounded() {
    let server = TestServer::start_with(|c| {
        c.failed_resumes_per_minute = 30;
        c.auth_per_minute = 30;
    })
    .await;
    let alice = Client::register_from(&server, BYSTANDER, "alice").await;
    let token = alice.token();
    let mut mallory = Client::connect(&server).await;
    for n in 0..28 {
        let bogus = Request::Resume {
            token: format!("{n:064x}"),
        };
        assert_code(&mallory.call(bogus).await, ErrorCode::Unauthorized);
    }
    // The same address resumes a valid token: the bogus ones did not use its budget.
    let mut phone = Client::connect(&server).await;
    assert!(matches!(
        phone
            .call(Request::Resume {
                token: token.clone()
            })
            .await,
        Ok(Response::Resumed { .. })
    ));
    for _ in 0..2 {
        let bogus = Request::Resume {
            token: "f".repeat(64),
        };
        assert_code(&mallory.call(bogus).await, ErrorCode::Unauthorized);
    }
    let limited = mallory
        .call(Request::Resume {
            token: "e".repeat(64),
        })
        .await;
    assert_code(&limited, ErrorCode::RateLimited);
    assert!(limited.unwrap_err().retry_after_ms.is_some());
    // Password sign-ins have a budget of their own, untouched by the resumes.
    assert_code(
        &mallory
            .call(Request::Login {
                username: "alice".into(),
                password: "wrong password".into(),
                device_name: "x".into(),
            })
            .await,
        ErrorCode::Unauthorized,
    );
    still_serves(&server, "bystander").await;
}

#[tokio::test]
async fn a_message_flood_is_refused_with_a_retry_hint_and_spares_others() {
    let server = TestServer::start_with(|c| {
        c.messages_per_second = 1;
        c.message_burst = 10;
    })
    .await;
    let mut mallory = Client::register(&server, "mallory").await;
    let chat = mallory.group("flood", &[]).await;
    let mut refused = None;
    for n in 0..30 {
        match mallory.call(send(chat.id, n, "spam")).await {
            Ok(Response::Sent { .. }) => {}
            other => {
                refused = Some((n, other));
                break;
            }
        }
    }
    let (n, result) = refused.expect("the flood is cut");
    assert!(
        (10..=11).contains(&n),
        "the burst passes, the rest waits: {n}"
    );
    assert_code(&result, ErrorCode::RateLimited);
    assert!(result
        .unwrap_err()
        .retry_after_ms
        .is_some_and(|ms| ms <= 1000));
    still_serves(&server, "bystander").await;
}

#[tokio::test]
async fn typing_floods_are_dropped_and_never_push_out_updates() {
    let server = TestServer::start().await;
    let mut mallory = Client::register(&server, "mallory").await;
    let mut bob = Client::register(&server, "bob").await;
    let chat = mallory.group("typing", &[bob.id()]).await;
    let joined = bob.next_update().await;
    assert!(matches!(joined.update, Update::ChatJoined(_)));
    for _ in 0..200 {
        let typing = mallory.call(Request::SetTyping { chat: chat.id }).await;
        assert_eq!(typing, Ok(Response::Done), "dropped quietly, not refused");
    }
    let seq = mallory.say(chat.id, 1, "a real message").await;
    let update = bob.next_update().await;
    assert_eq!(update.pts, joined.pts.next(), "no update lost");
    assert!(matches!(update.update, Update::NewMessage(m) if m.seq == seq));
    // Collect whatever typing notices are still on their way.
    while let Ok(Some(frame)) =
        tokio::time::timeout(Duration::from_millis(300), common::recv_frame(&mut bob.ws)).await
    {
        match frame {
            ServerFrame::Typing(t) => bob.typing.push_back(t),
            other => panic!("unexpected frame {other:?}"),
        }
    }
    assert!(
        (1..=5).contains(&bob.typing.len()),
        "a burst of typing notices, not 200: {}",
        bob.typing.len()
    );
}

#[tokio::test]
async fn ids_beyond_what_the_store_holds_are_bad_requests_not_server_errors() {
    let server = TestServer::start().await;
    let mut mallory = Client::register(&server, "mallory").await;
    let chat = mallory.group("ids", &[]).await;
    let hostile = [
        Request::GetChat {
            chat: ChatId(u64::MAX),
        },
        Request::GetHistory {
            chat: chat.id,
            before: Some(Seq(1 << 63)),
            limit: 10,
        },
        Request::MarkRead {
            chat: chat.id,
            up_to: Seq(u64::MAX),
        },
        Request::GetDifference {
            since: Pts(u64::MAX),
            limit: 10,
        },
        Request::OpenDirect {
            peer: wren_proto::AccountId(u64::MAX),
        },
        Request::GetChats {
            after: Some(ChatId(u64::MAX)),
        },
    ];
    for request in hostile {
        let result = mallory.call(request.clone()).await;
        assert_code(&result, ErrorCode::BadRequest);
    }
    assert!(matches!(
        mallory.call(Request::GetChat { chat: chat.id }).await,
        Ok(Response::Chat(_))
    ));
}

#[tokio::test]
async fn a_hello_with_an_endless_client_name_is_refused() {
    let server = TestServer::start().await;
    let mut ws = raw(&server).await;
    let endless = wren_proto::ClientFrame::Hello(Hello {
        version: PROTOCOL_VERSION,
        client: "x".repeat(100_000),
    });
    send_frame(&mut ws, &endless).await;
    assert_eq!(expect_fatal(&mut ws).await.code, ErrorCode::MalformedFrame);
    let mut ok = raw(&server).await;
    send_frame(&mut ok, &hello(PROTOCOL_VERSION)).await;
    assert!(matches!(
        common::recv_frame(&mut ok).await,
        Some(ServerFrame::Welcome(_))
    ));
}

#[tokio::test]
async fn names_that_hide_or_reorder_text_are_refused() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    for title in ["pay\u{202E}gpj.exe", "ad\u{200B}min", "two\nlines"] {
        assert_code(
            &alice
                .call(Request::CreateGroup {
                    title: title.into(),
                    members: vec![],
                })
                .await,
            ErrorCode::BadRequest,
        );
    }
    let mut other = Client::connect(&server).await;
    assert_code(
        &other
            .call(Request::Register {
                username: "carol".into(),
                password: "password123".into(),
                device_name: "Carol\u{2067}s laptop".into(),
            })
            .await,
        ErrorCode::BadRequest,
    );
    let chat = alice.group("عائلة 👨\u{200D}👩\u{200D}👧", &[]).await;
    assert_eq!(chat.title, "عائلة 👨\u{200D}👩\u{200D}👧");
}

#[tokio::test]
async fn metrics_can_be_served_on_their_own_address_only() {
    let metrics_addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap()
    };
    let server = TestServer::start_with(|c| c.metrics_listen = Some(metrics_addr)).await;
    let get = |addr: std::net::SocketAddr, path: &'static str| async move {
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: wren\r\nConnection: close\r\n\r\n");
        tcp.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        tokio::time::timeout(WAIT, tcp.read_to_string(&mut response))
            .await
            .unwrap()
            .unwrap();
        response
    };
    assert!(get(server.addr, "/metrics")
        .await
        .starts_with("HTTP/1.1 404"));
    assert!(get(server.addr, "/healthz")
        .await
        .starts_with("HTTP/1.1 200"));
    let metrics = get(metrics_addr, "/metrics").await;
    assert!(metrics.starts_with("HTTP/1.1 200"));
    assert!(metrics.contains("wren_connections"));
}

#[tokio::test]
async fn a_hello_then_nothing_is_closed_but_others_are_not_held_up() {
    let server = TestServer::start_with(|c| c.handshake_timeout = Duration::from_millis(200)).await;
    let mut silent = Vec::new();
    for _ in 0..20 {
        silent.push(raw(&server).await);
    }
    still_serves(&server, "bystander").await;
    for mut ws in silent {
        assert_eq!(
            expect_fatal(&mut ws).await.code,
            ErrorCode::HandshakeRequired
        );
    }
}

#[tokio::test]
async fn a_revoked_device_stops_acting_at_once() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let chat = alice.group("mine", &[]).await;
    let mut phone = Client::connect(&server).await;
    let Ok(Response::Session(session)) = phone
        .call(Request::Login {
            username: "alice".into(),
            password: "password123".into(),
            device_name: "stolen phone".into(),
        })
        .await
    else {
        panic!("the phone signs in");
    };
    assert_eq!(
        alice
            .call(Request::RevokeDevice {
                device: session.device
            })
            .await,
        Ok(Response::Done)
    );
    // The thief's phone keeps sending after the revocation was decided.
    // (It may find the socket closed already; that is fine too.)
    for n in 0..50 {
        let frame = wren_proto::ClientFrame::Request(wren_proto::RequestFrame {
            id: wren_proto::RequestId(1000 + n),
            body: send(chat.id, 1000 + n, "sent by a revoked device"),
        });
        let bytes = wren_proto::encode(&frame).unwrap();
        if futures_util::SinkExt::send(&mut phone.ws, Message::Binary(bytes.into()))
            .await
            .is_err()
        {
            break;
        }
    }
    loop {
        match common::recv_frame(&mut phone.ws).await {
            Some(ServerFrame::Fatal(body)) => {
                assert_eq!(body.code, ErrorCode::Unauthorized);
                break;
            }
            Some(ServerFrame::Response { result, .. }) => {
                panic!("a request of a revoked device was answered: {result:?}")
            }
            Some(_) => {}
            None => break,
        }
    }
    let Ok(Response::History(history)) = alice
        .call(Request::GetHistory {
            chat: chat.id,
            before: None,
            limit: 100,
        })
        .await
    else {
        panic!("alice reads her chat");
    };
    assert!(
        history.is_empty(),
        "nothing the revoked phone sent was stored"
    );
}
