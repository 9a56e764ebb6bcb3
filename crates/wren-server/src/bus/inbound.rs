//! What a node does with the notices of the other nodes: reads the new updates and posts
//! of its own online accounts from the database and pushes them; hands typing, presence,
//! call signals, revocations and channel memberships to the hub as they are. A read starts
//! after the newest update the account's connections here already have, so one notice
//! also brings what lost ones announced; and when the bus comes back after an outage,
//! every account online here is caught up at once ([`Inbound::catch_up`]).

/// Accounts caught up at once after an outage (each is one read).
const CATCH_UP_AT_ONCE: usize = 64;

use super::Notice;
use crate::hub::Hub;
use crate::store::Store;
use futures_util::future::join_all;
use std::collections::BTreeMap;
use std::sync::Arc;
use wren_proto::rules::{MAX_CHANNEL_PAGE, MAX_DIFFERENCE_PAGE};
use wren_proto::{AccountId, ChannelId, ChannelPush, Difference, Pts, Seq};

/// Applies received notices to this node's connections.
#[derive(Clone)]
pub(crate) struct Inbound {
    hub: Arc<Hub>,
    store: Arc<dyn Store>,
    max_difference: u64,
}

impl Inbound {
    /// The hub it pushes through.
    pub(crate) fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    /// Pushes through `hub`, reading from `store`.
    pub(crate) fn new(hub: Arc<Hub>, store: Arc<dyn Store>, max_difference: u64) -> Self {
        Inbound {
            hub,
            store,
            max_difference,
        }
    }

    /// Applies one batch: the stored changes of online accounts and followed channels are
    /// read at once (one read per account and channel, whatever the number of notices).
    pub(crate) async fn handle(&self, node: u64, notices: Vec<Notice>) {
        let mut accounts: BTreeMap<AccountId, (Pts, Pts)> = BTreeMap::new();
        let mut channels: BTreeMap<ChannelId, Seq> = BTreeMap::new();
        for notice in notices {
            match notice {
                Notice::Updates {
                    account,
                    first,
                    last,
                } => {
                    if self.hub.is_online_here(account) {
                        let range = accounts.entry(account).or_insert((first, last));
                        range.0 = range.0.min(first);
                        range.1 = range.1.max(last);
                    }
                }
                Notice::ChannelPost { channel, seq } => {
                    let since = channels.entry(channel).or_insert(seq);
                    *since = (*since).min(seq);
                }
                other => self.hub.deliver(node, other),
            }
        }
        let updates = accounts
            .into_iter()
            .map(|(account, (first, last))| self.updates(account, first, last));
        let posts = channels
            .into_iter()
            .map(|(channel, first)| self.posts(channel, first));
        tokio::join!(join_all(updates), join_all(posts));
    }

    /// Pushes the account's updates `first..=last` to its connections here, and any
    /// before them that its connections have not been offered.
    async fn updates(&self, account: AccountId, first: Pts, last: Pts) {
        let announced = Pts(first.0.saturating_sub(1));
        let since = self
            .hub
            .delivered(account)
            .map_or(announced, |delivered| delivered.min(announced));
        let wanted = last.0.saturating_sub(since.0);
        let limit = u32::try_from(wanted)
            .unwrap_or(u32::MAX)
            .min(MAX_DIFFERENCE_PAGE);
        self.read_and_push(account, since, limit).await;
    }

    /// After an outage of the bus: pushes every online account's updates that its
    /// connections here have not been offered (a page each; a client further behind
    /// fetches the rest itself, as after any gap).
    pub(crate) async fn catch_up(&self) {
        let accounts = self.hub.all_delivered();
        tracing::info!(
            accounts = accounts.len(),
            "catching up after the bus came back"
        );
        for chunk in accounts.chunks(CATCH_UP_AT_ONCE) {
            let reads = chunk
                .iter()
                .map(|&(account, since)| self.read_and_push(account, since, MAX_DIFFERENCE_PAGE));
            join_all(reads).await;
        }
    }

    /// Reads the account's updates after `since` and pushes them.
    async fn read_and_push(&self, account: AccountId, since: Pts, limit: u32) {
        match self
            .store
            .difference(account, since, limit, self.max_difference)
            .await
        {
            Ok(Difference::Updates { updates, .. }) => self.hub.deliver_updates(account, updates),
            // The account's devices find out at their next sync.
            Ok(Difference::TooFarBehind { .. }) => {}
            Err(e) => tracing::warn!(error = %e, %account, "cannot read another node's updates"),
        }
    }

    /// Pushes the channel's changes from `first` on to its followers here.
    async fn posts(&self, channel: ChannelId, first: Seq) {
        let Some(reader) = self.hub.a_follower(channel) else {
            return;
        };
        let since = Seq(first.0.saturating_sub(1));
        match self
            .store
            .channel_difference(reader, channel, since, MAX_CHANNEL_PAGE)
            .await
        {
            Ok(page) if !page.too_long => {
                for post in page.posts {
                    self.hub.deliver_channel_push(&ChannelPush { post });
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, %channel, "cannot read another node's post"),
        }
    }
}
