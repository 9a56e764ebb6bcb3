//! The NATS side of the bus: one subject carries every node's notice batches; each node
//! publishes what its commits changed and hands what the others publish to [`Inbound`].
//! The client reconnects by itself; while it is away, notices are late or lost, which
//! costs latency only.

use super::inbound::Inbound;
use super::presence::{HEARTBEAT, HEARTBEAT_CHUNK};
use super::{decode, encode, Notice, Peers, MAX_BATCH_BYTES};
use crate::hub::Hub;
use crate::metrics::Metrics;
use async_nats::connection::State;
use bytes::Bytes;
use futures_util::StreamExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// The subject of every notice batch (its wire version is in the name, so nodes of two
/// versions never read each other's batches).
pub(crate) const SUBJECT: &str = "wren.notices.v1";
/// Notices waiting for the publisher at most; more are dropped.
const QUEUE: usize = 65_536;
/// Notices one batch carries at most.
const BATCH: usize = 4_096;
/// The longest wait between two reconnection attempts.
const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(2);

/// Why the bus could not start.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    /// The URL is not a NATS address.
    #[error("cannot use the NATS address {url}: {source}")]
    Connect {
        /// The address given.
        url: String,
        /// Why.
        #[source]
        source: async_nats::ConnectError,
    },
    /// The subscription was refused.
    #[error("cannot subscribe to {SUBJECT}: {0}")]
    Subscribe(#[from] async_nats::SubscribeError),
}

/// A running bus: the way to ask whether it is connected.
#[derive(Clone, Debug)]
pub(crate) struct Bus {
    client: async_nats::Client,
}

impl Bus {
    /// Whether the node is connected to NATS now.
    pub(crate) fn connected(&self) -> bool {
        matches!(self.client.connection_state(), State::Connected)
    }

    /// The connection, for the media relay's own subjects.
    pub(crate) fn client(&self) -> &async_nats::Client {
        &self.client
    }
}

/// Connects to NATS at `url` (in the background: a node starts while NATS is away, and
/// catches up when it comes), subscribes, and starts publishing and receiving until
/// `shutdown`; returns the bus and the queue the hub sends its notices to.
pub(crate) async fn start(
    url: &str,
    inbound: Inbound,
    metrics: Arc<Metrics>,
    shutdown: watch::Receiver<bool>,
) -> Result<(Bus, Peers), BusError> {
    // Once the bus is back after an outage, the notices sent meanwhile are lost: the
    // accounts online here are caught up from the database.
    let lost = Arc::new(AtomicBool::new(false));
    let catch_up = inbound.clone();
    let client = async_nats::ConnectOptions::new()
        .name("wren-server")
        .no_echo()
        .retry_on_initial_connect()
        .max_reconnects(None)
        .reconnect_delay_callback(reconnect_delay)
        .event_callback(move |event| {
            let (lost, catch_up) = (Arc::clone(&lost), catch_up.clone());
            async move {
                match event {
                    async_nats::Event::Connected => {
                        tracing::info!("connected to NATS");
                        if lost.swap(false, Ordering::Relaxed) {
                            tokio::spawn(async move { catch_up.catch_up().await });
                        }
                    }
                    async_nats::Event::Disconnected => {
                        lost.store(true, Ordering::Relaxed);
                        tracing::warn!("lost NATS; other nodes' pushes wait for its return");
                    }
                    other => tracing::debug!(event = %other, "NATS"),
                }
            }
        })
        .connect(url)
        .await
        .map_err(|source| BusError::Connect {
            url: url.to_owned(),
            source,
        })?;
    let subscriber = client.subscribe(SUBJECT).await?;
    let (queue, notices) = mpsc::channel(QUEUE);
    // Other nodes tell this node's batches apart by it; a restarted node is a new one.
    let node = fastrand::u64(..);
    let publisher = Publisher {
        client: client.clone(),
        node,
        hub: Arc::clone(inbound.hub()),
        metrics: Arc::clone(&metrics),
    };
    tokio::spawn(publisher.run(notices, shutdown.clone()));
    tokio::spawn(receive(subscriber, inbound, metrics.clone(), shutdown));
    Ok((Bus { client }, Peers::new(queue, metrics)))
}

/// 100 ms, doubling per failed attempt, at most [`MAX_RECONNECT_DELAY`].
fn reconnect_delay(attempts: usize) -> Duration {
    let doublings = u32::try_from(attempts.min(8)).unwrap_or(8);
    (Duration::from_millis(100) * 2u32.pow(doublings)).min(MAX_RECONNECT_DELAY)
}

/// What sends this node's notices.
struct Publisher {
    client: async_nats::Client,
    node: u64,
    hub: Arc<Hub>,
    metrics: Arc<Metrics>,
}

impl Publisher {
    /// Sends the queued notices, as many per message as are waiting, and a heartbeat with
    /// the accounts online here every [`HEARTBEAT`]; until `shutdown`.
    async fn run(self, mut notices: mpsc::Receiver<Notice>, mut shutdown: watch::Receiver<bool>) {
        let mut batch = Vec::with_capacity(BATCH);
        let mut heartbeat = tokio::time::interval(HEARTBEAT);
        let mut generation = 0u64;
        loop {
            tokio::select! {
                got = notices.recv_many(&mut batch, BATCH) => if got == 0 { return },
                _ = heartbeat.tick() => {
                    generation += 1;
                    self.hub.expire_remote();
                    batch.extend(heartbeat_notices(generation, self.hub.online_accounts()));
                }
                _ = shutdown.changed() => return,
            }
            self.send(std::mem::take(&mut batch)).await;
        }
    }

