//! The call state machine of one device, without IO: it takes the user's actions, the
//! signals of the other devices and the time, and says which signals to send, what to
//! show, and when it next needs to be woken. A thin task drives it (see
//! [`super::task`]); the tests below drive it on a simulated clock.
//!
//! A device is in at most one call. The rules every device follows, so that all of them
//! end in the same state without anyone deciding:
//! - An offer rings every device of the callee; the first to accept takes the call, and
//!   the others stop ("answered elsewhere"). Two devices that accept at once both see the
//!   other's accept: the one with the lower device id keeps the call, and so does the
//!   caller.
//! - Glare (both call each other at once): the call with the lower id goes on; the
//!   device whose call has the higher id answers the other call at once.
//! - An offer to a device in another call is answered busy. The caller ends on busy when
//!   no other device of the callee rings within [`BUSY_WAIT`].
//! - Nobody answers within [`RING_TIMEOUT`]: the caller cancels. A callee that hears
//!   nothing more ends a little later by itself.

use super::signal::{CallId, Signal};
use std::collections::VecDeque;
use std::time::{Duration, Instant};
use wren_proto::{AccountId, ChatId, DeviceId};

/// How long an outgoing call rings before the caller gives up.
pub const RING_TIMEOUT: Duration = Duration::from_secs(45);
/// How much longer a ringing callee waits for the caller's cancel before it ends by
/// itself.
const CALLEE_GRACE: Duration = Duration::from_secs(5);
/// How long a caller told busy waits for another device of the callee to ring.
pub const BUSY_WAIT: Duration = Duration::from_secs(2);

/// Who sent a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sender {
    /// The account.
    pub account: AccountId,
    /// Its device.
    pub device: DeviceId,
}

/// Which way a call goes, seen from this device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    /// This account called.
    Outgoing,
    /// The other account called.
    Incoming,
}

/// A call as this device knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallInfo {
    /// The call.
    pub id: CallId,
    /// The direct chat it belongs to.
    pub chat: ChatId,
    /// The other account.
    pub peer: AccountId,
    /// With video.
    pub video: bool,
    /// Which way it goes.
    pub direction: Direction,
}

/// Where a call stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Phase {
    /// Outgoing, no device of the callee rings yet.
    Calling,
    /// Outgoing: a device of the callee rings. Incoming: this device rings.
    Ringing,
    /// Answered: between this device and `peer_device`.
    Connected {
        /// The other side's device in the call.
        peer_device: DeviceId,
    },
}

/// Why a call ended on this device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum EndReason {
    /// Hung up after it was answered.
    HungUp {
        /// By this device (else by the other side).
        by_me: bool,
    },
    /// This device cancelled its call before it was answered.
    Cancelled,
    /// Nobody answered this device's call in time.
    NoAnswer,
    /// The callee declined.
    Declined {
        /// On this device (else the other side declined).
        by_me: bool,
    },
    /// The callee is in another call.
    Busy,
    /// The call rang here and the caller stopped (or it rang out).
    Missed,
    /// Another device of this account answered it.
    AnsweredElsewhere,
    /// Another device of this account declined it.
    DeclinedElsewhere,
}

/// What the user should see change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallEvent {
    /// The call this device is in changed: placed, ringing, answered.
    Changed {
        /// The call.
        call: CallInfo,
        /// Where it stands now.
        phase: Phase,
    },
    /// The call ended on this device.
    Ended {
        /// The call.
        call: CallInfo,
        /// Why.
        reason: EndReason,
        /// How long it was connected, if it was.
        duration: Option<Duration>,
    },
    /// Someone called while this device was in another call; they were told busy.
    MissedWhileBusy {
        /// That call.
        call: CallInfo,
    },
}

/// A user action that does not fit the call's state.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CallError {
    /// This device is in another call already.
    #[error("you are already in a call")]
    Busy,
    /// There is no such call on this device (it ended, or was never here).
    #[error("there is no such call")]
    NoSuchCall,
    /// The call is not ringing here, so it cannot be answered or declined.
    #[error("this call is not ringing")]
    NotRinging,
}

#[derive(Clone, Copy, Debug)]
enum State {
    Idle,
    Outgoing {
        call: CallInfo,
        ringing: bool,
        deadline: Instant,
        /// When a device of the callee answered busy while none rang.
        busy_at: Option<Instant>,
    },
    Incoming {
        call: CallInfo,
        caller_device: DeviceId,
        deadline: Instant,
    },
    Connected {
        call: CallInfo,
        peer_device: DeviceId,
        since: Instant,
    },
}

/// One device's calls.
#[derive(Debug)]
pub struct CallMachine {
    me: Sender,
    state: State,
    transmits: VecDeque<(ChatId, Signal)>,
    events: VecDeque<CallEvent>,
}

