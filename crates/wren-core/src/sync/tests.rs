//! The sync engine on a simulated clock, against an in-memory server.

use super::*;
use proptest::prelude::*;
use std::collections::VecDeque;
use wren_proto::{ChatKind, Seq, Update};

fn env(pts: u64) -> UpdateEnvelope {
    UpdateEnvelope {
        pts: Pts(pts),
        update: Update::ReadMark {
            chat: ChatId(1),
            account: wren_proto::AccountId(1),
            up_to: Seq(pts),
        },
    }
}

fn chat(id: u64) -> ChatInfo {
    ChatInfo {
        id: ChatId(id),
        kind: ChatKind::Group,
        title: format!("chat {id}"),
        members: Vec::new(),
        last_seq: Seq(0),
        read_seq: Seq(0),
        peers_read_seq: Seq(0),
        created_at: 0,
    }
}

fn settings(page: u32) -> SyncSettings {
    SyncSettings {
        page,
        ..SyncSettings::default()
    }
}

/// The server's side: an update log that answers difference requests, and a chat list
/// that answers in pages.
struct Log {
    len: u64,
    too_far: u64,
    /// A pts missing from the log: a difference page never gets past it.
    hole: Option<u64>,
    chats: u64,
    chat_page: u64,
}

impl Log {
    fn new(len: u64, too_far: u64) -> Log {
        Log {
            len,
            too_far,
            hole: None,
            chats: 3,
            chat_page: 2,
        }
    }

    fn difference(&self, since: Pts, limit: u32) -> Difference {
        if self.len - since.0 > self.too_far {
            return Difference::TooFarBehind {
                current: Pts(self.len),
            };
        }
        let end = (since.0 + u64::from(limit)).min(self.len);
        Difference::Updates {
            updates: (since.0 + 1..=end)
                .filter(|pts| Some(*pts) != self.hole)
                .map(env)
                .collect(),
            current: Pts(self.len),
        }
    }

    fn chats(&self, after: Option<ChatId>) -> (Vec<ChatInfo>, bool) {
        let start = after.map_or(1, |c| c.0 + 1);
        let end = (start + self.chat_page - 1).min(self.chats);
        ((start..=end).map(chat).collect(), end < self.chats)
    }
}

/// What the driver did, as the tests see it.
#[derive(Debug, Default)]
struct Seen {
    /// Applied pts; `u64::MAX` marks a reset.
    applied: Vec<u64>,
    /// The chat list of the last reset.
    reset: Option<Vec<ChatInfo>>,
    reconnects: usize,
}

/// Runs the actions, answering every request from the log at once.
fn run(
    engine: &mut SyncEngine,
    log: &Log,
    actions: Vec<SyncAction>,
    now: Instant,
    seen: &mut Seen,
) {
    let mut queue = VecDeque::from(actions);
    while let Some(action) = queue.pop_front() {
        match action {
            SyncAction::Apply(batch) => seen.applied.extend(batch.iter().map(|u| u.pts.0)),
            SyncAction::RequestDifference {
                ticket,
                since,
                limit,
            } => {
                queue.extend(engine.on_difference(ticket, log.difference(since, limit), now));
            }
            SyncAction::RequestChats { ticket, after } => {
                let (page, more) = log.chats(after);
                queue.extend(engine.on_chats(ticket, page, more, now));
            }
            SyncAction::Reset { chats, .. } => {
                seen.applied.push(u64::MAX);
                seen.reset = Some(chats);
            }
            SyncAction::RequestChat { chat, .. } => engine.on_chat_fetched(chat),
            SyncAction::Reconnect { .. } => seen.reconnects += 1,
            SyncAction::Progress { .. } | SyncAction::CaughtUp => {}
        }
    }
}

