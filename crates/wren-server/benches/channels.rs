//! Channels at scale, each figure beside a baseline from the same run: a post delivered
//! to 1,000 online subscribers (beside a direct message to one peer), the rows a post
//! writes at 10, 10,000 and 100,000 subscribers (beside a direct message), directory
//! search among 100,000 channels (beside a full scan), and a subscriber catching up 10,000
//! posts with `ChannelDifference` (beside reading the same rows straight from SQLite).
//!
//! `cargo bench -p wren-server --bench channels`

#[path = "../tests/common/mod.rs"]
mod common;

use common::{counter, insert_accounts, insert_posts, metrics, Client, TestServer};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use wren_proto::{
    ChannelId, ClientMsgId, DirectoryQuery, NewChannel, NewPost, Request, Response, Seq,
    ServerFrame,
};

const SUBSCRIBERS_ONLINE: usize = 1_000;
const POSTS: u64 = 100;
const SEARCHES: usize = 200;
const DIRECTORY: u64 = 100_000;
const CATCH_UP: u64 = 10_000;
const WORDS: &[&str] = &[
    "rust", "news", "daily", "music", "travel", "food", "science", "games", "art", "health",
    "tech", "world", "local", "sports", "finance", "crypto", "garden", "books", "movies", "photo",
    "design", "history", "space", "ocean", "city", "coffee", "cats", "dogs", "jazz", "code",
];

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    ms(samples[index])
}

fn new_channel(title: &str, handle: &str) -> NewChannel {
    NewChannel {
        title: title.into(),
        handle: Some(handle.into()),
        description: String::new(),
        topic: "news".into(),
        language: "en".into(),
    }
}

async fn create(owner: &mut Client, title: &str, handle: &str) -> ChannelId {
    match owner
        .call(Request::CreateChannel(new_channel(title, handle)))
        .await
    {
        Ok(Response::Channel(info)) => info.id,
        other => panic!("create: {other:?}"),
    }
}

async fn post(owner: &mut Client, channel: ChannelId, id: u64) -> Seq {
    let request = Request::PublishPost(NewPost {
        channel,
        client_msg_id: ClientMsgId(id),
        text: format!("post {id}"),
    });
    match owner.call(request).await {
        Ok(Response::Posted { seq, .. }) => seq,
        other => panic!("post: {other:?}"),
    }
}

async fn run() {
    let server = TestServer::start().await;
    let mut owner = Client::register(&server, "owner").await;
    rows_per_post(&server, &mut owner).await;
    live_delivery(&server, &mut owner).await;
    directory(&server, &mut owner).await;
    let mut publisher = Client::register(&server, "publisher").await;
    catch_up(&server, &mut publisher).await;
}

/// Rows one post writes at 10, 10,000 and 100,000 subscribers; a direct message beside.
async fn rows_per_post(server: &TestServer, owner: &mut Client) {
    let mut peer = Client::register(server, "peer").await;
    let chat = owner.direct(peer.id()).await.id;
    let sample = "wren_store_rows_written_total{op=\"send_message\"}";
    let before = counter(&metrics(server).await, sample);
    owner.say(chat, 1, "hello").await;
    let message_rows = counter(&metrics(server).await, sample) - before;
    let _ = peer.next_update().await;
    println!("## rows written by one post");
    println!("| subscribers | rows per post | baseline: rows of a direct message, same run |");
    println!("|---|---|---|");
    let sample = "wren_store_rows_written_total{op=\"publish_post\"}";
    for (i, subscribers) in [10usize, 10_000, 100_000].into_iter().enumerate() {
        let channel = create(owner, "Rows", &format!("rows_{subscribers}")).await;
        insert_accounts(server, subscribers, Some(channel.0));
        let before = counter(&metrics(server).await, sample);
        post(owner, channel, 10 + i as u64).await;
        let rows = counter(&metrics(server).await, sample) - before;
        println!("| {subscribers} | {rows} | {message_rows} |");
    }
    println!();
}

