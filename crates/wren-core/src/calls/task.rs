//! The task that drives this device's [`CallMachine`]: it takes the user's actions from
//! the [`crate::Client`] and the signals the connection receives, seals and sends what the
//! machine says to send, tells the UI what changed, and wakes the machine on time.

use super::key::{emojis, MediaKey};
use super::machine::{CallEvent, CallInfo, CallMachine, EndReason, Phase, Sender};
use super::media::{
    Controls, Link, MediaDeviceChoice, MediaSlot, MediaSources, MediaStats, PictureFeed,
    RemotePicture, Wiring,
};
use super::seal::Refused;
use super::signal::CallId;
use crate::content::{CallOutcome, CallRecord};
use crate::error::CoreError;
use crate::events::ClientEvent;
use crate::outbox::OutboxItem;
use crate::store::Store;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use wren_proto::{AccountId, CallSignalNotice, ChatId, ClientMsgId, Request};

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
        link: Link,
        notice: CallSignalNotice,
        attempt: u32,
    },
    /// A user action; `sources`: where the call's media comes from.
    User {
        me: Sender,
        link: Link,
        action: Action,
        sources: MediaSources,
        reply: oneshot::Sender<Result<(), CoreError>>,
    },
    /// The call this device is in.
    Current {
        reply: oneshot::Sender<Option<(CallInfo, Phase)>>,
    },
    /// The four emojis of a call this device is in.
    Emojis {
        call: CallId,
        reply: oneshot::Sender<Option<[&'static str; 4]>>,
    },
    /// Switches the microphone or camera of this device's call (`None`: unchanged).
    Switch {
        muted: Option<bool>,
        camera_off: Option<bool>,
        reply: oneshot::Sender<Controls>,
    },
    /// The feed of the other side's pictures in this device's calls.
    WatchPictures {
        reply: oneshot::Sender<watch::Receiver<Option<Arc<RemotePicture>>>>,
    },
    /// The network changed: the call's media joins the relay afresh.
    NetworkChanged,
    /// Picks the microphone, speaker and camera (at once in a call, and for later ones).
    ChooseDevices {
        choice: MediaDeviceChoice,
        reply: oneshot::Sender<MediaDeviceChoice>,
    },
    /// The devices picked.
    ChosenDevices {
        reply: oneshot::Sender<MediaDeviceChoice>,
    },
    /// What a call's media did, once the call ended.
    Stats {
        call: CallId,
        reply: oneshot::Sender<Option<MediaStats>>,
    },
}

/// The machine of the device signed in now, the connection to send on, the media keys of
/// the calls it is in, and the call it placed (which it records in the chat's history).
struct Device {
    me: Sender,
    machine: CallMachine,
    link: Link,
    keys: HashMap<CallId, MediaKey>,
    placed: Option<CallId>,
    /// The media of the call it is in.
    media: Option<MediaSlot>,
    /// Where its calls' media comes from.
    sources: MediaSources,
    /// What the media of its last calls did.
    stats: VecDeque<(CallId, MediaStats)>,
    /// Where the other side's pictures go.
    pictures: PictureFeed,
    /// The microphone and camera switches (back on for each new call).
    controls: watch::Sender<Controls>,
    /// Bumped when the network changed.
    renew: watch::Sender<u64>,
    /// The devices picked.
    devices: watch::Sender<MediaDeviceChoice>,
}