fn applied_pts(actions: &[SyncAction]) -> Vec<u64> {
    actions
        .iter()
        .filter_map(|a| match a {
            SyncAction::Apply(batch) => Some(batch.iter().map(|u| u.pts.0).collect::<Vec<_>>()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The only action, which must be a difference request: its ticket and `since`.
fn difference_request(actions: &[SyncAction]) -> (Ticket, Pts) {
    match actions {
        [SyncAction::RequestDifference { ticket, since, .. }] => (*ticket, *since),
        other => panic!("expected one difference request, got {other:?}"),
    }
}

/// The only action, which must be a chat list request: its ticket and `after`.
fn chats_request(actions: &[SyncAction]) -> (Ticket, Option<ChatId>) {
    match actions {
        [SyncAction::RequestChats { ticket, after }] => (*ticket, *after),
        other => panic!("expected one chat list request, got {other:?}"),
    }
}

#[test]
fn consecutive_updates_apply_at_once_and_duplicates_are_ignored() {
    let now = Instant::now();
    let mut engine = SyncEngine::new(Pts(0));
    assert_eq!(engine.on_connected(Pts(0), now), vec![SyncAction::CaughtUp]);
    assert_eq!(applied_pts(&engine.on_update(env(1), now)), vec![1]);
    assert_eq!(applied_pts(&engine.on_update(env(2), now)), vec![2]);
    assert_eq!(engine.on_update(env(2), now), vec![]);
    assert_eq!(engine.on_update(env(1), now), vec![]);
    assert_eq!(engine.pts(), Pts(2));
    assert!(engine.is_caught_up());
}

#[test]
fn a_gap_that_stays_open_turns_into_a_difference_request() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::with_settings(Pts(0), settings(100));
    engine.on_connected(Pts(0), t0);
    assert_eq!(applied_pts(&engine.on_update(env(1), t0)), vec![1]);
    assert_eq!(
        applied_pts(&engine.on_update(env(3), t0)),
        Vec::<u64>::new()
    );
    assert_eq!(engine.poll_timeout(), Some(t0 + Duration::from_millis(500)));
    assert_eq!(
        engine.handle_timeout(t0 + Duration::from_millis(499)),
        vec![]
    );
    let actions = engine.handle_timeout(t0 + Duration::from_millis(500));
    assert!(matches!(
        actions[..],
        [SyncAction::RequestDifference {
            since: Pts(1),
            limit: 100,
            ..
        }]
    ));
    // The difference brings 2 and 3; the buffered 3 is not applied twice; 4 arrives live meanwhile.
    assert_eq!(engine.on_update(env(4), t0), vec![]);
    let mut seen = Seen::default();
    run(&mut engine, &Log::new(3, 1000), actions, t0, &mut seen);
    assert_eq!(seen.applied, vec![2, 3, 4]);
    assert!(engine.is_caught_up());
}

#[test]
fn a_gap_closed_by_a_late_update_needs_no_difference() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(10));
    engine.on_connected(Pts(10), t0);
    assert_eq!(
        applied_pts(&engine.on_update(env(12), t0)),
        Vec::<u64>::new()
    );
    assert_eq!(
        applied_pts(&engine.on_update(env(13), t0)),
        Vec::<u64>::new()
    );
    assert_eq!(
        applied_pts(&engine.on_update(env(11), t0)),
        vec![11, 12, 13]
    );
    assert_eq!(engine.poll_timeout(), None);
    assert_eq!(engine.handle_timeout(t0 + Duration::from_secs(5)), vec![]);
}

#[test]
fn reconnecting_after_a_long_outage_fetches_page_by_page_with_progress() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::with_settings(Pts(100), settings(1000));
    let log = Log::new(2600, 100_000);
    let (ticket, since) = difference_request(&engine.on_connected(Pts(2600), t0));
    assert_eq!(since, Pts(100));
    // Live updates arriving during the catch-up wait in the buffer.
    assert_eq!(engine.on_update(env(2601), t0), vec![]);
    let first = engine.on_difference(ticket, log.difference(since, 1000), t0);
    assert_eq!(
        first[1],
        SyncAction::Progress {
            done: 1000,
            total: 2501
        }
    );
    assert!(matches!(
        first[2],
        SyncAction::RequestDifference {
            since: Pts(1100),
            limit: 1000,
            ..
        }
    ));
    let mut seen = Seen {
        applied: applied_pts(&first),
        ..Seen::default()
    };
    run(&mut engine, &log, vec![first[2].clone()], t0, &mut seen);
    assert_eq!(seen.applied, (101..=2601).collect::<Vec<_>>());
    assert!(engine.is_caught_up());
}

