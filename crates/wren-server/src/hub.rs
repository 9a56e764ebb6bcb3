//! Who is online: connections by account and device, live push fan-out (account-log
//! updates, and channel posts to the online subscribers of a channel), disconnects.
//!
//! With other nodes ([`crate::bus`]), every change the hub delivers here is also sent to
//! them as a [`Notice`], and what they send comes back through [`Hub::deliver`],
//! [`Hub::deliver_updates`] and [`Hub::deliver_channel_push`] (local only).

use crate::bus::presence::RemotePresence;
use crate::bus::{Notice, Peers};
use crate::metrics::Metrics;
use crate::store::{Delivery, UpdateSink};
use axum::body::Bytes;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Instant;
use tokio::sync::mpsc;
use wren_proto::{
    AccountId, CallSignalNotice, ChannelId, ChannelPush, DeviceId, ErrorBody, ErrorCode,
    PresenceInfo, Pts, ServerFrame, TypingNotice, Update, UpdateEnvelope,
};

/// A live account-log update queued for one connection.
#[derive(Clone, Debug)]
pub(crate) struct UpdatePush {
    /// Its position in the account's log.
    pub(crate) pts: Pts,
    /// The update, shared with the other recipients.
    pub(crate) update: Arc<Update>,
}

/// A notice for a connection that is never stored: who is typing, who came online.
#[derive(Clone, Debug)]
pub(crate) enum Ephemeral {
    /// Someone is typing in a chat.
    Typing(TypingNotice),
    /// Someone came online or went offline.
    Presence(PresenceInfo),
}

impl Ephemeral {
    /// The frame that carries it.
    pub(crate) fn frame(self) -> ServerFrame {
        match self {
            Ephemeral::Typing(notice) => ServerFrame::Typing(notice),
            Ephemeral::Presence(info) => ServerFrame::Presence(info),
        }
    }
}

/// The queues through which the hub reaches one signed-in connection.
#[derive(Debug)]
pub(crate) struct Outlets {
    /// Bounded: an update that does not fit is dropped (the client resyncs by `pts`).
    pub(crate) updates: mpsc::Sender<UpdatePush>,
    /// Bounded and small: typing and presence notices that do not fit are dropped; they
    /// never take an update's place.
    pub(crate) ephemeral: mpsc::Sender<Box<Ephemeral>>,
    /// Unbounded: for the fatal frame that signs the connection out. The connection's
    /// reading side takes it, so that it stops acting for the device at once.
    ///
    /// This queue and the next two carry boxes: a tokio channel allocates room for 32
    /// items when it is made, and every connection has one of each, so small items keep
    /// an idle connection small (a `ServerFrame` is 216 bytes).
    pub(crate) control: mpsc::UnboundedSender<Box<ServerFrame>>,
    /// Bounded: encoded channel pushes (one encoding shared by every subscriber); one
    /// that does not fit is dropped, and the client pulls the channel's difference.
    pub(crate) channels: mpsc::Sender<Bytes>,
    /// Bounded: call signals; one that does not fit is dropped (the caller's device
    /// times out as when the callee is offline).
    pub(crate) calls: mpsc::Sender<Box<CallSignalNotice>>,
}

/// The hub's table.
#[derive(Debug, Default)]
struct Online {
    /// Signed-in connections by account.
    accounts: HashMap<AccountId, Vec<Entry>>,
    /// Devices signed out while this server runs, so that a connection that finishes
    /// signing in just after its device was revoked is still closed.
    revoked: HashSet<DeviceId>,
    /// The online accounts in each channel: who gets its posts pushed.
    channels: HashMap<ChannelId, HashSet<AccountId>>,
    /// The channels each online account is in, to forget when it goes offline.
    followed: HashMap<AccountId, HashSet<ChannelId>>,
    /// Per online account, the newest `pts` its connections have been offered or had at
    /// sign-in: where a catch-up after lost notices from other nodes starts.
    delivered: HashMap<AccountId, Pts>,
}

impl Online {
    /// The account's connections have been offered `pts`.
    fn offered(&mut self, account: AccountId, pts: Pts) {
        if let Some(delivered) = self.delivered.get_mut(&account) {
            *delivered = (*delivered).max(pts);
        }
    }

    /// The account has no connection here any more.
    fn gone(&mut self, account: AccountId) {
        self.accounts.remove(&account);
        self.delivered.remove(&account);
    }

    fn follow(&mut self, account: AccountId, channel: ChannelId) {
        self.channels.entry(channel).or_default().insert(account);
        self.followed.entry(account).or_default().insert(channel);
    }

    fn unfollow(&mut self, account: AccountId, channel: ChannelId) {
        if let Some(accounts) = self.channels.get_mut(&channel) {
            accounts.remove(&account);
            if accounts.is_empty() {
                self.channels.remove(&channel);
            }
        }
        if let Some(channels) = self.followed.get_mut(&account) {
            channels.remove(&channel);
        }
    }

