//! Broadcast channels against a real server: the cost of a post whatever the audience,
//! live pushes to online subscribers, who may do what, invite links, view counts and the
//! directory.

mod common;

use common::{
    assert_code, counter, insert_accounts, insert_posts, metrics, Client, TestServer, WAIT,
};
use wren_proto::{
    AdminChange, ChannelId, ChannelInfo, ChannelPosts, ChannelRole, ClientMsgId, DirectoryQuery,
    ErrorCode, NewChannel, NewPost, Request, Response, Seq,
};

const ROWS_PER_POST: &str = "wren_store_rows_written_total{op=\"publish_post\"}";

fn new_channel(title: &str, handle: Option<&str>, topic: &str, language: &str) -> NewChannel {
    NewChannel {
        title: title.into(),
        handle: handle.map(Into::into),
        description: format!("All about {title}"),
        topic: topic.into(),
        language: language.into(),
    }
}

async fn create(owner: &mut Client, new: NewChannel) -> ChannelInfo {
    match owner.call(Request::CreateChannel(new)).await {
        Ok(Response::Channel(info)) => info,
        other => panic!("create channel: {other:?}"),
    }
}

async fn post(owner: &mut Client, channel: ChannelId, id: u64, text: &str) -> Seq {
    let request = Request::PublishPost(NewPost {
        channel,
        client_msg_id: ClientMsgId(id),
        text: text.into(),
    });
    match owner.call(request).await {
        Ok(Response::Posted { seq, .. }) => seq,
        other => panic!("post: {other:?}"),
    }
}

async fn difference(client: &mut Client, channel: ChannelId, since: u64) -> ChannelPosts {
    let request = Request::ChannelDifference {
        channel,
        since: Seq(since),
        limit: 100,
    };
    match client.call(request).await {
        Ok(Response::ChannelPosts(page)) => page,
        other => panic!("difference: {other:?}"),
    }
}

/// Rows one post writes in `channel`, as the server's metrics count them.
async fn rows_of_one_post(server: &TestServer, owner: &mut Client, channel: ChannelId) -> u64 {
    let before = counter(&metrics(server).await, ROWS_PER_POST);
    post(owner, channel, rand_id(), "measured").await;
    counter(&metrics(server).await, ROWS_PER_POST) - before
}

