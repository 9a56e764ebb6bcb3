//! The connection protocol over a real socket: handshake, framing errors, sign-in, push.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use futures_util::SinkExt;
use std::collections::HashSet;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;
use wren_proto::codec::MAX_CLIENT_FRAME_BYTES;
use wren_proto::{
    ClientFrame, ErrorCode, Pts, Request, RequestFrame, RequestId, Response, ServerFrame, Update,
    Version, PROTOCOL_VERSION,
};

#[tokio::test]
async fn handshake_then_every_request_id_is_echoed() {
    let server = TestServer::start().await;
    let mut client = Client::connect(&server).await;
    let mut ids = HashSet::new();
    for n in [7u64, 8, 1_000_000] {
        let frame = ClientFrame::Request(RequestFrame {
            id: RequestId(n),
            body: Request::Ping,
        });
        send_frame(&mut client.ws, &frame).await;
        ids.insert(RequestId(n));
    }
    for _ in 0..3 {
        match recv_frame(&mut client.ws).await {
            Some(ServerFrame::Response { id, result }) => {
                assert!(ids.remove(&id), "unexpected id {id:?}");
                assert_eq!(result, Ok(Response::Pong { pts: Pts(0) }));
            }
            other => panic!("expected a response, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_different_major_version_is_refused_and_closed() {
    let server = TestServer::start().await;
    let mut ws = raw(&server).await;
    let other = PROTOCOL_VERSION.major + 1;
    send_frame(
        &mut ws,
        &hello(Version {
            major: other,
            minor: 0,
        }),
    )
    .await;
    let fatal = expect_fatal(&mut ws).await;
    assert_eq!(fatal.code, ErrorCode::UnsupportedVersion);
    assert_eq!(
        fatal.message,
        format!(
            "server speaks {}.x, client {other}.x",
            PROTOCOL_VERSION.major
        )
    );
}

#[tokio::test]
async fn a_request_before_hello_is_refused_and_closed() {
    let server = TestServer::start().await;
    let mut ws = raw(&server).await;
    let frame = ClientFrame::Request(RequestFrame {
        id: RequestId(1),
        body: Request::Ping,
    });
    send_frame(&mut ws, &frame).await;
    assert_eq!(
        expect_fatal(&mut ws).await.code,
        ErrorCode::HandshakeRequired
    );
}

#[tokio::test]
async fn malformed_frames_close_only_their_own_connection() {
    let server = TestServer::start().await;
    let mut bystander = Client::connect(&server).await;
    let mut bad = Client::connect(&server).await;
    bad.ws
        .send(Message::Binary(vec![1, 0xff, 0xff, 0xff].into()))
        .await
        .unwrap();
    assert_eq!(
        expect_fatal(&mut bad.ws).await.code,
        ErrorCode::MalformedFrame
    );

    let mut text = Client::connect(&server).await;
    text.ws.send(Message::Text("hello".into())).await.unwrap();
    assert_eq!(
        expect_fatal(&mut text.ws).await.code,
        ErrorCode::MalformedFrame
    );

    assert_eq!(
        bystander.call(Request::Ping).await,
        Ok(Response::Pong { pts: Pts(0) })
    );
}

#[tokio::test]
async fn oversize_frames_are_refused_while_others_keep_working() {
    let server = TestServer::start().await;
    let mut bystander = Client::connect(&server).await;

    let mut big = Client::connect(&server).await;
    let frame = vec![0u8; MAX_CLIENT_FRAME_BYTES + 1];
    big.ws.send(Message::Binary(frame.into())).await.unwrap();
    assert_eq!(expect_fatal(&mut big.ws).await.code, ErrorCode::TooLarge);

    let mut huge = Client::connect(&server).await;
    let frame = vec![0u8; 4 * MAX_CLIENT_FRAME_BYTES];
    // The server may close while the frame is still being written.
    if huge.ws.send(Message::Binary(frame.into())).await.is_ok() {
        if let Some(frame) = recv_frame(&mut huge.ws).await {
            match frame {
                ServerFrame::Fatal(body) => assert_eq!(body.code, ErrorCode::TooLarge),
                other => panic!("expected Fatal, got {other:?}"),
            }
        }
    }

    assert_eq!(
        bystander.call(Request::Ping).await,
        Ok(Response::Pong { pts: Pts(0) })
    );
}

#[tokio::test]
async fn only_sign_in_and_ping_work_before_sign_in() {
    let server = TestServer::start().await;
    let mut client = Client::connect(&server).await;
    for request in [
        Request::GetChats { after: None },
        Request::ListDevices,
        Request::Logout,
        Request::GetDifference {
            since: Pts(0),
            limit: 10,
        },
    ] {
        assert_code(&client.call(request).await, ErrorCode::Unauthorized);
    }
}

#[tokio::test]
async fn register_login_resume_and_devices() {
    let server = TestServer::start().await;
    let alice = Client::register(&server, "@Alice").await;
    assert_eq!(alice.session.as_ref().unwrap().account.username, "alice");

    let mut other = Client::connect(&server).await;
    let taken = other
        .call(Request::Register {
            username: "ALICE".into(),
            password: "password123".into(),
            device_name: "x".into(),
        })
        .await;
    assert_code(&taken, ErrorCode::Conflict);
    let bad_name = other
        .call(Request::Register {
            username: "1xyz".into(),
            password: "password123".into(),
            device_name: "x".into(),
        })
        .await;
    assert_code(&bad_name, ErrorCode::BadRequest);
    assert!(bad_name
        .unwrap_err()
        .message
        .contains("starts with a letter"));

    let login = |username: &str, password: &str| Request::Login {
        username: username.into(),
        password: password.into(),
        device_name: "laptop".into(),
    };
    let wrong_password = other.call(login("alice", "not the password")).await;
    let unknown_user = other.call(login("nobody", "password123")).await;
    assert_code(&wrong_password, ErrorCode::Unauthorized);
    assert_eq!(wrong_password, unknown_user, "same answer for both");

    let laptop = match other.call(login("alice", "password123")).await {
        Ok(Response::Session(s)) => s,
        other => panic!("login: {other:?}"),
    };
    assert_eq!(laptop.account, alice.session.as_ref().unwrap().account);
    assert_ne!(laptop.device, alice.session.as_ref().unwrap().device);

    let mut third = Client::connect(&server).await;
    match third
        .call(Request::Resume {
            token: laptop.token.clone(),
        })
        .await
    {
        Ok(Response::Resumed {
            account, device, ..
        }) => {
            assert_eq!(account, laptop.account);
            assert_eq!(device, laptop.device);
        }
        other => panic!("resume: {other:?}"),
    }
    match third.call(Request::ListDevices).await {
        Ok(Response::Devices(devices)) => {
            assert_eq!(devices.len(), 2);
            let current: Vec<_> = devices.iter().filter(|d| d.current).collect();
            assert_eq!(current.len(), 1);
            assert_eq!(current[0].id, laptop.device);
            assert_eq!(current[0].name, "laptop");
        }
        other => panic!("devices: {other:?}"),
    }
    let mut stranger = Client::connect(&server).await;
    let bogus = stranger
        .call(Request::Resume {
            token: "00".repeat(32),
        })
        .await;
    assert_code(&bogus, ErrorCode::Unauthorized);
}

#[tokio::test]
async fn a_message_is_pushed_to_every_device_of_every_member() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let mut alice_phone = Client::connect(&server).await;
    alice_phone
        .call(Request::Resume {
            token: alice.token(),
        })
        .await
        .unwrap();

    let chat = alice.direct(bob.id()).await;
    assert_eq!(chat.members.len(), 2);
    for client in [&mut alice, &mut bob, &mut alice_phone] {
        let joined = client.next_update().await;
        assert_eq!(joined.pts, Pts(1));
        assert!(matches!(joined.update, Update::ChatJoined(ref c) if c.id == chat.id));
    }
    assert_eq!(
        alice.direct(bob.id()).await.id,
        chat.id,
        "one chat per pair"
    );
    assert_eq!(bob.direct(alice.id()).await.id, chat.id);

    let seq = alice.say(chat.id, 1, "hi bob").await;
    let alice_id = alice.id();
    for client in [&mut alice, &mut bob, &mut alice_phone] {
        let pushed = client.next_update().await;
        assert_eq!(pushed.pts, Pts(2));
        match pushed.update {
            Update::NewMessage(m) => {
                assert_eq!((m.seq, m.payload.as_slice()), (seq, &b"hi bob"[..]));
                assert_eq!(m.sender, alice_id);
            }
            other => panic!("expected NewMessage, got {other:?}"),
        }
    }
    assert_eq!(
        bob.call(Request::Ping).await,
        Ok(Response::Pong { pts: Pts(2) })
    );

    let second = bob.say(chat.id, 1, "hi alice").await;
    assert_eq!(second, seq.next());
    match bob
        .call(Request::GetHistory {
            chat: chat.id,
            before: None,
            limit: 50,
        })
        .await
    {
        Ok(Response::History(page)) => {
            let texts: Vec<_> = page.iter().map(|m| m.payload.clone()).collect();
            assert_eq!(texts, vec![b"hi alice".to_vec(), b"hi bob".to_vec()]);
        }
        other => panic!("history: {other:?}"),
    }
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_ip() {
    let server = TestServer::start_with(|c| c.auth_per_minute = 2).await;
    let mut client = Client::connect(&server).await;
    let attempt = Request::Login {
        username: "nobody".into(),
        password: "password123".into(),
        device_name: "x".into(),
    };
    assert_code(&client.call(attempt.clone()).await, ErrorCode::Unauthorized);
    assert_code(&client.call(attempt.clone()).await, ErrorCode::Unauthorized);
    let limited = client.call(attempt).await;
    assert_code(&limited, ErrorCode::RateLimited);
    assert!(limited.unwrap_err().retry_after_ms.is_some_and(|ms| ms > 0));
}

#[tokio::test]
async fn wrong_passwords_for_one_account_lock_its_logins_from_any_connection() {
    let server = TestServer::start_with(|c| c.failed_logins_per_account = 3).await;
    let _alice = Client::register(&server, "alice").await;
    let _bob = Client::register(&server, "bob").await;
    let login = |username: &str, password: &str| Request::Login {
        username: username.into(),
        password: password.into(),
        device_name: "x".into(),
    };
    // Three guesses, each from a fresh connection (as from many IPs).
    for guess in ["guess-one-1", "guess-two-2", "guess-three-3"] {
        let mut attacker = Client::connect(&server).await;
        assert_code(
            &attacker.call(login("alice", guess)).await,
            ErrorCode::Unauthorized,
        );
    }
    // Now even the right password waits; the answer says for how long.
    let mut owner = Client::connect(&server).await;
    let locked = owner.call(login("Alice", "password123")).await;
    assert_code(&locked, ErrorCode::RateLimited);
    assert!(locked
        .unwrap_err()
        .retry_after_ms
        .is_some_and(|ms| ms > 0 && ms <= 15 * 60 * 1000));
    // Other accounts are not affected.
    let mut other = Client::connect(&server).await;
    assert!(other.call(login("bob", "password123")).await.is_ok());
}

#[tokio::test]
async fn a_connection_that_never_says_hello_gets_a_clear_error_and_is_closed() {
    let server = TestServer::start_with(|c| c.handshake_timeout = Duration::from_millis(200)).await;
    let mut silent = raw(&server).await;
    let fatal = expect_fatal(&mut silent).await;
    assert_eq!(fatal.code, ErrorCode::HandshakeRequired);
    assert!(fatal.message.contains("Hello"), "{}", fatal.message);
    let mut other = Client::register(&server, "alice").await;
    assert!(
        other.call(Request::Ping).await.is_ok(),
        "others are unaffected"
    );
}

#[tokio::test]
async fn a_silent_peer_is_disconnected_while_an_active_one_stays() {
    let server = TestServer::start_with(|c| c.idle_timeout = Duration::from_millis(300)).await;
    let mut silent = Client::register(&server, "alice").await;
    let mut active = Client::register(&server, "bob").await;
    for _ in 0..10 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(active.call(Request::Ping).await.is_ok());
    }
    assert!(
        recv_frame(&mut silent.ws).await.is_none(),
        "the silent connection was closed"
    );
    assert!(
        active.call(Request::Ping).await.is_ok(),
        "the active one stays"
    );
}

#[tokio::test]
async fn shutdown_closes_connections_and_restart_keeps_everything() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let bob = Client::register(&server, "bob").await;
    let chat = alice.direct(bob.id()).await;
    let seq = alice.say(chat.id, 42, "before restart").await;
    let token = alice.token();

    let mut silent = raw(&server).await;
    let stopping = tokio::spawn(server.stop());
    assert_eq!(
        expect_fatal(&mut alice.ws).await.code,
        ErrorCode::ShuttingDown
    );
    let dir = stopping.await.unwrap();
    assert!(
        recv_frame(&mut silent).await.is_none(),
        "a connection that never said Hello is closed too"
    );

    let server = TestServer::start_in(dir, |_| {}).await;
    let mut again = Client::connect(&server).await;
    match again.call(Request::Resume { token }).await {
        Ok(Response::Resumed { pts, .. }) => assert_eq!(pts, Pts(2)),
        other => panic!("resume after restart: {other:?}"),
    }
    let resend = again
        .call(Request::SendMessage {
            chat: chat.id,
            client_msg_id: wren_proto::ClientMsgId(42),
            payload: b"before restart".to_vec(),
            reply_to: None,
        })
        .await;
    assert!(matches!(resend, Ok(Response::Sent { seq: s, .. }) if s == seq));
}

/// A plain HTTP GET over a raw socket; returns the whole response.
async fn http_get(server: &TestServer, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

#[tokio::test]
async fn health_and_metrics_over_http() {
    let server = TestServer::start().await;
    let health = http_get(&server, "/healthz").await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(
        health.ends_with("\r\n\r\nok\ndatabase: ok\nnats: not configured\n"),
        "{health}"
    );

    let mut alice = Client::register(&server, "alice").await;
    let bob = Client::register(&server, "bob").await;
    let chat = alice.direct(bob.id()).await;
    alice.say(chat.id, 1, "counted").await;
    let metrics = http_get(&server, "/metrics").await;
    assert!(metrics.contains("wren_connections 2"), "{metrics}");
    assert!(
        metrics.contains("wren_requests_total{type=\"send_message\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("wren_messages_stored_total 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("wren_request_duration_seconds_bucket{"),
        "{metrics}"
    );
}

#[tokio::test]
async fn typing_reaches_the_other_members_only() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let chat = alice.group("team", &[bob.id()]).await;
    assert_eq!(
        alice.call(Request::SetTyping { chat: chat.id }).await,
        Ok(Response::Done)
    );
    let notice = bob.next_typing().await;
    assert_eq!((notice.chat, notice.account.id), (chat.id, alice.id()));
    // A ping is answered after anything already queued, so alice got no notice of her own.
    alice.call(Request::Ping).await.unwrap();
    assert!(alice.typing.is_empty());
}

#[tokio::test]
async fn versions_with_the_same_major_are_welcome() {
    let server = TestServer::start().await;
    let mut ws = raw(&server).await;
    let newer = Version {
        major: PROTOCOL_VERSION.major,
        minor: PROTOCOL_VERSION.minor + 5,
    };
    send_frame(&mut ws, &hello(newer)).await;
    match recv_frame(&mut ws).await {
        Some(ServerFrame::Welcome(w)) => {
            assert_eq!(w.version, PROTOCOL_VERSION);
            assert!(w.server.starts_with("wren-server/"));
            assert_eq!(w.max_frame_bytes as usize, MAX_CLIENT_FRAME_BYTES);
        }
        other => panic!("expected Welcome, got {other:?}"),
    }
}

#[tokio::test]
async fn connections_beyond_the_cap_are_refused_with_503() {
    let server = TestServer::start_with(|c| c.max_connections = 1).await;
    let mut first = Client::connect(&server).await;
    match tokio_tungstenite::connect_async(server.url()).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 503);
        }
        other => panic!("expected HTTP 503, got {other:?}"),
    }
    assert_eq!(
        first.call(Request::Ping).await,
        Ok(Response::Pong { pts: Pts(0) })
    );
}