    /// The account went offline: its channels stop pushing to it.
    fn forget_channels(&mut self, account: AccountId) {
        for channel in self.followed.remove(&account).unwrap_or_default() {
            if let Some(accounts) = self.channels.get_mut(&channel) {
                accounts.remove(&account);
                if accounts.is_empty() {
                    self.channels.remove(&channel);
                }
            }
        }
    }
}

/// One signed-in connection as the hub knows it.
#[derive(Debug)]
struct Entry {
    id: u64,
    device: DeviceId,
    outlets: Outlets,
}

/// The proof of a registration, needed to unregister.
#[derive(Debug)]
pub(crate) struct Registration {
    account: AccountId,
    id: u64,
    /// The account had no other connection: it just came online.
    first: bool,
}

impl Registration {
    /// Whether the account came online with this connection.
    pub(crate) fn came_online(&self) -> bool {
        self.first
    }
}

/// Online connections, by account.
#[derive(Debug)]
pub(crate) struct Hub {
    online: Mutex<Online>,
    next_id: AtomicU64,
    metrics: Arc<Metrics>,
    /// The other nodes, once the bus runs.
    peers: OnceLock<Peers>,
    /// Who is online on the other nodes.
    remote: Mutex<RemotePresence>,
}

impl Hub {
    /// An empty hub.
    pub(crate) fn new(metrics: Arc<Metrics>) -> Self {
        Hub {
            online: Mutex::new(Online::default()),
            next_id: AtomicU64::new(1),
            metrics,
            peers: OnceLock::new(),
            remote: Mutex::new(RemotePresence::default()),
        }
    }

    fn remote(&self) -> MutexGuard<'_, RemotePresence> {
        self.remote.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The accounts online here, for the heartbeat to the other nodes.
    pub(crate) fn online_accounts(&self) -> Vec<AccountId> {
        self.online().accounts.keys().copied().collect()
    }

    /// Forgets the accounts of the nodes that went silent.
    pub(crate) fn expire_remote(&self) {
        self.remote().expire(Instant::now());
    }

    /// From now on, tells the other nodes what it delivers here.
    pub(crate) fn set_peers(&self, peers: Peers) {
        if self.peers.set(peers).is_err() {
            tracing::error!("the hub already has its peers");
        }
    }

    /// Sends a notice to the other nodes, if there are any (built only then).
    fn forward(&self, notice: impl FnOnce() -> Notice) {
        if let Some(peers) = self.peers.get() {
            peers.send(notice());
        }
    }

    /// Delivers a notice of the other node `node` to this node's connections.
    pub(crate) fn deliver(&self, node: u64, notice: Notice) {
        match notice {
            Notice::Online { account, online } => {
                self.remote().online(node, account, online, Instant::now());
            }
            Notice::Heartbeat {
                generation,
                accounts,
                last,
            } => {
                self.remote()
                    .heartbeat(node, generation, accounts, last, Instant::now());
            }
            Notice::Typing { recipients, notice } => self.deliver_typing(&recipients, &notice),
            Notice::Presence { recipients, info } => self.deliver_presence(&recipients, info),
            Notice::CallSignal { recipients, notice } => {
                self.deliver_call_signal(&recipients, &notice);
            }
            Notice::Revoked { account, device } => self.close_device(account, device),
            Notice::Membership {
                account,
                channel,
                joined,
            } => self.follow_or_unfollow(account, channel, joined),
            Notice::Updates { .. } | Notice::ChannelPost { .. } => {
                tracing::error!("a stored change reached the hub without its data");
            }
        }
    }

    /// Pushes updates another node committed to `account`'s connections here.
    pub(crate) fn deliver_updates(&self, account: AccountId, updates: Vec<UpdateEnvelope>) {
        let mut online = self.online();
        if let Some(last) = updates.last() {
            online.offered(account, last.pts);
        }
        let Some(entries) = online.accounts.get(&account) else {
            return;
        };
        for envelope in updates {
            let update = Arc::new(envelope.update);
            for entry in entries {
                let push = UpdatePush {
                    pts: envelope.pts,
                    update: Arc::clone(&update),
                };
                self.offer(entry, push);
            }
        }
    }

    /// Where a catch-up of `account`'s updates starts: the newest `pts` its connections
    /// here have (none when it is not online here).
    pub(crate) fn delivered(&self, account: AccountId) -> Option<Pts> {
        self.online().delivered.get(&account).copied()
    }

    /// [`Hub::delivered`] for every account online here.
    pub(crate) fn all_delivered(&self) -> Vec<(AccountId, Pts)> {
        let online = self.online();
        online.delivered.iter().map(|(&a, &p)| (a, p)).collect()
    }

