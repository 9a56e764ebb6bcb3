//! Calls' media between the relays of several nodes: the devices of one call may reach
//! the relays of different nodes (the load balancer picks), so each relay publishes the
//! datagrams of its devices on the call's own NATS subject, and subscribes to it while one
//! of its devices is in the call. Datagrams stay end-to-end encrypted (SFrame), as on one
//! relay; one that finds a queue full is lost, as on any network.

use crate::relay::{Relay, RoomKey};
use bytes::Bytes;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError, Weak};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

/// Datagrams waiting to be published at most.
const QUEUE: usize = 4_096;

/// The subject of one call's datagrams (its wire version in the name, like the notices').
fn subject(room: RoomKey) -> String {
    format!("wren.media.v1.{}.{}", room.0 .0, room.1)
}

/// One relay's link to the others.
pub(crate) struct MediaBridge {
    client: async_nats::Client,
    outgoing: mpsc::Sender<(RoomKey, Bytes)>,
    /// The calls this relay has devices in: the task that receives each one's datagrams.
    rooms: Mutex<HashMap<RoomKey, AbortHandle>>,
    relay: Weak<Relay>,
}

impl MediaBridge {
    /// Starts publishing for `relay` through `client`.
    pub(crate) fn start(client: async_nats::Client, relay: Weak<Relay>) -> Self {
        let (outgoing, mut queued) = mpsc::channel::<(RoomKey, Bytes)>(QUEUE);
        let publisher = client.clone();
        tokio::spawn(async move {
            while let Some((room, datagram)) = queued.recv().await {
                if let Err(e) = publisher.publish(subject(room), datagram).await {
                    tracing::debug!(error = %e, "cannot publish a media datagram");
                }
            }
        });
        MediaBridge {
            client,
            outgoing,
            rooms: Mutex::new(HashMap::new()),
            relay,
        }
    }

    /// The relay's first device entered `room`: the other relays' datagrams for it come
    /// here from now on.
    pub(crate) fn room_opened(&self, room: RoomKey) {
        let client = self.client.clone();
        let relay = self.relay.clone();
        let task = tokio::spawn(async move {
            let mut datagrams = match client.subscribe(subject(room)).await {
                Ok(subscriber) => subscriber,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot hear other nodes' media for a call");
                    return;
                }
            };
            while let Some(message) = datagrams.next().await {
                let Some(relay) = relay.upgrade() else {
                    return;
                };
                relay.hand_on_from_peer(room, message.payload);
            }
        });
        self.rooms().insert(room, task.abort_handle());
    }

    /// The relay's last device left `room`: it stops listening for it.
    pub(crate) fn room_closed(&self, room: RoomKey) {
        if let Some(task) = self.rooms().remove(&room) {
            task.abort();
        }
    }

    /// Offers a datagram of one of the relay's devices to the other relays.
    pub(crate) fn send(&self, room: RoomKey, datagram: Bytes) {
        let _ = self.outgoing.try_send((room, datagram));
    }

    fn rooms(&self) -> std::sync::MutexGuard<'_, HashMap<RoomKey, AbortHandle>> {
        self.rooms.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
