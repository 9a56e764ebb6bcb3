//! The authorization matrix: nobody reaches what is not theirs.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use wren_proto::{
    AccountId, ChatId, ClientMsgId, ErrorCode, Pts, Request, Response, Role, Seq, Update,
};

/// Every chat-scoped request, aimed at `chat`, touching `seq` and `account`.
fn chat_requests(chat: ChatId, seq: Seq, account: AccountId) -> Vec<(&'static str, Request)> {
    vec![
        ("get_chat", Request::GetChat { chat }),
        (
            "get_history",
            Request::GetHistory {
                chat,
                before: None,
                limit: 10,
            },
        ),
        (
            "send_message",
            Request::SendMessage {
                chat,
                client_msg_id: ClientMsgId(777),
                payload: b"sneaky".to_vec(),
                reply_to: None,
            },
        ),
        (
            "edit_message",
            Request::EditMessage {
                chat,
                seq,
                payload: b"sneaky".to_vec(),
            },
        ),
        ("delete_message", Request::DeleteMessage { chat, seq }),
        ("add_member", Request::AddMember { chat, account }),
        ("remove_member", Request::RemoveMember { chat, account }),
        (
            "rename_chat",
            Request::RenameChat {
                chat,
                title: "mine now".into(),
            },
        ),
        ("mark_read", Request::MarkRead { chat, up_to: seq }),
        ("set_typing", Request::SetTyping { chat }),
        ("leave_chat", Request::LeaveChat { chat }),
    ]
}

#[tokio::test]
async fn outsiders_are_forbidden_everything_in_a_chat_existing_or_not() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let bob = Client::register(&server, "bob").await;
    let mut carol = Client::register(&server, "carol").await;
    let group = alice.group("secret", &[bob.id()]).await;
    let seq = alice.say(group.id, 1, "for members only").await;
    let direct = alice.direct(bob.id()).await;

    for chat in [group.id, direct.id, ChatId(987_654)] {
        for (name, request) in chat_requests(chat, seq, carol.id()) {
            let result = carol.call(request).await;
            assert!(
                matches!(&result, Err(e) if e.code == ErrorCode::Forbidden),
                "{name} on chat {chat}: {result:?}"
            );
        }
    }
    assert_eq!(
        carol.call(Request::GetChats { after: None }).await,
        Ok(Response::Chats {
            chats: vec![],
            more: false
        })
    );
    assert_eq!(
        carol.call(Request::Ping).await,
        Ok(Response::Pong { pts: Pts(0) })
    );
    assert!(carol.updates.is_empty(), "{:?}", carol.updates);
}

#[tokio::test]
async fn members_need_admin_rights_and_ownership() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let carol = Client::register(&server, "carol").await;
    let group = alice.group("team", &[bob.id()]).await;
    let alices = alice.say(group.id, 1, "from alice").await;
    let bobs = bob.say(group.id, 1, "from bob").await;

    let forbidden = [
        (
            "add",
            Request::AddMember {
                chat: group.id,
                account: carol.id(),
            },
        ),
        (
            "remove",
            Request::RemoveMember {
                chat: group.id,
                account: alice.id(),
            },
        ),
        (
            "rename",
            Request::RenameChat {
                chat: group.id,
                title: "bob's".into(),
            },
        ),
        (
            "edit other's",
            Request::EditMessage {
                chat: group.id,
                seq: alices,
                payload: b"x".to_vec(),
            },
        ),
        (
            "delete other's",
            Request::DeleteMessage {
                chat: group.id,
                seq: alices,
            },
        ),
    ];
    for (name, request) in forbidden {
        let result = bob.call(request).await;
        assert!(
            matches!(&result, Err(e) if e.code == ErrorCode::Forbidden),
            "{name}: {result:?}"
        );
    }
    // The admin may not edit someone else's message either, but may delete it.
    let edit = alice
        .call(Request::EditMessage {
            chat: group.id,
            seq: bobs,
            payload: b"x".to_vec(),
        })
        .await;
    assert_code(&edit, ErrorCode::Forbidden);
    let delete = alice
        .call(Request::DeleteMessage {
            chat: group.id,
            seq: bobs,
        })
        .await;
    assert_eq!(delete, Ok(Response::Done));
    let again = alice
        .call(Request::DeleteMessage {
            chat: group.id,
            seq: bobs,
        })
        .await;
    assert_eq!(again, Ok(Response::Done), "deleting twice is fine");
    let edit_deleted = bob
        .call(Request::EditMessage {
            chat: group.id,
            seq: bobs,
            payload: b"x".to_vec(),
        })
        .await;
    assert_code(&edit_deleted, ErrorCode::NotFound);
}

