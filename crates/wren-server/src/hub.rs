//! Who is online: connections by account and device, live push fan-out, disconnects.

use crate::metrics::Metrics;
use crate::store::{Delivery, UpdateSink};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::mpsc;
use wren_proto::{
    AccountId, DeviceId, ErrorBody, ErrorCode, Pts, ServerFrame, TypingNotice, Update,
};

/// A live account-log update queued for one connection.
#[derive(Clone, Debug)]
pub(crate) struct UpdatePush {
    /// Its position in the account's log.
    pub(crate) pts: Pts,
    /// The update, shared with the other recipients.
    pub(crate) update: Arc<Update>,
}

/// The queues through which the hub reaches one signed-in connection.
#[derive(Debug)]
pub(crate) struct Outlets {
    /// Bounded: an update that does not fit is dropped (the client resyncs by `pts`).
    pub(crate) updates: mpsc::Sender<UpdatePush>,
    /// Bounded and small: typing notices that do not fit are dropped; they never take an
    /// update's place.
    pub(crate) typing: mpsc::Sender<TypingNotice>,
    /// Unbounded: for the fatal frame that signs the connection out. The connection's
    /// reading side takes it, so that it stops acting for the device at once.
    pub(crate) control: mpsc::UnboundedSender<ServerFrame>,
}

/// The hub's table.
#[derive(Debug, Default)]
struct Online {
    /// Signed-in connections by account.
    accounts: HashMap<AccountId, Vec<Entry>>,
    /// Devices signed out while this server runs, so that a connection that finishes
    /// signing in just after its device was revoked is still closed.
    revoked: HashSet<DeviceId>,
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
}

/// Online connections, by account.
#[derive(Debug)]
pub(crate) struct Hub {
    online: Mutex<Online>,
    next_id: AtomicU64,
    metrics: Arc<Metrics>,
}

impl Hub {
    /// An empty hub.
    pub(crate) fn new(metrics: Arc<Metrics>) -> Self {
        Hub {
            online: Mutex::new(Online::default()),
            next_id: AtomicU64::new(1),
            metrics,
        }
    }

    fn online(&self) -> MutexGuard<'_, Online> {
        self.online.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts delivering `account`'s pushes to a connection signed in as `device`.
    pub(crate) fn register(
        &self,
        account: AccountId,
        device: DeviceId,
        outlets: Outlets,
    ) -> Registration {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut online = self.online();
        if online.revoked.contains(&device) {
            let _ = outlets.control.send(ServerFrame::Fatal(signed_out()));
            return Registration { account, id };
        }
        online.accounts.entry(account).or_default().push(Entry {
            id,
            device,
            outlets,
        });
        Registration { account, id }
    }

    /// Stops delivering to a connection.
    pub(crate) fn unregister(&self, registration: &Registration) {
        let mut online = self.online();
        if let Some(entries) = online.accounts.get_mut(&registration.account) {
            entries.retain(|e| e.id != registration.id);
            if entries.is_empty() {
                online.accounts.remove(&registration.account);
            }
        }
    }

    /// Closes every connection of a revoked device with a fatal "signed out" frame.
    pub(crate) fn disconnect_device(&self, account: AccountId, device: DeviceId) {
        let mut online = self.online();
        online.revoked.insert(device);
        if let Some(entries) = online.accounts.get_mut(&account) {
            entries.retain(|e| {
                if e.device == device {
                    let _ = e.outlets.control.send(ServerFrame::Fatal(signed_out()));
                    false
                } else {
                    true
                }
            });
            if entries.is_empty() {
                online.accounts.remove(&account);
            }
        }
    }

    /// Tells the online connections of `recipients` that someone is typing.
    pub(crate) fn typing(&self, recipients: &[AccountId], notice: &TypingNotice) {
        let online = self.online();
        for account in recipients {
            for entry in online.accounts.get(account).into_iter().flatten() {
                // A full typing queue just means the notice is stale by now.
                let _ = entry.outlets.typing.try_send(notice.clone());
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
        let online = self.online();
        for d in deliveries {
            for entry in online.accounts.get(&d.account).into_iter().flatten() {
                let push = UpdatePush {
                    pts: d.pts,
                    update: Arc::clone(&d.update),
                };
                self.offer(entry, push);
            }
        }
    }

    fn committed(&self, writes: usize) {
        self.metrics.batch_committed(writes);
    }
}

/// What a revoked device's connections are told.
fn signed_out() -> ErrorBody {
    ErrorBody::new(ErrorCode::Unauthorized, "this device was signed out")
}
