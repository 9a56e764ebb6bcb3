//! End-to-end encryption with real clients and a real server: every chat is an MLS group of
//! every device of every member, and the server stores only ciphertext.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;
use wren_core::e2e::GroupState;
use wren_core::{AccountId, ChatId, Client};
use wren_proto::{ClientMsgId, Request, Response};
use wren_tests::mls::MlsSender;
use wren_tests::raw::RawClient;
use wren_tests::{client_options, eventually, profile_dir, register, TestServer, PASSWORD};

const WAIT: Duration = Duration::from_secs(30);
/// A group's title, and the one it is renamed to: neither may reach the server's files.
const TITLE: &str = "Lakeside weekend plans";
const RENAMED: &str = "Lakeside, final version";

/// Signs `user` in on a new device.
async fn second_device(server: &TestServer, user: &str, name: &str) -> Client {
    let dir = profile_dir(server.scratch(), name);
    let client = Client::open(client_options(&dir)).await.expect("open");
    client
        .login(&server.url, user, PASSWORD)
        .await
        .expect("login");
    client.wait_synced(WAIT).await.expect("sync");
    client
}

/// Waits until `client` is in the chat's group with exactly `devices`; returns the state.
async fn group_with(client: &Client, chat: ChatId, devices: usize) -> GroupState {
    eventually(
        client,
        WAIT,
        "the device is in the group with all devices",
        || async {
            client
                .encryption(chat)
                .await
                .ok()?
                .filter(|g| g.devices.len() == devices)
        },
    )
    .await
}

/// Waits until `client` shows `text` in the chat; returns every text it shows there.
async fn reads(client: &Client, chat: ChatId, text: &str) -> Vec<String> {
    eventually(
        client,
        WAIT,
        "the message arrives and is readable",
        || async {
            let texts: Vec<String> = client
                .history(chat, None, 200)
                .await
                .ok()?
                .into_iter()
                .map(|m| m.text)
                .collect();
            texts.iter().any(|t| t == text).then_some(texts)
        },
    )
    .await
}