/// Calls whose media figures a device keeps.
const KEPT_STATS: usize = 8;

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
    let (pictures, _) = watch::channel(None);
    let (controls, _) = watch::channel(Controls::default());
    let (renew, _) = watch::channel(0u64);
    let (devices, _) = watch::channel(MediaDeviceChoice::default());
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
            Input::Switch {
                muted,
                camera_off,
                reply,
            } => {
                controls.send_modify(|c| {
                    c.muted = muted.unwrap_or(c.muted);
                    c.camera_off = camera_off.unwrap_or(c.camera_off);
                });
                let _ = reply.send(*controls.borrow());
            }
            Input::ChooseDevices { choice, reply } => {
                devices.send_replace(choice);
                let _ = reply.send(devices.borrow().clone());
            }
            Input::ChosenDevices { reply } => {
                let _ = reply.send(devices.borrow().clone());
            }
            Input::NetworkChanged => {
                renew.send_modify(|generation| *generation += 1);
            }
            Input::WatchPictures { reply } => {
                let _ = reply.send(pictures.subscribe());
            }
            Input::Stats { call, reply } => {
                let stats = device
                    .as_ref()
                    .and_then(|d| d.stats.iter().find(|(id, _)| *id == call))
                    .map(|(_, stats)| stats.clone());
                let _ = reply.send(stats);
            }
            Input::Emojis { call, reply } => {
                let key = device.as_ref().and_then(|d| d.keys.get(&call));
                let _ = reply.send(key.map(emojis));
            }
            Input::Signal {
                me,
                link,
                notice,
                attempt,
            } => {
                let device = for_me(
                    &mut device,
                    me,
                    link.clone(),
                    &pictures,
                    &controls,
                    &renew,
                    &devices,
                );
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
                    Ok(Ok((signal, media_key))) => {
                        if let Some(key) = media_key {
                            device.keys.insert(signal.call(), key);
                        }
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
                                    link,
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
                link,
                action,
                sources,
                reply,
            } => {
                let device = for_me(
                    &mut device,
                    me,
                    link,
                    &pictures,
                    &controls,
                    &renew,
                    &devices,
                );
                device.sources = sources;
                let now = Instant::now();
                let done = match action {
                    Action::Place {
                        call,
                        chat,
                        peer,
                        video,
                    } => device.machine.place(call, chat, peer, video, now).map(|_| {
                        device.placed = Some(call);
                    }),
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
fn for_me<'a>(
    slot: &'a mut Option<Device>,
    me: Sender,
    link: Link,
    pictures: &PictureFeed,
    controls: &watch::Sender<Controls>,
    renew: &watch::Sender<u64>,
    devices: &watch::Sender<MediaDeviceChoice>,
) -> &'a mut Device {
    if !slot.as_ref().is_some_and(|device| device.me == me) {
        *slot = None;
    }
    let device = slot.get_or_insert_with(|| Device {
        me,
        machine: CallMachine::new(me),
        link: link.clone(),
        keys: HashMap::new(),
        placed: None,
        media: None,
        sources: MediaSources::Devices,
        stats: VecDeque::new(),
        pictures: pictures.clone(),
        controls: controls.clone(),
        renew: renew.clone(),
        devices: devices.clone(),
    });
    device.link = link;
    device
}

/// Sends what the machine says to send, and tells the UI what changed.
async fn flush(device: &mut Device, store: &Store, events: &broadcast::Sender<ClientEvent>) {
    while let Some((chat, signal)) = device.machine.poll_transmit() {
        let sealed = store
            .seal_call_signal(chat, device.me.device, signal, crate::client::now_ms())
            .await;
        let sealed = match sealed {
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
        if let Some(key) = sealed.media_key {
            device.keys.insert(signal.call(), key);
        }
        let request = Request::CallSignal {
            chat,
            epoch: sealed.epoch,
            sealed: sealed.bytes,
        };
        if let Err(e) = device.link.requester.request(request).await {
            tracing::info!(error = %e, %chat, ?signal, "a call signal did not go out");
        }
    }
    while let Some(event) = device.machine.poll_event() {
        if let CallEvent::Changed {
            call,
            phase: Phase::Connected { .. },
        } = event
        {
            start_media(device, call);
        }
        if let CallEvent::Ended {
            call,
            reason,
            duration,
        } = event
        {
            stop_media(device, call.id).await;
            device.keys.remove(&call.id);
            if device.placed.take() == Some(call.id) {
                if let Some(record) = record_of(&call, reason, duration) {
                    if let Err(e) = write_record(device, store, events, call.chat, record).await {
                        tracing::warn!(error = %e, chat = %call.chat, "cannot record the call");
                    }
                }
            }
        }
        let _ = events.send(event.into());
    }
}

/// Starts the media of a call this device just connected (once per call).
fn start_media(device: &mut Device, call: CallInfo) {
    if device.media.as_ref().is_some_and(|m| m.call() == call.id) {
        return;
    }
    let Some(key) = device.keys.get(&call.id).copied() else {
        tracing::warn!(call = %call.id, "no media key for the call: it goes on without media");
        return;
    };
    device.media = Some(MediaSlot::start(
        device.link.clone(),
        call,
        key,
        device.me.device,
        device.sources,
        Wiring {
            feed: device.pictures.clone(),
            controls: device.controls.subscribe(),
            renew: device.renew.subscribe(),
            devices: device.devices.subscribe(),
        },
    ));
}

/// Ends the media of a call that ended, keeping what it did.
async fn stop_media(device: &mut Device, call: CallId) {
    device.controls.send_replace(Controls::default());
    let Some(slot) = device.media.take_if(|m| m.call() == call) else {
        return;
    };
    if let Some(stats) = slot.stop().await {
        tracing::info!(%call, ?stats, "the call's media");
        if device.stats.len() == KEPT_STATS {
            device.stats.pop_front();
        }
        device.stats.push_back((call, stats));
    }
}

/// How a call this device placed went, for the chat's history.
fn record_of(call: &CallInfo, reason: EndReason, duration: Option<Duration>) -> Option<CallRecord> {
    let outcome = match reason {
        EndReason::HungUp { .. } => CallOutcome::Answered,
        EndReason::Cancelled | EndReason::NoAnswer => CallOutcome::Missed,
        EndReason::Declined { .. } => CallOutcome::Declined,
        EndReason::Busy => CallOutcome::Busy,
        EndReason::Missed | EndReason::AnsweredElsewhere | EndReason::DeclinedElsewhere => {
            return None
        }
    };
    Some(CallRecord {
        video: call.video,
        outcome,
        duration_s: duration.map_or(0, |d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX)),
    })
}

/// Sends the call's record into its chat like a message (through the outbox, so it is
/// delivered exactly once even across a crash), and shows it here at once.
async fn write_record(
    device: &Device,
    store: &Store,
    events: &broadcast::Sender<ClientEvent>,
    chat: ChatId,
    record: CallRecord,
) -> Result<(), CoreError> {
    let me = device.me.account;
    let mut id = [0u8; 8];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut id)
        .map_err(|_| CoreError::Invalid("the system random generator failed".into()))?;
    let item = OutboxItem::call(chat, ClientMsgId(u64::from_le_bytes(id)), &record);
    let local = store
        .enqueue(me, item.clone(), crate::client::now_ms())
        .await?;
    device.link.requester.push_outbox(item);
    if let Some(message) = store.messages(me, vec![local]).await?.pop() {
        let _ = events.send(ClientEvent::MessageUpserted { message });
    }
    if let Some(chat) = store.chat(me, chat).await? {
        let _ = events.send(ClientEvent::ChatUpdated { chat });
    }
    Ok(())
}

async fn wait_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => std::future::pending().await,
    }
}