#[tokio::test]
async fn direct_chats_have_no_membership_changes() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let bob = Client::register(&server, "bob").await;
    let carol = Client::register(&server, "carol").await;
    let direct = alice.direct(bob.id()).await;
    for request in [
        Request::AddMember {
            chat: direct.id,
            account: carol.id(),
        },
        Request::RemoveMember {
            chat: direct.id,
            account: bob.id(),
        },
        Request::RenameChat {
            chat: direct.id,
            title: "x".into(),
        },
        Request::LeaveChat { chat: direct.id },
    ] {
        assert_code(&alice.call(request).await, ErrorCode::BadRequest);
    }
    assert_code(
        &alice.call(Request::OpenDirect { peer: alice.id() }).await,
        ErrorCode::BadRequest,
    );
    assert_code(
        &alice
            .call(Request::OpenDirect {
                peer: AccountId(999),
            })
            .await,
        ErrorCode::NotFound,
    );
}

#[tokio::test]
async fn a_removed_member_loses_access_at_once() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let group = alice.group("team", &[bob.id()]).await;
    bob.next_update().await; // ChatJoined
    let removed = alice
        .call(Request::RemoveMember {
            chat: group.id,
            account: bob.id(),
        })
        .await;
    assert_eq!(removed, Ok(Response::Done));
    match bob.next_update().await.update {
        Update::MemberRemoved { chat, account, .. } => {
            assert_eq!((chat, account), (group.id, bob.id()));
        }
        other => panic!("expected MemberRemoved, got {other:?}"),
    }
    let history = bob
        .call(Request::GetHistory {
            chat: group.id,
            before: None,
            limit: 10,
        })
        .await;
    assert_code(&history, ErrorCode::Forbidden);
    alice.say(group.id, 1, "bob is gone").await;
    assert_eq!(
        bob.call(Request::Ping).await,
        Ok(Response::Pong { pts: Pts(2) })
    );
}

#[tokio::test]
async fn revoking_a_device_signs_it_out_everywhere() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut laptop = Client::connect(&server).await;
    let laptop_session = match laptop
        .call(Request::Login {
            username: "alice".into(),
            password: "password123".into(),
            device_name: "laptop".into(),
        })
        .await
    {
        Ok(Response::Session(s)) => s,
        other => panic!("login: {other:?}"),
    };
    let mut mallory = Client::register(&server, "mallory").await;
    let steal = mallory
        .call(Request::RevokeDevice {
            device: laptop_session.device,
        })
        .await;
    assert_code(&steal, ErrorCode::Forbidden);

    let revoked = alice
        .call(Request::RevokeDevice {
            device: laptop_session.device,
        })
        .await;
    assert_eq!(revoked, Ok(Response::Done));
    let fatal = expect_fatal(&mut laptop.ws).await;
    assert_eq!(fatal.code, ErrorCode::Unauthorized);
    assert_eq!(fatal.message, "this device was signed out");

    let mut retry = Client::connect(&server).await;
    let resumed = retry
        .call(Request::Resume {
            token: laptop_session.token,
        })
        .await;
    assert_code(&resumed, ErrorCode::Unauthorized);
    match alice.call(Request::ListDevices).await {
        Ok(Response::Devices(devices)) => assert_eq!(devices.len(), 1),
        other => panic!("devices: {other:?}"),
    }
}

#[tokio::test]
async fn logout_signs_this_connection_out_and_kills_the_token() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let token = alice.token();
    let mut phone = Client::connect(&server).await;
    phone
        .call(Request::Resume {
            token: token.clone(),
        })
        .await
        .unwrap();

    assert_eq!(alice.call(Request::Logout).await, Ok(Response::Done));
    assert_eq!(
        expect_fatal(&mut phone.ws).await.code,
        ErrorCode::Unauthorized
    );
    assert_code(
        &alice.call(Request::GetChats { after: None }).await,
        ErrorCode::Unauthorized,
    );
    assert_code(
        &alice.call(Request::Resume { token }).await,
        ErrorCode::Unauthorized,
    );
}

#[tokio::test]
async fn when_the_last_admin_leaves_the_most_senior_member_takes_over() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let carol = Client::register(&server, "carol").await;
    let group = alice.group("team", &[bob.id(), carol.id()]).await;
    assert_eq!(
        alice.call(Request::LeaveChat { chat: group.id }).await,
        Ok(Response::Done)
    );
    match bob.call(Request::GetChat { chat: group.id }).await {
        Ok(Response::Chat(info)) => {
            let roles: Vec<_> = info
                .members
                .iter()
                .map(|m| (m.account.id, m.role))
                .collect();
            assert_eq!(
                roles,
                vec![(bob.id(), Role::Admin), (carol.id(), Role::Member)]
            );
        }
        other => panic!("get chat: {other:?}"),
    }
    let renamed = bob
        .call(Request::RenameChat {
            chat: group.id,
            title: "bob's team".into(),
        })
        .await;
    assert_eq!(renamed, Ok(Response::Done));
}
