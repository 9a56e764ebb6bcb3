//! Sync semantics: idempotent sends, read marks, and differences that match live pushes.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use std::collections::BTreeMap;
use wren_proto::{
    AccountId, ChatId, ClientMsgId, Difference, ErrorCode, Pts, Request, Response, Role, Seq,
    Update, UpdateEnvelope,
};

/// Fetches one difference page.
async fn difference(client: &mut Client, since: u64, limit: u32) -> Difference {
    match client
        .call(Request::GetDifference {
            since: Pts(since),
            limit,
        })
        .await
    {
        Ok(Response::Difference(d)) => d,
        other => panic!("difference: {other:?}"),
    }
}

/// What a client would show after applying updates in order.
#[derive(Debug, Default, PartialEq)]
struct View {
    titles: BTreeMap<ChatId, String>,
    members: BTreeMap<ChatId, Vec<AccountId>>,
    roles: BTreeMap<(ChatId, AccountId), Role>,
    messages: BTreeMap<(ChatId, Seq), (Vec<u8>, bool)>,
    read: BTreeMap<(ChatId, AccountId), Seq>,
    last_pts: u64,
}

impl View {
    fn apply(&mut self, envelope: &UpdateEnvelope) {
        assert_eq!(envelope.pts.0, self.last_pts + 1, "updates arrive gap-free");
        self.last_pts = envelope.pts.0;
        match &envelope.update {
            Update::NewMessage(m) => {
                self.messages
                    .insert((m.chat, m.seq), (m.payload.clone(), m.deleted));
            }
            Update::MessageEdited {
                chat, seq, payload, ..
            } => {
                let entry = self.messages.get_mut(&(*chat, *seq)).unwrap();
                if !entry.1 {
                    entry.0 = payload.clone();
                }
            }
            Update::MessageDeleted { chat, seq, .. } => {
                self.messages.insert((*chat, *seq), (Vec::new(), true));
            }
            Update::ChatJoined(info) => {
                self.titles.insert(info.id, info.title.clone());
                self.members
                    .insert(info.id, info.members.iter().map(|m| m.account.id).collect());
                for member in &info.members {
                    self.roles.insert((info.id, member.account.id), member.role);
                }
            }
            Update::MemberAdded { chat, member, .. } => {
                let members = self.members.get_mut(chat).unwrap();
                if !members.contains(&member.account.id) {
                    members.push(member.account.id);
                }
                self.roles.insert((*chat, member.account.id), member.role);
            }
            Update::MemberRemoved { chat, account, .. } => {
                self.members.get_mut(chat).unwrap().retain(|m| m != account);
                self.roles.remove(&(*chat, *account));
            }
            Update::ChatRenamed { chat, title, .. } => {
                self.titles.insert(*chat, title.clone());
            }
            Update::RoleChanged {
                chat,
                account,
                role,
                ..
            } => {
                self.roles.insert((*chat, *account), *role);
            }
            Update::ReadMark {
                chat,
                account,
                up_to,
            } => {
                self.read.insert((*chat, *account), *up_to);
            }
            Update::MlsCommit { .. } | Update::MlsWelcome { .. } | Update::TitleSealed { .. } => {
                panic!("this test makes no MLS handshakes")
            }
            Update::ChatPinned { .. } => panic!("this test pins no chats"),
            Update::ProfileChanged { .. } => panic!("this test changes no profiles"),
            Update::ChatSettingsChanged(_) | Update::FoldersChanged(_) => {
                panic!("this test changes no chat settings or folders")
            }
        }
    }
}

#[tokio::test]
async fn the_difference_ends_in_the_same_state_as_live_pushes() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let carol = Client::register(&server, "carol").await;
    let group = alice.group("plans", &[bob.id()]).await;
    let first = alice.say(group.id, 1, "draft").await;
    let second = bob.say(group.id, 1, "reply").await;
    let third = alice.say(group.id, 2, "to be deleted").await;
    for request in [
        Request::EditMessage {
            chat: group.id,
            seq: first,
            payload: b"final".to_vec(),
        },
        Request::DeleteMessage {
            chat: group.id,
            seq: third,
        },
        Request::RenameChat {
            chat: group.id,
            title: "real plans".into(),
        },
        Request::AddMember {
            chat: group.id,
            account: carol.id(),
        },
        Request::MarkRead {
            chat: group.id,
            up_to: second,
        },
    ] {
        assert_eq!(alice.call(request).await, Ok(Response::Done));
    }
    assert_eq!(
        bob.call(Request::EditMessage {
            chat: group.id,
            seq: second,
            payload: b"edited".to_vec()
        })
        .await,
        Ok(Response::Done)
    );
    // The only admin leaves: the earliest remaining member is promoted, and told so.
    assert_eq!(
        alice.call(Request::LeaveChat { chat: group.id }).await,
        Ok(Response::Done)
    );
    let current = match bob.call(Request::Ping).await {
        Ok(Response::Pong { pts }) => pts,
        other => panic!("ping: {other:?}"),
    };

    let mut live = View::default();
    while live.last_pts < current.0 {
        let update = bob.next_update().await;
        live.apply(&update);
    }
    let mut replayed = View::default();
    match difference(&mut bob, 0, 1000).await {
        Difference::Updates {
            updates,
            current: c,
        } => {
            assert_eq!(c, current);
            for u in &updates {
                replayed.apply(u);
            }
        }
        other => panic!("difference: {other:?}"),
    }
    assert_eq!(replayed, live);
    assert_eq!(live.titles[&group.id], "real plans");
    assert_eq!(
        live.messages[&(group.id, first)],
        (b"final".to_vec(), false)
    );
    assert_eq!(live.messages[&(group.id, third)], (Vec::new(), true));
    assert_eq!(live.members[&group.id], vec![bob.id(), carol.id()]);
    assert_eq!(live.roles[&(group.id, bob.id())], Role::Admin);
    assert_eq!(live.roles[&(group.id, carol.id())], Role::Member);
    assert_eq!(live.read[&(group.id, alice.id())], second);
}

