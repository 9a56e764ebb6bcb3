//! The call machines of several devices, joined by a simulated server that hands every
//! signal to every other device of the chat, in order, on a simulated clock.

use super::machine::{
    CallError, CallEvent, CallInfo, CallMachine, Direction, EndReason, Phase, Sender, BUSY_WAIT,
    RING_TIMEOUT,
};
use super::signal::{CallId, Signal};
use std::collections::VecDeque;
use std::time::{Duration, Instant};
use wren_proto::{AccountId, ChatId, DeviceId};

const ALICE: AccountId = AccountId(1);
const BOB: AccountId = AccountId(2);
const CAROL: AccountId = AccountId(3);
const ALICE_BOB: ChatId = ChatId(10);
const CAROL_BOB: ChatId = ChatId(11);

struct Device {
    me: Sender,
    machine: CallMachine,
    events: Vec<CallEvent>,
}

/// Devices of alice (1), bob (2, 3) and carol (4), and the signals in flight.
struct World {
    devices: Vec<Device>,
    wire: VecDeque<(Sender, ChatId, Signal)>,
    now: Instant,
    next_call: u64,
}

fn sender(account: AccountId, device: u64) -> Sender {
    Sender {
        account,
        device: DeviceId(device),
    }
}

impl World {
    fn new() -> Self {
        let devices = [
            sender(ALICE, 1),
            sender(BOB, 2),
            sender(BOB, 3),
            sender(CAROL, 4),
        ]
        .into_iter()
        .map(|me| Device {
            me,
            machine: CallMachine::new(me),
            events: Vec::new(),
        })
        .collect();
        World {
            devices,
            wire: VecDeque::new(),
            now: Instant::now(),
            next_call: 100,
        }
    }

    fn device(&mut self, id: u64) -> &mut Device {
        let index = self
            .devices
            .iter()
            .position(|d| d.me.device == DeviceId(id))
            .expect("a device of the world");
        &mut self.devices[index]
    }

    /// Places a call from device `from` to `peer`; its id grows with each call.
    fn call(&mut self, from: u64, chat: ChatId, peer: AccountId) -> CallId {
        self.next_call += 1;
        let id = CallId(self.next_call);
        let now = self.now;
        self.device(from)
            .machine
            .place(id, chat, peer, true, now)
            .expect("placed");
        self.collect();
        id
    }

    /// Moves the machines' signals onto the wire and their events into their logs.
    fn collect(&mut self) {
        for device in &mut self.devices {
            while let Some((chat, signal)) = device.machine.poll_transmit() {
                self.wire.push_back((device.me, chat, signal));
            }
            while let Some(event) = device.machine.poll_event() {
                device.events.push(event);
            }
        }
    }

    /// Delivers everything in flight (and what that causes) to the chat's other devices.
    fn settle(&mut self) {
        while let Some((from, chat, signal)) = self.wire.pop_front() {
            let members = if chat == ALICE_BOB {
                [ALICE, BOB]
            } else {
                [CAROL, BOB]
            };
            let now = self.now;
            for device in &mut self.devices {
                if device.me != from && members.contains(&device.me.account) {
                    device.machine.on_signal(from, chat, signal, now);
                }
            }
            self.collect();
        }
    }

    fn advance(&mut self, by: Duration) {
        self.now += by;
        let now = self.now;
        for device in &mut self.devices {
            if device.machine.poll_timeout().is_some_and(|t| t <= now) {
                device.machine.handle_timeout(now);
            }
        }
        self.collect();
    }

    fn phase(&mut self, device: u64) -> Option<Phase> {
        self.device(device)
            .machine
            .current()
            .map(|(_, phase)| phase)
    }

    fn ended(&mut self, device: u64) -> Option<(EndReason, Option<Duration>)> {
        self.device(device)
            .events
            .iter()
            .rev()
            .find_map(|e| match e {
                CallEvent::Ended {
                    reason, duration, ..
                } => Some((*reason, *duration)),
                _ => None,
            })
    }
}

