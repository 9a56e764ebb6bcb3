//! The whole server on PostgreSQL: the same protocol, stored in a throwaway cluster, and
//! still there after a restart; and what PostgreSQL answers in its own SQL (the channel
//! directory's text search).

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../src/store/pg_cluster.rs"]
mod pg_cluster;

use common::{Client, TestServer};
use pg_cluster::PgCluster;
use wren_proto::{DirectoryQuery, NewChannel, Request, Response, Update};

#[tokio::test]
async fn two_people_chat_on_postgres_and_a_restart_keeps_it() {
    let cluster = tokio::task::spawn_blocking(PgCluster::start).await.unwrap();
    let url = cluster.url();
    let server = TestServer::start_with(|c| c.postgres = Some(url.clone())).await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let chat = alice.direct(bob.id()).await.id;
    alice.say(chat, 1, "hello from postgres").await;
    loop {
        let pushed = bob.next_update().await;
        if let Update::NewMessage(m) = pushed.update {
            assert_eq!(m.payload, b"hello from postgres");
            break;
        }
    }
    let token = bob.token();
    drop((alice, bob));
    let dir = server.stop().await;

    let server = TestServer::start_in(dir, |c| c.postgres = Some(url.clone())).await;
    let mut bob = Client::resume(&server, &token).await;
    let Ok(Response::History(page)) = bob
        .call(Request::GetHistory {
            chat,
            before: None,
            limit: 10,
        })
        .await
    else {
        panic!("history");
    };
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].payload, b"hello from postgres");
    server.stop().await;
    tokio::task::spawn_blocking(move || drop(cluster))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_directory_finds_public_channels_by_word_prefixes_on_postgres() {
    let cluster = tokio::task::spawn_blocking(PgCluster::start).await.unwrap();
    let url = cluster.url();
    let server = TestServer::start_with(|c| c.postgres = Some(url.clone())).await;
    let mut owner = Client::register(&server, "owner").await;
    for (title, handle) in [("Rust news", Some("rustnews")), ("Secret club", None)] {
        let created = owner
            .call(Request::CreateChannel(NewChannel {
                title: title.into(),
                handle: handle.map(Into::into),
                description: format!("All about {title}"),
                topic: "technology".into(),
                language: "en".into(),
            }))
            .await;
        assert!(matches!(created, Ok(Response::Channel(_))), "{created:?}");
    }
    let search = |text: &str| {
        Request::SearchDirectory(DirectoryQuery {
            text: text.into(),
            limit: 10,
            ..DirectoryQuery::default()
        })
    };
    let titles = |answer| match answer {
        Ok(Response::Channels(list)) => list.into_iter().map(|c| c.title).collect::<Vec<_>>(),
        other => panic!("search: {other:?}"),
    };
    assert_eq!(titles(owner.call(search("rus NEW")).await), ["Rust news"]);
    assert_eq!(titles(owner.call(search("")).await), ["Rust news"]);
    assert!(
        titles(owner.call(search("secret")).await).is_empty(),
        "private channels are not listed"
    );
    assert!(titles(owner.call(search("python")).await).is_empty());
    server.stop().await;
    tokio::task::spawn_blocking(move || drop(cluster))
        .await
        .unwrap();
}
