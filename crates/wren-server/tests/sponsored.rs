//! Sponsored messages: shown only in large public channels to Free readers, the same for
//! every reader, counted once per account, and never recorded next to a reader.

mod common;

use common::{assert_code, insert_accounts, Client, TestServer};
use wren_proto::{
    CampaignReport, ChannelEarnings, ChannelId, ErrorCode, NewCampaign, NewChannel, Request,
    Response, SponsoredAction, SponsoredMessage, SponsoredTarget,
};

const THRESHOLD: u64 = 50;

fn campaign(title: &str, topic: &str, budget: u64) -> NewCampaign {
    NewCampaign {
        title: title.into(),
        text: "Keyboards for people who type all day.".into(),
        target: SponsoredTarget::Link("https://example.com/keyboards".into()),
        button: "Shop now".into(),
        topics: vec![topic.into()],
        languages: vec!["en".into()],
        budget,
    }
}

async fn channel(owner: &mut Client, title: &str, handle: Option<&str>) -> ChannelId {
    let new = NewChannel {
        title: title.into(),
        handle: handle.map(Into::into),
        description: String::new(),
        topic: "technology".into(),
        language: "en".into(),
    };
    match owner.call(Request::CreateChannel(new)).await {
        Ok(Response::Channel(info)) => info.id,
        other => panic!("channel: {other:?}"),
    }
}

async fn served(reader: &mut Client, channel: ChannelId) -> Option<SponsoredMessage> {
    match reader.call(Request::GetSponsored { channel }).await {
        Ok(Response::Sponsored(message)) => message,
        other => panic!("sponsored: {other:?}"),
    }
}

async fn event(
    reader: &mut Client,
    message: &SponsoredMessage,
    action: SponsoredAction,
) -> Result<Response, wren_proto::ErrorBody> {
    reader
        .call(Request::SponsoredEvent {
            campaign: message.campaign,
            channel: message.channel,
            action,
        })
        .await
}