#[test]
fn too_far_behind_resets_and_continues_from_the_server_pts() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(5));
    let log = Log::new(500_000, 100_000);
    let actions = engine.on_connected(Pts(500_000), t0);
    let mut seen = Seen::default();
    run(&mut engine, &log, actions, t0, &mut seen);
    assert_eq!(seen.applied, vec![u64::MAX]);
    assert_eq!(engine.pts(), Pts(500_000));
    assert!(engine.is_caught_up());
    assert_eq!(
        applied_pts(&engine.on_update(env(500_001), t0)),
        vec![500_001]
    );
}

#[test]
fn a_server_restored_from_a_backup_is_followed_back_to_its_pts() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(900));
    let log = Log::new(600, 100_000);
    let actions = engine.on_connected(Pts(600), t0);
    let mut seen = Seen::default();
    run(&mut engine, &log, actions, t0, &mut seen);
    assert_eq!(
        seen.applied,
        vec![u64::MAX],
        "the chat list is fetched again"
    );
    assert_eq!(engine.pts(), Pts(600));
    assert!(engine.is_caught_up());
    assert_eq!(
        applied_pts(&engine.on_update(env(601), t0)),
        vec![601],
        "the numbers the server hands out again are applied, not taken for duplicates"
    );
}

#[test]
fn a_reset_fetches_every_page_of_a_very_long_chat_list() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(5));
    let log = Log {
        chats: 250_000,
        chat_page: 7_000,
        ..Log::new(500_000, 100_000)
    };
    let (ticket, _) = difference_request(&engine.on_connected(Pts(500_000), t0));
    let mut actions = engine.on_difference(ticket, log.difference(Pts(5), 1000), t0);
    let mut pages = 0;
    let list = loop {
        match &actions[..] {
            [SyncAction::RequestChats { ticket, after }] => {
                pages += 1;
                // A live update during the reset waits for it.
                let (page, more) = log.chats(*after);
                let ticket = *ticket;
                assert_eq!(engine.on_update(env(500_000 + pages), t0), vec![]);
                actions = engine.on_chats(ticket, page, more, t0);
            }
            [SyncAction::Reset { chats, pts }, SyncAction::Apply(_), SyncAction::CaughtUp] => {
                assert_eq!(*pts, Pts(500_000));
                assert_eq!(
                    applied_pts(&actions),
                    (500_001..=500_000 + pages).collect::<Vec<_>>()
                );
                break chats.clone();
            }
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(pages, 36);
    assert_eq!(list.len(), 250_000);
    assert!(list.iter().zip(1..).all(|(c, id)| c.id == ChatId(id)));
    assert!(engine.is_caught_up());
}

#[test]
fn a_chat_page_that_breaks_the_paging_contract_is_a_failed_attempt() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(0));
    let log = Log::new(10, 0);
    let (ticket, _) = difference_request(&engine.on_connected(Pts(10), t0));
    let (ticket, after) =
        chats_request(&engine.on_difference(ticket, log.difference(Pts(0), 1000), t0));
    assert_eq!(after, None);
    // Empty while more follow would ask for the same page forever.
    assert_eq!(engine.on_chats(ticket, vec![], true, t0), vec![]);
    let due = engine.poll_timeout().expect("a retry");
    let (ticket, after) = chats_request(&engine.handle_timeout(due));
    assert_eq!(after, None);
    let (ticket, after) =
        chats_request(&engine.on_chats(ticket, vec![chat(4), chat(5)], true, due));
    assert_eq!(after, Some(ChatId(5)));
    // A page that goes back is refused too, and the same page is asked for again.
    assert_eq!(
        engine.on_chats(ticket, vec![chat(5), chat(6)], false, due),
        vec![]
    );
    let due = engine.poll_timeout().expect("a retry");
    let (ticket, after) = chats_request(&engine.handle_timeout(due));
    assert_eq!(after, Some(ChatId(5)));
    let actions = engine.on_chats(ticket, vec![chat(6)], false, due);
    assert!(matches!(&actions[0], SyncAction::Reset { chats, pts: Pts(10) } if chats.len() == 3));
    assert!(engine.is_caught_up());
}