#[tokio::test]
async fn the_difference_comes_in_pages_of_at_most_limit() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let chat = alice.direct(bob.id()).await;
    for n in 0..24 {
        alice.say(chat.id, n, &format!("message {n}")).await;
    }
    let mut since = 0;
    let mut pages = 0;
    loop {
        match difference(&mut bob, since, 10).await {
            Difference::Updates { updates, current } => {
                assert_eq!(current, Pts(25));
                assert!(updates.len() <= 10);
                for u in &updates {
                    assert_eq!(u.pts.0, since + 1);
                    since = u.pts.0;
                }
                pages += 1;
                if since == current.0 {
                    break;
                }
            }
            other => panic!("difference: {other:?}"),
        }
    }
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn a_client_too_far_behind_is_told_to_start_over() {
    let server = TestServer::start_with(|c| c.max_difference = 5).await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let chat = alice.direct(bob.id()).await;
    for n in 0..6 {
        alice.say(chat.id, n, "spam").await;
    }
    assert_eq!(
        difference(&mut bob, 0, 100).await,
        Difference::TooFarBehind { current: Pts(7) }
    );
    assert!(
        matches!(difference(&mut bob, 2, 100).await, Difference::Updates { ref updates, .. } if updates.len() == 5)
    );
}

#[tokio::test]
async fn a_client_ahead_of_the_server_is_told_to_start_over() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let bob = Client::register(&server, "bob").await;
    alice.direct(bob.id()).await;
    assert_eq!(
        difference(&mut alice, 1_000, 100).await,
        Difference::TooFarBehind { current: Pts(1) },
        "a restored server never answers with an empty page the client would trust"
    );
}

#[tokio::test]
async fn a_resend_returns_the_original_and_creates_nothing() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let chat = alice.direct(bob.id()).await;
    let other = alice.group("elsewhere", &[]).await;
    let send = |chat| Request::SendMessage {
        chat,
        // The whole u64 range is valid, above i64::MAX included.
        client_msg_id: ClientMsgId(u64::MAX),
        payload: b"once".to_vec(),
        reply_to: None,
    };
    let first = alice.call(send(chat.id)).await.unwrap();
    let again = alice.call(send(chat.id)).await.unwrap();
    assert_eq!(first, again);
    assert_code(&alice.call(send(other.id)).await, ErrorCode::Conflict);
    match bob
        .call(Request::GetHistory {
            chat: chat.id,
            before: None,
            limit: 10,
        })
        .await
    {
        Ok(Response::History(page)) => {
            assert_eq!(page.len(), 1);
            assert_eq!(page[0].client_msg_id, ClientMsgId(u64::MAX));
        }
        other => panic!("history: {other:?}"),
    }
    assert_eq!(
        bob.call(Request::Ping).await,
        Ok(Response::Pong { pts: Pts(2) })
    );
    let bad_reply = alice
        .call(Request::SendMessage {
            chat: chat.id,
            client_msg_id: ClientMsgId(100),
            payload: b"re".to_vec(),
            reply_to: Some(Seq(999)),
        })
        .await;
    assert_code(&bad_reply, ErrorCode::BadRequest);
    let too_big = alice
        .call(Request::SendMessage {
            chat: chat.id,
            client_msg_id: ClientMsgId(101),
            payload: vec![0; wren_proto::rules::MAX_PAYLOAD_BYTES + 1],
            reply_to: None,
        })
        .await;
    assert_code(&too_big, ErrorCode::TooLarge);
}

#[tokio::test]
async fn read_marks_only_move_forward_and_show_as_peer_reads() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let chat = alice.direct(bob.id()).await;
    let seq = alice.say(chat.id, 1, "read me").await;
    let mark = |up_to| Request::MarkRead {
        chat: chat.id,
        up_to: Seq(up_to),
    };
    assert_eq!(bob.call(mark(1_000)).await, Ok(Response::Done));
    let before = bob.call(Request::Ping).await;
    assert_eq!(bob.call(mark(1)).await, Ok(Response::Done));
    assert_eq!(
        bob.call(Request::Ping).await,
        before,
        "a lower mark changes nothing"
    );

    loop {
        if let Update::ReadMark { account, up_to, .. } = alice.next_update().await.update {
            assert_eq!(
                (account, up_to),
                (bob.id(), seq),
                "clamped to the newest message"
            );
            break;
        }
    }
    match alice.call(Request::GetChat { chat: chat.id }).await {
        Ok(Response::Chat(info)) => {
            assert_eq!(info.peers_read_seq, seq);
            assert_eq!(info.read_seq, Seq(0));
        }
        other => panic!("get chat: {other:?}"),
    }
}