#[tokio::test]
async fn pipelined_sends_keep_their_order_and_pushes_arrive_gap_free() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let mut carol = Client::register(&server, "carol").await;
    let chat = alice.group("busy", &[bob.id(), carol.id()]).await;
    const N: u64 = 200;
    let send = |n: u64| Request::SendMessage {
        chat: chat.id,
        client_msg_id: wren_proto::ClientMsgId(n),
        payload: n.to_be_bytes().to_vec(),
        reply_to: None,
    };
    let (alice_ids, bob_ids) = tokio::join!(
        async {
            let mut ids = Vec::new();
            for n in 0..N {
                ids.push(alice.send(send(n)).await);
            }
            ids
        },
        async {
            let mut ids = Vec::new();
            for n in 0..N {
                ids.push(bob.send(send(n)).await);
            }
            ids
        }
    );
    let mut alice_seqs = Vec::new();
    for id in alice_ids {
        match alice.response(id).await {
            Ok(Response::Sent { seq, .. }) => alice_seqs.push(seq),
            other => panic!("send: {other:?}"),
        }
    }
    for id in bob_ids {
        assert!(matches!(bob.response(id).await, Ok(Response::Sent { .. })));
    }
    assert!(
        alice_seqs.windows(2).all(|w| w[0] < w[1]),
        "one connection's sends are stored in the order they were sent"
    );

    let joined = carol.next_update().await;
    assert_eq!(joined.pts, Pts(1));
    let mut next = [0u64; 2];
    for expected in 2..=(2 * N + 1) {
        let update = carol.next_update().await;
        assert_eq!(update.pts, Pts(expected), "pushes arrive in pts order");
        let Update::NewMessage(m) = update.update else {
            panic!("expected a message");
        };
        let who = usize::from(m.sender == bob.id());
        assert_eq!(
            m.client_msg_id.0, next[who],
            "each sender's messages in order"
        );
        next[who] += 1;
    }
}