#[test]
fn a_reset_whose_chat_list_keeps_failing_reconnects_after_bounded_retries() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(0));
    let log = Log::new(10, 0);
    let (ticket, _) = difference_request(&engine.on_connected(Pts(10), t0));
    let mut actions = engine.on_difference(ticket, log.difference(Pts(0), 1000), t0);
    let mut now = t0;
    let mut delays = Vec::new();
    let mut requests = 0;
    let reason = loop {
        match &actions[..] {
            [SyncAction::RequestChats {
                ticket,
                after: None,
            }] => {
                requests += 1;
                actions = engine.on_request_failed(*ticket, now);
                if actions.is_empty() {
                    let due = engine.poll_timeout().expect("a retry is scheduled");
                    delays.push(due - now);
                    now = due;
                    assert_eq!(
                        engine.handle_timeout(due - Duration::from_millis(1)),
                        vec![]
                    );
                    actions = engine.handle_timeout(now);
                }
            }
            [SyncAction::Reconnect { reason }] => break reason.clone(),
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(requests, 5);
    assert!(reason.contains("chat list"), "{reason}");
    // The delays grow: 0.25–0.5 s, 0.5–1 s, 1–2 s, 2–4 s.
    assert_eq!(delays.len(), 4);
    for (delay, ceiling) in delays.iter().zip([500, 1000, 2000, 4000]) {
        assert!(
            *delay >= Duration::from_millis(ceiling / 2)
                && *delay <= Duration::from_millis(ceiling),
            "{delays:?}"
        );
    }
    // Nothing is pending until the driver has connected again; then it starts over.
    assert_eq!(engine.poll_timeout(), None);
    engine.on_disconnected();
    let actions = engine.on_connected(Pts(10), now);
    let mut seen = Seen::default();
    run(&mut engine, &log, actions, now, &mut seen);
    assert_eq!(seen.applied, vec![u64::MAX]);
    assert!(engine.is_caught_up());
}

#[test]
fn a_difference_that_never_comes_times_out_is_retried_then_resets() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(0));
    let log = Log::new(20, 1000);
    let (first, since) = difference_request(&engine.on_connected(Pts(20), t0));
    assert_eq!(since, Pts(0));
    assert_eq!(engine.poll_timeout(), Some(t0 + Duration::from_secs(30)));
    assert_eq!(
        engine.handle_timeout(t0 + Duration::from_millis(29_999)),
        vec![]
    );
    // Timed out: nothing goes out at once, the retry waits for its delay.
    let timed_out = t0 + Duration::from_secs(30);
    assert_eq!(engine.handle_timeout(timed_out), vec![]);
    let retry_at = engine.poll_timeout().expect("a retry");
    assert!(retry_at > timed_out && retry_at <= timed_out + Duration::from_millis(500));
    let (second, since) = difference_request(&engine.handle_timeout(retry_at));
    assert_eq!(since, Pts(0));
    assert_ne!(first, second);
    // The late answer to the abandoned request is ignored.
    assert_eq!(
        engine.on_difference(first, log.difference(Pts(0), 1000), retry_at),
        vec![]
    );
    assert_eq!(engine.pts(), Pts(0));
    // Four more attempts time out too; then the engine resets from the highest pts known.
    let mut now = retry_at;
    let mut actions = Vec::new();
    for attempt in 2..=5 {
        now += Duration::from_secs(30);
        actions = engine.handle_timeout(now);
        if attempt < 5 {
            assert_eq!(actions, vec![]);
            now = engine.poll_timeout().expect("a retry");
            difference_request(&engine.handle_timeout(now));
        }
    }
    let (ticket, after) = chats_request(&actions);
    assert_eq!(after, None);
    let (page, more) = log.chats(None);
    let (ticket, _) = chats_request(&engine.on_chats(ticket, page, more, now));
    let (page, more) = log.chats(Some(ChatId(2)));
    let actions = engine.on_chats(ticket, page, more, now);
    assert!(
        matches!(&actions[..], [SyncAction::Reset { chats, pts: Pts(20) }, SyncAction::CaughtUp] if chats.len() == 3)
    );
    assert!(engine.is_caught_up());
}