#[test]
fn an_answered_call_rings_every_device_and_stops_the_others() {
    let mut world = World::new();
    let call = world.call(1, ALICE_BOB, BOB);
    assert_eq!(world.phase(1), Some(Phase::Calling));
    world.settle();
    assert_eq!(world.phase(1), Some(Phase::Ringing), "bob's devices ring");
    assert_eq!(world.phase(2), Some(Phase::Ringing));
    assert_eq!(world.phase(3), Some(Phase::Ringing));
    assert_eq!(world.phase(4), None, "carol is not in the chat");
    let (info, _) = world.device(2).machine.current().expect("in a call");
    assert_eq!(
        info,
        CallInfo {
            id: call,
            chat: ALICE_BOB,
            peer: ALICE,
            video: true,
            direction: Direction::Incoming,
        }
    );

    let now = world.now;
    world.device(3).machine.accept(call, now).expect("answer");
    world.collect();
    world.settle();
    let connected = Phase::Connected {
        peer_device: DeviceId(3),
    };
    assert_eq!(world.phase(1), Some(connected));
    assert_eq!(
        world.phase(3),
        Some(Phase::Connected {
            peer_device: DeviceId(1)
        })
    );
    assert_eq!(world.phase(2), None);
    assert_eq!(world.ended(2), Some((EndReason::AnsweredElsewhere, None)));

    // Two minutes later bob hangs up; alice sees it with the duration.
    world.advance(Duration::from_secs(120));
    let now = world.now;
    world.device(3).machine.hang_up(call, now).expect("hang up");
    world.collect();
    world.settle();
    let two_minutes = Some(Duration::from_secs(120));
    assert_eq!(
        world.ended(3),
        Some((EndReason::HungUp { by_me: true }, two_minutes))
    );
    assert_eq!(
        world.ended(1),
        Some((EndReason::HungUp { by_me: false }, two_minutes))
    );
    assert!((1..=4).all(|d| world.phase(d).is_none()));
}

#[test]
fn a_call_declined_on_one_device_ends_everywhere() {
    let mut world = World::new();
    let call = world.call(1, ALICE_BOB, BOB);
    world.settle();
    world.device(2).machine.decline(call).expect("decline");
    world.collect();
    world.settle();
    assert_eq!(
        world.ended(2),
        Some((EndReason::Declined { by_me: true }, None))
    );
    assert_eq!(world.ended(3), Some((EndReason::DeclinedElsewhere, None)));
    assert_eq!(
        world.ended(1),
        Some((EndReason::Declined { by_me: false }, None))
    );
}

#[test]
fn a_call_nobody_answers_rings_out_and_is_missed() {
    let mut world = World::new();
    world.call(1, ALICE_BOB, BOB);
    world.settle();
    world.advance(RING_TIMEOUT - Duration::from_millis(1));
    assert_eq!(world.phase(1), Some(Phase::Ringing), "still ringing");
    world.advance(Duration::from_millis(1));
    assert_eq!(world.ended(1), Some((EndReason::NoAnswer, None)));
    world.settle();
    assert_eq!(world.ended(2), Some((EndReason::Missed, None)));
    assert_eq!(world.ended(3), Some((EndReason::Missed, None)));
}

#[test]
fn a_ringing_callee_that_hears_nothing_more_ends_by_itself() {
    let mut world = World::new();
    world.call(1, ALICE_BOB, BOB);
    world.settle();
    // The caller's device vanished: its cancel never comes.
    world.wire.clear();
    world.device(1).machine = CallMachine::new(sender(ALICE, 1));
    world.advance(RING_TIMEOUT);
    assert_eq!(world.phase(2), Some(Phase::Ringing), "a little grace first");
    world.advance(Duration::from_secs(5));
    assert_eq!(world.ended(2), Some((EndReason::Missed, None)));
    assert_eq!(world.phase(3), None);
}

#[test]
fn cancelling_before_an_answer_is_a_missed_call_for_the_callee() {
    let mut world = World::new();
    let call = world.call(1, ALICE_BOB, BOB);
    world.settle();
    let now = world.now;
    world.device(1).machine.hang_up(call, now).expect("cancel");
    world.collect();
    world.settle();
    assert_eq!(world.ended(1), Some((EndReason::Cancelled, None)));
    assert_eq!(world.ended(2), Some((EndReason::Missed, None)));
    // An answer that crossed the cancel changes nothing any more.
    let now = world.now;
    assert_eq!(
        world.device(3).machine.accept(call, now),
        Err(CallError::NoSuchCall)
    );
}

#[test]
fn a_second_caller_hears_busy_and_the_call_in_progress_goes_on() {
    let mut world = World::new();
    let first = world.call(1, ALICE_BOB, BOB);
    world.settle();
    let now = world.now;
    world.device(2).machine.accept(first, now).expect("answer");
    world.collect();
    world.settle();
    // Bob's laptop stopped ringing, so carol's call rings there; bob's phone is busy.
    world.call(4, CAROL_BOB, BOB);
    world.settle();
    assert!(world
        .device(2)
        .events
        .iter()
        .any(|e| matches!(e, CallEvent::MissedWhileBusy { call } if call.peer == CAROL)));
    assert_eq!(world.phase(3), Some(Phase::Ringing));
    assert_eq!(
        world.phase(4),
        Some(Phase::Ringing),
        "a device that rings outweighs one that is busy"
    );
    assert_eq!(
        world.phase(2),
        Some(Phase::Connected {
            peer_device: DeviceId(1)
        })
    );

    // The laptop declines carol; alice, in her call, cannot place another.
    let (carols, _) = world.device(3).machine.current().expect("ringing");
    world.device(3).machine.decline(carols.id).expect("decline");
    world.collect();
    world.settle();
    assert_eq!(
        world.ended(4),
        Some((EndReason::Declined { by_me: false }, None))
    );
    let now = world.now;
    assert_eq!(
        world
            .device(1)
            .machine
            .place(CallId(1), CAROL_BOB, BOB, false, now),
        Err(CallError::Busy),
        "one call at a time"
    );
}