/// Post → every one of 1,000 online subscribers has it, beside a direct message.
async fn live_delivery(server: &TestServer, owner: &mut Client) {
    let channel = create(owner, "Live", "live_bench").await;
    let tokens = insert_accounts(server, SUBSCRIBERS_ONLINE, Some(channel.0));
    let (received, mut receipts) = mpsc::unbounded_channel::<(Seq, Instant)>();
    for token in &tokens {
        let mut reader = Client::resume(server, token).await;
        let received = received.clone();
        tokio::spawn(async move {
            while let Some(frame) = common::recv_frame(&mut reader.ws).await {
                if let ServerFrame::ChannelPush(push) = frame {
                    let _ = received.send((push.post.seq, Instant::now()));
                }
            }
        });
    }
    let mut all = Vec::new();
    let mut each = Vec::new();
    for i in 0..POSTS {
        let started = Instant::now();
        let seq = post(owner, channel, 1_000 + i).await;
        let mut got = 0;
        let mut last = started;
        while got < SUBSCRIBERS_ONLINE {
            let (at_seq, at) = receipts.recv().await.expect("receipt");
            if at_seq == seq {
                got += 1;
                last = last.max(at);
                each.push(at - started);
            }
        }
        all.push(last - started);
    }
    let mut peer = Client::register(server, "peer2").await;
    let chat = owner.direct(peer.id()).await.id;
    let mut direct = Vec::new();
    for i in 0..POSTS {
        let started = Instant::now();
        owner.say(chat, 100 + i, "ping").await;
        loop {
            let update = peer.next_update().await;
            if matches!(update.update, wren_proto::Update::NewMessage(_)) {
                break;
            }
        }
        direct.push(started.elapsed());
    }
    println!("## post → received by every one of {SUBSCRIBERS_ONLINE} online subscribers ({POSTS} posts)");
    println!("| what | p50 | p99 |");
    println!("|---|---|---|");
    println!(
        "| the last of {SUBSCRIBERS_ONLINE} subscribers has it | {:.2} ms | {:.2} ms |",
        percentile(&mut all, 0.5),
        percentile(&mut all, 0.99)
    );
    println!(
        "| one subscriber has it | {:.2} ms | {:.2} ms |",
        percentile(&mut each, 0.5),
        percentile(&mut each, 0.99)
    );
    println!(
        "| baseline: a direct message reaches its one peer | {:.2} ms | {:.2} ms |",
        percentile(&mut direct, 0.5),
        percentile(&mut direct, 0.99)
    );
    println!();
}

/// Directory search among 100,000 public channels, beside a full scan of the same table.
async fn directory(server: &TestServer, owner: &mut Client) {
    insert_channels(server, owner.id().0, DIRECTORY);
    let mut searches = Vec::with_capacity(SEARCHES);
    for i in 0..SEARCHES {
        let word = WORDS[i % WORDS.len()];
        let request = Request::SearchDirectory(DirectoryQuery {
            text: word.into(),
            limit: 20,
            ..DirectoryQuery::default()
        });
        let started = Instant::now();
        match owner.call(request).await {
            Ok(Response::Channels(found)) => assert!(!found.is_empty()),
            other => panic!("search: {other:?}"),
        }
        searches.push(started.elapsed());
    }
    let db = rusqlite::Connection::open(server.dir.path().join("wren.db")).expect("db");
    let mut scans = Vec::with_capacity(SEARCHES / 10);
    for i in 0..SEARCHES / 10 {
        let pattern = format!("%{}%", WORDS[i % WORDS.len()]);
        let started = Instant::now();
        let mut statement = db
            .prepare_cached(
                "SELECT id FROM channels NOT INDEXED WHERE handle IS NOT NULL AND \
                 (title LIKE ?1 OR handle LIKE ?1 OR description LIKE ?1 OR topic LIKE ?1) \
                 ORDER BY subscribers DESC LIMIT 20",
            )
            .expect("prepare");
        let found = statement
            .query_map([pattern], |r| r.get::<_, i64>(0))
            .expect("scan")
            .count();
        assert!(found > 0);
        scans.push(started.elapsed());
    }
    println!("## directory search among {DIRECTORY} public channels ({SEARCHES} one-word searches, 20 results)");
    println!("| what | p50 | p99 |");
    println!("|---|---|---|");
    println!(
        "| `SearchDirectory` over the protocol | {:.2} ms | {:.2} ms |",
        percentile(&mut searches, 0.5),
        percentile(&mut searches, 0.99)
    );
    println!(
        "| baseline: full table scan (`LIKE '%word%'`, then sorted), SQLite directly | {:.2} ms | {:.2} ms |",
        percentile(&mut scans, 0.5),
        percentile(&mut scans, 0.99)
    );
    println!();
}