fn rand_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1_000_000);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_writes_as_many_rows_for_100000_subscribers_as_for_10() {
    let server = TestServer::start().await;
    let mut owner = Client::register(&server, "owner").await;
    let small = create(
        &mut owner,
        new_channel("Small", Some("small_news"), "news", "en"),
    )
    .await;
    let big = create(
        &mut owner,
        new_channel("Big", Some("big_news"), "news", "en"),
    )
    .await;
    insert_accounts(&server, 10, Some(small.id.0));
    insert_accounts(&server, 100_000, Some(big.id.0));
    let Ok(Response::Channel(big_now)) = owner.call(Request::GetChannel { channel: big.id }).await
    else {
        panic!("the big channel");
    };
    assert_eq!(big_now.subscribers, 100_001);

    let at_10 = rows_of_one_post(&server, &mut owner, small.id).await;
    let at_100000 = rows_of_one_post(&server, &mut owner, big.id).await;
    assert_eq!(
        at_10, at_100000,
        "a post costs the same whatever the audience"
    );
    assert_eq!(at_10, 2, "the post and the channel's position");
    // Nobody's update log got a row for it.
    assert!(owner.updates.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_reaches_every_one_of_1000_online_subscribers_live() {
    let server = TestServer::start().await;
    let mut owner = Client::register(&server, "owner").await;
    let channel = create(
        &mut owner,
        new_channel("Live", Some("live_news"), "news", "en"),
    )
    .await;
    let tokens = insert_accounts(&server, 1000, Some(channel.id.0));
    let mut readers = Vec::with_capacity(tokens.len());
    for token in &tokens {
        readers.push(Client::resume(&server, token).await);
    }
    let seq = post(&mut owner, channel.id, 1, "breaking: everyone hears this").await;
    let received = futures_util::future::join_all(readers.iter_mut().map(|reader| async {
        tokio::time::timeout(WAIT, reader.next_channel_push())
            .await
            .expect("the push arrives")
    }))
    .await;
    assert_eq!(received.len(), 1000);
    for push in received {
        assert_eq!(push.post.channel, channel.id);
        assert_eq!(push.post.seq, seq);
        assert_eq!(push.post.text, "breaking: everyone hears this");
    }
}

#[tokio::test]
async fn only_the_owner_and_admins_post_edit_delete_and_pin() {
    let server = TestServer::start().await;
    let mut owner = Client::register(&server, "owner").await;
    let mut reader = Client::register(&server, "reader").await;
    let channel = create(
        &mut owner,
        new_channel("Rules", Some("the_rules"), "news", "en"),
    )
    .await;
    assert_eq!(channel.role, Some(ChannelRole::Owner));
    let Ok(Response::Channel(joined)) = reader
        .call(Request::Subscribe {
            channel: channel.id,
        })
        .await
    else {
        panic!("subscribe");
    };
    assert_eq!(joined.role, Some(ChannelRole::Subscriber));
    assert_eq!(joined.subscribers, 2);
    let seq = post(&mut owner, channel.id, 1, "first").await;

    let by_reader = Request::PublishPost(NewPost {
        channel: channel.id,
        client_msg_id: ClientMsgId(9),
        text: "mine".into(),
    });
    assert_code(&reader.call(by_reader.clone()).await, ErrorCode::Forbidden);
    let edit = Request::EditPost {
        channel: channel.id,
        seq,
        text: "changed".into(),
    };
    assert_code(&reader.call(edit.clone()).await, ErrorCode::Forbidden);
    let delete = Request::DeletePost {
        channel: channel.id,
        seq,
    };
    assert_code(&reader.call(delete.clone()).await, ErrorCode::Forbidden);
    let pin = Request::PinPost {
        channel: channel.id,
        seq: Some(seq),
    };
    assert_code(&reader.call(pin.clone()).await, ErrorCode::Forbidden);
    assert_code(
        &reader
            .call(Request::SetChannelAdmin(AdminChange {
                channel: channel.id,
                account: reader.id(),
                admin: true,
            }))
            .await,
        ErrorCode::Forbidden,
    );

    // Made an admin, the reader may.
    owner
        .call(Request::SetChannelAdmin(AdminChange {
            channel: channel.id,
            account: reader.id(),
            admin: true,
        }))
        .await
        .expect("owner names an admin");
    let second = match reader.call(by_reader.clone()).await {
        Ok(Response::Posted { seq, .. }) => seq,
        other => panic!("admin posts: {other:?}"),
    };
    let again = reader.call(by_reader).await;
    assert!(
        matches!(again, Ok(Response::Posted { seq, .. }) if seq == second),
        "a resend is the same post: {again:?}"
    );
    let Ok(Response::ChannelAdmins(admins)) = reader
        .call(Request::ChannelAdmins {
            channel: channel.id,
        })
        .await
    else {
        panic!("admins");
    };
    let listed: Vec<_> = admins.iter().map(|a| (a.account.id, a.role)).collect();
    assert_eq!(
        listed,
        [
            (owner.id(), ChannelRole::Owner),
            (reader.id(), ChannelRole::Admin)
        ]
    );
    reader.call(edit).await.expect("admin edits");
    reader.call(pin).await.expect("admin pins");
    reader.call(delete).await.expect("admin deletes");
    let page = difference(&mut owner, channel.id, 0).await;
    let first = page.posts.iter().find(|p| p.seq == seq).expect("first");
    assert!(first.deleted && first.text.is_empty());
    assert_code(
        &owner
            .call(Request::LeaveChannel {
                channel: channel.id,
            })
            .await,
        ErrorCode::BadRequest,
    );
}

#[tokio::test]
async fn a_private_channel_is_invisible_without_an_invite_and_a_revoked_one_stops_working() {
    let server = TestServer::start().await;
    let mut owner = Client::register(&server, "owner").await;
    let mut outsider = Client::register(&server, "outsider").await;
    let mut friend = Client::register(&server, "friend").await;
    let channel = create(&mut owner, new_channel("Family", None, "other", "en")).await;
    assert_eq!(channel.handle, None);
    post(&mut owner, channel.id, 1, "private news").await;

    for request in [
        Request::GetChannel {
            channel: channel.id,
        },
        Request::Subscribe {
            channel: channel.id,
        },
        Request::ChannelDifference {
            channel: channel.id,
            since: Seq(0),
            limit: 10,
        },
        Request::ChannelHistory {
            channel: channel.id,
            before: None,
            limit: 10,
        },
    ] {
        assert_code(&outsider.call(request).await, ErrorCode::NotFound);
    }
    let Ok(Response::Channels(found)) = outsider
        .call(Request::SearchDirectory(DirectoryQuery {
            text: "Family".into(),
            limit: 10,
            ..DirectoryQuery::default()
        }))
        .await
    else {
        panic!("search");
    };
    assert!(found.is_empty(), "private channels are not listed");

    let Ok(Response::Invite(invite)) = owner
        .call(Request::CreateInvite {
            channel: channel.id,
        })
        .await
    else {
        panic!("invite");
    };
    assert!(invite.link.starts_with("wren://join/"));
    assert_code(
        &outsider
            .call(Request::CreateInvite {
                channel: channel.id,
            })
            .await,
        ErrorCode::NotFound,
    );
    let Ok(Response::Channel(joined)) = friend
        .call(Request::JoinByInvite {
            link: invite.link.clone(),
        })
        .await
    else {
        panic!("join by invite");
    };
    assert_eq!(joined.role, Some(ChannelRole::Subscriber));
    assert_eq!(
        difference(&mut friend, channel.id, 0).await.posts[0].text,
        "private news"
    );

    owner
        .call(Request::RevokeInvite {
            channel: channel.id,
            link: invite.link.clone(),
        })
        .await
        .expect("revoke");
    assert_code(
        &outsider
            .call(Request::JoinByInvite { link: invite.link })
            .await,
        ErrorCode::NotFound,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_account_counts_once_among_many_concurrent_readers() {
    let server = TestServer::start().await;
    let mut owner = Client::register(&server, "owner").await;
    let channel = create(
        &mut owner,
        new_channel("Views", Some("view_count"), "news", "en"),
    )
    .await;
    let first = post(&mut owner, channel.id, 1, "one").await;
    let second = post(&mut owner, channel.id, 2, "two").await;
    let tokens = insert_accounts(&server, 1000, Some(channel.id.0));
    let mut readers = Vec::new();
    for token in &tokens {
        readers.push(Client::resume(&server, token).await);
    }
    // Everyone sees the first post three times (scrolling back and forth), half of them
    // the second one too, all at once.
    futures_util::future::join_all(
        readers
            .iter_mut()
            .enumerate()
            .map(|(i, reader)| async move {
                for _ in 0..3 {
                    let seqs = if i % 2 == 0 {
                        vec![first, second]
                    } else {
                        vec![first]
                    };
                    let report = Request::ReportViews {
                        channel: channel.id,
                        seqs,
                    };
                    assert_eq!(reader.call(report).await, Ok(Response::Done));
                }
            }),
    )
    .await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let posts = difference(&mut owner, channel.id, 0).await.posts;
        let views: Vec<u64> = posts.iter().map(|p| p.views).collect();
        if views == [1000, 500] {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "views counted once per account: {views:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Counted later again, still once.
    let report = Request::ReportViews {
        channel: channel.id,
        seqs: vec![first],
    };
    readers[0].call(report).await.expect("report");
    tokio::time::sleep(wren_server_flush() * 2).await;
    assert_eq!(
        difference(&mut owner, channel.id, 0).await.posts[0].views,
        1000
    );
}

/// How often the server writes counted views (its `views::FLUSH_EVERY`).
fn wren_server_flush() -> std::time::Duration {
    std::time::Duration::from_secs(1)
}

#[tokio::test]
async fn the_directory_finds_public_channels_by_words_topic_and_language_biggest_first() {
    let server = TestServer::start().await;
    let mut owner = Client::register(&server, "owner").await;
    let rust = create(
        &mut owner,
        new_channel("Rust weekly", Some("rust_weekly"), "technology", "en"),
    )
    .await;
    let cafe = create(
        &mut owner,
        new_channel("Café du matin", Some("cafe_matin"), "food", "fr"),
    )
    .await;
    let big_rust = create(
        &mut owner,
        new_channel("Rust news", Some("rustacean_news"), "technology", "en"),
    )
    .await;
    insert_accounts(&server, 50, Some(big_rust.id.0));
    insert_accounts(&server, 5, Some(rust.id.0));
    let search = |text: &str, topic: Option<&str>, language: Option<&str>| {
        Request::SearchDirectory(DirectoryQuery {
            text: text.into(),
            topic: topic.map(Into::into),
            language: language.map(Into::into),
            limit: 10,
        })
    };
    let found = |response: Result<Response, wren_proto::ErrorBody>| match response {
        Ok(Response::Channels(list)) => list.into_iter().map(|c| c.id).collect::<Vec<_>>(),
        other => panic!("search: {other:?}"),
    };
    let by_word = owner.call(search("rust", None, None)).await;
    assert_eq!(
        found(by_word),
        vec![big_rust.id, rust.id],
        "most subscribers first"
    );
    let prefix = owner.call(search("rusta", None, None)).await;
    assert_eq!(found(prefix), vec![big_rust.id], "a handle's prefix");
    let accents = owner.call(search("cafe", None, None)).await;
    assert_eq!(found(accents), vec![cafe.id], "accents folded");
    let french = owner.call(search("", None, Some("fr"))).await;
    assert_eq!(found(french), vec![cafe.id]);
    let tech = owner.call(search("", Some("technology"), None)).await;
    assert_eq!(found(tech), vec![big_rust.id, rust.id]);
    assert_code(
        &owner.call(search("", Some("gossip"), None)).await,
        ErrorCode::BadRequest,
    );

    // A preview before subscribing: the channel and its posts, no role.
    post(&mut owner, cafe.id, 1, "croissants").await;
    let mut visitor = Client::register(&server, "visitor").await;
    let Ok(Response::Channel(preview)) = visitor
        .call(Request::ResolveChannel {
            handle: "@Cafe_Matin".into(),
        })
        .await
    else {
        panic!("resolve");
    };
    assert_eq!((preview.id, preview.role), (cafe.id, None));
    assert_eq!(
        difference(&mut visitor, cafe.id, 0).await.posts[0].text,
        "croissants"
    );
}

#[tokio::test]
async fn a_subscriber_away_too_long_gets_the_newest_page_and_handles_are_unique() {
    let server = TestServer::start().await;
    let mut owner = Client::register(&server, "owner").await;
    let channel = create(
        &mut owner,
        new_channel("Busy", Some("busy_feed"), "news", "en"),
    )
    .await;
    insert_posts(&server, channel.id.0, owner.id(), 10_009);
    post(&mut owner, channel.id, 99_999_999, "post 10010").await;
    let page = difference(&mut owner, channel.id, 0).await;
    assert!(page.too_long);
    assert_eq!(page.current, Seq(10_010));
    assert_eq!(
        page.posts[0].text, "post 10010",
        "the newest page, newest first"
    );
    let recent = difference(&mut owner, channel.id, 10_000).await;
    assert!(!recent.too_long);
    assert_eq!(recent.posts.len(), 10);

    assert_code(
        &owner
            .call(Request::CreateChannel(new_channel(
                "Copy",
                Some("BUSY_feed"),
                "news",
                "en",
            )))
            .await,
        ErrorCode::Conflict,
    );
    assert_code(
        &owner
            .call(Request::CreateChannel(new_channel(
                "Bad",
                Some("x"),
                "news",
                "en",
            )))
            .await,
        ErrorCode::BadRequest,
    );
}