async fn reports(advertiser: &mut Client) -> Vec<CampaignReport> {
    match advertiser.call(Request::MyCampaigns).await {
        Ok(Response::Campaigns(list)) => list,
        other => panic!("campaigns: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sponsored_messages_only_in_large_public_channels_counted_without_recording_readers() {
    let server = TestServer::start_with(|c| c.sponsored_min_subscribers = THRESHOLD).await;
    let mut advertiser = Client::register(&server, "advertiser").await;
    // Accounts that exist before the readers, so that no count of the test can be
    // mistaken for a reader's id in the scan below.
    insert_accounts(&server, 5_000, None);
    let mut owner = Client::register(&server, "owner").await;
    let mut reader = Client::register(&server, "reader").await;
    let mut second = Client::register(&server, "second").await;
    let mut business = Client::register(&server, "business").await;
    wren_server::set_plan(server.dir.path(), "business", true, None).expect("grant");

    let big = channel(&mut owner, "Big tech", Some("big_tech")).await;
    let small = channel(&mut owner, "Small tech", Some("small_tech")).await;
    let private = channel(&mut owner, "Private tech", None).await;
    insert_accounts(&server, THRESHOLD as usize, Some(big.0));
    insert_accounts(&server, 10, Some(small.0));
    insert_accounts(&server, THRESHOLD as usize, Some(private.0));
    let Ok(Response::Invite(invite)) = owner.call(Request::CreateInvite { channel: private }).await
    else {
        panic!("invite");
    };
    for client in [&mut reader, &mut second, &mut business] {
        for channel in [big, small] {
            client
                .call(Request::Subscribe { channel })
                .await
                .expect("subscribe");
        }
        client
            .call(Request::JoinByInvite {
                link: invite.link.clone(),
            })
            .await
            .expect("join");
    }

    let bad = NewCampaign {
        text: "x".repeat(161),
        ..campaign("Too long", "technology", 10)
    };
    assert_code(
        &advertiser.call(Request::CreateCampaign(bad)).await,
        ErrorCode::BadRequest,
    );
    for new in [
        campaign("Keyboards", "technology", 100),
        campaign("Bread", "food", 100),
    ] {
        let made = advertiser.call(Request::CreateCampaign(new)).await;
        assert!(matches!(made, Ok(Response::Campaign(_))), "{made:?}");
    }

    // Where it shows, and to whom: the same message for every Free reader of the big
    // public channel; nothing in the small or the private one, nothing for Business.
    let shown = served(&mut reader, big).await.expect("an eligible channel");
    assert_eq!(shown.title, "Keyboards", "chosen by the channel's topic");
    assert_eq!(served(&mut second, big).await, Some(shown.clone()));
    assert_eq!(served(&mut reader, small).await, None);
    assert_eq!(served(&mut reader, private).await, None);
    assert_eq!(served(&mut business, big).await, None);

    // Counted once per account, whatever a client repeats.
    for _ in 0..3 {
        event(&mut reader, &shown, SponsoredAction::Shown)
            .await
            .expect("shown");
    }
    event(&mut second, &shown, SponsoredAction::Shown)
        .await
        .expect("shown");
    event(&mut reader, &shown, SponsoredAction::Clicked)
        .await
        .expect("clicked");
    event(&mut second, &shown, SponsoredAction::Reported)
        .await
        .expect("reported");
    let small_event = SponsoredMessage {
        channel: small,
        ..shown.clone()
    };
    assert_code(
        &event(&mut reader, &small_event, SponsoredAction::Shown).await,
        ErrorCode::BadRequest,
    );
    assert_code(
        &event(&mut business, &shown, SponsoredAction::Shown).await,
        ErrorCode::BadRequest,
    );
    let report = reports(&mut advertiser)
        .await
        .into_iter()
        .find(|r| r.campaign.title == "Keyboards")
        .expect("report");
    assert_eq!((report.shown, report.clicks, report.reports), (2, 1, 1));
    assert!(
        reports(&mut reader).await.is_empty(),
        "only the advertiser's"
    );

    // The channel's owner sees its impressions and half the revenue; readers do not.
    assert_eq!(
        owner.call(Request::ChannelEarnings { channel: big }).await,
        Ok(Response::Earnings(ChannelEarnings {
            shown: 2,
            credits_milli: 1_000
        }))
    );
    assert_code(
        &reader.call(Request::ChannelEarnings { channel: big }).await,
        ErrorCode::Forbidden,
    );

    // A spent budget and a stopped campaign are shown no more.
    assert_code(
        &reader
            .call(Request::StopCampaign {
                campaign: shown.campaign,
            })
            .await,
        ErrorCode::NotFound,
    );
    advertiser
        .call(Request::StopCampaign {
            campaign: shown.campaign,
        })
        .await
        .expect("stop");
    assert_eq!(served(&mut reader, big).await, None);
    let Ok(Response::Campaign(once)) = advertiser
        .call(Request::CreateCampaign(campaign("Once", "technology", 1)))
        .await
    else {
        panic!("campaign");
    };
    let one = served(&mut reader, big).await.expect("the new campaign");
    assert_eq!(one.campaign, once.id);
    event(&mut reader, &one, SponsoredAction::Shown)
        .await
        .expect("shown");
    assert_eq!(served(&mut second, big).await, None, "its budget is spent");

    // No table holds a reader's account or device id next to a campaign or an impression.
    let readers: Vec<i64> = [&reader, &second, &business]
        .iter()
        .flat_map(|c| {
            let session = c.session.as_ref().expect("signed in");
            [session.account.id.0 as i64, session.device.0 as i64]
        })
        .collect();
    let db = rusqlite::Connection::open(server.dir.path().join("wren.db")).expect("db");
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<Result<_, _>>()
        .expect("tables");
    let mut scanned = 0;
    for table in tables {
        let columns: Vec<String> = db
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .expect("columns")
            .query_map([], |r| r.get(0))
            .expect("columns")
            .collect::<Result<_, _>>()
            .expect("columns");
        let about_ads = table.contains("campaign")
            || table.contains("sponsored")
            || columns.iter().any(|c| c.contains("campaign"));
        if !about_ads {
            continue;
        }
        scanned += 1;
        let mut rows = db.prepare(&format!("SELECT * FROM {table}")).expect("rows");
        let width = columns.len();
        let cells: Vec<Vec<rusqlite::types::Value>> = rows
            .query_map([], |r| (0..width).map(|i| r.get(i)).collect())
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        for row in cells {
            for cell in row {
                if let rusqlite::types::Value::Integer(v) = cell {
                    assert!(
                        !readers.contains(&v),
                        "{table} holds a reader's id ({v}) next to a campaign"
                    );
                }
            }
        }
    }
    assert_eq!(scanned, 2, "campaigns and channel_sponsored");
    let files: Vec<String> = std::fs::read_dir(server.dir.path())
        .expect("data dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    assert!(
        files
            .iter()
            .all(|f| f.starts_with("wren.db") || f == "wren.lock"),
        "the server keeps no other file (no impression log): {files:?}"
    );
    let lock = std::fs::metadata(server.dir.path().join("wren.lock")).expect("lock file");
    assert_eq!(lock.len(), 0, "the lock file holds nothing");
}
