//! Wake-ups between server nodes that share one PostgreSQL database.
//!
//! After a commit, the node that wrote publishes a small [`Notice`] on NATS: "account A
//! has new updates up to `pts` P", "channel C is at `seq` S", "device D was revoked".
//! Every other node reads what changed from the database and pushes it to its own
//! connections. Typing, presence and call signals are never stored, so they travel whole.
//! A lost or late notice costs latency, never data: clients resync by `pts` and `seq`.
//!
//! The parts: [`Notice`] and its wire form (this module), the outgoing queue
//! ([`Peers`]), the NATS connection ([`nats`]), what a node does with what it receives
//! ([`inbound`]), who is online elsewhere ([`presence`]), and calls' media between the
//! nodes' relays ([`media`]).

pub(crate) mod inbound;
pub(crate) mod media;
pub(crate) mod nats;
pub(crate) mod presence;

use crate::metrics::Metrics;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::mpsc;
use wren_proto::{
    AccountId, CallSignalNotice, ChannelId, DeviceId, PresenceInfo, Pts, Seq, TypingNotice,
};

/// The version of the notices' wire form; a node drops batches of another version.
const WIRE_VERSION: u8 = 1;
/// The largest batch a node reads (NATS's default payload limit).
pub(crate) const MAX_BATCH_BYTES: usize = 1024 * 1024;

/// One thing another node may have to tell its connections.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum Notice {
    /// The account's log gained the updates `first..=last`.
    Updates {
        /// Whose log.
        account: AccountId,
        /// The first new `pts`.
        first: Pts,
        /// The last new `pts`.
        last: Pts,
    },
    /// A channel post was published, edited or deleted; the channel is now at `seq`.
    ChannelPost {
        /// The channel.
        channel: ChannelId,
        /// The channel's new `last_seq` (the post's `changed_seq`).
        seq: Seq,
    },
    /// A device was signed out: its connections close.
    Revoked {
        /// Its account.
        account: AccountId,
        /// The device.
        device: DeviceId,
    },
    /// An account subscribed to a channel or left it.
    Membership {
        /// The account.
        account: AccountId,
        /// The channel.
        channel: ChannelId,
        /// Subscribed (`true`) or left.
        joined: bool,
    },
    /// Someone is typing.
    Typing {
        /// Who is told.
        recipients: Vec<AccountId>,
        /// The notice.
        notice: TypingNotice,
    },
    /// Someone came online or went offline.
    Presence {
        /// Who is told.
        recipients: Vec<AccountId>,
        /// The notice.
        info: PresenceInfo,
    },
    /// A sealed call signal.
    CallSignal {
        /// Who is told (every device but the sender's).
        recipients: Vec<AccountId>,
        /// The signal.
        notice: CallSignalNotice,
    },
    /// An account's first connection to the sending node opened (`true`), or its last one
    /// closed.
    Online {
        /// The account.
        account: AccountId,
        /// Online there or not.
        online: bool,
    },
    /// A chunk of the sending node's list of online accounts (see [`presence`]).
    Heartbeat {
        /// Which heartbeat: its chunks share it.
        generation: u64,
        /// Accounts online there.
        accounts: Vec<AccountId>,
        /// The heartbeat's last chunk.
        last: bool,
    },
}

/// The notices one NATS message carries, and the node that sent them.
#[derive(Debug, Serialize, Deserialize)]
struct Batch {
    version: u8,
    node: u64,
    notices: Vec<Notice>,
}

/// Why a received batch is dropped.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BatchError {
    /// Not a batch this node can read.
    #[error("malformed notice batch: {0}")]
    Malformed(String),
    /// Written by a node of another wire version.
    #[error("notice batch of wire version {0}, this node reads {WIRE_VERSION}")]
    Version(u8),
}

/// The wire form of `notices` from `node`.
pub(crate) fn encode(node: u64, notices: Vec<Notice>) -> Result<Vec<u8>, postcard::Error> {
    postcard::to_stdvec(&Batch {
        version: WIRE_VERSION,
        node,
        notices,
    })
}

/// The sending node and the notices of a received message.
pub(crate) fn decode(bytes: &[u8]) -> Result<(u64, Vec<Notice>), BatchError> {
    if bytes.len() > MAX_BATCH_BYTES {
        return Err(BatchError::Malformed(format!("{} bytes", bytes.len())));
    }
    let batch: Batch =
        postcard::from_bytes(bytes).map_err(|e| BatchError::Malformed(e.to_string()))?;
    if batch.version != WIRE_VERSION {
        return Err(BatchError::Version(batch.version));
    }
    Ok((batch.node, batch.notices))
}

/// The queue of notices for the other nodes. Sending never blocks: a notice that does not
/// fit is dropped and counted (its receivers catch up by `pts` later).
#[derive(Debug)]
pub(crate) struct Peers {
    queue: mpsc::Sender<Notice>,
    metrics: Arc<Metrics>,
}

impl Peers {
    /// A handle on `queue`.
    pub(crate) fn new(queue: mpsc::Sender<Notice>, metrics: Arc<Metrics>) -> Self {
        Peers { queue, metrics }
    }

    /// Queues a notice for the other nodes.
    pub(crate) fn send(&self, notice: Notice) {
        if self.queue.try_send(notice).is_err() {
            self.metrics.wake_up_dropped();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_reads_back_as_written() {
        let notices = vec![
            Notice::Updates {
                account: AccountId(7),
                first: Pts(3),
                last: Pts(5),
            },
            Notice::Revoked {
                account: AccountId(7),
                device: DeviceId(2),
            },
        ];
        let bytes = encode(42, notices.clone()).unwrap_or_default();
        assert_eq!(decode(&bytes).ok(), Some((42, notices)));
    }

    #[test]
    fn garbage_and_other_versions_are_refused() {
        assert!(matches!(
            decode(&[1, 200, 200, 200]),
            Err(BatchError::Malformed(_))
        ));
        let other = postcard::to_stdvec(&Batch {
            version: WIRE_VERSION + 1,
            node: 1,
            notices: Vec::new(),
        })
        .unwrap_or_default();
        assert!(matches!(decode(&other), Err(BatchError::Version(_))));
    }
}
