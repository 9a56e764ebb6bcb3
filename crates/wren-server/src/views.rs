//! Post views, counted in batches: reports are collected in memory and written once per
//! [`FLUSH_EVERY`], so that a post read by a million accounts is not a hot row. Each
//! account counts once per post (the store ignores views it has counted).

use crate::server::Shared;
use crate::store::{ChannelOp, WriteOp};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;
use wren_proto::{AccountId, ChannelId, Seq};

/// How often collected views are written.
pub(crate) const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// The most views one flush writes; more wait for the next one.
const FLUSH_BATCH: usize = 50_000;
/// The most views kept between flushes; reports beyond it are dropped (counts are a
/// best effort under overload, never a reason to run out of memory).
const MAX_PENDING: usize = 1_000_000;

/// Views reported since the last flush.
#[derive(Debug, Default)]
pub(crate) struct ViewCounter {
    pending: Mutex<Vec<(ChannelId, Seq, AccountId)>>,
}

impl ViewCounter {
    /// Notes that `account` saw these posts of `channel`.
    pub(crate) fn report(&self, account: AccountId, channel: ChannelId, seqs: &[Seq]) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        let room = MAX_PENDING.saturating_sub(pending.len());
        pending.extend(seqs.iter().take(room).map(|&seq| (channel, seq, account)));
    }

    fn take(&self) -> Vec<(ChannelId, Seq, AccountId)> {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        let keep = pending.len().saturating_sub(FLUSH_BATCH);
        pending.split_off(keep)
    }
}

/// Writes collected views every [`FLUSH_EVERY`] until the server is gone.
pub(crate) async fn flush_views(state: Weak<Shared>) {
    let mut tick = tokio::time::interval(FLUSH_EVERY);
    loop {
        tick.tick().await;
        let Some((views, store)) = state
            .upgrade()
            .map(|s| (s.views.take(), Arc::clone(&s.store)))
        else {
            return;
        };
        if views.is_empty() {
            continue;
        }
        let op = WriteOp::Channel(ChannelOp::RecordViews { views });
        if let Err(e) = store.write(op).await {
            tracing::warn!(error = %e, "cannot count post views");
        }
    }
}
