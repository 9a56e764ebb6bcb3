//! Channels with real clients and a real server: a reader finds a channel in the
//! directory, previews it, subscribes, gets posts live and after being away, counts as one
//! view; the `wren channel` and `wren directory` commands as scripts use them.

use std::time::Duration;
use wren_core::{ChannelRole, Client, ClientEvent, DirectoryQuery, NewChannel};
use wren_tests::process::{binary, free_port, Cli, ServerProcess};
use wren_tests::{client_options, eventually, profile_dir, register, TestServer, PASSWORD};

const WAIT: Duration = Duration::from_secs(20);

fn public(title: &str, handle: &str) -> NewChannel {
    NewChannel {
        title: title.into(),
        handle: Some(handle.into()),
        description: "Daily notes about Rust".into(),
        topic: "technology".into(),
        language: "en".into(),
    }
}

/// Waits until `client` has stored exactly `texts` for the channel, oldest first.
async fn has_posts(client: &Client, channel: wren_core::ChannelId, texts: &[&str]) {
    eventually(client, WAIT, "the channel's posts are stored", || async {
        let mut posts = client.channel_posts(channel, None, 200).await.ok()?;
        posts.reverse();
        let stored: Vec<String> = posts.into_iter().map(|p| p.text).collect();
        (stored == texts).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_finds_previews_subscribes_and_reads_live_and_after_being_away() {
    wren_tests::init_tracing();
    let server = TestServer::start().await;
    let (owner, _) = register(&server.url, server.scratch(), "owner").await;
    let (reader, _) = register(&server.url, server.scratch(), "reader").await;
    let channel = owner
        .create_channel(public("Rust notes", "rust_notes"))
        .await
        .expect("create");
    assert_eq!(channel.role, Some(ChannelRole::Owner));
    owner.post(channel.id, "first note").await.expect("post");

    // Found in the directory and previewed before subscribing.
    let found = reader
        .directory(DirectoryQuery {
            text: "rust".into(),
            limit: 10,
            ..DirectoryQuery::default()
        })
        .await
        .expect("directory");
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [channel.id]);
    let preview = reader.find_channel("@rust_notes").await.expect("resolve");
    assert_eq!(preview.role, None);
    let posts = reader.preview_posts(channel.id, 10).await.expect("preview");
    assert_eq!(posts[0].text, "first note");
    assert!(reader.channels().await.expect("list").is_empty());

    // Subscribed: what was posted is pulled, what is posted now arrives live.
    let mut events = reader.events();
    let joined = reader.subscribe(channel.id).await.expect("subscribe");
    assert_eq!(joined.subscribers, 2);
    has_posts(&reader, channel.id, &["first note"]).await;
    owner.post(channel.id, "live note").await.expect("post");
    has_posts(&reader, channel.id, &["first note", "live note"]).await;
    let live = tokio::time::timeout(WAIT, async {
        loop {
            if let Ok(ClientEvent::PostUpserted { post }) = events.recv().await {
                if post.text == "live note" {
                    return post;
                }
            }
        }
    })
    .await
    .expect("the UI hears of the live post");
    assert_eq!(live.channel, channel.id);

    // Views: the reader's device reports each post once, however often it is on screen.
    let seqs: Vec<_> = reader
        .channel_posts(channel.id, None, 10)
        .await
        .expect("posts")
        .iter()
        .map(|p| p.seq)
        .collect();
    for _ in 0..3 {
        reader
            .report_views(channel.id, seqs.clone())
            .await
            .expect("views");
    }
    eventually(&owner, WAIT, "one view per post", || async {
        let posts = owner.refresh_posts(channel.id, None, 10).await.ok()?;
        posts.iter().all(|p| p.views == 1).then_some(())
    })
    .await;

    // Away: another device of the reader's account signs in later and catches up; edits
    // and deletes made meanwhile are there too.
    owner.post(channel.id, "while away").await.expect("post");
    owner
        .edit_post(channel.id, seqs[1], "first note, edited")
        .await
        .expect("edit");
    owner
        .delete_post(channel.id, seqs[0])
        .await
        .expect("delete");
    let dir = profile_dir(server.scratch(), "reader-laptop");
    let laptop = Client::open(client_options(&dir)).await.expect("open");
    laptop
        .login(&server.url, "reader", PASSWORD)
        .await
        .expect("login");
    eventually(&laptop, WAIT, "the channel is listed", || async {
        (laptop.channels().await.ok()?.len() == 1).then_some(())
    })
    .await;
    has_posts(
        &laptop,
        channel.id,
        &["first note, edited", "", "while away"],
    )
    .await;
    let hits = laptop.search_posts("away", 10).await.expect("search");
    assert_eq!(hits.len(), 1, "posts are searchable on the device");

    // New posts of a channel the device reads are announced, unless it is muted there.
    let announced = |text: &'static str| {
        let mut events = reader.events();
        async move {
            tokio::time::timeout(Duration::from_secs(3), async {
                loop {
                    match events.recv().await {
                        Ok(ClientEvent::PostAnnounced {
                            post,
                            channel_title,
                        }) if post.text == text => {
                            return channel_title;
                        }
                        Err(_) => std::future::pending::<()>().await,
                        _ => {}
                    }
                }
            })
            .await
            .ok()
        }
    };
    let heard = announced("announced note");
    owner
        .post(channel.id, "announced note")
        .await
        .expect("post");
    assert_eq!(heard.await.as_deref(), Some("Rust notes"));
    reader
        .set_channel_muted(channel.id, true)
        .await
        .expect("mute");
    assert_eq!(reader.muted_channels().await.expect("muted"), [channel.id]);
    let heard = announced("muted note");
    owner.post(channel.id, "muted note").await.expect("post");
    assert_eq!(heard.await, None, "a muted channel announces nothing");
    has_posts(
        &reader,
        channel.id,
        &[
            "first note, edited",
            "",
            "while away",
            "announced note",
            "muted note",
        ],
    )
    .await;

    // Leaving: the channel and its posts go from the device, and nothing more arrives.
    reader.leave_channel(channel.id).await.expect("leave");
    assert!(reader.channels().await.expect("list").is_empty());
    owner.post(channel.id, "after leaving").await.expect("post");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(reader
        .channel_posts(channel.id, None, 10)
        .await
        .expect("posts")
        .is_empty());
    server.stop().await;
}

#[test]
fn the_channel_commands_work_for_scripts() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start(&scratch.path().join("server"), free_port());
    let cli = |name: &str| Cli {
        profile: scratch.path().join(name),
        server: server.url.clone(),
    };
    let (owner, reader, outsider) = (cli("owner"), cli("reader"), cli("outsider"));
    owner.ok(&["register", "owner"]);
    reader.ok(&["register", "reader"]);
    outsider.ok(&["register", "outsider"]);

    let created = owner.ok(&[
        "channel",
        "create",
        "Wren news",
        "--handle",
        "wren_news",
        "--topic",
        "news",
    ]);
    assert!(created.contains("@wren_news"), "{created}");
    assert!(owner
        .ok(&["channel", "post", "@wren_news", "hello subscribers"])
        .starts_with('#'));
    let found: serde_json::Value =
        serde_json::from_str(&reader.ok(&["--json", "directory", "wren", "--topic", "news"]))
            .expect("JSON");
    assert_eq!(found[0]["handle"], "wren_news");
    assert_eq!(found[0]["subscribers"], 1);

    reader.ok(&["channel", "subscribe", "@wren_news"]);
    let read: serde_json::Value =
        serde_json::from_str(&reader.ok(&["--json", "channel", "read", "@wren_news"]))
            .expect("JSON");
    assert_eq!(read["channel"]["role"], "subscriber");
    assert_eq!(read["posts"][0]["text"], "hello subscribers");
    assert!(read["posts"][0]["views"].is_u64());

    // A subscriber cannot post: one clear line, a failing status.
    let refused = reader.run(&["channel", "post", "@wren_news", "mine"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.trim().starts_with("wren: "), "{stderr}");
    assert!(stderr.contains("owner and admins"), "{stderr}");

    // A private channel, an invite link, its revocation.
    let private = owner.ok(&["channel", "create", "Family", "--private"]);
    let id = private
        .split_whitespace()
        .nth(2)
        .expect("created channel N ...")
        .to_string();
    let link = owner.ok(&["channel", "invite", &id]).trim().to_string();
    assert!(link.starts_with("wren://join/"), "{link}");
    reader.ok(&["channel", "subscribe", &link]);
    owner.ok(&["channel", "invite", &id, "--revoke", &link]);
    let late = outsider.run(&["channel", "subscribe", &link]);
    assert!(!late.status.success());
    assert!(String::from_utf8_lossy(&late.stderr).contains("revoked"));
}

#[test]
fn an_administrator_grants_and_revokes_the_business_plan_on_a_running_server() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let data_dir = scratch.path().join("server");
    let server = ServerProcess::start(&data_dir, free_port());
    let shop = Cli {
        profile: scratch.path().join("shop"),
        server: server.url.clone(),
    };
    shop.ok(&["register", "shop"]);
    assert!(shop.ok(&["plan"]).starts_with("plan: Free"));
    let admin = |args: &[&str]| {
        let out = std::process::Command::new(binary("wren-server"))
            .arg("--data-dir")
            .arg(&data_dir)
            .arg("admin")
            .args(args)
            .output()
            .expect("run wren-server admin");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    let (ok, said) = admin(&["plan", "grant", "shop", "business", "--until", "2099-01-01"]);
    assert!(ok, "{said}");
    let plan: serde_json::Value =
        serde_json::from_str(&shop.ok(&["--json", "plan"])).expect("JSON");
    assert_eq!(plan["plan"], "business");
    assert_eq!(plan["until"], 4_070_908_800_000u64);
    assert_eq!(plan["limits"]["publicChannels"], 20);
    assert!(admin(&["plan", "revoke", "shop"]).0);
    assert!(shop.ok(&["plan"]).starts_with("plan: Free"));
    assert!(!admin(&["plan", "grant", "nobody_here", "business"]).0);
    assert!(!admin(&["plan", "grant", "shop", "business", "--until", "soon"]).0);
}

#[test]
fn an_advertiser_runs_a_campaign_and_readers_see_it_marked_sponsored() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let server = ServerProcess::start_with(
        &scratch.path().join("server"),
        free_port(),
        &["--sponsored-min-subscribers", "2"],
    );
    let cli = |name: &str| Cli {
        profile: scratch.path().join(name),
        server: server.url.clone(),
    };
    let (owner, reader, shop) = (cli("owner"), cli("reader"), cli("shop"));
    owner.ok(&["register", "owner"]);
    reader.ok(&["register", "reader"]);
    shop.ok(&["register", "shop"]);
    owner.ok(&[
        "channel",
        "create",
        "Gadgets",
        "--handle",
        "gadget_news",
        "--topic",
        "technology",
    ]);
    owner.ok(&["channel", "post", "@gadget_news", "new phones today"]);
    let small = reader.ok(&["--json", "channel", "read", "@gadget_news"]);
    let small: serde_json::Value = serde_json::from_str(&small).expect("JSON");
    assert!(
        small["sponsored"].is_null(),
        "one subscriber: under the threshold"
    );

    let made = shop.ok(&[
        "campaign",
        "create",
        "Keyboards",
        "Keyboards for people who type all day.",
        "--link",
        "https://example.com/keyboards",
        "--button",
        "Shop now",
        "--topic",
        "technology",
        "--budget",
        "100",
    ]);
    assert!(made.contains("active"), "{made}");
    reader.ok(&["channel", "subscribe", "@gadget_news"]);
    let read = reader.ok(&["channel", "read", "@gadget_news"]);
    let last = read.lines().last().expect("lines");
    assert!(
        last.starts_with("Sponsored · Keyboards") && last.contains("https://example.com/keyboards"),
        "{read}"
    );
    let list: serde_json::Value =
        serde_json::from_str(&shop.ok(&["--json", "campaign", "list"])).expect("JSON");
    assert_eq!(list[0]["shown"], 1, "the reader's impression, counted");
    let id = list[0]["id"].as_u64().expect("id").to_string();
    shop.ok(&["campaign", "stop", &id]);
    let after: serde_json::Value =
        serde_json::from_str(&reader.ok(&["--json", "channel", "read", "@gadget_news"]))
            .expect("JSON");
    assert!(
        after["sponsored"].is_null(),
        "a stopped campaign is not shown"
    );
}
