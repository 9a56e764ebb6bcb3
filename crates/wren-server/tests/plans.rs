//! Plans: every Business-only action is refused on Free with its reason, allowed on
//! Business, and refused again once the plan's end has passed.

mod common;

use common::{assert_code, Client, TestServer};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wren_proto::{
    BusinessProfile, ChatId, ErrorCode, NewChannel, OpeningHours, PlanKind, QuickReply, Request,
    Response, Update,
};

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn profile() -> BusinessProfile {
    BusinessProfile {
        hours: vec![OpeningHours {
            day: 0,
            opens: 9 * 60,
            closes: 17 * 60,
        }],
        utc_offset_minutes: 60,
        address: "1 Harbour Street".into(),
        start_page: "Fresh bread every morning.".into(),
        greeting: "Hello! How can we help?".into(),
        away_message: "We are closed; we answer tomorrow.".into(),
        quick_replies: vec![QuickReply {
            shortcut: "hours".into(),
            text: "Monday 9 to 17".into(),
        }],
    }
}

fn channel(i: usize) -> Request {
    Request::CreateChannel(NewChannel {
        title: format!("Shop {i}"),
        handle: Some(format!("shop_channel_{i}")),
        description: String::new(),
        topic: "business".into(),
        language: "en".into(),
    })
}

async fn plan(client: &mut Client) -> (PlanKind, Option<u64>, u32) {
    match client.call(Request::GetPlan).await {
        Ok(Response::Plan(info)) => (info.plan, info.until, info.limits.public_channels),
        other => panic!("plan: {other:?}"),
    }
}

fn refusal(result: Result<Response, wren_proto::ErrorBody>) -> String {
    let body = result.expect_err("refused");
    assert_eq!(body.code, ErrorCode::Forbidden, "{body}");
    body.message
}

#[tokio::test]
async fn business_extras_follow_the_plan_and_end_with_it() {
    let server = TestServer::start().await;
    let mut shop = Client::register(&server, "shop").await;
    let mut customer = Client::register(&server, "customer").await;

    // Free: everything free works; the extras are refused with their reason.
    assert_eq!(plan(&mut shop).await, (PlanKind::Free, None, 10));
    let why = refusal(shop.call(Request::SetBusinessProfile(profile())).await);
    assert!(why.contains("Business plan"), "{why}");
    for i in 0..10 {
        shop.call(channel(i)).await.expect("a free public channel");
    }
    let why = refusal(shop.call(channel(10)).await);
    assert!(
        why.contains("10 public channels") && why.contains("Business"),
        "{why}"
    );

    // Business, for a few seconds.
    let until = now_ms() + 2_000;
    wren_server::set_plan(server.dir.path(), "shop", true, Some(until)).expect("grant");
    assert_eq!(plan(&mut shop).await, (PlanKind::Business, Some(until), 20));
    shop.call(Request::SetBusinessProfile(profile()))
        .await
        .expect("a business profile");
    let shown = customer
        .call(Request::GetBusinessProfile { account: shop.id() })
        .await;
    assert_eq!(shown, Ok(Response::BusinessProfile(Some(profile()))));
    shop.call(channel(10))
        .await
        .expect("the 11th public channel");
    let mut bad = profile();
    bad.hours[0].closes = 8 * 60;
    assert_code(
        &shop.call(Request::SetBusinessProfile(bad)).await,
        ErrorCode::BadRequest,
    );

    // The plan's end passes: refused again, and the profile is no longer shown.
    tokio::time::sleep(Duration::from_millis(until.saturating_sub(now_ms()) + 200)).await;
    assert_eq!(plan(&mut shop).await, (PlanKind::Free, None, 10));
    let why = refusal(shop.call(Request::SetBusinessProfile(profile())).await);
    assert!(why.contains("Business plan"), "{why}");
    refusal(shop.call(channel(11)).await);
    let shown = customer
        .call(Request::GetBusinessProfile { account: shop.id() })
        .await;
    assert_eq!(shown, Ok(Response::BusinessProfile(None)));

    // Granted without an end, then revoked.
    wren_server::set_plan(server.dir.path(), "shop", true, None).expect("grant");
    assert_eq!(plan(&mut shop).await, (PlanKind::Business, None, 20));
    wren_server::set_plan(server.dir.path(), "shop", false, None).expect("revoke");
    assert_eq!(plan(&mut shop).await, (PlanKind::Free, None, 10));
    assert!(wren_server::set_plan(server.dir.path(), "nobody_here", true, None).is_err());
}

