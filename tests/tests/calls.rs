//! One-to-one call signalling between real clients through the real server: a call rings
//! every device of the callee, one answers and the others stop, either side hangs up;
//! declining, and a second caller while the callee is in a call. The signals are sealed
//! for the chat's MLS group, so the server forwards what it cannot read.

use std::time::Duration;
use wren_core::calls::{CallId, CallInfo, Direction, EndReason, Phase};
use wren_core::content::{CallOutcome, CallRecord};
use wren_core::{ChatId, Client, ClientEvent};
use wren_tests::PASSWORD;
use wren_tests::{client_options, eventually, next_event, profile_dir, register, TestServer};

const WAIT: Duration = Duration::from_secs(20);

async fn second_device(server: &TestServer, user: &str, name: &str) -> Client {
    let client = Client::open(client_options(&profile_dir(server.scratch(), name)))
        .await
        .expect("open");
    client
        .login(&server.url, user, PASSWORD)
        .await
        .expect("login");
    client.wait_synced(WAIT).await.expect("sync");
    client
}

/// Waits until the device's call is `call` in `phase`.
async fn in_phase(client: &Client, call: CallId, phase: Phase) -> CallInfo {
    eventually(client, WAIT, "the call reaches the phase", || async {
        match client.current_call().await {
            Some((info, now)) if info.id == call && now == phase => Some(info),
            _ => None,
        }
    })
    .await
}

/// Waits until the device rings for a call; returns it.
async fn rings(client: &Client) -> CallInfo {
    eventually(client, WAIT, "the device rings", || async {
        match client.current_call().await {
            Some((info, Phase::Ringing)) if info.direction == Direction::Incoming => Some(info),
            _ => None,
        }
    })
    .await
}

/// Waits until the chat's history on `client` ends with a call record; returns it.
async fn recorded(client: &Client, chat: ChatId) -> CallRecord {
    eventually(
        client,
        WAIT,
        "the call is in the chat's history",
        || async {
            let page = client.history(chat, None, 10).await.ok()?;
            page.into_iter().find_map(|m| m.call)
        },
    )
    .await
}