/// Inserts `count` public channels with three-word titles straight into the database.
fn insert_channels(server: &TestServer, owner: u64, count: u64) {
    let mut db = rusqlite::Connection::open(server.dir.path().join("wren.db")).expect("db");
    db.busy_timeout(common::WAIT).expect("busy timeout");
    let tx = db.transaction().expect("transaction");
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO channels (handle, title, description, topic, language, owner_id, \
                 subscribers, created_at) VALUES (?1, ?2, ?3, 'news', 'en', ?4, ?5, 0)",
            )
            .expect("prepare");
        for i in 0..count {
            let word = |k: u64| WORDS[((i * 7 + k * 13) % WORDS.len() as u64) as usize];
            let title = format!("{} {} {}", word(0), word(1), word(2));
            insert
                .execute(rusqlite::params![
                    format!("dir_{i}"),
                    title,
                    format!("all about {}", word(3)),
                    owner,
                    (i * 7_919) % 100_000
                ])
                .expect("insert");
        }
    }
    tx.commit().expect("commit");
}

/// A subscriber 10,000 posts behind catches up page by page, beside reading the same rows
/// from SQLite directly.
async fn catch_up(server: &TestServer, owner: &mut Client) {
    let channel = create(owner, "Backlog", "backlog_bench").await;
    insert_posts(server, channel.0, owner.id(), CATCH_UP);
    let mut reader = Client::register(server, "reader").await;
    reader
        .call(Request::Subscribe { channel })
        .await
        .expect("subscribe");
    let started = Instant::now();
    let mut since = Seq(0);
    let mut pulled = 0u64;
    loop {
        let request = Request::ChannelDifference {
            channel,
            since,
            limit: 200,
        };
        let Ok(Response::ChannelPosts(page)) = reader.call(request).await else {
            panic!("difference");
        };
        assert!(!page.too_long);
        pulled += page.posts.len() as u64;
        match page.posts.last() {
            Some(last) if last.changed_seq < page.current => since = last.changed_seq,
            _ => break,
        }
    }
    let took = started.elapsed();
    assert_eq!(pulled, CATCH_UP);
    let db = rusqlite::Connection::open(server.dir.path().join("wren.db")).expect("db");
    let started = Instant::now();
    let rows: u64 = db
        .prepare("SELECT channel_id, seq, changed_seq, text, sent_at FROM channel_posts WHERE channel_id = ?1 ORDER BY changed_seq")
        .expect("prepare")
        .query_map([channel.0], |r| r.get::<_, String>(3))
        .expect("read")
        .count() as u64;
    let raw = started.elapsed();
    assert_eq!(rows, CATCH_UP);
    println!("## catching up {CATCH_UP} posts with ChannelDifference (pages of 200)");
    println!("| what | posts/s |");
    println!("|---|---|");
    println!(
        "| `ChannelDifference` over the protocol | {:.0} |",
        CATCH_UP as f64 / took.as_secs_f64()
    );
    println!(
        "| baseline: the same rows read from SQLite directly | {:.0} |",
        CATCH_UP as f64 / raw.as_secs_f64()
    );
}