    /// An account online here that follows `channel`, to read its posts as.
    pub(crate) fn a_follower(&self, channel: ChannelId) -> Option<AccountId> {
        let online = self.online();
        online.channels.get(&channel)?.iter().next().copied()
    }

    fn online(&self) -> MutexGuard<'_, Online> {
        self.online.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts delivering `account`'s pushes to a connection signed in as `device`, whose
    /// client has (or fetches itself) the account's updates up to `pts`.
    pub(crate) fn register(
        &self,
        account: AccountId,
        device: DeviceId,
        outlets: Outlets,
        pts: Pts,
    ) -> Registration {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut online = self.online();
        if online.revoked.contains(&device) {
            let _ = outlets
                .control
                .send(Box::new(ServerFrame::Fatal(signed_out())));
            return Registration {
                account,
                id,
                first: false,
            };
        }
        let entries = online.accounts.entry(account).or_default();
        let first = entries.is_empty();
        entries.push(Entry {
            id,
            device,
            outlets,
        });
        let delivered = online.delivered.entry(account).or_insert(pts);
        *delivered = (*delivered).max(pts);
        drop(online);
        if first {
            self.forward(|| Notice::Online {
                account,
                online: true,
            });
        }
        Registration { account, id, first }
    }

    /// Stops delivering to a connection; whether it was the account's last (it went
    /// offline).
    pub(crate) fn unregister(&self, registration: &Registration) -> bool {
        let mut online = self.online();
        let Some(entries) = online.accounts.get_mut(&registration.account) else {
            return false;
        };
        let before = entries.len();
        entries.retain(|e| e.id != registration.id);
        if before == entries.len() || !entries.is_empty() {
            return false;
        }
        online.gone(registration.account);
        online.forget_channels(registration.account);
        drop(online);
        self.forward(|| Notice::Online {
            account: registration.account,
            online: false,
        });
        true
    }

    /// Whether the account has a signed-in connection to this node.
    pub(crate) fn is_online_here(&self, account: AccountId) -> bool {
        self.online().accounts.contains_key(&account)
    }

    /// Whether the account has a signed-in connection to this node or, as far as they
    /// said, to another one.
    pub(crate) fn is_online(&self, account: AccountId) -> bool {
        self.is_online_here(account) || self.remote().is_online(account)
    }

    /// Tells the online connections of `recipients` that someone came online or went
    /// offline.
    pub(crate) fn presence(&self, recipients: &[AccountId], info: PresenceInfo) {
        self.deliver_presence(recipients, info);
        self.forward(|| Notice::Presence {
            recipients: recipients.to_vec(),
            info,
        });
    }

    fn deliver_presence(&self, recipients: &[AccountId], info: PresenceInfo) {
        let online = self.online();
        for account in recipients {
            for entry in online.accounts.get(account).into_iter().flatten() {
                // A full queue just means the notice is stale by now.
                let _ = entry
                    .outlets
                    .ephemeral
                    .try_send(Box::new(Ephemeral::Presence(info)));
            }
        }
    }

    /// Pushes the posts of `channels` to `account`'s connections from now on (called after
    /// sign-in with the channels the store lists; ignored if the account went offline).
    pub(crate) fn follow_channels(&self, account: AccountId, channels: &[ChannelId]) {
        let mut online = self.online();
        if online.accounts.contains_key(&account) {
            for &channel in channels {
                online.follow(account, channel);
            }
        }
    }

    /// `account` subscribed to (`joined`) or left a channel.
    pub(crate) fn channel_membership(&self, account: AccountId, channel: ChannelId, joined: bool) {
        self.follow_or_unfollow(account, channel, joined);
        self.forward(|| Notice::Membership {
            account,
            channel,
            joined,
        });
    }

    fn follow_or_unfollow(&self, account: AccountId, channel: ChannelId, joined: bool) {
        let mut online = self.online();
        if !joined {
            online.unfollow(account, channel);
        } else if online.accounts.contains_key(&account) {
            online.follow(account, channel);
        }
    }

    /// Closes every connection of a revoked device with a fatal "signed out" frame.
    pub(crate) fn disconnect_device(&self, account: AccountId, device: DeviceId) {
        self.close_device(account, device);
        self.forward(|| Notice::Revoked { account, device });
    }

    fn close_device(&self, account: AccountId, device: DeviceId) {
        let mut online = self.online();
        online.revoked.insert(device);
        if let Some(entries) = online.accounts.get_mut(&account) {
            entries.retain(|e| {
                if e.device == device {
                    let _ = e
                        .outlets
                        .control
                        .send(Box::new(ServerFrame::Fatal(signed_out())));
                    false
                } else {
                    true
                }
            });
            if entries.is_empty() {
                online.gone(account);
            }
        }
    }