#[test]
fn a_chat_that_cannot_be_fetched_is_retried_then_resets() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(0));
    engine.on_connected(Pts(0), t0);
    assert_eq!(applied_pts(&engine.on_update(env(1), t0)), vec![1]);
    let actions = engine.on_unknown_chats([ChatId(9)], t0);
    let [SyncAction::RequestChat {
        ticket,
        chat: ChatId(9),
    }] = actions[..]
    else {
        panic!("expected a chat request, got {actions:?}");
    };
    assert!(!engine.is_caught_up());
    // Asked for once while in flight.
    assert_eq!(engine.on_unknown_chats([ChatId(9)], t0), vec![]);
    // An error answer, then timeouts.
    assert_eq!(engine.on_request_failed(ticket, t0), vec![]);
    let mut now = engine.poll_timeout().expect("a retry");
    let mut actions = engine.handle_timeout(now);
    for _ in 2..5 {
        assert!(matches!(
            actions[..],
            [SyncAction::RequestChat {
                chat: ChatId(9),
                ..
            }]
        ));
        now += Duration::from_secs(30);
        assert_eq!(engine.handle_timeout(now), vec![]);
        now = engine.poll_timeout().expect("a retry");
        actions = engine.handle_timeout(now);
    }
    assert!(matches!(
        actions[..],
        [SyncAction::RequestChat {
            chat: ChatId(9),
            ..
        }]
    ));
    now += Duration::from_secs(30);
    let (ticket, after) = chats_request(&engine.handle_timeout(now));
    assert_eq!(after, None);
    let actions = engine.on_chats(ticket, vec![chat(9)], false, now);
    assert!(matches!(
        &actions[..],
        [SyncAction::Reset { pts: Pts(1), .. }, SyncAction::CaughtUp]
    ));
    assert!(engine.is_caught_up());
}

#[test]
fn a_chat_fetch_cut_off_by_a_disconnect_is_asked_for_again() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(0));
    engine.on_connected(Pts(0), t0);
    assert_eq!(engine.on_unknown_chats([ChatId(3)], t0).len(), 1);
    engine.on_disconnected();
    assert_eq!(engine.poll_timeout(), None);
    let actions = engine.on_connected(Pts(0), t0);
    assert!(matches!(
        actions[..],
        [
            SyncAction::RequestChat {
                chat: ChatId(3),
                ..
            },
            SyncAction::CaughtUp
        ]
    ));
    engine.on_chat_fetched(ChatId(3));
    assert!(engine.is_caught_up());
}

#[test]
fn a_gap_inside_the_servers_answer_is_retried_a_few_times_then_resets() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(0));
    let log = Log {
        hole: Some(1),
        ..Log::new(50, 1000)
    };
    let mut actions = engine.on_connected(Pts(50), t0);
    let mut now = t0;
    let mut differences = 0;
    let mut seen = Seen::default();
    // Every page starts at since + 2; the engine must not ask again at once, nor forever.
    let ticket = loop {
        match &actions[..] {
            [SyncAction::RequestDifference {
                ticket,
                since,
                limit,
            }] => {
                differences += 1;
                assert_eq!(*since, Pts(0));
                actions = engine.on_difference(*ticket, log.difference(*since, *limit), now);
                if actions.is_empty() {
                    let due = engine.poll_timeout().expect("a retry");
                    assert!(due > now);
                    now = due;
                    actions = engine.handle_timeout(now);
                }
            }
            [SyncAction::RequestChats {
                ticket,
                after: None,
            }] => break *ticket,
            other => panic!("unexpected {other:?}"),
        }
        assert!(differences <= 5, "the difference is asked for forever");
    };
    assert_eq!(differences, 5);
    assert!(now - t0 < Duration::from_secs(10));
    let (page, more) = log.chats(None);
    let actions = engine.on_chats(ticket, page, more, now);
    run(&mut engine, &log, actions, now, &mut seen);
    assert_eq!(seen.applied, vec![u64::MAX]);
    assert_eq!(engine.pts(), Pts(50));
    assert!(engine.is_caught_up());
}