async fn pin(
    client: &mut Client,
    chat: ChatId,
    pinned: bool,
) -> Result<Response, wren_proto::ErrorBody> {
    client.call(Request::SetChatPinned { chat, pinned }).await
}

async fn pinned(client: &mut Client) -> Vec<ChatId> {
    match client.call(Request::GetPinnedChats).await {
        Ok(Response::PinnedChats(chats)) => chats,
        other => panic!("pinned chats: {other:?}"),
    }
}

/// The next pin the account's other connection is told about.
async fn next_pin(client: &mut Client) -> (ChatId, bool) {
    loop {
        if let Update::ChatPinned { chat, pinned } = client.next_update().await.update {
            return (chat, pinned);
        }
    }
}

#[tokio::test]
async fn pins_reach_every_device_and_the_plan_doubles_how_many() {
    let server = TestServer::start().await;
    let mut alice = Client::register(&server, "alice").await;
    let mut bob = Client::register(&server, "bob").await;
    let mut chats = Vec::new();
    for i in 0..11 {
        chats.push(alice.group(&format!("group {i}"), &[]).await.id);
    }
    let mut laptop = Client::resume(&server, &alice.token()).await;

    // Free: five pins, told to the account's other connections as they happen.
    for &chat in &chats[..5] {
        pin(&mut alice, chat, true).await.expect("a free pin");
        assert_eq!(next_pin(&mut laptop).await, (chat, true));
    }
    pin(&mut alice, chats[4], true)
        .await
        .expect("pinned again: nothing changes");
    let why = refusal(pin(&mut alice, chats[5], true).await);
    assert_eq!(
        why,
        "5 chats are pinned, the most the Free plan allows; Business pins 10"
    );
    assert_eq!(pinned(&mut laptop).await, chats[..5].to_vec());
    pin(&mut alice, chats[0], false).await.expect("unpin");
    assert_eq!(next_pin(&mut laptop).await, (chats[0], false));
    pin(&mut alice, chats[5], true).await.expect("room again");
    // Only a member pins a chat.
    assert_code(&pin(&mut bob, chats[0], true).await, ErrorCode::Forbidden);

    // Business: ten.
    let until = now_ms() + 2_000;
    wren_server::set_plan(server.dir.path(), "alice", true, Some(until)).expect("grant");
    for &chat in &chats[6..10] {
        pin(&mut alice, chat, true).await.expect("a Business pin");
    }
    pin(&mut alice, chats[0], true)
        .await
        .expect("the tenth pin");
    let why = refusal(pin(&mut alice, chats[10], true).await);
    assert_eq!(
        why,
        "10 chats are pinned, the most the Business plan allows"
    );
    let ten = [&chats[1..10], &chats[..1]].concat();
    assert_eq!(
        pinned(&mut laptop).await,
        ten,
        "in the order they were pinned"
    );

    // The plan ends: the pins stay, a new one is refused until there is room on Free.
    tokio::time::sleep(Duration::from_millis(until.saturating_sub(now_ms()) + 200)).await;
    assert_eq!(pinned(&mut alice).await, ten);
    let why = refusal(pin(&mut alice, chats[10], true).await);
    assert!(why.contains("the Free plan allows"), "{why}");
    pin(&mut alice, chats[9], false)
        .await
        .expect("unpinning is always allowed");
    assert_eq!(pinned(&mut alice).await.len(), 9);
}