/// Waits for the call's end on a device whose events `events` receives.
async fn ends(
    events: &mut tokio::sync::broadcast::Receiver<ClientEvent>,
    call: CallId,
) -> (EndReason, Option<u64>) {
    next_event(events, WAIT, |event| match event {
        ClientEvent::CallEnded {
            call: info,
            reason,
            duration_ms,
        } if info.id == call => Some((reason, duration_ms)),
        _ => None,
    })
    .await
    .expect("the call ends")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_rings_every_device_one_answers_and_either_side_hangs_up() {
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let (carol, _) = register(&server.url, server.scratch(), "carol").await;
    let bob_laptop = second_device(&server, "bob", "bob-laptop").await;
    // Nothing was written in the chat yet: placing the call makes its encryption group.
    let chat: ChatId = alice.open_direct("bob").await.expect("open").id;
    let mut on_phone = bob.events();
    let mut on_laptop = bob_laptop.events();
    let mut on_alice = alice.events();

    let call = alice.start_call(chat, true).await.expect("call");
    assert_eq!(call.direction, Direction::Outgoing);
    for device in [&bob, &bob_laptop] {
        let ringing = rings(device).await;
        assert_eq!(ringing.id, call.id);
        assert!(ringing.video);
        assert_eq!(ringing.chat, chat);
        assert_eq!(ringing.peer, alice.account().expect("signed in").id);
    }
    in_phase(&alice, call.id, Phase::Ringing).await;

    // The laptop answers; the phone stops ringing.
    bob_laptop.accept_call(call.id).await.expect("answer");
    in_phase(
        &alice,
        call.id,
        Phase::Connected {
            peer_device: bob_laptop.this_device().await.expect("signed in"),
        },
    )
    .await;
    assert_eq!(
        ends(&mut on_phone, call.id).await,
        (EndReason::AnsweredElsewhere, None)
    );
    assert!(bob.current_call().await.is_none());
    // Both sides show the same four emojis of the call's key.
    let shown = alice.call_emojis(call.id).await.expect("alice's emojis");
    assert_eq!(bob_laptop.call_emojis(call.id).await, Some(shown));
    assert_eq!(bob.call_emojis(call.id).await, None, "not in the call");

    // Carol calls bob meanwhile: the phone is free again and rings; it declines.
    let carol_chat = carol.open_direct("bob").await.expect("open").id;
    let mut on_carol = carol.events();
    let second = carol.start_call(carol_chat, false).await.expect("call");
    assert_eq!(rings(&bob).await.id, second.id);
    bob.decline_call(second.id).await.expect("decline");
    assert_eq!(
        ends(&mut on_carol, second.id).await,
        (EndReason::Declined { by_me: false }, None)
    );
    assert!(
        matches!(
            bob_laptop.current_call().await,
            Some((info, Phase::Connected { .. })) if info.id == call.id
        ),
        "the call in progress goes on"
    );

    // Alice hangs up: the laptop sees it, with how long it lasted.
    tokio::time::sleep(Duration::from_millis(200)).await;
    alice.hang_up(call.id).await.expect("hang up");
    let (reason, duration) = ends(&mut on_laptop, call.id).await;
    assert_eq!(reason, EndReason::HungUp { by_me: false });
    assert!(duration.is_some_and(|ms| ms >= 200), "{duration:?}");
    let (reason, _) = ends(&mut on_alice, call.id).await;
    assert_eq!(reason, EndReason::HungUp { by_me: true });
    assert!(alice.current_call().await.is_none());
    assert_eq!(alice.call_emojis(call.id).await, None, "the key is gone");
    // The call is in the chat's history on every device, as the caller's device wrote it.
    for device in [&alice, &bob, &bob_laptop] {
        let record = recorded(device, chat).await;
        assert_eq!(record.outcome, CallOutcome::Answered);
        assert!(record.video);
    }
    // Carol's declined call too.
    assert_eq!(
        recorded(&bob, carol_chat).await.outcome,
        CallOutcome::Declined
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_call_stops_everywhere_and_a_busy_callee_is_told_so() {
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    let (carol, _) = register(&server.url, server.scratch(), "carol").await;
    let chat = alice.open_direct("bob").await.expect("open").id;
    alice
        .send(chat, "call you in a minute", None)
        .await
        .expect("send");
    let mut on_alice = alice.events();

    let call = alice.start_call(chat, false).await.expect("call");
    assert_eq!(rings(&bob).await.id, call.id);
    bob.decline_call(call.id).await.expect("decline");
    assert_eq!(
        ends(&mut on_alice, call.id).await,
        (EndReason::Declined { by_me: false }, None)
    );

    // Bob takes alice's next call; carol's call meanwhile hears busy.
    let call = alice.start_call(chat, false).await.expect("call again");
    rings(&bob).await;
    bob.accept_call(call.id).await.expect("answer");
    let carol_chat = carol.open_direct("bob").await.expect("open").id;
    let mut on_carol = carol.events();
    let mut on_bob = bob.events();
    let busy = carol.start_call(carol_chat, false).await.expect("call");
    assert_eq!(ends(&mut on_carol, busy.id).await, (EndReason::Busy, None));
    let missed = next_event(&mut on_bob, WAIT, |event| match event {
        ClientEvent::CallMissedWhileBusy { call } => Some(call),
        _ => None,
    })
    .await
    .expect("bob hears of the call he missed");
    assert_eq!(missed.id, busy.id);
    assert_eq!(recorded(&bob, carol_chat).await.outcome, CallOutcome::Busy);
    // Only one call at a time on a device.
    assert!(alice.start_call(chat, false).await.is_err());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_network_change_the_media_joins_the_relay_again_and_the_call_goes_on() {
    let server = TestServer::start_with(|config| config.media_port = Some(0)).await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let (bob, _) = register(&server.url, server.scratch(), "bob").await;
    for client in [&alice, &bob] {
        client.use_media_sources(wren_core::calls::media::MediaSources::Synthetic);
    }
    let chat: ChatId = alice.open_direct("bob").await.expect("open").id;
    let mut on_alice = alice.events();
    let call = alice.start_call(chat, true).await.expect("call");
    assert_eq!(rings(&bob).await.id, call.id);
    bob.accept_call(call.id).await.expect("answer");
    let connected = Phase::Connected {
        peer_device: bob.this_device().await.expect("signed in"),
    };
    in_phase(&alice, call.id, connected).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;

    // Alice's network changes mid-call: her media leaves the relay and joins again.
    alice.call_network_changed();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        alice
            .current_call()
            .await
            .map(|(info, phase)| (info.id, phase)),
        Some((call.id, connected)),
        "the call went on"
    );
    alice.hang_up(call.id).await.expect("hang up");
    ends(&mut on_alice, call.id).await;
    let stats = |client: &Client| {
        let client = client.clone();
        async move {
            eventually(&client, WAIT, "the call's media figures", || async {
                client.call_stats(call.id).await
            })
            .await
        }
    };
    let (from_alice, at_bob) = (stats(&alice).await, stats(&bob).await);
    assert_eq!(from_alice.rejoins, 1, "{from_alice:?}");
    assert_eq!(from_alice.transport, "quic");
    // Bob kept seeing alice after the change: the last picture he was shown is from the
    // call's last second (15 frames a second), and they came in order.
    let sent = from_alice.video_frames_sent;
    let last = u64::from(at_bob.last_frame_shown.expect("pictures shown"));
    assert!(
        last + 15 >= sent,
        "bob froze at {last} of {sent}: {at_bob:?}"
    );
    assert!(at_bob.video_in_order, "{at_bob:?}");
    assert!(
        at_bob.audio_frames_played * 100 >= from_alice.audio_frames_sent * 80,
        "{at_bob:?}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_are_listed_picked_and_an_unplugged_one_is_refused() {
    use wren_core::calls::media::MediaDeviceChoice;
    let server = TestServer::start().await;
    let (alice, _) = register(&server.url, server.scratch(), "alice").await;
    let offered = alice.media_devices().await.expect("list");
    assert_eq!(
        offered.chosen,
        MediaDeviceChoice::default(),
        "system defaults"
    );
    let unplugged = MediaDeviceChoice {
        camera: Some("97".into()),
        ..MediaDeviceChoice::default()
    };
    let refused = alice
        .choose_media_devices(unplugged)
        .await
        .expect_err("no such camera");
    assert_eq!(refused.code(), "not_found");
    assert!(refused.to_string().contains("camera \"97\""), "{refused}");
    // Whatever this machine has can be picked, and the pick is kept.
    let pick = MediaDeviceChoice {
        microphone: offered.microphones.first().map(|d| d.id.clone()),
        speaker: offered.speakers.first().map(|d| d.id.clone()),
        camera: offered.cameras.first().map(|d| d.id.clone()),
    };
    let answer = alice
        .choose_media_devices(pick.clone())
        .await
        .expect("choose");
    assert_eq!(answer.chosen, pick);
    assert_eq!(alice.media_devices().await.expect("list").chosen, pick);
    server.stop().await;
}
