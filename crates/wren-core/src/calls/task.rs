//! The task that drives this device's [`CallMachine`]: it takes the user's actions from
//! the [`crate::Client`] and the signals the connection receives, seals and sends what the
//! machine says to send, tells the UI what changed, and wakes the machine on time.

use super::machine::{CallInfo, CallMachine, Phase, Sender};
use super::seal::Refused;
use super::signal::CallId;
use crate::connection::Requester;
use crate::error::CoreError;
use crate::events::ClientEvent;
use crate::store::Store;
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, mpsc, oneshot};
use wren_proto::{AccountId, CallSignalNotice, ChatId, Request};

/// What the user asks of the call.
#[derive(Debug)]
pub(crate) enum Action {
    /// Call `peer` in their direct chat.
    Place {
        call: CallId,
        chat: ChatId,
        peer: AccountId,
        video: bool,
    },
    /// Answer the call ringing here.
    Accept(CallId),
    /// Decline the call ringing here.
    Decline(CallId),
    /// End the call (cancel, decline or hang up).
    HangUp(CallId),
}

/// What the task is handed.
pub(crate) enum Input {
    /// A signal the server forwarded to this device; `attempt` counts how often it was
    /// held back because this device's group was not in its epoch yet.
    Signal {
        me: Sender,
        requester: Requester,
        notice: CallSignalNotice,
        attempt: u32,
    },
    /// A user action.
    User {
        me: Sender,
        requester: Requester,
        action: Action,
        reply: oneshot::Sender<Result<(), CoreError>>,
    },
    /// The call this device is in.
    Current {
        reply: oneshot::Sender<Option<(CallInfo, Phase)>>,
    },
}

/// The machine of the device signed in now, and the connection to send on.
struct Device {
    me: Sender,
    machine: CallMachine,
    requester: Requester,
}

/// How often, and how far apart, a signal sealed in an epoch this device's group has not
/// reached yet is tried again (sync is applying the commit or Welcome that gets it there).
const HELD_ATTEMPTS: u32 = 20;
const HELD_STEP: Duration = Duration::from_millis(100);

/// Runs until every sender of `inputs` but `again` (its own, for held signals) is gone.
pub(crate) async fn run(
    store: Store,
    events: broadcast::Sender<ClientEvent>,
    mut inputs: mpsc::UnboundedReceiver<Input>,
    again: mpsc::WeakUnboundedSender<Input>,
) {
    let mut device: Option<Device> = None;
    loop {
        let deadline = device.as_ref().and_then(|d| d.machine.poll_timeout());
        let input = tokio::select! {
            input = inputs.recv() => match input {
                Some(input) => input,
                None => return,
            },
            () = wait_until(deadline) => {
                if let Some(device) = device.as_mut() {
                    device.machine.handle_timeout(Instant::now());
                    flush(device, &store, &events).await;
                }
                continue;
            }
        };
        match input {
            Input::Current { reply } => {
                let _ = reply.send(device.as_ref().and_then(|d| d.machine.current()));
            }
            Input::Signal {
                me,
                requester,
                notice,
                attempt,
            } => {
                let device = for_me(&mut device, me, requester.clone());
                let from = Sender {
                    account: notice.account,
                    device: notice.device,
                };
                let opened = store
                    .open_call_signal(
                        notice.chat,
                        notice.epoch,
                        notice.device,
                        notice.sealed.clone(),
                        crate::client::now_ms(),
                    )
                    .await;
                match opened {
                    Ok(Ok(signal)) => {
                        tracing::debug!(chat = %notice.chat, ?signal, %from.device, "call signal");
                        device
                            .machine
                            .on_signal(from, notice.chat, signal, Instant::now());
                    }
                    Ok(Err(Refused::OtherEpoch(epoch))) if attempt < HELD_ATTEMPTS => {
                        tracing::debug!(chat = %notice.chat, epoch, attempt, "call signal held for its epoch");
                        let again = again.clone();
                        tokio::spawn(async move {
                            tokio::time::sleep(HELD_STEP).await;
                            if let Some(again) = again.upgrade() {
                                let _ = again.send(Input::Signal {
                                    me,
                                    requester,
                                    notice,
                                    attempt: attempt + 1,
                                });
                            }
                        });
                        continue;
                    }
                    Ok(Err(why)) => {
                        tracing::info!(chat = %notice.chat, %from.device, %why, "call signal dropped");
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot open a call signal"),
                }
                flush(device, &store, &events).await;
            }
            Input::User {
                me,
                requester,
                action,
                reply,
            } => {
                let device = for_me(&mut device, me, requester);
                let now = Instant::now();
                let done = match action {
                    Action::Place {
                        call,
                        chat,
                        peer,
                        video,
                    } => device
                        .machine
                        .place(call, chat, peer, video, now)
                        .map(|_| ()),
                    Action::Accept(call) => device.machine.accept(call, now),
                    Action::Decline(call) => device.machine.decline(call),
                    Action::HangUp(call) => device.machine.hang_up(call, now),
                };
                flush(device, &store, &events).await;
                let _ = reply.send(done.map_err(|e| CoreError::Invalid(e.to_string())));
            }
        }
    }
}

/// The machine of `me`, made anew when another account or device signed in.
fn for_me(slot: &mut Option<Device>, me: Sender, requester: Requester) -> &mut Device {
    if !slot.as_ref().is_some_and(|device| device.me == me) {
        *slot = None;
    }
    let device = slot.get_or_insert_with(|| Device {
        me,
        machine: CallMachine::new(me),
        requester: requester.clone(),
    });
    device.requester = requester;
    device
}

/// Sends what the machine says to send, and tells the UI what changed.
async fn flush(device: &mut Device, store: &Store, events: &broadcast::Sender<ClientEvent>) {
    while let Some((chat, signal)) = device.machine.poll_transmit() {
        let sealed = store
            .seal_call_signal(chat, device.me.device, signal, crate::client::now_ms())
            .await;
        let (epoch, sealed) = match sealed {
            Ok(Some(sealed)) => sealed,
            Ok(None) => {
                tracing::warn!(%chat, "no encryption group to seal a call signal with");
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, %chat, "cannot seal a call signal");
                continue;
            }
        };
        let request = Request::CallSignal {
            chat,
            epoch,
            sealed,
        };
        if let Err(e) = device.requester.request(request).await {
            tracing::info!(error = %e, %chat, ?signal, "a call signal did not go out");
        }
    }
    while let Some(event) = device.machine.poll_event() {
        let _ = events.send(event.into());
    }
}

async fn wait_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => std::future::pending().await,
    }
}