impl CallMachine {
    /// A machine for this device, in no call.
    pub fn new(me: Sender) -> Self {
        CallMachine {
            me,
            state: State::Idle,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    /// The call this device is in, and where it stands.
    pub fn current(&self) -> Option<(CallInfo, Phase)> {
        match self.state {
            State::Idle => None,
            State::Outgoing { call, ringing, .. } => Some((
                call,
                if ringing {
                    Phase::Ringing
                } else {
                    Phase::Calling
                },
            )),
            State::Incoming { call, .. } => Some((call, Phase::Ringing)),
            State::Connected {
                call, peer_device, ..
            } => Some((call, Phase::Connected { peer_device })),
        }
    }

    /// Places call `id` to `peer` in their direct chat.
    pub fn place(
        &mut self,
        id: CallId,
        chat: ChatId,
        peer: AccountId,
        video: bool,
        now: Instant,
    ) -> Result<CallInfo, CallError> {
        if !matches!(self.state, State::Idle) {
            return Err(CallError::Busy);
        }
        let call = CallInfo {
            id,
            chat,
            peer,
            video,
            direction: Direction::Outgoing,
        };
        self.state = State::Outgoing {
            call,
            ringing: false,
            deadline: now + RING_TIMEOUT,
            busy_at: None,
        };
        self.send(chat, Signal::Offer { call: id, video });
        self.changed();
        Ok(call)
    }

    /// Answers the call ringing here.
    pub fn accept(&mut self, id: CallId, now: Instant) -> Result<(), CallError> {
        let State::Incoming {
            call,
            caller_device,
            ..
        } = self.state
        else {
            return Err(self.not_ringing(id));
        };
        if call.id != id {
            return Err(CallError::NoSuchCall);
        }
        self.send(call.chat, Signal::Accept { call: id });
        self.connect(call, caller_device, now);
        Ok(())
    }

    /// Declines the call ringing here (for every device of this account).
    pub fn decline(&mut self, id: CallId) -> Result<(), CallError> {
        let State::Incoming { call, .. } = self.state else {
            return Err(self.not_ringing(id));
        };
        if call.id != id {
            return Err(CallError::NoSuchCall);
        }
        self.send(call.chat, Signal::Decline { call: id });
        self.end(call, EndReason::Declined { by_me: true }, None);
        Ok(())
    }

    /// Ends the call: cancels it while it rings, declines it when it rings here, hangs up
    /// once answered.
    pub fn hang_up(&mut self, id: CallId, now: Instant) -> Result<(), CallError> {
        match self.state {
            State::Outgoing { call, .. } if call.id == id => {
                self.send(call.chat, Signal::Cancel { call: id });
                self.end(call, EndReason::Cancelled, None);
                Ok(())
            }
            State::Incoming { call, .. } if call.id == id => self.decline(id),
            State::Connected { call, since, .. } if call.id == id => {
                self.send(call.chat, Signal::Hangup { call: id });
                self.end(
                    call,
                    EndReason::HungUp { by_me: true },
                    Some(now.saturating_duration_since(since)),
                );
                Ok(())
            }
            _ => Err(CallError::NoSuchCall),
        }
    }

    /// Takes a signal another device sent in `chat`.
    pub fn on_signal(&mut self, from: Sender, chat: ChatId, signal: Signal, now: Instant) {
        if from == self.me {
            return;
        }
        if from.account == self.me.account {
            self.on_own_device_signal(from, signal);
        } else {
            self.on_peer_signal(from, chat, signal, now);
        }
    }

    /// When [`Self::handle_timeout`] should next be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            State::Outgoing {
                deadline, busy_at, ..
            } => Some(busy_at.map_or(deadline, |busy| deadline.min(busy + BUSY_WAIT))),
            State::Incoming { deadline, .. } => Some(deadline),
            State::Idle | State::Connected { .. } => None,
        }
    }

    /// Lets time pass: a call that rang too long ends.
    pub fn handle_timeout(&mut self, now: Instant) {
        match self.state {
            State::Outgoing {
                call,
                busy_at: Some(busy),
                ..
            } if now >= busy + BUSY_WAIT => {
                self.send(call.chat, Signal::Cancel { call: call.id });
                self.end(call, EndReason::Busy, None);
            }
            State::Outgoing { call, deadline, .. } if now >= deadline => {
                self.send(call.chat, Signal::Cancel { call: call.id });
                self.end(call, EndReason::NoAnswer, None);
            }
            State::Incoming { call, deadline, .. } if now >= deadline => {
                self.end(call, EndReason::Missed, None);
            }
            _ => {}
        }
    }

    /// The next signal to send, and the chat to send it in.
    pub fn poll_transmit(&mut self) -> Option<(ChatId, Signal)> {
        self.transmits.pop_front()
    }

    /// The next thing the user should see.
    pub fn poll_event(&mut self) -> Option<CallEvent> {
        self.events.pop_front()
    }

    /// Another device of this account answered or declined the call ringing here; or
    /// accepted it at the same moment as this one.
    fn on_own_device_signal(&mut self, from: Sender, signal: Signal) {
        match (self.state, signal) {
            (State::Incoming { call, .. }, Signal::Accept { call: id }) if call.id == id => {
                self.end(call, EndReason::AnsweredElsewhere, None);
            }
            (State::Incoming { call, .. }, Signal::Decline { call: id }) if call.id == id => {
                self.end(call, EndReason::DeclinedElsewhere, None);
            }
            // Both accepted at once: the lower device id keeps the call.
            (State::Connected { call, .. }, Signal::Accept { call: id })
                if call.id == id
                    && call.direction == Direction::Incoming
                    && from.device < self.me.device =>
            {
                self.end(call, EndReason::AnsweredElsewhere, None);
            }
            _ => {}
        }
    }

    fn on_peer_signal(&mut self, from: Sender, chat: ChatId, signal: Signal, now: Instant) {
        match (self.state, signal) {
            (State::Idle, Signal::Offer { call: id, video }) => {
                let call = CallInfo {
                    id,
                    chat,
                    peer: from.account,
                    video,
                    direction: Direction::Incoming,
                };
                self.state = State::Incoming {
                    call,
                    caller_device: from.device,
                    deadline: now + RING_TIMEOUT + CALLEE_GRACE,
                };
                self.send(chat, Signal::Ringing { call: id });
                self.changed();
            }
            // Glare: the lower call id goes on; this device answers the other call.
            (State::Outgoing { call: ours, .. }, Signal::Offer { call: id, video })
                if ours.peer == from.account && ours.chat == chat && id < ours.id =>
            {
                let call = CallInfo {
                    id,
                    chat,
                    peer: from.account,
                    video: video || ours.video,
                    direction: Direction::Incoming,
                };
                // This device's own call is dropped: its other rings stop.
                self.send(chat, Signal::Cancel { call: ours.id });
                self.send(chat, Signal::Accept { call: id });
                self.connect(call, from.device, now);
            }
            // Glare, the other way: the peer answers this device's call.
            (State::Outgoing { call: ours, .. }, Signal::Offer { .. })
                if ours.peer == from.account && ours.chat == chat => {}
            (State::Incoming { call, .. }, Signal::Offer { call: id, .. }) if call.id == id => {}
            (_, Signal::Offer { call: id, video }) => {
                let call = CallInfo {
                    id,
                    chat,
                    peer: from.account,
                    video,
                    direction: Direction::Incoming,
                };
                self.send(chat, Signal::Busy { call: id });
                self.events.push_back(CallEvent::MissedWhileBusy { call });
            }
            (
                State::Outgoing {
                    call,
                    ringing: false,
                    deadline,
                    ..
                },
                Signal::Ringing { call: id },
            ) if call.id == id => {
                self.state = State::Outgoing {
                    call,
                    ringing: true,
                    deadline,
                    busy_at: None,
                };
                self.changed();
            }
            (State::Outgoing { call, .. }, Signal::Accept { call: id }) if call.id == id => {
                self.connect(call, from.device, now);
            }
            // Two devices of the callee accepted at once: the lower device id keeps it.
            (
                State::Connected {
                    call,
                    peer_device,
                    since,
                },
                Signal::Accept { call: id },
            ) if call.id == id
                && call.direction == Direction::Outgoing
                && from.device < peer_device =>
            {
                self.state = State::Connected {
                    call,
                    peer_device: from.device,
                    since,
                };
                self.changed();
            }
            (State::Outgoing { call, .. }, Signal::Decline { call: id }) if call.id == id => {
                self.end(call, EndReason::Declined { by_me: false }, None);
            }
            (
                State::Outgoing {
                    call,
                    ringing: false,
                    deadline,
                    busy_at: None,
                },
                Signal::Busy { call: id },
            ) if call.id == id => {
                self.state = State::Outgoing {
                    call,
                    ringing: false,
                    deadline,
                    busy_at: Some(now),
                };
            }
            (State::Incoming { call, .. }, Signal::Cancel { call: id }) if call.id == id => {
                self.end(call, EndReason::Missed, None);
            }
            (
                State::Connected {
                    call,
                    peer_device,
                    since,
                },
                Signal::Hangup { call: id } | Signal::Cancel { call: id },
            ) if call.id == id && from.device == peer_device => {
                self.end(
                    call,
                    EndReason::HungUp { by_me: false },
                    Some(now.saturating_duration_since(since)),
                );
            }
            _ => {}
        }
    }

    fn not_ringing(&self, id: CallId) -> CallError {
        match self.current() {
            Some((call, _)) if call.id == id => CallError::NotRinging,
            _ => CallError::NoSuchCall,
        }
    }

    fn connect(&mut self, call: CallInfo, peer_device: DeviceId, now: Instant) {
        self.state = State::Connected {
            call,
            peer_device,
            since: now,
        };
        self.changed();
    }

    fn end(&mut self, call: CallInfo, reason: EndReason, duration: Option<Duration>) {
        self.state = State::Idle;
        self.events.push_back(CallEvent::Ended {
            call,
            reason,
            duration,
        });
    }

    fn send(&mut self, chat: ChatId, signal: Signal) {
        self.transmits.push_back((chat, signal));
    }

    fn changed(&mut self) {
        if let Some((call, phase)) = self.current() {
            self.events.push_back(CallEvent::Changed { call, phase });
        }
    }
}