    async fn send(&self, notices: Vec<Notice>) {
        for (payload, count) in payloads(self.node, notices, &self.metrics) {
            match self.client.publish(SUBJECT, payload).await {
                Ok(()) => self.metrics.wake_ups("sent", count),
                Err(e) => {
                    self.metrics.wake_ups("dropped", count);
                    tracing::debug!(error = %e, "cannot publish notices");
                }
            }
        }
    }
}

/// A heartbeat's notices: the accounts in chunks, the last one flagged.
fn heartbeat_notices(generation: u64, accounts: Vec<wren_proto::AccountId>) -> Vec<Notice> {
    let chunks: Vec<Vec<wren_proto::AccountId>> = if accounts.is_empty() {
        vec![Vec::new()]
    } else {
        accounts
            .chunks(HEARTBEAT_CHUNK)
            .map(<[_]>::to_vec)
            .collect()
    };
    let last = chunks.len() - 1;
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, accounts)| Notice::Heartbeat {
            generation,
            accounts,
            last: i == last,
        })
        .collect()
}

/// The messages that carry `notices`, each within [`MAX_BATCH_BYTES`], with how many
/// notices each holds; a single notice too large to send is dropped.
fn payloads(node: u64, notices: Vec<Notice>, metrics: &Metrics) -> Vec<(Bytes, u64)> {
    let count = notices.len() as u64;
    if count == 0 {
        return Vec::new();
    }
    match encode(node, notices.clone()) {
        Ok(bytes) if bytes.len() <= MAX_BATCH_BYTES => vec![(Bytes::from(bytes), count)],
        Ok(_) if count > 1 => {
            let mut first = notices;
            let second = first.split_off(first.len() / 2);
            let mut both = payloads(node, first, metrics);
            both.extend(payloads(node, second, metrics));
            both
        }
        Ok(_) | Err(_) => {
            tracing::warn!("a notice too large for NATS was dropped");
            metrics.wake_ups("dropped", count);
            Vec::new()
        }
    }
}

/// Hands every batch the other nodes publish to `inbound`, one after the other (so that an
/// account's updates reach its connections in order).
async fn receive(
    mut subscriber: async_nats::Subscriber,
    inbound: Inbound,
    metrics: Arc<Metrics>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let message = tokio::select! {
            message = subscriber.next() => message,
            _ = shutdown.changed() => return,
        };
        let Some(message) = message else {
            return;
        };
        match decode(&message.payload) {
            Ok((node, notices)) => {
                metrics.wake_ups("received", notices.len() as u64);
                inbound.handle(node, notices).await;
            }
            Err(e) => {
                metrics.wake_ups("dropped", 1);
                tracing::warn!(error = %e, "unreadable notices from another node");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wren_proto::{AccountId, Pts};

    #[test]
    fn a_heartbeat_comes_in_chunks_that_each_fit_a_message() {
        let metrics = Metrics::new();
        let accounts: Vec<AccountId> = (0..250_000).map(|i| AccountId(1 << 40 | i)).collect();
        let notices = heartbeat_notices(3, accounts);
        assert_eq!(notices.len(), 3);
        assert!(matches!(notices[2], Notice::Heartbeat { last: true, .. }));
        assert!(matches!(notices[0], Notice::Heartbeat { last: false, .. }));
        let parts = payloads(9, notices, &metrics);
        assert_eq!(parts.iter().map(|(_, n)| n).sum::<u64>(), 3);
        assert!(matches!(
            heartbeat_notices(4, Vec::new()).as_slice(),
            [Notice::Heartbeat { last: true, .. }]
        ));
    }

    #[test]
    fn reconnection_backs_off_to_a_ceiling() {
        assert_eq!(reconnect_delay(0), Duration::from_millis(100));
        assert_eq!(reconnect_delay(2), Duration::from_millis(400));
        assert_eq!(reconnect_delay(50), MAX_RECONNECT_DELAY);
    }

    #[test]
    fn a_batch_over_the_payload_limit_is_split() {
        let metrics = Metrics::new();
        // 6 bytes a recipient: 100,000 of them are about 600 KB.
        let big = |account, recipients| Notice::Typing {
            recipients: vec![AccountId(1 << 40); recipients],
            notice: wren_proto::TypingNotice {
                chat: wren_proto::ChatId(1),
                account: wren_proto::AccountInfo {
                    id: AccountId(account),
                    username: "someone".into(),
                    display_name: String::new(),
                },
            },
        };
        let small = Notice::Updates {
            account: AccountId(1),
            first: Pts(1),
            last: Pts(1),
        };
        let parts = payloads(9, vec![big(1, 100_000), big(2, 100_000), small], &metrics);
        assert!(payloads(9, vec![big(3, 200_000)], &metrics).is_empty());
        assert_eq!(parts.len(), 2);
        assert!(parts
            .iter()
            .all(|(bytes, _)| bytes.len() <= MAX_BATCH_BYTES));
        assert_eq!(parts.iter().map(|(_, n)| n).sum::<u64>(), 3);
    }
}