    /// Tells the online connections of `recipients` that someone is typing.
    pub(crate) fn typing(&self, recipients: &[AccountId], notice: &TypingNotice) {
        self.deliver_typing(recipients, notice);
        self.forward(|| Notice::Typing {
            recipients: recipients.to_vec(),
            notice: notice.clone(),
        });
    }

    fn deliver_typing(&self, recipients: &[AccountId], notice: &TypingNotice) {
        let online = self.online();
        for account in recipients {
            for entry in online.accounts.get(account).into_iter().flatten() {
                // A full typing queue just means the notice is stale by now.
                let _ = entry
                    .outlets
                    .ephemeral
                    .try_send(Box::new(Ephemeral::Typing(notice.clone())));
            }
        }
    }

    /// Hands a call signal to every online connection of `recipients` but the sending
    /// device's own.
    pub(crate) fn call_signal(&self, recipients: &[AccountId], notice: &CallSignalNotice) {
        self.deliver_call_signal(recipients, notice);
        self.forward(|| Notice::CallSignal {
            recipients: recipients.to_vec(),
            notice: notice.clone(),
        });
    }

    fn deliver_call_signal(&self, recipients: &[AccountId], notice: &CallSignalNotice) {
        let online = self.online();
        for account in recipients {
            for entry in online.accounts.get(account).into_iter().flatten() {
                if entry.device != notice.device {
                    let _ = entry.outlets.calls.try_send(Box::new(notice.clone()));
                }
            }
        }
    }

    /// Queues an update; drops it if the connection's queue is full.
    fn offer(&self, entry: &Entry, push: UpdatePush) {
        if let Err(mpsc::error::TrySendError::Full(_)) = entry.outlets.updates.try_send(push) {
            self.metrics.push_dropped();
            tracing::debug!(connection = entry.id, "update queue full; update dropped");
        }
    }
}

impl UpdateSink for Hub {
    fn publish(&self, deliveries: &[Delivery]) {
        if deliveries.is_empty() {
            return;
        }
        {
            let mut online = self.online();
            for d in deliveries {
                online.offered(d.account, d.pts);
                for entry in online.accounts.get(&d.account).into_iter().flatten() {
                    let push = UpdatePush {
                        pts: d.pts,
                        update: Arc::clone(&d.update),
                    };
                    self.offer(entry, push);
                }
            }
        }
        if let Some(peers) = self.peers.get() {
            for notice in account_ranges(deliveries) {
                peers.send(notice);
            }
        }
    }

    fn committed(&self, writes: usize) {
        self.metrics.batch_committed(writes);
    }

    fn publish_channel(&self, push: &Arc<ChannelPush>) {
        self.deliver_channel_push(push);
        self.forward(|| Notice::ChannelPost {
            channel: push.post.channel,
            seq: push.post.changed_seq,
        });
    }

    fn rows_written(&self, op: &'static str, rows: u64) {
        self.metrics.rows_written(op, rows);
    }
}

impl Hub {
    /// Pushes a channel's change to its followers here (one encoding for all).
    pub(crate) fn deliver_channel_push(&self, push: &ChannelPush) {
        let frame = ServerFrame::ChannelPush(push.clone());
        let bytes = match wren_proto::encode(&frame) {
            Ok(bytes) => Bytes::from(bytes),
            Err(e) => {
                tracing::error!(error = %e, "cannot encode a channel push");
                return;
            }
        };
        let online = self.online();
        let Some(accounts) = online.channels.get(&push.post.channel) else {
            return;
        };
        for account in accounts {
            for entry in online.accounts.get(account).into_iter().flatten() {
                if let Err(mpsc::error::TrySendError::Full(_)) =
                    entry.outlets.channels.try_send(bytes.clone())
                {
                    self.metrics.push_dropped();
                }
            }
        }
    }
}

/// One [`Notice::Updates`] per account of a write's deliveries, in first-seen order.
fn account_ranges(deliveries: &[Delivery]) -> Vec<Notice> {
    let mut ranges: Vec<(AccountId, Pts, Pts)> = Vec::new();
    let mut index: HashMap<AccountId, usize> = HashMap::new();
    for d in deliveries {
        match index.get(&d.account) {
            Some(&i) => {
                let (_, first, last) = &mut ranges[i];
                *first = (*first).min(d.pts);
                *last = (*last).max(d.pts);
            }
            None => {
                index.insert(d.account, ranges.len());
                ranges.push((d.account, d.pts, d.pts));
            }
        }
    }
    ranges
        .into_iter()
        .map(|(account, first, last)| Notice::Updates {
            account,
            first,
            last,
        })
        .collect()
}

/// What a revoked device's connections are told.
fn signed_out() -> ErrorBody {
    ErrorBody::new(ErrorCode::Unauthorized, "this device was signed out")
}
