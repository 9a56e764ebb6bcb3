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

fn markdown(input: &str) -> wren_core::content::RichText {
    wren_core::content::compose(input, wren_core::content::Format::Markdown)
}

fn kinds(message: &MessageView) -> Vec<(wren_core::content::EntityKind, u32, u32)> {
    message
        .entities
        .iter()
        .map(|e| (e.kind, e.offset, e.length))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn formatting_edits_reactions_pins_and_forwards_reach_the_others_live() {
    use wren_core::content::EntityKind::{Bold, Italic, Url};
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let (carol, _) = register(&server.url, server.scratch(), "carol").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    let group = alice
        .create_group("Plans", &["bob".into(), "carol".into()])
        .await
        .expect("group")
        .id;

    // Formatting travels inside the encryption and arrives as entities.
    let sent = alice
        .send_rich(chat, markdown("**مرحبا** see https://wren.example"))
        .await
        .expect("send");
    assert_eq!(sent.text, "مرحبا see https://wren.example");
    alice.wait_outbox_empty(WAIT).await.expect("delivered");
    let seq = message_with(&alice, chat, &sent.text)
        .await
        .and_then(|m| m.seq)
        .expect("seq");
    let arrived = eventually(&bob, WAIT, "bob gets the formatted message", || async {
        message_with(&bob, chat, "مرحبا see https://wren.example").await
    })
    .await;
    assert_eq!(kinds(&arrived), vec![(Bold, 0, 5), (Url, 10, 20)]);

    // An edit of a formatted message replaces text and entities.
    alice
        .edit_rich(chat, seq, markdown("__changed__ text"))
        .await
        .expect("edit");
    let edited = eventually(&bob, WAIT, "bob sees the edit", || async {
        message_with(&bob, chat, "changed text").await
    })
    .await;
    assert_eq!(kinds(&edited), vec![(Italic, 0, 7)]);
    assert!(edited.edited_at.is_some());

    // A reaction shows at once for its sender and reaches the other side; taking it back too.
    bob.react(chat, seq, "👍", true).await.expect("react");
    let mine = message_with(&bob, chat, "changed text")
        .await
        .expect("stored");
    assert_eq!(mine.reactions.len(), 1);
    assert!(mine.reactions[0].mine);
    let seen = eventually(&alice, WAIT, "alice sees bob's reaction", || async {
        let m = message_with(&alice, chat, "changed text").await?;
        (!m.reactions.is_empty()).then_some(m)
    })
    .await;
    assert_eq!(seen.reactions[0].emoji, "👍");
    assert_eq!(seen.reactions[0].count, 1);
    assert!(!seen.reactions[0].mine);
    assert_eq!(seen.reactions[0].accounts[0].username, "bob");
    for emoji in ["❤️", "😂"] {
        bob.react(chat, seq, emoji, true).await.expect("react");
    }
    let fourth = bob.react(chat, seq, "🔥", true).await;
    assert!(
        matches!(fourth, Err(ref e) if e.code() == "invalid"),
        "{fourth:?}"
    );
    let not_emoji = bob.react(chat, seq, "lol", true).await;
    assert!(
        matches!(not_emoji, Err(ref e) if e.code() == "invalid"),
        "{not_emoji:?}"
    );
    bob.react(chat, seq, "👍", false).await.expect("take back");
    eventually(
        &alice,
        WAIT,
        "alice sees two reactions, not the thumb",
        || async {
            let m = message_with(&alice, chat, "changed text").await?;
            let emojis: Vec<&str> = m.reactions.iter().map(|r| r.emoji.as_str()).collect();
            (emojis == ["❤️", "😂"]).then_some(())
        },
    )
    .await;

    // Either side pins in a direct chat.
    bob.pin_message(chat, seq, true).await.expect("pin");
    eventually(&alice, WAIT, "alice sees the pin", || async {
        let pinned = alice.pinned_messages(chat).await.ok()?;
        (pinned.len() == 1 && pinned[0].seq == Some(seq) && pinned[0].pinned).then_some(())
    })
    .await;

    // Actions are never shown as messages.
    for client in [&alice, &bob] {
        assert_eq!(texts(client, chat).await, ["changed text"]);
        let summary = client.chat(chat).await.expect("chat").expect("stored");
        assert_eq!(
            summary.last_message.map(|m| m.text).as_deref(),
            Some("changed text")
        );
    }
    let unread = alice.chat(chat).await.expect("chat").expect("stored");
    assert_eq!(
        unread.unread_count, 0,
        "reactions and pins are not unread messages"
    );

    // Bob forwards it to the group: carol sees where it came from, with its formatting.
    eventually(&bob, WAIT, "bob is in the group", || async {
        bob.chat(group).await.ok()?
    })
    .await;
    bob.forward(chat, &[seq], group).await.expect("forward");
    let forwarded = eventually(&carol, WAIT, "carol gets the forward", || async {
        message_with(&carol, group, "changed text").await
    })
    .await;
    assert_eq!(forwarded.sender.username, "bob");
    assert_eq!(
        forwarded.forwarded_from.as_ref().map(|f| f.name.as_str()),
        Some("alice")
    );
    assert_eq!(kinds(&forwarded), vec![(Italic, 0, 7)]);

    // In a group only admins pin: bob is refused here, and a forged pin is ignored.
    let group_seq = forwarded.seq.expect("seq");
    let refused = bob.pin_message(group, group_seq, true).await;
    assert!(
        matches!(refused, Err(ref e) if e.code() == "forbidden"),
        "{refused:?}"
    );
    alice
        .pin_message(group, group_seq, true)
        .await
        .expect("admin pins");
    eventually(&carol, WAIT, "carol sees the admin's pin", || async {
        let m = message_with(&carol, group, "changed text").await?;
        m.pinned.then_some(())
    })
    .await;

    // Search in one chat finds only that chat's messages.
    let here = bob.search_chat(chat, "changed", 10).await.expect("search");
    assert_eq!(here.len(), 1);
    assert_eq!(here[0].chat, chat);

    // Deleting for me: gone here, still there for the others.
    let local: i64 = forwarded.local_id.parse().expect("local id");
    carol
        .delete_for_me(group, &[local])
        .await
        .expect("delete for me");
    assert!(message_with(&carol, group, "changed text").await.is_none());
    assert!(carol
        .search_chat(group, "changed", 10)
        .await
        .expect("search")
        .is_empty());
    assert!(message_with(&alice, group, "changed text").await.is_some());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_display_name_in_any_script_reaches_everyone_who_shares_a_chat() {
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let (carol, _) = register(&server.url, server.scratch(), "carol").await;
    let chat = bob.open_direct("alice").await.expect("open").id;
    let group = alice
        .create_group("Book club", &["bob".into(), "carol".into()])
        .await
        .expect("group")
        .id;
    eventually(&carol, WAIT, "carol is in the group", || async {
        carol.chat(group).await.ok()?
    })
    .await;

    let saved = alice
        .set_profile("  أليس الفارسي  ", "أحب القراءة")
        .await
        .expect("set profile");
    assert_eq!(saved.account.display_name, "أليس الفارسي", "trimmed");
    assert_eq!(saved.bio, "أحب القراءة");

    // Bob's direct chat is titled with her name now; carol's group lists it.
    eventually(&bob, WAIT, "bob's chat takes alice's name", || async {
        let summary = bob.chat(chat).await.ok()??;
        (summary.title == "أليس الفارسي").then_some(())
    })
    .await;
    eventually(
        &carol,
        WAIT,
        "carol sees the name among the members",
        || async {
            let summary = carol.chat(group).await.ok()??;
            let alice = summary
                .members
                .iter()
                .find(|m| m.account.username == "alice")?;
            (alice.account.display_name == "أليس الفارسي").then_some(())
        },
    )
    .await;
    let profile = carol.profile(saved.account.id).await.expect("profile");
    assert_eq!(profile.bio, "أحب القراءة");

    // Messages name their sender by it.
    alice.send(group, "hello", None).await.expect("send");
    let message = eventually(&carol, WAIT, "carol gets the message", || async {
        message_with(&carol, group, "hello").await
    })
    .await;
    assert_eq!(message.sender.name(), "أليس الفارسي");

    // Names that hide or reorder text, or are too long, are refused with a clear reason.
    for bad in ["admin\u{202E}gpj.exe", "two\nlines", &"x".repeat(65)] {
        let refused = alice.set_profile(bad, "").await;
        assert!(
            matches!(refused, Err(ref e) if e.code() == "invalid" && e.to_string().contains("display name")),
            "{bad:?}: {refused:?}"
        );
    }
    // Clearing the name brings the username back.
    alice.set_profile("", "").await.expect("clear");
    eventually(&bob, WAIT, "bob's chat is titled alice again", || async {
        let summary = bob.chat(chat).await.ok()??;
        (summary.title == "alice").then_some(())
    })
    .await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_follows_connections_and_obeys_everyone_s_last_seen_setting() {
    use wren_core::{LastSeenVisibility, PresenceView};
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, bob_dir) = register(&server.url, server.scratch(), "bob").await;
    let (carol, _) = register(&server.url, server.scratch(), "carol").await;
    let (dave, _) = register(&server.url, server.scratch(), "dave").await;
    let bob_id = bob.account().expect("bob").id;
    let alice_id = alice.account().expect("alice").id;
    // Alice has a direct chat with bob; carol only a group with him; dave nothing.
    alice.open_direct("bob").await.expect("direct");
    let group = bob
        .create_group("Climbing", &["carol".into()])
        .await
        .expect("group")
        .id;
    eventually(&carol, WAIT, "carol is in the group", || async {
        carol.chat(group).await.ok()?
    })
    .await;
    let seen_by = |viewer: &Client| {
        let viewer = viewer.clone();
        async move { viewer.presence(&[bob_id]).await.expect("presence")[0].presence }
    };
    assert_eq!(seen_by(&alice).await, PresenceView::Online);
    assert_eq!(seen_by(&carol).await, PresenceView::Online);
    assert_eq!(seen_by(&dave).await, PresenceView::Hidden, "no shared chat");

    // Bob goes offline: alice hears it live, with the time.
    let mut events = alice.events();
    let before = now_ms();
    bob.close().await;
    let last_seen = loop {
        match tokio::time::timeout(WAIT, events.recv()).await {
            Ok(Ok(ClientEvent::Presence { account, presence })) if account == bob_id => {
                break presence;
            }
            Ok(Ok(_)) => {}
            other => panic!("no presence event: {other:?}"),
        }
    };
    assert!(
        matches!(last_seen, PresenceView::LastSeen { at } if at >= before && at <= now_ms()),
        "{last_seen:?}"
    );
    assert_eq!(seen_by(&alice).await, last_seen);

    // Bob, back, shows it to contacts only: alice (a direct chat) sees, carol does not.
    let bob = Client::open(wren_tests::client_options(&bob_dir))
        .await
        .expect("reopen");
    bob.wait_synced(WAIT).await.expect("synced");
    bob.set_last_seen(LastSeenVisibility::Contacts)
        .await
        .expect("contacts");
    assert_eq!(seen_by(&alice).await, PresenceView::Online);
    assert_eq!(seen_by(&carol).await, PresenceView::Hidden);

    // Nobody: hidden from everyone, and bob sees nobody else's either.
    let privacy = bob
        .set_last_seen(LastSeenVisibility::Nobody)
        .await
        .expect("nobody");
    assert_eq!(privacy.last_seen, LastSeenVisibility::Nobody);
    assert_eq!(seen_by(&alice).await, PresenceView::Hidden);
    assert_eq!(
        bob.presence(&[alice_id]).await.expect("presence")[0].presence,
        PresenceView::Hidden
    );
    server.stop().await;
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_archived_chat_comes_back_with_a_new_message_unless_muted_on_every_device() {
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    let laptop = Client::open(wren_tests::client_options(&wren_tests::profile_dir(
        server.scratch(),
        "alice-laptop",
    )))
    .await
    .expect("open laptop");
    laptop
        .login(&server.url, "alice", wren_tests::PASSWORD)
        .await
        .expect("login");
    laptop.wait_synced(WAIT).await.expect("synced");
    let archived_on = |client: &Client, archived: bool| {
        let client = client.clone();
        async move {
            eventually(&client, WAIT, "the archive state", || async {
                let summary = client.chat(chat).await.ok()??;
                (summary.archived == archived).then_some(summary)
            })
            .await
        }
    };

    alice.set_archived(chat, true).await.expect("archive");
    archived_on(&alice, true).await;
    archived_on(&laptop, true).await;

    // A new message takes the unmuted chat out of the archive everywhere.
    bob.send(chat, "are you there?", None).await.expect("send");
    archived_on(&alice, false).await;
    archived_on(&laptop, false).await;

    // Muted and archived, it stays archived; the mute is on the laptop too.
    alice
        .set_muted(chat, Some(wren_core::MUTED_FOR_EVER))
        .await
        .expect("mute");
    alice.set_archived(chat, true).await.expect("archive");
    let muted = archived_on(&laptop, true).await;
    assert_eq!(muted.muted_until, Some(wren_core::MUTED_FOR_EVER));
    bob.send(chat, "still?", None).await.expect("send");
    bob.wait_outbox_empty(WAIT).await.expect("sent");
    eventually(&laptop, WAIT, "the laptop gets the message", || async {
        let summary = laptop.chat(chat).await.ok()??;
        (summary.last_message?.text == "still?").then_some(())
    })
    .await;
    assert!(
        laptop
            .chat(chat)
            .await
            .expect("chat")
            .expect("stored")
            .archived
    );
    assert!(
        alice
            .chat(chat)
            .await
            .expect("chat")
            .expect("stored")
            .archived
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_or_a_reply_counts_as_an_unread_mention() {
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let (carol, _) = register(&server.url, server.scratch(), "carol").await;
    let group = alice
        .create_group("Dinner", &["bob".into(), "carol".into()])
        .await
        .expect("group")
        .id;
    eventually(&bob, WAIT, "bob is in the group", || async {
        bob.chat(group).await.ok()?
    })
    .await;
    bob.send(group, "I'll cook", None).await.expect("send");
    bob.wait_outbox_empty(WAIT).await.expect("sent");
    let cook = message_with(&bob, group, "I'll cook")
        .await
        .and_then(|m| m.seq)
        .expect("seq");
    eventually(&carol, WAIT, "carol has bob's message", || async {
        message_with(&carol, group, "I'll cook").await
    })
    .await;
    alice.send(group, "lovely", None).await.expect("send");
    carol
        .send(group, "@BOB bring wine", None)
        .await
        .expect("mention");
    carol
        .send(group, "yes please", Some(cook))
        .await
        .expect("reply");
    let summary = eventually(&bob, WAIT, "bob has two unread mentions", || async {
        let summary = bob.chat(group).await.ok()??;
        (summary.unread_count == 3).then_some(summary)
    })
    .await;
    assert_eq!(summary.unread_mentions, 2);
    let mention = message_with(&bob, group, "@BOB bring wine")
        .await
        .expect("stored");
    assert!(mention.mentions_me);
    assert!(
        !message_with(&bob, group, "lovely")
            .await
            .expect("stored")
            .mentions_me
    );
    // Reading clears them.
    let newest = bob.history(group, None, 1).await.expect("history")[0]
        .seq
        .expect("seq");
    bob.mark_read(group, newest).await.expect("read");
    eventually(&bob, WAIT, "nothing unread, no mention", || async {
        let read = bob.chat(group).await.ok()??;
        (read.unread_count == 0 && read.unread_mentions == 0).then_some(())
    })
    .await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folders_reach_the_account_s_other_devices_and_bad_ones_are_refused() {
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (_bob, _) = register(&server.url, server.scratch(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    let laptop = Client::open(wren_tests::client_options(&wren_tests::profile_dir(
        server.scratch(),
        "alice-laptop",
    )))
    .await
    .expect("open laptop");
    laptop
        .login(&server.url, "alice", wren_tests::PASSWORD)
        .await
        .expect("login");
    laptop.wait_synced(WAIT).await.expect("synced");
    let mut events = laptop.events();
    let work = wren_core::Folder {
        id: 1,
        name: " عمل ".into(),
        groups: true,
        include: vec![chat],
        ..wren_core::Folder::default()
    };
    let saved = alice.set_folders(vec![work]).await.expect("set folders");
    assert_eq!(saved[0].name, "عمل", "trimmed");
    let heard = loop {
        match tokio::time::timeout(WAIT, events.recv()).await {
            Ok(Ok(ClientEvent::FoldersChanged { folders })) => break folders,
            Ok(Ok(_)) => {}
            other => panic!("no folders event: {other:?}"),
        }
    };
    assert_eq!(heard, saved);
    assert_eq!(laptop.folders().await.expect("folders"), saved);
    // A device that signs in later gets them too.
    let phone = Client::open(wren_tests::client_options(&wren_tests::profile_dir(
        server.scratch(),
        "alice-phone",
    )))
    .await
    .expect("open phone");
    phone
        .login(&server.url, "alice", wren_tests::PASSWORD)
        .await
        .expect("login");
    eventually(&phone, WAIT, "the phone has the folder", || async {
        (phone.folders().await.ok()? == saved).then_some(())
    })
    .await;
    // Folders that could hold nothing, or too many, are refused with the reason.
    let empty = wren_core::Folder {
        id: 2,
        name: "Empty".into(),
        ..wren_core::Folder::default()
    };
    let refused = alice.set_folders(vec![empty]).await;
    assert!(
        matches!(refused, Err(ref e) if e.code() == "invalid"),
        "{refused:?}"
    );
    server.stop().await;
}
