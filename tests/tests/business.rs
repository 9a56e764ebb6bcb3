//! A business's automatic replies with real clients and a real server: a new contact gets
//! the greeting with their first message and the away message outside opening hours,
//! once each, even with two of the business's devices online.

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wren_core::{BusinessProfile, ChatId, Client, OpeningHours};
use wren_tests::{client_options, eventually, profile_dir, register, TestServer, PASSWORD};

const WAIT: Duration = Duration::from_secs(20);

/// Open only tomorrow, so closed now.
fn closed_today() -> BusinessProfile {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let today = ((now / 86_400_000 + 3) % 7) as u8;
    BusinessProfile {
        hours: vec![OpeningHours {
            day: (today + 1) % 7,
            opens: 9 * 60,
            closes: 17 * 60,
        }],
        greeting: "Welcome to the bakery! How can we help?".into(),
        away_message: "We are closed now; we answer tomorrow from 9.".into(),
        ..BusinessProfile::default()
    }
}

/// The texts `client` shows from others in the chat, oldest first.
async fn from_others(client: &Client, chat: ChatId) -> Vec<String> {
    let mut messages = client.history(chat, None, 50).await.unwrap_or_default();
    messages.reverse();
    messages
        .into_iter()
        .filter(|m| !m.outgoing)
        .map(|m| m.text)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_contact_is_greeted_and_told_the_business_is_closed_once() {
    let server = TestServer::start().await;
    let (bakery, _) = register(&server.url, server.scratch(), "bakery").await;
    let (customer, _) = register(&server.url, server.scratch(), "customer").await;
    let (plain, _) = register(&server.url, server.scratch(), "plain").await;
    wren_server::set_plan(&server.scratch().join("server"), "bakery", true, None).expect("grant");
    bakery
        .set_business_profile(closed_today())
        .await
        .expect("profile");
    // A second device of the bakery, online too: it must not answer a second time.
    let dir = profile_dir(server.scratch(), "bakery-laptop");
    let laptop = Client::open(client_options(&dir)).await.expect("open");
    laptop
        .login(&server.url, "bakery", PASSWORD)
        .await
        .expect("login");
    laptop.wait_synced(WAIT).await.expect("sync");

    let chat = customer.open_direct("bakery").await.expect("open").id;
    customer
        .send(chat, "Hello, do you have rye bread?", None)
        .await
        .expect("send");
    let expected = [
        "Welcome to the bakery! How can we help?",
        "We are closed now; we answer tomorrow from 9.",
    ];
    eventually(
        &customer,
        WAIT,
        "the greeting and the away message",
        || async {
            let got = from_others(&customer, chat).await;
            expected
                .iter()
                .all(|e| got.iter().any(|g| g == e))
                .then_some(())
        },
    )
    .await;
    customer
        .send(chat, "Anyone there?", None)
        .await
        .expect("send");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got = from_others(&customer, chat).await;
    assert_eq!(
        got, expected,
        "each once, whatever the devices and messages"
    );

    // An account without a business profile answers nothing by itself.
    let other = customer.open_direct("plain").await.expect("open").id;
    customer.send(other, "Hi", None).await.expect("send");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(from_others(&customer, other).await.is_empty());
    drop(plain);
    server.stop().await;
}
