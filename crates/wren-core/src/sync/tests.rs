//! The sync engine on a simulated clock, against an in-memory update log.

use super::*;
use proptest::prelude::*;
use wren_proto::{ChatId, Seq, Update};

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

/// The server's side: an update log that answers difference requests.
struct Log {
    len: u64,
    too_far: u64,
}

impl Log {
    fn difference(&self, since: Pts, limit: u32) -> Difference {
        if self.len - since.0 > self.too_far {
            return Difference::TooFarBehind {
                current: Pts(self.len),
            };
        }
        let end = (since.0 + u64::from(limit)).min(self.len);
        Difference::Updates {
            updates: (since.0 + 1..=end).map(env).collect(),
            current: Pts(self.len),
        }
    }
}

/// Runs the actions, answering difference requests from the log; returns applied pts.
fn run(
    engine: &mut SyncEngine,
    log: &Log,
    actions: Vec<SyncAction>,
    now: Instant,
    applied: &mut Vec<u64>,
) {
    let mut queue = std::collections::VecDeque::from(actions);
    while let Some(action) = queue.pop_front() {
        match action {
            SyncAction::Apply(batch) => applied.extend(batch.iter().map(|u| u.pts.0)),
            SyncAction::RequestDifference { since, limit } => {
                queue.extend(engine.on_difference(log.difference(since, limit), now));
            }
            SyncAction::Reset { current } => {
                applied.push(u64::MAX); // marks a reset in the applied sequence
                queue.extend(engine.on_reset(current, now));
            }
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

#[test]
fn consecutive_updates_apply_at_once_and_duplicates_are_ignored() {
    let now = Instant::now();
    let mut engine = SyncEngine::new(Pts(0));
    assert_eq!(engine.on_connected(Pts(0)), vec![SyncAction::CaughtUp]);
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
    let mut engine = SyncEngine::with_settings(Pts(0), Duration::from_millis(500), 100);
    engine.on_connected(Pts(0));
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
    assert_eq!(
        actions,
        vec![SyncAction::RequestDifference {
            since: Pts(1),
            limit: 100
        }]
    );
    // The difference brings 2 and 3; the buffered 3 is not applied twice; 4 arrives live meanwhile.
    assert_eq!(engine.on_update(env(4), t0), vec![]);
    let log = Log {
        len: 3,
        too_far: 1000,
    };
    let mut applied = Vec::new();
    run(&mut engine, &log, actions, t0, &mut applied);
    assert_eq!(applied, vec![2, 3, 4]);
    assert!(engine.is_caught_up());
}

#[test]
fn a_gap_closed_by_a_late_update_needs_no_difference() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(10));
    engine.on_connected(Pts(10));
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
    let mut engine = SyncEngine::with_settings(Pts(100), Duration::from_millis(500), 1000);
    let log = Log {
        len: 2600,
        too_far: 100_000,
    };
    let actions = engine.on_connected(Pts(2600));
    assert_eq!(
        actions,
        vec![SyncAction::RequestDifference {
            since: Pts(100),
            limit: 1000
        }]
    );
    // Live updates arriving during the catch-up wait in the buffer.
    assert_eq!(engine.on_update(env(2601), t0), vec![]);
    let first = engine.on_difference(log.difference(Pts(100), 1000), t0);
    assert_eq!(
        first[1],
        SyncAction::Progress {
            done: 1000,
            total: 2501
        }
    );
    assert_eq!(
        first[2],
        SyncAction::RequestDifference {
            since: Pts(1100),
            limit: 1000
        }
    );
    let mut applied = applied_pts(&first);
    run(&mut engine, &log, vec![first[2].clone()], t0, &mut applied);
    assert_eq!(applied, (101..=2601).collect::<Vec<_>>());
    assert!(engine.is_caught_up());
}

#[test]
fn too_far_behind_resets_and_continues_from_the_server_pts() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(5));
    let log = Log {
        len: 500_000,
        too_far: 100_000,
    };
    let actions = engine.on_connected(Pts(500_000));
    let mut applied = Vec::new();
    run(&mut engine, &log, actions, t0, &mut applied);
    assert_eq!(applied, vec![u64::MAX]);
    assert_eq!(engine.pts(), Pts(500_000));
    assert!(engine.is_caught_up());
    assert_eq!(
        applied_pts(&engine.on_update(env(500_001), t0)),
        vec![500_001]
    );
}

#[test]
fn a_heartbeat_reporting_a_higher_pts_opens_a_gap() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(7));
    engine.on_connected(Pts(7));
    engine.on_remote_pts(Pts(9), t0);
    assert!(!engine.is_caught_up());
    let due = engine.poll_timeout().expect("a deadline");
    assert_eq!(
        engine.handle_timeout(due),
        vec![SyncAction::RequestDifference {
            since: Pts(7),
            limit: 1000
        }]
    );
}

#[test]
fn an_unhelpful_difference_waits_before_asking_again() {
    let t0 = Instant::now();
    let mut engine = SyncEngine::new(Pts(0));
    engine.on_connected(Pts(3));
    let empty = Difference::Updates {
        updates: vec![],
        current: Pts(3),
    };
    assert_eq!(engine.on_difference(empty, t0), vec![]);
    assert_eq!(engine.poll_timeout(), Some(t0 + Duration::from_millis(500)));
    engine.on_difference_failed(t0);
    assert_eq!(
        applied_pts(&engine.handle_timeout(t0 + Duration::from_secs(1))),
        Vec::<u64>::new()
    );
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
        let log = Log { len: n, too_far: 1_000_000 };
        let mut engine = SyncEngine::with_settings(Pts(0), Duration::from_millis(500), page);
        let mut applied = Vec::new();
        let mut now = t0;
        let actions = engine.on_connected(Pts(0));
        run(&mut engine, &log, actions, now, &mut applied);
        for (pts, delay) in deliveries {
            let pts = 1 + pts % n;
            now += Duration::from_millis(delay * 200);
            let mut actions = engine.handle_timeout(now);
            actions.extend(engine.on_update(env(pts), now));
            run(&mut engine, &log, actions, now, &mut applied);
        }
        engine.on_remote_pts(Pts(n), now);
        now += Duration::from_secs(1);
        let actions = engine.handle_timeout(now);
        run(&mut engine, &log, actions, now, &mut applied);
        prop_assert_eq!(applied, (1..=n).collect::<Vec<_>>());
        prop_assert!(engine.is_caught_up());
    }
}