/// Waits until `client` shows `title` for the chat.
async fn shows_title(client: &Client, chat: ChatId, title: &str) {
    let shown = std::sync::Mutex::new(String::new());
    let seen = || async {
        let now = client.chat(chat).await.ok()??.title;
        let matches = now == title;
        if let Ok(mut last) = shown.lock() {
            *last = now;
        }
        matches.then_some(())
    };
    if tokio::time::timeout(WAIT, async {
        while seen().await.is_none() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .is_err()
    {
        let last = shown.lock().map(|s| s.clone()).unwrap_or_default();
        panic!(
            "{:?} shows the group's title {last:?}, not {title:?}",
            client.account().map(|a| a.username)
        );
    }
}

fn me(client: &Client) -> AccountId {
    client.account().expect("signed in").id
}

/// Every file of the server's data directory (database, WAL, shared memory), as bytes.
fn server_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let dir = root.join("server");
    std::fs::read_dir(&dir)
        .expect("server data dir")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            path.is_file()
                .then(|| (path.display().to_string(), std::fs::read(&path).ok()))
                .and_then(|(name, bytes)| Some((name, bytes?)))
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_users_with_two_devices_each_read_everything_sent_after_they_joined() {
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let (carol, _) = register(&server.url, server.scratch(), "carol").await;
    let alice_laptop = second_device(&server, "alice", "alice-laptop").await;
    let bob_laptop = second_device(&server, "bob", "bob-laptop").await;

    // A direct chat: alice's first message creates its group with all four devices.
    let direct = alice.open_direct("bob").await.expect("open").id;
    alice
        .send(direct, "hello bob, privately", None)
        .await
        .expect("send");
    for device in [&alice_laptop, &bob, &bob_laptop] {
        reads(device, direct, "hello bob, privately").await;
    }
    bob_laptop
        .send(direct, "hi from my laptop", None)
        .await
        .expect("reply");
    for device in [&alice, &alice_laptop, &bob] {
        reads(device, direct, "hi from my laptop").await;
    }
    let state = group_with(&bob, direct, 4).await;
    let accounts: BTreeSet<AccountId> = state.devices.iter().map(|(a, _)| *a).collect();
    assert_eq!(accounts, BTreeSet::from([me(&alice), me(&bob)]));

    // A group of three; carol's second device signs in mid-conversation. The title is
    // sealed for the group: every device reads it, the server never does.
    let created = alice
        .create_group(TITLE, &["bob".into(), "carol".into()])
        .await
        .expect("group");
    assert_eq!(
        created.title, TITLE,
        "shown at once on the creator's device"
    );
    let group = created.id;
    alice
        .send(group, "before carol's phone", None)
        .await
        .expect("send");
    for device in [&alice_laptop, &bob, &bob_laptop, &carol] {
        reads(device, group, "before carol's phone").await;
        shows_title(device, group, TITLE).await;
    }
    let carol_phone = second_device(&server, "carol", "carol-phone").await;
    group_with(&carol_phone, group, 6).await;
    // It joined after the title was sealed: an admin's device seals it again for it.
    shows_title(&carol_phone, group, TITLE).await;
    for device in [&alice, &bob, &carol] {
        group_with(device, group, 6).await;
    }
    carol
        .send(group, "my phone is here too", None)
        .await
        .expect("send");
    for device in [&alice, &alice_laptop, &bob, &bob_laptop, &carol_phone] {
        reads(device, group, "my phone is here too").await;
    }
    bob.send(group, "welcome, phone", None).await.expect("send");
    let on_phone = reads(&carol_phone, group, "welcome, phone").await;
    // What was sent before the phone joined was encrypted for other devices only.
    assert!(
        on_phone.iter().all(|t| t != "before carol's phone"),
        "{on_phone:?}"
    );

    // Carol is removed: every remaining device's group drops both of her devices, so what
    // is sent afterwards is encrypted for keys she does not have.
    let carol_id = me(&carol);
    alice
        .remove_member(group, carol_id)
        .await
        .expect("remove carol");
    for device in [&alice, &alice_laptop, &bob, &bob_laptop] {
        let state = group_with(device, group, 4).await;
        assert!(
            state.devices.iter().all(|(a, _)| *a != carol_id),
            "{state:?}"
        );
    }
    alice
        .send(group, "after carol left", None)
        .await
        .expect("send");
    reads(&bob_laptop, group, "after carol left").await;
    assert!(carol.encryption(group).await.expect("state").is_none());
    // A new title reaches the members that remain, sealed for them alone.
    bob.rename(group, RENAMED)
        .await
        .expect_err("only admins rename");
    alice.rename(group, RENAMED).await.expect("rename");
    for device in [&alice_laptop, &bob, &bob_laptop] {
        shows_title(device, group, RENAMED).await;
    }
    assert_eq!(
        carol.chat(group).await.expect("chat").expect("kept").title,
        TITLE,
        "a former member's device cannot read the new title"
    );

    // Every device of the group ends at the same epoch with the same devices.
    let reference = alice
        .encryption(group)
        .await
        .expect("state")
        .expect("in group");
    for device in [&alice_laptop, &bob, &bob_laptop] {
        eventually(device, WAIT, "the same epoch everywhere", || async {
            (device.encryption(group).await.ok()?? == reference).then_some(())
        })
        .await;
    }

    // The server's files hold none of what was written.
    let files = server_files(server.scratch());
    assert!(!files.is_empty());
    for text in [
        "hello bob, privately",
        "hi from my laptop",
        "before carol's phone",
        "my phone is here too",
        "welcome, phone",
        "after carol left",
        TITLE,
        RENAMED,
    ] {
        for (name, bytes) in &files {
            assert!(
                !contains(bytes, text.as_bytes()),
                "{text:?} is readable in {name}"
            );
        }
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commits_made_at_once_all_land_and_every_device_agrees() {
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    eventually(&bob, WAIT, "bob has the chat", || async {
        bob.chat(chat).await.ok()?
    })
    .await;

    // Both write first at the same moment: both devices try to create the group.
    let (a, b) = tokio::join!(
        alice.send(chat, "from alice", None),
        bob.send(chat, "from bob", None)
    );
    a.expect("alice sends");
    b.expect("bob sends");
    reads(&alice, chat, "from bob").await;
    reads(&bob, chat, "from alice").await;

    // Two new devices sign in at once: both join by external commit, one epoch each.
    let (laptop, tablet) = tokio::join!(
        second_device(&server, "alice", "alice-laptop"),
        second_device(&server, "bob", "bob-tablet")
    );
    for device in [&alice, &bob, &laptop, &tablet] {
        group_with(device, chat, 4).await;
    }
    let reference = alice
        .encryption(chat)
        .await
        .expect("state")
        .expect("in group");
    for device in [&bob, &laptop, &tablet] {
        eventually(device, WAIT, "the same epoch and devices", || async {
            (device.encryption(chat).await.ok()?? == reference).then_some(())
        })
        .await;
    }
    tablet
        .send(chat, "from the tablet", None)
        .await
        .expect("send");
    for device in [&alice, &bob, &laptop] {
        reads(device, chat, "from the tablet").await;
    }

    // Alice revokes her laptop: its leaf leaves the chat's group on every device.
    let laptop_id = laptop
        .devices()
        .await
        .expect("devices")
        .into_iter()
        .find(|d| d.current)
        .expect("current")
        .id;
    alice.revoke_device(laptop_id).await.expect("revoke");
    for device in [&alice, &bob, &tablet] {
        let state = group_with(device, chat, 3).await;
        assert!(
            state.devices.iter().all(|(_, d)| *d != laptop_id),
            "{state:?}"
        );
    }
    bob.send(chat, "after the laptop was revoked", None)
        .await
        .expect("send");
    reads(&alice, chat, "after the laptop was revoked").await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_altered_ciphertext_is_refused_with_a_reason_and_the_chat_goes_on() {
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    alice.send(chat, "the original", None).await.expect("send");
    reads(&bob, chat, "the original").await;

    // A hostile relay signed in as alice takes the ciphertext, flips one bit of it and sends
    // it again as a new message.
    let mut relay = RawClient::connect(&server.url).await;
    let Ok(Response::Session(_)) = relay
        .request(Request::Login {
            username: "alice".into(),
            password: PASSWORD.into(),
            device_name: "relay".into(),
        })
        .await
    else {
        panic!("the relay signs in");
    };
    let Ok(Response::History(page)) = relay
        .request(Request::GetHistory {
            chat,
            before: None,
            limit: 1,
        })
        .await
    else {
        panic!("the relay reads the ciphertext");
    };
    let mut payload = page[0].payload.clone();
    let last = payload.len() - 1;
    payload[last] ^= 0x01;
    let sent = relay
        .request(Request::SendMessage {
            chat,
            client_msg_id: ClientMsgId(0x5eed),
            payload,
            reply_to: None,
        })
        .await;
    assert!(matches!(sent, Ok(Response::Sent { .. })), "{sent:?}");

    let page = eventually(&bob, WAIT, "the altered message shows why", || async {
        let page = bob.history(chat, None, 10).await.ok()?;
        page.iter().any(|m| m.undecryptable).then_some(page)
    })
    .await;
    let altered = page.iter().find(|m| m.undecryptable).expect("altered");
    assert_eq!(altered.sender.username, "alice");
    assert!(!altered.text.is_empty(), "a reason is given");
    assert!(
        page.iter()
            .any(|m| m.text == "the original" && !m.undecryptable),
        "{page:?}"
    );
    // The chat goes on.
    alice.send(chat, "still talking", None).await.expect("send");
    reads(&bob, chat, "still talking").await;
    bob.send(chat, "still listening", None).await.expect("send");
    reads(&alice, chat, "still listening").await;

    // A reply names what it answers inside the encryption: alice sees it, the server not.
    let answered = bob
        .history(chat, None, 10)
        .await
        .expect("history")
        .into_iter()
        .find(|m| m.text == "still talking")
        .and_then(|m| m.seq)
        .expect("seq");
    bob.send(chat, "I hear you", Some(answered))
        .await
        .expect("reply");
    let reply = eventually(&alice, WAIT, "the reply arrives", || async {
        alice
            .history(chat, None, 10)
            .await
            .ok()?
            .into_iter()
            .find(|m| m.text == "I hear you")
    })
    .await;
    assert_eq!(reply.reply_to, Some(answered));
    let Ok(Response::History(page)) = relay
        .request(Request::GetHistory {
            chat,
            before: None,
            limit: 1,
        })
        .await
    else {
        panic!("the relay reads the newest message");
    };
    assert_eq!(page[0].seq, reply.seq.expect("stored"));
    assert_eq!(
        page[0].reply_to, None,
        "the server does not know what it answers"
    );
    server.stop().await;
}

/// A hostile device of a member, making MLS commits by hand.
async fn hostile_device(server: &TestServer, user: &str) -> (RawClient, MlsSender) {
    let mut raw = RawClient::connect(&server.url).await;
    let Ok(Response::Session(session)) = raw
        .request(Request::Login {
            username: user.into(),
            password: PASSWORD.into(),
            device_name: "hostile".into(),
        })
        .await
    else {
        panic!("the hostile device signs in");
    };
    let device = MlsSender::new(&mut raw, &session).await;
    (raw, device)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_cannot_bring_an_outsider_into_a_chat_s_group() {
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (carol, _) = register(&server.url, server.scratch(), "carol").await;
    let (mallory, _) = register(&server.url, server.scratch(), "mallory").await;
    let chat = alice.open_direct("carol").await.expect("open").id;
    let (mut raw, mut device) = hostile_device(&server, "alice").await;

    // Alice's hostile device makes the chat's group with carol's device and mallory's.
    let with_mallory = [
        MlsSender::claim(&mut raw, me(&carol)).await,
        MlsSender::claim(&mut raw, me(&mallory)).await,
    ]
    .concat();
    let refused = device.create_group(&mut raw, chat, &with_mallory).await;
    let Err(body) = refused else {
        panic!("the server took a commit adding an outsider: {refused:?}");
    };
    assert_eq!(body.code, wren_proto::ErrorCode::Forbidden, "{body}");

    // The same with carol's device only is a valid group: the server takes it.
    let (mut raw, mut device) = hostile_device(&server, "alice").await;
    let only_carol = MlsSender::claim(&mut raw, me(&carol)).await;
    let accepted = device.create_group(&mut raw, chat, &only_carol).await;
    assert!(
        matches!(accepted, Ok(Response::CommitAccepted { epoch: 1, .. })),
        "{accepted:?}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_seal_a_group_s_title_and_a_forged_one_is_sealed_over() {
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let chat = alice
        .create_group(TITLE, &["bob".into()])
        .await
        .expect("group")
        .id;
    shows_title(&bob, chat, TITLE).await;
    let (mut bobs_raw, _) = hostile_device(&server, "bob").await;
    let (mut raw, _) = hostile_device(&server, "alice").await;
    let Ok(Response::SealedTitle {
        epoch,
        sealed: Some(sealed),
    }) = raw.request(Request::GetSealedTitle { chat }).await
    else {
        panic!("the group has a sealed title");
    };
    assert!(!contains(&sealed, TITLE.as_bytes()));
    let seal = |epoch: u64, sealed: Vec<u8>| Request::SealTitle {
        chat,
        epoch,
        sealed,
        rename: true,
    };

    let refusal =
        |answer: Result<Response, wren_proto::ErrorBody>| answer.expect_err("refused").code;
    use wren_proto::ErrorCode;
    assert_eq!(
        refusal(bobs_raw.request(seal(epoch, vec![1; 64])).await),
        ErrorCode::Forbidden,
        "a member who is not an admin"
    );
    assert_eq!(
        refusal(raw.request(seal(epoch - 1, vec![1; 64])).await),
        ErrorCode::StaleEpoch,
        "a past epoch"
    );
    assert_eq!(
        refusal(raw.request(seal(epoch, vec![1; 4096])).await),
        ErrorCode::BadRequest,
        "too large"
    );
    let plain = raw
        .request(Request::RenameChat {
            chat,
            title: "In the clear".into(),
        })
        .await;
    assert_eq!(refusal(plain), ErrorCode::BadRequest, "a plaintext title");
    let again = Request::SealTitle {
        chat,
        epoch,
        sealed: sealed.clone(),
        rename: false,
    };
    assert_eq!(
        refusal(raw.request(again).await),
        ErrorCode::Conflict,
        "sealing the same title again in the epoch it is sealed for"
    );

    // An admin's device that is not in the group seals bytes nobody can open: the
    // server cannot tell, the members' devices can. They keep the title, and alice's own
    // device seals it again.
    let forged = vec![1; 64];
    raw.request(seal(epoch, forged.clone()))
        .await
        .expect("taken: the server cannot read titles");
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let now = raw.request(Request::GetSealedTitle { chat }).await;
        if matches!(&now, Ok(Response::SealedTitle { sealed: Some(now), .. }) if *now != forged) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the title is sealed again: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for device in [&alice, &bob] {
        shows_title(device, chat, TITLE).await;
    }
    alice.send(chat, "still fine", None).await.expect("send");
    reads(&bob, chat, "still fine").await;
    server.stop().await;
}
