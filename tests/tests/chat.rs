//! Two and three real clients (encrypted stores, sync, outbox) talking through a real
//! server on a loopback port.

use std::time::Duration;
use wren_core::{ChatId, Client, ClientEvent, DeliveryState, MessageView, Seq};
use wren_tests::{eventually, next_event, register, TestServer};

const WAIT: Duration = Duration::from_secs(20);

async fn texts(client: &Client, chat: ChatId) -> Vec<String> {
    let mut page = client.history(chat, None, 200).await.expect("history");
    page.reverse();
    page.into_iter().map(|m| m.text).collect()
}

async fn message_with(client: &Client, chat: ChatId, text: &str) -> Option<MessageView> {
    client
        .history(chat, None, 200)
        .await
        .ok()?
        .into_iter()
        .find(|m| m.text == text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_messages_flow_both_ways_with_unread_counts_and_read_ticks() {
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;

    let chat = alice.open_direct("@bob").await.expect("open direct").id;
    let sent = alice.send(chat, "hi bob", None).await.expect("send");
    assert_eq!(sent.state, DeliveryState::Pending);

    let unread = eventually(&bob, WAIT, "bob sees the chat with 1 unread", || async {
        let chats = bob.chats().await.ok()?;
        let chat = chats.into_iter().find(|c| c.id == chat)?;
        (chat.unread_count == 1).then_some(chat)
    })
    .await;
    assert_eq!(unread.title, "alice");
    assert_eq!(
        unread.last_message.map(|m| m.text).as_deref(),
        Some("hi bob")
    );

    bob.send(chat, "hi alice", None).await.expect("reply");
    eventually(&alice, WAIT, "alice gets the reply", || async {
        (texts(&alice, chat).await == ["hi bob", "hi alice"]).then_some(())
    })
    .await;

    // Bob reads: his unread count drops, alice's message shows as read.
    let first = message_with(&bob, chat, "hi bob")
        .await
        .expect("stored")
        .seq
        .expect("seq");
    bob.mark_read(chat, first).await.expect("mark read");
    eventually(&alice, WAIT, "alice's message is marked read", || async {
        let m = message_with(&alice, chat, "hi bob").await?;
        (m.state == DeliveryState::Read).then_some(())
    })
    .await;
    eventually(&bob, WAIT, "bob has nothing unread", || async {
        let chats = bob.chats().await.ok()?;
        (chats.iter().find(|c| c.id == chat)?.unread_count == 0).then_some(())
    })
    .await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_of_three_sees_every_message_in_the_same_order() {
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let (carol, _) = register(&server.url, server.scratch(), "carol").await;

    let group = alice
        .create_group("Trip", &["bob".into(), "carol".into()])
        .await
        .expect("create group");
    assert_eq!(group.members.len(), 3);
    for client in [&bob, &carol] {
        eventually(client, WAIT, "the group appears", || async {
            client
                .chat(group.id)
                .await
                .ok()?
                .filter(|c| c.title == "Trip")
        })
        .await;
    }
    for (client, text) in [
        (&alice, "from alice"),
        (&bob, "from bob"),
        (&carol, "from carol"),
    ] {
        client.send(group.id, text, None).await.expect("send");
    }
    let mut orders = Vec::new();
    for client in [&alice, &bob, &carol] {
        let order = eventually(client, WAIT, "all three messages", || async {
            let history = client.history(group.id, None, 50).await.ok()?;
            let sent: Vec<_> = history.iter().filter(|m| m.seq.is_some()).collect();
            (sent.len() == 3).then(|| {
                sent.iter()
                    .map(|m| (m.seq, m.text.clone()))
                    .collect::<Vec<_>>()
            })
        })
        .await;
        orders.push(order);
    }
    assert_eq!(orders[0], orders[1]);
    assert_eq!(orders[1], orders[2]);

    // Membership: carol is removed and keeps the group read-only (its history stays, sending
    // fails without the server); bob sees her gone.
    let carol_id = carol.account().expect("signed in").id;
    alice
        .remove_member(group.id, carol_id)
        .await
        .expect("remove");
    eventually(&carol, WAIT, "carol is no longer a member", || async {
        (!carol.chat(group.id).await.ok()??.is_member).then_some(())
    })
    .await;
    let kept = carol.history(group.id, None, 50).await.expect("history");
    assert_eq!(kept.iter().filter(|m| m.seq.is_some()).count(), 3);
    assert!(matches!(
        carol.send(group.id, "still here?", None).await,
        Err(wren_core::CoreError::NotMember(_))
    ));
    eventually(&bob, WAIT, "bob sees two members", || async {
        (bob.chat(group.id).await.ok()??.members.len() == 2).then_some(())
    })
    .await;

    // The only admin leaves: bob, the earliest remaining member, becomes admin.
    alice.leave(group.id).await.expect("leave");
    assert!(alice.chat(group.id).await.expect("read").is_none());
    eventually(&bob, WAIT, "bob is the admin now", || async {
        let chat = bob.chat(group.id).await.ok()??;
        let me = chat.members.iter().find(|m| m.account.username == "bob")?;
        (chat.members.len() == 1 && me.role == wren_core::Role::Admin).then_some(())
    })
    .await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_and_deletes_reach_the_other_side() {
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    alice.send(chat, "teh typo", None).await.expect("send");
    alice.send(chat, "regret this", None).await.expect("send");
    alice.wait_outbox_empty(WAIT).await.expect("delivered");
    let typo = message_with(&alice, chat, "teh typo")
        .await
        .expect("stored")
        .seq
        .expect("seq");
    let regret = message_with(&alice, chat, "regret this")
        .await
        .expect("stored")
        .seq
        .expect("seq");

    alice.edit(chat, typo, "the typo").await.expect("edit");
    alice.delete(chat, regret).await.expect("delete");
    eventually(&bob, WAIT, "bob sees the edit and the delete", || async {
        let history = bob.history(chat, None, 50).await.ok()?;
        let edited = history.iter().find(|m| m.seq == Some(typo))?;
        let deleted = history.iter().find(|m| m.seq == Some(regret))?;
        (edited.text == "the typo"
            && edited.edited_at.is_some()
            && deleted.deleted
            && deleted.text.is_empty())
        .then_some(())
    })
    .await;
    // Someone else's message cannot be edited.
    let refused = bob.edit(chat, typo, "hacked").await;
    assert!(
        matches!(refused, Err(ref e) if e.code() == "forbidden"),
        "{refused:?}"
    );
    // A deleted message is not found by search any more; the edited one is.
    assert!(bob.search("regret", 10).await.expect("search").is_empty());
    assert_eq!(bob.search("the typo", 10).await.expect("search").len(), 1);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_device_pages_back_through_history_it_cannot_read_and_reads_what_follows() {
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    for i in 0..120 {
        alice
            .send(chat, &format!("message {i}"), None)
            .await
            .expect("send");
    }
    alice.wait_outbox_empty(WAIT).await.expect("delivered");

    // Bob on a second device: pages from the newest back to the first message.
    let dir = wren_tests::profile_dir(server.scratch(), "bob-laptop");
    let laptop = Client::open(wren_tests::client_options(&dir))
        .await
        .expect("open");
    laptop
        .login(&server.url, "bob", wren_tests::PASSWORD)
        .await
        .expect("login");
    laptop.wait_synced(WAIT).await.expect("sync");
    // The laptop joins the chat's encryption group by itself.
    eventually(
        &laptop,
        WAIT,
        "the laptop joins the chat's group",
        || async { laptop.encryption(chat).await.ok()?.map(|_| ()) },
    )
    .await;
    let mut seen = Vec::new();
    let mut before: Option<Seq> = None;
    loop {
        let page = laptop.history(chat, before, 50).await.expect("page");
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 50);
        before = page.last().and_then(|m| m.seq);
        seen.extend(page.into_iter().map(|m| (m.undecryptable, m.text)));
    }
    // Every page arrives, each message in its place; what was sent before the laptop joined
    // was encrypted for other devices only, and says so.
    assert_eq!(seen.len(), 120);
    assert!(
        seen.iter().all(|(undecryptable, why)| *undecryptable
            && why == "sent before this device joined the chat's encryption"),
        "{seen:?}"
    );
    // What is sent from now on, the laptop reads.
    alice
        .send(chat, "welcome, laptop", None)
        .await
        .expect("send");
    eventually(
        &laptop,
        WAIT,
        "the laptop reads the new message",
        || async {
            let page = laptop.history(chat, None, 5).await.ok()?;
            (page.first()?.text == "welcome, laptop").then_some(())
        },
    )
    .await;
    drop(bob);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_reaches_the_other_member_and_is_not_stored() {
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    eventually(&bob, WAIT, "bob knows the chat", || async {
        bob.chat(chat).await.ok()?
    })
    .await;
    let mut events = bob.events();
    alice.typing(chat).await.expect("typing");
    let who = next_event(&mut events, WAIT, |e| match e {
        ClientEvent::Typing { chat: c, account } if c == chat => Some(account.username),
        _ => None,
    })
    .await;
    assert_eq!(who.as_deref(), Some("alice"));
    assert!(bob
        .history(chat, None, 10)
        .await
        .expect("history")
        .is_empty());
    server.stop().await;
}