#[test]
fn a_gap_inside_a_later_page_applies_what_comes_before_it() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::with_settings(Pts(0), settings(10));
    let log = Log {
        hole: Some(15),
        ..Log::new(30, 1000)
    };
    let (ticket, _) = difference_request(&engine.on_connected(Pts(30), t0));
    let actions = engine.on_difference(ticket, log.difference(Pts(0), 10), t0);
    assert_eq!(applied_pts(&actions), (1..=10).collect::<Vec<_>>());
    let (ticket, since) = difference_request(&actions[2..]);
    let actions = engine.on_difference(ticket, log.difference(since, 10), t0);
    assert_eq!(applied_pts(&actions), (11..=14).collect::<Vec<_>>());
    let (ticket, since) = difference_request(&actions[2..]);
    assert_eq!(since, Pts(14));
    // From here on, no page continues at 15: a failed attempt.
    assert_eq!(
        engine.on_difference(ticket, log.difference(since, 10), t0),
        vec![]
    );
    assert!(engine.poll_timeout().is_some_and(|due| due > t0));
}

#[test]
fn a_heartbeat_reporting_a_higher_pts_opens_a_gap() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(7));
    engine.on_connected(Pts(7), t0);
    engine.on_remote_pts(Pts(9), t0);
    assert!(!engine.is_caught_up());
    let due = engine.poll_timeout().expect("a deadline");
    let (_, since) = difference_request(&engine.handle_timeout(due));
    assert_eq!(since, Pts(7));
}

#[test]
fn an_unhelpful_difference_waits_before_asking_again() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(0));
    let (ticket, _) = difference_request(&engine.on_connected(Pts(3), t0));
    let empty = Difference::Updates {
        updates: vec![],
        current: Pts(3),
    };
    assert_eq!(engine.on_difference(ticket, empty, t0), vec![]);
    let due = engine.poll_timeout().expect("a retry");
    assert!(due > t0 && due <= t0 + Duration::from_millis(500));
    // A failure reported for the request already answered changes nothing.
    assert_eq!(engine.on_request_failed(ticket, t0), vec![]);
    assert_eq!(engine.poll_timeout(), Some(due));
    assert_eq!(applied_pts(&engine.handle_timeout(due)), Vec::<u64>::new());
}

#[test]
fn nothing_is_applied_while_offline() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(0));
    assert_eq!(engine.on_update(env(1), t0), vec![]);
    assert_eq!(engine.pts(), Pts(0));
}

proptest! {
    /// Whatever the network does to live pushes (drops, duplicates, reordering), the
    /// applied sequence is 1..=n, each exactly once, in order.
    #[test]
    fn any_delivery_applies_every_update_exactly_once_in_order(
        n in 1u64..300,
        deliveries in proptest::collection::vec((1u64..300, 0u64..3), 0..600),
        page in 1u32..50,
    ) {
        let t0 = Instant::now();
        let log = Log::new(n, 1_000_000);
        let mut engine = SyncEngine::with_settings(Pts(0), settings(page));
        let mut seen = Seen::default();
        let mut now = t0;
        let actions = engine.on_connected(Pts(0), now);
        run(&mut engine, &log, actions, now, &mut seen);
        for (pts, delay) in deliveries {
            let pts = 1 + pts % n;
            now += Duration::from_millis(delay * 200);
            let mut actions = engine.handle_timeout(now);
            actions.extend(engine.on_update(env(pts), now));
            run(&mut engine, &log, actions, now, &mut seen);
        }
        engine.on_remote_pts(Pts(n), now);
        now += Duration::from_secs(1);
        let actions = engine.handle_timeout(now);
        run(&mut engine, &log, actions, now, &mut seen);
        prop_assert_eq!(seen.applied, (1..=n).collect::<Vec<_>>());
        prop_assert_eq!(seen.reconnects, 0);
        prop_assert!(engine.is_caught_up());
    }
}
