//! Plans: every Business-only action is refused on Free with its reason, allowed on
//! Business, and refused again once the plan's end has passed.

mod common;

use common::{assert_code, Client, TestServer};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wren_proto::{
    BusinessProfile, ErrorCode, NewChannel, OpeningHours, PlanKind, QuickReply, Request, Response,
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