#[test]
fn a_callee_in_another_call_on_its_only_free_device_is_busy() {
    let mut world = World::new();
    let first = world.call(1, ALICE_BOB, BOB);
    world.settle();
    let now = world.now;
    world.device(2).machine.accept(first, now).expect("answer");
    world.collect();
    world.settle();
    // Bob's laptop is in a call too (with carol, which it answered).
    let second = world.call(4, CAROL_BOB, BOB);
    world.settle();
    world.device(3).machine.accept(second, now).expect("answer");
    world.collect();
    world.settle();
    // Now alice calls again from a new device: every device of bob's is busy.
    world.devices.push(Device {
        me: sender(ALICE, 5),
        machine: CallMachine::new(sender(ALICE, 5)),
        events: Vec::new(),
    });
    world.call(5, ALICE_BOB, BOB);
    world.settle();
    assert_eq!(
        world.phase(5),
        Some(Phase::Calling),
        "waits for a device to ring"
    );
    world.advance(BUSY_WAIT);
    assert_eq!(world.ended(5), Some((EndReason::Busy, None)));
}

#[test]
fn glare_keeps_the_call_with_the_lower_id_and_answers_it() {
    let mut world = World::new();
    // Both place a call before either offer arrives.
    let alices = world.call(1, ALICE_BOB, BOB);
    let bobs = world.call(2, ALICE_BOB, ALICE);
    assert!(alices < bobs);
    world.settle();
    let connected_to = |device| Phase::Connected {
        peer_device: DeviceId(device),
    };
    assert_eq!(world.phase(1), Some(connected_to(2)));
    assert_eq!(world.phase(2), Some(connected_to(1)));
    let (call, _) = world.device(2).machine.current().expect("in the call");
    assert_eq!(call.id, alices);
    assert_eq!(
        world.ended(3),
        Some((EndReason::AnsweredElsewhere, None)),
        "bob's laptop rang for alice's call and stopped"
    );
}

#[test]
fn two_devices_answering_at_once_leave_the_lower_device_in_the_call() {
    let mut world = World::new();
    let call = world.call(1, ALICE_BOB, BOB);
    world.settle();
    let now = world.now;
    world
        .device(3)
        .machine
        .accept(call, now)
        .expect("answer on 3");
    world
        .device(2)
        .machine
        .accept(call, now)
        .expect("answer on 2");
    world.collect();
    world.settle();
    assert_eq!(
        world.phase(1),
        Some(Phase::Connected {
            peer_device: DeviceId(2)
        })
    );
    assert_eq!(
        world.phase(2),
        Some(Phase::Connected {
            peer_device: DeviceId(1)
        })
    );
    assert_eq!(world.ended(3), Some((EndReason::AnsweredElsewhere, None)));
}

#[test]
fn actions_that_do_not_fit_the_call_are_refused() {
    let mut world = World::new();
    let now = world.now;
    let unknown = CallId(7);
    let alice = &mut world.device(1).machine;
    assert_eq!(alice.accept(unknown, now), Err(CallError::NoSuchCall));
    assert_eq!(alice.decline(unknown), Err(CallError::NoSuchCall));
    assert_eq!(alice.hang_up(unknown, now), Err(CallError::NoSuchCall));
    let call = world.call(1, ALICE_BOB, BOB);
    let now = world.now;
    let alice = &mut world.device(1).machine;
    assert_eq!(alice.accept(call, now), Err(CallError::NotRinging));
    // A hang-up from someone who is not in the call is ignored.
    world.settle();
    let now = world.now;
    world.device(2).machine.accept(call, now).expect("answer");
    world.collect();
    world.settle();
    world
        .device(1)
        .machine
        .on_signal(sender(BOB, 3), ALICE_BOB, Signal::Hangup { call }, now);
    assert!(matches!(world.phase(1), Some(Phase::Connected { .. })));
}

#[test]
fn calls_reach_the_app_in_the_shapes_its_types_name() {
    fn to<T: serde::Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap_or_default()
    }
    let info = CallInfo {
        id: CallId(9),
        chat: ALICE_BOB,
        peer: BOB,
        video: true,
        direction: Direction::Outgoing,
    };
    assert_eq!(
        to(&info),
        r#"{"id":9,"chat":10,"peer":2,"video":true,"direction":"outgoing"}"#
    );
    assert_eq!(to(&Phase::Ringing), r#""ringing""#);
    assert_eq!(
        to(&Phase::Connected {
            peer_device: DeviceId(3)
        }),
        r#"{"connected":{"peerDevice":3}}"#
    );
    assert_eq!(
        to(&EndReason::HungUp { by_me: true }),
        r#"{"hungUp":{"byMe":true}}"#
    );
    assert_eq!(to(&EndReason::AnsweredElsewhere), r#""answeredElsewhere""#);
}
